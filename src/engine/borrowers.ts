/**
 * Borrower populations for the on-chain lending engine (onchain.ts): N over-collateralised loans, each with one
 * collateral asset and one debt asset (the numeraire), as on an Aave v3 market for, say, WETH against USDC.
 *
 * Two ways to make one, as population.ts does for leveraged positions:
 *  - createBorrowers(params, seed): drawn from a seeded generator (random.ts: d3-random's LCG with deterministic
 *    ln/exp), so one seed gives one population bit for bit in every JavaScript engine. Each borrower's collateral
 *    value is Pareto (α = 1.5, as population.ts's default sizes: a few whales hold much of the collateral), its
 *    health factor at the drawing price is minimum + lognormal(median − minimum, σ).
 *  - borrowersFrom(list): explicit loans, so a scenario (or a test) can be exact.
 *
 * Exact grid. Collateral is held in 10^−8 units, debt in 10^−6 units (USDC's own decimals), as bigint. A drawn
 * size is floored onto the grid before it becomes an amount, and a drawn debt is then checked exactly (bigint) so
 * that no borrower starts liquidatable at the drawing price: float rounding in the draw cannot create an account
 * with HF < 1.
 *
 * Sorted once. With one collateral and one debt, an account is liquidatable at collateral price p exactly when
 * debt ÷ collateral > p × LT, so the order of accounts by debt per unit of collateral (highest first) is the order
 * in which a falling price reaches them, whatever the protocol's LT. The population is sorted by that ratio once
 * (exact bigint cross-multiplication wherever the float ratios are close; ties by input order), so a simulation
 * finds the accounts a price newly crosses by binary search and never touches the others. A population is never
 * changed after it is built: every simulation keeps its own state for the accounts it touches.
 */
import { Decimal, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, positive, toDecimal } from './parse.ts';
import { fromScaled, pow10, toScaled } from './exact.ts';
import { logNormalDraw, paretoDraw, seededRandom } from './random.ts';

/** Collateral amounts are whole multiples of 10^−COLLATERAL_DECIMALS units. */
export const COLLATERAL_DECIMALS = 8;
/** Debt amounts are whole multiples of 10^−DEBT_DECIMALS units (USDC has 6 decimals). */
export const DEBT_DECIMALS = 6;
/** At most this many borrowers in one population. */
export const MAX_BORROWERS = 100_000;
/** Pareto tail index of drawn collateral values (mean = minimum × α ÷ (α − 1)). */
const SIZE_ALPHA = 1.5;
/** A drawn collateral value is capped at this multiple of the mean, so one draw cannot leave the exact grid. */
const SIZE_CAP = 1000;
/** Default σ of the log-normal part of the health factor. */
const DEFAULT_HF_SIGMA = '0.5';
/** Largest amount in grid units: BigInt64Array holds it, and its float copy stays exact (below 2^53). */
const MAX_UNITS = 2n ** 53n - 1n;

export interface BorrowerInput {
  /** Units of the collateral asset (multiple of 10^−8). */
  collateral: Numeric;
  /** Units of the debt asset (multiple of 10^−6). */
  debt: Numeric;
}

export interface BorrowerPopulationParams {
  /** Whole number 1 … 100,000. */
  count: number;
  /** Collateral price (in debt units) at which the health factors are drawn. */
  price: Numeric;
  /** In (0, 1): the liquidation threshold the drawn health factors are measured with. */
  liquidationThreshold: Numeric;
  /** HF = minimum + lognormal(median − minimum, sigma); minimum ≥ 1, median ≥ minimum, sigma ≥ 0 (default 0.5). */
  healthFactor: { minimum: Numeric; median: Numeric; sigma?: Numeric };
  /** Mean collateral value per borrower, in debt units (1 … 10^9); sizes are Pareto (α 1.5), capped at 1,000× the mean. */
  meanCollateralValue: Numeric;
}

/** A population of borrowers; build with createBorrowers or borrowersFrom. Immutable. */
export interface BorrowerPopulation {
  readonly count: number;
}

/** @internal The sorted, exact storage of a population. Index i is the i-th account by debt ÷ collateral, highest first. */
export interface BorrowerData {
  readonly n: number;
  /** Collateral in 10^−8 units. */
  readonly c: BigInt64Array;
  /** Debt in 10^−6 units. */
  readonly d: BigInt64Array;
  /** c and d as float64 (exact: every amount is below 2^53). */
  readonly cF: Float64Array;
  readonly dF: Float64Array;
  /** d ÷ c as a float (for comparisons far from a tie; exact bigint otherwise). */
  readonly key: Float64Array;
  /** Input (creation) order of each sorted account. */
  readonly order: Uint32Array;
  readonly totalCollateral: bigint;
  readonly totalDebt: bigint;
}

const DATA = new WeakMap<object, BorrowerData>();

/** @internal The storage behind a population, or an EngineInputError naming `field`. */
export function borrowerData(population: unknown, field = 'borrowers'): BorrowerData {
  const data = population !== null && typeof population === 'object' ? DATA.get(population) : undefined;
  if (data === undefined) throw new EngineInputError(field, 'must be a population from createBorrowers or borrowersFrom');
  return data;
}

/** True when `value` is a population built here. */
export function isBorrowerPopulation(value: unknown): value is BorrowerPopulation {
  return value !== null && typeof value === 'object' && DATA.has(value);
}

/** Sorts the accounts by d ÷ c, highest first (exact), ties by input order, and seals them in a population. */
function seal(c: BigInt64Array, d: BigInt64Array): BorrowerPopulation {
  const n = c.length;
  const keyIn = new Float64Array(n);
  for (let i = 0; i < n; i++) keyIn[i] = Number(d[i]!) / Number(c[i]!);
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((a, b) => {
    const ka = keyIn[a]!;
    const kb = keyIn[b]!;
    // Each key is within 1 ulp of the true ratio: a gap above 1e-12 relative decides; closer, compare exactly.
    if (ka > kb * (1 + 1e-12)) return -1;
    if (kb > ka * (1 + 1e-12)) return 1;
    const left = d[a]! * c[b]!;
    const right = d[b]! * c[a]!;
    if (left !== right) return left > right ? -1 : 1;
    return a - b;
  });
  const cs = new BigInt64Array(n);
  const ds = new BigInt64Array(n);
  const cF = new Float64Array(n);
  const dF = new Float64Array(n);
  const key = new Float64Array(n);
  const order = new Uint32Array(n);
  let totalCollateral = 0n;
  let totalDebt = 0n;
  for (let s = 0; s < n; s++) {
    const i = idx[s]!;
    cs[s] = c[i]!;
    ds[s] = d[i]!;
    cF[s] = Number(c[i]!);
    dF[s] = Number(d[i]!);
    key[s] = keyIn[i]!;
    order[s] = i;
    totalCollateral += c[i]!;
    totalDebt += d[i]!;
  }
  const population: BorrowerPopulation = Object.freeze({ count: n });
  DATA.set(population, Object.freeze({ n, c: cs, d: ds, cF, dF, key, order, totalCollateral, totalDebt }));
  return population;
}

function countOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new EngineInputError('count', `must be a whole number of borrowers, got ${JSON.stringify(value)}`);
  }
  if (value < 1) throw new EngineInputError('count', `must be at least 1, got ${value}`);
  if (value > MAX_BORROWERS) throw new EngineInputError('count', `must be at most ${MAX_BORROWERS.toLocaleString('en-US')}, got ${value}`);
  return value;
}

function seedOf(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value >= 2 ** 31) {
    throw new EngineInputError('seed', `must be a whole number from 0 to 2147483647, got ${JSON.stringify(value)}`);
  }
  return value;
}

/** A share strictly between 0 and 1 (a liquidation threshold). */
export function openShare(field: string, value: Numeric | undefined | null): Decimal {
  const v = toDecimal(field, value);
  if (v.lte(0) || v.gte(1)) throw new EngineInputError(field, `must be between 0 and 1 (a share, e.g. 0.86), got ${v.toString()}`);
  return v;
}

/**
 * N borrowers drawn from a seeded generator (see the module header). Deterministic: the same params and seed
 * give the same borrowers on every machine. At `price` every borrower has HF ≥ 1 exactly, and HF ≥
 * healthFactor.minimum to within float rounding of the draw (parts in 10^16; flooring the debt only raises HF).
 */
export function createBorrowers(params: BorrowerPopulationParams, seed: number): BorrowerPopulation {
  if (params === null || typeof params !== 'object') throw new EngineInputError('params', 'must be an object');
  const n = countOf(params.count);
  const rng = seededRandom(seedOf(seed));
  const price = positive('price', params.price);
  const lt = openShare('liquidationThreshold', params.liquidationThreshold);
  const hf = params.healthFactor;
  if (hf === null || typeof hf !== 'object') throw new EngineInputError('healthFactor', 'must be { minimum, median, sigma? }');
  const minimum = toDecimal('healthFactor.minimum', hf.minimum);
  if (minimum.lt(1)) throw new EngineInputError('healthFactor.minimum', `must be at least 1 (below 1 a borrower starts liquidatable), got ${minimum.toString()}`);
  if (minimum.gt(100)) throw new EngineInputError('healthFactor.minimum', `must be at most 100, got ${minimum.toString()}`);
  const median = toDecimal('healthFactor.median', hf.median);
  if (median.lt(minimum)) throw new EngineInputError('healthFactor.median', `must be at least the minimum ${minimum.toString()}, got ${median.toString()}`);
  if (median.gt(1000)) throw new EngineInputError('healthFactor.median', `must be at most 1000, got ${median.toString()}`);
  const sigma = nonNegative('healthFactor.sigma', hf.sigma ?? DEFAULT_HF_SIGMA);
  if (sigma.gt(5)) throw new EngineInputError('healthFactor.sigma', `must be at most 5, got ${sigma.toString()}`);
  const mean = positive('meanCollateralValue', params.meanCollateralValue);
  if (mean.lt(1) || mean.gt(1e9)) throw new EngineInputError('meanCollateralValue', `must be from 1 to 1,000,000,000 debt units, got ${mean.toString()}`);
  const maxCollateralUnits = mean.mul(SIZE_CAP).div(price).mul(pow10(COLLATERAL_DECIMALS).toString());
  if (maxCollateralUnits.gt(MAX_UNITS.toString()) || mean.mul(SIZE_CAP).mul(pow10(DEBT_DECIMALS).toString()).gt(MAX_UNITS.toString())) {
    throw new EngineInputError('meanCollateralValue', `is too large for a collateral price of ${price.toString()}: amounts would leave the exact grid`);
  }

  // Exact check that a drawn loan is not liquidatable at `price`: c·10^−8 · p · LT ≥ d·10^−6, i.e.
  // c·pn·ltn ≥ d·10^(dp + dl + 2) with p = pn/10^dp and LT = ltn/10^dl.
  const dp = price.decimalPlaces();
  const dl = lt.decimalPlaces();
  const pn = toScaled(price, dp);
  const ltn = toScaled(lt, dl);
  const scale = pow10(dp + dl + 2);

  const priceF = price.toNumber();
  const ltF = lt.toNumber();
  const minF = minimum.toNumber();
  const spread = median.sub(minimum).toNumber();
  const sigmaF = sigma.toNumber();
  const meanF = mean.toNumber();
  const paretoMinimum = (meanF * (SIZE_ALPHA - 1)) / SIZE_ALPHA;
  const cap = meanF * SIZE_CAP;
  const c = new BigInt64Array(n);
  const d = new BigInt64Array(n);
  for (let i = 0; i < n; i++) {
    // A size, then a health factor (median − minimum may be 0: every borrower then sits at the minimum).
    const value = Math.min(cap, paretoDraw(rng, paretoMinimum, SIZE_ALPHA));
    const h = minF + logNormalDraw(rng, spread, sigmaF);
    const units = Math.max(1, Math.floor((value / priceF) * 1e8));
    let debt = BigInt(Math.floor((units * priceF * ltF) / (h * 100)));
    const ci = BigInt(units);
    const limit = ci * pn * ltn;
    while (debt > 0n && debt * scale > limit) debt -= 1n;
    c[i] = ci;
    d[i] = debt;
  }
  return seal(c, d);
}

/** An explicit population; amounts must sit on the grid (collateral 10^−8, debt 10^−6); collateral > 0. */
export function borrowersFrom(borrowers: readonly BorrowerInput[]): BorrowerPopulation {
  if (!Array.isArray(borrowers)) throw new EngineInputError('borrowers', 'must be a list of { collateral, debt }');
  countOf(borrowers.length);
  const n = borrowers.length;
  const c = new BigInt64Array(n);
  const d = new BigInt64Array(n);
  (borrowers as readonly BorrowerInput[]).forEach((b, i) => {
    const at = `borrowers[${i}]`;
    if (b === null || typeof b !== 'object') throw new EngineInputError(at, 'must be { collateral, debt }');
    const ci = toScaled(positive(`${at}.collateral`, b.collateral), COLLATERAL_DECIMALS, `${at}.collateral`);
    const di = toScaled(nonNegative(`${at}.debt`, b.debt), DEBT_DECIMALS, `${at}.debt`);
    if (ci > MAX_UNITS) throw new EngineInputError(`${at}.collateral`, 'is too large for the exact grid (at most 90,071,992 units)');
    if (di > MAX_UNITS) throw new EngineInputError(`${at}.debt`, 'is too large for the exact grid (at most 9,007,199,254 units)');
    c[i] = ci;
    d[i] = di;
  });
  return seal(c, d);
}

/** The borrowers in input (creation) order, as Decimals: for tables and tests. */
export function borrowerList(population: BorrowerPopulation): { collateral: Decimal; debt: Decimal }[] {
  const data = borrowerData(population, 'population');
  const out = new Array<{ collateral: Decimal; debt: Decimal }>(data.n);
  for (let s = 0; s < data.n; s++) {
    out[data.order[s]!] = { collateral: fromScaled(data.c[s]!, COLLATERAL_DECIMALS), debt: fromScaled(data.d[s]!, DEBT_DECIMALS) };
  }
  return out;
}

/** Totals of a population: collateral units, debt units, and the number of borrowers. */
export function borrowerTotals(population: BorrowerPopulation): { count: number; collateral: Decimal; debt: Decimal } {
  const data = borrowerData(population, 'population');
  return { count: data.n, collateral: fromScaled(data.totalCollateral, COLLATERAL_DECIMALS), debt: fromScaled(data.totalDebt, DEBT_DECIMALS) };
}

/**
 * Liquidation prices, highest first: for each borrower the collateral price below which its HF (with threshold
 * `liquidationThreshold`) is under 1, debt ÷ (collateral × LT), to 12 significant digits. For charts (a histogram
 * of where a falling price reaches the book of loans); the engine itself compares exactly.
 */
export function borrowerLiquidationPrices(population: BorrowerPopulation, liquidationThreshold: Numeric): Decimal[] {
  const data = borrowerData(population, 'population');
  const lt = openShare('liquidationThreshold', liquidationThreshold);
  const out: Decimal[] = new Array<Decimal>(data.n);
  for (let s = 0; s < data.n; s++) {
    out[s] = new Decimal(data.d[s]!.toString()).mul(100).div(new Decimal(data.c[s]!.toString()).mul(lt)).toSignificantDigits(12);
  }
  return out;
}
