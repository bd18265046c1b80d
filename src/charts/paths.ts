/**
 * SVG path strings for the two shapes our charts draw: a polyline through points, and an annular sector
 * (a gauge band). Written as d3-path writes them (same commands, coordinates rounded to two decimals),
 * without the library: these two shapes are all we draw, and every byte here ships with each chart.
 */

const EPSILON = 1e-6;
const TAU = 2 * Math.PI;

/** Two decimals of a pixel is finer than any screen; shorter paths make smaller server-rendered HTML. */
const round = (value: number) => {
  const r = Math.round(value * 100) / 100;
  return r === 0 ? 0 : r;
};

/** "M x0,y0 L x1,y1 …" through points already in pixels; empty string for no points. */
export function polylinePath(points: readonly (readonly [number, number])[]): string {
  let out = '';
  points.forEach(([x, y], i) => (out += `${i === 0 ? 'M' : 'L'}${round(x)},${round(y)}`));
  return out;
}

/**
 * An arc of a circle centred on the origin from angle a0 to a1 (canvas angles: 0 at three o'clock,
 * clockwise on screen), joined to the current point with a line when it does not start there.
 */
function arc(state: { x: number | null; y: number | null; out: string }, r: number, a0: number, a1: number, ccw: boolean) {
  const x0 = r * Math.cos(a0);
  const y0 = r * Math.sin(a0);
  if (state.x === null || state.y === null) state.out += `M${round(x0)},${round(y0)}`;
  else if (Math.abs(state.x - x0) > EPSILON || Math.abs(state.y - y0) > EPSILON) state.out += `L${round(x0)},${round(y0)}`;
  let da = ccw ? a0 - a1 : a1 - a0;
  if (da < 0) da = (da % TAU) + TAU;
  if (da <= EPSILON) {
    state.x = x0;
    state.y = y0;
    return;
  }
  const sweep = ccw ? 0 : 1;
  if (da > TAU - EPSILON) {
    // A whole ring: two half arcs, as d3-path draws a full circle.
    state.out += `A${round(r)},${round(r)},0,1,${sweep},${round(-x0)},${round(-y0)}A${round(r)},${round(r)},0,1,${sweep},${round(x0)},${round(y0)}`;
    state.x = x0;
    state.y = y0;
    return;
  }
  state.x = r * Math.cos(a1);
  state.y = r * Math.sin(a1);
  state.out += `A${round(r)},${round(r)},0,${da >= Math.PI ? 1 : 0},${sweep},${round(state.x)},${round(state.y)}`;
}

/**
 * A ring segment centred on the origin, between radii `inner` and `outer`, from angle `start` to `end`
 * in radians measured clockwise from twelve o'clock (d3-shape's arc convention).
 */
export function annularSectorPath(inner: number, outer: number, start: number, end: number): string {
  const a0 = start - Math.PI / 2;
  const a1 = end - Math.PI / 2;
  const state = { x: null as number | null, y: null as number | null, out: '' };
  arc(state, outer, a0, a1, false);
  arc(state, inner, a1, a0, true);
  return `${state.out}Z`;
}
