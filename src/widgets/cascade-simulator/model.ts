/**
 * From the cascade simulator's state to what the reader sees. Three stages, each recomputed only when its
 * inputs change (the component keeps them apart):
 *   1. the population (createPopulation: the traders' knobs and the seed) and the book (flatBook or
 *      sqrtBook: the depth knobs), the slow part;
 *   2. the cascade (simulateCascade: the shock and the market's knobs) and what every round of it shows
 *      (cascadeView), a millisecond or two for 10,000 positions;
 *   3. one step of it (stepView): the positions' states, the book and the numbers after the shock (step 0)
 *      or after round k, for the scrubber and playback.
 *
 * The market: BTCUSDT at 60,000 USDT, a 1 USDT tick on the book and the population's entries, 0.001 BTC
 * lots, 0.4 % maintenance rate, 0.5 % liquidation fee into the insurance fund, at most 100 rounds. The book
 * reaches 25 % either side of the mid; `depth` is the BTC within 1 % of it (600 ticks): a flat book holds
 * depth ÷ 600 on every tick, a square-root book a·(2k + 1) on tick k with a·600² = depth.
 *
 * Every number the reader reads is a Decimal from the engine (or a sum, difference or ratio of them).
 * Shapes are drawn from floats: the histogram's bucket quantities come from the engine's liquidationMap,
 * the book's bars from the book's own profile (flat: the same on every level; square root: level k holds
 * a·(2k + 1), so the depth to k levels is a·k²) and the quantity it says is eaten, which is exact at that
 * scale and costs a few operations per bar instead of a walk over thousands of levels.
 *
 * With the liquidity vault as backstop (state `backstop=vault`), the engine's vault takes over bankrupt
 * positions the fund cannot cover and fills `maker` percent of every forced order; its equity, marked at each
 * round's mark, is drawn by round beside the price, and its position and drawdown join the numbers.
 *
 * Positions' states at a step (the histogram): a long is liquidated once the mark has been at or below its
 * liquidation price (the engine's trigger, mark ≤ LP), a short once the mark has been at or above it; the
 * engine then owns it, whether it has been sold yet or waits in the backlog. In warning: not liquidated
 * and within 2 % of the current mark (the bound rounded to the 1 USDT tick). Safe: the rest.
 */
import {
  Decimal,
  EngineInputError,
  createPopulation,
  flatBook,
  liquidationMap,
  simulateCascade,
  sqrtBook,
  type Book,
  type CascadeResult,
  type CascadeShock,
  type LeverageShare,
  type Population,
} from '../../engine';
import { attemptWith, type Attempt } from '../shared/attempt';
import { formatDecimal, formatPercent, formatSignedPercent } from '../../lib/format';
import type { Column } from '../../charts/columns';
import type { CascadeState, LeverageMixName } from './state';

export const PRICE = new Decimal(60000);
export const TICK = new Decimal(1);
export const LOT = '0.001';
/** The book reaches 25 % of the price either side of the mid: 15,000 levels of 1 USDT. */
export const BOOK_LEVELS = 15_000;
/** Levels within 1 % of the mid, where `depth` is measured. */
const LEVELS_PER_PERCENT = 600;
export const MAINTENANCE_RATE = '0.004';
export const LIQUIDATION_FEE = '0.005';
export const MAX_ROUNDS = 100;
export const WARNING_BAND = new Decimal('0.02');

export const LEVERAGE_MIXES: Record<LeverageMixName, { label: string; mix: LeverageShare[] }> = {
  cautious: {
    label: 'Cautious',
    mix: [
      { leverage: 2, weight: '0.3' },
      { leverage: 3, weight: '0.3' },
      { leverage: 5, weight: '0.25' },
      { leverage: 10, weight: '0.15' },
    ],
  },
  typical: {
    label: 'Typical',
    mix: [
      { leverage: 2, weight: '0.1' },
      { leverage: 5, weight: '0.25' },
      { leverage: 10, weight: '0.3' },
      { leverage: 20, weight: '0.2' },
      { leverage: 50, weight: '0.1' },
      { leverage: 100, weight: '0.05' },
    ],
  },
  aggressive: {
    label: 'Aggressive',
    mix: [
      { leverage: 10, weight: '0.2' },
      { leverage: 20, weight: '0.3' },
      { leverage: 50, weight: '0.3' },
      { leverage: 100, weight: '0.2' },
    ],
  },
};

const ZERO = new Decimal(0);
const HUNDRED = new Decimal(100);

// ---------------------------------------------------------------------------------------------------------
// Stage 1 and 2: engine calls, with the engine's refusals turned into words
// ---------------------------------------------------------------------------------------------------------

export type { Attempt };

/** The reader's name for the engine's field, so a refusal points at the control to change. */
const FIELD_NAMES: Record<string, string> = {
  count: 'Positions',
  quantityPerTick: 'Order-book depth',
  firstLevelQuantity: 'Order-book depth',
  resilience: 'Resilience',
  throughputPerRound: 'Liquidation throughput',
  insuranceFund: 'Insurance fund',
  'vault.capital': 'Vault capital',
  'vault.makerShare': 'Vault maker share',
  longShare: 'Long share',
  seed: 'Seed',
  'shock.markPrice': 'Price shock',
  'shock.sellQuantity': 'Market sell',
};

/** The engine's own refusal, in a sentence for the widget. */
export function refusal(error: EngineInputError): string {
  return `The engine cannot run this market. ${FIELD_NAMES[error.field] ?? error.field}: ${error.rule}.`;
}

/** Runs an engine call; an EngineInputError becomes the reader's message, anything else is a bug and throws. */
export function attempt<T>(run: () => T): Attempt<T> {
  return attemptWith(run, refusal);
}

export type PopulationKnobs = Pick<CascadeState, 'mix' | 'long' | 'n' | 'seed'>;
export type BookKnobs = Pick<CascadeState, 'book' | 'depth'>;
export type ShockKnobs = Pick<CascadeState, 'kind' | 'move' | 'sell' | 'res' | 'tp' | 'fund' | 'backstop' | 'vault' | 'maker'>;

export function buildPopulation(k: PopulationKnobs): Population {
  return createPopulation(
    {
      count: Number(k.n),
      price: PRICE,
      tick: TICK,
      lot: LOT,
      longShare: new Decimal(k.long).div(HUNDRED),
      leverageMix: LEVERAGE_MIXES[k.mix].mix,
      maintenanceMarginRate: MAINTENANCE_RATE,
    },
    Number(k.seed),
  );
}

export function buildBook(k: BookKnobs): Book {
  const depth = new Decimal(k.depth);
  if (k.book === 'flat') {
    return flatBook({ mid: PRICE, tick: TICK, quantityPerTick: depth.div(LEVELS_PER_PERCENT).toSignificantDigits(8), levels: BOOK_LEVELS });
  }
  return sqrtBook({ mid: PRICE, tick: TICK, firstLevelQuantity: depth.div(LEVELS_PER_PERCENT ** 2).toSignificantDigits(8), levels: BOOK_LEVELS });
}

/** The mark a shock of `move` percent sets, on the tick. */
export function shockMark(move: string): Decimal {
  return PRICE.mul(HUNDRED.add(move)).div(HUNDRED).toNearest(TICK);
}

export function shockOf(k: Pick<ShockKnobs, 'kind' | 'move' | 'sell'>): CascadeShock {
  return k.kind === 'mark' ? { markPrice: shockMark(k.move) } : { sellQuantity: k.sell };
}

export function runCascade(population: Population, book: Book, k: ShockKnobs): CascadeResult {
  const throughput = new Decimal(k.tp);
  return simulateCascade(population, book, shockOf(k), {
    resilience: new Decimal(k.res).div(HUNDRED),
    maxRounds: MAX_ROUNDS,
    throughputPerRound: throughput.isZero() ? null : throughput,
    liquidationFeeRate: LIQUIDATION_FEE,
    insuranceFund: k.fund,
    ...(k.backstop === 'vault' ? { backstop: 'vault' as const, vault: { capital: k.vault, makerShare: new Decimal(k.maker).div(HUNDRED) } } : {}),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Words and numbers
// ---------------------------------------------------------------------------------------------------------

export const usdt = (value: Decimal) => `${formatDecimal(value, 0)} USDT`;
export const btc = (value: Decimal) => `${formatDecimal(value, 3)} BTC`;
export const count = (value: number) => value.toLocaleString('en-US');
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;
/** Large amounts for sentences: "3.65 million USDT"; below a million, to the unit. */
export function amount(value: Decimal): string {
  return value.abs().gte(1_000_000) ? `${formatDecimal(value.div(1_000_000), 2)} million USDT` : usdt(value);
}
export const times = (value: Decimal) => `${formatDecimal(value, 2)}×`;

// ---------------------------------------------------------------------------------------------------------
// Stage 2: the whole cascade as the views need it
// ---------------------------------------------------------------------------------------------------------

/** What is known after step k (0: the shock; k: after round k), as the engine reported it. */
export interface StepFacts {
  mark: Decimal;
  /** Lowest and highest mark so far: longs at or above the lowest, shorts at or below the highest, are taken. */
  low: Decimal;
  high: Decimal;
  positions: number;
  notional: Decimal;
  longNotional: Decimal;
  shortNotional: Decimal;
  backlog: number;
  fund: Decimal;
  /** With the vault: its equity at the step's mark, its signed position (BTC), and the BTC it took over and filled so far. */
  vault: { equity: Decimal; inventory: Decimal; taken: Decimal; filled: Decimal; drawdown: Decimal } | null;
  badDebt: Decimal;
  adlNotional: Decimal;
  deleveraged: number;
  volatility: Decimal;
  /** |mark − initial| ÷ exogenous move; null for a shock that moved nothing. */
  amplification: Decimal | null;
}

/** The chart window in price: [from, to) in buckets of `step` USDT. */
export interface PriceWindow {
  from: number;
  to: number;
  step: number;
}

interface BookShape {
  kind: 'flat' | 'sqrt';
  tick: number;
  levels: number;
  /** d for a flat book, a for a square-root one (per side). */
  unit: number;
  total: number;
}

/** Where the book stands at a step: mid and how much of each side's profile is eaten. */
interface BookPoint {
  mid: number;
  bidsConsumed: number;
  asksConsumed: number;
  share: number;
}

export interface CascadeView {
  result: CascadeResult;
  kind: CascadeState['kind'];
  initial: Decimal;
  shock: Decimal;
  /** Rounds the cascade ran; steps are 0 … rounds. */
  rounds: number;
  steps: StepFacts[];
  books: BookPoint[];
  /** The charts' price window for the whole cascade, and for the shock alone (before the reader's guess, so the axes give nothing away). */
  window: PriceWindow;
  shockWindow: PriceWindow;
  resilience: number;
  bookShape: BookShape;
  /** Liquidated notional per round: longs, shorts. */
  roundColumns: Column[];
  roundMax: number;
  /** Positions the shock itself crossed (taken over in round 1). */
  crossedByShock: number;
  stop: string;
  /** The stop reason in a few words, for the numbers. */
  stopShort: string;
  /** One sentence: why the price ended where it did. */
  why: string;
  direction: 'down' | 'up' | 'none';
}

const NICE_STEPS = [10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 2500, 5000];
const MAX_BUCKETS = 90;

/**
 * A window from the price before the shock to past the farthest mark of the cascade, in 5 % steps of the
 * price (so it holds still while a slider moves a little), at least 5 % either side.
 */
export function priceWindow(initial: Decimal, marks: readonly Decimal[]): PriceWindow {
  const p0 = initial.toNumber();
  let lowest = p0;
  let highest = p0;
  for (const m of marks) {
    const v = m.toNumber();
    if (v < lowest) lowest = v;
    if (v > highest) highest = v;
  }
  const reach = (distance: number) => Math.min(0.45, Math.max(0.05, Math.ceil(((distance / p0) * 1.2 + 0.015) * 20) / 20));
  const down = reach(p0 - lowest);
  const up = reach(highest - p0);
  const span = p0 * (down + up);
  const step = NICE_STEPS.find((s) => span / s <= MAX_BUCKETS + 1e-9) ?? 10_000;
  return { from: Math.floor((p0 * (1 - down)) / step) * step, to: Math.ceil((p0 * (1 + up)) / step) * step, step };
}

function stopText(result: CascadeResult): string {
  const rounds = plural(result.roundCount, 'round', 'rounds');
  if (result.stopReason === 'fixed-point') {
    if (result.roundCount === 0) return 'Fixed point at once: the shock crossed no liquidation price, so there was nothing to sell.';
    return `Fixed point after ${rounds}: the last round's orders crossed no further liquidation price, so the selling stopped.`;
  }
  if (result.stopReason === 'round-cap') {
    return `Round cap: the simulation stopped after ${rounds} with ${plural(result.backlogPositions, 'position', 'positions')} still waiting for the liquidation engine.`;
  }
  if (result.shockUnfilledQuantity.gt(0)) {
    return `Book exhausted: the shock is beyond the book's depth. The bids held ${btc(result.book.originalDepth.bids)} in all, so ${btc(result.shockUnfilledQuantity)} of the sell found no buyer and the cascade ends at the last bid.`;
  }
  const last = result.rounds[result.rounds.length - 1];
  return `Book exhausted in round ${last?.round ?? result.roundCount}: the book could not take the next liquidated position, leaving ${plural(result.backlogPositions, 'position', 'positions')} (${btc(result.backlogQuantity)}) with the liquidation engine.`;
}

function stopShort(result: CascadeResult): string {
  if (result.stopReason === 'fixed-point') return result.roundCount === 0 ? 'Fixed point at once' : `Fixed point after round ${result.roundCount}`;
  if (result.stopReason === 'round-cap') return `Round cap (${result.roundCount} rounds)`;
  return result.shockUnfilledQuantity.gt(0) ? 'Book exhausted by the shock' : `Book exhausted in round ${result.roundCount}`;
}

function whyText(result: CascadeResult, direction: 'down' | 'up' | 'none'): string {
  if (direction === 'none' && result.roundCount === 0) return 'Nothing moved the price, so no liquidation price was crossed.';
  const shockMove = formatPercent(result.shockPrice.sub(result.initialPrice).abs().div(result.initialPrice));
  const sold = direction === 'up' ? 'bought' : 'sold';
  const into = direction === 'up' ? 'from the asks' : 'into the bids';
  if (result.roundCount === 0) {
    if (result.shockUnfilledQuantity.gt(0)) return `The sell emptied the bids at once: there was no depth left to carry a cascade.`;
    return `The shock's ${shockMove} move crossed no liquidation price, so no forced orders followed and the price stayed where the shock left it.`;
  }
  const closed = direction === 'up' ? result.liquidatedShortQuantity : result.liquidatedLongQuantity;
  const amp = result.amplification;
  const exhausted = result.stopReason === 'book-exhausted' ? ' until the book ran out' : '';
  const vault = result.vault;
  if (vault && vault.takeoverQuantity.gt(0) && (amp === null || amp.lt('1.05'))) {
    return `The vault took over ${btc(vault.takeoverQuantity)} of bankrupt positions at their bankruptcy prices, so they never reached the book: the price ended close to where the shock left it, and the vault's depositors carry the position instead.`;
  }
  if (amp !== null && amp.gte('1.05')) {
    return `The shock alone moved the price ${shockMove}; the liquidation engine then ${sold} ${btc(closed)} of liquidated positions ${into}, which carried the mark through more liquidation prices${exhausted}, so the total move was ${times(amp)} the shock's.`;
  }
  return `The shock crossed the liquidation prices of ${plural(result.positionsLiquidated, 'position', 'positions')}, but the book absorbed their ${btc(closed)} without reaching many more, so the price ended close to where the shock left it.`;
}

export function cascadeView(book: Book, state: ShockKnobs & BookKnobs, result: CascadeResult): CascadeView {
  const initial = result.initialPrice;
  const shock = result.shockPrice;
  const direction: CascadeView['direction'] = shock.lt(initial) ? 'down' : shock.gt(initial) ? 'up' : 'none';
  const exogenous = result.exogenousMove;
  const amplificationAt = (mark: Decimal) => (exogenous.isZero() ? null : mark.sub(initial).abs().div(exogenous));

  // Step 0: after the shock.
  const steps: StepFacts[] = [
    {
      mark: shock,
      low: Decimal.min(shock, initial),
      high: Decimal.max(shock, initial),
      positions: 0,
      notional: ZERO,
      longNotional: ZERO,
      shortNotional: ZERO,
      backlog: 0,
      fund: new Decimal(state.fund),
      vault: result.vault ? { equity: result.vault.capital, inventory: ZERO, taken: ZERO, filled: ZERO, drawdown: ZERO } : null,
      badDebt: ZERO,
      adlNotional: ZERO,
      deleveraged: 0,
      volatility: shock.sub(initial).abs().div(initial),
      amplification: amplificationAt(shock),
    },
  ];
  const total = book.originalDepth.bids.toNumber();
  const books: BookPoint[] = [
    state.kind === 'mark'
      ? { mid: shock.toNumber(), bidsConsumed: 0, asksConsumed: 0, share: 1 }
      : // A sell walks the untouched book: it eats its own size, or the whole side when it is larger.
        { mid: initial.toNumber(), bidsConsumed: Math.min(total, Number(state.sell)), asksConsumed: 0, share: 1 },
  ];
  let peak = result.vault?.capital ?? ZERO;
  for (const round of result.rounds) {
    const before = steps[steps.length - 1]!;
    let vault: StepFacts['vault'] = null;
    if (before.vault && round.vaultEquity) {
      // Drawdown so far: the fall from the highest equity yet, as a share of the capital (as the engine's total).
      peak = Decimal.max(peak, round.vaultEquity);
      vault = {
        equity: round.vaultEquity,
        inventory: round.vaultInventory!,
        taken: before.vault.taken.add(round.vaultTakeoverQuantity!),
        filled: before.vault.filled.add(round.vaultMakerQuantity!),
        drawdown: Decimal.max(before.vault.drawdown, peak.sub(round.vaultEquity).div(result.vault!.capital)),
      };
    }
    steps.push({
      mark: round.price,
      low: Decimal.min(before.low, round.price),
      high: Decimal.max(before.high, round.price),
      positions: before.positions + round.positionsLiquidated,
      notional: before.notional.add(round.liquidatedNotional),
      longNotional: before.longNotional.add(round.liquidatedLongNotional),
      shortNotional: before.shortNotional.add(round.liquidatedShortNotional),
      backlog: round.backlogPositions,
      fund: round.insuranceFund,
      vault,
      badDebt: before.badDebt.add(round.badDebt),
      adlNotional: before.adlNotional.add(round.adlNotional),
      deleveraged: before.deleveraged + round.positionsDeleveraged,
      volatility: round.realizedVolatility,
      amplification: amplificationAt(round.price),
    });
    books.push({
      mid: round.book.mid.toNumber(),
      bidsConsumed: round.book.bidsConsumed.toNumber(),
      asksConsumed: round.book.asksConsumed.toNumber(),
      share: round.book.depthShare.toNumber(),
    });
  }

  const window = priceWindow(initial, [shock, ...result.rounds.map((r) => r.price)]);
  const levels = book.levels.bids;
  const bookShape: BookShape = {
    kind: book.kind === 'flat' ? 'flat' : 'sqrt',
    tick: book.tick?.toNumber() ?? 1,
    levels,
    unit: book.kind === 'flat' ? total / levels : total / (levels * levels),
    total,
  };
  const roundColumns: Column[] = result.rounds.map((r) => ({
    x0: r.round - 0.32,
    x1: r.round + 0.32,
    values: [r.liquidatedLongNotional.toNumber(), r.liquidatedShortNotional.toNumber()],
  }));
  let roundMax = 0;
  for (const c of roundColumns) roundMax = Math.max(roundMax, (c.values[0] ?? 0) + (c.values[1] ?? 0));

  return {
    result,
    kind: state.kind,
    initial,
    shock,
    rounds: result.roundCount,
    steps,
    books,
    window,
    shockWindow: priceWindow(initial, [shock]),
    resilience: new Decimal(state.res).div(HUNDRED).toNumber(),
    bookShape,
    roundColumns,
    roundMax,
    crossedByShock: result.rounds[0]?.positionsTriggered ?? 0,
    stop: stopText(result),
    stopShort: stopShort(result),
    why: whyText(result, direction),
    direction,
  };
}

/** The charts' frame for one window: the population per bucket and the tallest bars, fixed through the rounds. */
export interface Layout {
  window: PriceWindow;
  /** Quantity of longs and shorts whose liquidation price lies in each bucket (the engine's liquidationMap), as floats for drawing. */
  buckets: { lo: number[]; longQ: number[]; shortQ: number[] };
  /** Tallest bar of the book before any liquidation, so its y axis holds still through the rounds. */
  bookMax: number;
  populationMax: number;
}

/** The histogram's buckets per population and window: a shock slider step that keeps the window reuses them. */
const bucketCache = new WeakMap<Population, Map<string, Layout['buckets']>>();

function bucketsFor(population: Population, window: PriceWindow): Layout['buckets'] {
  let byWindow = bucketCache.get(population);
  if (!byWindow) bucketCache.set(population, (byWindow = new Map()));
  const key = `${window.from}:${window.to}:${window.step}`;
  let buckets = byWindow.get(key);
  if (!buckets) {
    const map = liquidationMap(population, window);
    buckets = {
      lo: map.map((b) => b.from.toNumber()),
      longQ: map.map((b) => b.longQuantity.toNumber()),
      shortQ: map.map((b) => b.shortQuantity.toNumber()),
    };
    byWindow.set(key, buckets);
  }
  return buckets;
}

export function layoutFor(view: CascadeView, population: Population, window: PriceWindow): Layout {
  const buckets = bucketsFor(population, window);
  let populationMax = 0;
  for (let i = 0; i < buckets.lo.length; i++) {
    populationMax = Math.max(populationMax, buckets.longQ[i]! * buckets.lo[i]!, buckets.shortQ[i]! * (buckets.lo[i]! + window.step));
  }
  let bookMax = 0;
  for (const c of bookColumns(view.bookShape, { ...view.books[0]!, bidsConsumed: 0, asksConsumed: 0 }, window, 0)) bookMax = Math.max(bookMax, c.values[0] ?? 0);
  return { window, buckets, bookMax, populationMax };
}

// ---------------------------------------------------------------------------------------------------------
// The order book's bars
// ---------------------------------------------------------------------------------------------------------

/** Depth of the first k levels of one side's profile. */
function cumulative(shape: BookShape, k: number): number {
  const levels = Math.min(Math.max(k, 0), shape.levels);
  return shape.kind === 'flat' ? shape.unit * levels : shape.unit * levels * levels;
}

/**
 * The book in the window's buckets: per bucket [remaining, eaten, returns] in BTC. Remaining is what stands
 * (visible share of what is not eaten); eaten is what market orders took from the top of the side and has
 * not come back; returns is the part of the eaten depth that comes back before the next round (the
 * resilience fraction of what is eaten, nearest the price first, as the engine refills).
 */
export function bookColumns(shape: BookShape, at: BookPoint, window: PriceWindow, resilience: number): Column[] {
  const out: Column[] = [];
  const { tick } = shape;
  const refillFrom = { bids: at.bidsConsumed * (1 - resilience), asks: at.asksConsumed * (1 - resilience) };
  const piece = (first: number, last: number, consumed: number, from: number): [number, number, number] => {
    const lo = cumulative(shape, first);
    const hi = cumulative(shape, last);
    if (hi <= lo) return [0, 0, 0];
    const eaten = Math.max(0, Math.min(hi, consumed) - lo);
    const returns = Math.max(0, Math.min(hi, consumed) - Math.max(lo, from));
    return [(hi - lo - eaten) * at.share, eaten - returns, returns];
  };
  for (let lo = window.from; lo < window.to; lo += window.step) {
    const hi = lo + window.step;
    let values: [number, number, number] = [0, 0, 0];
    if (lo < at.mid) {
      // Bid level k sits at mid − (k + 1)·tick: the bucket [lo, min(hi, mid)) holds levels from ⌊(mid − top)/tick⌋ to ⌊(mid − lo)/tick⌋.
      const top = Math.min(hi, at.mid);
      const bids = piece(Math.floor((at.mid - top) / tick), Math.floor((at.mid - lo) / tick), at.bidsConsumed, refillFrom.bids);
      values = [values[0] + bids[0], values[1] + bids[1], values[2] + bids[2]];
    }
    if (hi > at.mid) {
      // Ask level k sits at mid + (k + 1)·tick: the bucket [max(lo, mid), hi) holds levels from ⌈(bottom − mid)/tick⌉ − 1 to ⌈(hi − mid)/tick⌉ − 1.
      const bottom = Math.max(lo, at.mid);
      const first = Math.max(0, Math.ceil((bottom - at.mid) / tick) - 1 + (bottom === at.mid ? 1 : 0));
      const asks = piece(first, Math.ceil((hi - at.mid) / tick) - 1, at.asksConsumed, refillFrom.asks);
      values = [values[0] + asks[0], values[1] + asks[1], values[2] + asks[2]];
    }
    out.push({ x0: lo, x1: hi, values });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// Stage 3: one step
// ---------------------------------------------------------------------------------------------------------

export type PositionState = 'liquidated' | 'warning' | 'safe';

/** Long liquidation prices at or above the mark's lowest are taken; in warning from ⌈0.98·mark⌉ up. */
export function longThresholds(facts: Pick<StepFacts, 'mark' | 'low'>): { liquidated: Decimal; warning: Decimal } {
  return { liquidated: facts.low, warning: Decimal.min(facts.low, facts.mark.mul(WARNING_BAND.neg().add(1)).ceil()) };
}

/** Short liquidation prices at or below the mark's highest are taken; in warning up to ⌊1.02·mark⌋. */
export function shortThresholds(facts: Pick<StepFacts, 'mark' | 'high'>): { liquidated: Decimal; warning: Decimal } {
  return { liquidated: facts.high, warning: Decimal.max(facts.high, facts.mark.mul(WARNING_BAND.add(1)).floor()) };
}

/** The state of a position with liquidation price `lp` at a step: the rule the histogram colours by. */
export function positionState(side: 'long' | 'short', lp: Decimal, facts: Pick<StepFacts, 'mark' | 'low' | 'high'>): PositionState {
  if (side === 'long') {
    const t = longThresholds(facts);
    return lp.gte(t.liquidated) ? 'liquidated' : lp.gte(t.warning) ? 'warning' : 'safe';
  }
  const t = shortThresholds(facts);
  return lp.lte(t.liquidated) ? 'liquidated' : lp.lte(t.warning) ? 'warning' : 'safe';
}

/** Per bucket [liquidated, warning, safe] notional (longs at the bucket's low edge, shorts at its high edge, as the map). */
export function populationColumns(view: CascadeView, layout: Layout, population: Population, step: number): Column[] {
  const facts = view.steps[step]!;
  const { lo, longQ, shortQ } = layout.buckets;
  const width = layout.window.step;
  const longT = longThresholds(facts);
  const shortT = shortThresholds(facts);
  const lq = longT.liquidated.toNumber();
  const lw = longT.warning.toNumber();
  const sq = shortT.liquidated.toNumber();
  const sw = shortT.warning.toNumber();
  // Longs with LP ≥ t inside [b, b + width): the bucket, nothing, or the engine's map of the part above t.
  const longsFrom = (i: number, t: number) => {
    const b = lo[i]!;
    if (t <= b) return longQ[i]!;
    if (t >= b + width) return 0;
    return liquidationMap(population, { from: t, to: b + width, step: b + width - t })[0]!.longQuantity.toNumber();
  };
  // Shorts with LP ≤ t inside (b, b + width].
  const shortsTo = (i: number, t: number) => {
    const b = lo[i]!;
    if (t >= b + width) return shortQ[i]!;
    if (t <= b) return 0;
    return liquidationMap(population, { from: b, to: t, step: t - b })[0]!.shortQuantity.toNumber();
  };
  const out: Column[] = [];
  for (let i = 0; i < lo.length; i++) {
    const b = lo[i]!;
    let liquidated = 0;
    let warning = 0;
    let safe = 0;
    if (longQ[i]! > 0) {
      const taken = longsFrom(i, lq);
      const near = longsFrom(i, lw);
      liquidated += taken * b;
      warning += (near - taken) * b;
      safe += (longQ[i]! - near) * b;
    }
    if (shortQ[i]! > 0) {
      const taken = shortsTo(i, sq);
      const near = shortsTo(i, sw);
      const edge = b + width;
      liquidated += taken * edge;
      warning += (near - taken) * edge;
      safe += (shortQ[i]! - near) * edge;
    }
    out.push({ x0: b, x1: b + width, values: [liquidated, warning, safe] });
  }
  return out;
}

export function bookAt(view: CascadeView, layout: Layout, step: number): Column[] {
  return bookColumns(view.bookShape, view.books[step]!, layout.window, view.resilience);
}

export interface Stat {
  label: string;
  value: string;
  note?: string;
  /** A few words rather than a number: given more room. */
  wide?: boolean;
}

export function stepLabel(view: Pick<CascadeView, 'rounds'>, step: number): string {
  return step === 0 ? 'After the shock' : `After round ${step} of ${view.rounds}`;
}

/** The numbers at a step; `predicting` hides how the cascade ends until the reader has guessed. */
export function stats(view: CascadeView, step: number, predicting = false): Stat[] {
  const f = view.steps[step]!;
  const change = f.mark.sub(view.initial).div(view.initial);
  const out: Stat[] = [
    { label: 'Mark price', value: usdt(f.mark), note: formatSignedPercent(change) },
    { label: 'Liquidated notional', value: usdt(f.notional) },
    { label: 'Positions liquidated', value: count(f.positions), ...(f.backlog > 0 ? { note: `${count(f.backlog)} waiting` } : {}) },
    { label: 'Insurance fund', value: usdt(f.fund) },
    ...(f.vault ? vaultStats(f.vault, view) : []),
    { label: 'Bad debt', value: usdt(f.badDebt.abs()) },
    { label: 'Auto-deleveraged', value: usdt(f.adlNotional), note: plural(f.deleveraged, 'position', 'positions') },
    { label: 'Realized volatility', value: formatPercent(f.volatility) },
    { label: 'Amplification', value: f.amplification === null ? 'none (no shock)' : times(f.amplification) },
    { label: 'The cascade stops', value: predicting ? 'You will see after your guess' : view.stopShort, wide: true },
  ];
  return out;
}

/** A signed position in words: "12.345 BTC long", "3.000 BTC short" or "none". */
export function positionWords(inventory: Decimal): string {
  if (inventory.isZero()) return 'none';
  return `${btc(inventory.abs())} ${inventory.gt(0) ? 'long' : 'short'}`;
}

function vaultStats(v: NonNullable<StepFacts['vault']>, view: CascadeView): Stat[] {
  const capital = view.result.vault!.capital;
  return [
    { label: 'Vault equity', value: usdt(v.equity), note: `${formatSignedPercent(v.equity.sub(capital).div(capital))}; worst drawdown ${formatPercent(v.drawdown)}` },
    { label: 'Vault position', value: positionWords(v.inventory), note: `${btc(v.taken)} taken over, ${btc(v.filled)} as maker` },
  ];
}

/** The vault's part of the text equivalent at a step (empty without the vault, or before round 1). */
function vaultSentence(view: CascadeView, step: number): string {
  const v = view.steps[step]!.vault;
  if (!v || step === 0) return '';
  const capital = view.result.vault!.capital;
  const change = v.equity.sub(capital);
  const took = v.taken.isZero() ? 'has taken over no position' : `has taken over ${btc(v.taken)} of bankrupt positions at their bankruptcy prices`;
  const made = v.filled.isZero() ? '' : ` and bought or sold ${btc(v.filled)} as maker`;
  const holds = v.inventory.isZero() ? 'holds no position' : `holds ${positionWords(v.inventory)}`;
  return ` The vault ${took}${made}; it ${holds}, and its equity is ${amount(v.equity)} (${change.isZero() ? 'unchanged' : `${formatSignedPercent(change.div(capital))} on its capital`}, worst drawdown so far ${formatPercent(v.drawdown)}).`;
}

/** The text equivalent of the figure at a step, once the cascade is revealed. */
export function summary(view: CascadeView, step: number): string {
  const f = view.steps[step]!;
  const start = usdt(view.initial);
  const shockChange = formatSignedPercent(view.shock.sub(view.initial).div(view.initial));
  const shockWords =
    view.kind === 'mark' ? `The shock moves the mark from ${start} to ${usdt(view.shock)} (${shockChange})` : `The market sell takes the price from ${start} to ${usdt(view.shock)} (${shockChange})`;
  if (step === 0) {
    const crossed =
      view.crossedByShock > 0
        ? `crosses the liquidation prices of ${plural(view.crossedByShock, 'position', 'positions')}, which the liquidation engine takes over in round 1.`
        : 'crosses no liquidation price.';
    return `${shockWords} and ${crossed}${view.rounds === 0 ? ` ${view.stop}` : ''}`;
  }
  const change = formatSignedPercent(f.mark.sub(view.initial).div(view.initial));
  let text = `${stepLabel(view, step)} the mark is ${usdt(f.mark)} (${change} from ${start}; the shock alone: ${shockChange}). ${plural(f.positions, 'position has', 'positions have')} been liquidated, ${amount(f.notional)} of notional`;
  text += f.backlog > 0 ? `, and ${plural(f.backlog, 'position waits', 'positions wait')} for the engine.` : '.';
  text += vaultSentence(view, step);
  if (step === view.rounds) {
    text += ` ${view.stop}`;
    if (f.amplification !== null) text += ` The total move is ${times(f.amplification)} the shock's.`;
  }
  return text;
}

/** The text before the reader has committed a guess: only what the shock itself did. */
export function predictSummary(view: CascadeView): string {
  const shockChange = formatSignedPercent(view.shock.sub(view.initial).div(view.initial));
  const what = view.kind === 'mark' ? 'The shock moves the mark' : 'The market sell takes the price';
  const crossed = view.crossedByShock > 0 ? `crosses the liquidation prices of ${plural(view.crossedByShock, 'position', 'positions')}` : 'crosses no liquidation price yet';
  return `${what} from ${usdt(view.initial)} to ${usdt(view.shock)} (${shockChange}) and ${crossed}. Where will the price end once their forced orders have run their course?`;
}

// ---------------------------------------------------------------------------------------------------------
// Predict, then reveal
// ---------------------------------------------------------------------------------------------------------

export interface GuessComparison {
  /** final − guess. */
  gap: Decimal;
  /** The cascade went further from the start than the guess, or less far, or within 0.5 % of the price. */
  verdict: 'further' | 'shorter' | 'close';
  text: string;
}

export const CLOSE_GUESS = new Decimal('0.005');

/** The engine's final price beside the reader's guess, in a sentence. */
export function compareGuess(guess: Decimal, result: Pick<CascadeResult, 'initialPrice' | 'finalPrice'>): GuessComparison {
  const final = result.finalPrice;
  const gap = final.sub(guess);
  const start = result.initialPrice;
  const lead = `You guessed ${usdt(guess)}; the cascade ended at ${usdt(final)}`;
  if (gap.abs().lte(start.mul(CLOSE_GUESS))) {
    const off = gap.isZero() ? 'exactly your guess' : `${usdt(gap.abs())} ${gap.gt(0) ? 'above' : 'below'} it`;
    return { gap, verdict: 'close', text: `${lead}, ${off}: within 0.5 % of the price, a good read.` };
  }
  const further = final.sub(start).abs().gt(guess.sub(start).abs());
  const side = gap.gt(0) ? 'higher' : 'lower';
  const verdict = further ? 'further' : 'shorter';
  const why = further ? 'the spiral went further than you expected.' : 'the spiral stopped sooner than you expected.';
  return { gap, verdict, text: `${lead}, ${usdt(gap.abs())} ${side}: ${why}` };
}

/** Where the guess slider starts: the shock's own price, the answer if nobody were leveraged. */
export function guessStart(view: Pick<CascadeView, 'shock'>, step: number): Decimal {
  return view.shock.toNearest(step);
}

export interface TableRow {
  step: string;
  mark: string;
  positions: string;
  notional: string;
  backlog: string;
  fund: string;
  /** Vault equity, USDT; empty without the vault. */
  vault: string;
  badDebt: string;
  volatility: string;
}

/** The per-round table: the shock, then every round as the engine reported it. */
export function tableRows(view: CascadeView): TableRow[] {
  return view.steps.map((f, k) => {
    const round = view.result.rounds[k - 1];
    return {
      step: k === 0 ? 'Shock' : String(k),
      mark: formatDecimal(f.mark, 0),
      positions: round ? count(round.positionsLiquidated) : '0',
      notional: formatDecimal(round ? round.liquidatedNotional : ZERO, 0),
      backlog: count(f.backlog),
      fund: formatDecimal(f.fund, 0),
      vault: f.vault ? formatDecimal(f.vault.equity, 0) : '',
      badDebt: formatDecimal(round ? round.badDebt.abs() : ZERO, 0),
      volatility: formatPercent(f.volatility),
    };
  });
}
