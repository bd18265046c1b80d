/**
 * From the liquidation map's state to what the reader sees, in two steps that change at different rates:
 *  - the *market* (population, its liquidation map, open interest, the biggest clusters) changes only when the
 *    reader changes the population: size, leverage mix, long share or seed;
 *  - the *reading* (the cascade set off by moving the mark to the dragged price, through a book of the chosen
 *    depth) changes on every step of the price line, and costs one simulateCascade.
 * The static map answers "how much is liquidated if the price gets to P"; the reading answers "where does the
 * price end once those liquidations sell into the book", which the map cannot show.
 */
import {
  Decimal,
  EngineInputError,
  liquidationMap,
  simulateCascade,
  type CascadeResult,
  type LiquidationMapBucket,
  type Population,
} from '../../engine';
import { formatDecimal, formatPercent } from '../../lib/format';
import { LEVERAGE_MIXES, PRICE, cascadeOptions, insuranceFundFor, makeBook, makePopulation, openInterest, refusal, type BookShape } from './market';
import { MAP_FROM, MAP_STEP, MAP_TO, type MapState } from './state';

export type Failure = { ok: false; field: string; message: string };

export interface Cluster {
  side: 'long' | 'short';
  from: Decimal;
  to: Decimal;
  notional: Decimal;
  positions: number;
  /** Signed move from 60,000 to the band's edge nearest the price, as a fraction. */
  move: Decimal;
}

export interface MapMarket {
  population: Population;
  buckets: LiquidationMapBucket[];
  openInterest: Decimal;
  /** The insurance fund the venue starts with (2 % of open interest). */
  fund: Decimal;
  /** Within the map's window. */
  longNotional: Decimal;
  shortNotional: Decimal;
  longPositions: number;
  shortPositions: number;
  clusters: Cluster[];
  chart: {
    longColumns: { x0: number; x1: number; value: number }[];
    shortColumns: { x0: number; x1: number; value: number }[];
    /** Notional liquidated if the price reached x: longs from 60,000 down, shorts from 60,000 up. */
    longCumulative: [number, number][];
    shortCumulative: [number, number][];
    columnMax: number;
    cumulativeMax: number;
  };
}

const CLUSTERS = 5;

/** "3.47 million USDT" or "744,734 USDT": whole units, millions where the digits would blur. */
export function usdt(value: Decimal): string {
  const abs = value.abs();
  if (abs.gte(1_000_000)) return `${formatDecimal(value.div(1_000_000), 2)} million USDT`;
  return `${formatDecimal(value, 0)} USDT`;
}

export const priceText = (price: Decimal) => formatDecimal(price, 0);

/** Population, map and clusters: recomputed only when the population's settings change. */
export function buildMarket(state: Pick<MapState, 'n' | 'mix' | 'long' | 'seed'>): { ok: true; market: MapMarket } | Failure {
  let population: Population;
  try {
    population = makePopulation({
      count: Number(state.n),
      longShare: new Decimal(state.long).div(100),
      mix: LEVERAGE_MIXES[state.mix],
      seed: Number(state.seed),
    });
  } catch (error) {
    if (error instanceof EngineInputError) return { ok: false, ...refusal(error) };
    throw error;
  }
  const buckets = liquidationMap(population, { from: MAP_FROM, to: MAP_TO, step: MAP_STEP });
  const oi = openInterest(population).notional;
  let longNotional = new Decimal(0);
  let shortNotional = new Decimal(0);
  let longPositions = 0;
  let shortPositions = 0;
  const candidates: Cluster[] = [];
  for (const b of buckets) {
    longNotional = longNotional.add(b.longNotional);
    shortNotional = shortNotional.add(b.shortNotional);
    longPositions += b.longPositions;
    shortPositions += b.shortPositions;
    if (b.longPositions > 0) candidates.push({ side: 'long', from: b.from, to: b.to, notional: b.longNotional, positions: b.longPositions, move: b.to.sub(PRICE).div(PRICE) });
    if (b.shortPositions > 0) candidates.push({ side: 'short', from: b.from, to: b.to, notional: b.shortNotional, positions: b.shortPositions, move: b.from.sub(PRICE).div(PRICE) });
  }
  const clusters = candidates.sort((a, b) => b.notional.cmp(a.notional) || a.from.cmp(b.from)).slice(0, CLUSTERS);

  // Columns and cumulative curves, as plain numbers for the chart (the text reads the Decimals above).
  const longColumns = buckets.filter((b) => b.to.lte(PRICE)).map((b) => ({ x0: b.from.toNumber(), x1: b.to.toNumber(), value: b.longNotional.toNumber() }));
  const shortColumns = buckets.filter((b) => b.from.gte(PRICE)).map((b) => ({ x0: b.from.toNumber(), x1: b.to.toNumber(), value: b.shortNotional.toNumber() }));
  const longCumulative: [number, number][] = [[PRICE.toNumber(), 0]];
  let running = new Decimal(0);
  for (const b of [...buckets].reverse()) {
    if (b.to.gt(PRICE)) continue;
    running = running.add(b.longNotional);
    longCumulative.push([b.from.toNumber(), running.toNumber()]);
  }
  const shortCumulative: [number, number][] = [[PRICE.toNumber(), 0]];
  running = new Decimal(0);
  for (const b of buckets) {
    if (b.from.lt(PRICE)) continue;
    running = running.add(b.shortNotional);
    shortCumulative.push([b.to.toNumber(), running.toNumber()]);
  }
  const columnMax = Math.max(1, ...longColumns.map((c) => c.value), ...shortColumns.map((c) => c.value));
  const cumulativeMax = Math.max(1, longNotional.toNumber(), shortNotional.toNumber());
  return {
    ok: true,
    market: {
      population,
      buckets,
      openInterest: oi,
      fund: insuranceFundFor(oi),
      longNotional,
      shortNotional,
      longPositions,
      shortPositions,
      clusters,
      chart: { longColumns, shortColumns, longCumulative, shortCumulative, columnMax, cumulativeMax },
    },
  };
}

export interface MapReading {
  price: Decimal;
  direction: 'down' | 'up' | 'none';
  /** What the static map shows between 60,000 and the dragged price (the side the move reaches). */
  mapQuantity: Decimal;
  mapNotional: Decimal;
  mapPositions: number;
  cascade: CascadeResult;
  finalPrice: Decimal;
  /** Signed moves from 60,000, as fractions. */
  shockMove: Decimal;
  finalMove: Decimal;
  /** The cascade's liquidations ÷ what the map shows up to the dragged price; null when the map shows none. */
  ratio: Decimal | null;
  /** One sentence: what the map says and where the price ends. */
  sentence: string;
  /** What stopped the cascade, when it was not a quiet end (book exhausted, round cap), and ADL, in words. */
  aside: string | null;
}

/** The cascade set off by moving the mark to the dragged price: one engine call per price step. */
export function readCascade(market: MapMarket, state: Pick<MapState, 'p' | 'depth' | 'book'>): { ok: true; reading: MapReading } | Failure {
  const price = new Decimal(state.p);
  let cascade: CascadeResult;
  try {
    const book = makeBook(state.book as BookShape, new Decimal(state.depth));
    cascade = simulateCascade(market.population, book, { markPrice: price }, cascadeOptions(market.openInterest));
  } catch (error) {
    if (error instanceof EngineInputError) return { ok: false, ...refusal(error) };
    throw error;
  }
  const direction = price.lt(PRICE) ? 'down' : price.gt(PRICE) ? 'up' : 'none';
  let mapQuantity = new Decimal(0);
  let mapNotional = new Decimal(0);
  let mapPositions = 0;
  if (direction !== 'none') {
    // The map's own answer for exactly the span from 60,000 to the dragged price: one bucket.
    const [low, high] = direction === 'down' ? [price, PRICE] : [PRICE, price];
    const [span] = liquidationMap(market.population, { from: low, to: high, step: high.sub(low) });
    if (span) {
      mapQuantity = direction === 'down' ? span.longQuantity : span.shortQuantity;
      mapNotional = direction === 'down' ? span.longNotional : span.shortNotional;
      mapPositions = direction === 'down' ? span.longPositions : span.shortPositions;
    }
  }
  const finalPrice = cascade.finalPrice;
  const ratio = mapNotional.gt(0) ? cascade.totalLiquidatedNotional.div(mapNotional) : null;
  const here = priceText(PRICE);
  const there = priceText(price);
  const end = priceText(finalPrice);
  const side = direction === 'down' ? 'longs' : 'shorts';
  const trade = direction === 'down' ? 'selling' : 'buying';
  let sentence: string;
  if (direction === 'none') {
    sentence = `At ${here} nothing has moved: drag the price line down into the longs or up into the shorts to see where a move ends.`;
  } else if (cascade.positionsLiquidated === 0) {
    sentence = `The map shows no ${side} between ${here} and ${there}, so nothing is liquidated and the price stays at ${there}.`;
  } else {
    const said = `The map says ${usdt(mapNotional)} of ${side} sit between ${here} and ${there}`;
    const all = usdt(cascade.totalLiquidatedNotional);
    const times = ratio !== null && ratio.gte('1.05') ? `, ${formatDecimal(ratio, 1)} times what the map shows up to ${there}` : '';
    sentence = finalPrice.eq(price)
      ? `${said}; the book absorbs the ${trade} they cause without a further tick, and the price stays at ${there}, with ${all} liquidated.`
      : `${said}; the ${trade} they cause carries the price on to ${end}, liquidating ${all} in all${times}.`;
  }
  const asides: string[] = [];
  if (cascade.stopReason === 'book-exhausted') {
    asides.push(`It stopped only because it ate every ${direction === 'up' ? 'ask' : 'bid'} in the book, with ${cascade.backlogPositions.toLocaleString('en-US')} positions still waiting to be closed.`);
  } else if (cascade.stopReason === 'round-cap') {
    asides.push(`It was still going after ${cascade.roundCount.toLocaleString('en-US')} rounds, the simulator's cap.`);
  }
  if (cascade.adlQuantity.gt(0)) {
    asides.push(
      `The insurance fund ran dry: ${usdt(cascade.adlNotional)} of bankrupt ${direction === 'up' ? 'shorts' : 'longs'} were closed against the most profitable ${direction === 'up' ? 'longs' : 'shorts'} (auto-deleveraging) instead of trading in the book.`,
    );
  }
  return {
    ok: true,
    reading: {
      price,
      direction,
      mapQuantity,
      mapNotional,
      mapPositions,
      cascade,
      finalPrice,
      shockMove: price.sub(PRICE).div(PRICE),
      finalMove: finalPrice.sub(PRICE).div(PRICE),
      ratio,
      sentence,
      aside: asides.length > 0 ? asides.join(' ') : null,
    },
  };
}

/** The sentence about the map itself (population and the biggest cluster), the first half of the text equivalent. */
export function marketSentence(market: MapMarket, state: Pick<MapState, 'n' | 'seed'>): string {
  const count = Number(state.n).toLocaleString('en-US');
  const biggest = market.clusters[0];
  const cluster = biggest
    ? ` The biggest cluster: ${biggest.side}s liquidated between ${priceText(biggest.from)} and ${priceText(biggest.to)} (${usdt(biggest.notional)}, ${formatPercent(biggest.move.abs(), 0)} ${biggest.move.lt(0) ? 'below' : 'above'} the price).`
    : ' No position is liquidated within 30 % of the price.';
  return (
    `${count} positions (seed ${state.seed}) around ${priceText(PRICE)} USDT, open interest ${usdt(market.openInterest)}: ` +
    `${usdt(market.longNotional)} of longs are liquidated below the price and ${usdt(market.shortNotional)} of shorts above it, between ${priceText(new Decimal(MAP_FROM))} and ${priceText(new Decimal(MAP_TO))}.${cluster}`
  );
}

export interface MapView {
  market: MapMarket;
  reading: MapReading;
  summary: string;
}

/** Both steps at once, for tests and lesson prose: the widget's figure for a state, or the engine's refusal. */
export function mapView(state: MapState): { ok: true; view: MapView } | Failure {
  const built = buildMarket(state);
  if (!built.ok) return built;
  const read = readCascade(built.market, state);
  if (!read.ok) return read;
  return { ok: true, view: { market: built.market, reading: read.reading, summary: `${marketSentence(built.market, state)} ${read.reading.sentence}` } };
}

