import { describe, expect, it } from 'vitest';
import { resolveLink, type ScenarioPreset } from './link';
import { parseParams, decimalParam, enumParam } from './params';

const scenarios: ScenarioPreset[] = [
  { id: 'thin-book', widget: 'cascade-simulator', title: 'Thin book', summary: 's', version: 1, params: { depth: '2', book: 'flat' } },
  { id: 'elsewhere', widget: 'liquidation-map', title: 'Other widget', summary: 's', version: 1, params: { p: '50000' } },
];
const VENUES = ['binance-usdm-btcusdt-2025-08-19', 'bybit-linear-btcusdt'];
const params = [{ key: 'book' }, { key: 'depth' }, { key: 'move' }];

describe('resolveLink', () => {
  it('expands a preset and lets explicit parameters override it', () => {
    const link = resolveLink('cascade-simulator', '?preset=thin-book&depth=5', { scenarios, params });
    expect(link.preset?.id).toBe('thin-book');
    expect(link.params.get('book')).toBe('flat');
    expect(link.params.get('depth')).toBe('5');
    expect(link.params.has('preset')).toBe(false);
    expect(link.notes).toEqual([]);
  });

  it("explains a preset that does not exist, or belongs to another widget, and lists this widget's", () => {
    const link = resolveLink('cascade-simulator', 'preset=elsewhere', { scenarios, params });
    expect(link.preset).toBeNull();
    expect(link.notes[0]).toContain('no preset called "elsewhere"');
    expect(link.notes[0]).toContain('thin-book');
  });

  it('does not let a blank value wipe out a preset value, and reads the first of repeated keys', () => {
    const link = resolveLink('cascade-simulator', 'preset=thin-book&depth=&move=3&move=9', { scenarios, params });
    expect(link.params.get('depth')).toBe('2');
    expect(link.params.get('move')).toBe('3');
  });

  it("migrates version-1 links: the tier ladder's preset became venue, the health factor explorer's protocol", () => {
    const ladder = resolveLink('tier-ladder', 'v=1&preset=bybit-linear-btcusdt&lev=20', { params: [{ key: 'venue', options: VENUES }, { key: 'lev' }] });
    expect(ladder.params.get('venue')).toBe('bybit-linear-btcusdt');
    expect(ladder.params.get('v')).toBe('2');
    expect(ladder.notes).toEqual([]);
    const hf = resolveLink('health-factor-explorer', 'v=1&preset=aave-v3-ethereum', { params: [{ key: 'protocol', options: ['aave-v3-ethereum'] }] });
    expect(hf.params.get('protocol')).toBe('aave-v3-ethereum');
    // Another widget's version-1 link is read as it was.
    expect(resolveLink('cascade-simulator', 'v=1&depth=3', { params }).params.get('depth')).toBe('3');
  });

  it('treats an unversioned preset naming a venue table as a version-1 link, and any other name as a mistyped scenario', () => {
    const link = resolveLink('tier-ladder', 'preset=bybit-linear-btcusdt', { params: [{ key: 'venue', options: VENUES }] });
    expect(link.params.get('venue')).toBe('bybit-linear-btcusdt');
    expect(link.notes).toEqual([]);
    const typo = resolveLink('tier-ladder', 'preset=no-such-preset', { params: [{ key: 'venue', options: VENUES }] });
    expect(typo.params.has('venue')).toBe(false);
    expect(typo.notes[0]).toContain('no preset called "no-such-preset"');
  });

  it('explains a version from the future instead of guessing silently', () => {
    const link = resolveLink('cascade-simulator', 'v=9&depth=3', { params });
    expect(link.notes[0]).toContain('version "9"');
    expect(link.params.get('depth')).toBe('3');
  });

  it('keeps embed options out of the state and parses them', () => {
    const link = resolveLink('cascade-simulator', 'lock=depth&hide=book&theme=dark&layout=compact&depth=4', { params });
    expect([...link.params.keys()]).toEqual(['depth', 'v']);
    expect([...link.embed.locked]).toEqual(['depth']);
    expect([...link.embed.hidden]).toEqual(['book']);
    expect(link.embed.theme).toBe('dark');
    expect(link.embed.layout).toBe('compact');
  });

  it('feeds parseParams without a version note', () => {
    const specs = [enumParam('book', 'Book', ['flat', 'sqrt'], 'flat'), decimalParam('depth', 'Depth', { min: () => '1', max: () => '10', fallback: () => '3', allowed: '1 to 10', decimals: 1 })];
    const link = resolveLink('cascade-simulator', 'v=1&preset=thin-book', { scenarios, params });
    expect(parseParams(specs, link.params)).toEqual({ values: { book: 'flat', depth: '2' }, notes: [] });
  });
});
