/**
 * Cross vs isolated: what a link can set (both sides, the leverage, the cross wallet, both marks), the
 * defaults and limits.
 * The two markets are fixed so that the lesson is the margin mode, not the setup: a BTCUSDT and an
 * ETHUSDT linear perpetual, each opened with 1,000 USDT of margin. The same specs parse a lesson's
 * initial state, a Share link and an /embed/ URL, and generate the docs table. Marks are clamped to their
 * slider windows in the component (model.ts knows the windows), with a note.
 */
import { decimalParam, encodeParams, enumParam, parseParams, type ParamSpec } from '../shared/params';

export type Side = 'long' | 'short';

export interface CrossState {
  /** BTCUSDT side. */
  bs: Side;
  /** ETHUSDT side. */
  es: Side;
  /** Leverage of both positions, whole steps. */
  lev: string;
  /** The cross account's wallet balance, USDT: both margins (2,000) by default; more sits idle in isolated mode. */
  wallet: string;
  /** BTCUSDT mark price, USDT. */
  bm: string;
  /** ETHUSDT mark price, USDT. */
  em: string;
}

/**
 * The two markets. Maintenance rates are the first bracket of Binance's USDⓈ-M tables dated 2025-08-19
 * (content/venues/binance-usdm-btcusdt-2025-08-19.yaml and …-ethusdt-…: 0.4 % up to 300,000 USDT of
 * notional, maintenance amount 0). At 1,000 USDT margin and at most 125× a position's notional is at most
 * 125,000 USDT, so it never leaves that bracket.
 */
export const MARKETS = {
  btc: { symbol: 'BTCUSDT', base: 'BTC', entry: '60000', mmr: '0.004', sizeDecimals: 4 },
  eth: { symbol: 'ETHUSDT', base: 'ETH', entry: '3000', mmr: '0.004', sizeDecimals: 3 },
} as const;
export type MarketKey = keyof typeof MARKETS;

/** Margin each position is opened with; in isolated mode it is the position's own, in cross the wallet holds both. */
export const MARGIN_PER_POSITION = '1000';
export const QUOTE = 'USDT';
/** The explorer's ceiling: Binance's highest leverage on these perpetuals was 125× for years (150× since 2025). */
export const MAX_LEVERAGE = 125;
/** The cross wallet by default: both positions' margins. */
export const DEFAULT_WALLET = '2000';

export const crossParams: readonly ParamSpec[] = [
  enumParam('bs', 'BTC side', ['long', 'short'], 'long'),
  enumParam('es', 'ETH side', ['long', 'short'], 'long'),
  decimalParam('lev', 'Leverage', {
    min: () => '1',
    max: () => String(MAX_LEVERAGE),
    fallback: () => '10',
    allowed: `whole numbers 1 to ${MAX_LEVERAGE}`,
    decimals: 0,
    unit: () => '×',
  }),
  decimalParam('wallet', 'Cross wallet', {
    // Below 2,000 the engine refuses the account (its initial margins exceed the wallet); the widget says so.
    min: () => '1',
    max: () => '1000000',
    fallback: () => DEFAULT_WALLET,
    allowed: '1 to 1,000,000 USDT; at least 2,000 (both initial margins) for an account a venue would open',
    decimals: 2,
    unit: () => ' USDT',
  }),
  decimalParam('bm', 'BTC mark price', {
    min: () => '0.01',
    max: () => '100000000',
    fallback: () => MARKETS.btc.entry,
    allowed: 'a price on the chart (rounded to the slider step); defaults to the entry, 60,000',
    decimals: 2,
  }),
  decimalParam('em', 'ETH mark price', {
    min: () => '0.01',
    max: () => '100000000',
    fallback: () => MARKETS.eth.entry,
    allowed: "a price in the ETH slider's range (rounded to its step); defaults to the entry, 3,000",
    decimals: 2,
  }),
];

/** What each parameter means, for the docs table (the spec list holds the rules). */
export const crossParamMeaning: Record<string, string> = {
  bs: 'Side of the BTCUSDT position',
  es: 'Side of the ETHUSDT position',
  lev: 'Leverage of both positions (each opens with 1,000 USDT of margin)',
  wallet: 'Wallet balance of the cross account, USDT (isolated mode keeps what exceeds 2,000 aside)',
  bm: 'BTCUSDT mark price the widget opens at',
  em: 'ETHUSDT mark price the widget opens at',
};

export function defaultCrossState(overrides: Partial<CrossState> = {}): CrossState {
  const { values } = parseParams(crossParams, new URLSearchParams(overrides as Record<string, string>));
  return values as unknown as CrossState;
}

export function readCrossState(search: string | URLSearchParams): { state: CrossState; notes: string[] } {
  const { values, notes } = parseParams(crossParams, search);
  return { state: values as unknown as CrossState, notes };
}

export function writeCrossState(state: CrossState): string {
  return encodeParams(crossParams, state as unknown as Record<string, string>);
}
