/**
 * SVG path strings for the two shapes our charts draw: a polyline through points, and an annular sector
 * (a gauge band). Built with d3-path, the serializer under d3-shape; d3-shape itself would add about
 * 4 KB gzipped to every page with a chart, for generators we use in their simplest form.
 */
import { pathRound } from 'd3-path';

// Two decimals of a pixel is finer than any screen; shorter paths make smaller server-rendered HTML.
const path = () => pathRound(2);

/** "M x0,y0 L x1,y1 …" through points already in pixels; empty string for no points. */
export function polylinePath(points: readonly (readonly [number, number])[]): string {
  const p = path();
  points.forEach(([x, y], i) => (i === 0 ? p.moveTo(x, y) : p.lineTo(x, y)));
  return points.length ? p.toString() : '';
}

/**
 * A ring segment centred on the origin, between radii `inner` and `outer`, from angle `start` to `end`
 * in radians measured clockwise from twelve o'clock (d3-shape's arc convention).
 */
export function annularSectorPath(inner: number, outer: number, start: number, end: number): string {
  // d3-path follows canvas: angle 0 at three o'clock, clockwise on screen.
  const a0 = start - Math.PI / 2;
  const a1 = end - Math.PI / 2;
  const p = path();
  p.arc(0, 0, outer, a0, a1, false);
  p.arc(0, 0, inner, a1, a0, true);
  p.closePath();
  return p.toString();
}
