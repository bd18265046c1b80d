/**
 * The engine's public position functions, venue-aware: a position may carry `venue` (a venue id of
 * venue-rules.ts) and the functions then use that venue's formulas; without one they are Binance's, and give
 * exactly what position.ts gives (position.ts is the Binance core these call into; it cannot do the venue
 * dispatch itself, since brackets.ts and venues.ts, which the dispatch needs, import it).
 *
 * What a venue changes, for an isolated position (fees excluded, as in every formula cited in venues.ts):
 *
 *   venue                          maintenance margin at a mark         liquidation price
 *   none, binance-usdm/-coinm      notional at the mark × rate − amount  position.ts (equity = MM at the price)
 *   bybit-linear, bybit-inverse    position value at entry × rate − deduction, the same at every mark:
 *                                  LP = EP ∓ (margin − MM)/Q (linear), Q / (Q/EP ± (margin − MM)) (inverse)
 *   dydx                           as Binance with no amount; the mark is read as dYdX's oracle price
 *   bitmex                         refused: no formula was published (venues.ts)
 *
 * The bankruptcy price, where equity is zero, is the same arithmetic on every venue once fees are left out
 * (Bybit's BP = EP·(1 ∓ IMR) is it for a margin of IM), so `bankruptcyPrice` only validates the venue. The
 * margin ratio is maintenance margin ÷ equity everywhere, liquidation at 1 (100 %): the convention Binance and
 * Bybit show. On Bybit its maintenance margin is the entry-basis one, so the ratio moves only with equity; dYdX
 * shows no ratio but states the same rule (liquidatable when equity falls below the maintenance requirement).
 *
 * Bracket lookup. When a position names `venue` and `symbol` (or a shipped `preset` id) and leaves out
 * maintenanceMarginRate and maintenanceAmount, they come from that venue's shipped table (content/venues/*.yaml,
 * compiled into venue-tables.generated.ts), used the venue's way:
 *   Binance  the bracket that contains the notional at the liquidation price (liquidationPriceWithBrackets,
 *            the COIN-M FAQ's iteration); the maintenance margin at a mark is the tiered one at that mark;
 *   Bybit    the tier that contains the position value at entry.
 * With several tables for one venue and symbol the newest (by effective date, else read date) is used; `preset`
 * picks another. An explicit maintenanceMarginRate (with or without maintenanceAmount) takes precedence, so a
 * published example can be reproduced with its own numbers. A looked-up position records the table in
 * `maintenanceFrom`; copies of it ({ ...position, margin }) look the rate up again, since for Binance the
 * bracket at the liquidation price moves with the margin. When a position opens with a looked-up table, its
 * leverage may not exceed the maximum of the bracket (tier) its notional at entry falls in, as on the venues.
 */
import { Decimal, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, oneOf, positive } from './parse.ts';
import {
  bankruptcyPrice as coreBankruptcyPrice,
  buildPosition,
  liquidationPrice as coreLiquidationPrice,
  lossAt,
  maintenanceAt,
  metricsWith,
  notionalAt,
  openingInput,
  validatedPosition,
  type LiquidationLoss,
  type Position,
  type PositionMetrics,
  type VenueOpenPositionInput,
  type VenuePositionInput,
} from './position.ts';
import { liquidationPriceWithBrackets, maintenanceBracket, validateBrackets, type Bracket, type BracketTable } from './brackets.ts';
import { entryBasisLiquidationPrice } from './venues.ts';
import { BITMEX_REFUSAL, VENUE_IDS, VENUE_RULES, type VenueId, type VenuePresetData } from './venue-rules.ts';
import { VENUE_PRESET_TABLES } from './venue-tables.generated.ts';

// ---------------------------------------------------------------------------------------------------------
// Shipped presets
// ---------------------------------------------------------------------------------------------------------

/** A shipped preset with its brackets validated into the engine's table. */
export interface ShippedVenuePreset extends VenuePresetData {
  readonly table: BracketTable;
}

const tables = new Map<string, ShippedVenuePreset>();

function shipped(data: VenuePresetData): ShippedVenuePreset {
  const known = tables.get(data.id);
  if (known) return known;
  const preset = Object.freeze({ ...data, table: validateBrackets(data.brackets) });
  tables.set(data.id, preset);
  return preset;
}

/** When a table applies from: its effective date, else the date it was read. */
const datedBy = (p: VenuePresetData): string => p.effective ?? p.read;

/** Newest first; ties (same date) by id, so the order never depends on the file listing. */
function newestFirst(a: VenuePresetData, b: VenuePresetData): number {
  const byDate = datedBy(b).localeCompare(datedBy(a));
  return byDate !== 0 ? byDate : b.id.localeCompare(a.id);
}

/** "binance-usdm: BTCUSDT, ETHUSDT; bybit-linear: BTCUSDT": what ships, for error messages. */
function shippedSummary(): string {
  const byVenue = new Map<string, Set<string>>();
  for (const p of VENUE_PRESET_TABLES) {
    const symbols = byVenue.get(p.venueId) ?? new Set<string>();
    symbols.add(p.symbol);
    byVenue.set(p.venueId, symbols);
  }
  return [...byVenue.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([venue, symbols]) => `${venue}: ${[...symbols].sort().join(', ')}`)
    .join('; ');
}

/**
 * The shipped presets (content/venues/*.yaml), optionally only those of one venue and symbol, newest first.
 * Each carries its source URL and dates; its brackets are validated on first use.
 */
export function listVenuePresets(filter: { venue?: string; symbol?: string } = {}): readonly VenuePresetData[] {
  return VENUE_PRESET_TABLES.filter(
    (p) => (filter.venue === undefined || p.venueId === filter.venue) && (filter.symbol === undefined || p.symbol === filter.symbol),
  ).sort(newestFirst);
}

/**
 * A shipped preset with its validated bracket table: by `preset` id, or the newest one for `venue` and
 * `symbol`. Throws an EngineInputError naming the field (preset, venue or symbol) and listing what ships.
 */
export function venuePreset(query: { venue?: string | null; symbol?: string | null; preset?: string | null }): ShippedVenuePreset {
  if (query === null || typeof query !== 'object') throw new EngineInputError('preset', 'give { venue, symbol } or { preset }');
  if (query.preset !== undefined && query.preset !== null) {
    const found = VENUE_PRESET_TABLES.find((p) => p.id === query.preset);
    if (!found) {
      throw new EngineInputError(
        'preset',
        `no shipped preset ${JSON.stringify(query.preset)}; shipped: ${VENUE_PRESET_TABLES.map((p) => p.id).sort().join(', ')}`,
      );
    }
    if (query.venue !== undefined && query.venue !== null && query.venue !== found.venueId) {
      throw new EngineInputError('preset', `${found.id} is a ${found.venueId} table, but the venue is ${JSON.stringify(query.venue)}`);
    }
    if (query.symbol !== undefined && query.symbol !== null && query.symbol !== found.symbol) {
      throw new EngineInputError('preset', `${found.id} is the ${found.symbol} table, but the symbol is ${JSON.stringify(query.symbol)}`);
    }
    return shipped(found);
  }
  const venue = oneOf('venue', query.venue, VENUE_IDS);
  if (typeof query.symbol !== 'string' || query.symbol.trim() === '') {
    throw new EngineInputError('symbol', `is required to look up a ${venue} table (shipped: ${shippedSummary()})`);
  }
  const symbol = query.symbol.trim();
  const candidates = listVenuePresets({ venue, symbol });
  const newest = candidates[0];
  if (newest === undefined) {
    const forVenue = listVenuePresets({ venue });
    const what =
      forVenue.length === 0
        ? `no bracket table ships for ${venue}`
        : `no ${venue} table ships for ${JSON.stringify(symbol)}; ${venue} has ${[...new Set(forVenue.map((p) => p.symbol))].sort().join(', ')}`;
    throw new EngineInputError('symbol', `${what} (shipped: ${shippedSummary()}); give maintenanceMarginRate instead`);
  }
  return shipped(newest);
}

// ---------------------------------------------------------------------------------------------------------
// Normalising a position with its venue
// ---------------------------------------------------------------------------------------------------------

/** The input without the fields this module resolves: rate and amount, preset, maintenanceFrom. */
function withoutLookupFields(input: VenuePositionInput): VenuePositionInput {
  const { maintenanceMarginRate: _r, maintenanceAmount: _a, preset: _p, maintenanceFrom: _f, ...rest } = input;
  return rest;
}

/** The venue and the preset (if any) whose table supplies the rate and amount. */
function source(input: VenuePositionInput): { venue: VenueId | null; preset: ShippedVenuePreset | null; symbol?: string } {
  const venue = input.venue === undefined || input.venue === null ? null : oneOf('venue', input.venue, VENUE_IDS);
  const symbol = typeof input.symbol === 'string' ? input.symbol.trim() : input.symbol;
  if (input.maintenanceFrom !== undefined && input.maintenanceFrom !== null) {
    // A copy of a looked-up position: look up again in the same table (its rate is the engine's, not the caller's).
    const preset = within('maintenanceFrom', () => venuePreset({ preset: input.maintenanceFrom ?? null, venue, symbol: symbol ?? null }));
    return { venue: preset.venueId, preset };
  }
  const explicit = input.maintenanceMarginRate !== undefined;
  if (input.preset !== undefined && input.preset !== null) {
    const preset = venuePreset({ preset: input.preset, venue, symbol: symbol ?? null });
    return { venue: preset.venueId, preset: explicit ? null : preset, symbol: preset.symbol };
  }
  if (explicit) return { venue, preset: null };
  if (input.maintenanceAmount !== undefined) {
    throw new EngineInputError(
      'maintenanceAmount',
      'was given without maintenanceMarginRate: give both, or leave both out to look them up in the venue\'s table',
    );
  }
  if (venue === null) {
    throw new EngineInputError('maintenanceMarginRate', 'is required (or give venue and symbol to look it up in a shipped table)');
  }
  if (symbol === undefined || symbol === null) {
    throw new EngineInputError(
      'maintenanceMarginRate',
      `is required, or give symbol to look it up in a shipped ${venue} table (shipped: ${shippedSummary()})`,
    );
  }
  return { venue, preset: venuePreset({ venue, symbol }) };
}

/** Runs `fn`, renaming the field of an EngineInputError it throws. */
function within<T>(field: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof EngineInputError) throw new EngineInputError(field, error.rule);
    throw error;
  }
}

/** The bracket that contains `notional`, the last one extended past its cap (as liquidationPriceWithBrackets does). */
function bracketOrLast(table: BracketTable, notional: Decimal): Bracket {
  const last = table[table.length - 1] as Bracket;
  return notional.gt(last.cap) ? last : maintenanceBracket(table, notional);
}

function fromPreset(input: VenuePositionInput, venue: VenueId, preset: ShippedVenuePreset): Position {
  if (input.contractSize !== undefined && preset.contractSize !== null) {
    const given = positive('contractSize', input.contractSize);
    if (!given.eq(preset.contractSize)) {
      throw new EngineInputError('contractSize', `${given.toString()} differs from the ${preset.contractSize} of ${preset.id}`);
    }
  }
  const base: VenuePositionInput = {
    ...withoutLookupFields(input),
    ...(preset.contractSize === null ? {} : { contractSize: preset.contractSize }),
    venue,
    symbol: preset.symbol,
  };
  // Every field read and checked, before any table arithmetic (held: the opening rules need the rate).
  const probe = buildPosition({ ...base, maintenanceMarginRate: 0, stage: 'held' }, null);
  const entryNotional = notionalAt(probe, probe.entryPrice);
  const table = preset.table;
  const last = table[table.length - 1] as Bracket;
  if (entryNotional.gt(last.cap)) {
    throw new EngineInputError(
      'quantity',
      `the position's value at entry, ${entryNotional.toString()} ${preset.marginCurrency}, is beyond the last tier of ${preset.id} (cap ${last.cap.toString()})`,
    );
  }
  const entryBracket = maintenanceBracket(table, entryNotional);
  if (input.stage !== 'held' && probe.leverage !== null && entryBracket.maxLeverage !== null && probe.leverage.gt(entryBracket.maxLeverage)) {
    throw new EngineInputError(
      'leverage',
      `${probe.leverage.toString()}× is above the ${entryBracket.maxLeverage.toString()}× that ${preset.id} allows for a position of ${entryNotional.toString()} ${preset.marginCurrency} (tier ${entryBracket.index + 1})`,
    );
  }
  const bracket = VENUE_RULES[venue].basis === 'entry' ? entryBracket : liquidationPriceWithBrackets(base, table).bracket;
  return buildPosition(
    { ...base, maintenanceMarginRate: bracket.maintenanceMarginRate, maintenanceAmount: bracket.maintenanceAmount },
    preset.id,
  );
}

/**
 * Validates and normalises a position with its venue's rules; throws EngineInputError naming the first field
 * at fault. Without `venue`, Binance's rules with the rate and amount as given (position.ts). With `venue` and
 * `symbol` (or `preset`) and no rate, the rate and amount are looked up in the shipped table (header).
 * BitMEX is refused: the engine computes nothing it could not verify.
 */
export function normalizePosition(given: VenuePositionInput | Position): Position {
  const known = validatedPosition(given);
  if (known) return known;
  if (given === null || typeof given !== 'object') throw new EngineInputError('position', 'must be an object');
  const input: VenuePositionInput = given;
  // No venue, no preset: position.ts's validation itself, so that even the order of its errors is unchanged.
  const none = (value: unknown) => value === undefined || value === null;
  if (none(input.venue) && none(input.preset) && none(input.maintenanceFrom)) return buildPosition(input, null);
  const { venue, preset, symbol } = source(input);
  if (venue !== null) {
    const rule = VENUE_RULES[venue];
    if (!rule.computable) throw new EngineInputError('venue', BITMEX_REFUSAL);
    if (input.contract !== rule.contract) {
      throw new EngineInputError('contract', `${venue} positions are ${rule.contract}, got ${JSON.stringify(input.contract)}`);
    }
    if (venue === 'dydx' && input.maintenanceAmount !== undefined && !nonNegative('maintenanceAmount', input.maintenanceAmount).isZero()) {
      throw new EngineInputError('maintenanceAmount', 'dYdX has no maintenance amount; leave it out or set it to 0');
    }
  }
  if (preset === null || venue === null) return buildPosition({ ...input, venue, ...(symbol === undefined ? {} : { symbol }) }, null);
  return fromPreset(input, venue, preset);
}

/**
 * Opens a position the way a trading screen does (position.ts's openPosition), with the venue's rules: with
 * `venue` and `symbol` and no rate, the table is looked up and the leverage may not exceed its bracket's.
 */
export function openPosition(input: VenueOpenPositionInput): Position {
  if (input === null || typeof input !== 'object') throw new EngineInputError('position', 'must be an object');
  let contractSize = input.contractSize;
  if (contractSize === undefined && input.maintenanceMarginRate === undefined) {
    // The preset's contract size decides the quantity that a margin buys, so it is needed before sizing.
    const { preset } = source({ ...input, quantity: 1, margin: 1 });
    if (preset?.contractSize) contractSize = preset.contractSize;
  }
  return normalizePosition(openingInput(contractSize === undefined ? input : { ...input, contractSize }));
}

// ---------------------------------------------------------------------------------------------------------
// Venue arithmetic on a validated position (also used by account.ts, funding.ts, partial-liquidation.ts)
// ---------------------------------------------------------------------------------------------------------

/** True when the venue charges maintenance margin on the position value at entry (Bybit). */
export function entryBasis(p: Position): boolean {
  return p.venue !== null && VENUE_RULES[p.venue].basis === 'entry';
}

/** True when position.ts's fixed-rate, mark-basis arithmetic is the venue's: no venue, Binance or dYdX with a given rate. */
export function followsCoreRules(p: Position): boolean {
  return !entryBasis(p) && p.maintenanceFrom === null;
}

/** The table a looked-up position's rate came from, or null. */
export function tableOf(p: Position): BracketTable | null {
  return p.maintenanceFrom === null ? null : venuePreset({ preset: p.maintenanceFrom }).table;
}

/** Maintenance margin of a validated position at `mark`, on its venue's basis. */
export function maintenanceMarginAt(p: Position, mark: Decimal): Decimal {
  if (entryBasis(p)) return maintenanceAt(p, p.entryPrice);
  const table = tableOf(p);
  if (table === null) return maintenanceAt(p, mark);
  const notional = notionalAt(p, mark);
  const bracket = bracketOrLast(table, notional);
  return notional.mul(bracket.maintenanceMarginRate).sub(bracket.maintenanceAmount);
}

/** Liquidation price of a validated position by its venue's formula. */
export function venueLiquidationPrice(p: Position): Decimal | null {
  // Binance with a table: the position's rate and amount are the bracket at the liquidation price already.
  return entryBasis(p) ? entryBasisLiquidationPrice(p) : coreLiquidationPrice(p);
}

// ---------------------------------------------------------------------------------------------------------
// Public functions
// ---------------------------------------------------------------------------------------------------------

/** Everything a reader watches for one position at one mark price, by the position's venue (header). */
export function positionMetrics(input: VenuePositionInput | Position, markPrice: Numeric): PositionMetrics {
  const p = normalizePosition(input);
  const mark = positive('markPrice', markPrice);
  return metricsWith(p, mark, maintenanceMarginAt(p, mark), venueLiquidationPrice(p));
}

/** The mark price at which equity meets the venue's maintenance margin, or null if no positive price does. */
export function liquidationPrice(input: VenuePositionInput | Position): Decimal | null {
  return venueLiquidationPrice(normalizePosition(input));
}

/**
 * The mark price at which equity is zero: the margin is used up. Null if no positive price does. The same on
 * every venue the engine computes (fees left out); the venue is validated (BitMEX refused).
 */
export function bankruptcyPrice(input: VenuePositionInput | Position): Decimal | null {
  return coreBankruptcyPrice(normalizePosition(input));
}

/**
 * The signed move from the entry price to the liquidation price, as a fraction of entry: −0.096 is a
 * 9.6 % fall. Null when the position cannot be liquidated.
 */
export function priceMoveToLiquidation(input: VenuePositionInput | Position): Decimal | null {
  const p = normalizePosition(input);
  const price = venueLiquidationPrice(p);
  return price === null ? null : price.sub(p.entryPrice).div(p.entryPrice);
}

/** What a liquidation at the venue's liquidation price costs the trader; null if the position cannot be liquidated. */
export function liquidationLoss(input: VenuePositionInput | Position): LiquidationLoss | null {
  const p = normalizePosition(input);
  return lossAt(p, venueLiquidationPrice(p));
}
