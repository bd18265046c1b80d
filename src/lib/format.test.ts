import { describe, expect, it } from 'vitest';
import { Decimal } from '../engine';
import { formatDecimal, formatLeverage, formatPercent, formatSigned, formatSignedPercent } from './format';

describe('formatDecimal', () => {
  it('groups thousands and rounds half-even at the last shown digit', () => {
    expect(formatDecimal(new Decimal('54216.86746987951'), 2)).toBe('54,216.87');
    expect(formatDecimal(new Decimal('0.125'), 2)).toBe('0.12');
    expect(formatDecimal(new Decimal('0.135'), 2)).toBe('0.14');
    expect(formatDecimal(new Decimal('1234567'), 0)).toBe('1,234,567');
  });
  it('uses a typographic minus and never prints a negative zero', () => {
    expect(formatDecimal(new Decimal('-833.3333'), 2)).toBe('\u2212833.33');
    expect(formatDecimal(new Decimal('-0.001'), 2)).toBe('0.00');
  });
});

describe('signed and percent formats', () => {
  it('marks gains with a plus and losses with a minus', () => {
    expect(formatSigned(new Decimal('12.5'), 2)).toBe('+12.50');
    expect(formatSigned(new Decimal('-12.5'), 2)).toBe('\u221212.50');
    expect(formatSigned(new Decimal('0'), 2)).toBe('0.00');
  });
  it('shows fractions as percentages', () => {
    expect(formatPercent(new Decimal('-0.0963855'), 1)).toBe('\u22129.6\u202f%');
    expect(formatSignedPercent(new Decimal('0.5'), 0)).toBe('+50\u202f%');
  });
  it('writes leverage without trailing zeros', () => {
    expect(formatLeverage(new Decimal('10'))).toBe('10×');
    expect(formatLeverage(new Decimal('2.5'))).toBe('2.5×');
  });
});
