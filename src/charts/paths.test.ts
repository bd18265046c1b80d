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

describe('the same strings as d3-path', () => {
  it('for polylines and gauge bands', async () => {
    const { pathRound } = await import('d3-path');
    const points: [number, number][] = [[0.004, -0.004], [12.345, 67.891], [-3.3333, 1e-9], [640, 300.005]];
    const p = pathRound(2);
    points.forEach(([x, y], i) => (i === 0 ? p.moveTo(x, y) : p.lineTo(x, y)));
    expect(polylinePath(points)).toBe(p.toString());
    for (const [inner, outer, start, end] of [[70, 96, -Math.PI / 2, 0], [70, 96, 0, Math.PI / 2], [70, 96, -Math.PI / 2, Math.PI / 2], [5, 10, 0, 2 * Math.PI]] as const) {
      const q = pathRound(2);
      q.arc(0, 0, outer, start - Math.PI / 2, end - Math.PI / 2, false);
      q.arc(0, 0, inner, end - Math.PI / 2, start - Math.PI / 2, true);
      q.closePath();
      expect(annularSectorPath(inner, outer, start, end)).toBe(q.toString());
    }
  });
});
