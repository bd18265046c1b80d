/**
 * The margin monitor's state: the position (side, leverage, margin), the market (funding rate, daily
 * volatility, the seed of the price path) and the reader's rule (alert level; top up or reduce). Parsed and
 * clamped with the shared parameter specs, so links, the embed and the docs table agree. Short keys keep
 * links short; every value stays a decimal string until the engine reads it.
 */
import { decimalParam, encodeParams, enumParam, parseParams, type ParamSpec } from '../shared/params';
import { decodePath, encodePath } from './drawn';

export type Rule = 'none' | 'topup' | 'reduce';

export interface MonitorState {
  side: 'long' | 'short';
  /** Leverage at open, whole steps. */
  lev: string;
  /** Isolated margin posted at open, USDT. */
  m: string;
  /** Funding rate per 8-hour interval, in percent: "0.01" is 0.01 %. */
  f: string;
  /** Daily volatility of the price path, in percent. */
  vol: string;
  /** Seed of the price path's generator; "Re-roll" adds one. */
  seed: string;
  /** A price path drawn by the reader (drawn.ts's `1.<code>`); empty: the seeded random walk. */
  path: string;
  /** Alert level: margin ratio in percent at which the rule acts. */
  alert: string;
  rule: Rule;
  /** Top-up amount per alert, USDT. */
  top: string;
  /** Most margin the top-up rule may add in all, USDT. */
  bud: string;
  /** Share of the position closed per alert, percent. */
  cut: string;
}

/** The lessons' position by default: 10× long, 3,000 USDT margin (0.5 BTC at 60,000). 0.4 % maintenance: Binance's first BTCUSDT bracket. Leverage must stay below 1 ÷ 0.4 % = 250×. */
export const MAX_LEVERAGE = 125;
export const MAX_SEED = 999999;

export const monitorParams: readonly ParamSpec[] = [
  enumParam('side', 'Side', ['long', 'short'], 'long'),
  decimalParam('lev', 'Leverage', {
    min: () => '1',
    max: () => String(MAX_LEVERAGE),
    fallback: () => '10',
    allowed: `whole numbers 1 to ${MAX_LEVERAGE}`,
    decimals: 0,
    unit: () => '×',
  }),
  decimalParam('m', 'Margin', {
    min: () => '10',
    max: () => '1000000',
    fallback: () => '3000',
    allowed: '10 to 1,000,000 USDT',
    decimals: 2,
    unit: () => ' USDT',
  }),
  decimalParam('f', 'Funding rate', {
    min: () => '-0.5',
    max: () => '0.5',
    fallback: () => '0.01',
    allowed: '−0.5 to 0.5 (percent per 8 hours)',
    decimals: 4,
    unit: () => ' %',
  }),
  decimalParam('vol', 'Daily volatility', {
    min: () => '0.5',
    max: () => '10',
    fallback: () => '3',
    allowed: '0.5 to 10 (percent a day)',
    decimals: 1,
    unit: () => ' %',
  }),
  decimalParam('seed', 'Seed', {
    min: () => '1',
    max: () => String(MAX_SEED),
    fallback: () => '3',
    allowed: `whole numbers 1 to ${MAX_SEED}`,
    decimals: 0,
  }),
  {
    key: 'path',
    label: 'Drawn path',
    allowed: 'a path drawn in the widget (Share writes it); absent: the random walk',
    fallback: () => '',
    read: (raw) => {
      const { prices, notes } = decodePath(raw);
      // Rewritten from the prices read, so a clamped or short path is stored as the reader sees it.
      return { value: prices ? encodePath(prices) : '', ...(notes.length ? { note: notes.join(' ') } : {}) };
    },
  },
  decimalParam('alert', 'Alert level', {
    min: () => '5',
    max: () => '95',
    fallback: () => '15',
    allowed: '5 to 95 (margin ratio, percent)',
    decimals: 0,
    unit: () => ' %',
  }),
  enumParam('rule', 'Rule', ['none', 'topup', 'reduce'], 'topup'),
  decimalParam('top', 'Top-up amount', {
    min: () => '1',
    max: () => '1000000',
    fallback: () => '600',
    allowed: '1 to 1,000,000 USDT',
    decimals: 2,
    unit: () => ' USDT',
  }),
  decimalParam('bud', 'Top-up budget', {
    min: () => '0',
    max: () => '10000000',
    fallback: () => '3000',
    allowed: '0 to 10,000,000 USDT',
    decimals: 2,
    unit: () => ' USDT',
  }),
  decimalParam('cut', 'Reduce by', {
    min: () => '1',
    max: () => '90',
    fallback: () => '50',
    allowed: 'whole numbers 1 to 90 (percent of the position)',
    decimals: 0,
    unit: () => ' %',
  }),
];

export const monitorParamMeaning: Record<string, string> = {
  side: 'Long or short',
  lev: 'Leverage at open (isolated, 0.4 % maintenance rate)',
  m: 'Isolated margin posted at open, USDT',
  f: 'Funding rate paid every 8 hours, percent (positive: longs pay shorts)',
  vol: "Daily volatility of the seeded price path, percent",
  seed: 'Seed of the price path; the same seed always gives the same path',
  path: 'A price path drawn by the reader (version 1: 42 price changes of 0.1 USDT ticks, base64url varints); replaces the random walk',
  alert: 'Margin ratio, percent, at or above which the rule acts',
  rule: 'none, topup (add margin) or reduce (close part of the position)',
  top: 'Margin added each time the alert fires (rule=topup)',
  bud: 'Most margin the top-up rule may add in all (rule=topup)',
  cut: 'Share of the position closed each time the alert fires (rule=reduce)',
};

export function readMonitorState(search: string | URLSearchParams): { state: MonitorState; notes: string[] } {
  const { values, notes } = parseParams(monitorParams, search);
  return { state: values as unknown as MonitorState, notes };
}

export function writeMonitorState(state: MonitorState): string {
  // Without a drawn path the link carries no `path`, and the seed says which random walk.
  return encodeParams(monitorParams, state as unknown as Record<string, string>, state.path ? [] : ['path']);
}

export function defaultMonitorState(): MonitorState {
  return readMonitorState('').state;
}
