/**
 * Populations (population.ts): the same seed gives the same positions everywhere (a golden hash pins them); every
 * position's liquidation trigger is the account engine's liquidation price on the grid, isolated and cross; nobody
 * starts past liquidation; every draw sits on the grid; explicit positions are validated by the account engine.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { crossLiquidationPrice } from './account.ts';
import { liquidationPrice, positionMetrics } from './venue-position.ts';
import {
  createPopulation,
  liquidationMap,
  populationFrom,
  populationPosition,
  populationView,
  type Population,
  type PopulationParams,
} from './population.ts';
import { detExp, detLn, detPow, seededRandom } from './random.ts';

const D = (x: string | number) => new Decimal(x);
const runs = (n: number) => ({ numRuns: Number(process.env['PROPERTY_RUNS'] ?? n) });

function engineError(fn: () => unknown): EngineInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineInputError);
    return error as EngineInputError;
  }
  throw new Error('expected an EngineInputError');
}

/** Every position's trigger on the grid 10^−dp equals the account engine's liquidation price, floored (longs) or ceiled (shorts). */
function expectTriggersFromEngine(population: Population, dp: number): void {
  const view = populationView(population, dp);
  const unit = D(10).pow(dp);
  for (const side of [view.long, view.short]) {
    for (let j = 0; j < side.n; j++) {
      const p = populationPosition(population, side.idx[j]!);
      const lp = p.liquidationPrice;
      const expected = lp === null ? Number.NEGATIVE_INFINITY : lp.mul(unit)[side.side === 'long' ? 'floor' : 'ceil']().toNumber();
      expect(side.trig[j], `position ${p.index}: LP ${lp?.toString()}`).toBe(expected);
    }
    // Sorted: longs by trigger descending, shorts ascending, ties by index.
    for (let j = 1; j < side.n; j++) {
      const [a, b] = [side.trig[j - 1]!, side.trig[j]!];
      expect(a === b ? side.idx[j - 1]! < side.idx[j]! : side.side === 'long' ? a > b : a < b).toBe(true);
    }
  }
}

describe('createPopulation', () => {
  const params: PopulationParams = { count: 200, price: 60000, tick: '0.1', lot: '0.001' };

  it('is pinned: this seed gives these positions on every machine (basic float arithmetic only, see random.ts)', () => {
    const population = createPopulation(params, 7);
    const hash = createHash('sha256').update(JSON.stringify(population)).digest('hex');
    expect(hash).toBe('48b5e1867b6a28fd07228c293606f0d5510352a2e194d3307551c63bbbc0cc74');
    expect((population.toJSON().positions as unknown[])[0]).toEqual({
      side: 'long',
      marginMode: 'isolated',
      entryPrice: '59430.7',
      quantity: '0.096',
      balance: '114.107',
      maintenanceMarginRate: '0.004',
      maintenanceAmount: '0',
      leverage: '50',
    });
  });

  it('liquidation triggers are the account engine’s liquidation prices (isolated and cross), on every grid', () => {
    const population = createPopulation(
      {
        count: 1500,
        price: 2500,
        tick: '0.05',
        lot: '0.01',
        maintenanceMarginRate: '0.005',
        crossShare: '0.5',
        crossFreeBalance: 3,
        leverageMix: [
          { leverage: 3, weight: 1 },
          { leverage: '12.5', weight: 1 },
          { leverage: 75, weight: 1 },
          { leverage: 150, weight: 1 },
        ],
      },
      99,
    );
    expectTriggersFromEngine(population, 2);
    expectTriggersFromEngine(population, 4); // a finer grid: rescaled and re-sorted
  });

  it('cross accounts: the wallet backs the position exactly as crossLiquidationPrice prices a one-position account', () => {
    const population = createPopulation({ ...params, count: 300, crossShare: 1 }, 3);
    for (let i = 0; i < population.size; i++) {
      const p = populationPosition(population, i);
      expect(p.marginMode).toBe('cross');
      const { margin, ...exposure } = p.position;
      const account = { walletBalance: margin, positions: [{ ...exposure, symbol: 'X', venue: null, stage: undefined }] };
      expect(crossLiquidationPrice(account as never, 'X', {})?.toString()).toBe(liquidationPrice(p.position)?.toString());
      // The free balance pushes the liquidation price away: the wallet exceeds notional ÷ leverage.
      expect(p.walletBalance!.gte(p.position.quantity.mul(p.position.entryPrice).div(p.leverage!))).toBe(true);
    }
  });

  it('every position is on the grid, opens legally, and is alive at the current price', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom('0.1', '0.5', '1'), fc.constantFrom('0.001', '0.01'), (seed, tick, lot) => {
        const population = createPopulation({ count: 150, price: 30000, tick, lot, entrySpread: '0.2' }, seed);
        for (let i = 0; i < population.size; i++) {
          const p = populationPosition(population, i);
          expect(p.position.entryPrice.mod(tick).isZero()).toBe(true);
          expect(p.position.quantity.mod(lot).isZero()).toBe(true);
          expect(p.position.quantity.gte(lot)).toBe(true);
          expect(p.position.margin.gte(p.position.quantity.mul(p.position.entryPrice).div(p.leverage!))).toBe(true);
          expect(positionMetrics(p.position, 30000).isLiquidatable).toBe(false);
        }
      }),
      runs(25),
    );
  });

  it('follows the requested shares and has heavy-tailed sizes', () => {
    const population = createPopulation({ ...params, count: 20_000, longShare: '0.7', crossShare: '0.2' }, 11);
    expect(population.longCount / population.size).toBeGreaterThan(0.68);
    expect(population.longCount / population.size).toBeLessThan(0.72);
    expect(population.crossCount / population.size).toBeGreaterThan(0.18);
    expect(population.crossCount / population.size).toBeLessThan(0.22);
    const notionals = Array.from({ length: population.size }, (_, i) => Number(population.data.q[i]!) * Number(population.data.e[i]!)).sort((a, b) => a - b);
    expect(notionals.at(-1)! / notionals[notionals.length >> 1]!).toBeGreaterThan(100);
  });

  it('refuses parameters that make no market, or no sense', () => {
    expect(engineError(() => createPopulation({ ...params, count: 0 }, 1)).rule).toMatch(/at least 1/);
    expect(engineError(() => createPopulation({ ...params, count: 1.5 }, 1)).field).toBe('count');
    expect(engineError(() => createPopulation(params, -1)).field).toBe('seed');
    expect(engineError(() => createPopulation({ ...params, tick: 0 }, 1)).field).toBe('tick');
    expect(engineError(() => createPopulation({ ...params, price: '60000.05' }, 1)).field).toBe('price');
    expect(engineError(() => createPopulation({ ...params, leverageMix: [{ leverage: 300, weight: 1 }] }, 1)).field).toBe('leverageMix[0].leverage');
    expect(engineError(() => createPopulation({ ...params, leverageMix: [{ leverage: 5, weight: 0 }] }, 1)).field).toBe('leverageMix');
    expect(engineError(() => createPopulation({ ...params, longShare: '1.5' }, 1)).field).toBe('longShare');
  });
});

describe('populationFrom', () => {
  const base = { contract: 'linear' as const, maintenanceMarginRate: '0.004' };

  it('keeps explicit positions exactly; their prices come from the account engine', () => {
    const population = populationFrom([
      { ...base, side: 'long', entryPrice: '60000.5', quantity: '0.123', margin: '700.01', leverage: 20 },
      { ...base, side: 'short', entryPrice: 59000, quantity: 2, marginMode: 'cross', walletBalance: 20000, leverage: 10 },
      { ...base, side: 'long', entryPrice: 100, quantity: 1, margin: 100, leverage: 1 }, // 1×: never liquidated
    ]);
    const long = populationPosition(population, 0);
    expect(long.position.entryPrice.toString()).toBe('60000.5');
    expect(long.position.margin.toString()).toBe('700.01');
    expect(long.liquidationPrice!.eq(liquidationPrice({ ...base, side: 'long', entryPrice: '60000.5', quantity: '0.123', margin: '700.01' })!)).toBe(true);
    expect(populationPosition(population, 1).marginMode).toBe('cross');
    expect(populationPosition(population, 2).liquidationPrice).toBeNull();
    expectTriggersFromEngine(population, population.data.dp);
    expectTriggersFromEngine(population, 6);
  });

  it('refuses what the cascade cannot model', () => {
    expect(engineError(() => populationFrom([])).field).toBe('positions');
    expect(engineError(() => populationFrom([{ ...base, contract: 'inverse', side: 'long', entryPrice: 1, quantity: 1, margin: 1 }])).field).toBe('positions[0].contract');
    expect(engineError(() => populationFrom([{ ...base, side: 'long', entryPrice: 1, quantity: 1, marginMode: 'cross' }])).field).toBe('positions[0].walletBalance');
    expect(engineError(() => populationFrom([{ contract: 'linear', side: 'long', entryPrice: 1, quantity: 1, margin: 1 } as never])).field).toBe('positions[0].maintenanceMarginRate');
    expect(engineError(() => populationFrom([{ ...base, side: 'long', entryPrice: 100, quantity: 1, margin: 0.1 }])).field).toBe('positions[0].margin');
  });
});

describe('liquidationMap', () => {
  it('sums the quantity whose liquidation price falls in each bucket, per side', () => {
    const population = createPopulation({ count: 2000, price: 60000, tick: '0.1', lot: '0.001' }, 5);
    const map = liquidationMap(population, { from: 50000, to: 70000, step: 500 });
    expect(map).toHaveLength(40);
    const longs = map.map(() => D(0));
    const shorts = map.map(() => D(0));
    for (let i = 0; i < population.size; i++) {
      const p = populationPosition(population, i);
      const lp = p.liquidationPrice;
      if (lp === null) continue;
      const k = p.side === 'long' ? lp.sub(50000).div(500).floor().toNumber() : lp.sub(50000).div(500).ceil().toNumber() - 1;
      if (k < 0 || k >= map.length) continue;
      (p.side === 'long' ? longs : shorts)[k] = (p.side === 'long' ? longs : shorts)[k]!.add(p.position.quantity);
    }
    map.forEach((bucket, k) => {
      expect(bucket.longQuantity.eq(longs[k]!), `bucket ${k}`).toBe(true);
      expect(bucket.shortQuantity.eq(shorts[k]!), `bucket ${k}`).toBe(true);
    });
    // Longs sit below the price, shorts above.
    expect(map.slice(0, 20).every((b) => b.shortQuantity.isZero())).toBe(true);
    expect(map.slice(20).every((b) => b.longQuantity.isZero())).toBe(true);
  });
});

describe('deterministic logarithm and exponential (random.ts)', () => {
  it('agree with Math.log / Math.exp to a few units in the last place', () => {
    const random = seededRandom(1);
    for (let k = 0; k < 20_000; k++) {
      const x = detExp((random.next() - 0.5) * 80);
      expect(Math.abs(detLn(x) - Math.log(x))).toBeLessThan(1e-13 * Math.max(1, Math.abs(Math.log(x))));
      const y = (random.next() - 0.5) * 60;
      expect(Math.abs(detExp(y) / Math.exp(y) - 1)).toBeLessThan(1e-14);
    }
    expect(detPow(0.25, -0.5)).toBeCloseTo(2, 14);
  });
});

describe('a venue maximum leverage', () => {
  const params = { count: 400, price: 60000, tick: '0.1', lot: '0.001', leverageMix: [{ leverage: 5, weight: 1 }, { leverage: 50, weight: 1 }, { leverage: 100, weight: 1 }] };

  it('holds the same traders and only raises what the capped ones post', () => {
    const free = createPopulation(params, 7);
    const capped = createPopulation({ ...params, maxLeverage: 20 }, 7);
    let cappedCount = 0;
    for (let i = 0; i < free.size; i++) {
      const a = populationPosition(free, i);
      const b = populationPosition(capped, i);
      expect([b.position.side, b.marginMode, b.position.entryPrice.toString(), b.position.quantity.toString()]).toEqual([
        a.position.side, a.marginMode, a.position.entryPrice.toString(), a.position.quantity.toString(),
      ]);
      if (a.leverage!.gt(20)) {
        cappedCount++;
        expect(b.leverage!.toString()).toBe('20');
        expect(b.position.margin.gt(a.position.margin)).toBe(true);
        const notional = b.position.entryPrice.mul(b.position.quantity);
        expect(b.position.margin.gte(notional.div(20))).toBe(true);
        // Its liquidation price moves away from the price (or, for 1×-like margins, ceases to exist).
        if (b.liquidationPrice !== null) {
          expect(b.position.side === 'long' ? b.liquidationPrice.lt(a.liquidationPrice!) : b.liquidationPrice.gt(a.liquidationPrice!)).toBe(true);
        }
      } else {
        expect(b.position.margin.toString()).toBe(a.position.margin.toString());
        expect(b.leverage!.toString()).toBe(a.leverage!.toString());
      }
    }
    expect(cappedCount).toBeGreaterThan(100);
  });

  it('is refused below 1×', () => {
    expect(() => createPopulation({ ...params, maxLeverage: '0.5' }, 7)).toThrow(/maxLeverage|at least 1/);
  });
});
