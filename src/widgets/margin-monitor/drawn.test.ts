import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Decimal } from '../../engine';
import { ENTRY_PRICE, STEPS, TICK, pricePath } from './path';
import { DRAW_MAX, DRAW_MIN, clampDrawn, decodePath, drawSegment, encodePath, setPrice } from './drawn';

const flat = () => Array.from({ length: STEPS + 1 }, () => ENTRY_PRICE);
const strings = (prices: readonly Decimal[] | null) => prices?.map((p) => p.toFixed(1)) ?? null;

describe('drawn path codec', () => {
  it('round-trips a path exactly, on the tick, in a short link value', () => {
    const prices = pricePath(3, '3').map(clampDrawn);
    const code = encodePath(prices);
    expect(code).toMatch(/^1\.[A-Za-z0-9_-]+$/);
    expect(code.length).toBeLessThan(160);
    const back = decodePath(code);
    expect(back.notes).toEqual([]);
    expect(strings(back.prices)).toEqual(strings(prices));
    for (const p of back.prices!) expect(p.mod(TICK).isZero()).toBe(true);
  });

  it('writes a flat path as one letter a step', () => {
    expect(encodePath(flat())).toBe(`1.${'A'.repeat(STEPS)}`);
  });

  it('round-trips any path within the drawing range', () => {
    const tick = fc.integer({ min: DRAW_MIN.mul(10).toNumber(), max: DRAW_MAX.mul(10).toNumber() }).map((n) => new Decimal(n).div(10));
    fc.assert(
      fc.property(fc.array(tick, { minLength: STEPS, maxLength: STEPS }), (drawn) => {
        const prices = [ENTRY_PRICE, ...drawn];
        const back = decodePath(encodePath(prices));
        expect(back.notes).toEqual([]);
        expect(strings(back.prices)).toEqual(strings(prices));
      }),
    );
  });

  it('explains bad values and never throws', () => {
    for (const raw of ['', 'x', '1', '1.', '1.!!', '1.g', '2.AAAA', '1.' + 'A'.repeat(400), '<script>alert(1)</script>', '1.___________']) {
      const { prices, notes } = decodePath(raw);
      expect(prices).toBeNull();
      expect(notes).toHaveLength(1);
      expect(notes[0]).toContain('using the random walk');
    }
    expect(decodePath('2.AAAA').notes[0]).toContain('version "2"');
    expect(decodePath('<b>').notes[0]).toContain('"<b>" is not a drawn path');
  });

  it('holds a short path\u2019s last price, drops extra prices, and clamps out-of-range ones', () => {
    const prices = flat();
    prices[1] = new Decimal('61000');
    const short = decodePath(encodePath(prices).slice(0, 2 + 3));
    expect(short.notes.join(' ')).toContain('the last one is held to the end');
    expect(short.prices).toHaveLength(STEPS + 1);
    expect(short.prices!.at(-1)!.toString()).toBe(short.prices![3]!.toString());

    const long = decodePath(`${encodePath(prices)}AAA`);
    expect(long.notes.join(' ')).toContain('the first 42 are used');

    // +100,000 USDT at the first step (1,000,000 ticks, zigzag 2,000,000), then back down.
    const huge = [ENTRY_PRICE, new Decimal('160000'), ...Array.from({ length: STEPS - 1 }, () => ENTRY_PRICE)];
    const raw = `1.${encodePath(huge).slice(2)}`;
    const clamped = decodePath(raw);
    expect(clamped.notes.join(' ')).toContain('1 price was outside 30000 to 90000 USDT');
    expect(clamped.prices![1]!.toString()).toBe('90000');
    expect(clamped.prices![2]!.toString()).toBe('60000');
  });
});

describe('drawing', () => {
  it('interpolates between visited funding times, on the tick, both ways', () => {
    let prices = flat();
    prices = drawSegment(prices, null, { index: 3, price: new Decimal('60000') });
    prices = drawSegment(prices, { index: 3, price: new Decimal('60000') }, { index: 6, price: new Decimal('60100') });
    expect(strings(prices.slice(3, 7))).toEqual(['60000.0', '60033.3', '60066.7', '60100.0']);
    prices = drawSegment(prices, { index: 6, price: new Decimal('60100') }, { index: 4, price: new Decimal('59000.04') });
    expect(strings(prices.slice(3, 7))).toEqual(['60000.0', '59000.0', '59550.0', '60100.0']);
  });

  it('never moves the entry, and clamps to the drawing range', () => {
    let prices = drawSegment(flat(), null, { index: 0, price: new Decimal('10') });
    expect(prices[0]!.toString()).toBe('60000');
    expect(prices[1]!.toString()).toBe('30000');
    prices = setPrice(prices, 0, new Decimal('70000'));
    expect(prices[0]!.toString()).toBe('60000');
    prices = setPrice(prices, STEPS, new Decimal('123456.78'));
    expect(prices[STEPS]!.toString()).toBe('90000');
  });
});
