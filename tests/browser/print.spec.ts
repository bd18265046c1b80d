/**
 * A lesson printed as a handout: the figures in their current state and the words, without anything one
 * clicks, on white paper whatever the screen theme, with every link's address written out after it.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { LESSON_PATH, explorer, hydrate } from './helpers';

/** Whether each element is rendered: false when it or an ancestor is display: none. */
async function shown(locator: Locator): Promise<boolean[]> {
  return locator.evaluateAll((elements) => elements.map((el) => el.checkVisibility()));
}

/** What the page prints after a link: the ::after content as the browser computed it. */
async function afterContent(link: Locator): Promise<string> {
  return link.evaluate((el) => getComputedStyle(el, '::after').content);
}

async function openLesson(page: Page): Promise<void> {
  await page.goto(LESSON_PATH);
  await hydrate(page);
}

for (const colorScheme of ['light', 'dark'] as const) {
  test(`a lesson prints without controls, on white, with link addresses (${colorScheme} screen)`, async ({ page }) => {
    await page.emulateMedia({ colorScheme });
    await openLesson(page);
    const widget = explorer(page);
    // CSS selectors, not roles: a hidden element leaves the accessibility tree, and the checks would pass empty.
    const controls = [
      widget.locator('input[type="range"]'),
      widget.locator('button'),
      widget.locator('form.controls'),
      widget.locator('.share'),
      page.locator('.theme-toggle'),
      page.locator('.site-header nav'),
      page.locator('[data-predict] input'),
    ];
    // On screen every one of them shows, so the print checks below can fail.
    for (const control of controls) {
      expect(await control.count()).toBeGreaterThan(0);
      expect((await shown(control)).some(Boolean)).toBe(true);
    }
    const external = page.locator('.references a[href^="http"]').first();
    const internal = page.locator('.lesson p a[href^="/learn/"]').first();
    expect(await afterContent(internal)).toBe('none');

    // A reader who picked the dark theme with the toggle prints on white too.
    if (colorScheme === 'dark') await page.evaluate(() => document.documentElement.setAttribute('data-theme', 'dark'));
    await page.emulateMedia({ media: 'print', colorScheme });
    for (const control of controls) {
      expect(await control.count()).toBeGreaterThan(0);
      expect(new Set(await shown(control)), `${control} on paper`).toEqual(new Set([false]));
    }
    // The figure stays, in its current state, with its text equivalent.
    await expect(widget.locator('svg[role="img"]').first()).toBeVisible();
    await expect(widget.locator('figcaption.summary')).toBeVisible();
    await expect(page.locator('.references')).toBeVisible();
    // On paper the figure keeps to the text column instead of breaking out of it as on a wide screen.
    const column = (await page.locator('.lesson').boundingBox())!;
    const figure = (await widget.boundingBox())!;
    expect(figure.x).toBeGreaterThanOrEqual(column.x - 1);
    expect(figure.x + figure.width).toBeLessThanOrEqual(column.x + column.width + 1);

    const href = await external.getAttribute('href');
    expect(await afterContent(external)).toBe(`" (${href})"`);
    // The site's own links print as written, which is the path under the site's base.
    const path = await internal.getAttribute('href');
    expect(await afterContent(internal)).toBe(`" (${path})"`);

    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(255, 255, 255)');
    expect(await page.evaluate(() => getComputedStyle(document.body).color)).toBe('rgb(27, 27, 31)');
    const widgetBackground = await widget.evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(widgetBackground).toBe('rgb(255, 255, 255)');
  });
}
