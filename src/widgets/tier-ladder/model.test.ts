import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { ladderPresets } from './presets';
import { ladderView } from './model';
import { readLadderState, writeLadderState } from './state';

const dir = new URL('../../../content/venues/', import.meta.url);
const presets = ladderPresets(readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => parse(readFileSync(new URL(f, dir), 'utf8'))));
const binance = presets.find((p) => p.id === 'binance-usdm-btcusdt-2025-08-19')!;

describe('tier ladder presets', () => {
  it('offers the linear tables of venues whose liquidation price the engine computes', () => {
    expect(presets.map((p) => p.id)).toEqual(expect.arrayContaining(['binance-usdm-btcusdt-2025-08-19', 'binance-usdm-ethusdt-2025-08-19', 'bybit-linear-btcusdt']));
    expect(presets.every((p) => p.venueId === 'binance-usdm' || p.venueId === 'bybit-linear')).toBe(true);
  });
});

describe('ladderView', () => {
  it('finds the bracket of the position value and its published rate', () => {
    const view = ladderView(binance, { venue: binance.id, side: 'long', notional: '500000', lev: '20', entry: '60000' });
    expect(view.bracket.index).toBe(1); // 300,000 to 800,000 USDT: 0.5 %, amount 300
    expect(view.text.rate).toBe('0.50\u202f%');
    expect(view.text.amount).toBe('300.00 USDT');
    expect(view.maintenanceAtEntry.toString()).toBe('2200'); // 500,000 × 0.5 % − 300
  });

  it('lowers the leverage to the bracket maximum when the position outgrows it, and says so', () => {
    const small = ladderView(binance, { venue: binance.id, side: 'long', notional: '100000', lev: '120', entry: '60000' });
    expect(small.leverageCapped).toBe(false);
    const large = ladderView(binance, { venue: binance.id, side: 'long', notional: '5000000', lev: '120', entry: '60000' });
    expect(large.leverageCapped).toBe(true);
    expect(large.leverage.lt(120)).toBe(true);
    expect(large.note).toContain("above this bracket's maximum");
    // The liquidation price jumps away from entry because the margin had to rise.
    expect(large.move!.abs().gt(small.move!.abs())).toBe(true);
  });

  it('computes Binance liquidation prices in the bracket at the liquidation price', () => {
    const view = ladderView(binance, { venue: binance.id, side: 'long', notional: '310000', lev: '10', entry: '60000' });
    // At entry the position is in bracket 2 (≥ 300,000); at a ~9.6 % lower price its value is in bracket 1.
    expect(view.bracket.index).toBe(1);
    expect(view.liquidationBracket?.index).toBe(0);
    expect(view.summary).toContain("computed with bracket 1's rate");
  });

  it('reads and writes its link state', () => {
    const { state, notes } = readLadderState(presets, `venue=${binance.id}&notional=1234567&lev=30&side=short`);
    expect(notes).toEqual([]);
    expect(readLadderState(presets, writeLadderState(presets, state)).state).toEqual(state);
    expect(readLadderState(presets, 'venue=nope').notes[0]).toContain('is not one of');
  });
});
