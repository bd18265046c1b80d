/**
 * The health factor explorer: the reader moves a collateral price (keyboard, mouse, finger) and the health factor,
 * the verdict and what a liquidator would take follow; links and embeds restore the state; bad links are explained;
 * without JavaScript the first figure is still there. And its lesson renders with the engine's figures.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { collectErrors, hydrate } from './helpers';
import { readExplorer, verdict as verdictOf } from '../../src/widgets/health-factor-explorer/model';
import { defaultExplorerState, type ExplorerState } from '../../src/widgets/health-factor-explorer/state';
import { explorerFacts } from '../../src/lib/prose-lending';

const PATH = '/widgets/health-factor-explorer/';

/** The model's own verdict for a state, so the page is held to the engine's words. */
function expected(overrides: Partial<ExplorerState> = {}): string {
  const result = readExplorer(defaultExplorerState(overrides));
  if (!result.ok) throw new Error(result.message);
  return verdictOf(result.reading);
}

async function open(page: Page, query = '', path = PATH) {
  const errors = collectErrors(page);
  await page.goto(`${path}${query}`);
  await hydrate(page);
  const widget = page.locator('section[data-widget="health-factor-explorer"]');
  return {
    widget,
    errors,
    verdict: widget.locator('figcaption .verdict'),
    slider: widget.getByRole('slider', { name: /price/ }),
    output: widget.locator('.price-control output'),
    chart: widget.locator('svg[role="img"]').first(),
    hf: widget.locator('.stats dt', { hasText: /^Health factor$/ }).locator('xpath=following-sibling::dd'),
  };
}

async function plotPoint(chart: Locator, fx: number) {
  await chart.scrollIntoViewIfNeeded();
  const box = await chart.boundingBox();
  if (!box) throw new Error('chart has no box');
  return [box.x + box.width * fx, box.y + box.height * 0.5] as const;
}

test('the first figure: health factor 1.30 and the WETH price where it reaches 1', async ({ page }) => {
  const { widget, errors, verdict, hf } = await open(page);
  await expect(verdict).toHaveText(expected());
  await expect(hf).toHaveText('1.30');
  await expect(widget.locator('.marker-label')).toContainText(['Reference 2,500', 'Liquidation at 1,593']);
  await expect(widget).toHaveAttribute('data-state', 'healthy');
  expect(await widget.innerText()).not.toMatch(/NaN|Infinity|undefined|null/);
  expect(errors).toEqual([]);
});

test('the keyboard moves the price; the health factor, the verdict and the liquidator text follow', async ({ page }) => {
  const { widget, verdict, slider, output, hf } = await open(page);
  await slider.focus();
  // 76 steps of 0.5 % left: WETH −38 %, HF 0.99, liquidatable at a 50 % close factor.
  for (let i = 0; i < 76; i++) await page.keyboard.press('ArrowLeft');
  await expect(output).toHaveText('WETH at 1,550 (−38.0\u202f%), health factor 0.99');
  await expect(slider).toHaveAttribute('aria-valuetext', 'WETH at 1,550 (−38.0\u202f%), health factor 0.99');
  await expect(hf).toHaveText('0.99');
  await expect(verdict).toHaveText(expected({ move: '-38' }));
  await expect(widget).toHaveAttribute('data-state', 'liquidatable');
  const text = widget.locator('.liq-text');
  await expect(text).toContainText('A liquidator repays 13,000 USDC ($13,000) and seizes 8.8232 WETH ($13,676)');
  await expect(text).toContainText("Close factor 50\u202f% of the whole position's debt");
  // Switching to v3.0's rules halves the reserve instead of the position.
  await widget.getByRole('radio', { name: 'v3.0' }).check();
  await expect(text).toContainText('A liquidator repays 12,000 USDC');
  // Further down, the liquidation makes the account worse and leaves bad debt; the text says so.
  await slider.focus();
  await page.keyboard.press('Home');
  await expect(text).toContainText(/Health factor after: 0\.\d+, worse than 0\.\d+\./);
  await expect(text).toContainText('bad debt');
});

test('dragging on the chart with a mouse moves the price', async ({ page }) => {
  const { widget, verdict, output, chart } = await open(page);
  expect(await chart.evaluate((el) => getComputedStyle(el).touchAction)).toBe('pan-y');
  await page.mouse.move(...(await plotPoint(chart, 0.5)));
  await page.mouse.down();
  for (let i = 1; i <= 8; i++) await page.mouse.move(...(await plotPoint(chart, 0.5 - i * 0.05)));
  await page.mouse.up();
  await expect(widget).toHaveAttribute('data-state', 'liquidatable');
  await expect(verdict).toContainText('below 1, so anyone may liquidate the account');
  expect(await output.textContent()).toMatch(/^WETH at [\d,]+ \(−\d+\.\d\u202f%\), health factor 0\.\d\d$/);
});

test('a finger dragging across the chart moves the price', async ({ browser }) => {
  const context = await browser.newContext({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  const { output, chart, verdict } = await open(page);
  const cdp = await context.newCDPSession(page);
  const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', point?: readonly [number, number]) =>
    cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [{ x: point[0], y: point[1] }] : [] });
  await touch('touchStart', await plotPoint(chart, 0.5));
  for (let i = 1; i <= 6; i++) await touch('touchMove', await plotPoint(chart, 0.5 + i * 0.06));
  await touch('touchEnd');
  expect(await output.textContent()).toMatch(/^WETH at [\d,]+ \(\+\d+\.\d\u202f%\)/);
  await expect(verdict).toContainText('It reaches 1, and the account can be liquidated, at WETH 1,593');
  await context.close();
});

test('the account can be edited: amounts, assets and which price moves', async ({ page }) => {
  const { widget, verdict } = await open(page);
  await widget.getByLabel('Amount').nth(2).fill('30000');
  await widget.getByLabel('Amount').nth(2).press('Enter');
  await expect(verdict).toHaveText(expected({ b1: '30000' }));
  await widget.getByRole('radio', { name: 'WBTC' }).first().check();
  await expect(verdict).toContainText('with WBTC at 60,000');
  // Choosing the other slot's asset swaps the two.
  await widget.getByLabel('Collateral 1').selectOption('WBTC');
  await expect(widget.getByLabel('Collateral 2')).toHaveValue('WETH');
});

test('the state round-trips through the Share link and the embed', async ({ page, context }) => {
  const query = '?k=2&move=-30&b1=30000&r=2&s=2&rules=v3.0';
  const { widget, verdict } = await open(page, query);
  const text = await verdict.textContent();
  expect(text).toBe(expected({ k: '2', move: '-30', b1: '30000', r: '2', s: '2', rules: 'v3.0' }));
  await widget.getByRole('button', { name: 'Share this state' }).click();
  const link = await widget.getByLabel('Link to this widget in its current state').inputValue();
  expect(new URL(link).searchParams.get('move')).toBe('-30');
  for (const url of [link, link.replace('/widgets/', '/embed/')]) {
    const other = await context.newPage();
    const { verdict: copy, widget: w, errors } = await open(other, '', url);
    await expect(copy).toHaveText(text ?? '');
    await expect(w.locator('.notes')).toHaveCount(0);
    expect(errors).toEqual([]);
    await other.close();
  }
});

test('bad values in a link are explained, and markup is shown as text', async ({ page }) => {
  const { widget, errors, output } = await open(page, '?move=-300&c1=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&b2=lots');
  const notes = widget.locator('.notes');
  await expect(notes).toContainText('Price move -300 is below the minimum -95 %; using -95.');
  await expect(notes).toContainText('First collateral "<img src=x onerror=alert…" is not one of USDC, WETH, wstETH, WBTC, USDT, DAI, LINK; using WETH.');
  await expect(notes).toContainText('Second debt amount "lots" is not a number; using 2000.');
  await expect(widget.locator('img, script')).toHaveCount(0);
  await expect(output).toContainText('WETH at 125 (−95.0\u202f%)');
  expect(errors).toEqual([]);
});

test('a scenario from the picker loads its account; any change makes the state the reader\'s own again', async ({ page }) => {
  const { widget, verdict, slider } = await open(page);
  const picker = widget.locator('[data-scenario-picker] select');
  await picker.selectOption('weth-crash-bad-debt');
  await expect(verdict).toHaveText(expected({ move: '-80' }));
  await expect(widget.locator('.liq-text')).toContainText('bad debt');
  await slider.focus();
  await page.keyboard.press('ArrowRight');
  await expect(picker).toHaveValue('');
});

test('with the price locked, the slider is fixed and dragging on the chart does not move the price', async ({ page }) => {
  const { widget, verdict, slider, output, chart } = await open(page, '?move=-10&lock=move', '/embed/health-factor-explorer/');
  await expect(slider).toBeDisabled();
  await expect(widget.locator('[data-access-note]')).toContainText('price move is fixed');
  const before = await output.textContent();
  const text = await verdict.textContent();
  await page.mouse.move(...(await plotPoint(chart, 0.5)));
  await page.mouse.down();
  for (let i = 1; i <= 4; i++) await page.mouse.move(...(await plotPoint(chart, 0.5 - i * 0.08)));
  await page.mouse.up();
  await expect(output).toHaveText(before ?? '');
  await expect(verdict).toHaveText(text ?? '');
  // The other settings stay the reader's: which collateral moves is still a choice.
  await expect(widget.getByRole('radio', { name: 'WBTC' }).first()).toBeEnabled();
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });
  test('the first figure, its text and the liquidation line are in the page', async ({ page }) => {
    await page.goto(PATH);
    const widget = page.locator('section[data-widget="health-factor-explorer"]');
    await expect(widget.locator('svg[role="img"] path.series').first()).toBeVisible();
    await expect(widget.locator('figcaption .verdict')).toHaveText(expected());
    await expect(widget.locator('.marker-label', { hasText: 'Liquidation at 1,593' })).toBeVisible();
  });
});

test('the lesson renders the engine figures, the predict box and the widget', async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto('/learn/health-factor/');
  await expect(page.locator('article h1')).toHaveText('Health factor: margin pressure in DeFi lending');
  const numbers = page.locator('article [data-engine]');
  expect(await numbers.count()).toBeGreaterThan(20);
  for (const text of await numbers.allTextContents()) {
    expect(text.trim()).not.toBe('');
    expect(text).not.toMatch(/NaN|null|undefined|Infinity/);
  }
  await expect(page.locator('article .katex-error')).toHaveCount(0);
  await expect(page.locator('article')).toContainText('1.333');
  const label = 'Your guess: the common fall';
  const box = page.locator('aside.predict').filter({ has: page.getByLabel(label) });
  await box.getByLabel(label).fill('20');
  await box.getByText('Reveal the answer').click();
  await expect(box).toContainText(`The engine's answer: ${explorerFacts().uniformDropAnswer}\u00a0%`);
  await hydrate(page);
  await expect(page.locator('section[data-widget="health-factor-explorer"]')).toBeVisible();
  expect(errors).toEqual([]);
});
