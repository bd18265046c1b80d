/**
 * One isolated leveraged position: its margin, its maintenance requirement, and the two prices that
 * matter to the trader, where the liquidation engine takes over (liquidation price) and where the margin
 * is gone (bankruptcy price).
 *
 * Conventions follow Binance's published isolated-margin formulas (USDⓈ-M and COIN-M liquidation-price
 * FAQs): maintenance margin = notional at the mark price × maintenance margin rate − maintenance amount,
 * and a position is liquidated when its equity (margin balance) falls to its maintenance margin. Fees and
 * funding are left out here, as in those FAQs; other venues' conventions come with the account engine.
 *
 *   linear  (USDⓈ-margined, quantity Q in base units, margin in quote):
 *     PnL = s·Q·(P − E)                 notional = Q·P
 *     long  LP = (Q·E − M − cum) / (Q·(1 − mmr))      short LP = (Q·E + M + cum) / (Q·(1 + mmr))
 *     long  BP = E − M/Q = (Q·E − M)/Q                 short BP = E + M/Q = (Q·E + M)/Q   (LP with mmr = cum = 0)
 *   inverse (coin-margined, Q contracts of C quote units each, margin in the base coin):
 *     PnL = s·Q·C·(1/E − 1/P)           notional = Q·C/P (in coin)
 *     long  LP = Q·C·(1 + mmr) / (M + cum + Q·C/E)     short LP = Q·C·(1 − mmr) / (Q·C/E − M − cum)
 *     long  BP = Q·C / (M + Q·C/E)                      short BP = Q·C / (Q·C/E − M)     (LP with mmr = cum = 0)
 *
 * A price that would be zero or negative means the position can never reach that point: a 1× linear long
 * cannot be liquidated, nor can a 1× inverse short (its coin margin gains exactly what the short loses).
 * Those prices are returned as `null`, the "--" that venues' calculators show.
 *
 * This module is the Binance core, and knows no venue tables. The engine's public `positionMetrics`,
 * `liquidationPrice`, `normalizePosition` … (src/engine/index.ts) are the venue-aware versions in
 * venue-position.ts, which read a position's `venue`, `symbol` and `preset` and call back into these for
 * Binance's arithmetic. They live apart because the venue rules need brackets.ts and venues.ts, and both of
 * those import this module: putting the venue dispatch here would make an import cycle. Without a venue the
 * two sets of functions give the same results to the last digit.
 *
 * Opening rules and later changes. A position is checked against its opening rules (margin ≥ notional at
 * entry ÷ leverage, and margin above the maintenance margin at entry) while its `stage` is 'opening', the
 * default. The engine's functions that change an open position's margin (funding, adding and removing
 * margin, partial liquidation) return it with `stage: 'held'`, which keeps its leverage setting but checks
 * only that the margin is positive: a venue lets funding drain an isolated margin below notional ÷ leverage,
 * and lets a trader remove margin that unrealized profit stands in for (account.ts), without closing the
 * position or changing its leverage.
 */
import { Decimal, ONE, ZERO, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, oneOf, positive, toDecimal } from './parse.ts';
import { VENUE_IDS, type VenueId } from './venue-rules.ts';

export type ContractKind = 'linear' | 'inverse';
export type Side = 'long' | 'short';

export const CONTRACT_KINDS: readonly ContractKind[] = ['linear', 'inverse'];
export const SIDES: readonly Side[] = ['long', 'short'];

/** 'opening': a position being opened, checked against the opening rules. 'held': an open position whose margin has changed since. */
export type PositionStage = 'opening' | 'held';
export const POSITION_STAGES: readonly PositionStage[] = ['opening', 'held'];

/** Contract size of an inverse contract when none is given: Binance COIN-M BTCUSD, 100 USD a contract. */
export const DEFAULT_INVERSE_CONTRACT_SIZE = '100';

/** An isolated position as callers describe it. */
export interface PositionInput {
  contract: ContractKind;
  side: Side;
  entryPrice: Numeric;
  /** Linear: base units (e.g. BTC). Inverse: number of contracts of `contractSize` quote units. */
  quantity: Numeric;
  /** Isolated margin: quote currency for linear, the base coin for inverse. */
  margin: Numeric;
  /** As a fraction: 0.004 is 0.4 %. (VenuePositionInput may leave it out, to be looked up.) */
  maintenanceMarginRate: Numeric;
  /** Subtracted from notional × rate (Binance's "maintenance amount", Bybit's "MM deduction"). */
  maintenanceAmount?: Numeric;
  /** Linear: base units per unit of quantity (default 1). Inverse: quote units per contract (default 100). */
  contractSize?: Numeric;
  /** Leverage chosen at open. While the position is opening, the margin must cover notional ÷ leverage. */
  leverage?: Numeric | null;
  /** The venue whose formulas apply: 'binance-usdm', 'bybit-linear', … (venue-rules.ts). None: Binance's. */
  venue?: VenueId | null;
  /** The market, e.g. 'BTCUSDT'. With `venue`, selects the venue's shipped bracket table. */
  symbol?: string | null;
  /** A shipped preset id (content/venues/<id>.yaml), to use that dated table instead of the newest one. */
  preset?: string | null;
  /**
   * Set by the engine: the preset the rate and amount were looked up in. While it is set, a copy of the
   * position (`{ ...position, margin }`) has them looked up again rather than taken as given; set it to null
   * to fix them.
   */
  maintenanceFrom?: string | null;
  /** 'opening' (the default) or 'held'; see the module header. */
  stage?: PositionStage;
}

/**
 * A position whose maintenance rate and amount may be left out when `venue` and `symbol` (or `preset`) name a
 * shipped bracket table to look them up in; given, they take precedence over the table (venue-position.ts).
 */
export type VenuePositionInput = Omit<PositionInput, 'maintenanceMarginRate' | 'maintenanceAmount'> & {
  maintenanceMarginRate?: Numeric;
  maintenanceAmount?: Numeric;
};

/** A validated position: every number a Decimal. */
export interface Position {
  contract: ContractKind;
  side: Side;
  entryPrice: Decimal;
  quantity: Decimal;
  margin: Decimal;
  maintenanceMarginRate: Decimal;
  maintenanceAmount: Decimal;
  contractSize: Decimal;
  leverage: Decimal | null;
  /** The venue whose formulas apply; null for Binance's (the default). */
  venue: VenueId | null;
  symbol: string | null;
  /**
   * The preset whose brackets gave maintenanceMarginRate and maintenanceAmount (for Binance, the bracket at
   * the liquidation price; for Bybit, the tier of the position value at entry); null when they were given.
   */
  maintenanceFrom: string | null;
  stage: PositionStage;
}

export interface PositionMetrics {
  /** Notional at the mark price: quote units for linear, coin for inverse. */
  notional: Decimal;
  /** Notional at the entry price ÷ leverage; the margin itself when no leverage was given. */
  initialMargin: Decimal;
  maintenanceMargin: Decimal;
  unrealizedPnl: Decimal;
  /** Margin balance: margin + unrealized PnL. */
  equity: Decimal;
  /**
   * Maintenance margin ÷ equity, as Binance shows it: liquidation at 1 (100 %). `null` once equity is
   * zero or negative, past the bankruptcy price, where the ratio has no meaning.
   */
  marginRatio: Decimal | null;
  liquidationPrice: Decimal | null;
  bankruptcyPrice: Decimal | null;
  /**
   * How far the mark may still move against the position before liquidation, as a fraction of the mark
   * price: 0.05 is 5 %. Negative once the liquidation price has been crossed; `null` when there is none.
   */
  distanceToLiquidation: Decimal | null;
  /**
   * Equity at or below maintenance margin: the liquidation engine takes over. Equivalently, the mark is at
   * or past the liquidation price, which is how it is decided (so it is true at liquidationPrice exactly).
   */
  isLiquidatable: boolean;
  /** Notional at entry ÷ margin: the leverage the margin actually supports. */
  effectiveLeverage: Decimal;
  /** Unrealized PnL ÷ margin (return on equity). */
  returnOnMargin: Decimal;
}

const REQUIREMENT_SLACK = new Decimal('1e-30');

function direction(side: Side): Decimal {
  return side === 'long' ? ONE : ONE.neg();
}

/** What prices an exposure, besides its margin: validated the same way for isolated and cross positions. */
export interface ExposureFields {
  contract: ContractKind;
  side: Side;
  entryPrice: Decimal;
  quantity: Decimal;
  maintenanceMarginRate: Decimal;
  maintenanceAmount: Decimal;
  contractSize: Decimal;
  leverage: Decimal | null;
}

/** Reads and checks the fields of a position other than its margin, in a fixed order. */
export function readExposureFields(input: Omit<VenuePositionInput, 'margin'>): ExposureFields {
  const contract = oneOf('contract', input.contract, CONTRACT_KINDS);
  const side = oneOf('side', input.side, SIDES);
  const entryPrice = positive('entryPrice', input.entryPrice);
  const quantity = positive('quantity', input.quantity);
  const maintenanceMarginRate = nonNegative('maintenanceMarginRate', input.maintenanceMarginRate);
  if (maintenanceMarginRate.gte(1)) {
    throw new EngineInputError('maintenanceMarginRate', `must be below 1 (100 %), got ${maintenanceMarginRate.toString()}`);
  }
  const maintenanceAmount =
    input.maintenanceAmount === undefined ? ZERO : nonNegative('maintenanceAmount', input.maintenanceAmount);
  const contractSize =
    input.contractSize === undefined
      ? new Decimal(contract === 'inverse' ? DEFAULT_INVERSE_CONTRACT_SIZE : 1)
      : positive('contractSize', input.contractSize);
  const leverage =
    input.leverage === undefined || input.leverage === null ? null : positive('leverage', input.leverage);
  return { contract, side, entryPrice, quantity, maintenanceMarginRate, maintenanceAmount, contractSize, leverage };
}

/**
 * Validates and normalises a position with Binance's rules (the rate and amount as given); throws
 * EngineInputError naming the first field at fault. The public, venue-aware version is venue-position.ts's.
 */
export function normalizePosition(input: PositionInput): Position {
  return buildPosition(input, null);
}

/**
 * normalizePosition, recording that the rate and amount came from the preset `maintenanceFrom` (the caller,
 * venue-position.ts, has looked them up). Any `preset` or `maintenanceFrom` in `input` is not read here.
 */
export function buildPosition(input: VenuePositionInput, maintenanceFrom: string | null): Position {
  if (input === null || typeof input !== 'object') {
    throw new EngineInputError('position', 'must be an object');
  }
  const { contract, side, entryPrice, quantity, maintenanceMarginRate, maintenanceAmount, contractSize, leverage } =
    readExposureFields(input);
  const margin = positive('margin', input.margin);
  const venue = input.venue === undefined || input.venue === null ? null : oneOf('venue', input.venue, VENUE_IDS);
  let symbol: string | null = null;
  if (input.symbol !== undefined && input.symbol !== null) {
    if (typeof input.symbol !== 'string' || input.symbol.trim() === '') {
      throw new EngineInputError('symbol', `must be a non-empty string, got ${JSON.stringify(input.symbol)}`);
    }
    symbol = input.symbol.trim();
  }
  const stage = input.stage === undefined ? 'opening' : oneOf('stage', input.stage, POSITION_STAGES);

  const position: Position = {
    contract,
    side,
    entryPrice,
    quantity,
    margin,
    maintenanceMarginRate,
    maintenanceAmount,
    contractSize,
    leverage,
    venue,
    symbol,
    maintenanceFrom,
    stage,
  };
  if (stage === 'opening') checkOpening(position);
  Object.freeze(position);
  validated.add(position);
  return position;
}

/** The opening rules: margin ≥ notional at entry ÷ leverage (when leverage is given) and margin > maintenance margin at entry. */
function checkOpening(position: Position): void {
  const { margin, leverage, maintenanceMarginRate, entryPrice } = position;
  const entryNotional = notionalAt(position, entryPrice);
  if (leverage !== null) {
    const required = entryNotional.div(leverage);
    // A margin derived from leverage (margin → size → notional ÷ leverage) can land one unit in the
    // 40th digit under the requirement; a relative slack of 1e-30 forgives that and nothing a reader sees.
    if (margin.lt(required.mul(ONE.sub(REQUIREMENT_SLACK)))) {
      throw new EngineInputError(
        'margin',
        `${margin.toString()} is below the initial margin ${required.toSignificantDigits(8).toString()} that ${leverage.toString()}× leverage requires`,
      );
    }
  }
  // A position whose margin does not exceed its maintenance margin at entry would be liquidated the
  // moment it opened; no venue accepts it, so neither do we.
  const entryMaintenance = maintenanceAt(position, entryPrice);
  if (margin.lte(entryMaintenance)) {
    const field = leverage === null ? 'margin' : 'leverage';
    const ceiling = maintenanceMarginRate.isZero() ? null : ONE.div(maintenanceMarginRate);
    const effective = entryNotional.div(margin).toSignificantDigits(6).toString();
    throw new EngineInputError(
      field,
      `${effective}× is beyond what the margin allows: the margin ${margin.toString()} does not exceed the maintenance margin ${entryMaintenance
        .toSignificantDigits(8)
        .toString()} at entry${ceiling ? `; at this rate leverage must stay below ${ceiling.toSignificantDigits(6).toString()}×` : ''}`,
    );
  }
}

// Validated positions are remembered so that one public call does not validate the same object twice.
// Positions are frozen when validated, so a remembered one cannot have changed since.
const validated = new WeakSet<object>();

function asPosition(input: PositionInput | Position): Position {
  if (validated.has(input)) return input as Position;
  return normalizePosition(input as PositionInput);
}

/** `input` itself when the engine validated it already (validated positions are frozen), else null. */
export function validatedPosition(input: unknown): Position | null {
  return input !== null && typeof input === 'object' && validated.has(input) ? (input as Position) : null;
}

/** Quote units of exposure per unit of `1/price` (inverse) or base units held (linear). */
function size(position: Position): Decimal {
  return position.quantity.mul(position.contractSize);
}

/** Notional value at a price: quote units for linear, coin for inverse. */
export function notionalAt(position: Position, price: Decimal): Decimal {
  return position.contract === 'linear' ? size(position).mul(price) : size(position).div(price);
}

/** Maintenance margin at a price, Binance's way: notional there × rate − amount. */
export function maintenanceAt(position: Position, price: Decimal): Decimal {
  return notionalAt(position, price).mul(position.maintenanceMarginRate).sub(position.maintenanceAmount);
}

/** Unrealized PnL at a price, in the margin currency. */
export function pnlAt(position: Position, price: Decimal): Decimal {
  const s = direction(position.side);
  if (position.contract === 'linear') {
    return s.mul(size(position)).mul(price.sub(position.entryPrice));
  }
  return s.mul(size(position)).mul(ONE.div(position.entryPrice).sub(ONE.div(price)));
}

/** The mark price at which equity meets maintenance margin, or null if no positive price does. */
export function liquidationPrice(input: PositionInput | Position): Decimal | null {
  const p = asPosition(input);
  return priceWhereEquityMeets(p, p.maintenanceMarginRate, p.maintenanceAmount);
}

/** The mark price at which equity is zero: the margin is used up. Null if no positive price does it. */
export function bankruptcyPrice(input: PositionInput | Position): Decimal | null {
  // The liquidation price of the same position with no maintenance requirement. One formula for both keeps
  // them consistent to the last digit: BP ≤ LP ≤ entry (long) and entry ≤ LP ≤ BP (short) hold exactly, they
  // are equal when rate and amount are zero, and they are null together when the amount is zero. (The
  // separate linear form E ∓ M/Q rounded differently and could put LP one unit in the 40th digit past BP.)
  return priceWhereEquityMeets(asPosition(input), ZERO, ZERO);
}

/** The mark price at which equity equals notional × mmr − cum, or null if no positive price does. */
function priceWhereEquityMeets(p: Position, mmr: Decimal, cum: Decimal): Decimal | null {
  return priceWhereBalanceMeets(p, p.margin, mmr, cum);
}

/**
 * The mark price at which `balance` plus the position's PnL equals notional × mmr − cum, or null if no
 * positive price does. `balance` is an isolated margin, or in a cross account the wallet less the other
 * positions' needs (account.ts); any sign is accepted, since funding or other losses can drain it.
 */
export function priceWhereBalanceMeets(
  p: Pick<ExposureFields, 'contract' | 'side' | 'entryPrice' | 'quantity' | 'contractSize'>,
  balance: Decimal,
  mmr: Decimal,
  cum: Decimal,
): Decimal | null {
  const q = p.quantity.mul(p.contractSize);
  const e = p.entryPrice;
  let price: Decimal;
  if (p.contract === 'linear') {
    price =
      p.side === 'long'
        ? q.mul(e).sub(balance).sub(cum).div(q.mul(ONE.sub(mmr)))
        : q.mul(e).add(balance).add(cum).div(q.mul(ONE.add(mmr)));
  } else {
    const denominator = p.side === 'long' ? balance.add(cum).add(q.div(e)) : q.div(e).sub(balance).sub(cum);
    if (denominator.lte(0)) return null;
    price = q.mul(p.side === 'long' ? ONE.add(mmr) : ONE.sub(mmr)).div(denominator);
  }
  return price.gt(0) ? price : null;
}

/** Everything a reader watches for one position at one mark price. */
export function positionMetrics(input: PositionInput | Position, markPrice: Numeric): PositionMetrics {
  const p = asPosition(input);
  const mark = positive('markPrice', markPrice);
  return metricsWith(p, mark, maintenanceAt(p, mark), liquidationPrice(p));
}

/**
 * The metrics of a validated position at `mark`, given its maintenance margin there and its liquidation
 * price: the one assembly of the metrics, shared with venue-position.ts, where a venue charges maintenance
 * margin differently. `liquidation` must be where equity meets that maintenance margin, so that
 * isLiquidatable (decided on the price) agrees with equity ≤ maintenance margin.
 */
export function metricsWith(p: Position, mark: Decimal, maintenanceMargin: Decimal, liquidation: Decimal | null): PositionMetrics {
  const notional = notionalAt(p, mark);
  const entryNotional = notionalAt(p, p.entryPrice);
  const unrealizedPnl = pnlAt(p, mark);
  const equity = p.margin.add(unrealizedPnl);
  const bankruptcy = bankruptcyPrice(p);
  let distanceToLiquidation: Decimal | null = null;
  if (liquidation !== null) {
    const gap = p.side === 'long' ? mark.sub(liquidation) : liquidation.sub(mark);
    distanceToLiquidation = gap.div(mark);
  }
  return {
    notional,
    initialMargin: p.leverage === null ? p.margin : entryNotional.div(p.leverage),
    maintenanceMargin,
    unrealizedPnl,
    equity,
    marginRatio: equity.gt(0) ? maintenanceMargin.div(equity) : null,
    liquidationPrice: liquidation,
    bankruptcyPrice: bankruptcy,
    distanceToLiquidation,
    // Decided on the price: mathematically the same test as equity ≤ maintenance margin (their difference is
    // monotone in the mark), but equity and maintenance margin are each rounded in the 40th digit, and at the
    // liquidation price itself they could disagree by ~1e-36 and report "not liquidatable" there. The price
    // test agrees with liquidationPrice and distanceToLiquidation to the last digit.
    isLiquidatable: liquidation !== null && (p.side === 'long' ? mark.lte(liquidation) : mark.gte(liquidation)),
    effectiveLeverage: entryNotional.div(p.margin),
    returnOnMargin: unrealizedPnl.div(p.margin),
  };
}

/**
 * The signed move from the entry price to the liquidation price, as a fraction of entry: −0.096 is a
 * 9.6 % fall. Null when the position cannot be liquidated.
 */
export function priceMoveToLiquidation(input: PositionInput | Position): Decimal | null {
  const p = asPosition(input);
  const price = liquidationPrice(p);
  return price === null ? null : price.sub(p.entryPrice).div(p.entryPrice);
}

export interface LiquidationLoss {
  liquidationPrice: Decimal;
  /** Equity left when the mark reaches the liquidation price: exactly the maintenance margin there. */
  equityAtLiquidation: Decimal;
  /** What the price move itself cost before the engine stepped in: margin − equity at liquidation. */
  tradingLoss: Decimal;
  /**
   * In an isolated liquidation the trader loses the whole margin: the equity still left at the trigger
   * pays the liquidation fee and, when the engine's fill beats the bankruptcy price, the insurance fund.
   */
  marginLost: Decimal;
  /** What the trader keeps of the isolated margin: zero in this model (Bybit, BitMEX, Binance). */
  traderKeeps: Decimal;
}

/** What a liquidation at the liquidation price costs the trader; null if the position cannot be liquidated. */
export function liquidationLoss(input: PositionInput | Position): LiquidationLoss | null {
  const p = asPosition(input);
  return lossAt(p, liquidationPrice(p));
}

/** liquidationLoss for a validated position whose liquidation price is `price` (venue-position.ts passes its venue's). */
export function lossAt(p: Position, price: Decimal | null): LiquidationLoss | null {
  if (price === null) return null;
  const equityAtLiquidation = p.margin.add(pnlAt(p, price));
  return {
    liquidationPrice: price,
    equityAtLiquidation,
    tradingLoss: p.margin.sub(equityAtLiquidation),
    marginLost: p.margin,
    traderKeeps: ZERO,
  };
}

export interface OpenPositionInput {
  contract: ContractKind;
  side: Side;
  entryPrice: Numeric;
  leverage: Numeric;
  maintenanceMarginRate: Numeric;
  maintenanceAmount?: Numeric;
  contractSize?: Numeric;
  /** Give either the margin to post, or the quantity to hold; the other follows from leverage. */
  margin?: Numeric;
  quantity?: Numeric;
  venue?: VenueId | null;
  symbol?: string | null;
  preset?: string | null;
}

/** An opening whose maintenance rate may be left out, to be looked up by venue and symbol (VenuePositionInput). */
export type VenueOpenPositionInput = Omit<OpenPositionInput, 'maintenanceMarginRate'> & { maintenanceMarginRate?: Numeric };

/**
 * Opens a position the way a trading screen does: pick leverage and either the margin to post or the
 * size to hold; the other is notional ÷ leverage (or margin × leverage). Validated like any position.
 */
export function openPosition(input: OpenPositionInput): Position {
  return buildPosition(openingInput(input), null);
}

/**
 * The position an opening describes, margin and quantity both filled in, not yet validated: shared with
 * venue-position.ts's openPosition, which validates it with the venue's rules.
 */
export function openingInput(input: VenueOpenPositionInput): VenuePositionInput {
  if (input === null || typeof input !== 'object') throw new EngineInputError('position', 'must be an object');
  const contract = oneOf('contract', input.contract, CONTRACT_KINDS);
  const entryPrice = positive('entryPrice', input.entryPrice);
  const leverage = positive('leverage', input.leverage);
  if (leverage.lt(1)) throw new EngineInputError('leverage', `must be at least 1, got ${leverage.toString()}`);
  const contractSize =
    input.contractSize === undefined
      ? new Decimal(contract === 'inverse' ? DEFAULT_INVERSE_CONTRACT_SIZE : 1)
      : positive('contractSize', input.contractSize);
  let margin: Decimal;
  let quantity: Decimal;
  if (input.margin !== undefined) {
    margin = positive('margin', input.margin);
    quantity = sizeWithinExposure(contract, margin, leverage, entryPrice, contractSize);
  } else if (input.quantity !== undefined) {
    quantity = positive('quantity', input.quantity);
    const notional =
      contract === 'linear' ? quantity.mul(contractSize).mul(entryPrice) : quantity.mul(contractSize).div(entryPrice);
    margin = notional.div(leverage);
  } else {
    throw new EngineInputError('margin', 'give either margin or quantity');
  }
  return {
    contract,
    side: input.side,
    entryPrice,
    quantity,
    margin,
    ...(input.maintenanceMarginRate === undefined ? {} : { maintenanceMarginRate: input.maintenanceMarginRate }),
    ...(input.maintenanceAmount === undefined ? {} : { maintenanceAmount: input.maintenanceAmount }),
    contractSize,
    leverage,
    ...(input.venue === undefined ? {} : { venue: input.venue }),
    ...(input.symbol === undefined ? {} : { symbol: input.symbol }),
    ...(input.preset === undefined ? {} : { preset: input.preset }),
    stage: 'opening',
  };
}

/** The engine's Decimal, rounding toward zero: a size derived from margin may fall short, never overshoot. */
const DecimalDown = Decimal.clone({ rounding: Decimal.ROUND_DOWN });
/** At this precision decimal.js multiplies without rounding; used only for the exact comparison below. */
const DecimalExact = Decimal.clone({ precision: 1e9 });

/**
 * The quantity that margin × leverage buys at entry, such that the notional the engine will compute from it
 * never exceeds margin × leverage. Rounding to nearest could overshoot by one unit in the 40th digit, which
 * put a 1× linear long's or 1× inverse short's liquidation and bankruptcy prices at ~1e-39 or ~1e45 instead
 * of null (the "--" of venues' calculators): the position held a hair more than 1× leverage.
 */
function sizeWithinExposure(
  contract: ContractKind,
  margin: Decimal,
  leverage: Decimal,
  entryPrice: Decimal,
  contractSize: Decimal,
): Decimal {
  const exposure = new DecimalDown(margin).mul(leverage); // quote units (linear) or coin (inverse) of notional at entry
  let quantity = new Decimal(
    contract === 'linear' ? exposure.div(entryPrice).div(contractSize) : exposure.mul(entryPrice).div(contractSize),
  );
  // Rounding down each step keeps the quantity under the bound; the engine's size (quantity × contract size,
  // rounded to nearest) can still land half a unit over it, so step down by one unit in the last place until
  // the size, taken exactly, fits: size × entry ≤ margin × leverage (linear), size ≤ margin × leverage × entry
  // (inverse). One or two steps at most in practice; the cap only guards against a loop.
  const bound = new DecimalExact(margin).mul(leverage);
  const exceeds = (q: Decimal): boolean => {
    const held = new DecimalExact(q.mul(contractSize));
    return contract === 'linear' ? held.mul(entryPrice).gt(bound) : held.gt(bound.mul(entryPrice));
  };
  for (let step = 0; step < 64 && exceeds(quantity); step++) {
    quantity = quantity.sub(new Decimal(`1e${quantity.e - (Decimal.precision - 1)}`));
  }
  return quantity;
}

/**
 * The highest leverage at which a position still opens above its maintenance margin: just under
 * 1 ÷ rate (without a maintenance amount). Returns null for a zero rate (no ceiling from maintenance).
 */
export function leverageCeiling(maintenanceMarginRate: Numeric): Decimal | null {
  const rate = nonNegative('maintenanceMarginRate', maintenanceMarginRate);
  return rate.isZero() ? null : ONE.div(rate);
}

export { toDecimal };
