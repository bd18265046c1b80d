/**
 * With JavaScript off, every page still reads: the prose renders, computed numbers are in the HTML, and
 * each widget shows its first figure (chart paths and the text equivalent) as the server rendered it.
 */
import { expect, test } from '@playwright/test';
import { DEFAULTS, EMBED_PATH, EMBED_PATHS, LADDER_PATH, LESSON_PATH, explorer, parts, sitemapPaths } from './helpers';

test.use({ javaScriptEnabled: false });

const pages = [...sitemapPaths(), ...EMBED_PATHS];
/** Pages that carry the margin ratio monitor. */
const withMonitor = new Set(['/widgets/margin-monitor/', '/embed/margin-monitor/', '/learn/margin-ratio-monitoring/']);
/** Pages that carry the cross-vs-isolated widget. */
const withCross = new Set(['/widgets/cross-vs-isolated/', '/embed/cross-vs-isolated/']);
/** Pages that carry the tier ladder. */
const withLadder = new Set([LADDER_PATH, '/embed/tier-ladder/']);
/** Pages that carry the liquidation map and the stability frontier in their default state. */
const withMap = new Set(['/widgets/liquidation-map/', '/embed/liquidation-map/']);
const withFrontier = new Set(['/widgets/stability-frontier/', '/embed/stability-frontier/']);
/** Pages that carry the position explorer. */
const withWidget = new Set([LESSON_PATH, '/widgets/position-explorer/', EMBED_PATH]);

for (const path of pages) {
  test(`${path} renders without JavaScript`, async ({ page }) => {
    const response = await page.goto(path);
    expect(response?.status()).toBe(200);
    expect(await page.evaluate(() => 1).catch(() => 'no js')).toBe(1); // evaluate still works: it is the page's scripts that are off
    await expect(page.locator('html')).not.toHaveClass(/\bjs\b/);
    await expect(page.locator('h1')).not.toBeEmpty();
    const text = (await page.locator('main').innerText()).trim();
    expect(text.length, `main text on ${path}`).toBeGreaterThan(100);

    // Whatever widgets the page carries, each shows a server-rendered chart with real curves and the
    // sentence that says what it shows.
    const widgets = page.locator('section[data-widget]');
    for (const section of await widgets.all()) {
      const kind = await section.getAttribute('data-widget');
      const series = section.locator('svg[role="img"] :is(path.series, path.curve)');
      expect(await series.count(), `${kind} on ${path} draws its curves`).toBeGreaterThan(0);
      for (const d of await series.evaluateAll((ps) => ps.map((p) => p.getAttribute('d') ?? ''))) expect(d.length, `${kind} path`).toBeGreaterThan(10); // a two-point reference line is ~13 characters
      await expect(section.locator('figcaption').first(), `${kind} text equivalent on ${path}`).not.toBeEmpty();
    }
    if (withMonitor.has(path)) {
      const monitor = page.locator('section[data-widget="margin-monitor"]');
      await expect(monitor).toHaveCount(1);
      await expect(monitor.locator('svg[role="img"] path.series')).toHaveCount(7); // ratio: no rule, with rule, alert, 100 %; price: path, 2 liquidation lines
      await expect(monitor.locator('figcaption.summary')).toContainText('Seed 3');
      await expect(monitor.locator('figcaption.summary')).toContainText('was liquidated after 4 d 8 h');
      await expect(monitor.locator('.verdict')).toHaveText('The rule saved the position.');
      return;
    }
    if (withCross.has(path)) {
      const cross = page.locator('section[data-widget="cross-vs-isolated"]');
      await expect(cross).toHaveCount(1);
      await expect(cross).toHaveAttribute('data-isolated', 'open');
      await expect(cross).toHaveAttribute('data-cross', 'open');
      await expect(cross.locator('svg[role="img"] path.series')).toHaveCount(8); // 2 charts × 4 curves
      await expect(cross.locator('.marker-label')).toContainText([/Entry 60,000/, /Isolated liq\. 54,217/, /Cross liq\. 48,434/, /Entry 3,000/, /Isolated liq\. 2,711/, /Cross liq\. 2,422/]);
      await expect(cross.locator('figcaption.summary')).toContainText('BTC at 48,433.73 USDT takes the account down');
      return;
    }
    if (withLadder.has(path)) {
      const ladder = page.locator('section[data-widget="tier-ladder"]');
      await expect(ladder).toHaveCount(1);
      await expect(ladder.locator('svg[role="img"] path.series')).toHaveCount(2);
      await expect(ladder.locator('figcaption')).toContainText('sits in bracket');
      return;
    }
    if (withMap.has(path)) {
      const map = page.locator('section[data-widget="liquidation-map"]');
      await expect(map).toHaveCount(1);
      await expect(map.locator('svg[role="img"] path.series')).toHaveCount(2); // cumulative longs and shorts
      expect(await map.locator('svg[role="img"] rect.column').count()).toBeGreaterThan(40); // bars per 1 % band
      await expect(map.locator('.marker-label')).toContainText(['Now 60,000', 'To 58,000', 'Ends 52,320']);
      await expect(map.locator('figcaption .verdict')).toContainText('the selling they cause carries the price on to 52,320');
      await expect(map.locator('.clusters tbody tr')).toHaveCount(5);
      return;
    }
    if (withFrontier.has(path)) {
      const frontier = page.locator('section[data-widget="stability-frontier"]');
      await expect(frontier).toHaveCount(1);
      await expect(frontier.locator('svg[role="img"] path.series')).toHaveCount(4); // thin, medium, deep and the shock alone
      await expect(frontier.locator('svg[role="img"] circle.point')).toHaveCount(1);
      await expect(frontier.locator('figcaption .verdict')).toContainText('Allowing up to 20× on a medium book');
      await expect(frontier.locator('tbody tr')).toHaveCount(14);
      return;
    }
    if (!withWidget.has(path)) return;
    const widget = explorer(page);
    await expect(widget).toHaveCount(1);
    await expect(widget).toBeVisible();
    await expect(widget).toHaveAttribute('data-zone', 'safe');
    const w = parts(widget);
    await expect(w.chart).toBeVisible();
    const paths = w.chart.locator('path.series');
    await expect(paths).toHaveCount(2);
    for (const d of await paths.evaluateAll((els) => els.map((el) => el.getAttribute('d') ?? ''))) {
      expect(d, 'series path data').toMatch(/^M[\d.,\-eL]+/);
      expect(d.split('L').length, 'a curve, not a point').toBeGreaterThan(10);
    }
    await expect(w.chart.locator('.marker-label')).toContainText([/Entry 60,000/, /Liquidation 54,217/, /Bankruptcy 54,000/]);
    await expect(w.summary).toContainText(DEFAULTS.liquidation);
    await expect(w.summary).toContainText(`at a mark of ${DEFAULTS.mark}`);
    await expect(w.markOutput).toHaveText(DEFAULTS.mark);
    await expect(widget.locator('.stats')).toContainText(`${DEFAULTS.liquidation} USDT`);
    // The Share panel is closed; the theme toggle, which needs a script, is hidden.
    await expect(w.linkField).toBeHidden();
    await expect(page.locator('[data-theme-toggle]')).toBeHidden();
  });
}

test('the lesson carries its engine-computed numbers in the HTML', async ({ page }) => {
  await page.goto(LESSON_PATH);
  const numbers = page.locator('span[data-engine]');
  expect(await numbers.count()).toBeGreaterThan(10);
  // textContent, not innerText: some sit in a closed <details> and are not rendered yet.
  for (const text of await numbers.allTextContents()) expect(text.trim(), 'a [data-engine] span').toMatch(/\d/);
  await expect(page.locator('article')).toContainText(`${DEFAULTS.liquidation} USDT`);
  await expect(page.locator('article')).toContainText(`${DEFAULTS.bankruptcy} USDT`);
  // The leverage table is computed too: a row per leverage, every cell filled.
  const table = page.locator('table[data-engine]');
  await expect(table.locator('tbody tr')).toHaveCount(8);
  for (const cell of await table.locator('tbody td').allInnerTexts()) expect(cell.trim()).not.toBe('');
  // Native disclosure and popovers need no script.
  await page.getByText('Reveal the answer').first().click();
  await expect(page.locator('.predict .answer').first()).toBeVisible();
  const term = page.locator('button.term').first();
  await term.click();
  await expect(page.locator(`[id="${await term.getAttribute('popovertarget')}"]`)).toBeVisible();
});

test('the glossary renders every entry without JavaScript', async ({ page }) => {
  await page.goto('/glossary/');
  const entries = page.locator('section.entry');
  expect(await entries.count()).toBeGreaterThanOrEqual(20);
  for (const short of await entries.locator('p.short').allInnerTexts()) expect(short.trim().length).toBeGreaterThan(20);
  await expect(page.locator('#maintenance-margin')).toContainText('Maintenance margin');
});

test('the home page shows its bar chart of liquidation distances without JavaScript', async ({ page }) => {
  await page.goto('/');
  const chart = page.locator('figure.fall svg[role="img"]');
  await expect(chart).toHaveAttribute('aria-labelledby', /.+/);
  await expect(chart.locator('rect.bar')).toHaveCount(6);
  // The 10× bar and the caption carry the same engine figure as the lesson's table.
  await expect(chart).toContainText('9.64');
  await expect(page.locator('figure.fall figcaption')).toContainText('10× 9.64');
});

test('the lesson typesets its formulas as MathML at build time, with the engine\'s result', async ({ page }) => {
  await page.goto('/learn/margin-pressure/');
  await expect(page.locator('math')).not.toHaveCount(0);
  await expect(page.locator('.math-display math')).toContainText('54,216.87');
  // No maths library is sent to the reader: no script on the page mentions KaTeX.
  const scripts = await page.locator('script').evaluateAll((nodes) => nodes.map((n) => n.textContent ?? '').join(''));
  expect(scripts).not.toContain('katex');
});
