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
