/// <reference types="astro/client" />

declare global {
  // Counts <Term> uses during a build so each popover gets its own id.
  var __termCounter: number | undefined;
  // Likewise for predict-then-reveal boxes.
  var __predictCounter: number | undefined;
}

export {};
