/**
 * The liquidation map: the reader drags the price (mouse, finger or keyboard) and the text says what the map
 * shows up to there and where the cascade really ends; links and embeds restore the state; bad links are
 * explained; a market that cannot exist says why instead of drawing.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, hydrate, priceOf } from './helpers';

const MAP_PATH = '/widgets/liquidation-map/';
const FIRST_VERDICT =
  'The map says 735,962 USDT of longs sit between 60,000 and 58,000; the selling they cause carries the price on to 52,320, liquidating 3.46 million USDT in all, 4.7 times what the map shows up to 58,000.';

async function open(page: Page, query = '', path = MAP_PATH) {
  const errors = collectErrors(page);
  await page.goto(`${path}${query}`);
  await hydrate(page);
  const map = page.locator('section[data-widget="liquidation-map"]');
  return {
    map,
    errors,
    verdict: map.locator('figcaption .verdict'),
    slider: map.getByRole('slider', { name: /^Price/ }),
    output: map.locator('.price-control output'),
    chart: map.locator('svg[role="img"]').first(),
  };
}

async function shareLink(map: Locator): Promise<string> {
  const button = map.getByRole('button', { name: 'Share this state' });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  return map.getByLabel('Link to this widget in its current state').inputValue();
}

/** The x of the draggable line in page pixels, from the chart's "To …" marker. */
async function plotPoint(chart: Locator, fx: number) {
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  if (!box) throw new Error('chart has no box');
  return [box.x + box.width * fx, box.y + box.height * 0.6] as const;
}

test('the first figure: the map says one thing, the cascade carries the price much further', async ({ page }) => {
  const { map, errors, verdict, output } = await open(page);
  await expect(verdict).toHaveText(FIRST_VERDICT);
  await expect(output).toHaveText('58,000 USDT, 3.33\u202f% below 60,000');
  await expect(map.locator('.marker-label')).toContainText(['Now 60,000', 'To 58,000', 'Ends 52,320']);
  await expect(map.locator('.stats')).toContainText('52,320 (−12.80\u202f%, 10 rounds)');
  await expect(map.locator('.clusters tbody tr')).toHaveCount(5);
  expect(await map.innerText()).not.toMatch(/NaN|Infinity|undefined/);
  expect(errors).toEqual([]);
});

test('dragging the line with a mouse moves the price; the text, markers and link follow', async ({ page }) => {
  const { map, errors, verdict, output, chart } = await open(page);
  // Vertical swipes scroll the page on touch screens; horizontal drags move the line.
  expect(await chart.evaluate((el) => getComputedStyle(el).touchAction)).toBe('pan-y');
  await page.mouse.move(...(await plotPoint(chart, 0.5)));
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(...(await plotPoint(chart, 0.5 + i * 0.04)));
  await page.mouse.up();
  const price = priceOf(await output.textContent());
  expect(price).toBeGreaterThan(62000);
  await expect(map).toHaveAttribute('data-state', 'up');
  await expect(verdict).toContainText('of shorts sit between 60,000 and');
  await expect(verdict).toContainText('the buying they cause carries the price on to');
  await expect(map.locator('.marker-label', { hasText: /^To / })).toHaveText(`To ${price.toLocaleString('en-US')}`);
  expect(await shareLink(map)).toContain(`p=${price}`);
  expect(errors).toEqual([]);
});

test('a finger dragging across the map moves the price', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  const { output, chart, verdict } = await open(page);
  const cdp = await context.newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', point?: readonly [number, number]) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [{ x: point[0], y: point[1] }] : [] });
  await touch('touchStart', await plotPoint(chart, 0.55));
  for (let i = 1; i <= 6; i++) await touch('touchMove', await plotPoint(chart, 0.55 - i * 0.05));
  await touch('touchEnd');
  expect(priceOf(await output.textContent())).toBeLessThan(55000);
  await expect(verdict).toContainText('of longs sit between 60,000 and');
  await context.close();
});

test('the keyboard moves the price with the labelled slider', async ({ page }) => {
  const { map, verdict, slider, output } = await open(page);
  await slider.focus();
  await page.keyboard.press('End');
  await expect(output).toHaveText('78,000 USDT, 30.00\u202f% above 60,000');
  await expect(slider).toHaveAttribute('aria-valuetext', '78,000 USDT, 30.00\u202f% above 60,000');
  await page.keyboard.press('Home');
  await page.keyboard.press('ArrowRight');
  await expect(output).toHaveText('42,100 USDT, 29.83\u202f% below 60,000');
  await expect(verdict).toContainText('sit between 60,000 and 42,100');
  // Back to the price itself: nothing moves, and the text says how to use the map.
  for (let i = 0; i < 179; i++) await page.keyboard.press('ArrowRight');
  await expect(output).toHaveText('60,000 USDT, unchanged');
  await expect(map).toHaveAttribute('data-state', 'none');
  await expect(verdict).toContainText('drag the price line down into the longs or up into the shorts');
});

test('a deeper book stops the same fall sooner; a new seed draws other traders', async ({ page }) => {
  const { map, verdict } = await open(page);
  const depth = map.getByRole('slider', { name: /^Depth within 1/ });
  await depth.focus();
  await page.keyboard.press('End');
  await expect(map.locator('label[for$="-depth"] output')).toHaveText('5.00 million USDT');
  const deep = priceOf(/carries the price on to ([\d,]+)/.exec((await verdict.textContent()) ?? '')?.[1] ?? null);
  expect(deep).toBeGreaterThan(52320);
  expect(deep).toBeLessThan(58000);
  const summary = map.locator('figcaption .summary');
  const before = await summary.textContent();
  await map.getByRole('button', { name: 'Re-roll' }).click();
  await expect(summary).toContainText('(seed 2)');
  expect(await summary.textContent()).not.toBe(before);
});

test('the state round-trips through the Share link and the embed', async ({ page, context }) => {
  const query = '?p=63000&depth=800000&book=sqrt&mix=high&long=60&n=2000&seed=7';
  const { map, verdict } = await open(page, query);
  await expect(map.getByLabel('Leverage mix')).toHaveValue('high');
  const text = await verdict.textContent();
  const summary = await map.locator('figcaption .summary').textContent();
  expect(text).toContain('between 60,000 and 63,000');
  const link = await shareLink(map);
  const params = new URL(link).searchParams;
  expect(Object.fromEntries(params)).toEqual({ v: '2', p: '63000', depth: '800000', book: 'sqrt', mix: 'high', long: '60', n: '2000', seed: '7' });
  const code = await map.getByLabel('Embed code for a course page (no script needed)').inputValue();
  expect(code).toMatch(/<iframe src="[^"]*\/embed\/liquidation-map\/\?v=2&amp;p=63000/);
  for (const url of [link, link.replace('/widgets/', '/embed/')]) {
    const other = await context.newPage();
    const { map: copy, verdict: copyVerdict, errors } = await open(other, '', url);
    await expect(copyVerdict).toHaveText(text ?? '');
    await expect(copy.locator('figcaption .summary')).toHaveText(summary ?? '');
    await expect(copy.locator('.notes')).toHaveCount(0);
    expect(errors).toEqual([]);
    await other.close();
  }
});

test('bad values in a link are explained, and markup is shown as text', async ({ page }) => {
  const { map, errors, output } = await open(page, '?p=999999&depth=plenty&mix=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&v=3');
  const notes = map.locator('.notes');
  await expect(notes).toContainText('Price 999999 is above the maximum 78000 USDT; using 78000.');
  await expect(notes).toContainText('Depth "plenty" is not a number; using 400000 USDT.');
  await expect(notes).toContainText('Leverage mix "<img src=x onerror=alert…" is not one of low, mixed, high; using mixed.');
  await expect(notes).toContainText('version "3"');
  await expect(map.locator('img, script')).toHaveCount(0);
  await expect(output).toHaveText('78,000 USDT, 30.00\u202f% above 60,000');
  expect(errors).toEqual([]);
});

test('zero positions or zero depth make no market: the widget says why and draws nothing', async ({ page }) => {
  const { map, errors } = await open(page, '?n=0');
  await expect(map).toHaveAttribute('data-state', 'error');
  await expect(map.getByRole('alert')).toHaveText('No market to map. Positions must be at least 1, got 0: a market with no positions has nothing to liquidate.');
  await expect(map.locator('svg[role="img"]')).toHaveCount(0);
  // The reader fixes it with the controls, and the map comes back.
  const positions = map.getByRole('slider', { name: /^Positions/ });
  await positions.focus();
  await page.keyboard.press('ArrowRight');
  await expect(map).toHaveAttribute('data-state', 'down');
  await expect(map.locator('svg[role="img"]').first()).toBeVisible();

  await page.goto(`${MAP_PATH}?depth=0`);
  await hydrate(page);
  await expect(map.getByRole('alert')).toHaveText('No market to map. Depth must be greater than 0, got 0: a book with zero depth makes no market.');
  expect(await map.innerText()).not.toMatch(/NaN|Infinity|undefined/);
  expect(errors).toEqual([]);
});

test('an instructor-locked price: dragging the map moves nothing, and the slider is fixed', async ({ page }) => {
  const { map, errors, verdict, slider, chart } = await open(page, '?preset=same-dip-deep-book&lock=p', '/embed/liquidation-map/');
  await expect(map.locator('[data-access-note]')).toContainText('price is fixed');
  await expect(slider).toBeDisabled();
  const before = await verdict.textContent();
  expect(before).toContain('between 60,000 and 58,200');
  await page.mouse.move(...(await plotPoint(chart, 0.5)));
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(...(await plotPoint(chart, 0.5 + i * 0.04)));
  await page.mouse.up();
  await expect(map.locator('.marker-label', { hasText: /^To / })).toHaveText('To 58,200');
  await expect(verdict).toHaveText(before ?? '');
  // The rest stays the reader's: the book's depth still moves the cascade.
  const depth = map.getByRole('slider', { name: /^Depth within 1/ });
  await depth.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(verdict).toContainText('between 60,000 and 58,200');
  await expect(verdict).not.toHaveText(before ?? '');
  expect(errors).toEqual([]);
});

test('the Scenario picker loads a preset, and any change by the reader makes the state their own again', async ({ page }) => {
  const { map, verdict } = await open(page);
  const picker = map.getByLabel('Scenario');
  await picker.selectOption('crowded-shorts-squeeze');
  await expect(verdict).toContainText('carries the price on to 86,230');
  await expect(map.getByLabel('Leverage mix')).toHaveValue('high');
  await map.getByRole('radio', { name: 'Square-root impact' }).check();
  await expect(picker).toHaveValue('');
});
