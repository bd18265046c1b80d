/**
 * Partial liquidation by stepping down risk-limit tiers, for Bybit's USDT perpetuals (venue 'bybit-linear'),
 * the venue whose help centre publishes the rule.
 *
 * Source: Bybit, "Liquidation Process (USDT Contract)",
 * https://help.bybit.com/hc/en-us/articles/900000167723-Liquidation-Process-USDT-Contract- (the same steps for
 * USDC contracts: https://bybit.com/en-US/help-center/bybitHC_Article?id=000001381). The published rule:
 *   "Traders under the lowest margin tier: Cancel all active orders of this contract; If it still doesn't meet
 *    the maintenance margin requirement, that position will be closed at the bankruptcy price by the
 *    Liquidation Engine."
 *   "Traders under second or higher margin tier: … Cancel all active orders on this contract while retaining
 *    the existing position to reduce the margin; Submit a FillOrKill order of the difference between the
 *    current position value and the lower margin tier value which satisfies the margin requirement, thus
 *    preventing further liquidation; If the position is still in liquidation, this position shall be taken
 *    over by the liquidation engine at the bankruptcy price."
 * The page's illustrated example ("a 1.5 M USDT long position value + 1M BTC long Active Order value … the third
 * tier") could not be read past its first sentence in the copies searched, so no published number is reproduced.
 *
 * What this models, and what it assumes where the text is silent:
 *  - Orders are not modelled, so "cancel all active orders" changes nothing here.
 *  - The tier is the one containing the position value at entry (Bybit's entry basis, venues.ts), and the
 *    "lower margin tier value" is that tier's risk limit (its cap): the order closes the position down to a
 *    value at entry equal to the lower tier's cap (the quantity rounded down in its last digit, so never above).
 *  - Which lower tier: the highest one whose reduced position is no longer liquidatable at the mark. The steps
 *    below try the tiers one at a time, each closing down to the next tier's cap and checking; the position
 *    after the last step is exactly the one Bybit's single FillOrKill order to that tier leaves, because each
 *    step is computed from the original position (pro rata, below), not from the previous step. The
 *    intermediate steps are the search, shown; their total is the one order.
 *  - Fill price of the closing order: the mark price (the FillOrKill order's price is not published).
 *  - Margin: the isolated margin is reduced pro rata to the quantity (margin after = margin × Q_after ÷ Q, as a
 *    reduce order on an isolated position does); the released margin and the closed part's realized PnL leave
 *    the position for the trader's wallet. With that, equity scales with the quantity while the maintenance
 *    margin per unit of value falls tier by tier, which is what makes stepping down help at all.
 *  - Fees (trading and liquidation fees) are left out, as in Bybit's liquidation-price formula.
 *  - A mark at or past the bankruptcy price leaves no equity to step down with: the position is taken over
 *    directly. liquidationOutcome splits what a takeover does with the equity left.
 *  - Only bybit-linear: the inverse contracts' article
 *    (https://bybitglobal.com/en-US/help-center/HelpCenterKnowledge/bybitHC_Article?id=000001098&language=en_US)
 *    describes the older user-selected risk limits, and no inverse table ships.
 * Binance's "Smart Liquidation" and BitMEX's and OKX's tier step-downs are not modelled: their reduction sizes
 * are not published in closed form.
 *
 * Exactness: quantities and margins after each step are rounded down to the last digit of the original
 * quantity and margin, so quantity and margin are conserved exactly (Q = Σ closed + Q left, M = Σ released +
 * M left); equity is conserved to the rounding of the PnL products (one part in 10^38).
 */
import { Decimal, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { positive } from './parse.ts';
import { bankruptcyPrice, buildPosition, notionalAt, pnlAt, type Position, type VenuePositionInput } from './position.ts';
import { maintenanceBracket, validateBrackets, type Bracket, type BracketInput, type BracketTable } from './brackets.ts';
import { maintenanceMarginAt, normalizePosition, positionMetrics, venueLiquidationPrice, venuePreset } from './venue-position.ts';

export interface PartialLiquidationOptions {
  /**
   * The risk-limit tiers. By default the position's own table: the preset it was looked up in, else the
   * newest shipped bybit-linear table for its symbol. Given tiers override the position's rate and amount.
   */
  brackets?: readonly BracketInput[] | BracketTable;
}

export interface PartialLiquidationStep {
  tierBefore: Bracket;
  /** The lower tier the position is stepped down to (Bybit counts a value at a tier's cap as in that tier). */
  tierAfter: Bracket;
  /** Fill price of the closing order: the mark price (assumed). */
  fillPrice: Decimal;
  quantityClosed: Decimal;
  quantityAfter: Decimal;
  /** Position value at entry after the step: the lower tier's cap, or a hair under it. */
  positionValueAfter: Decimal;
  /** PnL realized on the closed quantity at the fill price. */
  realizedPnl: Decimal;
  /** Isolated margin released with the closed quantity (pro rata). */
  marginReleased: Decimal;
  /** realizedPnl + marginReleased: what leaves the position for the trader's wallet. */
  equityReleased: Decimal;
  marginAfter: Decimal;
  maintenanceMarginAfter: Decimal;
  liquidationPriceAfter: Decimal | null;
  /** Maintenance margin ÷ equity of what is left, at the mark; null if its equity is not positive. */
  marginRatioAfter: Decimal | null;
  /** What is left is no longer liquidatable at the mark. */
  safe: boolean;
  /** What is left, as a position (stage 'held'). */
  position: Position;
}

export interface PartialLiquidation {
  markPrice: Decimal;
  /** Whether the position was liquidatable at the mark. When not, nothing happens. */
  liquidatable: boolean;
  /** The tier of the position value at entry, before any step. */
  startTier: Bracket;
  /** Margin + unrealized PnL at the mark, before any step. */
  equityAtMark: Decimal;
  steps: PartialLiquidationStep[];
  /**
   * 'not-liquidatable': nothing to do. 'stepped-down': the last step left a position that is not liquidatable.
   * 'taken-over': the lowest tier was reached (or started in) still liquidatable, or no equity was left; the
   * liquidation engine takes over what is left at its bankruptcy price.
   */
  outcome: 'not-liquidatable' | 'stepped-down' | 'taken-over';
  /** What is left: the position kept (not liquidatable, or stepped down), or the position taken over. */
  position: Position;
  /** Σ quantity closed by the steps: the size of Bybit's one FillOrKill order. */
  quantityClosed: Decimal;
  /** Σ equity released by the steps to the trader's wallet. */
  equityReleased: Decimal;
  /** Quantity taken over at the bankruptcy price; 0 unless taken over. */
  quantityTakenOver: Decimal;
  /** Bankruptcy price of the position taken over; null unless taken over. */
  takeoverPrice: Decimal | null;
}

/** Rounds toward zero, for the quantizing below. */
const DecimalDown = /* @__PURE__ */ Decimal.clone({ rounding: Decimal.ROUND_DOWN });

/** The value of one unit in the last of the 40 significant digits of `value`. */
function lastDigit(value: Decimal): Decimal {
  return new Decimal(10).pow(value.e - (Decimal.precision - 1));
}

/** `value` (≥ 0) rounded down to a multiple of `unit`. */
function floorTo(value: Decimal, unit: Decimal): Decimal {
  if (value.lte(0)) return new Decimal(0);
  return new Decimal(new DecimalDown(value).div(unit).floor()).mul(unit);
}

function tableFor(p: Position, options: PartialLiquidationOptions): { table: BracketTable; from: string | null } {
  if (options.brackets !== undefined) return { table: validateBrackets(options.brackets), from: null };
  if (p.maintenanceFrom !== null) return { table: venuePreset({ preset: p.maintenanceFrom }).table, from: p.maintenanceFrom };
  if (p.symbol === null) {
    throw new EngineInputError(
      'brackets',
      'stepping down needs the risk-limit tiers: give options.brackets, or a position with symbol (or preset) to look them up',
    );
  }
  const preset = venuePreset({ venue: 'bybit-linear', symbol: p.symbol });
  return { table: preset.table, from: preset.id };
}

/**
 * Bybit's partial liquidation of an isolated bybit-linear position at `markPrice`: tier by tier down the
 * risk-limit table until what is left is not liquidatable, or full takeover at the bankruptcy price once the
 * lowest tier is reached still liquidatable (a position in the lowest tier goes straight to takeover). See
 * the module header for the published rule and the assumptions.
 */
export function partialLiquidation(
  input: VenuePositionInput | Position,
  markPrice: Numeric,
  options: PartialLiquidationOptions = {},
): PartialLiquidation {
  if (options === null || typeof options !== 'object') throw new EngineInputError('options', 'must be an object');
  const given = normalizePosition(input);
  if (given.venue !== 'bybit-linear') {
    throw new EngineInputError(
      'venue',
      `partial liquidation is modelled for 'bybit-linear' only (Bybit publishes its tier step-down), got ${JSON.stringify(given.venue)}`,
    );
  }
  const mark = positive('markPrice', markPrice);
  const { table, from } = tableFor(given, options);
  const valueOf = (quantity: Decimal) => quantity.mul(given.contractSize).mul(given.entryPrice);

  /** The position with `quantity` and `margin` in `tier`: Bybit's entry-basis maintenance margin of that tier. */
  const at = (quantity: Decimal, margin: Decimal, tier: Bracket): Position =>
    buildPosition(
      {
        contract: given.contract,
        side: given.side,
        entryPrice: given.entryPrice,
        quantity,
        margin,
        maintenanceMarginRate: tier.maintenanceMarginRate,
        maintenanceAmount: tier.maintenanceAmount,
        contractSize: given.contractSize,
        leverage: given.leverage,
        venue: 'bybit-linear',
        symbol: given.symbol,
        stage: 'held',
      },
      from,
    );
  const liquidatableAt = (p: Position): boolean => positionMetrics(p, mark).isLiquidatable;

  const startValue = notionalAt(given, given.entryPrice);
  const last = table[table.length - 1] as Bracket;
  if (startValue.gt(last.cap)) {
    throw new EngineInputError('quantity', `the position value at entry, ${startValue.toString()}, is beyond the last tier's risk limit ${last.cap.toString()}`);
  }
  const startTier = maintenanceBracket(table, startValue);
  const start = at(given.quantity, given.margin, startTier);
  const equityAtMark = start.margin.add(pnlAt(start, mark));
  const zero = new Decimal(0);
  const result = (
    outcome: PartialLiquidation['outcome'],
    steps: PartialLiquidationStep[],
    position: Position,
  ): PartialLiquidation => {
    const takenOver = outcome === 'taken-over';
    return {
      markPrice: mark,
      liquidatable: outcome !== 'not-liquidatable',
      startTier,
      equityAtMark,
      steps,
      outcome,
      position,
      quantityClosed: steps.reduce((sum, s) => sum.add(s.quantityClosed), zero),
      equityReleased: steps.reduce((sum, s) => sum.add(s.equityReleased), zero),
      quantityTakenOver: takenOver ? position.quantity : zero,
      takeoverPrice: takenOver ? bankruptcyPrice(position) : null,
    };
  };

  if (!liquidatableAt(start)) return result('not-liquidatable', [], start);
  if (equityAtMark.lte(0)) return result('taken-over', [], start);

  const quantityUnit = lastDigit(given.quantity);
  const marginUnit = lastDigit(given.margin);
  const steps: PartialLiquidationStep[] = [];
  let current = start;
  let tier = startTier;
  while (tier.index > 0) {
    const target = table[tier.index - 1] as Bracket;
    const quantity = floorTo(target.cap.div(given.contractSize.mul(given.entryPrice)), quantityUnit);
    if (quantity.gte(current.quantity) || quantity.lte(0)) {
      // The value already sits at the lower tier's cap (an edge): a change of label only, nothing to close.
      current = at(current.quantity, current.margin, target);
      tier = target;
      continue;
    }
    // Pro rata to the original position, so that the steps compose into one order exactly.
    const margin = floorTo(new Decimal(new DecimalDown(given.margin).mul(quantity).div(given.quantity)), marginUnit);
    const next = at(quantity, margin, target);
    const closed = current.quantity.sub(quantity);
    const closedSize = closed.mul(given.contractSize);
    const realizedPnl = (given.side === 'long' ? closedSize : closedSize.neg()).mul(mark.sub(given.entryPrice));
    const marginReleased = current.margin.sub(margin);
    const metrics = positionMetrics(next, mark);
    steps.push({
      tierBefore: tier,
      tierAfter: target,
      fillPrice: mark,
      quantityClosed: closed,
      quantityAfter: quantity,
      positionValueAfter: valueOf(quantity),
      realizedPnl,
      marginReleased,
      equityReleased: marginReleased.add(realizedPnl),
      marginAfter: margin,
      maintenanceMarginAfter: maintenanceMarginAt(next, mark),
      liquidationPriceAfter: venueLiquidationPrice(next),
      marginRatioAfter: metrics.marginRatio,
      safe: !metrics.isLiquidatable,
      position: next,
    });
    current = next;
    tier = target;
    if (!metrics.isLiquidatable) return result('stepped-down', steps, next);
  }
  return result('taken-over', steps, current);
}
