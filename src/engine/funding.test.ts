/**
 * Trading fees and perpetual funding (src/engine/funding.ts), Binance convention: fee = notional × rate;
 * funding = notional at mark × rate, longs pay shorts when the rate is positive; funding settles into the
 * isolated margin and so moves the liquidation price.
 *
 * Worked examples show their arithmetic; liquidation prices L = (Q·E − M − cum) / (Q·(1 − MMR)) for a linear long
 * (position.ts), long decimals recomputed with Python's decimal module and compared on 38–40 digits.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { liquidationPrice, normalizePosition, openPosition, positionMetrics } from './venue-position.ts';
import { type Position, type Side } from './position.ts';
import { applyFunding, closingFee, fundingPayment, openingFee, replayFunding, type FundingReplay } from './funding.ts';
import { D, engineError, expectDecimal, expectDigits, openedPositionArb, type Dec } from '../../tests/unit/engine-testkit.ts';


const btcLong = { contract: 'linear', side: 'long', entryPrice: 50000, quantity: 1, margin: 5000, maintenanceMarginRate: '0.004' } as const;

describe('fees', () => {
  it('USDⓈ-M: notional × rate at entry and at the closing price', () => {
    // Open 1 BTC at 50,000, taker 0.05 %: 50,000 × 0.0005 = 25 USDT. Close at 52,000: 52,000 × 0.0005 = 26 USDT.
    expectDecimal(openingFee(btcLong, '0.0005'), 25);
    expectDecimal(closingFee(btcLong, 52000, '0.0005'), 26);
    expectDecimal(openingFee(btcLong, 0), 0);
  });

  it('COIN-M: notional in coin = contracts × contract size / price', () => {
    // 10 BTCUSD contracts × 100 USD at 50,000 = 0.02 BTC; taker 0.04 % → 0.000008 BTC. Closing at 40,000: 0.025 × 0.0004 = 0.00001.
    const coin = { contract: 'inverse', side: 'short', entryPrice: 50000, quantity: 10, margin: '0.002', maintenanceMarginRate: '0.004' } as const;
    expectDecimal(openingFee(coin, '0.0004'), '0.000008');
    expectDecimal(closingFee(coin, 40000, '0.0004'), '0.00001');
  });
});

describe('fundingPayment', () => {
  it('a positive rate: longs pay shorts, notional at the mark × rate', () => {
    // 1 BTC at mark 50,000, rate 0.01 %: 50,000 × 0.0001 = 5 USDT.
    expectDecimal(fundingPayment(btcLong, 50000, '0.0001'), 5);
    expectDecimal(fundingPayment({ ...btcLong, side: 'short' }, 50000, '0.0001'), -5);
  });

  it('a negative rate: shorts pay longs; the notional is taken at the mark, not at entry', () => {
    // Mark 40,000, rate −0.02 %: 40,000 × 0.0002 = 8; the long receives 8, the short pays 8.
    expectDecimal(fundingPayment(btcLong, 40000, '-0.0002'), -8);
    expectDecimal(fundingPayment({ ...btcLong, side: 'short' }, 40000, '-0.0002'), 8);
    // A zero rate is +0 for both sides, not −0.
    expect(fundingPayment({ ...btcLong, side: 'short' }, 40000, 0).isNeg()).toBe(false);
  });

  it('COIN-M: in coin', () => {
    // 1,000 × 100 USD at mark 40,000 = 2.5 BTC; rate 0.01 % → 0.00025 BTC paid by the long.
    const coin = { contract: 'inverse', side: 'long', entryPrice: 50000, quantity: 1000, margin: '0.5', maintenanceMarginRate: '0.004' } as const;
    expectDecimal(fundingPayment(coin, 40000, '0.0001'), '0.00025');
  });
});

describe('applyFunding', () => {
  it('moves the margin by the payment, and the liquidation price with it', () => {
    // Margin 5,000 − 5 = 4,995. LP: (50,000 − 5,000) / 0.996 = 45,180.72… → (50,000 − 4,995) / 0.996 = 45,185.74…
    const before = normalizePosition(btcLong);
    const after = applyFunding(before, 50000, '0.0001');
    expectDecimal(after.margin, 4995);
    expectDigits(liquidationPrice(before), '45180.722891566265060240963855421686746');
    expectDigits(liquidationPrice(after), '45185.742971887550200803212851405622489');
  });

  it('keeps the leverage when funding takes the margin below notional ÷ leverage: a later change, not an opening', () => {
    const opened = openPosition({ contract: 'linear', side: 'long', entryPrice: 50000, quantity: 1, leverage: 10, maintenanceMarginRate: '0.004' });
    expect(opened.stage).toBe('opening');
    // Margin 5,000 = 50,000 ÷ 10 exactly. A long paying 5 falls to 4,995 < 5,000 and keeps its 10× (the engine
    // used to drop the leverage here, because it checked every position against the opening rule).
    const paid = applyFunding(opened, 50000, '0.0001');
    expectDecimal(paid.margin, 4995);
    expectDecimal(paid.leverage!, 10);
    expect(paid.stage).toBe('held');
    const m = positionMetrics(paid, 50000);
    expectDecimal(m.initialMargin, 5000);
    expectDigits(m.liquidationPrice, '45185.742971887550200803212851405622489');
    // A copy keeps the stage, so it is accepted again; the same numbers as an opening position would be refused.
    expectDecimal(normalizePosition({ ...paid }).margin, 4995);
    expect(engineError(() => normalizePosition({ ...paid, stage: 'opening' })).field).toBe('margin');
    // A short receiving 5 rises to 5,005 and keeps its 10×.
    const received = applyFunding({ ...opened, side: 'short' }, 50000, '0.0001');
    expectDecimal(received.margin, 5005);
    expectDecimal(received.leverage!, 10);
  });

  it('a payment that takes the margin below maintenance margin at entry leaves a held position, liquidatable at that mark', () => {
    // Margin 201 against MM at entry 50,000 × 0.004 = 200; paying 5 leaves 196 ≤ 200: liquidatable at 50,000.
    const after = applyFunding({ ...btcLong, margin: 201 }, 50000, '0.0001');
    expectDecimal(after.margin, 196);
    expect(positionMetrics(after, 50000).isLiquidatable).toBe(true);
    // LP = (50,000 − 196) / 0.996 = 50,004.01…: above the entry, so the mark of 50,000 is past it.
    expectDigits(liquidationPrice(after), '50004.016064257028112449799196787148594');
  });

  it('refuses a payment that leaves no margin (field fundingRate)', () => {
    // A held position (an opening one could not have so little margin) with 3 left pays 5.
    const error = engineError(() => applyFunding({ ...btcLong, margin: 3, stage: 'held' }, 50000, '0.0001'));
    expect(error.field).toBe('fundingRate');
    expect(error.rule).toMatch(/leaves a margin of -2/);
  });
});

describe('replayFunding', () => {
  it('with a venue: Bybit’s entry-basis maintenance margin and liquidation price at every step', () => {
    // The lessons' 0.5 BTC long at 60,000, 10×, Bybit tier 1 (0.5 %): MM 150 at every mark; LP 54,300.
    const bybit = normalizePosition({ contract: 'linear', side: 'long', entryPrice: 60000, quantity: '0.5', margin: 3000, leverage: 10, venue: 'bybit-linear', symbol: 'BTCUSDT' });
    const replay = replayFunding(bybit, [
      { price: 60000, fundingRate: '0.001' },
      { price: 55000, fundingRate: '0.001' },
    ]);
    expectDecimal(replay.startLiquidationPrice!, 54300);
    // Step 0 pays 30: margin 2,970, LP = 60,000 − (2,970 − 150)/0.5 = 54,360. Step 1 pays 27.5: 2,942.5 → 54,415.
    expectDecimal(replay.steps[0]!.liquidationPrice!, 54360);
    expectDecimal(replay.steps[1]!.maintenanceMargin, 150);
    expectDecimal(replay.steps[1]!.liquidationPrice!, 54415);
    expect(replay.liquidatedAtStep).toBeNull();
    // The same as applying the funding one payment at a time.
    const once = applyFunding(bybit, 60000, '0.001');
    expectDecimal(liquidationPrice(once)!, 54360);
    expect(once.venue).toBe('bybit-linear');
  });

  // 1 BTC long at 50,000 with 1,000 margin (50×), MMR 0.4 %. LP = 49,000 / 0.996 = 49,196.787….
  const thin = normalizePosition({ ...btcLong, margin: 1000 });

  it('funding drags the liquidation price up to the mark: liquidated at step 3 by the funding itself', () => {
    const replay = replayFunding(thin, [
      { price: 50000, fundingRate: '0.001' },
      { price: 49600, fundingRate: '0.001' },
      { price: 49400, fundingRate: '-0.0005' },
      { price: 49300, fundingRate: '0.001' },
      { price: 51000, fundingRate: '0.001' }, // never reached
    ]);
    expectDigits(replay.startLiquidationPrice, '49196.787148594377510040160642570281124');
    const [s0, s1, s2, s3] = replay.steps;
    // Step 0: pays 50,000 × 0.001 = 50 → margin 950; LP = 49,050 / 0.996 = 49,246.98…; equity at 50,000 = 950 > MM 200.
    expectDecimal(s0!.payment, 50);
    expectDecimal(s0!.margin, 950);
    expectDigits(s0!.liquidationPrice, '49246.987951807228915662650602409638554');
    expectDecimal(s0!.equity, 950);
    expectDecimal(s0!.maintenanceMargin, 200);
    expect(s0!.liquidated).toBe(false);
    // Step 1: 49,600 × 0.001 = 49.6 → 900.4; LP = 49,099.6 / 0.996 = 49,296.78…; equity = 900.4 − 400 = 500.4 > 198.4.
    expectDecimal(s1!.payment, '49.6');
    expectDecimal(s1!.margin, '900.4');
    expectDigits(s1!.liquidationPrice, '49296.787148594377510040160642570281124');
    expectDecimal(s1!.equity, '500.4');
    // Step 2: a negative rate: the long receives 49,400 × 0.0005 = 24.7 → 925.1; LP = 49,074.9 / 0.996 = 49,271.98… (down).
    expectDecimal(s2!.payment, '-24.7');
    expectDecimal(s2!.margin, '925.1');
    expectDigits(s2!.liquidationPrice, '49271.987951807228915662650602409638554');
    expect(s2!.liquidated).toBe(false);
    // Step 3: at 49,300 the position stands (49,300 > 49,271.98…), pays 49.3 → 875.8; LP = 49,124.2 / 0.996 =
    // 49,321.48… ≥ 49,300: liquidated. Equity = 875.8 − 700 = 175.8 ≤ MM = 49,300 × 0.004 = 197.2.
    // Without that payment equity would be 225.1 > 197.2: the funding did it.
    expectDecimal(s3!.payment, '49.3');
    expectDecimal(s3!.margin, '875.8');
    expectDigits(s3!.liquidationPrice, '49321.485943775100401606425702811244979');
    expectDecimal(s3!.equity, '175.8');
    expectDecimal(s3!.maintenanceMargin, '197.2');
    expect(s3!.liquidated).toBe(true);
    expect(replay.liquidatedAtStep).toBe(3);
    expect(replay.steps).toHaveLength(4);
    // 50 + 49.6 − 24.7 + 49.3 = 124.2.
    expectDecimal(replay.totalPayment, '124.2');
  });

  it('a price already past the liquidation price: liquidated on the way, before the funding time (no payment)', () => {
    const replay = replayFunding(thin, [{ price: 49000, fundingRate: '0.001' }]);
    expect(replay.liquidatedAtStep).toBe(0);
    expectDecimal(replay.steps[0]!.payment, 0);
    expectDecimal(replay.steps[0]!.margin, 1000);
    expectDecimal(replay.totalPayment, 0);
  });

  it('follows a margin that funding drains below zero (which applyFunding refuses)', () => {
    // 1 % a period at a flat 50,000: 500 a step. Step 0 → 500 (LP 49,500 / 0.996 = 49,698.79…), step 1 → 0
    // (LP 50,000 / 0.996 = 50,200.80… > 50,000: liquidated).
    const replay = replayFunding(thin, [
      { price: 50000, fundingRate: '0.01' },
      { price: 50000, fundingRate: '0.01' },
    ]);
    expectDigits(replay.steps[0]!.liquidationPrice, '49698.795180722891566265060240963855421');
    expect(replay.steps[0]!.liquidated).toBe(false);
    expectDecimal(replay.steps[1]!.margin, 0);
    expectDigits(replay.steps[1]!.liquidationPrice, '50200.803212851405622489959839357429718');
    expect(replay.liquidatedAtStep).toBe(1);
  });

  it('an empty path: no steps, nothing paid', () => {
    const replay = replayFunding(thin, []);
    expect(replay.steps).toEqual([]);
    expect(replay.liquidatedAtStep).toBeNull();
    expectDecimal(replay.totalPayment, 0);
  });
});

describe('EngineInputError', () => {
  const cases: [string, string, () => unknown][] = [
    ['negative fee rate', 'feeRate', () => openingFee(btcLong, '-0.001')],
    ['fee rate ≥ 1', 'feeRate', () => closingFee(btcLong, 50000, 1)],
    ['closing price 0', 'price', () => closingFee(btcLong, 0, '0.0005')],
    ['bad position', 'quantity', () => openingFee({ ...btcLong, quantity: 0 }, '0.0005')],
    ['funding mark', 'markPrice', () => fundingPayment(btcLong, -1, '0.0001')],
    ['funding rate text', 'fundingRate', () => fundingPayment(btcLong, 50000, 'high')],
    ['funding rate ≥ 100 %', 'fundingRate', () => fundingPayment(btcLong, 50000, -1)],
    ['applyFunding mark', 'markPrice', () => applyFunding(btcLong, 'x', '0.0001')],
    ['path not an array', 'path', () => replayFunding(btcLong, 'nope' as never)],
    ['path entry not an object', 'path[1]', () => replayFunding(btcLong, [{ price: 1, fundingRate: 0 }, null as never])],
    ['path price', 'path[0].price', () => replayFunding(btcLong, [{ price: 0, fundingRate: 0 }])],
    ['path rate', 'path[2].fundingRate', () => replayFunding(btcLong, [{ price: 1, fundingRate: 0 }, { price: 1, fundingRate: 0 }, { price: 1, fundingRate: 2 }])],
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

/** Leverage 1–50×, rates to 1 %. */
const positionArb = openedPositionArb({ maxLeverageTenths: 500, maxRateUnits: 100 });

/** A path of up to 30 funding times: marks within ±3 % of entry, rates in ±0.3 %. */
function pathArb(p: Position) {
  return fc.array(
    fc.record({
      price: fc.integer({ min: -300, max: 300 }).map((bp) => p.entryPrice.mul(D(10_000).add(bp)).div(10_000)),
      fundingRate: fc.integer({ min: -300, max: 300 }).map((k) => D(k).div(100_000)),
    }),
    { maxLength: 30 },
  );
}

/** +1 when `after` is nearer the mark than `before` for this side (long: higher; short: lower, null = ∞). */
function towardMark(side: Side, before: Dec | null, after: Dec | null): number {
  if (side === 'long') return (after ?? D(0)).cmp(before ?? D(0));
  if (before === null && after === null) return 0;
  if (before === null) return 1;
  if (after === null) return -1;
  return before.cmp(after);
}

function render(replay: FundingReplay): string {
  return JSON.stringify(replay, (_k, v: unknown) => (v instanceof Decimal ? v.toString() : v));
}

describe('properties', () => {
  it('funding is zero-sum: a long and a short of the same size pay and receive exactly the same amount', () => {
    fc.assert(
      fc.property(positionArb, fc.integer({ min: 5000, max: 15000 }), fc.integer({ min: -1000, max: 1000 }), (p, markPct, rateK) => {
        const mark = p.entryPrice.mul(markPct).div(10_000);
        const rate = D(rateK).div(100_000);
        const mirror = normalizePosition({ ...p, side: p.side === 'long' ? 'short' : 'long' });
        expect(fundingPayment(p, mark, rate).add(fundingPayment(mirror, mark, rate)).isZero()).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('paying funding moves the liquidation price toward the mark and receiving it moves it away, step after step', () => {
    fc.assert(
      fc.property(positionArb.chain((p) => fc.tuple(fc.constant(p), pathArb(p))), ([p, path]) => {
        const replay = replayFunding(p, path);
        let previous = replay.startLiquidationPrice;
        for (const step of replay.steps) {
          const direction = towardMark(p.side, previous, step.liquidationPrice);
          if (step.payment.gt(0)) expect(direction).toBeGreaterThanOrEqual(0);
          if (step.payment.lt(0)) expect(direction).toBeLessThanOrEqual(0);
          if (step.payment.isZero()) expect(direction).toBe(0);
          previous = step.liquidationPrice;
        }
      }),
      { numRuns: 200 },
    );
  });

  it('with zero rates nothing moves: every step keeps the margin and position.ts’s liquidation price, to the last digit', () => {
    fc.assert(
      fc.property(positionArb.chain((p) => fc.tuple(fc.constant(p), pathArb(p))), ([p, path]) => {
        const replay = replayFunding(p, path.map((s) => ({ ...s, fundingRate: 0 })));
        const lp = String(liquidationPrice(p));
        expect(String(replay.startLiquidationPrice)).toBe(lp);
        for (const step of replay.steps) {
          expect(step.margin.eq(p.margin)).toBe(true);
          expect(String(step.liquidationPrice)).toBe(lp);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the replay agrees with applyFunding step by step while the position stays representable', () => {
    fc.assert(
      fc.property(positionArb.chain((p) => fc.tuple(fc.constant(p), pathArb(p))), ([p, path]) => {
        const replay = replayFunding(p, path);
        let current: Position = p;
        for (const [i, step] of replay.steps.entries()) {
          if (step.liquidated) break;
          try {
            current = applyFunding(current, path[i]!.price, path[i]!.fundingRate);
          } catch (error) {
            expect((error as EngineInputError).field).toBe('fundingRate');
            break;
          }
          expect(current.margin.eq(step.margin)).toBe(true);
          expect(String(liquidationPrice(current))).toBe(String(step.liquidationPrice));
        }
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(positionArb.chain((p) => fc.tuple(fc.constant(p), pathArb(p))), ([p, path]) => {
        const asStrings = path.map((s) => ({ price: s.price.toString(), fundingRate: s.fundingRate.toString() }));
        expect(render(replayFunding(p, path))).toBe(render(replayFunding(p, asStrings)));
      }),
      { numRuns: 100 },
    );
  });
});
