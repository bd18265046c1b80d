/**
 * Cross vs isolated: the BTC mark moves by keyboard and by dragging on the chart; between the two
 * liquidation prices isolated BTC is gone while cross survives, past the cross one both are; links keep
 * the state; hostile link values are shown as text.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, hydrate, priceOf } from './helpers';

const PATH = '/widgets/cross-vs-isolated/';

async function open(page: Page, query = '') {
  const errors = collectErrors(page);
  await page.goto(`${PATH}${query}`);
  await hydrate(page);
  const widget = page.locator('section[data-widget="cross-vs-isolated"]');
  return {
    widget,
    errors,
    summary: widget.locator('figcaption.summary'),
    btcSlider: widget.getByRole('slider', { name: 'BTC mark price' }),
    btcOutput: widget.locator('label', { hasText: 'BTC mark price' }).locator('output'),
    btcChart: widget.locator('.line-chart svg[role="img"]').first(),
  };
}

/** Drags the BTC chart's cursor from the entry price to `price` (the chart's x scale: plot margins 64 px and 20 px). */
async function dragTo(page: Page, chart: Locator, from: number, to: number) {
  const box = await chart.boundingBox();
  if (!box) throw new Error('chart not laid out');
  const [low, high] = [Number(await chart.evaluate((el) => el.closest('figure')?.querySelector('input.btc')?.getAttribute('min'))), Number(await chart.evaluate((el) => el.closest('figure')?.querySelector('input.btc')?.getAttribute('max')))];
  const xOf = (price: number) => box.x + 64 + ((price - low) / (high - low)) * (box.width - 64 - 20);
  const y = box.y + box.height / 2;
  await page.mouse.move(xOf(from), y);
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(xOf(from + ((to - from) * i) / 8), y);
  await page.mouse.up();
}

test('the keyboard moves the BTC mark, and the summary follows', async ({ page }) => {
  const { widget, errors, summary, btcSlider, btcOutput } = await open(page);
  await expect(btcOutput).toHaveText('60,000.00 USDT');
  const before = await summary.textContent();
  await btcSlider.focus();
  for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
  await expect(btcOutput).toHaveText('59,500.00 USDT');
  await expect(summary).toContainText('BTC at 59,500.00 USDT');
  expect(await summary.textContent()).not.toBe(before);
  await expect(btcSlider).toHaveAttribute('aria-valuetext', /59,500\.00 USDT; isolated open, cross open/);
  await expect(widget).toHaveAttribute('data-cross', 'open');
  expect(errors).toEqual([]);
});

test('dragging past the isolated liquidation price liquidates isolated only; past the cross one, both', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const { widget, errors, summary, btcChart, btcOutput } = await open(page);
  await btcChart.scrollIntoViewIfNeeded();
  await expect(btcChart.locator('.marker-label')).toContainText([/Entry 60,000/, /Isolated liq\. 54,217/, /Cross liq\. 48,434/]);

  // Between the two: 54,217 > 51,000 > 48,434.
  await dragTo(page, btcChart, 60000, 51000);
  const mark = priceOf(await btcOutput.textContent());
  expect(mark).toBeLessThan(54216.87);
  expect(mark).toBeGreaterThan(48433.73);
  await expect(widget).toHaveAttribute('data-isolated', 'btc');
  await expect(widget).toHaveAttribute('data-cross', 'open');
  await expect(summary).toContainText('Cross has survived where isolated has not');
  await expect(widget.locator('tr', { hasText: 'Lost to liquidation' })).toContainText('1,000.00');

  // Past the cross liquidation price: the whole account goes.
  await dragTo(page, btcChart, mark, 45000);
  expect(priceOf(await btcOutput.textContent())).toBeLessThan(48433.73);
  await expect(widget).toHaveAttribute('data-cross', 'liquidated');
  await expect(summary).toContainText('the whole 2,000.00 USDT wallet is lost');
  await expect(widget.locator('tr', { hasText: 'Lost to liquidation' })).toContainText('2,000.00');

  // Liquidation is sticky; Reset prices reopens both modes.
  await dragTo(page, btcChart, 45000, 60000);
  await expect(widget).toHaveAttribute('data-cross', 'liquidated');
  await widget.getByRole('button', { name: 'Reset prices' }).click();
  await expect(widget).toHaveAttribute('data-cross', 'open');
  await expect(widget).toHaveAttribute('data-isolated', 'open');
  expect(errors).toEqual([]);
});

test('the Share link restores the same state', async ({ page, context }) => {
  const { widget, summary } = await open(page, '?bs=short&es=long&lev=20&bm=62000&em=2950');
  await expect(summary).toContainText('20× short BTCUSDT and 20× long ETHUSDT');
  const before = await summary.textContent();
  await widget.getByRole('button', { name: 'Share this state' }).click();
  const link = await widget.getByLabel('Link to this widget in its current state').inputValue();
  expect(link).toContain('v=2');
  const other = await context.newPage();
  await other.goto(link);
  await hydrate(other);
  await expect(other.locator('section[data-widget="cross-vs-isolated"] figcaption.summary')).toHaveText(before ?? '');
  const embed = await widget.getByLabel('Embed code for a course page (no script needed)').inputValue();
  expect(embed).toContain('/embed/cross-vs-isolated/?');
});

test('hostile and bad parameters are quoted as text, with notes', async ({ page }) => {
  const { widget, errors } = await open(page, '?bs=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&es=%3Cscript%3E&lev=abc&bm=1');
  const notes = widget.locator('.notes[role="status"]');
  await expect(notes).toContainText('BTC side "<img src=x onerror=alert…" is not one of long, short');
  await expect(notes).toContainText('Leverage "abc" is not a number');
  await expect(notes).toContainText("BTC mark price 1 is outside this chart's window");
  await expect(widget.locator('img, script')).toHaveCount(0);
  expect(errors).toEqual([]);
});

test('a wallet too small for both initial margins is refused with the engine\u2019s message, by link and by typing', async ({ page }) => {
  const { widget, errors, summary } = await open(page, '?wallet=1500');
  const notes = widget.locator('.notes[role="status"]');
  await expect(notes).toContainText('This cross account cannot be opened: ETHUSDT position: initial margin 1,000');
  await expect(notes).toContainText('exceeds the wallet balance 500');
  await expect(notes).toContainText('Showing a 2,000 USDT wallet instead.');
  // The widget still works, on the default wallet.
  await expect(summary).toContainText('one 2,000.00 USDT wallet backs both');
  const wallet = widget.getByRole('textbox', { name: 'Cross wallet (USDT)' });
  await expect(wallet).toHaveValue('1500');
  await expect(wallet).toHaveAttribute('aria-invalid', 'true');

  // Correcting it by keyboard clears the refusal; a larger wallet keeps the excess aside in isolated mode.
  await wallet.fill('3000');
  await wallet.press('Enter');
  await wallet.blur();
  await expect(notes).toHaveCount(0);
  await expect(summary).toContainText('one 3,000.00 USDT wallet backs both');
  await expect(widget.locator('.readout')).toContainText('Isolated keeps the other 1,000.00 USDT of the wallet aside');
  await wallet.fill('999');
  await wallet.blur();
  await expect(notes).toContainText('This cross account cannot be opened: BTCUSDT position: initial margin 1,000');
  expect(errors).toEqual([]);
});

test('the readout\u2019s Left row lines up: the isolated total is right-aligned with the isolated ETH column', async ({ page }) => {
  const { widget } = await open(page, '?bm=50000');
  const table = widget.locator('.readout table');
  const joined = table.locator('td.joined');
  await expect(joined).toContainText('1,000.00');
  expect(await joined.evaluate((el) => getComputedStyle(el).textAlign)).toBe('right');
  const ethCell = table.locator('tbody tr').nth(2).locator('td').nth(1);
  const [joinedBox, ethBox] = [await joined.boundingBox(), await ethCell.boundingBox()];
  expect(Math.abs(joinedBox!.x + joinedBox!.width - (ethBox!.x + ethBox!.width))).toBeLessThan(1);
  // The total's digits end where the ETH column's digits end.
  const textRight = (cell: Locator) =>
    cell.evaluate((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      return range.getBoundingClientRect().right;
    });
  expect(Math.abs((await textRight(joined)) - (await textRight(ethCell)))).toBeLessThan(1.5);
});

test('with the BTC mark locked, dragging its chart does not move it; the ETH mark still moves', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const { widget, btcChart, btcOutput, btcSlider } = await open(page, '?lock=bm');
  await expect(btcSlider).toBeDisabled();
  await btcChart.scrollIntoViewIfNeeded();
  await dragTo(page, btcChart, 60000, 51000);
  await expect(btcOutput).toHaveText('60,000.00 USDT');
  await expect(widget).toHaveAttribute('data-isolated', 'open');
  const eth = widget.getByRole('slider', { name: 'ETH mark price' });
  await expect(eth).toBeEnabled();
  await eth.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(widget.locator('label', { hasText: 'ETH mark price' }).locator('output')).not.toHaveText('3,000.00 USDT');
});
