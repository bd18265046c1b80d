import DecimalJs from 'decimal.js';
import { Decimal, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';

// A plain decimal literal, optionally with an exponent. decimal.js also accepts "Infinity", "NaN",
// hexadecimal and binary literals; none of those is a price, so we refuse them before it sees them.
const DECIMAL_LITERAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;

/** Reads one numeric input into the engine's Decimal, or throws an EngineInputError naming `field`. */
export function toDecimal(field: string, value: Numeric | undefined | null): Decimal {
  if (value === undefined || value === null) {
    throw new EngineInputError(field, 'is required');
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new EngineInputError(field, `must be a finite number, got ${String(value)}`);
    // String(value) is the shortest round-trip form, so 0.1 stays 0.1 rather than its binary expansion.
    return new Decimal(String(value));
  }
  if (typeof value === 'string') {
    const text = value.trim().replace(/_/g, '');
    if (!DECIMAL_LITERAL.test(text)) {
      throw new EngineInputError(field, `must be a decimal number, got ${JSON.stringify(value.slice(0, 40))}`);
    }
    const decimal = new Decimal(text);
    // "1e99999999999999" is a well-formed literal that overflows to Infinity; no price is that big.
    if (!decimal.isFinite()) throw new EngineInputError(field, `must be a finite number, got ${JSON.stringify(value.slice(0, 40))}`);
    return decimal;
  }
  if (value instanceof Decimal || DecimalJs.isDecimal(value)) {
    const decimal = new Decimal(value.toString());
    if (!decimal.isFinite()) throw new EngineInputError(field, 'must be finite');
    return decimal;
  }
  throw new EngineInputError(field, `must be a number, a decimal string or a Decimal, got ${typeof value}`);
}

export function positive(field: string, value: Numeric | undefined | null): Decimal {
  const decimal = toDecimal(field, value);
  if (decimal.lte(0)) throw new EngineInputError(field, `must be greater than 0, got ${decimal.toString()}`);
  return decimal;
}

export function nonNegative(field: string, value: Numeric | undefined | null): Decimal {
  const decimal = toDecimal(field, value);
  if (decimal.isNeg() && !decimal.isZero()) {
    throw new EngineInputError(field, `must not be negative, got ${decimal.toString()}`);
  }
  return decimal.abs(); // folds -0 into 0
}

export function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new EngineInputError(field, `must be one of ${allowed.map((a) => `'${a}'`).join(', ')}, got ${JSON.stringify(value)}`);
}
