import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { ladderPresets } from '../../widgets/tier-ladder/presets';
import { readLadderState, type LadderState } from '../../widgets/tier-ladder/state';
import { tierLadderGuide } from './tier-ladder';

// The tables the page hands the widget, read from the same YAML files the build reads.
const dir = new URL('../../../content/venues/', import.meta.url);
const presets = ladderPresets(readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => parse(readFileSync(new URL(f, dir), 'utf8'))));
const g = tierLadderGuide(presets);

describe('tier ladder guide: figures', () => {
  it("Q1: Binance's maintenance margin on 500,000 USDT, by its published rule", () => {
    // Binance's BTCUSDT table of 2025-08-19, bracket 2 (300,000 to 800,000): 0.5 %, maintenance amount 300.
    // MM = 500,000 × 0.005 − 300 = 2,200.
    expect(g.q1.answer).toBe('2200');
    expect(g.q1.bracketNumber).toBe(2);
    expect(g.q1.range).toBe('300,000 to 800,000 USDT');
    expect(g.q1.rateOnly).toBe('2,500.00 USDT');
  });

  it('Q2: a 20,000,000 USDT long at 10× has less room than a 100,000 USDT one', () => {
    // Small: bracket 1, no maintenance amount: LP = 60,000 × 0.9 / 0.996, a 9.64 % fall.
    expect(g.q2.small.move).toBe('9.64\u202f% fall');
    expect(Number(g.q2.answer)).toBeLessThan(9.64);
    // Large: Binance's isolated formula with the bracket that holds the value at the liquidation price
    // (USDⓈ-M FAQ): LP = (q × entry − wallet − cum) / (q × (1 − mmr)). Bracket 5 of the 2025-08-19 table
    // (12 M to 70 M USDT): 2 %, cum 132,000. q = 20,000,000 / 60,000, wallet = 2,000,000 (10×).
    const q = 20000000 / 60000;
    const lp = (q * 60000 - 2000000 - 132000) / (q * (1 - 0.02)); // 54,697.96
    expect(q * lp).toBeGreaterThan(12000000); // the value at that price is still in bracket 5
    const text = (x: number) => x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
    expect(g.q2.liquidation).toBe(`${text(lp)} USDT`);
    expect(g.q2.answer).toBe(((1 - lp / 60000) * 100).toFixed(2));
  });

  it("Q3: Bybit's liquidation price for 100,000 USDT at 20×, by its published formula", () => {
    // Bybit (USDT contract): LP = entry − (initial margin − maintenance margin) ÷ quantity, maintenance on the
    // entry value in tier 1 (0.5 %): quantity 100,000 / 60,000; (5,000 − 500) × 60,000 / 100,000 = 2,700.
    expect(g.q3.answer).toBe('57300');
    // Binance, same position: 60,000 × 0.95 / 0.996.
    expect(g.q3.binance).toBe(`${(60000 * 0.95 / 0.996).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USDT`);
  });

  it('the activity and going-further figures', () => {
    expect(g.activity.capped.leverage).toBe('50×');
    expect(g.activity.capped.note).toContain("above this bracket's maximum");
    expect(g.further.edge.bracketNumber).toBe(2);
    expect(g.further.edge.liquidationBracket).toBe(1);
    expect(g.further.old.rate).not.toBe(g.further.now.rate);
  });
});

describe('tier ladder guide: links', () => {
  const links: [string, Partial<LadderState>][] = [
    [g.activity.start.link, { venue: 'binance-usdm-btcusdt-2025-08-19', notional: '100000', lev: '20', side: 'long', entry: '60000' }],
    [g.activity.mid.link, { notional: '500000', lev: '20' }],
    [g.activity.large.link, { notional: '5000000', lev: '20' }],
    [g.activity.capped.link, { notional: '5000000', lev: '120' }],
    [g.activity.bybit.link, { venue: 'bybit-linear-btcusdt', notional: '100000', lev: '20' }],
    [g.q1.link, { notional: '500000' }],
    [g.q2.link, { notional: '20000000', lev: '10' }],
    [g.q2.small.link, { notional: '100000', lev: '10' }],
    [g.q3.link, { venue: 'bybit-linear-btcusdt' }],
    [g.further.edge.link, { notional: '310000', lev: '10' }],
    [g.further.old.link, { venue: 'binance-usdm-btcusdt-2021-03-18', notional: '5000000' }],
  ];
  it.each(links)('%s opens the intended state with no notes', (link, expected) => {
    expect(link.startsWith('/widgets/tier-ladder/?')).toBe(true);
    const { state, notes } = readLadderState(presets, link.slice(link.indexOf('?') + 1));
    expect(notes).toEqual([]);
    expect(state).toMatchObject(expected);
  });
});
