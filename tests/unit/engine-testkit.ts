/**
 * Helpers the engine's tests share: Decimal assertions, catching an EngineInputError, and the number of
 * fast-check runs (PROPERTY_RUNS raises it for a stress run without editing the tests).
 */
import { expect } from 'vitest';
import { Decimal, EngineInputError } from '../../src/engine/index.ts';

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
