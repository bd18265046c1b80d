import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { format } from 'd3-format';
import { fixed, general, si } from './tickFormat';

const samples = [0, -0, 1, -1, 0.5, 14, 42 / 3, 99.95, 999.5, 1000, 1234.5, -1234.5, 59950, 60000, 61234, 1e6, 2.5e6, 123456789, 0.000123, -0.004, 1e-9, 5e21];

// Values from a femto up (d3 formats yocto-scale values with a rule no chart of ours meets).
describe('tick formats, held to d3-format', () => {
  for (const [ours, spec] of [[si(2), '.2~s'], [si(3), '.3~s'], [si(4), '.4~s'], [general(), '~g'], [general(3), '.3~g'], [fixed(2), '.2~f']] as const) {
    it(`${spec} agrees with d3`, () => {
      const d3 = format(spec);
      for (const v of samples) expect(ours(v), `${spec} of ${v}`).toBe(d3(v));
      fc.assert(fc.property(fc.double({ min: -1e12, max: 1e12, noNaN: true }).filter((v) => v === 0 || Math.abs(v) > 1e-15), (v) => {
        expect(ours(v)).toBe(d3(v));
      }));
      fc.assert(fc.property(fc.integer({ min: -1e9, max: 1e9 }), (n) => {
        expect(ours(n / 100)).toBe(d3(n / 100));
      }));
    });
  }
});
