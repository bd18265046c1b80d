/**
 * Helpers the engine's tests share: Decimal assertions, catching an EngineInputError, the number of fast-check
 * runs (PROPERTY_RUNS raises it for a stress run without editing the tests), and a generator of opened positions.
 */
import fc from 'fast-check';
import { expect } from 'vitest';
import { Decimal, EngineInputError, openPosition, type ContractKind, type Position, type Side } from '../../src/engine/index.ts';

export type Dec = InstanceType<typeof Decimal>;

export const D = (value: string | number | Dec): Dec => new Decimal(value);

export function runs(defaultRuns: number): { numRuns: number } {
  return { numRuns: Number(process.env['PROPERTY_RUNS'] ?? defaultRuns) };
}

/** `actual` is a Decimal equal to `expected`, to the last digit. */
export function expectDecimal(actual: unknown, expected: string | number | Dec): void {
  expect(actual, `expected a Decimal equal to ${String(expected)}, got ${String(actual)}`).toBeInstanceOf(Decimal);
  expect((actual as Dec).eq(expected), `${String(actual)} ≠ ${String(expected)}`).toBe(true);
}

/** `actual` exists and its digits start with `digits` (for values quoted rounded in a source). */
export function expectDigits(actual: Dec | null | undefined, digits: string): void {
  expect(actual).not.toBeNull();
  expect(actual).toBeDefined();
  expect(actual!.toString().startsWith(digits), `${actual!.toString()} does not start with ${digits}`).toBe(true);
}

/** Runs `fn`, which must throw an EngineInputError; returns it so a test can check its field. */
export function engineError(fn: () => unknown): EngineInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineInputError);
    return error as EngineInputError;
  }
  throw new Error('expected an EngineInputError, but nothing was thrown');
}

/**
 * Positions opened the way a trading screen opens them (openPosition, by margin): linear or inverse, long or short,
 * entry in [1, 100,000] with two decimals, margin in [0.01, 1,000,000] with two decimals, leverage in tenths up to
 * `maxLeverageTenths` (from 1×), maintenance rate in ten-thousandths up to `maxRateUnits`. The defaults keep every
 * combination openable (leverage × rate < 1); callers that widen one range must keep that true.
 */
export function openedPositionArb(
  options: { maxLeverageTenths?: number; maxRateUnits?: number } = {},
): fc.Arbitrary<Position> {
  const { maxLeverageTenths = 500, maxRateUnits = 100 } = options;
  return fc
    .record({
      contract: fc.constantFrom<ContractKind>('linear', 'inverse'),
      side: fc.constantFrom<Side>('long', 'short'),
      entryPrice: fc.integer({ min: 100, max: 10_000_000 }).map((c) => D(c).div(100)),
      leverage: fc.integer({ min: 10, max: maxLeverageTenths }).map((t) => D(t).div(10)),
      margin: fc.integer({ min: 1, max: 100_000_000 }).map((c) => D(c).div(100)),
      mmr: fc.integer({ min: 0, max: maxRateUnits }).map((k) => D(k).div(10_000)),
    })
    .map(({ contract, side, entryPrice, leverage, margin, mmr }) =>
      openPosition({ contract, side, entryPrice, leverage, margin, maintenanceMarginRate: mmr }),
    );
}
