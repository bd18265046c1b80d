/**
 * The generated module src/engine/venue-tables.generated.ts against its sources, content/venues/*.yaml: every
 * preset present, every field and bracket equal, nothing extra. Fails when a YAML file changes and the module
 * is not regenerated (node_modules/.bin/node scripts/generate-venue-tables.mjs). The YAML is read here with
 * the `yaml` parser and mapped independently of the generator, so a bug in either shows up as a difference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { VENUE_PRESET_TABLES } from './venue-tables.generated.ts';
import { venuePresetSchema } from './venuePresetSchema.ts';
import { validateBrackets } from './brackets.ts';
import { VENUE_IDS, VENUE_RULES } from './venue-rules.ts';
import { venueConvention } from './venues.ts';

const VENUES_DIR = new URL('../../content/venues/', import.meta.url);
const FILES = readdirSync(VENUES_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const REGENERATE = 'run node_modules/.bin/node scripts/generate-venue-tables.mjs';

describe('venue-tables.generated.ts', () => {
  it('has one entry per YAML preset, in file order', () => {
    expect(VENUE_PRESET_TABLES.map((p) => `${p.id}.yaml`), REGENERATE).toEqual(FILES);
  });

  it.each(FILES)('%s: the generated entry equals the YAML', (file) => {
    const preset = venuePresetSchema.parse(parse(readFileSync(new URL(file, VENUES_DIR), 'utf8')));
    const generated = VENUE_PRESET_TABLES.find((p) => `${p.id}.yaml` === file);
    expect(generated, REGENERATE).toEqual({
      id: preset.id,
      venueId: preset.conventions.venueId,
      venue: preset.venue,
      symbol: preset.symbol,
      contract: preset.contract,
      marginCurrency: preset.marginCurrency,
      contractSize: preset.contractSize ?? null,
      effective: preset.effective ?? null,
      read: preset.source.read,
      source: preset.source.url,
      brackets: preset.brackets,
    });
    // And the engine accepts its brackets (the schema checks the same rules; this is the engine's own door).
    expect(validateBrackets(generated!.brackets).length).toBe(preset.brackets.length);
  });
});

describe('venue-rules.ts agrees with the cited conventions of venues.ts', () => {
  it.each([...VENUE_IDS])('%s', (id) => {
    const convention = venueConvention(id);
    expect(VENUE_RULES[id].contract).toBe(convention.contract);
    expect(VENUE_RULES[id].basis).toBe(convention.maintenanceBasis.value);
    expect(VENUE_RULES[id].computable).toBe(convention.liquidationFormula !== null && convention.maintenanceBasis.status !== 'informal');
  });
});
