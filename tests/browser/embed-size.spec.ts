/**
 * The embed code gives the iframe a fixed height (no resize script on course pages), so the /embed/ page
 * must fit in it at every width from 360 px up. Prints the measured heights to tune embedHeight in
 * src/widgets/registry.ts. Also: no horizontal scrolling on phones.
 */
import { expect, test, type Page } from '@playwright/test';
import { EMBED_PATH, explorer, hydrate, parts, sitemapPaths } from './helpers';

const widths = [360, 480, 768, 1024];

/** The height the widget's own Share snippet gives the iframe. */
async function snippetHeight(page: Page): Promise<number> {
  const code = await parts(explorer(page)).embedField.inputValue();
  const match = /<iframe[^>]*\sheight="(\d+)"/.exec(code);
  if (!match?.[1]) throw new Error(`no height="…" in the embed code:\n${code}`);
  return Number(match[1]);
}

const scrollHeight = (page: Page) => page.evaluate(() => Math.ceil(document.documentElement.scrollHeight));

for (const width of widths) {
  test(`the embed fits its iframe height at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 600 });
    await page.goto(EMBED_PATH);
    await hydrate(page);
    const widget = explorer(page);
    await expect(widget).toHaveAttribute('data-zone', 'safe');
    const allowed = await snippetHeight(page);
    const measured = await scrollHeight(page);

    // The tallest states a reader reaches without opening Share: liquidated, and with a settings note.
    const w = parts(widget);
    await w.markSlider.focus();
    await page.keyboard.press('Home');
    await expect(widget).toHaveAttribute('data-zone', 'liquidated');
    const liquidated = await scrollHeight(page);
    await page.goto(`${EMBED_PATH}?lev=500`);
    await hydrate(page);
    await expect(parts(explorer(page)).notes).toBeVisible();
    const withNote = await scrollHeight(page);

    console.log(`embed at ${width} px: ${measured} px (liquidated ${liquidated} px, with a note ${withNote} px); embedHeight ${allowed} px`);
    test.info().annotations.push({ type: 'embed height', description: `${width} px wide: ${measured} px (liquidated ${liquidated}, note ${withNote}), allowed ${allowed}` });
    expect(measured, `embed page height at ${width} px`).toBeLessThanOrEqual(allowed);
  });
}

async function expectNoHorizontalOverflow(page: Page, what: string): Promise<void> {
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

test('the embed does not scroll sideways at 360 px', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 600 });
  await page.goto(EMBED_PATH);
  await hydrate(page);
  await expectNoHorizontalOverflow(page, 'embed at 360 px');
  await parts(explorer(page)).shareButton.click();
  await expectNoHorizontalOverflow(page, 'embed at 360 px with Share open');
});

for (const path of sitemapPaths()) {
  test(`${path} does not scroll sideways at 375 px`, async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 700 });
    await page.goto(path);
    await hydrate(page);
    await expectNoHorizontalOverflow(page, `${path} at 375 px`);
  });
}
