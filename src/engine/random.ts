/**
 * A seeded random source that gives the same numbers on every machine and in every browser.
 *
 * The uniform draws come from d3-random's linear congruential generator (`randomLcg`), whose state is
 * updated with 32-bit integer arithmetic: identical everywhere. The shapes built on them (Pareto,
 * log-normal, triangular) would normally call Math.log, Math.exp or Math.pow, but ECMAScript lets each
 * engine approximate those in its own way, so V8, SpiderMonkey and JavaScriptCore may differ in the last
 * bit, and a last bit can move a size across a rounding boundary. This file therefore computes ln and exp
 * with +, −, ×, ÷ and Math.sqrt only, which IEEE 754 rounds the same way everywhere (ECMAScript forbids
 * fused multiply-add contraction), so a seed yields one population bit for bit on every machine.
 */
import { randomLcg } from 'd3-random';

export interface SeededRandom {
  /** A uniform float in [0, 1), 32 bits of resolution. */
  next(): number;
  /** A uniform float in (0, 1]: safe to take the logarithm of. */
  nextPositive(): number;
}

/** The generator for an integer seed 0 ≤ seed < 2^31 (d3-random reads an integer seed as the LCG state). */
export function seededRandom(seed: number): SeededRandom {
  const lcg = randomLcg(seed);
  return {
    next: lcg,
    nextPositive: () => 1 - lcg(),
  };
}

const LN2 = 0.6931471805599453; // the float64 nearest ln 2
const SQRT2 = 1.4142135623730951;

/**
 * Natural logarithm of x > 0 with basic arithmetic only (see the header). Accurate to a few units in the
 * last place: x = m·2^k with m in [1/√2, √2), ln m = 2·atanh((m − 1)/(m + 1)) by its odd series.
 */
export function detLn(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`detLn: ${x} is not a positive finite number`);
  let m = x;
  let k = 0;
  // Scaling by 2 is exact, so the reduction adds no error.
  while (m >= 2) {
    m /= 2;
    k++;
  }
  while (m < 1) {
    m *= 2;
    k--;
  }
  if (m > SQRT2) {
    m /= 2;
    k++;
  }
  const t = (m - 1) / (m + 1); // |t| ≤ 0.1716, so t² ≤ 0.0295 and 14 terms reach 1e-21
  const t2 = t * t;
  let term = t;
  let sum = 0;
  for (let n = 1; n <= 29; n += 2) {
    sum += term / n;
    term *= t2;
  }
  return k * LN2 + 2 * sum;
}

/** e^y with basic arithmetic only: y = k·ln 2 + r, |r| ≤ ln2/2, a Taylor series for e^r, then 2^k exactly. */
export function detExp(y: number): number {
  if (!Number.isFinite(y)) throw new RangeError(`detExp: ${y} is not finite`);
  if (y > 709) return Number.MAX_VALUE;
  if (y < -745) return 0;
  const k = Math.round(y / LN2);
  const r = y - k * LN2;
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 24; n++) {
    term *= r / n;
    sum += term;
  }
  let scale = 1;
  for (let i = 0; i < Math.abs(k); i++) scale *= 2;
  return k >= 0 ? sum * scale : sum / scale;
}

/** x^p for x > 0 (deterministic). */
export function detPow(x: number, p: number): number {
  return detExp(p * detLn(x));
}

/** A Pareto draw: minimum × U^(−1/α), U uniform in (0, 1]. Heavy-tailed: P(X > x) = (minimum/x)^α. */
export function paretoDraw(random: SeededRandom, minimum: number, alpha: number): number {
  return minimum * detPow(random.nextPositive(), -1 / alpha);
}

/**
 * A standard normal draw by Marsaglia's polar method: it needs a square root and a logarithm but no sine
 * or cosine, both computed deterministically. Rejection consumes a variable number of uniforms, which is
 * fine: the sequence of uniforms is fixed by the seed.
 */
export function normalDraw(random: SeededRandom): number {
  for (;;) {
    const u = 2 * random.next() - 1;
    const v = 2 * random.next() - 1;
    const s = u * u + v * v;
    if (s > 0 && s < 1) return u * Math.sqrt((-2 * detLn(s)) / s);
  }
}

/** A log-normal draw: median × e^(σ·Z). */
export function logNormalDraw(random: SeededRandom, median: number, sigma: number): number {
  return median * detExp(sigma * normalDraw(random));
}

/** A symmetric triangular draw on (−1, 1): the sum of two uniforms, recentred. Mass concentrates near 0. */
export function triangularDraw(random: SeededRandom): number {
  return random.next() + random.next() - 1;
}
