/**
 * Numbers for the five lessons on the forced-selling spiral (the spiral itself; liquidity and price impact;
 * insurance funds, bad debt and auto-deleveraging; capital efficiency versus stability; case studies), computed
 * by the engine at build time. Every function builds its books and populations from the engine's public API
 * (flatBook, sqrtBook, populationFrom, createPopulation, simulateCascade, liquidationOutcome) and returns
 * formatted text; predict boxes get a plain decimal string.
 *
 * Two markets run through the lessons:
 *  - the canonical ladder: one 1 BTC long liquidated at every 10 USDT below 60,000, sold into a flat book. It is
 *    the case with a closed form, so the lessons print the formula and the simulator's result side by side, and
 *    the functions here refuse to return if the two disagree by more than the proved rounding band.
 *  - a seeded population (createPopulation with the engine's default leverage mix) sold into a flat book: the
 *    "realistic" market whose numbers come only from simulation.
 */
import {
  Decimal,
  flatBook,
  liquidationMap,
  liquidationOutcome,
  marketSell,
  normalizePosition,
  openPosition,
  populationFrom,
  positionMetrics,
  refillBook,
  simulateCascade,
  sqrtBook,
  withdrawDepth,
  type Book,
  type CascadeOptions,
  type CascadeResult,
  type Population,
  type PopulationPositionInput,
} from '../engine';
import { formatDecimal, formatPercent, trimZeros } from './format';
import { moveToLiquidation } from './prose';
import {
  FUND_SHARE,
  LEVERAGE_MIXES,
  LIQUIDATION_FEE_RATE,
  PRICE,
  TICK,
  cascadeOptions,
  insuranceFundFor,
  makeBook,
  makePopulation,
  openInterest,
  type BookShape,
  type MixId,
} from '../widgets/liquidation-map/market';
import { mapView } from '../widgets/liquidation-map/model';
import { defaultMapState } from '../widgets/liquidation-map/state';
import { LEVERAGE_MIXES as SIMULATOR_MIXES, buildBook, buildPopulation, runCascade } from '../widgets/cascade-simulator/model';
import { readCascadeState, writeCascadeState, type CascadeState } from '../widgets/cascade-simulator/state';
import { WANTED_LEVERAGE, buildFrontier, frontierView } from '../widgets/stability-frontier/model';
import { defaultFrontierState, type FrontierState } from '../widgets/stability-frontier/state';
import { plain, price, tex, usdt } from './prose-accounts';

const ZERO = new Decimal(0);
const ONE = new Decimal(1);
const D = (x: string | number | Decimal) => new Decimal(x);

/** "0.5 %": a fraction as a percentage with as few decimals as it needs (up to `decimals`). */
const pct = (fraction: Decimal, decimals = 2): string => {
  const text = formatPercent(fraction, decimals);
  return text.replace(/\.(\d*?)0+(?=\u202f%)/, (_match, kept: string) => (kept ? `.${kept}` : ''));
};
/** "1,200 USDT" without trailing zeros. */
const usdtTrim = (value: Decimal, decimals = 2): string => `${trimZeros(formatDecimal(value, decimals))}\u00a0USDT`;
/** "12.5 BTC". */
const btc = (value: Decimal, decimals = 3): string => `${trimZeros(formatDecimal(value, decimals))}\u00a0BTC`;
/** "2.88×". */
const times = (value: Decimal, decimals = 2): string => `${trimZeros(formatDecimal(value, decimals))}×`;
/** "9.2 million USDT" for large sums, exact figures below a million. */
const money = (value: Decimal): string =>
  value.abs().gte(1_000_000) ? `${trimZeros(formatDecimal(value.div(1_000_000), 2))} million USDT` : usdt(value, 0);
const count = (n: number): string => formatDecimal(D(n), 0);

function must<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) throw new Error(`lesson example: ${what} is missing`);
  return value;
}

// ---------------------------------------------------------------------------------------------------------
// The canonical ladder (lesson: the forced-selling spiral)
// ---------------------------------------------------------------------------------------------------------

/** The running numbers of the canonical case. All prices in USDT, quantities in BTC. */
export const LADDER = {
  price: '60000',
  tick: '10',
  /** One long of this size liquidated at every tick below the price. */
  lot: '1',
  /** Width of the band of liquidation prices below the price. */
  band: '3000',
  /** Book depth per tick for the convergent case (r = 0.5) and the runaway case (r = 1.25). */
  depth: '2',
  thinDepth: '0.8',
  /** The shock: the mark falls this far before any liquidation. */
  shock: '600',
  maintenanceRate: '0.004',
  leverage: '10',
} as const;

/**
 * Longs at about 10× whose liquidation prices sit at every tick of the band below the price: position j has
 * LP = price − j·tick. Entry E is rounded up to a whole USDT from LP·(1 − m)·L/(L − 1) and the margin solved
 * so that (Q·E − M)/(Q·(1 − m)) = LP exactly (populationFrom checks the engine's liquidation price against it).
 */
export function ladderPositions(lot: string = LADDER.lot, band: string = LADDER.band): PopulationPositionInput[] {
  const p0 = D(LADDER.price);
  const tick = D(LADDER.tick);
  const m = D(LADDER.maintenanceRate);
  const L = D(LADDER.leverage);
  const n = D(band).div(tick).toNumber();
  const out: PopulationPositionInput[] = [];
  for (let j = 1; j <= n; j++) {
    const lp = p0.sub(tick.mul(j));
    const entry = lp.mul(ONE.sub(m)).mul(L).div(L.sub(1)).toDecimalPlaces(0, Decimal.ROUND_UP);
    const margin = D(lot).mul(entry.sub(lp.mul(ONE.sub(m))));
    out.push({ contract: 'linear', side: 'long', entryPrice: entry, quantity: lot, margin, maintenanceMarginRate: m });
  }
  return out;
}

let ladderCache: Population | null = null;
function ladderPopulation(): Population {
  ladderCache ??= populationFrom(ladderPositions());
  return ladderCache;
}

function ladderBook(depth: string): Book {
  return flatBook({ mid: LADDER.price, tick: LADDER.tick, quantityPerTick: depth, levels: 5000 });
}

/** The ladder's cascade for a flat book of `depth` per tick after the standard shock. */
export function ladderCascade(depth: string = LADDER.depth, options: CascadeOptions = {}): CascadeResult {
  return simulateCascade(ladderPopulation(), ladderBook(depth), { markPrice: D(LADDER.price).sub(LADDER.shock) }, options);
}

/**
 * The closed form next to the simulator. λ = tick ÷ depth (USDT per BTC sold), ρ = lot ÷ tick (BTC liquidated per
 * USDT of fall), r = λρ. For r < 1 the total move is s/(1 − r); for r ≥ 1 it is s + r·W (W the band: every position
 * goes). The simulator sells whole levels, so after round k its move x_k lies in [y_k, y_k + tick·(1 − r^k)/(1 − r))
 * where y_k is the continuous series (proved in src/engine/cascade.test.ts); this function checks that band, and
 * `exact` says whether the two final moves are equal to the cent.
 */
export function spiral(depth: string = LADDER.depth) {
  const tick = D(LADDER.tick);
  const s = D(LADDER.shock);
  const W = D(LADDER.band);
  const p0 = D(LADDER.price);
  const lambda = tick.div(depth);
  const rho = D(LADDER.lot).div(tick);
  const r = lambda.mul(rho);
  const converges = r.lt(1);
  const closedMove = converges ? s.div(ONE.sub(r)) : s.add(r.mul(W));
  const result = ladderCascade(depth);
  const engineMove = result.totalMove;
  if (converges) {
    const band = tick.div(ONE.sub(r));
    if (engineMove.lt(closedMove) || engineMove.gte(closedMove.add(band))) {
      throw new Error(`spiral: engine move ${engineMove} outside [${closedMove}, ${closedMove.add(band)})`);
    }
  } else if (!engineMove.sub(closedMove).abs().lt(tick)) {
    throw new Error(`spiral: runaway move ${engineMove} ≠ closed form ${closedMove}`);
  }
  // The continuous series round by round (y_0 = s, y_k = s + r·min(y_{k−1}, W)), next to the simulator's marks
  // (the rounds that moved the price).
  const moving = result.rounds.filter((round, i) => i === 0 || !round.price.eq(result.rounds[i - 1]!.price));
  let previous = s;
  const rows = moving.map((round, i) => {
    const formula = s.add(r.mul(Decimal.min(previous, W)));
    const adds = formula.sub(previous);
    previous = formula;
    return {
      round: String(i + 1),
      adds: trimZeros(formatDecimal(adds, 2)),
      formula: trimZeros(formatDecimal(formula, 2)),
      engine: trimZeros(formatDecimal(p0.sub(round.price), 2)),
      enginePrice: price(round.price, 0),
    };
  });
  const texR = String.raw`r = \lambda\,\rho = \frac{${tex(formatDecimal(tick, 0))}}{${trimZeros(String(depth))}} \times \frac{${LADDER.lot}}{${tex(formatDecimal(tick, 0))}} = ${trimZeros(r.toString())}`;
  const finalClosed = p0.sub(closedMove);
  const first = must(result.rounds[0], 'first round');
  return {
    /** The highest liquidation price of the ladder, one tick below the price. */
    top: price(p0.sub(tick), 0),
    /** Positions the shock alone takes past their lines. */
    shockPositions: count(s.div(tick).toNumber()),
    firstRoundPrice: price(first.price, 0),
    firstRoundPercent: pct(p0.sub(first.price).div(p0), 1),
    /** How much thinner this book is than the standard ladder book. */
    thinner: pct(ONE.sub(D(depth).div(LADDER.depth)), 0),
    depth: btc(D(depth)),
    lambda: `${trimZeros(formatDecimal(lambda, 2))}\u00a0USDT per BTC`,
    rho: `${trimZeros(formatDecimal(rho, 2))}\u00a0BTC per USDT`,
    r: trimZeros(r.toString()),
    shock: usdtTrim(s),
    shockPercent: pct(s.div(p0)),
    shockPrice: price(p0.sub(s), 0),
    band: usdtTrim(W),
    bandBottom: price(p0.sub(W), 0),
    positions: count(W.div(tick).toNumber()),
    closedMove: usdtTrim(closedMove),
    closedMovePercent: pct(closedMove.div(p0)),
    closedFinal: price(finalClosed, 0),
    engineMove: usdtTrim(engineMove),
    engineFinal: price(result.finalPrice, 0),
    exact: engineMove.eq(closedMove),
    amplification: times(must(result.amplification, 'amplification')),
    rounds: String(moving.length),
    rows,
    /** The total fall in percent, for the predict box. */
    answerPercent: plain(closedMove.div(p0).mul(100)),
    liquidated: btc(result.totalLiquidatedQuantity),
    texR,
    texTotal: converges
      ? String.raw`\begin{aligned} \Delta P &= s\,(1 + r + r^2 + \cdots) = \frac{s}{1 - r} \\ &= \frac{${tex(formatDecimal(s, 0))}}{1 - ${trimZeros(r.toString())}} = ${tex(trimZeros(formatDecimal(closedMove, 2)))} \end{aligned}`
      : String.raw`\Delta P = s + r\,W = ${tex(formatDecimal(s, 0))} + ${trimZeros(r.toString())} \times ${tex(formatDecimal(W, 0))} = ${tex(trimZeros(formatDecimal(closedMove, 2)))}`,
    volatilityShock: pct(s.div(p0), 2),
    volatilityAfter: pct(result.realizedVolatility, 2),
  };
}

/** How far each leverage's liquidation price sits below entry (engine) beside the rule of thumb 1/L − m. */
export function liquidationDistances(leverages: readonly number[] = [100, 50, 20, 10, 5], mmrPercent = '0.4') {
  const m = D(mmrPercent).div(100);
  return leverages.map((leverage) => {
    const move = must(moveToLiquidation({ leverage, mmrPercent }), 'move to liquidation').abs();
    const thumb = ONE.div(leverage).sub(m);
    return { leverage: `${leverage}×`, engine: formatPercent(move, 2), thumb: formatPercent(thumb, 2), bankruptcy: formatPercent(ONE.div(leverage), 2) };
  });
}

// ---------------------------------------------------------------------------------------------------------
// The seeded market: the liquidation map's and the stability frontier's venue (src/widgets/liquidation-map/market.ts)
// ---------------------------------------------------------------------------------------------------------

/**
 * The realistic market, as the liquidation map opens on it: 5,000 positions around 60,000 with the mixed leverage
 * mix, half long, seed 1, and a flat book holding 400,000 USDT of bids within 1 % of the price. Fee, maintenance
 * rate and insurance fund (2 % of open interest) are market.ts's, so the lessons and the widgets describe one venue.
 */
export const MARKET = {
  count: 5000,
  longShare: '0.5',
  mix: 'mixed',
  seed: 1,
  /** USDT of bids (and asks) within 1 % of the price. */
  depth: '400000',
  shape: 'flat',
} as const satisfies { count: number; longShare: string; mix: MixId; seed: number; depth: string; shape: BookShape };

let marketCache: Population | null = null;
export function marketPopulation(): Population {
  marketCache ??= makePopulation({ count: MARKET.count, longShare: D(MARKET.longShare), mix: LEVERAGE_MIXES[MARKET.mix], seed: MARKET.seed });
  return marketCache;
}

export function marketBook(depth: string = MARKET.depth, shape: BookShape = MARKET.shape): Book {
  return makeBook(shape, D(depth));
}

/** The market's open interest (long and short quantity at 60,000) and the insurance fund the venue starts with. */
export function marketOpenInterest(population: Population = marketPopulation()) {
  const oi = openInterest(population).notional;
  return { notional: oi, fund: insuranceFundFor(oi) };
}

/** A cascade in the market after the mark falls by `shockPercent` (of 60,000), with market.ts's options. */
export function marketCascade(shockPercent: string, options: CascadeOptions = {}, book: Book = marketBook(), population = marketPopulation()): CascadeResult {
  const mark = PRICE.sub(PRICE.mul(shockPercent).div(100));
  return simulateCascade(population, book, { markPrice: mark }, { ...cascadeOptions(marketOpenInterest(population).notional), ...options });
}

/** What a reader sees of one cascade. */
export function cascadeReading(result: CascadeResult) {
  const p0 = result.initialPrice;
  return {
    shock: pct(result.exogenousMove.div(p0)),
    shockPrice: price(result.shockPrice, 0),
    final: price(result.finalPrice, 0),
    fall: pct(result.totalMove.div(p0), 1),
    /** The total fall in percent, one decimal, for a predict box. */
    fallAnswer: plain(result.totalMove.div(p0).mul(100), 1),
    amplification: times(must(result.amplification, 'amplification'), 2),
    rounds: count(result.roundCount),
    positions: count(result.positionsLiquidated),
    notional: money(result.totalLiquidatedNotional),
    volatility: pct(result.realizedVolatility, 1),
    fund: money(result.insuranceFund),
    badDebt: money(result.badDebt.neg()),
    adl: money(result.adlNotional),
    deleveraged: count(result.positionsDeleveraged),
    stop: result.stopReason,
  };
}

/** The market at a glance: size, open interest, fund, depth, and how much long notional is liquidated within each fall. */
export function marketProfile(falls: readonly string[] = ['1', '2', '5', '10']) {
  const population = marketPopulation();
  const { notional, fund } = marketOpenInterest();
  const within = falls.map((fall) => {
    const floor = PRICE.sub(PRICE.mul(fall).div(100));
    const [span] = liquidationMap(population, { from: floor, to: PRICE, step: PRICE.sub(floor) });
    const s = must(span, 'map span');
    return { fall: `${fall}\u202f%`, notional: money(s.longNotional), positions: count(s.longPositions) };
  });
  return {
    positions: count(population.size),
    longs: count(population.longCount),
    openInterest: money(notional),
    fund: money(fund),
    fundShare: pct(FUND_SHARE, 0),
    feeRate: pct(D(LIQUIDATION_FEE_RATE), 1),
    depth: money(D(MARKET.depth)),
    depthBtc: btc(D(MARKET.depth).div(PRICE), 2),
    within,
  };
}

/** The market's leverage mix as drawn: share of positions at each leverage, highest first. */
export function marketMix() {
  const { positions } = marketPopulation().toJSON() as { positions: { leverage: string | null }[] };
  const counts = new Map<string, number>();
  for (const p of positions) {
    const key = must(p.leverage, 'leverage');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts]
    .sort((a, b) => D(b[0]).cmp(a[0]))
    .map(([leverage, n]) => ({ leverage: `${leverage}×`, share: pct(D(n).div(positions.length), 0) }));
}

/** The liquidation map widget's own reading at its default state, dragged to `p` (its first figure when p = 58,000). */
export function mapReading(p?: string) {
  const view = mapView(defaultMapState(p === undefined ? {} : { p }));
  if (!view.ok) throw new Error(`liquidation map: ${view.message}`);
  const { reading, market } = view.view;
  return {
    price: price(reading.price, 0),
    drop: pct(reading.shockMove.abs(), 1),
    mapNotional: money(reading.mapNotional),
    mapPositions: count(reading.mapPositions),
    final: price(reading.finalPrice, 0),
    finalDrop: pct(reading.finalMove.abs(), 1),
    liquidated: money(reading.cascade.totalLiquidatedNotional),
    ratio: reading.ratio === null ? null : trimZeros(formatDecimal(reading.ratio, 1)),
    openInterest: money(market.openInterest),
    sentence: reading.sentence,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Lesson: liquidity, depth and price impact
// ---------------------------------------------------------------------------------------------------------

/** Two books around 60,000 with 10 USDT ticks: flat (2 BTC a level) and square-root, equal for a 64 BTC sale. */
export const BOOKS = { depth: '2', match: '64', price: '60000', tick: '10' } as const;

function impactBooks() {
  const flat = flatBook({ mid: BOOKS.price, tick: BOOKS.tick, quantityPerTick: BOOKS.depth, levels: 5000 });
  const levels = D(BOOKS.match).div(BOOKS.depth);
  const a = D(BOOKS.match).div(levels.mul(levels));
  const root = sqrtBook({ mid: BOOKS.price, tick: BOOKS.tick, firstLevelQuantity: a, levels: 5000 });
  return { flat, root, a };
}

/** Market sells of each size on both books: last fill, average fill, and the move of the last fill from mid. */
export function impactTable(sizes: readonly string[] = ['1', '4', '16', '64', '256']) {
  const { flat, root, a } = impactBooks();
  const p0 = D(BOOKS.price);
  const read = (book: Book, q: string) => {
    const r = marketSell(book, q);
    const last = must(r.lastPrice, 'last fill');
    const average = must(r.averagePrice, 'average fill');
    return { last: price(last, 0), average: price(average, 2), move: trimZeros(formatDecimal(p0.sub(last), 2)), levels: String(r.fills.length) };
  };
  const rows = sizes.map((q) => ({ size: btc(D(q), 0), flat: read(flat, q), root: read(root, q) }));
  return {
    rows,
    firstLevel: btc(a, 4),
    depth: btc(D(BOOKS.depth), 0),
    lambda: `${trimZeros(formatDecimal(D(BOOKS.tick).div(BOOKS.depth), 2))}\u00a0USDT per BTC`,
    match: btc(D(BOOKS.match), 0),
  };
}

/** The square-root book's move for `size` BTC, for the predict box (USDT, plain). */
export function sqrtMove(size: string) {
  const { root } = impactBooks();
  const last = must(marketSell(root, size).lastPrice, 'last fill');
  const move = D(BOOKS.price).sub(last);
  return { move: usdtTrim(move), answer: plain(move) };
}

/** Sell 64 BTC, let the book refill by ρ, sell 64 BTC again: where the second sale ends. */
export function resilienceRows(rhos: readonly string[] = ['0', '0.5', '1']) {
  const { flat } = impactBooks();
  const first = marketSell(flat, BOOKS.match);
  return {
    first: price(must(first.lastPrice, 'first sale'), 0),
    rows: rhos.map((rho) => {
      const second = marketSell(refillBook(first.book, rho), BOOKS.match);
      return { rho: pct(D(rho), 0), last: price(must(second.lastPrice, 'second sale'), 0), average: price(must(second.averagePrice, 'average'), 2) };
    }),
  };
}

/** The 64 BTC sale when market makers have withdrawn a share of every level. */
export function withdrawalRows(shares: readonly string[] = ['0', '0.5', '0.75']) {
  const { flat } = impactBooks();
  const p0 = D(BOOKS.price);
  return shares.map((w) => {
    const r = marketSell(withdrawDepth(flat, w), BOOKS.match);
    const last = must(r.lastPrice, 'last fill');
    return { share: pct(D(w), 0), last: price(last, 0), move: usdtTrim(p0.sub(last)) };
  });
}

/** The canonical ladder with a refilling book and with market makers who withdraw as volatility rises. */
export function ladderVariants() {
  const base = ladderCascade();
  const refill = ladderCascade(LADDER.depth, { resilience: '0.5' });
  const withdraw = ladderCascade(LADDER.depth, { withdrawalSensitivity: 20 });
  const withdrawMore = ladderCascade(LADDER.depth, { withdrawalSensitivity: 40 });
  const read = (r: CascadeResult) => ({
    final: price(r.finalPrice, 0),
    amplification: times(must(r.amplification, 'amplification')),
    depthLeft: pct(must(r.rounds[r.rounds.length - 1], 'last round').depthShare, 0),
    volatility: pct(r.realizedVolatility, 2),
    rounds: count(r.roundCount),
  });
  return { base: read(base), refill: read(refill), withdraw: read(withdraw), withdrawMore: read(withdrawMore) };
}

/** The market on a flat and on a square-root book holding the same depth within 1 %, shock by shock. */
export function bookShapeCascades(shocks: readonly string[] = ['0.5', '1', '5']) {
  return shocks.map((shock) => ({
    shock: `${shock}\u202f%`,
    flat: cascadeReading(marketCascade(shock, {}, marketBook(MARKET.depth, 'flat'))),
    root: cascadeReading(marketCascade(shock, {}, marketBook(MARKET.depth, 'sqrt'))),
  }));
}

/** The market's flat book at several depths (USDT within 1 %), the same shock. */
export function depthCascades(depths: readonly string[] = ['200000', '400000', '800000'], shock = '1') {
  return depths.map((depth) => ({ depth: money(D(depth)), ...cascadeReading(marketCascade(shock, {}, marketBook(depth))) }));
}

/** The market when market makers pull depth as realized volatility rises (share withdrawn = sensitivity × volatility). */
export function withdrawalCascades(sensitivities: readonly string[] = ['0', '5', '10'], shock = '1') {
  return sensitivities.map((k) => {
    const r = marketCascade(shock, { withdrawalSensitivity: k });
    const least = r.rounds.reduce((m, round) => Decimal.min(m, round.depthShare), ONE);
    return { sensitivity: k, ...cascadeReading(r), depthLeft: pct(least, 0) };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Lesson: insurance funds, bad debt and auto-deleveraging
// ---------------------------------------------------------------------------------------------------------

/** The earlier lessons' running example: 0.5 BTC long at 60,000, 10×, 3,000 USDT margin, 0.4 %. */
function runningExample() {
  return normalizePosition({ contract: 'linear', side: 'long', entryPrice: '60000', quantity: '0.5', margin: '3000', maintenanceMarginRate: '0.004', leverage: '10' });
}

/**
 * The waterfall for one position: fills at the liquidation price, beyond bankruptcy with a deep fund, with a
 * fund of `smallFund`, and with an empty fund.
 */
export function waterfall(beyond = '53800', smallFund = '60') {
  const p = runningExample();
  const m = positionMetrics(p, p.entryPrice);
  const lp = must(m.liquidationPrice, 'liquidation price');
  const cases: { label: string; fill: Decimal; fund?: string }[] = [
    { label: 'the liquidation price', fill: lp },
    { label: 'deep fund', fill: D(beyond) },
    { label: `fund of ${usdt(D(smallFund), 0)}`, fill: D(beyond), fund: smallFund },
    { label: 'empty fund', fill: D(beyond), fund: '0' },
  ];
  const rows = cases.map(({ label, fill, fund }) => {
    const o = liquidationOutcome(p, fill, fund === undefined ? { liquidationFeeRate: LIQUIDATION_FEE_RATE } : { liquidationFeeRate: LIQUIDATION_FEE_RATE, insuranceFundBalance: fund });
    return {
      label,
      fill: price(fill, 2),
      equity: price(o.equityAtFill, 2),
      fee: price(o.fee, 2),
      fund: price(o.insuranceFundChange, 2),
      badDebt: price(o.badDebt, 2),
      badDebtValue: o.badDebt,
      fundValue: o.insuranceFundChange,
    };
  });
  const small = must(rows[2], 'small-fund row');
  return {
    feeRate: pct(D(LIQUIDATION_FEE_RATE), 1),
    liquidation: price(lp, 2),
    bankruptcy: price(must(m.bankruptcyPrice, 'bankruptcy price'), 2),
    beyond: price(D(beyond), 0),
    smallFund: usdt(D(smallFund), 0),
    rows,
    /** What the deep fund pays for the fill beyond bankruptcy. */
    cover: usdt(must(rows[1], 'deep-fund row').fundValue.neg(), 2),
    answer: plain(small.badDebtValue.neg()),
    badDebt: usdt(small.badDebtValue.neg(), 2),
  };
}

/** One bankrupt long and four profitable shorts: the positions of the ADL example. */
export const ADL_EXAMPLE = {
  mark: '56000',
  bankrupt: { contract: 'linear', side: 'long', entryPrice: '60000', quantity: '3', margin: '9000', maintenanceMarginRate: '0.004' },
  shorts: [
    { name: 'A', contract: 'linear', side: 'short', entryPrice: '66000', quantity: '1', margin: '6600', maintenanceMarginRate: '0.004' },
    { name: 'B', contract: 'linear', side: 'short', entryPrice: '61000', quantity: '1', margin: '1220', maintenanceMarginRate: '0.004' },
    { name: 'C', contract: 'linear', side: 'short', entryPrice: '70000', quantity: '2', margin: '70000', maintenanceMarginRate: '0.004' },
    { name: 'D', contract: 'linear', side: 'short', entryPrice: '60500', quantity: '0.5', margin: '302.5', maintenanceMarginRate: '0.004' },
  ],
} as const;

/**
 * The ADL example: the long is bankrupt at the shocked mark, the fund is empty, so the engine deleverages it at
 * its bankruptcy price against the shorts in ranking order. Each short's Bybit score (PnL% × effective leverage,
 * effective leverage = notional ÷ equity) and Binance LeveragePnL (PnL ÷ wallet × maintenance margin ÷ equity) are
 * computed here from positionMetrics at the mark, where the engine ranks them (the batch never reaches the book, so
 * its clearing price is the mark); the order by score must be the order in which the engine closed them, or this
 * function throws.
 */
export function adlExample() {
  const { bankrupt, shorts, mark } = ADL_EXAMPLE;
  const inputs: PopulationPositionInput[] = [bankrupt, ...shorts.map(({ name: _name, ...s }) => s)];
  const population = populationFrom(inputs);
  const book = flatBook({ mid: '60000', tick: '10', quantityPerTick: '2', levels: 5000 });
  const run = (ranking: 'bybit' | 'binance') =>
    simulateCascade(population, book, { markPrice: mark }, { details: true, adlRanking: ranking, liquidationFeeRate: LIQUIDATION_FEE_RATE, insuranceFund: 0 });
  const bybit = run('bybit');
  const binance = run('binance');
  const long = normalizePosition(bankrupt);
  const bp = must(positionMetrics(long, long.entryPrice).bankruptcyPrice, 'bankruptcy price');
  const order = (r: CascadeResult) => r.rounds.flatMap((round) => round.deleveragedPositions ?? []).map((i) => must(shorts[i - 1], `short ${i}`).name);
  const scored = shorts.map((s) => {
    const { name, ...input } = s;
    const p = normalizePosition(input);
    const at = positionMetrics(p, mark);
    const entryValue = p.quantity.mul(p.entryPrice);
    const pnlPercent = at.unrealizedPnl.div(entryValue);
    const effective = at.notional.div(at.equity);
    const bybitScore = pnlPercent.gt(0) ? pnlPercent.mul(effective) : pnlPercent.div(effective);
    const binanceScore = Decimal.max(at.unrealizedPnl, 0).div(Decimal.max(p.margin, 1)).mul(at.maintenanceMargin).div(at.equity);
    return { name, p, at, pnlPercent, effective, bybitScore, binanceScore };
  });
  const byScore = (key: 'bybitScore' | 'binanceScore') => [...scored].sort((a, b) => b[key].cmp(a[key])).map((s) => s.name);
  const engineBybit = order(bybit);
  const engineBinance = order(binance);
  if (byScore('bybitScore').join() !== engineBybit.join()) throw new Error(`ADL order: scores ${byScore('bybitScore')} ≠ engine ${engineBybit}`);
  if (byScore('binanceScore').join() !== engineBinance.join()) throw new Error(`ADL order: scores ${byScore('binanceScore')} ≠ engine ${engineBinance}`);
  // How much of each short the engine closed: the bankrupt quantity, best-ranked first.
  let left = long.quantity;
  const closed = new Map<string, Decimal>();
  for (const name of engineBybit) {
    const s = must(scored.find((x) => x.name === name), name);
    const take = Decimal.min(left, s.p.quantity);
    closed.set(name, take);
    left = left.sub(take);
  }
  if (!left.isZero() || !bybit.adlQuantity.eq(long.quantity)) throw new Error('ADL example: the bankrupt long was not deleveraged whole');
  const rows = scored.map((s) => {
    const q = closed.get(s.name) ?? ZERO;
    return {
      name: s.name,
      entry: price(s.p.entryPrice, 0),
      size: btc(s.p.quantity, 1),
      leverage: times(s.p.quantity.mul(s.p.entryPrice).div(s.p.margin), 0),
      pnl: price(s.at.unrealizedPnl, 0),
      pnlPercent: pct(s.pnlPercent, 2),
      effective: times(s.effective, 2),
      bybit: trimZeros(formatDecimal(s.bybitScore, 3)),
      binance: trimZeros(formatDecimal(s.binanceScore, 4)),
      closed: btc(q, 1),
      /** What the closed part would have been worth at the market mark instead of the bankruptcy price. */
      forgone: usdt(q.mul(bp.sub(mark)), 0),
    };
  });
  const nobody = simulateCascade(population, book, { markPrice: mark }, { autoDeleveraging: false, liquidationFeeRate: LIQUIDATION_FEE_RATE, insuranceFund: 0 });
  return {
    mark: price(D(mark), 0),
    bankruptcy: price(bp, 0),
    longSize: btc(long.quantity, 0),
    longLeverage: times(long.quantity.mul(long.entryPrice).div(long.margin), 0),
    order: engineBybit.join(', '),
    binanceOrder: engineBinance.join(', '),
    sameOrder: engineBybit.join() === engineBinance.join(),
    rows,
    adlNotional: usdt(bybit.adlNotional, 0),
    counterpartyPnl: usdt(bybit.ledger.adlCounterpartyPnl, 0),
    withoutAdl: { final: price(nobody.finalPrice, 0), badDebt: usdt(nobody.badDebt.neg(), 0) },
  };
}

/** The market after a large shock, with insurance funds of several sizes (shares of open interest), with and without ADL. */
export function fundScenarios(shock = '10', shares: readonly string[] = ['0', '0.02', '0.1']) {
  const oi = marketOpenInterest().notional;
  return shares.map((share) => {
    const fund = oi.mul(share).toDecimalPlaces(0, Decimal.ROUND_DOWN);
    const on = marketCascade(shock, { insuranceFund: fund });
    const off = marketCascade(shock, { insuranceFund: fund, autoDeleveraging: false });
    return { share: pct(D(share), 0), fund: money(fund), on: cascadeReading(on), off: cascadeReading(off), onResult: on, offResult: off };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Lesson: capital efficiency versus systemic stability
// ---------------------------------------------------------------------------------------------------------

/**
 * The seeded market's traders under a leverage cap: every position keeps its side, entry and size, and one that
 * was opened above `cap` must post the margin `cap` asks for, its balance scaled by its leverage ÷ cap (for a cross
 * account the free balance scales with it, so it stays the same multiple of the initial margin). The same traders,
 * the same notional, more collateral: only the cap changes between the rows of the lesson's table.
 */
export function cappedMarket(cap: number): { population: Population; notional: Decimal; collateral: Decimal } {
  const base = marketPopulation().toJSON() as { positions: { side: 'long' | 'short'; marginMode: 'isolated' | 'cross'; entryPrice: string; quantity: string; balance: string; maintenanceMarginRate: string; leverage: string | null }[] };
  let notional = ZERO;
  let collateral = ZERO;
  const inputs: PopulationPositionInput[] = base.positions.map((p) => {
    const leverage = D(must(p.leverage, 'leverage'));
    const balance = leverage.gt(cap) ? D(p.balance).mul(leverage).div(cap) : D(p.balance);
    notional = notional.add(D(p.quantity).mul(p.entryPrice));
    collateral = collateral.add(balance);
    const common = { contract: 'linear' as const, side: p.side, entryPrice: p.entryPrice, quantity: p.quantity, maintenanceMarginRate: p.maintenanceMarginRate };
    return p.marginMode === 'cross' ? { ...common, marginMode: 'cross' as const, walletBalance: balance } : { ...common, margin: balance };
  });
  return { population: populationFrom(inputs, { priceUnit: TICK }), notional, collateral };
}

/** The same market with the venue's maximum leverage capped, one row per cap, the same shock and book. */
export function leverageCaps(caps: readonly number[] = [5, 10, 20, 50, 100], shock = '3') {
  return caps.map((cap) => {
    const { population, notional, collateral } = cappedMarket(cap);
    const result = marketCascade(shock, {}, marketBook(), population);
    const efficiency = notional.div(collateral);
    return { ...cascadeReading(result), cap: `${cap}×`, capValue: cap, efficiency: times(efficiency, 2), efficiencyValue: efficiency, collateral: money(collateral), openNotional: money(notional), result };
  });
}

// ---------------------------------------------------------------------------------------------------------
// The cascade simulator's own figure
// ---------------------------------------------------------------------------------------------------------

/**
 * The cascade simulator's result for its default state with `overrides` (as a link or a lesson's `initial`
 * would set them, parsed and clamped by the widget's own state codec), computed with the widget's model: the
 * figure the reader sees when the widget opens, before pressing play.
 */
export function simulatorReading(overrides: Partial<Record<keyof CascadeState, string>> = {}) {
  const { state, notes } = readCascadeState(new URLSearchParams(overrides as Record<string, string>));
  if (notes.length > 0) throw new Error(`simulator preset: ${notes.join(' ')}`);
  const result = runCascade(buildPopulation(state), buildBook(state), state);
  return {
    state,
    /** The simulator's own page in this state (it reads its state from the address). */
    link: `/widgets/cascade-simulator/?${writeCascadeState(state)}`,
    ...cascadeReading(result),
    result,
    positionCount: count(Number(state.n)),
    longShare: `${state.long}\u202f%`,
    depthBtc: btc(D(state.depth), 1),
    bookName: state.book === 'sqrt' ? 'square-root' : 'flat',
    /** The leverage range of the state's mix, "10× to 100×". */
    mixRange: (() => {
      const levs = SIMULATOR_MIXES[state.mix].mix.map((m) => Number(m.leverage));
      return `${Math.min(...levs)}× to ${Math.max(...levs)}×`;
    })(),
    throughput: btc(D(state.tp), 1),
    fundStart: money(D(state.fund)),
    longLiquidated: btc(result.liquidatedLongQuantity, 1),
    shortLiquidated: btc(result.liquidatedShortQuantity, 1),
  };
}

/** Two shocks in the market, side by side: how much further the larger one ends, as a ratio of the total falls. */
export function shockComparison(small = '1', large = '3') {
  const a = marketCascade(small);
  const b = marketCascade(large);
  return { small: cascadeReading(a), large: cascadeReading(b), shockRatio: trimZeros(D(large).div(small).toFixed(1)), fallRatio: trimZeros(formatDecimal(b.totalMove.div(a.totalMove), 1)) };
}

/**
 * The caps table's headline comparison: how much capital efficiency a higher cap adds, against how much further
 * the same shock then carries the price.
 */
export function capTradeOff(rows: ReturnType<typeof leverageCaps>, low = 20, high = 100) {
  const a = must(rows.find((r) => r.capValue === low), `${low}× row`);
  const b = must(rows.find((r) => r.capValue === high), `${high}× row`);
  const gain = b.efficiencyValue.div(a.efficiencyValue).sub(1);
  const lowest = must(rows[0], 'lowest cap');
  const top = must(rows[rows.length - 1], 'highest cap');
  return {
    low: `${low}×`,
    high: `${high}×`,
    /** How many times less margin a trader at the high cap posts than at the low one. */
    marginCut: trimZeros(D(high).div(low).toFixed(2)),
    /** Share of the exposure per unit of collateral that the lowest cap takes away, against the highest. */
    lowestLoss: pct(ONE.sub(lowest.efficiencyValue.div(top.efficiencyValue)), 0),
    lowestCap: lowest.cap,
    highestCap: top.cap,
    gain: pct(gain, 1),
    /** For the predict box: the gain in percent, one decimal. */
    gainAnswer: plain(gain.mul(100), 1),
    lowFall: a.fall,
    highFall: b.fall,
    fallRatio: trimZeros(formatDecimal(b.result.totalMove.div(a.result.totalMove), 1)),
  };
}

/** The stability frontier's own reading at its default state (its first figure), from the widget's model. */
export function frontierReading(overrides: Partial<FrontierState> = {}) {
  const state = defaultFrontierState(overrides);
  const built = buildFrontier(state);
  if (!built.ok) throw new Error(`stability frontier: ${built.message}`);
  const view = frontierView(built.frontier, state);
  const grid = built.frontier.lines.medium.map((p) => p.leverage);
  return {
    state,
    gridFrom: `${must(grid[0], 'grid')}×`,
    gridTo: `${must(grid[grid.length - 1], 'grid')}×`,
    wantedMax: `${Math.max(...WANTED_LEVERAGE.map((w) => Number(w.leverage)))}×`,
    verdict: view.verdict,
    positions: count(built.frontier.count),
    openInterest: money(built.frontier.openInterest),
    shock: pct(built.frontier.shock, 1),
    leverage: `${state.lev}×`,
    fall: pct(view.point.move, 1),
    lowerLeverage: view.lower ? `${view.lower.leverage}×` : null,
    lowerFall: view.lower ? pct(view.lower.move, 1) : null,
  };
}

/** The initial margin the engine asks for a position of `notional` USDT at each leverage (linear long at 60,000). */
export function initialMargins(notional = '60000', leverages: readonly number[] = [10, 100]) {
  return leverages.map((leverage) => {
    const p = openPosition({ contract: 'linear', side: 'long', entryPrice: PRICE, quantity: D(notional).div(PRICE), leverage, maintenanceMarginRate: '0.004' });
    return { leverage: `${leverage}×`, margin: usdt(positionMetrics(p, PRICE).initialMargin, 0) };
  });
}

// ---------------------------------------------------------------------------------------------------------
// Lesson: case studies (illustrative simulator settings, not replays)
// ---------------------------------------------------------------------------------------------------------

/**
 * Simulator settings that echo each event's shape: who was leveraged, how thin the book was, how big the fund.
 * They are chosen to illustrate a mechanism, not fitted to the event; the lesson labels them so.
 */
export const CASE_PRESETS = {
  /** A gap of 10 % into a thin book, a market three-quarters long, a small fund. */
  march2020: { move: '-10', long: '75', depth: '3', fund: '50000' },
  /** The same market with the liquidation engine limited to 5 BTC a round. */
  march2020Throttled: { move: '-10', long: '75', depth: '3', fund: '50000', tp: '5' },
  /** A long-heavy market, an 8 % fall, a fund large enough that nobody is deleveraged. */
  may2021: { move: '-8', long: '70', depth: '6', fund: '2000000' },
  /** Crowded, aggressive longs, a book thinned by market makers stepping back, a small fund: a 3 % shock. */
  october2025: { move: '-3', long: '85', mix: 'aggressive', depth: '2', fund: '100000' },
} as const satisfies Record<string, Partial<Record<keyof CascadeState, string>>>;

export function caseScenarios() {
  return {
    march2020: simulatorReading(CASE_PRESETS.march2020),
    march2020Throttled: simulatorReading(CASE_PRESETS.march2020Throttled),
    may2021: simulatorReading(CASE_PRESETS.may2021),
    october2025: simulatorReading(CASE_PRESETS.october2025),
  };
}
