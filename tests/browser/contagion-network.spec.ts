/**
 * The contagion network: the first figure tells who is hit, when and through which link; cutting a link (mouse,
 * keyboard or finger) replays the shock and changes the outcome, the comparison and the text; playback and the
 * scrubber walk the blocks; reduced motion shows the end at once; links and embeds restore the state; bad links are
 * explained and never rendered as HTML; without JavaScript the first figure is there.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, hydrate } from './helpers';
import { contagionReading, cutTable, enginesCompared } from '../../src/lib/prose-contagion';

const PATH = '/widgets/contagion-network/';

const STORY_A = 'Protocol A is first hit in block 1 by the 20.0\u202f% fall itself, once its oracle reports it.';
const STORY_C = /Protocol C is first hit in block 2, through A's receipt token: A had booked [\d.]+ million USDC of bad debt/;
const STORY_B = /Protocol B is first hit in block 3, through the shared oracle: it reported [\d,]+ USDC, [\d.]+\u202f% below the outside price, because A's liquidators had sold seized WETH into the pool it follows\./;

async function open(page: Page, query = '', path = PATH) {
  const errors = collectErrors(page);
  await page.goto(`${path}${query}`);
  await hydrate(page);
  const widget = page.locator('section[data-widget="contagion-network"]');
  return {
    widget,
    errors,
    caption: widget.locator('figcaption.summary'),
    verdict: widget.locator('.verdict'),
    compare: widget.locator('.compare table'),
    toggle: (link: 'pool' | 'oracle' | 'receipt') => widget.locator(`button[data-link="${link}"]`),
    node: (id: string) => widget.locator(`svg g.node[data-node="${id}"]`),
    link: (id: string) => widget.locator(`svg path.link[data-link="${id}"]`),
  };
}

const row = (compare: Locator, id: string) => compare.locator(`tbody tr[data-protocol="${id}"]`);

async function shareLink(widget: Locator): Promise<string> {
  const button = widget.getByRole('button', { name: 'Share this state' });
  if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
  return widget.getByLabel('Link to this widget in its current state').inputValue();
}

test('the first figure: A is hit by the fall, C through the receipt, B through the shared oracle', async ({ page }) => {
  const { widget, errors, caption, verdict, compare, node, link } = await open(page);
  await expect(widget).toHaveAttribute('data-rounds', '10');
  await expect(widget).toHaveAttribute('data-step', '10');
  await expect(caption).toContainText(STORY_A);
  await expect(caption).toContainText(STORY_C);
  await expect(caption).toContainText(STORY_B);
  // The order of the story is the order of the hits.
  const text = (await caption.textContent()) ?? '';
  expect(text.indexOf('Protocol A is first hit')).toBeLessThan(text.indexOf('Protocol C is first hit'));
  expect(text.indexOf('Protocol C is first hit')).toBeLessThan(text.indexOf('Protocol B is first hit'));
  await expect(widget.locator('svg g.node')).toHaveCount(3);
  await expect(widget.locator('svg path.link')).toHaveCount(3);
  for (const id of ['pool', 'oracle', 'receipt']) await expect(link(id)).toHaveAttribute('data-state', 'idle');
  const fill = async (id: string) => Number(await node(id).getAttribute('data-intensity'));
  expect(await fill('A')).toBeGreaterThan(await fill('B'));
  expect(await fill('B')).toBeGreaterThan(0);
  expect(await fill('C')).toBeGreaterThan(0);
  await expect(compare.locator('thead')).toContainText('All links (yours)');
  await expect(compare.locator('thead')).toContainText('Every link cut');
  await expect(row(compare, 'B').locator('td').nth(1)).toContainText('none');
  await expect(verdict).toHaveText('With every link cut: Protocol B and Protocol C would not have been hit; Protocol A still is.');
  expect(await widget.innerText()).not.toMatch(/NaN|Infinity|undefined/);
  expect(errors).toEqual([]);
});

test('cutting the oracle link with a click replays the shock and spares B', async ({ page }) => {
  const { widget, errors, caption, verdict, compare, toggle, link } = await open(page);
  const before = await row(compare, 'B').locator('td').first().textContent();
  await toggle('oracle').click();
  await expect(toggle('oracle')).toHaveAttribute('aria-pressed', 'true');
  await expect(widget).toHaveAttribute('data-links', 'shared-own-marked');
  await expect(link('oracle')).toHaveAttribute('data-state', 'cut');
  // The replay starts from the shock and plays to the last block.
  await expect(widget.getByRole('button', { name: 'Pause' })).toBeVisible();
  const rounds = await widget.getAttribute('data-rounds');
  await expect(widget).toHaveAttribute('data-step', rounds ?? '', { timeout: 15_000 });
  await expect(caption).toContainText('Protocol B is never hit: its first borrower is liquidatable only below');
  await expect(caption).toContainText('the outside price it reads stayed above that.');
  await expect(caption).not.toContainText('Protocol B is first hit');
  await expect(compare.locator('thead')).toContainText('Oracle cut (yours)');
  await expect(compare.locator('thead')).toContainText('All links');
  await expect(row(compare, 'B').locator('td').first()).toContainText('none');
  await expect(row(compare, 'B').locator('td').nth(1)).toHaveText(before ?? '');
  await expect(verdict).toHaveText('With the oracle link cut: Protocol B is no longer hit; Protocol A and Protocol C still are.');
  expect(await shareLink(widget)).toContain('oracle=own');
  expect(errors).toEqual([]);
});

test('the keyboard cuts links, moves the shock and walks the blocks', async ({ page }) => {
  const { widget, caption, toggle } = await open(page);
  await toggle('pool').focus();
  await page.keyboard.press('Space');
  await expect(toggle('pool')).toHaveAttribute('aria-pressed', 'true');
  await expect(widget).toHaveAttribute('data-links', 'own-shared-marked');
  await page.keyboard.press('Enter');
  await expect(toggle('pool')).toHaveAttribute('aria-pressed', 'false');
  await widget.getByRole('button', { name: 'Pause' }).click();

  const scrub = widget.getByRole('slider', { name: /^Block/ });
  await scrub.focus();
  await page.keyboard.press('Home');
  await expect(widget).toHaveAttribute('data-step', '0');
  await expect(caption).toContainText('WETH falls 20.0\u202f% on the outside market, to 2,400 USDC.');
  await page.keyboard.press('ArrowRight');
  await expect(widget).toHaveAttribute('data-step', '1');
  await expect(caption).toContainText('Block 1: the shared pool is at');
  await expect(caption).toContainText('In this block liquidators sold seized WETH into the shared pool');
  await expect(widget.locator('svg path.link[data-link="pool"]')).toHaveAttribute('data-state', 'active');
  await widget.getByRole('button', { name: 'Step' }).focus();
  await page.keyboard.press('Enter');
  await expect(widget).toHaveAttribute('data-step', '2');

  const shock = widget.getByRole('slider', { name: /^WETH falls/ });
  await shock.focus();
  await page.keyboard.press('Home');
  await expect(widget.locator('label[for$="-shock"] output')).toHaveText('0.0\u202f% → 3,000 USDC');
  await expect(caption).toContainText('Protocol A is never hit');
  await expect(caption).toContainText('Protocol C is never hit: A books no bad debt, so its receipt stays at 1 USDC.');
  // The comparison catches up once the reader pauses.
  await expect(widget.locator('.verdict')).not.toHaveText('Comparing…');
  await expect(widget.locator('.verdict')).toContainText('With every link cut');
});

test('a finger can cut the receipt link: C stops liquidating', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 375, height: 800 } });
  const page = await context.newPage();
  const { widget, caption, toggle, node } = await open(page);
  await toggle('receipt').tap();
  await expect(toggle('receipt')).toHaveAttribute('aria-pressed', 'true');
  await widget.getByRole('button', { name: 'Pause' }).tap();
  await widget.getByRole('slider', { name: /^Block/ }).fill(await widget.getAttribute('data-rounds') ?? '0');
  await expect(caption).toContainText("Protocol C prices A's receipt at a fixed 1 USDC and liquidates no one");
  await expect(node('C')).toHaveAttribute('data-intensity', '0.000');
  await context.close();
});

test('with reduced motion a cut shows the outcome at once, with no playback', async ({ page }) => {
  await page.emulateMedia({ reducedMotion: 'reduce' });
  const { widget, toggle, caption } = await open(page);
  await toggle('oracle').click();
  const rounds = await widget.getAttribute('data-rounds');
  await expect(widget).toHaveAttribute('data-step', rounds ?? '');
  await expect(widget.getByRole('button', { name: 'Play' })).toBeVisible();
  await expect(caption).toContainText('Protocol B is never hit');
  // The travelling dashes of an active link stand still.
  await widget.getByRole('slider', { name: /^Block/ }).fill('1');
  const duration = await widget.locator('svg path.link[data-state="active"]').first().evaluate((el) => getComputedStyle(el).animationDuration);
  expect(parseFloat(duration)).toBeLessThan(0.001);
});

test('a bad link is explained in notes and never rendered as HTML', async ({ page }) => {
  const { widget } = await open(page, '?shock=99&pool=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&seed=abc&n=50');
  const notes = widget.locator('.notes[role="status"]');
  await expect(notes).toContainText('Price shock 99 is above the maximum 60 %; using 60.');
  await expect(notes).toContainText('Pool link "<img src=x onerror=alert…" is not one of shared, own; using shared.');
  await expect(notes).toContainText('Seed "abc" is not a number; using 1.');
  await expect(notes).toContainText('Borrowers per protocol 50 is below the minimum 100; using 100.');
  await expect(widget.locator('img')).toHaveCount(0);
  await expect(widget.locator('label[for$="-shock"] output')).toHaveText('60.0\u202f% → 1,200 USDC');
});

test('the state round-trips through the Share link and the embed', async ({ page, context }) => {
  const query = '?shock=32.5&pool=own&oracle=shared&receipt=fixed&delay=2&dev=1&depth=100000&n=3000&seed=7';
  const { widget, caption, verdict } = await open(page, query);
  await expect(widget).toHaveAttribute('data-links', 'own-shared-fixed');
  // The comparison follows the link's state a moment after hydration.
  await expect(verdict).not.toHaveText('Comparing…');
  const text = await caption.textContent();
  const said = await verdict.textContent();
  const link = await shareLink(widget);
  expect(Object.fromEntries(new URL(link).searchParams)).toEqual({ v: '2', shock: '32.5', pool: 'own', oracle: 'shared', receipt: 'fixed', delay: '2', dev: '1', depth: '100000', n: '3000', seed: '7' });
  const code = await widget.getByLabel('Embed code for a course page (no script needed)').inputValue();
  expect(code).toMatch(/<iframe src="[^"]*\/embed\/contagion-network\/\?v=2&amp;shock=32.5/);
  for (const url of [link, link.replace('/widgets/', '/embed/')]) {
    const other = await context.newPage();
    const copy = await open(other, '', url);
    await expect(copy.caption).toHaveText(text ?? '');
    await expect(copy.verdict).not.toHaveText('Comparing…');
    await expect(copy.verdict).toHaveText(said ?? '');
    await expect(copy.widget.locator('.notes')).toHaveCount(0);
    expect(copy.errors).toEqual([]);
    await other.close();
  }
});

test('an instructor\'s locks: locked links cannot be cut, a hidden setting is gone, the free link and playback still work', async ({ page }) => {
  const { widget, errors, caption, toggle } = await open(page, '?preset=thin-pool-spreads-contagion&lock=pool,oracle&hide=seed', '/embed/contagion-network/');
  await expect(widget.locator('[data-access-note]')).toHaveText('For this activity pool link and oracle link are fixed; seed is set and hidden. The other settings are yours to change.');
  await expect(widget.locator('[data-scenario-picker]')).toHaveCount(0);
  await expect(widget.locator('[data-param="seed"]')).toHaveCount(0);
  await expect(widget.getByRole('button', { name: 'Re-roll' })).toHaveCount(0);
  await expect(caption).toContainText('Protocol B is first hit in block 3, through the shared oracle');
  for (const link of ['pool', 'oracle'] as const) {
    await expect(toggle(link)).toBeDisabled();
    // A forced click (what a script or an assistive tool might send) does not reach a locked link either.
    await toggle(link).click({ force: true });
  }
  await expect(widget).toHaveAttribute('data-links', 'shared-shared-marked');
  await expect(widget).toHaveAttribute('data-step', (await widget.getAttribute('data-rounds')) ?? '');
  await toggle('receipt').click();
  await expect(widget).toHaveAttribute('data-links', 'shared-shared-fixed');
  await widget.getByRole('button', { name: 'Pause' }).click();
  await widget.getByRole('slider', { name: /^Block/ }).fill('0');
  await expect(widget).toHaveAttribute('data-step', '0');
  await widget.getByRole('button', { name: 'Step' }).click();
  await expect(widget).toHaveAttribute('data-step', '1');
  expect(errors).toEqual([]);
});

test('picking a scenario loads it at its last block; cutting a link afterwards makes the state the reader\'s own', async ({ page }) => {
  const { widget, caption, verdict, toggle } = await open(page);
  const picker = widget.getByLabel('Scenario');
  await picker.selectOption('own-oracle-spares-protocol-b');
  await expect(widget.locator('label[for$="-depth"] output')).toHaveText('50,000 WETH');
  await expect(toggle('oracle')).toHaveAttribute('aria-pressed', 'true');
  await expect(widget).toHaveAttribute('data-step', (await widget.getAttribute('data-rounds')) ?? '');
  await expect(caption).toContainText('Protocol B is never hit');
  await expect(caption).toContainText('Protocol C is first hit in block 4');
  await expect(verdict).toHaveText('With the oracle link cut: Protocol B is no longer hit; Protocol A and Protocol C still are.');
  await expect(widget.locator('.notes')).toHaveCount(0);
  await toggle('oracle').click();
  await expect(picker).toHaveValue('');
});

test('compact keeps the controls, the diagram and the verdict; figure keeps the diagram and its text', async ({ page }) => {
  const compact = await open(page, '?preset=deep-pool-contains-contagion&layout=compact', '/embed/contagion-network/');
  await expect(compact.widget).toHaveAttribute('data-layout', 'compact');
  await expect(compact.verdict).toHaveText('With every link cut: the same protocols are hit; Protocol A still is.');
  await expect(compact.widget.locator('.compare, details.rounds, .assumptions')).toHaveCount(0);
  await expect(compact.toggle('pool')).toBeVisible();
  await expect(compact.widget.getByRole('button', { name: 'Play' })).toBeVisible();

  const figure = await open(page, '?preset=deep-pool-contains-contagion&layout=figure', '/embed/contagion-network/');
  await expect(figure.widget).toHaveAttribute('data-layout', 'figure');
  await expect(figure.widget.locator('form, .playback, .verdict, .share, [data-scenario-picker]')).toHaveCount(0);
  await expect(figure.caption).toContainText('Protocol B is never hit');
  await expect(figure.widget.locator('svg g.node')).toHaveCount(3);
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the widget page and the lesson show the first figure, its story and the comparison', async ({ page }) => {
    for (const path of [PATH, '/embed/contagion-network/', '/learn/cross-protocol-contagion/']) {
      await page.goto(path);
      const widget = page.locator('section[data-widget="contagion-network"]');
      await expect(widget).toHaveCount(1);
      await expect(widget.locator('svg[role="img"] path.series')).toHaveCount(3);
      await expect(widget.locator('svg g.node')).toHaveCount(3);
      const caption = widget.locator('figcaption.summary');
      await expect(caption).toContainText(STORY_A);
      await expect(caption).toContainText(STORY_B);
      await expect(widget.locator('.compare tbody tr')).toHaveCount(3);
      await expect(widget.locator('.verdict')).toHaveText('With every link cut: Protocol B and Protocol C would not have been hit; Protocol A still is.');
    }
    // The lesson's table of cuts is computed at build time.
    await expect(page.locator('table.cuts tbody tr')).toHaveCount(6);
  });
});

test('the contagion lesson: computed figures, the table of cuts, the predict box and the widget', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/learn/cross-protocol-contagion/');
  await expect(page.locator('article h1')).toHaveText('Cross-protocol contagion');
  const numbers = page.locator('article [data-engine]');
  expect(await numbers.count()).toBeGreaterThan(20);
  for (const text of await numbers.allTextContents()) expect(text).not.toMatch(/NaN|null|undefined|Infinity|^\s*$/);
  // The table is the engine's, row by row (recomputed here from the prose module, not copied).
  const cuts = cutTable();
  const rows = page.locator('table.cuts tbody tr');
  for (const [i, cut] of cuts.entries()) {
    await expect(rows.nth(i).locator('th')).toHaveText(cut.label);
    await expect(rows.nth(i).locator('td').nth(1)).toContainText(cut.B.liquidations);
  }
  const noOracle = contagionReading({ oracle: 'own' });
  const box = page.locator('aside.predict');
  await expect(box).toHaveCount(1);
  await box.getByLabel("Your guess: B's liquidations").fill('1');
  await box.getByText('Reveal the answer').click();
  await expect(box).toContainText(`The engine's answer: ${noOracle.B.liquidationCount}\u00a0liquidations`);
  await hydrate(page);
  await expect(page.locator('section[data-widget="contagion-network"]')).toBeVisible();
  expect(errors).toEqual([]);
});

test('the engines-compared lesson: one table with both engines\' figures and links to every lesson', async ({ page }) => {
  await page.goto('/learn/cefi-vs-defi-margin-engines/');
  const table = page.locator('table.compare');
  await expect(table.locator('tbody tr')).toHaveCount(4);
  const e = enginesCompared();
  await expect(table).toContainText(e.cefi.adl);
  await expect(table).toContainText(e.cefi.fund);
  await expect(table).toContainText(e.defi.A.badDebt);
  await expect(table).toContainText(e.defi.receipt);
  const hrefs = await page.locator('article a[href^="/learn/"]').evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  for (const slug of ['maintenance-margin', 'cascade-case-studies', 'health-factor', 'onchain-liquidations-and-amm', 'liquidation-bottlenecks', 'pooled-liquidity', 'cross-protocol-contagion']) {
    expect(hrefs).toContain(`/learn/${slug}/`);
  }
});
