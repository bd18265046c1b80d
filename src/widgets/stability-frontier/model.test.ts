import { describe, expect, it } from 'vitest';
import { Decimal } from '../../engine';
import { WANTED_LEVERAGE, averageLeverage, buildFrontier, cappedMix, containedUpTo, frontierView, metricValue, type Frontier } from './model';
import { DEPTH_IDS, LEVERAGE_GRID, defaultFrontierState, type FrontierState } from './state';

function build(overrides: Partial<FrontierState> = {}): Frontier {
  const result = buildFrontier(defaultFrontierState(overrides));
  if (!result.ok) throw new Error(result.message);
  return result.frontier;
}

const defaults = build();

describe('the first figure (default state)', () => {
  it('has a line per depth with a point per grid leverage', () => {
    for (const id of DEPTH_IDS) expect(defaults.lines[id].map((p) => p.leverage)).toEqual([...LEVERAGE_GRID]);
    expect(defaults.shockPrice.toString()).toBe('58200');
  });

  it('shows the frontier: low caps contain the shock, high caps let it run, the deep book holds', () => {
    expect(containedUpTo(defaults.lines.thin)).toBe(7);
    expect(containedUpTo(defaults.lines.medium)).toBe(10);
    expect(containedUpTo(defaults.lines.deep)).toBe(125);
    // At 2× nobody is near liquidation: the fall is the shock itself on every book.
    for (const id of DEPTH_IDS) expect(defaults.lines[id][0]!.move.eq('0.03')).toBe(true);
    // On every step, the thin book falls at least as far as the deep one.
    for (let i = 0; i < LEVERAGE_GRID.length; i++) expect(defaults.lines.thin[i]!.move.gte(defaults.lines.deep[i]!.move)).toBe(true);
  });

  it("reads the reader's venue off the lines and states the trade-off", () => {
    const view = frontierView(defaults, defaultFrontierState());
    expect(view.point).toBe(defaults.lines.medium[6]);
    expect(view.lower).toBe(defaults.lines.medium[5]);
    expect(view.verdict).toBe('Allowing up to 20× on a medium book, a 3.0\u202f% drop ends 14.1\u202f% down, 4.7 times the shock. Capping leverage at 15× (traders post 1.05 times the margin) keeps it to 4.9\u202f%.');
    expect(view.summary).toContain('on the medium book it stays within 1.5 times the shock up to 10× and reaches 13.0\u202f% at 125×');
    expect(view.chart.point).toEqual({ x: 20, y: view.point.move.mul(100).toNumber(), label: '20×: 14.1\u202f%' });
  });

  it('moving the point or changing the y axis never rebuilds the lines', () => {
    const a = frontierView(defaults, { y: 'move', lev: '20', depth: 'medium' });
    const b = frontierView(defaults, { y: 'amp', lev: '125', depth: 'thin' });
    expect(b.point).toBe(defaults.lines.thin[13]);
    expect(a.rows).toHaveLength(LEVERAGE_GRID.length);
    expect(b.chart.lines.find((l) => l.id === 'thin')!.points.map((p) => p[1])).toEqual(defaults.lines.thin.map((p) => p.cascade.amplification!.toNumber()));
    expect(b.chart.baseline).toEqual([[2, 1], [125, 1]]);
  });
});

describe('the venue settings', () => {
  it('caps the wanted leverage at the maximum, raising the margin traders post', () => {
    expect(cappedMix(20).map((m) => m.leverage)).toEqual([2, 5, 10, 20, 20, 20, 20]);
    expect(averageLeverage(cappedMix(2)).toString()).toBe('2');
    const averages = LEVERAGE_GRID.map((L) => averageLeverage(cappedMix(L)));
    for (let i = 1; i < averages.length; i++) expect(averages[i]!.gte(averages[i - 1]!)).toBe(true);
    expect(averageLeverage(WANTED_LEVERAGE).eq(averages.at(-1)!)).toBe(true);
  });

  it('with ADL off, what the fund cannot cover is bad debt instead of deleveraging', () => {
    const off = build({ adl: 'off', n: '1500' });
    const on = build({ adl: 'on', n: '1500' });
    for (const id of DEPTH_IDS) for (const p of off.lines[id]) expect(p.cascade.adlNotional.isZero()).toBe(true);
    expect(off.lines.thin.some((p) => p.badDebt.gt(0))).toBe(true);
    expect(on.lines.thin.some((p) => p.cascade.adlNotional.gt(0))).toBe(true);
    const view = frontierView(off, { y: 'bad', lev: '125', depth: 'thin' });
    expect(metricValue(view.point, 'bad').gt(0)).toBe(true);
    expect(view.verdict).toContain('of losses are left as bad debt');
  });

  it('a bigger shock moves the deep book further at every leverage, and the same seed gives the same lines', () => {
    // Only on the deep book: on thinner ones a bigger shock can empty the insurance fund sooner, and positions
    // deleveraged against shorts never sell into the book, so a bigger shock can end a little higher.
    const small = build({ n: '1000', shock: '2' });
    const big = build({ n: '1000', shock: '6' });
    for (let i = 0; i < LEVERAGE_GRID.length; i++) expect(big.lines.deep[i]!.move.gte(small.lines.deep[i]!.move)).toBe(true);
    for (const id of DEPTH_IDS) expect(big.lines[id][0]!.move.eq('0.06')).toBe(true);
    const again = build({ n: '1000', shock: '2' });
    expect(again.lines.medium.map((p) => p.cascade.finalPrice.toString())).toEqual(small.lines.medium.map((p) => p.cascade.finalPrice.toString()));
  });

  it('zero positions make no market: the engine says so', () => {
    expect(buildFrontier(defaultFrontierState({ n: '0' }))).toEqual({
      ok: false,
      field: 'count',
      message: 'Positions must be at least 1, got 0: a market with no positions has nothing to liquidate.',
    });
  });

  it('never prints NaN, Infinity or undefined, whatever the axis shows', () => {
    const frontier = build({ n: '500', shock: '12' });
    for (const y of ['move', 'amp', 'adl', 'bad'] as const) {
      for (const depth of DEPTH_IDS) {
        const view = frontierView(frontier, { y, lev: '5', depth });
        const text = [view.verdict, view.summary, JSON.stringify(view.rows), JSON.stringify(view.chart)].join(' ');
        expect(text).not.toMatch(/NaN|Infinity|undefined/);
        expect(Number.isFinite(view.chart.yMax) && view.chart.yMax > 0).toBe(true);
      }
    }
    expect(new Decimal(frontier.shock).eq('0.12')).toBe(true);
  });
});
