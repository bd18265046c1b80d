/**
 * URL parameters for widget state: parsed with zod, clamped to what the widget can show, and every
 * correction explained in words the reader sees. One spec list per widget serves the lesson page, the
 * /embed/ route, the Share link and the parameter table in the docs, so they cannot drift apart.
 *
 * Values stay strings of decimal digits end to end (URL → state → engine), so no float ever rounds a
 * price. Nothing parsed here is ever rendered as HTML: notes are plain text and widgets print them with
 * text interpolation.
 */
// zod/mini: the same parser in a tree-shakable form, a few KB in the reader's bundle instead of tens.
import * as z from 'zod/mini';
import { Decimal } from '../../engine';

/**
 * The codec version written into every link, so a later release can migrate or explain old links.
 * Version 2 (issue 7) freed the key `preset` for scenario presets: the tier ladder's venue table moved to
 * `venue` and the health factor explorer's protocol to `protocol`; link.ts migrates version-1 links.
 */
export const CODEC_VERSION = '2';
/** Versions this code reads without a note (older ones are migrated by link.ts before they get here). */
const KNOWN_VERSIONS = ['1', '2'];

type Values = Record<string, string>;

export interface ParamSpec {
  key: string;
  /** What the parameter is to the reader, used in notes and docs. */
  label: string;
  /** Allowed values, in words, for the docs table. */
  allowed: string;
  /** The default, possibly depending on parameters parsed before it (specs are parsed in order). */
  fallback: (parsed: Values) => string;
  /** Returns the value to use and, when the raw text was changed or refused, a note saying so. */
  read: (raw: string, parsed: Values) => { value: string; note?: string };
  /** For forms built from the spec (the embed builder): the choices of an enumerated parameter… */
  options?: readonly string[];
  /** …or the bounds and precision of a number, which may depend on parameters parsed before it. */
  range?: { min: (parsed: Values) => string; max: (parsed: Values) => string; decimals: number };
}

const decimalText = z
  .string()
  .check(z.trim(), z.maxLength(40, 'is too long'), z.regex(/^[+-]?(\d+\.?\d*|\.\d+)$/, 'is not a number'));

/** Shortens hostile or long input before quoting it back to the reader. */
export function quote(raw: string): string {
  const printable = raw.replace(/[\u0000-\u001f\u007f]/g, '');
  return JSON.stringify(printable.length > 24 ? `${printable.slice(0, 24)}…` : printable);
}

export function enumParam<T extends string>(
  key: string,
  label: string,
  options: readonly [T, ...T[]],
  fallback: T,
): ParamSpec {
  const schema = z.enum(options);
  return {
    key,
    label,
    allowed: options.join(' or '),
    options,
    fallback: () => fallback,
    read: (raw) => {
      const result = schema.safeParse(raw.trim().toLowerCase());
      if (result.success) return { value: result.data };
      return { value: fallback, note: `${label} ${quote(raw)} is not one of ${options.join(', ')}; using ${fallback}.` };
    },
  };
}

export interface DecimalParamOptions {
  min: (parsed: Values) => string;
  max: (parsed: Values) => string;
  fallback: (parsed: Values) => string;
  /** Words for the docs table, e.g. "1 to 125". */
  allowed: string;
  /** Digits kept after the point; more are rounded away (a URL cannot ask for sub-tick precision). */
  decimals: number;
  /** Written straight after a number: include a leading space where the unit wants one (' USDT', '×'). */
  unit?: (parsed: Values) => string;
}

export function decimalParam(key: string, label: string, options: DecimalParamOptions): ParamSpec {
  return {
    key,
    label,
    allowed: options.allowed,
    range: { min: options.min, max: options.max, decimals: options.decimals },
    fallback: options.fallback,
    read: (raw, parsed) => {
      const fallback = options.fallback(parsed);
      const unit = options.unit ? options.unit(parsed) : '';
      const result = decimalText.safeParse(raw);
      if (!result.success) {
        const why = result.error.issues[0]?.message ?? 'is not a number';
        return { value: fallback, note: `${label} ${quote(raw)} ${why}; using ${fallback}${unit}.` };
      }
      const value = new Decimal(result.data).toDecimalPlaces(options.decimals);
      const min = new Decimal(options.min(parsed));
      const max = new Decimal(options.max(parsed));
      if (value.lt(min)) {
        return { value: min.toString(), note: `${label} ${value.toString()} is below the minimum ${min.toString()}${unit}; using ${min.toString()}.` };
      }
      if (value.gt(max)) {
        return { value: max.toString(), note: `${label} ${value.toString()} is above the maximum ${max.toString()}${unit}; using ${max.toString()}.` };
      }
      return { value: value.toString() };
    },
  };
}

export interface ParsedParams {
  values: Values;
  notes: string[];
}

/** Reads a query string against a widget's specs. Unknown keys are ignored; missing keys take defaults. */
export function parseParams(specs: readonly ParamSpec[], search: string | URLSearchParams): ParsedParams {
  const params = typeof search === 'string' ? new URLSearchParams(search) : search;
  const values: Values = {};
  const notes: string[] = [];
  const version = params.get('v');
  // A blank version is no version, as a blank value is no value for every other key below.
  if (version !== null && version !== '' && !KNOWN_VERSIONS.includes(version)) {
    notes.push(`This link was made for version ${quote(version)} of this widget's settings; it was read as version ${CODEC_VERSION}.`);
  }
  for (const spec of specs) {
    const raw = params.get(spec.key);
    if (raw === null || raw === '') {
      values[spec.key] = spec.fallback(values);
      continue;
    }
    const { value, note } = spec.read(raw, values);
    values[spec.key] = value;
    if (note) notes.push(note);
  }
  return { values, notes };
}

/** The query string for a state: every parameter written out, so a link means the same after defaults change. */
export function encodeParams(specs: readonly ParamSpec[], values: Values, omit: readonly string[] = []): string {
  const params = new URLSearchParams();
  params.set('v', CODEC_VERSION);
  for (const spec of specs) {
    if (omit.includes(spec.key)) continue;
    const value = values[spec.key];
    if (value !== undefined) params.set(spec.key, value);
  }
  return params.toString();
}
