/**
 * The embed code gives the iframe a fixed height (no resize script on course pages), so every widget's
 * /embed/ page must fit in it at every width from 360 px up, in the tallest states a reader reaches
 * without opening Share (or the tier ladder's table of all brackets): a note about a value in the link,
 * liquidations, the monitor's rules and its drawing mode. Prints the measured heights to tune embedHeight in
 * src/widgets/meta.ts. Also: no horizontal scrolling in the embed at 360 px (every page at 375 px is checked in
 * a11y.spec.ts, which loads each one anyway).
 *
 * Heights are measured in a 600 px tall window, where the embeds that grow their chart into spare height
 * (cross vs isolated, margin monitor) keep it at its base size: the least the page can be. A last check
 * opens each embed in a window of exactly its declared height and asserts nothing scrolls.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { EMBED_PATH, expectNoHorizontalOverflow, explorer, hydrate, parts } from './helpers';

const widths = [360, 480, 768, 1024];

interface TallState {
  name: string;
  /** Query string to open the embed with. */
  query?: string;
  /** What the reader does after it hydrated. */
  act?: (widget: Locator, page: Page) => Promise<void>;
}

interface EmbedCase {
  id: string;
  states: TallState[];
}

const press = async (page: Page, control: Locator, ...keys: string[]) => {
  await control.focus();
  for (const key of keys) await page.keyboard.press(key);
};

const cases: EmbedCase[] = [
  {
    id: 'position-explorer',
    states: [
      { name: 'default', act: async (w) => expect(w).toHaveAttribute('data-zone', 'safe') },
      {
        name: 'liquidated',
        act: async (w, page) => {
          await press(page, parts(w).markSlider, 'Home');
          await expect(w).toHaveAttribute('data-zone', 'liquidated');
        },
      },
      { name: 'with a note', query: '?lev=500', act: async (w) => expect(parts(w).notes).toBeVisible() },
    ],
  },
  {
    id: 'tier-ladder',
    states: [
      { name: 'default' },
      {
        name: 'largest size, leverage capped',
        act: async (w, page) => {
          await press(page, w.getByRole('slider', { name: /Leverage/ }), 'End');
          await press(page, w.locator('.size-slider'), 'End');
        },
      },
      { name: 'with a note', query: '?notional=1e15', act: async (w) => expect(w.locator('.notes')).toBeVisible() },
    ],
  },
  {
    id: 'cross-vs-isolated',
    states: [
      { name: 'default' },
      {
        name: 'everything liquidated',
        act: async (w, page) => {
          await press(page, w.locator('.mark-slider.btc'), 'Home');
          await press(page, w.locator('.mark-slider.eth'), 'Home');
          await expect(w).toHaveAttribute('data-cross', 'liquidated');
        },
      },
      { name: 'with a note', query: '?lev=500', act: async (w) => expect(w.locator('.notes')).toBeVisible() },
      { name: 'account refused', query: '?wallet=1500', act: async (w) => expect(w.locator('.notes .refusal')).toBeVisible() },
    ],
  },
  {
    id: 'margin-monitor',
    states: [
      { name: 'default (top-up rule)' },
      { name: 'reduce rule', query: '?rule=reduce' },
      { name: 'with a note', query: '?path=1.!!', act: async (w) => expect(w.locator('.notes')).toBeVisible() },
      {
        name: 'drawing a path',
        act: async (w) => {
          await w.getByRole('button', { name: 'Draw the path' }).click();
          await expect(w).toHaveAttribute('data-path', 'drawn');
        },
      },
    ],
  },
  {
    id: 'cascade-simulator',
    states: [
      { name: 'default (played to the end)' },
      { name: 'with notes', query: '?n=500000&move=-99', act: async (w) => expect(w.locator('.notes')).toBeVisible() },
      { name: 'sell beyond the book', query: '?kind=sell&sell=5000&book=flat', act: async (w) => expect(w).toHaveAttribute('data-stop', 'book-exhausted') },
      { name: 'liquidity vault', query: '?backstop=vault&fund=0&move=-8', act: async (w) => expect(w.locator('dl.stats')).toContainText('Vault equity') },
      {
        name: 'predicting',
        act: async (w, page) => {
          await press(page, w.getByRole('slider', { name: /^Price shock/ }), 'ArrowLeft');
          await expect(w).toHaveAttribute('data-phase', 'predict');
        },
      },
      {
        name: 'guess revealed',
        act: async (w, page) => {
          await press(page, w.getByRole('slider', { name: /^Price shock/ }), 'ArrowLeft');
          await w.getByRole('button', { name: 'Commit guess' }).click();
          await w.getByRole('button', { name: 'Pause' }).click();
          await press(page, w.getByRole('slider', { name: /^Round/ }), 'End');
          await expect(w.locator('.reveal')).toBeVisible();
        },
      },
    ],
  },
  {
    id: 'liquidation-map',
    states: [
      { name: 'default' },
      { name: 'book eaten, fund dry, with a note', query: '?depth=50000&p=abc', act: async (w) => expect(w.locator('.notes')).toBeVisible() },
      { name: 'aggressive traders, a rise', query: '?mix=high&p=66000' },
    ],
  },
  {
    id: 'stability-frontier',
    states: [
      { name: 'default' },
      { name: 'thin book, ADL off, with a note', query: '?depth=thin&lev=22&adl=off&y=bad', act: async (w) => expect(w.locator('.notes')).toBeVisible() },
      { name: 'thin book at 125× with ADL', query: '?depth=thin&lev=125&shock=8' },
    ],
  },
  {
    id: 'health-factor-explorer',
    states: [
      { name: 'default' },
      // The longest liquidation text: 100 % close factor, collateral exhausted, worse health, bad debt, and a note.
      { name: 'deep fall with a note', query: '?move=-95&b2=lots', act: async (w) => expect(w.locator('.notes')).toBeVisible() },
      { name: 'just liquidatable, repaying DAI under v3.0', query: '?move=-38&r=2&rules=v3.0' },
    ],
  },
  {
    id: 'contagion-network',
    states: [
      { name: 'default (played to the end)' },
      // The comparison column follows a link's state a moment after hydration: measure once it has.
      {
        name: 'with notes',
        query: '?shock=99&pool=bogus&n=9',
        act: async (w) => {
          await expect(w.locator('.notes')).toBeVisible();
          await expect(w.locator('.verdict')).not.toHaveText('Comparing…');
        },
      },
      // The longest story: every link cut, and the fixed receipt price hiding a loss after a deep fall.
      {
        name: 'every link cut after a 45 % fall',
        query: '?shock=45&pool=own&oracle=own&receipt=fixed',
        act: async (w) => {
          await expect(w.locator('figcaption')).toContainText('liquidates no one, but');
          await expect(w.locator('.verdict')).not.toHaveText('Comparing…');
        },
      },
    ],
  },
];

const widgetIn = (page: Page, id: string) => page.locator(`section[data-widget="${id}"]`);

/** The height the widget's own Share snippet gives the iframe. */
async function snippetHeight(widget: Locator): Promise<number> {
  const code = await parts(widget).embedField.inputValue();
  const match = /<iframe[^>]*\sheight="(\d+)"/.exec(code);
  if (!match?.[1]) throw new Error(`no height="…" in the embed code:\n${code}`);
  return Number(match[1]);
}

const scrollHeight = (page: Page) => page.evaluate(() => Math.ceil(document.documentElement.scrollHeight));

for (const { id, states } of cases) {
  const path = `/embed/${id}/`;
  for (const width of widths) {
    test(`the ${id} embed fits its iframe height at ${width} px`, async ({ page }) => {
      await page.setViewportSize({ width, height: 600 });
      const heights: string[] = [];
      let allowed = 0;
      let tallest = 0;
      for (const state of states) {
        await page.goto(`${path}${state.query ?? ''}`);
        await hydrate(page);
        const widget = widgetIn(page, id);
        if (!allowed) allowed = await snippetHeight(widget);
        await state.act?.(widget, page);
        const measured = await scrollHeight(page);
        heights.push(`${state.name} ${measured}`);
        tallest = Math.max(tallest, measured);
      }
      console.log(`${path} at ${width} px: ${heights.join(', ')}; embedHeight ${allowed} px`);
      test.info().annotations.push({ type: 'embed height', description: `${id} at ${width} px: ${heights.join(', ')}; allowed ${allowed}` });
      expect(tallest, `${path} at ${width} px, tallest state (${heights.join(', ')})`).toBeLessThanOrEqual(allowed);
    });
  }

  test(`the ${id} embed does not scroll inside a frame of its declared height at 360 px`, async ({ page }) => {
    await page.setViewportSize({ width: 360, height: 600 });
    await page.goto(path);
    await hydrate(page);
    const allowed = await snippetHeight(widgetIn(page, id));
    await page.setViewportSize({ width: 360, height: allowed });
    await page.reload();
    await hydrate(page);
    // Widgets that grow their chart into spare height settle within a frame or two.
    await page.waitForTimeout(300);
    expect(await scrollHeight(page)).toBeLessThanOrEqual(allowed);
  });
}

test('the embed does not scroll sideways at 360 px', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 600 });
  await page.goto(EMBED_PATH);
  await hydrate(page);
  await expectNoHorizontalOverflow(page, 'embed at 360 px');
  await parts(explorer(page)).shareButton.click();
  await expectNoHorizontalOverflow(page, 'embed at 360 px with Share open');
});
