/**
 * A population of leveraged positions in one linear (USDⓈ-margined) market: who gets liquidated where.
 *
 * Two ways to make one:
 *  - createPopulation(params, seed): N positions drawn from a seeded generator (random.ts: d3-random's LCG and
 *    deterministic transforms), longs and shorts, a leverage mix, entries spread around the current price,
 *    heavy-tailed sizes, isolated and cross accounts. Same seed and parameters, same population, bit for bit,
 *    on every machine.
 *  - populationFrom(positions): explicit positions in the account engine's shape, so a scenario can be exact.
 *
 * Cross accounts. A cross account here holds this one position, backed by its whole wallet: the initial margin
 * (notional at entry ÷ leverage) plus free balance. For such an account the account engine's cross liquidation
 * price (crossLiquidationPrice, Binance's formula with A = wallet balance, no other positions) is the isolated
 * formula with the wallet as the margin (account.ts), so the free balance pushes the liquidation price away;
 * when the account is liquidated the whole wallet is at stake, as an isolated margin is in liquidationOutcome.
 * What is left out: a real cross wallet also backs positions in other markets, whose profits and losses move
 * this liquidation price; here every other market is held still.
 *
 * Exact grid. Every price is an integer number of 10^−dp, every quantity of 10^−dq, every balance of 10^−dw
 * (dw ≥ dp + dq, so quantity × price is a whole number of money units too), every maintenance rate of 10^−dm.
 * createPopulation rounds what it draws onto that grid (entries to the tick, sizes to the lot, margins up to
 * the money unit: a margin rounded up still covers notional ÷ leverage), so no float ever becomes money
 * unrounded. Positions are held as bigint (exact) and float64 (exact below 2^53) arrays, not as objects.
 *
 * Liquidation trigger. The cascade moves the mark on a price grid of 10^−d (the finest of the population's,
 * the book's and the shock's). A long is liquidated when mark ≤ LP, a short when mark ≥ LP, with LP the
 * account engine's liquidation price (linear, Binance's convention, position.ts):
 *     long  LP = (Q·E − B − cum) / (Q·(1 − mmr))        short  LP = (Q·E + B + cum) / (Q·(1 + mmr))
 * With integers q, e, b, c, mm on the grid (K = 10^(dw − d − dq)) a mark m·10^−d is at or past LP exactly when
 *     long   m ≤ ⌊N/D⌋,  N = (q·e·K − b − c)·10^dm,  D = K·q·(10^dm − mm)
 *     short  m ≥ ⌈N/D⌉,  N = (q·e·K + b + c)·10^dm,  D = K·q·(10^dm + mm)
 * These integer thresholds are computed once per grid (a float estimate, checked against its error bound, and
 * bigint arithmetic whenever the estimate is within that bound of an integer).
 * Why they agree with the engine's 40-digit LP: the engine's Decimal LP is N/D rounded once, to within
 * 5·10^−40 relative (its numerator and denominator are exact for grid inputs). If N/D is not an integer, it is
 * at least 1/D from the nearest integer, and 1/D ≥ (N/D)·5·10^−40 whenever N ≤ 2·10^39, true for any market
 * (N is about notional × 10^(dw + dm)). So ⌊LP·10^d⌋ from the engine equals ⌊N/D⌋; when N/D is an integer the
 * engine's LP is exact. Tests check this position by position against liquidationPrice().
 *
 * Per grid, each side is sorted by trigger (longs highest first, shorts lowest first; ties by position index)
 * with prefix sums of quantity, entry value (Q·E) and balance, so a cascade finds the positions a mark crosses
 * by binary search and sums them in O(1), whatever the population's size.
 */
import { Decimal, ONE, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, oneOf, positive, toDecimal } from './parse.ts';
import { bankruptcyPrice, liquidationPrice, normalizePosition } from './venue-position.ts';
import { crossLiquidationPrice } from './account.ts';
import { SIDES, type Position, type PositionInput, type Side } from './position.ts';
import { ceilDiv, floorDiv, FLOAT_EXACT, fromScaled, pow10, toScaled } from './exact.ts';
import { logNormalDraw, paretoDraw, seededRandom, triangularDraw } from './random.ts';

/** At most this many positions: a cascade over more would not answer a slider step in time. */
export const MAX_POPULATION = 1_000_000;

export type MarginMode = 'isolated' | 'cross';
export const MARGIN_MODES: readonly MarginMode[] = ['isolated', 'cross'];

// ---------------------------------------------------------------------------------------------------------
// Storage
// ---------------------------------------------------------------------------------------------------------

/** @internal The canonical, exact storage of a population (one entry per position, in creation order). */
export interface PopulationData {
  readonly n: number;
  /** 0 long, 1 short. */
  readonly side: Uint8Array;
  /** 1 for a cross account. */
  readonly cross: Uint8Array;
  /** Base quantity (quantity × contract size) in 10^−dq. */
  readonly q: Float64Array;
  /** Entry price in 10^−dp. */
  readonly e: Float64Array;
  /** Balance backing the position (isolated margin, or the cross wallet) in 10^−dw. */
  readonly b: Float64Array;
  /** Maintenance amount in 10^−dw. */
  readonly c: Float64Array;
  /** Maintenance margin rate in 10^−dm. */
  readonly mm: Float64Array;
  /**
   * The same integers as bigints, when one of them is 2^53 or more (then the float arrays hold approximations);
   * null when every float above is exact, which is always the case for createPopulation.
   */
  readonly big: { q: bigint[]; e: bigint[]; b: bigint[]; c: bigint[]; mm: bigint[] } | null;
  readonly leverage: readonly (Decimal | null)[];
  readonly dp: number;
  readonly dq: number;
  readonly dw: number;
  readonly dm: number;
}

/** @internal One canonical integer of a position, exactly. */
export function exactOf(d: PopulationData, field: 'q' | 'e' | 'b' | 'c' | 'mm', i: number): bigint {
  return d.big ? d.big[field][i]! : BigInt(d[field][i]!);
}

/**
 * @internal Exact prefix sums held cheaply: float64 partial sums, exact because each block is cut before its sum
 * reaches 2^52, over bigint block bases. Building one costs a float add per position and a bigint per block (one
 * block for any realistic market); reading one costs a bigint conversion.
 */
export class PrefixSum {
  private readonly within: Float64Array;
  private readonly block: Int32Array;
  private readonly base: bigint[];
  /** From exact non-negative integer floats (every value below 2^52). */
  constructor(values: Float64Array | null, exactValues: ((j: number) => bigint) | null, n: number) {
    this.within = new Float64Array(n + 1);
    this.block = new Int32Array(n + 1);
    this.base = [0n];
    if (values) {
      let running = 0;
      let blockTotal = 0n;
      for (let j = 0; j < n; j++) {
        const v = values[j]!;
        if (running + v >= FLOAT_EXACT) {
          blockTotal += BigInt(running);
          this.base.push(blockTotal);
          running = 0;
        }
        running += v;
        this.within[j + 1] = running;
        this.block[j + 1] = this.base.length - 1;
      }
    } else {
      // Values too large for floats: one bigint per position.
      let total = 0n;
      for (let j = 0; j < n; j++) {
        total += exactValues!(j);
        this.base.push(total);
        this.block[j + 1] = j + 1;
      }
    }
  }
  /** Σ of the first j values. */
  at(j: number): bigint {
    const w = this.within[j]!;
    return w === 0 ? this.base[this.block[j]!]! : this.base[this.block[j]!]! + BigInt(w);
  }
  /** Σ of values [a, b). */
  range(a: number, b: number): bigint {
    return this.at(b) - this.at(a);
  }
}

/** @internal One side of a population on one price grid, sorted by liquidation trigger. */
export interface SideView {
  readonly side: Side;
  readonly n: number;
  /** Sorted position → index in the population. */
  readonly idx: Uint32Array;
  /**
   * Trigger on the grid: a long is liquidated when mark ≤ trig, a short when mark ≥ trig (mark in 10^−dp).
   * −Infinity for a long that no positive price liquidates.
   */
  readonly trig: Float64Array;
  /** Float copies in grid units, sorted order (exact when `exact`). */
  readonly q: Float64Array;
  readonly e: Float64Array;
  readonly b: Float64Array;
  /** Maintenance amount (money units) and rate numerator (10^−dm), as floats. */
  readonly c: Float64Array;
  readonly mm: Float64Array;
  /** Prefix sums in sorted order: Σ q, Σ q·e·K (entry value in money units), Σ b. */
  readonly prefQ: PrefixSum;
  readonly prefQE: PrefixSum;
  readonly prefB: PrefixSum;
  /** Every float copy, every q·e·K and the sum of all q are below 2^52, so float arithmetic on them is exact. */
  readonly exact: boolean;
}

/** @internal A population on the price grid 10^−dp (money grid 10^−dw, K = 10^(dw − dp − dq)). */
export interface PopulationView {
  readonly dp: number;
  readonly dq: number;
  readonly dw: number;
  readonly dm: number;
  readonly K: bigint;
  readonly Kf: number;
  /** Multiply a canonical entry price (10^−data.dp) by this to get it on the view's grid. */
  readonly eScale: bigint;
  /** Multiply a canonical balance or maintenance amount by this. */
  readonly bScale: bigint;
  readonly long: SideView;
  readonly short: SideView;
}

const POPULATION_BRAND = Symbol('margin-pressure.population');

/**
 * A population of positions, immutable. Its positions are read with populationPosition(); its numbers are
 * held internally on an exact integer grid (see the module header).
 */
export class Population {
  /** Number of positions. */
  readonly size: number;
  readonly longCount: number;
  readonly shortCount: number;
  readonly crossCount: number;
  /** The price the population was generated around (createPopulation); null for populationFrom. */
  readonly price: Decimal | null;
  /** Entry prices are multiples of this (the tick for a generated population). */
  readonly priceUnit: Decimal;
  /** Quantities are multiples of this (the lot). */
  readonly quantityUnit: Decimal;
  /** Balances are multiples of this. */
  readonly moneyUnit: Decimal;
  /** @internal */ readonly data: PopulationData;
  /** @internal Sorted views by grid decimals, built on demand and kept. */
  readonly views: Map<number, PopulationView>;
  /** @internal The seed and parameters, for toJSON. */
  readonly origin: Readonly<Record<string, unknown>>;
  /** @internal */ readonly [POPULATION_BRAND] = true;

  /** @internal Use createPopulation or populationFrom. */
  constructor(data: PopulationData, price: Decimal | null, priceUnit: Decimal, origin: Record<string, unknown>) {
    this.data = data;
    this.size = data.n;
    let longs = 0;
    let crosses = 0;
    for (let i = 0; i < data.n; i++) {
      if (data.side[i] === 0) longs++;
      crosses += data.cross[i]!;
    }
    this.longCount = longs;
    this.shortCount = data.n - longs;
    this.crossCount = crosses;
    this.price = price;
    this.priceUnit = priceUnit;
    this.quantityUnit = new Decimal(`1e-${data.dq}`);
    this.moneyUnit = new Decimal(`1e-${data.dw}`);
    this.views = new Map();
    this.origin = Object.freeze({ ...origin });
    Object.freeze(this);
  }

  /**
   * Every position as decimal strings, in creation order, with the parameters it was made from: equal JSON
   * for equal populations (the determinism tests compare it).
   */
  toJSON(): Record<string, unknown> {
    const d = this.data;
    const positions = [];
    for (let i = 0; i < d.n; i++) {
      positions.push({
        side: SIDES[d.side[i]!],
        marginMode: MARGIN_MODES[d.cross[i]!],
        entryPrice: fromScaled(exactOf(d, 'e', i), d.dp).toString(),
        quantity: fromScaled(exactOf(d, 'q', i), d.dq).toString(),
        balance: fromScaled(exactOf(d, 'b', i), d.dw).toString(),
        maintenanceMarginRate: fromScaled(exactOf(d, 'mm', i), d.dm).toString(),
        maintenanceAmount: fromScaled(exactOf(d, 'c', i), d.dw).toString(),
        leverage: d.leverage[i]?.toString() ?? null,
      });
    }
    return { ...this.origin, size: this.size, positions };
  }
}

/** Whether a value is a Population built by this module. */
export function isPopulation(value: unknown): value is Population {
  return typeof value === 'object' && value !== null && (value as { [POPULATION_BRAND]?: unknown })[POPULATION_BRAND] === true;
}

/** @internal */
export function asPopulation(value: unknown, field = 'population'): Population {
  if (!isPopulation(value)) throw new EngineInputError(field, 'must be a population from createPopulation or populationFrom');
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// Liquidation triggers on a grid
// ---------------------------------------------------------------------------------------------------------

/** @internal The exact trigger of one position (see the module header), as a float (exact below 2^53). */
export function triggerExact(long: boolean, q: bigint, e: bigint, b: bigint, c: bigint, mm: bigint, K: bigint, dm: number): number {
  const p = pow10(dm);
  if (long) {
    const n = (q * e * K - b - c) * p;
    if (n <= 0n) return Number.NEGATIVE_INFINITY;
    return Number(floorDiv(n, K * q * (p - mm)));
  }
  return Number(ceilDiv((q * e * K + b + c) * p, K * q * (p + mm)));
}

/**
 * The same from float copies, or NaN when the floats cannot decide it: an input is not exact, or the estimate
 * lies within its error bound of an integer. Error bound: N is exact (integers below 2^52 subtract exactly);
 * the ×10^dm, the three factors of D and the division add at most 5 roundings of 2^−53 each, so the estimate is
 * within 6·10^−16 of N/D relatively; the tolerance used, 10^−13 relative plus 10^−6, is far wider.
 */
function triggerFast(long: boolean, qf: number, ef: number, bf: number, cf: number, mmf: number, Kf: number, p: number): number {
  const qe = qf * ef * Kf;
  if (!(qe < FLOAT_EXACT) || !(bf + cf < FLOAT_EXACT)) return Number.NaN;
  let v: number;
  if (long) {
    const n = qe - bf - cf;
    if (n <= 0) return Number.NEGATIVE_INFINITY;
    v = (n * p) / (Kf * qf * (p - mmf));
  } else {
    v = ((qe + bf + cf) * p) / (Kf * qf * (p + mmf));
  }
  const nearest = Math.round(v);
  if (Math.abs(v - nearest) <= v * 1e-13 + 1e-6) return Number.NaN;
  return long ? Math.floor(v) : Math.ceil(v);
}

/** @internal Largest grid price (in 10^−dp) the cascade may use: marks and triggers stay exact float integers below it. */
export const MAX_GRID_PRICE = 2 ** 50;

/** @internal The population on the grid 10^−dp (dp ≥ the population's own), built once and kept. */
export function populationView(population: Population, dp: number): PopulationView {
  const cached = population.views.get(dp);
  if (cached) return cached;
  const d = population.data;
  if (dp < d.dp) throw new Error(`internal: a view at 10^-${dp} is coarser than the population's entry prices`);
  const dw = Math.max(d.dw, dp + d.dq);
  const eScale = pow10(dp - d.dp);
  const bScale = pow10(dw - d.dw);
  const K = pow10(dw - dp - d.dq);
  const Kf = Number(K);
  const eScaleF = Number(eScale);
  const bScaleF = Number(bScale);
  const ef = new Float64Array(d.n);
  const bf = new Float64Array(d.n);
  const cf = new Float64Array(d.n);
  const trig = new Float64Array(d.n);
  const p10 = Number(pow10(d.dm));
  // Floats are exact when every integer on this grid, and every q·e·K, is below 2^52 (and the inputs were).
  let exact = d.big === null && Kf < FLOAT_EXACT && eScaleF < FLOAT_EXACT && bScaleF < FLOAT_EXACT;
  let totalQ = 0;
  for (let i = 0; i < d.n; i++) {
    ef[i] = d.e[i]! * eScaleF;
    bf[i] = d.b[i]! * bScaleF;
    cf[i] = d.c[i]! * bScaleF;
    const qf = d.q[i]!;
    totalQ += qf;
    if (!(qf * ef[i]! * Kf < FLOAT_EXACT) || !(bf[i]! + cf[i]! < FLOAT_EXACT) || !(ef[i]! < MAX_GRID_PRICE)) exact = false;
  }
  if (!(totalQ < FLOAT_EXACT)) exact = false;
  for (let i = 0; i < d.n; i++) {
    const long = d.side[i] === 0;
    let t = exact ? triggerFast(long, d.q[i]!, ef[i]!, bf[i]!, cf[i]!, d.mm[i]!, Kf, p10) : Number.NaN;
    if (Number.isNaN(t)) {
      t = triggerExact(long, exactOf(d, 'q', i), exactOf(d, 'e', i) * eScale, exactOf(d, 'b', i) * bScale, exactOf(d, 'c', i) * bScale, exactOf(d, 'mm', i), K, d.dm);
    }
    trig[i] = t;
  }
  const view: PopulationView = {
    dp,
    dq: d.dq,
    dw,
    dm: d.dm,
    K,
    Kf,
    eScale,
    bScale,
    long: sideView(d, 'long', trig, ef, bf, cf, K, eScale, bScale, exact),
    short: sideView(d, 'short', trig, ef, bf, cf, K, eScale, bScale, exact),
  };
  population.views.set(dp, view);
  return view;
}

/**
 * Sorts one side by trigger (longs descending, shorts ascending, ties by position index). When every trigger and
 * index fit, the key (distance from the first trigger) × n + index is an exact float and a plain numeric sort does
 * it; otherwise a comparator.
 */
function sortedSide(d: PopulationData, code: number, trigAll: Float64Array): Uint32Array {
  let n = 0;
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < d.n; i++) {
    if (d.side[i] !== code) continue;
    n++;
    const t = trigAll[i]!;
    if (Number.isFinite(t)) {
      if (t < lo) lo = t;
      if (t > hi) hi = t;
    }
  }
  const idx = new Uint32Array(n);
  const long = code === 0;
  const span = n === 0 || hi < lo ? 1 : hi - lo + 2; // + 1 for a sentinel: longs that can never be liquidated go last
  if (span * d.n < FLOAT_EXACT) {
    const keys = new Float64Array(n);
    for (let i = 0, j = 0; i < d.n; i++) {
      if (d.side[i] !== code) continue;
      const t = trigAll[i]!;
      const rank = Number.isFinite(t) ? (long ? hi - t : t - lo) : span - 1;
      keys[j++] = rank * d.n + i;
    }
    keys.sort();
    for (let j = 0; j < n; j++) idx[j] = keys[j]! % d.n;
    return idx;
  }
  for (let i = 0, j = 0; i < d.n; i++) if (d.side[i] === code) idx[j++] = i;
  const sign = long ? -1 : 1;
  idx.sort((a, b) => {
    const ta = trigAll[a]!;
    const tb = trigAll[b]!;
    if (ta === tb) return a - b;
    return ta < tb ? -sign : sign;
  });
  return idx;
}

function sideView(
  d: PopulationData,
  side: Side,
  trigAll: Float64Array,
  eAll: Float64Array,
  bAll: Float64Array,
  cAll: Float64Array,
  K: bigint,
  eScale: bigint,
  bScale: bigint,
  exact: boolean,
): SideView {
  const idx = sortedSide(d, side === 'long' ? 0 : 1, trigAll);
  const n = idx.length;
  const trig = new Float64Array(n);
  const q = new Float64Array(n);
  const e = new Float64Array(n);
  const b = new Float64Array(n);
  const c = new Float64Array(n);
  const mm = new Float64Array(n);
  const qe = new Float64Array(n);
  const Kf = Number(K);
  for (let j = 0; j < n; j++) {
    const i = idx[j]!;
    trig[j] = trigAll[i]!;
    q[j] = d.q[i]!;
    e[j] = eAll[i]!;
    b[j] = bAll[i]!;
    c[j] = cAll[i]!;
    mm[j] = d.mm[i]!;
    qe[j] = q[j]! * e[j]! * Kf;
  }
  const exactAt = (field: 'q' | 'qe' | 'b') => (j: number) => {
    const i = idx[j]!;
    if (field === 'q') return exactOf(d, 'q', i);
    if (field === 'b') return exactOf(d, 'b', i) * bScale;
    return exactOf(d, 'q', i) * exactOf(d, 'e', i) * eScale * K;
  };
  return {
    side,
    n,
    idx,
    trig,
    q,
    e,
    b,
    c,
    mm,
    prefQ: new PrefixSum(exact ? q : null, exactAt('q'), n),
    prefQE: new PrefixSum(exact ? qe : null, exactAt('qe'), n),
    prefB: new PrefixSum(exact ? b : null, exactAt('b'), n),
    exact,
  };
}

// ---------------------------------------------------------------------------------------------------------
// createPopulation
// ---------------------------------------------------------------------------------------------------------

export interface LeverageShare {
  /** Leverage chosen at open (≥ 1 and below 1 ÷ maintenanceMarginRate). */
  leverage: Numeric;
  /** Relative weight (need not sum to 1). */
  weight: Numeric;
}

export type SizeDistribution =
  | {
      /** Pareto on notional at entry: P(notional > x) = (minimum/x)^alpha. alpha ≈ 1–2 is heavy-tailed. */
      distribution: 'pareto';
      minimumNotional: Numeric;
      alpha: Numeric;
      maximumNotional?: Numeric;
    }
  | {
      /** Log-normal on notional at entry: median × e^(σZ). */
      distribution: 'lognormal';
      medianNotional: Numeric;
      sigma: Numeric;
      maximumNotional?: Numeric;
    };

export interface PopulationParams {
  /** Number of positions, 1 … 1,000,000. */
  count: number;
  /** The current price: entries are spread around it, and no position is already past its liquidation price. */
  price: Numeric;
  /** Price grid: entries are rounded to it. A cascade's book should quote on it (a finer book works, slower). */
  tick: Numeric;
  /** Quantity grid: sizes are rounded to it, at least one lot. */
  lot: Numeric;
  /** Share of positions that are long (default 0.5). */
  longShare?: Numeric;
  /** Leverage mix (default 2× 10 %, 5× 25 %, 10× 30 %, 20× 20 %, 50× 10 %, 100× 5 %). */
  leverageMix?: readonly LeverageShare[];
  /** One maintenance rate for all (default 0.004, Binance's BTCUSDT first bracket). */
  maintenanceMarginRate?: Numeric;
  /** Half-width of the entry spread as a fraction of the price (default 0.1): a triangular distribution on ±spread. */
  entrySpread?: Numeric;
  /** Sizes (default Pareto from 1,000 quote units with alpha 1.5, capped at 10,000,000). */
  size?: SizeDistribution;
  /** Share of positions held in cross accounts (default 0.3). */
  crossShare?: Numeric;
  /** A cross account's free balance, as a multiple of its initial margin, is uniform on [0, this] (default 1). */
  crossFreeBalance?: Numeric;
  /**
   * The venue's maximum leverage (default: none). A trader whose mix draw is above it opens at the maximum:
   * same side, entry, size and account, margin notional ÷ maximum (a cross wallet keeps its free balance as the
   * same multiple of the initial margin). Every random draw is the one made without a cap, so populations of one
   * seed under different caps hold the same traders and differ only in what the capped ones post.
   */
  maxLeverage?: Numeric;
}

const DEFAULT_LEVERAGE_MIX: readonly LeverageShare[] = [
  { leverage: 2, weight: '0.1' },
  { leverage: 5, weight: '0.25' },
  { leverage: 10, weight: '0.3' },
  { leverage: 20, weight: '0.2' },
  { leverage: 50, weight: '0.1' },
  { leverage: 100, weight: '0.05' },
];

function share(field: string, value: Numeric | undefined, fallback: string): Decimal {
  const v = value === undefined ? new Decimal(fallback) : nonNegative(field, value);
  if (v.gt(1)) throw new EngineInputError(field, `must be between 0 and 1, got ${v.toString()}`);
  return v;
}

function positionCount(value: unknown, field = 'count'): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new EngineInputError(field, `must be a whole number of positions, got ${JSON.stringify(value)}`);
  }
  if (value < 1) throw new EngineInputError(field, `must be at least 1, got ${value}: a market with no positions has nothing to liquidate`);
  if (value > MAX_POPULATION) throw new EngineInputError(field, `must be at most ${MAX_POPULATION.toLocaleString('en-US')}, got ${value}`);
  return value;
}

function seedOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= 2 ** 31) {
    throw new EngineInputError('seed', `must be a whole number from 0 to 2147483647, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** ⌈x·num/den⌉ for non-negative integers held exactly as floats; float estimate, bigint when it is close. */
function ceilRatio(x: number, num: number, den: number): number {
  const v = (x * num) / den;
  const nearest = Math.round(v);
  if (Math.abs(v - nearest) > v * 1e-13 + 1e-6 && v < FLOAT_EXACT) return Math.ceil(v);
  return Number(ceilDiv(BigInt(x) * BigInt(num), BigInt(den)));
}

/**
 * N leveraged positions drawn from a seeded generator. Deterministic: the same params and seed give the same
 * population on every machine (random.ts). Every draw is rounded onto the population's grid before it becomes
 * a price, a size or a margin; positions already past their liquidation price at `price` are redrawn (they
 * would have been liquidated before the scenario starts).
 */
export function createPopulation(params: PopulationParams, seed: number): Population {
  if (params === null || typeof params !== 'object') throw new EngineInputError('params', 'must be an object');
  const count = positionCount(params.count);
  const rng = seededRandom(seedOf(seed));
  const price = positive('price', params.price);
  const tick = toDecimal('tick', params.tick);
  if (tick.lte(0)) throw new EngineInputError('tick', `must be greater than 0, got ${tick.toString()}`);
  const lot = toDecimal('lot', params.lot);
  if (lot.lte(0)) throw new EngineInputError('lot', `must be greater than 0, got ${lot.toString()}`);
  if (!price.mod(tick).isZero()) throw new EngineInputError('price', `${price.toString()} is not a multiple of the tick ${tick.toString()}`);
  const dp = tick.decimalPlaces();
  const dq = lot.decimalPlaces();
  const dw = dp + dq;
  const longShare = share('longShare', params.longShare, '0.5').toNumber();
  const crossShare = share('crossShare', params.crossShare, '0.3').toNumber();
  const crossFree = params.crossFreeBalance === undefined ? 1 : nonNegative('crossFreeBalance', params.crossFreeBalance).toNumber();
  if (crossFree > 1000) throw new EngineInputError('crossFreeBalance', `must be at most 1000 (times the initial margin), got ${crossFree}`);
  const spreadDecimal = params.entrySpread === undefined ? new Decimal('0.1') : nonNegative('entrySpread', params.entrySpread);
  if (spreadDecimal.gte(1)) throw new EngineInputError('entrySpread', `must be below 1 (entries must stay positive), got ${spreadDecimal.toString()}`);
  const spread = spreadDecimal.toNumber();
  const mmr = params.maintenanceMarginRate === undefined ? new Decimal('0.004') : nonNegative('maintenanceMarginRate', params.maintenanceMarginRate);
  if (mmr.gte(1)) throw new EngineInputError('maintenanceMarginRate', `must be below 1, got ${mmr.toString()}`);
  const dm = mmr.decimalPlaces();
  const mmInt = toScaled(mmr, dm);

  // Leverage mix: validated, then cumulative float weights (deterministic arithmetic).
  const mixInput = params.leverageMix ?? DEFAULT_LEVERAGE_MIX;
  if (!Array.isArray(mixInput) || mixInput.length === 0) throw new EngineInputError('leverageMix', 'must list at least one { leverage, weight }');
  const leverages: Decimal[] = [];
  const levNum: number[] = [];
  const levDen: number[] = [];
  const weights: number[] = [];
  (mixInput as readonly LeverageShare[]).forEach((entry, k) => {
    const at = `leverageMix[${k}]`;
    if (entry === null || typeof entry !== 'object') throw new EngineInputError(at, 'must be { leverage, weight }');
    const L = positive(`${at}.leverage`, entry.leverage);
    if (L.lt(1)) throw new EngineInputError(`${at}.leverage`, `must be at least 1, got ${L.toString()}`);
    if (L.mul(mmr).gte(1)) {
      throw new EngineInputError(
        `${at}.leverage`,
        `${L.toString()}× opens below the maintenance margin at a rate of ${mmr.toString()}: leverage must stay below ${ONE.div(mmr).toSignificantDigits(6).toString()}×`,
      );
    }
    const ld = L.decimalPlaces();
    leverages.push(L);
    levNum.push(L.mul(pow10(ld).toString()).toNumber());
    levDen.push(Number(pow10(ld)));
    weights.push(nonNegative(`${at}.weight`, entry.weight).toNumber());
  });
  // The cap as a rational per mix entry: min(L, cap), so a capped margin is exact on the money grid too.
  const cap = params.maxLeverage === undefined ? null : positive('maxLeverage', params.maxLeverage);
  if (cap !== null && cap.lt(1)) throw new EngineInputError('maxLeverage', `must be at least 1, got ${cap.toString()}`);
  const cappedAt = leverages.map((L) => (cap !== null && L.gt(cap) ? cap : null));
  const capNum = cappedAt.map((c) => (c === null ? 0 : c.mul(pow10(c.decimalPlaces()).toString()).toNumber()));
  const capDen = cappedAt.map((c) => (c === null ? 1 : Number(pow10(c.decimalPlaces()))));
  const totalWeight = weights.reduce((a, w) => a + w, 0);
  if (!(totalWeight > 0)) throw new EngineInputError('leverageMix', 'weights must not all be zero');
  const cumulative: number[] = [];
  let running = 0;
  for (const w of weights) cumulative.push((running += w) / totalWeight);

  // Sizes, in quote units of notional at entry.
  const size = params.size ?? { distribution: 'pareto' as const, minimumNotional: 1000, alpha: '1.5', maximumNotional: 10_000_000 };
  const sizeKind = oneOf('size.distribution', size.distribution, ['pareto', 'lognormal'] as const);
  const maxNotional = size.maximumNotional === undefined ? Number.POSITIVE_INFINITY : positive('size.maximumNotional', size.maximumNotional).toNumber();
  let drawNotional: () => number;
  if (sizeKind === 'pareto') {
    const s = size as Extract<SizeDistribution, { distribution: 'pareto' }>;
    const minimum = positive('size.minimumNotional', s.minimumNotional).toNumber();
    const alpha = positive('size.alpha', s.alpha).toNumber();
    drawNotional = () => Math.min(maxNotional, paretoDraw(rng, minimum, alpha));
  } else {
    const s = size as Extract<SizeDistribution, { distribution: 'lognormal' }>;
    const median = positive('size.medianNotional', s.medianNotional).toNumber();
    const sigma = nonNegative('size.sigma', s.sigma).toNumber();
    drawNotional = () => Math.min(maxNotional, logNormalDraw(rng, median, sigma));
  }

  // Grid integers: a price of k ticks is k·tickUnits in 10^−dp; a lot is 1 in 10^−dq (lot·10^dq lotUnits).
  const tickUnits = tick.mul(pow10(dp).toString()).toNumber();
  const lotUnits = lot.mul(pow10(dq).toString()).toNumber();
  const priceTicks = price.div(tick).toNumber();
  const p0 = priceTicks * tickUnits;
  if (!(p0 < MAX_GRID_PRICE)) throw new EngineInputError('tick', `is too fine for a price of ${price.toString()}`);
  const tickF = tick.toNumber();
  const lotF = lot.toNumber();
  const p10 = Number(pow10(dm));
  const mmF = Number(mmInt);

  const n = count;
  const sideArr = new Uint8Array(n);
  const crossArr = new Uint8Array(n);
  const qArr = new Float64Array(n);
  const eArr = new Float64Array(n);
  const bArr = new Float64Array(n);
  const cArr = new Float64Array(n);
  const mmArr = new Float64Array(n).fill(mmF);
  const levArr: Decimal[] = new Array<Decimal>(n);

  for (let i = 0; i < n; i++) {
    const long = rng.next() < longShare;
    const pick = rng.next();
    let k = 0;
    while (k < cumulative.length - 1 && pick >= cumulative[k]!) k++;
    const cross = rng.next() < crossShare;
    const notional = drawNotional();
    const free = cross ? rng.next() * crossFree : 0;
    let e = 0;
    let q = 0;
    let b = 0;
    let alive = false;
    // Redraw the entry of a position that would already be liquidated at the current price; after 32 tries
    // (never reached with sensible parameters) it enters at the current price, where it is always alive.
    for (let attempt = 0; attempt <= 32 && !alive; attempt++) {
      const ticks = attempt === 32 ? priceTicks : Math.max(1, Math.round(priceTicks * (1 + spread * triangularDraw(rng))));
      e = ticks * tickUnits;
      // Lots: notional ÷ (entry × lot), at least one, and small enough that q·e, and a cross wallet of up to
      // (1 + crossFreeBalance) times its margin, stay exact floats (far beyond any real position).
      q = Math.max(lotUnits, Math.round(notional / (ticks * tickF * lotF)) * lotUnits);
      q = Math.min(q, Math.max(lotUnits, Math.floor(FLOAT_EXACT / 4 / (1 + crossFree) / e / lotUnits) * lotUnits));
      // Margin: notional at entry ÷ leverage, rounded up to the money unit (so it still covers that).
      b = ceilRatio(q * e, levDen[k]!, levNum[k]!);
      if (free > 0) b += Math.floor(b * free);
      let t = triggerFast(long, q, e, b, 0, mmF, 1, p10);
      if (Number.isNaN(t)) t = triggerExact(long, BigInt(q), BigInt(e), BigInt(b), 0n, mmInt, 1n, dm);
      alive = long ? p0 > t : p0 < t;
    }
    // Capped after the draws, which used the wanted leverage: the same random sequence under any cap. More
    // margin only moves the liquidation price away from the price, so the position stays alive.
    if (cappedAt[k] !== null) {
      const initial = ceilRatio(q * e, capDen[k]!, capNum[k]!);
      b = initial + (free > 0 ? Math.floor(initial * free) : 0);
    }
    sideArr[i] = long ? 0 : 1;
    crossArr[i] = cross ? 1 : 0;
    qArr[i] = q;
    eArr[i] = e;
    bArr[i] = b;
    levArr[i] = cappedAt[k] ?? leverages[k]!;
  }

  const data: PopulationData = { n, side: sideArr, cross: crossArr, q: qArr, e: eArr, b: bArr, c: cArr, mm: mmArr, big: null, leverage: levArr, dp, dq, dw, dm };
  const population = new Population(data, price, tick, {
    seed,
    params: {
      count,
      price: price.toString(),
      tick: tick.toString(),
      lot: lot.toString(),
      longShare: String(longShare),
      leverageMix: leverages.map((L, k) => ({ leverage: L.toString(), weight: String(weights[k]) })),
      maintenanceMarginRate: mmr.toString(),
      entrySpread: spreadDecimal.toString(),
      crossShare: String(crossShare),
      crossFreeBalance: String(crossFree),
      size: JSON.parse(JSON.stringify(size)) as unknown,
      ...(cap === null ? {} : { maxLeverage: cap.toString() }),
    },
  });
  populationView(population, dp);
  return population;
}

// ---------------------------------------------------------------------------------------------------------
// populationFrom
// ---------------------------------------------------------------------------------------------------------

/**
 * A position of the account engine's shape (linear), optionally in a cross account. For `marginMode: 'cross'`
 * give `walletBalance` (the account's wallet, which backs this position alone; `margin` is then not read).
 */
export type PopulationPositionInput = Omit<PositionInput, 'margin'> & {
  margin?: Numeric;
  marginMode?: MarginMode;
  walletBalance?: Numeric;
};

/** Validates one input with the account engine; returns the position backed by its whole balance. */
function enginePosition(input: PopulationPositionInput, index: number): { position: Position; cross: boolean } {
  const at = `positions[${index}]`;
  if (input === null || typeof input !== 'object') throw new EngineInputError(at, 'must be a position object');
  const mode = input.marginMode === undefined ? 'isolated' : oneOf(`${at}.marginMode`, input.marginMode, MARGIN_MODES);
  if (input.contract !== 'linear') {
    throw new EngineInputError(`${at}.contract`, `the cascade models linear (USDⓈ-margined) contracts only, got ${JSON.stringify(input.contract)}`);
  }
  if (input.venue !== undefined && input.venue !== null && input.venue !== 'binance-usdm') {
    throw new EngineInputError(`${at}.venue`, `the cascade uses Binance's maintenance convention (notional at the mark × rate); got ${JSON.stringify(input.venue)}`);
  }
  if (input.maintenanceMarginRate === undefined) {
    throw new EngineInputError(`${at}.maintenanceMarginRate`, 'is required: the cascade does not look rates up in bracket tables');
  }
  const balance = mode === 'cross' ? input.walletBalance : input.margin;
  if (balance === undefined) throw new EngineInputError(`${at}.${mode === 'cross' ? 'walletBalance' : 'margin'}`, 'is required');
  try {
    const { marginMode: _mode, walletBalance: _wallet, ...rest } = input;
    const position = normalizePosition({ ...rest, margin: balance } as PositionInput);
    return { position, cross: mode === 'cross' };
  } catch (error) {
    if (error instanceof EngineInputError) throw new EngineInputError(`${at}.${error.field}`, error.rule);
    throw error;
  }
}

export interface PopulationFromOptions {
  /** Entry prices must be multiples of this, and so must a cascade's marks unless a finer grid is used; default: the finest decimal unit of the entry prices. */
  priceUnit?: Numeric;
}

/**
 * A population from explicit positions (linear; isolated, or cross with a wallet). Each is validated by the
 * account engine, whose liquidation price decides when the cascade takes it over. Zero positions make no
 * market and are refused.
 */
export function populationFrom(positions: readonly PopulationPositionInput[], options: PopulationFromOptions = {}): Population {
  if (!Array.isArray(positions)) throw new EngineInputError('positions', 'must be an array of positions');
  positionCount(positions.length, 'positions');
  const checked = (positions as readonly PopulationPositionInput[]).map(enginePosition);
  const quantities = checked.map(({ position }) => position.quantity.mul(position.contractSize));
  let dq = 0;
  let dp = 0;
  let dw = 0;
  let dm = 0;
  checked.forEach(({ position }, i) => {
    dq = Math.max(dq, quantities[i]!.decimalPlaces());
    dp = Math.max(dp, position.entryPrice.decimalPlaces());
    dw = Math.max(dw, position.margin.decimalPlaces(), position.maintenanceAmount.decimalPlaces());
    dm = Math.max(dm, position.maintenanceMarginRate.decimalPlaces());
  });
  let priceUnit = new Decimal(`1e-${dp}`);
  if (options.priceUnit !== undefined) {
    priceUnit = positive('priceUnit', options.priceUnit);
    checked.forEach(({ position }, i) => {
      if (!position.entryPrice.mod(priceUnit).isZero()) {
        throw new EngineInputError(`positions[${i}].entryPrice`, `${position.entryPrice.toString()} is not a multiple of the price unit ${priceUnit.toString()}`);
      }
    });
    dp = Math.max(dp, priceUnit.decimalPlaces());
  }
  dw = Math.max(dw, dp + dq);
  const n = checked.length;
  const big = {
    q: quantities.map((q) => toScaled(q, dq)),
    e: checked.map(({ position }) => toScaled(position.entryPrice, dp)),
    b: checked.map(({ position }) => toScaled(position.margin, dw)),
    c: checked.map(({ position }) => toScaled(position.maintenanceAmount, dw)),
    mm: checked.map(({ position }) => toScaled(position.maintenanceMarginRate, dm)),
  };
  const floats = (values: bigint[]) => Float64Array.from(values, (v) => Number(v));
  const fits = Object.values(big).every((values) => values.every((v) => v < BigInt(FLOAT_EXACT)));
  const data: PopulationData = {
    n,
    side: Uint8Array.from(checked, ({ position }) => (position.side === 'long' ? 0 : 1)),
    cross: Uint8Array.from(checked, ({ cross }) => (cross ? 1 : 0)),
    q: floats(big.q),
    e: floats(big.e),
    b: floats(big.b),
    c: floats(big.c),
    mm: floats(big.mm),
    big: fits ? null : big,
    leverage: checked.map(({ position }) => position.leverage),
    dp,
    dq,
    dw,
    dm,
  };
  const population = new Population(data, null, priceUnit, { source: 'populationFrom' });
  const view = populationView(population, dp);
  // The triggers come from exact integer arithmetic; they must be the account engine's liquidation prices on
  // the grid (module header). Cheap at the sizes populationFrom is for, and it keeps the proof honest.
  const unit = pow10(dp);
  for (const side of [view.long, view.short]) {
    for (let j = 0; j < side.n; j++) {
      const lp = liquidationPrice(checked[side.idx[j]!]!.position);
      const expected = lp === null ? Number.NEGATIVE_INFINITY : Number(BigInt(lp.mul(unit.toString())[side.side === 'long' ? 'floor' : 'ceil']().toFixed(0)));
      if (expected !== side.trig[j]) throw new Error(`internal: trigger of position ${side.idx[j]} disagrees with the engine's liquidation price ${lp?.toString()}`);
    }
  }
  return population;
}

// ---------------------------------------------------------------------------------------------------------
// Reading positions back
// ---------------------------------------------------------------------------------------------------------

export interface PopulationPosition {
  index: number;
  side: Side;
  marginMode: MarginMode;
  /**
   * The position with its whole balance as margin: for a cross account the wallet, which is exactly how the
   * account engine prices a one-position cross account.
   */
  position: Position;
  /** The cross wallet, or null for an isolated position. */
  walletBalance: Decimal | null;
  leverage: Decimal | null;
  /** From the account engine: liquidationPrice (isolated) or crossLiquidationPrice (cross). */
  liquidationPrice: Decimal | null;
  bankruptcyPrice: Decimal | null;
}

/** @internal The position as the account engine's input (linear, contract size 1, base quantity). */
export function positionInputAt(data: PopulationData, i: number): PositionInput {
  return {
    contract: 'linear',
    side: SIDES[data.side[i]!]!,
    entryPrice: fromScaled(exactOf(data, 'e', i), data.dp),
    quantity: fromScaled(exactOf(data, 'q', i), data.dq),
    margin: fromScaled(exactOf(data, 'b', i), data.dw),
    maintenanceMarginRate: fromScaled(exactOf(data, 'mm', i), data.dm),
    maintenanceAmount: fromScaled(exactOf(data, 'c', i), data.dw),
    leverage: data.leverage[i] ?? null,
  };
}

/** Position `index` of a population, with its liquidation and bankruptcy prices from the account engine. */
export function populationPosition(populationInput: Population, index: number): PopulationPosition {
  const population = asPopulation(populationInput);
  if (!Number.isInteger(index) || index < 0 || index >= population.size) {
    throw new EngineInputError('index', `must be a whole number from 0 to ${population.size - 1}, got ${JSON.stringify(index)}`);
  }
  const d = population.data;
  const input = positionInputAt(d, index);
  const position = normalizePosition(input);
  const cross = d.cross[index] === 1;
  let lp: Decimal | null;
  if (cross) {
    const { margin, ...exposure } = input;
    lp = crossLiquidationPrice({ walletBalance: margin, positions: [{ ...exposure, symbol: 'MARKET' }] }, 'MARKET', {});
  } else {
    lp = liquidationPrice(position);
  }
  return {
    index,
    side: position.side,
    marginMode: cross ? 'cross' : 'isolated',
    position,
    walletBalance: cross ? position.margin : null,
    leverage: d.leverage[index] ?? null,
    liquidationPrice: lp,
    bankruptcyPrice: bankruptcyPrice(position),
  };
}

export interface LiquidationMapBucket {
  /** The bucket covers prices from `from` (inclusive) to `to` (exclusive for longs' lower edge, see below). */
  from: Decimal;
  to: Decimal;
  /** Longs whose liquidation price lies in [from, to): they go when the price falls into the bucket. */
  longQuantity: Decimal;
  longNotional: Decimal;
  /** Shorts whose liquidation price lies in (from, to]. */
  shortQuantity: Decimal;
  shortNotional: Decimal;
  longPositions: number;
  shortPositions: number;
}

/**
 * The liquidation map: quantity (and notional) of positions whose liquidation price falls in each bucket of
 * `step` between `from` and `to`. Notional is valued at the bucket's edge the price has passed once the whole
 * bucket is liquidated: the lower edge `from` for longs, the upper edge `to` for shorts. Sums come from the sorted prefix
 * sums, so a map of a 100,000-position population costs a binary search per bucket edge.
 */
export function liquidationMap(populationInput: Population, range: { from: Numeric; to: Numeric; step: Numeric }): LiquidationMapBucket[] {
  const population = asPopulation(populationInput);
  const from = positive('from', range.from);
  const to = positive('to', range.to);
  const step = positive('step', range.step);
  if (to.lte(from)) throw new EngineInputError('to', `must be above from (${from.toString()})`);
  const buckets = to.sub(from).div(step).ceil().toNumber();
  if (buckets > 10_000) throw new EngineInputError('step', `gives ${buckets} buckets; at most 10,000`);
  const dp = Math.max(population.data.dp, from.decimalPlaces(), step.decimalPlaces());
  const view = populationView(population, dp);
  const unit = new Decimal(`1e-${dp}`);
  const grid = (price: Decimal): number => price.div(unit).toNumber();
  const qUnitsToDecimal = (x: bigint) => fromScaled(x, view.dq);
  const out: LiquidationMapBucket[] = [];
  for (let k = 0; k < buckets; k++) {
    const lo = from.add(step.mul(k));
    const hi = Decimal.min(to, lo.add(step));
    // Longs with LP in [lo, hi): trig = ⌊LP/u⌋ ∈ [lo/u, hi/u − 1] on the grid.
    const longRange = countRange(view.long, grid(hi) - 1, grid(lo));
    // Shorts with LP in (lo, hi]: trig = ⌈LP/u⌉ ∈ [lo/u + 1, hi/u].
    const shortRange = countRange(view.short, grid(lo) + 1, grid(hi));
    const lq = view.long.prefQ.range(longRange[0], longRange[1]);
    const sq = view.short.prefQ.range(shortRange[0], shortRange[1]);
    out.push({
      from: lo,
      to: hi,
      longQuantity: qUnitsToDecimal(lq),
      longNotional: qUnitsToDecimal(lq).mul(lo),
      shortQuantity: qUnitsToDecimal(sq),
      shortNotional: qUnitsToDecimal(sq).mul(hi),
      longPositions: longRange[1] - longRange[0],
      shortPositions: shortRange[1] - shortRange[0],
    });
  }
  return out;
}

/** Sorted positions [a, b) whose trigger lies between `first` and `last` inclusive, in the side's sort order. */
function countRange(side: SideView, first: number, last: number): [number, number] {
  // Longs are sorted by trigger descending, so `first` (the higher) comes first; shorts ascending.
  const a = side.side === 'long' ? firstIndexAtOrBelow(side, first) : firstIndexAtOrAbove(side, first);
  const b = side.side === 'long' ? firstIndexAtOrBelow(side, last - 1) : firstIndexAtOrAbove(side, last + 1);
  return [a, Math.max(a, b)];
}

/** @internal Longs (descending triggers): the first sorted index whose trigger is ≤ value. */
export function firstIndexAtOrBelow(side: SideView, value: number): number {
  let lo = 0;
  let hi = side.n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (side.trig[mid]! <= value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** @internal Shorts (ascending triggers): the first sorted index whose trigger is ≥ value. */
export function firstIndexAtOrAbove(side: SideView, value: number): number {
  let lo = 0;
  let hi = side.n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (side.trig[mid]! >= value) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
