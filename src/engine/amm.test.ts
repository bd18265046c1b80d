/**
 * Constant-product AMM (src/engine/amm.ts). Targets: cascade-models.md §1.5 / §4.4 (selling a fraction f of the
 * reserve moves the price by 1 − 1/(1 + f)²: 1 % → −1.97 %, 5 % → −9.30 %, 10 % → −17.36 %), the Uniswap v2
 * output formula out = R_out · a(1 − fee) ÷ (R_in + a(1 − fee)), and the invariant: k never decreases, and with
 * fee = 0 it is preserved to within the documented rounding, (k′ − k) ÷ k′ ≤ 10⁻³⁹.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { constantProductPool, poolSpotPrice, swapExactIn } from './amm.ts';
import { D, engineError, expectDecimal, runs } from '../../tests/unit/engine-testkit.ts';

/** Exact products of two 40-digit reserves fit in 80 digits; 1,000 leaves no room for doubt. */
const Exact = Decimal.clone({ precision: 1000 });
const k = (x: Decimal, y: Decimal) => new Exact(x.toString()).mul(y.toString());

describe('swapExactIn: published and closed-form numbers', () => {
  const pool = constantProductPool({ reserveX: 1000, reserveY: 2_000_000, fee: 0 });

  it.each([
    ['0.01', '-1.97'],
    ['0.05', '-9.30'],
    ['0.10', '-17.36'],
  ])('selling %s of the x reserve moves the price by %s %% (cascade-models.md §1.5)', (f, quoted) => {
    const r = swapExactIn(pool, { tokenIn: 'x', amountIn: D(1000).mul(f) });
    // Exactly 1/(1 + f)² − 1, to the engine's precision …
    const exact = D(1).div(D(1).add(f).pow(2)).sub(1);
    expect(r.priceImpact.sub(exact).abs().lt('1e-35')).toBe(true);
    // … and the research note's figure, rounded to two decimals of a percent.
    expect(r.priceImpact.mul(100).toDecimalPlaces(2).toFixed(2)).toBe(quoted);
  });

  it('pays R_out · a ÷ (R_in + a) with no fee: 100 x into 1,000 / 2,000,000 → 181,818.18… y', () => {
    const r = swapExactIn(pool, { tokenIn: 'x', amountIn: 100 });
    expect(r.amountOut.sub(D(2_000_000).mul(100).div(1100)).abs().lt('1e-33')).toBe(true);
    expectDecimal(r.pool.reserveX, 1100);
    expectDecimal(r.spotPriceBefore, 2000);
    expect(r.executionPrice.sub(D(2_000_000).div(1100)).abs().lt('1e-33')).toBe(true);
    // The average price of a sale lies between the spot prices before and after.
    expect(r.executionPrice.lt(r.spotPriceBefore) && r.executionPrice.gt(r.spotPriceAfter)).toBe(true);
  });

  it('charges the fee on the input and keeps it in the pool (Uniswap v2, 0.3 %)', () => {
    const fee = constantProductPool({ reserveX: 1000, reserveY: 2_000_000, fee: '0.003' });
    const r = swapExactIn(fee, { tokenIn: 'x', amountIn: 100 });
    // Net input 99.7: out = 2,000,000 × 99.7 ÷ 1,099.7 = 181,322.17…
    expect(r.amountOut.sub(D(2_000_000).mul('99.7').div('1099.7')).abs().lt('1e-33')).toBe(true);
    expectDecimal(r.feePaid, '0.3');
    expectDecimal(r.pool.reserveX, 1100);
    expect(r.kAfter.gt(r.kBefore)).toBe(true);
  });

  it('buys x with y: prices stay y per x and rise', () => {
    const r = swapExactIn(pool, { tokenIn: 'y', amountIn: 200_000 });
    // 10 % of the y reserve in: price × 1.1² = 2,420.
    expect(r.spotPriceAfter.sub(2420).abs().lt('1e-33')).toBe(true);
    expect(r.priceImpact.sub('0.21').abs().lt('1e-35')).toBe(true);
    expect(r.executionPrice.gt(r.spotPriceBefore)).toBe(true);
  });

  it('refuses a fee of 100 % or more, a zero reserve, a zero input and an unknown token', () => {
    expect(engineError(() => constantProductPool({ reserveX: 1, reserveY: 1, fee: 1 })).field).toBe('pool.fee');
    expect(engineError(() => constantProductPool({ reserveX: 0, reserveY: 1 })).field).toBe('pool.reserveX');
    expect(engineError(() => swapExactIn(pool, { tokenIn: 'x', amountIn: 0 })).field).toBe('swap.amountIn');
    expect(engineError(() => swapExactIn(pool, { tokenIn: 'z' as 'x', amountIn: 1 })).field).toBe('swap.tokenIn');
  });

  it('leaves the pool it was given untouched', () => {
    swapExactIn(pool, { tokenIn: 'x', amountIn: 10 });
    expectDecimal(pool.reserveX, 1000);
    expectDecimal(poolSpotPrice(pool), 2000);
  });
});

// Reserves and inputs over many orders of magnitude, with up to 18 decimals, as token amounts have.
const amountArb = fc
  .tuple(fc.bigInt({ min: 1n, max: 10n ** 24n }), fc.integer({ min: 0, max: 18 }))
  .map(([units, decimals]) => new Decimal(units.toString()).div(new Decimal(10).pow(decimals)));
const feeArb = fc.oneof(fc.constant('0'), fc.integer({ min: 0, max: 999 }).map((n) => new Decimal(n).div(10_000).toString()));

describe('swapExactIn: properties', () => {
  it('k never decreases; with fee = 0 it is preserved to (k′ − k) ÷ k′ ≤ 10⁻³⁹', () => {
    fc.assert(
      fc.property(amountArb, amountArb, amountArb, feeArb, fc.constantFrom<'x' | 'y'>('x', 'y'), (x, y, a, fee, tokenIn) => {
        const pool = constantProductPool({ reserveX: x, reserveY: y, fee });
        const r = swapExactIn(pool, { tokenIn, amountIn: a });
        const before = k(pool.reserveX, pool.reserveY);
        const after = k(r.pool.reserveX, r.pool.reserveY);
        expect(after.gte(before), `k fell from ${before.toString()} to ${after.toString()}`).toBe(true);
        expect(r.kBefore.eq(before.toString()) && r.kAfter.eq(after.toString())).toBe(true);
        if (fee === '0') expect(after.sub(before).div(after).lte('1e-39')).toBe(true);
        // Tokens: the output reserve falls by exactly what was paid out; output is positive and below the reserve.
        const [outBefore, outAfter] = tokenIn === 'x' ? [pool.reserveY, r.pool.reserveY] : [pool.reserveX, r.pool.reserveX];
        expect(new Exact(outAfter.toString()).add(r.amountOut.toString()).eq(outBefore.toString())).toBe(true);
        expect(r.amountOut.gte(0) && r.amountOut.lt(outBefore)).toBe(true);
        // Selling x lowers the y-per-x price, buying raises it (weakly: a dust trade may not move the 40th digit).
        expect(tokenIn === 'x' ? r.priceImpact.lte(0) : r.priceImpact.gte(0)).toBe(true);
      }),
      runs(500),
    );
  });

  it('selling fraction f of the x reserve with no fee moves the price by 1/(1 + f)² − 1', () => {
    fc.assert(
      fc.property(amountArb, amountArb, fc.integer({ min: 1, max: 1_000_000 }), (x, y, fBps) => {
        const f = new Decimal(fBps).div(10_000);
        const pool = constantProductPool({ reserveX: x, reserveY: y });
        const r = swapExactIn(pool, { tokenIn: 'x', amountIn: pool.reserveX.mul(f) });
        const exact = D(1).div(D(1).add(f).pow(2)).sub(1);
        expect(r.priceImpact.sub(exact).abs().lt('1e-30')).toBe(true);
      }),
      runs(300),
    );
  });

  it('is deterministic and path-consistent: two swaps never pay more than one swap of the sum (no fee)', () => {
    fc.assert(
      fc.property(amountArb, amountArb, amountArb, amountArb, (x, y, a, b) => {
        const pool = constantProductPool({ reserveX: x, reserveY: y });
        const one = swapExactIn(pool, { tokenIn: 'x', amountIn: a.add(b) });
        const first = swapExactIn(pool, { tokenIn: 'x', amountIn: a });
        const second = swapExactIn(first.pool, { tokenIn: 'x', amountIn: b });
        expect(JSON.stringify(swapExactIn(pool, { tokenIn: 'x', amountIn: a }))).toBe(JSON.stringify(first));
        // Splitting cannot beat the curve; each rounding favours the pool, so split ≤ whole + one unit per step.
        const split = first.amountOut.add(second.amountOut);
        expect(split.lte(one.amountOut.add(one.amountOut.mul('1e-38')))).toBe(true);
      }),
      runs(200),
    );
  });
});
