/**
 * The stability frontier: capital efficiency against systemic stability. The same traders (one seed) open at
 * the leverage they want, capped at the venue's maximum; the same shock (the mark falls by a fixed percent)
 * hits them on a thin, a medium and a deep book; each point is one simulateCascade. A higher maximum lets
 * traders post less margin for the same exposure (capital efficiency) and moves their liquidation prices
 * closer to the price, where a small shock reaches them and their selling reaches the next ones (instability).
 *
 * Two steps, as the widget recomputes them:
 *  - buildFrontier (shock, population, ADL): one population per grid leverage, one cascade per (leverage,
 *    depth); the expensive part, run only when those settings change;
 *  - frontierView (what the y axis shows, the reader's leverage and depth): reads the computed lines, so moving
 *    the reader's point costs nothing.
 *
 * The venue is held fixed across the grid: the book depths and the insurance fund are set from the open
 * interest of the uncapped population, so only the leverage cap changes from point to point.
 */
import { Decimal, EngineInputError, simulateCascade, type CascadeResult, type LeverageShare, type Population } from '../../engine';
import { formatDecimal, formatPercent } from '../../lib/format';
import { PRICE, cascadeOptions, insuranceFundFor, makeBook, makePopulation, openInterest, refusal } from '../liquidation-map/market';
import { usdt } from '../liquidation-map/model';
import { DEPTH_IDS, LEVERAGE_GRID, type DepthId, type FrontierState, type Metric } from './state';

export type Failure = { ok: false; field: string; message: string };

/**
 * The leverage traders would open with if the venue let them: most at 5–20×, a tail up to 125×. A venue's
 * maximum caps every position above it (the trader keeps the position's size and posts more margin).
 */
export const WANTED_LEVERAGE: readonly LeverageShare[] = [
  { leverage: 2, weight: '0.10' },
  { leverage: 5, weight: '0.20' },
  { leverage: 10, weight: '0.25' },
  { leverage: 20, weight: '0.20' },
  { leverage: 50, weight: '0.12' },
  { leverage: 100, weight: '0.08' },
  { leverage: 125, weight: '0.05' },
];

/** Depth within 1 % of the price, as a share of open interest (BTC perpetuals have run near 1 %). */
export const DEPTH_SHARES: Record<DepthId, Decimal> = {
  thin: new Decimal('0.01'),
  medium: new Decimal('0.03'),
  deep: new Decimal('0.1'),
};
export const DEPTH_LABELS: Record<DepthId, string> = { thin: 'Thin book', medium: 'Medium book', deep: 'Deep book' };
const DEPTH_TONES: Record<DepthId, string> = { thin: 'danger', medium: 'warn', deep: 'accent' };

/** A cascade counts as contained while the total fall stays within this multiple of the shock. */
export const CONTAINED = new Decimal('1.5');

export function cappedMix(maxLeverage: number): LeverageShare[] {
  return WANTED_LEVERAGE.map(({ leverage, weight }) => ({ leverage: Math.min(Number(leverage), maxLeverage), weight }));
}

/** Notional ÷ initial margin over the mix (sizes do not depend on leverage, so a weighted harmonic mean). */
export function averageLeverage(mix: readonly LeverageShare[]): Decimal {
  let weights = new Decimal(0);
  let perUnit = new Decimal(0);
  for (const { leverage, weight } of mix) {
    weights = weights.add(weight);
    perUnit = perUnit.add(new Decimal(weight).div(leverage));
  }
  return weights.div(perUnit);
}

export interface FrontierPoint {
  leverage: number;
  /** Notional ÷ margin the traders open with under this cap. */
  averageLeverage: Decimal;
  cascade: CascadeResult;
  /** Total fall from 60,000, as a fraction. */
  move: Decimal;
  /** Positive amount of bad debt. */
  badDebt: Decimal;
}

export interface Frontier {
  shock: Decimal;
  shockPrice: Decimal;
  count: number;
  openInterest: Decimal;
  fund: Decimal;
  /** USDT within 1 % of the price, per depth. */
  depths: Record<DepthId, Decimal>;
  lines: Record<DepthId, FrontierPoint[]>;
  adl: boolean;
}

/** Every line: one population per grid leverage, one cascade per leverage and depth. */
export function buildFrontier(state: Pick<FrontierState, 'shock' | 'n' | 'seed' | 'adl'>): { ok: true; frontier: Frontier } | Failure {
  const shock = new Decimal(state.shock).div(100);
  const shockPrice = PRICE.mul(new Decimal(1).sub(shock)).toDecimalPlaces(0);
  const adl = state.adl === 'on';
  try {
    const populations: Population[] = LEVERAGE_GRID.map((L) =>
      makePopulation({ count: Number(state.n), longShare: new Decimal('0.5'), mix: cappedMix(L), seed: Number(state.seed) }),
    );
    const reference = openInterest(populations[populations.length - 1]!).notional;
    const depths = {} as Record<DepthId, Decimal>;
    const lines = {} as Record<DepthId, FrontierPoint[]>;
    for (const id of DEPTH_IDS) {
      depths[id] = reference.mul(DEPTH_SHARES[id]).toDecimalPlaces(0);
      const book = makeBook('flat', depths[id]);
      lines[id] = populations.map((population, i) => {
        const cascade = simulateCascade(population, book, { markPrice: shockPrice }, cascadeOptions(reference, adl));
        return {
          leverage: LEVERAGE_GRID[i]!,
          averageLeverage: averageLeverage(cappedMix(LEVERAGE_GRID[i]!)),
          cascade,
          move: cascade.totalMove.div(PRICE),
          badDebt: cascade.badDebt.neg(),
        };
      });
    }
    return {
      ok: true,
      frontier: { shock, shockPrice, count: Number(state.n), openInterest: reference, fund: insuranceFundFor(reference), depths, lines, adl },
    };
  } catch (error) {
    if (error instanceof EngineInputError) return { ok: false, ...refusal(error) };
    throw error;
  }
}

/** A point's value for the metric on the y axis, as a Decimal in the metric's unit (percent, ×, USDT). */
export function metricValue(point: FrontierPoint, metric: Metric): Decimal {
  switch (metric) {
    case 'move':
      return point.move.mul(100);
    case 'amp':
      return point.cascade.amplification ?? new Decimal(1);
    case 'adl':
      return point.cascade.adlNotional;
    case 'bad':
      return point.badDebt;
  }
}

export const METRIC_LABELS: Record<Metric, string> = {
  move: 'Total fall',
  amp: 'Amplification',
  adl: 'Closed by ADL',
  bad: 'Bad debt',
};

/** The same in running text: "the notional closed by ADL". */
export const METRIC_PHRASES: Record<Metric, string> = {
  move: 'the total fall',
  amp: 'the amplification',
  adl: 'the notional closed by ADL',
  bad: 'the bad debt',
};

export function metricText(point: FrontierPoint, metric: Metric): string {
  switch (metric) {
    case 'move':
      return formatPercent(point.move, 1);
    case 'amp':
      return point.cascade.amplification === null ? '—' : `${formatDecimal(point.cascade.amplification, 2)}×`;
    case 'adl':
      return usdt(point.cascade.adlNotional);
    case 'bad':
      return usdt(point.badDebt);
  }
}

/** The same for a table cell: amounts in whole USDT without the unit, which the table's caption gives. */
export function cellText(point: FrontierPoint, metric: Metric): string {
  if (metric === 'adl') return formatDecimal(point.cascade.adlNotional, 0);
  if (metric === 'bad') return formatDecimal(point.badDebt, 0);
  return metricText(point, metric);
}

/** The highest grid leverage up to which every point stays contained (fall within 1.5× the shock); null if even the lowest is not. */
export function containedUpTo(line: readonly FrontierPoint[]): number | null {
  let last: number | null = null;
  for (const point of line) {
    const amp = point.cascade.amplification ?? new Decimal(1);
    if (amp.gt(CONTAINED)) break;
    last = point.leverage;
  }
  return last;
}

const lev = (L: number) => `${L}×`;

export interface FrontierView {
  point: FrontierPoint;
  /** The same depth one grid step lower, for the trade-off sentence; null at the lowest step. */
  lower: FrontierPoint | null;
  chart: {
    lines: { id: DepthId; points: [number, number][]; tone: string; dashed: boolean; label: string }[];
    baseline: [number, number][] | null;
    yMax: number;
    point: { x: number; y: number; label: string };
  };
  rows: { leverage: number; averageLeverage: string; values: Record<DepthId, string> }[];
  verdict: string;
  summary: string;
}

export function frontierView(frontier: Frontier, state: Pick<FrontierState, 'y' | 'lev' | 'depth'>): FrontierView {
  const metric = state.y;
  const index = Math.max(0, LEVERAGE_GRID.indexOf(Number(state.lev) as (typeof LEVERAGE_GRID)[number]));
  const line = frontier.lines[state.depth];
  const point = line[index]!;
  const lower = index > 0 ? line[index - 1]! : null;

  const lines = DEPTH_IDS.map((id) => ({
    id,
    points: frontier.lines[id].map((p) => [p.leverage, metricValue(p, metric).toNumber()] as [number, number]),
    tone: DEPTH_TONES[id],
    dashed: id === 'thin',
    label: `${DEPTH_LABELS[id]} (${usdt(frontier.depths[id])} within 1 %)`,
  }));
  const shockPercent = frontier.shock.mul(100).toNumber();
  const baseline: [number, number][] | null =
    metric === 'move' ? [[LEVERAGE_GRID[0], shockPercent], [LEVERAGE_GRID[LEVERAGE_GRID.length - 1]!, shockPercent]] : metric === 'amp' ? [[LEVERAGE_GRID[0], 1], [LEVERAGE_GRID[LEVERAGE_GRID.length - 1]!, 1]] : null;
  const yMax = Math.max(metric === 'move' ? shockPercent : metric === 'amp' ? 1 : 0, ...lines.flatMap((l) => l.points.map((p) => p[1])), metric === 'adl' || metric === 'bad' ? 1000 : 0);

  const rows = LEVERAGE_GRID.map((L, i) => ({
    leverage: L,
    averageLeverage: `${formatDecimal(frontier.lines.thin[i]!.averageLeverage, 1)}×`,
    values: Object.fromEntries(DEPTH_IDS.map((id) => [id, cellText(frontier.lines[id][i]!, metric)])) as Record<DepthId, string>,
  }));

  const shockText = formatPercent(frontier.shock, 1);
  const depthName = DEPTH_LABELS[state.depth].toLowerCase();
  const fall = formatPercent(point.move, 1);
  const times = point.cascade.amplification === null ? '' : `, ${formatDecimal(point.cascade.amplification, 1)} times the shock`;
  let verdict = `Allowing up to ${lev(point.leverage)} on a ${depthName}, a ${shockText} drop ends ${fall} down${times}.`;
  if (lower) {
    const lowerFall = formatPercent(lower.move, 1);
    verdict += lower.move.lt(point.move)
      ? ` Capping leverage at ${lev(lower.leverage)} (traders post ${formatDecimal(point.averageLeverage.div(lower.averageLeverage), 2)} times the margin) keeps it to ${lowerFall}.`
      : ` Capping leverage at ${lev(lower.leverage)} would not help here: ${lowerFall}.`;
  }
  if (point.cascade.adlNotional.gt(0)) verdict += ` The insurance fund runs dry: ${usdt(point.cascade.adlNotional)} of bankrupt longs are closed against shorts by auto-deleveraging.`;
  if (point.badDebt.gt(0)) verdict += ` ${usdt(point.badDebt)} of losses are left as bad debt.`;
  if (point.cascade.stopReason === 'book-exhausted') verdict += ' The cascade ate every bid in the book.';

  const perDepth = DEPTH_IDS.map((id) => {
    const upTo = containedUpTo(frontier.lines[id]);
    const last = frontier.lines[id][frontier.lines[id].length - 1]!;
    const name = DEPTH_LABELS[id].toLowerCase().replace(' book', '');
    if (upTo === null) return `on the ${name} book it amplifies even at ${lev(LEVERAGE_GRID[0])}`;
    if (upTo === LEVERAGE_GRID[LEVERAGE_GRID.length - 1]) return `on the ${name} book it stays within ${formatDecimal(CONTAINED, 1)} times the shock all the way to ${lev(upTo)} (${formatPercent(last.move, 1)} at ${lev(last.leverage)})`;
    return `on the ${name} book it stays within ${formatDecimal(CONTAINED, 1)} times the shock up to ${lev(upTo)} and reaches ${formatPercent(last.move, 1)} at ${lev(last.leverage)}`;
  });
  const summary =
    `A ${shockText} drop of the mark from ${formatDecimal(PRICE, 0)} hits ${frontier.count.toLocaleString('en-US')} seeded positions ` +
    `(open interest ${usdt(frontier.openInterest)}, insurance fund ${usdt(frontier.fund)}, auto-deleveraging ${frontier.adl ? 'on' : 'off'}). ` +
    `As the maximum leverage rises, ${perDepth.join('; ')}.`;

  return {
    point,
    lower,
    chart: {
      lines,
      baseline,
      yMax,
      point: { x: point.leverage, y: metricValue(point, metric).toNumber(), label: `${lev(point.leverage)}: ${metricText(point, metric)}` },
    },
    rows,
    verdict,
    summary,
  };
}
