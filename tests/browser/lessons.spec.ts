/**
 * The four lessons after the first: each renders, its computed figures are there, its predict box reveals
 * the engine's own answer (recomputed here from src/lib/prose-accounts.ts, not copied), its formulas are
 * MathML, and its widget hydrates without console errors.
 */
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { Decimal } from '../../src/engine';
import { formatAnswer } from '../../src/lib/format';
import { parse } from 'yaml';
import { addMargin, alertPrice, bracketEdge, fundingDrag, inverseCase } from '../../src/lib/prose-accounts';
import { collectErrors, hydrate } from './helpers';

const table = (id: string) => parse(readFileSync(new URL(`../../content/venues/${id}.yaml`, import.meta.url), 'utf8')).brackets;

interface LessonCase {
  path: string;
  title: string;
  widget: string;
  /** Label of each predict box's guess field, with the engine's answer. */
  predicts: { label: string; answer: string; unit: string }[];
}

const lessons: LessonCase[] = [
  {
    path: '/learn/maintenance-margin/',
    title: 'Maintenance margin and risk tiers',
    widget: 'tier-ladder',
    predicts: [{ label: 'Your guess: maintenance margin', answer: bracketEdge(table('binance-usdm-btcusdt-2025-08-19'), '300000', '400000').atEdgeAnswer, unit: 'USDT' }],
  },
  {
    path: '/learn/liquidation-and-bankruptcy-price/',
    title: 'Liquidation price and bankruptcy price',
    widget: 'position-explorer',
    predicts: [{ label: 'Your guess: the rise to liquidation', answer: inverseCase().shortMoveAnswer, unit: '%' }],
  },
  {
    path: '/learn/margin-ratio-monitoring/',
    title: 'Margin ratio and margin utilization monitoring',
    widget: 'margin-monitor',
    predicts: [
      { label: 'Your guess: mark price at 80 %', answer: alertPrice('0.8').priceAnswer, unit: 'USDT' },
      { label: 'Your guess: liquidation price after 30 days', answer: fundingDrag('0.0005', 30).endLpAnswer, unit: 'USDT' },
    ],
  },
  {
    path: '/learn/cross-margin-architecture/',
    title: 'Cross-margin accounts and margin allocation',
    widget: 'cross-vs-isolated',
    predicts: [{ label: 'Your guess: the move', answer: addMargin('100').moveAnswer, unit: 'USDT' }],
  },
];

for (const lesson of lessons) {
  test.describe(lesson.path, () => {
    test('renders with its computed figures, formulas and widget', async ({ page }) => {
      const errors = collectErrors(page);
      await page.goto(lesson.path);
      await expect(page.locator('article h1')).toHaveText(lesson.title);

      const numbers = page.locator('article [data-engine]');
      expect(await numbers.count()).toBeGreaterThan(5);
      for (const text of await numbers.allTextContents()) {
        expect(text.trim(), 'a computed figure is empty').not.toBe('');
        expect(text).not.toMatch(/NaN|null|undefined|Infinity/);
      }

      const maths = page.locator('article math');
      expect(await maths.count()).toBeGreaterThan(0);
      await expect(maths.first()).toBeAttached();
      // KaTeX's MathML output is real <math> with content, not an error box.
      await expect(page.locator('article .katex-error')).toHaveCount(0);
      expect((await maths.first().textContent())?.trim()).not.toBe('');

      await hydrate(page);
      await expect(page.locator(`section[data-widget="${lesson.widget}"]`)).toBeVisible();
      await expect(page.locator('article h2, article h3').filter({ hasText: /\S/ }).first()).toBeVisible();
      expect(errors).toEqual([]);
    });

    test('each predict box reveals the engine answer', async ({ page }) => {
      await page.goto(lesson.path);
      await expect(page.locator('aside.predict')).toHaveCount(lesson.predicts.length);
      for (const predict of lesson.predicts) {
        const box = page.locator('aside.predict').filter({ has: page.getByLabel(predict.label) });
        await box.getByLabel(predict.label).fill('1');
        await box.getByText('Reveal the answer').click();
        await expect(box).toContainText(`The engine's answer: ${formatAnswer(predict.answer, (t) => new Decimal(t))}\u00a0${predict.unit}`);
        await expect(box.getByRole('status')).toContainText(`You guessed 1 ${predict.unit}`);
        await expect(box.getByLabel(predict.label)).toHaveAttribute('readonly', '');
      }
    });
  });
}
