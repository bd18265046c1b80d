// @ts-check
/**
 * Builds the site's search index with Pagefind after every `astro build`, into dist/pagefind/.
 *
 * An integration rather than a second command after `astro build`, so every way the site gets built
 * (`npm run build`, `npm test`'s build step, the bench script) ships the index that /search/ loads.
 * Only lessons, the glossary and the teacher guides are indexed: those pages mark their text with
 * `data-pagefind-body`, and the glob below keeps widget pages, embed builders and embeds out even if one of
 * them ever did. Widgets (controls, per-round
 * tables, figure captions that change with the controls), glossary popovers inside lessons, the hidden
 * answers of "predict first" questions and KaTeX's visual duplicate of each formula are left out here, by
 * selector, so no component has to know about search.
 */
import { readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as pagefind from 'pagefind';
import sirv from 'sirv';

const EXCLUDE = [
  'section[data-widget]',
  '.term-popover',
  '[data-predict] .guess',
  '[data-predict] details',
  '.katex-html',
  '.katex-mathml annotation',
  // A lesson's frame: its part line, sources, review date and links to the neighbouring lessons.
  '.lesson > .part',
  '.lesson > .updated',
  '.references',
  'nav.course',
  // A guide's frame and its generated tables (parameter keys are not what a teacher searches for).
  '.guide > .kicker',
  '.guide > .quick',
  '.guide > .updated',
  '.guide .table-wrap',
];

/** @returns {import('astro').AstroIntegration} */
export default function searchIndex() {
  let base = '';
  /** @type {URL} */
  let outDir = new URL('../../dist/', import.meta.url);
  return {
    name: 'margin-pressure:search-index',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.replace(/\/$/, '');
        outDir = config.outDir;
      },
      // `npm start` renders pages live but has no index of its own: serve the last build's, so search works
      // in development once `npm run build` has run (the page says what to do when it has not).
      'astro:server:setup': ({ server }) => {
        const prefix = `${base}/pagefind/`;
        const files = sirv(fileURLToPath(new URL('pagefind/', outDir)), { dev: true });
        server.middlewares.use((request, response, next) => {
          if (!request.url?.startsWith(prefix)) return next();
          request.url = request.url.slice(prefix.length - 1);
          files(request, response, () => {
            response.statusCode = 404;
            response.end();
          });
        });
      },
      'astro:build:done': async ({ dir, logger }) => {
        const site = fileURLToPath(dir);
        const { index, errors } = await pagefind.createIndex({ excludeSelectors: EXCLUDE, forceLanguage: 'en' });
        if (!index) throw new Error(`Pagefind could not start: ${errors.join('; ')}`);
        try {
          const added = await index.addDirectory({ path: site, glob: '{learn/**/*.html,glossary/**/*.html,widgets/*/guide/*.html}' });
          if (added.errors.length > 0) throw new Error(`Pagefind indexing failed: ${added.errors.join('; ')}`);
          // An index of nothing would leave /search/ answering "no results" to everything: fail the build.
          if (added.page_count === 0) throw new Error(`Pagefind found no pages with data-pagefind-body under ${site}learn/ or glossary/`);
          const out = fileURLToPath(new URL('pagefind/', dir));
          const written = await index.writeFiles({ outputPath: out });
          if (written.errors.length > 0) throw new Error(`Pagefind could not write the index: ${written.errors.join('; ')}`);
          // Pagefind also writes its ready-made search UIs (about 400 KB); /search/ draws its own, so a
          // school hosting the site need not carry them.
          for (const file of readdirSync(out)) if (/^pagefind-(ui|modular-ui|component-ui|highlight)\.(js|css)$/.test(file)) rmSync(`${out}${file}`);
          logger.info(`search index: ${added.page_count} pages`);
        } finally {
          await pagefind.close();
        }
      },
    },
  };
}
