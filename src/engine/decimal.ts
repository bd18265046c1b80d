import DecimalJs from 'decimal.js';

/**
 * The engine's own Decimal constructor. A private clone means a page or tool that changes the global
 * decimal.js settings cannot change our results: 40 significant digits is far beyond any venue's tick,
 * and half-even rounding is what accounting uses for the last digit. Same input, same output, everywhere.
 */
export const Decimal = DecimalJs.clone({
  precision: 40,
  rounding: DecimalJs.ROUND_HALF_EVEN,
  toExpNeg: -30,
  toExpPos: 40,
});
export type Decimal = InstanceType<typeof Decimal>;

/** What every public engine function accepts for a money amount, a price, a rate or a size. */
export type Numeric = string | number | Decimal | DecimalJs;

export const ZERO = new Decimal(0);
export const ONE = new Decimal(1);
