/**
 * The position explorer's state: what a link can set, its defaults and limits, and the cross-field rules
 * (leverage must stay below 1 ÷ maintenance rate; the mark stays on the chart). The same specs parse a
 * lesson's initial state, a Share link and an /embed/ URL, and generate the docs table.
 */
import { Decimal } from '../../engine';
import { decimalParam, encodeParams, enumParam, parseParams, type ParamSpec } from '../shared/params';

export type Contract = 'linear' | 'inverse';
export type Side = 'long' | 'short';
export type Basis = 'margin' | 'size';

export interface ExplorerState {
  contract: Contract;
  side: Side;
  /** Entry price, quote units (USDT for linear, USD for inverse). */
  entry: string;
  /** Leverage chosen at open, e.g. "10". */
  lev: string;
  /** Whether the reader sets the margin to post or the size to hold. */
  basis: Basis;
  /** Margin in the margin currency: USDT (linear) or BTC (inverse). */
  margin: string;
  /** Size: BTC (linear) or contracts of 100 USD (inverse). */
  size: string;
  /** Maintenance margin rate in percent: "0.4" is 0.4 %. */
  mmr: string;
  /** Mark price. */
  mark: string;
}

/** Venues' highest offered leverage on BTC perpetuals (Binance USDⓈ-M BTCUSDT, first bracket). */
export const VENUE_MAX_LEVERAGE = 125;
export const INVERSE_CONTRACT_SIZE = '100';

export const MARKET = {
  linear: { symbol: 'BTCUSDT', base: 'BTC', quote: 'USDT', marginCurrency: 'USDT', sizeUnit: 'BTC', marginDecimals: 2, sizeDecimals: 4 },
  inverse: { symbol: 'BTCUSD', base: 'BTC', quote: 'USD', marginCurrency: 'BTC', sizeUnit: 'contracts', marginDecimals: 6, sizeDecimals: 2 },
} as const;

const isInverse = (parsed: Record<string, string>) => parsed['contract'] === 'inverse';

/**
 * Highest leverage the maintenance rate allows, in whole steps: a position opens only if its margin
 * (notional ÷ leverage) exceeds its maintenance margin (notional × rate), i.e. leverage < 1 ÷ rate.
 */
export function maxLeverageFor(mmrPercent: string): Decimal {
  const rate = new Decimal(mmrPercent).div(100);
  if (rate.isZero()) return new Decimal(VENUE_MAX_LEVERAGE);
  const ceiling = new Decimal(1).div(rate).ceil().sub(1);
  return Decimal.max(1, Decimal.min(VENUE_MAX_LEVERAGE, ceiling));
}

export const explorerParams: readonly ParamSpec[] = [
  enumParam('contract', 'Contract', ['linear', 'inverse'], 'linear'),
  enumParam('side', 'Side', ['long', 'short'], 'long'),
  decimalParam('entry', 'Entry price', {
    min: () => '1',
    max: () => '10000000',
    fallback: () => '60000',
    allowed: '1 to 10,000,000 (quote currency)',
    decimals: 2,
  }),
  decimalParam('mmr', 'Maintenance margin rate', {
    min: () => '0',
    max: () => '50',
    fallback: () => '0.4',
    allowed: '0 to 50 (percent)',
    decimals: 3,
    unit: () => ' %',
  }),
  decimalParam('lev', 'Leverage', {
    min: () => '1',
    max: (parsed) => maxLeverageFor(parsed['mmr'] ?? '0.4').toString(),
    fallback: () => '10',
    allowed: `whole numbers 1 to ${VENUE_MAX_LEVERAGE}, and below 100 ÷ mmr`,
    // Whole steps, as Binance offers them; a link's 12.5 rounds to 12 (half to even).
    decimals: 0,
    unit: () => '×',
  }),
  enumParam('basis', 'Sizing', ['margin', 'size'], 'margin'),
  decimalParam('margin', 'Margin', {
    min: (p) => (isInverse(p) ? '0.0001' : '1'),
    max: (p) => (isInverse(p) ? '10000' : '1000000000'),
    fallback: (p) => (isInverse(p) ? '0.02' : '1000'),
    allowed: 'linear: 1 to 10⁹ USDT; inverse: 0.0001 to 10,000 BTC',
    decimals: 8,
    unit: (p) => ` ${MARKET[isInverse(p) ? 'inverse' : 'linear'].marginCurrency}`,
  }),
  decimalParam('size', 'Size', {
    min: (p) => (isInverse(p) ? '1' : '0.0001'),
    max: (p) => (isInverse(p) ? '100000000' : '100000'),
    fallback: (p) => (isInverse(p) ? '100' : '0.1'),
    allowed: 'linear: 0.0001 to 100,000 BTC; inverse: 1 to 10⁸ contracts',
    decimals: 8,
    unit: (p) => ` ${MARKET[isInverse(p) ? 'inverse' : 'linear'].sizeUnit}`,
  }),
  decimalParam('mark', 'Mark price', {
    min: () => '0.01',
    max: () => '100000000',
    fallback: (p) => p['entry'] ?? '60000',
    allowed: 'a price on the chart (rounded to the slider step); defaults to the entry price',
    decimals: 2,
  }),
];

/** What each parameter means, for the docs table (the spec list holds the rules). */
export const explorerParamMeaning: Record<string, string> = {
  contract: 'Linear (USDⓈ-margined BTCUSDT) or inverse (coin-margined BTCUSD, 100 USD contracts)',
  side: 'Long (gains when the price rises) or short',
  entry: 'Entry price',
  mmr: 'Maintenance margin rate, in percent',
  lev: 'Leverage chosen at open',
  basis: 'Whether margin or size sets the position; the other follows from leverage',
  margin: 'Isolated margin posted (when basis=margin)',
  size: 'Position size (when basis=size)',
  mark: 'Mark price the widget opens at',
};

export function defaultExplorerState(overrides: Partial<ExplorerState> = {}): ExplorerState {
  const { values } = parseParams(explorerParams, new URLSearchParams(overrides as Record<string, string>));
  return values as unknown as ExplorerState;
}

export function readExplorerState(search: string | URLSearchParams): { state: ExplorerState; notes: string[] } {
  const { values, notes } = parseParams(explorerParams, search);
  return { state: values as unknown as ExplorerState, notes };
}

/** The link query for a state; only the sizing value in use is written. */
export function writeExplorerState(state: ExplorerState): string {
  return encodeParams(explorerParams, state as unknown as Record<string, string>, [state.basis === 'margin' ? 'size' : 'margin']);
}
