/**
 * Order books (book.ts): flat depth gives linear impact, square-root depth gives ⌈√(Q/a)⌉ ticks, a snapshot is
 * walked as listed; market orders report exact fills, never hang and never return NaN; books are immutable;
 * resilience refills from the top; withdrawal thins every level; bad books are refused with a clear message.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { bookFromSnapshot, bookLevels, flatBook, marketBuy, marketSell, refillBook, shiftBook, sqrtBook, withdrawDepth, type MarketOrderResult } from './book.ts';

const D = (x: string | number) => new Decimal(x);
const runs = (n: number) => ({ numRuns: Number(process.env['PROPERTY_RUNS'] ?? n) });

function engineError(fn: () => unknown): EngineInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineInputError);
    return error as EngineInputError;
  }
  throw new Error('expected an EngineInputError');
}

/** Fills add up exactly; notional and average agree with them; nothing is NaN. */
function expectConsistent(result: MarketOrderResult): void {
  const filled = result.fills.reduce((sum, f) => sum.add(f.quantity), D(0));
  const notional = result.fills.reduce((sum, f) => sum.add(f.price.mul(f.quantity)), D(0));
  expect(filled.eq(result.filledQuantity)).toBe(true);
  expect(notional.eq(result.notional)).toBe(true);
  expect(result.filledQuantity.add(result.unfilledQuantity).eq(result.requestedQuantity)).toBe(true);
  if (result.filledQuantity.gt(0)) expect(result.averagePrice!.eq(notional.div(filled))).toBe(true);
  expect(JSON.stringify({ ...result, book: result.book.toJSON() })).not.toMatch(/NaN|Infinity/);
}

describe('flat book: linear impact', () => {
  const book = flatBook({ mid: 60000, tick: '0.1', quantityPerTick: 2, levels: 1000 });

  it('a sell walks the bids from mid − tick, level by level', () => {
    const result = marketSell(book, 5);
    expect(result.fills.map((f) => [f.price.toString(), f.quantity.toString()])).toEqual([
      ['59999.9', '2'],
      ['59999.8', '2'],
      ['59999.7', '1'],
    ]);
    expect(result.averagePrice!.toString()).toBe('59999.82');
    expect(result.lastPrice!.toString()).toBe('59999.7');
    expect(result.bestPrice!.toString()).toBe('59999.7'); // one unit left on that level
    expect(result.exhausted).toBe(false);
    expectConsistent(result);
  });

  it('the book after the trade is a new book; the old one is unchanged', () => {
    const result = marketSell(book, 5);
    expect(book.bestBid!.toString()).toBe('59999.9');
    expect(book.bidDepth.toString()).toBe('2000');
    expect(result.book.bidDepth.toString()).toBe('1995');
    expect(marketSell(result.book, 1).fills[0]!.price.toString()).toBe('59999.7');
    expect(result.book.bestAsk!.toString()).toBe('60000.1'); // the other side untouched
  });

  it('impact is ⌈Q/d⌉ ticks, and two orders in a row end where one order of their sum ends', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 1, max: 50 }), (q1, q2, d) => {
        const b = flatBook({ mid: 1000, tick: '0.5', quantityPerTick: D(d).div(10), levels: 1900 });
        const one = marketSell(b, D(q1).div(100));
        expect(one.lastPrice!.eq(D(1000).sub(D(Math.ceil((q1 * 10) / (d * 100))).mul('0.5')))).toBe(true);
        const two = marketSell(one.book, D(q2).div(100));
        const both = marketSell(b, D(q1 + q2).div(100));
        expect(two.lastPrice!.eq(both.lastPrice!)).toBe(true);
        expect(one.notional.add(two.notional).eq(both.notional)).toBe(true);
        expect(two.book.bidsConsumed.eq(both.book.bidsConsumed)).toBe(true);
        expectConsistent(two);
      }),
      runs(200),
    );
  });

  it('an order larger than the book fills what there is and says the book is exhausted', () => {
    const small = flatBook({ mid: 100, tick: 1, quantityPerTick: 3, levels: 4 });
    const result = marketSell(small, 20);
    expect(result.filledQuantity.toString()).toBe('12');
    expect(result.unfilledQuantity.toString()).toBe('8');
    expect(result.exhausted).toBe(true);
    expect(result.bestPrice).toBeNull();
    expect(result.lastPrice!.toString()).toBe('96');
    expectConsistent(result);
    const again = marketSell(result.book, 1);
    expect(again.filledQuantity.isZero()).toBe(true);
    expect(again.averagePrice).toBeNull();
    expect(again.lastPrice).toBeNull();
    expectConsistent(again);
  });

  it('a buy walks the asks up the same way', () => {
    const result = marketBuy(book, 5);
    expect(result.lastPrice!.toString()).toBe('60000.3');
    expect(result.averagePrice!.toString()).toBe('60000.18');
    expectConsistent(result);
  });
});

describe('square-root book', () => {
  it('level k holds (2k − 1)·a, so selling Q moves the price ⌈√(Q/a)⌉ ticks', () => {
    const levels = bookLevels(sqrtBook({ mid: 100, tick: 1, firstLevelQuantity: '0.5', levels: 10 }), 'bids', 4);
    expect(levels.map((l) => [l.price.toString(), l.quantity.toString()])).toEqual([
      ['99', '0.5'],
      ['98', '1.5'],
      ['97', '2.5'],
      ['96', '3.5'],
    ]);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 1, max: 100 }), (q, a) => {
        const book = sqrtBook({ mid: 50000, tick: '0.5', firstLevelQuantity: D(a).div(1000), levels: 40_000 });
        const result = marketSell(book, D(q).div(1000));
        // ⌈√(q/a)⌉ exactly: the least k with a·k² ≥ q.
        let k = Math.ceil(Math.sqrt(q / a));
        while (a * (k - 1) * (k - 1) >= q) k--;
        while (a * k * k < q) k++;
        expect(result.lastPrice!.eq(D(50000).sub(D(k).mul('0.5')))).toBe(true);
        expect(result.notional.gt(0)).toBe(true);
      }),
      runs(200),
    );
  });

  it('average prices agree with the level-by-level fills (closed-form cumulative notional)', () => {
    const book = sqrtBook({ mid: 2000, tick: '0.25', firstLevelQuantity: '0.3', levels: 500 });
    for (const q of ['0.1', '7', '123.4', '1000']) {
      expectConsistent(marketSell(book, q));
      expectConsistent(marketBuy(book, q));
    }
  });
});

describe('book from a depth snapshot', () => {
  const snapshot = {
    bids: [
      ['99.5', '1'],
      ['99', '2'],
      ['97', '5'],
    ] as const,
    asks: [
      { price: '100.5', quantity: '1.5' },
      { price: 101, quantity: 1 },
    ],
  };

  it('walks the levels as listed, mid halfway between the best prices', () => {
    const book = bookFromSnapshot(snapshot);
    expect(book.mid.toString()).toBe('100');
    const sell = marketSell(book, 4);
    expect(sell.fills.map((f) => [f.price.toString(), f.quantity.toString()])).toEqual([
      ['99.5', '1'],
      ['99', '2'],
      ['97', '1'],
    ]);
    expectConsistent(sell);
    const buy = marketBuy(book, 3);
    expect(buy.filledQuantity.toString()).toBe('2.5');
    expect(buy.exhausted).toBe(true);
    expectConsistent(buy);
  });

  it('refuses levels out of order, empty sides, crossed books and zero quantities', () => {
    expect(engineError(() => bookFromSnapshot({ bids: [[99, 1], [99.5, 1]], asks: [[101, 1]] })).field).toBe('bids[1].price');
    expect(engineError(() => bookFromSnapshot({ bids: [], asks: [[101, 1]] })).rule).toMatch(/zero depth/);
    expect(engineError(() => bookFromSnapshot({ bids: [[101, 1]], asks: [[100, 1]] })).field).toBe('asks[0].price');
    expect(engineError(() => bookFromSnapshot({ bids: [[99, 0]], asks: [[101, 1]] })).field).toBe('bids[0].quantity');
  });
});

describe('between rounds: resilience, withdrawal, re-centring', () => {
  const book = flatBook({ mid: 100, tick: 1, quantityPerTick: 10, levels: 50 });
  const eaten = marketSell(book, 100).book; // ten levels

  it('resilience ρ returns a fraction ρ of what was eaten, next to where trading left the price', () => {
    expect(refillBook(eaten, 0).bidsConsumed.toString()).toBe('100');
    expect(refillBook(eaten, 1).bestBid!.toString()).toBe('99');
    const half = refillBook(eaten, '0.5');
    expect(half.bidsConsumed.toString()).toBe('50');
    expect(half.bestBid!.toString()).toBe('94'); // 99 … 95 still eaten
    expect(engineError(() => refillBook(eaten, -0.5)).rule).toMatch(/negative/);
    expect(engineError(() => refillBook(eaten, 2)).field).toBe('resilience');
  });

  it('withdrawal hides a share of every level, so the same order walks deeper', () => {
    const thin = withdrawDepth(book, '0.6');
    expect(thin.bidDepth.toString()).toBe('200');
    const result = marketSell(thin, 20);
    expect(result.lastPrice!.toString()).toBe('95'); // 4 per level visible
    expectConsistent(result);
    expect(engineError(() => withdrawDepth(book, 1)).field).toBe('share');
  });

  it('shiftBook re-centres every level on a new mid', () => {
    const shifted = shiftBook(book, 90);
    expect(shifted.bestBid!.toString()).toBe('89');
    expect(shifted.bestAsk!.toString()).toBe('91');
    expect(marketSell(shifted, 25).lastPrice!.toString()).toBe('87');
    expect(engineError(() => shiftBook(book, 40)).field).toBe('mid');
  });
});

describe('books that make no market are refused', () => {
  it('zero depth, a non-positive tick, bad level counts, levels below zero', () => {
    expect(engineError(() => flatBook({ mid: 100, tick: 1, quantityPerTick: 0, levels: 10 })).field).toBe('quantityPerTick');
    expect(engineError(() => sqrtBook({ mid: 100, tick: 1, firstLevelQuantity: -1, levels: 10 })).rule).toMatch(/zero depth/);
    expect(engineError(() => flatBook({ mid: 100, tick: 0, quantityPerTick: 1, levels: 10 })).field).toBe('tick');
    expect(engineError(() => flatBook({ mid: 100, tick: -1, quantityPerTick: 1, levels: 10 })).field).toBe('tick');
    expect(engineError(() => flatBook({ mid: 100, tick: 1, quantityPerTick: 1, levels: 0 })).field).toBe('levels');
    expect(engineError(() => flatBook({ mid: 100, tick: 1, quantityPerTick: 1, levels: 2.5 })).field).toBe('levels');
    expect(engineError(() => flatBook({ mid: 100, tick: 1, quantityPerTick: 1, levels: 100 })).rule).toMatch(/at most 99/);
    expect(engineError(() => marketSell(flatBook({ mid: 100, tick: 1, quantityPerTick: 1, levels: 5 }), 0)).field).toBe('quantity');
    expect(engineError(() => marketSell({} as never, 1)).field).toBe('book');
  });
});
