import { describe, expect, it } from 'vitest';
import { labelRows } from './labelRows';

describe('labelRows', () => {
  it('keeps far-apart labels on one row', () => {
    expect(labelRows([{ x: 0, width: 40 }, { x: 100, width: 40 }])).toEqual([0, 0]);
  });
  it('moves an overlapping label to the next row, whatever the input order', () => {
    expect(labelRows([{ x: 110, width: 60 }, { x: 100, width: 60 }])).toEqual([1, 0]);
  });
  it('reuses the last row once every row is taken', () => {
    const rows = labelRows([0, 1, 2, 3].map((x) => ({ x, width: 50 })), 2);
    expect(rows).toEqual([0, 1, 1, 1]);
  });
});
