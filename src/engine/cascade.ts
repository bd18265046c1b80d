/**
 * The liquidation cascade: forced selling that moves the price into the next layer of liquidations.
 *
 * A shock starts it: either the mark moves (`{ markPrice }`: the fair price moved elsewhere, market makers requote,
 * the whole book shifts to the new mark) or someone trades at market (`{ sellQuantity }` / `{ buyQuantity }`: the
 * order walks the book and its last fill is the new mark). Then, round after round:
 *   1. Between rounds the book refills by the resilience fraction (book.ts), and market makers withdraw a share of
 *      every level that grows with realized volatility: min(maxWithdrawal, withdrawalSensitivity × volatility),
 *      rounded down to 0.0001 so that the visible quantities stay exact.
 *   2. Every position whose liquidation price the mark has reached (longs: mark ≤ LP; shorts: mark ≥ LP) is taken
 *      over by the liquidation engine and joins its queue: first come, first served; positions crossed in the
 *      same round in order of their liquidation price (the first crossed first), ties by position index.
 *   3. From the head of the queue the engine takes whole positions, up to throughputPerRound (quantity, per side;
 *      at least one position a round) and never more than the book's visible depth; the rest waits: the backlog.
 *   4. It closes them with one market order per side: longs' sells into the bids, then shorts' buys from the
 *      asks. The batch clears at one price, its last (worst) fill, like a call auction; that price becomes the mark.
 *   5. Each position is settled as the account engine's liquidationOutcome settles it at that price: the equity
 *      left pays the liquidation fee (capped at the equity) and then goes to the insurance fund; negative equity is
 *      a loss the fund covers as far as its balance goes, the rest bad debt. Within a batch, the fund first collects
 *      what the batch's positions bring (their fees too, when feeToInsuranceFund), then covers the losses in queue
 *      order.
 *   6. Auto-deleveraging. Before the order goes out, the batch is priced at its clearing price: a position whose
 *      loss there is more than the fund still holds is not sold but matched, at its own bankruptcy price (equity
 *      exactly 0: no fee, no fund, no bad debt), against the best-ranked open positions on the other side (adl.ts:
 *      Bybit's PnL% × effective leverage, or Binance's LeveragePnL), which are closed in that quantity; the rest
 *      of the batch then goes to the book, at the (better) price it clears at without the deleveraged part. The
 *      decision is made once, on the whole batch's price, in queue order (the fund covers the losses it can, first
 *      come first served; a bankrupt position larger than the open quantity left on the other side is sold instead).
 *      With ADL off, or nobody left to deleverage, the loss stays as bad debt. Deciding on the batch's price
 *      deleverages more than an engine sending orders one at a time would: a batch that gaps far through the book
 *      (a large mark shock, a thin book) can be deleveraged whole and never reach the book; a throughput limit
 *      makes batches, and so the decision, finer. A partly deleveraged counterparty keeps its whole balance behind
 *      what is left of its position (venues release isolated margin pro rata; kept simple, and the same in both
 *      implementations).
 *   7. A liquidity vault (backstop 'vault'; the design of Hyperliquid's HLP and its liquidator, and of GMX's GLP
      pool as the traders' counterparty). Its depositors' capital stands where auto-deleveraging stood: in step 6 a
      bankrupt position the fund cannot cover is taken over by the vault, at its bankruptcy price (equity exactly 0:
      no fee, no fund, no bad debt), when the vault's equity at the batch's tentative price, less the losses it has
      already taken over in that batch, covers the position's loss; the vault holds it, and it never reaches the
      book (it does not push the price). ADL (and then bad debt) takes only what the vault cannot. As a market maker
      the vault also fills makerShare of every forced order at the batch's clearing price (rounded down to whole
      quantity units; while its equity at the mark is positive), so only the rest walks the book: the tentative
      price is the walk of the batch less that share, the clearing price the walk of the part sold less it. Its
      inventory (signed: the longs it bought or took over, less the shorts) and the cash its trades moved are exact
      integers, so its equity at any price p is capital + cash + K·inventory·p (= capital + realized + inventory ×
      (p − average entry), without an average to round); it is marked at every round's mark.
   Rounds repeat until a round finds the queue empty and no position newly crossed (a fixed point), or the book
 *   cannot take the next position ('book-exhausted'), or maxRounds rounds have run ('round-cap'). Shorts squeeze
 *   upward the same way, into the asks.
 *
 * Amplification = total move ÷ exogenous move, where the total move is |final mark − initial mid| and the exogenous
 * move is what the shock alone did: |markPrice − mid| for a mark shock, and for a market order the distance from
 * the mid to its last fill in the untouched book (the move the order would cause if nobody were leveraged). Null
 * when the exogenous move is zero.
 *
 * Ledger (money in the margin currency; exact): for every position closed, liquidated or deleveraged as bankrupt,
 *     stake (its margin or wallet) + realized PnL at its exit price = fee + insurance-fund change + bad debt
 * (bad debt ≤ 0: the hole nobody paid; a deleveraged bankrupt exits at its bankruptcy price with PnL = −stake).
 * The result's `ledger.balance` is the left side minus the right side, and is 0. The fund's balance moves by the
 * fund change plus, when feeToInsuranceFund, the fees. Deleveraged counterparties' realized PnL is reported apart:
 * they are paid their entry value against the bankrupt positions' bankruptcy value. With a vault the identity is
 *     stake + realized PnL = fee + insurance-fund change + bad debt + vault takeover,
 * where a position the vault took over is measured, like the positions sold beside it, at its batch's clearing
 * price: its equity there (negative when it is bankrupt there) is its vault-takeover term, the loss the vault took
 * on in place of the fund. The trader's account closes at the bankruptcy price either way (it keeps nothing and
 * owes nothing); the vault pays the bankruptcy value and carries the difference, marked from then on.
 *
 * Volatility: realized volatility = √(Σ r²) over the steps of the price path so far (initial mid, shock, each
 * round's mark), r the relative change of a step. Not annualized: a cascade has no clock.
 *
 * Speed: the population is sorted by trigger with prefix sums (population.ts), so a round costs a binary search per
 * side, O(1) bigint sums for the batch, and one pass of float comparisons over the positions closed (each position
 * is passed once in a whole cascade), with exact bigint arithmetic only where a float comparison is within its error
 * bound of a tie. simulateCascadePerPosition (cascade-reference.ts) computes the same cascade position by position
 * with the account engine; the tests require both to agree to the last digit.
 */
import { Decimal, ONE, ZERO, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, oneOf, positive, toDecimal } from './parse.ts';
import { isBook, resilienceOf, shiftBook, walkSide, type Book } from './book.ts';
import {
  asPopulation,
  exactOf,
  firstIndexAtOrAbove,
  firstIndexAtOrBelow,
  MAX_GRID_PRICE,
  populationView,
  triggerExact,
  type Population,
  type PopulationView,
  type SideView,
} from './population.ts';
import { ADL_RANKINGS, adlScore, compareAdl, type AdlRanking, type AdlScore } from './adl.ts';
import { EPS, FLOAT_EXACT, fromScaled, pow10, toScaled } from './exact.ts';
import type { Side } from './position.ts';

// ---------------------------------------------------------------------------------------------------------
// Public types
// ---------------------------------------------------------------------------------------------------------

export type CascadeShock = { markPrice: Numeric } | { sellQuantity: Numeric } | { buyQuantity: Numeric };

export interface CascadeOptions {
  /** Share of the eaten depth that returns between rounds, 0 … 1 (default 0: no refill). */
  resilience?: Numeric;
  /** Most rounds to run (default 200, at most 100,000). */
  maxRounds?: number;
  /**
   * Most quantity the liquidation engine closes per side per round (default: no limit). It closes whole positions,
   * and at least one a round, so a limit below the next position's size lets that one position through alone.
   */
  throughputPerRound?: Numeric | null;
  /** Liquidation fee on notional at the fill (default 0). */
  liquidationFeeRate?: Numeric;
  /** Whether liquidation fees go to the insurance fund, as at Binance and Bybit (default true). */
  feeToInsuranceFund?: boolean;
  /** The insurance fund's balance at the start (default 0). */
  insuranceFund?: Numeric;
  /** Close opposite positions when the fund cannot cover a bankrupt one (default true). */
  autoDeleveraging?: boolean;
  /** How ADL ranks them (default 'bybit'). */
  adlRanking?: AdlRanking;
  /** Share of depth market makers withdraw per unit of realized volatility (default 0: they stay). */
  withdrawalSensitivity?: Numeric;
  /** Most depth they withdraw, below 1 (default 0.9). */
  maxWithdrawal?: Numeric;
  /**
   * List, per round, which positions (population indices) were liquidated and which were deleveraged (default
   * false: a 100,000-position cascade need not build the lists).
   */
  details?: boolean;
  /**
   * What stands behind the insurance fund (default 'insurance-fund': the fund, then auto-deleveraging). 'vault': a
   * liquidity vault takes bankrupt positions over and quotes a share of every forced order (module header).
   */
  backstop?: Backstop;
  /** The vault, with backstop 'vault' (required there, refused otherwise). */
  vault?: VaultOptions;
}

export type Backstop = 'insurance-fund' | 'vault';
export const BACKSTOPS = ['insurance-fund', 'vault'] as const satisfies readonly Backstop[];

export interface VaultOptions {
  /** The depositors' money at the start, in the margin currency (> 0). */
  capital: Numeric;
  /** Share of every forced sale or buy the vault fills itself at the batch's clearing price, 0 ≤ share < 1 (default 0). */
  makerShare?: Numeric;
}

export type StopReason = 'fixed-point' | 'round-cap' | 'book-exhausted';

export interface CascadeRound {
  /** 1, 2, … */
  round: number;
  /** The mark when the round started, and after it. */
  startPrice: Decimal;
  price: Decimal;
  /** Clearing price of the liquidation engine's sell order (longs closed) and buy order (shorts); null if none. */
  sellPrice: Decimal | null;
  buyPrice: Decimal | null;
  /** Positions whose liquidation price the mark reached this round (they join the queue). */
  positionsTriggered: number;
  /** Positions the engine closed this round (sold into the book or deleveraged as bankrupt). */
  positionsLiquidated: number;
  liquidatedQuantity: Decimal;
  /** At the exit price: the clearing price, or the bankruptcy price for a deleveraged position. */
  liquidatedNotional: Decimal;
  liquidatedLongQuantity: Decimal;
  liquidatedShortQuantity: Decimal;
  liquidatedLongNotional: Decimal;
  liquidatedShortNotional: Decimal;
  /** Quantity sold into the bids and bought from the asks by the liquidation engine. */
  soldQuantity: Decimal;
  boughtQuantity: Decimal;
  /** Positions taken over but still waiting (throughput limit or exhausted book), after the round. */
  backlogPositions: number;
  backlogQuantity: Decimal;
  fees: Decimal;
  /** The fund's change from the outcomes this round (fees excluded). */
  insuranceFundChange: Decimal;
  /** The fund's balance after the round (with fees, when they go to it). */
  insuranceFund: Decimal;
  /** ≤ 0: losses neither the fund nor ADL covered this round. */
  badDebt: Decimal;
  /** Quantity of bankrupt positions matched against opposite positions, and its value at their bankruptcy prices. */
  adlQuantity: Decimal;
  adlNotional: Decimal;
  /** Opposite positions closed (fully or in part) by ADL. */
  positionsDeleveraged: number;
  /** √(Σ r²) of the price path up to this round's mark. */
  realizedVolatility: Decimal;
  /** Visible share of depth during the round (1 − withdrawal). */
  depthShare: Decimal;
  /** The book could not take the next position: the cascade ends here. */
  bookExhausted: boolean;
  /** The book after the round (immutable; cheap: it shares the levels). */
  book: Book;
  /** With `details`: population indices of the positions closed this round (sold or deleveraged as bankrupt), in queue order. */
  liquidatedPositions?: number[];
  /** With `details`: population indices of the opposite positions ADL closed (fully or in part), best-ranked first. */
  deleveragedPositions?: number[];
  /** With backstop 'vault': its equity marked at this round's mark, and its change over the round. */
  vaultEquity?: Decimal;
  vaultPnl?: Decimal;
  /** With backstop 'vault': its position after the round, signed (positive: long). */
  vaultInventory?: Decimal;
  /** With backstop 'vault': quantity it took over from bankrupt positions, and quantity it bought or sold as maker. */
  vaultTakeoverQuantity?: Decimal;
  vaultMakerQuantity?: Decimal;
}

export interface CascadeLedger {
  /** Σ margin or wallet of the positions closed. */
  stake: Decimal;
  /** Σ their realized PnL at their exit prices. */
  realizedPnl: Decimal;
  fees: Decimal;
  /** Σ insurance-fund changes of the outcomes (fees excluded). */
  insuranceFundChange: Decimal;
  /** Σ bad debt (≤ 0). */
  badDebt: Decimal;
  /** stake + realizedPnl − fees − insuranceFundChange − badDebt: zero, exactly. */
  balance: Decimal;
  /** Realized PnL of the deleveraged counterparties' closed quantity. */
  adlCounterpartyPnl: Decimal;
  /**
   * With backstop 'vault': Σ equity, at their batch's clearing price, of the positions the vault took over (≤ 0 for
   * a bankrupt one: the loss the vault takes in place of the fund). Then balance = stake + realizedPnl − fees −
   * insuranceFundChange − badDebt − vaultTakeover.
   */
  vaultTakeover?: Decimal;
}

export interface CascadeVault {
  capital: Decimal;
  /** Final equity (marked at the final price) and its change from the capital. */
  equity: Decimal;
  pnl: Decimal;
  /** Lowest equity along the way (at the start or a round's mark). */
  lowestEquity: Decimal;
  /** Largest fall of equity from its running peak, as a share of the capital (0 when it never fell). */
  maxDrawdown: Decimal;
  /** Signed position held at the end (positive: long). */
  inventory: Decimal;
  takeoverQuantity: Decimal;
  takeoverPositions: number;
  makerQuantity: Decimal;
  /** Auto-deleveraging closed something: a bankrupt position came that neither the fund nor the vault's equity could take. */
  adlReached: boolean;
}

export interface CascadeResult {
  /** The book's mid before the shock. */
  initialPrice: Decimal;
  /** The mark after the shock, before any liquidation. */
  shockPrice: Decimal;
  finalPrice: Decimal;
  /** The farthest mark from the initial price along the way. */
  extremePrice: Decimal;
  exogenousMove: Decimal;
  totalMove: Decimal;
  /** totalMove ÷ exogenousMove; null when the exogenous move is zero. */
  amplification: Decimal | null;
  rounds: CascadeRound[];
  roundCount: number;
  stopReason: StopReason;
  /** The shock's own order hit an exhausted book, or a round could not place its next position. */
  bookExhausted: boolean;
  /** What the shock's market order could not fill. */
  shockUnfilledQuantity: Decimal;
  totalLiquidatedQuantity: Decimal;
  totalLiquidatedNotional: Decimal;
  liquidatedLongQuantity: Decimal;
  liquidatedShortQuantity: Decimal;
  positionsLiquidated: number;
  /** Taken over but never closed (the cascade stopped first). */
  backlogPositions: number;
  backlogQuantity: Decimal;
  fees: Decimal;
  /** Final balance, and its change over the cascade (fees included when they go to the fund). */
  insuranceFund: Decimal;
  insuranceFundChange: Decimal;
  badDebt: Decimal;
  adlQuantity: Decimal;
  adlNotional: Decimal;
  positionsDeleveraged: number;
  realizedVolatility: Decimal;
  ledger: CascadeLedger;
  /** The book after the last round. */
  book: Book;
  /** With backstop 'vault': what the vault went through. */
  vault?: CascadeVault;
}

// ---------------------------------------------------------------------------------------------------------
// What the round loop asks of a population (two implementations: aggregated here, per position in the reference)
// ---------------------------------------------------------------------------------------------------------

/** @internal Fixed numbers of one run, on the run's grid. */
export interface RunContext {
  view: PopulationView;
  /** Liquidation fee = fr / 10^df. */
  fr: bigint;
  df: number;
  feeRate: Decimal;
  /** Money units (10^−dw) → ledger units (10^−dl). */
  LS: bigint;
  /** fr·K·q·p·FS is a fee in ledger units. */
  FS: bigint;
  dl: number;
  feeToFund: boolean;
  adl: boolean;
  ranking: AdlRanking;
}

/** @internal A batch the engine took from a queue; the implementation keeps what it needs inside. */
export interface Batch {
  /** Σ quantity in 10^−dq. */
  quantity: bigint;
  positions: number;
  /** Stopped because the book's visible depth could not take the next position. */
  cutByDepth: boolean;
}

/** @internal The ADL decision on a batch, at its tentative clearing price (and the vault's takeovers, with a vault). */
export interface AdlDecision {
  quantity: bigint;
  positions: number;
  /** Σ stake (money units) and Σ value at bankruptcy prices (money units) of the deleveraged positions. */
  stake: bigint;
  bankruptValue: bigint;
  /** The same for the positions the vault takes over. */
  vaultQuantity: bigint;
  vaultPositions: number;
  vaultStake: bigint;
  vaultBankruptValue: bigint;
}

/** @internal An empty decision. */
export function noDecision(): AdlDecision {
  return { quantity: 0n, positions: 0, stake: 0n, bankruptValue: 0n, vaultQuantity: 0n, vaultPositions: 0, vaultStake: 0n, vaultBankruptValue: 0n };
}

/** @internal The settlement of a batch's sold part at its clearing price (ledger units unless noted). */
export interface Settlement {
  fees: bigint;
  fundChange: bigint;
  badDebt: bigint;
  /** Money units: Σ stake and Σ realized PnL of the positions sold, and their notional at the clearing price. */
  stake: bigint;
  pnl: bigint;
  notional: bigint;
  quantity: bigint;
}

/** @internal */
export interface Deleveraging {
  positions: number;
  /** Money units. */
  counterpartyPnl: bigint;
  /** Population indices, best-ranked first. */
  indices: number[];
}

/** @internal */
export interface PopulationOps<B extends Batch> {
  /** Queues the positions the mark (grid integer) has reached; returns how many. */
  trigger(mark: bigint, markPrice: Decimal): number;
  queued(side: Side): { positions: number; quantity: bigint };
  /** Takes whole positions from the head of the queue: Σ quantity ≤ throughput (but at least one) and ≤ available. */
  takeBatch(side: Side, throughput: bigint | null, available: bigint): B;
  /**
   * Marks the positions to deleverage at the tentative price p (first fit against the fund, in queue order). With
   * a vault (`vault`: its equity at p, ledger units; null without one) a position the fund cannot cover goes to the
   * vault when that equity, less the losses it has taken over in this batch, covers its loss; ADL takes the rest.
   */
  decide(side: Side, batch: B, p: bigint, fund: bigint, capacity: bigint, vault: bigint | null): AdlDecision;
  /** Settles the batch's positions not deleveraged at p; fund is the balance before. */
  settle(side: Side, batch: B, p: bigint, fund: bigint): Settlement;
  /** Open quantity on a side that ADL could close. */
  adlCapacity(side: Side): bigint;
  /** Closes `quantity` of the best-ranked open positions on `side` at price p, against bankrupt value X (money). */
  deleverage(side: Side, quantity: bigint, bankruptValue: bigint, p: bigint): Deleveraging;
  /** Population indices of a batch's positions, in queue order (for `details`; call before settle). */
  members(side: Side, batch: B): number[];
}

// ---------------------------------------------------------------------------------------------------------
// Reading inputs
// ---------------------------------------------------------------------------------------------------------

interface Options {
  resilience: Decimal;
  maxRounds: number;
  throughput: Decimal | null;
  feeRate: Decimal;
  feeToFund: boolean;
  fund: Decimal;
  adl: boolean;
  ranking: AdlRanking;
  sensitivity: Decimal;
  maxWithdrawal: Decimal;
  details: boolean;
  /** null: the insurance-fund design. */
  vault: { capital: Decimal; makerShare: Decimal } | null;
}

function flag(field: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw new EngineInputError(field, `must be true or false, got ${JSON.stringify(value)}`);
  return value;
}

function readOptions(input: CascadeOptions | undefined): Options {
  const o = input ?? {};
  if (o === null || typeof o !== 'object') throw new EngineInputError('options', 'must be an object');
  const maxRounds = o.maxRounds === undefined ? 200 : o.maxRounds;
  if (typeof maxRounds !== 'number' || !Number.isInteger(maxRounds) || maxRounds < 1 || maxRounds > 100_000) {
    throw new EngineInputError('maxRounds', `must be a whole number from 1 to 100,000, got ${JSON.stringify(o.maxRounds)}`);
  }
  let throughput: Decimal | null = null;
  if (o.throughputPerRound !== undefined && o.throughputPerRound !== null) {
    throughput = toDecimal('throughputPerRound', o.throughputPerRound);
    if (throughput.lte(0)) {
      throw new EngineInputError('throughputPerRound', `must be greater than 0, got ${throughput.toString()}: an engine that closes nothing never ends a cascade`);
    }
  }
  const feeRate = o.liquidationFeeRate === undefined ? ZERO : nonNegative('liquidationFeeRate', o.liquidationFeeRate);
  if (feeRate.gte(1)) throw new EngineInputError('liquidationFeeRate', `must be below 1, got ${feeRate.toString()}`);
  const maxWithdrawal = o.maxWithdrawal === undefined ? new Decimal('0.9') : nonNegative('maxWithdrawal', o.maxWithdrawal);
  if (maxWithdrawal.gte(1)) throw new EngineInputError('maxWithdrawal', `must be below 1: withdrawing all depth leaves no market, got ${maxWithdrawal.toString()}`);
  const backstop = o.backstop === undefined ? 'insurance-fund' : oneOf('backstop', o.backstop, BACKSTOPS);
  let vault: Options['vault'] = null;
  if (backstop === 'vault') {
    if (o.vault === undefined || o.vault === null || typeof o.vault !== 'object') throw new EngineInputError('vault', "is required with backstop 'vault': give { capital }");
    const makerShare = o.vault.makerShare === undefined ? ZERO : nonNegative('vault.makerShare', o.vault.makerShare);
    // A share of 1 would leave nothing for the book: the price could never move, and the vault would be the market.
    if (makerShare.gte(1)) throw new EngineInputError('vault.makerShare', `must be below 1, got ${makerShare.toString()}`);
    vault = { capital: positive('vault.capital', o.vault.capital), makerShare };
  } else if (o.vault !== undefined) {
    throw new EngineInputError('vault', "applies only with backstop 'vault'");
  }
  return {
    resilience: o.resilience === undefined ? ZERO : resilienceOf(o.resilience),
    maxRounds,
    throughput,
    feeRate,
    feeToFund: flag('feeToInsuranceFund', o.feeToInsuranceFund, true),
    fund: o.insuranceFund === undefined ? ZERO : nonNegative('insuranceFund', o.insuranceFund),
    adl: flag('autoDeleveraging', o.autoDeleveraging, true),
    ranking: o.adlRanking === undefined ? 'bybit' : oneOf('adlRanking', o.adlRanking, ADL_RANKINGS),
    sensitivity: o.withdrawalSensitivity === undefined ? ZERO : nonNegative('withdrawalSensitivity', o.withdrawalSensitivity),
    maxWithdrawal,
    details: flag('details', o.details, false),
    vault,
  };
}

type Shock = { kind: 'mark'; price: Decimal } | { kind: 'sell' | 'buy'; quantity: Decimal };

function readShock(input: unknown): Shock {
  if (input === null || typeof input !== 'object') {
    throw new EngineInputError('shock', 'must be { markPrice }, { sellQuantity } or { buyQuantity }');
  }
  const given = (['markPrice', 'sellQuantity', 'buyQuantity'] as const).filter((k) => (input as Record<string, unknown>)[k] !== undefined);
  if (given.length !== 1) {
    throw new EngineInputError('shock', `give exactly one of markPrice, sellQuantity, buyQuantity; got ${given.length === 0 ? 'none' : given.join(' and ')}`);
  }
  const key = given[0]!;
  const value = (input as Record<string, Numeric>)[key];
  if (key === 'markPrice') return { kind: 'mark', price: positive('shock.markPrice', value) };
  return { kind: key === 'sellQuantity' ? 'sell' : 'buy', quantity: positive(`shock.${key}`, value) };
}

// ---------------------------------------------------------------------------------------------------------
// The round loop
// ---------------------------------------------------------------------------------------------------------


/** @internal Runs a cascade with the given population implementation. */
export function runCascade<B extends Batch>(
  populationInput: Population,
  bookInput: Book,
  shockInput: CascadeShock,
  optionsInput: CascadeOptions | undefined,
  makeOps: (population: Population, context: RunContext) => PopulationOps<B>,
): CascadeResult {
  const population = asPopulation(populationInput);
  if (!isBook(bookInput)) throw new EngineInputError('book', 'must be a book from flatBook, sqrtBook or bookFromSnapshot');
  let book: Book = bookInput;
  const shock = readShock(shockInput);
  const opts = readOptions(optionsInput);

  // The grid every mark of this run sits on: fine enough for the population, the book and the shock.
  const dp = Math.max(population.data.dp, book.priceDecimals, shock.kind === 'mark' ? shock.price.decimalPlaces() : 0);
  const view = populationView(population, dp);
  const df = opts.feeRate.decimalPlaces();
  const dl = Math.max(view.dw + df, opts.fund.decimalPlaces(), opts.vault === null ? 0 : opts.vault.capital.decimalPlaces());
  const context: RunContext = {
    view,
    fr: toScaled(opts.feeRate, df),
    df,
    feeRate: opts.feeRate,
    LS: pow10(dl - view.dw),
    FS: pow10(dl - view.dw - df),
    dl,
    feeToFund: opts.feeToFund,
    adl: opts.adl,
    ranking: opts.ranking,
  };
  const ops = makeOps(population, context);
  const grid = (price: Decimal) => toScaled(price, dp, 'price');
  const money = (x: bigint) => fromScaled(x, view.dw);
  const ledger = (x: bigint) => fromScaled(x, dl);
  const quantity = (x: bigint) => fromScaled(x, view.dq);
  const qUnits = (x: Decimal) => BigInt(x.mul(pow10(view.dq).toString()).floor().toFixed(0));
  // Whole positions only: a throughput below the smallest position still closes one position a round.
  const throughput = opts.throughput === null ? null : qUnits(opts.throughput);

  // Marks are compared as float integers on the grid: every price the book can quote must stay below 2^50 there.
  const highest = book.askSide.profile.price(book.askSide.profile.levels - 1).add(book.shift);
  const ceiling = shock.kind === 'mark' ? Decimal.max(highest, highest.add(shock.price.sub(book.mid))) : highest;
  if (ceiling.mul(pow10(dp).toString()).gte(MAX_GRID_PRICE)) {
    throw new EngineInputError('book', `prices up to ${ceiling.toString()} with ${dp} decimals are too fine a grid for the cascade; use fewer decimals`);
  }
  const initialPrice = book.mid;
  let mark = initialPrice;
  let shockUnfilled = ZERO;
  let exhaustedAtShock = false;
  if (shock.kind === 'mark') {
    try {
      book = shiftBook(book, shock.price);
    } catch (error) {
      if (error instanceof EngineInputError) throw new EngineInputError('shock.markPrice', error.rule);
      throw error;
    }
    mark = shock.price;
  } else {
    const side = shock.kind === 'sell' ? book.bidSide : book.askSide;
    const walk = walkSide(side, book.shift, book.depthShare, shock.quantity);
    const next = { profile: side.profile, consumed: walk.consumed };
    book = shock.kind === 'sell' ? book.with({ bids: next }) : book.with({ asks: next });
    if (walk.lastPrice !== null) mark = walk.lastPrice;
    shockUnfilled = walk.unfilled;
    exhaustedAtShock = walk.unfilled.gt(0);
  }
  const shockPrice = mark;
  const exogenousMove = shockPrice.sub(initialPrice).abs();
  let extreme = shockPrice;
  const firstReturn = shockPrice.sub(initialPrice).div(initialPrice);
  let sumSquares = firstReturn.mul(firstReturn);
  let volatility = sumSquares.sqrt();

  let fund = toScaled(opts.fund, dl);
  const fundStart = fund;
  const totals = {
    fees: 0n, fundChange: 0n, badDebt: 0n, stake: 0n, pnl: 0n, counterpartyPnl: 0n,
    quantity: 0n, notional: 0n, longQuantity: 0n, shortQuantity: 0n, positions: 0,
    adlQuantity: 0n, adlNotional: 0n, deleveraged: 0,
  };
  const rounds: CascadeRound[] = [];
  let stopReason: StopReason | null = exhaustedAtShock ? 'book-exhausted' : null;

  // The vault's book, exact: a signed inventory (quantity units) and the cash its trades moved (money units), so its
  // equity at any price p is capital + cash + K·inventory·p with no average entry to round. Capital in ledger units.
  const vaultOn = opts.vault !== null;
  const K = view.K;
  const capital = opts.vault === null ? 0n : toScaled(opts.vault.capital, dl);
  const makerDecimals = opts.vault === null ? 0 : opts.vault.makerShare.decimalPlaces();
  const makerRate = opts.vault === null ? 0n : toScaled(opts.vault.makerShare, makerDecimals);
  const makerScale = pow10(makerDecimals);
  const vaultState = { inventory: 0n, cash: 0n, takeover: 0n, takeoverQ: 0n, takeoverPositions: 0, makerQ: 0n, peak: capital, low: capital, drawdown: 0n, equity: capital };
  const vaultEquityAt = (p: bigint) => capital + (vaultState.cash + K * vaultState.inventory * p) * context.LS;
  let exhausted = exhaustedAtShock;

  for (let r = 1; stopReason === null; r++) {
    if (!opts.resilience.isZero()) {
      const keep = ONE.sub(opts.resilience);
      book = book.with({
        bids: { profile: book.bidSide.profile, consumed: book.bidSide.consumed.mul(keep) },
        asks: { profile: book.askSide.profile, consumed: book.askSide.consumed.mul(keep) },
      });
    }
    if (!opts.sensitivity.isZero()) {
      const withdrawn = Decimal.min(opts.maxWithdrawal, opts.sensitivity.mul(volatility)).toDecimalPlaces(4, Decimal.ROUND_DOWN);
      book = book.with({ depthShare: ONE.sub(withdrawn) });
    }
    const markGrid = grid(mark);
    const triggered = ops.trigger(markGrid, mark);
    if (ops.queued('long').positions === 0 && ops.queued('short').positions === 0) {
      stopReason = 'fixed-point';
      break;
    }
    if (r > opts.maxRounds) {
      stopReason = 'round-cap';
      break;
    }

    const startPrice = mark;
    const roundTotals = {
      fees: 0n, fundChange: 0n, badDebt: 0n, positions: 0, deleveraged: 0,
      quantity: 0n, notional: 0n, long: { q: 0n, n: 0n }, short: { q: 0n, n: 0n },
      sold: 0n, bought: 0n, adlQuantity: 0n, adlNotional: 0n, vaultTakeoverQ: 0n, vaultMakerQ: 0n,
    };
    let sellPrice: Decimal | null = null;
    let buyPrice: Decimal | null = null;
    let roundExhausted = false;
    const liquidatedPositions: number[] = [];
    const deleveragedPositions: number[] = [];

    for (const side of ['long', 'short'] as const) {
      if (ops.queued(side).positions === 0) continue;
      const bookSide = side === 'long' ? book.bidSide : book.askSide;
      const available = qUnits(bookSide.profile.total.sub(bookSide.consumed).mul(book.depthShare));
      const batch = ops.takeBatch(side, throughput, available);
      if (batch.cutByDepth) roundExhausted = true;
      if (batch.positions === 0) continue;
      if (opts.details) liquidatedPositions.push(...ops.members(side, batch));
      // The vault quotes its share of the forced order while its equity (at the mark before the order) is positive;
      // the share is rounded down to whole quantity units, so at least one unit of a nonempty order reaches the book.
      const quoting = vaultOn && makerRate > 0n && vaultEquityAt(grid(mark)) > 0n;
      const makerFill = (q: bigint) => (quoting ? (q * makerRate) / makerScale : 0n);
      const tentative = walkSide(bookSide, book.shift, book.depthShare, quantity(batch.quantity - makerFill(batch.quantity)));
      const opposite: Side = side === 'long' ? 'short' : 'long';
      const capacity = context.adl ? ops.adlCapacity(opposite) : 0n;
      const tentativeGrid = grid(tentative.lastPrice!);
      const decision = ops.decide(side, batch, tentativeGrid, fund, capacity, vaultOn ? vaultEquityAt(tentativeGrid) : null);
      const taken = decision.quantity + decision.vaultQuantity;
      const sold = batch.quantity - taken;
      const filled = makerFill(sold);
      let walk = tentative;
      if (taken > 0n) {
        walk = sold > 0n ? walkSide(bookSide, book.shift, book.depthShare, quantity(sold - filled)) : { ...tentative, lastPrice: null, consumed: bookSide.consumed };
      }
      const clearing = walk.lastPrice === null ? markGrid : grid(walk.lastPrice);
      const settlement = ops.settle(side, batch, clearing, fund);
      fund += settlement.fundChange + (context.feeToFund ? settlement.fees : 0n);
      let deleveraging: Deleveraging = { positions: 0, counterpartyPnl: 0n, indices: [] };
      if (decision.quantity > 0n) deleveraging = ops.deleverage(opposite, decision.quantity, decision.bankruptValue, clearing);
      if (opts.details) deleveragedPositions.push(...deleveraging.indices);
      if (vaultOn) {
        // Taken over at the bankruptcy value; filled as maker at the clearing price. A long bought, a short sold.
        const s = side === 'long' ? 1n : -1n;
        vaultState.inventory += s * (decision.vaultQuantity + filled);
        vaultState.cash -= s * (decision.vaultBankruptValue + K * clearing * filled);
        // The taken-over positions' equity at the clearing price: the loss the vault takes on in the fund's place.
        const hole = s * (K * clearing * decision.vaultQuantity - decision.vaultBankruptValue);
        vaultState.takeover += hole * context.LS;
        vaultState.takeoverQ += decision.vaultQuantity;
        vaultState.takeoverPositions += decision.vaultPositions;
        vaultState.makerQ += filled;
        roundTotals.vaultTakeoverQ += decision.vaultQuantity;
        roundTotals.vaultMakerQ += filled;
        totals.stake += decision.vaultStake;
        totals.pnl += hole - decision.vaultStake;
      }

      if (walk.lastPrice !== null) {
        const next = { profile: bookSide.profile, consumed: walk.consumed };
        book = side === 'long' ? book.with({ bids: next }) : book.with({ asks: next });
        mark = walk.lastPrice;
        if (side === 'long') sellPrice = walk.lastPrice;
        else buyPrice = walk.lastPrice;
      }
      const closedQuantity = settlement.quantity + decision.quantity + decision.vaultQuantity;
      const closedNotional = settlement.notional + decision.bankruptValue + decision.vaultBankruptValue;
      roundTotals.fees += settlement.fees;
      roundTotals.fundChange += settlement.fundChange;
      roundTotals.badDebt += settlement.badDebt;
      roundTotals.positions += batch.positions;
      roundTotals.deleveraged += deleveraging.positions;
      roundTotals.quantity += closedQuantity;
      roundTotals.notional += closedNotional;
      roundTotals[side].q += closedQuantity;
      roundTotals[side].n += closedNotional;
      if (side === 'long') roundTotals.sold += settlement.quantity;
      else roundTotals.bought += settlement.quantity;
      roundTotals.adlQuantity += decision.quantity;
      roundTotals.adlNotional += decision.bankruptValue;
      totals.stake += settlement.stake + decision.stake;
      totals.pnl += settlement.pnl - decision.stake;
      totals.counterpartyPnl += deleveraging.counterpartyPnl;
    }

    const previous = rounds.length === 0 ? shockPrice : rounds[rounds.length - 1]!.price;
    if (!mark.eq(previous)) {
      const change = mark.sub(previous).div(previous);
      sumSquares = sumSquares.add(change.mul(change));
      volatility = sumSquares.sqrt();
    }
    if (mark.sub(initialPrice).abs().gt(extreme.sub(initialPrice).abs())) extreme = mark;
    const backlogLong = ops.queued('long');
    const backlogShort = ops.queued('short');
    let vaultFields: Partial<CascadeRound> = {};
    if (vaultOn) {
      const before = vaultState.equity;
      const equity = vaultEquityAt(grid(mark));
      vaultState.equity = equity;
      if (equity > vaultState.peak) vaultState.peak = equity;
      if (equity < vaultState.low) vaultState.low = equity;
      if (vaultState.peak - equity > vaultState.drawdown) vaultState.drawdown = vaultState.peak - equity;
      vaultFields = {
        vaultEquity: ledger(equity),
        vaultPnl: ledger(equity - before),
        vaultInventory: quantity(vaultState.inventory),
        vaultTakeoverQuantity: quantity(roundTotals.vaultTakeoverQ),
        vaultMakerQuantity: quantity(roundTotals.vaultMakerQ),
      };
    }
    rounds.push({
      round: r,
      startPrice,
      price: mark,
      sellPrice,
      buyPrice,
      positionsTriggered: triggered,
      positionsLiquidated: roundTotals.positions,
      liquidatedQuantity: quantity(roundTotals.quantity),
      liquidatedNotional: money(roundTotals.notional),
      liquidatedLongQuantity: quantity(roundTotals.long.q),
      liquidatedShortQuantity: quantity(roundTotals.short.q),
      liquidatedLongNotional: money(roundTotals.long.n),
      liquidatedShortNotional: money(roundTotals.short.n),
      soldQuantity: quantity(roundTotals.sold),
      boughtQuantity: quantity(roundTotals.bought),
      backlogPositions: backlogLong.positions + backlogShort.positions,
      backlogQuantity: quantity(backlogLong.quantity + backlogShort.quantity),
      fees: ledger(roundTotals.fees),
      insuranceFundChange: ledger(roundTotals.fundChange),
      insuranceFund: ledger(fund),
      badDebt: ledger(roundTotals.badDebt),
      adlQuantity: quantity(roundTotals.adlQuantity),
      adlNotional: money(roundTotals.adlNotional),
      positionsDeleveraged: roundTotals.deleveraged,
      realizedVolatility: volatility,
      depthShare: book.depthShare,
      bookExhausted: roundExhausted,
      book,
      ...(opts.details ? { liquidatedPositions, deleveragedPositions } : {}),
      ...vaultFields,
    });
    totals.fees += roundTotals.fees;
    totals.fundChange += roundTotals.fundChange;
    totals.badDebt += roundTotals.badDebt;
    totals.quantity += roundTotals.quantity;
    totals.notional += roundTotals.notional;
    totals.longQuantity += roundTotals.long.q;
    totals.shortQuantity += roundTotals.short.q;
    totals.positions += roundTotals.positions;
    totals.adlQuantity += roundTotals.adlQuantity;
    totals.adlNotional += roundTotals.adlNotional;
    totals.deleveraged += roundTotals.deleveraged;
    if (roundExhausted) {
      exhausted = true;
      stopReason = 'book-exhausted';
    }
  }

  const backlogLong = ops.queued('long');
  const backlogShort = ops.queued('short');
  const totalMove = mark.sub(initialPrice).abs();
  // In ledger units: stake and PnL are money (×LS); the identity holds exactly (module header).
  const balance = (totals.stake + totals.pnl) * context.LS - totals.fees - totals.fundChange - totals.badDebt - vaultState.takeover;
  return {
    initialPrice,
    shockPrice,
    finalPrice: mark,
    extremePrice: extreme,
    exogenousMove,
    totalMove,
    amplification: exogenousMove.isZero() ? null : totalMove.div(exogenousMove),
    rounds,
    roundCount: rounds.length,
    stopReason: stopReason ?? 'fixed-point',
    bookExhausted: exhausted,
    shockUnfilledQuantity: shockUnfilled,
    totalLiquidatedQuantity: quantity(totals.quantity),
    totalLiquidatedNotional: money(totals.notional),
    liquidatedLongQuantity: quantity(totals.longQuantity),
    liquidatedShortQuantity: quantity(totals.shortQuantity),
    positionsLiquidated: totals.positions,
    backlogPositions: backlogLong.positions + backlogShort.positions,
    backlogQuantity: quantity(backlogLong.quantity + backlogShort.quantity),
    fees: ledger(totals.fees),
    insuranceFund: ledger(fund),
    insuranceFundChange: ledger(fund - fundStart),
    badDebt: ledger(totals.badDebt),
    adlQuantity: quantity(totals.adlQuantity),
    adlNotional: money(totals.adlNotional),
    positionsDeleveraged: totals.deleveraged,
    realizedVolatility: volatility,
    ledger: {
      stake: money(totals.stake),
      realizedPnl: money(totals.pnl),
      fees: ledger(totals.fees),
      insuranceFundChange: ledger(totals.fundChange),
      badDebt: ledger(totals.badDebt),
      balance: ledger(balance),
      adlCounterpartyPnl: money(totals.counterpartyPnl),
      ...(vaultOn ? { vaultTakeover: ledger(vaultState.takeover) } : {}),
    },
    book,
    ...(opts.vault !== null
      ? {
          vault: {
            capital: opts.vault.capital,
            equity: ledger(vaultState.equity),
            pnl: ledger(vaultState.equity - capital),
            lowestEquity: ledger(vaultState.low),
            maxDrawdown: new Decimal(vaultState.drawdown.toString()).div(capital.toString()),
            inventory: quantity(vaultState.inventory),
            takeoverQuantity: quantity(vaultState.takeoverQ),
            takeoverPositions: vaultState.takeoverPositions,
            makerQuantity: quantity(vaultState.makerQ),
            adlReached: totals.adlQuantity > 0n,
          },
        }
      : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// The aggregated implementation: sorted triggers, prefix sums, float comparisons with exact fallbacks
// ---------------------------------------------------------------------------------------------------------

/** A position split off by a partial ADL: what is left of it, priced apart from the sorted arrays. */
interface Override {
  index: number;
  /** Sorted index it came from (its key for queue order is its new trigger and `index`). */
  q: bigint;
  e: bigint;
  b: bigint;
  c: bigint;
  mm: bigint;
  trig: number;
  /** 0 open, 1 queued, 2 closed. */
  state: 0 | 1 | 2;
  /** Deleveraged in the current batch. */
  adl: boolean;
}

type Item = { range: true; from: number; to: number } | { range: false; o: Override };

interface AggBatch extends Batch {
  items: Item[];
}

/** One side's run state. */
class SideRun {
  readonly view: SideView;
  readonly long: boolean;
  readonly s: 1n | -1n;
  readonly sf: 1 | -1;
  /** Sorted positions [0, cursor) have been reached by the mark. */
  cursor = 0;
  /**
   * 1: gone from the sorted arrays (an open position deleveraged in full, or replaced by an Override);
   * 2: a position of the current batch matched by ADL instead of sold (it leaves with the batch).
   */
  readonly removed: Uint8Array;
  /** Σ q of removed positions at or after the cursor (for ADL capacity). */
  removedOpenQ = 0n;
  readonly overrides: Override[] = [];
  readonly queue: Item[] = [];
  head = 0;
  queuedPositions = 0;
  queuedQuantity = 0n;
  scratch: { ref: Int32Array; approx: Float64Array; err: Float64Array; qty: Float64Array } | null = null;
  constructor(view: SideView) {
    this.view = view;
    this.long = view.side === 'long';
    this.s = this.long ? 1n : -1n;
    this.sf = this.long ? 1 : -1;
    this.removed = new Uint8Array(view.n);
  }
}

/**
 * A batch classified at a price. Positions whose equity covers the fee ("case A") are summed through the prefix
 * sums; the others are exceptions: equity below the fee (case B: the fee takes it all) or negative (case C: a
 * loss for the fund), summed here, and the losses also listed in queue order for the fund's first fit.
 */
interface Classified {
  /** Totals of the positions included (batch less removed and deleveraged): quantity, entry value, balance. */
  q: bigint;
  qe: bigint;
  b: bigint;
  /** Σ quantity and Σ equity (money) of the exceptions (cases B and C). */
  excQ: bigint;
  excE: bigint;
  /** Σ equity of case B (money): it all goes to fees. */
  feeE: bigint;
  /** Σ −equity of case C (money), ≥ 0. */
  lossTotal: bigint;
  /** Case C in queue order: sorted index, or −1 − k for lossO[k]; and its equity (exact; a float below 2^53). */
  lossJ: number[];
  lossO: Override[];
  lossE: (number | bigint)[];
}

/**
 * @internal The fast implementation of the population side of a run: positions are read through the sorted
 * trigger arrays and prefix sums of the run's grid (population.ts), never one Decimal at a time.
 */
export function aggregatedOps(population: Population, context: RunContext): PopulationOps<AggBatch> {
  const { view } = context;
  const data = population.data;
  const sides = { long: new SideRun(view.long), short: new SideRun(view.short) };
  const K = view.K;
  const Kf = view.Kf;
  const feeFloat = context.feeRate.toNumber();
  const hasFee = context.fr > 0n;
  const p10dm = pow10(view.dm);
  const one = pow10(view.dw);

  /** Exact numbers of sorted position j. */
  function exactAt(run: SideRun, j: number): { q: bigint; e: bigint; b: bigint; c: bigint; mm: bigint } {
    const i = run.view.idx[j]!;
    return {
      q: exactOf(data, 'q', i),
      e: exactOf(data, 'e', i) * view.eScale,
      b: exactOf(data, 'b', i) * view.bScale,
      c: exactOf(data, 'c', i) * view.bScale,
      mm: exactOf(data, 'mm', i),
    };
  }

  /** Case of a position at p: 0 (fee fully paid), 1 (equity below the fee), 2 (negative equity); exact. */
  function caseExact(s: bigint, q: bigint, e: bigint, b: bigint, p: bigint): { kind: 0 | 1 | 2; E: bigint } {
    const E = b + s * K * q * (p - e);
    if (E < 0n) return { kind: 2, E };
    if (hasFee && E * pow10(context.df) < context.fr * K * q * p) return { kind: 1, E };
    return { kind: 0, E };
  }

  /** Same from floats when decisive: −1 when the floats cannot tell. Error bounds as in the comments. */
  function caseFloat(sf: number, q: number, e: number, b: number, p: number): number {
    // t = K·q·(p − e): two roundings; E = b ± t: one more. |error| ≤ 4·2^−53·(|t| + |b|), with room to spare.
    const t = Kf * q * (p - e);
    const E = b + sf * t;
    const err = (Math.abs(t) + Math.abs(b)) * 4e-16;
    if (E < -err) return 2;
    if (E <= err) return -1;
    if (!hasFee) return 0;
    // fee = rate·K·q·p: the float rate is off by one rounding, the product by three more.
    const fee = feeFloat * Kf * q * p;
    const g = E - fee;
    const errG = err + fee * 1e-15;
    if (g >= errG) return 0;
    if (g < -errG) return 1;
    return -1;
  }

  /**
   * Classifies a batch at p (positions marked for ADL excluded). On an exact view the per-position work is float
   * arithmetic on integers below 2^53, which is exact; the exceptions' sums are kept as floats (each a sum of
   * same-sign integers, exact while the total stays below 2^53, which is checked) and turned into bigint once.
   */
  function classify(run: SideRun, batch: AggBatch, p: bigint): Classified {
    const v = run.view;
    if (!v.exact) return classifyExactly(run, batch, p);
    const pf = Number(p);
    let q = 0n;
    let qe = 0n;
    let b = 0n;
    // Excluded positions inside ranges (removed or deleveraged), and the exceptions, as exact float sums …
    let xq = 0;
    let xqe = 0;
    let xb = 0;
    let eq = 0;
    let feeE = 0;
    let loss = 0;
    // … and the same for overrides and for the rare position whose equity is not an exact float, in bigint.
    let beq = 0n;
    let bfeeE = 0n;
    let bloss = 0n;
    const lossJ: number[] = [];
    const lossO: Override[] = [];
    const lossE: (number | bigint)[] = [];
    const exception = (kind: 1 | 2, E: bigint, quantity: bigint, j: number, o: Override | null) => {
      beq += quantity;
      if (kind === 1) bfeeE += E;
      else {
        bloss -= E;
        lossJ.push(o ? -1 - lossO.length : j);
        if (o) lossO.push(o);
        lossE.push(E);
      }
    };
    for (const item of batch.items) {
      if (!item.range) {
        const o = item.o;
        if (o.adl) continue;
        q += o.q;
        qe += o.q * o.e * K;
        b += o.b;
        const c = caseExact(run.s, o.q, o.e, o.b, p);
        if (c.kind !== 0) exception(c.kind, c.E, o.q, -1, o);
        continue;
      }
      q += v.prefQ.range(item.from, item.to);
      qe += v.prefQE.range(item.from, item.to);
      b += v.prefB.range(item.from, item.to);
      for (let j = item.from; j < item.to; j++) {
        if (run.removed[j] !== 0) {
          xq += v.q[j]!;
          xqe += v.q[j]! * v.e[j]! * Kf;
          xb += v.b[j]!;
          continue;
        }
        const kind = caseFloat(run.sf, v.q[j]!, v.e[j]!, v.b[j]!, pf);
        if (kind === 0) continue;
        const qf = v.q[j]!;
        const t = Kf * qf * (pf - v.e[j]!);
        const E = v.b[j]! + run.sf * t;
        if (kind === -1 || !(Math.abs(t) < FLOAT_EXACT) || !(Math.abs(E) < FLOAT_EXACT)) {
          const c = caseExact(run.s, BigInt(qf), BigInt(v.e[j]!), BigInt(v.b[j]!), p);
          if (c.kind !== 0) exception(c.kind, c.E, BigInt(qf), j, null);
          continue;
        }
        // Integers below 2^53: E is exact.
        eq += qf;
        if (kind === 1) feeE += E;
        else {
          loss -= E;
          lossJ.push(j);
          lossE.push(E);
        }
      }
    }
    if (!(xqe < FLOAT_EXACT) || !(xb < FLOAT_EXACT) || !(feeE < FLOAT_EXACT) || !(loss < FLOAT_EXACT)) {
      return classifyExactly(run, batch, p);
    }
    const feeTotal = BigInt(feeE) + bfeeE;
    const lossTotal = BigInt(loss) + bloss;
    return {
      q: q - BigInt(xq),
      qe: qe - BigInt(xqe),
      b: b - BigInt(xb),
      excQ: BigInt(eq) + beq,
      excE: feeTotal - lossTotal,
      feeE: feeTotal,
      lossTotal,
      lossJ,
      lossO,
      lossE,
    };
  }

  /** classify() in bigint throughout: for a view whose numbers are not exact floats, or a batch whose sums pass 2^53. */
  function classifyExactly(run: SideRun, batch: AggBatch, p: bigint): Classified {
    const out: Classified = { q: 0n, qe: 0n, b: 0n, excQ: 0n, excE: 0n, feeE: 0n, lossTotal: 0n, lossJ: [], lossO: [], lossE: [] };
    const take = (x: { q: bigint; e: bigint; b: bigint }, j: number, o: Override | null) => {
      out.q += x.q;
      out.qe += x.q * x.e * K;
      out.b += x.b;
      const c = caseExact(run.s, x.q, x.e, x.b, p);
      if (c.kind === 0) return;
      out.excQ += x.q;
      out.excE += c.E;
      if (c.kind === 1) out.feeE += c.E;
      else {
        out.lossTotal -= c.E;
        out.lossJ.push(o ? -1 - out.lossO.length : j);
        if (o) out.lossO.push(o);
        out.lossE.push(c.E);
      }
    };
    for (const item of batch.items) {
      if (!item.range) {
        if (!item.o.adl) take(item.o, -1, item.o);
        continue;
      }
      for (let j = item.from; j < item.to; j++) {
        if (run.removed[j] !== 0) continue;
        take(exactAt(run, j), j, null);
      }
    }
    return out;
  }

  /** Fees (ledger) and fund gain (ledger) of the non-negative positions of a classified batch at p. */
  function gains(run: SideRun, c: Classified, p: bigint): { fees: bigint; gain: bigint } {
    const equityAll = c.b + run.s * (K * p * c.q - c.qe);
    const feeA = context.fr * K * p * (c.q - c.excQ) * context.FS;
    const equityA = equityAll - c.excE;
    return { fees: feeA + c.feeE * context.LS, gain: equityA * context.LS - feeA };
  }

  /** The numbers of a listed loss: a sorted position or an override. */
  function lossNumbers(run: SideRun, c: Classified, k: number): { q: bigint; e: bigint; b: bigint; o: Override | null; j: number } {
    const r = c.lossJ[k]!;
    if (r < 0) {
      const o = c.lossO[-1 - r]!;
      return { q: o.q, e: o.e, b: o.b, o, j: -1 };
    }
    return { ...exactAt(run, r), o: null, j: r };
  }

  /** Buffers for ranking candidates, kept between ADL events (a run may rank tens of thousands several times). */
  function scratch(run: SideRun, m: number): { ref: Int32Array; approx: Float64Array; err: Float64Array; qty: Float64Array } {
    if (run.scratch === null || run.scratch.ref.length < m) {
      const size = Math.max(m, run.view.n + 64);
      run.scratch = { ref: new Int32Array(size), approx: new Float64Array(size), err: new Float64Array(size), qty: new Float64Array(size) };
    }
    return run.scratch;
  }

  /** decide()'s classification, for settle() to reuse when the price did not change. */
  let cache: { batch: AggBatch; p: bigint; c: Classified } | null = null;

  function keyBefore(run: SideRun, trigA: number, indexA: number, trigB: number, indexB: number): boolean {
    if (trigA !== trigB) return run.long ? trigA > trigB : trigA < trigB;
    return indexA < indexB;
  }

  function triggerSide(run: SideRun, m: number): number {
    const v = run.view;
    const next = Math.max(run.cursor, run.long ? firstIndexAtOrBelow(v, m - 1) : firstIndexAtOrAbove(v, m + 1));
    const crossed = run.overrides.filter((o) => o.state === 0 && (run.long ? o.trig >= m : o.trig <= m));
    crossed.sort((a, b) => (keyBefore(run, a.trig, a.index, b.trig, b.index) ? -1 : 1));
    let count = 0;
    let quantity = 0n;
    let from = run.cursor;
    for (let j = run.cursor; j < next; j++) {
      if (run.removed[j] === 1) {
        run.removedOpenQ -= exactAt(run, j).q;
        continue;
      }
      count++;
    }
    quantity += v.prefQ.range(run.cursor, next);
    for (let j = run.cursor; j < next; j++) if (run.removed[j] === 1) quantity -= exactAt(run, j).q;
    for (const o of crossed) {
      // Split the new range where the override belongs in (trigger, index) order.
      let lo = from;
      let hi = next;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (keyBefore(run, v.trig[mid]!, v.idx[mid]!, o.trig, o.index)) lo = mid + 1;
        else hi = mid;
      }
      if (lo > from) run.queue.push({ range: true, from, to: lo });
      run.queue.push({ range: false, o });
      o.state = 1;
      count++;
      quantity += o.q;
      from = lo;
    }
    if (next > from) run.queue.push({ range: true, from, to: next });
    run.cursor = next;
    run.queuedPositions += count;
    run.queuedQuantity += quantity;
    return count;
  }

  return {
    trigger(mark) {
      const m = Number(mark);
      return triggerSide(sides.long, m) + triggerSide(sides.short, m);
    },

    queued(side) {
      const run = sides[side];
      return { positions: run.queuedPositions, quantity: run.queuedQuantity };
    },

    takeBatch(side, throughput, available) {
      const run = sides[side];
      const v = run.view;
      const items: Item[] = [];
      let positions = 0;
      let cut = false;
      let stop = false;
      // Float sums are exact when the view is (every q and Σq below 2^52); otherwise bigint.
      const limitT = throughput === null ? Number.POSITIVE_INFINITY : Number(throughput);
      const limitA = Number(available);
      let sumF = 0;
      let sumB = 0n;
      const fits = (q: bigint, qf: number): boolean => {
        // The throughput limit defers a position to the next round; the book's depth ends the cascade.
        if (v.exact && Number.isSafeInteger(limitA) && (throughput === null || Number.isSafeInteger(limitT))) {
          if (positions > 0 && sumF + qf > limitT) return false;
          if (sumF + qf > limitA) {
            cut = true;
            return false;
          }
          return true;
        }
        if (positions > 0 && throughput !== null && sumB + q > throughput) return false;
        if (sumB + q > available) {
          cut = true;
          return false;
        }
        return true;
      };
      while (run.head < run.queue.length && !stop) {
        const item = run.queue[run.head]!;
        if (!item.range) {
          if (!fits(item.o.q, Number(item.o.q))) break;
          sumF += Number(item.o.q);
          sumB += item.o.q;
          positions++;
          items.push(item);
          run.head++;
          continue;
        }
        let j = item.from;
        for (; j < item.to; j++) {
          if (run.removed[j] === 1) continue;
          const qf = v.q[j]!;
          const qb = v.exact ? 0n : exactAt(run, j).q;
          if (!fits(qb, qf)) {
            stop = true;
            break;
          }
          sumF += qf;
          sumB += qb;
          positions++;
        }
        if (j > item.from) items.push({ range: true, from: item.from, to: j });
        if (j >= item.to) run.head++;
        else item.from = j;
      }
      let quantity = 0n;
      for (const item of items) {
        if (!item.range) {
          quantity += item.o.q;
          continue;
        }
        quantity += v.prefQ.range(item.from, item.to);
        for (let j = item.from; j < item.to; j++) if (run.removed[j] === 1) quantity -= exactAt(run, j).q;
      }
      run.queuedPositions -= positions;
      run.queuedQuantity -= quantity;
      return { items, quantity, positions, cutByDepth: cut };
    },

    decide(side, batch, p, fund, capacity, vault) {
      const run = sides[side];
      const decision = noDecision();
      if (!context.adl && vault === null) return decision;
      const c = classify(run, batch, p);
      cache = { batch, p, c };
      if (c.lossJ.length === 0) return decision;
      const g = gains(run, c, p);
      let running = fund + g.gain + (context.feeToFund ? g.fees : 0n);
      // The fund covers every loss of the batch: nothing to decide position by position.
      if (running >= c.lossTotal * context.LS) return decision;
      let room = capacity;
      for (let k = 0; k < c.lossJ.length; k++) {
        const E = c.lossE[k]!;
        const loss = -(typeof E === 'bigint' ? E : BigInt(E)) * context.LS;
        if (running >= loss) {
          running -= loss;
          continue;
        }
        const x = lossNumbers(run, c, k);
        if (vault !== null && vault >= loss) {
          // The vault takes it over at its bankruptcy price and carries its loss at p: its equity falls by it.
          vault -= loss;
          cache = null;
          if (x.o) x.o.adl = true;
          else run.removed[x.j] = 2;
          decision.vaultQuantity += x.q;
          decision.vaultPositions++;
          decision.vaultStake += x.b;
          decision.vaultBankruptValue += x.q * x.e * K - run.s * x.b;
          continue;
        }
        if (!context.adl || x.q > room) {
          running = 0n;
          continue;
        }
        cache = null;
        room -= x.q;
        if (x.o) x.o.adl = true;
        else run.removed[x.j] = 2;
        decision.quantity += x.q;
        decision.positions++;
        decision.stake += x.b;
        // Value at the bankruptcy price: Q·E − B for a long, Q·E + B for a short.
        decision.bankruptValue += x.q * x.e * K - run.s * x.b;
      }
      return decision;
    },

    settle(side, batch, p, fund) {
      const run = sides[side];
      // The tentative classification still holds when nothing was deleveraged (same batch, same price).
      const c = cache !== null && cache.batch === batch && cache.p === p ? cache.c : classify(run, batch, p);
      cache = null;
      const g = gains(run, c, p);
      let running = fund + g.gain + (context.feeToFund ? g.fees : 0n);
      let cover = 0n;
      let bad = 0n;
      const total = c.lossTotal * context.LS;
      if (running >= total) {
        cover = total;
      } else {
        for (const E of c.lossE) {
          const loss = -(typeof E === 'bigint' ? E : BigInt(E)) * context.LS;
          const covered = running < loss ? running : loss;
          running -= covered;
          cover += covered;
          bad -= loss - covered;
        }
      }
      // Positions settled here leave the population; those deleveraged leave it too (their marks are cleared).
      for (const item of batch.items) {
        if (!item.range) item.o.state = 2;
      }
      return {
        fees: g.fees,
        fundChange: g.gain - cover,
        badDebt: bad,
        stake: c.b,
        pnl: run.s * (K * p * c.q - c.qe),
        notional: K * p * c.q,
        quantity: c.q,
      };
    },

    members(side, batch) {
      const run = sides[side];
      const out: number[] = [];
      for (const item of batch.items) {
        if (!item.range) out.push(item.o.index);
        else for (let j = item.from; j < item.to; j++) if (run.removed[j] === 0) out.push(run.view.idx[j]!);
      }
      return out;
    },

    adlCapacity(side) {
      const run = sides[side];
      const v = run.view;
      let capacity = v.prefQ.range(run.cursor, v.n) - run.removedOpenQ;
      for (const o of run.overrides) if (o.state === 0) capacity += o.q;
      return capacity;
    },

    deleverage(side, need, bankruptValue, p) {
      const run = sides[side];
      const v = run.view;
      const pf = Number(p);
      // Candidates: every open position on this side (sorted index j ≥ 0, or an override as −1 − k), with a float
      // score and its relative error bound. Infinity as the bound means "compare exactly".
      let m = 0;
      for (let j = run.cursor; j < v.n; j++) if (run.removed[j] === 0) m++;
      const openOverrides = run.overrides.filter((o) => o.state === 0);
      m += openOverrides.length;
      const { ref, approx, err, qty } = scratch(run, m);
      const exactScores = new Map<number, AdlScore>();
      const numbersOf = (r: number) => (r >= 0 ? exactAt(run, r) : openOverrides[-1 - r]!);
      const indexOf = (r: number) => (r >= 0 ? v.idx[r]! : openOverrides[-1 - r]!.index);
      const exactScore = (k: number): AdlScore => {
        let score = exactScores.get(k);
        if (score === undefined) {
          const x = numbersOf(ref[k]!);
          score = adlScore(context.ranking, run.sf, x.q, x.e, x.b, x.c, x.mm, p, K, p10dm, one, indexOf(ref[k]!));
          exactScores.set(k, score);
        }
        return score;
      };
      const mmFloat = Number(p10dm);
      const oneFloat = Number(one);
      const score = (k: number, q: number, e: number, b: number, c: number, mm: number) => {
        qty[k] = q;
        const pnl = run.sf * Kf * q * (pf - e);
        const equity = b + pnl;
        const notional = Kf * q * pf;
        if (!(equity > 0) || !v.exact) {
          approx[k] = Number.NaN;
          err[k] = Number.POSITIVE_INFINITY;
          return;
        }
        // Each product and quotient adds one rounding; equity = b + pnl and MM = N·mm − c lose relative accuracy
        // by (|b| + |pnl|)/equity and (N·mm + c)/|MM|. Sixteen units of 2^−53 per term covers every path below.
        let a: number;
        let rel = 16 * EPS * (1 + (Math.abs(b) + Math.abs(pnl)) / equity);
        if (context.ranking === 'bybit') {
          const entry = Kf * q * e;
          a = pnl > 0 ? (pnl * notional) / (entry * equity) : (pnl * equity) / (entry * notional);
        } else {
          const maintenance = (notional * mm) / mmFloat - c;
          a = pnl > 0 ? (pnl * maintenance) / (Math.max(oneFloat, b) * equity) : 0;
          if (pnl > 0) rel += 16 * EPS * (1 + (notional * mm / mmFloat + Math.abs(c)) / Math.abs(maintenance));
        }
        approx[k] = a;
        err[k] = Number.isFinite(a) ? rel : Number.POSITIVE_INFINITY;
      };
      let k = 0;
      for (let j = run.cursor; j < v.n; j++) {
        if (run.removed[j] === 1) continue;
        ref[k] = j;
        score(k, v.q[j]!, v.e[j]!, v.b[j]!, v.c[j]!, v.mm[j]!);
        k++;
      }
      openOverrides.forEach((o, t) => {
        ref[k] = -1 - t;
        score(k, Number(o.q), Number(o.e), Number(o.b), Number(o.c), Number(o.mm));
        k++;
      });
      const compare = (a: number, b: number): number => {
        const fa = approx[a]!;
        const fb = approx[b]!;
        if (Math.abs(fa - fb) > Math.abs(fa) * err[a]! + Math.abs(fb) * err[b]!) return fa > fb ? -1 : 1;
        return compareAdl(exactScore(a), exactScore(b));
      };
      // The best-ranked set that covers `need`: a deterministic selection on the float scores, widened by their error
      // bands, then ordered exactly. Anything outside the band ranks below everything inside it.
      const order = selectTop(m, need, approx, err, qty, v.exact);
      order.sort(compare);
      let remaining = need;
      let entryValue = 0n;
      let positions = 0;
      const indices: number[] = [];
      for (const kk of order) {
        if (remaining === 0n) break;
        const r = ref[kk]!;
        const o = r < 0 ? openOverrides[-1 - r]! : null;
        const x = o ?? exactAt(run, r);
        const take = x.q < remaining ? x.q : remaining;
        remaining -= take;
        entryValue += take * x.e * K;
        positions++;
        indices.push(o ? o.index : v.idx[r]!);
        if (o) {
          if (take === o.q) o.state = 2;
          else {
            o.q -= take;
            o.trig = triggerExact(run.long, o.q, o.e, o.b, o.c, o.mm, K, view.dm);
          }
          continue;
        }
        run.removed[r] = 1;
        run.removedOpenQ += x.q;
        if (take < x.q) {
          // What is left keeps the whole balance (module header of cascade-reference.ts: the same rule).
          const q = x.q - take;
          run.overrides.push({ index: v.idx[r]!, q, e: x.e, b: x.b, c: x.c, mm: x.mm, trig: triggerExact(run.long, q, x.e, x.b, x.c, x.mm, K, view.dm), state: 0, adl: false });
        }
      }
      if (remaining !== 0n) throw new Error('internal: ADL capacity was checked before deleveraging');
      // The counterparties close at the bankrupt positions' bankruptcy value: PnL = s·(exit value − entry value).
      return { positions, counterpartyPnl: run.s * (bankruptValue - entryValue), indices };
    },
  };
}

/**
 * Indices of a set of candidates that surely contains the best-ranked prefix covering `need`: the top ones by float
 * score (a deterministic quickselect, doubling the count until their quantity covers need), plus every candidate
 * whose score is within the error bands of the lowest of them, plus every candidate without a float score. When
 * quantities are not exact floats, or too few candidates have scores, it is simply everyone.
 */
function selectTop(m: number, need: bigint, approx: Float64Array, err: Float64Array, qty: Float64Array, exact: boolean): number[] {
  const everyone = () => Array.from({ length: m }, (_, k) => k);
  if (!exact || m < 256) return everyone();
  const scored = new Int32Array(m);
  const unscored: number[] = [];
  let count = 0;
  for (let k = 0; k < m; k++) {
    if (Number.isFinite(err[k]!)) scored[count++] = k;
    else unscored.push(k);
  }
  const needF = Number(need);
  const pool = scored.subarray(0, count);
  for (let take = 64; ; take *= 4) {
    if (take >= count) return everyone();
    // Each pass partitions the same pool further; the first `take` entries are then the largest `take`.
    nthLargest(pool, take, approx);
    let covered = 0;
    let lowest = Number.POSITIVE_INFINITY;
    let band = 0;
    for (let t = 0; t < take; t++) {
      const k = pool[t]!;
      covered += qty[k]!;
      if (approx[k]! < lowest) lowest = approx[k]!;
      band = Math.max(band, Math.abs(approx[k]!) * err[k]!);
    }
    if (covered < needF) continue;
    const out: number[] = Array.from(pool.subarray(0, take));
    for (let t = take; t < count; t++) {
      const k = pool[t]!;
      if (approx[k]! + Math.abs(approx[k]!) * err[k]! + band >= lowest) out.push(k);
    }
    return out.concat(unscored);
  }
}

/** Reorders `pool` so that its first `count` entries have the largest `key` (in no particular order). Deterministic. */
function nthLargest(pool: Int32Array, count: number, key: Float64Array): void {
  let lo = 0;
  let hi = pool.length - 1;
  const target = count - 1;
  while (lo < hi) {
    // Median of three as the pivot: no randomness, so the same input partitions the same way everywhere.
    const mid = (lo + hi) >> 1;
    const a = key[pool[lo]!]!;
    const b = key[pool[mid]!]!;
    const c = key[pool[hi]!]!;
    const pivot = a > b ? (b > c ? b : a > c ? c : a) : a > c ? a : b > c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (key[pool[i]!]! > pivot) i++;
      while (key[pool[j]!]! < pivot) j--;
      if (i <= j) {
        const t = pool[i]!;
        pool[i] = pool[j]!;
        pool[j] = t;
        i++;
        j--;
      }
    }
    if (target <= j) hi = j;
    else if (target >= i) lo = i;
    else return;
  }
}

/**
 * Runs a liquidation cascade (see the module header): a shock, then rounds of liquidations closed into the book,
 * settled with the account engine's rules, with the insurance fund and auto-deleveraging behind them.
 * Deterministic: the same population, book, shock and options give the same result to the last digit.
 */
export function simulateCascade(population: Population, book: Book, shock: CascadeShock, options: CascadeOptions = {}): CascadeResult {
  return runCascade(population, book, shock, options, aggregatedOps);
}
