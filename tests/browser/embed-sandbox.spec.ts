/**
 * Every widget's embed code, pasted into a course page the way an instructor would, inside a sandboxed
 * frame: `sandbox="allow-scripts"` without allow-same-origin, as strict course platforms set it, so the embed
 * runs in an opaque origin with no storage and no cookies. The host page is static HTML with no script of
 * its own (tests/browser/fixtures/course-page.html), served from the test server so the frame loads the
 * built /embed/ page over http as it would from a real course site.
 *
 * Per widget: the widget hydrates and answers the keyboard, nothing in the frame logs an error, the frame
 * does not scroll inside at its declared height 360 px wide, and a host that does listen hears its height.
 *
 * A document in an opaque origin fetches its module scripts (and Astro's island imports) in CORS mode with
 * `Origin: null`, so the embed hydrates only where the server answers with `Access-Control-Allow-Origin`.
 * The site's servers send it (astro.config.mjs server.headers, scripts/serve.mjs) and the README asks
 * self-hosters to; the test adds nothing, so a server that drops the header fails it here.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Frame, type FrameLocator, type Page } from '@playwright/test';
import { widgetMetas } from '../../src/widgets/meta';
import { EMBED_PATHS, collectErrors, hydrate, parts } from './helpers';

const coursePage = readFileSync(new URL('./fixtures/course-page.html', import.meta.url), 'utf8');

/** One keyboard action per widget that changes its text equivalent (the figcaption summary). */
const controls: Record<string, { slider: string | RegExp; key: string }> = {
  'position-explorer': { slider: 'Mark price', key: 'ArrowRight' },
  'tier-ladder': { slider: /Leverage/, key: 'End' },
  'cross-vs-isolated': { slider: 'BTC mark price', key: 'Home' },
  'margin-monitor': { slider: /^Leverage/, key: 'End' },
  'cascade-simulator': { slider: /^Round/, key: 'Home' },
  'liquidation-map': { slider: /^Price/, key: 'Home' },
  'stability-frontier': { slider: /maximum leverage/, key: 'ArrowRight' },
  'amm-liquidation-spiral': { slider: /^Block/, key: 'Home' },
  'health-factor-explorer': { slider: /price/, key: 'Home' },
  'contagion-network': { slider: /^Block/, key: 'Home' },
};

const idOf = (path: string) => /^\/embed\/([^/]+)\/$/.exec(path)?.[1] ?? '';

/** The widget's own Share snippet, read from its Share control (the real output of shareSnippets). */
async function shareSnippet(page: Page, id: string): Promise<string> {
  await page.goto(`/embed/${id}/`);
  await hydrate(page);
  const widget = page.locator(`section[data-widget="${id}"]`);
  await parts(widget).shareButton.click();
  return parts(widget).embedField.inputValue();
}

/** The snippet with the strictest sandbox a course platform may add: scripts yes, same origin no. */
function sandboxed(snippet: string): string {
  expect(snippet).toMatch(/^<iframe src="[^"]+" /);
  expect(snippet).not.toContain('sandbox=');
  return snippet.replace('<iframe ', '<iframe sandbox="allow-scripts" ');
}

/** Serves a course page with the snippet at a path on the test server, and opens it. */
async function openHost(page: Page, id: string, snippet: string, listener = ''): Promise<void> {
  const url = new URL(`/course/week-4-${id}/`, test.info().project.use.baseURL).href;
  const html = coursePage.replace('<!-- EMBED -->', snippet).replace('<!-- HOST-LISTENER -->', listener);
  await page.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await page.goto(url);
}

/** The embed's frame, once its document has loaded (the iframe is lazy: bring it near the viewport). */
async function embedFrame(page: Page, id: string): Promise<{ frame: Frame; scope: FrameLocator }> {
  await page.locator('iframe').scrollIntoViewIfNeeded();
  const scope = page.frameLocator('iframe');
  await expect(scope.locator(`section[data-widget="${id}"]`)).toBeVisible({ timeout: 10_000 });
  const frame = page.frames().find((f) => f.url().includes(`/embed/${id}/`));
  if (!frame) throw new Error(`no frame for /embed/${id}/ among ${page.frames().map((f) => f.url()).join(', ')}`);
  return { frame, scope };
}

for (const path of EMBED_PATHS) {
  const id = idOf(path);
  const meta = widgetMetas.find((m) => m.id === id);

  test(`the ${id} embed works in a sandboxed frame on a course page with no script`, async ({ page }) => {
    test.setTimeout(45_000);
    expect(meta, `${id} is in src/widgets/meta.ts`).toBeDefined();
    const control = controls[id];
    expect(control, `a keyboard control is listed for ${id}`).toBeDefined();
    // 376 px wide with the page's 8 px margins: the frame is 360 px wide, the narrowest width we support.
    await page.setViewportSize({ width: 376, height: 800 });
    const snippet = await shareSnippet(page, id);
    expect(snippet).toContain(` height="${meta?.embedHeight}" `);
    expect(snippet).toContain(` title="Margin Pressure: ${meta?.title} (`);
    expect(snippet).toContain(` src="${new URL(path, page.url()).href}?`);

    const errors = collectErrors(page);
    await openHost(page, id, sandboxed(snippet));
    expect(await page.evaluate(() => document.scripts.length), 'the course page runs no script').toBe(0);
    const { frame, scope } = await embedFrame(page, id);

    // The frame really is sandboxed: an opaque origin where storage is refused.
    const sandbox = await frame.evaluate(() => {
      let storage = 'allowed';
      try {
        window.localStorage.getItem('x');
      } catch (error) {
        storage = (error as Error).name;
      }
      return { origin: self.origin, storage };
    });
    expect(sandbox).toEqual({ origin: 'null', storage: 'SecurityError' });

    // Hydrated: every island mounted, and the keyboard moves the figure's text equivalent.
    await expect(scope.locator('astro-island').first()).toBeAttached();
    await expect(scope.locator('astro-island[ssr]')).toHaveCount(0, { timeout: 10_000 });
    const widget = scope.locator(`section[data-widget="${id}"]`);
    const summary = widget.locator('figcaption[id$="-summary"]').first();
    await expect(summary).not.toBeEmpty();
    const before = await summary.textContent();
    const slider = widget.getByRole('slider', { name: control?.slider ?? '' }).first();
    // locator.press focuses the slider in the frame and types there, as a keyboard user tabbing in would.
    await slider.press(control?.key ?? 'ArrowRight');
    await expect(summary, `${control?.key} on ${String(control?.slider)} changes the summary${errors.length ? `; errors so far:\n${errors.join('\n')}` : ''}`).not.toHaveText(before ?? '', { timeout: 10_000 });

    // At the declared height, 360 px wide, nothing scrolls inside the frame.
    await page.waitForTimeout(300);
    const size = await frame.evaluate(() => ({
      width: window.innerWidth,
      height: window.innerHeight,
      scrollHeight: Math.ceil(document.documentElement.scrollHeight),
    }));
    expect(size.width).toBe(360);
    expect(size.height).toBe(meta?.embedHeight);
    expect(size.scrollHeight, `content height at 360 px vs the frame's ${size.height}`).toBeLessThanOrEqual(size.height);

    expect(errors).toEqual([]);
  });

  test(`the ${id} embed posts its height to a sandboxing host that listens`, async ({ page }) => {
    await page.setViewportSize({ width: 376, height: 800 });
    const snippet = await shareSnippet(page, id);
    const errors = collectErrors(page);
    const listener = `<script>
      window.heights = [];
      addEventListener('message', (event) => {
        if (event.data && event.data.type === 'margin-pressure:resize') window.heights.push(event.data.height);
      });
    </script>`;
    await openHost(page, id, sandboxed(snippet), listener);
    const { frame, scope } = await embedFrame(page, id);
    await expect(scope.locator('astro-island[ssr]')).toHaveCount(0, { timeout: 10_000 });
    await expect.poll(() => page.evaluate(() => (window as unknown as { heights: number[] }).heights.length), { timeout: 10_000 }).toBeGreaterThan(0);
    const heights = await page.evaluate(() => (window as unknown as { heights: number[] }).heights);
    const content = await frame.evaluate(() => Math.ceil(document.documentElement.scrollHeight));
    expect(heights.every((h) => Number.isInteger(h) && h > 300)).toBe(true);
    // The last message reports the page as it stands (within a pixel of rounding).
    await expect.poll(() => page.evaluate(() => (window as unknown as { heights: number[] }).heights.at(-1))).toBeGreaterThanOrEqual(content - 1);
    expect(errors).toEqual([]);
  });
}
