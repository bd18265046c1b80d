/**
 * The contagion network's state: the shock (how far WETH falls on the outside market), the three links the reader
 * can cut, the oracle's delay and deviation threshold, the pool's depth, and the borrowers (count per protocol,
 * seed). Parsed and clamped with the shared parameter specs, so links, the embed and the parameter table agree.
 *
 * Limits: at most 30,000 borrowers per protocol (90,000 in all), which a slider step still answers within a few
 * frames; a shock up to a 60 % fall; the delay up to 10 blocks.
 */
import { decimalParam, encodeParams, enumParam, parseParams, type ParamSpec } from '../shared/params';

export interface ContagionState {
  /** How far WETH falls on the outside market, percent (one decimal). */
  shock: string;
  /** 'shared': A's and B's liquidators sell into one pool; 'own': B has a pool of its own. */
  pool: 'shared' | 'own';
  /** 'shared': A and B read one oracle that follows the shared pool; 'own': B's oracle reads the outside price. */
  oracle: 'shared' | 'own';
  /** 'marked': C prices A's receipt at A's receipt price; 'fixed': at 1 USDC. */
  receipt: 'marked' | 'fixed';
  /** Oracle delay, blocks. */
  delay: string;
  /** Oracle deviation threshold, percent (two decimals). */
  dev: string;
  /** WETH in the shared pool (and in B's own pool). */
  depth: string;
  /** Borrowers per protocol. */
  n: string;
  seed: string;
}

export const MAX_SHOCK = 60;
export const MAX_BORROWERS = 30_000;
export const MAX_SEED = 999_999;
export const MAX_DELAY = 10;

export const contagionParams: readonly ParamSpec[] = [
  decimalParam('shock', 'Price shock', {
    min: () => '0',
    max: () => String(MAX_SHOCK),
    fallback: () => '20',
    allowed: `0 to ${MAX_SHOCK} (percent fall of WETH, one decimal)`,
    decimals: 1,
    unit: () => ' %',
  }),
  enumParam('pool', 'Pool link', ['shared', 'own'], 'shared'),
  enumParam('oracle', 'Oracle link', ['shared', 'own'], 'shared'),
  enumParam('receipt', 'Receipt link', ['marked', 'fixed'], 'marked'),
  decimalParam('delay', 'Oracle delay', {
    min: () => '0',
    max: () => String(MAX_DELAY),
    fallback: () => '1',
    allowed: `whole numbers 0 to ${MAX_DELAY} (blocks)`,
    decimals: 0,
    unit: () => ' blocks',
  }),
  decimalParam('dev', 'Oracle deviation threshold', {
    min: () => '0',
    max: () => '5',
    fallback: () => '0.5',
    allowed: '0 to 5 (percent, two decimals)',
    decimals: 2,
    unit: () => ' %',
  }),
  decimalParam('depth', 'Pool depth', {
    min: () => '1000',
    max: () => '1000000',
    fallback: () => '150000',
    allowed: '1,000 to 1,000,000 (WETH in the pool)',
    decimals: 0,
    unit: () => ' WETH',
  }),
  decimalParam('n', 'Borrowers per protocol', {
    min: () => '100',
    max: () => String(MAX_BORROWERS),
    fallback: () => '10000',
    allowed: `whole numbers 100 to ${MAX_BORROWERS.toLocaleString('en-US')}`,
    decimals: 0,
  }),
  decimalParam('seed', 'Seed', {
    min: () => '1',
    max: () => String(MAX_SEED),
    fallback: () => '1',
    allowed: `whole numbers 1 to ${MAX_SEED}`,
    decimals: 0,
  }),
];

export const contagionParamMeaning: Record<string, string> = {
  shock: 'How far WETH falls on the outside market, percent of 3,000 USDC; every pool is arbitraged toward the new price',
  pool: "shared (A's and B's liquidators sell seized WETH into one WETH/USDC pool) or own (B's liquidators use a pool of their own, as deep)",
  oracle: "shared (A and B price WETH with one oracle that follows the shared pool) or own (B's oracle reads the outside price)",
  receipt: "marked (C prices A's receipt token at A's receipt price, which falls with A's bad debt) or fixed (C prices it at 1 USDC and never liquidates)",
  delay: 'Blocks the WETH oracles report behind their source',
  dev: 'Smallest move, percent, the WETH oracles publish; smaller moves wait',
  depth: 'WETH in the shared pool (and in B\u2019s own pool when it has one), with USDC worth as much beside it',
  n: 'Borrowers in each of the three protocols',
  seed: 'Seed of the populations; the same seed always gives the same borrowers',
};

export function readContagionState(search: string | URLSearchParams): { state: ContagionState; notes: string[] } {
  const { values, notes } = parseParams(contagionParams, search);
  return { state: values as unknown as ContagionState, notes };
}

export function writeContagionState(state: ContagionState): string {
  return encodeParams(contagionParams, state as unknown as Record<string, string>);
}

/** The default state, or a lesson's starting state: `overrides` go through the same parsing and clamps as a link. */
export function defaultContagionState(overrides: Partial<ContagionState> = {}): ContagionState {
  return readContagionState(new URLSearchParams(overrides as Record<string, string>)).state;
}
