import { describe, expect, it } from 'vitest';
import { annularSectorPath, polylinePath } from './paths';

describe('polylinePath', () => {
  it('moves to the first point and draws lines through the rest', () => {
    expect(polylinePath([[0, 0], [10, 5], [20, 0]])).toBe('M0,0L10,5L20,0');
  });
  it('is empty for no points', () => {
    expect(polylinePath([])).toBe('');
  });
});

describe('annularSectorPath', () => {
  it('starts at twelve o\'clock on the outer radius and closes on the inner one', () => {
    const d = annularSectorPath(5, 10, 0, Math.PI / 2);
    expect(d.startsWith('M0,-10A10,10,0,0,1,10,0')).toBe(true);
    expect(d).toContain('L5,0A5,5,0,0,0,0,-5');
    expect(d.endsWith('Z')).toBe(true);
  });
});
