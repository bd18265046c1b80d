// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import svelte from '@astrojs/svelte';
import sitemap from '@astrojs/sitemap';

// The public address the sitemap and share links are written for. Set SITE_URL when deploying; the
// default is the local preview server, so a fresh clone builds and tests with no configuration.
const site = process.env.SITE_URL ?? 'http://127.0.0.1:4321';

export default defineConfig({
  site,
  output: 'static',
  trailingSlash: 'always',
  integrations: [
    svelte(),
    mdx(),
    sitemap({
      // Embeds are pieces of pages, not pages: keep them out of search engines' lists.
      filter: (page) => !page.includes('/embed/'),
    }),
  ],
  build: { inlineStylesheets: 'auto' },
  devToolbar: { enabled: false },
  vite: { build: { sourcemap: process.env.SOURCEMAP === '1' } },
});
