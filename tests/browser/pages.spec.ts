/**
 * Every page loads, has a title and an h1, and logs no errors once its widgets have hydrated. Nothing is
 * ignored: the site loads no third-party scripts, fonts or analytics, so any console error is ours.
 */
import { expect, test } from '@playwright/test';
import { EMBED_PATH, collectErrors, hydrate, sitemapPaths } from './helpers';

const pages = [...sitemapPaths(), EMBED_PATH, '/404.html'];

test('the sitemap lists the five public pages and no embed', () => {
  const paths = sitemapPaths();
  expect(paths.sort()).toEqual(['/', '/glossary/', '/learn/margin-pressure/', '/widgets/', '/widgets/position-explorer/']);
});

for (const path of pages) {
  test(`${path} loads without errors and has a title and an h1`, async ({ page }) => {
    const errors = collectErrors(page);
    const response = await page.goto(path);
    expect(response?.status(), `HTTP status of ${path}`).toBe(200);
    await hydrate(page);
    // Let effects and any late errors settle after hydration.
    await page.waitForLoadState('networkidle');
    await expect(page.locator('h1')).toHaveCount(1);
    await expect(page.locator('h1')).not.toBeEmpty();
    expect((await page.title()).trim(), `<title> of ${path}`).not.toBe('');
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(errors, `errors on ${path}:\n${errors.join('\n')}`).toEqual([]);
  });
}

test('an unknown address answers 404 with the site\'s not-found page', async ({ page }) => {
  const response = await page.goto('/no-such-page/');
  expect(response?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('Page not found');
});

test('glossary terms in the lesson open a popover with the short definition', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/learn/margin-pressure/');
  const term = page.locator('button.term', { hasText: 'maintenance margin' }).first();
  const popoverId = await term.getAttribute('popovertarget');
  expect(popoverId).toBeTruthy();
  const popover = page.locator(`[id="${popoverId}"]`);
  await expect(popover).toBeHidden();
  await term.click();
  await expect(popover).toBeVisible();
  await expect(popover).toContainText('Maintenance margin.');
  await expect(popover.getByRole('link', { name: 'Full entry' })).toHaveAttribute('href', '/glossary/#maintenance-margin');
  await page.keyboard.press('Escape');
  await expect(popover).toBeHidden();
  expect(errors).toEqual([]);
});
