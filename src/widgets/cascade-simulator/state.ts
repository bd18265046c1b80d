/**
 * The cascade simulator's state: the shock (a move of the mark, or a market sell), the market (depth
 * profile and depth, resilience, the liquidation engine's throughput, the insurance fund), what stands behind
 * the fund (auto-deleveraging, or a liquidity vault with its capital and the share of forced orders it quotes)
 * and the traders (leverage mix, long share, number of positions, seed). Parsed and clamped with the shared parameter
 * specs, so links, the embed and the parameter table agree. Every value stays a decimal string until the
 * model hands it to the engine.
 *
 * The limits allow what makes no market (zero depth, zero positions): the engine refuses those with an
 * EngineInputError and the widget prints its words, which is the lesson. What a link cannot ask for is a
 * cascade the browser cannot answer in time: at most 100,000 positions.
 */
import { decimalParam, encodeParams, enumParam, parseParams, type ParamSpec } from '../shared/params';

export type ShockKind = 'mark' | 'sell';
export type BookProfile = 'flat' | 'sqrt';
export type LeverageMixName = 'cautious' | 'typical' | 'aggressive';
/** fund: the insurance fund, then auto-deleveraging; vault: a liquidity vault takes over and quotes (engine backstop 'vault'). */
export type BackstopName = 'fund' | 'vault';

export interface CascadeState {
  /** What starts the cascade: the mark moves (the book re-centres on it) or someone sells at market. */
  kind: ShockKind;
  /** The mark's move, percent of the price before the shock (negative: a fall). */
  move: string;
  /** Size of the market sell, BTC. */
  sell: string;
  book: BookProfile;
  /** BTC resting on the bids within 1 % of the mid (the same on the asks). */
  depth: string;
  /** Percent of the eaten depth that returns between rounds. */
  res: string;
  /** Most BTC the liquidation engine closes per side per round; 0: no limit. */
  tp: string;
  /** Insurance fund at the start, USDT. */
  fund: string;
  backstop: BackstopName;
  /** The vault's capital, USDT (backstop=vault). */
  vault: string;
  /** Percent of every forced order the vault fills itself (backstop=vault). */
  maker: string;
  mix: LeverageMixName;
  /** Percent of positions that are long. */
  long: string;
  /** Number of positions. */
  n: string;
  seed: string;
}

export const MAX_MOVE = 20;
export const MAX_POSITIONS = 100_000;
export const MAX_SEED = 999_999;
/** The engine takes a maker share below 1; the widget stops at 90 % so that the book always sees some of the order. */
export const MAX_MAKER = 90;
export const LEVERAGE_MIX_NAMES = ['cautious', 'typical', 'aggressive'] as const satisfies readonly LeverageMixName[];

export const cascadeParams: readonly ParamSpec[] = [
  enumParam('kind', 'Shock', ['mark', 'sell'], 'mark'),
  decimalParam('move', 'Price shock', {
    min: () => String(-MAX_MOVE),
    max: () => String(MAX_MOVE),
    fallback: () => '-3',
    allowed: `−${MAX_MOVE} to ${MAX_MOVE} (percent, one decimal)`,
    decimals: 1,
    unit: () => ' %',
  }),
  decimalParam('sell', 'Market sell', {
    min: () => '0.1',
    max: () => '100000',
    fallback: () => '50',
    allowed: '0.1 to 100,000 BTC',
    decimals: 1,
    unit: () => ' BTC',
  }),
  enumParam('book', 'Depth profile', ['sqrt', 'flat'], 'sqrt'),
  decimalParam('depth', 'Order-book depth', {
    min: () => '0',
    max: () => '1000',
    fallback: () => '6',
    allowed: '0 to 1,000 (BTC within 1 % of the price)',
    decimals: 1,
    unit: () => ' BTC',
  }),
  decimalParam('res', 'Resilience', {
    min: () => '0',
    max: () => '100',
    fallback: () => '10',
    allowed: 'whole numbers 0 to 100 (percent)',
    decimals: 0,
    unit: () => ' %',
  }),
  decimalParam('tp', 'Liquidation throughput', {
    min: () => '0',
    max: () => '100000',
    fallback: () => '0',
    allowed: '0 (no limit) to 100,000 BTC per round',
    decimals: 1,
    unit: () => ' BTC',
  }),
  decimalParam('fund', 'Insurance fund', {
    min: () => '0',
    max: () => '100000000',
    fallback: () => '250000',
    allowed: '0 to 100,000,000 USDT',
    decimals: 0,
    unit: () => ' USDT',
  }),
  enumParam('backstop', 'Backstop', ['fund', 'vault'], 'fund'),
  decimalParam('vault', 'Vault capital', {
    min: () => '50000',
    max: () => '100000000',
    fallback: () => '250000',
    allowed: '50,000 to 100,000,000 USDT (backstop=vault)',
    decimals: 0,
    unit: () => ' USDT',
  }),
  decimalParam('maker', 'Vault maker share', {
    min: () => '0',
    max: () => String(MAX_MAKER),
    fallback: () => '20',
    allowed: `whole numbers 0 to ${MAX_MAKER} (percent; backstop=vault)`,
    decimals: 0,
    unit: () => ' %',
  }),
  enumParam('mix', 'Leverage mix', LEVERAGE_MIX_NAMES, 'typical'),
  decimalParam('long', 'Long share', {
    min: () => '0',
    max: () => '100',
    fallback: () => '60',
    allowed: 'whole numbers 0 to 100 (percent)',
    decimals: 0,
    unit: () => ' %',
  }),
  decimalParam('n', 'Positions', {
    min: () => '0',
    max: () => String(MAX_POSITIONS),
    fallback: () => '10000',
    allowed: `whole numbers 0 to ${MAX_POSITIONS.toLocaleString('en-US')}`,
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

export const cascadeParamMeaning: Record<string, string> = {
  kind: 'mark (the mark price moves and market makers requote around it) or sell (a market sell walks the bids)',
  move: 'The mark price move of the shock, percent of 60,000 USDT (negative: a fall; kind=mark)',
  sell: 'Size of the market sell that starts the cascade, BTC (kind=sell)',
  book: 'sqrt (depth grows with distance from the price: square-root impact) or flat (the same depth on every tick: linear impact)',
  depth: 'BTC resting on each side of the book within 1 % of the price; the book reaches 25 % either way',
  res: 'Percent of the eaten depth that market makers put back between rounds',
  tp: 'Most BTC the liquidation engine closes per side per round (0: no limit); the rest waits',
  fund: 'Insurance fund at the start, USDT; liquidation fees (0.5 %) go into it, losses beyond bankruptcy come out',
  backstop: 'fund (the insurance fund, then auto-deleveraging of profitable opposite positions) or vault (a liquidity vault takes bankrupt positions over at their bankruptcy price and quotes a share of every forced order)',
  vault: "The liquidity vault's capital at the start, USDT (backstop=vault)",
  maker: 'Percent of every forced sale or buy the vault fills itself at the clearing price (backstop=vault)',
  mix: 'cautious (2× to 10×), typical (2× to 100×, mostly 5× to 20×) or aggressive (10× to 100×)',
  long: 'Percent of positions that are long',
  n: 'Number of leveraged positions in the market',
  seed: 'Seed of the population; the same seed always gives the same positions',
};

export function readCascadeState(search: string | URLSearchParams): { state: CascadeState; notes: string[] } {
  const { values, notes } = parseParams(cascadeParams, search);
  return { state: values as unknown as CascadeState, notes };
}

export function writeCascadeState(state: CascadeState): string {
  // The size of a sell means nothing to a mark shock and the other way round: the link carries the one in use.
  // The vault's knobs mean nothing without the vault, and links made before it existed read as backstop=fund.
  const omit = [state.kind === 'mark' ? 'sell' : 'move', ...(state.backstop === 'fund' ? ['vault', 'maker'] : [])];
  return encodeParams(cascadeParams, state as unknown as Record<string, string>, omit);
}

/** The default state, or a lesson's starting state: `overrides` go through the same parsing and clamps as a link. */
export function defaultCascadeState(overrides: Partial<CascadeState> = {}): CascadeState {
  return readCascadeState(new URLSearchParams(overrides as Record<string, string>)).state;
}
