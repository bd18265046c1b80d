/**
 * The venue ids and the few facts the arithmetic needs about each venue: which contract kind it describes,
 * which notional its maintenance margin is charged on, and whether the engine computes its prices at all.
 *
 * Why a module of its own: position.ts (which must not import venues.ts, since venues.ts imports it) needs
 * the ids to validate a position's `venue`, and the venue-aware position functions (venue-position.ts) need
 * the rules without pulling in venues.ts's citation table, which only pages that show conventions should
 * ship. venues.ts re-exports the ids; its tests check that these rules agree with its cited conventions.
 *
 * The shape of a shipped bracket table (venue-tables.generated.ts) is declared here too, for the same reason.
 */

export const VENUE_IDS = ['binance-usdm', 'binance-coinm', 'bybit-linear', 'bybit-inverse', 'bitmex', 'dydx'] as const;
export type VenueId = (typeof VENUE_IDS)[number];

export type MaintenanceBasis = 'mark' | 'entry' | 'oracle';

export interface VenueRule {
  readonly contract: 'linear' | 'inverse';
  /** Where the maintenance margin is charged: see venues.ts's header. */
  readonly basis: MaintenanceBasis;
  /**
   * False where no liquidation-price formula was published (BitMEX): the engine refuses to compute that
   * venue's maintenance margin and prices rather than guess.
   */
  readonly computable: boolean;
}

export const VENUE_RULES: Readonly<Record<VenueId, VenueRule>> = {
  'binance-usdm': { contract: 'linear', basis: 'mark', computable: true },
  'binance-coinm': { contract: 'inverse', basis: 'mark', computable: true },
  'bybit-linear': { contract: 'linear', basis: 'entry', computable: true },
  'bybit-inverse': { contract: 'inverse', basis: 'entry', computable: true },
  bitmex: { contract: 'inverse', basis: 'entry', computable: false },
  dydx: { contract: 'linear', basis: 'oracle', computable: true },
};

/** Where the refusal for BitMEX points the reader (the same page venues.ts cites). */
export const BITMEX_REFUSAL =
  'BitMEX publishes no maintenance-margin basis or liquidation-price formula that could be verified (https://www.bitmex.com/app/liquidation; only a support agent\'s formula was found); the engine computes none for it';

/** One bracket of a shipped preset, as written in its YAML file: decimal strings. */
export interface PresetBracket {
  readonly floor: string;
  readonly cap: string;
  readonly maintenanceMarginRate: string;
  readonly maintenanceAmount: string;
  readonly maxLeverage: string;
}

/** A shipped venue preset (content/venues/<id>.yaml) as the engine carries it. */
export interface VenuePresetData {
  /** The file name without .yaml, e.g. 'binance-usdm-btcusdt-2025-08-19'. */
  readonly id: string;
  readonly venueId: VenueId;
  /** The venue's name as the preset writes it, e.g. 'Binance'. */
  readonly venue: string;
  readonly symbol: string;
  readonly contract: 'linear' | 'inverse';
  readonly marginCurrency: string;
  /** Inverse: quote units per contract. Null when the preset gives none (linear, 1). */
  readonly contractSize: string | null;
  /** When the table took effect (YYYY-MM-DD), or null when the source gives no date. */
  readonly effective: string | null;
  /** When the numbers were read from the source (YYYY-MM-DD). */
  readonly read: string;
  readonly source: string;
  readonly brackets: readonly PresetBracket[];
}
