/**
 * The liquidation map's state: the price the reader drags to, the book (depth and shape) and the population
 * (size, leverage mix, long share, seed). Parsed and clamped with the shared parameter specs, so a lesson's
 * `initial`, a Share link, an /embed/ URL and the docs table agree. Values stay decimal strings until the
 * model reads them.
 *
 * Zero positions and zero depth are allowed on purpose: they make no market, and the widget shows the
 * engine's reason instead of a figure.
 */
import { decimalParam, encodeParams, enumParam, parseParams, type ParamSpec } from '../shared/params';
import { MIX_IDS, type BookShape, type MixId } from './market';

export interface MapState {
  /** The price the reader dragged the line to, USDT. */
  p: string;
  /** USDT of bids (and asks) within 1 % of 60,000. */
  depth: string;
  book: BookShape;
  mix: MixId;
  /** Share of positions that are long, percent. */
  long: string;
  /** Number of positions. */
  n: string;
  seed: string;
}

/** The map's window: 30 % either side of 60,000, in bands of 1 % (600 USDT). */
export const MAP_FROM = 42000;
export const MAP_TO = 78000;
export const MAP_STEP = 600;
/** The price slider's step. */
export const PRICE_STEP = 100;
export const MAX_DEPTH = 5_000_000;
export const MAX_POSITIONS = 10_000;
export const MAX_SEED = 999_999;

export const mapParams: readonly ParamSpec[] = [
  decimalParam('p', 'Price', {
    min: () => String(MAP_FROM),
    max: () => String(MAP_TO),
    fallback: () => '58000',
    allowed: `${MAP_FROM.toLocaleString('en-US')} to ${MAP_TO.toLocaleString('en-US')} (USDT, whole numbers)`,
    decimals: 0,
    unit: () => ' USDT',
  }),
  decimalParam('depth', 'Depth', {
    min: () => '0',
    max: () => String(MAX_DEPTH),
    fallback: () => '400000',
    allowed: `0 to ${MAX_DEPTH.toLocaleString('en-US')} (USDT within 1 % of the price; 0 makes no market)`,
    decimals: 0,
    unit: () => ' USDT',
  }),
  enumParam('book', 'Book shape', ['flat', 'sqrt'], 'flat'),
  enumParam('mix', 'Leverage mix', MIX_IDS, 'mixed'),
  decimalParam('long', 'Long share', {
    min: () => '0',
    max: () => '100',
    fallback: () => '50',
    allowed: 'whole numbers 0 to 100 (percent of positions)',
    decimals: 0,
    unit: () => ' %',
  }),
  decimalParam('n', 'Positions', {
    min: () => '0',
    max: () => String(MAX_POSITIONS),
    fallback: () => '5000',
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
];

export const mapParamMeaning: Record<string, string> = {
  p: 'The price the reader dragged the line to; the cascade starts with the mark moved there from 60,000',
  depth: 'USDT of bids (and of asks) within 1 % of the price',
  book: 'flat (the same depth on every tick: linear impact) or sqrt (depth grows with distance: square-root impact)',
  mix: 'Leverage the traders open with: low (2–10×), mixed (2–100×) or high (10–100×)',
  long: 'Share of positions that are long, percent',
  n: 'Number of positions in the seeded population',
  seed: 'Seed of the population; the same seed and settings always give the same traders',
};

export function defaultMapState(overrides: Partial<MapState> = {}): MapState {
  const { values } = parseParams(mapParams, new URLSearchParams(overrides as Record<string, string>));
  return values as unknown as MapState;
}

export function readMapState(search: string | URLSearchParams): { state: MapState; notes: string[] } {
  const { values, notes } = parseParams(mapParams, search);
  return { state: values as unknown as MapState, notes };
}

export function writeMapState(state: MapState): string {
  return encodeParams(mapParams, state as unknown as Record<string, string>);
}
