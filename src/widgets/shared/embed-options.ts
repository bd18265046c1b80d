/**
 * What an instructor chooses around a widget's state: which controls the student may not change (locked)
 * or not see (hidden), the colour theme and the layout. Read from the same query string as the state,
 * parsed with zod and explained in plain words like every other parameter; keys are checked against the
 * widget's own parameter list, so nothing from the URL ever becomes a selector or markup.
 */
import * as z from 'zod/mini';
import { quote } from './params';

export const THEMES = ['auto', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];
/**
 * full: everything. compact: the controls and the main figure, without secondary panels (tables, extra
 * charts, long explanations). figure: the main figure and its text equivalent only (gallery cards).
 */
export const LAYOUTS = ['full', 'compact', 'figure'] as const;
export type Layout = (typeof LAYOUTS)[number];

export interface EmbedOptions {
  locked: ReadonlySet<string>;
  hidden: ReadonlySet<string>;
  theme: Theme;
  layout: Layout;
}

export const defaultEmbedOptions: EmbedOptions = { locked: new Set(), hidden: new Set(), theme: 'auto', layout: 'full' };

/** The query keys this module owns; widgets' parameter lists must not use them. */
export const EMBED_KEYS = ['lock', 'hide', 'theme', 'layout'] as const;

const keyList = z.string().check(z.maxLength(400, 'is too long'));

function readKeys(raw: string | null, what: string, keys: readonly string[], notes: string[]): Set<string> {
  const out = new Set<string>();
  if (raw === null || raw.trim() === '') return out;
  const checked = keyList.safeParse(raw);
  if (!checked.success) {
    notes.push(`The list of ${what} controls ${quote(raw)} is too long; no controls are ${what}.`);
    return out;
  }
  const unknown: string[] = [];
  for (const part of raw.split(',')) {
    const key = part.trim();
    if (key === '') continue;
    if (key.toLowerCase() === 'all') {
      for (const k of keys) out.add(k);
    } else if (keys.includes(key)) {
      out.add(key);
    } else {
      unknown.push(key);
    }
  }
  if (unknown.length > 0) {
    const list = unknown.slice(0, 3).map(quote).join(', ') + (unknown.length > 3 ? ` and ${unknown.length - 3} more` : '');
    notes.push(`This widget has no setting called ${list} to keep ${what}; ignored.`);
  }
  return out;
}

/** Reads lock, hide, theme and layout. `keys` are the widget's parameter keys, in order. */
export function parseEmbedOptions(search: string | URLSearchParams, keys: readonly string[]): { options: EmbedOptions; notes: string[] } {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const notes: string[] = [];
  const locked = readKeys(params.get('lock'), 'locked', keys, notes);
  const hidden = readKeys(params.get('hide'), 'hidden', keys, notes);
  // A hidden control is also fixed: hiding is the stronger of the two.
  for (const key of hidden) locked.delete(key);
  const theme = pick(params.get('theme'), THEMES, 'auto', 'Theme', notes);
  const layout = pick(params.get('layout'), LAYOUTS, 'full', 'Layout', notes);
  return { options: { locked, hidden, theme, layout }, notes };
}

function pick<T extends string>(raw: string | null, choices: readonly T[], fallback: T, label: string, notes: string[]): T {
  if (raw === null || raw.trim() === '') return fallback;
  const value = raw.trim().toLowerCase();
  if ((choices as readonly string[]).includes(value)) return value as T;
  notes.push(`${label} ${quote(raw)} is not one of ${choices.join(', ')}; using ${fallback}.`);
  return fallback;
}

/** The query text for the options, in the widget's key order; defaults are left out. */
export function encodeEmbedOptions(options: EmbedOptions, keys: readonly string[]): string {
  const params = new URLSearchParams();
  const list = (set: ReadonlySet<string>) => (keys.length > 0 && keys.every((k) => set.has(k)) ? 'all' : keys.filter((k) => set.has(k)).join(','));
  if (options.locked.size > 0) params.set('lock', list(options.locked));
  if (options.hidden.size > 0) params.set('hide', list(options.hidden));
  if (options.theme !== 'auto') params.set('theme', options.theme);
  if (options.layout !== 'full') params.set('layout', options.layout);
  return params.toString();
}

/**
 * What a widget's markup asks: may the reader change this setting, should it be shown at all?
 * `disabled={access.locked('lev')}` on the control, `{#if access.shown('lev')}` around it.
 */
export interface ControlAccess {
  locked(key: string): boolean;
  shown(key: string): boolean;
  /** True when any control is locked or hidden (the widget then hides its scenario picker). */
  readonly restricted: boolean;
}

export function controlAccess(options: EmbedOptions = defaultEmbedOptions): ControlAccess {
  return {
    locked: (key) => options.locked.has(key) || options.hidden.has(key),
    shown: (key) => !options.hidden.has(key),
    restricted: options.locked.size > 0 || options.hidden.size > 0,
  };
}

/** The sentence a widget shows above its controls when some are locked or hidden: labels only, no values. */
export function accessSentence(options: EmbedOptions, labels: readonly { key: string; label: string }[]): string {
  const locked = labels.filter((l) => options.locked.has(l.key)).map((l) => inSentence(l.label));
  const hidden = labels.filter((l) => options.hidden.has(l.key)).map((l) => inSentence(l.label));
  if (locked.length === labels.length && labels.length > 0) return 'For this activity every setting is fixed.';
  if (hidden.length === labels.length && labels.length > 0) return 'For this activity every setting is set and hidden.';
  const parts: string[] = [];
  if (locked.length > 0) parts.push(`${sentenceList(locked)} ${locked.length === 1 ? 'is' : 'are'} fixed`);
  if (hidden.length > 0) parts.push(`${sentenceList(hidden)} ${hidden.length === 1 ? 'is' : 'are'} set and hidden`);
  if (parts.length === 0) return '';
  const all = locked.length + hidden.length === labels.length;
  return `For this activity ${parts.join('; ')}.${all ? '' : ' The other settings are yours to change.'}`;
}

/** A label inside a sentence: "Side" → "side", but "BTC side" and "LTV" keep their capitals. */
function inSentence(label: string): string {
  return /^[A-Z][a-z]/.test(label) ? label[0]!.toLowerCase() + label.slice(1) : label;
}

function sentenceList(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? '';
  if (items.length > 6) return `${items.slice(0, 5).join(', ')} and ${items.length - 5} more settings`;
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}
