/**
 * Exact integer arithmetic for the cascade engine: amounts held as bigint multiples of a power of ten.
 *
 * Why: a population of 100,000 positions cannot afford a Decimal object per position per operation (a
 * decimal.js operation costs about a microsecond), yet its money must stay exact. Every price, quantity
 * and balance of a population sits on a decimal grid (a tick, a lot, a money unit), so it is an integer
 * times 10^−d. Sums and products of such integers are exact in bigint, and a float64 copy of each is
 * exact too while it stays below 2^53. The cascade compares with floats where a comparison is far from
 * a tie, falls back to bigint where it is not, and turns a bigint back into a Decimal only for results.
 */
import { Decimal } from './decimal.ts';
import { EngineInputError } from './errors.ts';

const POW10: bigint[] = [1n];

/** 10^k as a bigint (k ≥ 0). */
export function pow10(k: number): bigint {
  while (POW10.length <= k) POW10.push(POW10[POW10.length - 1]! * 10n);
  return POW10[k]!;
}

const POW10_DECIMAL: Decimal[] = [];

/** 10^k as a Decimal (k ≥ 0); exact. */
export function pow10Decimal(k: number): Decimal {
  let value = POW10_DECIMAL[k];
  if (value === undefined) {
    value = new Decimal(`1e${k}`);
    POW10_DECIMAL[k] = value;
  }
  return value;
}

/** Decimal places of a value: 0 for 60000, 3 for 0.004, 0 for 1e3. */
export function decimalsOf(value: Decimal): number {
  return value.decimalPlaces();
}

/**
 * `value` × 10^decimals as a bigint; throws EngineInputError(field) if that is not an integer, which would
 * mean the value is finer than the grid it is claimed to sit on.
 */
export function toScaled(value: Decimal, decimals: number, field = 'value'): bigint {
  const shifted = value.mul(pow10Decimal(decimals));
  if (!shifted.isInteger()) {
    throw new EngineInputError(field, `${value.toString()} is not a multiple of ${pow10Decimal(decimals).pow(-1).toString()}`);
  }
  // toFixed(0) prints every digit of an integer Decimal, without exponent notation.
  return BigInt(shifted.toFixed(0));
}

/** x × 10^−decimals as a Decimal, rounded to the engine's 40 significant digits (exact for any grid amount). */
export function fromScaled(x: bigint, decimals: number): Decimal {
  if (decimals === 0) return new Decimal(x.toString()).toSignificantDigits(Decimal.precision);
  const negative = x < 0n;
  let digits = (negative ? -x : x).toString();
  if (digits.length <= decimals) digits = '0'.repeat(decimals - digits.length + 1) + digits;
  const text = `${negative ? '-' : ''}${digits.slice(0, digits.length - decimals)}.${digits.slice(digits.length - decimals)}`;
  return new Decimal(text).toSignificantDigits(Decimal.precision);
}

/** ⌊n / d⌋ for d > 0, rounding toward −∞ (bigint division truncates toward zero). */
export function floorDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n < 0n ? q - 1n : q;
}

/** ⌈n / d⌉ for d > 0. */
export function ceilDiv(n: bigint, d: bigint): bigint {
  const q = n / d;
  return n % d !== 0n && n > 0n ? q + 1n : q;
}

/** Sign of a/b − c/d for b, d > 0, exactly. */
export function compareRational(a: bigint, b: bigint, c: bigint, d: bigint): -1 | 0 | 1 {
  const left = a * d;
  const right = c * b;
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The largest float64 below which every integer is exact, with a factor-of-two margin for sums of two. */
export const FLOAT_EXACT = 2 ** 52;

/** Unit roundoff of float64: every +, −, ×, ÷ is exact to within this relative error. */
export const EPS = 2 ** -53;
