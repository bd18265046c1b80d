/**
 * The tier ladder: a position's size picks its bracket; the bracket caps the leverage; links keep the state.
 */
import { expect, test } from '@playwright/test';
import { LADDER_PATH, collectErrors, hydrate } from './helpers';

async function open(page: import('@playwright/test').Page, query = '') {
  const errors = collectErrors(page);
  await page.goto(`${LADDER_PATH}${query}`);
  await hydrate(page);
  const ladder = page.locator('section[data-widget="tier-ladder"]');
  return { ladder, errors, summary: ladder.locator('figcaption') };
}

test('the size slider walks the position up the brackets, and the summary follows', async ({ page }) => {
  const { ladder, errors, summary } = await open(page);
  await expect(summary).toContainText('bracket 1 of');
  const size = ladder.locator('.size-slider');
  await size.focus();
  for (let i = 0; i < 20; i++) await page.keyboard.press('PageUp');
  await expect(summary).not.toContainText('bracket 1 of');
  await expect(ladder.locator('tr.current')).toHaveCount(1);
  expect(errors).toEqual([]);
});

test('a position too large for the chosen leverage is opened at the bracket maximum, with a note', async ({ page }) => {
  const { ladder } = await open(page, '?venue=binance-usdm-btcusdt-2025-08-19&notional=5000000&lev=120');
  await expect(ladder.locator('.capped')).toContainText("above this bracket's maximum");
  await expect(ladder.getByText('Margin at 50×')).toBeVisible();
});

test('the Share link restores the same state', async ({ page, context }) => {
  const { ladder, summary } = await open(page, '?notional=2500000&side=short&lev=30');
  const before = await summary.textContent();
  await ladder.getByRole('button', { name: 'Share this state' }).click();
  const link = await ladder.getByLabel('Link to this widget in its current state').inputValue();
  const other = await context.newPage();
  await other.goto(link);
  await hydrate(other);
  await expect(other.locator('section[data-widget="tier-ladder"] figcaption')).toHaveText(before ?? '');
});

test('a bad preset falls back to the default table with a note', async ({ page }) => {
  const { ladder } = await open(page, '?venue=%3Cscript%3E&notional=abc');
  await expect(ladder.locator('.notes')).toContainText('is not one of');
  await expect(ladder.locator('.notes')).toContainText('is not a number');
  await expect(ladder.locator('script')).toHaveCount(0);
});

test('with the position value locked, dragging on the chart does not move it; picking a scenario loads it', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  const locked = await open(page, '?lock=notional&notional=100000');
  await expect(locked.ladder.locator('.size-slider')).toBeDisabled();
  const before = await locked.summary.textContent();
  const chart = locked.ladder.locator('.line-chart svg[role="img"]').first();
  const box = (await chart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.9, box.y + box.height / 2, { steps: 5 });
  await page.mouse.up();
  await expect(locked.summary).toHaveText(before ?? '');

  const { ladder, summary } = await open(page);
  const picker = ladder.locator('[data-scenario-picker] select');
  await picker.selectOption('whale-btc-long-ten-million');
  await expect(summary).toContainText('A 10,000,000.00 USDT long');
  await expect(summary).toContainText('bracket 4 of 12');
  await ladder.locator('.size-slider').focus();
  await page.keyboard.press('PageUp');
  await expect(picker).toHaveValue('');
});
