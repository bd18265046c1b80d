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
 *  - lendingLiquidation: one liquidationCall. The liquidator repays up to the close factor of one debt asset and
 *    seizes collateral worth repaid × (1 + bonus); the protocol keeps a share of the bonus part. The arithmetic is
 *    that of Aave v3's LiquidationLogic._calculateAvailableCollateralToLiquidate (aave/aave-v3-core), without its
 *    integer units: the engine works in exact decimals, so Aave's wei-level floor rounding is not reproduced.
 *
 * Prices are the oracle's, per unit of asset, in the base currency. All values are Decimal; nothing passes
 * through a float.
 */
import { Decimal, ONE, ZERO, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, positive } from './parse.ts';
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
  const a = normalizeLendingAccount(account);
  const name = assetName('asset', asset);
  const held = a.collateral.find((c) => c.asset === name);
  if (held === undefined) throw new EngineInputError('asset', `'${name}' is not collateral of this account`);
  const others: LendingAccount = {
    collateral: a.collateral.filter((c) => c.asset !== name),
    debt: a.debt.filter((d) => d.asset !== name),
  };
  const owed = a.debt.find((d) => d.asset === name)?.amount ?? ZERO;
  if (a.debt.every((d) => d.amount.isZero())) return null;
  const { thresholdValue, debtValue } = lendingAccountValues(others, prices);
  const slope = held.amount.mul(held.liquidationThreshold).sub(owed);
  if (slope.isZero()) return null;
  const price = debtValue.sub(thresholdValue).div(slope);
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
 * Aave v3.0–3.2 constants in LiquidationLogic.sol: close factor 50 % while 0.95 < HF < 1, 100 % at HF ≤ 0.95
 * (`healthFactor > CLOSE_FACTOR_HF_THRESHOLD ? DEFAULT : MAX`; the code's "below (inclusive)"). The guide
 * https://docs.aave.com/developers/guides/liquidations words it "HF < CLOSE_FACTOR_HF_THRESHOLD"; the two differ only
 * at exactly 0.95, and the code is what executes.
 */
export const AAVE_V3_CLOSE_FACTOR: Readonly<{ default: string; max: string; healthFactorThreshold: string }> = Object.freeze({
  default: '0.5',
  max: '1',
  healthFactorThreshold: '0.95',
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
}

export interface LendingLiquidation {
  /** False when the health factor is 1 or more (or there is no debt): nothing happens and every amount is 0. */
  liquidatable: boolean;
  healthFactorBefore: Decimal | null;
  /** The close factor that applied (0 when not liquidatable). */
  closeFactor: Decimal;
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
  accountAfter: LendingAccount;
  healthFactorAfter: Decimal | null;
  /**
   * Base-currency value by which the account's debt exceeds all its collateral after the liquidation, at these
   * prices (0 when covered). Aave v3.3 burns the remaining debt as a reserve deficit only once the account's
   * collateral is gone; this figure is the shortfall no further liquidation can recover.
   */
  badDebt: Decimal;
}

function zeroValues(): LendingLiquidation['values'] {
  return { debtRepaid: ZERO, collateralSeized: ZERO, liquidatorBonus: ZERO, protocolFee: ZERO };
}

/**
 * One Aave-v3-style liquidation of `account` at `prices`. The liquidator repays min(repayAmount, close factor ×
 * the account's debt in debtAsset) and seizes collateralAsset worth that × (1 + bonus) at oracle prices. When the
 * account holds less of collateralAsset than that, it takes all of it and the repayment shrinks to
 * collateral value ÷ (1 + bonus), as in Aave's LiquidationLogic. The protocol fee is
 * (seized − seized ÷ (1 + bonus)) × protocolFee, taken out of the seized collateral, so the borrower's loss does
 * not depend on the fee; only the liquidator's share does.
 *
 * The close factor is measured against the account's debt in debtAsset, as in Aave v3.0–3.2. Not modelled: v3.3
 * measures it against the whole position, lifts it to 100 % when the reserve's debt or collateral is worth under
 * $2,000, and forbids leaving between 0 and $1,000 of debt (venue-formulas.md §9).
 *
 * Value is conserved: collateral value seized = debt value repaid + liquidator bonus + protocol fee.
 * Why a liquidation can hurt: with one collateral and one debt, HF rises iff collateral value ÷ debt value
 * > 1 + bonus (cascade-models.md §4.5); below that each liquidation leaves the account less healthy.
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
  const rule = options.closeFactor ?? AAVE_V3_CLOSE_FACTOR;
  if (rule === null || typeof rule !== 'object') throw new EngineInputError('options.closeFactor', 'must be { default, max, healthFactorThreshold }');
  const defaultFactor = share('options.closeFactor.default', rule.default);
  const maxFactor = share('options.closeFactor.max', rule.max);
  const threshold = positive('options.closeFactor.healthFactorThreshold', rule.healthFactorThreshold);
  const debt = a.debt.find((d) => d.asset === debtAsset);
  if (debt === undefined) throw new EngineInputError('options.debtAsset', `'${debtAsset}' is not a debt of this account`);
  const held = a.collateral.find((c) => c.asset === collateralAsset);
  if (held === undefined) throw new EngineInputError('options.collateralAsset', `'${collateralAsset}' is not collateral of this account`);
  const requested = options.repayAmount === undefined ? null : nonNegative('options.repayAmount', options.repayAmount);
  const debtPrice = priceOf(prices, debtAsset);
  const collateralPrice = priceOf(prices, collateralAsset);

  const hfBefore = healthFactor(a, prices);
  if (hfBefore === null || hfBefore.gte(1)) {
    return {
      liquidatable: false,
      healthFactorBefore: hfBefore,
      closeFactor: ZERO,
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
    };
  }

  const closeFactor = hfBefore.gt(threshold) ? defaultFactor : maxFactor;
  const cap = debt.amount.mul(closeFactor);
  const repay = requested === null ? cap : Decimal.min(requested, cap);
  const onePlusBonus = ONE.add(bonus);
  const wanted = repay.mul(debtPrice).mul(onePlusBonus).div(collateralPrice);
  const collateralCapped = wanted.gt(held.amount);
  const collateralSeized = collateralCapped ? held.amount : wanted;
  const debtRepaid = collateralCapped ? held.amount.mul(collateralPrice).div(onePlusBonus).div(debtPrice) : repay;
  // Aave: bonusCollateral = collateralAmount − collateralAmount.percentDiv(liquidationBonus).
  const bonusPart = collateralSeized.sub(collateralSeized.div(onePlusBonus));
  const protocolFee = bonusPart.mul(feeShare);
  const liquidatorReceives = collateralSeized.sub(protocolFee);
  const liquidatorBonus = bonusPart.sub(protocolFee);

  const accountAfter: LendingAccount = Object.freeze({
    collateral: Object.freeze(
      a.collateral.map((c) => (c.asset === collateralAsset ? Object.freeze({ ...c, amount: c.amount.sub(collateralSeized) }) : c)),
    ),
    debt: Object.freeze(a.debt.map((d) => (d.asset === debtAsset ? Object.freeze({ ...d, amount: d.amount.sub(debtRepaid) }) : d))),
  });
  const debtRepaidValue = debtRepaid.mul(debtPrice);
  const seizedValue = collateralSeized.mul(collateralPrice);
  const feeValue = protocolFee.mul(collateralPrice);
  return {
    liquidatable: true,
    healthFactorBefore: hfBefore,
    closeFactor,
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
    badDebt: badDebtOf(accountAfter, prices),
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
