/**
 * Numbers for the two lessons on on-chain liquidations (12: liquidations through an AMM; 13: bottlenecks), computed
 * by the engine at build time: the constant-product pool (constantProductPool, swapExactIn), one Aave-v3-style
 * liquidation (lendingLiquidation with the shipped Aave v3 Ethereum WETH parameters) and the on-chain cascade
 * (simulateLendingCascade, through the AMM liquidation spiral's own model so that a figure quoted in the text is
 * the widget's). Functions return formatted text; predict boxes get a plain decimal string.
 *
 * The market is the widget's: WETH at 3,000 USDC, a WETH/USDC pool of 20,000 WETH and 60 million USDC with
 * Uniswap v2's 0.3 % fee, borrowers under Aave v3 Ethereum's WETH parameters, gas paid in ETH.
 */
import { Decimal, constantProductPool, lendingLiquidation, poolSpotPrice, swapExactIn, type ConstantProductPool } from '../engine';
import { formatDecimal, formatPercent, trimZeros } from './format';
import { POOL_FEE, REFERENCE, WETH_PARAMETERS, buildBorrowers, runSpiral, shockedReference, spiralView } from '../widgets/amm-liquidation-spiral/model';
import { defaultSpiralState, writeSpiralState, type SpiralState } from '../widgets/amm-liquidation-spiral/state';

const D = (x: string | number | Decimal) => new Decimal(x);
const ONE = D(1);

/** "9.3 %" with as few decimals as it needs (up to `decimals`). */
export const pct = (fraction: Decimal, decimals = 2): string => {
  const text = formatPercent(fraction, decimals);
  return text.replace(/\.(\d*?)0+(?=\u202f%)/, (_match, kept: string) => (kept ? `.${kept}` : ''));
};
const usdc = (value: Decimal, decimals = 0): string => `${trimZeros(formatDecimal(value, decimals))}\u00a0USDC`;
const weth = (value: Decimal, decimals = 4): string => `${trimZeros(formatDecimal(value, decimals))}\u00a0WETH`;
const gwei = (value: Decimal, decimals = 1): string => `${trimZeros(formatDecimal(value, decimals))}\u00a0gwei`;
const money = (value: Decimal): string =>
  value.abs().gte(1_000_000) ? `${trimZeros(formatDecimal(value.div(1_000_000), 2))} million USDC` : usdc(value);

/** The widget's pool before any shock. */
export const POOL = { weth: defaultSpiralState().pool, price: REFERENCE.toString() } as const;

export function lessonPool(wethReserve: string = POOL.weth, priceUsdc: Decimal = REFERENCE, fee: string = POOL_FEE): ConstantProductPool {
  return constantProductPool({ reserveX: wethReserve, reserveY: D(wethReserve).mul(priceUsdc), fee });
}

/** The WETH parameters the lessons quote, from the shipped preset. */
export function wethParameters() {
  const lt = D(WETH_PARAMETERS.liquidationThreshold);
  const bonus = D(WETH_PARAMETERS.liquidationBonus);
  const fee = D(WETH_PARAMETERS.protocolFee);
  return {
    market: WETH_PARAMETERS.market,
    read: WETH_PARAMETERS.read,
    source: WETH_PARAMETERS.source,
    threshold: pct(lt, 1),
    bonus: pct(bonus, 1),
    bonusBps: formatDecimal(ONE.add(bonus).mul(10000), 0),
    protocolFee: pct(fee, 1),
    closeDefault: pct(D(WETH_PARAMETERS.closeFactor.default), 0),
    closeThreshold: trimZeros(WETH_PARAMETERS.closeFactor.healthFactorThreshold),
    /** Collateral ÷ debt below which a full liquidation leaves debt with no collateral: 1 + bonus. */
    badDebtRatio: trimZeros(formatDecimal(ONE.add(bonus), 3)),
    /** The health factor at which collateral ÷ debt = 1 + bonus: LT × (1 + bonus). */
    badDebtHealth: trimZeros(formatDecimal(lt.mul(ONE.add(bonus)), 3)),
  };
}

/**
 * Selling a share f of the pool's WETH at once: the engine's price impact with no fee and with the 0.3 % fee,
 * beside the closed form 1 − 1/(1 + f)² and the rule of thumb 2f (cascade-models.md §4.4).
 */
export function impactRows(shares: readonly string[] = ['0.01', '0.05', '0.1', '0.25']) {
  const bare = lessonPool(POOL.weth, REFERENCE, '0');
  const withFee = lessonPool();
  return shares.map((f) => {
    const quantity = bare.reserveX.mul(f);
    const noFee = swapExactIn(bare, { tokenIn: 'x', amountIn: quantity });
    const fee = swapExactIn(withFee, { tokenIn: 'x', amountIn: quantity });
    const closed = ONE.sub(ONE.div(ONE.add(f).pow(2)));
    return {
      share: pct(D(f), 0),
      quantity: weth(quantity, 0),
      engine: pct(noFee.priceImpact.neg(), 2),
      closed: pct(closed, 2),
      thumb: pct(D(f).mul(2), 0),
      withFee: pct(fee.priceImpact.neg(), 2),
      average: usdc(fee.executionPrice, 2),
      after: usdc(fee.spotPriceAfter, 2),
      /** For tests: the engine's fee-free impact and the closed form as Decimals. */
      engineValue: noFee.priceImpact.neg(),
      closedValue: closed,
      withFeeValue: fee.priceImpact.neg(),
    };
  });
}

/** The pool itself: its reserves, k and its price. */
export function poolFacts() {
  const pool = lessonPool();
  return {
    weth: weth(pool.reserveX, 0),
    usdc: money(pool.reserveY),
    price: usdc(poolSpotPrice(pool)),
    fee: pct(pool.fee, 1),
    /** cascade-models.md §4.4: a constant-product pool is about as deep as a linear book with value ÷ 200 per 1 %. */
    perPercent: money(pool.reserveY.div(200)),
  };
}

export const EXAMPLE = {
  collateral: '10',
  debt: '24000',
  fallTo: '2700',
  gas: '400000',
  baseFee: '20',
} as const;

/**
 * One liquidation worked through: a borrower with 10 WETH owing 24,000 USDC, WETH falls to 2,700; the liquidator
 * repays the close factor, seizes collateral with the bonus, sells it into the widget's pool (repriced to 2,700 by
 * arbitrage) and pays gas.
 */
export function liquidationExample(baseFee: string = EXAMPLE.baseFee) {
  const account = {
    collateral: [{ asset: 'WETH', amount: EXAMPLE.collateral, liquidationThreshold: WETH_PARAMETERS.liquidationThreshold, ltv: '0' }],
    debt: [{ asset: 'USDC', amount: EXAMPLE.debt }],
  };
  const after = { WETH: D(EXAMPLE.fallTo), USDC: ONE };
  const liquidation = lendingLiquidation(account, after, {
    debtAsset: 'USDC',
    collateralAsset: 'WETH',
    liquidationBonus: WETH_PARAMETERS.liquidationBonus,
    protocolFee: WETH_PARAMETERS.protocolFee,
    closeFactor: WETH_PARAMETERS.closeFactor,
  });
  const pool = lessonPool(POOL.weth, D(EXAMPLE.fallTo));
  const sale = swapExactIn(pool, { tokenIn: 'x', amountIn: liquidation.liquidatorReceives });
  const gasCost = D(EXAMPLE.gas).mul(baseFee).mul('1e-9').mul(EXAMPLE.fallTo);
  const grossProfit = sale.amountOut.sub(liquidation.debtRepaid);
  const netProfit = grossProfit.sub(gasCost);
  const hfBefore = D(EXAMPLE.collateral).mul(REFERENCE).mul(WETH_PARAMETERS.liquidationThreshold).div(EXAMPLE.debt);
  return {
    collateral: weth(D(EXAMPLE.collateral), 0),
    collateralValue: usdc(D(EXAMPLE.collateral).mul(REFERENCE)),
    debt: usdc(D(EXAMPLE.debt)),
    hfBefore: formatDecimal(hfBefore, 3),
    fallTo: usdc(D(EXAMPLE.fallTo)),
    fall: pct(REFERENCE.sub(EXAMPLE.fallTo).div(REFERENCE), 0),
    hfAfter: formatDecimal(liquidation.healthFactorBefore!, 3),
    closeFactor: pct(liquidation.closeFactor, 0),
    repaid: usdc(liquidation.debtRepaid),
    seized: weth(liquidation.collateralSeized),
    seizedValue: usdc(liquidation.values.collateralSeized, 2),
    protocolFee: weth(liquidation.protocolFee),
    received: weth(liquidation.liquidatorReceives),
    proceeds: usdc(sale.amountOut, 2),
    saleImpact: pct(sale.priceImpact.neg(), 3),
    grossProfit: usdc(grossProfit, 2),
    gas: formatDecimal(D(EXAMPLE.gas), 0),
    baseFee: gwei(D(baseFee), 0),
    gasCost: usdc(gasCost, 2),
    netProfit: usdc(netProfit, 2),
    hfAfterLiquidation: formatDecimal(liquidation.healthFactorAfter!, 3),
    debtLeft: usdc(D(EXAMPLE.debt).sub(liquidation.debtRepaid)),
    /** Profit before gas per USDC repaid: what a bonus is worth once the protocol's cut and the pool's fee are paid. */
    margin: grossProfit.div(liquidation.debtRepaid),
    marginText: pct(grossProfit.div(liquidation.debtRepaid), 2),
    values: { grossProfit, netProfit, gasCost, repaid: liquidation.debtRepaid, hfBefore, hfAfter: liquidation.healthFactorBefore! },
  };
}

/** EIP-1559: the base fee after n blocks that are completely full (each raises it by one eighth). */
export function baseFeeAfterFullBlocks(start: string, blocks: number): Decimal {
  return D(start).mul(D('1.125').pow(blocks));
}

/**
 * The smallest repayment a liquidator will make at each base fee: the gas cost (400,000 gas at the fee, ETH at
 * 2,700) divided by the profit per USDC repaid in the worked example. Below it the bonus does not pay for the gas.
 */
export function breakEvenRows(fees: readonly string[] = ['20', '100', '200', '500']) {
  const { margin } = liquidationExample();
  return fees.map((fee) => {
    const gasCost = D(EXAMPLE.gas).mul(fee).mul('1e-9').mul(EXAMPLE.fallTo);
    const repay = gasCost.div(margin);
    return {
      fee: gwei(D(fee), 0),
      gasCost: usdc(gasCost, 2),
      repay: usdc(repay),
      /** The close factor is 50 % above a health factor of 0.95: the debt of the smallest account worth liquidating. */
      debt: usdc(repay.div(WETH_PARAMETERS.closeFactor.default)),
      repayValue: repay,
    };
  });
}

/** The base fee climbing through full blocks, from a starting fee. */
export function congestionRows(start: string = EXAMPLE.baseFee, blocks: readonly number[] = [1, 5, 10, 20, 30]) {
  return blocks.map((n) => ({ blocks: String(n), fee: gwei(baseFeeAfterFullBlocks(start, n), 1), value: baseFeeAfterFullBlocks(start, n) }));
}

// ---------------------------------------------------------------------------------------------------------
// The on-chain cascade, through the widget's own model
// ---------------------------------------------------------------------------------------------------------

/** The widget's state for a lesson scenario: the overrides are parsed and clamped like a link. */
export function scenarioState(overrides: Partial<SpiralState> = {}): SpiralState {
  return defaultSpiralState(overrides);
}

/** One run of the widget in a scenario, with what the lessons quote of it. */
export function spiralReading(overrides: Partial<SpiralState> = {}) {
  const state = scenarioState(overrides);
  const { n, seed, ...knobs } = state;
  const borrowers = buildBorrowers({ n, seed });
  const view = spiralView(knobs, borrowers, runSpiral(borrowers, knobs));
  const first = view.steps[0]!;
  const last = view.steps[view.blocks]!;
  let peakBacklog = 0;
  let peakFee: Decimal | null = null;
  for (const f of view.steps) {
    peakBacklog = Math.max(peakBacklog, f.backlog);
    if (f.gasPrice !== null && (peakFee === null || f.gasPrice.gt(peakFee))) peakFee = f.gasPrice;
  }
  const fall = (p: Decimal) => view.initial.sub(p).div(view.initial);
  // The deepest point over the first move: with arbitrage the pool drifts back, so the final-price ratio tends to 1.
  const amplification = view.result.peakAmplification;
  return {
    state,
    view,
    link: `/widgets/amm-liquidation-spiral/?${writeSpiralState(state)}`,
    borrowers: formatDecimal(D(view.borrowers), 0),
    pool: weth(D(state.pool), 0),
    poolUsdc: money(D(state.pool).mul(REFERENCE)),
    shock: state.kind === 'move' ? pct(D(state.move).neg().div(100), 1) : weth(D(state.sell), 0),
    target: usdc(shockedReference(state.move), 0),
    outside: usdc(first.reference, 0),
    afterShock: usdc(first.pool, 0),
    afterShockFall: pct(fall(first.pool), 1),
    hitByShock: formatDecimal(D(first.backlog), 0),
    lowest: usdc(view.lowest.price, 0),
    lowestFall: pct(fall(view.lowest.price), 1),
    lowestFallValue: fall(view.lowest.price),
    /** For a predict box: the deepest fall in percent, one decimal, as a plain number. */
    lowestFallAnswer: fall(view.lowest.price).mul(100).toFixed(1),
    lowestBlock: String(view.lowest.step),
    final: usdc(last.pool, 0),
    finalOracle: usdc(last.oracle, 0),
    blocks: formatDecimal(D(view.blocks), 0),
    liquidated: formatDecimal(D(last.accounts), 0),
    liquidatedShare: pct(D(last.accounts).div(view.borrowers), 1),
    repaid: money(last.repaid),
    sold: weth(last.sold, 0),
    soldShare: pct(last.sold.div(state.pool), 1),
    badDebt: money(last.badDebt),
    badDebtValue: last.badDebt,
    backlog: formatDecimal(D(last.backlog), 0),
    peakBacklog: formatDecimal(D(peakBacklog), 0),
    unprofitable: formatDecimal(D(last.unprofitable), 0),
    startFee: state.fee === '0' ? null : gwei(D(state.fee), 0),
    peakFee: peakFee === null ? null : gwei(peakFee, 0),
    profit: money(last.profit),
    amplification: amplification === null ? null : `${trimZeros(formatDecimal(amplification, 2))}×`,
    stop: view.stop,
    stopReason: view.result.stopReason,
  };
}

/** Lesson 12: the same shock with the oracle reading the pool and reading the outside market. */
export function oracleLoop(overrides: Partial<SpiralState> = {}) {
  return { pool: spiralReading({ ...overrides, oracle: 'pool' }), outside: spiralReading({ ...overrides, oracle: 'ref' }) };
}

/**
 * Lesson 13's scenario: the outside WETH price falls 25 % in five equal steps, one a block (a crash that takes a
 * minute, not a gap), and the protocol's oracle reads the outside market. The same run with liquidators who can
 * take every loan below 1 in the block it crosses (no limit on calls, no capital limit), with block space cut to 20
 * calls a block, and with liquidators' capital cut to 500,000 USDC a block. The settings are the widget's, so the
 * widget opens on the block-space run.
 */
export const BOTTLENECK_SCENARIO = {
  market: { oracle: 'ref', move: '-25', over: '5' },
  free: { lpb: '0', cap: '0' },
  jammed: { lpb: '20', cap: '0' },
  capital: { lpb: '0', cap: '500000' },
} as const satisfies Record<string, Partial<SpiralState>>;

export function bottleneckComparison() {
  const free = spiralReading({ ...BOTTLENECK_SCENARIO.market, ...BOTTLENECK_SCENARIO.free });
  const jammed = spiralReading({ ...BOTTLENECK_SCENARIO.market, ...BOTTLENECK_SCENARIO.jammed });
  const capital = spiralReading({ ...BOTTLENECK_SCENARIO.market, ...BOTTLENECK_SCENARIO.capital });
  // The same fall as one gap: the loans that lose money are past the line as soon as it lands, limit or not.
  const gapFree = spiralReading({ ...BOTTLENECK_SCENARIO.market, over: '1', ...BOTTLENECK_SCENARIO.free });
  const gapJammed = spiralReading({ ...BOTTLENECK_SCENARIO.market, over: '1', ...BOTTLENECK_SCENARIO.jammed });
  return {
    gapFree,
    gapJammed,
    free,
    jammed,
    capital,
    perBlock: BOTTLENECK_SCENARIO.jammed.lpb,
    capitalPerBlock: usdc(D(BOTTLENECK_SCENARIO.capital.cap)),
    steps: BOTTLENECK_SCENARIO.market.over,
    stepSize: pct(D(BOTTLENECK_SCENARIO.market.move).neg().div(BOTTLENECK_SCENARIO.market.over).div(100), 1),
  };
}
