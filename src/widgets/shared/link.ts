/**
 * From a page address to what a widget opens with: old links migrated to the current codec version, a
 * named scenario preset (`?preset=…`) expanded into its parameters with any explicit ones on top, and
 * the instructor's embed options (locked/hidden controls, theme, layout). Every widget reads its URL
 * through here, so a link made today opens the same state after later releases, or says why not.
 */
import { CODEC_VERSION, quote } from './params';
import { EMBED_KEYS, parseEmbedOptions, type EmbedOptions } from './embed-options';

/**
 * A named, versioned starting state for one widget (content/scenarios/*.yaml). Plain data, so pages can
 * pass a widget its scenarios as props.
 */
export interface ScenarioPreset {
  /** The name used in links: `?preset=ten-x-long-fifteen-percent-dip`. */
  id: string;
  widget: string;
  title: string;
  /** One or two sentences: what the reader will see. */
  summary: string;
  /** Raised whenever the parameters change, so the picker can say which version a link opens. */
  version: number;
  params: Record<string, string>;
}

/**
 * Parameter keys renamed between codec versions, per widget: version 1 → 2 gave `preset` to scenario
 * presets. Applied in order to links that carry an older `v`.
 */
const RENAMES: Record<string, Record<string, Record<string, string>>> = {
  '1': {
    'tier-ladder': { preset: 'venue' },
    'health-factor-explorer': { preset: 'protocol' },
  },
};

export interface ResolvedLink {
  /** The state parameters to parse: preset values, then the link's own on top. */
  params: URLSearchParams;
  /** Plain-text notes for the reader (migration, unknown preset, bad embed options). */
  notes: string[];
  /** The preset the link named, if it exists. */
  preset: ScenarioPreset | null;
  embed: EmbedOptions;
}

function migrate(widgetId: string, params: URLSearchParams, from: number, scenarioIds: readonly string[]): void {
  for (let version = from; version < Number(CODEC_VERSION); version++) {
    const renames = RENAMES[String(version)]?.[widgetId] ?? {};
    for (const [oldKey, newKey] of Object.entries(renames)) {
      const value = params.get(oldKey);
      // A version-1 `preset` that names one of today's scenarios is left alone only if nothing claims it.
      if (value === null || params.has(newKey) || (oldKey === 'preset' && scenarioIds.includes(value))) continue;
      params.delete(oldKey);
      params.set(newKey, value);
    }
  }
}

/** A widget's parameters as resolveLink needs them: a ParamSpec list, or the builder's fields. */
export interface LinkParam {
  key: string;
  /** The allowed values of an enumerated parameter (a version-1 `preset` is migrated only into one of them). */
  options?: readonly string[] | null | undefined;
}

export function resolveLink(
  widgetId: string,
  search: string | URLSearchParams,
  options: { scenarios?: readonly ScenarioPreset[]; params: readonly LinkParam[] },
): ResolvedLink {
  const keys = options.params.map((p) => p.key);
  const scenarios = (options.scenarios ?? []).filter((s) => s.widget === widgetId);
  const scenarioIds = scenarios.map((s) => s.id);
  const incoming = new URLSearchParams(typeof search === 'string' ? search : search.toString());
  const notes: string[] = [];

  const rawVersion = incoming.get('v');
  const version = rawVersion === null || rawVersion.trim() === '' ? null : rawVersion.trim();
  if (version !== null && /^\d{1,3}$/.test(version) && Number(version) < Number(CODEC_VERSION)) {
    migrate(widgetId, incoming, Number(version), scenarioIds);
  } else if (version === null) {
    // Hand-written links have no version; a `preset` that names no scenario but one of the renamed key's values
    // (a venue table, a protocol) is a version-1 link. Anything else is a mistyped scenario, explained as one.
    const preset = incoming.get('preset')?.trim().toLowerCase();
    const renamed = RENAMES['1']?.[widgetId]?.['preset'];
    const choices = options.params.find((p) => p.key === renamed)?.options ?? [];
    if (preset && !scenarioIds.includes(preset) && choices.some((c) => c.toLowerCase() === preset)) migrate(widgetId, incoming, 1, scenarioIds);
  } else if (version !== CODEC_VERSION) {
    notes.push(`This link was made for version ${quote(version)} of this widget's settings, which this site does not know; it was read as version ${CODEC_VERSION}, so some settings may differ.`);
  }
  incoming.set('v', CODEC_VERSION);

  let preset: ScenarioPreset | null = null;
  const presetName = incoming.get('preset');
  const params = new URLSearchParams();
  if (presetName !== null && presetName.trim() !== '') {
    preset = scenarios.find((s) => s.id === presetName.trim().toLowerCase()) ?? null;
    if (preset) {
      for (const [key, value] of Object.entries(preset.params)) params.set(key, value);
    } else {
      const known = scenarios.map((s) => s.id);
      notes.push(
        `This widget has no preset called ${quote(presetName)}; showing the other settings in the link${known.length > 0 ? ` (presets: ${known.join(', ')})` : ''}.`,
      );
    }
  }
  // The first of repeated keys wins (as URLSearchParams.get reads it); a blank value is no value, so it
  // cannot wipe out a preset's.
  const seen = new Set<string>();
  for (const [key, value] of incoming) {
    if (key === 'preset' || (EMBED_KEYS as readonly string[]).includes(key) || seen.has(key)) continue;
    seen.add(key);
    if (value !== '') params.set(key, value);
  }
  const { options: embed, notes: embedNotes } = parseEmbedOptions(incoming, keys);
  return { params, notes: [...notes, ...embedNotes], preset, embed };
}
