/**
 * The contagion scenario (contagion.ts): what the builder wires together and what each cut changes, the populations'
 * determinism and independence, the exact helpers (hidden receipt loss, first liquidation price, pressure) against
 * brute force, and the behaviour the lessons and the widget describe (B reached only through the shared oracle, C
 * only through A's receipt, a fixed receipt price hiding rather than removing the loss).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { borrowerList, borrowerTotals } from './borrowers.ts';
import { protocolPreset } from './lending.ts';
import { simulateLendingCascade, type OnchainResult } from './onchain.ts';
import {
  CONTAGION_ASSUMPTIONS,
  CONTAGION_IDS,
  CONTAGION_PRICE,
  contagionNetwork,
  contagionPopulations,
  contagionPressure,
  contagionShock,
  contagionThresholds,
  firstLiquidationPrice,
  hiddenReceiptLoss,
  type ContagionLinks,
  type ContagionPopulations,
} from './contagion.ts';
import { engineError, runs } from '../../tests/unit/engine-testkit.ts';

const D = (x: string | number) => new Decimal(x);
const preset = protocolPreset('aave-v3-ethereum');
const row = (asset: string) => preset.assets.find((a) => a.asset === asset)!;

describe('the network the builder wires', () => {
  const small = contagionPopulations({ borrowersPerProtocol: 200, seed: 5 });

  it('links A and B through one pool and one oracle that follows it, and C to A through a receipt oracle', () => {
    const system = contagionNetwork({ borrowersPerProtocol: 200, seed: 5 }, small);
    expect(system.referencePrice.toString()).toBe('3000');
    expect(system.pools.map((p) => p.id)).toEqual([CONTAGION_IDS.sharedPool]);
    expect(system.pools[0]).toMatchObject({ collateralReserve: D('150000'), debtReserve: D('450000000'), fee: '0.003' });
    expect(system.oracles).toEqual([
      { id: CONTAGION_IDS.sharedOracle, source: { pool: CONTAGION_IDS.sharedPool }, delayRounds: 1, deviationThreshold: D('0.005') },
      { id: CONTAGION_IDS.receiptOracle, source: { receiptOf: 'A' } },
    ]);
    const [a, b, c] = system.protocols;
    expect(system.protocols).toHaveLength(3);
    for (const p of [a!, b!]) {
      expect(p).toMatchObject({ collateralAsset: 'WETH', debtAsset: 'USDC', oracle: CONTAGION_IDS.sharedOracle, market: { pool: CONTAGION_IDS.sharedPool } });
      // Aave v3 Ethereum's WETH row and close factor, not numbers typed here.
      expect(p.liquidationThreshold).toBe(row('WETH').liquidationThreshold);
      expect(p.liquidationBonus).toBe(row('WETH').liquidationBonus);
      expect(p.protocolFee).toBe(row('WETH').liquidationProtocolFee);
      expect(p.closeFactor).toEqual(preset.closeFactor);
    }
    expect(a!.borrowers).toBe(small.A);
    expect(b!.borrowers).toBe(small.B);
    expect(c).toMatchObject({ id: 'C', collateralAsset: CONTAGION_IDS.receiptAsset, oracle: CONTAGION_IDS.receiptOracle, market: 'redeem' });
    expect(c!.liquidationThreshold).toBe(row('USDC').liquidationThreshold);
    expect(c!.liquidationBonus).toBe(row('USDC').liquidationBonus);
    expect(c!.borrowers).toBe(small.C);
  });

  it('gives B a pool of its own, as deep, when the pool link is cut', () => {
    const system = contagionNetwork({ borrowersPerProtocol: 200, seed: 5, links: { sharedPool: false }, poolDepth: '8000' }, small);
    expect(system.pools.map((p) => [p.id, p.collateralReserve.toString()])).toEqual([
      [CONTAGION_IDS.sharedPool, '8000'],
      [CONTAGION_IDS.ownPoolB, '8000'],
    ]);
    expect(system.protocols[1]).toMatchObject({ market: { pool: CONTAGION_IDS.ownPoolB }, oracle: CONTAGION_IDS.sharedOracle });
    expect(system.protocols[0]).toMatchObject({ market: { pool: CONTAGION_IDS.sharedPool } });
  });

  it('gives B an oracle of the outside price, with the same delay and threshold, when the oracle link is cut', () => {
    const system = contagionNetwork({ borrowersPerProtocol: 200, seed: 5, links: { sharedOracle: false }, oracleDelay: 3, oracleDeviation: '0.01' }, small);
    expect(system.oracles).toContainEqual({ id: CONTAGION_IDS.referenceOracleB, source: 'reference', delayRounds: 3, deviationThreshold: D('0.01') });
    expect(system.protocols[1]).toMatchObject({ oracle: CONTAGION_IDS.referenceOracleB, market: { pool: CONTAGION_IDS.sharedPool } });
    expect(system.protocols[0]).toMatchObject({ oracle: CONTAGION_IDS.sharedOracle });
  });

  it('leaves C out (nothing to simulate at a fixed price) when the receipt link is cut', () => {
    const system = contagionNetwork({ borrowersPerProtocol: 200, seed: 5, links: { receiptMarked: false } }, small);
    expect(system.protocols.map((p) => p.id)).toEqual(['A', 'B']);
    expect(system.oracles.map((o) => o.id)).toEqual([CONTAGION_IDS.sharedOracle]);
  });

  it('refuses settings it cannot honour, naming the field', () => {
    expect(engineError(() => contagionPopulations({ borrowersPerProtocol: 0 })).field).toBe('borrowersPerProtocol');
    expect(engineError(() => contagionPopulations({ borrowersPerProtocol: 100_001 })).field).toBe('borrowersPerProtocol');
    expect(engineError(() => contagionPopulations({ seed: -1 })).field).toBe('seed');
    expect(engineError(() => contagionNetwork({ borrowersPerProtocol: 200, oracleDelay: 51 }, small)).field).toBe('oracleDelay');
    expect(engineError(() => contagionNetwork({ borrowersPerProtocol: 200, oracleDeviation: '1' }, small)).field).toBe('oracleDeviation');
    expect(engineError(() => contagionNetwork({ borrowersPerProtocol: 200, poolDepth: '0' }, small)).field).toBe('poolDepth');
    // Populations built for another count would silently change the scenario.
    expect(engineError(() => contagionNetwork({ borrowersPerProtocol: 300 }, small)).field).toBe('populations');
    expect(engineError(() => contagionShock('1')).field).toBe('fall');
    expect(contagionShock('0.25').referencePrice.toString()).toBe('2250');
  });
});

describe('the populations', () => {
  it('are the same for the same seed and independent across protocols', () => {
    const one = contagionPopulations({ borrowersPerProtocol: 300, seed: 9 });
    const two = contagionPopulations({ borrowersPerProtocol: 300, seed: 9 });
    const other = contagionPopulations({ borrowersPerProtocol: 300, seed: 10 });
    for (const id of ['A', 'B', 'C'] as const) {
      expect(borrowerList(two[id])).toEqual(borrowerList(one[id]));
      expect(borrowerList(other[id])).not.toEqual(borrowerList(one[id]));
    }
    expect(borrowerList(one.A)).not.toEqual(borrowerList(one.B));
  });

  it('start with no borrower liquidatable, the nearest at the health factor the assumptions set', () => {
    const pops = contagionPopulations({ borrowersPerProtocol: 2000, seed: 1 });
    const lt = contagionThresholds();
    for (const id of ['A', 'B'] as const) {
      const first = firstLiquidationPrice(pops[id], lt[id]);
      const minimum = D(CONTAGION_ASSUMPTIONS[id].healthFactor.minimum);
      // HF ≥ minimum at 3,000 means the first liquidation price is at most 3,000 ÷ minimum.
      expect(first.lte(CONTAGION_PRICE.div(minimum))).toBe(true);
      expect(first.gt(CONTAGION_PRICE.div(minimum).mul('0.95'))).toBe(true);
    }
    expect(firstLiquidationPrice(pops.C, lt.C).lte(D(1).div(CONTAGION_ASSUMPTIONS.C.healthFactor.minimum))).toBe(true);
  });
});

describe('exact helpers against brute force', () => {
  const pops = contagionPopulations({ borrowersPerProtocol: 400, seed: 3 });
  const list = borrowerList(pops.C);

  it('hiddenReceiptLoss sums every loan whose debt exceeds its receipts at the real price', () => {
    const loss = hiddenReceiptLoss(pops.C);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 12_000 }), (tenThousandths) => {
        const price = D(tenThousandths).div(10_000);
        let accounts = 0;
        let total = D(0);
        let debt = D(0);
        for (const b of list) {
          const gap = b.debt.sub(b.collateral.mul(price));
          if (gap.gt(0)) {
            accounts += 1;
            total = total.add(gap);
            debt = debt.add(b.debt);
          }
        }
        const got = loss(price);
        expect(got.accounts).toBe(accounts);
        expect(got.loss.eq(total)).toBe(true);
        expect(got.debt.eq(debt)).toBe(true);
      }),
      runs(60),
    );
    // At 0 every loan is under water by its whole debt; at 1 none is (HF ≥ 1 with a threshold below 1).
    expect(loss(0).debt.eq(borrowerTotals(pops.C).debt)).toBe(true);
    expect(loss(1).accounts).toBe(0);
  });

  it('firstLiquidationPrice is the highest debt ÷ (collateral × threshold)', () => {
    const lt = D(contagionThresholds().A);
    const brute = borrowerList(pops.A).reduce((best, b) => Decimal.max(best, b.debt.div(b.collateral.mul(lt))), D(0));
    expect(firstLiquidationPrice(pops.A, lt).eq(brute)).toBe(true);
  });
});

// The scenario the widget opens with and the lessons quote: 3 × 10,000 borrowers, a 20 % fall.
describe('the standard scenario', () => {
  let pops: ContagionPopulations;
  const run = (links: ContagionLinks, fall = '0.2'): OnchainResult => simulateLendingCascade(contagionNetwork({ links }, pops), contagionShock(fall), { maxRounds: 200 });
  const totals = (result: OnchainResult, id: string) => result.protocols.find((p) => p.id === id);
  let whole: OnchainResult;
  beforeAll(() => {
    pops = contagionPopulations();
    whole = run({});
  });

  it('is deterministic and settles', () => {
    expect(run({})).toEqual(whole);
    expect(whole.stopReason).toBe('fixed-point');
  });

  it('hits A first, C through A’s bad debt, and B only once the shared oracle reports the pool A’s liquidators sold into', () => {
    const a = totals(whole, 'A')!;
    const b = totals(whole, 'B')!;
    const c = totals(whole, 'C')!;
    expect(a.firstRoundHit).toBe(1);
    // The fall alone stops above B's first liquidation price.
    expect(contagionShock('0.2').referencePrice.gt(firstLiquidationPrice(pops.B, contagionThresholds().B))).toBe(true);
    expect(b.firstRoundHit).not.toBeNull();
    expect(b.firstRoundHit!).toBeGreaterThan(a.firstRoundHit!);
    const bRound = whole.rounds[b.firstRoundHit!]!;
    expect(bRound.protocols.find((p) => p.id === 'B')!.oraclePrice.lt(firstLiquidationPrice(pops.B, contagionThresholds().B))).toBe(true);
    // C is hit after A has booked bad debt, which lowered A's receipt.
    expect(a.badDebt.gt(0)).toBe(true);
    expect(c.firstRoundHit).not.toBeNull();
    const before = whole.rounds[c.firstRoundHit! - 1]!.protocols.find((p) => p.id === 'A')!;
    expect(before.badDebt.gt(0)).toBe(true);
    expect(before.receiptPrice.lt(1)).toBe(true);
  });

  it('spares B when B prices WETH from the outside market, and changes nothing for A’s first hit', () => {
    const cut = run({ sharedOracle: false });
    expect(totals(cut, 'B')!.liquidations).toBe(0);
    expect(totals(cut, 'A')!.firstRoundHit).toBe(1);
    expect(totals(whole, 'B')!.liquidations).toBeGreaterThan(0);
  });

  it('still reaches B through the oracle when only the pool is separate', () => {
    const cut = run({ sharedPool: false });
    expect(totals(cut, 'B')!.liquidations).toBeGreaterThan(0);
    expect(totals(cut, 'B')!.liquidations).toBeLessThanOrEqual(totals(whole, 'B')!.liquidations);
  });

  it('with a fixed receipt price liquidates nothing at C but, after a large fall, leaves its lenders a hidden loss', () => {
    const deep = run({}, '0.45');
    const fixed = run({ receiptMarked: false }, '0.45');
    expect(fixed.protocols.map((p) => p.id)).toEqual(['A', 'B']);
    const receipt = fixed.rounds.at(-1)!.protocols.find((p) => p.id === 'A')!.receiptPrice;
    expect(receipt.lt(1)).toBe(true);
    const hidden = hiddenReceiptLoss(pops.C)(receipt);
    expect(hidden.loss.gt(0)).toBe(true);
    expect(totals(deep, 'C')!.badDebt.gt(0)).toBe(true);
  });

  it('measures pressure as shares of each protocol’s debt before the shock', () => {
    const pressure = contagionPressure(whole);
    expect(pressure).toHaveLength(whole.rounds.length);
    for (const p of pressure[0]!) expect(p.liquidated.isZero()).toBe(true);
    for (const id of ['A', 'B', 'C']) {
      const series = pressure.map((round) => round.find((p) => p.id === id)!);
      for (let r = 1; r < series.length; r++) expect(series[r]!.liquidated.gte(series[r - 1]!.liquidated)).toBe(true);
      for (const p of series) {
        expect(p.pressure.gte(0) && p.pressure.lte(1)).toBe(true);
        expect(p.pressure.eq(Decimal.min(1, p.liquidatable.add(p.liquidated).add(p.badDebt)))).toBe(true);
      }
      const initial = whole.rounds[0]!.protocols.find((p) => p.id === id)!.totalDebt;
      const repaid = whole.rounds.reduce((sum, round) => sum.add(round.protocols.find((p) => p.id === id)!.debtRepaid), D(0));
      expect(series.at(-1)!.liquidated.eq(repaid.div(initial))).toBe(true);
      expect(series.at(-1)!.badDebt.eq(totals(whole, id)!.badDebt.div(initial))).toBe(true);
    }
  });
});
