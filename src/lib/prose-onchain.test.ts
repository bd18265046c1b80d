/**
 * The on-chain lessons' numbers (prose-onchain.ts) against closed forms worked out here independently: the
 * constant-product impact 1 − 1/(1 + f)², the liquidation's value split, the break-even repayment and EIP-1559's
 * compounding; and the lessons' claims about the spiral against the widget's own model.
 */
import { describe, expect, it } from 'vitest';
import { Decimal, healthFactor } from '../engine';
import {
  BOTTLENECK_SCENARIO,
  EXAMPLE,
  baseFeeAfterFullBlocks,
  bottleneckComparison,
  breakEvenRows,
  congestionRows,
  impactRows,
  liquidationExample,
  oracleLoop,
  poolFacts,
  spiralReading,
  wethParameters,
} from './prose-onchain';
import { WETH_PARAMETERS, buildBorrowers, runSpiral, spiralView } from '../widgets/amm-liquidation-spiral/model';
import { defaultSpiralState } from '../widgets/amm-liquidation-spiral/state';

const D = (x: string | number) => new Decimal(x);
/** "12,521.01 USDC" / "4.34 %" → Decimal. */
const num = (text: string) => D(text.replace(/[^\d.\u2212-]/g, '').replace('\u2212', '-'));

describe('selling into x · y = k', () => {
  it('matches 1 − 1/(1 + f)² without the fee, and moves a little less with it', () => {
    for (const [f, row] of [0.01, 0.05, 0.1, 0.25].map((f, i) => [f, impactRows()[i]!] as const)) {
      const closed = 1 - 1 / (1 + f) ** 2;
      expect(row.engineValue.toNumber()).toBeCloseTo(closed, 12);
      expect(row.engineValue.sub(row.closedValue).abs().lt('1e-30')).toBe(true);
      expect(row.withFeeValue.lt(row.engineValue)).toBe(true);
      // The rule of thumb overstates the move, more so for larger sales.
      expect(num(row.thumb).gt(num(row.engine))).toBe(true);
    }
    expect(impactRows().map((r) => r.engine)).toEqual(['1.97\u202f%', '9.3\u202f%', '17.36\u202f%', '36\u202f%']);
  });

  it('describes the widget’s pool and its order-book equivalent, value ÷ 200 per 1 %', () => {
    expect(poolFacts()).toMatchObject({ weth: '20,000\u00a0WETH', usdc: '60 million USDC', price: '3,000\u00a0USDC', fee: '0.3\u202f%', perPercent: '300,000\u00a0USDC' });
  });
});

describe('one liquidation', () => {
  const ex = liquidationExample();

  it('starts from the health factors the lending engine computes', () => {
    const account = { collateral: [{ asset: 'WETH', amount: EXAMPLE.collateral, liquidationThreshold: WETH_PARAMETERS.liquidationThreshold, ltv: '0' }], debt: [{ asset: 'USDC', amount: EXAMPLE.debt }] };
    expect(ex.values.hfBefore.eq(healthFactor(account, { WETH: 3000, USDC: 1 })!)).toBe(true);
    expect(ex.values.hfAfter.eq(healthFactor(account, { WETH: EXAMPLE.fallTo, USDC: 1 })!)).toBe(true);
    // 10 × 3,000 × 0.86 ÷ 24,000 and 10 × 2,700 × 0.86 ÷ 24,000.
    expect(ex.hfBefore).toBe('1.075');
    expect(ex.hfAfter).toBe('0.968');
  });

  it('repays the 50 % close factor and seizes repaid × 1.052 ÷ price, less the protocol’s 10 % of the bonus', () => {
    expect(ex.repaid).toBe('12,000\u00a0USDC');
    const seized = D(12000).mul('1.052').div(2700);
    expect(num(ex.seized).sub(seized).abs().lt('0.00005')).toBe(true);
    const fee = seized.sub(seized.div('1.052')).mul('0.1');
    expect(num(ex.protocolFee).sub(fee).abs().lt('0.00005')).toBe(true);
  });

  it('keeps the liquidator’s books: profit = proceeds − repaid, net = profit − gas, gas = gas × fee × 10⁻⁹ × price', () => {
    expect(ex.values.gasCost.eq(D(400000).mul(20).mul('1e-9').mul(2700))).toBe(true);
    expect(ex.values.netProfit.eq(ex.values.grossProfit.sub(ex.values.gasCost))).toBe(true);
    expect(ex.values.grossProfit.add(ex.values.repaid).sub(num(ex.proceeds)).abs().lt('0.005')).toBe(true);
    // Bonus net of the protocol's cut, less the pool's fee and a sliver of impact: a little under 4.68 % − 0.3 %.
    expect(ex.margin.toNumber()).toBeGreaterThan(0.043);
    expect(ex.margin.toNumber()).toBeLessThan(0.0438);
  });
});

describe('gas', () => {
  it('compounds by an eighth per full block (EIP-1559)', () => {
    expect(baseFeeAfterFullBlocks('20', 1).eq('22.5')).toBe(true);
    expect(baseFeeAfterFullBlocks('20', 10).toNumber()).toBeCloseTo(20 * 1.125 ** 10, 9);
    expect(congestionRows().map((r) => r.blocks)).toEqual(['1', '5', '10', '20', '30']);
  });

  it('prices out the loans whose bonus does not cover the gas: the break-even repayment × margin = gas cost', () => {
    const { margin } = liquidationExample();
    const rows = breakEvenRows();
    for (const [i, fee] of ['20', '100', '200', '500'].entries()) {
      const gas = D(400000).mul(fee).mul('1e-9').mul(2700);
      expect(rows[i]!.repayValue.mul(margin).sub(gas).abs().lt('1e-20')).toBe(true);
    }
    // Five times the fee, five times the smallest liquidation worth making.
    expect(rows[1]!.repayValue.div(rows[0]!.repayValue).toNumber()).toBeCloseTo(5, 12);
  });
});

describe('the spiral, as the widget computes it', () => {
  it('quotes the widget’s default run', () => {
    const sp = spiralReading();
    const state = defaultSpiralState();
    const { n, seed, ...knobs } = state;
    const borrowers = buildBorrowers({ n, seed });
    const view = spiralView(knobs, borrowers, runSpiral(borrowers, knobs));
    expect(num(sp.lowest).eq(view.lowest.price.toDecimalPlaces(0))).toBe(true);
    expect(sp.liquidated).toBe(view.steps[view.blocks]!.accounts.toLocaleString('en-US'));
    expect(sp.link).toBe(`/widgets/amm-liquidation-spiral/?v=2&kind=move&move=-12&over=1&pool=20000&arb=20&oracle=pool&delay=1&dev=0.5&lpb=0&fee=20&gas=400000&cap=0&n=2000&seed=1`);
    // The lesson's claim: the spiral carries the pool well past the shock, and the run ends settled, with no bad debt.
    expect(sp.lowestFallValue.toNumber()).toBeGreaterThan(0.18);
    expect(sp.stopReason).toBe('fixed-point');
    expect(sp.badDebtValue.isZero()).toBe(true);
  });

  it('an oracle on the outside market liquidates fewer borrowers and leaves the pool higher (lesson 12)', () => {
    const loop = oracleLoop();
    expect(Number(loop.outside.liquidated.replace(/,/g, ''))).toBeLessThan(Number(loop.pool.liquidated.replace(/,/g, '')));
    expect(num(loop.outside.lowest).gt(num(loop.pool.lowest))).toBe(true);
  });

  it('the bottleneck scenario: the same shock is solvent without the bottleneck and leaves bad debt with it (lesson 13)', () => {
    const cmp = bottleneckComparison();
    expect(cmp.free.badDebtValue.isZero()).toBe(true);
    expect(cmp.jammed.badDebtValue.gt(0)).toBe(true);
    expect(cmp.capital.badDebtValue.gt(0)).toBe(true);
    expect(cmp.jammed.state.lpb).toBe(BOTTLENECK_SCENARIO.jammed.lpb);
    // The same loans end up liquidated: the bad debt comes from when, not from whether.
    expect(cmp.jammed.liquidated).toBe(cmp.free.liquidated);
    expect(cmp.capital.liquidated).toBe(cmp.free.liquidated);
    expect(cmp.jammed.stopReason).toBe('fixed-point');
    // As one gap, the block limit changes nothing in the bad debt (the lesson says so).
    expect(cmp.gapJammed.badDebtValue.eq(cmp.gapFree.badDebtValue)).toBe(true);
    expect(cmp.gapFree.badDebtValue.gt(0)).toBe(true);
    expect(cmp.stepSize).toBe('5\u202f%');
  });

  it('states the WETH parameters from the preset', () => {
    expect(wethParameters()).toMatchObject({ threshold: '86\u202f%', bonus: '5.2\u202f%', bonusBps: '10,520', protocolFee: '10\u202f%', closeDefault: '50\u202f%', closeThreshold: '0.95', badDebtRatio: '1.052', badDebtHealth: '0.905' });
  });
});
