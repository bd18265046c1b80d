/**
 * From the AMM liquidation spiral's state to what the reader sees. Three stages, each recomputed only when its
 * inputs change (the component keeps them apart):
 *   1. the borrowers (createBorrowers: count and seed), the slow part, memoized on its inputs;
 *   2. the run (simulateLendingCascade: the shock, the pool, the oracle and the bottlenecks) and what every block
 *      of it shows (spiralView);
 *   3. one step of it (the scrubber's): the pool curve, the numbers and the sentence after the shock (step 0) or
 *      after block k.
 *
 * The market: one lending protocol with Aave v3 Ethereum's WETH parameters (protocolPreset('aave-v3-ethereum'):
 * liquidation threshold, bonus and protocol fee, close factor), borrowers who hold WETH and owe USDC, and one
 * WETH/USDC constant-product pool with a 0.3 % fee (Uniswap v2) where liquidators sell what they seize. WETH is
 * worth 3,000 USDC in the outside market and in the pool before the shock. Gas is paid in ETH at the outside price.
 *
 * Every number the reader reads is a Decimal from the engine (or a sum, difference or ratio of them). Shapes are
 * drawn from floats: the curve x·y = k through the pool's reserves at the step is sampled in floats, which is exact
 * at a pixel's scale.
 */
import {
  Decimal,
  EngineInputError,
  createBorrowers,
  protocolPreset,
  simulateLendingCascade,
  type BorrowerPopulation,
  type OnchainResult,
  type OnchainRound,
  type OnchainShock,
} from '../../engine';
import { attemptWith, type Attempt } from '../shared/attempt';
import { formatDecimal, formatPercent, formatSignedPercent } from '../../lib/format';
import type { Column } from '../../charts/columns';
import type { SpiralState } from './state';

export const REFERENCE = new Decimal(3000);
export const POOL_ID = 'weth-usdc';
export const ORACLE_ID = 'weth-oracle';
export const PROTOCOL_ID = 'lender';
/** Uniswap v2's fee on the input of every swap. */
export const POOL_FEE = '0.003';
export const MAX_ROUNDS = 100;

const PRESET = protocolPreset('aave-v3-ethereum');
const WETH = PRESET.assets.find((a) => a.asset === 'WETH')!;
/** Aave v3 Ethereum's WETH reserve, as shipped in content/protocols (source and date in the preset). */
export const WETH_PARAMETERS = {
  liquidationThreshold: WETH.liquidationThreshold,
  liquidationBonus: WETH.liquidationBonus,
  protocolFee: WETH.liquidationProtocolFee ?? '0',
  closeFactor: PRESET.closeFactor,
  source: PRESET.source,
  read: PRESET.read,
  market: `${PRESET.protocol} ${PRESET.market}`,
} as const;

/**
 * How the borrowers' health factors are drawn at 3,000 USDC: 1.01 plus a log-normal part with median 0.34 (so the
 * median borrower sits at 1.35), a few just above 1, most between 1.1 and 2, a tail far from danger
 * (cascade-models.md §4.2: a loan at health factor h is liquidated after a fall of 1 − 1/h, 9 % at 1.1 and 20 % at
 * 1.25). Collateral sizes are heavy-tailed around 30,000 USDC: a few whales and many small accounts, whose
 * liquidations gas makes unprofitable first. With 2,000 borrowers their WETH comes close to the default pool's whole WETH
 * reserve, which puts the default shock near the edge where the spiral through the pool takes off (one more percent
 * and it runs to bad debt: the lesson's point about r crossing 1).
 */
export const HEALTH_FACTORS = { minimum: '1.01', median: '1.35', sigma: '0.6' } as const;
export const MEAN_COLLATERAL_VALUE = '30000';

const HUNDRED = new Decimal(100);
const ZERO = new Decimal(0);

// ---------------------------------------------------------------------------------------------------------
// Stages 1 and 2: engine calls, with the engine's refusals turned into words
// ---------------------------------------------------------------------------------------------------------

export type { Attempt };

/** The reader's name for the engine's field, so a refusal points at the control to change. */
const FIELD_NAMES: Record<string, string> = {
  count: 'Borrowers',
  seed: 'Seed',
  'shock.referencePrice': 'Outside price move',
  'shock.sellQuantity': 'Sell into the pool',
};

export function refusal(error: EngineInputError): string {
  const field = FIELD_NAMES[error.field] ?? (error.field.includes('Reserve') ? 'Pool depth' : error.field);
  return `The engine cannot run this market. ${field}: ${error.rule}.`;
}

export function attempt<T>(run: () => T): Attempt<T> {
  return attemptWith(run, refusal);
}

export type BorrowerKnobs = Pick<SpiralState, 'n' | 'seed'>;
export type RunKnobs = Omit<SpiralState, 'n' | 'seed'>;

let lastBorrowers: { key: string; value: BorrowerPopulation } | null = null;

/** The seeded population, rebuilt only when the count or the seed changes (a shock slider step reuses it). */
export function buildBorrowers(k: BorrowerKnobs): BorrowerPopulation {
  const key = `${k.n}:${k.seed}`;
  if (lastBorrowers?.key === key) return lastBorrowers.value;
  const value = createBorrowers(
    {
      count: Number(k.n),
      price: REFERENCE,
      liquidationThreshold: WETH_PARAMETERS.liquidationThreshold,
      healthFactor: HEALTH_FACTORS,
      meanCollateralValue: MEAN_COLLATERAL_VALUE,
    },
    Number(k.seed),
  );
  lastBorrowers = { key, value };
  return value;
}

/** The outside price a move of `move` percent sets. */
export function shockedReference(move: string): Decimal {
  return REFERENCE.mul(HUNDRED.add(move)).div(HUNDRED);
}

/**
 * The outside price block by block when the move takes `over` blocks in equal steps: entry k is the price in
 * round k (round 0 is the shock), so the last entry is the whole move. One block: the move at once.
 */
export function referenceSteps(move: string, over: string): Decimal[] {
  const n = Math.max(1, Number(over));
  return Array.from({ length: n }, (_, k) => REFERENCE.mul(HUNDRED.add(new Decimal(move).mul(k + 1).div(n))).div(HUNDRED));
}

export function shockOf(k: Pick<RunKnobs, 'kind' | 'move' | 'over' | 'sell'>): OnchainShock {
  return k.kind === 'move' ? { referencePrice: referenceSteps(k.move, k.over)[0]! } : { sellQuantity: k.sell, pool: POOL_ID };
}

export function runSpiral(borrowers: BorrowerPopulation, k: RunKnobs): OnchainResult {
  const pool = new Decimal(k.pool);
  const perBlock = Number(k.lpb);
  const capital = new Decimal(k.cap);
  const fee = new Decimal(k.fee);
  return simulateLendingCascade(
    {
      pools: [{ id: POOL_ID, collateralReserve: pool, debtReserve: pool.mul(REFERENCE), fee: POOL_FEE }],
      oracles: [
        {
          id: ORACLE_ID,
          source: k.oracle === 'pool' ? { pool: POOL_ID } : 'reference',
          delayRounds: Number(k.delay),
          deviationThreshold: new Decimal(k.dev).div(HUNDRED),
        },
      ],
      protocols: [
        {
          id: PROTOCOL_ID,
          name: WETH_PARAMETERS.market,
          collateralAsset: 'WETH',
          debtAsset: 'USDC',
          liquidationThreshold: WETH_PARAMETERS.liquidationThreshold,
          liquidationBonus: WETH_PARAMETERS.liquidationBonus,
          protocolFee: WETH_PARAMETERS.protocolFee,
          closeFactor: WETH_PARAMETERS.closeFactor,
          borrowers,
          oracle: ORACLE_ID,
          market: { pool: POOL_ID },
        },
      ],
      referencePrice: REFERENCE,
    },
    shockOf(k),
    {
      maxRounds: MAX_ROUNDS,
      arbitrage: new Decimal(k.arb).div(HUNDRED),
      liquidationsPerBlock: perBlock === 0 ? null : perBlock,
      liquidatorCapital: capital.isZero() ? null : capital,
      gas: fee.isZero() ? null : { gasPerLiquidation: Number(k.gas), baseFeeGwei: fee, nativePrice: 'reference' },
      // The rest of a spread-out move: the outside price in rounds 1, 2, …; it holds at the last.
      ...(k.kind === 'move' && Number(k.over) > 1 ? { referencePath: referenceSteps(k.move, k.over).slice(1) } : {}),
    },
  );
}

// ---------------------------------------------------------------------------------------------------------
// Words and numbers
// ---------------------------------------------------------------------------------------------------------

export const usdc = (value: Decimal) => `${formatDecimal(value, 0)} USDC`;
export const price = (value: Decimal) => `${formatDecimal(value, 2)} USDC`;
export const weth = (value: Decimal) => `${formatDecimal(value, value.abs().gte(100) ? 0 : 2)} WETH`;
export const gwei = (value: Decimal) => `${formatDecimal(value, value.gte(100) ? 0 : 1)} gwei`;
export const count = (value: number) => value.toLocaleString('en-US');
export const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;
/** Large amounts for sentences: "3.65 million USDC"; below a million, to the unit. */
export function amount(value: Decimal): string {
  return value.abs().gte(1_000_000) ? `${formatDecimal(value.div(1_000_000), 2)} million USDC` : usdc(value);
}
export const times = (value: Decimal) => `${formatDecimal(value, 2)}×`;

// ---------------------------------------------------------------------------------------------------------
// Stage 2: the whole run as the views need it
// ---------------------------------------------------------------------------------------------------------

/** What is known after step k (0: the shock; k: after block k), as the engine reported it. */
export interface StepFacts {
  reference: Decimal;
  pool: Decimal;
  oracle: Decimal;
  oracleUpdated: boolean;
  reserveX: Decimal;
  reserveY: Decimal;
  /** Liquidation calls in this block, and accounts liquidated so far. */
  liquidations: number;
  accounts: number;
  backlog: number;
  backlogDebt: Decimal;
  unprofitable: number;
  /** So far: debt repaid, WETH seized and sold, liquidators' profit after gas. */
  repaid: Decimal;
  seized: Decimal;
  sold: Decimal;
  profit: Decimal;
  badDebt: Decimal;
  shortfall: Decimal;
  gasPrice: Decimal | null;
  /** Gas cost of one liquidation call at this step, USDC; null without gas. */
  gasCost: Decimal | null;
}

export interface SpiralView {
  result: OnchainResult;
  kind: SpiralState['kind'];
  oracle: SpiralState['oracle'];
  /** Blocks the outside move takes (1: at once), and where it ends. */
  over: number;
  target: Decimal;
  initial: Decimal;
  /** Blocks after the shock; steps are 0 … blocks. */
  blocks: number;
  steps: StepFacts[];
  /** The lowest pool price of the run and the block it came in. */
  lowest: { price: Decimal; step: number };
  /** Liquidations and backlog per block, for the columns. */
  blockColumns: Column[];
  blockMax: number;
  /** Bad debt so far and the base fee at every step, as floats for drawing, with their tops (fixed through the blocks). */
  badDebtPoints: [number, number][];
  badDebtMax: number;
  gasPoints: [number, number][];
  gasMax: number;
  /** The pool curve's frame, fixed through the blocks so the point moves, not the axes. */
  curveFrame: { x: [number, number]; y: [number, number] };
  borrowers: number;
  stop: string;
  stopShort: string;
  gas: boolean;
}

function gasCostOf(state: Pick<RunKnobs, 'gas'>, gasPrice: Decimal | null, reference: Decimal): Decimal | null {
  // The engine's rule (onchain.ts): gas × base fee × 10⁻⁹ ETH, valued at the outside price.
  return gasPrice === null ? null : new Decimal(state.gas).mul(gasPrice).mul('1e-9').mul(reference);
}

function stopText(result: OnchainResult, last: StepFacts, blocks: number): string {
  const waiting = plural(last.backlog, 'borrower', 'borrowers');
  if (result.stopReason === 'fixed-point') {
    if (last.accounts === 0) return 'Nothing to do: no borrower fell below a health factor of 1, so no liquidation followed.';
    return `The spiral stops after block ${count(blocks)}: no borrower is left below a health factor of 1 and the prices have settled.`;
  }
  if (result.stopReason === 'stalled') {
    const why = last.unprofitable > 0 ? `their liquidations are not worth the gas (${plural(last.unprofitable, 'call', 'calls')})` : 'no liquidator can take them';
    return `Stalled after block ${count(blocks)}: ${waiting} ${last.backlog === 1 ? 'is' : 'are'} still below a health factor of 1, but ${why}, and the prices no longer move.`;
  }
  return `The run stops at the ${MAX_ROUNDS}-block limit with ${waiting} still in the backlog.`;
}

function stopShort(result: OnchainResult, blocks: number, accounts: number): string {
  if (result.stopReason === 'fixed-point') return accounts === 0 ? 'Nothing to liquidate' : `Settled after block ${count(blocks)}`;
  if (result.stopReason === 'stalled') return `Stalled after block ${count(blocks)}`;
  return `Block limit (${MAX_ROUNDS})`;
}

function factsOf(round: OnchainRound, before: StepFacts | null, state: Pick<RunKnobs, 'gas'>): StepFacts {
  const pool = round.pools[0]!;
  const oracle = round.oracles[0]!;
  const p = round.protocols[0]!;
  return {
    reference: round.referencePrice,
    pool: pool.price,
    oracle: oracle.price,
    oracleUpdated: oracle.updated,
    reserveX: pool.collateralReserve,
    reserveY: pool.debtReserve,
    liquidations: p.liquidations,
    accounts: p.accountsLiquidatedTotal,
    backlog: p.backlog,
    backlogDebt: p.backlogDebt,
    unprofitable: p.unprofitable,
    repaid: (before?.repaid ?? ZERO).add(p.debtRepaid),
    seized: (before?.seized ?? ZERO).add(p.collateralSeized),
    sold: (before?.sold ?? ZERO).add(pool.soldByLiquidators),
    profit: (before?.profit ?? ZERO).add(p.liquidatorProfit),
    badDebt: p.badDebt,
    shortfall: p.shortfall,
    gasPrice: round.gasPriceGwei,
    gasCost: gasCostOf(state, round.gasPriceGwei, round.referencePrice),
  };
}

export function spiralView(state: RunKnobs, borrowers: BorrowerPopulation, result: OnchainResult): SpiralView {
  const initial = result.initialPoolPrices[POOL_ID]!;
  const steps: StepFacts[] = [];
  for (const round of result.rounds) steps.push(factsOf(round, steps[steps.length - 1] ?? null, state));
  const blocks = steps.length - 1;
  let lowest = { price: steps[0]!.pool, step: 0 };
  steps.forEach((f, k) => {
    if (f.pool.lt(lowest.price)) lowest = { price: f.pool, step: k };
  });
  const blockColumns: Column[] = steps.map((f, k) => ({ x0: k - 0.35, x1: k + 0.35, values: [f.liquidations, f.backlog] }));
  let blockMax = 1;
  for (const c of blockColumns) blockMax = Math.max(blockMax, (c.values[0] ?? 0) + (c.values[1] ?? 0));

  // The frame holds the pool's reserves before the shock and at every block, with room around them.
  const pool0 = new Decimal(state.pool);
  const x0 = pool0.toNumber();
  const y0 = pool0.mul(REFERENCE).toNumber();
  let xLo = x0;
  let xHi = x0;
  for (const f of steps) {
    xLo = Math.min(xLo, f.reserveX.toNumber());
    xHi = Math.max(xHi, f.reserveX.toNumber());
  }
  // At least 30 % of the pool either way, so the curve's bend shows even when the point barely moves.
  const spread = Math.max(xHi - xLo, x0 * 0.3);
  const xFrame: [number, number] = [Math.max(0, xLo - spread * 0.35), xHi + spread * 0.35];
  const k0 = x0 * y0;
  const yFrame: [number, number] = [k0 / xFrame[1] / 1.02, k0 / Math.max(xFrame[0], x0 * 0.05) * 1.02];

  const badDebtPoints = steps.map((f, k): [number, number] => [k, f.badDebt.toNumber()]);
  const gasPoints = steps.map((f, k): [number, number] => [k, f.gasPrice?.toNumber() ?? 0]);
  const last = steps[blocks]!;
  return {
    badDebtPoints,
    badDebtMax: Math.max(...badDebtPoints.map((p) => p[1])),
    gasPoints,
    gasMax: Math.max(...gasPoints.map((p) => p[1])),
    result,
    kind: state.kind,
    oracle: state.oracle,
    over: state.kind === 'move' ? Math.max(1, Number(state.over)) : 1,
    target: state.kind === 'move' ? shockedReference(state.move) : REFERENCE,
    initial,
    blocks,
    steps,
    lowest,
    blockColumns,
    blockMax,
    curveFrame: { x: xFrame, y: yFrame },
    borrowers: borrowers.count,
    stop: stopText(result, last, blocks),
    stopShort: stopShort(result, blocks, last.accounts),
    gas: last.gasPrice !== null,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Stage 3: one step
// ---------------------------------------------------------------------------------------------------------

/** The curve x·y = k through the pool's reserves at a step, sampled across the frame, for drawing. */
export function curvePoints(view: SpiralView, step: number, samples = 64): [number, number][] {
  const f = view.steps[step]!;
  const k = f.reserveX.mul(f.reserveY).toNumber();
  const [lo, hi] = view.curveFrame.x;
  const from = Math.max(lo, k / view.curveFrame.y[1]);
  const out: [number, number][] = [];
  for (let i = 0; i <= samples; i++) {
    const x = from + ((hi - from) * i) / samples;
    if (x > 0) out.push([x, k / x]);
  }
  return out;
}

/** The pool's reserves from before the shock to the step, for the trail the point leaves. */
export function trailPoints(view: SpiralView, pool: string, step: number): [number, number][] {
  const p = new Decimal(pool);
  const out: [number, number][] = [[p.toNumber(), p.mul(REFERENCE).toNumber()]];
  for (let k = 0; k <= step; k++) out.push([view.steps[k]!.reserveX.toNumber(), view.steps[k]!.reserveY.toNumber()]);
  return out;
}

/** The point on the step's curve where the pool price equals the outside price: where arbitrage pulls the pool. */
export function referencePoint(view: SpiralView, step: number): [number, number] {
  const f = view.steps[step]!;
  const k = f.reserveX.mul(f.reserveY);
  return [k.div(f.reference).sqrt().toNumber(), k.mul(f.reference).sqrt().toNumber()];
}

export function stepLabel(view: Pick<SpiralView, 'blocks'>, step: number): string {
  return step === 0 ? 'After the shock' : `After block ${step} of ${view.blocks}`;
}

export interface Stat {
  label: string;
  value: string;
  note?: string;
  wide?: boolean;
}

export function stats(view: SpiralView, step: number): Stat[] {
  const f = view.steps[step]!;
  const out: Stat[] = [
    { label: 'Pool price', value: price(f.pool), note: formatSignedPercent(f.pool.sub(view.initial).div(view.initial)) },
    { label: 'Oracle price', value: price(f.oracle), note: f.oracleUpdated ? 'published this block' : 'not updated' },
    { label: 'Outside price', value: price(f.reference) },
    {
      label: 'Borrowers liquidated',
      value: count(f.accounts),
      note: f.backlog > 0 ? `${count(f.backlog)} waiting${f.unprofitable > 0 ? `, ${count(f.unprofitable)} not worth the gas` : ''}` : `of ${count(view.borrowers)}`,
    },
    { label: 'Debt repaid', value: usdc(f.repaid) },
    { label: 'WETH sold into the pool', value: weth(f.sold) },
    { label: 'Bad debt', value: usdc(f.badDebt) },
  ];
  if (f.gasPrice !== null && f.gasCost !== null) out.push({ label: 'Base fee', value: gwei(f.gasPrice), note: `${usdc(f.gasCost)} a liquidation` });
  out.push({ label: 'The run', value: view.stopShort, wide: true });
  return out;
}

/** The text equivalent of the figure at a step. */
export function summary(view: SpiralView, step: number, pool: string): string {
  const f = view.steps[step]!;
  const start = price(view.initial);
  const change = formatSignedPercent(f.pool.sub(view.initial).div(view.initial));
  const oracleWord = view.oracle === 'pool' ? 'The oracle, which reads the pool,' : 'The oracle, which reads the outside market,';
  if (step === 0) {
    const what =
      view.kind === 'move'
        ? `The outside WETH price falls to ${price(f.reference)}${view.over > 1 ? `, the first of ${view.over} equal steps down to ${price(view.target)},` : ''} and arbitrageurs sell WETH into the pool until it matches: the pool's price goes from ${start} to ${price(f.pool)} (${change}), with ${weth(f.reserveX)} and ${amount(f.reserveY)} in its reserves (${weth(new Decimal(pool))} before).`
        : `A sell of WETH into the pool takes its price from ${start} to ${price(f.pool)} (${change}); the outside price stays at ${price(f.reference)}.`;
    const hit =
      f.backlog > 0
        ? `${plural(f.backlog, 'borrower is', 'borrowers are')} now below a health factor of 1.`
        : 'no borrower is below a health factor of 1 yet.';
    return `${what} ${oracleWord} reports ${price(f.oracle)}, so ${hit}${view.blocks === 0 ? ` ${view.stop}` : ''}`;
  }
  let text = `${stepLabel(view, step)} the pool's price is ${price(f.pool)} (${change} from ${start}; outside: ${price(f.reference)}) and the oracle reports ${price(f.oracle)}. `;
  text += `${plural(f.accounts, 'borrower has', 'borrowers have')} been liquidated: ${amount(f.repaid)} of debt repaid and ${weth(f.sold)} sold into the pool.`;
  if (f.backlog > 0) {
    text += ` ${plural(f.backlog, 'borrower waits', 'borrowers wait')} in the backlog`;
    text += f.unprofitable > 0 ? `, ${count(f.unprofitable)} of them not worth the gas.` : '.';
  }
  if (f.gasPrice !== null) text += ` The base fee is ${gwei(f.gasPrice)}.`;
  text += f.badDebt.gt(0) ? ` Bad debt so far: ${amount(f.badDebt)}.` : ' No bad debt.';
  if (step === view.blocks) text += ` ${view.stop}`;
  return text;
}

export interface TableRow {
  step: string;
  pool: string;
  oracle: string;
  liquidations: string;
  backlog: string;
  repaid: string;
  sold: string;
  gas: string;
  badDebt: string;
}

/** The per-block table: the shock, then every block as the engine reported it. */
export function tableRows(view: SpiralView): TableRow[] {
  return view.steps.map((f, k) => {
    const round = view.result.rounds[k]!;
    const p = round.protocols[0]!;
    return {
      step: k === 0 ? 'Shock' : String(k),
      pool: formatDecimal(f.pool, 2),
      oracle: `${formatDecimal(f.oracle, 2)}${f.oracleUpdated ? '' : ' (held)'}`,
      liquidations: count(f.liquidations),
      backlog: count(f.backlog),
      repaid: formatDecimal(p.debtRepaid, 0),
      sold: formatDecimal(round.pools[0]!.soldByLiquidators, 2),
      gas: f.gasPrice === null ? '—' : formatDecimal(f.gasPrice, 1),
      badDebt: formatDecimal(f.badDebt, 0),
    };
  });
}

/** A share for sentences: "12.5 %". */
export const share = (fraction: Decimal) => formatPercent(fraction, 1);
