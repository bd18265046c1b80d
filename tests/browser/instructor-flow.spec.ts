/**
 * The instructor's path through the site, as the issue defines done: on a phone, someone who has never seen
 * the site finds a widget, configures it, locks the controls and pastes a working embed into a course page.
 * The test walks it with taps only and counts them (a budget, not a timer: speed is never a timed test);
 * then the gallery, the embed builder's link for every scenario preset, and the teacher guides.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { widgetMetas } from '../../src/widgets/meta';
import { collectErrors, hydrate, scenarioFiles } from './helpers';

const coursePage = readFileSync(new URL('./fixtures/course-page.html', import.meta.url), 'utf8');
const scenarios = scenarioFiles();

/** Waits until the builder's preview has reported its height for the current settings. */
async function measured(page: Page): Promise<void> {
  await expect(page.locator('[data-measured]')).toContainText('the code below asks for', { timeout: 15_000 });
}

test.describe('on a phone', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 375, height: 740 } });

  test('home → gallery → builder → preset, lock, compact → copy → a sandboxed course page runs it locked', async ({ page, context }) => {
    const errors = collectErrors(page);
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    let taps = 0;
    const tap = async (locator: ReturnType<Page['locator']>) => {
      await locator.tap();
      taps++;
    };

    await page.goto('/');
    const menu = page.getByRole('button', { name: /menu/i });
    if (await menu.isVisible()) await tap(menu);
    await tap(page.getByRole('navigation').getByRole('link', { name: 'Widgets', exact: true }).first());
    await expect(page).toHaveURL(/\/widgets\/$/);

    const card = page.locator('[data-gallery-card="cascade-simulator"]');
    await card.scrollIntoViewIfNeeded();
    await expect(card.locator('svg').first()).toBeVisible();
    await tap(card.getByRole('link', { name: 'Build an embed' }));
    await expect(page).toHaveURL(/\/widgets\/cascade-simulator\/embed-builder\/$/);
    await hydrate(page);

    const builder = page.locator('[data-builder]');
    const presetSelect = builder.getByLabel('Scenario');
    const firstPreset = await presetSelect.locator('option').nth(1).getAttribute('value');
    await presetSelect.selectOption(firstPreset!);
    taps++;
    await tap(builder.getByRole('button', { name: 'Lock all' }));
    await tap(builder.getByLabel('Compact'));
    await measured(page);
    await tap(page.locator('.dock').getByRole('button', { name: 'Copy embed code' }));
    await expect(page.locator('.dock')).toContainText('copied');
    const code = await page.evaluate(() => navigator.clipboard.readText());
    expect(taps, 'taps from the home page to copied code').toBeLessThanOrEqual(8);
    // Nothing on the way needed sideways scrolling on a 375 px screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    expect(code).toMatch(/^<iframe src="[^"]*\/embed\/cascade-simulator\/\?v=2&amp;preset=/);
    expect(code).toContain('lock=all');
    expect(code).toContain('layout=compact');
    expect(code).toContain('loading="lazy"');
    expect(code).toMatch(/title="Margin Pressure: Cascade simulator \([^"]+\)"/);
    expect(code).toMatch(/<p><a href="[^"]+">Open the cascade simulator on Margin Pressure<\/a><\/p>$/);
    const height = Number(/height="(\d+)"/.exec(code)?.[1]);
    expect(height).toBeGreaterThan(300);

    // The course platform's page, strict sandbox, no script of its own.
    const url = new URL('/course/week-5/', test.info().project.use.baseURL).href;
    await page.route(url, (route) =>
      route.fulfill({ contentType: 'text/html; charset=utf-8', body: coursePage.replace('<!-- EMBED -->', code.replace('<iframe ', '<iframe sandbox="allow-scripts" ')) }),
    );
    await page.goto(url);
    const frame = page.frameLocator('iframe');
    const widget = frame.locator('section[data-widget="cascade-simulator"]');
    await expect(widget).toBeVisible();
    await expect(frame.locator('astro-island[ssr]')).toHaveCount(0, { timeout: 15_000 });
    await expect(widget.locator('[data-access-note]')).toContainText('fixed');
    await expect(widget).toHaveAttribute('data-layout', 'compact');
    const locked = widget.locator('[data-param] input, [data-param] select');
    expect(await locked.count()).toBeGreaterThan(0);
    for (const control of await locked.all()) await expect(control).toBeDisabled();
    await expect(widget.locator('.notes')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
});

test('the gallery shows every widget with a server-rendered figure and its three ways in, without widget JavaScript', async ({ page }) => {
  await page.goto('/widgets/');
  await expect(page.locator('astro-island')).toHaveCount(0);
  for (const meta of widgetMetas) {
    const card = page.locator(`[data-gallery-card="${meta.id}"]`);
    await expect(card.locator(':scope > h3')).toHaveText(meta.title);
    await expect(card.locator('.thumb svg').first()).toBeVisible();
    await expect(card.locator('.thumb input, .thumb select, .thumb button')).toHaveCount(0);
    for (const name of ['Open', 'Teacher guide', 'Build an embed']) {
      const href = await card.getByRole('link', { name, exact: true }).getAttribute('href');
      const response = await page.request.get(href!);
      expect(response.status(), `${meta.id}: ${name} → ${href}`).toBe(200);
    }
  }
});

for (const meta of widgetMetas) {
  const own = scenarios.filter((s) => s.widget === meta.id);
  test(`${meta.id}: every preset round-trips through the builder's link`, async ({ page }) => {
    for (const scenario of own) {
      await page.goto(`/widgets/${meta.id}/embed-builder/?preset=${scenario.id}`);
      await hydrate(page);
      const builder = page.locator('[data-builder]');
      await expect(builder.getByLabel('Scenario')).toHaveValue(scenario.id);
      const link = await builder.locator('[data-builder-link]').inputValue();
      expect(link).toContain(`preset=${scenario.id}`);
      await page.goto(link);
      await hydrate(page);
      const widget = page.locator(`section[data-widget="${meta.id}"]`);
      await expect(widget.locator('.notes'), `${scenario.id} reopened from the builder's link`).toHaveCount(0);
      await expect(widget.locator('[data-scenario-picker] select')).toHaveValue(scenario.id);
    }
  });
}

test('the builder explains a value out of range with the same words as a link, and the code follows the fix', async ({ page }) => {
  await page.goto('/widgets/position-explorer/embed-builder/');
  await hydrate(page);
  const builder = page.locator('[data-builder]');
  const field = builder.locator('[data-field="lev"] input');
  await expect(field).toHaveValue('10');
  await field.fill('500');
  await field.press('Tab');
  await expect(builder.locator('[data-field="lev"] .note')).toContainText('above the maximum');
  await expect(builder.locator('[data-embed-code]')).toHaveValue(/lev=125/);
  await builder.getByLabel('Leverage: the student').selectOption('hide');
  await builder.getByLabel('Dark').check();
  await expect(builder.locator('[data-embed-code]')).toHaveValue(/hide=lev&amp;theme=dark/);
});

test('every teacher guide has goals, a timed activity, three engine-answered questions and the generated tables', async ({ page }) => {
  for (const meta of widgetMetas) {
    await page.goto(`/widgets/${meta.id}/guide/`);
    const main = page.locator('main');
    await expect(main.getByRole('heading', { name: 'Learning goals' })).toBeVisible();
    await expect(main.getByRole('heading', { name: /10-minute activity/ })).toBeVisible();
    expect(await main.locator('[data-predict]').count(), meta.id).toBeGreaterThanOrEqual(3);
    for (const answer of await main.locator('[data-predict]').evaluateAll((els) => els.map((el) => el.getAttribute('data-answer')))) {
      expect(Number.isFinite(Number(answer)), `${meta.id}: answer ${answer}`).toBe(true);
    }
    await expect(main.locator('#parameters ~ .table-wrap table').first().locator('tbody tr').first()).toBeVisible();
    await expect(main.getByRole('heading', { name: 'Scenario presets' })).toBeVisible();
  }
});
