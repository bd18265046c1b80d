/**
 * The one illustrative market both spiral widgets (liquidation map, stability frontier) set up: a linear
 * BTCUSDT-like perpetual at 60,000 USDT with a seeded population of leveraged traders and an order book of a
 * chosen depth. Kept in one place so the two widgets, and the lessons that quote them, describe the same
 * venue: the same maintenance rate, liquidation fee, insurance fund rule and book.
 *
 * Depth is given the way desks quote it: the USDT the bids absorb before the price has fallen 1 %. A flat
 * book spreads that evenly over the 60 ticks of 10 USDT in 1 % (linear impact); a square-root book puts the
 * same amount within 1 % but thinner near the price and thicker beyond (cumulative depth ∝ distance², the
 * square-root impact law).
 */
import {
  Decimal,
  EngineInputError,
  createPopulation,
  flatBook,
  liquidationMap,
  sqrtBook,
  type Book,
  type CascadeOptions,
  type LeverageShare,
  type Population,
} from '../../engine';

export const PRICE = new Decimal(60000);
export const TICK = new Decimal(10);
export const LOT = '0.001';
/** Binance's first BTCUSDT bracket; one rate for every position, so leverage alone sets how close liquidation is. */
export const MAINTENANCE_RATE = '0.004';
/** Charged on the notional at the fill and paid into the insurance fund, as at Binance and Bybit. */
export const LIQUIDATION_FEE_RATE = '0.005';
/** The fund the venue starts with, as a share of open interest (Binance's fund has run at a few percent of it). */
export const FUND_SHARE = new Decimal('0.02');
/**
 * Levels per side: 4,000 ticks of 10 reach 40,000 USDT from the mid, so the book stays above zero for any
 * mark the widgets allow (42,000 and up) and is deep enough that only a very thin book can be eaten whole.
 */
export const BOOK_LEVELS = 4000;
/** Ticks in a 1 % move at the reference price: the span over which a depth figure is quoted. */
const TICKS_PER_PERCENT = PRICE.div(100).div(TICK);

export type BookShape = 'flat' | 'sqrt';

/**
 * A book around `mid` holding `depthPerPercent` USDT of bids (and of asks) within 1 % of 60,000. Quantities are
 * rounded up to the book's grid (0.0001 BTC a tick, 0.000001 for the square-root book's first level), so any
 * positive depth gives a market; zero depth goes to the engine, which refuses it with its own words.
 */
export function makeBook(shape: BookShape, depthPerPercent: Decimal, mid: Decimal = PRICE): Book {
  const base = depthPerPercent.div(PRICE);
  if (shape === 'flat') {
    return flatBook({ mid, tick: TICK, quantityPerTick: base.div(TICKS_PER_PERCENT).toDecimalPlaces(4, Decimal.ROUND_UP), levels: BOOK_LEVELS });
  }
  return sqrtBook({
    mid,
    tick: TICK,
    firstLevelQuantity: base.div(TICKS_PER_PERCENT.pow(2)).toDecimalPlaces(6, Decimal.ROUND_UP),
    levels: BOOK_LEVELS,
  });
}

/** Traders' leverage mixes the widgets offer. Weights need not sum to 1. */
export const LEVERAGE_MIXES = {
  low: [
    { leverage: 2, weight: '0.3' },
    { leverage: 3, weight: '0.3' },
    { leverage: 5, weight: '0.25' },
    { leverage: 10, weight: '0.15' },
  ],
  // The engine's default mix: most positions at 5–20×, a tail at 50× and 100×.
  mixed: [
    { leverage: 2, weight: '0.1' },
    { leverage: 5, weight: '0.25' },
    { leverage: 10, weight: '0.3' },
    { leverage: 20, weight: '0.2' },
    { leverage: 50, weight: '0.1' },
    { leverage: 100, weight: '0.05' },
  ],
  high: [
    { leverage: 10, weight: '0.2' },
    { leverage: 20, weight: '0.25' },
    { leverage: 50, weight: '0.3' },
    { leverage: 100, weight: '0.25' },
  ],
} as const satisfies Record<string, readonly LeverageShare[]>;
export type MixId = keyof typeof LEVERAGE_MIXES;
export const MIX_IDS = Object.keys(LEVERAGE_MIXES) as [MixId, ...MixId[]];
export const MIX_LABELS: Record<MixId, string> = {
  low: 'Cautious (2–10×)',
  mixed: 'Mixed (2–100×)',
  high: 'Aggressive (10–100×)',
};

export interface PopulationInput {
  count: number;
  /** Share of positions that are long, 0 … 1. */
  longShare: Decimal;
  mix: readonly LeverageShare[];
  seed: number;
  /** The venue's maximum leverage: traders who want more open at it (the same traders as without it). */
  maxLeverage?: number;
}

/** A seeded population around 60,000 with the engine's defaults for sizes, entry spread and cross accounts. */
export function makePopulation({ count, longShare, mix, seed, maxLeverage }: PopulationInput): Population {
  const cap = maxLeverage === undefined ? {} : { maxLeverage };
  return createPopulation({ count, price: PRICE, tick: TICK, lot: LOT, longShare, leverageMix: mix, maintenanceMarginRate: MAINTENANCE_RATE, ...cap }, seed);
}

/**
 * Open interest as the widgets quote it: every position's quantity, long and short, at 60,000. Read with the
 * engine's liquidation map as one bucket spanning every liquidation price the population can have (a linear
 * long above 1× and every short has one), so no position is counted by hand.
 */
export function openInterest(population: Population): { longQuantity: Decimal; shortQuantity: Decimal; notional: Decimal } {
  const [all] = liquidationMap(population, { from: 1, to: 100_000_000, step: 99_999_999 });
  if (!all) throw new Error('internal: a one-bucket map has one bucket');
  return { longQuantity: all.longQuantity, shortQuantity: all.shortQuantity, notional: all.longQuantity.add(all.shortQuantity).mul(PRICE) };
}

/** The insurance fund the venue starts with: 2 % of open interest, in whole USDT. */
export function insuranceFundFor(openInterestNotional: Decimal): Decimal {
  return openInterestNotional.mul(FUND_SHARE).toDecimalPlaces(0, Decimal.ROUND_DOWN);
}

/** The cascade options both widgets use: fee into the fund, ADL behind it, no refill between rounds. */
export function cascadeOptions(openInterestNotional: Decimal, autoDeleveraging = true): CascadeOptions {
  return { liquidationFeeRate: LIQUIDATION_FEE_RATE, insuranceFund: insuranceFundFor(openInterestNotional), autoDeleveraging };
}

/** Reader-facing names of the engine's fields, for its messages. */
const FIELD_NAMES: Record<string, string> = {
  count: 'Positions',
  quantityPerTick: 'Depth',
  firstLevelQuantity: 'Depth',
  longShare: 'Long share',
  seed: 'Seed',
};

/** An engine refusal as one sentence for the reader: which setting, and the engine's own reason ("Depth must be …"). */
export function refusal(error: EngineInputError): { field: string; message: string } {
  const name = FIELD_NAMES[error.field] ?? error.field;
  return { field: error.field, message: `${name} ${error.rule.replace(/\.$/, '')}.` };
}
