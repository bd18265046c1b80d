/**
 * Market depth: an order book built from a depth profile, and market orders that walk it.
 *
 * Three profiles:
 *  - flatBook: every level holds the same quantity d, one tick apart. Selling Q moves the price by
 *    ⌈Q/d⌉ ticks: linear impact, λ = tick/d per unit sold (Kyle's λ; cascade-models.md §1.5).
 *  - sqrtBook: level k (k = 1, 2, …, counted from the best) holds a·(2k − 1), so the depth within k ticks of
 *    the mid is a·k². Selling Q moves the price by ⌈√(Q/a)⌉ ticks ≈ tick·√(Q/a): the square-root impact law
 *    I(Q) ∝ √Q (cascade-models.md §1.5, §4.3). Integer level sizes keep every fill exact.
 *  - bookFromSnapshot: levels as listed in a depth snapshot.
 * Flat and square-root books sit one tick either side of the mid: the best bid is mid − tick, the best ask
 * mid + tick, level k at mid ∓ k·tick.
 *
 * State. Market orders eat a side from the best price outward, so one number describes how far a side is
 * eaten: its displacement C, the quantity of the original profile consumed from the top. Resilience refills a
 * side: C ← (1 − ρ)·C, a fraction ρ of the eaten depth returns each round. What returns is the eaten depth
 * farthest from the mid, just above where trading left the price, so the best price recovers part of the way
 * back toward the mid (the transient-impact picture: market makers requote next to the price). Withdrawal hides
 * a share w of every level: the visible quantity of a level is (1 − w) × what is left of it. A book is immutable; every operation
 * returns a new one that shares the profile, so a cascade of thousands of rounds never copies levels, and a
 * walk is a binary search (O(log levels)) or a closed form, never a loop over levels. Only the `fills` list of
 * marketSell/marketBuy enumerates the levels a trade touched.
 *
 * Prices and quantities are Decimal. A trade's quantity at each level is exact when the depth share has few
 * digits (the cascade rounds it to 0.0001); every fill is at a level price.
 */
import { Decimal, ONE, ZERO, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { nonNegative, positive, toDecimal } from './parse.ts';

/** At most this many levels a side, so that no book, and no list of fills, can exhaust memory. */
export const MAX_BOOK_LEVELS = 1_000_000;

export type BookKind = 'flat' | 'sqrt' | 'snapshot';
export type BookSide = 'bids' | 'asks';

export interface BookLevel {
  price: Decimal;
  quantity: Decimal;
}

/**
 * One side's depth profile, before any trade: level 0 is the best price. Internal: books expose it only
 * through their methods. `cum(k)` is the quantity of levels 0 … k − 1; `cumNotional(k)` Σ price × quantity.
 */
export interface DepthProfile {
  readonly levels: number;
  readonly total: Decimal;
  /** Decimal places of every price of the profile (all prices are multiples of 10^−priceDecimals). */
  readonly priceDecimals: number;
  price(k: number): Decimal;
  cum(k: number): Decimal;
  cumNotional(k: number): Decimal;
  /** The smallest k with cum(k + 1) ≥ t, for 0 < t ≤ total: the level on which cumulative depth t is reached. */
  levelFor(t: Decimal): number;
}

/** Moves k until cum(k + 1) ≥ t > cum(k): a closed form's or a float's guess, made exact. */
function settleLevel(profile: DepthProfile, t: Decimal, guess: number): number {
  let k = Math.min(Math.max(guess, 0), profile.levels - 1);
  while (k > 0 && profile.cum(k).gte(t)) k--;
  while (k < profile.levels - 1 && profile.cum(k + 1).lt(t)) k++;
  return k;
}

/** Same quantity d on every level, prices first ∓ k·tick (sign −1 for bids, +1 for asks). */
class FlatProfile implements DepthProfile {
  readonly total: Decimal;
  readonly levels: number;
  readonly priceDecimals: number;
  private readonly first: Decimal;
  /** Signed tick: −tick for bids, +tick for asks. */
  private readonly step: Decimal;
  private readonly quantity: Decimal;
  constructor(levels: number, priceDecimals: number, first: Decimal, step: Decimal, quantity: Decimal) {
    this.levels = levels;
    this.priceDecimals = priceDecimals;
    this.first = first;
    this.step = step;
    this.quantity = quantity;
    this.total = quantity.mul(levels);
  }
  price(k: number): Decimal {
    return this.first.add(this.step.mul(k));
  }
  cum(k: number): Decimal {
    return this.quantity.mul(k);
  }
  cumNotional(k: number): Decimal {
    // d · Σ_{j<k} (first + j·step) = d·(k·first + step·k(k−1)/2)
    return this.quantity.mul(this.first.mul(k).add(this.step.mul((k * (k - 1)) / 2)));
  }
  levelFor(t: Decimal): number {
    return settleLevel(this, t, t.div(this.quantity).ceil().toNumber() - 1);
  }
}

/** Level k (0-based) holds a·(2k + 1): cumulative depth a·k², so impact grows as √quantity. */
class SqrtProfile implements DepthProfile {
  readonly total: Decimal;
  readonly levels: number;
  readonly priceDecimals: number;
  private readonly first: Decimal;
  private readonly step: Decimal;
  private readonly a: Decimal;
  constructor(levels: number, priceDecimals: number, first: Decimal, step: Decimal, a: Decimal) {
    this.levels = levels;
    this.priceDecimals = priceDecimals;
    this.first = first;
    this.step = step;
    this.a = a;
    this.total = a.mul(levels).mul(levels);
  }
  price(k: number): Decimal {
    return this.first.add(this.step.mul(k));
  }
  cum(k: number): Decimal {
    return this.a.mul(k).mul(k);
  }
  cumNotional(k: number): Decimal {
    // a · Σ_{j<k} (first + j·step)(2j + 1) = a·(first·k² + step·Σ_{j<k} j(2j+1)), Σ_{j<k} j(2j+1) = k(k−1)(4k+1)/6.
    const s = (BigInt(k) * BigInt(k - 1) * BigInt(4 * k + 1)) / 6n; // exact: the product is always divisible by 6
    return this.a.mul(this.first.mul(k).mul(k).add(this.step.mul(s.toString())));
  }
  levelFor(t: Decimal): number {
    return settleLevel(this, t, Math.ceil(Math.sqrt(t.div(this.a).toNumber())) - 1);
  }
}

/** Levels as given, with cumulative sums precomputed (and float copies to guide the binary search). */
class ArrayProfile implements DepthProfile {
  readonly total: Decimal;
  readonly levels: number;
  readonly priceDecimals: number;
  private readonly prices: Decimal[];
  private readonly cumulative: Decimal[];
  private readonly cumulativeNotional: Decimal[];
  private readonly approx: Float64Array;
  constructor(prices: Decimal[], quantities: Decimal[], priceDecimals: number) {
    this.prices = prices;
    this.priceDecimals = priceDecimals;
    this.levels = prices.length;
    this.cumulative = [ZERO];
    this.cumulativeNotional = [ZERO];
    this.approx = new Float64Array(prices.length + 1);
    for (let k = 0; k < prices.length; k++) {
      this.cumulative.push(this.cumulative[k]!.add(quantities[k]!));
      this.cumulativeNotional.push(this.cumulativeNotional[k]!.add(prices[k]!.mul(quantities[k]!)));
      this.approx[k + 1] = this.cumulative[k + 1]!.toNumber();
    }
    this.total = this.cumulative[prices.length]!;
  }
  price(k: number): Decimal {
    return this.prices[k]!;
  }
  cum(k: number): Decimal {
    return this.cumulative[k]!;
  }
  cumNotional(k: number): Decimal {
    return this.cumulativeNotional[k]!;
  }
  levelFor(t: Decimal): number {
    const target = t.toNumber();
    let lo = 0;
    let hi = this.levels - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.approx[mid + 1]! >= target) hi = mid;
      else lo = mid + 1;
    }
    return settleLevel(this, t, lo);
  }
}

/** Where a side stands: its profile, how far it is eaten, and the price shift applied to all its levels. */
interface SideState {
  readonly profile: DepthProfile;
  readonly consumed: Decimal;
}

const BOOK_BRAND = Symbol('margin-pressure.book');

/**
 * An immutable order book. Build one with flatBook, sqrtBook or bookFromSnapshot; trade with marketSell and
 * marketBuy; between rounds refillBook, withdrawDepth and shiftBook return changed copies.
 */
export class Book {
  /** Which profile the book was built from. */
  readonly kind: BookKind;
  /** The tick of a flat or square-root book; null for a snapshot. */
  readonly tick: Decimal | null;
  /** The mid the book is quoted around: the mid it was built with, moved by shiftBook. */
  readonly mid: Decimal;
  /** Share of each level's remaining quantity that is visible (1 − the share market makers withdrew). */
  readonly depthShare: Decimal;
  /** How much of the bid profile has been eaten, from the best bid down (original-profile quantity). */
  readonly bidsConsumed: Decimal;
  /** How much of the ask profile has been eaten, from the best ask up. */
  readonly asksConsumed: Decimal;
  /** @internal */ readonly bidSide: SideState;
  /** @internal */ readonly askSide: SideState;
  /** @internal Added to every level price: a re-centred book (shiftBook) keeps its shape. */
  readonly shift: Decimal;
  /** @internal */ readonly [BOOK_BRAND] = true;

  /** @internal Use flatBook, sqrtBook or bookFromSnapshot. */
  constructor(init: {
    kind: BookKind;
    tick: Decimal | null;
    mid: Decimal;
    depthShare: Decimal;
    shift: Decimal;
    bids: SideState;
    asks: SideState;
  }) {
    this.kind = init.kind;
    this.tick = init.tick;
    this.mid = init.mid;
    this.depthShare = init.depthShare;
    this.shift = init.shift;
    this.bidSide = init.bids;
    this.askSide = init.asks;
    this.bidsConsumed = init.bids.consumed;
    this.asksConsumed = init.asks.consumed;
    Object.freeze(this);
  }

  /** Levels per side. */
  get levels(): { bids: number; asks: number } {
    return { bids: this.bidSide.profile.levels, asks: this.askSide.profile.levels };
  }
  /** The best bid still standing, or null when the bids are eaten. */
  get bestBid(): Decimal | null {
    return bestPrice(this.bidSide, this.shift);
  }
  /** The best ask still standing, or null when the asks are eaten. */
  get bestAsk(): Decimal | null {
    return bestPrice(this.askSide, this.shift);
  }
  /** Visible quantity left on the bid side. */
  get bidDepth(): Decimal {
    return visible(this.bidSide, this.depthShare);
  }
  /** Visible quantity left on the ask side. */
  get askDepth(): Decimal {
    return visible(this.askSide, this.depthShare);
  }
  /** Decimal places a price of this book can have (a cascade's marks are on this grid). */
  get priceDecimals(): number {
    return Math.max(this.bidSide.profile.priceDecimals, this.askSide.profile.priceDecimals, this.shift.decimalPlaces(), this.mid.decimalPlaces());
  }
  /** Depth of the untouched book, per side. */
  get originalDepth(): { bids: Decimal; asks: Decimal } {
    return { bids: this.bidSide.profile.total, asks: this.askSide.profile.total };
  }

  /** @internal */
  with(change: Partial<{ mid: Decimal; depthShare: Decimal; shift: Decimal; bids: SideState; asks: SideState }>): Book {
    return new Book({
      kind: this.kind,
      tick: this.tick,
      mid: change.mid ?? this.mid,
      depthShare: change.depthShare ?? this.depthShare,
      shift: change.shift ?? this.shift,
      bids: change.bids ?? this.bidSide,
      asks: change.asks ?? this.askSide,
    });
  }

  /** A plain summary (JSON.stringify of a result that holds a book prints this). */
  toJSON(): Record<string, unknown> {
    return {
      kind: this.kind,
      tick: this.tick,
      mid: this.mid,
      bestBid: this.bestBid,
      bestAsk: this.bestAsk,
      bidDepth: this.bidDepth,
      askDepth: this.askDepth,
      depthShare: this.depthShare,
      bidsConsumed: this.bidsConsumed,
      asksConsumed: this.asksConsumed,
    };
  }
}

/** Whether a value is a Book built by this module. */
export function isBook(value: unknown): value is Book {
  return typeof value === 'object' && value !== null && (value as { [BOOK_BRAND]?: unknown })[BOOK_BRAND] === true;
}

function asBook(value: unknown, field = 'book'): Book {
  if (!isBook(value)) throw new EngineInputError(field, 'must be a book from flatBook, sqrtBook or bookFromSnapshot');
  return value;
}

/** The first level with something left on it after C of the profile is eaten, or null if none. */
function levelAbove(profile: DepthProfile, consumed: Decimal): number | null {
  if (consumed.gte(profile.total)) return null;
  if (consumed.isZero()) return 0;
  const k = profile.levelFor(consumed);
  return profile.cum(k + 1).eq(consumed) ? k + 1 : k;
}

function bestPrice(side: SideState, shift: Decimal): Decimal | null {
  const k = levelAbove(side.profile, side.consumed);
  return k === null ? null : side.profile.price(k).add(shift);
}

function visible(side: SideState, share: Decimal): Decimal {
  return side.profile.total.sub(side.consumed).mul(share);
}

/** Σ price × quantity of the first x of the profile (unshifted). */
function notionalUpTo(profile: DepthProfile, x: Decimal): Decimal {
  if (x.isZero()) return ZERO;
  const k = profile.levelFor(x);
  return profile.cumNotional(k).add(profile.price(k).mul(x.sub(profile.cum(k))));
}

/** @internal What walking a side does, without listing fills: what the cascade needs per round. */
export interface Walk {
  filled: Decimal;
  unfilled: Decimal;
  /** Price of the last level touched (shifted); null when nothing filled. */
  lastPrice: Decimal | null;
  /** First and last level touched; -1 when nothing filled. */
  firstLevel: number;
  lastLevel: number;
  consumed: Decimal;
  /** The side has nothing visible left after the trade. */
  exhausted: boolean;
}

/** @internal Walks `quantity` (> 0) into a side with share `share` of each level visible. */
export function walkSide(side: SideState, shift: Decimal, share: Decimal, quantity: Decimal): Walk {
  const { profile, consumed } = side;
  const available = profile.total.sub(consumed).mul(share);
  const first = levelAbove(profile, consumed);
  if (first === null || available.lte(0)) {
    return { filled: ZERO, unfilled: quantity, lastPrice: null, firstLevel: -1, lastLevel: -1, consumed, exhausted: true };
  }
  if (quantity.gte(available)) {
    const last = profile.levels - 1;
    return {
      filled: available,
      unfilled: quantity.sub(available),
      lastPrice: profile.price(last).add(shift),
      firstLevel: first,
      lastLevel: last,
      consumed: profile.total,
      exhausted: true,
    };
  }
  // In original-profile units a visible quantity q is q/share of the profile.
  const target = share.eq(ONE) ? consumed.add(quantity) : consumed.add(quantity.div(share));
  const last = profile.levelFor(target);
  return {
    filled: quantity,
    unfilled: ZERO,
    lastPrice: profile.price(last).add(shift),
    firstLevel: first,
    lastLevel: last,
    consumed: target,
    exhausted: false,
  };
}

export interface MarketOrderResult {
  side: 'sell' | 'buy';
  requestedQuantity: Decimal;
  filledQuantity: Decimal;
  /** What the book could not take: positive only when the side was exhausted. */
  unfilledQuantity: Decimal;
  /** One fill per level touched, best price first; their quantities sum to filledQuantity exactly. */
  fills: BookLevel[];
  /** Σ price × quantity of the fills. */
  notional: Decimal;
  /** notional ÷ filled quantity; null when nothing filled. */
  averagePrice: Decimal | null;
  /** The price of the last (worst) fill; null when nothing filled. */
  lastPrice: Decimal | null;
  /** The best price left on the side that was hit; null when it is exhausted. */
  bestPrice: Decimal | null;
  /** True when the side hit has no visible depth left (then unfilledQuantity may be positive). */
  exhausted: boolean;
  /** The book after the trade; the input book is unchanged. */
  book: Book;
}

function marketOrder(bookInput: Book, quantityInput: Numeric, kind: 'sell' | 'buy'): MarketOrderResult {
  const book = asBook(bookInput);
  const quantity = positive('quantity', quantityInput);
  const side = kind === 'sell' ? book.bidSide : book.askSide;
  const walk = walkSide(side, book.shift, book.depthShare, quantity);
  const next: SideState = { profile: side.profile, consumed: walk.consumed };
  const after = kind === 'sell' ? book.with({ bids: next }) : book.with({ asks: next });
  const fills: BookLevel[] = [];
  let notional = ZERO;
  if (walk.filled.gt(0)) {
    const { profile } = side;
    let listed = ZERO;
    for (let k = walk.firstLevel; k <= walk.lastLevel; k++) {
      let quantityAt: Decimal;
      if (k === walk.lastLevel) {
        quantityAt = walk.filled.sub(listed); // exact remainder, so the fills sum to the filled quantity
      } else {
        const from = Decimal.max(profile.cum(k), side.consumed);
        quantityAt = profile.cum(k + 1).sub(from).mul(book.depthShare);
      }
      listed = listed.add(quantityAt);
      fills.push({ price: profile.price(k).add(book.shift), quantity: quantityAt });
    }
    notional = notionalUpTo(profile, walk.consumed)
      .sub(notionalUpTo(profile, side.consumed))
      .mul(book.depthShare)
      .add(book.shift.mul(walk.filled));
  }
  return {
    side: kind,
    requestedQuantity: quantity,
    filledQuantity: walk.filled,
    unfilledQuantity: walk.unfilled,
    fills,
    notional,
    averagePrice: walk.filled.gt(0) ? notional.div(walk.filled) : null,
    lastPrice: walk.lastPrice,
    bestPrice: bestPrice(next, book.shift),
    exhausted: walk.exhausted,
    book: after,
  };
}

/**
 * Sells `quantity` at market: walks the bids from the best down. Never hangs (a binary search finds the last
 * level) and never returns NaN: an order larger than the visible depth fills what there is and reports the
 * rest as unfilled, with `exhausted` set.
 */
export function marketSell(book: Book, quantity: Numeric): MarketOrderResult {
  return marketOrder(book, quantity, 'sell');
}

/** Buys `quantity` at market: walks the asks from the best up. See marketSell. */
export function marketBuy(book: Book, quantity: Numeric): MarketOrderResult {
  return marketOrder(book, quantity, 'buy');
}

/**
 * Refills both sides by a resilience fraction ρ of what has been eaten (0 ≤ ρ ≤ 1): displacement C becomes
 * (1 − ρ)·C: the eaten levels farthest from the mid return first, so the best price moves part of the way back
 * toward the mid. ρ = 0 leaves the book as it is, ρ = 1 restores it.
 */
export function refillBook(bookInput: Book, resilience: Numeric): Book {
  const book = asBook(bookInput);
  const rho = resilienceOf(resilience);
  if (rho.isZero()) return book;
  const keep = ONE.sub(rho);
  return book.with({
    bids: { profile: book.bidSide.profile, consumed: book.bidSide.consumed.mul(keep) },
    asks: { profile: book.askSide.profile, consumed: book.askSide.consumed.mul(keep) },
  });
}

/** @internal Validates a resilience fraction. */
export function resilienceOf(value: Numeric): Decimal {
  const rho = toDecimal('resilience', value);
  if (rho.isNeg() && !rho.isZero()) {
    throw new EngineInputError('resilience', `must not be negative, got ${rho.toString()}: a book cannot refill by less than nothing`);
  }
  if (rho.gt(1)) throw new EngineInputError('resilience', `must be at most 1 (a full refill each round), got ${rho.toString()}`);
  return rho.abs();
}

/**
 * Market makers withdraw `share` (0 ≤ share < 1) of the depth: the visible part of every level becomes
 * (1 − share) of what is left of it. The share replaces any earlier withdrawal (it is not compounded).
 */
export function withdrawDepth(bookInput: Book, share: Numeric): Book {
  const book = asBook(bookInput);
  const w = nonNegative('share', share);
  if (w.gte(1)) throw new EngineInputError('share', `must be below 1: withdrawing all depth leaves no market, got ${w.toString()}`);
  return book.with({ depthShare: ONE.sub(w) });
}

/**
 * The same book re-centred on `mid`: every level moves by mid − book.mid, what has been eaten stays eaten.
 * Models an exogenous move of the fair price (the index moved elsewhere and market makers requote).
 */
export function shiftBook(bookInput: Book, mid: Numeric): Book {
  const book = asBook(bookInput);
  const target = positive('mid', mid);
  const delta = target.sub(book.mid);
  const shift = book.shift.add(delta);
  const lowestBid = book.bidSide.profile.price(book.bidSide.profile.levels - 1).add(shift);
  if (lowestBid.lte(0)) {
    throw new EngineInputError('mid', `${target.toString()} would put the deepest bid at ${lowestBid.toString()}: prices must stay positive`);
  }
  return book.with({ mid: target, shift });
}

/**
 * Up to `maxLevels` levels of one side as they stand (visible quantity, best price first): what a widget
 * draws. Levels fully eaten are left out.
 */
export function bookLevels(bookInput: Book, side: BookSide, maxLevels = 50): BookLevel[] {
  const book = asBook(bookInput);
  const state = side === 'bids' ? book.bidSide : side === 'asks' ? book.askSide : null;
  if (state === null) throw new EngineInputError('side', `must be 'bids' or 'asks', got ${JSON.stringify(side)}`);
  if (!Number.isInteger(maxLevels) || maxLevels < 0) throw new EngineInputError('maxLevels', 'must be a whole number ≥ 0');
  const first = levelAbove(state.profile, state.consumed);
  const out: BookLevel[] = [];
  if (first === null) return out;
  for (let k = first; k < state.profile.levels && out.length < maxLevels; k++) {
    const from = Decimal.max(state.profile.cum(k), state.consumed);
    out.push({
      price: state.profile.price(k).add(book.shift),
      quantity: state.profile.cum(k + 1).sub(from).mul(book.depthShare),
    });
  }
  return out;
}

function levelCount(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new EngineInputError('levels', `must be a whole number of levels, at least 1, got ${JSON.stringify(value)}`);
  }
  if (value > MAX_BOOK_LEVELS) throw new EngineInputError('levels', `must be at most ${MAX_BOOK_LEVELS.toLocaleString('en-US')}, got ${value}`);
  return value;
}

function gridBook(
  kind: 'flat' | 'sqrt',
  midInput: Numeric,
  tickInput: Numeric,
  levelsInput: unknown,
  make: (levels: number, decimals: number, first: Decimal, step: Decimal) => DepthProfile,
): Book {
  const mid = positive('mid', midInput);
  const tick = toDecimal('tick', tickInput);
  if (tick.lte(0)) throw new EngineInputError('tick', `must be greater than 0, got ${tick.toString()}: levels must be a positive price step apart`);
  const levels = levelCount(levelsInput);
  const deepest = mid.sub(tick.mul(levels));
  if (deepest.lte(0)) {
    const most = mid.div(tick).ceil().sub(1).toNumber();
    throw new EngineInputError('levels', `${levels} levels of ${tick.toString()} below ${mid.toString()} reach a price of ${deepest.toString()}; use at most ${most}`);
  }
  const decimals = Math.max(mid.decimalPlaces(), tick.decimalPlaces());
  return new Book({
    kind,
    tick,
    mid,
    depthShare: ONE,
    shift: ZERO,
    bids: { profile: make(levels, decimals, mid.sub(tick), tick.neg()), consumed: ZERO },
    asks: { profile: make(levels, decimals, mid.add(tick), tick), consumed: ZERO },
  });
}

export interface FlatBookInput {
  /** The mid price: best bid one tick below, best ask one tick above. */
  mid: Numeric;
  /** Price step between levels. */
  tick: Numeric;
  /** Quantity on every level (base units). Price impact is tick ÷ quantityPerTick per unit traded. */
  quantityPerTick: Numeric;
  /** Levels on each side (1 … 1,000,000). */
  levels: number;
}

/** A book with the same quantity on every level: linear price impact (λ = tick ÷ quantityPerTick). */
export function flatBook(input: FlatBookInput): Book {
  if (input === null || typeof input !== 'object') throw new EngineInputError('book', 'must be an object { mid, tick, quantityPerTick, levels }');
  const quantity = toDecimal('quantityPerTick', input.quantityPerTick);
  if (quantity.lte(0)) {
    throw new EngineInputError('quantityPerTick', `must be greater than 0, got ${quantity.toString()}: a book with zero depth makes no market`);
  }
  return gridBook('flat', input.mid, input.tick, input.levels, (levels, decimals, first, step) => new FlatProfile(levels, decimals, first, step, quantity));
}

export interface SqrtBookInput {
  mid: Numeric;
  tick: Numeric;
  /**
   * Quantity on the best level, a. Level k holds (2k − 1)·a, so the depth within k ticks of the mid is a·k² and
   * selling Q moves the price ⌈√(Q/a)⌉ ticks: impact = tick·√(Q/a), the square-root law.
   */
  firstLevelQuantity: Numeric;
  levels: number;
}

/** A book whose depth grows with distance from the mid (cumulative depth ∝ distance²): square-root impact. */
export function sqrtBook(input: SqrtBookInput): Book {
  if (input === null || typeof input !== 'object') throw new EngineInputError('book', 'must be an object { mid, tick, firstLevelQuantity, levels }');
  const a = toDecimal('firstLevelQuantity', input.firstLevelQuantity);
  if (a.lte(0)) {
    throw new EngineInputError('firstLevelQuantity', `must be greater than 0, got ${a.toString()}: a book with zero depth makes no market`);
  }
  return gridBook('sqrt', input.mid, input.tick, input.levels, (levels, decimals, first, step) => new SqrtProfile(levels, decimals, first, step, a));
}

export type SnapshotLevel = readonly [Numeric, Numeric] | { price: Numeric; quantity: Numeric };

export interface BookSnapshot {
  /** Best (highest) bid first; prices strictly falling. */
  bids: readonly SnapshotLevel[];
  /** Best (lowest) ask first; prices strictly rising. */
  asks: readonly SnapshotLevel[];
  /** The reference price; default (best bid + best ask) ÷ 2. */
  mid?: Numeric;
}

function readLevels(levels: unknown, side: BookSide): { prices: Decimal[]; quantities: Decimal[]; decimals: number } {
  if (!Array.isArray(levels)) throw new EngineInputError(side, 'must be an array of [price, quantity] levels');
  if (levels.length === 0) throw new EngineInputError(side, 'has no levels: a side with zero depth makes no market');
  if (levels.length > MAX_BOOK_LEVELS) throw new EngineInputError(side, `has more than ${MAX_BOOK_LEVELS} levels`);
  const prices: Decimal[] = [];
  const quantities: Decimal[] = [];
  let decimals = 0;
  levels.forEach((level: unknown, index) => {
    const at = `${side}[${index}]`;
    let price: Numeric | undefined;
    let quantity: Numeric | undefined;
    if (Array.isArray(level)) [price, quantity] = level as [Numeric, Numeric];
    else if (level !== null && typeof level === 'object') ({ price, quantity } = level as { price: Numeric; quantity: Numeric });
    else throw new EngineInputError(at, 'must be [price, quantity] or { price, quantity }');
    const p = positive(`${at}.price`, price);
    const q = toDecimal(`${at}.quantity`, quantity);
    if (q.lte(0)) throw new EngineInputError(`${at}.quantity`, `must be greater than 0, got ${q.toString()}`);
    const previous = prices[prices.length - 1];
    if (previous !== undefined && (side === 'bids' ? p.gte(previous) : p.lte(previous))) {
      throw new EngineInputError(`${at}.price`, `${side === 'bids' ? 'bids must fall' : 'asks must rise'} level by level: ${p.toString()} after ${previous.toString()}`);
    }
    prices.push(p);
    quantities.push(q);
    decimals = Math.max(decimals, p.decimalPlaces());
  });
  return { prices, quantities, decimals };
}

/** A book from a depth snapshot (e.g. a venue's REST depth response saved to a data file). */
export function bookFromSnapshot(snapshot: BookSnapshot): Book {
  if (snapshot === null || typeof snapshot !== 'object') throw new EngineInputError('snapshot', 'must be an object { bids, asks }');
  const bids = readLevels(snapshot.bids, 'bids');
  const asks = readLevels(snapshot.asks, 'asks');
  const bestBid = bids.prices[0]!;
  const bestAsk = asks.prices[0]!;
  if (bestBid.gte(bestAsk)) throw new EngineInputError('asks[0].price', `the best ask ${bestAsk.toString()} must be above the best bid ${bestBid.toString()}`);
  const mid = snapshot.mid === undefined ? bestBid.add(bestAsk).div(2) : positive('mid', snapshot.mid);
  if (mid.lte(bestBid) || mid.gte(bestAsk)) {
    throw new EngineInputError('mid', `${mid.toString()} must lie between the best bid ${bestBid.toString()} and the best ask ${bestAsk.toString()}`);
  }
  return new Book({
    kind: 'snapshot',
    tick: null,
    mid,
    depthShare: ONE,
    shift: ZERO,
    bids: { profile: new ArrayProfile(bids.prices, bids.quantities, bids.decimals), consumed: ZERO },
    asks: { profile: new ArrayProfile(asks.prices, asks.quantities, asks.decimals), consumed: ZERO },
  });
}
