/**
 * Tiered maintenance margin: a venue's risk brackets (Binance "leverage and margin tiers", Bybit "risk
 * limit tiers") and the liquidation price that honours them.
 *
 * A bracket covers notionals from its floor to its cap (quote units for linear contracts, coin for inverse
 * ones) and carries a maintenance margin rate, a maintenance amount ("cum", Bybit's "MM deduction") and the
 * highest leverage a position in it may open with. Maintenance margin = notional × rate − amount, with the
 * rate and amount of the bracket that contains the notional.
 *
 * The cum rule. Binance's COIN-M liquidation FAQ (https://www.binance.com/es-MX/support/faq/how-to-calculate-liquidation-price-of-coin-m-futures-contracts-ceccfcfb4e3a45e3b48b0b1bb1a8ae46)
 * and Bybit's margin-parameter page (https://bybitx.global/pt-PT/announcement-info/margin-parameters) define
 *     amount_n = floor_n × (rate_n − rate_{n−1}) + amount_{n−1},   amount_1 = 0
 * which is exactly what makes maintenance margin continuous at every edge: at floor_n both brackets give
 * floor_n × rate_{n−1} − amount_{n−1}. With rates that never decrease, tiered maintenance margin is then a
 * convex piecewise-linear function of the notional, equal to the largest of the brackets' lines
 * (notional × rate_k − amount_k over all k). `liquidationPriceWithBrackets` relies on that.
 *
 * Which bracket an edge belongs to: this module uses floor ≤ notional < cap (the last bracket's cap is
 * inclusive). Binance's announcements write "floor < position ≤ cap". Under the cum rule both brackets give
 * the same maintenance margin at an edge, so the choice changes no maintenance margin and no liquidation
 * price; it only decides which bracket (and maximum leverage) is reported for a notional exactly on an edge.
 */
import { type Decimal, ZERO, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, positive } from './parse.ts';
import {
  liquidationPrice,
  normalizePosition,
  notionalAt,
  type Position,
  type PositionInput,
} from './position.ts';

/** One bracket as callers (and the YAML presets) describe it. */
export interface BracketInput {
  /** Lowest notional in the bracket: quote units (linear) or coin (inverse). The first floor is 0. */
  floor: Numeric;
  /** Highest notional in the bracket; equals the next bracket's floor. */
  cap: Numeric;
  /** As a fraction: 0.004 is 0.4 %. */
  maintenanceMarginRate: Numeric;
  /** Binance's "maintenance amount" (cum), Bybit's "MM deduction"; must follow the cum rule. */
  maintenanceAmount: Numeric;
  /** Highest leverage a position in this bracket may open with; optional. */
  maxLeverage?: Numeric | null;
}

/** A bracket without its maintenance amount, for `deriveMaintenanceAmounts`. */
export type BracketShape = Omit<BracketInput, 'maintenanceAmount'> & { maintenanceAmount?: Numeric };

/** A validated bracket: every number a Decimal. */
export interface Bracket {
  /** Position in the table, 0 first. */
  readonly index: number;
  readonly floor: Decimal;
  readonly cap: Decimal;
  readonly maintenanceMarginRate: Decimal;
  readonly maintenanceAmount: Decimal;
  readonly maxLeverage: Decimal | null;
}

/** A validated bracket table: contiguous from 0, monotone, amounts by the cum rule. Frozen. */
export type BracketTable = readonly Bracket[];

/** One problem found in a bracket table, for the schema (which reports them all) and `validateBrackets`. */
export interface BracketIssue {
  /** Index of the bracket at fault (0 first), or null for the table as a whole. */
  index: number | null;
  /** The field at fault: 'floor', 'cap', 'maintenanceMarginRate', 'maintenanceAmount', 'maxLeverage', or 'brackets'. */
  field: string;
  /** A sentence a writer can act on. */
  message: string;
}

interface ParsedBracket {
  floor: Decimal | null;
  cap: Decimal | null;
  rate: Decimal | null;
  amount: Decimal | null;
  maxLeverage: Decimal | null;
}

const TIER = (index: number): string => `tier ${index + 1}`;
const fmt = (value: Decimal): string => value.toString();
const pct = (rate: Decimal): string => `${rate.mul(100).toString()} %`;

function parseField(
  issues: BracketIssue[],
  index: number,
  field: string,
  read: () => Decimal,
): Decimal | null {
  try {
    return read();
  } catch (error) {
    if (error instanceof EngineInputError) {
      issues.push({ index, field, message: `${TIER(index)}: ${field} ${error.rule}` });
      return null;
    }
    throw error;
  }
}

function parseBracket(issues: BracketIssue[], raw: unknown, index: number, withAmount: boolean): ParsedBracket {
  if (raw === null || typeof raw !== 'object') {
    issues.push({ index, field: 'brackets', message: `${TIER(index)} must be an object with floor, cap, maintenanceMarginRate and maintenanceAmount` });
    return { floor: null, cap: null, rate: null, amount: null, maxLeverage: null };
  }
  const b = raw as Partial<BracketInput>;
  const floor = parseField(issues, index, 'floor', () => nonNegative('floor', b.floor));
  const cap = parseField(issues, index, 'cap', () => positive('cap', b.cap));
  const rate = parseField(issues, index, 'maintenanceMarginRate', () => {
    const r = nonNegative('maintenanceMarginRate', b.maintenanceMarginRate);
    if (r.gte(1)) throw new EngineInputError('maintenanceMarginRate', `must be below 1 (100 %), got ${fmt(r)}`);
    return r;
  });
  const amount = withAmount
    ? parseField(issues, index, 'maintenanceAmount', () => nonNegative('maintenanceAmount', b.maintenanceAmount))
    : ZERO;
  const maxLeverage =
    b.maxLeverage === undefined || b.maxLeverage === null
      ? null
      : parseField(issues, index, 'maxLeverage', () => positive('maxLeverage', b.maxLeverage));
  if (floor !== null && cap !== null && cap.lte(floor)) {
    issues.push({ index, field: 'cap', message: `${TIER(index)}: cap ${fmt(cap)} must be above its floor ${fmt(floor)}` });
  }
  return { floor, cap, rate, amount, maxLeverage };
}

/**
 * The cum-rule amount of every bracket, from floors and rates alone (null where an input is missing). Each
 * given amount is then checked against its own derived value, so a single typo flags a single field
 * rather than every bracket after it.
 */
function derivedAmounts(parsed: readonly ParsedBracket[]): (Decimal | null)[] {
  const out: (Decimal | null)[] = [];
  parsed.forEach((b, i) => {
    if (i === 0) {
      out.push(ZERO);
      return;
    }
    const prev = parsed[i - 1];
    const prevAmount = out[i - 1] ?? null;
    if (!prev || prev.rate === null || b.rate === null || b.floor === null || prevAmount === null) {
      out.push(null);
      return;
    }
    out.push(b.floor.mul(b.rate.sub(prev.rate)).add(prevAmount));
  });
  return out;
}

function collectIssues(tiers: unknown, withAmounts: boolean): { issues: BracketIssue[]; parsed: ParsedBracket[] } {
  const issues: BracketIssue[] = [];
  if (!Array.isArray(tiers)) {
    issues.push({ index: null, field: 'brackets', message: 'brackets must be a list' });
    return { issues, parsed: [] };
  }
  if (tiers.length === 0) {
    issues.push({ index: null, field: 'brackets', message: 'brackets must list at least one tier' });
    return { issues, parsed: [] };
  }
  const parsed = tiers.map((raw: unknown, i) => parseBracket(issues, raw, i, withAmounts));
  const derived = derivedAmounts(parsed);
  parsed.forEach((b, i) => {
    if (i === 0) {
      if (b.floor !== null && !b.floor.isZero()) {
        issues.push({ index: 0, field: 'floor', message: `${TIER(0)}: the first floor must be 0, got ${fmt(b.floor)}` });
      }
    } else {
      const prev = parsed[i - 1];
      if (prev && prev.cap !== null && b.floor !== null && !b.floor.eq(prev.cap)) {
        issues.push({
          index: i,
          field: 'floor',
          message: `${TIER(i)}: floor ${fmt(b.floor)} must equal the cap of ${TIER(i - 1)} (${fmt(prev.cap)}); brackets must be contiguous`,
        });
      }
      if (prev && prev.rate !== null && b.rate !== null && b.rate.lt(prev.rate)) {
        issues.push({
          index: i,
          field: 'maintenanceMarginRate',
          message: `${TIER(i)}: maintenance margin rate ${pct(b.rate)} is below ${TIER(i - 1)}'s ${pct(prev.rate)}; rates must not decrease`,
        });
      }
      if (prev && prev.maxLeverage !== null && b.maxLeverage !== null && b.maxLeverage.gt(prev.maxLeverage)) {
        issues.push({
          index: i,
          field: 'maxLeverage',
          message: `${TIER(i)}: max leverage ${fmt(b.maxLeverage)}× is above ${TIER(i - 1)}'s ${fmt(prev.maxLeverage)}×; max leverage must not increase`,
        });
      }
    }
    const expected = derived[i] ?? null;
    if (withAmounts && expected !== null && b.amount !== null && !b.amount.eq(expected)) {
      const prev = parsed[i - 1];
      const how =
        i === 0 || !prev || prev.rate === null || b.floor === null || b.rate === null
          ? 'the first tier has no maintenance amount'
          : `floor ${fmt(b.floor)} × (${pct(b.rate)} − ${pct(prev.rate)}) + ${fmt(derived[i - 1] ?? ZERO)} of ${TIER(i - 1)}`;
      issues.push({
        index: i,
        field: 'maintenanceAmount',
        message: `${TIER(i)}: maintenance amount must be ${fmt(expected)} by the cum rule (${how}), got ${fmt(b.amount)}`,
      });
    }
  });
  return { issues, parsed };
}

/**
 * Every problem in a bracket table: contiguity (first floor 0, each floor the previous cap), monotony
 * (rates never decrease, max leverage never increases), cap above floor, and maintenance amounts by the
 * cum rule. An empty list means the table is valid. Used by the preset schema, which reports them all.
 */
export function bracketIssues(tiers: unknown): BracketIssue[] {
  return collectIssues(tiers, true).issues;
}

const validatedTables = new WeakSet<object>();

function freezeTable(parsed: readonly ParsedBracket[], amounts: readonly (Decimal | null)[]): BracketTable {
  const table = parsed.map((b, index) =>
    Object.freeze({
      index,
      floor: b.floor as Decimal,
      cap: b.cap as Decimal,
      maintenanceMarginRate: b.rate as Decimal,
      maintenanceAmount: amounts[index] as Decimal,
      maxLeverage: b.maxLeverage,
    }),
  );
  Object.freeze(table);
  validatedTables.add(table);
  return table;
}

function throwFirst(issues: readonly BracketIssue[]): never {
  const first = issues[0] as BracketIssue;
  const field = first.index === null ? 'brackets' : `brackets[${first.index}].${first.field}`;
  throw new EngineInputError(field, first.message);
}

/**
 * Validates a bracket table (the same rules as `bracketIssues`) and returns it with every number a Decimal.
 * Throws an EngineInputError for the first problem, naming the bracket's index and field, for example
 * `brackets[3].maintenanceAmount`.
 */
export function validateBrackets(tiers: readonly BracketInput[] | BracketTable): BracketTable {
  if (validatedTables.has(tiers)) return tiers as BracketTable;
  const { issues, parsed } = collectIssues(tiers, true);
  if (issues.length > 0) throwFirst(issues);
  return freezeTable(
    parsed,
    parsed.map((b) => b.amount),
  );
}

/**
 * A bracket table with every maintenance amount computed by the cum rule,
 * amount_n = floor_n × (rate_n − rate_{n−1}) + amount_{n−1}, amount_1 = 0. Any amounts given are ignored.
 * The other rules (contiguity, monotony) are checked as in `validateBrackets`.
 */
export function deriveMaintenanceAmounts(tiers: readonly BracketShape[]): BracketTable {
  const { issues, parsed } = collectIssues(tiers, false);
  if (issues.length > 0) throwFirst(issues);
  return freezeTable(parsed, derivedAmounts(parsed));
}

function asTable(tiers: readonly BracketInput[] | BracketTable): BracketTable {
  return validatedTables.has(tiers) ? (tiers as BracketTable) : validateBrackets(tiers);
}

/** Index of the bracket containing `notional` (floor ≤ n < cap, last cap inclusive), or -1 past the last cap. */
function locate(table: BracketTable, notional: Decimal): number {
  for (const b of table) {
    if (notional.gte(b.floor) && notional.lt(b.cap)) return b.index;
  }
  const last = table[table.length - 1] as Bracket;
  return notional.eq(last.cap) ? last.index : -1;
}

/**
 * The bracket containing the notional: floor ≤ notional < cap, the last bracket's cap inclusive. Throws an
 * EngineInputError for a negative notional or one beyond the last cap (the table says nothing there).
 */
export function maintenanceBracket(tiers: readonly BracketInput[] | BracketTable, notional: Numeric): Bracket {
  const table = asTable(tiers);
  const n = nonNegative('notional', notional);
  const index = locate(table, n);
  if (index < 0) {
    const last = table[table.length - 1] as Bracket;
    throw new EngineInputError('notional', `${fmt(n)} is beyond the last bracket's cap ${fmt(last.cap)}`);
  }
  return table[index] as Bracket;
}

/**
 * Maintenance margin for a notional under a bracket table: notional × rate − amount of the bracket that
 * contains it. Continuous across edges when the amounts follow the cum rule (which `validateBrackets`
 * enforces).
 */
export function tieredMaintenanceMargin(tiers: readonly BracketInput[] | BracketTable, notional: Numeric): Decimal {
  const n = nonNegative('notional', notional);
  const bracket = maintenanceBracket(tiers, n);
  return n.mul(bracket.maintenanceMarginRate).sub(bracket.maintenanceAmount);
}

// ---------------------------------------------------------------------------------------------------------
// Bracket-aware liquidation price
// ---------------------------------------------------------------------------------------------------------

/** An isolated position as position.ts takes it, less the rate and amount, which come from the brackets. */
export type BracketPositionInput = Omit<PositionInput, 'maintenanceMarginRate' | 'maintenanceAmount'>;

export interface BracketLiquidation {
  /** The mark price at which equity meets the tiered maintenance margin; null if no positive price does. */
  liquidationPrice: Decimal | null;
  /** The bracket whose rate and amount produced the price: the one containing the notional there. */
  bracket: Bracket;
  /** The bracket containing the notional at the entry price. */
  entryBracket: Bracket;
  /** Notional at the liquidation price (quote units for linear, coin for inverse); null with no price. */
  notionalAtLiquidation: Decimal | null;
  /**
   * True when the notional at the liquidation price lies beyond the table's last cap. The table says
   * nothing there, so the last bracket's rate and amount are extended past its cap; a caller may prefer to
   * flag such a price as outside the venue's published tiers.
   */
  beyondLastCap: boolean;
  /** How many liquidation prices were computed along the way. */
  iterations: number;
  /**
   * 'stable': the venue's iteration settled (the bracket at the price is the bracket used).
   * 'scan': the iteration could not settle (no price under a bracket, or a cycle) and every bracket was
   *   tried; the one consistent with its own price was taken (there is exactly one: see below).
   * 'edge': the price sits exactly on an edge and rounding in the 40th digit put each side's price in the
   *   other bracket; the upper bracket was taken (see below). Both give the same price to ~1e-39.
   * 'none': no bracket gives a positive price: the position cannot be liquidated.
   */
  resolution: 'stable' | 'scan' | 'edge' | 'none';
  /** The position normalised with `bracket`'s rate and amount, ready for position.ts's functions. */
  position: Position;
}

const LOOP_GUARD_EXTRA = 2;

/**
 * The liquidation price of an isolated position under a bracket table, Binance's way (mark-price basis).
 *
 * Method, as stated on Binance's COIN-M liquidation FAQ
 * (https://www.binance.com/es-MX/support/faq/how-to-calculate-liquidation-price-of-coin-m-futures-contracts-ceccfcfb4e3a45e3b48b0b1bb1a8ae46):
 * "If the position notional (the calculated result of the liquidation price) and the assumed margin levels
 * are different, you must substitute other margin levels' maintenance margin rate and maintenance margin
 * amount to recalculate the liquidation price." That is: the bracket must be the one containing the
 * notional at the liquidation price. We compute the price with the bracket at entry (position.ts's
 * `liquidationPrice`, given that bracket's rate and amount); if the notional there falls in another
 * bracket we recompute with that one, and repeat until the bracket stops changing.
 *
 * Why it has one answer: with amounts by the cum rule and rates that never decrease, tiered maintenance
 * margin is convex in the notional and equals the largest bracket line; equity minus it is strictly
 * monotone along the adverse price direction, so the liquidation price is unique and exactly one bracket
 * (two at an edge, giving the same price) is consistent with its own price.
 *
 * Guard against oscillation: the iteration is bounded (table length + 2 steps) and stops when it revisits
 * a bracket. It then tries every bracket and takes the one whose price's notional lies in it ('scan'). At
 * an edge, rounding in the 40th digit can leave neither side strictly consistent (bracket k's price lands
 * a hair into k+1 and k+1's a hair into k); then bracket k+1 is taken ('edge'), because the exact notional
 * there is k+1's floor and brackets include their floor. Deterministic: same input, same bracket.
 *
 * Past the last cap the last bracket is extended and `beyondLastCap` says so.
 */
export function liquidationPriceWithBrackets(
  input: BracketPositionInput,
  tiers: readonly BracketInput[] | BracketTable,
): BracketLiquidation {
  if (input === null || typeof input !== 'object') throw new EngineInputError('position', 'must be an object');
  const table = asTable(tiers);
  if ('maintenanceMarginRate' in input || 'maintenanceAmount' in input) {
    throw new EngineInputError(
      'maintenanceMarginRate',
      'comes from the brackets here; leave maintenanceMarginRate and maintenanceAmount out of the position',
    );
  }
  const withBracket = (b: Bracket): Position =>
    normalizePosition({ ...input, maintenanceMarginRate: b.maintenanceMarginRate, maintenanceAmount: b.maintenanceAmount });

  // The entry bracket: validates the position the way the venue would (margin above maintenance at entry).
  const probe = normalizePosition({ ...input, maintenanceMarginRate: ZERO, maintenanceAmount: ZERO });
  const entryNotional = notionalAt(probe, probe.entryPrice);
  const entryIndex = locate(table, entryNotional);
  if (entryIndex < 0) {
    const last = table[table.length - 1] as Bracket;
    throw new EngineInputError(
      'quantity',
      `the notional at entry, ${fmt(entryNotional)}, is beyond the last bracket's cap ${fmt(last.cap)}`,
    );
  }
  const entryBracket = table[entryIndex] as Bracket;
  const entryPosition = withBracket(entryBracket);

  let iterations = 0;
  const candidates = new Map<number, { position: Position; price: Decimal | null } | null>();
  const candidate = (index: number): { position: Position; price: Decimal | null } | null => {
    if (candidates.has(index)) return candidates.get(index) ?? null;
    let result: { position: Position; price: Decimal | null } | null;
    if (index === entryIndex) {
      result = { position: entryPosition, price: liquidationPrice(entryPosition) };
    } else {
      try {
        const position = withBracket(table[index] as Bracket);
        result = { position, price: liquidationPrice(position) };
      } catch (error) {
        // Another bracket's line lies below the tiered margin at entry, so the position always opens under
        // it; only a 40th-digit tie could refuse it. Such a bracket simply offers no candidate.
        if (!(error instanceof EngineInputError)) throw error;
        result = null;
      }
    }
    iterations++;
    candidates.set(index, result);
    return result;
  };
  const where = (price: Decimal): { index: number; notional: Decimal; beyond: boolean } => {
    const notional = notionalAt(probe, price);
    const index = locate(table, notional);
    return index < 0 ? { index: table.length - 1, notional, beyond: true } : { index, notional, beyond: false };
  };
  const answer = (
    index: number,
    resolution: BracketLiquidation['resolution'],
  ): BracketLiquidation => {
    const c = candidate(index);
    const price = c?.price ?? null;
    const at = price === null ? null : where(price);
    return {
      liquidationPrice: price,
      bracket: table[index] as Bracket,
      entryBracket,
      notionalAtLiquidation: at?.notional ?? null,
      beyondLastCap: at?.beyond ?? false,
      iterations,
      resolution,
      position: c?.position ?? entryPosition,
    };
  };

  // 1. The venue's iteration.
  const visited = new Set<number>();
  let k = entryIndex;
  for (let step = 0; step < table.length + LOOP_GUARD_EXTRA; step++) {
    const c = candidate(k);
    if (c === null || c.price === null) break;
    const next = where(c.price).index;
    if (next === k) return answer(k, 'stable');
    visited.add(k);
    if (visited.has(next)) break;
    k = next;
  }

  // 2. Every bracket, lowest first: the one consistent with its own price.
  for (const b of table) {
    const c = candidate(b.index);
    if (c !== null && c.price !== null && where(c.price).index === b.index) return answer(b.index, 'scan');
  }
  // 3. An edge that rounding left with no strictly consistent side: take the upper bracket.
  for (let i = 0; i + 1 < table.length; i++) {
    const lower = candidate(i);
    const upper = candidate(i + 1);
    if (lower?.price && upper?.price && where(lower.price).index > i && where(upper.price).index <= i) {
      return answer(i + 1, 'edge');
    }
  }
  // 4. No bracket gives a positive price (a 1× linear long, a 1× inverse short): nothing to liquidate.
  return { ...answer(entryIndex, 'none'), liquidationPrice: null, notionalAtLiquidation: null, beyondLastCap: false };
}

/** The highest leverage the brackets allow for a notional (the bracket's max leverage), or null if unset. */
export function maxLeverageFor(tiers: readonly BracketInput[] | BracketTable, notional: Numeric): Decimal | null {
  return maintenanceBracket(tiers, notional).maxLeverage;
}
