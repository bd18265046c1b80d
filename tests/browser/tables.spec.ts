/**
 * Tables on a phone: a wide table scrolls sideways inside its wrapper, and its caption must stay readable
 * (wrapped within the visible width, not cut off at the screen's edge with the table's overflow).
 */
import { expect, test } from '@playwright/test';
import { sitemapPaths } from './helpers';

const withTables = sitemapPaths().filter((path) => path.startsWith('/learn/') || path.startsWith('/widgets/'));

test.use({ viewport: { width: 375, height: 800 } });

for (const path of withTables) {
  test(`${path}: table captions fit the visible width at 375 px`, async ({ page }) => {
    await page.goto(path);
    const overflowing = await page.locator('.table-wrap caption').evaluateAll((captions) =>
      captions
        .filter((caption) => {
          const wrap = caption.closest('.table-wrap')!.getBoundingClientRect();
          const box = caption.getBoundingClientRect();
          return box.width > 0 && box.right > wrap.right + 1;
        })
        .map((caption) => caption.textContent!.slice(0, 60)),
    );
    expect(overflowing).toEqual([]);
  });
}
