/**
 * A seeded price path: 14 days of BTCUSDT at each 8-hour funding time (42 steps after the entry). The same
 * seed gives the same path on the server and in every browser: d3-random's linear congruential generator
 * feeds its normal distribution, never Math.random.
 *
 * Floats touch only the random draws: each draw is rounded to six decimals and enters Decimal arithmetic,
 * where price(k) = price(k − 1) × (1 + σ·√(1/3)·z) is rounded to the tick (0.1 USDT). So the engine sees
 * exact tick prices, and a last-bit difference in a platform's Math.log cannot move a price.
 */
import { randomLcg, randomNormal } from 'd3-random';
import { Decimal } from '../../engine';

export const DAYS = 14;
export const STEPS_PER_DAY = 3;
export const STEPS = DAYS * STEPS_PER_DAY;
export const TICK = new Decimal('0.1');
export const ENTRY_PRICE = new Decimal('60000');

/** Draws, one per step, for a seed: standard normal values rounded to six decimals. */
export function draws(seed: number, count = STEPS): Decimal[] {
  // randomLcg takes a seed in [0, 1); spread whole seeds over it deterministically.
  const lcg = randomLcg((seed * 0.618033988749895) % 1);
  const normal = randomNormal.source(lcg)(0, 1);
  const out: Decimal[] = [];
  for (let i = 0; i < count; i++) out.push(new Decimal(normal().toFixed(6)));
  return out;
}

/**
 * Prices at entry (index 0) and at each of the 42 funding times, rounded to the tick. A step's move is
 * capped at ±50 % so no draw can take the price to zero.
 */
export function pricePath(seed: number, dailyVolatilityPercent: Decimal | string, entry: Decimal = ENTRY_PRICE): Decimal[] {
  const perStep = new Decimal(dailyVolatilityPercent).div(100).mul(new Decimal(1).div(STEPS_PER_DAY).sqrt());
  const prices = [entry];
  let price = entry;
  for (const z of draws(seed)) {
    const factor = Decimal.min(1.5, Decimal.max(0.5, perStep.mul(z).add(1)));
    price = Decimal.max(TICK, price.mul(factor).toNearest(TICK, Decimal.ROUND_HALF_EVEN));
    prices.push(price);
  }
  return prices;
}
