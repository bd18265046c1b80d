/**
 * The five lessons on the forced-selling spiral: each renders with its computed figures, its predict box reveals
 * the engine's own answer (recomputed here from src/lib/prose-cascade.ts, not copied), its widgets hydrate, and
 * nothing logs an error. The derivation's closed form and the simulator's result must both be on the page, and
 * the case studies must label every scenario as a model.
 */
import { expect, test } from '@playwright/test';
import { Decimal } from '../../src/engine';
import { formatAnswer } from '../../src/lib/format';
import { capTradeOff, caseScenarios, leverageCaps, spiral, sqrtMove, waterfall } from '../../src/lib/prose-cascade';
import { collectErrors, hydrate } from './helpers';

interface LessonCase {
  path: string;
  title: string;
  widgets: string[];
  predict: { label: string; answer: string; unit: string };
  /** Lessons with formulas must show them as MathML. */
  maths: boolean;
}

const sp = spiral();
const cases = caseScenarios();

const lessons: LessonCase[] = [
  {
    path: '/learn/forced-selling-spiral/',
    title: 'The forced-selling spiral',
    widgets: ['liquidation-map', 'cascade-simulator'],
    predict: { label: 'Your guess: the total fall', answer: sp.answerPercent, unit: '%' },
    maths: true,
  },
  {
    path: '/learn/liquidity-and-price-impact/',
    title: 'Liquidity, depth and price impact',
    widgets: ['cascade-simulator'],
    predict: { label: 'Your guess: the move for 256 BTC', answer: sqrtMove('256').answer, unit: 'USDT' },
    maths: true,
  },
  {
    path: '/learn/insurance-fund-and-adl/',
    title: 'Insurance funds, bad debt and auto-deleveraging',
    widgets: ['cascade-simulator'],
    predict: { label: 'Your guess: the bad debt', answer: waterfall('53800', '60').answer, unit: 'USDT' },
    maths: true,
  },
  {
    path: '/learn/capital-efficiency-vs-stability/',
    title: 'Capital efficiency versus systemic stability',
    widgets: ['stability-frontier'],
    predict: {
      label: 'Your guess: the gain in capital efficiency',
      answer: capTradeOff(leverageCaps([5, 10, 20, 50, 100], '3'), 20, 100).gainAnswer,
      unit: '%',
    },
    maths: true,
  },
  {
    path: '/learn/cascade-case-studies/',
    title: 'Case studies of real cascades',
    widgets: ['cascade-simulator'],
    predict: { label: 'Your guess: the total fall', answer: cases.october2025.fallAnswer, unit: '%' },
    maths: false,
  },
];

for (const lesson of lessons) {
  test.describe(lesson.path, () => {
    test('renders with its computed figures and widgets, without errors', async ({ page }) => {
      const errors = collectErrors(page);
      await page.goto(lesson.path);
      await expect(page.locator('article h1')).toHaveText(lesson.title);

      const numbers = page.locator('article [data-engine]');
      expect(await numbers.count()).toBeGreaterThan(10);
      for (const text of await numbers.allTextContents()) {
        expect(text.trim(), 'a computed figure is empty').not.toBe('');
        expect(text).not.toMatch(/NaN|null|undefined|Infinity/);
      }
      if (lesson.maths) {
        await expect(page.locator('article math').first()).toBeAttached();
        await expect(page.locator('article .katex-error')).toHaveCount(0);
      }

      await hydrate(page);
      for (const id of lesson.widgets) await expect(page.locator(`section[data-widget="${id}"]`)).toBeVisible();
      expect(errors).toEqual([]);
    });

    test('the predict box reveals the engine answer and locks the guess', async ({ page }) => {
      await page.goto(lesson.path);
      const box = page.locator('aside.predict').filter({ has: page.getByLabel(lesson.predict.label) });
      await expect(box).toHaveCount(1);
      await box.getByLabel(lesson.predict.label).fill('1');
      await box.getByText('Reveal the answer').click();
      await expect(box).toContainText(`The engine's answer: ${formatAnswer(lesson.predict.answer, (t) => new Decimal(t))}\u00a0${lesson.predict.unit}`);
      await expect(box.getByRole('status')).toContainText(`You guessed 1 ${lesson.predict.unit}`);
      await expect(box.getByLabel(lesson.predict.label)).toHaveAttribute('readonly', '');
    });
  });
}

test('the spiral lesson shows the closed form and the simulator ending at the same price', async ({ page }) => {
  await page.goto('/learn/forced-selling-spiral/');
  const derivation = page.locator('article p').filter({ hasText: /simulator,\s+given the same/ });
  await expect(derivation).toContainText(sp.closedFinal);
  await expect(derivation).toContainText(sp.engineFinal);
  // The round-by-round table: series and simulator side by side, one row per round that moved the price.
  const table = page.locator('table').filter({ hasText: 'Series total' });
  await expect(table.locator('tbody tr')).toHaveCount(sp.rows.length);
  await expect(table.locator('tbody tr').last()).toContainText(sp.rows[sp.rows.length - 1]!.engine);
  // KaTeX turned the substituted numbers into MathML, not text with dollar signs.
  await expect(page.locator('article math').filter({ hasText: '1,200' }).first()).toBeAttached();
});

test('the case studies label every scenario as a model and open each in the simulator', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/learn/cascade-case-studies/');
  // Let the page's own island finish loading first, so leaving the page aborts no request.
  await hydrate(page);
  const scenarios = page.locator('[data-model-scenario]');
  await expect(scenarios).toHaveCount(3);
  for (const scenario of await scenarios.all()) await expect(scenario).toContainText('Illustrative model, not a replay');
  await scenarios.last().getByRole('link', { name: 'Open this scenario in the cascade simulator' }).click();
  await expect(page).toHaveURL(/\/widgets\/cascade-simulator\/\?v=2&/);
  await hydrate(page);
  await expect(page.locator('section[data-widget="cascade-simulator"]')).toContainText(cases.october2025.final);
  expect(errors).toEqual([]);
});
