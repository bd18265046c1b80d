/**
 * Cross-margin accounts and isolated-margin adjustments, in Binance's convention (USDⓈ-M and COIN-M).
 *
 * Cross margin: one wallet backs every position in the account. With WB the wallet balance, UPNLᵢ and MMᵢ
 * each position's unrealized PnL and maintenance margin at its mark (MM = notional at mark × MMR − cum, as
 * in position.ts):
 *
 *   equity (Binance's "margin balance")  = WB + Σ UPNLᵢ
 *   liquidation                           when equity ≤ Σ MMᵢ
 *
 * The liquidation price of one symbol, the other marks fixed, is Binance's published cross formula
 * (venue-formulas.md §1, linear, and §2, inverse; both reconstructed there from the FAQs' variable lists).
 * With A = WB − TMM₁ + UPNL₁ (TMM₁, UPNL₁: maintenance margin and unrealized PnL of the positions in the
 * *other* symbols at their marks), q = quantity × contract size, S = +1 long / −1 short:
 *
 *   linear   LP = (A + cum − S·q·EP) / (q·MMR − S·q)
 *   inverse  LP = q·(MMR + S) / (A + cum + S·q/EP)
 *
 * Derivation (so the signs are ours, not only the reconstruction's). Linear: equity = A' + S·q·(P − EP) with
 * A' = WB + UPNL₁, and MM = q·P·MMR − cum + TMM₁; equity = MM gives P·(q·MMR − S·q) = A + cum − S·q·EP.
 * Inverse (coin): equity = A' + S·q·(1/EP − 1/P), MM = (q/P)·MMR − cum + TMM₁; equity = MM gives
 * q·(MMR + S)/P = A + cum + S·q/EP. With A = the isolated margin these are exactly position.ts's isolated
 * formulas (Binance: "Isolated mode: WB = isolatedWalletBalance, TMM = UPNL = 0").
 *
 * Binance's hedge mode (a LONG and a SHORT leg in one symbol, sharing one liquidation price) is supported:
 * the legs' terms are summed as in the FAQ's B/L/S formula. As in position.ts, the caller supplies each
 * position's bracket (MMR and maintenance amount); the FAQ's step "re-pick the bracket that contains the
 * notional at the liquidation price" is not iterated here.
 *
 * Settlement: one cross wallet holds one currency. USDⓈ-M (linear) and COIN-M (inverse) are separate
 * wallets at Binance, and each COIN-M coin is its own wallet, so an account that mixes them is refused.
 * `marginAsset` (e.g. 'USDT', 'BTC') is optional; when given, all positions must name the same one.
 * (Binance's Multi-Assets mode, which lets USDT and USDC share a USDⓈ-M wallet, is not modelled.)
 *
 * `venue` is accepted for the other venues' conventions to come; only Binance is implemented ('binance', or
 * the wallet ids 'binance-usdm' / 'binance-coinm' of venues.ts), and any other value is refused rather than
 * silently computed with Binance's rules.
 *
 * Impossible accounts are refused: the positions' initial margins (notional at entry ÷ leverage, for the
 * positions that carry a leverage) must fit in the wallet balance, since a venue opens a position only when
 * the available balance covers its initial margin. An account has no history here, so the check uses the
 * wallet balance alone; on a venue, a trader whose open positions show unrealized profit can open more than
 * the wallet covers (Binance's available balance counts unrealized PnL), an account this engine refuses.
 *
 * Isolated-margin adjustments (add / remove margin) are at the end of this file.
 */
import { Decimal, ONE, ZERO, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, positive } from './parse.ts';
import { maintenanceMarginAt, normalizePosition } from './venue-position.ts';
import {
  priceWhereBalanceMeets,
  readExposureFields,
  type ContractKind,
  type Position,
  type VenuePositionInput,
  type Side,
} from './position.ts';

// ---------------------------------------------------------------------------------------------------------
// Shared position arithmetic (the same operations, in the same order, as position.ts)
// ---------------------------------------------------------------------------------------------------------

/** What prices a position, without its margin: the fields every account and funding formula needs. */
export interface Exposure {
  contract: ContractKind;
  side: Side;
  entryPrice: Decimal;
  quantity: Decimal;
  maintenanceMarginRate: Decimal;
  maintenanceAmount: Decimal;
  contractSize: Decimal;
}

function direction(side: Side): Decimal {
  return side === 'long' ? ONE : ONE.neg();
}

/** Quote units per unit of 1/price (inverse) or base units held (linear): quantity × contract size. */
function sizeOf(p: Exposure): Decimal {
  return p.quantity.mul(p.contractSize);
}

/** Notional at a price: quote units for linear, coin for inverse. Same as position.ts's notionalAt. */
export function exposureNotional(p: Exposure, price: Decimal): Decimal {
  return p.contract === 'linear' ? sizeOf(p).mul(price) : sizeOf(p).div(price);
}

/** Unrealized PnL at a price, in the margin currency. */
export function exposurePnl(p: Exposure, price: Decimal): Decimal {
  const s = direction(p.side);
  if (p.contract === 'linear') return s.mul(sizeOf(p)).mul(price.sub(p.entryPrice));
  return s.mul(sizeOf(p)).mul(ONE.div(p.entryPrice).sub(ONE.div(price)));
}

/** Maintenance margin at a price: notional × MMR − maintenance amount. */
export function exposureMaintenance(p: Exposure, price: Decimal): Decimal {
  return exposureNotional(p, price).mul(p.maintenanceMarginRate).sub(p.maintenanceAmount);
}

/**
 * The price at which `balance` + the position's PnL equals its maintenance margin, or null when no positive
 * price does. `balance` is an isolated margin, or, in a cross account, A = WB − TMM₁ + UPNL₁. The operations
 * are position.ts's, in the same order, so for balance = margin the result equals liquidationPrice() to the
 * last digit. Unlike position.ts this accepts any balance, zero or negative included (funding can drain a
 * margin; other positions' losses can exceed the wallet).
 *
 * null has two readings: the position can never reach maintenance margin at a positive price, or it is at
 * or below it at every positive price (the balance is already too small). isBeyondLiquidation() tells them apart.
 */
export function priceWhereEquityMeetsMaintenance(p: Exposure, balance: Decimal): Decimal | null {
  return priceWhereBalanceMeets(p, balance, p.maintenanceMarginRate, p.maintenanceAmount);
}

/**
 * Whether a position backed by `balance` is at or past its liquidation point at `price`. Decided on the price
 * when there is a liquidation price (as position.ts does, so the answer at the liquidation price itself is
 * "yes" to the last digit); otherwise on equity ≤ maintenance margin, which then has no boundary to be near.
 * Equity − MM is increasing in the price for a long and decreasing for a short, linear and inverse alike.
 */
export function isBeyondLiquidation(p: Exposure, balance: Decimal, price: Decimal): boolean {
  const liquidation = priceWhereEquityMeetsMaintenance(p, balance);
  if (liquidation !== null) return p.side === 'long' ? price.lte(liquidation) : price.gte(liquidation);
  return balance.add(exposurePnl(p, price)).lte(exposureMaintenance(p, price));
}

// ---------------------------------------------------------------------------------------------------------
// Cross-margin accounts
// ---------------------------------------------------------------------------------------------------------

/**
 * Venues whose cross-margin conventions are implemented: Binance, either as a whole or by its wallet ids
 * (the ids of venues.ts), which also fix the contract kind: 'binance-usdm' linear, 'binance-coinm' inverse.
 */
export const CROSS_MARGIN_VENUES = ['binance', 'binance-usdm', 'binance-coinm'] as const;
export type CrossMarginVenue = (typeof CROSS_MARGIN_VENUES)[number];

/** A position in a cross account: position.ts's fields plus a symbol; the wallet is its margin. */
export interface CrossPositionInput {
  /** The market, e.g. 'BTCUSDT'. Marks are looked up by it. One long and one short per symbol (hedge mode). */
  symbol: string;
  contract: ContractKind;
  side: Side;
  entryPrice: Numeric;
  quantity: Numeric;
  maintenanceMarginRate: Numeric;
  maintenanceAmount?: Numeric;
  contractSize?: Numeric;
  /** The leverage setting; only initial margin (notional at entry ÷ leverage) uses it. */
  leverage?: Numeric | null;
  /** Accepted so that an isolated position can be passed as is, and ignored: in cross the wallet backs everything. */
  margin?: Numeric;
  /** The settlement currency, e.g. 'USDT' or 'BTC'; optional, but when given it must agree across the account. */
  marginAsset?: string;
}

export interface CrossPosition extends Exposure {
  symbol: string;
  leverage: Decimal | null;
  marginAsset: string | null;
}

export interface AccountInput {
  /** Cross wallet balance (realized, without unrealized PnL): quote currency for linear, the coin for inverse. */
  walletBalance: Numeric;
  positions: readonly CrossPositionInput[];
  /** 'binance' (the default), 'binance-usdm' or 'binance-coinm'; other venues are refused. */
  venue?: string;
}

export interface Account {
  venue: CrossMarginVenue;
  walletBalance: Decimal;
  positions: readonly CrossPosition[];
}

export interface CrossPositionMetrics {
  symbol: string;
  side: Side;
  /** Notional at the mark: quote units (linear) or coin (inverse). */
  notional: Decimal;
  unrealizedPnl: Decimal;
  maintenanceMargin: Decimal;
  /** Notional at entry ÷ leverage; 0 when the position has no leverage. */
  initialMargin: Decimal;
}

export interface AccountMetrics {
  /** Binance's margin balance: wallet balance + Σ unrealized PnL at the marks. */
  equity: Decimal;
  totalMaintenanceMargin: Decimal;
  /**
   * Σ notional at entry ÷ leverage over the positions that have a leverage; the others count 0. (At entry, like
   * position.ts's initialMargin; Binance's screens price a position's initial margin at the mark instead.)
   */
  totalInitialMargin: Decimal;
  /** Total maintenance margin ÷ equity; liquidation at 1 (100 %). null once equity is zero or negative. */
  marginRatio: Decimal | null;
  /**
   * Wallet + Σ unrealized PnL − Σ initial margin, floored at 0 as venues display it (the unfloored amount is
   * equity − totalInitialMargin). It is Binance's cap on a cross withdrawal "for wallets with unrealized profits
   * or losses": crossWalletBalance + ∑Cross Unrealized PNL − ∑Cross Initial Margin (− open-order margin, not
   * modelled), https://www.binance.com/en-NZ/support/faq/how-to-adjust-margin-balance-in-cross-isolated-margin-mode-360038447311
   */
  availableBalance: Decimal;
  /** Total initial margin ÷ equity; null once equity is zero or negative. */
  marginUtilization: Decimal | null;
  /** equity ≤ total maintenance margin. */
  isLiquidatable: boolean;
  perPosition: CrossPositionMetrics[];
}

const validatedAccounts = new WeakSet<object>();

/** Prefixes the field of an EngineInputError thrown by `fn`. */
function within<T>(prefix: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof EngineInputError) throw new EngineInputError(`${prefix}.${error.field}`, error.rule);
    throw error;
  }
}

function normalizeCrossPosition(input: CrossPositionInput, index: number): CrossPosition {
  const at = `positions[${index}]`;
  if (input === null || typeof input !== 'object') throw new EngineInputError(at, 'must be an object');
  if (typeof input.symbol !== 'string' || input.symbol.trim() === '') {
    throw new EngineInputError(`${at}.symbol`, `must be a non-empty string, got ${JSON.stringify(input.symbol)}`);
  }
  if (input.marginAsset !== undefined && (typeof input.marginAsset !== 'string' || input.marginAsset.trim() === '')) {
    throw new EngineInputError(`${at}.marginAsset`, `must be a non-empty string, got ${JSON.stringify(input.marginAsset)}`);
  }
  // The same rules, and the same order, as normalizePosition, less the margin (the wallet is the margin).
  return within(at, () => {
    const { contract, side, entryPrice, quantity, maintenanceMarginRate, maintenanceAmount, contractSize, leverage } =
      readExposureFields(input);
    return Object.freeze({
      symbol: input.symbol,
      contract,
      side,
      entryPrice,
      quantity,
      maintenanceMarginRate,
      maintenanceAmount,
      contractSize,
      leverage,
      marginAsset: input.marginAsset === undefined ? null : input.marginAsset.trim(),
    });
  });
}

/** Validates a cross account; throws EngineInputError naming the first field at fault. */
export function normalizeAccount(input: AccountInput | Account): Account {
  if (input !== null && typeof input === 'object' && validatedAccounts.has(input)) return input as Account;
  if (input === null || typeof input !== 'object') throw new EngineInputError('account', 'must be an object');
  const venue = input.venue === undefined ? 'binance' : input.venue;
  if (!(CROSS_MARGIN_VENUES as readonly unknown[]).includes(venue)) {
    throw new EngineInputError(
      'venue',
      `only Binance's cross margin is implemented (${CROSS_MARGIN_VENUES.map((v) => `'${v}'`).join(', ')}), got ${JSON.stringify(venue)}; other venues' cross-margin rules differ`,
    );
  }
  const walletBalance = nonNegative('walletBalance', input.walletBalance);
  if (!Array.isArray(input.positions)) throw new EngineInputError('positions', 'must be an array');
  const positions = (input.positions as readonly CrossPositionInput[]).map(normalizeCrossPosition);

  const kinds = new Set(positions.map((p) => p.contract));
  if (kinds.size > 1) {
    throw new EngineInputError('positions', 'mixes linear and inverse contracts: venues keep them in separate wallets');
  }
  const walletKind: ContractKind | null = venue === 'binance-usdm' ? 'linear' : venue === 'binance-coinm' ? 'inverse' : null;
  const stray = walletKind === null ? -1 : positions.findIndex((p) => p.contract !== walletKind);
  if (stray >= 0) {
    throw new EngineInputError(
      `positions[${stray}].contract`,
      `'${venue as string}' holds ${walletKind === 'linear' ? 'linear (USDⓈ-M)' : 'inverse (COIN-M)'} contracts only`,
    );
  }
  const assets = [...new Set(positions.flatMap((p) => (p.marginAsset === null ? [] : [p.marginAsset])))];
  if (assets.length > 1) {
    throw new EngineInputError(
      'positions',
      `mixes margin assets (${assets.join(', ')}): venues keep each settlement currency in its own wallet`,
    );
  }
  const seen = new Set<string>();
  positions.forEach((p, index) => {
    const key = `${p.symbol}\u0000${p.side}`;
    if (seen.has(key)) {
      throw new EngineInputError(
        `positions[${index}].symbol`,
        `${p.symbol} already has a ${p.side} position: one position per symbol and side (hedge mode allows one long and one short)`,
      );
    }
    seen.add(key);
  });

  checkInitialMargins(walletBalance, positions);

  const account: Account = Object.freeze({ venue: venue as CrossMarginVenue, walletBalance, positions: Object.freeze(positions) });
  validatedAccounts.add(account);
  return account;
}

/** A relative slack of 1e-30, as position.ts forgives a margin derived from leverage in its 40th digit. */
const WALLET_SLACK = new Decimal('1e-30');

/** "1,234.5": a figure for a message, grouped, at most 8 decimals. */
function figure(value: Decimal): string {
  const [whole = '0', fraction] = value.toDecimalPlaces(8).toFixed().split('.');
  const sign = whole.startsWith('-') ? '-' : '';
  const digits = sign ? whole.slice(1) : whole;
  return `${sign}${digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}${fraction ? `.${fraction}` : ''}`;
}

/**
 * Refuses an account whose positions' initial margins, taken in order, exceed the wallet balance: names the first
 * position that does not fit, its initial margin and what the wallet had left for it.
 */
function checkInitialMargins(walletBalance: Decimal, positions: readonly CrossPosition[]): void {
  const ceiling = walletBalance.mul(ONE.add(WALLET_SLACK));
  let used = ZERO;
  positions.forEach((p, index) => {
    if (p.leverage === null) return;
    const initial = initialMarginOf(p);
    const total = used.add(initial);
    if (total.gt(ceiling)) {
      const unit = p.marginAsset === null ? '' : ` ${p.marginAsset}`;
      const left = walletBalance.sub(used);
      const before = used.isZero()
        ? `the wallet balance ${figure(walletBalance)}${unit}`
        : `the wallet balance ${figure(left.gt(0) ? left : ZERO)}${unit} left after the initial margin of the positions before it (${figure(used)}${unit} of ${figure(walletBalance)}${unit})`;
      throw new EngineInputError(
        `positions[${index}]`,
        `initial margin ${figure(initial)}${unit} (notional at entry ${figure(exposureNotional(p, p.entryPrice))}${unit} ÷ ${p.leverage.toString()}× leverage) exceeds ${before}; lower the leverage or the quantity, or raise the wallet balance`,
      );
    }
    used = total;
  });
}

/** Reads the mark of every symbol in `symbols`; throws EngineInputError('marks.SYMBOL', …) for a missing or bad one. */
function readMarks(marks: Readonly<Record<string, Numeric>>, symbols: Iterable<string>): Map<string, Decimal> {
  if (marks === null || typeof marks !== 'object') throw new EngineInputError('marks', 'must be an object of mark prices by symbol');
  const result = new Map<string, Decimal>();
  for (const symbol of symbols) {
    if (result.has(symbol)) continue;
    const value = Object.prototype.hasOwnProperty.call(marks, symbol) ? marks[symbol] : undefined;
    result.set(symbol, positive(`marks.${symbol}`, value));
  }
  return result;
}

function initialMarginOf(p: CrossPosition): Decimal {
  return p.leverage === null ? ZERO : exposureNotional(p, p.entryPrice).div(p.leverage);
}

/** Everything a reader watches for a cross account at the given marks (one per symbol held). */
export function accountMetrics(input: AccountInput | Account, marks: Readonly<Record<string, Numeric>>): AccountMetrics {
  const account = normalizeAccount(input);
  const prices = readMarks(marks, account.positions.map((p) => p.symbol));
  const perPosition = account.positions.map((p): CrossPositionMetrics => {
    const mark = prices.get(p.symbol)!;
    return {
      symbol: p.symbol,
      side: p.side,
      notional: exposureNotional(p, mark),
      unrealizedPnl: exposurePnl(p, mark),
      maintenanceMargin: exposureMaintenance(p, mark),
      initialMargin: initialMarginOf(p),
    };
  });
  const sum = (pick: (m: CrossPositionMetrics) => Decimal) => perPosition.reduce((total, m) => total.add(pick(m)), ZERO);
  const equity = account.walletBalance.add(sum((m) => m.unrealizedPnl));
  const totalMaintenanceMargin = sum((m) => m.maintenanceMargin);
  const totalInitialMargin = sum((m) => m.initialMargin);
  const free = equity.sub(totalInitialMargin);
  return {
    equity,
    totalMaintenanceMargin,
    totalInitialMargin,
    marginRatio: equity.gt(0) ? totalMaintenanceMargin.div(equity) : null,
    availableBalance: free.gt(0) ? free : ZERO,
    marginUtilization: equity.gt(0) ? totalInitialMargin.div(equity) : null,
    isLiquidatable: equity.lte(totalMaintenanceMargin),
    perPosition,
  };
}

/**
 * The mark of `symbol` at which the account's equity meets its total maintenance margin, the marks of the other
 * symbols held fixed: Binance's cross liquidation price. `marks` needs the other symbols only.
 *
 * null when no positive price of that symbol solves equity = MM: either moving it can never liquidate the
 * account (a linear long backed by more than its notional, an inverse short by more than its coin notional),
 * or the account is at or below maintenance at every price of it (accountMetrics().isLiquidatable tells).
 */
export function crossLiquidationPrice(
  input: AccountInput | Account,
  symbol: string,
  marks: Readonly<Record<string, Numeric>>,
): Decimal | null {
  const account = normalizeAccount(input);
  if (typeof symbol !== 'string') throw new EngineInputError('symbol', `must be a string, got ${typeof symbol}`);
  const legs = account.positions.filter((p) => p.symbol === symbol);
  if (legs.length === 0) throw new EngineInputError('symbol', `the account holds no position in ${JSON.stringify(symbol)}`);
  const others = account.positions.filter((p) => p.symbol !== symbol);
  const prices = readMarks(marks, others.map((p) => p.symbol));

  // A = WB − TMM₁ + UPNL₁. With no other position it is WB itself, untouched, so that a lone position's result
  // is its isolated liquidation price to the last digit.
  let balance = account.walletBalance;
  if (others.length > 0) {
    let tmm1 = ZERO;
    let upnl1 = ZERO;
    for (const p of others) {
      const mark = prices.get(p.symbol)!;
      tmm1 = tmm1.add(exposureMaintenance(p, mark));
      upnl1 = upnl1.add(exposurePnl(p, mark));
    }
    balance = balance.sub(tmm1).add(upnl1);
  }

  const [lone] = legs;
  if (legs.length === 1 && lone !== undefined) return priceWhereEquityMeetsMaintenance(lone, balance);

  // Hedge mode: both legs of the symbol move together (Binance's B/L/S formula, its one-way leg absent).
  let cum = ZERO;
  for (const p of legs) cum = cum.add(p.maintenanceAmount);
  let numerator: Decimal;
  let denominator: Decimal;
  if (legs[0]!.contract === 'linear') {
    // LP = (A + Σcum − Σ S·q·EP) / (Σ q·MMR − Σ S·q)
    let sqe = ZERO;
    denominator = ZERO;
    for (const p of legs) {
      const s = direction(p.side);
      const q = sizeOf(p);
      sqe = sqe.add(s.mul(q).mul(p.entryPrice));
      denominator = denominator.add(q.mul(p.maintenanceMarginRate).sub(s.mul(q)));
    }
    numerator = balance.add(cum).sub(sqe);
  } else {
    // LP = Σ q·(MMR + S) / (A + Σcum + Σ S·q/EP)
    numerator = ZERO;
    let sqOverE = ZERO;
    for (const p of legs) {
      const s = direction(p.side);
      const q = sizeOf(p);
      numerator = numerator.add(q.mul(p.maintenanceMarginRate.add(s)));
      sqOverE = sqOverE.add(s.mul(q).div(p.entryPrice));
    }
    denominator = balance.add(cum).add(sqOverE);
  }
  if (denominator.isZero()) return null;
  const price = numerator.div(denominator);
  return price.gt(0) ? price : null;
}

// ---------------------------------------------------------------------------------------------------------
// Isolated-margin allocation
// ---------------------------------------------------------------------------------------------------------
//
// Binance FAQ "How to Adjust Margin Balance in Cross/Isolated Margin Mode" (360038447311), newer revision:
// https://www.binance.com/en-NZ/support/faq/how-to-adjust-margin-balance-in-cross-isolated-margin-mode-360038447311
//   Max removable amount from Isolated Margin (USDⓈ-M)
//     = max(0, min(isolatedWalletBalance − isolatedPosition MM,
//                  isolatedWalletBalance + size × (Mark Price − Entry Price) − Mark Price × abs(size) × IMR))
//   (COIN-M: the same with size × contractSize × (1/Entry − 1/Mark) and abs(size) × contractSize × IMR / Mark.)
// size is signed (negative when short), so the second term is margin + unrealized PnL − notional at mark ÷
// leverage for both contract kinds; the first is margin − maintenance margin at the mark. (The 2020 revision,
// https://www.binance.com/en-IN/support/faq/how-to-adjust-margin-balance-in-isolated-margin-mode-360038447311,
// had min(isolatedWalletBalance, …) as the first term; the newer one is used.)
//
// That rule is followed exactly; the current page, https://www.binance.com/en/support/articles/360038447311, shows
// the same table. In profit, unrealized profit stands in for margin: 1 BTC long opened at 50,000 with 10× and
// 6,000 of margin may remove, at a mark of 52,000, min(6,000 − 208, 6,000 + 2,000 − 5,200) = 2,800, leaving 3,200,
// less than the 5,000 it opened with. Removal is a later change, not an opening, so the position comes back with
// `stage: 'held'` and keeps its leverage (position.ts). `isolatedPosition MM` is the position's maintenance margin
// at the mark, tiered for a position whose brackets were looked up (venue-position.ts). Other venues' removal
// rules were not researched: a position of another venue is refused rather than given Binance's rule.

function asPosition(input: VenuePositionInput | Position): Position {
  return normalizePosition(input);
}

/** A new validated position with `amount` more isolated margin (in the margin currency), stage 'held'. */
export function addIsolatedMargin(input: VenuePositionInput | Position, amount: Numeric): Position {
  const p = asPosition(input);
  const added = positive('amount', amount);
  return normalizePosition({ ...p, margin: p.margin.add(added), stage: 'held' });
}

/**
 * The most isolated margin that can be removed at `markPrice`, by Binance's rule above:
 * max(0, min(margin − maintenance margin at the mark, margin + unrealized PnL − notional at the mark ÷ leverage)).
 * Needs a leverage (the rule's IMR is 1 ÷ leverage). Binance's rule: refused for a position of another venue.
 */
export function maxRemovableMargin(input: VenuePositionInput | Position, markPrice: Numeric): Decimal {
  const p = asPosition(input);
  const mark = positive('markPrice', markPrice);
  if (p.venue !== null && p.venue !== 'binance-usdm' && p.venue !== 'binance-coinm') {
    throw new EngineInputError('venue', `the margin-removal limit is Binance's; ${p.venue}'s is not modelled`);
  }
  if (p.leverage === null) {
    throw new EngineInputError(
      'leverage',
      'is required to remove margin: Binance caps removal by the initial margin at the mark price, notional ÷ leverage',
    );
  }
  const keepMaintenance = p.margin.sub(maintenanceMarginAt(p, mark));
  const keepInitial = p.margin.add(exposurePnl(p, mark)).sub(exposureNotional(p, mark).div(p.leverage));
  const most = Decimal.min(keepMaintenance, keepInitial);
  return most.gt(0) ? most : ZERO;
}

/**
 * A new validated position with `amount` less isolated margin, stage 'held' (leverage kept); throws
 * EngineInputError('amount', …) past Binance's limit, or when nothing would be left (the engine holds no
 * position without margin).
 */
export function removeIsolatedMargin(input: VenuePositionInput | Position, amount: Numeric, markPrice: Numeric): Position {
  const p = asPosition(input);
  const removed = positive('amount', amount);
  const mark = positive('markPrice', markPrice);
  const most = maxRemovableMargin(p, mark);
  if (removed.gt(most)) {
    throw new EngineInputError(
      'amount',
      `at most ${most.toSignificantDigits(12, Decimal.ROUND_DOWN).toString()} can be removed at mark ${mark.toString()}: ` +
        'the margin must stay at or above the maintenance margin, and margin + unrealized PnL must cover notional at the mark ÷ leverage (Binance)',
    );
  }
  if (removed.gte(p.margin)) {
    throw new EngineInputError('amount', `${removed.toString()} would leave no margin; the position needs some (it has ${p.margin.toString()})`);
  }
  return normalizePosition({ ...p, margin: p.margin.sub(removed), stage: 'held' });
}
