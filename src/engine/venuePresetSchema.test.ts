/**
 * The venue preset schema (src/engine/venuePresetSchema.ts) against every shipped preset in
 * content/venues/*.yaml, and the messages a writer sees for each kind of mistake.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { venuePresetSchema, type VenuePreset } from './venuePresetSchema.ts';
import { venueConvention } from './venues.ts';

const VENUES_DIR = new URL('../../content/venues/', import.meta.url);
const FILES = readdirSync(VENUES_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const raw = (file: string): Record<string, unknown> => parse(readFileSync(new URL(file, VENUES_DIR), 'utf8')) as Record<string, unknown>;

/** Issues as "path: message" lines, for readable assertions. */
function issues(data: unknown): string[] {
  const result = venuePresetSchema.safeParse(data);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

const BTCUSDT = 'binance-usdm-btcusdt-2021-03-18.yaml';
type Bracket = VenuePreset['brackets'][number];
const withBrackets = (file: string, edit: (b: Bracket[]) => void): Record<string, unknown> => {
  const data = raw(file);
  const brackets = (data['brackets'] as Bracket[]).map((b) => ({ ...b }));
  edit(brackets);
  return { ...data, brackets };
};

describe('shipped presets', () => {
  it('there are presets to check', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(5);
  });

  it.each(FILES)('%s parses, its id is its file name, and its conventions agree with the engine', (file) => {
    expect(issues(raw(file))).toEqual([]);
    const preset = venuePresetSchema.parse(raw(file));
    expect(`${preset.id}.yaml`).toBe(file);
    const convention = venueConvention(preset.conventions.venueId);
    expect(preset.contract).toBe(convention.contract);
    expect(preset.conventions.maintenanceBasis).toBe(convention.maintenanceBasis.value);
    expect(preset.source.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Every preset says what was found and what was derived.
    expect(preset.note?.length ?? 0).toBeGreaterThan(100);
  });
});

describe('refinements name the field at fault', () => {
  it('a maintenance amount off the cum rule', () => {
    const data = withBrackets(BTCUSDT, (b) => (b[2] = { ...b[2]!, maintenanceAmount: '1250' }));
    expect(issues(data)).toEqual([
      'brackets.2.maintenanceAmount: tier 3: maintenance amount must be 1300 by the cum rule (floor 250000 × (1 % − 0.5 %) + 50 of tier 2), got 1250',
    ]);
  });

  it('a gap between brackets, and a first floor above 0', () => {
    expect(issues(withBrackets(BTCUSDT, (b) => (b[1] = { ...b[1]!, floor: '60000' })))).toContain(
      'brackets.1.floor: tier 2: floor 60000 must equal the cap of tier 1 (50000); brackets must be contiguous',
    );
    expect(issues(withBrackets(BTCUSDT, (b) => (b[0] = { ...b[0]!, floor: '10' })))).toContain('brackets.0.floor: tier 1: the first floor must be 0, got 10');
  });

  it('a falling rate and a rising max leverage', () => {
    expect(issues(withBrackets(BTCUSDT, (b) => (b[3] = { ...b[3]!, maintenanceMarginRate: '0.009' })))[0]).toBe(
      'brackets.3.maintenanceMarginRate: tier 4: maintenance margin rate 0.9 % is below tier 3\'s 1 %; rates must not decrease',
    );
    expect(issues(withBrackets(BTCUSDT, (b) => (b[3] = { ...b[3]!, maxLeverage: '75' })))).toEqual([
      'brackets.3.maxLeverage: tier 4: max leverage 75× is above tier 3\'s 50×; max leverage must not increase',
    ]);
  });

  it('every problem is reported, not just the first', () => {
    const data = withBrackets(BTCUSDT, (b) => {
      b[1] = { ...b[1]!, maintenanceAmount: '49' };
      b[8] = { ...b[8]!, maxLeverage: '4' };
    });
    expect(issues(data).map((line) => line.split(':')[0])).toEqual(['brackets.1.maintenanceAmount', 'brackets.8.maxLeverage']);
  });

  it('numbers must be quoted decimal strings (a YAML number would pass through a float)', () => {
    const data = withBrackets(BTCUSDT, (b) => (b[0] = { ...b[0]!, maintenanceMarginRate: 0.004 as unknown as string }));
    expect(issues(data)[0]).toContain('brackets.0.maintenanceMarginRate: write numbers as quoted decimal strings');
    const exponent = withBrackets(BTCUSDT, (b) => (b[0] = { ...b[0]!, cap: '5e4' }));
    expect(issues(exponent)[0]).toContain('brackets.0.cap: must be a plain non-negative decimal');
  });

  it('an inverse contract needs its contract size; source dates are real dates; YAML dates are accepted', () => {
    const { contractSize: _size, ...noSize } = raw('binance-coinm-btcusd-2021-02.yaml');
    expect(issues(noSize)).toContain("contractSize: an inverse contract needs its contract size (quote units per contract, e.g. '100')");
    const data = raw(BTCUSDT);
    const source = data['source'] as Record<string, unknown>;
    expect(issues({ ...data, source: { ...source, read: '2026-02-30' } })).toEqual(['source.read: must be a real calendar date']);
    // js-yaml (Astro's YAML loader) reads an unquoted date as a Date.
    const parsed = venuePresetSchema.parse({ ...data, source: { ...source, read: new Date('2026-11-27T00:00:00Z') } });
    expect(parsed.source.read).toBe('2026-11-27');
  });

  it('conventions must agree with the engine\'s registry, and unknown fields are refused', () => {
    const data = raw(BTCUSDT);
    const conventions = data['conventions'] as Record<string, unknown>;
    expect(issues({ ...data, conventions: { ...conventions, maintenanceBasis: 'entry' } })).toEqual([
      'conventions.maintenanceBasis: must agree with the engine\'s registry for binance-usdm: "mark" (see src/engine/venues.ts for its source)',
    ]);
    expect(issues({ ...data, conventions: { ...conventions, venueId: 'bybit-inverse' } })[0]).toBe(
      'conventions.venueId: bybit-inverse describes inverse contracts, but this preset is linear',
    );
    expect(issues({ ...data, leverage: '125' }).join('\n')).toContain('leverage');
  });
});
