/**
 * Formatting for what readers see. Money and prices arrive as Decimals and are formatted from their
 * decimal digits, never through a float, so the text shows exactly what the engine computed (rounded
 * half-even at the last shown digit, as the engine rounds).
 */
import type { Decimal } from '../engine';

const MINUS = '\u2212';
const THIN_NBSP = '\u202f';

function group(integerDigits: string): string {
  return integerDigits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** "12,345.68" from a Decimal, with a typographic minus sign. */
export function formatDecimal(value: Decimal, decimals: number): string {
  const fixed = value.toFixed(decimals, 6 /* ROUND_HALF_EVEN */);
  const negative = fixed.startsWith('-');
  const [integer = '0', fraction] = (negative ? fixed.slice(1) : fixed).split('.');
  const body = fraction === undefined ? group(integer) : `${group(integer)}.${fraction}`;
  // "-0.00" after rounding is zero; print it without a sign.
  const isZero = /^[0.,]+$/.test(body);
  return negative && !isZero ? `${MINUS}${body}` : body;
}

/** A plain decimal answer ("-6015", "56930.5") as readers see it: grouped, minus sign, its own precision. */
export function formatAnswer(answer: string, decimalFrom: (text: string) => Decimal): string {
  const fraction = answer.split('.')[1];
  return formatDecimal(decimalFrom(answer), fraction === undefined ? 0 : fraction.length);
}

/** Same as formatDecimal, with an explicit plus sign for gains: "+120.50", "−80.00". */
export function formatSigned(value: Decimal, decimals: number): string {
  const text = formatDecimal(value, decimals);
  return text.startsWith(MINUS) || /^[0.,]+$/.test(text) ? text : `+${text}`;
}

/** A fraction as a percentage: 0.0964 → "9.64 %". Non-breaking thin space before the sign, as in print. */
export function formatPercent(fraction: Decimal, decimals = 2): string {
  return `${formatDecimal(fraction.mul(100), decimals)}${THIN_NBSP}%`;
}

export function formatSignedPercent(fraction: Decimal, decimals = 2): string {
  return `${formatSigned(fraction.mul(100), decimals)}${THIN_NBSP}%`;
}

/** Drops trailing zeros after the point: "10.50" → "10.5", "10.00" → "10". */
export function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}

/** Leverage as traders write it: "10×", "2.5×". */
export function formatLeverage(value: Decimal): string {
  return `${trimZeros(formatDecimal(value, 2))}×`;
}
