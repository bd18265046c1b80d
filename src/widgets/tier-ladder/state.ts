/**
 * The tier ladder's state: which venue table, the position's value at entry, leverage, side and entry
 * price. Parsed and clamped with the shared parameter specs, so links, the embed and the docs agree.
 */
import { decimalParam, encodeParams, enumParam, parseParams, type ParamSpec } from '../shared/params';
import type { LadderPreset } from './presets';

export interface LadderState {
  venue: string;
  side: 'long' | 'short';
  /** Position value at entry, in the quote currency. */
  notional: string;
  lev: string;
  entry: string;
}

export function ladderParams(presets: readonly LadderPreset[]): ParamSpec[] {
  const ids = presets.map((p) => p.id) as [string, ...string[]];
  const fallbackId = ids[0];
  const presetOf = (parsed: Record<string, string>) => presets.find((p) => p.id === parsed['venue']) ?? presets[0]!;
  const lastCap = (parsed: Record<string, string>) => presetOf(parsed).brackets.at(-1)!.cap;
  return [
    enumParam('venue', 'Venue table', ids, fallbackId),
    enumParam('side', 'Side', ['long', 'short'], 'long'),
    decimalParam('notional', 'Position value', {
      min: () => '100',
      max: lastCap,
      fallback: () => '100000',
      allowed: "100 up to the table's last cap (quote currency)",
      decimals: 0,
      unit: (p) => ` ${presetOf(p).quote}`,
    }),
    decimalParam('lev', 'Leverage', {
      min: () => '1',
      max: (p) => presetOf(p).brackets[0]!.maxLeverage,
      fallback: () => '20',
      allowed: "whole numbers from 1 to the bracket's maximum",
      decimals: 0,
      unit: () => '×',
    }),
    decimalParam('entry', 'Entry price', {
      min: () => '1',
      max: () => '10000000',
      fallback: (p) => presetOf(p).defaultEntry,
      allowed: '1 to 10,000,000',
      decimals: 2,
    }),
  ];
}

export const ladderParamMeaning: Record<string, string> = {
  venue: 'Which venue bracket table (content/venues/*.yaml)',
  side: 'Long or short',
  notional: 'Position value at entry, which picks the bracket',
  lev: "Leverage; lowered to the bracket's maximum when the position outgrows it",
  entry: 'Entry price',
};

export function readLadderState(presets: readonly LadderPreset[], search: string | URLSearchParams) {
  const { values, notes } = parseParams(ladderParams(presets), search);
  return { state: values as unknown as LadderState, notes };
}

export function writeLadderState(presets: readonly LadderPreset[], state: LadderState): string {
  return encodeParams(ladderParams(presets), state as unknown as Record<string, string>);
}
