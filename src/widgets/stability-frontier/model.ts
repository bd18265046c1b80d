/**
 * The stability frontier: capital efficiency against systemic stability. The same traders (one seed) open at
 * the leverage they want, capped at the venue's maximum; the same shock (the mark falls by a fixed percent)
 * hits them on a thin, a medium and a deep book; each point is one simulateCascade. A higher maximum lets
 * traders post less margin for the same exposure (capital efficiency) and moves their liquidation prices
 * closer to the price, where a small shock reaches them and their selling reaches the next ones (instability).
 *
 * Two steps, as the widget recomputes them:
 *  - buildFrontier (shock, population, ADL): the traders under each grid cap, one cascade per (cap, depth);
 *    the expensive part, run only when those settings change;
 *  - frontierView (what the y axis shows, the reader's leverage and depth): reads the computed lines, so moving
 *    the reader's point costs nothing.
 *
 * Same traders at every point: each cap draws the seed's population with the engine's `maxLeverage`, which
 * keeps every random draw of the uncapped population (cappedTraders). Capping the mix instead would change the
 * draws (createPopulation redraws the entry of a position born past its liquidation price, and a capped
 * leverage needs fewer redraws), so the points would hold different traders and the lines would wobble.
 * With one set of traders, raising the cap only lowers balances, so every liquidation price moves toward the
 * price or stays.
 *
 * The venue is held fixed across the grid: the book depths and the insurance fund are set from the open
 * interest of the traders, the same at every cap, so only the leverage cap changes from point to point.
 */
import {
  Decimal,
  EngineInputError,
  populationPosition,
  simulateCascade,
  type CascadeResult,
  type LeverageShare,
  type Population,
  type Side,
} from '../../engine';
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

/** One trader as drawn, uncapped: what every cap keeps, and the leverage and balance a cap may change. */
interface Trader {
  side: Side;
  cross: boolean;
  entryPrice: Decimal;
  quantity: Decimal;
  maintenanceMarginRate: Decimal;
  /** The leverage the trader wants. */
  wanted: Decimal;
  /** Notional at entry. */
  notional: Decimal;
  /** Notional ÷ wanted leverage, rounded up to the money unit, as createPopulation posts it. */
  initialMargin: Decimal;
  /** A cross account's wallet beyond its initial margin; zero for an isolated position. */
  free: Decimal;
}

/** The seeded traders, uncapped, as a population and as the positions each cap is applied to. */
export interface Traders {
  population: Population;
  traders: readonly Trader[];
  /** Decimals of the population's money unit: margins are rounded to it. */
  moneyDecimals: number;
  /** Total notional at entry. */
  notional: Decimal;
}

/** The traders of a seed, each at the leverage they want (WANTED_LEVERAGE), read back from the engine's population. */
export function seededTraders(count: number, seed: number): Traders {
  const population = makePopulation({ count, longShare: new Decimal('0.5'), mix: WANTED_LEVERAGE, seed });
  const moneyDecimals = population.moneyUnit.decimalPlaces();
  const traders: Trader[] = [];
  let notional = new Decimal(0);
  for (let i = 0; i < population.size; i++) {
    const { position, marginMode, leverage } = populationPosition(population, i);
    if (leverage === null) throw new Error('internal: a generated position has its leverage');
    const entryNotional = position.entryPrice.mul(position.quantity).mul(position.contractSize);
    const initialMargin = entryNotional.div(leverage).toDecimalPlaces(moneyDecimals, Decimal.ROUND_UP);
    traders.push({
      side: position.side,
      cross: marginMode === 'cross',
      entryPrice: position.entryPrice,
      quantity: position.quantity.mul(position.contractSize),
      maintenanceMarginRate: position.maintenanceMarginRate,
      wanted: leverage,
      notional: entryNotional,
      initialMargin,
      // The position's margin is its whole balance: for a cross account the wallet (population.ts).
      free: position.margin.sub(initialMargin),
    });
    notional = notional.add(entryNotional);
  }
  return { population, traders, moneyDecimals, notional };
}

/**
 * The same traders under a venue's maximum leverage: the engine draws the population of the same seed with
 * `maxLeverage`, which makes every random draw as without it, so each position keeps its side, entry, size and
 * account; one that wanted more than `cap` opens at `cap` and posts notional ÷ cap (a cross account's free
 * balance stays the same multiple of its initial margin). Below no wanted leverage nothing changes and the
 * drawn population is returned as it is. `initialMargin` sums notional ÷ min(wanted, cap), rounded up to the
 * money unit as the engine posts it.
 */
export function cappedTraders(traders: Traders, cap: number, seed: number): { population: Population; initialMargin: Decimal } {
  let initialMargin = new Decimal(0);
  let capped = false;
  for (const t of traders.traders) {
    if (t.wanted.gt(cap)) {
      capped = true;
      initialMargin = initialMargin.add(t.notional.div(cap).toDecimalPlaces(traders.moneyDecimals, Decimal.ROUND_UP));
    } else {
      initialMargin = initialMargin.add(t.initialMargin);
    }
  }
  const population = capped
    ? makePopulation({ count: traders.population.size, longShare: new Decimal('0.5'), mix: WANTED_LEVERAGE, seed, maxLeverage: cap })
    : traders.population;
  return { population, initialMargin };
}

/**
 * The traders and their capped versions for the last count and seed: the shock and ADL do not change them, so
 * moving those sliders costs only the cascades.
 */
let lastTraders: { key: string; traders: Traders; capped: ReturnType<typeof cappedTraders>[] } | null = null;
function tradersOnGrid(count: number, seed: number): { traders: Traders; capped: ReturnType<typeof cappedTraders>[] } {
  const key = `${count}:${seed}`;
  if (lastTraders?.key !== key) {
    const traders = seededTraders(count, seed);
    lastTraders = { key, traders, capped: LEVERAGE_GRID.map((L) => cappedTraders(traders, L, seed)) };
  }
  return lastTraders;
}

export interface FrontierPoint {
  leverage: number;
  /** Total notional ÷ total initial margin the traders post under this cap. */
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

/** Every line: the same traders under each grid cap, one cascade per cap and depth. */
export function buildFrontier(state: Pick<FrontierState, 'shock' | 'n' | 'seed' | 'adl'>): { ok: true; frontier: Frontier } | Failure {
  const shock = new Decimal(state.shock).div(100);
  const shockPrice = PRICE.mul(new Decimal(1).sub(shock)).toDecimalPlaces(0);
  const adl = state.adl === 'on';
  try {
    const { traders, capped } = tradersOnGrid(Number(state.n), Number(state.seed));
    const reference = openInterest(traders.population).notional;
    const depths = {} as Record<DepthId, Decimal>;
    const lines = {} as Record<DepthId, FrontierPoint[]>;
    for (const id of DEPTH_IDS) {
      depths[id] = reference.mul(DEPTH_SHARES[id]).toDecimalPlaces(0);
      const book = makeBook('flat', depths[id]);
      lines[id] = capped.map(({ population, initialMargin }, i) => {
        const cascade = simulateCascade(population, book, { markPrice: shockPrice }, cascadeOptions(reference, adl));
        return {
          leverage: LEVERAGE_GRID[i]!,
          averageLeverage: traders.notional.div(initialMargin),
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
