/**
 * Every figure and link of the stability frontier's teacher guide (content/guides/stability-frontier.mdx),
 * computed at build time with the widget's own state codec (readFrontierState, writeFrontierState) and model
 * (buildFrontier, frontierView, containedUpTo), so the guide shows what the widget shows when a student opens
 * the link.
 *
 * Each scenario is the widget's default state with a few settings changed, as a link would change them; the link
 * writes every setting out (not a preset name), so it opens the same state whatever presets become.
 */
import { Decimal } from '../../engine';
import { formatDecimal, formatPercent, trimZeros } from '../format';
import { plain } from '../prose-accounts';
import { usdt } from '../../widgets/liquidation-map/model';
import { CONTAINED, DEPTH_LABELS, DEPTH_SHARES, buildFrontier, containedUpTo, frontierView, type Frontier, type FrontierPoint } from '../../widgets/stability-frontier/model';
import { LEVERAGE_GRID, readFrontierState, writeFrontierState, type DepthId, type FrontierState } from '../../widgets/stability-frontier/state';

export function frontierLink(state: FrontierState): string {
  return `/widgets/stability-frontier/?${writeFrontierState(state)}`;
}

const lev = (L: number) => `${L}×`;
const pct = (fraction: Decimal) => formatPercent(fraction, 1);

/** One point as the widget reports it: the cascade at a cap on one book. */
function pointFacts(point: FrontierPoint) {
  return {
    leverage: lev(point.leverage),
    /** What the traders do with their collateral under this cap: notional ÷ initial margin. */
    averageLeverage: `${formatDecimal(point.averageLeverage, 1)}×`,
    fall: pct(point.move),
    /** The fall in percent, one decimal: a predict box's answer. */
    fallAnswer: plain(point.move.mul(100), 1),
    amplification: point.cascade.amplification === null ? null : `${trimZeros(formatDecimal(point.cascade.amplification, 1))}×`,
    adl: usdt(point.cascade.adlNotional),
    badDebt: usdt(point.badDebt),
    final: `${formatDecimal(point.cascade.finalPrice, 0)} USDT`,
  };
}

/**
 * The lines for a shock and population, built once per guide: the states below differ mostly in the reader's
 * point (leverage, depth, y axis), which the widget too reads off the same lines without recomputing them.
 */
const built = new Map<string, ReturnType<typeof buildFrontier>>();
function linesFor(state: FrontierState): ReturnType<typeof buildFrontier> {
  const key = [state.shock, state.n, state.seed, state.adl].join('|');
  let lines = built.get(key);
  if (!lines) {
    lines = buildFrontier(state);
    built.set(key, lines);
  }
  return lines;
}

/** One state of the widget: its lines, the reader's point on them, and the link that opens it. */
export function frontierScenario(overrides: Partial<FrontierState> = {}) {
  const { state, notes } = readFrontierState(new URLSearchParams(overrides as Record<string, string>));
  if (notes.length > 0) throw new Error(`stability-frontier guide: ${notes.join(' ')}`);
  const lines = linesFor(state);
  if (!lines.ok) throw new Error(`stability-frontier guide: ${lines.message}`);
  const frontier: Frontier = lines.frontier;
  const view = frontierView(frontier, state);
  /** The point at grid leverage `L` on book `depth` (the state's own by default). */
  const at = (L: number, depth: DepthId = state.depth) => {
    const point = frontier.lines[depth].find((p) => p.leverage === L);
    if (!point) throw new Error(`stability-frontier guide: ${L}× is not on the grid`);
    return point;
  };
  const contained = (depth: DepthId) => {
    const L = containedUpTo(frontier.lines[depth]);
    return L === null ? null : lev(L);
  };
  return {
    state,
    frontier,
    view,
    at,
    link: frontierLink(state),
    point: pointFacts(view.point),
    shock: pct(frontier.shock),
    shockPrice: `${formatDecimal(frontier.shockPrice, 0)} USDT`,
    depthName: DEPTH_LABELS[state.depth].toLowerCase(),
    contained: { thin: contained('thin'), medium: contained('medium'), deep: contained('deep') },
    verdict: view.verdict,
    facts: (L: number, depth: DepthId = state.depth) => pointFacts(at(L, depth)),
  };
}

export type FrontierScenario = ReturnType<typeof frontierScenario>;

export function stabilityFrontierGuide() {
  const base = frontierScenario();
  const f = base.frontier;
  const top = LEVERAGE_GRID[LEVERAGE_GRID.length - 1]!;

  // The activity: a contained point, the cliff on the medium book, the collateral column, who pays on the thin
  // book, the same frontier under a smaller and a larger shock.
  const calm = frontierScenario({ lev: '10' });
  const beforeCliff = frontierScenario({ lev: '15' });
  const thinAdl = frontierScenario({ lev: '20', depth: 'thin', y: 'adl' });
  const smaller = frontierScenario({ shock: '2' });
  const larger = frontierScenario({ shock: '5' });

  // Predict, then reveal: one grid step over the cliff, the deep book at the top of the grid, the thin book without ADL.
  const q1 = base;
  const q2 = frontierScenario({ lev: String(top), depth: 'deep' });
  const q3 = frontierScenario({ lev: '20', depth: 'thin', adl: 'off' });
  const q3WithAdl = frontierScenario({ lev: '20', depth: 'thin', adl: 'on' });

  // Capital efficiency: how much more notional each unit of collateral carries at the top of the grid than at 20×.
  const at20 = f.lines.medium.find((p) => p.leverage === 20)!;
  const atTop = f.lines.medium[f.lines.medium.length - 1]!;
  const topGain = atTop.averageLeverage.div(at20.averageLeverage).sub(1);
  const at15 = f.lines.medium.find((p) => p.leverage === 15)!;
  const cliffGain = at20.averageLeverage.div(at15.averageLeverage).sub(1);

  return {
    base,
    positions: f.count.toLocaleString('en-US'),
    openInterest: usdt(f.openInterest),
    fund: usdt(f.fund),
    depths: {
      thin: { amount: usdt(f.depths.thin), share: formatPercent(DEPTH_SHARES.thin, 0) },
      medium: { amount: usdt(f.depths.medium), share: formatPercent(DEPTH_SHARES.medium, 0) },
      deep: { amount: usdt(f.depths.deep), share: formatPercent(DEPTH_SHARES.deep, 0) },
    },
    containedMultiple: `${formatDecimal(CONTAINED, 1)} times`,
    top: lev(top),
    activity: {
      calm,
      beforeCliff,
      thinAdl: { ...thinAdl, thinLeverage: thinAdl.point.leverage },
      smaller,
      larger,
      /** Average leverage at 15×, 20× and the top of the grid (the same on every book: the same traders). */
      efficiency: { at15: base.facts(15).averageLeverage, at20: base.facts(20).averageLeverage, atTop: base.facts(top).averageLeverage },
      cliffGain: formatPercent(cliffGain, 0),
      topGain: formatPercent(topGain, 0),
    },
    q1: { ...q1, answer: q1.point.fallAnswer, lower: q1.facts(15) },
    q2: { ...q2, answer: q2.point.fallAnswer, medium: q2.facts(top, 'medium'), thin: q2.facts(top, 'thin') },
    q3: { ...q3, answer: q3.point.fallAnswer, withAdl: q3WithAdl },
  };
}
