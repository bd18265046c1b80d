/**
 * The spiral lessons' numbers (prose-cascade.ts) against closed forms worked out here independently: the geometric
 * series of the canonical ladder, its runaway case, the liquidation distance by leverage, the two toy books' impact,
 * refill and withdrawal, the waterfall, the ADL example's ranking and transfers; and the lessons' quotes of the
 * widgets against the widgets' own models.
 */
import { describe, expect, it } from 'vitest';
import { Decimal, liquidationPrice, normalizePosition } from '../engine';
import {
  ADL_EXAMPLE,
  CASE_PRESETS,
  LADDER,
  adlExample,
  capTradeOff,
  caseScenarios,
  initialMargins,
  impactTable,
  ladderCascade,
  ladderPositions,
  leverageCaps,
  liquidationDistances,
  mapReading,
  marketCascade,
  resilienceRows,
  simulatorReading,
  spiral,
  sqrtMove,
  waterfall,
  withdrawalRows,
  fundScenarios,
} from './prose-cascade';
import { buildBook, buildPopulation, runCascade } from '../widgets/cascade-simulator/model';
import { defaultCascadeState } from '../widgets/cascade-simulator/state';
import { mapView } from '../widgets/liquidation-map/model';
import { defaultMapState } from '../widgets/liquidation-map/state';

const D = (x: string | number) => new Decimal(x);
/** "1,200 USDT" / "58,800" / "−40.00" → Decimal. */
const num = (text: string) => D(text.replace(/[^\d.\u2212-]/g, '').replace('\u2212', '-'));

describe('the canonical ladder', () => {
  it('places one 1 BTC long at about 10× on every 10 USDT below 60,000, liquidated exactly there', () => {
    const positions = ladderPositions();
    expect(positions).toHaveLength(300);
    positions.forEach((p, i) => {
      const position = normalizePosition({ ...p, margin: p.margin! });
      expect(liquidationPrice(position)!.toString()).toBe(String(60000 - 10 * (i + 1)));
      const leverage = position.quantity.mul(position.entryPrice).div(position.margin);
      expect(leverage.gt('9.9') && leverage.lte(10)).toBe(true);
    });
  });

  it('ends where s/(1 − r) says: 1 % shock, r = λρ = (10/2)(1/10) = 0.5, a 1,200 USDT fall to 58,800', () => {
    const sp = spiral();
    expect(sp.r).toBe('0.5');
    expect(num(sp.closedMove).toString()).toBe('1200'); // 600 / (1 − 0.5)
    expect(sp.engineFinal).toBe('58,800');
    expect(sp.exact).toBe(true);
    expect(sp.answerPercent).toBe('2');
    expect(sp.amplification).toBe('2×');
  });

  it('runs each round within the proved band above the series: y_k ≤ x_k < y_k + h(1 − r^k)/(1 − r)', () => {
    const sp = spiral();
    const r = D('0.5');
    sp.rows.forEach((row, i) => {
      const k = i + 1;
      const series = D(600).mul(D(1).sub(r.pow(k + 1))).div(D(1).sub(r)); // s(1 − r^(k+1))/(1 − r)
      expect(num(row.formula).sub(series).abs().lte('0.005')).toBe(true);
      const engine = num(row.engine);
      expect(engine.gte(series.toDecimalPlaces(2, Decimal.ROUND_DOWN))).toBe(true);
      expect(engine.lt(series.add(D(10).mul(D(1).sub(r.pow(k))).div(D(1).sub(r))))).toBe(true);
    });
  });

  it('for every flat depth with r < 1 the simulator ends in [s/(1 − r), (s + h)/(1 − r))', () => {
    for (const depth of ['1.25', '1.6', '2', '2.5', '4', '10']) {
      const r = D(10).div(depth).mul('0.1');
      const low = D(600).div(D(1).sub(r));
      const move = ladderCascade(depth).totalMove;
      expect(move.gte(low), `depth ${depth}`).toBe(true);
      expect(move.lt(D(610).div(D(1).sub(r))), `depth ${depth}`).toBe(true);
    }
  });

  it('for r ≥ 1 the spiral runs to the end of the band: s + rW exactly', () => {
    for (const [depth, expected] of [
      ['1', '3600'], // r = 1: 600 + 3,000
      [LADDER.thinDepth, '4350'], // r = 1.25: 600 + 3,750
      ['0.5', '6600'], // r = 2
    ] as const) {
      expect(ladderCascade(depth).totalMove.toString()).toBe(expected);
    }
    const runaway = spiral(LADDER.thinDepth);
    expect(runaway.r).toBe('1.25');
    expect(runaway.closedFinal).toBe('55,650');
    expect(runaway.engineFinal).toBe('55,650');
    expect(runaway.liquidated).toBe('300\u00a0BTC');
  });

  it('shows the volatility of the path growing past the shock alone', () => {
    const sp = spiral();
    expect(num(sp.volatilityAfter).gt(num(sp.volatilityShock))).toBe(true);
  });
});

describe('distances and margins by leverage', () => {
  it('matches (1/L − m)/(1 − m) from the engine and 1/L − m as the rule of thumb', () => {
    const m = D('0.004');
    for (const row of liquidationDistances([100, 50, 20, 10, 5])) {
      const L = D(row.leverage.replace('×', ''));
      const exact = D(1).div(L).sub(m).div(D(1).sub(m)).mul(100);
      expect(num(row.engine).toFixed(2)).toBe(exact.toFixed(2));
      expect(num(row.thumb).toFixed(2)).toBe(D(1).div(L).sub(m).mul(100).toFixed(2));
      expect(num(row.bankruptcy).toFixed(2)).toBe(D(100).div(L).toFixed(2));
    }
  });

  it('asks 1/L of the notional as initial margin', () => {
    expect(initialMargins('60000', [10, 100]).map((r) => r.margin)).toEqual(['6,000\u00a0USDT', '600\u00a0USDT']);
  });
});

describe('the toy books', () => {
  it('moves h·⌈Q/d⌉ on the flat book and h·⌈√(Q/a)⌉ on the square-root book', () => {
    const t = impactTable(['1', '4', '16', '64', '256']);
    const a = 64 / (32 * 32);
    for (const row of t.rows) {
      const q = Number(num(row.size));
      expect(Number(row.flat.move.replace(/,/g, ''))).toBe(10 * Math.ceil(q / 2));
      expect(Number(row.root.move.replace(/,/g, ''))).toBe(10 * Math.ceil(Math.sqrt(q / a) - 1e-12));
    }
    expect(sqrtMove('256').answer).toBe('640');
  });

  it('refills: the second 64 BTC sale reaches h·⌈(64(1 − ρ) + 64)/2⌉ below 60,000', () => {
    const { rows, first } = resilienceRows(['0', '0.5', '1']);
    expect(first).toBe('59,680');
    expect(rows.map((r) => r.last)).toEqual(['0', '0.5', '1'].map((rho) => (60000 - 10 * Math.ceil((64 * (1 - Number(rho)) + 64) / 2)).toLocaleString('en-US')));
  });

  it('withdrawal of a share w multiplies the move by 1/(1 − w)', () => {
    expect(withdrawalRows(['0', '0.5', '0.75']).map((r) => num(r.move).toNumber())).toEqual([320, 640, 1280]);
  });
});

describe('insurance fund, bad debt and ADL', () => {
  it('splits the running example: equity 3,000 + 0.5 (fill − 60,000), the fund covers what it holds', () => {
    const w = waterfall('53800', '60');
    expect(w.rows.map((r) => r.equity)).toEqual(['108.43', '\u2212100.00', '\u2212100.00', '\u2212100.00']);
    expect(w.rows.map((r) => r.badDebt)).toEqual(['0.00', '0.00', '\u221240.00', '\u2212100.00']);
    expect(w.answer).toBe('40');
    // The fee takes all that is left at the liquidation price: 0.5 % of 27,108.43 is more than 108.43.
    expect(w.rows[0]!.fee).toBe('108.43');
  });

  it('deleverages the bankrupt long against the shorts in the order of both published scores, at its bankruptcy price', () => {
    const a = adlExample();
    expect(a.order).toBe('D, B, A, C');
    expect(a.sameOrder).toBe(true);
    expect(a.bankruptcy).toBe('57,000');
    expect(a.adlNotional).toBe('171,000\u00a0USDT'); // 3 BTC × 57,000
    // Σ closed × (entry − 57,000): D 0.5 × 3,500, B 1 × 4,000, A 1 × 9,000, C 0.5 × 13,000
    expect(a.counterpartyPnl).toBe('21,250\u00a0USDT');
    expect(a.rows.map((r) => r.closed)).toEqual(['1\u00a0BTC', '1\u00a0BTC', '0.5\u00a0BTC', '0.5\u00a0BTC']);
    expect(ADL_EXAMPLE.shorts.map((s) => s.name).join('')).toBe('ABCD');
    // Without ADL the 3 BTC sell into 2 BTC a level two levels below 56,000 and lose 3 × (57,000 − 55,980).
    expect(a.withoutAdl).toEqual({ final: '55,980', badDebt: '3,060\u00a0USDT' });
  });

  it('a fund large enough leaves nothing to ADL or bad debt; without ADL smaller funds leave bad debt', () => {
    const [none, small, large] = fundScenarios('10', ['0', '0.02', '0.1']);
    expect(large!.on.adl).toBe('0\u00a0USDT');
    expect(large!.on.badDebt).toBe('0\u00a0USDT');
    expect(large!.onResult.finalPrice.eq(large!.offResult.finalPrice)).toBe(true);
    expect(small!.offResult.badDebt.lt(0)).toBe(true);
    expect(none!.offResult.badDebt.lt(small!.offResult.badDebt)).toBe(true);
    // Deleveraged positions never reach the book: with ADL the price falls no further than without.
    for (const row of [none!, small!, large!]) expect(row.onResult.finalPrice.gte(row.offResult.finalPrice)).toBe(true);
  });
});

describe('leverage caps', () => {
  it('keeps the same notional, needs more collateral the lower the cap, and is the uncapped market at 100×', () => {
    const rows = leverageCaps([5, 10, 20, 50, 100], '3');
    expect(new Set(rows.map((r) => r.openNotional)).size).toBe(1);
    for (let i = 1; i < rows.length; i++) expect(rows[i]!.efficiencyValue.gt(rows[i - 1]!.efficiencyValue)).toBe(true);
    expect(rows[rows.length - 1]!.result.finalPrice.eq(marketCascade('3').finalPrice)).toBe(true);
    const trade = capTradeOff(rows, 20, 100);
    expect(D(trade.gainAnswer).eq(rows[4]!.efficiencyValue.div(rows[2]!.efficiencyValue).sub(1).mul(100).toDecimalPlaces(1))).toBe(true);
    expect(trade.marginCut).toBe('5');
  }, 30_000);
});

describe('quotes of the widgets', () => {
  it('gives the cascade simulator’s own first figure', () => {
    const state = defaultCascadeState();
    const result = runCascade(buildPopulation(state), buildBook(state), state);
    const sim = simulatorReading();
    expect(sim.result.finalPrice.eq(result.finalPrice)).toBe(true);
    expect(sim.link).toMatch(/^\/widgets\/cascade-simulator\/\?v=2&/);
  });

  it('gives the liquidation map’s own reading at its opening price', () => {
    const view = mapView(defaultMapState());
    if (!view.ok) throw new Error(view.message);
    const reading = mapReading();
    expect(num(reading.final).eq(view.view.reading.finalPrice)).toBe(true);
    expect(reading.sentence).toBe(view.view.reading.sentence);
  });

  it('runs every case-study preset without a clamped value', () => {
    const cases = caseScenarios();
    for (const key of Object.keys(CASE_PRESETS) as (keyof typeof CASE_PRESETS)[]) {
      expect(cases[key].link).toContain(`move=${CASE_PRESETS[key].move}`);
      expect(cases[key].result.stopReason).toBe('fixed-point');
    }
    // The throttled engine needs more rounds than the unthrottled one.
    expect(cases.march2020Throttled.result.roundCount).toBeGreaterThan(cases.march2020.result.roundCount);
  });
});
