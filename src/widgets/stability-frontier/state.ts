/**
 * The stability frontier's state: the fixed shock and the population behind the lines (shock size, number of
 * positions, seed, whether the venue auto-deleverages), what the y axis shows, and the reader's venue (maximum
 * leverage, depth). Parsed and clamped with the shared parameter specs, so a lesson's `initial`, a Share link,
 * an /embed/ URL and the docs table agree.
 *
 * The maximum leverage moves along the grid the lines are computed on, so the reader's point always sits on a
 * computed value; a link with another leverage is moved to the nearest grid value, with a note.
 */
import { decimalParam, encodeParams, enumParam, parseParams, type ParamSpec } from '../shared/params';

/** Maximum leverage the lines are computed at: closer together where the cascades change fastest. */
export const LEVERAGE_GRID = [2, 3, 5, 7, 10, 15, 20, 25, 30, 40, 50, 75, 100, 125] as const;
export const DEPTH_IDS = ['thin', 'medium', 'deep'] as const;
export type DepthId = (typeof DEPTH_IDS)[number];
export const METRICS = ['move', 'amp', 'adl', 'bad'] as const;
export type Metric = (typeof METRICS)[number];

export interface FrontierState {
  /** The shock: the mark falls this many percent from 60,000. */
  shock: string;
  /** Number of positions in each population. */
  n: string;
  seed: string;
  /** Whether the venue auto-deleverages when the insurance fund runs dry. */
  adl: 'on' | 'off';
  /** What the y axis shows. */
  y: Metric;
  /** The reader's venue: maximum leverage allowed (a grid value). */
  lev: string;
  depth: DepthId;
}

export const MAX_POSITIONS = 5000;
export const MAX_SEED = 999_999;
export const MIN_SHOCK = 0.5;
export const MAX_SHOCK = 20;

/** The grid value nearest a leverage, measured in ratio (log), as the chart's axis is. */
export function nearestGridLeverage(value: number): number {
  let best: number = LEVERAGE_GRID[0];
  for (const L of LEVERAGE_GRID) if (Math.abs(Math.log(L / value)) < Math.abs(Math.log(best / value))) best = L;
  return best;
}

const leverageRange = decimalParam('lev', 'Maximum leverage', {
  min: () => String(LEVERAGE_GRID[0]),
  max: () => String(LEVERAGE_GRID[LEVERAGE_GRID.length - 1]),
  fallback: () => '20',
  allowed: `one of ${LEVERAGE_GRID.join(', ')} (other values move to the nearest)`,
  decimals: 2,
  unit: () => '×',
});

const leverageParam: ParamSpec = {
  ...leverageRange,
  read: (raw, parsed) => {
    const ranged = leverageRange.read(raw, parsed);
    const snapped = String(nearestGridLeverage(Number(ranged.value)));
    if (snapped === ranged.value) return ranged;
    const note = `Maximum leverage ${ranged.value}× is not one of the values the lines are computed at; using ${snapped}×.`;
    return { value: snapped, note: ranged.note ? `${ranged.note} ${note}` : note };
  },
};

export const frontierParams: readonly ParamSpec[] = [
  decimalParam('shock', 'Shock', {
    min: () => String(MIN_SHOCK),
    max: () => String(MAX_SHOCK),
    fallback: () => '3',
    allowed: `${MIN_SHOCK} to ${MAX_SHOCK} (percent fall of the mark, one decimal)`,
    decimals: 1,
    unit: () => ' %',
  }),
  decimalParam('n', 'Positions', {
    min: () => '0',
    max: () => String(MAX_POSITIONS),
    fallback: () => '3000',
    allowed: `whole numbers 0 to ${MAX_POSITIONS.toLocaleString('en-US')} (0 makes no market)`,
    decimals: 0,
  }),
  decimalParam('seed', 'Seed', {
    min: () => '1',
    max: () => String(MAX_SEED),
    fallback: () => '1',
    allowed: `whole numbers 1 to ${MAX_SEED.toLocaleString('en-US')}`,
    decimals: 0,
  }),
  enumParam('adl', 'Auto-deleveraging', ['on', 'off'], 'on'),
  enumParam('y', 'Shown', METRICS, 'move'),
  leverageParam,
  enumParam('depth', 'Depth', DEPTH_IDS, 'medium'),
];

export const frontierParamMeaning: Record<string, string> = {
  shock: 'The fixed shock: the mark falls this many percent from 60,000 before any liquidation',
  n: 'Positions in each seeded population (the same traders at every maximum leverage)',
  seed: 'Seed of the population; the same seed and settings always give the same lines',
  adl: 'on: bankrupt positions the insurance fund cannot cover are closed against the most profitable shorts; off: their losses stay as bad debt',
  y: 'What the y axis shows: move (total fall, percent), amp (total fall ÷ shock), adl (notional closed by auto-deleveraging) or bad (bad debt)',
  lev: "The reader's venue: the maximum leverage it allows; traders who want more are capped at it",
  depth: "The reader's venue: thin, medium or deep book (1 %, 3 % or 10 % of open interest within 1 % of the price)",
};

export function defaultFrontierState(overrides: Partial<FrontierState> = {}): FrontierState {
  const { values } = parseParams(frontierParams, new URLSearchParams(overrides as Record<string, string>));
  return values as unknown as FrontierState;
}

export function readFrontierState(search: string | URLSearchParams): { state: FrontierState; notes: string[] } {
  const { values, notes } = parseParams(frontierParams, search);
  return { state: values as unknown as FrontierState, notes };
}

export function writeFrontierState(state: FrontierState): string {
  return encodeParams(frontierParams, state as unknown as Record<string, string>);
}
