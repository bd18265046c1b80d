import { describe, expect, it } from 'vitest';
import { Decimal, populationPosition } from '../../engine';
import { buildFrontier, cappedTraders, containedUpTo, frontierView, metricValue, seededTraders, type Frontier } from './model';
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
    expect(containedUpTo(defaults.lines.thin)).toBe(10);
    expect(containedUpTo(defaults.lines.medium)).toBe(15);
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
    expect(view.verdict).toBe('Allowing up to 20× on a medium book, a 3.0\u202f% drop ends 12.8\u202f% down, 4.2 times the shock. Capping leverage at 15× (traders post 1.06 times the margin) keeps it to 3.2\u202f%.');
    expect(view.summary).toContain('on the medium book it stays within 1.5 times the shock up to 15× and reaches 13.0\u202f% at 125×');
    expect(view.chart.point).toEqual({ x: 20, y: view.point.move.mul(100).toNumber(), label: '20×: 12.8\u202f%' });
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
  it('holds the same traders at every cap: only the leverage of those who wanted more than the cap, and their margin, change', () => {
    const traders = seededTraders(400, 7);
    const capped = LEVERAGE_GRID.map((L) => cappedTraders(traders, L, 7));
    const read = (i: number) => capped.map(({ population }) => populationPosition(population, i));
    let someCapped = false;
    for (let i = 0; i < traders.population.size; i++) {
      const wanted = populationPosition(traders.population, i);
      const atCaps = read(i);
      for (const [k, p] of atCaps.entries()) {
        const cap = LEVERAGE_GRID[k]!;
        expect(capped[k]!.population.size).toBe(traders.population.size);
        expect([p.side, p.marginMode, p.position.entryPrice.toString(), p.position.quantity.toString()]).toEqual([
          wanted.side,
          wanted.marginMode,
          wanted.position.entryPrice.toString(),
          wanted.position.quantity.toString(),
        ]);
        // Opens at min(wanted, cap), posting at least notional ÷ that leverage.
        expect(p.leverage!.eq(Decimal.min(wanted.leverage!, cap))).toBe(true);
        expect(p.position.margin.gte(p.position.entryPrice.mul(p.position.quantity).div(p.leverage!))).toBe(true);
        if (wanted.leverage!.gt(cap)) someCapped = true;
        else expect(p.position.margin.eq(wanted.position.margin)).toBe(true);
        // A higher cap never asks for more: every balance, and so every liquidation price's distance, only shrinks.
        if (k > 0) expect(p.position.margin.lte(atCaps[k - 1]!.position.margin)).toBe(true);
      }
    }
    expect(someCapped).toBe(true);
    // Average leverage opened: total notional ÷ total initial margin, rising with the cap, 2× at the 2× cap.
    const averages = capped.map(({ initialMargin }) => traders.notional.div(initialMargin));
    expect(averages[0]!.toDecimalPlaces(6).toString()).toBe('2');
    for (let i = 1; i < averages.length; i++) expect(averages[i]!.gte(averages[i - 1]!)).toBe(true);
    expect(capped.at(-1)!.population).toBe(traders.population);
  });

  it('with ADL off, a higher cap never makes the same shock end higher on a flat book', () => {
    // With ADL on this need not hold on a thin book: more bankrupt longs are deleveraged against shorts instead of
    // selling into the book, so a higher cap can end slightly higher (seed 1's thin line dips at 30×, for one).
    for (const seed of ['1', '2', '3']) {
      const off = build({ adl: 'off', seed });
      for (const id of DEPTH_IDS) {
        const line = off.lines[id];
        for (let i = 1; i < line.length; i++) expect(line[i]!.move.gte(line[i - 1]!.move), `${id} book, seed ${seed}, ${line[i]!.leverage}×`).toBe(true);
      }
    }
    // The default figure's medium line (ADL on) rises all the way too, where the old model dipped at 25×.
    for (let i = 1; i < defaults.lines.medium.length; i++) expect(defaults.lines.medium[i]!.move.gte(defaults.lines.medium[i - 1]!.move)).toBe(true);
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
