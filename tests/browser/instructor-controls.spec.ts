/**
 * What an instructor sets around a widget, for every widget, on its /embed/ page: `lock`, `hide` and
 * `layout` from the link (parsed in src/widgets/shared/embed-options.ts), and named scenario presets
 * (`?preset=`, content/scenarios/). Generic on purpose: a control that a widget adds later and forgets to
 * tie to its parameter (data-param="key", disabled when locked) fails here without a new test.
 *
 * Controls that are not part of the state a link carries (playback, the Share fields, a guess box) are
 * marked `data-free` and stay usable.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { EMBED_PATHS, collectErrors, hydrate, scenarioFiles } from './helpers';

const idOf = (path: string) => /^\/embed\/([^/]+)\/$/.exec(path)?.[1] ?? '';

const scenarios = scenarioFiles();

async function open(page: Page, id: string, query: string): Promise<Locator> {
  await page.goto(`/embed/${id}/${query}`);
  await hydrate(page);
  return page.locator(`section[data-widget="${id}"]`);
}

/** Visible, enabled form controls a student could change, outside Share and other free controls. */
async function changeable(widget: Locator): Promise<string[]> {
  return widget.evaluate((root) => {
    const out: string[] = [];
    for (const el of root.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')) {
      if (el.matches(':disabled') || el.closest('[data-free], .share')) continue;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 && box.height === 0 && el.type !== 'radio') continue;
      if (style.visibility === 'hidden' || el.closest('[hidden]')) continue;
      const label = el.labels?.[0]?.textContent?.trim() ?? el.getAttribute('aria-label') ?? el.id;
      out.push(`${el.tagName.toLowerCase()}[${label}]`);
    }
    return out;
  });
}

for (const path of EMBED_PATHS) {
  const id = idOf(path);
  test.describe(id, () => {
    test('lock=all: every setting is fixed and the widget says so; playback and Share still work', async ({ page }) => {
      const errors = collectErrors(page);
      const widget = await open(page, id, '?lock=all');
      expect(await changeable(widget), 'controls left changeable under lock=all').toEqual([]);
      await expect(widget.locator('[data-access-note]')).toContainText('fixed');
      await expect(widget.locator('[data-scenario-picker]')).toHaveCount(0);
      expect(await widget.locator('[data-param]').count(), 'locked controls stay visible').toBeGreaterThan(0);
      expect(errors).toEqual([]);
    });

    test('hide=all: no setting is shown, the figure and its text equivalent are; bad options are explained, not obeyed', async ({ page }) => {
      const errors = collectErrors(page);
      const widget = await open(page, id, '?hide=all&lock=nosuchkey,%3Cimg%20src%3Dx%3E&theme=neon&layout=tiny');
      await expect(widget.locator('[data-param]:visible')).toHaveCount(0);
      expect(await changeable(widget)).toEqual([]);
      await expect(widget.locator('[data-access-note]')).toContainText('hidden');
      await expect(widget.locator('svg').first()).toBeVisible();
      const notes = widget.locator('.notes');
      await expect(notes).toContainText('no setting called');
      await expect(notes).toContainText('Theme');
      await expect(notes).toContainText('Layout');
      await expect(widget.locator('img[src="x"]')).toHaveCount(0);
      expect(errors).toEqual([]);
    });

    test('lock one setting: only its control is fixed', async ({ page }) => {
      const free = await open(page, id, '');
      const keys = await free.locator('[data-param]').evaluateAll((els) => els.map((el) => el.getAttribute('data-param') ?? ''));
      const key = keys[0]!.split(' ')[0]!;
      const before = (await changeable(free)).length;
      const widget = await open(page, id, `?lock=${key}`);
      const controls = widget.locator(`[data-param~="${key}"]`).first().locator('input, select, textarea');
      const n = await controls.count();
      expect(n, `[data-param~="${key}"] holds a form control`).toBeGreaterThan(0);
      for (let i = 0; i < n; i++) await expect(controls.nth(i)).toBeDisabled();
      const after = (await changeable(widget)).length;
      expect(after).toBeLessThan(before);
      expect(after).toBeGreaterThan(0);
    });

    test('layout=compact is shorter than full; layout=figure shows the figure alone', async ({ page }) => {
      await page.setViewportSize({ width: 400, height: 800 });
      await open(page, id, '');
      const full = await page.evaluate(() => document.documentElement.scrollHeight);
      await open(page, id, '?layout=compact');
      const compact = await page.evaluate(() => document.documentElement.scrollHeight);
      expect(compact, `compact ${compact} px vs full ${full} px`).toBeLessThan(full);
      const widget = await open(page, id, '?layout=figure');
      await expect(widget.locator('input:visible, select:visible, textarea:visible, button:visible')).toHaveCount(0);
      await expect(widget.locator('svg').first()).toBeVisible();
    });

    const own = scenarios.filter((s) => s.widget === id);
    test(`presets: ${own.length} scenario(s) open by name with no corrections, and the picker lists them`, async ({ page }) => {
      expect(own.length, `content/scenarios has at least two presets for ${id}`).toBeGreaterThanOrEqual(2);
      for (const scenario of own) {
        const widget = await open(page, id, `?preset=${scenario.id}`);
        await expect(widget.locator('.notes'), `${scenario.id} opens without notes`).toHaveCount(0);
        const picker = widget.locator('[data-scenario-picker] select');
        await expect(picker).toHaveValue(scenario.id);
      }
      const widget = await open(page, id, '?preset=no-such-preset');
      await expect(widget.locator('.notes')).toContainText('no preset called');
    });
  });
}
