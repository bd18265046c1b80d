import { describe, expect, it } from 'vitest';
import { Decimal, createPopulation, flatBook, simulateCascade } from '../../engine';
import { FUND_SHARE, PRICE, cascadeOptions, makeBook, openInterest } from './market';
import { buildMarket, mapView, readCascade, usdt } from './model';
import { defaultMapState, type MapState } from './state';

function view(overrides: Partial<MapState> = {}) {
  const result = mapView(defaultMapState(overrides));
  if (!result.ok) throw new Error(result.message);
  return result.view;
}

const defaults = view();

describe('the first figure (default state)', () => {
  it('tells the story: the map says one thing, the cascade goes much further', () => {
    const { reading } = defaults;
    expect(reading.direction).toBe('down');
    expect(reading.mapNotional.toFixed(0)).toBe('735962');
    expect(reading.finalPrice.toString()).toBe('52320');
    expect(reading.cascade.totalLiquidatedNotional.gt(reading.mapNotional.mul(4))).toBe(true);
    expect(reading.cascade.stopReason).toBe('fixed-point');
    expect(reading.sentence).toBe(
      'The map says 735,962 USDT of longs sit between 60,000 and 58,000; the selling they cause carries the price on to 52,320, liquidating 3.46 million USDT in all, 4.7 times what the map shows up to 58,000.',
    );
    expect(defaults.summary).toContain('5,000 positions (seed 1) around 60,000 USDT, open interest 14.43 million USDT');
    expect(defaults.summary).toContain('The biggest cluster: shorts liquidated between 61,200 and 61,800 (681,530 USDT, 2\u202f% above the price).');
  });

  it('is exactly the engine cascade for the same market, book and shock', () => {
    const population = defaults.market.population;
    const book = flatBook({ mid: 60000, tick: 10, quantityPerTick: '0.1112', levels: 4000 });
    const direct = simulateCascade(population, book, { markPrice: 58000 }, cascadeOptions(defaults.market.openInterest));
    expect(direct.finalPrice.eq(defaults.reading.finalPrice)).toBe(true);
    expect(direct.totalLiquidatedNotional.eq(defaults.reading.cascade.totalLiquidatedNotional)).toBe(true);
  });
});

describe('the market', () => {
  it('measures open interest as every position at 60,000, and funds 2 % of it', () => {
    const small = createPopulation({ count: 300, price: 60000, tick: 10, lot: '0.001' }, 7);
    const json = small.toJSON() as { positions: { side: string; quantity: string }[] };
    const quantity = (side: string) => json.positions.filter((p) => p.side === side).reduce((a, p) => a.add(p.quantity), new Decimal(0));
    const oi = openInterest(small);
    expect(oi.longQuantity.eq(quantity('long'))).toBe(true);
    expect(oi.shortQuantity.eq(quantity('short'))).toBe(true);
    expect(oi.notional.eq(quantity('long').add(quantity('short')).mul(PRICE))).toBe(true);
    expect(defaults.market.fund.eq(defaults.market.openInterest.mul(FUND_SHARE).floor())).toBe(true);
  });

  it('draws bands of 1 %, longs below the price and shorts above, with cumulative curves that only grow', () => {
    const { chart } = defaults.market;
    expect(chart.longColumns).toHaveLength(30);
    expect(chart.shortColumns).toHaveLength(30);
    expect(chart.longColumns.every((c) => c.x1 <= 60000 && c.x1 - c.x0 === 600)).toBe(true);
    expect(chart.shortColumns.every((c) => c.x0 >= 60000)).toBe(true);
    for (const curve of [chart.longCumulative, chart.shortCumulative]) {
      expect(curve[0]).toEqual([60000, 0]);
      for (let i = 1; i < curve.length; i++) expect(curve[i]![1]).toBeGreaterThanOrEqual(curve[i - 1]![1]);
    }
    expect(chart.longCumulative.at(-1)![1]).toBeCloseTo(defaults.market.longNotional.toNumber(), 0);
  });

  it('lists the five biggest clusters, biggest first', () => {
    const { clusters } = defaults.market;
    expect(clusters).toHaveLength(5);
    for (let i = 1; i < clusters.length; i++) expect(clusters[i]!.notional.lte(clusters[i - 1]!.notional)).toBe(true);
    expect(clusters.every((c) => (c.side === 'long' ? c.to.lte(PRICE) : c.from.gte(PRICE)))).toBe(true);
  });

  it("agrees with itself: the map's span from 60,000 to a band edge holds exactly that band's positions", () => {
    const market = defaults.market;
    const read = readCascade(market, { p: '58200', depth: '400000', book: 'flat' });
    if (!read.ok) throw new Error(read.message);
    const bands = market.buckets.filter((b) => b.from.gte(58200) && b.to.lte(60000));
    expect(bands).toHaveLength(3);
    expect(read.reading.mapQuantity.eq(bands.reduce((a, b) => a.add(b.longQuantity), new Decimal(0)))).toBe(true);
    expect(read.reading.mapPositions).toBe(bands.reduce((a, b) => a + b.longPositions, 0));
  });
});

describe('readings', () => {
  it('a rise runs into the shorts and ends higher', () => {
    const { reading } = view({ p: '62000' });
    expect(reading.direction).toBe('up');
    expect(reading.finalPrice.gt(62000)).toBe(true);
    expect(reading.sentence).toMatch(/^The map says [\d.,]+ (million )?USDT of shorts sit between 60,000 and 62,000; the buying they cause carries the price on to [\d,]+/);
  });

  it('at 60,000 nothing moves, and the text invites a drag', () => {
    const { reading } = view({ p: '60000' });
    expect(reading.direction).toBe('none');
    expect(reading.cascade.positionsLiquidated).toBe(0);
    expect(reading.cascade.amplification).toBeNull();
    expect(reading.sentence).toContain('drag the price line');
  });

  it('a deeper book ends the same fall sooner, and square-root depth (thinner near the price) ends it sooner than a flat book of the same 1 % depth', () => {
    const ends = ['100000', '400000', '1500000', '5000000'].map((depth) => view({ depth }).reading.finalPrice.toNumber());
    for (let i = 1; i < ends.length; i++) expect(ends[i]!).toBeGreaterThanOrEqual(ends[i - 1]!);
    expect(ends[0]!).toBeLessThan(ends[3]!);
    expect(view({ book: 'sqrt' }).reading.finalPrice.gt(defaults.reading.finalPrice)).toBe(true);
  });

  it('with no longs the map shows nothing below the price and nothing is liquidated on a fall', () => {
    const { reading, market } = view({ long: '0' });
    expect(market.longNotional.isZero()).toBe(true);
    expect(reading.finalPrice.toString()).toBe('58000');
    expect(reading.sentence).toBe('The map shows no longs between 60,000 and 58,000, so nothing is liquidated and the price stays at 58,000.');
  });

  it('a book too thin for the cascade is eaten whole, and the text says so', () => {
    const { reading } = view({ depth: '50000' });
    expect(reading.cascade.stopReason).toBe('book-exhausted');
    expect(reading.aside).toContain('ate every bid in the book');
  });

  it('says when the insurance fund runs dry and ADL takes over', () => {
    const { reading } = view({ mix: 'high' });
    expect(reading.cascade.adlNotional.gt(0)).toBe(true);
    expect(reading.aside).toContain('auto-deleveraging');
  });

  it('never prints NaN, Infinity or undefined', () => {
    for (const overrides of [{}, { p: '42000' }, { p: '78000' }, { p: '60000' }, { long: '100' }, { long: '0', p: '70000' }, { n: '500', mix: 'low' as const }, { depth: '25000', book: 'sqrt' as const }]) {
      const v = view(overrides);
      const text = [v.summary, v.reading.aside ?? '', JSON.stringify(v.market.chart)].join(' ');
      expect(text).not.toMatch(/NaN|Infinity|undefined|null/);
    }
  });
});

describe('markets that cannot exist', () => {
  it('zero positions: the engine refuses, and the message names the setting', () => {
    const result = buildMarket(defaultMapState({ n: '0' }));
    expect(result).toEqual({ ok: false, field: 'count', message: 'Positions must be at least 1, got 0: a market with no positions has nothing to liquidate.' });
  });

  it('zero depth: the engine refuses the book', () => {
    const result = mapView(defaultMapState({ depth: '0' }));
    expect(result).toEqual({ ok: false, field: 'quantityPerTick', message: 'Depth must be greater than 0, got 0: a book with zero depth makes no market.' });
    expect(() => makeBook('sqrt', new Decimal(0))).toThrow('a book with zero depth makes no market');
  });

  it('any positive depth, however small, rounds up to a market', () => {
    expect(makeBook('flat', new Decimal(1)).originalDepth.bids.toString()).toBe('0.4');
  });
});

describe('usdt', () => {
  it('writes millions in words and smaller amounts in full', () => {
    expect(usdt(new Decimal('3456789'))).toBe('3.46 million USDT');
    expect(usdt(new Decimal('735962.4'))).toBe('735,962 USDT');
    expect(usdt(new Decimal(0))).toBe('0 USDT');
  });
});
