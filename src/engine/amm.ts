/**
 * A constant-product automated market maker (x · y = k, Uniswap v2 style): the pool where seized collateral is
 * sold in an on-chain liquidation, and whose price an oracle may follow.
 *
 * A swap of `amountIn` pays the fee on the input and trades the rest along the curve:
 *   out = reserveOut × in(1 − fee) ÷ (reserveIn + in(1 − fee)).
 * The whole input, fee included, stays in the pool, so k grows with every fee-paying swap. Prices are quoted as y
 * per x throughout (spot = reserveY ÷ reserveX); selling a fraction f of the x reserve with no fee moves the spot
 * price by 1/(1 + f)² − 1 ≈ −2f (cascade-models.md §1.5 and §4.4: 1 % → −1.97 %, 5 % → −9.30 %, 10 % → −17.36 %).
 *
 * Rounding. Reserves and inputs are held to the engine's 40 significant digits. A swap computes the output reserve
 * as k ÷ (new input reserve), rounded UP to 40 significant digits, in wide arithmetic where k is exact, and pays out
 * the difference (the new input reserve is rounded DOWN to 40 digits when the sum needs more). Both roundings favour
 * the pool: the invariant never decreases, and with fee = 0 it grows by at most one unit in the 40th digit of the
 * output reserve times the input reserve, i.e. (k′ − k) ÷ k′ ≤ 10⁻³⁹. The trader's output is
 * short by at most that unit, as on-chain pools floor their integer output.
 */
import { Decimal, ONE, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, oneOf, positive } from './parse.ts';

/** Significant digits a reserve keeps: the engine's precision. */
const RESERVE_DIGITS = 40;
/** Wide enough that a product of two 40-digit reserves, and a sum of numbers 100 orders of magnitude apart, is exact. */
const Wide = Decimal.clone({ precision: 200 });

export interface ConstantProductPoolInput {
  reserveX: Numeric;
  reserveY: Numeric;
  /** Fee on the input as a share in [0, 1): 0.003 for Uniswap v2's 0.3 %. */
  fee?: Numeric;
}

/** An immutable pool; every swap returns a new one. */
export interface ConstantProductPool {
  readonly reserveX: Decimal;
  readonly reserveY: Decimal;
  readonly fee: Decimal;
}

export type PoolToken = 'x' | 'y';
const POOL_TOKENS: readonly PoolToken[] = ['x', 'y'];

export interface SwapExactInInput {
  tokenIn: PoolToken;
  amountIn: Numeric;
}

export interface SwapResult {
  /** Units of the other token paid out. */
  amountOut: Decimal;
  /** Fee paid, in units of tokenIn (it stays in the pool). */
  feePaid: Decimal;
  pool: ConstantProductPool;
  /** Average price of the trade in y per x: y moved ÷ x moved. */
  executionPrice: Decimal;
  spotPriceBefore: Decimal;
  spotPriceAfter: Decimal;
  /** spotPriceAfter ÷ spotPriceBefore − 1: negative when x is sold into the pool, positive when y is. */
  priceImpact: Decimal;
  /** x · y before the swap, exact (not rounded to 40 digits). */
  kBefore: Decimal;
  /** x · y after the swap, exact: never below kBefore. */
  kAfter: Decimal;
}

function toReserveDigits(value: Decimal): Decimal {
  return value.toSignificantDigits(RESERVE_DIGITS, Decimal.ROUND_HALF_EVEN);
}

/**
 * A constant-product pool with reserves `reserveX`, `reserveY` (both positive) and an input fee in [0, 1).
 * Reserves are rounded to 40 significant digits, the engine's precision, so that k = x·y is exact in the wide
 * arithmetic of a swap.
 */
export function constantProductPool(input: ConstantProductPoolInput): ConstantProductPool {
  if (input === null || typeof input !== 'object') throw new EngineInputError('pool', 'must be an object');
  const fee = nonNegative('pool.fee', input.fee ?? 0);
  if (fee.gte(1)) throw new EngineInputError('pool.fee', `must be a share below 1 (0.003 for 0.3 %), got ${fee.toString()}`);
  return Object.freeze({
    reserveX: toReserveDigits(positive('pool.reserveX', input.reserveX)),
    reserveY: toReserveDigits(positive('pool.reserveY', input.reserveY)),
    fee,
  });
}

/** The pool's marginal price, y per x: reserveY ÷ reserveX. */
export function poolSpotPrice(pool: ConstantProductPool): Decimal {
  return pool.reserveY.div(pool.reserveX);
}

/**
 * Sells exactly `amountIn` of `tokenIn` into the pool. Returns the output, the new pool, the execution price,
 * spot prices before and after and the price impact (all prices y per x). The output reserve is rounded up (see the
 * module note), so k never decreases; with fee = 0 it is preserved to within 10⁻³⁹ relative.
 */
export function swapExactIn(pool: ConstantProductPool, input: SwapExactInInput): SwapResult {
  const p = constantProductPool(pool);
  if (input === null || typeof input !== 'object') throw new EngineInputError('swap', 'must be an object');
  const tokenIn = oneOf('swap.tokenIn', input.tokenIn, POOL_TOKENS);
  const amountIn = toReserveDigits(positive('swap.amountIn', input.amountIn));
  const [reserveIn, reserveOut] = tokenIn === 'x' ? [p.reserveX, p.reserveY] : [p.reserveY, p.reserveX];

  const k = new Wide(reserveIn).mul(reserveOut);
  const feePaid = amountIn.mul(p.fee);
  // The input reserve keeps 40 digits, rounded down: dust below the 40th digit is not credited to the pool, so the
  // recorded reserve never exceeds what was paid in.
  const newReserveIn = new Wide(reserveIn).add(amountIn).toSignificantDigits(RESERVE_DIGITS, Decimal.ROUND_DOWN);
  // Only the net input moves along the curve; the fee joins the reserve after the trade. Never more than the
  // recorded reserve, so that k′ = newReserveIn × newReserveOut ≥ newReserveIn × k ÷ curveIn ≥ k.
  const netIn = new Wide(reserveIn).add(new Wide(amountIn).sub(new Wide(amountIn).mul(p.fee)));
  const curveIn = Wide.min(netIn, newReserveIn);
  const newReserveOutWide = k.div(curveIn).toSignificantDigits(RESERVE_DIGITS, Decimal.ROUND_UP);
  // Exact: both terms have at most 40 digits and the difference is read from the wide arithmetic without rounding.
  const amountOut = new Decimal(new Wide(reserveOut).sub(newReserveOutWide).toString());
  const next: ConstantProductPool = Object.freeze(
    tokenIn === 'x'
      ? { reserveX: new Decimal(newReserveIn.toString()), reserveY: new Decimal(newReserveOutWide.toString()), fee: p.fee }
      : { reserveX: new Decimal(newReserveOutWide.toString()), reserveY: new Decimal(newReserveIn.toString()), fee: p.fee },
  );
  const spotPriceBefore = poolSpotPrice(p);
  const spotPriceAfter = poolSpotPrice(next);
  const executionPrice = tokenIn === 'x' ? amountOut.div(amountIn) : amountIn.div(amountOut);
  return {
    amountOut,
    feePaid,
    pool: next,
    executionPrice,
    spotPriceBefore,
    spotPriceAfter,
    priceImpact: spotPriceAfter.div(spotPriceBefore).sub(ONE),
    // Exact products (at most 80 digits), read from the wide arithmetic, so a caller can compare them directly.
    kBefore: new Decimal(new Wide(p.reserveX).mul(p.reserveY).toString()),
    kAfter: new Decimal(new Wide(next.reserveX).mul(next.reserveY).toString()),
  };
}
