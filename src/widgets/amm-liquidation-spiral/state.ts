/**
 * The AMM liquidation spiral's state: the shock (the outside market reprices WETH, at once or over several blocks,
 * or someone sells WETH into the pool), the pool (its depth and how fast arbitrage pulls it back to the outside price), the oracle (what it reads,
 * its delay and deviation threshold), the bottlenecks (block space, gas, liquidator capital) and the borrowers
 * (count, seed). Parsed and clamped with the shared parameter specs, so a lesson's starting state, a Share link, the
 * embed and the parameter table on /widgets/amm-liquidation-spiral/ agree. Values stay decimal strings until the
 * model hands them to the engine.
 *
 * The limits allow a link to ask for what the engine refuses (an empty pool): the widget prints the engine's words.
 * What a link cannot ask for is a run the browser cannot answer within a frame: at most 20,000 borrowers.
 */
import { decimalParam, encodeParams, enumParam, parseParams, type ParamSpec } from '../shared/params';

export type SpiralShockKind = 'move' | 'sell';
export type OracleSource = 'pool' | 'ref';

export interface SpiralState {
  /** What starts it: the outside price moves (arbitrage carries it into the pool), or a sell straight into the pool. */
  kind: SpiralShockKind;
  /** The outside price's move, percent (negative: a fall). */
  move: string;
  /** Blocks the outside move takes, in equal steps (1: all at once, at the shock). */
  over: string;
  /** WETH sold into the pool. */
  sell: string;
  /** WETH in the pool before the shock (its USDC side holds the same value). */
  pool: string;
  /** Percent of the pool–outside price gap arbitrageurs close each block. */
  arb: string;
  /** What the lending protocol's oracle reads: the pool's price, or the outside market's. */
  oracle: OracleSource;
  /** Blocks the oracle lags its source. */
  delay: string;
  /** Percent the source must move from the last published price before the oracle publishes again. */
  dev: string;
  /** Most liquidation calls per block; 0: no limit. */
  lpb: string;
  /** Base fee, gwei, before the shock; 0: gas costs nothing. */
  fee: string;
  /** Gas one liquidation call uses. */
  gas: string;
  /** USDC liquidators can repay per block; 0: no limit (flash loans). */
  cap: string;
  /** Number of borrowers. */
  n: string;
  seed: string;
}

export const MAX_MOVE = 60;
export const MAX_OVER = 50;
export const MAX_SELL = 500_000;
export const MIN_POOL = 100;
export const MAX_POOL = 2_000_000;
export const MAX_DELAY = 20;
export const MAX_DEVIATION = 10;
export const MAX_PER_BLOCK = 1000;
export const MAX_FEE = 2000;
export const MIN_GAS = 50_000;
export const MAX_GAS = 2_000_000;
export const MAX_CAPITAL = 1_000_000_000;
export const MAX_BORROWERS = 20_000;
export const MAX_SEED = 999_999;

export const spiralParams: readonly ParamSpec[] = [
  enumParam('kind', 'Shock', ['move', 'sell'], 'move'),
  decimalParam('move', 'Outside price move', {
    min: () => String(-MAX_MOVE),
    max: () => '0',
    fallback: () => '-12',
    allowed: `−${MAX_MOVE} to 0 (percent, one decimal)`,
    decimals: 1,
    unit: () => ' %',
  }),
  decimalParam('over', 'Fall spread over', {
    min: () => '1',
    max: () => String(MAX_OVER),
    fallback: () => '1',
    allowed: `whole numbers 1 (at once) to ${MAX_OVER} (blocks)`,
    decimals: 0,
    unit: () => ' blocks',
  }),
  decimalParam('sell', 'Sell into the pool', {
    min: () => '1',
    max: () => String(MAX_SELL),
    fallback: () => '2000',
    allowed: `whole numbers 1 to ${MAX_SELL.toLocaleString('en-US')} (WETH)`,
    decimals: 0,
    unit: () => ' WETH',
  }),
  decimalParam('pool', 'Pool depth', {
    min: () => String(MIN_POOL),
    max: () => String(MAX_POOL),
    fallback: () => '20000',
    allowed: `whole numbers ${MIN_POOL} to ${MAX_POOL.toLocaleString('en-US')} (WETH in the pool)`,
    decimals: 0,
    unit: () => ' WETH',
  }),
  decimalParam('arb', 'Arbitrage per block', {
    min: () => '0',
    max: () => '100',
    fallback: () => '20',
    allowed: 'whole numbers 0 to 100 (percent of the gap closed per block)',
    decimals: 0,
    unit: () => ' %',
  }),
  enumParam('oracle', 'Oracle source', ['pool', 'ref'], 'pool'),
  decimalParam('delay', 'Oracle delay', {
    min: () => '0',
    max: () => String(MAX_DELAY),
    fallback: () => '1',
    allowed: `whole numbers 0 to ${MAX_DELAY} (blocks)`,
    decimals: 0,
    unit: () => ' blocks',
  }),
  decimalParam('dev', 'Deviation threshold', {
    min: () => '0',
    max: () => String(MAX_DEVIATION),
    fallback: () => '0.5',
    allowed: `0 to ${MAX_DEVIATION} (percent, one decimal)`,
    decimals: 1,
    unit: () => ' %',
  }),
  decimalParam('lpb', 'Liquidations per block', {
    min: () => '0',
    max: () => String(MAX_PER_BLOCK),
    fallback: () => '0',
    allowed: `0 (no limit) to ${MAX_PER_BLOCK.toLocaleString('en-US')}`,
    decimals: 0,
  }),
  decimalParam('fee', 'Base fee', {
    min: () => '0',
    max: () => String(MAX_FEE),
    fallback: () => '20',
    allowed: `whole numbers 0 to ${MAX_FEE.toLocaleString('en-US')} (gwei)`,
    decimals: 0,
    unit: () => ' gwei',
  }),
  decimalParam('gas', 'Gas per liquidation', {
    min: () => String(MIN_GAS),
    max: () => String(MAX_GAS),
    fallback: () => '400000',
    allowed: `whole numbers ${MIN_GAS.toLocaleString('en-US')} to ${MAX_GAS.toLocaleString('en-US')}`,
    decimals: 0,
    unit: () => ' gas',
  }),
  decimalParam('cap', 'Liquidator capital', {
    min: () => '0',
    max: () => String(MAX_CAPITAL),
    fallback: () => '0',
    allowed: `0 (no limit) to ${MAX_CAPITAL.toLocaleString('en-US')} (USDC per block)`,
    decimals: 0,
    unit: () => ' USDC',
  }),
  decimalParam('n', 'Borrowers', {
    min: () => '1',
    max: () => String(MAX_BORROWERS),
    fallback: () => '2000',
    allowed: `whole numbers 1 to ${MAX_BORROWERS.toLocaleString('en-US')}`,
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

export const spiralParamMeaning: Record<string, string> = {
  kind: 'move (the outside market reprices WETH and arbitrage carries the move into the pool) or sell (someone sells WETH straight into the pool)',
  move: 'The outside WETH price move, percent of 3,000 USDC (kind=move)',
  over: 'Blocks the outside move takes, in equal steps: 1 moves it all at once at the shock (kind=move)',
  sell: 'WETH sold into the pool at once (kind=sell); the outside price stays, so arbitrage later pulls the pool back',
  pool: 'WETH in the WETH/USDC constant-product pool before the shock; its USDC side holds the same value',
  arb: 'Percent of the gap between the pool and the outside price that arbitrageurs close each block',
  oracle: 'pool (the lending protocol reads the pool’s price) or ref (it reads the outside market’s price)',
  delay: 'Blocks the oracle lags the price it reads',
  dev: 'Percent the price must move from the last published value before the oracle publishes a new one',
  lpb: 'Most liquidation calls that fit in one block (0: no limit); the rest wait in the backlog',
  fee: 'Base fee before the shock, gwei; it rises by up to 12.5 % a block while blocks are more than half full of liquidations (EIP-1559); 0: gas is free',
  gas: 'Gas one liquidation call uses; with the base fee and the WETH price it sets the cost a liquidation’s bonus must beat',
  cap: 'USDC liquidators can repay per block (0: no limit, as with flash loans)',
  n: 'Number of borrowers on the lending protocol',
  seed: 'Seed of the borrower population; the same seed always gives the same borrowers',
};

export function readSpiralState(search: string | URLSearchParams): { state: SpiralState; notes: string[] } {
  const { values, notes } = parseParams(spiralParams, search);
  return { state: values as unknown as SpiralState, notes };
}

export function writeSpiralState(state: SpiralState): string {
  // The size of a sell means nothing to an outside move and the other way round: the link carries the one in use.
  return encodeParams(spiralParams, state as unknown as Record<string, string>, state.kind === 'move' ? ['sell'] : ['move', 'over']);
}

/** The default state, or a lesson's starting state: `overrides` go through the same parsing and clamps as a link. */
export function defaultSpiralState(overrides: Partial<SpiralState> = {}): SpiralState {
  return readSpiralState(new URLSearchParams(overrides as Record<string, string>)).state;
}
