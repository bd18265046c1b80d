/**
 * Shared pieces of the browser suite: the page list (read from the built sitemap), hydration of Astro
 * islands, and collection of console errors.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { fileURLToPath } from 'node:url';
import { expect, type FrameLocator, type Locator, type Page } from '@playwright/test';

const sitemapFile = fileURLToPath(new URL('../../dist/sitemap-0.xml', import.meta.url));

/** Pathnames of every page in the built sitemap (its absolute URLs carry the build's SITE_URL origin). */
export function sitemapPaths(): string[] {
  let xml: string;
  try {
    xml = readFileSync(sitemapFile, 'utf8');
  } catch {
    throw new Error(`${sitemapFile} is missing: run \`npm run build\` before the browser tests.`);
  }
  const paths = [...xml.matchAll(/<loc>([^<]+)<\/loc>/g)].map((m) => new URL(m[1] ?? '').pathname);
  if (paths.length === 0) throw new Error(`${sitemapFile} lists no pages`);
  return paths;
}

/**
 * The sitemap for the heaviest whole-site checks (axe in two schemes, sideways scrolling): the ten embed
 * builders are one component with different field lists, so two of them stand for all (every builder is
 * still opened by tests/browser/instructor-flow.spec.ts, and every page by pages.spec.ts and nojs.spec.ts).
 */
export function auditPaths(): string[] {
  return sitemapPaths().filter((path) => !path.endsWith('/embed-builder/') || /\/(position-explorer|cascade-simulator)\/embed-builder\/$/.test(path));
}

/** Deliberately left out of the sitemap (embeds are pieces of pages), but served and tested. */
export const EMBED_PATH = '/embed/position-explorer/';
/** Every widget's embed route (none is in the sitemap). */
export const EMBED_PATHS = ['/embed/position-explorer/', '/embed/tier-ladder/', '/embed/cross-vs-isolated/', '/embed/margin-monitor/', '/embed/cascade-simulator/', '/embed/liquidation-map/', '/embed/stability-frontier/', '/embed/amm-liquidation-spiral/', '/embed/health-factor-explorer/', '/embed/contagion-network/'];
export const LADDER_PATH = '/widgets/tier-ladder/';
export const WIDGET_PATH = '/widgets/position-explorer/';
export const LESSON_PATH = '/learn/margin-pressure/';

/** The explorer's default state (linear 10× long, entry 60,000, 0.4 %, 1,000 USDT margin). */
export const DEFAULTS = {
  liquidation: '54,216.87',
  bankruptcy: '54,000.00',
  mark: '60,000.00 USDT',
};

/**
 * Brings every Astro island on the page into view (client:visible hydrates only then) and waits until
 * Astro has hydrated them all (it removes the `ssr` attribute after the component mounted).
 */
export async function hydrate(page: Page): Promise<void> {
  const islands = page.locator('astro-island');
  const count = await islands.count();
  for (let i = 0; i < count; i++) {
    const island = islands.nth(i);
    if ((await island.getAttribute('ssr')) === null) continue;
    // An island is display: contents, so scroll its first rendered child into view instead.
    await island.evaluate((el) => (el.firstElementChild ?? el).scrollIntoView({ block: 'center' }));
    await expect(island, `island ${i} on ${page.url()} should hydrate`).not.toHaveAttribute('ssr', { timeout: 10_000 });
  }
  await expect(page.locator('astro-island[ssr]')).toHaveCount(0);
}

/** The position explorer widget on the page or in a frame (there is one per page today). */
export function explorer(scope: Page | FrameLocator): Locator {
  return scope.locator('section[data-widget="position-explorer"]');
}

/** Collects console errors, uncaught page errors and failed requests for the page from now on. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      errors.push(`console.error: ${message.text()} (${where.url}:${where.lineNumber})`);
    }
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('requestfailed', (request) => errors.push(`request failed: ${request.url()} ${request.failure()?.errorText ?? ''}`));
  return errors;
}

/** Opens a page, waits for its islands, and returns the page's response status. */
export async function openHydrated(page: Page, path: string): Promise<number | undefined> {
  const response = await page.goto(path);
  await hydrate(page);
  return response?.status();
}

/** The mark-price slider, its output and the figure's text equivalent inside a widget. */
export function parts(widget: Locator) {
  return {
    markSlider: widget.getByRole('slider', { name: 'Mark price' }),
    markOutput: widget.locator('.mark-control output'),
    levSlider: widget.getByRole('slider', { name: 'Leverage' }),
    levOutput: widget.locator('label', { hasText: 'Leverage' }).locator('output'),
    summary: widget.locator('figcaption.summary'),
    chart: widget.locator('.chart-figure svg[role="img"]'),
    alert: widget.locator('.liquidated[role="alert"]'),
    notes: widget.locator('.notes[role="status"]'),
    shareButton: widget.getByRole('button', { name: 'Share this state' }),
    linkField: widget.getByLabel('Link to this widget in its current state'),
    embedField: widget.getByLabel('Embed code for a course page (no script needed)'),
  };
}

/** "59,950.00 USDT" → 59950 */
export function priceOf(text: string | null): number {
  const match = /(-?[\d,]+(?:\.\d+)?)/.exec(text ?? '');
  if (!match?.[1]) throw new Error(`no price in ${JSON.stringify(text)}`);
  return Number(match[1].replace(/,/g, ''));
}

/** The page does not scroll sideways; names the elements that stick out if it does. */
export async function expectNoHorizontalOverflow(page: Page, what: string): Promise<void> {
  const { scrollWidth, clientWidth, culprits } = await page.evaluate(() => {
    const root = document.documentElement;
    const limit = root.clientWidth;
    const culprits = [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > limit + 0.5)
      .filter((el) => !el.closest('.visually-hidden, [popover]:not(:popover-open)'))
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
    return { scrollWidth: root.scrollWidth, clientWidth: limit, culprits };
  });
  expect(scrollWidth, `${what}: scrollWidth ${scrollWidth} > clientWidth ${clientWidth}; wide elements:\n${culprits.join('\n')}`).toBeLessThanOrEqual(clientWidth);
}

const scenarioDir = new URL('../../content/scenarios/', import.meta.url);

/** The scenario presets in content/scenarios/, as the file names (their link names) and widgets. */
export function scenarioFiles(): { id: string; widget: string; title: string }[] {
  return readdirSync(scenarioDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({ id: f.replace(/\.yaml$/, ''), ...(parse(readFileSync(new URL(f, scenarioDir), 'utf8')) as { widget: string; title: string }) }));
}
