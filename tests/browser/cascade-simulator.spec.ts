/**
 * The cascade simulator: the first figure (with and without JavaScript), the shock by keyboard and by drag,
 * predict → commit → reveal, playback (play, pause, step, scrubber) driving every view from one step, reduced
 * motion, links through Share and the embed, and markets the engine refuses.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, hydrate } from './helpers';

const PATH = '/widgets/cascade-simulator/';
const EMBED = '/embed/cascade-simulator/';

async function open(page: Page, query = '', path = PATH) {
  const errors = collectErrors(page);
  await page.goto(`${path}${query}`);
  await hydrate(page);
  const sim = page.locator('section[data-widget="cascade-simulator"]');
  return { sim, errors, summary: sim.locator('figcaption.summary') };
}

const shockSlider = (sim: Locator) => sim.getByRole('slider', { name: /^Price shock/ });
const roundSlider = (sim: Locator) => sim.getByRole('slider', { name: /^Round/ });
/** The positions chart and the order book chart (their SVGs), and the round table. */
const positionsChart = (sim: Locator) => sim.locator('svg[role="img"]').filter({ has: sim.page().locator('title', { hasText: /^Notional of positions by liquidation price/ }) });
const bookChart = (sim: Locator) => sim.locator('svg[role="img"]').filter({ has: sim.page().locator('title', { hasText: /^Order book depth/ }) });

function stat(sim: Locator, label: string): Locator {
  return sim.locator('dl.stats > div').filter({ has: sim.page().locator('dt', { hasText: label }) }).locator('dd');
}

async function press(page: Page, control: Locator, key: string, times = 1) {
  await control.focus();
  for (let i = 0; i < times; i++) await page.keyboard.press(key);
}

async function shareLink(sim: Locator): Promise<string> {
  const button = sim.getByRole('button', { name: 'Share this state' });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  return sim.getByLabel('Link to this widget in its current state').inputValue();
}

async function layerPaths(chart: Locator): Promise<string[]> {
  return chart.locator('path.layer').evaluateAll((paths) => paths.map((p) => p.getAttribute('d') ?? ''));
}

test('opens with the default cascade played to its end: a 3 % shock carried about twice as far', async ({ page }) => {
  const { sim, errors, summary } = await open(page);
  await expect(sim).toHaveAttribute('data-phase', 'explore');
  await expect(sim).toHaveAttribute('data-rounds', '4');
  await expect(sim).toHaveAttribute('data-step', '4');
  await expect(summary).toContainText('After round 4 of 4 the mark is 56,451 USDT (−5.92 % from 60,000 USDT; the shock alone: −3.00 %)');
  await expect(summary).toContainText('The total move is 1.97× the shock\'s.');
  const stats = sim.locator('dl.stats');
  await expect(stats).toContainText('Positions liquidated 1,522');
  await expect(stats).toContainText('Amplification 1.97×');
  await expect(stats).toContainText('Realized volatility 3.82');
  await expect(stats).toContainText('Fixed point after round 4');
  // Liquidated longs (red) and positions in warning both show on the positions chart.
  const [liquidated, warning, safe] = await layerPaths(positionsChart(sim));
  for (const d of [liquidated, warning, safe]) expect(d?.length).toBeGreaterThan(20);
  // The per-round table: the shock and four rounds.
  await sim.locator('details.rounds summary').click();
  await expect(sim.locator('details.rounds tbody tr')).toHaveCount(5);
  await expect(sim.locator('details.rounds tbody tr').last()).toContainText('56,451');
  expect(errors).toEqual([]);
});

test('a new shock by keyboard asks for a guess first and hides the outcome', async ({ page }) => {
  const { sim, errors, summary } = await open(page);
  await press(page, shockSlider(sim), 'ArrowLeft', 10);
  await expect(sim.locator('output', { hasText: '→' })).toHaveText('−4.0 % → 57,600 USDT');
  await expect(shockSlider(sim)).toHaveAttribute('aria-valuetext', '−4.0\u202f%, mark 57,600 USDT');
  await expect(sim).toHaveAttribute('data-phase', 'predict');
  await expect(sim).toHaveAttribute('data-step', '0');
  await expect(summary).toHaveText(
    'The shock moves the mark from 60,000 USDT to 57,600 USDT (−4.00 %) and crosses the liquidation prices of 932 positions. Where will the price end once their forced orders have run their course?',
  );
  await expect(sim.getByRole('button', { name: 'Play' })).toBeDisabled();
  await expect(sim.getByRole('button', { name: 'Step' })).toBeDisabled();
  await expect(roundSlider(sim)).toBeDisabled();
  await expect(sim.locator('dl.stats')).toContainText('You will see after your guess');
  await expect(sim.locator('.placeholder')).toHaveText('The rounds appear once you have committed a guess.');
  // The guess starts at the shock's own price.
  await expect(sim.getByRole('slider', { name: /^Your guess/ })).toHaveAttribute('aria-valuetext', '57,600 USDT');
  expect(errors).toEqual([]);
});

test('predict, commit, then play to the reveal of the engine\'s final price beside the guess', async ({ page }) => {
  const { sim, errors, summary } = await open(page);
  await press(page, shockSlider(sim), 'ArrowLeft', 10);
  const guess = sim.getByRole('slider', { name: /^Your guess/ });
  await press(page, guess, 'ArrowLeft', 20);
  await expect(guess).toHaveAttribute('aria-valuetext', '56,600 USDT');
  await sim.getByRole('button', { name: 'Commit guess' }).click();
  await expect(sim).toHaveAttribute('data-phase', 'revealed');
  // Playback starts from the shock and runs to the last round by itself.
  await expect(sim.getByRole('button', { name: 'Pause' })).toBeVisible();
  await expect(sim).toHaveAttribute('data-step', '4', { timeout: 10_000 });
  await expect(sim.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(sim.locator('.reveal')).toContainText(
    'You guessed 56,600 USDT; the cascade ended at 55,597 USDT, 1,003 USDT lower: the spiral went further than you expected.',
  );
  await expect(sim.locator('.reveal')).toContainText('so the total move was 1.83× the shock\'s.');
  await expect(summary).toContainText('After round 4 of 4 the mark is 55,597 USDT');
  await expect(sim.locator('.line-chart .legend')).toContainText('Your guess');
  // Predict again: the question comes back for the same market.
  await sim.getByRole('button', { name: 'Predict again' }).click();
  await expect(sim).toHaveAttribute('data-phase', 'predict');
  expect(errors).toEqual([]);
});

test('play, pause, step and the scrubber drive every view from one round', async ({ page }) => {
  const { sim, errors, summary } = await open(page, '?move=-4');
  // A link opens played to the end; the scrubber goes back to the shock.
  const round = roundSlider(sim);
  await press(page, round, 'Home');
  await expect(sim).toHaveAttribute('data-step', '0');
  await expect(round).toHaveAttribute('aria-valuetext', 'After the shock');
  await expect(summary).toContainText('crosses the liquidation prices of 932 positions, which the liquidation engine takes over in round 1.');
  const positions0 = await layerPaths(positionsChart(sim));
  const book0 = await layerPaths(bookChart(sim));
  // At the shock nothing is eaten yet.
  expect(book0[1]).toBe('');

  await sim.getByRole('button', { name: 'Step' }).click();
  await expect(sim).toHaveAttribute('data-step', '1');
  await expect(round).toHaveAttribute('aria-valuetext', 'After round 1 of 4');
  await expect(summary).toContainText('After round 1 of 4 the mark is');
  const positions1 = await layerPaths(positionsChart(sim));
  const book1 = await layerPaths(bookChart(sim));
  expect(positions1).not.toEqual(positions0);
  expect(book1[1]?.length, 'eaten depth after round 1').toBeGreaterThan(20);
  expect(book1[2]?.length, 'depth that refills before round 2').toBeGreaterThan(20);
  await expect(stat(sim, 'Positions liquidated')).not.toHaveText('0');

  // Play runs on; Pause stops it where it is.
  await sim.getByRole('button', { name: 'Play' }).click();
  await expect(sim).toHaveAttribute('data-step', '2', { timeout: 5_000 });
  await sim.getByRole('button', { name: 'Pause' }).click();
  const paused = await sim.getAttribute('data-step');
  await page.waitForTimeout(1_200);
  await expect(sim).toHaveAttribute('data-step', paused ?? '');

  // The scrubber by keyboard, and the table follows the chosen round.
  await press(page, round, 'End');
  await expect(sim).toHaveAttribute('data-step', '4');
  await sim.locator('details.rounds summary').click();
  await expect(sim.locator('details.rounds tbody tr')).toHaveCount(5);
  await press(page, round, 'ArrowLeft', 2);
  await expect(sim.locator('details.rounds tbody tr')).toHaveCount(3);
  await expect(sim.locator('details.rounds tbody tr').first()).toContainText('Shock');
  expect(errors).toEqual([]);
});

test('dragging on the positions chart sets the shock where the pointer is', async ({ page }) => {
  const { sim, errors } = await open(page);
  const chart = positionsChart(sim);
  await chart.scrollIntoViewIfNeeded();
  expect(await chart.evaluate((el) => getComputedStyle(el).touchAction)).toBe('pan-y');
  const box = await chart.boundingBox();
  if (!box) throw new Error('no box for the positions chart');
  const before = await shockSlider(sim).inputValue();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6, { steps: 5 });
  await page.mouse.up();
  await expect(sim).toHaveAttribute('data-phase', 'predict');
  const after = Number(await shockSlider(sim).inputValue());
  expect(after).not.toBe(Number(before));
  expect(after).toBeLessThan(0);
  expect(errors).toEqual([]);
});

test('a locked shock: dragging the positions chart does nothing, while playback stays free', async ({ page }) => {
  const { sim, errors } = await open(page, '?lock=move', EMBED);
  await expect(shockSlider(sim)).toBeDisabled();
  const chart = positionsChart(sim);
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  if (!box) throw new Error('no box for the positions chart');
  const before = await shockSlider(sim).inputValue();
  await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.6);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height * 0.6, { steps: 5 });
  await page.mouse.up();
  await expect(sim).toHaveAttribute('data-phase', 'explore');
  expect(await shockSlider(sim).inputValue()).toBe(before);
  expect(await shareLink(sim)).toContain(`move=${before}`);
  await press(page, roundSlider(sim), 'Home');
  await expect(sim).toHaveAttribute('data-step', '0');
  expect(errors).toEqual([]);
});

test('a preset picked in the Scenario list replaces the state and starts fresh; the figure layout is the price charts alone', async ({ page }) => {
  const { sim, summary, errors } = await open(page, '?preset=thin-book-cascade', EMBED);
  await expect(summary).toContainText('the total move is 3.95× the shock', { ignoreCase: true });
  await press(page, roundSlider(sim), 'Home');
  await sim.locator('[data-scenario-picker] select').selectOption('deep-book-absorbs-the-shock');
  await expect(sim).toHaveAttribute('data-phase', 'explore');
  await expect(sim).toHaveAttribute('data-step', await sim.getAttribute('data-rounds') ?? '');
  await expect(summary).toContainText('57,735 USDT');
  await shockSlider(sim).press('ArrowLeft');
  await expect(sim.locator('[data-scenario-picker] select')).toHaveValue('');

  const { sim: figure } = await open(page, '?preset=thin-book-cascade&layout=figure', EMBED);
  await expect(figure).toHaveAttribute('data-layout', 'figure');
  await expect(figure.locator('figcaption.summary')).toContainText('3.95×');
  await expect(positionsChart(figure)).toHaveCount(0);
  await expect(figure.locator('dl.stats, details.rounds, .share, [data-free]')).toHaveCount(0);
  expect(errors).toEqual([]);
});

/** Clicks Step and reads where the price line is drawn two frames later. */
async function drawnAfterStep(sim: Locator): Promise<{ step: string; drawn: string }> {
  return sim.evaluate(async (el) => {
    const button = [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Step');
    button?.click();
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return { step: (el as HTMLElement).dataset['step'] ?? '', drawn: (el as HTMLElement).dataset['drawn'] ?? '' };
  });
}

test('a step is animated, and with reduced motion it jumps without tweening', async ({ page }) => {
  const { sim } = await open(page);
  await press(page, roundSlider(sim), 'Home');
  const animated = await drawnAfterStep(sim);
  expect(animated.step).toBe('1');
  expect(Number(animated.drawn)).toBeGreaterThan(0);
  expect(Number(animated.drawn)).toBeLessThan(1);
  await expect(sim).toHaveAttribute('data-drawn', '1');

  await page.emulateMedia({ reducedMotion: 'reduce' });
  await expect(sim.getByRole('button', { name: 'Play' })).toBeVisible();
  await press(page, roundSlider(sim), 'Home');
  const still = await drawnAfterStep(sim);
  expect(still).toEqual({ step: '1', drawn: '1' });
});

test('the Share link and the embed restore the same state', async ({ page, context }) => {
  const query = '?kind=sell&sell=80&book=flat&depth=10&res=30&tp=15&fund=500000&mix=aggressive&long=45&n=20000&seed=5';
  const { sim, summary } = await open(page, query);
  await expect(sim.locator('.notes')).toHaveCount(0);
  const text = await summary.textContent();
  const stats = await sim.locator('dl.stats').textContent();
  const link = await shareLink(sim);
  const url = new URL(link);
  expect(url.pathname).toBe(PATH);
  expect(Object.fromEntries(url.searchParams)).toEqual({ v: '2', kind: 'sell', sell: '80', book: 'flat', depth: '10', res: '30', tp: '15', fund: '500000', backstop: 'fund', mix: 'aggressive', long: '45', n: '20000', seed: '5' });
  const code = await sim.getByLabel('Embed code for a course page (no script needed)').inputValue();
  expect(code).toContain(`src="${url.origin}${EMBED}${url.search.replace(/&/g, '&amp;')}"`);
  expect(code).toMatch(/height="\d{4}"/);

  for (const target of [link, `${url.origin}${EMBED}${url.search}`]) {
    const other = await context.newPage();
    const errors = collectErrors(other);
    await other.goto(target);
    await hydrate(other);
    const copy = other.locator('section[data-widget="cascade-simulator"]');
    await expect(copy.locator('figcaption.summary')).toHaveText(text ?? '');
    await expect(copy.locator('dl.stats')).toHaveText(stats ?? '');
    await expect(copy.locator('.notes')).toHaveCount(0);
    expect(errors).toEqual([]);
    await other.close();
  }

  // Re-roll changes the population, the link and the outcome.
  await sim.getByRole('button', { name: 'Re-roll' }).click();
  expect(await shareLink(sim)).toContain('seed=6');
  await expect(summary).not.toHaveText(text ?? '');
});

test.describe('the liquidity vault as backstop', () => {
  test('choosing the vault shows its knobs, its equity by round, its numbers and its column, and goes into the link', async ({ page }) => {
    const { sim, errors, summary } = await open(page, '?move=-6');
    await expect(sim.getByRole('slider', { name: /^Vault capital/ })).toHaveCount(0);
    await expect(stat(sim, 'Auto-deleveraged')).not.toHaveText(/^0 USDT/);
    await sim.getByRole('radio', { name: 'Liquidity vault' }).check();
    // Not a new shock: the figure stays played to the end and shows the vault at once.
    await expect(sim).toHaveAttribute('data-phase', 'explore');
    const capital = sim.getByRole('slider', { name: /^Vault capital/ });
    await expect(capital).toHaveAttribute('aria-valuetext', '250,000 USDT');
    await expect(sim.getByRole('slider', { name: /^Vault fills of forced orders/ })).toHaveAttribute('aria-valuetext', '20 percent of every forced order');
    await expect(stat(sim, 'Vault equity')).toContainText('USDT');
    await expect(stat(sim, 'Vault position')).toContainText('BTC long');
    await expect(summary).toContainText('The vault has taken over');
    await expect(sim.locator('svg[role="img"] title', { hasText: /^The liquidity vault's equity by round/ })).toHaveCount(1);
    const link = new URL(await shareLink(sim));
    expect(link.searchParams.get('backstop')).toBe('vault');
    expect(link.searchParams.get('vault')).toBe('250000');
    expect(link.searchParams.get('maker')).toBe('20');
    // More capital by keyboard: a smaller drawdown on the same takeovers.
    const before = await stat(sim, 'Vault equity').textContent();
    await press(page, capital, 'ArrowRight', 4);
    await expect(capital).toHaveAttribute('aria-valuetext', '450,000 USDT');
    await expect(stat(sim, 'Vault equity')).not.toHaveText(before ?? '');
    // Back to the fund: the vault's knobs, numbers and chart go, and so do its link parameters.
    await sim.getByRole('radio', { name: 'Fund + auto-deleveraging' }).check();
    await expect(stat(sim, 'Vault equity')).toHaveCount(0);
    await expect(sim.locator('svg[role="img"] title', { hasText: /^The liquidity vault's equity/ })).toHaveCount(0);
    expect(await shareLink(sim)).not.toMatch(/vault=|maker=/);
    expect(errors).toEqual([]);
  });

  test('a vault link: the same 6 % shock stays 6 %, the vault carries 64 BTC, and the scrubber walks its equity', async ({ page }) => {
    const { sim, errors, summary } = await open(page, '?move=-6&fund=0&backstop=vault&vault=250000&maker=20');
    await expect(sim).toHaveAttribute('data-rounds', '1');
    await expect(summary).toContainText('The vault has taken over 64.092 BTC of bankrupt positions at their bankruptcy prices; it holds 64.092 BTC long, and its equity is 160,121 USDT (−35.95 % on its capital');
    await expect(stat(sim, 'Vault equity')).toContainText('160,121 USDT');
    await expect(stat(sim, 'Auto-deleveraged')).toContainText('0 USDT');
    await expect(sim.locator('.why')).toContainText('never reached the book');
    await sim.locator('details.rounds summary').click();
    await expect(sim.locator('details.rounds thead')).toContainText('Vault (USDT)');
    await expect(sim.locator('details.rounds tbody tr').last()).toContainText('160,121');
    await press(page, roundSlider(sim), 'Home');
    await expect(stat(sim, 'Vault equity')).toContainText('250,000 USDT');
    await expect(stat(sim, 'Vault position')).toContainText('none');
    // Predicting hides the vault's outcome with the rest.
    await press(page, shockSlider(sim), 'ArrowLeft');
    await expect(sim.locator('.placeholder.short')).toHaveText("The vault's equity appears once you have committed a guess.");
    expect(errors).toEqual([]);
  });

  test('clamps a vault link with notes', async ({ page }) => {
    const { sim } = await open(page, '?backstop=vault&vault=10&maker=95');
    await expect(sim.locator('.notes')).toContainText('Vault capital 10 is below the minimum 50000 USDT; using 50000.');
    await expect(sim.locator('.notes')).toContainText('Vault maker share 95 is above the maximum 90 %; using 90.');
    await expect(sim).not.toContainText('NaN');
  });
});

test.describe('markets the engine refuses and bad links', () => {
  test('no positions, or no depth, is explained in the engine\'s words, with no figure and no NaN', async ({ page }) => {
    const { sim, errors } = await open(page, '?n=0');
    const alert = sim.getByRole('alert');
    await expect(alert).toHaveText('The engine cannot run this market. Positions: must be at least 1, got 0: a market with no positions has nothing to liquidate.');
    await expect(sim.locator('svg[role="img"]')).toHaveCount(0);
    await expect(sim).not.toContainText('NaN');
    // Moving the positions slider up brings the market back.
    await press(page, sim.getByRole('slider', { name: /^Positions/ }), 'ArrowRight');
    await expect(alert).toHaveCount(0);
    await expect(sim.getByRole('slider', { name: /^Positions/ })).toHaveAttribute('aria-valuetext', '1,000 positions');
    await expect(sim.locator('figcaption.summary')).toContainText('After round');
    await expect(sim.locator('svg[role="img"]')).not.toHaveCount(0);

    await page.goto(`${PATH}?book=flat&depth=0`);
    await hydrate(page);
    await expect(sim.getByRole('alert')).toHaveText('The engine cannot run this market. Order-book depth: must be greater than 0, got 0: a book with zero depth makes no market.');
    expect(errors).toEqual([]);
  });

  test('a market sell beyond the book ends with the book exhausted, and says so', async ({ page }) => {
    const { sim, summary } = await open(page, '?kind=sell&sell=5000&book=flat');
    await expect(sim).toHaveAttribute('data-stop', 'book-exhausted');
    await expect(summary).toContainText("Book exhausted: the shock is beyond the book's depth. The bids held 150.000 BTC in all, so 4,850.000 BTC of the sell found no buyer");
    await expect(sim.locator('dl.stats')).toContainText('Book exhausted by the shock');
  });

  test('out-of-range and hostile values are clamped or refused with notes, printed as text', async ({ page }) => {
    const dialogs: string[] = [];
    page.on('dialog', async (d) => {
      dialogs.push(d.message());
      await d.dismiss();
    });
    const { sim, errors } = await open(page, '?move=-99&n=500000&mix=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&seed=abc&v=9');
    const notes = sim.locator('.notes');
    await expect(notes).toContainText('Price shock -99 is below the minimum -20 %; using -20.');
    await expect(notes).toContainText('Positions 500000 is above the maximum 100000; using 100000.');
    await expect(notes).toContainText('Leverage mix "<img src=x onerror=alert…" is not one of cautious, typical, aggressive; using typical.');
    await expect(notes).toContainText('Seed "abc" is not a number; using 1.');
    await expect(notes).toContainText('version "9"');
    await expect(sim.locator('img, script')).toHaveCount(0);
    await expect(sim.locator('.line-chart')).toBeVisible();
    await expect(sim).not.toContainText('NaN');
    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
  });
});

test('the definition lesson carries the simulator, and its link target exists', async ({ page }) => {
  const { sim, errors } = await open(page, '', '/learn/margin-pressure/');
  await expect(sim).toHaveAttribute('id', 'cascade-simulator');
  await expect(sim.locator('h3')).toHaveText('Cascade simulator');
  await expect(page.locator('article h2', { hasText: 'When one liquidation sets off the next' })).toBeVisible();
  await press(page, shockSlider(sim), 'ArrowRight');
  await expect(sim).toHaveAttribute('data-phase', 'predict');
  expect(errors).toEqual([]);
});

test('the pooled-liquidity lesson opens the simulator on its vault run, with the figures its prose prints', async ({ page }) => {
  const { sim, errors } = await open(page, '', '/learn/pooled-liquidity/');
  await expect(sim).toHaveAttribute('id', 'cascade-simulator');
  await expect(sim.getByRole('radio', { name: 'Liquidity vault' })).toBeChecked();
  await expect(stat(sim, 'Vault equity')).toContainText('160,121 USDT');
  const table = page.locator('article table').first();
  await expect(table).toContainText('54,308');
  await expect(table).toContainText('56,400');
  await expect(table).toContainText('160,121 USDT');
  await expect(page.locator('article')).toContainText('a drawdown of 36.0');
  // The vault's link in the prose opens the same state on the widget's page.
  const link = page.locator('article a', { hasText: 'the same state on its own page' });
  expect(await link.getAttribute('href')).toContain('backstop=vault&vault=250000&maker=20');
  expect(errors).toEqual([]);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  for (const path of [PATH, EMBED, '/learn/margin-pressure/']) {
    test(`${path} shows the first figure, its text and its numbers in the HTML`, async ({ page }) => {
      await page.goto(path);
      const sim = page.locator('section[data-widget="cascade-simulator"]');
      await expect(sim).toHaveAttribute('data-step', '4');
      const series = sim.locator('svg[role="img"] path.series');
      await expect(series).toHaveCount(2); // the price before the shock, and the mark by round
      const mark = await series.nth(1).getAttribute('d');
      expect(mark?.split('L').length, 'the shock and four rounds').toBe(6);
      for (const chart of [positionsChart(sim), bookChart(sim)]) {
        const layers = await layerPaths(chart);
        expect(layers.filter((d) => d.length > 20).length).toBeGreaterThanOrEqual(2);
      }
      await expect(sim.locator('figcaption.summary')).toContainText('After round 4 of 4 the mark is 56,451 USDT');
      await expect(sim.locator('dl.stats')).toContainText('1.97×');
      await expect(sim.locator('.why')).toContainText("which carried the mark through more liquidation prices, so the total move was 1.97× the shock's.");
      // The round table is in the page, inside a closed <details>.
      expect(await sim.locator('details.rounds tbody tr').count()).toBe(5);
    });
  }
});
