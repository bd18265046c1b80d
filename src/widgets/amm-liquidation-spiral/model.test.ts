import { describe, expect, it } from 'vitest';
import { Decimal, EngineInputError, borrowerTotals, protocolPreset } from '../../engine';
import {
  REFERENCE,
  WETH_PARAMETERS,
  attempt,
  buildBorrowers,
  curvePoints,
  referencePoint,
  refusal,
  referenceSteps,
  runSpiral,
  shockOf,
  spiralView,
  stats,
  stepLabel,
  summary,
  tableRows,
  trailPoints,
  type RunKnobs,
} from './model';
import { defaultSpiralState, type SpiralState } from './state';

function run(overrides: Partial<SpiralState> = {}) {
  const state = defaultSpiralState(overrides);
  const { n, seed, ...knobs } = state;
  const borrowers = buildBorrowers({ n, seed });
  return { state, knobs, borrowers, view: spiralView(knobs, borrowers, runSpiral(borrowers, knobs)) };
}

describe('the market', () => {
  it("uses Aave v3 Ethereum's WETH reserve as shipped in the preset", () => {
    const weth = protocolPreset('aave-v3-ethereum').assets.find((a) => a.asset === 'WETH')!;
    expect(WETH_PARAMETERS.liquidationThreshold).toBe(weth.liquidationThreshold);
    expect(WETH_PARAMETERS.liquidationBonus).toBe(weth.liquidationBonus);
    expect(WETH_PARAMETERS.protocolFee).toBe(weth.liquidationProtocolFee);
    expect(WETH_PARAMETERS.closeFactor).toEqual(protocolPreset('aave-v3-ethereum').closeFactor);
  });

  it('builds the borrowers once per count and seed, so a shock slider step reuses them', () => {
    const a = buildBorrowers({ n: '2000', seed: '1' });
    expect(buildBorrowers({ n: '2000', seed: '1' })).toBe(a);
    const b = buildBorrowers({ n: '2000', seed: '2' });
    expect(b).not.toBe(a);
    expect(borrowerTotals(b).collateral.eq(borrowerTotals(a).collateral)).toBe(false);
    expect(b.count).toBe(2000);
  });

  it('turns the shock knobs into the engine’s shock', () => {
    expect(shockOf({ kind: 'move', move: '-12', over: '1', sell: '2000' })).toEqual({ referencePrice: new Decimal(2640) });
    expect(shockOf({ kind: 'sell', move: '-12', over: '1', sell: '2000' })).toEqual({ sellQuantity: '2000', pool: 'weth-usdc' });
    // Spread over four blocks: 3 % a block, the first step at the shock.
    expect(shockOf({ kind: 'move', move: '-12', over: '4', sell: '2000' })).toEqual({ referencePrice: new Decimal(2910) });
    expect(referenceSteps('-12', '4').map((p) => p.toString())).toEqual(['2910', '2820', '2730', '2640']);
    expect(referenceSteps('-12', '1').map((p) => p.toString())).toEqual(['2640']);
  });
});

describe('the default run', () => {
  const { view, state } = run();

  it('moves the pool the full way to the outside price at the shock, then spirals below it and recovers', () => {
    const first = view.steps[0]!;
    expect(first.reference.eq(2640)).toBe(true);
    // Arbitrage swaps the pool there (with its fee), so the price matches to well under a millionth of a USDC.
    expect(first.pool.sub(2640).abs().lt('0.000001')).toBe(true);
    // The oracle reads the pool one block late: at the shock it still reports the price before it.
    expect(first.oracle.eq(REFERENCE)).toBe(true);
    expect(first.liquidations).toBe(0);
    expect(view.lowest.price.lt(first.pool)).toBe(true);
    expect(view.lowest.step).toBeGreaterThan(1);
    expect(view.steps[view.blocks]!.pool.gt(view.lowest.price)).toBe(true);
    expect(view.result.stopReason).toBe('fixed-point');
  });

  it('adds up the blocks: cumulative figures never fall, and liquidations never exceed the borrowers', () => {
    let liquidations = 0;
    for (let k = 1; k < view.steps.length; k++) {
      const [before, now] = [view.steps[k - 1]!, view.steps[k]!];
      expect(now.accounts).toBeGreaterThanOrEqual(before.accounts);
      expect(now.repaid.gte(before.repaid)).toBe(true);
      expect(now.sold.gte(before.sold)).toBe(true);
      expect(now.badDebt.gte(before.badDebt)).toBe(true);
      liquidations += now.liquidations;
    }
    expect(view.steps[view.blocks]!.accounts).toBeLessThanOrEqual(Number(state.n));
    expect(liquidations).toBeGreaterThanOrEqual(view.steps[view.blocks]!.accounts);
    const sold = view.result.rounds.reduce((sum, r) => sum.add(r.pools[0]!.soldByLiquidators), new Decimal(0));
    expect(sold.eq(view.steps[view.blocks]!.sold)).toBe(true);
  });

  it('draws the pool on its own curve: every sample and the point itself satisfy x·y = k of the step', () => {
    for (const step of [0, view.lowest.step, view.blocks]) {
      const f = view.steps[step]!;
      const k = f.reserveX.toNumber() * f.reserveY.toNumber();
      for (const [x, y] of curvePoints(view, step)) expect((x * y) / k).toBeCloseTo(1, 9);
      // The point where the pool's price equals the outside price lies on the same curve.
      const [rx, ry] = referencePoint(view, step);
      expect((rx * ry) / k).toBeCloseTo(1, 9);
      expect(ry / rx).toBeCloseTo(f.reference.toNumber(), 6);
    }
    const trail = trailPoints(view, state.pool, 3);
    expect(trail).toHaveLength(5);
    expect(trail[0]).toEqual([20000, 60_000_000]);
    // Seized WETH comes into the pool: x grows from the shock to the deepest block.
    expect(view.steps[view.lowest.step]!.reserveX.gt(view.steps[0]!.reserveX)).toBe(true);
  });

  it('keeps the frame fixed through the blocks and holds every reserve it visits', () => {
    const [x0, x1] = view.curveFrame.x;
    for (const f of view.steps) {
      expect(f.reserveX.toNumber()).toBeGreaterThan(x0);
      expect(f.reserveX.toNumber()).toBeLessThan(x1);
      expect(f.reserveY.toNumber()).toBeGreaterThan(view.curveFrame.y[0]);
      expect(f.reserveY.toNumber()).toBeLessThan(view.curveFrame.y[1]);
    }
  });

  it('says in words what the figure shows, at the shock and at the last block', () => {
    expect(summary(view, 0, state.pool)).toMatch(
      /^The outside WETH price falls to 2,640\.00 USDC and arbitrageurs sell WETH into the pool until it matches: the pool's price goes from 3,000\.00 USDC to 2,640\.00 USDC \(−12\.00\u202f%\).* The oracle, which reads the pool, reports 3,000\.00 USDC, so no borrower is below a health factor of 1 yet\.$/,
    );
    const end = summary(view, view.blocks, state.pool);
    expect(end.startsWith(`After block ${view.blocks} of ${view.blocks} the pool's price is`)).toBe(true);
    expect(end).toContain(view.stop);
    expect(end).toContain('No bad debt.');
    expect(stepLabel(view, 0)).toBe('After the shock');
  });

  it('lists the numbers and one table row per step', () => {
    const labels = stats(view, view.blocks).map((s) => s.label);
    expect(labels).toEqual(['Pool price', 'Oracle price', 'Outside price', 'Borrowers liquidated', 'Debt repaid', 'WETH sold into the pool', 'Bad debt', 'Base fee', 'The run']);
    const rows = tableRows(view);
    expect(rows).toHaveLength(view.blocks + 1);
    expect(rows[0]!.step).toBe('Shock');
    expect(rows[0]!.oracle).toBe('3,000.00 (held)');
    expect(rows[0]!.gas).toBe('20.0');
  });
});

describe('the knobs change the run the way the lessons say', () => {
  it('an oracle on the outside market cuts the loop: fewer liquidations, a shallower pool', () => {
    const onPool = run().view;
    const outside = run({ oracle: 'ref' }).view;
    expect(outside.steps[outside.blocks]!.accounts).toBeLessThan(onPool.steps[onPool.blocks]!.accounts);
    expect(outside.lowest.price.gt(onPool.lowest.price)).toBe(true);
  });

  it('a thinner pool spirals further', () => {
    expect(run({ pool: '10000' }).view.lowest.price.lt(run().view.lowest.price)).toBe(true);
  });

  it('block space caps the liquidation calls in every block, and full blocks raise the base fee by an eighth', () => {
    const { view } = run({ lpb: '10', move: '-15' });
    let sawFull = false;
    for (let k = 1; k < view.steps.length; k++) {
      const f = view.steps[k]!;
      expect(f.liquidations).toBeLessThanOrEqual(10);
      if (f.liquidations === 10 && k + 1 < view.steps.length) {
        sawFull = true;
        // EIP-1559 in integer wei: the next fee is an eighth higher, floored to the wei (10⁻⁹ gwei).
        const next = view.steps[k + 1]!.gasPrice!;
        expect(next.sub(f.gasPrice!.mul('1.125')).abs().lte('1e-9')).toBe(true);
      }
    }
    expect(sawFull).toBe(true);
  });

  it('draws bad debt and the base fee block by block, from the engine’s figures', () => {
    const { view } = run({ oracle: 'ref', move: '-25', over: '5', lpb: '20' });
    expect(view.badDebtPoints).toHaveLength(view.blocks + 1);
    expect(view.badDebtPoints[view.blocks]![1]).toBe(view.steps[view.blocks]!.badDebt.toNumber());
    expect(view.badDebtMax).toBeGreaterThan(0);
    // Full blocks push the fee up from 20 gwei; the top of its chart is the highest fee of the run.
    expect(view.gasPoints[0]![1]).toBe(20);
    expect(view.gasMax).toBe(Math.max(...view.steps.map((f) => f.gasPrice!.toNumber())));
    expect(view.gasMax).toBeGreaterThan(100);
  });

  it('without gas there is no base fee to show', () => {
    const { view } = run({ fee: '0' });
    expect(view.gas).toBe(false);
    expect(stats(view, view.blocks).map((s) => s.label)).not.toContain('Base fee');
    expect(tableRows(view)[0]!.gas).toBe('—');
  });

  it('a sell into the pool leaves the outside price where it was, and arbitrage pulls the pool back', () => {
    const { view, state } = run({ kind: 'sell', sell: '2000' });
    expect(view.steps[0]!.reference.eq(REFERENCE)).toBe(true);
    expect(view.steps[0]!.pool.lt(REFERENCE)).toBe(true);
    expect(view.steps[view.blocks]!.pool.gt(view.lowest.price)).toBe(true);
    expect(summary(view, 0, state.pool)).toMatch(/^A sell of WETH into the pool takes its price from 3,000\.00 USDC to /);
  });

  it('is deterministic: the same state gives the same run to the last digit', () => {
    const a = run({ move: '-13.5', seed: '5' }).view;
    const b = run({ move: '-13.5', seed: '5' }).view;
    expect(tableRows(a)).toEqual(tableRows(b));
  });
});

describe('refusals', () => {
  it("turns the engine's refusal into a sentence naming the control", () => {
    expect(refusal(new EngineInputError('count', 'must be a whole number from 1 to 100000'))).toBe(
      'The engine cannot run this market. Borrowers: must be a whole number from 1 to 100000.',
    );
    expect(refusal(new EngineInputError('pools[0].collateralReserve', 'must be positive'))).toBe('The engine cannot run this market. Pool depth: must be positive.');
    const refused = attempt(() => {
      throw new EngineInputError('shock.sellQuantity', 'must be positive');
    });
    expect(refused).toEqual({ ok: false, error: 'The engine cannot run this market. Sell into the pool: must be positive.' });
    expect(() => attempt(() => JSON.parse('{'))).toThrow(SyntaxError);
  });

  it('accepts every state a link can reach at its limits', () => {
    for (const overrides of [{ pool: '100', move: '-60' }, { n: '1' }, { kind: 'sell', sell: '500000', pool: '100' }, { lpb: '1', cap: '1', fee: '2000', gas: '2000000' }] as Partial<SpiralState>[]) {
      const state = defaultSpiralState(overrides);
      const { n, seed, ...knobs } = state;
      const result = attempt(() => runSpiral(buildBorrowers({ n, seed }), knobs as RunKnobs));
      expect(result.ok, JSON.stringify(overrides)).toBe(true);
    }
  });
});
