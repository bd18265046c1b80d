import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { scaleLinear, scaleLog } from 'd3-scale';
import { linearScale, logScale, niceDomain, ticks } from './scales';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));

describe('linear scale, held to d3-scale', () => {
  it('maps, inverts, nices and ticks as scaleLinear does', () => {
    const cases: [number, number][] = [[0, 14], [0, 120], [-3.2, 917.4], [53210.5, 61880.1], [0.00012, 0.0371], [5, 5], [100, -40]];
    for (const domain of cases) {
      const ours = linearScale(domain, [300, 20], { nice: true });
      const d3 = scaleLinear().domain(domain).range([300, 20]).nice();
      expect(ours.domain()).toEqual(d3.domain());
      for (const count of [3, 4, 6, 10]) expect(ours.ticks(count)).toEqual(d3.ticks(count));
      for (const v of [domain[0], domain[1], (domain[0] + domain[1]) / 2]) {
        expect(close(ours(v), d3(v))).toBe(true);
        expect(close(ours.invert(ours(v)), v)).toBe(true);
      }
    }
  });

  it('agrees with d3 for domains charts meet (hundredths up to ±10 million)', () => {
    const value = fc.integer({ min: -1e9, max: 1e9 }).map((n) => n / 100);
    fc.assert(
      fc.property(value, value, fc.integer({ min: 1, max: 12 }), (a, b, count) => {
        const d3 = scaleLinear().domain([a, b]).range([0, 500]).nice();
        expect(niceDomain([a, b])).toEqual(d3.domain());
        expect(ticks(a, b, count)).toEqual(scaleLinear().domain([a, b]).ticks(count));
        const ours = linearScale([a, b], [0, 500]);
        const plain = scaleLinear().domain([a, b]).range([0, 500]);
        expect(close(ours((a + b) / 2), plain((a + b) / 2))).toBe(true);
      }),
    );
  });
});

describe('log scale', () => {
  it('maps and inverts as scaleLog does, with powers of ten for ticks', () => {
    const ours = logScale([1000, 2e8], [64, 620]);
    const d3 = scaleLog().domain([1000, 2e8]).range([64, 620]);
    for (const v of [1000, 5e4, 1.23e6, 2e8]) {
      expect(close(ours(v), d3(v))).toBe(true);
      expect(close(ours.invert(ours(v)), v)).toBe(true);
    }
    expect(ours.ticks()).toEqual([1e3, 1e4, 1e5, 1e6, 1e7, 1e8]);
  });
});
