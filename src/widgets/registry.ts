/**
 * Every widget the site offers, as instructors and the gallery see it: meta.ts's title and embed height,
 * plus what each teaches and where. Pages import this; widgets import only meta.ts, so these texts stay
 * out of the reader's JavaScript.
 */
import { widgetMetas, type WidgetMeta } from './meta';
import type { LessonPart } from '../lib/lesson-parts';

export interface WidgetInfo extends WidgetMeta {
  /** One sentence: what the reader can do with it. */
  teaches: string;
  /** Where it is taught; null while its lesson is still to be written (the gallery says so). */
  lesson: { href: string; title: string } | null;
  /** The half of the course it belongs to, for the gallery's grouping. */
  part: LessonPart;
}

const DEFI = new Set(['health-factor-explorer', 'amm-liquidation-spiral', 'contagion-network']);

const details: Record<(typeof widgetMetas)[number]['id'], Pick<WidgetInfo, 'teaches' | 'lesson'>> = {
  'position-explorer': {
    teaches:
      'Open one leveraged position, drag the mark price and watch equity fall toward the maintenance margin until the liquidation engine takes over.',
    lesson: { href: '/learn/margin-pressure/#position-explorer', title: 'What is margin pressure?' },
  },
  'tier-ladder': {
    teaches:
      "Drag a position's size through a venue's risk brackets and watch the maintenance rate step up, the allowed leverage step down and the liquidation price move.",
    lesson: { href: '/learn/maintenance-margin/', title: 'Maintenance margin and risk tiers' },
  },
  'cross-vs-isolated': {
    teaches:
      'Hold the same two positions in isolated and in cross margin; drag one market and watch cross margin borrow from the other position until it takes the whole account down.',
    lesson: { href: '/learn/cross-margin-architecture/', title: 'Cross-margin accounts and margin allocation' },
  },
  'margin-monitor': {
    teaches:
      'Replay a position over days of price moves (a random walk, or one you draw), funding and fees; set an alert level and a top-up or reduce rule, and see whether it would have saved the position.',
    lesson: { href: '/learn/margin-ratio-monitoring/', title: 'Margin ratio and margin utilization monitoring' },
  },
  'cascade-simulator': {
    teaches:
      'Shock a market of leveraged positions, predict where the price ends, then play the liquidation cascade round by round: positions crossing their liquidation prices, the order book eaten by forced orders, the insurance fund and the amplification.',
    lesson: { href: '/learn/margin-pressure/#cascade-simulator', title: 'What is margin pressure?' },
  },
  'liquidation-map': {
    teaches:
      'See where the longs and shorts around the price would be liquidated, drag the price into them, and watch their forced orders carry it past the map to where the cascade really ends.',
    lesson: { href: '/learn/forced-selling-spiral/', title: 'The forced-selling spiral' },
  },
  'stability-frontier': {
    teaches:
      'Trade capital efficiency for stability: raise the maximum leverage a venue allows and see how far the same shock cascades on a thin, medium and deep book, with the bad debt and auto-deleveraging it leaves.',
    lesson: { href: '/learn/capital-efficiency-vs-stability/', title: 'Capital efficiency versus systemic stability' },
  },
  'health-factor-explorer': {
    teaches:
      "Move a collateral price under an Aave v3 borrower and watch the health factor fall to the liquidation line, the borrowing limit against it, and what a liquidator would repay, seize and leave behind.",
    lesson: { href: '/learn/health-factor/#health-factor-explorer', title: 'Health factor: margin pressure in DeFi lending' },
  },
  'amm-liquidation-spiral': {
    teaches:
      'Shock a lending protocol whose liquidators sell seized WETH into a constant-product pool that its oracle reads: watch the price point slide down the curve x·y = k block by block, and throttle the liquidations with block space, gas and capital until bad debt appears.',
    lesson: { href: '/learn/onchain-liquidations-and-amm/#amm-liquidation-spiral', title: 'On-chain liquidations and AMM price impact' },
  },
  'contagion-network': {
    teaches:
      'Shock WETH and watch pressure travel between three lending protocols through a shared pool, a shared oracle and a receipt token used as collateral; cut a link, replay, and compare liquidations and bad debt with and without it.',
    lesson: { href: '/learn/cross-protocol-contagion/#contagion-network', title: 'Cross-protocol contagion' },
  },
};

export const widgets: readonly WidgetInfo[] = widgetMetas.map((meta) => ({
  ...meta,
  ...details[meta.id],
  part: DEFI.has(meta.id) ? 'defi' : 'exchanges',
}));

export function widgetInfo(id: string): WidgetInfo {
  const found = widgets.find((w) => w.id === id);
  if (!found) throw new Error(`No widget called ${id}`);
  return found;
}
