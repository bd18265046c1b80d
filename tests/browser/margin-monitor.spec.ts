/**
 * The margin ratio monitor: a seeded price path the reader re-rolls, a rule whose outcome the text states,
 * and links that restore the same path.
 */
import { expect, test, type Page } from '@playwright/test';
import { collectErrors, hydrate } from './helpers';

const MONITOR_PATH = '/widgets/margin-monitor/';

async function open(page: Page, query = '') {
  const errors = collectErrors(page);
  await page.goto(`${MONITOR_PATH}${query}`);
  await hydrate(page);
  const monitor = page.locator('section[data-widget="margin-monitor"]');
  return { monitor, errors, summary: monitor.locator('figcaption.summary') };
}

async function shareLink(monitor: import('@playwright/test').Locator): Promise<string> {
  const button = monitor.getByRole('button', { name: 'Share this state' });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  return monitor.getByLabel('Link to this widget in its current state').inputValue();
}

test('the default path loses the position without a rule, and the top-up rule saves it', async ({ page }) => {
  const { monitor, errors, summary } = await open(page);
  await expect(summary).toContainText('Seed 3');
  await expect(summary).toContainText('was liquidated after 4 d 8 h');
  await expect(monitor.locator('.verdict')).toHaveText('The rule saved the position.');
  await expect(monitor.locator('svg[role="img"] path.series').first()).toBeVisible();
  expect(errors).toEqual([]);
});

test('Re-roll changes the path, the summary and the Share link', async ({ page }) => {
  const { monitor, errors, summary } = await open(page);
  const before = await summary.textContent();
  const pathBefore = await monitor.locator('path.series').nth(0).getAttribute('d');
  const linkBefore = await shareLink(monitor);
  expect(linkBefore).toContain('seed=3');
  await monitor.getByRole('button', { name: 'Re-roll' }).click();
  await expect(summary).toContainText('Seed 4');
  expect(await summary.textContent()).not.toBe(before);
  expect(await monitor.locator('path.series').nth(0).getAttribute('d')).not.toBe(pathBefore);
  const linkAfter = await shareLink(monitor);
  expect(linkAfter).toContain('seed=4');
  expect(linkAfter).not.toBe(linkBefore);
  expect(errors).toEqual([]);
});

test('changing the rule changes the outcome text', async ({ page }) => {
  const { monitor, summary } = await open(page);
  await expect(summary).toContainText('Top up 600.00 USDT');
  await monitor.getByRole('radio', { name: 'Do nothing' }).check();
  await expect(summary).not.toContainText('Top up');
  await expect(monitor.locator('.verdict')).toContainText('With no rule the position was liquidated');
  await monitor.getByRole('radio', { name: 'Reduce position' }).check();
  await expect(summary).toContainText('Reduce the position by 50 %');
  // Keyboard: the alert slider moves with the arrow keys and the text follows.
  const alert = monitor.getByRole('slider', { name: /Alert at margin ratio/ });
  await alert.focus();
  await page.keyboard.press('End');
  await expect(summary).toContainText('at a 95 % margin ratio');
});

test('the Share link restores the same state', async ({ page, context }) => {
  const { monitor, summary } = await open(page, '?side=short&lev=25&seed=17&rule=reduce&cut=30&alert=20&vol=4');
  const before = await summary.textContent();
  const link = await shareLink(monitor);
  const other = await context.newPage();
  await other.goto(link);
  await hydrate(other);
  await expect(other.locator('section[data-widget="margin-monitor"] figcaption.summary')).toHaveText(before ?? '');
});

test('hostile parameters are refused with notes and printed as text', async ({ page }) => {
  const { monitor, errors } = await open(page, '?rule=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&seed=%3Cscript%3Ealert(1)%3C%2Fscript%3E&lev=9999');
  const notes = monitor.locator('.notes');
  await expect(notes).toContainText('is not one of');
  await expect(notes).toContainText('is not a number');
  await expect(notes).toContainText('is above the maximum');
  await expect(monitor.locator('script, img')).toHaveCount(0);
  expect(errors).toEqual([]);
});

// ---- A price path drawn by the reader ------------------------------------------------------------------

/** The price chart (the second chart) and a point on its plot, as fractions of its box. */
async function pricePlot(monitor: import('@playwright/test').Locator) {
  const chart = monitor.locator('svg[role="img"]').nth(1);
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  if (!box) throw new Error('price chart has no box');
  return { chart, at: (fx: number, fy: number) => [box.x + box.width * fx, box.y + box.height * fy] as const };
}

test('Draw: dragging the mouse across the price chart draws the path, and the text, chart and link follow', async ({ page }) => {
  const { monitor, errors, summary } = await open(page);
  const priceLine = monitor.locator('svg[role="img"]').nth(1).locator('path.series').first();
  const lineBefore = await priceLine.getAttribute('d');
  const draw = monitor.getByRole('button', { name: 'Draw the path' });
  await expect(draw).toHaveAttribute('aria-pressed', 'false');
  await draw.click();
  await expect(draw).toHaveAttribute('aria-pressed', 'true');
  const { chart, at } = await pricePlot(monitor);
  // Touch scrolling stays with the page except on this chart while drawing.
  expect(await chart.evaluate((el) => getComputedStyle(el).touchAction)).toBe('none');
  expect(await monitor.locator('svg[role="img"]').first().evaluate((el) => getComputedStyle(el).touchAction)).toBe('pan-y');

  // A dive from the top of the plot to its bottom between days ~3 and ~10.
  await page.mouse.move(...at(0.3, 0.3));
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(...at(0.3 + i * 0.04, 0.3 + i * 0.04));
  await page.mouse.up();

  await expect(monitor).toHaveAttribute('data-path', 'drawn');
  await expect(summary).toContainText('A price path drawn by the reader');
  expect(await priceLine.getAttribute('d')).not.toBe(lineBefore);
  await expect(monitor.locator('.seed-value')).toHaveText('Drawn');
  const link = await shareLink(monitor);
  expect(link).toMatch(/[?&]path=1\.[A-Za-z0-9_-]+/);
  expect(errors).toEqual([]);

  // Leaving draw mode gives the chart back to scrubbing (and the page its vertical swipes).
  await draw.click();
  await expect(draw).toHaveAttribute('aria-pressed', 'false');
  expect(await chart.evaluate((el) => getComputedStyle(el).touchAction)).toBe('pan-y');
});

test('Draw: a finger drawing down the price chart draws the whole stroke', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  const { monitor, summary } = await open(page);
  await monitor.getByRole('button', { name: 'Draw the path' }).click();
  const { at } = await pricePlot(monitor);
  const time = monitor.getByRole('slider', { name: /Funding time to draw/ });
  const cdp = await context.newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', point?: readonly [number, number]) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [{ x: point[0], y: point[1] }] : [] });
  // Mostly downward, the stroke a phone would take for a scroll without the chart's touch-action: none
  // (asserted in the mouse test; headless Chromium does not scroll for synthetic touches either way).
  await touch('touchStart', at(0.5, 0.15));
  const first = await time.getAttribute('aria-valuetext');
  for (let i = 1; i <= 8; i++) await touch('touchMove', at(0.5 + i * 0.03, 0.15 + i * 0.08));
  await touch('touchEnd');
  await expect(monitor).toHaveAttribute('data-path', 'drawn');
  await expect(summary).toContainText('A price path drawn by the reader');
  expect(await time.getAttribute('aria-valuetext')).not.toBe(first);
  await context.close();
});

test('Draw by keyboard: pick a funding time, then raise or lower its price with the arrow keys', async ({ page }) => {
  const { monitor, errors, summary } = await open(page);
  const draw = monitor.getByRole('button', { name: 'Draw the path' });
  await draw.focus();
  await page.keyboard.press('Enter');
  await expect(draw).toHaveAttribute('aria-pressed', 'true');

  const time = monitor.getByRole('slider', { name: /Funding time to draw/ });
  await time.focus();
  await page.keyboard.press('Home');
  await expect(time).toHaveAttribute('aria-valuetext', 'After 8 h');
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
  await expect(time).toHaveAttribute('aria-valuetext', 'After 2 d');

  const price = monitor.getByRole('slider', { name: /Price after 2 d/ });
  const output = monitor.locator('output', { hasText: /USDT$/ }).last();
  const before = await output.textContent();
  await price.focus();
  // Down to the bottom of the drawing range: 30,000.0 USDT after two days.
  await page.keyboard.press('Home');
  await expect(output).toHaveText('30,000.0 USDT');
  expect(before).not.toBe('30,000.0 USDT');
  await expect(price).toHaveAttribute('aria-valuetext', '30,000.0 USDT after 2 d');
  await expect(monitor.locator('.inspect-text')).toContainText('After 2 d: 30,000.0 USDT');
  await expect(summary).toContainText('low 30,000.0 after 2 d');
  await expect(summary).toContainText('was liquidated after 2 d');
  // Up by one step of 100 USDT.
  await page.keyboard.press('ArrowUp');
  await expect(output).toHaveText('30,100.0 USDT');
  expect(await shareLink(monitor)).toContain('path=1.');
  expect(errors).toEqual([]);
});

test('a drawn path round-trips through the Share link and the embed, and Back to random walk restores the seed', async ({ page, context }) => {
  const { monitor, summary } = await open(page);
  await monitor.getByRole('button', { name: 'Draw the path' }).click();
  const time = monitor.getByRole('slider', { name: /Funding time to draw/ });
  await time.focus();
  await page.keyboard.press('End');
  const price = monitor.getByRole('slider', { name: /Price after 14 d/ });
  await price.focus();
  await page.keyboard.press('End');
  await expect(summary).toContainText('to 90,000.0 USDT');
  const drawnText = await summary.textContent();
  const link = await shareLink(monitor);
  const path = new URL(link).searchParams.get('path');
  expect(path).toMatch(/^1\.[A-Za-z0-9_-]+$/);

  for (const url of [link, link.replace('/widgets/', '/embed/')]) {
    const other = await context.newPage();
    const errors = collectErrors(other);
    await other.goto(url);
    await hydrate(other);
    const copy = other.locator('section[data-widget="margin-monitor"]');
    await expect(copy).toHaveAttribute('data-path', 'drawn');
    await expect(copy.locator('figcaption.summary')).toHaveText(drawnText ?? '');
    await expect(copy.locator('.notes')).toHaveCount(0);
    expect(errors).toEqual([]);
    await other.close();
  }

  await monitor.getByRole('button', { name: 'Back to random walk' }).click();
  await expect(monitor).toHaveAttribute('data-path', 'random');
  await expect(summary).toContainText('Seed 3');
  expect(await shareLink(monitor)).not.toContain('path=');
});

test('a bad drawn path in a link is explained in the widget, never run, and the random walk is used', async ({ page }) => {
  const { monitor, errors, summary } = await open(page, '?path=1.%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E');
  const notes = monitor.locator('.notes');
  await expect(notes).toContainText('Drawn path "1.<img src=x onerror=ale…" is not a drawn path; using the random walk.');
  await expect(monitor).toHaveAttribute('data-path', 'random');
  await expect(summary).toContainText('Seed 3');
  await expect(monitor.locator('img, script')).toHaveCount(0);
  expect(errors).toEqual([]);

  // A later version's path, a path cut short, and prices beyond the drawing range: each says so.
  await page.goto(`${MONITOR_PATH}?path=2.AAAA`);
  await hydrate(page);
  await expect(monitor.locator('.notes')).toContainText('version "2" of the path format');
  await page.goto(`${MONITOR_PATH}?path=1.AAAA`);
  await hydrate(page);
  await expect(monitor.locator('.notes')).toContainText('has 4 of 42 prices; the last one is held to the end');
  await expect(monitor).toHaveAttribute('data-path', 'drawn');
  // "-_-_-_B": a rise at the first funding time far beyond the range, held to the end.
  await page.goto(`${MONITOR_PATH}?path=1.-_-_-_B${'A'.repeat(41)}`);
  await hydrate(page);
  await expect(monitor.locator('.notes')).toContainText('42 prices were outside 30000 to 90000 USDT and were moved to the nearest limit');
  await expect(monitor.locator('figcaption.summary')).toContainText('high 90,000.0 after 8 h');
});

// ---- Instructor settings and presets --------------------------------------------------------------------

test('an instructor-locked path: the price chart takes no strokes and the drawing controls are off', async ({ page }) => {
  const { monitor, errors, summary } = await open(page, '?preset=steady-slide-outruns-top-ups&lock=path');
  await expect(monitor).toHaveAttribute('data-path', 'drawn');
  await expect(monitor.locator('[data-access-note]')).toContainText('drawn path is fixed');
  await expect(monitor.getByRole('button', { name: 'Draw the path' })).toBeDisabled();
  await expect(monitor.getByRole('button', { name: 'Back to random walk' })).toBeDisabled();
  const before = await summary.textContent();
  expect(before).toContain('from 60,000.0 to 48,000.0 USDT');
  const path = new URL(await shareLink(monitor)).searchParams.get('path');
  expect(path).toMatch(/^1\./);
  const { at } = await pricePlot(monitor);
  await page.mouse.move(...at(0.3, 0.2));
  await page.mouse.down();
  for (let i = 1; i <= 10; i++) await page.mouse.move(...at(0.3 + i * 0.04, 0.2 + i * 0.06));
  await page.mouse.up();
  await expect(summary).toHaveText(before ?? '');
  // The chart still moves the free inspect cursor, which is not part of the link.
  await expect(monitor.getByRole('slider', { name: /Inspect a funding time/ })).not.toHaveAttribute('aria-valuetext', 'After 14 d');
  expect(new URL(await shareLink(monitor)).searchParams.get('path')).toBe(path);
  expect(errors).toEqual([]);
});

test('the Scenario picker loads a preset, and any change by the reader makes the state their own again', async ({ page }) => {
  const { monitor, summary } = await open(page);
  const picker = monitor.getByLabel('Scenario');
  await picker.selectOption('funding-bleeds-a-winning-long');
  await expect(summary).toContainText('was liquidated after 11 d 8 h (funding time 34 of 42) at 61,918.9 USDT');
  await expect(monitor.locator('.notes')).toHaveCount(0);
  await monitor.getByRole('radio', { name: 'Top up margin' }).check();
  await expect(picker).toHaveValue('');
});
