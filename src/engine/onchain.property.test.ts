/**
 * Property tests for the on-chain engine (onchain.ts), with fast-check:
 *  - one liquidation call on the grid (liquidateOnGrid) is lending.ts's lendingLiquidation floored to the grid, under
 *    both rule sets, and the float fast path (liquidateFast) agrees with it whenever it claims to be sure;
 *  - the grid swaps are amm.ts's swapExactIn floored to the grid, and never lower k;
 *  - random systems (1–3 protocols, pools, spot / lagged / deviation / reference / receipt oracles, block space, gas,
 *    capital, shocks): the ledger balances exactly, k never falls, reserves stay positive, two runs give the same
 *    JSON, populations are not changed, and at a fixed point no open account is left with HF < 1.
 * 100 runs per property by default (PROPERTY_RUNS raises it); the random-system properties take a few seconds, so
 * they carry a generous timeout for a loaded machine.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { fromScaled } from './exact.ts';
import { lendingLiquidation } from './lending.ts';
import { constantProductPool, swapExactIn } from './amm.ts';
import { borrowerList, createBorrowers } from './borrowers.ts';
import {
  floatRules,
  liquidateFast,
  liquidateOnGrid,
  simulateLendingCascade,
  swapCollateralIn,
  swapDebtIn,
  type FastLiquidation,
  type GridRules,
  type LendingProtocolInput,
  type LendingSystemInput,
  type OnchainOptions,
  type OnchainShock,
} from './onchain.ts';

const runs = (n: number) => ({ numRuns: Number(process.env['PROPERTY_RUNS'] ?? n) });
const floorTo = (x: Decimal, places: number) => BigInt(x.mul(new Decimal(10).pow(places)).floor().toFixed(0));

/**
 * The grid amount `units` (10^−places) is lending.ts's `reference` rounded down. lending.ts works to 40 significant
 * digits, so where the exact amount sits exactly on the grid its figure may come out a unit in the 40th digit
 * below, and its floor one grid unit lower: the engine's exact floor is then the grid point itself, within 10^−35
 * relative of lending.ts's figure.
 */
function isFloorOf(units: bigint, reference: Decimal, places: number): boolean {
  const floor = floorTo(reference, places);
  if (units === floor) return true;
  return units === floor + 1n && fromScaled(units, places).sub(reference).lte(reference.abs().mul('1e-35'));
}

/** A decimal share with `places` decimals as GridRules' numerator over 10^places. */
const share = (units: number, places: number) => ({ n: BigInt(units), s: 10n ** BigInt(places), text: new Decimal(units).div(10 ** places).toString() });

/** Log-uniform bigint in [10^lo, 10^hi): sizes from dust to whales. */
const magnitude = (lo: number, hi: number) =>
  fc.tuple(fc.integer({ min: lo, max: hi - 1 }), fc.integer({ min: 1_000_000, max: 9_999_999 })).map(([e, m]) => (BigInt(m) * 10n ** BigInt(e)) / 1_000_000n || 1n);

const accountArb = fc
  .record({
    c: magnitude(4, 14), // 0.0001 … 1,000,000 units of collateral (10^−8)
    P: fc.integer({ min: 1_000_000, max: 10_000_000_000_000 }).map(BigInt), // 0.01 … 100,000 per unit (10^−8)
    lt: fc.integer({ min: 4000, max: 9500 }), // 0.40 … 0.95
    bonus: fc.integer({ min: 0, max: 1500 }), // 0 … 15 %
    fee: fc.integer({ min: 0, max: 100 }), // 0 … 1 of the bonus part
    depth: fc.integer({ min: 1, max: 10_000 }), // how far under water: d = c·P·LT × (1 + depth/10,000 … )
    cf: fc.constantFrom([5, 10, 95], [5, 10, 90], [3, 10, 95], [6, 8, 97]), // default/10, max/10, threshold/100
    rules: fc.constantFrom('v3.3' as const, 'v3.0' as const),
    // A third of the accounts hold 1,500 … 6,000 of collateral value: where v3.3's $2,000 and $1,000 limits bite.
    small: fc.integer({ min: 0, max: 2 }).map((k) => k === 0),
    value: fc.integer({ min: 1500, max: 6000 }),
  })
  .map((raw) => {
    const a = raw.small ? { ...raw, c: (BigInt(raw.value) * 10n ** 16n) / raw.P || 1n } : raw;
    const lt = share(a.lt, 4);
    // Debt just above the liquidation boundary, or far past it (depth up to 2×).
    const d = (a.c * a.P * lt.n * (10_000n + BigInt(a.depth))) / (10n ** 10n * lt.s * 10_000n) + 1n;
    const bonus = share(a.bonus, 4);
    const fee = share(a.fee, 2);
    const g: GridRules = {
      ltn: lt.n,
      ltScale: 10n ** 14n,
      cfDef: BigInt(a.cf[0]),
      cfMax: BigInt(a.cf[1]),
      cfOne: 10n,
      hN: BigInt(a.cf[2]),
      hD: 100n,
      bN: bonus.n,
      b1: bonus.s + bonus.n,
      bS: bonus.s,
      feeN: fee.n,
      feeD: fee.s,
      v33: a.rules === 'v3.3',
    };
    return { ...a, d, g, ltText: lt.text, bonusText: bonus.text, feeText: fee.text };
  });

describe('one liquidation call on the grid', () => {
  it("equals lending.ts's lendingLiquidation floored to the grid (v3.3 and v3.0)", () => {
    fc.assert(
      fc.property(accountArb, (a) => {
        fc.pre(a.d < 2n ** 53n);
        const price = fromScaled(a.P, 8);
        const reference = lendingLiquidation(
          {
            collateral: [{ asset: 'WETH', amount: fromScaled(a.c, 8), liquidationThreshold: a.ltText, ltv: a.ltText }],
            debt: [{ asset: 'USDC', amount: fromScaled(a.d, 6) }],
          },
          { WETH: price, USDC: 1 },
          {
            debtAsset: 'USDC',
            collateralAsset: 'WETH',
            liquidationBonus: a.bonusText,
            protocolFee: a.feeText,
            closeFactor: { default: a.cf[0] / 10, max: a.cf[1] / 10, healthFactorThreshold: a.cf[2] / 100 },
            rules: a.rules,
          },
        );
        expect(reference.liquidatable).toBe(true);
        const grid = liquidateOnGrid(a.g, a.c, a.d, a.P);
        expect(isFloorOf(grid.repaid, reference.debtRepaid, 6), `repaid ${grid.repaid} vs ${reference.debtRepaid}`).toBe(true);
        expect(isFloorOf(grid.seized, reference.collateralSeized, 8), `seized ${grid.seized} vs ${reference.collateralSeized}`).toBe(true);
        expect(isFloorOf(grid.fee, reference.protocolFee, 8), `fee ${grid.fee} vs ${reference.protocolFee}`).toBe(true);
        expect(grid.capped).toBe(reference.collateralCapped);
        // The engine burns what is left when the collateral is gone; v3.3 does the same (v3.0 leaves it, and the
        // engine books it as bad debt all the same).
        const burns = grid.seized === a.c && grid.repaid < a.d;
        if (a.rules === 'v3.3') expect(burns).toBe(reference.debtBurned.length > 0);
      }),
      runs(300),
    );
  });

  it('the float fast path agrees with the exact one whenever it says it is sure, and is sure almost always', () => {
    const out: FastLiquidation = { repaid: 0, seized: 0, fee: 0, capped: false };
    let sure = 0;
    let total = 0;
    fc.assert(
      fc.property(accountArb, (a) => {
        fc.pre(a.d < 2n ** 53n && a.c * a.P < 2n ** 53n * 10n ** 8n);
        total++;
        if (!liquidateFast(floatRules(a.g), Number(a.c), Number(a.d), Number(a.P), out)) return;
        sure++;
        const exact = liquidateOnGrid(a.g, a.c, a.d, a.P);
        expect([out.repaid, out.seized, out.fee, out.capped]).toEqual([Number(exact.repaid), Number(exact.seized), Number(exact.fee), exact.capped]);
      }),
      runs(1000),
    );
    expect(sure).toBeGreaterThan(total * 0.7);
  });
});

describe('grid swaps', () => {
  const poolArb = fc.record({
    X: magnitude(6, 15),
    Y: magnitude(6, 15),
    fee: fc.constantFrom(0, 5, 30, 100, 3000), // 10^−4 units
    amount: magnitude(0, 14),
  });

  it("selling collateral equals amm.ts's swapExactIn floored to 10^−6, and k never falls", () => {
    fc.assert(
      fc.property(poolArb, ({ X, Y, fee, amount }) => {
        const pool = { X, Y, fn: BigInt(fee), fd: 10_000n };
        const reference = swapExactIn(constantProductPool({ reserveX: fromScaled(X, 8), reserveY: fromScaled(Y, 6), fee: fee / 10_000 }), {
          tokenIn: 'x',
          amountIn: fromScaled(amount, 8),
        });
        const out = swapCollateralIn(pool, amount);
        expect(isFloorOf(out, reference.amountOut, 6)).toBe(true);
        expect(pool.X).toBe(X + amount);
        expect(pool.X * pool.Y >= X * Y).toBe(true);
        expect(pool.Y > 0n).toBe(true);
      }),
      runs(300),
    );
  });

  it("buying collateral with debt equals swapExactIn floored to 10^−8, and k never falls", () => {
    fc.assert(
      fc.property(poolArb, ({ X, Y, fee, amount }) => {
        const pool = { X, Y, fn: BigInt(fee), fd: 10_000n };
        const reference = swapExactIn(constantProductPool({ reserveX: fromScaled(X, 8), reserveY: fromScaled(Y, 6), fee: fee / 10_000 }), {
          tokenIn: 'y',
          amountIn: fromScaled(amount, 6),
        });
        const out = swapDebtIn(pool, amount);
        expect(isFloorOf(out, reference.amountOut, 8)).toBe(true);
        expect(pool.X * pool.Y >= X * Y).toBe(true);
        expect(pool.X > 0n).toBe(true);
      }),
      runs(300),
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Random systems
// ---------------------------------------------------------------------------------------------------------

interface Scenario {
  system: LendingSystemInput;
  shock: OnchainShock;
  options: OnchainOptions;
}

const populationArb = fc.record({
  count: fc.integer({ min: 1, max: 120 }),
  lt: fc.constantFrom('0.7', '0.8', '0.83', '0.86'),
  minimum: fc.constantFrom('1', '1.01', '1.1'),
  spread: fc.constantFrom('0', '0.1', '0.4'),
  mean: fc.constantFrom(500, 5000, 50_000),
  seed: fc.integer({ min: 0, max: 1000 }),
});

const protocolArb = fc.record({
  population: populationArb,
  bonus: fc.constantFrom('0', '0.05', '0.075', '0.1'),
  fee: fc.constantFrom('0', '0.1', '0.2'),
  rules: fc.constantFrom('v3.3' as const, 'v3.0' as const),
  oracle: fc.constantFrom('chainlink', 'spot', 'lagged', 'sticky'),
  market: fc.constantFrom(0, 1),
  receipt: fc.boolean(),
});

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .record({
    protocols: fc.array(protocolArb, { minLength: 1, maxLength: 3 }),
    pools: fc.array(fc.record({ x: fc.constantFrom(50, 500, 5000, 50_000), skew: fc.constantFrom('1', '0.95', '1.05'), fee: fc.constantFrom('0', '0.003', '0.01') }), { minLength: 2, maxLength: 2 }),
    delay: fc.integer({ min: 1, max: 3 }),
    shock: fc.oneof(
      fc.constantFrom('0.5', '0.7', '0.8', '0.9', '0.97', '1.05').map((f) => ({ referencePrice: new Decimal(2000).mul(f).toString() }) as OnchainShock),
      fc.record({ sellQuantity: fc.constantFrom('10', '100', '1000'), pool: fc.constantFrom('p0', 'p1') }),
    ),
    arbitrage: fc.constantFrom('0', '0.3', '0.5', '1'),
    perBlock: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
    gas: fc.option(fc.record({ gasPerLiquidation: fc.constantFrom(200_000, 1_000_000), baseFeeGwei: fc.constantFrom('5', '100') }), { nil: null }),
    capital: fc.option(fc.constantFrom('10000', '1000000'), { nil: null }),
    path: fc.option(fc.constantFrom(['1900', '1800', '1700'], ['1500'], ['2100', '1600']), { nil: undefined }),
  })
  .map((s) => {
    const protocols: LendingProtocolInput[] = s.protocols.map((p, i) => {
      // Protocol i > 0 may take protocol 0's receipt as collateral (priced at 1, redeemed when seized).
      const receipt = i > 0 && p.receipt;
      const borrowers = createBorrowers(
        {
          count: p.population.count,
          price: receipt ? 1 : 2000,
          liquidationThreshold: p.population.lt,
          healthFactor: { minimum: p.population.minimum, median: new Decimal(p.population.minimum).add(p.population.spread).toString() },
          meanCollateralValue: p.population.mean,
        },
        p.population.seed,
      );
      return {
        id: `p${i}`,
        name: `Protocol ${i}`,
        collateralAsset: receipt ? 'aUSDC' : 'WETH',
        debtAsset: 'USDC',
        liquidationThreshold: p.population.lt,
        liquidationBonus: p.bonus,
        protocolFee: p.fee,
        rules: p.rules,
        borrowers,
        oracle: receipt ? 'receipt' : p.oracle,
        market: receipt ? ('redeem' as const) : { pool: `p${p.market}` },
      };
    });
    const system: LendingSystemInput = {
      referencePrice: 2000,
      pools: s.pools.map((p, k) => ({ id: `p${k}`, collateralReserve: p.x, debtReserve: new Decimal(p.x).mul(2000).mul(p.skew).toString(), fee: p.fee })),
      oracles: [
        { id: 'chainlink', source: 'reference' },
        { id: 'spot', source: { pool: 'p0' } },
        { id: 'lagged', source: { pool: 'p1' }, delayRounds: s.delay },
        { id: 'sticky', source: { pool: 'p0' }, deviationThreshold: '0.02' },
        { id: 'receipt', source: { receiptOf: 'p0' } },
      ],
      protocols,
    };
    const options: OnchainOptions = {
      maxRounds: 40,
      arbitrage: s.arbitrage,
      liquidationsPerBlock: s.perBlock,
      gas: s.gas === null ? null : { ...s.gas, nativePrice: 'reference' },
      liquidatorCapital: s.capital,
      ...(s.path === undefined ? {} : { referencePath: s.path }),
    };
    return { system, shock: s.shock, options };
  });

describe('random systems', () => {
  it('the ledger balances exactly for collateral and debt', () => {
    fc.assert(
      fc.property(scenarioArb, ({ system, shock, options }) => {
        const result = simulateLendingCascade(system, shock, options);
        expect(result.ledger.collateralBalance.isZero()).toBe(true);
        expect(result.ledger.debtBalance.isZero()).toBe(true);
        // And the per-round flows add up to the totals.
        result.protocols.forEach((p, i) => {
          const repaid = result.rounds.reduce((sum, r) => sum.add(r.protocols[i]!.debtRepaid), new Decimal(0));
          expect(repaid.eq(p.debtRepaid)).toBe(true);
          const open = result.rounds.at(-1)!.protocols[i]!;
          const initial = borrowerList(system.protocols[i]!.borrowers).reduce((sum, b) => sum.add(b.debt), new Decimal(0));
          expect(open.totalDebt.add(p.debtRepaid).add(p.badDebt).eq(initial)).toBe(true);
        });
      }),
      runs(100),
    );
  }, 60_000);

  it('pool k never decreases from round to round, and reserves stay positive', () => {
    fc.assert(
      fc.property(scenarioArb, ({ system, shock, options }) => {
        const result = simulateLendingCascade(system, shock, options);
        system.pools.forEach((input, k) => {
          let previous = new Decimal(input.collateralReserve).mul(input.debtReserve);
          for (const round of result.rounds) {
            const pool = round.pools[k]!;
            expect(pool.collateralReserve.gt(0) && pool.debtReserve.gt(0)).toBe(true);
            const kNow = pool.collateralReserve.mul(pool.debtReserve);
            expect(kNow.gte(previous)).toBe(true);
            previous = kNow;
          }
        });
      }),
      runs(100),
    );
  }, 60_000);

  it('is deterministic and leaves the populations as they were', () => {
    fc.assert(
      fc.property(scenarioArb, ({ system, shock, options }) => {
        const before = system.protocols.map((p) => JSON.stringify(borrowerList(p.borrowers)));
        const first = JSON.stringify(simulateLendingCascade(system, shock, options));
        const second = JSON.stringify(simulateLendingCascade(system, shock, options));
        expect(second).toBe(first);
        expect(system.protocols.map((p) => JSON.stringify(borrowerList(p.borrowers)))).toEqual(before);
      }),
      runs(100),
    );
  }, 60_000);

  it('at a fixed point no open account has HF < 1 at its oracle price', () => {
    fc.assert(
      fc.property(scenarioArb, ({ system, shock, options }) => {
        const result = simulateLendingCascade(system, shock, { ...options, details: true });
        if (result.stopReason !== 'fixed-point') return;
        const last = result.rounds.at(-1)!;
        system.protocols.forEach((p, i) => {
          const price = last.protocols[i]!.oraclePrice;
          const lt = new Decimal(p.liquidationThreshold);
          for (const account of result.accounts![p.id]!) {
            if (account.debt.isZero()) continue;
            expect(account.collateral.mul(price).mul(lt).gte(account.debt)).toBe(true);
          }
          expect(last.protocols[i]!.backlog).toBe(0);
        });
      }),
      runs(100),
    );
  }, 60_000);
});
