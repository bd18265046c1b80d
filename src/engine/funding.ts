/**
 * Trading fees and perpetual funding for an isolated position, in Binance's convention. Every amount is in the
 * margin currency: quote units for linear (USDⓈ-M) contracts, the coin for inverse (COIN-M) contracts.
 *
 * Fees. Binance, "Binance Futures Fee Structure & Fee Calculations":
 * https://www.binance.com/en-ZA/support/faq/binance-futures-fee-structure-fee-calculations-360033544231
 *   fee = notional value × fee rate; for coin-margined contracts notional value = contracts × contract size / price.
 *   Opening fee: notional at the entry price. Closing fee: notional at the closing price.
 *
 * Funding. Binance, "Introduction to Binance Futures Funding Rates" (FAQ 360033525031), as quoted at
 * https://docs.traderwagon.com/faq/futures-trading-introduction/funding-fee:
 *   Funding Amount = Nominal Value of Positions × Funding Rate; a positive rate means longs pay shorts, a negative
 *   one shorts pay longs. The nominal value is taken at the mark price at the funding time (venues' "position
 *   value at mark"; for inverse contracts contracts × contract size / mark, in coin).
 *   Here: payment = side × notional at mark × rate, positive when the position pays.
 * Not sourced here, and assumed: for an isolated position the payment settles into its isolated margin (so it
 * moves the liquidation price), and Binance's clamp of the rate (reported third-hand as ±MMR) is not applied: the
 * rate given is the rate paid.
 *
 * A position that names a venue keeps it: funding moves the margin the same way everywhere, and the liquidation
 * checks of replayFunding use the venue's maintenance margin (venue-position.ts).
 */
import { Decimal, ZERO, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, positive, toDecimal } from './parse.ts';
import { type Position, type VenuePositionInput } from './position.ts';
import {
  followsCoreRules,
  liquidationPrice,
  maintenanceMarginAt,
  normalizePosition,
  positionMetrics,
  venueLiquidationPrice,
} from './venue-position.ts';
import {
  exposureMaintenance,
  exposureNotional,
  exposurePnl,
  isBeyondLiquidation,
  priceWhereEquityMeetsMaintenance,
} from './account.ts';

function asPosition(input: VenuePositionInput | Position): Position {
  return normalizePosition(input);
}

function feeRateOf(value: Numeric): Decimal {
  const rate = nonNegative('feeRate', value);
  if (rate.gte(1)) throw new EngineInputError('feeRate', `must be below 1 (100 %), got ${rate.toString()}`);
  return rate;
}

function fundingRateOf(field: string, value: Numeric): Decimal {
  const rate = toDecimal(field, value);
  if (rate.abs().gte(1)) throw new EngineInputError(field, `must be between −1 and 1 (±100 %), got ${rate.toString()}`);
  return rate.isZero() ? ZERO : rate; // folds −0 into 0
}

/** The fee to open the position: notional at the entry price × fee rate. */
export function openingFee(input: VenuePositionInput | Position, feeRate: Numeric): Decimal {
  const p = asPosition(input);
  return exposureNotional(p, p.entryPrice).mul(feeRateOf(feeRate));
}

/** The fee to close the whole position at `price`: notional at that price × fee rate. */
export function closingFee(input: VenuePositionInput | Position, price: Numeric, feeRate: Numeric): Decimal {
  const p = asPosition(input);
  return exposureNotional(p, positive('price', price)).mul(feeRateOf(feeRate));
}

function paymentAt(p: Position, mark: Decimal, rate: Decimal): Decimal {
  const payment = exposureNotional(p, mark).mul(rate);
  return p.side === 'long' ? payment : ZERO.sub(payment); // ZERO.sub, not neg(): no −0
}

/**
 * The funding the position pays at one funding time: notional at `markPrice` × `fundingRate`, positive when the
 * position pays (a long at a positive rate, a short at a negative one), negative when it receives.
 */
export function fundingPayment(input: VenuePositionInput | Position, markPrice: Numeric, fundingRate: Numeric): Decimal {
  const p = asPosition(input);
  return paymentAt(p, positive('markPrice', markPrice), fundingRateOf('fundingRate', fundingRate));
}

/**
 * The position after one funding payment settled into its isolated margin, with `stage: 'held'`.
 *
 * Funding is a later change, not an opening (position.ts): the position keeps its leverage when the margin falls
 * below notional at entry ÷ leverage, as it does on a venue, and stays a position as long as some margin is left;
 * whether it is now liquidatable at that mark is for positionMetrics to say. A payment that leaves no margin (zero
 * or less) is refused (EngineInputError 'fundingRate'): the engine holds no position without margin;
 * replayFunding follows a margin that far.
 */
export function applyFunding(input: VenuePositionInput | Position, markPrice: Numeric, fundingRate: Numeric): Position {
  const p = asPosition(input);
  const payment = fundingPayment(p, markPrice, fundingRate);
  const margin = p.margin.sub(payment);
  if (margin.lte(0)) {
    throw new EngineInputError(
      'fundingRate',
      `the payment ${payment.toSignificantDigits(12).toString()} leaves a margin of ${margin
        .toSignificantDigits(12)
        .toString()}: no margin is left to hold the position; replayFunding follows it to liquidation`,
    );
  }
  return normalizePosition({ ...p, margin, stage: 'held' });
}

export interface FundingPathStep {
  /** Mark price at the funding time. */
  price: Numeric;
  fundingRate: Numeric;
}

export interface FundingReplayStep {
  price: Decimal;
  fundingRate: Decimal;
  /** Paid by the position at this step (negative: received); 0 when it was liquidated before the funding time. */
  payment: Decimal;
  /** Isolated margin after this step. */
  margin: Decimal;
  /** Margin + unrealized PnL at this step's price. */
  equity: Decimal;
  maintenanceMargin: Decimal;
  /** Liquidation price with this step's margin; null when no positive price is one. */
  liquidationPrice: Decimal | null;
  /** At or past the liquidation point at this step's price. The replay stops at the first such step. */
  liquidated: boolean;
}

export interface FundingReplay {
  /** The position's liquidation price before any funding. */
  startLiquidationPrice: Decimal | null;
  steps: FundingReplayStep[];
  /** Index of the step at which the position would have been liquidated; null if it survived the path. */
  liquidatedAtStep: number | null;
  /** Σ payments (positive: the position paid on balance). */
  totalPayment: Decimal;
}

/**
 * Replays a path of funding times, each a mark price and a rate: how funding moves the isolated margin and drags
 * the liquidation price. At each step the mark moves to `price`; if the position is already at or past its
 * liquidation point there it was liquidated on the way (no funding that step); otherwise the funding settles into
 * the margin and the check runs again with the new margin. Prices between funding times are not seen. The
 * replay stops at the first liquidation.
 */
export function replayFunding(input: VenuePositionInput | Position, path: readonly FundingPathStep[]): FundingReplay {
  const p = asPosition(input);
  if (!Array.isArray(path)) throw new EngineInputError('path', 'must be an array of { price, fundingRate }');
  const points = (path as readonly FundingPathStep[]).map((step, i) => {
    if (step === null || typeof step !== 'object') throw new EngineInputError(`path[${i}]`, 'must be an object { price, fundingRate }');
    return {
      price: positive(`path[${i}].price`, step.price),
      fundingRate: fundingRateOf(`path[${i}].fundingRate`, step.fundingRate),
    };
  });

  const steps: FundingReplayStep[] = [];
  let margin = p.margin;
  let totalPayment = ZERO;
  let liquidatedAtStep: number | null = null;
  const core = followsCoreRules(p);
  // A venue's own maintenance margin (Bybit's entry basis, a looked-up bracket table) is read from the position
  // with this margin. With no margin left there is no position to read: it counts as liquidated, which is what a
  // venue would have done by then for every position but a short deep in profit.
  const held = (m: Decimal): Position | null => (m.gt(0) ? normalizePosition({ ...p, margin: m, stage: 'held' }) : null);
  const beyond = (m: Decimal, price: Decimal): boolean => {
    if (core) return isBeyondLiquidation(p, m, price);
    const h = held(m);
    return h === null || positionMetrics(h, price).isLiquidatable;
  };
  for (const [index, { price, fundingRate }] of points.entries()) {
    let payment = ZERO;
    let liquidated = beyond(margin, price);
    if (!liquidated) {
      payment = paymentAt(p, price, fundingRate);
      margin = margin.sub(payment);
      totalPayment = totalPayment.add(payment);
      liquidated = beyond(margin, price);
    }
    const h = core ? null : held(margin);
    steps.push({
      price,
      fundingRate,
      payment,
      margin,
      equity: margin.add(exposurePnl(p, price)),
      maintenanceMargin: core ? exposureMaintenance(p, price) : maintenanceMarginAt(h ?? p, price),
      liquidationPrice: core ? priceWhereEquityMeetsMaintenance(p, margin) : h === null ? null : venueLiquidationPrice(h),
      liquidated,
    });
    if (liquidated) {
      liquidatedAtStep = index;
      break;
    }
  }
  return { startLiquidationPrice: liquidationPrice(p), steps, liquidatedAtStep, totalPayment };
}
