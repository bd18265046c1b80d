/**
 * The site's standard cross-protocol contagion scenario, as an input for simulateLendingCascade (onchain.ts).
 *
 * Three lending protocols, all lending USDC (the numeraire, price 1):
 *  - Protocol A lends against WETH to leveraged borrowers (health factors close to 1).
 *  - Protocol B lends against WETH to more cautious borrowers. A and B are linked twice: their liquidators sell
 *    seized WETH into one WETH/USDC constant-product pool, and both price WETH with one oracle that follows that
 *    pool (with a delay in blocks and a deviation threshold, as push oracles publish).
 *  - Protocol C lends against A's supplier receipt token (the token A's lenders hold, like an aToken). A receipt
 *    oracle reads A's receipt price, which falls below 1 as soon as A books bad debt, so A's losses reach C's
 *    borrowers. C's liquidators redeem the seized receipts at that price (no pool of their own).
 *
 * Links the reader can cut, one by one:
 *  - `sharedPool: false`: B's liquidators sell into a WETH/USDC pool of their own, as deep as the shared one. Both
 *    pools are arbitraged toward the outside price, so each protocol's sales now move only its own pool.
 *  - `sharedOracle: false`: B prices WETH with an oracle of its own that reads the outside reference price, so the
 *    pool A's liquidators push down no longer sets B's health factors. (The shared oracle keeps following the
 *    shared pool for A.)
 *  - `receiptMarked: false`: C stops marking A's receipt to A's books and prices it at a fixed 1 USDC, as lending
 *    markets often hard-code the price of a yield-bearing stablecoin. Honestly told, this does not cut the loss: it
 *    stops C's liquidations, so C's lenders end up holding loans backed by receipts worth less than the price C
 *    uses. A fixed price never moves, so C has nothing for the engine to simulate: the builder leaves C out of the
 *    system and `hiddenReceiptLoss` measures what its lenders are owed beyond the collateral's real value.
 *
 * Parameters from Aave v3 Ethereum (protocolPreset('aave-v3-ethereum')): A's and B's WETH liquidation threshold,
 * bonus and protocol fee and the close-factor rule; C's from Aave's USDC row, since A's receipt is a claim on USDC.
 * Everything else is the site's assumption, named in CONTAGION_ASSUMPTIONS: the health-factor spreads, position
 * sizes, prices, the pool's fee and depth, the oracle settings.
 *
 * Populations are the slow part (three seeded draws of up to 100,000 borrowers); `contagionPopulations` builds them
 * on their own inputs (count, seed) so a caller that changes only the shock, a link or the pool can reuse them.
 */
import { Decimal, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { positive, nonNegative } from './parse.ts';
import { protocolPreset } from './lending.ts';
import { COLLATERAL_DECIMALS, DEBT_DECIMALS, borrowerData, createBorrowers, type BorrowerPopulation, type BorrowerPopulationParams } from './borrowers.ts';
import { fromScaled } from './exact.ts';
import type { LendingProtocolInput, LendingSystemInput, OnchainResult, OracleInput, PoolInput } from './onchain.ts';

/** WETH in USDC before the shock, on the outside market and in every pool. */
export const CONTAGION_PRICE = new Decimal(3000);
export const CONTAGION_PRESET = 'aave-v3-ethereum';

/** Protocol ids, pool ids and oracle ids of the scenario, for callers that read the engine's rounds. */
export const CONTAGION_IDS = {
  protocols: ['A', 'B', 'C'] as const,
  sharedPool: 'weth-usdc',
  ownPoolB: 'weth-usdc-b',
  sharedOracle: 'weth-pool-oracle',
  referenceOracleB: 'weth-reference-oracle',
  receiptOracle: 'a-receipt-oracle',
  receiptAsset: 'A-USDC receipt',
} as const;

export type ContagionProtocolId = (typeof CONTAGION_IDS.protocols)[number];

export interface ContagionLinks {
  /** A's and B's liquidators sell into one WETH/USDC pool (default true). */
  sharedPool?: boolean;
  /** A and B price WETH with one oracle that follows the shared pool (default true). */
  sharedOracle?: boolean;
  /** C prices A's receipt at A's receipt price (default true); false: at a fixed 1 USDC. */
  receiptMarked?: boolean;
}

export interface ContagionParams {
  /** Borrowers in each protocol, 1 to 100,000 (default 10,000). */
  borrowersPerProtocol?: number;
  /** Seed of the three populations (default 1); each protocol draws from its own offset of it. */
  seed?: number;
  links?: ContagionLinks;
  /** WETH in the shared pool (and in B's own pool when it has one), default 150,000. */
  poolDepth?: Numeric;
  /** Rounds (blocks) the WETH oracles report behind their source, default 1. */
  oracleDelay?: number;
  /** Smallest relative move the WETH oracles publish, default 0.005 (0.5 %). */
  oracleDeviation?: Numeric;
}

export interface ContagionPopulations {
  A: BorrowerPopulation;
  B: BorrowerPopulation;
  C: BorrowerPopulation;
}

/** What each protocol's borrowers look like: the site's assumptions, not a protocol's published data. */
export const CONTAGION_ASSUMPTIONS = {
  A: { name: 'Protocol A', healthFactor: { minimum: '1.01', median: '1.15', sigma: '0.6' }, meanCollateralValue: '10000' },
  B: { name: 'Protocol B', healthFactor: { minimum: '1.27', median: '1.5', sigma: '0.6' }, meanCollateralValue: '10000' },
  C: { name: 'Protocol C', healthFactor: { minimum: '1.002', median: '1.03', sigma: '0.8' }, meanCollateralValue: '5000' },
  poolFee: '0.003',
  defaults: { borrowersPerProtocol: 10_000, seed: 1, poolDepth: '150000', oracleDelay: 1, oracleDeviation: '0.005' },
} as const;

/** Seeds are offset per protocol so the three populations are independent draws of one reader's seed. */
const SEED_OFFSET: Record<ContagionProtocolId, number> = { A: 0, B: 1_000_003, C: 2_000_006 };

function wethRow() {
  const row = protocolPreset(CONTAGION_PRESET).assets.find((a) => a.asset === 'WETH');
  if (!row) throw new Error(`${CONTAGION_PRESET} has no WETH row`);
  return row;
}

function usdcRow() {
  const row = protocolPreset(CONTAGION_PRESET).assets.find((a) => a.asset === 'USDC');
  if (!row) throw new Error(`${CONTAGION_PRESET} has no USDC row`);
  return row;
}

function count(params: ContagionParams): number {
  const n = params.borrowersPerProtocol ?? CONTAGION_ASSUMPTIONS.defaults.borrowersPerProtocol;
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new EngineInputError('borrowersPerProtocol', `must be a whole number from 1 to 100,000, got ${String(n)}`);
  return n;
}

function seedOf(params: ContagionParams): number {
  const seed = params.seed ?? CONTAGION_ASSUMPTIONS.defaults.seed;
  if (!Number.isInteger(seed) || seed < 0) throw new EngineInputError('seed', `must be a whole number of 0 or more, got ${String(seed)}`);
  return seed;
}

/** The population parameters of one protocol (exported for tests and the lesson's assumptions table). */
export function contagionPopulationParams(id: ContagionProtocolId, borrowers: number): BorrowerPopulationParams {
  const a = CONTAGION_ASSUMPTIONS[id];
  // C's borrowers hold A's receipt, worth 1 USDC before the shock; A's and B's hold WETH.
  const price = id === 'C' ? '1' : CONTAGION_PRICE;
  const liquidationThreshold = id === 'C' ? usdcRow().liquidationThreshold : wethRow().liquidationThreshold;
  return { count: borrowers, price, liquidationThreshold, healthFactor: { ...a.healthFactor }, meanCollateralValue: a.meanCollateralValue };
}

/** The three seeded populations; they depend only on the borrower count and the seed. */
export function contagionPopulations(params: Pick<ContagionParams, 'borrowersPerProtocol' | 'seed'> = {}): ContagionPopulations {
  const n = count(params);
  const seed = seedOf(params);
  return {
    A: createBorrowers(contagionPopulationParams('A', n), seed + SEED_OFFSET.A),
    B: createBorrowers(contagionPopulationParams('B', n), seed + SEED_OFFSET.B),
    C: createBorrowers(contagionPopulationParams('C', n), seed + SEED_OFFSET.C),
  };
}

/**
 * The standard scenario as a LendingSystemInput. Pass `populations` from contagionPopulations (built with the same
 * count and seed) to reuse them; without it they are drawn here.
 */
export function contagionNetwork(params: ContagionParams = {}, populations?: ContagionPopulations): LendingSystemInput {
  const n = count(params);
  const pops = populations ?? contagionPopulations(params);
  for (const id of CONTAGION_IDS.protocols) {
    if (pops[id].count !== n) throw new EngineInputError('populations', `must be built for ${n} borrowers per protocol, protocol ${id} has ${pops[id].count}`);
  }
  const links = { sharedPool: true, sharedOracle: true, receiptMarked: true, ...params.links };
  const depth = positive('poolDepth', params.poolDepth ?? CONTAGION_ASSUMPTIONS.defaults.poolDepth);
  const delay = params.oracleDelay ?? CONTAGION_ASSUMPTIONS.defaults.oracleDelay;
  if (!Number.isInteger(delay) || delay < 0 || delay > 50) throw new EngineInputError('oracleDelay', `must be a whole number of blocks from 0 to 50, got ${String(delay)}`);
  const deviation = nonNegative('oracleDeviation', params.oracleDeviation ?? CONTAGION_ASSUMPTIONS.defaults.oracleDeviation);
  if (deviation.gte(1)) throw new EngineInputError('oracleDeviation', `must be below 1 (a share), got ${deviation.toString()}`);

  const poolOf = (id: string): PoolInput => ({ id, collateralReserve: depth, debtReserve: depth.mul(CONTAGION_PRICE), fee: CONTAGION_ASSUMPTIONS.poolFee });
  const pools: PoolInput[] = [poolOf(CONTAGION_IDS.sharedPool)];
  if (!links.sharedPool) pools.push(poolOf(CONTAGION_IDS.ownPoolB));

  const oracles: OracleInput[] = [
    { id: CONTAGION_IDS.sharedOracle, source: { pool: CONTAGION_IDS.sharedPool }, delayRounds: delay, deviationThreshold: deviation },
  ];
  if (!links.sharedOracle) {
    // The same delay and threshold as the shared oracle: only its source differs, so the comparison is about the link.
    oracles.push({ id: CONTAGION_IDS.referenceOracleB, source: 'reference', delayRounds: delay, deviationThreshold: deviation });
  }
  if (links.receiptMarked) oracles.push({ id: CONTAGION_IDS.receiptOracle, source: { receiptOf: 'A' } });

  const weth = wethRow();
  const usdc = usdcRow();
  const closeFactor = protocolPreset(CONTAGION_PRESET).closeFactor;
  const wethLender = (id: 'A' | 'B', oracle: string, pool: string): LendingProtocolInput => ({
    id,
    name: CONTAGION_ASSUMPTIONS[id].name,
    collateralAsset: 'WETH',
    debtAsset: 'USDC',
    liquidationThreshold: weth.liquidationThreshold,
    liquidationBonus: weth.liquidationBonus,
    protocolFee: weth.liquidationProtocolFee ?? '0',
    closeFactor,
    borrowers: pops[id],
    oracle,
    market: { pool },
  });
  const protocols: LendingProtocolInput[] = [
    wethLender('A', CONTAGION_IDS.sharedOracle, CONTAGION_IDS.sharedPool),
    wethLender('B', links.sharedOracle ? CONTAGION_IDS.sharedOracle : CONTAGION_IDS.referenceOracleB, links.sharedPool ? CONTAGION_IDS.sharedPool : CONTAGION_IDS.ownPoolB),
  ];
  if (links.receiptMarked) {
    protocols.push({
      id: 'C',
      name: CONTAGION_ASSUMPTIONS.C.name,
      collateralAsset: CONTAGION_IDS.receiptAsset,
      debtAsset: 'USDC',
      liquidationThreshold: usdc.liquidationThreshold,
      liquidationBonus: usdc.liquidationBonus,
      protocolFee: usdc.liquidationProtocolFee ?? '0',
      closeFactor,
      borrowers: pops.C,
      oracle: CONTAGION_IDS.receiptOracle,
      market: 'redeem',
    });
  }
  return { pools, oracles, protocols, referencePrice: CONTAGION_PRICE };
}

/** The outside price after a fall of `fall` (a share, 0.25 for −25 %), the shock simulateLendingCascade takes. */
export function contagionShock(fall: Numeric): { referencePrice: Decimal } {
  const share = nonNegative('fall', fall);
  if (share.gte(1)) throw new EngineInputError('fall', `must be below 1 (a share of the price), got ${share.toString()}`);
  return { referencePrice: CONTAGION_PRICE.mul(new Decimal(1).sub(share)) };
}

export interface HiddenReceiptLoss {
  /** C's borrowers whose debt exceeds their receipts at the receipt's real price. */
  accounts: number;
  /** Σ max(0, debt − receipts × real price): what C's lenders are owed beyond the collateral's worth, USDC. */
  loss: Decimal;
  /** Σ debt of those accounts. */
  debt: Decimal;
}

/**
 * What a fixed receipt price hides: with C pricing A's receipt at 1, none of C's borrowers is ever liquidated, but
 * each is short of covering its debt by debt − receipts × realPrice when that is positive. Returns a function of the
 * real price, exact: the population is sorted by debt per unit of collateral (highest first), so the accounts under
 * water at a price are a prefix of that order, found by binary search, and their totals are prefix sums.
 */
export function hiddenReceiptLoss(population: BorrowerPopulation): (realPrice: Numeric) => HiddenReceiptLoss {
  const data = borrowerData(population, 'population');
  const c = new Array<bigint>(data.n + 1);
  const d = new Array<bigint>(data.n + 1);
  c[0] = 0n;
  d[0] = 0n;
  for (let i = 0; i < data.n; i++) {
    c[i + 1] = c[i]! + data.c[i]!;
    d[i + 1] = d[i]! + data.d[i]!;
  }
  return (realPrice: Numeric) => {
    const price = nonNegative('realPrice', realPrice);
    // Account i is under water when its debt exceeds its receipts at the real price. Sorted by d ÷ c, highest first.
    const under = (i: number) => fromScaled(data.d[i]!, DEBT_DECIMALS).gt(fromScaled(data.c[i]!, COLLATERAL_DECIMALS).mul(price));
    let lo = 0;
    let hi = data.n;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (under(mid)) lo = mid + 1;
      else hi = mid;
    }
    const debt = fromScaled(d[lo]!, DEBT_DECIMALS);
    const collateral = fromScaled(c[lo]!, COLLATERAL_DECIMALS);
    return { accounts: lo, loss: debt.sub(collateral.mul(price)), debt };
  };
}

/**
 * The highest collateral price at which one of the population's borrowers is liquidatable (HF < 1 below it):
 * max over borrowers of debt ÷ (collateral × liquidation threshold), exact. A shock that takes the price below it
 * hits the protocol directly; one that does not can only reach it through a link.
 */
export function firstLiquidationPrice(population: BorrowerPopulation, liquidationThreshold: Numeric): Decimal {
  const data = borrowerData(population, 'population');
  const lt = positive('liquidationThreshold', liquidationThreshold);
  // The first account in the population's order has the highest debt per unit of collateral.
  return fromScaled(data.d[0]!, DEBT_DECIMALS).div(fromScaled(data.c[0]!, COLLATERAL_DECIMALS).mul(lt));
}

/** Liquidation thresholds the scenario uses, by protocol (for firstLiquidationPrice and the lesson). */
export function contagionThresholds(): Record<ContagionProtocolId, string> {
  return { A: wethRow().liquidationThreshold, B: wethRow().liquidationThreshold, C: usdcRow().liquidationThreshold };
}

export interface ProtocolPressure {
  id: string;
  /** Debt of accounts below HF 1 and not yet liquidated at the end of the round, share of the protocol's debt before the shock. */
  liquidatable: Decimal;
  /** Debt repaid by liquidators so far, same share. */
  liquidated: Decimal;
  /** Debt burned as bad debt so far, same share. */
  badDebt: Decimal;
  /** The three together, at most 1: how much of the protocol's book the shock has put in play. */
  pressure: Decimal;
}

/**
 * Pressure on each protocol after each round of a simulateLendingCascade result: what share of its debt before the
 * shock is liquidatable, has been liquidated, or has gone bad. Round 0's open debt is the debt before the shock
 * (nothing is liquidated in round 0). A protocol with no debt has no pressure.
 */
export function contagionPressure(result: OnchainResult): ProtocolPressure[][] {
  const first = result.rounds[0];
  if (!first) return [];
  const initial = new Map(first.protocols.map((p) => [p.id, p.totalDebt.add(p.badDebt)]));
  const repaid = new Map<string, Decimal>();
  return result.rounds.map((round) =>
    round.protocols.map((p) => {
      const base = initial.get(p.id) ?? new Decimal(0);
      const sofar = (repaid.get(p.id) ?? new Decimal(0)).add(p.debtRepaid);
      repaid.set(p.id, sofar);
      if (base.isZero()) {
        const zero = new Decimal(0);
        return { id: p.id, liquidatable: zero, liquidated: zero, badDebt: zero, pressure: zero };
      }
      const liquidatable = p.backlogDebt.div(base);
      const liquidated = sofar.div(base);
      const badDebt = p.badDebt.div(base);
      const total = liquidatable.add(liquidated).add(badDebt);
      return { id: p.id, liquidatable, liquidated, badDebt, pressure: Decimal.min(total, 1) };
    }),
  );
}
