/**
 * Where the money goes when an isolated position is liquidated: the trader, the liquidation fee, the
 * insurance fund, and the bad debt beyond the fund.
 *
 * Model: full takeover of an isolated position (Bybit's, BitMEX's and Binance's description of a position the
 * liquidation engine closes in full). The trader loses the whole isolated margin; what is left of it when the
 * engine fills, the equity at the fill price, pays the liquidation fee and then goes to the insurance fund;
 * a fill beyond the bankruptcy price leaves negative equity, which the insurance fund covers as far as its
 * balance goes, and the rest is bad debt (socialized or auto-deleveraged).
 *
 *   equityAtFill        E = margin + unrealized PnL at the fill price
 *   fee                 min(notional at the fill price × liquidationFeeRate, max(E, 0))
 *   traderKeeps         0
 *   insuranceFundChange E − fee when E ≥ 0 (a gain: the fill beat the bankruptcy price)
 *                       −min(−E, fund balance) when E < 0 (a loss: the fill was worse than the bankruptcy price)
 *   badDebt             E + that cover when E < 0 (negative: the loss nobody in the waterfall had), else 0
 *
 *   traderKeeps + fee + insuranceFundChange + badDebt = equityAtFill, exactly (see below).
 *
 * Every part is a signed share of E: positive is money received out of the position's equity, negative is money
 * put in to cover it. At Binance and Bybit the liquidation fee itself also goes to the insurance fund, so the
 * fund's total inflow is fee + insuranceFundChange; it is reported apart because readers are shown it apart.
 *
 * Sources (venue-formulas.md §3, §5 and the pitfalls list):
 *  - Bybit, "Liquidation Process (USDT Contract)": https://help.bybit.com/hc/en-us/articles/900000167723-Liquidation-Process-USDT-Contract-
 *    — take over the position at the bankruptcy price; a fill better than it pays the surplus to the insurance
 *    fund, a worse one is covered by the fund; ADL when the fund is insufficient.
 *  - Bybit, "What is Bankruptcy Price": https://help.bybit.com/hc/en-us/articles/360011431853-What-is-Bankruptcy-Price-
 *    — "you have lost all the position margin … the excess margin will be contributed to the Insurance Fund".
 *  - BitMEX: https://www.bitmex.com/app/liquidation — "your maintenance margin will be lost"; proceeds better
 *    than the bankruptcy price go to the Insurance Fund.
 *  - Binance Insurance Fund FAQ: https://www.binance.com/en/support/articles/360033525371-Insurance-Fund — the
 *    fund collects liquidation fees and balances bankrupt accounts back to 0. Binance's liquidation protocol
 *    (as mirrored at https://docs.traderwagon.com/faq/futures-trading-introduction/liquidation-protocol):
 *    "a liquidation fee will be charged on the amount liquidated", and a still-deficient position is "closed at
 *    the bankruptcy price and the Insurance Fund will take over the position".
 * Not sourced: the fee cap at the remaining equity (the fee cannot take more than the equity left; what the
 * venues do at the boundary is not published), and the fee rate itself (a parameter here; a third-party
 * repository lists 0.3 % for BTCUSDT, venue-formulas.md §1).
 *
 * Partial liquidation is modelled apart, for Bybit's published tier step-down (partial-liquidation.ts); its takeover
 * step ends here. Binance's "Smart Liquidation" first reduces the position with one IOC order and stops if the
 * account is margin compliant; the size of that reduction is not published in closed form, so for Binance only
 * full takeover is modelled.
 *
 * Exactness: the four parts are multiples of E's last digit (10^(exponent of E − 39)), none larger in size than E,
 * so every sum of them is exact in the engine's 40-digit Decimal. The fee and the fund's cover are rounded down to
 * that digit, a change of at most 1 part in 10^39 of E.
 */
import { Decimal, ZERO, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, positive } from './parse.ts';
import { type Position, type VenuePositionInput } from './position.ts';
import { bankruptcyPrice, normalizePosition } from './venue-position.ts';
import { exposureNotional, exposurePnl } from './account.ts';

export interface LiquidationOutcomeOptions {
  /** Fee on notional at the fill price, as a fraction: 0.005 is 0.5 %. */
  liquidationFeeRate: Numeric;
  /** What the insurance fund holds, in the margin currency. Omitted: the fund covers any loss (no bad debt). */
  insuranceFundBalance?: Numeric;
}

export interface LiquidationOutcome {
  fillPrice: Decimal;
  /** Where the position's equity is zero; a fill on its far side leaves negative equity. */
  bankruptcyPrice: Decimal | null;
  notionalAtFill: Decimal;
  /** Margin + unrealized PnL at the fill price, rounded to 40 significant digits. */
  equityAtFill: Decimal;
  /** Always 0 in this model: the isolated margin is lost in full. */
  traderKeeps: Decimal;
  /** The liquidation fee, capped at the equity left (0 when there is none). */
  fee: Decimal;
  /** Positive: the fund's gain from a fill better than the bankruptcy price. Negative: what the fund pays. */
  insuranceFundChange: Decimal;
  /** Zero or negative: the part of a negative equity the fund could not cover (socialized / ADL). */
  badDebt: Decimal;
}

/** Rounds toward zero, for the quantizing below. */
const DecimalDown = /* @__PURE__ */ Decimal.clone({ rounding: Decimal.ROUND_DOWN });

/** `value` (≥ 0) rounded down to a multiple of `unit` (a power of ten). */
function floorToUnit(value: Decimal, unit: Decimal): Decimal {
  if (value.lte(0)) return ZERO;
  return new Decimal(new DecimalDown(value).div(unit).floor()).mul(unit);
}

/** What a full liquidation of an isolated position filled at `fillPrice` does with its equity. */
export function liquidationOutcome(
  input: VenuePositionInput | Position,
  fillPrice: Numeric,
  options: LiquidationOutcomeOptions,
): LiquidationOutcome {
  const p = normalizePosition(input);
  const fill = positive('fillPrice', fillPrice);
  if (options === null || typeof options !== 'object') {
    throw new EngineInputError('options', 'must be an object with a liquidationFeeRate');
  }
  const rate = nonNegative('liquidationFeeRate', options.liquidationFeeRate);
  if (rate.gte(1)) throw new EngineInputError('liquidationFeeRate', `must be below 1 (100 %), got ${rate.toString()}`);
  const fund =
    options.insuranceFundBalance === undefined ? null : nonNegative('insuranceFundBalance', options.insuranceFundBalance);

  const notionalAtFill = exposureNotional(p, fill);
  const equity = p.margin.add(exposurePnl(p, fill)).toSignificantDigits(Decimal.precision);
  // The last digit of E at 40 significant digits; E = 0 has none, and nothing to divide.
  const unit = new Decimal(10).pow(equity.e - (Decimal.precision - 1));

  let fee = ZERO;
  let insuranceFundChange = ZERO;
  let badDebt = ZERO;
  if (equity.gte(0)) {
    fee = floorToUnit(Decimal.min(notionalAtFill.mul(rate), equity), unit);
    insuranceFundChange = equity.sub(fee);
  } else {
    const loss = equity.neg();
    const cover = fund === null ? loss : floorToUnit(Decimal.min(fund, loss), unit);
    insuranceFundChange = ZERO.sub(cover); // not cover.neg(): no −0 when the fund is empty
    badDebt = equity.add(cover);
  }
  return {
    fillPrice: fill,
    bankruptcyPrice: bankruptcyPrice(p),
    notionalAtFill,
    equityAtFill: equity,
    traderKeeps: ZERO,
    fee,
    insuranceFundChange,
    badDebt,
  };
}
