/**
 * The AMM liquidation spiral: the first figure with and without JavaScript, the shock by keyboard changing the text
 * equivalent and the link, step and scrub through the blocks driving the pool curve and the text, reduced motion
 * (Play and Step move without the glide; switching it on mid-play stops playback), a link with bad values (notes), the widget in both lessons, and the embed's height at
 * 360 to 1024 px against the height its Share snippet declares.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, hydrate } from './helpers';

const PATH = '/widgets/amm-liquidation-spiral/';
const EMBED = '/embed/amm-liquidation-spiral/';

async function open(page: Page, query = '', path = PATH) {
  const errors = collectErrors(page);
  await page.goto(`${path}${query}`);
  await hydrate(page);
  const w = page.locator('section[data-widget="amm-liquidation-spiral"]').first();
  return { w, errors, summary: w.locator('figcaption.summary') };
}

const shockSlider = (w: Locator) => w.locator('input.shock-slider');
const blockSlider = (w: Locator) => w.getByRole('slider', { name: /^Block/ });
const poolCurve = (w: Locator) => w.locator('.pool-curve svg[role="img"]');

async function press(page: Page, control: Locator, key: string, times = 1) {
  await control.focus();
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

async function shareLink(w: Locator): Promise<string> {
  const button = w.getByRole('button', { name: 'Share this state' });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  return w.getByLabel('Link to this widget in its current state').inputValue();
}

/** The main dot's position on the pool curve (its transform), to see it move. */
const nowDot = (w: Locator) => poolCurve(w).locator('g.dot').filter({ hasText: /^Now/ });

test('opens at the last block of the default run, with a text equivalent and a per-block table', async ({ page }) => {
  const { w, errors, summary } = await open(page);
  const blocks = Number(await w.getAttribute('data-blocks'));
  expect(blocks).toBeGreaterThan(1);
  await expect(w).toHaveAttribute('data-step', String(blocks));
  await expect(summary).toContainText(`After block ${blocks} of ${blocks} the pool's price is`);
  await expect(summary).toContainText('borrowers have been liquidated');
  await expect(nowDot(w)).toHaveCount(1);
  await w.locator('details.rounds summary').click();
  await expect(w.locator('details.rounds tbody tr')).toHaveCount(blocks + 1);
  expect(errors).toEqual([]);
});

test('the keyboard moves the shock, and the text equivalent, the stats and the link follow', async ({ page }) => {
  const { w, errors, summary } = await open(page);
  const before = await summary.textContent();
  await press(page, shockSlider(w), 'ArrowLeft', 6);
  await expect(w.locator('output', { hasText: '→' })).toHaveText('−15.0\u202f% → 2,550.00 USDC');
  await expect(shockSlider(w)).toHaveAttribute('aria-valuetext', '−15.0\u202f%, WETH at 2,550.00 USDC');
  await expect(summary).not.toHaveText(before ?? '');
  await expect(w.locator('dl.stats')).toContainText('Outside price 2,550.00 USDC');
  expect(await shareLink(w)).toContain('move=-15');
  // Back the other way restores the first text exactly: the run is deterministic.
  await press(page, shockSlider(w), 'ArrowRight', 6);
  await expect(summary).toHaveText(before ?? '');
  expect(errors).toEqual([]);
});

test('step and scrub through the blocks: the point, the text and the table follow the step', async ({ page }) => {
  const { w, errors, summary } = await open(page);
  const blocks = Number(await w.getAttribute('data-blocks'));
  const atEnd = await nowDot(w).getAttribute('style');
  await press(page, blockSlider(w), 'Home');
  await expect(w).toHaveAttribute('data-step', '0');
  await expect(summary).toContainText('The outside WETH price falls to 2,640.00 USDC');
  expect(await nowDot(w).getAttribute('style')).not.toBe(atEnd);
  await w.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(w).toHaveAttribute('data-step', '1');
  await expect(summary).toContainText(`After block 1 of ${blocks}`);
  await w.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(w).toHaveAttribute('data-step', '2');
  await w.getByRole('button', { name: 'Step back' }).click();
  await expect(w).toHaveAttribute('data-step', '1');
  await w.locator('details.rounds summary').click();
  await expect(w.locator('details.rounds tbody tr')).toHaveCount(2);
  await press(page, blockSlider(w), 'End');
  await expect(w).toHaveAttribute('data-step', String(blocks));
  await expect(w.locator('details.rounds tbody tr')).toHaveCount(blocks + 1);
  await expect(nowDot(w)).toHaveAttribute('style', atEnd ?? '');
  // Play from the start runs on to the last block by itself.
  await press(page, blockSlider(w), 'Home');
  await w.getByRole('button', { name: 'Play' }).click();
  await expect(w).toHaveAttribute('data-step', String(Math.min(2, blocks)), { timeout: 5_000 });
  await w.getByRole('button', { name: 'Pause' }).click();
  expect(errors).toEqual([]);
});

test('with reduced motion Play and Step still move the figure, without the glide', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const { w, errors, summary } = await open(page);
  await press(page, blockSlider(w), 'Home');
  await w.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(w).toHaveAttribute('data-step', '1');
  await expect(summary).toContainText('After block 1 of');
  await expect(nowDot(w)).not.toHaveClass(/animate/);
  await press(page, blockSlider(w), 'Home');
  await w.getByRole('button', { name: 'Play' }).click();
  await expect(w.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(w).toHaveAttribute('data-step', '1');
  await expect(nowDot(w)).not.toHaveClass(/animate/);
  expect(errors).toEqual([]);
});

test('switching reduced motion on mid-play stops playback at once', async ({ page }) => {
  const { w, errors } = await open(page);
  await press(page, blockSlider(w), 'Home');
  await w.getByRole('button', { name: 'Play' }).click();
  await expect(w.getByRole('button', { name: 'Pause' })).toBeVisible();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expect(w.getByRole('button', { name: 'Play' })).toBeVisible();
  const stopped = await w.getAttribute('data-step');
  // Two of Play's 0.9 s ticks later the figure has not moved on.
  await page.waitForTimeout(2000);
  await expect(w).toHaveAttribute('data-step', stopped ?? '');
  expect(errors).toEqual([]);
});

test('a link with bad values opens with notes saying what was changed, and never renders them as HTML', async ({ page }) => {
  const { w, errors } = await open(page, '?move=-99&pool=%3Cb%3Edeep%3C%2Fb%3E&oracle=chainlink&n=50000');
  const notes = w.locator('.notes[role="status"]');
  await expect(notes).toContainText('Outside price move -99 is below the minimum -60 %; using -60.');
  await expect(notes).toContainText('Pool depth "<b>deep</b>" is not a number; using 20000 WETH.');
  await expect(notes).toContainText('Oracle source "chainlink" is not one of pool, ref; using pool.');
  await expect(notes).toContainText('Borrowers 50000 is above the maximum 20000; using 20000.');
  await expect(notes.locator('b')).toHaveCount(0);
  await expect(w.locator('output', { hasText: '→' })).toHaveText('−60.0\u202f% → 1,200.00 USDC');
  expect(errors).toEqual([]);
});

test('a sell into the pool and a bottleneck come through a link and the Share control', async ({ page }) => {
  const query = '?v=1&kind=sell&sell=4000&pool=8000&lpb=10&fee=100&n=1500&seed=7';
  const { w, errors, summary } = await open(page, query);
  await expect(w.getByRole('radio', { name: 'Sell into the pool' })).toBeChecked();
  await expect(w.getByRole('slider', { name: /^Liquidations per block/ })).toHaveValue('10');
  await press(page, blockSlider(w), 'Home');
  await expect(summary).toContainText('A sell of WETH into the pool takes its price from 3,000.00 USDC to');
  const link = await shareLink(w);
  for (const part of ['kind=sell', 'sell=4000', 'pool=8000', 'lpb=10', 'fee=100', 'n=1500', 'seed=7']) expect(link).toContain(part);
  expect(link).not.toContain('move=');
  expect(errors).toEqual([]);
});

test('with every setting locked, the blocks still play: the scrubber and Step move the run, not its settings', async ({ page }) => {
  const { w, errors, summary } = await open(page, '?preset=black-thursday-2020-like&lock=all', EMBED);
  await expect(shockSlider(w)).toBeDisabled();
  await expect(w.getByRole('button', { name: 'Re-roll' })).toBeDisabled();
  const blocks = Number(await w.getAttribute('data-blocks'));
  await expect(w).toHaveAttribute('data-step', String(blocks));
  await press(page, blockSlider(w), 'Home');
  await expect(w).toHaveAttribute('data-step', '0');
  await expect(summary).toContainText('the first of 20 equal steps');
  await w.getByRole('button', { name: 'Step', exact: true }).click();
  await expect(w).toHaveAttribute('data-step', '1');
  expect(await shareLink(w)).toContain('move=-43');
  expect(errors).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the widget page shows the default run: the pool curve, the price chart, the text and the table', async ({ page }) => {
    await page.goto(PATH);
    const w = page.locator('section[data-widget="amm-liquidation-spiral"]');
    await expect(poolCurve(w)).toBeVisible();
    await expect(poolCurve(w).locator('path.curve')).toHaveCount(1);
    await expect(w.locator('svg[role="img"]')).toHaveCount(5);
    await expect(w.locator('figcaption.summary')).toContainText('borrowers have been liquidated');
    const blocks = Number(await w.getAttribute('data-blocks'));
    await w.locator('details.rounds summary').click();
    await expect(w.locator('details.rounds tbody tr')).toHaveCount(blocks + 1);
  });

  test('both lessons show the widget with its figure, and lesson 13 opens on the bottleneck', async ({ page }) => {
    await page.goto('/learn/onchain-liquidations-and-amm/');
    await expect(page.locator('section[data-widget="amm-liquidation-spiral"] .pool-curve svg[role="img"]')).toBeVisible();
    await page.goto('/learn/liquidation-bottlenecks/');
    const w = page.locator('section[data-widget="amm-liquidation-spiral"]');
    await expect(w.locator('.pool-curve svg[role="img"]')).toBeVisible();
    await expect(w.getByRole('slider', { name: /^Liquidations per block/ })).toHaveValue('20');
    await expect(w.getByRole('slider', { name: /^Spread over/ })).toHaveValue('5');
    await expect(w).toHaveAttribute('data-bad-debt', 'yes');
  });
});

// The iframe's height is fixed in the Share snippet: the embed must fit it at every width, in its tallest states.
for (const width of [360, 480, 768, 1024]) {
  test(`the embed fits its declared height at ${width} px`, async ({ page }) => {
    await page.setViewportSize({ width, height: 600 });
    const heights: string[] = [];
    let allowed = 0;
    let tallest = 0;
    for (const [name, query] of [
      ['default', ''],
      ['with notes', '?move=-99&pool=abc&n=50000'],
      ['sell, bottleneck, gas', '?kind=sell&sell=9000&pool=5000&lpb=5&fee=400&cap=1000000'],
    ] as const) {
      await page.goto(`${EMBED}${query}`);
      await hydrate(page);
      const w = page.locator('section[data-widget="amm-liquidation-spiral"]');
      if (!allowed) {
        const code = await w.getByLabel('Embed code for a course page (no script needed)').inputValue();
        allowed = Number(/<iframe[^>]*\sheight="(\d+)"/.exec(code)?.[1] ?? 0);
      }
      const measured = await page.evaluate(() => Math.ceil(document.documentElement.scrollHeight));
      heights.push(`${name} ${measured}`);
      tallest = Math.max(tallest, measured);
    }
    console.log(`${EMBED} at ${width} px: ${heights.join(', ')}; embedHeight ${allowed} px`);
    expect(allowed).toBeGreaterThan(0);
    expect(tallest, `${EMBED} at ${width} px (${heights.join(', ')})`).toBeLessThanOrEqual(allowed);
    // And not grossly taller than needed, so a course page does not carry a large empty frame.
    expect(allowed - tallest, `${EMBED} at ${width} px leaves ${allowed - tallest} px empty`).toBeLessThan(width === 360 ? 200 : 2000);
  });
}
