import { vitePreprocess } from '@astrojs/svelte';

export default {
  preprocess: vitePreprocess(),
  // The version beacon is a few hundred bytes in every reader's bundle for no reader's benefit.
  compilerOptions: { discloseVersion: false },
};
