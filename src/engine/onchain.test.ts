/**
 * The on-chain liquidation engine (onchain.ts): one borrower derived by hand through a whole cascade, oracle delay
 * and deviation, the block-space and gas bottleneck of 12 March 2020, receipt-token contagion between protocols,
 * and the errors a reader can trigger. Random systems and the agreement with lending.ts and amm.ts are in
 * onchain.property.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { borrowerList, borrowersFrom, createBorrowers, type BorrowerPopulation } from './borrowers.ts';
import { simulateLendingCascade, type LendingProtocolInput, type LendingSystemInput, type OnchainOptions } from './onchain.ts';

const D = (x: string | number) => new Decimal(x);

function engineError(fn: () => unknown): EngineInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineInputError);
    return error as EngineInputError;
  }
  throw new Error('expected an EngineInputError');
}

function weth(id: string, borrowers: BorrowerPopulation, extra: Partial<LendingProtocolInput> = {}): LendingProtocolInput {
  return {
    id,
    name: id.toUpperCase(),
    collateralAsset: 'WETH',
    debtAsset: 'USDC',
    liquidationThreshold: '0.86',
    liquidationBonus: '0.052',
    protocolFee: '0.1',
    borrowers,
    oracle: 'chainlink',
    market: { pool: 'weth-usdc' },
    ...extra,
  };
}

describe('one borrower, derived by hand', () => {
  // 5 WETH against 6,000 USDC; LT 0.86, bonus 5.2 %, protocol fee 10 % of the bonus (Aave v3 WETH-like). The
  // reference (a Chainlink-style oracle reads it) falls from 2,000 to 1,350. The pool the liquidator sells into
  // already quotes 1,350 (1,000 WETH / 1,350,000 USDC, fee 0.3 %), so round 0 moves no pool; arbitrage is off.
  const system: LendingSystemInput = {
    referencePrice: 2000,
    pools: [{ id: 'weth-usdc', collateralReserve: 1000, debtReserve: 1_350_000, fee: '0.003' }],
    oracles: [{ id: 'chainlink', source: 'reference' }],
    protocols: [weth('a', borrowersFrom([{ collateral: 5, debt: 6000 }]))],
  };
  const result = simulateLendingCascade(system, { referencePrice: 1350 }, { arbitrage: 0, details: true });

  it('round 0: the oracle publishes 1,350 and the account is under water, but nothing is liquidated yet', () => {
    const r0 = result.rounds[0]!;
    expect(r0.oracles[0]!.price.toString()).toBe('1350');
    // HF = 5 × 1,350 × 0.86 ÷ 6,000 = 5,805 ÷ 6,000 = 0.9675 < 1.
    expect(r0.protocols[0]!.backlog).toBe(1);
    expect(r0.protocols[0]!.backlogDebt.toString()).toBe('6000');
    expect(r0.protocols[0]!.liquidations).toBe(0);
    // Shortfall: debt 6,000 is below the collateral's whole value 6,750, so there is none.
    expect(r0.protocols[0]!.shortfall.toString()).toBe('0');
  });

  it('round 1: close factor, seizure, protocol fee, the sale, the new pool price', () => {
    const r1 = result.rounds[1]!;
    const p = r1.protocols[0]!;
    // HF 0.9675 is above 0.95 and the account's debt (6,000) and collateral (6,750) are both worth ≥ 2,000, so
    // v3.3 keeps the 50 % close factor: repay 3,000 USDC.
    expect(p.liquidations).toBe(1);
    expect(p.debtRepaid.toString()).toBe('3000');
    // Seized = 3,000 × 1.052 ÷ 1,350 = 2.3377777… WETH, floored to 10^−8: 2.33777777. Left: 2.66222223 WETH worth
    // 3,594, and 3,000 USDC of debt: both ≥ 1,000, so v3.3's no-dust rule does not step in.
    expect(p.collateralSeized.toString()).toBe('2.33777777');
    // Protocol fee = bonus part × 10 % = (2.3377777… × 0.052 ÷ 1.052) × 0.1 = 0.0115555… WETH → 0.01155555.
    expect(p.protocolFee.toString()).toBe('0.01155555');
    // The liquidator receives 2.33777777 − 0.01155555 = 2.32622222 WETH and sells it all in one swap.
    expect(p.collateralSold.toString()).toBe('2.32622222');
    // The swap (amm.ts semantics on the grid): 0.3 % fee on the input; debt reserve after =
    // ⌈1,000 × 1,350,000 ÷ (1,000 + 2.32622222 × 0.997)⌉ = ⌈1,346,876.2659038…⌉ = 1,346,876.265904 USDC (10^−6 grid),
    // so the liquidator gets 1,350,000 − 1,346,876.265904 = 3,123.734096 USDC for 3,000 repaid: profit 123.734096.
    expect(p.liquidatorProfit.toString()).toBe('123.734096');
    const pool = r1.pools[0]!;
    expect(pool.collateralReserve.toString()).toBe('1002.32622222');
    expect(pool.debtReserve.toString()).toBe('1346876.265904');
    expect(pool.soldByLiquidators.toString()).toBe('2.32622222');
    // New price = 1,346,876.265904 ÷ 1,002.32622222 = 1,343.7504038…
    expect(pool.price.toSignificantDigits(12).toString()).toBe('1343.75040386');
    // k did not fall: 1,002.32622222 × 1,346,876.265904 ≥ 1,000 × 1,350,000.
    expect(pool.collateralReserve.mul(pool.debtReserve).gte(D(1000).mul(1_350_000))).toBe(true);
    // The account: 2.66222223 WETH, 3,000 USDC, HF = 2.66222223 × 1,350 × 0.86 ÷ 3,000 = 1.0303 ≥ 1: healthy.
    expect(p.backlog).toBe(0);
    expect(p.totalCollateral.toString()).toBe('2.66222223');
    expect(p.totalDebt.toString()).toBe('3000');
    expect(p.badDebt.toString()).toBe('0');
  });

  it('round 2: nothing to liquidate, arbitrage off, prices still: a fixed point', () => {
    expect(result.rounds).toHaveLength(3);
    expect(result.rounds[2]!.protocols[0]!.liquidations).toBe(0);
    expect(result.stopReason).toBe('fixed-point');
    expect(result.protocols[0]!.firstRoundHit).toBe(1);
    expect(result.accounts!['a']![0]).toEqual({ collateral: D('2.66222223'), debt: D('3000'), liquidations: 1, badDebt: D(0) });
    expect(result.ledger.collateralBalance.isZero()).toBe(true);
    expect(result.ledger.debtBalance.isZero()).toBe(true);
    // The pool did not move in round 0 (it already quoted 1,350): no exogenous move, no amplification ratio.
    expect(result.amplification).toBeNull();
  });

  it('leaves the population untouched', () => {
    expect(borrowerList(system.protocols[0]!.borrowers).map((b) => [b.collateral.toString(), b.debt.toString()])).toEqual([['5', '6000']]);
  });
});

describe('oracles', () => {
  // Healthy borrowers only (nothing is liquidated), so every pool move is the shock and arbitrage: a sale of
  // 3,000 WETH into a 10,000 WETH pool, then arbitrage closing half the gap each block.
  const healthy = borrowersFrom([{ collateral: 1, debt: 100 }]);
  const system: LendingSystemInput = {
    referencePrice: 2000,
    pools: [{ id: 'weth-usdc', collateralReserve: 10_000, debtReserve: 20_000_000 }],
    oracles: [
      { id: 'spot', source: { pool: 'weth-usdc' } },
      { id: 'lagged', source: { pool: 'weth-usdc' }, delayRounds: 2 },
      { id: 'deviation', source: { pool: 'weth-usdc' }, deviationThreshold: '0.05' },
      { id: 'chainlink', source: 'reference' },
    ],
    protocols: [weth('a', healthy, { oracle: 'spot' })],
  };
  const result = simulateLendingCascade(system, { sellQuantity: 3000, pool: 'weth-usdc' });
  const floor8 = (x: Decimal) => x.toDecimalPlaces(8, Decimal.ROUND_DOWN);
  const poolAt = (r: number) => (r < 0 ? D(2000) : result.rounds[r]!.pools[0]!.price);
  const oracle = (r: number, id: string) => result.rounds[r]!.oracles.find((o) => o.id === id)!;

  it('a spot oracle publishes the pool price every round, rounded down to 8 decimals', () => {
    expect(result.rounds.length).toBeGreaterThan(4);
    for (let r = 0; r < result.rounds.length; r++) {
      expect(oracle(r, 'spot').price.toString()).toBe(floor8(poolAt(r)).toString());
      expect(oracle(r, 'spot').updated).toBe(true);
    }
  });

  it('delayRounds: 2 reports the pool price of two rounds earlier (the pre-shock price before that)', () => {
    for (let r = 0; r < result.rounds.length; r++) {
      expect(oracle(r, 'lagged').price.toString()).toBe(floor8(poolAt(r - 2)).toString());
    }
    expect(oracle(0, 'lagged').price.toString()).toBe('2000');
    expect(oracle(1, 'lagged').price.toString()).toBe('2000');
    expect(oracle(2, 'lagged').price.lt(1500)).toBe(true);
  });

  it('deviationThreshold: publishes only moves of at least 5 % from the last published price', () => {
    let published = D(2000);
    let updates = 0;
    let holds = 0;
    for (let r = 0; r < result.rounds.length; r++) {
      const o = oracle(r, 'deviation');
      const source = floor8(poolAt(r));
      const move = source.sub(published).abs().div(published);
      if (move.gte('0.05')) {
        expect(o.updated).toBe(true);
        expect(o.price.toString()).toBe(source.toString());
        published = source;
        updates++;
      } else {
        expect(o.updated).toBe(false);
        expect(o.price.toString()).toBe(published.toString());
        holds++;
      }
    }
    // The sale moved the pool by far more than 5 % (published), and the last steps of the recovery by less (held).
    expect(updates).toBeGreaterThanOrEqual(2);
    expect(holds).toBeGreaterThanOrEqual(1);
  });

  it("a 'reference' oracle reads the outside market, which a pool sale does not move", () => {
    for (let r = 0; r < result.rounds.length; r++) expect(oracle(r, 'chainlink').price.toString()).toBe('2000');
  });

  it('a lagging oracle lets a protocol liquidate later than a spot one', () => {
    const pop = createBorrowers({ count: 300, price: 2000, liquidationThreshold: '0.86', healthFactor: { minimum: '1.01', median: '1.3' }, meanCollateralValue: 20_000 }, 4);
    const run = (oracleId: string) =>
      simulateLendingCascade({ ...system, protocols: [weth('a', pop, { oracle: oracleId })] }, { referencePrice: 1600 });
    // The spot oracle publishes the shock in round 0, and liquidations start in the first block. The lagged one
    // publishes it in round 2 (the price of round 0), and liquidators act in that same block.
    expect(run('spot').protocols[0]!.firstRoundHit).toBe(1);
    expect(run('lagged').protocols[0]!.firstRoundHit).toBe(2);
  });
});

describe('the bottleneck of 12 March 2020: block space and gas', () => {
  // The outside market keeps falling after the shock (2,000 → 1,900, then to 1,200 over 30 blocks, as ETH fell for
  // hours); a Chainlink-style oracle follows it; the pool is deep. Unconstrained, liquidators keep up and every
  // account is cut while its collateral still covers its debt. With 4 liquidations per block and a base fee that
  // rises 12.5 % each full block (EIP-1559), they fall behind, small accounts stop paying for their gas, and the
  // accounts they leave behind sink below their debt: bad debt.
  const pop = createBorrowers({ count: 300, price: 2000, liquidationThreshold: '0.83', healthFactor: { minimum: '1.02', median: '1.3', sigma: '0.6' }, meanCollateralValue: 20_000 }, 7);
  const system: LendingSystemInput = {
    referencePrice: 2000,
    pools: [{ id: 'weth-usdc', collateralReserve: 100_000, debtReserve: 200_000_000 }],
    oracles: [{ id: 'chainlink', source: 'reference' }],
    protocols: [weth('a', pop, { liquidationThreshold: '0.83', liquidationBonus: '0.05', protocolFee: 0 })],
  };
  const path = Array.from({ length: 30 }, (_, i) => new Decimal(1900).sub(new Decimal(700).mul(i + 1).div(30)).toDecimalPlaces(2).toString());
  const free = simulateLendingCascade(system, { referencePrice: 1900 }, { referencePath: path });
  const constrained: OnchainOptions = { referencePath: path, liquidationsPerBlock: 4, gas: { gasPerLiquidation: 300_000, baseFeeGwei: 50, nativePrice: 'reference' } };
  const tight = simulateLendingCascade(system, { referencePrice: 1900 }, constrained);

  it('unconstrained: no backlog after any block and no bad debt', () => {
    expect(free.stopReason).toBe('fixed-point');
    expect(free.rounds.slice(1).every((r) => r.protocols[0]!.backlog === 0)).toBe(true);
    expect(free.protocols[0]!.badDebt.isZero()).toBe(true);
    expect(free.protocols[0]!.shortfall.isZero()).toBe(true);
  });

  it('constrained: a backlog builds, the base fee climbs, and bad debt appears', () => {
    expect(Math.max(...tight.rounds.map((r) => r.protocols[0]!.backlog))).toBeGreaterThan(100);
    expect(tight.rounds.every((r) => r.blockLiquidations <= 4)).toBe(true);
    const fees = tight.rounds.map((r) => r.gasPriceGwei!);
    expect(Decimal.max(...fees).gt(D(50).mul(3))).toBe(true);
    expect(tight.rounds.some((r) => r.protocols[0]!.unprofitable > 0)).toBe(true);
    expect(tight.protocols[0]!.badDebt.gt(1000)).toBe(true);
  });

  it('EIP-1559: next base fee = fee + fee × (used − target) ÷ target ÷ 8 in wei, target = 2 calls', () => {
    const wei = (r: number) => BigInt(tight.rounds[r]!.gasPriceGwei!.mul(1e9).toFixed(0));
    let full = 0;
    let empty = 0;
    for (let r = 1; r + 1 < tight.rounds.length; r++) {
      const used = BigInt(tight.rounds[r]!.blockLiquidations);
      let delta = (wei(r) * (2n * used - 4n)) / 32n;
      if (used > 2n && delta < 1n) delta = 1n;
      expect(wei(r + 1)).toBe(wei(r) + delta);
      if (used === 4n) full++;
      if (used === 0n) empty++;
    }
    // A full block (+12.5 %) and an empty one (−12.5 %) both occur in this run.
    expect(full).toBeGreaterThan(5);
    expect(empty).toBeGreaterThan(0);
    expect(tight.rounds[0]!.gasPriceGwei!.toString()).toBe('50');
  });
});

describe('contagion through a receipt token', () => {
  // A lends USDC against WETH and sells seized WETH into a thin pool its own oracle reads; C lends USDC against
  // A's receipt token (aUSDC), priced by a receipt oracle and redeemed, not sold, when seized.
  const a = createBorrowers({ count: 400, price: 2000, liquidationThreshold: '0.83', healthFactor: { minimum: '1.0', median: '1.25', sigma: '0.5' }, meanCollateralValue: 20_000 }, 11);
  const c = createBorrowers({ count: 200, price: 1, liquidationThreshold: '0.9', healthFactor: { minimum: '1.0', median: '1.03', sigma: '0.5' }, meanCollateralValue: 10_000 }, 12);
  const system = (X: number): LendingSystemInput => ({
    referencePrice: 2000,
    pools: [{ id: 'weth-usdc', collateralReserve: X, debtReserve: X * 2000 }],
    oracles: [
      { id: 'pool-oracle', source: { pool: 'weth-usdc' } },
      { id: 'a-receipt', source: { receiptOf: 'a' } },
    ],
    protocols: [
      weth('a', a, { liquidationThreshold: '0.83', liquidationBonus: '0.05', oracle: 'pool-oracle' }),
      weth('c', c, { collateralAsset: 'aUSDC', liquidationThreshold: '0.9', liquidationBonus: '0.04', oracle: 'a-receipt', market: 'redeem', suppliedDebt: 10_000_000 }),
    ],
  });

  it('C is hit only after A books bad debt, at the earliest the next block', () => {
    const result = simulateLendingCascade(system(3000), { referencePrice: 1500 });
    const firstBad = result.rounds.findIndex((r) => r.protocols[0]!.badDebt.gt(0));
    expect(firstBad).toBeGreaterThan(0);
    const hit = result.protocols[1]!.firstRoundHit;
    expect(hit).not.toBeNull();
    expect(hit!).toBeGreaterThan(firstBad);
    // Until then the receipt is worth exactly 1 and C's oracle says so.
    for (let r = 0; r <= firstBad; r++) expect(result.rounds[r]!.oracles[1]!.price.toString()).toBe('1');
    // The receipt price is (supplied − bad debt) ÷ supplied, with A's default supply of total debt ÷ 0.8.
    const last = result.rounds.at(-1)!.protocols[0]!;
    expect(last.receiptPrice.lt(1)).toBe(true);
  });

  it("'redeem' has no price impact: the pool sees only A's sales", () => {
    const result = simulateLendingCascade(system(3000), { referencePrice: 1500 });
    expect(result.protocols[1]!.liquidations).toBeGreaterThan(0);
    for (const r of result.rounds) {
      expect(r.pools[0]!.soldByLiquidators.toString()).toBe(r.protocols[0]!.collateralSold.toString());
    }
  });

  it('with a deep pool and a 10 % fall A books no bad debt, and C is never hit', () => {
    // Every borrower of A starts at HF ≥ 1, so after −10 % its collateral is worth ≥ 0.9 ÷ 0.83 = 1.08 × its debt,
    // more than 1 + bonus: each liquidation leaves it healthier (cascade-models.md §4.5), and the deep pool barely moves.
    const result = simulateLendingCascade(system(1_000_000), { referencePrice: 1800 });
    expect(result.protocols[0]!.liquidations).toBeGreaterThan(0);
    expect(result.protocols[0]!.badDebt.isZero()).toBe(true);
    expect(result.protocols[1]!.firstRoundHit).toBeNull();
  });
});

describe('stopping', () => {
  it("stalls when the oracle sits above a pool nobody arbitrages and the call would lose money", () => {
    const pop = borrowersFrom([{ collateral: 10, debt: 14_000 }]);
    const result = simulateLendingCascade(
      {
        referencePrice: 2000,
        pools: [{ id: 'weth-usdc', collateralReserve: 1000, debtReserve: 2_000_000 }],
        oracles: [{ id: 'chainlink', source: 'reference' }],
        protocols: [weth('a', pop)],
      },
      // A sale crashes the pool to ~1,280 while the reference stays at 2,000… and then the reference is cut to 1,600
      // by the path, below the account's liquidation price (14,000 ÷ (10 × 0.86) = 1,627.9).
      { sellQuantity: 250, pool: 'weth-usdc' },
      { arbitrage: 0, referencePath: ['1600'] },
    );
    expect(result.stopReason).toBe('stalled');
    const last = result.rounds.at(-1)!.protocols[0]!;
    expect(last.backlog).toBe(1);
    expect(last.unprofitable).toBe(1);
    expect(result.protocols[0]!.liquidations).toBe(0);
  });

  it('reaches a fixed point once arbitrage has nothing left to trade, even in a pool without a fee', () => {
    // No fee band: arbitrage halves the gap each block until the grid allows no further trade.
    const result = simulateLendingCascade(
      {
        referencePrice: 2000,
        pools: [{ id: 'weth-usdc', collateralReserve: 10_000, debtReserve: 20_000_000, fee: 0 }],
        oracles: [{ id: 'chainlink', source: 'reference' }],
        protocols: [weth('a', borrowersFrom([{ collateral: 1, debt: 100 }]))],
      },
      { sellQuantity: 2000, pool: 'weth-usdc' },
    );
    expect(result.stopReason).toBe('fixed-point');
    expect(result.rounds.length).toBeLessThan(60);
    const final = result.finalPoolPrices['weth-usdc']!;
    expect(final.sub(2000).abs().lt('0.001')).toBe(true);
    // A pure market sale, no leverage: the pool ends where it started, and the deepest point was the shock itself.
    expect(result.peakAmplification!.toString()).toBe('1');
  });

  it('reaches a fixed point when the only lower price ahead is one the deviation threshold will never publish', () => {
    // A 20 WETH sale moves the pool about 0.4 %, under the oracle's 0.5 % threshold, and nobody arbitrages: the
    // oracle keeps 3,000 for ever, so the borrower whose liquidation price is 2,995 is never liquidatable.
    const result = simulateLendingCascade(
      {
        referencePrice: 3000,
        pools: [{ id: 'weth-usdc', collateralReserve: 10_000, debtReserve: 30_000_000 }],
        oracles: [{ id: 'chainlink', source: { pool: 'weth-usdc' }, deviationThreshold: '0.005' }],
        protocols: [weth('a', borrowersFrom([{ collateral: 1, debt: '2575.7' }]))],
      },
      { sellQuantity: 20, pool: 'weth-usdc' },
      { arbitrage: 0 },
    );
    expect(result.rounds[0]!.pools[0]!.price.lt(2995)).toBe(true);
    expect(result.rounds[0]!.oracles[0]!.price.toString()).toBe('3000');
    expect(result.stopReason).toBe('fixed-point');
    expect(result.rounds).toHaveLength(1);
  });

  it('stops at the round cap', () => {
    const pop = createBorrowers({ count: 200, price: 2000, liquidationThreshold: '0.86', healthFactor: { minimum: '1.0', median: '1.2' }, meanCollateralValue: 20_000 }, 2);
    const result = simulateLendingCascade(
      { referencePrice: 2000, pools: [{ id: 'weth-usdc', collateralReserve: 10_000, debtReserve: 20_000_000 }], oracles: [{ id: 'chainlink', source: 'reference' }], protocols: [weth('a', pop)] },
      { referencePrice: 1500 },
      { maxRounds: 3, liquidationsPerBlock: 1 },
    );
    expect(result.stopReason).toBe('round-cap');
    expect(result.rounds).toHaveLength(4);
  });
});

describe('bad input', () => {
  const pop = borrowersFrom([{ collateral: 1, debt: 1000 }]);
  const base: LendingSystemInput = {
    referencePrice: 2000,
    pools: [{ id: 'weth-usdc', collateralReserve: 1000, debtReserve: 2_000_000 }],
    oracles: [{ id: 'chainlink', source: 'reference' }],
    protocols: [weth('a', pop)],
  };
  const shock = { referencePrice: 1800 };

  it('names unknown pools, oracles and protocols', () => {
    let e = engineError(() => simulateLendingCascade({ ...base, protocols: [weth('a', pop, { market: { pool: 'nope' } })] }, shock));
    expect(e.field).toBe('protocols[0].market');
    e = engineError(() => simulateLendingCascade({ ...base, protocols: [weth('a', pop, { oracle: 'nope' })] }, shock));
    expect(e.field).toBe('protocols[0].oracle');
    expect(e.rule).toContain("'nope'");
    e = engineError(() => simulateLendingCascade({ ...base, oracles: [{ id: 'x', source: { pool: 'nope' } }] }, shock));
    expect(e.field).toBe('oracles[0].source.pool');
    e = engineError(() => simulateLendingCascade({ ...base, oracles: [...base.oracles, { id: 'r', source: { receiptOf: 'zz' } }] }, shock));
    expect(e.field).toBe('oracles[1].source.receiptOf');
    e = engineError(() => simulateLendingCascade(base, { sellQuantity: 1, pool: 'nope' }));
    expect(e.field).toBe('shock.pool');
  });

  it('refuses receipt oracles that form a cycle', () => {
    const e = engineError(() =>
      simulateLendingCascade(
        {
          ...base,
          oracles: [
            { id: 'ra', source: { receiptOf: 'b' } },
            { id: 'rb', source: { receiptOf: 'a' } },
          ],
          protocols: [weth('a', pop, { oracle: 'ra', market: 'redeem' }), weth('b', pop, { oracle: 'rb', market: 'redeem' })],
        },
        shock,
      ),
    );
    expect(e.rule).toContain('cycle');
    expect(e.rule).toContain('a → b → a');
    const self = engineError(() => simulateLendingCascade({ ...base, oracles: [{ id: 'ra', source: { receiptOf: 'a' } }], protocols: [weth('a', pop, { oracle: 'ra' })] }, shock));
    expect(self.rule).toContain('cycle');
  });

  it('refuses negative and out-of-range numbers with the field named', () => {
    const cases: [() => unknown, string][] = [
      [() => simulateLendingCascade({ ...base, referencePrice: -1 }, shock), 'referencePrice'],
      [() => simulateLendingCascade({ ...base, pools: [{ id: 'weth-usdc', collateralReserve: -5, debtReserve: 1 }] }, shock), 'pools[0].collateralReserve'],
      [() => simulateLendingCascade({ ...base, pools: [{ id: 'weth-usdc', collateralReserve: 5, debtReserve: 1, fee: 1 }] }, shock), 'pools[0].fee'],
      [() => simulateLendingCascade({ ...base, protocols: [weth('a', pop, { liquidationThreshold: '1.2' })] }, shock), 'protocols[0].liquidationThreshold'],
      [() => simulateLendingCascade({ ...base, protocols: [weth('a', pop, { liquidationBonus: '-0.05' })] }, shock), 'protocols[0].liquidationBonus'],
      [() => simulateLendingCascade({ ...base, protocols: [weth('a', pop, { suppliedDebt: 10 })] }, shock), 'protocols[0].suppliedDebt'],
      [() => simulateLendingCascade({ ...base, oracles: [{ id: 'chainlink', source: 'reference', delayRounds: -1 }] }, shock), 'oracles[0].delayRounds'],
      [() => simulateLendingCascade(base, { referencePrice: -3 }), 'shock.referencePrice'],
      [() => simulateLendingCascade(base, { referencePrice: 20_000_000 }), 'shock.referencePrice'],
      [() => simulateLendingCascade({ ...base, pools: [{ id: 'weth-usdc', collateralReserve: '0.001', debtReserve: 1e9 }] }, shock), 'pools[0].debtReserve'],
      [() => simulateLendingCascade(base, shock, { maxRounds: 0 }), 'maxRounds'],
      [() => simulateLendingCascade(base, shock, { arbitrage: 2 }), 'arbitrage'],
      [() => simulateLendingCascade(base, shock, { liquidationsPerBlock: 0 }), 'liquidationsPerBlock'],
      [() => simulateLendingCascade(base, shock, { liquidatorCapital: -1 }), 'liquidatorCapital'],
      [() => simulateLendingCascade(base, shock, { gas: { gasPerLiquidation: 0, baseFeeGwei: 1, nativePrice: 'reference' } }), 'gas.gasPerLiquidation'],
      [() => simulateLendingCascade(base, shock, { referencePath: ['100', '-1'] }), 'referencePath[1]'],
      [() => simulateLendingCascade({ ...base, protocols: [] }, shock), 'protocols'],
      [() => simulateLendingCascade({ ...base, protocols: [weth('a', pop), weth('a', pop)] }, shock), 'protocols[1].id'],
      [() => simulateLendingCascade({ ...base, protocols: [weth('a', { count: 1 } as BorrowerPopulation)] }, shock), 'protocols[0].borrowers'],
      [() => simulateLendingCascade({ ...base, protocols: [weth('a', pop, { rules: 'v2' as 'v3.0' })] }, shock), 'protocols[0].rules'],
    ];
    for (const [fn, field] of cases) expect(engineError(fn).field).toBe(field);
  });

  it('needs exactly one kind of shock', () => {
    expect(engineError(() => simulateLendingCascade(base, {} as { referencePrice: number })).field).toBe('shock');
    expect(engineError(() => simulateLendingCascade(base, { referencePrice: 1, sellQuantity: 1, pool: 'weth-usdc' } as unknown as { referencePrice: number })).field).toBe('shock');
  });
});
