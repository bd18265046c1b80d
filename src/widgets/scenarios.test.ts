/**
 * Every scenario preset in content/scenarios/: its widget's own parameter rules accept every value as
 * written (no correction, no unknown key), it round-trips through the embed builder's link, and its values
 * are held in scenarios.lock.json under its version, so `?preset=name` opens the same state until someone
 * deliberately raises the version (then `node scripts/lock-scenarios.mjs` records the new one beside the old).
 */
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { parse } from 'yaml';
import { codecLoaders } from './codecs';
import { ladderPresets } from './tier-ladder/presets';
import { widgetMetas, type WidgetId } from './meta';
import { parseParams } from './shared/params';
import { resolveLink, type ScenarioPreset } from './shared/link';
import { builderQuery } from './shared/builder';
import { defaultEmbedOptions } from './shared/embed-options';
import lock from './scenarios.lock.json';

const dir = new URL('../../content/scenarios/', import.meta.url);
const scenarios: ScenarioPreset[] = readdirSync(dir)
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => {
    const data = parse(readFileSync(new URL(f, dir), 'utf8'));
    const params = Object.fromEntries(Object.entries(data.params as Record<string, unknown>).map(([k, v]) => [k, String(v)]));
    return { id: f.replace(/\.yaml$/, ''), widget: data.widget, title: data.title, summary: data.summary, version: data.version, params };
  });
const venueDir = new URL('../../content/venues/', import.meta.url);
const venues = ladderPresets(readdirSync(venueDir).filter((f) => f.endsWith('.yaml')).map((f) => parse(readFileSync(new URL(f, venueDir), 'utf8'))));

describe('scenario presets', () => {
  it('exist for every widget, at least two each', () => {
    for (const meta of widgetMetas) expect(scenarios.filter((s) => s.widget === meta.id).length, meta.id).toBeGreaterThanOrEqual(2);
  });

  for (const scenario of scenarios) {
    describe(scenario.id, () => {
      it("is accepted by its widget's parameter rules as written", async () => {
        const { specs } = await codecLoaders[scenario.widget as WidgetId]({ venues });
        const keys = specs.map((s) => s.key);
        expect(Object.keys(scenario.params).filter((k) => !keys.includes(k)), 'unknown keys').toEqual([]);
        const link = resolveLink(scenario.widget, `preset=${scenario.id}`, { scenarios, params: specs });
        expect(link.preset?.id).toBe(scenario.id);
        const { values, notes } = parseParams(specs, link.params);
        expect(notes).toEqual([]);
        for (const [key, value] of Object.entries(scenario.params)) expect(values[key], key).toBe(value);
      });

      it("round-trips through the builder's link", async () => {
        const { specs } = await codecLoaders[scenario.widget as WidgetId]({ venues });
        const opened = parseParams(specs, resolveLink(scenario.widget, `preset=${scenario.id}`, { scenarios, params: specs }).params).values;
        const query = builderQuery(specs, { values: opened, options: defaultEmbedOptions, preset: scenario.id });
        // Opened on a later release whose preset file changed, the explicit values still win.
        const edited = scenarios.map((s) => (s.id === scenario.id ? { ...s, params: {} } : s));
        const reopened = resolveLink(scenario.widget, query, { scenarios: edited, params: specs });
        expect(reopened.notes).toEqual([]);
        expect(reopened.preset?.id).toBe(scenario.id);
        expect(parseParams(specs, reopened.params).values).toEqual(opened);
      });

      it('is locked at its version', () => {
        const locked = (lock as Record<string, { params: Record<string, string> }>)[`${scenario.id}@${scenario.version}`];
        expect(locked, `not in src/widgets/scenarios.lock.json: run node scripts/lock-scenarios.mjs`).toBeDefined();
        expect(scenario.params, `${scenario.id} changed without raising its version`).toEqual(locked!.params);
      });
    });
  }
});
