/**
 * On-chain liquidation cascades: lending protocols (Aave v3 style) whose seized collateral is sold into
 * constant-product pools that their own oracles may read, so a liquidation's sale can push the price into the
 * next liquidations, within one protocol and across protocols.
 *
 * This is the spiral of cascade.ts run over a different population and a different market, not a second engine.
 * The round structure is the same: a shock, then rounds of trigger → queue (throughput = block space) → one sale
 * per market per round → settle → repeat to a fixed point. The shared pieces:
 *  - the market is amm.ts's constant-product pool (fee on the input, k never decreases); `swapCollateralIn` and
 *    `swapDebtIn` below are that swap on the engine's integer grid, and the property tests require them to equal
 *    swapExactIn floored to the grid;
 *  - one liquidation call is lending.ts's lendingLiquidation (close factor from its CloseFactorRule, default
 *    AAVE_V3_CLOSE_FACTOR; seizure repaid × (1 + bonus) ÷ price, capped at the collateral held; the protocol fee a
 *    share of the bonus part) floored to the grid, plus the Aave v3.3 rules (`rules`, below); a test requires
 *    `liquidateOnGrid` to equal it on random accounts;
 *  - stop reasons and amplification are cascade.ts's: a fixed point when nothing is left to liquidate and no price
 *    in motion can reach another account, a cap on rounds, and amplification = total move of the (first) pool from
 *    its initial price ÷ its move at round 0 (the exogenous move). cascade.ts's 'book-exhausted' has no twin here
 *    (a constant-product pool always quotes); its place is taken by 'stalled': accounts are liquidatable, but no
 *    liquidator will or can take them and nothing will change;
 *  - populations are borrowers.ts's, drawn with random.ts as population.ts draws positions, and sorted once by
 *    debt per unit of collateral so a round finds newly crossed accounts by binary search (population.ts's trick).
 *
 * A round is one block. Round 0 is the shock: a reference-price shock moves every pool the full way to the new
 * price (arbitrage, as shiftBook moves the book in the spiral), a sell shock sells into one pool; oracles then
 * publish, and the accounts now under water form the first backlog, but nothing is liquidated in round 0. In each
 * block after it, in this order:
 *   1. arbitrage: each pool is swapped toward the reference price by `arbitrage` × the gap (a real swap with the
 *      pool's fee), and not at all while the gap is within the pool's fee (no arbitrageur gains from it);
 *   2. oracles publish: the source (a pool's price, the reference price, or a protocol's receipt-token price) as it
 *      was `delayRounds` blocks ago, only when it moved at least `deviationThreshold` from the last published price
 *      (Chainlink's deviation trigger). Prices are quoted with 8 decimals, rounded down, as Chainlink's USD feeds
 *      and Aave's base currency are; a receipt oracle reads its protocol's receipt price as the previous block left it;
 *   3. every account with HF < 1 at its protocol's oracle price is liquidatable;
 *   4. liquidators take them, most profitable first, one call per account per block, at most
 *      `liquidationsPerBlock` calls and `liquidatorCapital` repaid per block across all protocols. The close factor
 *      follows the HF before the call. A call whose expected profit is ≤ 0 is skipped: the collateral the liquidator
 *      receives (seized − protocol fee), valued at the market's price net of its fee (the pool's spot price × (1 −
 *      fee), or the oracle price for 'redeem'), minus the debt repaid, minus gas. When oracle and pool agree this is
 *      the bonus net of the protocol fee, valued at the pool price net of its fee, minus gas; when a lagging oracle
 *      sits above the pool, the liquidator pays more than the collateral fetches, as on 12 March 2020;
 *   5. all collateral liquidators received that block is sold into each pool as one swap (the spiral's one market
 *      order per side per round); liquidators share its proceeds pro rata. 'redeem' markets pay the oracle price
 *      and move no pool. The protocol fee stays with the protocol (it is seized, not sold);
 *   6. the gas base fee follows EIP-1559: next = fee + fee × (used − target) ÷ target ÷ 8 in integer wei (at least
 *      +1 wei when above target, as in go-ethereum), target = liquidationsPerBlock ÷ 2.
 *
 * Rules. 'v3.0': lending.ts's close factor (default share while HF > the threshold, max at or below it).
 * 'v3.3' (default): also the max share whenever the account's collateral or debt is worth less than 2,000 debt
 * units (MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD), and a call that would leave 0 < debt or collateral value < 1,000
 * (MIN_LEFTOVER_BASE) is lowered to leave exactly 1,000, or kept at the cap when no smaller call would (lending.ts's
 * 'lowered' and 'raised': what a liquidator does after Aave's MUST_NOT_LEAVE_DUST revert). Under both, an account whose collateral reaches 0 with debt left
 * has that debt burned as bad debt: v3.3 writes it off as a reserve deficit; under v3.0 it would stay on an account
 * nobody can liquidate, a loss all the same, so it is booked the same way.
 *
 * Exact arithmetic. Collateral is held in 10^−8 units, debt in 10^−6 units, oracle prices in 10^−8, pool reserves
 * on the same grids, gas in wei, all bigint. A liquidation floors the repaid debt, the seized collateral and the
 * protocol fee onto the grid (each is lending.ts's exact figure rounded down); the pool's output reserve is rounded
 * up (k never decreases); pro-rata proceeds are rounded down. The accounts a run touches are held as float64 safe
 * integers (exact below 2^53), and a liquidation call is first computed in float64 (liquidateFast): its result is
 * used only when every branch and every floor was decided with a margin 18 times the worst rounding error, and
 * otherwise the call is recomputed in bigint (liquidateOnGrid); the property tests require the two to agree. Other
 * floats decide nothing that an amount depends on: ranking calls by expected profit, pre-screening comparisons far
 * from a tie (exact bigint near one), sizing an arbitrage trade (whose output is then exact). IEEE arithmetic makes
 * even those the same in every JavaScript engine. Decimals appear only in the results.
 *
 * The outside market can keep moving after the shock (`referencePath`, an addition to the first contract): one
 * step cannot make liquidators fall behind a falling price, and that is how block space and gas turned into bad
 * debt on 12 March 2020.
 *
 * Ledger (exact, per run): collateral at the start = open collateral + collateral seized; debt at the start = open
 * debt + debt repaid + debt burned. Both balances are computed from the accounts' own state and are 0.
 *
 * Speed: a run keeps state only for the accounts a price has reached (a small active list), with the rest read from
 * the shared, sorted population, so its cost grows with the accounts touched, not the population's size.
 */
import { Decimal, ZERO, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, oneOf, positive } from './parse.ts';
import { ceilDiv, fromScaled, pow10, toScaled } from './exact.ts';
import { AAVE_V3_3_POSITION_LIMITS, AAVE_V3_CLOSE_FACTOR, LENDING_RULES, type CloseFactorRule, type LendingRules } from './lending.ts';
import { borrowerData, COLLATERAL_DECIMALS, DEBT_DECIMALS, openShare, type BorrowerData, type BorrowerPopulation } from './borrowers.ts';

// ---------------------------------------------------------------------------------------------------------
// Public types (the contract widgets code against)
// ---------------------------------------------------------------------------------------------------------

export interface PoolInput {
  id: string;
  collateralReserve: Numeric;
  debtReserve: Numeric;
  /** Fee on the input, a share in [0, 1) (default 0.003). */
  fee?: Numeric;
}

export interface OracleInput {
  id: string;
  source: { pool: string } | 'reference' | { receiptOf: string };
  /** Reports the source price as it was this many rounds ago (default 0). */
  delayRounds?: number;
  /** Publishes only when |lagged − last published| ÷ last published ≥ this (default 0: every round). */
  deviationThreshold?: Numeric;
}

export interface LendingProtocolInput {
  id: string;
  name: string;
  collateralAsset: string;
  debtAsset: string;
  liquidationThreshold: Numeric;
  /** Share: 0.05 for Aave's 10500 bps. */
  liquidationBonus: Numeric;
  /** Share of the bonus part to the protocol (Aave's liquidationProtocolFee), default 0. */
  protocolFee?: Numeric;
  /** Default AAVE_V3_CLOSE_FACTOR. */
  closeFactor?: CloseFactorRule;
  /** Default 'v3.3' (see the module header). */
  rules?: LendingRules;
  borrowers: BorrowerPopulation;
  oracle: string;
  market: { pool: string } | 'redeem';
  /** Debt asset supplied by lenders (default: total debt ÷ 0.8); the receipt is worth (suppliedDebt − bad debt) ÷ suppliedDebt. */
  suppliedDebt?: Numeric;
}

export interface LendingSystemInput {
  pools: readonly PoolInput[];
  oracles: readonly OracleInput[];
  /** 1 … 8. */
  protocols: readonly LendingProtocolInput[];
  referencePrice: Numeric;
}

export type OnchainShock = { referencePrice: Numeric } | { sellQuantity: Numeric; pool: string };

export interface OnchainOptions {
  /** Default 200 (at most 10,000); a round is one block. */
  maxRounds?: number;
  /** Share of the pool–reference gap arbitrageurs close each round, [0, 1], default 0.5. */
  arbitrage?: Numeric;
  /** Liquidation calls per block across all protocols (null: unlimited, the default). */
  liquidationsPerBlock?: number | null;
  /** Debt units liquidators can repay per block across all protocols (null: unlimited, flash loans; the default). */
  liquidatorCapital?: Numeric | null;
  gas?: { gasPerLiquidation: number; baseFeeGwei: Numeric; nativePrice: 'reference' | Numeric } | null;
  /** Include every borrower's final state (result.accounts). */
  details?: boolean;
  /**
   * Added to the contract: the reference price in rounds 1, 2, … after the shock (it holds its last value after
   * the path ends). The outside market keeps moving, as ETH fell for hours on 12 March 2020; 'reference' oracles read
   * it and arbitrage pulls the pools toward it. At most 10,000 prices. Default: none (the reference stays put).
   */
  referencePath?: readonly Numeric[];
}

export type OnchainStopReason = 'fixed-point' | 'round-cap' | 'stalled';

/** One protocol in one round. Amounts of collateral in its units, of debt in debt units. */
export interface ProtocolRound {
  id: string;
  /** The collateral price this protocol used this round (its oracle's published price). */
  oraclePrice: Decimal;
  /** Liquidation calls this round. */
  liquidations: number;
  /** Distinct accounts liquidated so far. */
  accountsLiquidatedTotal: number;
  /** This round. */
  debtRepaid: Decimal;
  /** This round, protocol fee included. */
  collateralSeized: Decimal;
  /** This round: the liquidators' share, sold into the pool or redeemed. */
  collateralSold: Decimal;
  /** This round (collateral units, kept by the protocol). */
  protocolFee: Decimal;
  /** This round, in debt units: sale proceeds (at the round's one-swap price) − debt repaid − gas. Can be negative. */
  liquidatorProfit: Decimal;
  /** Accounts with HF < 1 left at the end of the round (at this round's oracle price). */
  backlog: number;
  /** Their debt. */
  backlogDebt: Decimal;
  /** Of those, how many liquidators skipped this round because the call would not pay. */
  unprofitable: number;
  /** Cumulative debt burned because an account's collateral ran out. */
  badDebt: Decimal;
  /** Σ max(0, debt − collateral × oracle price) over open accounts, now. */
  shortfall: Decimal;
  /** Open debt and collateral, now. */
  totalDebt: Decimal;
  totalCollateral: Decimal;
  /** (suppliedDebt − badDebt) ÷ suppliedDebt: what this protocol's receipt token is worth. */
  receiptPrice: Decimal;
}

export interface OnchainPoolRound {
  id: string;
  price: Decimal;
  collateralReserve: Decimal;
  debtReserve: Decimal;
  soldByLiquidators: Decimal;
  /** Collateral arbitrageurs took out of the pool this round; negative when they sold collateral into it. */
  arbitrageBought: Decimal;
}

export interface OnchainRound {
  /** 0 = the shock itself (no liquidations), 1, 2, … = blocks. */
  round: number;
  referencePrice: Decimal;
  pools: OnchainPoolRound[];
  oracles: { id: string; price: Decimal; updated: boolean }[];
  /** The base fee in effect during this block (before its EIP-1559 update); null without `gas`. */
  gasPriceGwei: Decimal | null;
  /** Liquidation calls in this block, all protocols. */
  blockLiquidations: number;
  protocols: ProtocolRound[];
}

export interface OnchainProtocolTotals {
  id: string;
  liquidations: number;
  accountsLiquidated: number;
  debtRepaid: Decimal;
  collateralSeized: Decimal;
  badDebt: Decimal;
  shortfall: Decimal;
  liquidatorProfit: Decimal;
  protocolFee: Decimal;
  firstRoundHit: number | null;
}

/** With `details`: one borrower's state at the end, in the population's input order. */
export interface OnchainAccountState {
  collateral: Decimal;
  debt: Decimal;
  /** Liquidation calls it received. */
  liquidations: number;
  /** Debt burned when its collateral ran out. */
  badDebt: Decimal;
}

export interface OnchainResult {
  rounds: OnchainRound[];
  stopReason: OnchainStopReason;
  protocols: OnchainProtocolTotals[];
  initialPoolPrices: Record<string, Decimal>;
  finalPoolPrices: Record<string, Decimal>;
  /** |final − initial| ÷ |round-0 price − initial| of the first pool (cascade.ts's definition); null when round 0 did not move it. */
  amplification: Decimal | null;
  /**
   * Added to the contract: |farthest price − initial| ÷ |round-0 price − initial| of the first pool. With arbitrage
   * the pool drifts back toward the reference after the cascade, so the final-price amplification tends to 1; this
   * one is the depth the spiral reached (cascade.ts's extremePrice, as a ratio).
   */
  peakAmplification: Decimal | null;
  /** Added: each pool's price farthest from its initial price over all rounds (after the shock included). */
  extremePoolPrices: Record<string, Decimal>;
  /** Exactly 0: initial collateral − open − seized, and initial debt − open − repaid − burned, from the accounts. */
  ledger: { collateralBalance: Decimal; debtBalance: Decimal };
  /** With `details`: protocol id → every borrower's final state, in input order. */
  accounts?: Record<string, OnchainAccountState[]>;
}

// ---------------------------------------------------------------------------------------------------------
// Grid constants
// ---------------------------------------------------------------------------------------------------------

/** Oracle prices are integers of 10^−8 debt units per collateral unit. */
export const ORACLE_DECIMALS = 8;
const E10 = 10n ** 10n;
const E20 = 10n ** 20n;
/** 2,000 debt units in 10^−16 (collateral units × oracle price) and in 10^−6. */
const FULL_CLOSE_BELOW = BigInt(AAVE_V3_3_POSITION_LIMITS.fullCloseBelow);
const MIN_BASE16 = FULL_CLOSE_BELOW * 10n ** 16n;
const MIN_BASE6 = FULL_CLOSE_BELOW * 10n ** 6n;
/** 1,000 debt units (MIN_LEFTOVER_BASE), the same two ways. */
const MIN_LEFTOVER = BigInt(AAVE_V3_3_POSITION_LIMITS.minLeftover);
const LEFT16 = MIN_LEFTOVER * 10n ** 16n;
const LEFT6 = MIN_LEFTOVER * 10n ** 6n;
const DEFAULT_POOL_FEE = '0.003';

// ---------------------------------------------------------------------------------------------------------
// Grid arithmetic shared with the tests
// ---------------------------------------------------------------------------------------------------------

/** @internal A pool on the grid: X collateral in 10^−8, Y debt in 10^−6, fee fn/fd. */
export interface GridPool {
  X: bigint;
  Y: bigint;
  fn: bigint;
  fd: bigint;
}

/**
 * Sells `a` collateral units into the pool: amm.ts's swapExactIn on the grid. The fee is charged on the input and
 * stays in the pool; the debt reserve after is ⌈k ÷ (X + a(1 − fee))⌉, so k never decreases. Returns debt units out.
 */
export function swapCollateralIn(pool: GridPool, a: bigint): bigint {
  if (a <= 0n) return 0n;
  const newY = ceilDiv(pool.X * pool.Y * pool.fd, pool.X * pool.fd + a * (pool.fd - pool.fn));
  const out = pool.Y - newY;
  pool.X += a;
  pool.Y = newY;
  return out;
}

/** Buys collateral with `b` debt units: the mirror of swapCollateralIn. Returns collateral units out. */
export function swapDebtIn(pool: GridPool, b: bigint): bigint {
  if (b <= 0n) return 0n;
  const newX = ceilDiv(pool.X * pool.Y * pool.fd, pool.Y * pool.fd + b * (pool.fd - pool.fn));
  const out = pool.X - newX;
  pool.Y += b;
  pool.X = newX;
  return out;
}

/** The pool's spot price in 10^−8 debt units per collateral unit, rounded down: 100·Y ÷ X units ×10^8. */
function poolPrice8(pool: GridPool): bigint {
  return (pool.Y * E10) / pool.X;
}

/**
 * The trade that lands the pool's spot price on `target` (as near as the grid allows), fee included: selling
 * collateral, the reserves after satisfy T(1 − f)u² + T·x·f·u − xy = 0 for u = x + a; buying with debt,
 * (1 − f)v² + y·f·v − T·x·y = 0 for v = y + b. The size is computed in floats (the trade itself is then exact).
 * Returns collateral units to sell (negative) or debt units to pay in (positive), 0 when the grid allows no trade.
 */
function arbitrageTrade(pool: GridPool, target: number, feeF: number): bigint {
  const x = Number(pool.X) / 1e8;
  const y = Number(pool.Y) / 1e6;
  const price = y / x;
  if (target < price) {
    const tf = target * x * feeF;
    const u = (-tf + Math.sqrt(tf * tf + 4 * target * (1 - feeF) * x * y)) / (2 * target * (1 - feeF));
    const a = Math.floor((u - x) * 1e8);
    return a > 0 ? -BigInt(a) : 0n;
  }
  if (target > price) {
    const yf = y * feeF;
    const v = (-yf + Math.sqrt(yf * yf + 4 * (1 - feeF) * target * x * y)) / (2 * (1 - feeF));
    const b = Math.floor((v - y) * 1e6);
    return b > 0 ? BigInt(b) : 0n;
  }
  return 0n;
}

/** Swaps the pool toward `target` (arbitrageTrade); returns the collateral taken out (negative when sold into it). */
function movePoolTo(pool: GridPool, target: number, feeF: number): bigint {
  const trade = arbitrageTrade(pool, target, feeF);
  if (trade < 0n) {
    swapCollateralIn(pool, -trade);
    return trade;
  }
  return trade > 0n ? swapDebtIn(pool, trade) : 0n;
}

/**
 * Where arbitrage moves a pool this block: `arbitrage` × the gap to the reference, or nowhere while the gap is
 * within the pool's fee (no arbitrageur gains from closing it). Null: no trade.
 */
function arbitrageTarget(pool: PoolRun, refF: number, alpha: number): number | null {
  const price = Number(pool.Y) / 1e6 / (Number(pool.X) / 1e8);
  const gap = refF - price;
  if (Math.abs(gap) <= refF * pool.feeF) return null;
  return price + alpha * gap;
}

/** @internal A protocol's liquidation parameters on the grid. */
export interface GridRules {
  /** LT = ltn / 10^dl; ltScale = 10^(10 + dl). */
  ltn: bigint;
  ltScale: bigint;
  /** Close factors cfDef/cfOne, cfMax/cfOne; HF threshold hN/hD. */
  cfDef: bigint;
  cfMax: bigint;
  cfOne: bigint;
  hN: bigint;
  hD: bigint;
  /** 1 + bonus = b1/bS; bonus = bN/bS. */
  bN: bigint;
  b1: bigint;
  bS: bigint;
  /** Protocol fee = feeN/feeD. */
  feeN: bigint;
  feeD: bigint;
  v33: boolean;
}

/** @internal One call's amounts on the grid. */
export interface GridLiquidation {
  repaid: bigint;
  /** Taken from the account, protocol fee included. */
  seized: bigint;
  fee: bigint;
  /** The close factor that applied, over cfOne. */
  closeFactor: bigint;
  capped: boolean;
}

/** Amounts for a repayment asked of rn/rd debt units (10^−6): lending.ts's seize(), floored onto the grid. */
function amountsAt(g: GridRules, c: bigint, P: bigint, rn: bigint, rd: bigint, closeFactor: bigint): GridLiquidation {
  // Collateral wanted, in 10^−8 units: repay × (1 + bonus) ÷ price = wn / wd exactly.
  const wn = rn * g.b1 * E10;
  const wd = rd * g.bS * P;
  const capped = wn > c * wd;
  if (!capped) {
    // bonus part = seized × bonus ÷ (1 + bonus), on the exact seizure, then the fee share; each floored once.
    return { repaid: rn / rd, seized: wn / wd, fee: (wn * g.bN * g.feeN) / (wd * g.b1 * g.feeD), closeFactor, capped };
  }
  return {
    repaid: (c * P * g.bS) / (g.b1 * E10),
    seized: c,
    fee: (c * g.bN * g.feeN) / (g.b1 * g.feeD),
    closeFactor,
    capped,
  };
}

/**
 * One liquidation call on the grid: lending.ts's lendingLiquidation (one collateral, one debt at price 1, oracle
 * price P in 10^−8) with every amount floored to the grid, under the same rules (its steps 2–6):
 *  - v3.0: close factor = default while HF > threshold, max at or below;
 *  - v3.3: also max while the debt or the collateral is worth < 2,000; and when a partial call would leave debt or
 *    collateral worth < 1,000, the repayment is lowered to min(D − 1,000, (C·p − 1,000) ÷ (1 + bonus)) if that is
 *    positive (what a liquidator does after Aave's MUST_NOT_LEAVE_DUST revert), else kept at the cap.
 * The account must be liquidatable. Debt left on an account with no collateral is burned by the caller.
 */
export function liquidateOnGrid(g: GridRules, c: bigint, d: bigint, P: bigint): GridLiquidation {
  const cp = c * P;
  let cf = cp * g.ltn * g.hD > g.hN * d * g.ltScale ? g.cfDef : g.cfMax;
  if (g.v33 && (cp < MIN_BASE16 || d < MIN_BASE6)) cf = g.cfMax;
  const out = amountsAt(g, c, P, d * cf, g.cfOne, cf);
  if (!g.v33 || out.capped || cf >= g.cfOne) return out;
  // Leftovers, exact: debt d(1 − cf) and collateral c − wn/wd, each worth at least 1,000?
  const wn = d * cf * g.b1 * E10;
  const wd = g.cfOne * g.bS * P;
  const debtDust = d * (g.cfOne - cf) < LEFT6 * g.cfOne;
  const collateralDust = (c * wd - wn) * P < LEFT16 * wd;
  if (!debtDust && !collateralDust) return out;
  // The lowered repayment: the least of the cap d·cf/cfOne, d − 1,000 and (c·P − 1,000)·bS/(b1·10^10), as rationals.
  let rn = d * cf;
  let rd = g.cfOne;
  const byDebt = d - LEFT6;
  if (byDebt * rd < rn) {
    rn = byDebt;
    rd = 1n;
  }
  const byCollateralN = (cp - LEFT16) * g.bS;
  const byCollateralD = g.b1 * E10;
  if (byCollateralN * rd < rn * byCollateralD) {
    rn = byCollateralN;
    rd = byCollateralD;
  }
  return rn > 0n ? amountsAt(g, c, P, rn, rd, cf) : out;
}

// ---------------------------------------------------------------------------------------------------------
// The float fast path: the same call in float64, trusted only when no decision or floor is near a tie
// ---------------------------------------------------------------------------------------------------------

/** @internal GridRules as float64 (every one an exact small integer or power of ten). */
export interface FloatRules {
  ltn: number;
  ltScale: number;
  cfDef: number;
  cfMax: number;
  cfOne: number;
  hN: number;
  hD: number;
  bN: number;
  b1: number;
  bS: number;
  feeN: number;
  feeD: number;
  v33: boolean;
}

/** @internal */
export function floatRules(g: GridRules): FloatRules {
  return {
    ltn: Number(g.ltn), ltScale: Number(g.ltScale), cfDef: Number(g.cfDef), cfMax: Number(g.cfMax), cfOne: Number(g.cfOne),
    hN: Number(g.hN), hD: Number(g.hD), bN: Number(g.bN), b1: Number(g.b1), bS: Number(g.bS), feeN: Number(g.feeN), feeD: Number(g.feeD), v33: g.v33,
  };
}

/**
 * Relative margin within which a float comparison or floor is not trusted. Every quantity below is a product or
 * quotient of exact integers with at most ten roundings on the way, so its float value is within 10 × 2^−53 ≈
 * 1.1e−15 of the truth (relative): a margin of 2e−14 leaves a factor of 18. Sums are of positive terms only (no
 * cancellation). A value whose margin reaches a whole unit (above ~10^13) is always sent to the exact path.
 */
const TOL = 2e-14;
let shaky = false;

/** a < b, flagging a near-tie. */
function less(a: number, b: number): boolean {
  if (Math.abs(a - b) <= TOL * Math.max(Math.abs(a), Math.abs(b))) shaky = true;
  return a < b;
}

/** ⌊x⌋ for x ≥ 0 computed in floats, flagging x within the margin of an integer (the exact value may be on either side). */
function floorOf(x: number): number {
  const f = Math.floor(x);
  const m = TOL * x + TOL;
  if (x - f <= m || f + 1 - x <= m) shaky = true;
  return f;
}

/** ⌊n/d⌋: exact when both are safe integers (a float quotient of two integers below 2^53 never rounds across one). */
function floorRatio(n: number, d: number): number {
  return Number.isSafeInteger(n) && Number.isSafeInteger(d) ? Math.floor(n / d) : floorOf(n / d);
}

/** @internal Scratch result of the fast path (numbers of grid units). */
export interface FastLiquidation {
  repaid: number;
  seized: number;
  fee: number;
  capped: boolean;
}

function amountsFast(f: FloatRules, c: number, P: number, rn: number, rd: number, out: FastLiquidation): void {
  const wn = rn * f.b1 * 1e10;
  const wd = rd * f.bS * P;
  out.capped = less(c * wd, wn);
  if (!out.capped) {
    out.repaid = floorRatio(rn, rd);
    out.seized = floorOf(wn / wd);
    out.fee = f.feeN === 0 || f.bN === 0 ? 0 : floorOf((wn * f.bN * f.feeN) / (wd * f.b1 * f.feeD));
  } else {
    out.seized = c;
    out.repaid = floorOf((c * P * f.bS) / (f.b1 * 1e10));
    out.fee = f.feeN === 0 || f.bN === 0 ? 0 : floorRatio(c * f.bN * f.feeN, f.b1 * f.feeD);
  }
}

/**
 * liquidateOnGrid in float64 for an account of c collateral and d debt units (safe integers) at oracle price P
 * (10^−8, a safe integer). Fills `out` and returns true when every branch and floor was decided with room to spare;
 * returns false (out undefined) when one was near a tie: the caller then asks liquidateOnGrid, which is exact.
 * A property test requires the two to agree whenever this returns true.
 */
export function liquidateFast(f: FloatRules, c: number, d: number, P: number, out: FastLiquidation): boolean {
  shaky = false;
  const cp = c * P;
  let cf = less(f.hN * d * f.ltScale, cp * f.ltn * f.hD) ? f.cfDef : f.cfMax;
  if (f.v33 && (less(cp, 2e19) || less(d, 2e9))) cf = f.cfMax;
  amountsFast(f, c, P, d * cf, f.cfOne, out);
  if (!f.v33 || out.capped || cf >= f.cfOne) return !shaky;
  const wn = d * cf * f.b1 * 1e10;
  const wd = f.cfOne * f.bS * P;
  const debtDust = less(d * (f.cfOne - cf), 1e9 * f.cfOne);
  // Collateral left c − wn/wd worth < 1,000, written without a subtraction: c·wd·P < wn·P + 10^19·wd.
  const collateralDust = less(c * wd * P, wn * P + 1e19 * wd);
  if (!debtDust && !collateralDust) return !shaky;
  // c·P − 10^19 cancels when c·P is near 10^19: leave that to the exact path.
  if (cp < 4e19) return false;
  let rn = d * cf;
  let rd = f.cfOne;
  const byDebt = d - 1e9;
  if (less(byDebt * rd, rn)) {
    rn = byDebt;
    rd = 1;
  }
  const byCollateralN = (cp - 1e19) * f.bS;
  const byCollateralD = f.b1 * 1e10;
  if (less(byCollateralN * rd, rn * byCollateralD)) {
    rn = byCollateralN;
    rd = byCollateralD;
  }
  if (!(rn > 0)) return false;
  amountsFast(f, c, P, rn, rd, out);
  return !shaky;
}

/** Exact: HF < 1 at oracle price P (10^−8) for c (10^−8) collateral and d (10^−6) debt. */
function underwater(g: GridRules, c: bigint, d: bigint, P: bigint): boolean {
  return c * P * g.ltn < d * g.ltScale;
}

// ---------------------------------------------------------------------------------------------------------
// Reading inputs
// ---------------------------------------------------------------------------------------------------------

function idOf(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') throw new EngineInputError(field, `must be a non-empty id, got ${JSON.stringify(value)}`);
  return value;
}

function shareBelowOne(field: string, value: Numeric | undefined | null): Decimal {
  const v = nonNegative(field, value);
  if (v.gte(1)) throw new EngineInputError(field, `must be a share below 1 (0.05 for 5 %), got ${v.toString()}`);
  return v;
}

function shareAtMostOne(field: string, value: Numeric | undefined | null): Decimal {
  const v = nonNegative(field, value);
  if (v.gt(1)) throw new EngineInputError(field, `must be a share from 0 to 1 (not a percentage), got ${v.toString()}`);
  return v;
}

function scaled(v: Decimal): { n: bigint; s: bigint } {
  const dp = v.decimalPlaces();
  return { n: toScaled(v, dp), s: pow10(dp) };
}

/** An amount floored onto a grid of 10^−decimals, required to stay positive. */
function gridPositive(field: string, value: Numeric, decimals: number): bigint {
  const v = positive(field, value);
  const units = BigInt(v.mul(pow10(decimals).toString()).floor().toFixed(0));
  if (units <= 0n) throw new EngineInputError(field, `must be at least ${pow10(decimals) === 1n ? '1' : `0.${'0'.repeat(decimals - 1)}1`}, got ${v.toString()}`);
  return units;
}

/**
 * Collateral prices up to 10,000,000 debt units: an oracle price (10^−8 units) then stays a safe integer, which the
 * float screens rely on. Pools start below it and arbitrage only pulls them toward the reference.
 */
const MAX_PRICE = 10_000_000;

function priceInput(field: string, value: Numeric | undefined | null): Decimal {
  const v = positive(field, value);
  if (v.gt(MAX_PRICE)) throw new EngineInputError(field, `must be at most ${MAX_PRICE.toLocaleString('en-US')}, got ${v.toString()}`);
  return v;
}

function wholeNumber(field: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new EngineInputError(field, `must be a whole number from ${min.toLocaleString('en-US')} to ${max.toLocaleString('en-US')}, got ${JSON.stringify(value)}`);
  }
  return value;
}

interface PoolRun extends GridPool {
  id: string;
  feeF: number;
  fee: Decimal;
  /** Per round: collateral sold by liquidators, collateral bought by arbitrage (signed). */
  sold: bigint;
  arb: bigint;
  changed: boolean;
}

type SourceKind = 0 | 1 | 2; // pool, reference, receipt

interface OracleRun {
  id: string;
  kind: SourceKind;
  /** Pool or protocol index. */
  src: number;
  delay: number;
  thrN: bigint;
  thrD: bigint;
  published: bigint;
  updated: boolean;
  /** Source price per round: hist[0] before the shock, hist[r + 1] in round r. */
  hist: bigint[];
}

/**
 * Exact sum of safe integers (grid units held as float64): adds in float while the sum stays below 2^53, where
 * float addition of integers is exact, and carries into a bigint before it would not.
 */
class Sum {
  big = 0n;
  small = 0;
  add(x: number): void {
    const next = this.small + x;
    if (next <= Number.MAX_SAFE_INTEGER) this.small = next;
    else {
      this.big += BigInt(this.small);
      this.small = x;
    }
  }
  value(): bigint {
    return this.big + BigInt(this.small);
  }
  reset(): void {
    this.big = 0n;
    this.small = 0;
  }
}

interface ProtocolRun {
  id: string;
  index: number;
  pop: BorrowerData;
  g: GridRules;
  f: FloatRules;
  ltF: number;
  bonusF: number;
  feeShareF: number;
  cfDefF: number;
  cfMaxF: number;
  hF: number;
  oracle: number;
  /** Pool index, or −1 for 'redeem'. */
  market: number;
  supplied: bigint;
  // Run state: the accounts a price has reached are the sorted positions [0, cursor); the run keeps its own copy of
  // them (grid units as safe integers, so the population is never written), grown as the cursor advances.
  cursor: number;
  cap: number;
  C: Float64Array;
  D: Float64Array;
  /** D ÷ C, refreshed after each call. */
  K: Float64Array;
  burned: Float64Array;
  calls: Int32Array;
  /** Round in which the account was last skipped as unprofitable (0: never). */
  skipped: Int32Array;
  /** Positions with debt left, in the order they were reached. */
  active: Int32Array;
  activeLen: number;
  openC: bigint;
  openD: bigint;
  badDebt: bigint;
  repaid: bigint;
  seized: bigint;
  fee: bigint;
  /** 10^−26 debt units. */
  profit: bigint;
  liquidations: number;
  accounts: number;
  firstRound: number | null;
  // This round
  rLiq: number;
  rRepaid: Sum;
  rSeized: Sum;
  rFee: Sum;
  rSold: Sum;
  rBurned: Sum;
  rProceeds: bigint;
  /** Oracle price this round, exact and as a float (a safe integer). */
  price: bigint;
  PF: number;
  shortfall: bigint;
}

const EMPTY_F = new Float64Array(0);
const EMPTY_I = new Int32Array(0);

/** The per-run arrays of one protocol, sized to its population. */
interface RunBuffers {
  C: Float64Array;
  D: Float64Array;
  K: Float64Array;
  burned: Float64Array;
  calls: Int32Array;
  skipped: Int32Array;
  active: Int32Array;
}

/**
 * Buffers of finished runs, by size, for the next run to reuse: a slider step then allocates no typed arrays (their
 * allocation and collection cost more than a small run itself). A run takes a set per protocol and returns it when
 * it ends; a run that throws just leaves its sets to the collector. Runs are synchronous, so no two share a set.
 */
const FREE_BUFFERS = new Map<number, RunBuffers[]>();
/** At most this many idle sets kept per size (three protocols, two runs compared side by side). */
const MAX_IDLE_BUFFERS = 6;

function takeBuffers(n: number): RunBuffers {
  const idle = FREE_BUFFERS.get(n);
  const reused = idle?.pop();
  if (reused !== undefined) return reused;
  return {
    C: new Float64Array(n),
    D: new Float64Array(n),
    K: new Float64Array(n),
    burned: new Float64Array(n),
    calls: new Int32Array(n),
    skipped: new Int32Array(n),
    active: new Int32Array(n),
  };
}

/** Candidates of a block: protocol index and sorted position, in parallel; module scratch, reused by every run. */
let candP = new Int32Array(1024);
let candI = new Int32Array(1024);

function returnBuffers(p: ProtocolRun): void {
  if (p.cap === 0) return;
  const idle = FREE_BUFFERS.get(p.cap) ?? [];
  if (idle.length < MAX_IDLE_BUFFERS) idle.push({ C: p.C, D: p.D, K: p.K, burned: p.burned, calls: p.calls, skipped: p.skipped, active: p.active });
  FREE_BUFFERS.set(p.cap, idle);
  p.cap = 0;
}

/**
 * Makes sorted positions [p.cursor, to) the run's own: buffers on first use (only a run that reaches an account
 * pays for them), then the accounts' amounts copied from the population and their run state cleared (a reused
 * buffer holds the previous run's).
 */
function reserve(p: ProtocolRun, to: number): void {
  if (p.cap === 0) {
    const b = takeBuffers(p.pop.n);
    p.C = b.C;
    p.D = b.D;
    p.K = b.K;
    p.burned = b.burned;
    p.calls = b.calls;
    p.skipped = b.skipped;
    p.active = b.active;
    p.cap = p.pop.n;
  }
  const from = p.cursor;
  p.C.set(p.pop.cF.subarray(from, to), from);
  p.D.set(p.pop.dF.subarray(from, to), from);
  p.K.set(p.pop.key.subarray(from, to), from);
  p.burned.fill(0, from, to);
  p.calls.fill(0, from, to);
  p.skipped.fill(0, from, to);
}

interface System {
  pools: PoolRun[];
  oracles: OracleRun[];
  protocols: ProtocolRun[];
  ref: Decimal;
}

function readSystem(input: LendingSystemInput): System {
  if (input === null || typeof input !== 'object') throw new EngineInputError('system', 'must be { pools, oracles, protocols, referencePrice }');
  const ref = priceInput('referencePrice', input.referencePrice);
  if (!Array.isArray(input.pools)) throw new EngineInputError('pools', 'must be a list');
  if (!Array.isArray(input.oracles)) throw new EngineInputError('oracles', 'must be a list');
  if (!Array.isArray(input.protocols)) throw new EngineInputError('protocols', 'must be a list');
  if (input.protocols.length < 1 || input.protocols.length > 8) {
    throw new EngineInputError('protocols', `must list 1 to 8 protocols, got ${input.protocols.length}`);
  }
  const poolIndex = new Map<string, number>();
  const pools: PoolRun[] = (input.pools as readonly PoolInput[]).map((p, i) => {
    const at = `pools[${i}]`;
    if (p === null || typeof p !== 'object') throw new EngineInputError(at, 'must be { id, collateralReserve, debtReserve, fee? }');
    const id = idOf(`${at}.id`, p.id);
    if (poolIndex.has(id)) throw new EngineInputError(`${at}.id`, `'${id}' is used by two pools`);
    poolIndex.set(id, i);
    const fee = shareBelowOne(`${at}.fee`, p.fee ?? DEFAULT_POOL_FEE);
    const f = scaled(fee);
    const X = gridPositive(`${at}.collateralReserve`, p.collateralReserve, COLLATERAL_DECIMALS);
    const Y = gridPositive(`${at}.debtReserve`, p.debtReserve, DEBT_DECIMALS);
    if (Y * 100n > X * BigInt(MAX_PRICE)) throw new EngineInputError(`${at}.debtReserve`, `prices the collateral above ${MAX_PRICE.toLocaleString('en-US')}: lower it or raise collateralReserve`);
    if (X > 2n ** 62n || Y > 2n ** 62n) throw new EngineInputError(at, 'reserves are too large for the engine');
    return {
      id,
      X,
      Y,
      fn: f.n,
      fd: f.s,
      feeF: fee.toNumber(),
      fee,
      sold: 0n,
      arb: 0n,
      changed: false,
    };
  });
  const protocolIndex = new Map<string, number>();
  (input.protocols as readonly LendingProtocolInput[]).forEach((p, i) => {
    const at = `protocols[${i}]`;
    if (p === null || typeof p !== 'object') throw new EngineInputError(at, 'must be a protocol object');
    const id = idOf(`${at}.id`, p.id);
    if (protocolIndex.has(id)) throw new EngineInputError(`${at}.id`, `'${id}' is used by two protocols`);
    protocolIndex.set(id, i);
  });
  const oracleIndex = new Map<string, number>();
  const oracles: OracleRun[] = (input.oracles as readonly OracleInput[]).map((o, i) => {
    const at = `oracles[${i}]`;
    if (o === null || typeof o !== 'object') throw new EngineInputError(at, 'must be { id, source, delayRounds?, deviationThreshold? }');
    const id = idOf(`${at}.id`, o.id);
    if (oracleIndex.has(id)) throw new EngineInputError(`${at}.id`, `'${id}' is used by two oracles`);
    oracleIndex.set(id, i);
    let kind: SourceKind;
    let src = -1;
    const source = o.source as unknown;
    if (source === 'reference') kind = 1;
    else if (source !== null && typeof source === 'object' && 'pool' in source) {
      kind = 0;
      const pid = (source as { pool: unknown }).pool;
      const k = typeof pid === 'string' ? poolIndex.get(pid) : undefined;
      if (k === undefined) throw new EngineInputError(`${at}.source.pool`, `names no pool: ${JSON.stringify(pid)} (pools: ${[...poolIndex.keys()].map((x) => `'${x}'`).join(', ') || 'none'})`);
      src = k;
    } else if (source !== null && typeof source === 'object' && 'receiptOf' in source) {
      kind = 2;
      const pid = (source as { receiptOf: unknown }).receiptOf;
      const k = typeof pid === 'string' ? protocolIndex.get(pid) : undefined;
      if (k === undefined) throw new EngineInputError(`${at}.source.receiptOf`, `names no protocol: ${JSON.stringify(pid)}`);
      src = k;
    } else {
      throw new EngineInputError(`${at}.source`, "must be { pool: id }, 'reference' or { receiptOf: protocol id }");
    }
    const delay = o.delayRounds === undefined ? 0 : wholeNumber(`${at}.delayRounds`, o.delayRounds, 0, 1000);
    const thr = o.deviationThreshold === undefined ? ZERO : shareBelowOne(`${at}.deviationThreshold`, o.deviationThreshold);
    const t = scaled(thr);
    return { id, kind, src, delay, thrN: t.n, thrD: t.s, published: 0n, updated: false, hist: [] };
  });

  const protocols: ProtocolRun[] = (input.protocols as readonly LendingProtocolInput[]).map((p, i) => {
    const at = `protocols[${i}]`;
    const id = p.id;
    const pop = borrowerData(p.borrowers, `${at}.borrowers`);
    const lt = openShare(`${at}.liquidationThreshold`, p.liquidationThreshold);
    const bonus = shareBelowOne(`${at}.liquidationBonus`, p.liquidationBonus);
    const feeShare = shareAtMostOne(`${at}.protocolFee`, p.protocolFee ?? 0);
    const rule = p.closeFactor ?? AAVE_V3_CLOSE_FACTOR;
    if (rule === null || typeof rule !== 'object') throw new EngineInputError(`${at}.closeFactor`, 'must be { default, max, healthFactorThreshold }');
    const cfDef = shareAtMostOne(`${at}.closeFactor.default`, rule.default);
    const cfMax = shareAtMostOne(`${at}.closeFactor.max`, rule.max);
    if (cfDef.isZero() || cfMax.isZero()) throw new EngineInputError(`${at}.closeFactor`, 'shares must be above 0: a close factor of 0 liquidates nothing');
    const h = positive(`${at}.closeFactor.healthFactorThreshold`, rule.healthFactorThreshold);
    const rules = oneOf(`${at}.rules`, p.rules ?? 'v3.3', LENDING_RULES);
    const oracleId = idOf(`${at}.oracle`, p.oracle);
    const oracle = oracleIndex.get(oracleId);
    if (oracle === undefined) throw new EngineInputError(`${at}.oracle`, `names no oracle: '${oracleId}' (oracles: ${[...oracleIndex.keys()].map((x) => `'${x}'`).join(', ') || 'none'})`);
    let market = -1;
    if (p.market !== 'redeem') {
      const m = p.market as unknown;
      const pid = m !== null && typeof m === 'object' ? (m as { pool?: unknown }).pool : undefined;
      const k = typeof pid === 'string' ? poolIndex.get(pid) : undefined;
      if (k === undefined) throw new EngineInputError(`${at}.market`, `must be { pool: id } of a listed pool or 'redeem', got ${JSON.stringify(p.market)}`);
      market = k;
    }
    if (typeof p.name !== 'string') throw new EngineInputError(`${at}.name`, 'must be a string');
    idOf(`${at}.collateralAsset`, p.collateralAsset);
    idOf(`${at}.debtAsset`, p.debtAsset);
    let supplied: bigint;
    if (p.suppliedDebt === undefined) {
      supplied = (pop.totalDebt * 5n) / 4n;
      if (supplied < 1n) supplied = 1n;
    } else {
      supplied = gridPositive(`${at}.suppliedDebt`, p.suppliedDebt, DEBT_DECIMALS);
      if (supplied < pop.totalDebt) {
        throw new EngineInputError(`${at}.suppliedDebt`, `must be at least the borrowers' total debt ${fromScaled(pop.totalDebt, DEBT_DECIMALS).toString()}: lenders supplied what was borrowed`);
      }
    }
    const dl = lt.decimalPlaces();
    const cfDp = Math.max(cfDef.decimalPlaces(), cfMax.decimalPlaces());
    const b = scaled(bonus);
    const f = scaled(feeShare);
    const hs = scaled(h);
    const g: GridRules = {
      ltn: toScaled(lt, dl),
      ltScale: pow10(10 + dl),
      cfDef: toScaled(cfDef, cfDp),
      cfMax: toScaled(cfMax, cfDp),
      cfOne: pow10(cfDp),
      hN: hs.n,
      hD: hs.s,
      bN: b.n,
      b1: b.s + b.n,
      bS: b.s,
      feeN: f.n,
      feeD: f.s,
      v33: rules === 'v3.3',
    };
    return {
      id, index: i, pop, g, f: floatRules(g),
      ltF: lt.toNumber(), bonusF: bonus.toNumber(), feeShareF: feeShare.toNumber(),
      cfDefF: cfDef.toNumber(), cfMaxF: cfMax.toNumber(), hF: h.toNumber(),
      oracle, market, supplied,
      cursor: 0, cap: 0,
      C: EMPTY_F, D: EMPTY_F, K: EMPTY_F, burned: EMPTY_F, calls: EMPTY_I, skipped: EMPTY_I, active: EMPTY_I, activeLen: 0,
      openC: pop.totalCollateral, openD: pop.totalDebt,
      badDebt: 0n, repaid: 0n, seized: 0n, fee: 0n, profit: 0n, liquidations: 0, accounts: 0, firstRound: null,
      rLiq: 0, rRepaid: new Sum(), rSeized: new Sum(), rFee: new Sum(), rSold: new Sum(), rBurned: new Sum(), rProceeds: 0n,
      price: 1n, PF: 1, shortfall: 0n,
    };
  });

  // A protocol priced by the receipt of a protocol priced by the receipt of … the first: no price to start from.
  for (const start of protocols) {
    const path = [start.id];
    let current = start;
    for (;;) {
      const o = oracles[current.oracle]!;
      if (o.kind !== 2) break;
      const next = protocols[o.src]!;
      path.push(next.id);
      if (next === start || path.length > protocols.length + 1) {
        throw new EngineInputError(`protocols[${start.index}].oracle`, `receipt oracles form a cycle: ${path.join(' → ')}`);
      }
      current = next;
    }
  }
  return { pools, oracles, protocols, ref };
}

interface Opts {
  maxRounds: number;
  alpha: number;
  alphaZero: boolean;
  perBlock: number | null;
  capital: bigint | null;
  capitalF: number;
  gas: { per: bigint; wei: bigint; native: bigint | null } | null;
  details: boolean;
  path: Decimal[];
}

function readOptions(input: OnchainOptions | undefined): Opts {
  const o = input ?? {};
  if (o === null || typeof o !== 'object') throw new EngineInputError('options', 'must be an object');
  const maxRounds = o.maxRounds === undefined ? 200 : wholeNumber('maxRounds', o.maxRounds, 1, 10_000);
  const alpha = o.arbitrage === undefined ? new Decimal('0.5') : shareAtMostOne('arbitrage', o.arbitrage);
  const perBlock = o.liquidationsPerBlock === undefined || o.liquidationsPerBlock === null ? null : wholeNumber('liquidationsPerBlock', o.liquidationsPerBlock, 1, 1_000_000);
  const capital = o.liquidatorCapital === undefined || o.liquidatorCapital === null ? null : gridPositive('liquidatorCapital', o.liquidatorCapital, DEBT_DECIMALS);
  if (capital !== null && capital > BigInt(Number.MAX_SAFE_INTEGER)) throw new EngineInputError('liquidatorCapital', 'must be at most 9,000,000,000 debt units per block');
  let gas: Opts['gas'] = null;
  if (o.gas !== undefined && o.gas !== null) {
    if (typeof o.gas !== 'object') throw new EngineInputError('gas', 'must be { gasPerLiquidation, baseFeeGwei, nativePrice } or null');
    const per = wholeNumber('gas.gasPerLiquidation', o.gas.gasPerLiquidation, 1, 30_000_000);
    const gwei = nonNegative('gas.baseFeeGwei', o.gas.baseFeeGwei);
    if (gwei.gt(1e6)) throw new EngineInputError('gas.baseFeeGwei', `must be at most 1,000,000 gwei, got ${gwei.toString()}`);
    const wei = BigInt(gwei.mul(1e9).floor().toFixed(0));
    const native = o.gas.nativePrice === 'reference' ? null : toScaled(positive('gas.nativePrice', o.gas.nativePrice).toDecimalPlaces(ORACLE_DECIMALS, Decimal.ROUND_DOWN), ORACLE_DECIMALS);
    gas = { per: BigInt(per), wei, native };
  }
  let path: Decimal[] = [];
  if (o.referencePath !== undefined) {
    if (!Array.isArray(o.referencePath)) throw new EngineInputError('referencePath', 'must be a list of prices');
    if (o.referencePath.length > 10_000) throw new EngineInputError('referencePath', `must list at most 10,000 prices, got ${o.referencePath.length}`);
    path = (o.referencePath as readonly Numeric[]).map((v, i) => priceInput(`referencePath[${i}]`, v));
  }
  if (o.details !== undefined && typeof o.details !== 'boolean') throw new EngineInputError('details', `must be true or false, got ${JSON.stringify(o.details)}`);
  return { maxRounds, alpha: alpha.toNumber(), alphaZero: alpha.isZero(), perBlock, capital, capitalF: capital === null ? 0 : Number(capital), gas, details: o.details === true, path };
}

type Shock = { kind: 'reference'; price: Decimal } | { kind: 'sell'; quantity: bigint; pool: number };

function readShock(input: unknown, system: System): Shock {
  if (input === null || typeof input !== 'object') throw new EngineInputError('shock', 'must be { referencePrice } or { sellQuantity, pool }');
  const s = input as Record<string, unknown>;
  const hasRef = s.referencePrice !== undefined;
  const hasSell = s.sellQuantity !== undefined;
  if (hasRef === hasSell) throw new EngineInputError('shock', 'give exactly one of referencePrice or sellQuantity (with pool)');
  if (hasRef) return { kind: 'reference', price: priceInput('shock.referencePrice', s.referencePrice as Numeric) };
  const pid = s.pool;
  const k = system.pools.findIndex((p) => p.id === pid);
  if (k < 0) throw new EngineInputError('shock.pool', `names no pool: ${JSON.stringify(pid)}`);
  return { kind: 'sell', quantity: gridPositive('shock.sellQuantity', s.sellQuantity as Numeric, COLLATERAL_DECIMALS), pool: k };
}

// ---------------------------------------------------------------------------------------------------------
// The simulation
// ---------------------------------------------------------------------------------------------------------

/** Grid units to Decimal; zero (the commonest figure in a quiet round) is one shared constant (Decimals are immutable). */
const decimalOf = (x: bigint, places: number) => (x === 0n ? ZERO : fromScaled(x, places));
const dec6 = (x: bigint) => decimalOf(x, DEBT_DECIMALS);
const dec8 = (x: bigint) => decimalOf(x, COLLATERAL_DECIMALS);

/** The Decimal of a figure that often repeats from round to round (a price, a running total): converted once per change. */
class Memo {
  private last = -1n;
  private value: Decimal = ZERO;
  private readonly convert: (x: bigint) => Decimal;
  // No parameter property: Node's type stripping (the bench scripts) does not accept them.
  constructor(convert: (x: bigint) => Decimal) {
    this.convert = convert;
  }
  of(x: bigint): Decimal {
    if (x !== this.last) {
      this.last = x;
      this.value = this.convert(x);
    }
    return this.value;
  }
}

function poolPriceDecimal(pool: GridPool): Decimal {
  return new Decimal(pool.Y.toString()).mul(100).div(pool.X.toString());
}

function receipt8(p: ProtocolRun): bigint {
  const left = p.supplied - p.badDebt;
  return left <= 0n ? 0n : (left * 10n ** 8n) / p.supplied;
}

function receiptDecimal(p: ProtocolRun): Decimal {
  const left = p.supplied - p.badDebt;
  return left <= 0n ? ZERO : new Decimal(left.toString()).div(p.supplied.toString());
}

/** HF < 1 for the account at sorted position i at the protocol's price this round: a float pre-screen, exact near the boundary. */
function isUnder(p: ProtocolRun, i: number, tau: number): boolean {
  if (p.D[i] === 0) return false;
  const key = p.K[i]!;
  if (key > tau * (1 + 1e-9)) return true;
  if (key < tau * (1 - 1e-9)) return false;
  return underwater(p.g, BigInt(p.C[i]!), BigInt(p.D[i]!), p.price);
}

/** HF < 1 ⇔ d/c > P·LT / 10^10: the threshold on an account's key at price P. */
function tauOf(p: ProtocolRun, PF: number): number {
  return (PF * p.ltF) / 1e10;
}

/** One liquidation's amounts in grid units (safe integers). */
const scratch: FastLiquidation = { repaid: 0, seized: 0, fee: 0, capped: false };

function liquidation(p: ProtocolRun, i: number): FastLiquidation {
  const c = p.C[i]!;
  const d = p.D[i]!;
  if (!liquidateFast(p.f, c, d, p.PF, scratch)) {
    const exact = liquidateOnGrid(p.g, BigInt(c), BigInt(d), p.price);
    scratch.repaid = Number(exact.repaid);
    scratch.seized = Number(exact.seized);
    scratch.fee = Number(exact.fee);
    scratch.capped = exact.capped;
  }
  return scratch;
}

/**
 * Runs an on-chain liquidation cascade over a system of pools, oracles and lending protocols after a shock (see
 * the module header for the round structure). Pure: the populations are not changed, and the same inputs give the
 * same result, digit for digit.
 */
export function simulateLendingCascade(systemInput: LendingSystemInput, shockInput: OnchainShock, optionsInput?: OnchainOptions): OnchainResult {
  const sys = readSystem(systemInput);
  const opts = readOptions(optionsInput);
  const shock = readShock(shockInput, sys);
  const { pools, oracles, protocols } = sys;

  let ref = sys.ref;
  const price8 = (price: Decimal) => toScaled(price.toDecimalPlaces(ORACLE_DECIMALS, Decimal.ROUND_DOWN), ORACLE_DECIMALS);
  let ref8 = price8(ref);
  let refF = ref.toNumber();
  let feeWei = opts.gas?.wei ?? 0n;

  const sourceNow = (o: OracleRun): bigint => {
    if (o.kind === 0) return poolPrice8(pools[o.src]!);
    if (o.kind === 1) return ref8;
    return receipt8(protocols[o.src]!);
  };
  for (const o of oracles) {
    const s = sourceNow(o);
    o.hist = [s];
    o.published = s;
  }
  const initialPoolPrices: Record<string, Decimal> = {};
  for (const pool of pools) initialPoolPrices[pool.id] = poolPriceDecimal(pool);
  const firstInitial = pools.length > 0 ? initialPoolPrices[pools[0]!.id]! : null;

  const publish = (r: number) => {
    for (const o of oracles) {
      const s = sourceNow(o);
      o.hist.push(s);
      const lagged = o.hist[Math.max(0, r + 1 - o.delay)]!;
      if (o.thrN === 0n) {
        o.published = lagged;
        o.updated = true;
      } else {
        const diff = lagged > o.published ? lagged - o.published : o.published - lagged;
        o.updated = lagged !== o.published && diff * o.thrD >= o.thrN * o.published;
        if (o.updated) o.published = lagged;
      }
    }
  };

  /** Brings the accounts the protocol's price now reaches into its active list (gallop and bisect, exact). */
  const advance = (p: ProtocolRun) => {
    const pop = p.pop;
    const P = p.price;
    let lo = p.cursor;
    if (lo >= pop.n || !underwater(p.g, pop.c[lo]!, pop.d[lo]!, P)) return;
    let step = 1;
    let hi = lo + 1;
    while (hi < pop.n && underwater(p.g, pop.c[hi]!, pop.d[hi]!, P)) {
      lo = hi;
      step *= 2;
      hi = Math.min(pop.n, hi + step);
    }
    // Under water at lo, not at hi (or hi = n).
    while (hi - lo > 1) {
      const mid = (lo + hi) >>> 1;
      if (underwater(p.g, pop.c[mid]!, pop.d[mid]!, P)) lo = mid;
      else hi = mid;
    }
    reserve(p, hi);
    for (let i = p.cursor; i < hi; i++) if (p.D[i] !== 0) p.active[p.activeLen++] = i;
    p.cursor = hi;
  };

  const setPrice = (p: ProtocolRun) => {
    const v = oracles[p.oracle]!.published;
    // A worthless receipt is still priced at one grid unit, so that no division meets 0.
    p.price = v < 1n ? 1n : v;
    p.PF = Number(p.price);
  };

  /** Is any open account of p under water at P (active list, then the next untouched account)? */
  const anyUnderAt = (p: ProtocolRun, P: bigint): boolean => {
    const tau = tauOf(p, Number(P));
    for (let k = 0; k < p.activeLen; k++) {
      const i = p.active[k]!;
      if (p.D[i] === 0) continue;
      const key = p.K[i]!;
      if (key > tau * (1 + 1e-9)) return true;
      if (key >= tau * (1 - 1e-9) && underwater(p.g, BigInt(p.C[i]!), BigInt(p.D[i]!), P)) return true;
    }
    const s = p.cursor;
    return s < p.pop.n && underwater(p.g, p.pop.c[s]!, p.pop.d[s]!, P);
  };

  /** Gas per liquidation in 10^−26 debt units: gas × base fee (wei) × native price (10^−8). */
  const gasCost = (): bigint => (opts.gas === null ? 0n : opts.gas.per * feeWei * (opts.gas.native ?? ref8));

  const rounds: OnchainRound[] = [];
  const extremePoolPrices: Record<string, Decimal> = { ...initialPoolPrices };
  const trackExtreme = (id: string, price: Decimal): Decimal => {
    const start = initialPoolPrices[id]!;
    if (price.sub(start).abs().gt(extremePoolPrices[id]!.sub(start).abs())) extremePoolPrices[id] = price;
    return price;
  };
  let round0Price: Decimal | null = null;

  /** End-of-round scan at this round's price: drops closed accounts, counts the backlog, sums the shortfall. */
  const settleScan = (p: ProtocolRun, r: number) => {
    const tau = tauOf(p, p.PF);
    const shortTau = p.PF / 1e10;
    let backlog = 0;
    const backlogDebt = new Sum();
    let unprofitable = 0;
    // Shortfall = Σ (d·10^10 − c·P) over accounts whose debt exceeds their collateral's value: two exact sums, one
    // product (10^−16 units).
    const shortD = new Sum();
    const shortC = new Sum();
    let w = 0;
    const active = p.active;
    for (let k = 0; k < p.activeLen; k++) {
      const i = active[k]!;
      if (p.D[i] === 0) continue;
      active[w++] = i;
      if (isUnder(p, i, tau)) {
        backlog++;
        backlogDebt.add(p.D[i]!);
        if (p.skipped[i] === r) unprofitable++;
      }
      // Debt above the collateral's whole value, in 10^−16 units: d·10^10 − c·P when positive.
      const key = p.K[i]!;
      if (key > shortTau * (1 + 1e-9) || (key > shortTau * (1 - 1e-9) && BigInt(p.D[i]!) * E10 > BigInt(p.C[i]!) * p.price)) {
        shortD.add(p.D[i]!);
        shortC.add(p.C[i]!);
      }
    }
    p.activeLen = w;
    p.shortfall = shortD.value() * E10 - shortC.value() * p.price;
    return { backlog, backlogDebt: backlogDebt.value(), unprofitable };
  };

  // Figures that repeat from round to round are converted to Decimal once per change.
  const memos = protocols.map((p) => ({
    price: new Memo(dec8),
    bad: new Memo(dec6),
    debt: new Memo(dec6),
    collateral: new Memo(dec8),
    receipt: new Memo(() => receiptDecimal(p)),
  }));
  const oracleMemos = oracles.map(() => new Memo(dec8));
  const poolMemos = pools.map(() => ({ X: new Memo(dec8), Y: new Memo(dec6), price: ZERO, key: '' }));
  const gasMemo = new Memo((x) => fromScaled(x, 9));
  const poolPrice = (k: number): Decimal => {
    const pool = pools[k]!;
    const memo = poolMemos[k]!;
    const key = `${pool.X}:${pool.Y}`;
    if (key !== memo.key) {
      memo.key = key;
      memo.price = trackExtreme(pool.id, poolPriceDecimal(pool));
    }
    return memo.price;
  };

  const record = (r: number, blockLiquidations: number, gasWei: bigint | null, gas: bigint) => {
    const protocolRounds: ProtocolRound[] = protocols.map((p, k) => {
      const memo = memos[k]!;
      const repaid = p.rRepaid.value();
      const seized = p.rSeized.value();
      const fee = p.rFee.value();
      const burned = p.rBurned.value();
      p.repaid += repaid;
      p.seized += seized;
      p.fee += fee;
      p.badDebt += burned;
      p.openC -= seized;
      p.openD -= repaid + burned;
      const scan = settleScan(p, r);
      const profit = (p.rProceeds - repaid) * E20 - BigInt(p.rLiq) * gas;
      p.profit += profit;
      return {
        id: p.id,
        oraclePrice: memo.price.of(p.price),
        liquidations: p.rLiq,
        accountsLiquidatedTotal: p.accounts,
        debtRepaid: dec6(repaid),
        collateralSeized: dec8(seized),
        collateralSold: dec8(p.rSold.value()),
        protocolFee: dec8(fee),
        liquidatorProfit: decimalOf(profit, 26),
        backlog: scan.backlog,
        backlogDebt: dec6(scan.backlogDebt),
        unprofitable: scan.unprofitable,
        badDebt: memo.bad.of(p.badDebt),
        shortfall: decimalOf(p.shortfall, 16),
        totalDebt: memo.debt.of(p.openD),
        totalCollateral: memo.collateral.of(p.openC),
        receiptPrice: memo.receipt.of(p.badDebt),
      };
    });
    rounds.push({
      round: r,
      referencePrice: ref,
      pools: pools.map((pool, k) => ({
        id: pool.id,
        price: poolPrice(k),
        collateralReserve: poolMemos[k]!.X.of(pool.X),
        debtReserve: poolMemos[k]!.Y.of(pool.Y),
        soldByLiquidators: dec8(pool.sold),
        arbitrageBought: dec8(pool.arb),
      })),
      oracles: oracles.map((o, k) => ({ id: o.id, price: oracleMemos[k]!.of(o.published), updated: o.updated })),
      gasPriceGwei: gasWei === null ? null : gasMemo.of(gasWei),
      blockLiquidations,
      protocols: protocolRounds,
    });
  };

  const resetRound = () => {
    for (const pool of pools) {
      pool.sold = 0n;
      pool.arb = 0n;
      pool.changed = false;
    }
    for (const p of protocols) {
      p.rLiq = 0;
      p.rRepaid.reset();
      p.rSeized.reset();
      p.rFee.reset();
      p.rSold.reset();
      p.rBurned.reset();
      p.rProceeds = 0n;
    }
  };

  /**
   * Lowest price an oracle can publish from here if nothing more is liquidated: its pending (delayed) values, then
   * the source as it is now, published in turn wherever they pass the deviation threshold. A pool above the
   * reference is on its way down to it (arbitrage), so the reference is a value ahead too; below it, it only rises.
   */
  const lowestAhead = (o: OracleRun, r: number): bigint => {
    let published = o.published;
    let low = published;
    const consider = (v: bigint) => {
      if (v === published) return;
      const diff = v > published ? v - published : published - v;
      if (o.thrN !== 0n && diff * o.thrD < o.thrN * published) return;
      published = v;
      if (v < low) low = v;
    };
    for (let k = Math.max(0, r + 2 - o.delay); k < o.hist.length; k++) consider(o.hist[k]!);
    const now = sourceNow(o);
    consider(now);
    if (o.kind === 0 && !opts.alphaZero && ref8 < now) consider(ref8);
    return low;
  };

  /** Will any oracle publish a different price next round if nothing else happens? */
  const oraclesMoving = (r: number): boolean => {
    for (const o of oracles) {
      const ahead = o.hist.slice(Math.max(0, r + 2 - o.delay));
      ahead.push(sourceNow(o));
      for (const v of ahead) {
        if (v === o.published) continue;
        if (o.thrN === 0n) return true;
        const diff = v > o.published ? v - o.published : o.published - v;
        if (diff * o.thrD >= o.thrN * o.published) return true;
      }
    }
    return false;
  };

  /** No account is liquidatable now, nor at the lowest price its oracle can still publish. */
  const settled = (r: number): boolean => {
    for (const p of protocols) {
      const low = lowestAhead(oracles[p.oracle]!, r);
      const at = low < p.price ? low : p.price;
      if (anyUnderAt(p, at < 1n ? 1n : at)) return false;
    }
    return true;
  };
  /** Prices settled: no arbitrage trade and no oracle update ahead. */
  const still = (r: number) => r >= opts.path.length && !arbitrageAhead(pools, refF, opts) && !oraclesMoving(r);

  // ---- round 0: the shock ----
  resetRound();
  if (shock.kind === 'reference') {
    ref = shock.price;
    ref8 = price8(ref);
    refF = ref.toNumber();
    for (const pool of pools) {
      pool.arb = movePoolTo(pool, refF, pool.feeF);
      pool.changed = pool.arb !== 0n;
    }
  } else {
    const pool = pools[shock.pool]!;
    swapCollateralIn(pool, shock.quantity);
    pool.changed = true;
  }
  if (firstInitial !== null) round0Price = poolPriceDecimal(pools[0]!);
  publish(0);
  for (const p of protocols) {
    setPrice(p);
    advance(p);
  }
  record(0, 0, opts.gas === null ? null : feeWei, 0n);

  let stopReason: OnchainStopReason | null = null;
  if (rounds[0]!.protocols.every((p) => p.backlog === 0) && settled(0) && still(0)) stopReason = 'fixed-point';

  let order: number[] = [];
  for (let r = 1; stopReason === null; r++) {
    resetRound();
    // The outside market moves along its path (if any) at the start of the block.
    if (r - 1 < opts.path.length) {
      ref = opts.path[r - 1]!;
      ref8 = price8(ref);
      refF = ref.toNumber();
    }
    // 1. arbitrage
    if (!opts.alphaZero) {
      for (const pool of pools) {
        const target = arbitrageTarget(pool, refF, opts.alpha);
        if (target === null) continue;
        pool.arb = movePoolTo(pool, target, pool.feeF);
        if (pool.arb !== 0n) pool.changed = true;
      }
    }
    // 2. oracles
    publish(r);
    // 3. liquidatable accounts
    let count = 0;
    for (const p of protocols) {
      setPrice(p);
      advance(p);
      const tau = tauOf(p, p.PF);
      if (count + p.activeLen > candP.length) {
        const size = Math.max(2 * candP.length, count + p.activeLen);
        const nextP = new Int32Array(size);
        const nextI = new Int32Array(size);
        nextP.set(candP);
        nextI.set(candI);
        candP = nextP;
        candI = nextI;
      }
      for (let k = 0; k < p.activeLen; k++) {
        const i = p.active[k]!;
        if (isUnder(p, i, tau)) {
          candP[count] = p.index;
          candI[count++] = i;
        }
      }
    }
    // 4. liquidators choose: most profitable first when block space or capital is short
    const gas = gasCost();
    const gasF = Number(gas) / 1e20;
    const feeThisRound = feeWei;
    const ranked = (opts.perBlock !== null && count > opts.perBlock) || opts.capital !== null;
    if (ranked) {
      const score = new Float64Array(count);
      for (let k = 0; k < count; k++) score[k] = estimateProfit(protocols[candP[k]!]!, candI[k]!, pools, gasF);
      order = Array.from({ length: count }, (_, k) => k);
      order.sort((a, b) => score[b]! - score[a]! || candP[a]! - candP[b]! || candI[a]! - candI[b]!);
    }
    // Each pool's spot price net of its fee, per collateral unit in 10^−6 debt units per 10^−8 collateral unit.
    const netPrice = pools.map((pool) => (Number(pool.Y) / Number(pool.X)) * (1 - pool.feeF));
    let used = 0;
    let spent = 0;
    for (let n = 0; n < count; n++) {
      if (opts.perBlock !== null && used >= opts.perBlock) break;
      const k = ranked ? order[n]! : n;
      const p = protocols[candP[k]!]!;
      const i = candI[k]!;
      const liq = liquidation(p, i);
      const receives = liq.seized - liq.fee;
      if (liq.repaid === 0 && liq.seized === 0) {
        p.skipped[i] = r;
        continue;
      }
      // Expected profit > 0, in 10^−6 debt units: receives at the market's price net of its fee, − repaid − gas.
      let profitable: boolean;
      shaky = false;
      if (p.market >= 0) {
        const pool = pools[p.market]!;
        profitable = less(liq.repaid + gasF, receives * netPrice[p.market]!);
        if (shaky) profitable = BigInt(receives) * pool.Y * (pool.fd - pool.fn) * E20 > (BigInt(liq.repaid) * E20 + gas) * pool.X * pool.fd;
      } else {
        profitable = less(liq.repaid + gasF, (receives * p.PF) / 1e10);
        if (shaky) profitable = BigInt(receives) * p.price * E10 > BigInt(liq.repaid) * E20 + gas;
      }
      if (!profitable) {
        p.skipped[i] = r;
        continue;
      }
      if (opts.capital !== null) {
        // Capital is a safe integer of 10^−6 units (at most ~9 × 10^9 debt units), so this sum is exact.
        if (spent + liq.repaid > opts.capitalF) continue;
        spent += liq.repaid;
      }
      used++;
      const c = p.C[i]! - liq.seized;
      let d = p.D[i]! - liq.repaid;
      if (p.calls[i] === 0) p.accounts++;
      p.calls[i]!++;
      if (c === 0 && d > 0) {
        p.burned[i] = p.burned[i]! + d;
        p.rBurned.add(d);
        d = 0;
      }
      p.C[i] = c;
      p.D[i] = d;
      p.K[i] = d === 0 ? 0 : d / c;
      p.rLiq++;
      p.rRepaid.add(liq.repaid);
      p.rSeized.add(liq.seized);
      p.rFee.add(liq.fee);
      p.rSold.add(receives);
      p.liquidations++;
      if (p.firstRound === null) p.firstRound = r;
    }
    // 5. one sale per pool; redeemed receipts at the oracle price
    for (let k = 0; k < pools.length; k++) {
      const pool = pools[k]!;
      let total = 0n;
      for (const p of protocols) if (p.market === k) total += p.rSold.value();
      if (total === 0n) continue;
      const out = swapCollateralIn(pool, total);
      pool.sold = total;
      pool.changed = true;
      for (const p of protocols) {
        if (p.market !== k) continue;
        const sold = p.rSold.value();
        if (sold > 0n) p.rProceeds = (out * sold) / total;
      }
    }
    for (const p of protocols) if (p.market < 0) p.rProceeds = (p.rSold.value() * p.price) / E10;
    // 6. EIP-1559
    let feeChanged = false;
    if (opts.gas !== null && opts.perBlock !== null) {
      const L = BigInt(opts.perBlock);
      const u = BigInt(used);
      let delta = (feeWei * (2n * u - L)) / (8n * L);
      if (2n * u > L && delta < 1n) delta = 1n;
      const next = feeWei + delta < 0n ? 0n : feeWei + delta;
      feeChanged = next !== feeWei;
      feeWei = next;
    }
    record(r, used, opts.gas === null ? null : feeThisRound, gas);

    const backlog = rounds[rounds.length - 1]!.protocols.some((p) => p.backlog > 0);
    if (!backlog && used === 0 && settled(r) && still(r)) stopReason = 'fixed-point';
    else if (used === 0 && backlog && !pools.some((p) => p.changed) && !feeChanged && still(r)) stopReason = 'stalled';
    else if (r >= opts.maxRounds) stopReason = 'round-cap';
  }

  // ---- totals ----
  const finalPoolPrices: Record<string, Decimal> = {};
  for (const pool of pools) finalPoolPrices[pool.id] = poolPriceDecimal(pool);
  let amplification: Decimal | null = null;
  let peakAmplification: Decimal | null = null;
  if (firstInitial !== null && round0Price !== null) {
    const exogenous = round0Price.sub(firstInitial).abs();
    if (!exogenous.isZero()) {
      amplification = finalPoolPrices[pools[0]!.id]!.sub(firstInitial).abs().div(exogenous);
      peakAmplification = extremePoolPrices[pools[0]!.id]!.sub(firstInitial).abs().div(exogenous);
    }
  }
  let collateralBalance = 0n;
  let debtBalance = 0n;
  for (const p of protocols) {
    // Open amounts recomputed from the accounts themselves, not from the running totals.
    const takenC = new Sum();
    const takenD = new Sum();
    for (let i = 0; i < p.cursor; i++) {
      takenC.add(p.pop.cF[i]! - p.C[i]!);
      takenD.add(p.pop.dF[i]! - p.D[i]!);
    }
    const openC = p.pop.totalCollateral - takenC.value();
    const openD = p.pop.totalDebt - takenD.value();
    collateralBalance += p.pop.totalCollateral - openC - p.seized;
    debtBalance += p.pop.totalDebt - openD - p.repaid - p.badDebt;
  }
  const lastRound = rounds[rounds.length - 1]!;
  const result: OnchainResult = {
    rounds,
    stopReason: stopReason ?? 'fixed-point',
    protocols: protocols.map((p, i) => ({
      id: p.id,
      liquidations: p.liquidations,
      accountsLiquidated: p.accounts,
      debtRepaid: dec6(p.repaid),
      collateralSeized: dec8(p.seized),
      badDebt: dec6(p.badDebt),
      shortfall: lastRound.protocols[i]!.shortfall,
      liquidatorProfit: fromScaled(p.profit, 26),
      protocolFee: dec8(p.fee),
      firstRoundHit: p.firstRound,
    })),
    initialPoolPrices,
    finalPoolPrices,
    amplification,
    peakAmplification,
    extremePoolPrices,
    ledger: { collateralBalance: dec8(collateralBalance), debtBalance: dec6(debtBalance) },
  };
  if (opts.details) {
    const accounts: Record<string, OnchainAccountState[]> = {};
    for (const p of protocols) {
      const list = new Array<OnchainAccountState>(p.pop.n);
      for (let i = 0; i < p.pop.n; i++) {
        list[p.pop.order[i]!] =
          i >= p.cursor
            ? { collateral: dec8(p.pop.c[i]!), debt: dec6(p.pop.d[i]!), liquidations: 0, badDebt: ZERO }
            : { collateral: dec8(BigInt(p.C[i]!)), debt: dec6(BigInt(p.D[i]!)), liquidations: p.calls[i]!, badDebt: dec6(BigInt(p.burned[i]!)) };
      }
      accounts[p.id] = list;
    }
    result.accounts = accounts;
  }
  for (const p of protocols) returnBuffers(p);
  return result;
}

/** Will arbitrage trade next round (a pool outside its fee band, and a trade the grid allows)? */
function arbitrageAhead(pools: PoolRun[], refF: number, opts: Opts): boolean {
  if (opts.alphaZero) return false;
  for (const pool of pools) {
    const target = arbitrageTarget(pool, refF, opts.alpha);
    if (target !== null && arbitrageTrade(pool, target, pool.feeF) !== 0n) return true;
  }
  return false;
}

/**
 * Float estimate of a call's profit, for ranking only (whether to liquidate is decided exactly): the branches of
 * liquidateOnGrid in float arithmetic, in 10^−6 debt units.
 */
function estimateProfit(p: ProtocolRun, i: number, pools: PoolRun[], gasF: number): number {
  const c = p.C[i]!;
  const d = p.D[i]!;
  const P = p.PF;
  const cp = c * P;
  let cf = cp * p.ltF > p.hF * d * 1e10 ? p.cfDefF : p.cfMaxF;
  if (p.g.v33 && (cp < 2e19 || d < 2e9)) cf = p.cfMaxF;
  const onePlus = 1 + p.bonusF;
  let repay = d * cf;
  let wanted = (repay * onePlus * 1e10) / P;
  if (p.g.v33 && wanted < c && cf < 1 && (d * (1 - cf) < 1e9 || (c - wanted) * P < 1e19)) {
    const lowered = Math.min(repay, d - 1e9, (cp - 1e19) / (onePlus * 1e10));
    if (lowered > 0) {
      repay = lowered;
      wanted = (repay * onePlus * 1e10) / P;
    }
  }
  const capped = wanted > c;
  const seized = capped ? c : wanted;
  const repaid = capped ? cp / (onePlus * 1e10) : repay;
  const receives = seized - ((seized * p.bonusF) / onePlus) * p.feeShareF;
  let value: number;
  if (p.market >= 0) {
    const pool = pools[p.market]!;
    value = ((receives * Number(pool.Y)) / Number(pool.X)) * (1 - pool.feeF);
  } else {
    value = (receives * P) / 1e10;
  }
  return value - repaid - gasF;
}

/** The defaults simulateLendingCascade applies, for widgets that show them. */
export const ONCHAIN_DEFAULTS = Object.freeze({ maxRounds: 200, arbitrage: '0.5', poolFee: DEFAULT_POOL_FEE, rules: 'v3.3' as LendingRules });
