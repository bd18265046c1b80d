// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import svelte from '@astrojs/svelte';
import sitemap from '@astrojs/sitemap';
// Astro's own Markdown processor (a dependency of astro 7.3, pinned by it); imported only to add a hast plugin.
import { satteri } from '@astrojs/markdown-satteri';
import { basePrefix, rehypeBaseLinks } from './src/lib/rehype-base-links.mjs';
import searchIndex from './src/integrations/search-index.mjs';

// The public address the sitemap and share links are written for. Set SITE_URL when deploying; the
// default is the local preview server, so a fresh clone builds and tests with no configuration.
const site = process.env.SITE_URL ?? 'http://127.0.0.1:4321';
// The path the site is served under, for a school that hosts it at https://school.example/margin-pressure/:
// BASE_PATH=/margin-pressure/ npm run build. Pages and widgets read it as import.meta.env.BASE_URL; lessons'
// root-relative links get it from rehypeBaseLinks.
const base = `${basePrefix(process.env.BASE_PATH)}/`;

export default defineConfig({
  site,
  base,
  output: 'static',
  trailingSlash: 'always',
  integrations: [
    svelte(),
    mdx(),
    sitemap({
      // Embeds are pieces of pages, not pages: keep them out of search engines' lists.
      filter: (page) => !page.includes('/embed/'),
    }),
    // After the build: dist/pagefind/, the static index /search/ loads (lessons and glossary only).
    searchIndex(),
  ],
  markdown: { processor: satteri({ hastPlugins: [rehypeBaseLinks(base)] }) },
  build: { inlineStylesheets: 'auto' },
  devToolbar: { enabled: false },
  // An embed pasted with sandbox="allow-scripts" runs in an opaque origin, which fetches module scripts in CORS
  // mode (Origin: null): without this header its islands never load. Static hosts need the same (README).
  server: { headers: { 'Access-Control-Allow-Origin': '*' } },
  vite: { build: { sourcemap: process.env.SOURCEMAP === '1' } },
});
