/**
 * axe-core on every page (and the embeds) in the light scheme at 375 px, where the page must also not scroll
 * sideways, and in the dark scheme at desktop width, after the widgets have
 * hydrated, plus extra states: the explorer with the Share panel open and liquidated, the margin monitor
 * drawing a path. All of axe's default rules (WCAG 2.x A/AA and best practices) must pass.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { EMBED_PATHS, WIDGET_PATH, auditPaths, expectNoHorizontalOverflow, explorer, hydrate, parts } from './helpers';

const pages = [...auditPaths(), ...EMBED_PATHS];
const schemes = ['light', 'dark'] as const;

async function expectNoViolations(page: Page, what: string): Promise<void> {
  // Guard against a vacuous pass: the emulated scheme must have reached the page's CSS.
  const wanted = what.includes('(dark)') ? 'dark' : 'light';
  // The palette uses light-dark(), so check the colour it resolved to: a dark page has a dark background.
  const brightness = await page.evaluate(() => {
    const [r = 0, g = 0, b = 0] = (getComputedStyle(document.body).backgroundColor.match(/\d+/g) ?? []).map(Number);
    return (r * 299 + g * 587 + b * 114) / 1000;
  });
  expect(brightness > 128 ? 'light' : 'dark', `background brightness ${brightness} on ${what}`).toBe(wanted);
  const results = await new AxeBuilder({ page }).analyze();
  const report = results.violations
    .map((v) =>
      [
        `${v.id} (${v.impact ?? 'n/a'}): ${v.help}`,
        ...v.nodes.map((n) => `    at ${n.target.join(' ')}\n      ${n.failureSummary?.replace(/\n/g, '\n      ') ?? ''}`),
      ].join('\n'),
    )
    .join('\n');
  expect(results.violations, `axe violations on ${what}:\n${report}`).toEqual([]);
}

for (const scheme of schemes) {
  test.describe(`${scheme} scheme`, () => {
    test.beforeEach(async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
    });

    for (const path of pages) {
      // Light at a phone's width (where the page must not scroll sideways either), dark at a desktop's.
      const narrow = scheme === 'light';
      test(`${path} has no axe violations${narrow ? ' and does not scroll sideways at 375 px' : ''}`, async ({ page }) => {
        if (narrow) await page.setViewportSize({ width: 375, height: 700 });
        await page.goto(path);
        await hydrate(page);
        if (narrow) await expectNoHorizontalOverflow(page, `${path} at 375 px`);
        await expectNoViolations(page, `${path} (${scheme})`);
      });
    }

    test('widget page with the Share panel open has no axe violations', async ({ page }) => {
      await page.goto(WIDGET_PATH);
      await hydrate(page);
      const w = parts(explorer(page));
      await w.shareButton.click();
      await expect(w.shareButton).toHaveAttribute('aria-expanded', 'true');
      await expect(w.embedField).toBeVisible();
      await expectNoViolations(page, `${WIDGET_PATH} with Share open (${scheme})`);
    });

    test('widget page in the liquidated state has no axe violations', async ({ page }) => {
      await page.goto(`${WIDGET_PATH}?mark=50000`);
      await hydrate(page);
      const widget = explorer(page);
      await expect(widget).toHaveAttribute('data-zone', 'liquidated');
      await expect(parts(widget).alert).toBeVisible();
      await expectNoViolations(page, `${WIDGET_PATH} liquidated (${scheme})`);
    });

    test('margin monitor drawing a path (draw mode, a drawn path, the volatility slider disabled) has no axe violations', async ({ page }) => {
      await page.goto('/widgets/margin-monitor/');
      await hydrate(page);
      const monitor = page.locator('section[data-widget="margin-monitor"]');
      await monitor.getByRole('button', { name: 'Draw the path' }).click();
      await expect(monitor).toHaveAttribute('data-path', 'drawn');
      await expect(monitor.getByRole('slider', { name: /^Price after/ })).toBeVisible();
      await expectNoViolations(page, `/widgets/margin-monitor/ drawing (${scheme})`);
    });
  });
}
