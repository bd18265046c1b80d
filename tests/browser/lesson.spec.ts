/**
 * The definition lesson's own interactions: predict-then-reveal with a number.
 */
import { expect, test } from '@playwright/test';
import { LESSON_PATH, collectErrors, hydrate } from './helpers';

test('predict, then reveal: the guess locks and the reveal says how far off it was', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto(LESSON_PATH);
  await hydrate(page);
  const predict = page.locator('aside.predict').first();
  const guess = predict.getByLabel('Your guess: the fall at 20×');
  await guess.fill('10');
  await predict.getByText('Reveal the answer').click();
  await expect(predict.getByRole('status')).toHaveText('You guessed 10 %: 5.38 points too high.');
  await expect(predict).toContainText('The engine\'s answer: 4.62 %');
  await expect(guess).toHaveAttribute('readonly', '');
  expect(errors).toEqual([]);
});

test('revealing without a guess asks the reader to commit first next time', async ({ page }) => {
  await page.goto(LESSON_PATH);
  await hydrate(page);
  const predict = page.locator('aside.predict').first();
  await predict.getByText('Reveal the answer').click();
  await expect(predict.getByRole('status')).toContainText('without a guess');
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the answer still opens', async ({ page }) => {
    await page.goto(LESSON_PATH);
    const predict = page.locator('aside.predict').first();
    await predict.getByText('Reveal the answer').click();
    await expect(predict).toContainText('The engine\'s answer: 4.62 %');
  });
});
