/**
 * Over-collateralised lending, Aave v3 style: an account holds several collateral assets and owes several debt
 * assets, everything valued at oracle prices in one base currency (USD on Aave v3 Ethereum).
 *
 *  - healthFactor = Σ collateral × price × liquidation threshold ÷ Σ debt × price. Below 1 the account can be
 *    liquidated. "For example, if a user supplies $10,000 in ETH with an 80% liquidation threshold and borrows
 *    $6,000 in GHO, the health factor would be 1.333" (https://aave.com/docs/developers/liquidations).
 *  - borrowing power = Σ collateral × price × LTV − debt value. LTV caps new borrowing; the liquidation
 *    threshold, which is higher, decides liquidation (venue-formulas.md §9: "LT is the liquidation threshold,
 *    not the LTV").
 *  - lendingLiquidation: one liquidationCall. The liquidator repays up to the close factor and seizes collateral
 *    worth repaid × (1 + bonus); the protocol keeps a share of the bonus part. Aave v3.3's rules by default (close
 *    factor on the whole position, 100 % for reserves under $2,000, no leftover under $1,000, bad debt burned when
 *    the collateral is gone: aave-dao/aave-v3-origin, LiquidationLogic.sol and docs/3.3/Aave-v3.3-features.md), or
 *    v3.0's with `rules: 'v3.0'`. The arithmetic is that of _calculateAvailableCollateralToLiquidate without its
 *    integer units: the engine works in exact decimals, so Aave's wei-level floor rounding is not reproduced.
 *
 * Prices are the oracle's, per unit of asset, in the base currency. All values are Decimal; nothing passes
 * through a float.
 */
import { Decimal, ONE, ZERO, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, oneOf, positive } from './parse.ts';
import { PROTOCOL_PRESET_TABLES, type ProtocolPresetData } from './protocol-tables.generated.ts';

export interface CollateralInput {
  asset: string;
  amount: Numeric;
  /** Share of the collateral's value that counts toward the health factor (Aave's LT), in [0, 1]. */
  liquidationThreshold: Numeric;
  /** Share of the collateral's value that can be borrowed against (Aave's LTV), in [0, liquidationThreshold]. */
  ltv: Numeric;
}

export interface DebtInput {
  asset: string;
  amount: Numeric;
}

export interface LendingAccountInput {
  collateral: readonly CollateralInput[];
  debt: readonly DebtInput[];
}

export interface LendingCollateral {
  readonly asset: string;
  readonly amount: Decimal;
  readonly liquidationThreshold: Decimal;
  readonly ltv: Decimal;
}

export interface LendingDebt {
  readonly asset: string;
  readonly amount: Decimal;
}

/** A validated account: every number a Decimal, each asset at most once on each side. */
export interface LendingAccount {
  readonly collateral: readonly LendingCollateral[];
  readonly debt: readonly LendingDebt[];
}

/** Oracle prices by asset, in the base currency. */
export type LendingPrices = Readonly<Record<string, Numeric>>;

export interface LendingAccountValues {
  /** Σ collateral × price. */
  collateralValue: Decimal;
  /** Σ collateral × price × liquidation threshold: the numerator of the health factor. */
  thresholdValue: Decimal;
  /** Σ collateral × price × LTV: the most the account may owe after a new borrow. */
  borrowLimit: Decimal;
  /** Σ debt × price. */
  debtValue: Decimal;
}

function assetName(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new EngineInputError(field, 'must be a non-empty asset name');
  return value;
}

function share(field: string, value: Numeric | undefined | null): Decimal {
  const decimal = nonNegative(field, value);
  if (decimal.gt(1)) throw new EngineInputError(field, `must be at most 1 (a share, not a percentage), got ${decimal.toString()}`);
  return decimal;
}

/**
 * Validates a lending account. Thresholds are shares (0.83, not 83 or 8300). LTV may not exceed the liquidation
 * threshold, the rule Aave's PoolConfigurator enforces, since otherwise a fresh maximal borrow would be liquidatable.
 * An asset may appear once as collateral and once as debt (Aave lets a user supply and borrow the same reserve).
 */
export function normalizeLendingAccount(input: LendingAccountInput | LendingAccount): LendingAccount {
  if (input === null || typeof input !== 'object') throw new EngineInputError('account', 'must be an object');
  if (!Array.isArray(input.collateral)) throw new EngineInputError('account.collateral', 'must be a list');
  if (!Array.isArray(input.debt)) throw new EngineInputError('account.debt', 'must be a list');
  const seen = new Set<string>();
  const collateral = input.collateral.map((c: CollateralInput, i: number): LendingCollateral => {
    const field = `account.collateral[${i}]`;
    const asset = assetName(`${field}.asset`, c?.asset);
    if (seen.has(asset)) throw new EngineInputError(`${field}.asset`, `lists '${asset}' a second time`);
    seen.add(asset);
    const liquidationThreshold = share(`${field}.liquidationThreshold`, c.liquidationThreshold);
    const ltv = share(`${field}.ltv`, c.ltv);
    if (ltv.gt(liquidationThreshold)) {
      throw new EngineInputError(`${field}.ltv`, `must not exceed the liquidation threshold ${liquidationThreshold.toString()}, got ${ltv.toString()}`);
    }
    return Object.freeze({ asset, amount: nonNegative(`${field}.amount`, c.amount), liquidationThreshold, ltv });
  });
  seen.clear();
  const debt = input.debt.map((d: DebtInput, i: number): LendingDebt => {
    const field = `account.debt[${i}]`;
    const asset = assetName(`${field}.asset`, d?.asset);
    if (seen.has(asset)) throw new EngineInputError(`${field}.asset`, `lists '${asset}' a second time`);
    seen.add(asset);
    return Object.freeze({ asset, amount: nonNegative(`${field}.amount`, d.amount) });
  });
  return Object.freeze({ collateral: Object.freeze(collateral), debt: Object.freeze(debt) });
}

function priceOf(prices: LendingPrices, asset: string): Decimal {
  if (prices === null || typeof prices !== 'object') throw new EngineInputError('prices', 'must be a record from asset to price');
  // Own properties only: an asset named "constructor" must not read Object.prototype.
  const value = Object.prototype.hasOwnProperty.call(prices, asset) ? prices[asset] : undefined;
  return positive(`prices.${asset}`, value);
}

/** The four sums every other function here is built from, at the given oracle prices. */
export function lendingAccountValues(account: LendingAccountInput | LendingAccount, prices: LendingPrices): LendingAccountValues {
  const a = normalizeLendingAccount(account);
  let collateralValue = ZERO;
  let thresholdValue = ZERO;
  let borrowLimit = ZERO;
  let debtValue = ZERO;
  for (const c of a.collateral) {
    const value = c.amount.mul(priceOf(prices, c.asset));
    collateralValue = collateralValue.add(value);
    thresholdValue = thresholdValue.add(value.mul(c.liquidationThreshold));
    borrowLimit = borrowLimit.add(value.mul(c.ltv));
  }
  for (const d of a.debt) debtValue = debtValue.add(d.amount.mul(priceOf(prices, d.asset)));
  return { collateralValue, thresholdValue, borrowLimit, debtValue };
}

/**
 * Health factor: Σ collateral × price × liquidation threshold ÷ Σ debt × price. Below 1 the account is
 * liquidatable. Returns null when the account owes nothing, as Aave does ("The health factor is null unless the
 * user has at least one active borrow", https://aave.com/docs/aave-v3/markets/health-factor.md): with no debt there
 * is no ratio, and null keeps an infinite value out of charts and sums.
 */
export function healthFactor(account: LendingAccountInput | LendingAccount, prices: LendingPrices): Decimal | null {
  const { thresholdValue, debtValue } = lendingAccountValues(account, prices);
  return debtValue.isZero() ? null : thresholdValue.div(debtValue);
}

/**
 * Borrowing power: Σ collateral × price × LTV − debt value, in the base currency. Negative when the account owes
 * more than its LTV allows (after a price fall), which blocks new borrowing but does not by itself liquidate.
 */
export function borrowingPower(account: LendingAccountInput | LendingAccount, prices: LendingPrices): Decimal {
  const { borrowLimit, debtValue } = lendingAccountValues(account, prices);
  return borrowLimit.sub(debtValue);
}

/**
 * The price of one collateral asset at which the health factor equals 1, every other price fixed. Solves
 * W_others + c·LT·p − D_others − d·p = 0 for p, where c and d are the account's collateral and debt in `asset`:
 * p = (D_others − W_others) ÷ (c·LT − d). When the account also owes more of `asset` than its weighted collateral
 * in it (c·LT < d) the health factor falls as the price rises, and the answer is a ceiling, not a floor.
 * Returns null when no positive price gives a health factor of 1: no debt, no sensitivity to this price, or the
 * other assets alone keep the account above (or below) 1 at any price of this one.
 */
export function collateralLiquidationPrice(account: LendingAccountInput | LendingAccount, prices: LendingPrices, asset: string): Decimal | null {
  return collateralPriceForHealthFactor(account, prices, asset, ONE);
}

/**
 * The price of one collateral asset at which the health factor equals `target` (1 is collateralLiquidationPrice;
 * 0.95 is where Aave's close factor goes to 100 %), every other price fixed: W_others + c·LT·p = h·(D_others + d·p),
 * so p = (h·D_others − W_others) ÷ (c·LT − h·d). Null when no positive price reaches `target`.
 */
export function collateralPriceForHealthFactor(
  account: LendingAccountInput | LendingAccount,
  prices: LendingPrices,
  asset: string,
  target: Numeric,
): Decimal | null {
  const a = normalizeLendingAccount(account);
  const name = assetName('asset', asset);
  const h = positive('target', target);
  const held = a.collateral.find((c) => c.asset === name);
  if (held === undefined) throw new EngineInputError('asset', `'${name}' is not collateral of this account`);
  const others: LendingAccount = {
    collateral: a.collateral.filter((c) => c.asset !== name),
    debt: a.debt.filter((d) => d.asset !== name),
  };
  const owed = a.debt.find((d) => d.asset === name)?.amount ?? ZERO;
  if (a.debt.every((d) => d.amount.isZero())) return null;
  const { thresholdValue, debtValue } = lendingAccountValues(others, prices);
  const slope = held.amount.mul(held.liquidationThreshold).sub(owed.mul(h));
  if (slope.isZero()) return null;
  const price = debtValue.mul(h).sub(thresholdValue).div(slope);
  return price.gt(0) ? price : null;
}

/** Aave v3's close-factor rule: `default` of the debt while HF > `healthFactorThreshold`, `max` at or below it. */
export interface CloseFactorRule {
  /** DEFAULT_LIQUIDATION_CLOSE_FACTOR, 0.5 on Aave v3. */
  default: Numeric;
  /** MAX_LIQUIDATION_CLOSE_FACTOR, 1 on Aave v3. */
  max: Numeric;
  /** CLOSE_FACTOR_HF_THRESHOLD, 0.95 on Aave v3. */
  healthFactorThreshold: Numeric;
}

/**
 * Aave v3 constants in LiquidationLogic.sol: close factor 50 % while 0.95 < HF < 1, 100 % at HF ≤ 0.95
 * (`healthFactor > CLOSE_FACTOR_HF_THRESHOLD ? DEFAULT : MAX`; the code's "below (inclusive)"). The guide
 * https://docs.aave.com/developers/guides/liquidations words it "HF < CLOSE_FACTOR_HF_THRESHOLD"; the two differ only
 * at exactly 0.95, and the code is what executes. The same three numbers serve v3.0–3.2 and v3.3; what v3.3 changed
 * is what the 50 % is a share of (see lendingLiquidation).
 */
export const AAVE_V3_CLOSE_FACTOR: Readonly<{ default: string; max: string; healthFactorThreshold: string }> = Object.freeze({
  default: '0.5',
  max: '1',
  healthFactorThreshold: '0.95',
});

/** Which generation of Aave v3's liquidation rules to apply. */
export type LendingRules = 'v3.3' | 'v3.0';
export const LENDING_RULES: readonly LendingRules[] = ['v3.3', 'v3.0'];

/** Aave v3.3's position-size limits, in the base currency (USD on Aave's markets). */
export interface PositionSizeLimits {
  /** MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD: below this, a reserve's debt or collateral may be liquidated in full. */
  fullCloseBelow: Numeric;
  /** MIN_LEFTOVER_BASE: a partial liquidation must leave at least this much of the debt and of the collateral. */
  minLeftover: Numeric;
}

/**
 * LiquidationLogic.sol (aave-dao/aave-v3-origin, v3.3): MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD = 2000e8 and
 * MIN_LEFTOVER_BASE = MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD / 2, in a base currency of USD with 8 decimals. The code
 * notes that a market priced in another base currency needs other values; pass `positionLimits` for one.
 */
export const AAVE_V3_3_POSITION_LIMITS: Readonly<{ fullCloseBelow: string; minLeftover: string }> = Object.freeze({
  fullCloseBelow: '2000',
  minLeftover: '1000',
});

export interface LendingLiquidationOptions {
  debtAsset: string;
  collateralAsset: string;
  /** Debt the liquidator offers to repay, in units of `debtAsset`; capped at the close factor. Default: the cap. */
  repayAmount?: Numeric;
  /** Default AAVE_V3_CLOSE_FACTOR. */
  closeFactor?: CloseFactorRule;
  /** The bonus as a share: 0.05 for Aave's 10500 bps. Collateral seized is worth repaid × (1 + bonus). */
  liquidationBonus: Numeric;
  /** The protocol's share of the bonus part of the seized collateral (Aave's liquidationProtocolFee), in [0, 1]. */
  protocolFee?: Numeric;
  /** 'v3.3' (default) or 'v3.0' (Aave v3.0–3.2). See lendingLiquidation for what differs. */
  rules?: LendingRules;
  /** v3.3 only. Default AAVE_V3_3_POSITION_LIMITS ($2,000 and $1,000). */
  positionLimits?: PositionSizeLimits;
}

/**
 * Why the close factor is what it is:
 *  - 'health-factor': 50 % (the rule's default) because HF is above 0.95;
 *  - 'deep-health-factor': 100 % because HF is at or below 0.95;
 *  - 'small-debt' / 'small-collateral' (v3.3): 100 % because the account's debt in debtAsset, or its collateral in
 *    collateralAsset, is worth less than the full-close threshold ($2,000).
 */
export type CloseFactorReason = 'health-factor' | 'deep-health-factor' | 'small-debt' | 'small-collateral';

/**
 * What v3.3's no-dust rule did to the repayment: 'none'; 'lowered' to leave exactly the minimum leftover of debt or
 * collateral (the largest repayment Aave accepts that is not above the one asked); 'raised' to the whole amount
 * allowed, when no smaller repayment leaves enough (Aave would revert the call asked for).
 */
export type LeftoverAdjustment = 'none' | 'lowered' | 'raised';

export interface LendingLiquidation {
  /** False when the health factor is 1 or more (or there is no debt): nothing happens and every amount is 0. */
  liquidatable: boolean;
  rules: LendingRules;
  healthFactorBefore: Decimal | null;
  /** The close factor that applied (0 when not liquidatable). On v3.3 a share of the whole position's debt. */
  closeFactor: Decimal;
  /** Why that close factor (null when not liquidatable). */
  closeFactorReason: CloseFactorReason | null;
  /** The most of debtAsset this call could repay, in its units: the close factor's cap before any collateral limit. */
  maxRepay: Decimal;
  /** v3.3's no-dust rule: whether it changed the repayment ('none' on v3.0). */
  leftoverAdjustment: LeftoverAdjustment;
  /** Units of debtAsset repaid by the liquidator. */
  debtRepaid: Decimal;
  /** Units of collateralAsset taken from the account: to the liquidator plus the protocol fee. */
  collateralSeized: Decimal;
  /** Units of collateralAsset the liquidator receives (collateralSeized − protocolFee). */
  liquidatorReceives: Decimal;
  /** Units of collateralAsset above the repaid value that the liquidator keeps: the bonus net of the protocol fee. */
  liquidatorBonus: Decimal;
  /** Units of collateralAsset to the protocol treasury: protocolFee × the bonus part. */
  protocolFee: Decimal;
  /** Base-currency values of the above at the liquidation's prices. */
  values: { debtRepaid: Decimal; collateralSeized: Decimal; liquidatorBonus: Decimal; protocolFee: Decimal };
  /** True when the account held less collateral than repay × (1 + bonus), so the repayment was cut to fit. */
  collateralCapped: boolean;
  /** The account after the call (on v3.3, after any bad debt was burned). */
  accountAfter: LendingAccount;
  healthFactorAfter: Decimal | null;
  /**
   * Base-currency value by which the account's debt exceeds all its collateral after the seizure, at these prices
   * (0 when covered): the loss no further liquidation can recover. Measured before v3.3 burns anything, so the two
   * rule sets report the same figure; on v3.3 with no collateral left it equals `deficit`.
   */
  badDebt: Decimal;
  /** v3.3: debt burned because no collateral is left, by asset (units), booked by Aave as each reserve's deficit. */
  debtBurned: readonly LendingDebt[];
  /** Base-currency value of debtBurned (0 on v3.0, which leaves the debt on an empty account). */
  deficit: Decimal;
}

function zeroValues(): LendingLiquidation['values'] {
  return { debtRepaid: ZERO, collateralSeized: ZERO, liquidatorBonus: ZERO, protocolFee: ZERO };
}

/**
 * One Aave v3 liquidationCall on `account` at oracle `prices`: the liquidator repays debtAsset and seizes
 * collateralAsset worth the repayment × (1 + bonus). The rule, exactly (with HF the health factor before the call,
 * D the account's debt in debtAsset, C its collateral in collateralAsset, T its total debt value, dp and cp the two
 * prices, β the bonus, f the protocol fee, and the thresholds of `closeFactor`, default 0.5 / 1 / 0.95):
 *
 *  1. Nothing happens unless HF < 1.
 *  2. The cap (maxRepay, units of debtAsset):
 *     - v3.3 (LiquidationLogic.sol, aave-dao/aave-v3-origin; Aave-v3.3-features.md §2.1–2.2): if C·cp ≥ $2,000 and
 *       D·dp ≥ $2,000 and HF > 0.95, cap = min(D, 0.5 × T ÷ dp): half of the WHOLE position's debt, so a reserve
 *       holding less than half of it can be repaid in full. Otherwise (HF ≤ 0.95, or either reserve under $2,000)
 *       cap = D. Comparisons as in the code: `≥ 2000` keeps the 50 % rule, `> 0.95` keeps it.
 *     - v3.0: cap = D × (HF > 0.95 ? 0.5 : 1): half of this reserve's debt.
 *  3. repay = min(repayAmount ?? cap, cap). Collateral wanted = repay × dp × (1 + β) ÷ cp. If that exceeds C, all of
 *     C is seized and repay becomes C × cp ÷ (1 + β) ÷ dp (collateralCapped).
 *  4. v3.3 no-dust rule (§2.3): if the call repays less than D and seizes less than C, both leftovers must be worth at
 *     least $1,000, or Aave reverts. The engine does what a liquidator does after a revert: it lowers the repayment
 *     to min(D − 1000 ÷ dp, (C·cp − 1000) ÷ (dp·(1 + β))) when that is positive ('lowered'), and otherwise repays
 *     the cap ('raised'; then D or C is taken in full, since the cap is D whenever a reserve is under $2,000).
 *  5. Protocol fee = (seized − seized ÷ (1 + β)) × f, out of the seized collateral: the borrower's loss does not
 *     depend on the fee, only the liquidator's share does.
 *  6. v3.3 bad debt (§1): if no collateral of any asset is left and debt remains, all of the account's remaining debt
 *     is burned (debtBurned, deficit); v3.0 leaves it on the empty account.
 *
 * Aave works in integers (8-decimal USD prices, token decimals, floor division); the engine works in exact
 * decimals, so the wei-level roundings are not reproduced. Value is conserved: collateral value seized = debt value
 * repaid + liquidator bonus + protocol fee.
 *
 * Why a liquidation can hurt: with one collateral and one debt, HF rises iff collateral value ÷ debt value
 * > 1 + bonus (cascade-models.md §4.5); below that each partial liquidation leaves the account less healthy.
 *
 * Published numeric examples: Aave publishes none for a whole liquidation (its guides give the formula only); the
 * v3.3 features document gives two position examples for the new limits, which lending.test.ts reproduces.
 */
export function lendingLiquidation(
  account: LendingAccountInput | LendingAccount,
  prices: LendingPrices,
  options: LendingLiquidationOptions,
): LendingLiquidation {
  const a = normalizeLendingAccount(account);
  if (options === null || typeof options !== 'object') throw new EngineInputError('options', 'must be an object');
  const debtAsset = assetName('options.debtAsset', options.debtAsset);
  const collateralAsset = assetName('options.collateralAsset', options.collateralAsset);
  const bonus = nonNegative('options.liquidationBonus', options.liquidationBonus);
  if (bonus.gte(1)) throw new EngineInputError('options.liquidationBonus', `must be a share below 1 (0.05 for 10500 bps), got ${bonus.toString()}`);
  const feeShare = share('options.protocolFee', options.protocolFee ?? 0);
  const rules = oneOf('options.rules', options.rules ?? 'v3.3', LENDING_RULES);
  const rule = options.closeFactor ?? AAVE_V3_CLOSE_FACTOR;
  if (rule === null || typeof rule !== 'object') throw new EngineInputError('options.closeFactor', 'must be { default, max, healthFactorThreshold }');
  const defaultFactor = share('options.closeFactor.default', rule.default);
  const maxFactor = share('options.closeFactor.max', rule.max);
  const threshold = positive('options.closeFactor.healthFactorThreshold', rule.healthFactorThreshold);
  const limits = options.positionLimits ?? AAVE_V3_3_POSITION_LIMITS;
  if (limits === null || typeof limits !== 'object') throw new EngineInputError('options.positionLimits', 'must be { fullCloseBelow, minLeftover }');
  const fullCloseBelow = nonNegative('options.positionLimits.fullCloseBelow', limits.fullCloseBelow);
  const minLeftover = nonNegative('options.positionLimits.minLeftover', limits.minLeftover);
  const debt = a.debt.find((d) => d.asset === debtAsset);
  if (debt === undefined) throw new EngineInputError('options.debtAsset', `'${debtAsset}' is not a debt of this account`);
  const held = a.collateral.find((c) => c.asset === collateralAsset);
  if (held === undefined) throw new EngineInputError('options.collateralAsset', `'${collateralAsset}' is not collateral of this account`);
  const requested = options.repayAmount === undefined ? null : nonNegative('options.repayAmount', options.repayAmount);
  const debtPrice = priceOf(prices, debtAsset);
  const collateralPrice = priceOf(prices, collateralAsset);

  const { debtValue: totalDebtValue } = lendingAccountValues(a, prices);
  const hfBefore = totalDebtValue.isZero() ? null : healthFactor(a, prices);
  if (hfBefore === null || hfBefore.gte(1)) {
    return {
      liquidatable: false,
      rules,
      healthFactorBefore: hfBefore,
      closeFactor: ZERO,
      closeFactorReason: null,
      maxRepay: ZERO,
      leftoverAdjustment: 'none',
      debtRepaid: ZERO,
      collateralSeized: ZERO,
      liquidatorReceives: ZERO,
      liquidatorBonus: ZERO,
      protocolFee: ZERO,
      values: zeroValues(),
      collateralCapped: false,
      accountAfter: a,
      healthFactorAfter: hfBefore,
      badDebt: badDebtOf(a, prices),
      debtBurned: [],
      deficit: ZERO,
    };
  }

  const reserveDebtValue = debt.amount.mul(debtPrice);
  const reserveCollateralValue = held.amount.mul(collateralPrice);
  const aboveThreshold = hfBefore.gt(threshold);
  let closeFactor: Decimal;
  let closeFactorReason: CloseFactorReason;
  let maxRepay: Decimal;
  if (rules === 'v3.0') {
    closeFactor = aboveThreshold ? defaultFactor : maxFactor;
    closeFactorReason = aboveThreshold ? 'health-factor' : 'deep-health-factor';
    maxRepay = debt.amount.mul(closeFactor);
  } else if (!aboveThreshold) {
    closeFactor = maxFactor;
    closeFactorReason = 'deep-health-factor';
    maxRepay = debt.amount.mul(maxFactor);
  } else if (reserveDebtValue.lt(fullCloseBelow) || reserveCollateralValue.lt(fullCloseBelow)) {
    closeFactor = maxFactor;
    closeFactorReason = reserveDebtValue.lt(fullCloseBelow) ? 'small-debt' : 'small-collateral';
    maxRepay = debt.amount.mul(maxFactor);
  } else {
    closeFactor = defaultFactor;
    closeFactorReason = 'health-factor';
    maxRepay = Decimal.min(debt.amount, totalDebtValue.mul(defaultFactor).div(debtPrice));
  }

  const onePlusBonus = ONE.add(bonus);
  const seize = (repayAsked: Decimal) => {
    const wanted = repayAsked.mul(debtPrice).mul(onePlusBonus).div(collateralPrice);
    const capped = wanted.gt(held.amount);
    return {
      capped,
      seized: capped ? held.amount : wanted,
      repaid: capped ? held.amount.mul(collateralPrice).div(onePlusBonus).div(debtPrice) : repayAsked,
    };
  };
  let step = seize(requested === null ? maxRepay : Decimal.min(requested, maxRepay));
  let leftoverAdjustment: LeftoverAdjustment = 'none';
  if (rules === 'v3.3' && step.repaid.lt(debt.amount) && step.seized.lt(held.amount)) {
    const debtLeft = debt.amount.sub(step.repaid).mul(debtPrice);
    const collateralLeft = held.amount.sub(step.seized).mul(collateralPrice);
    if (debtLeft.lt(minLeftover) || collateralLeft.lt(minLeftover)) {
      const byDebt = debt.amount.sub(minLeftover.div(debtPrice));
      const byCollateral = reserveCollateralValue.sub(minLeftover).div(debtPrice.mul(onePlusBonus));
      const lowered = Decimal.min(step.repaid, byDebt, byCollateral);
      if (lowered.gt(0)) {
        step = seize(lowered);
        leftoverAdjustment = 'lowered';
      } else {
        step = seize(maxRepay);
        leftoverAdjustment = 'raised';
      }
    }
  }
  const { seized: collateralSeized, repaid: debtRepaid, capped: collateralCapped } = step;
  // Aave: bonusCollateral = collateralAmount − collateralAmount.percentDiv(liquidationBonus).
  const bonusPart = collateralSeized.sub(collateralSeized.div(onePlusBonus));
  const protocolFee = bonusPart.mul(feeShare);
  const liquidatorReceives = collateralSeized.sub(protocolFee);
  const liquidatorBonus = bonusPart.sub(protocolFee);

  const afterSeizure: LendingAccount = Object.freeze({
    collateral: Object.freeze(
      a.collateral.map((c) => (c.asset === collateralAsset ? Object.freeze({ ...c, amount: c.amount.sub(collateralSeized) }) : c)),
    ),
    debt: Object.freeze(a.debt.map((d) => (d.asset === debtAsset ? Object.freeze({ ...d, amount: d.amount.sub(debtRepaid) }) : d))),
  });
  const badDebt = badDebtOf(afterSeizure, prices);
  let accountAfter = afterSeizure;
  let debtBurned: LendingDebt[] = [];
  let deficit = ZERO;
  // v3.3 burns the debt of an account left with no collateral at all (Aave: totalCollateralInBaseCurrency equal to
  // the collateral just liquidated), in every debt reserve, not only the one repaid.
  if (rules === 'v3.3' && afterSeizure.collateral.every((c) => c.amount.isZero())) {
    debtBurned = afterSeizure.debt.filter((d) => !d.amount.isZero()).map((d) => Object.freeze({ asset: d.asset, amount: d.amount }));
    if (debtBurned.length > 0) {
      deficit = lendingAccountValues({ collateral: [], debt: debtBurned }, prices).debtValue;
      accountAfter = Object.freeze({
        collateral: afterSeizure.collateral,
        debt: Object.freeze(afterSeizure.debt.map((d) => Object.freeze({ ...d, amount: ZERO }))),
      });
    }
  }
  const debtRepaidValue = debtRepaid.mul(debtPrice);
  const seizedValue = collateralSeized.mul(collateralPrice);
  const feeValue = protocolFee.mul(collateralPrice);
  return {
    liquidatable: true,
    rules,
    healthFactorBefore: hfBefore,
    closeFactor,
    closeFactorReason,
    maxRepay,
    leftoverAdjustment,
    debtRepaid,
    collateralSeized,
    liquidatorReceives,
    liquidatorBonus,
    protocolFee,
    values: {
      debtRepaid: debtRepaidValue,
      collateralSeized: seizedValue,
      // Defined as the remainder so that the three parts add up to the seized value digit for digit.
      liquidatorBonus: seizedValue.sub(debtRepaidValue).sub(feeValue),
      protocolFee: feeValue,
    },
    collateralCapped,
    accountAfter,
    healthFactorAfter: healthFactor(accountAfter, prices),
    badDebt,
    debtBurned: Object.freeze(debtBurned),
    deficit,
  };
}

function badDebtOf(account: LendingAccount, prices: LendingPrices): Decimal {
  const { collateralValue, debtValue } = lendingAccountValues(account, prices);
  return Decimal.max(ZERO, debtValue.sub(collateralValue));
}

/**
 * A shipped lending protocol preset (content/protocols/<id>.yaml, through the generated table): its source, the date
 * it was read, its close factor rule and per-asset LTV, liquidation threshold, bonus and protocol fee, all as
 * decimal strings that every function here accepts as they are.
 */
export function protocolPreset(id: string): ProtocolPresetData {
  const preset = PROTOCOL_PRESET_TABLES.find((p) => p.id === id);
  if (preset === undefined) {
    throw new EngineInputError('preset', `must be one of ${PROTOCOL_PRESET_TABLES.map((p) => `'${p.id}'`).join(', ')}, got ${JSON.stringify(id)}`);
  }
  return preset;
}

/** The ids of every shipped lending protocol preset. */
export function listProtocolPresets(): string[] {
  return PROTOCOL_PRESET_TABLES.map((p) => p.id);
}
