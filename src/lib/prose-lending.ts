/**
 * Numbers for the health-factor lesson (content/lessons/health-factor.mdx), computed by the engine at build time:
 * Aave's published health-factor example, the explorer's own first figures (through its model, so the text and the
 * widget agree), one liquidation under v3.3 and v3.0, and the worsening rule on a one-collateral account.
 */
import {
  AAVE_V3_3_POSITION_LIMITS,
  AAVE_V3_CLOSE_FACTOR,
  Decimal,
  collateralLiquidationPrice,
  healthFactor,
  lendingLiquidation,
  protocolPreset,
  type LendingAccountInput,
} from '../engine';
import { formatDecimal, formatPercent, trimZeros } from './format';
import { readExplorer, type ExplorerReading } from '../widgets/health-factor-explorer/model';
import { defaultExplorerState, type ExplorerState } from '../widgets/health-factor-explorer/state';

const usd = (value: Decimal, decimals = 0) => `$${formatDecimal(value, decimals)}`;
const hf = (value: Decimal | null, decimals = 2) => (value === null ? 'none' : formatDecimal(value, decimals));
/** A number for TeX: digits, a point and thin-space-free commas as {,} so KaTeX does not add space after them. */
const tex = (text: string) => text.replace(/,/g, '{,}').replace(/\u2212/g, '-').replace(/\u202f%/g, '\\%');

function explorer(overrides: Partial<ExplorerState> = {}): ExplorerReading {
  const result = readExplorer(defaultExplorerState(overrides));
  if (!result.ok) throw new Error(`Lesson example cannot be read: ${result.message}`);
  return result.reading;
}

/**
 * Aave's example (https://aave.com/docs/developers/liquidations): $10,000 of ETH at an 80 % liquidation threshold
 * against $6,000 of GHO. Priced here as 4 ETH at $2,500 so that the liquidation price is a price.
 */
export function aaveExample() {
  const account: LendingAccountInput = { collateral: [{ asset: 'ETH', amount: 4, liquidationThreshold: '0.8', ltv: '0.8' }], debt: [{ asset: 'GHO', amount: 6000 }] };
  const prices = { ETH: 2500, GHO: 1 };
  const factor = healthFactor(account, prices)!;
  const liquidation = collateralLiquidationPrice(account, prices, 'ETH')!;
  const drop = new Decimal(1).sub(new Decimal(1).div(factor));
  return {
    healthFactor: hf(factor, 3),
    drop: formatPercent(drop, 0),
    liquidationPrice: usd(liquidation),
    /** The same drop read off the liquidation price, to show the two agree. */
    priceDrop: formatPercent(new Decimal(2500).sub(liquidation).div(2500), 0),
    texHf: `\\mathrm{HF} = \\frac{${tex('10,000')} \\times 0.8}{${tex('6,000')}} = ${tex(hf(factor, 3))}`,
  };
}

/** The explorer's default account and what it reads at the reference prices and at a chosen move. */
export function explorerFacts() {
  const r = explorer();
  const weth = protocolPreset(r.preset.id).assets.find((a) => a.asset === 'WETH')!;
  const wbtc = protocolPreset(r.preset.id).assets.find((a) => a.asset === 'WBTC')!;
  return {
    healthFactor: hf(r.healthFactor),
    collateral: usd(r.values.collateralValue),
    debt: usd(r.values.debtValue),
    limit: usd(r.values.borrowLimit),
    line: usd(r.values.thresholdValue),
    power: usd(r.borrowingPower),
    hfAtLimit: formatDecimal(r.values.thresholdValue.div(r.values.borrowLimit), 2),
    wethLtv: formatPercent(new Decimal(weth.ltv), 1),
    wethLt: formatPercent(new Decimal(weth.liquidationThreshold), 0),
    wbtcLtv: formatPercent(new Decimal(wbtc.ltv), 0),
    wbtcLt: formatPercent(new Decimal(wbtc.liquidationThreshold), 0),
    wethBonus: formatPercent(new Decimal(weth.liquidationBonus), 1),
    wethFee: formatPercent(new Decimal(weth.liquidationProtocolFee ?? 0), 0),
    uniformDrop: formatPercent(r.uniformDrop!, 1),
    uniformDropAnswer: r.uniformDrop!.mul(100).toDecimalPlaces(1).toString(),
    liquidationPrice: usd(r.liquidationPrice!),
    wethDrop: formatPercent(r.moved.reference.sub(r.liquidationPrice!).div(r.moved.reference), 1),
    wethPrice: usd(r.moved.reference),
  };
}

/** One liquidation in the explorer at a WETH move (percent), under v3.3 and v3.0, repaying USDC or DAI. */
export function liquidationFacts(move = '-38') {
  const r = explorer({ move });
  const l = r.liquidation;
  const v30 = explorer({ move, rules: 'v3.0' }).liquidation;
  const dai = explorer({ move, r: '2' }).liquidation;
  const dai30 = explorer({ move, r: '2', rules: 'v3.0' }).liquidation;
  return {
    wethPrice: usd(r.moved.price),
    move: formatPercent(r.moved.move.abs(), 0),
    healthFactor: hf(l.healthFactorBefore),
    repaid: formatDecimal(l.debtRepaid, 0),
    repaidV30: formatDecimal(v30.debtRepaid, 0),
    seized: trimZeros(formatDecimal(l.collateralSeized, 4)),
    seizedValue: usd(l.values.collateralSeized),
    bonusValue: usd(l.values.collateralSeized.sub(l.values.debtRepaid)),
    protocolFee: usd(l.values.protocolFee, 2),
    liquidatorBonus: usd(l.values.liquidatorBonus, 2),
    after: hf(l.healthFactorAfter),
    daiRepaid: formatDecimal(dai.debtRepaid, 0),
    daiRepaidV30: formatDecimal(dai30.debtRepaid, 0),
    closeDefault: formatPercent(new Decimal(AAVE_V3_CLOSE_FACTOR.default), 0),
    closeThreshold: AAVE_V3_CLOSE_FACTOR.healthFactorThreshold,
    fullCloseBelow: usd(new Decimal(AAVE_V3_3_POSITION_LIMITS.fullCloseBelow)),
    minLeftover: usd(new Decimal(AAVE_V3_3_POSITION_LIMITS.minLeftover)),
  };
}

/**
 * The worsening rule on one collateral: 10 WETH at $1,000 (LT 0.86, bonus 5.2 %, the preset's) against a USDC debt,
 * once with collateral ÷ debt above 1 + bonus and once below, each liquidator repaying `repay` USDC.
 */
export function worseningFacts() {
  const weth = protocolPreset('aave-v3-ethereum').assets.find((a) => a.asset === 'WETH')!;
  const one = (debt: number, repay: number) => {
    const account: LendingAccountInput = { collateral: [{ asset: 'WETH', amount: 10, liquidationThreshold: weth.liquidationThreshold, ltv: weth.ltv }], debt: [{ asset: 'USDC', amount: debt }] };
    const l = lendingLiquidation(account, { WETH: 1000, USDC: 1 }, {
      debtAsset: 'USDC',
      collateralAsset: 'WETH',
      repayAmount: repay,
      liquidationBonus: weth.liquidationBonus,
      protocolFee: weth.liquidationProtocolFee ?? 0,
    });
    return {
      debt: usd(new Decimal(debt)),
      ratio: formatDecimal(new Decimal(10000).div(debt), 3),
      before: hf(l.healthFactorBefore, 3),
      after: hf(l.healthFactorAfter, 3),
      repaid: usd(l.debtRepaid),
      seized: usd(l.values.collateralSeized),
      worse: l.healthFactorAfter !== null && l.healthFactorAfter.lt(l.healthFactorBefore!),
    };
  };
  const onePlusBonus = new Decimal(weth.liquidationBonus).add(1);
  return {
    onePlusBonus: formatDecimal(onePlusBonus, 3),
    bonus: formatPercent(new Decimal(weth.liquidationBonus), 1),
    lt: formatDecimal(new Decimal(weth.liquidationThreshold), 2),
    edgeHf: formatDecimal(new Decimal(weth.liquidationThreshold).mul(onePlusBonus), 3),
    healthy: one(9000, 2000),
    sick: one(9700, 2000),
  };
}
