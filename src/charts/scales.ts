/**
 * The two scales our charts use: linear (with d3's "nice" domain and round ticks) and base-10 log. They
 * follow d3-scale's arithmetic (scaleLinear, scaleLog, and d3-array's ticks/tickIncrement), but map numbers
 * to numbers only: d3-scale's continuous scales import d3-interpolate for ranges of any type, which brings
 * d3-color's colour parser (about 5 KB gzipped) into every page with a chart, for ranges that are always
 * pixel numbers here. The tests hold these to d3-scale's output.
 */

export interface Scale {
  (value: number): number;
  domain(): [number, number];
  range(): [number, number];
  /** The domain value at a range value (a pointer position back to data). */
  invert(value: number): number;
  /** Round values inside the domain for tick marks, about `count` of them. */
  ticks(count?: number): number[];
}

const e10 = Math.sqrt(50);
const e5 = Math.sqrt(10);
const e2 = Math.sqrt(2);

/** d3-array's tickSpec: integer bounds and an increment (negative: its reciprocal) for round ticks. */
function tickSpec(start: number, stop: number, count: number): [number, number, number] {
  const step = (stop - start) / Math.max(0, count);
  const power = Math.floor(Math.log10(step));
  const error = step / 10 ** power;
  const factor = error >= e10 ? 10 : error >= e5 ? 5 : error >= e2 ? 2 : 1;
  let i1: number;
  let i2: number;
  let inc: number;
  if (power < 0) {
    inc = 10 ** -power / factor;
    i1 = Math.round(start * inc);
    i2 = Math.round(stop * inc);
    if (i1 / inc < start) ++i1;
    if (i2 / inc > stop) --i2;
    inc = -inc;
  } else {
    inc = 10 ** power * factor;
    i1 = Math.round(start / inc);
    i2 = Math.round(stop / inc);
    if (i1 * inc < start) ++i1;
    if (i2 * inc > stop) --i2;
  }
  if (i2 < i1 && 0.5 <= count && count < 2) return tickSpec(start, stop, count * 2);
  return [i1, i2, inc];
}

/** Round tick values between start and stop (either order), as d3-array's ticks. */
export function ticks(start: number, stop: number, count: number): number[] {
  if (!(count > 0)) return [];
  if (start === stop) return [start];
  const reverse = stop < start;
  const [i1, i2, inc] = reverse ? tickSpec(stop, start, count) : tickSpec(start, stop, count);
  if (!(i2 >= i1)) return [];
  const n = i2 - i1 + 1;
  const out = new Array<number>(n);
  for (let i = 0; i < n; ++i) {
    const k = reverse ? i2 - i : i1 + i;
    out[i] = inc < 0 ? k / -inc : k * inc;
  }
  return out;
}

function tickIncrement(start: number, stop: number, count: number): number {
  return tickSpec(start, stop, count)[2];
}

/** d3's nice(): widens the domain to round values at the tick step for `count` ticks (unchanged if that never settles). */
export function niceDomain(domain: [number, number], count = 10): [number, number] {
  const reverse = domain[1] < domain[0];
  let start = reverse ? domain[1] : domain[0];
  let stop = reverse ? domain[0] : domain[1];
  let previous: number | undefined;
  for (let i = 0; i < 10; i++) {
    const step = tickIncrement(start, stop, count);
    if (step === previous) return reverse ? [stop, start] : [start, stop];
    if (step > 0) {
      start = Math.floor(start / step) * step;
      stop = Math.ceil(stop / step) * step;
    } else if (step < 0) {
      start = Math.ceil(start * step) / step;
      stop = Math.floor(stop * step) / step;
    } else break;
    previous = step;
  }
  return domain;
}

function continuous(
  domain: [number, number],
  range: [number, number],
  transform: (v: number) => number,
  untransform: (v: number) => number,
  tickValues: (count: number) => number[],
): Scale {
  const [d0, d1] = domain;
  const [r0, r1] = range;
  const t0 = transform(d0);
  const span = transform(d1) - t0;
  // Like d3: a zero-width domain maps everything to the middle of the range.
  const scale = ((value: number) => {
    const t = span ? (transform(value) - t0) / span : 0.5;
    return r0 * (1 - t) + r1 * t;
  }) as Scale;
  scale.domain = () => [d0, d1];
  scale.range = () => [r0, r1];
  scale.invert = (value: number) => {
    const t = r1 - r0 ? (value - r0) / (r1 - r0) : 0.5;
    return untransform(t0 + span * t);
  };
  scale.ticks = (count = 10) => tickValues(count);
  return scale;
}

/** A linear scale; `nice` widens the domain to round values first, as d3's `.nice()`. */
export function linearScale(domain: [number, number], range: [number, number], options: { nice?: boolean } = {}): Scale {
  const d = options.nice ? niceDomain(domain) : domain;
  return continuous(d, range, (v) => v, (v) => v, (count) => ticks(d[0], d[1], count));
}

/** A base-10 log scale over a positive domain; ticks are the powers of ten inside it. */
export function logScale(domain: [number, number], range: [number, number]): Scale {
  const lo = Math.min(domain[0], domain[1]);
  const hi = Math.max(domain[0], domain[1]);
  return continuous(domain, range, Math.log10, (v) => 10 ** v, () => {
    const out: number[] = [];
    for (let e = Math.ceil(Math.log10(lo)); e <= Math.floor(Math.log10(hi)); e++) out.push(10 ** e);
    return out;
  });
}
