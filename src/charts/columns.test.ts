import { describe, expect, it } from 'vitest';
import { stackedColumnPaths, tallestStack } from './columns';

const identity = (v: number) => v;
// Pixels grow downward: y(0) = 100, y(10) = 0.
const down = (v: number) => 100 - v * 10;

describe('stacked columns', () => {
  it('draws one rectangle per layer and column, each on top of the layers below it', () => {
    const paths = stackedColumnPaths([{ x0: 0, x1: 10, values: [2, 3] }], 2, identity, down, 0);
    expect(paths).toEqual(['M0,100H10V80H0Z', 'M0,80H10V50H0Z']);
  });

  it('leaves empty layers out of a column, and skips zero, negative and non-finite values', () => {
    const paths = stackedColumnPaths(
      [
        { x0: 0, x1: 10, values: [0, 4] },
        { x0: 10, x1: 20, values: [-1, Number.NaN] },
      ],
      2,
      identity,
      down,
      0,
    );
    expect(paths).toEqual(['', 'M0,100H10V60H0Z']);
  });

  it('takes the gap off wide columns only', () => {
    expect(stackedColumnPaths([{ x0: 0, x1: 10, values: [1] }], 1, identity, down, 1)[0]).toBe('M1,100H9V90H1Z');
    expect(stackedColumnPaths([{ x0: 0, x1: 2, values: [1] }], 1, identity, down, 1)[0]).toBe('M0,100H2V90H0Z');
  });

  it('finds the tallest stack', () => {
    expect(tallestStack([{ x0: 0, x1: 1, values: [1, 2] }, { x0: 1, x1: 2, values: [4, -3, Number.NaN] }])).toBe(4);
    expect(tallestStack([])).toBe(0);
  });
});
