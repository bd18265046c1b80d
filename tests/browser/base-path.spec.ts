/**
 * The site as a school hosts it: built with BASE_PATH=/margin-pressure/ into dist-base/ and served only under
 * that prefix by scripts/serve.mjs (the "base-path" project in playwright.config.ts; the server answers 404
 * outside the prefix). Every page reachable from the home page or the sitemap is fetched, and every URL it
 * names (links, scripts, stylesheets, images, island components) must stay under the prefix and answer 200.
 * Then one widget hydrates and its Share link and embed code carry the prefix.
 */
import { existsSync } from 'node:fs';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { collectErrors, explorer, hydrate, parts } from './helpers';

const PREFIX = '/margin-pressure/';

test.beforeAll(() => {
  if (!existsSync('dist-base/404.html')) {
    throw new Error('dist-base/ is missing: run `BASE_PATH=/margin-pressure/ npm run build -- --outDir dist-base` (npm test does).');
  }
});

/** The attributes of our HTML that hold a URL the browser will load or follow. */
const URL_ATTRIBUTE = /\s(href|src|srcset|poster|action|component-url|renderer-url|before-hydration-url)="([^"]*)"/g;

function decode(value: string): string {
  return value.replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>');
}

/** Every URL named by a page, resolved against it, with the attribute that named it. */
function urlsIn(html: string, pageUrl: string): { attribute: string; raw: string; url: URL }[] {
  const found: { attribute: string; raw: string; url: URL }[] = [];
  // Text shown as code (the share panel's <textarea>, <code> examples) is not a URL the page uses.
  const markup = html.replace(/<textarea[\s\S]*?<\/textarea>/g, '');
  for (const match of markup.matchAll(URL_ATTRIBUTE)) {
    const attribute = match[1]!;
    const values = attribute === 'srcset' ? decode(match[2]!).split(',').map((part) => part.trim().split(/\s+/)[0]!) : [decode(match[2]!)];
    for (const raw of values) {
      if (raw === '' || /^(mailto|tel|data|javascript):/i.test(raw)) continue;
      found.push({ attribute, raw, url: new URL(raw, pageUrl) });
    }
  }
  return found;
}

async function status(request: APIRequestContext, url: string): Promise<number> {
  const response = await request.get(url, { maxRedirects: 0 });
  return response.status();
}

test('every page, link and asset of the sub-path build stays under the prefix and loads', async ({ request, baseURL }) => {
  test.setTimeout(120_000);
  const home = new URL(baseURL!);
  expect(home.pathname).toBe(PREFIX);
  const origin = home.origin;

  // Seeds: the home page and everything the sitemap lists (its <loc>s carry the build's SITE_URL origin).
  const queue: string[] = [home.href];
  const indexXml = await (await request.get(new URL('sitemap-index.xml', home).href)).text();
  for (const [, loc] of indexXml.matchAll(/<loc>([^<]+)<\/loc>/g)) {
    const sitemapPath = new URL(loc!).pathname;
    expect(sitemapPath, 'sitemap file under the prefix').toMatch(new RegExp(`^${PREFIX}`));
    const xml = await (await request.get(origin + sitemapPath)).text();
    const locs = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1]!).pathname);
    expect(locs.length).toBeGreaterThan(10);
    for (const path of locs) {
      expect(path, 'sitemap page under the prefix').toMatch(new RegExp(`^${PREFIX}`));
      queue.push(origin + path);
    }
  }

  const pages = new Set<string>();
  const checked = new Map<string, number>();
  const problems: string[] = [];
  while (queue.length > 0) {
    const pageUrl = queue.shift()!;
    if (pages.has(pageUrl)) continue;
    pages.add(pageUrl);
    const response = await request.get(pageUrl, { maxRedirects: 0 });
    if (response.status() !== 200) {
      problems.push(`${pageUrl}: HTTP ${response.status()}`);
      continue;
    }
    if (!(response.headers()['content-type'] ?? '').includes('text/html')) continue;
    const html = await response.text();
    for (const { attribute, raw, url } of urlsIn(html, pageUrl)) {
      const ours = url.origin === origin || (raw.startsWith('/') && !raw.startsWith('//'));
      // The canonical link is absolute on SITE_URL's origin; its path must still carry the prefix.
      if (!ours) {
        if (/^https?:\/\/127\.0\.0\.1:4321\//.test(raw) && !url.pathname.startsWith(PREFIX)) {
          problems.push(`${pageUrl}: ${attribute}="${raw}" leaves the prefix`);
        }
        continue;
      }
      if (!url.pathname.startsWith(PREFIX)) {
        problems.push(`${pageUrl}: ${attribute}="${raw}" escapes to the server root`);
        continue;
      }
      const target = `${url.origin}${url.pathname}${url.search}`;
      const isPage = attribute === 'href' && (url.pathname.endsWith('/') || url.pathname.endsWith('.html'));
      if (isPage) {
        queue.push(`${url.origin}${url.pathname}`);
        // A page with a query (a widget in a shared state) is its own request; the fragment never is.
        if (url.search === '') continue;
      }
      if (!checked.has(target)) checked.set(target, await status(request, target));
      if (checked.get(target) !== 200) problems.push(`${pageUrl}: ${attribute}="${raw}" answers HTTP ${checked.get(target)}`);
    }
  }

  expect(problems).toEqual([]);
  // Lessons, glossary, widgets and their embeds: the crawl must have reached more than the sitemap seeds.
  expect(pages.size).toBeGreaterThan(30);
  expect([...pages].some((p) => p.includes(`${PREFIX}embed/`)), 'embeds reached by links').toBe(true);
  // The server really refuses the root, so the checks above could fail.
  expect(await status(request, `${origin}/learn/margin-pressure/`)).toBe(404);
});

test('a widget hydrates under the prefix and its Share link and embed code keep it', async ({ page, baseURL }) => {
  const errors = collectErrors(page);
  const failed: string[] = [];
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  await page.goto('widgets/position-explorer/?lev=20');
  await hydrate(page);
  const w = parts(explorer(page));
  // Hydrated and driven by the script, not just server-rendered: the slider moves the output.
  await w.markSlider.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(w.markOutput).toHaveText('59,950.00 USDT');

  await w.shareButton.click();
  const link = await w.linkField.inputValue();
  expect(link.startsWith(`${baseURL}widgets/position-explorer/?`), link).toBe(true);
  expect(link).toContain('lev=20');
  const embed = await w.embedField.inputValue();
  expect(embed).toContain(`src="${baseURL}embed/position-explorer/?`);
  expect(embed).toContain(`href="${baseURL}widgets/position-explorer/?`);

  // The shared link opens the same state under the prefix.
  const response = await page.goto(link);
  expect(response?.status()).toBe(200);
  await hydrate(page);
  await expect(parts(explorer(page)).markOutput).toHaveText('59,950.00 USDT');
  expect(failed).toEqual([]);
  expect(errors).toEqual([]);
});
