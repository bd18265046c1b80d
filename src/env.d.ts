/// <reference types="astro/client" />

declare global {
  // Counts <Term> uses during a build so each popover gets its own id.
  var __termCounter: number | undefined;
}

export {};
