/**
 * The embed builder's output as plain functions: the query for a state plus the instructor's options (the
 * link and <iframe> code around it come from share.ts, as for the Share panel). The builder island and the
 * tests both use these, so what the tests round-trip is what an instructor copies.
 */
import { encodeParams, type ParamSpec } from './params';
import { encodeEmbedOptions, type EmbedOptions } from './embed-options';

export interface BuilderChoice {
  /** Parsed parameter values (every key written out, so the link survives later changes of defaults). */
  values: Record<string, string>;
  options: EmbedOptions;
  /** The preset the values came from, kept in the link as a label for the picker; null if none. */
  preset: string | null;
}

export function builderQuery(specs: readonly ParamSpec[], choice: BuilderChoice): string {
  const state = encodeParams(specs, choice.values);
  const keys = specs.map((s) => s.key);
  const extra = encodeEmbedOptions(choice.options, keys);
  // The preset's name goes first after the version; the explicit values that follow are what the link opens.
  const preset = choice.preset ? `&preset=${encodeURIComponent(choice.preset)}` : '';
  const [version, ...rest] = state.split('&');
  return [`${version}${preset}`, ...rest, ...(extra ? [extra] : [])].join('&');
}

/** What the student may do with one setting, as the builder offers it. */
export type StudentAccess = 'change' | 'lock' | 'hide';

/** The embed options for a set of per-setting choices, theme and layout. */
export function optionsFrom(access: Record<string, StudentAccess>, theme: EmbedOptions['theme'], layout: EmbedOptions['layout']): EmbedOptions {
  const locked = new Set<string>();
  const hidden = new Set<string>();
  for (const [key, choice] of Object.entries(access)) {
    if (choice === 'lock') locked.add(key);
    if (choice === 'hide') hidden.add(key);
  }
  return { locked, hidden, theme, layout };
}

/** A field of the builder's form as the server can render it before the widget's rules load. */
export interface BuilderField {
  key: string;
  label: string;
  meaning: string;
  allowed: string;
  options: readonly string[] | null;
  defaultValue: string;
}

export function builderFields(specs: readonly ParamSpec[], meaning: Record<string, string>): BuilderField[] {
  const defaults: Record<string, string> = {};
  return specs.map((spec) => {
    defaults[spec.key] = spec.fallback(defaults);
    return {
      key: spec.key,
      label: spec.label,
      meaning: meaning[spec.key] ?? spec.label,
      allowed: spec.allowed,
      options: spec.options ? [...spec.options] : null,
      defaultValue: defaults[spec.key]!,
    };
  });
}
