/**
 * Liquidation outcome of an isolated position (src/engine/outcome.ts): full takeover, the trader keeps nothing,
 * the equity left at the fill pays the liquidation fee (capped at that equity) and then the insurance fund; a
 * fill beyond the bankruptcy price is a loss the fund covers up to its balance, the rest bad debt.
 *
 * Conservation is checked with exact Decimal equality: traderKeeps + fee + insuranceFundChange + badDebt =
 * equityAtFill, in any order of summation.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { bankruptcyPrice, liquidationPrice, normalizePosition, type Position, type Side } from './position.ts';
import { liquidationOutcome, type LiquidationOutcome } from './outcome.ts';
import { D, engineError, expectDecimal, openedPositionArb, type Dec } from '../../tests/unit/engine-testkit.ts';


function parts(o: LiquidationOutcome): Dec[] {
  return [o.traderKeeps, o.fee, o.insuranceFundChange, o.badDebt];
}

/** Adds without rounding: 1,000 significant digits is far more than any sum of four 40-digit numbers needs. */
const DecimalExact = Decimal.clone({ precision: 1000 });

function expectConserved(o: LiquidationOutcome): void {
  const [t, f, i, b] = parts(o) as [Dec, Dec, Dec, Dec];
  // In the engine's own 40-digit arithmetic, in any order …
  for (const sum of [t.add(f).add(i).add(b), b.add(i).add(f).add(t), f.add(b).add(t).add(i), i.add(t).add(b).add(f)]) {
    expect(sum.eq(o.equityAtFill), `${sum.toString()} ≠ ${o.equityAtFill.toString()}`).toBe(true);
  }
  // … and mathematically: the exact sum, not only its rounding to 40 digits, is the equity.
  const exact = [t, f, i, b].reduce((sum, part) => sum.add(part.toString()), new DecimalExact(0));
  expect(exact.eq(o.equityAtFill.toString()), `exact sum ${exact.toString()} ≠ ${o.equityAtFill.toString()}`).toBe(true);
}

describe('liquidationOutcome: worked examples', () => {
  // 1 BTC long at 50,000, isolated margin 5,000 (10×), MMR 0.4 %.
  // Bankruptcy price = 50,000 − 5,000 = 45,000; liquidation price = 45,000 / 0.996 = 45,180.72….
  const long = normalizePosition({ contract: 'linear', side: 'long', entryPrice: 50000, quantity: 1, margin: 5000, maintenanceMarginRate: '0.004' });

  it('a fill between the liquidation and bankruptcy prices: fee, then the rest to the insurance fund', () => {
    // Fill 45,150: equity = 5,000 + (45,150 − 50,000) = 150. Fee 0.1 % of 45,150 = 45.15. Fund +104.85.
    const o = liquidationOutcome(long, 45150, { liquidationFeeRate: '0.001' });
    expectDecimal(o.bankruptcyPrice, 45000);
    expectDecimal(o.notionalAtFill, 45150);
    expectDecimal(o.equityAtFill, 150);
    expectDecimal(o.traderKeeps, 0);
    expectDecimal(o.fee, '45.15');
    expectDecimal(o.insuranceFundChange, '104.85');
    expectDecimal(o.badDebt, 0);
    expectConserved(o);
  });

  it('the fee is capped at the equity left', () => {
    // Fill 45,100: equity 100; 0.5 % of 45,100 = 225.5 > 100, so fee 100 and nothing for the fund.
    const o = liquidationOutcome(long, 45100, { liquidationFeeRate: '0.005' });
    expectDecimal(o.equityAtFill, 100);
    expectDecimal(o.fee, 100);
    expectDecimal(o.insuranceFundChange, 0);
    expect(o.insuranceFundChange.isNeg()).toBe(false); // +0, not −0
    expectConserved(o);
  });

  it('a fill worse than the bankruptcy price: the fund covers the loss', () => {
    // Fill 44,800: equity = 5,000 − 5,200 = −200. No fee; fund −200; no bad debt (no fund balance given: unlimited).
    const o = liquidationOutcome(long, 44800, { liquidationFeeRate: '0.005' });
    expectDecimal(o.equityAtFill, -200);
    expectDecimal(o.fee, 0);
    expectDecimal(o.insuranceFundChange, -200);
    expectDecimal(o.badDebt, 0);
    expectConserved(o);
  });

  it('a fund of 50 covers 50 of the 200 loss; 150 is bad debt', () => {
    const o = liquidationOutcome(long, 44800, { liquidationFeeRate: '0.005', insuranceFundBalance: 50 });
    expectDecimal(o.insuranceFundChange, -50);
    expectDecimal(o.badDebt, -150);
    expectConserved(o);
    // An empty fund: all of it is bad debt, and the fund's change is +0, not −0.
    const empty = liquidationOutcome(long, 44800, { liquidationFeeRate: '0.005', insuranceFundBalance: 0 });
    expectDecimal(empty.insuranceFundChange, 0);
    expect(empty.insuranceFundChange.isNeg()).toBe(false);
    expectDecimal(empty.badDebt, -200);
    // A fund larger than the loss covers it all.
    expectDecimal(liquidationOutcome(long, 44800, { liquidationFeeRate: 0, insuranceFundBalance: 1e6 }).badDebt, 0);
  });

  it('a short filled at 54,000: equity 1,000, fee 270, fund +730', () => {
    // Short 1 @ 50,000, margin 5,000: BP = 55,000. Fill 54,000: equity = 5,000 − 4,000 = 1,000; fee = 0.5 % × 54,000 = 270.
    const short = normalizePosition({ ...long, side: 'short' });
    const o = liquidationOutcome(short, 54000, { liquidationFeeRate: '0.005' });
    expectDecimal(o.bankruptcyPrice, 55000);
    expectDecimal(o.equityAtFill, 1000);
    expectDecimal(o.fee, 270);
    expectDecimal(o.insuranceFundChange, 730);
    expectConserved(o);
  });

  it('COIN-M: amounts in coin, and the parts still sum exactly', () => {
    // 1,000 × 100 USD long at 50,000, margin 0.2 BTC (10×). BP = 100,000 / (0.2 + 2) = 45,454.54….
    // Fill 46,000: PnL = 100,000 × (1/50,000 − 1/46,000) = −0.173913043478…; equity = 0.026086956521739130434782608695652173913….
    // Notional = 100,000 / 46,000 = 2.1739130434…; fee at 0.5 % = 0.0108695652173913…; fund = 0.0152173913043478….
    const coin = normalizePosition({ contract: 'inverse', side: 'long', entryPrice: 50000, quantity: 1000, margin: '0.2', maintenanceMarginRate: '0.004' });
    const o = liquidationOutcome(coin, 46000, { liquidationFeeRate: '0.005' });
    expect(o.bankruptcyPrice!.toFixed(2)).toBe('45454.55');
    expect(o.equityAtFill.toString().startsWith('0.02608695652173913043478260869565217391')).toBe(true);
    expect(o.fee.toString().startsWith('0.01086956521739130434782608695652173')).toBe(true);
    expect(o.insuranceFundChange.toString().startsWith('0.01521739130434782608695652173913')).toBe(true);
    expectConserved(o);
  });

  it('at the liquidation price itself the equity left is the maintenance margin', () => {
    const lp = liquidationPrice(long)!;
    const o = liquidationOutcome(long, lp, { liquidationFeeRate: 0 });
    // MM there = 45,180.72… × 0.004 = 180.72…; all of it goes to the fund when there is no fee.
    expect(o.equityAtFill.toFixed(6)).toBe('180.722892');
    expect(o.insuranceFundChange.eq(o.equityAtFill)).toBe(true);
  });
});

describe('EngineInputError', () => {
  const p = { contract: 'linear', side: 'long', entryPrice: 50000, quantity: 1, margin: 5000, maintenanceMarginRate: '0.004' } as const;
  const cases: [string, string, () => unknown][] = [
    ['zero fill', 'fillPrice', () => liquidationOutcome(p, 0, { liquidationFeeRate: 0 })],
    ['text fill', 'fillPrice', () => liquidationOutcome(p, 'abc', { liquidationFeeRate: 0 })],
    ['no options', 'options', () => liquidationOutcome(p, 45000, null as never)],
    ['no fee rate', 'liquidationFeeRate', () => liquidationOutcome(p, 45000, {} as never)],
    ['negative fee rate', 'liquidationFeeRate', () => liquidationOutcome(p, 45000, { liquidationFeeRate: -0.01 })],
    ['fee rate ≥ 1', 'liquidationFeeRate', () => liquidationOutcome(p, 45000, { liquidationFeeRate: 1 })],
    ['negative fund', 'insuranceFundBalance', () => liquidationOutcome(p, 45000, { liquidationFeeRate: 0, insuranceFundBalance: -1 })],
    ['bad position', 'margin', () => liquidationOutcome({ ...p, margin: -1 }, 45000, { liquidationFeeRate: 0 })],
    ['bad side', 'side', () => liquidationOutcome({ ...p, side: 'sideways' as Side }, 45000, { liquidationFeeRate: 0 })],
  ];
  it.each(cases)('%s → field %s', (_label, field, fn) => {
    const error = engineError(fn);
    expect(error.field).toBe(field);
    expect(error.message).toBe(`${field}: ${error.rule}`);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

/** Leverage 1–125×, rates to 0.7 % (so that 125× still opens). */
const positionArb = openedPositionArb({ maxLeverageTenths: 1250, maxRateUnits: 70 });

/** A fill price: anywhere in 0.3–1.7 × entry, or within ±1 % of the bankruptcy price, with up to 12 odd digits. */
function fillArb(p: Position): fc.Arbitrary<Dec> {
  const bp = bankruptcyPrice(p);
  const wide = fc.integer({ min: 300_000, max: 1_700_000 }).map((k) => p.entryPrice.mul(k).div(1_000_000));
  if (bp === null) return wide;
  const near = fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).map((k) => bp.mul(D(1).add(D(k.toString()).div('1e14'))));
  return fc.oneof(wide, near);
}

/** An insurance-fund balance: none, zero, ordinary, or one with far more digits than the equity. */
const fundArb = fc.oneof(
  fc.constant(undefined),
  fc.constant('0'),
  fc.integer({ min: 0, max: 1_000_000 }).map((k) => D(k).div(100).toString()),
  fc.bigInt({ min: 1n, max: 10n ** 30n }).map((k) => D(k.toString()).div('1e45').toString()),
);

const caseArb = positionArb.chain((p) =>
  fc.record({
    p: fc.constant(p),
    fill: fillArb(p),
    rate: fc.integer({ min: 0, max: 1500 }).map((k) => D(k).div(100_000)), // 0 … 1.5 %
    fund: fundArb,
  }),
);

describe('properties', () => {
  it('money is conserved exactly: traderKeeps + fee + insuranceFundChange + badDebt = equityAtFill', () => {
    fc.assert(
      fc.property(caseArb, ({ p, fill, rate, fund }) => {
        const o = liquidationOutcome(p, fill, fund === undefined ? { liquidationFeeRate: rate } : { liquidationFeeRate: rate, insuranceFundBalance: fund });
        expectConserved(o);
      }),
      { numRuns: 400 },
    );
  });

  it('signs: the trader keeps 0; fee in [0, max(equity, 0)]; fund gains iff the fill is at or better than bankruptcy; bad debt ≤ 0 and only past the fund', () => {
    fc.assert(
      fc.property(caseArb, ({ p, fill, rate, fund }) => {
        const o = liquidationOutcome(p, fill, fund === undefined ? { liquidationFeeRate: rate } : { liquidationFeeRate: rate, insuranceFundBalance: fund });
        expect(o.traderKeeps.isZero()).toBe(true);
        expect(o.fee.gte(0) && o.fee.lte(Decimal.max(o.equityAtFill, 0))).toBe(true);
        expect(o.badDebt.lte(0)).toBe(true);
        if (o.equityAtFill.gte(0)) {
          expect(o.insuranceFundChange.gte(0)).toBe(true);
          expect(o.badDebt.isZero()).toBe(true);
        } else {
          expect(o.fee.isZero()).toBe(true);
          expect(o.insuranceFundChange.lte(0)).toBe(true);
          if (fund === undefined) expect(o.badDebt.isZero()).toBe(true);
          else expect(o.insuranceFundChange.neg().lte(fund)).toBe(true);
        }
        // Better than the bankruptcy price (long: above; short: below) leaves non-negative equity, and worse negative.
        const bp = o.bankruptcyPrice;
        if (bp !== null && !fill.eq(bp)) {
          const better = p.side === 'long' ? fill.gt(bp) : fill.lt(bp);
          // Within 1e-30 of the bankruptcy price the equity is rounding noise; only check clear cases.
          if (fill.sub(bp).abs().gt(bp.mul('1e-30'))) expect(o.equityAtFill.gte(0)).toBe(better);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(caseArb, ({ p, fill, rate, fund }) => {
        const options = fund === undefined ? { liquidationFeeRate: rate } : { liquidationFeeRate: rate, insuranceFundBalance: fund };
        const render = (o: LiquidationOutcome) => JSON.stringify(o, (_k, v: unknown) => (v instanceof Decimal ? v.toString() : v));
        expect(render(liquidationOutcome(p, fill, options))).toBe(render(liquidationOutcome(p, fill.toString(), { ...options, liquidationFeeRate: rate.toString() })));
      }),
      { numRuns: 100 },
    );
  });
});
