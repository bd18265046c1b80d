/**
 * Figures and links for the health factor explorer's teacher guide (content/guides/health-factor-explorer.mdx),
 * computed at build time through the widget's own state and model (defaultExplorerState, readExplorer,
 * writeExplorerState), so every number the guide quotes is what the widget shows in the state its link opens.
 *
 * The account is the widget's default: 10 WETH and 0.25 WBTC supplied, 24,000 USDC and 2,000 DAI borrowed, on the
 * Aave v3 Ethereum preset at the widget's reference prices (WETH 2,500, WBTC 60,000). Each step of the activity moves
 * one thing: the WETH price, the rules, the debt repaid, or which collateral's price moves.
 */
import { Decimal } from '../../engine';
import { formatDecimal, formatPercent, trimZeros } from '../format';
import { readExplorer, type ExplorerReading } from '../../widgets/health-factor-explorer/model';
import { MOVE_MIN, defaultExplorerState, writeExplorerState, type ExplorerState } from '../../widgets/health-factor-explorer/state';

const WIDGET = '/widgets/health-factor-explorer/';

/** The moves the activity visits, percent from the reference price. */
export const HF_GUIDE_MOVES = {
  /** Over the loan-to-value limit, but still above a health factor of 1. */
  overLimit: '-30',
  /** Just below a health factor of 1: a partial liquidation, and v3.3 against v3.0. */
  partial: '-38',
  /** Below 0.95 (the whole debt may be repaid) but above LT × (1 + bonus): seizing WETH still helps. */
  helps: '-45',
  /** Below LT × (1 + bonus): seizing WETH leaves the account worse. */
  hurts: '-50',
} as const;

const usd = (value: Decimal, decimals = 0) => `$${formatDecimal(value, decimals)}`;
const hf = (value: Decimal | null) => (value === null ? 'none' : formatDecimal(value, 2));
const pct = (fraction: Decimal, decimals = 1) => formatPercent(fraction, decimals);
const units = (amount: Decimal, asset: string, decimals = 4) => `${trimZeros(formatDecimal(amount, decimals))}\u00a0${asset}`;

interface Visit {
  state: ExplorerState;
  reading: ExplorerReading;
  link: string;
}

/** One state of the widget: parsed like a link (so clamps apply), read by the widget's model, and linked. */
function visit(overrides: Partial<ExplorerState> = {}): Visit {
  const state = defaultExplorerState(overrides);
  const result = readExplorer(state);
  if (!result.ok) throw new Error(`health-factor guide: the widget cannot read ${JSON.stringify(overrides)}: ${result.message}`);
  return { state, reading: result.reading, link: `${WIDGET}?${writeExplorerState(state)}` };
}

export function healthFactorGuide() {
  // ---- Step 1 and question 1: the default account, before any move ----
  const start = visit();
  const r0 = start.reading;
  const weth = r0.preset.assets.find((a) => a.asset === 'WETH')!;
  const wbtc = r0.preset.assets.find((a) => a.asset === 'WBTC')!;
  const liquidationPrice = r0.liquidationPrice!;
  const wethFall = r0.moved.reference.sub(liquidationPrice).div(r0.moved.reference);
  const wbtcLine = r0.values.thresholdValue.sub(new Decimal(start.state.a1).mul(r0.moved.reference).mul(weth.liquidationThreshold));

  // ---- The chart's left edge: WETH almost worthless, the WBTC still there ----
  const floor = visit({ move: String(MOVE_MIN) });

  // ---- Over the borrowing limit, not liquidatable ----
  const overLimit = visit({ move: HF_GUIDE_MOVES.overLimit });

  // ---- Step 2 and question 2: just below 1, the close factor on the whole debt (v3.3) or on one debt (v3.0) ----
  const partial = visit({ move: HF_GUIDE_MOVES.partial });
  const partialV30 = visit({ move: HF_GUIDE_MOVES.partial, rules: 'v3.0' });
  const partialDai = visit({ move: HF_GUIDE_MOVES.partial, r: '2' });
  const partialDaiV30 = visit({ move: HF_GUIDE_MOVES.partial, r: '2', rules: 'v3.0' });
  const lp = partial.reading.liquidation;

  // ---- Step 3 and question 3: deep below 1, seizing WETH helps at −45 % and hurts at −50 % ----
  const helps = visit({ move: HF_GUIDE_MOVES.helps });
  const hurts = visit({ move: HF_GUIDE_MOVES.hurts });
  const lh = hurts.reading.liquidation;
  const hurtsWbtc = visit({ move: HF_GUIDE_MOVES.hurts, s: '2' });

  // ---- Step 4: move WBTC instead; then (going further) a stablecoin in WBTC's place ----
  const wbtcMoves = visit({ k: '2' });
  const wbtcLiquidation = wbtcMoves.reading.liquidationPrice!;
  const wbtcFall = wbtcMoves.reading.moved.reference.sub(wbtcLiquidation).div(wbtcMoves.reading.moved.reference);
  const wbtcValue = new Decimal(start.state.a2).mul(wbtcMoves.reading.moved.reference);
  // The same dollars of collateral in a stablecoin: a price that does not move, and a higher threshold.
  const stable = visit({ c2: 'USDC', a2: wbtcValue.toDecimalPlaces(0).toString() });
  const stableLiquidation = stable.reading.liquidationPrice!;

  return {
    start: {
      link: start.link,
      /** "10 WETH and 0.25 WBTC": the collateral as the state gives it. */
      holdings: r0.account.collateral.map((c) => units(new Decimal(c.amount.toString()), c.asset)).join(' and '),
      /** The tempting wrong answer to question 1: HF − 1 read as a percentage. */
      naiveFall: pct(r0.healthFactor!.sub(1), 0),
      healthFactor: hf(r0.healthFactor),
      collateral: usd(r0.values.collateralValue),
      debt: usd(r0.values.debtValue),
      limit: usd(r0.values.borrowLimit),
      line: usd(r0.values.thresholdValue),
      power: usd(r0.borrowingPower),
      /** Borrowing right up to the limit starts the account at line ÷ limit. */
      hfAtLimit: formatDecimal(r0.values.thresholdValue.div(r0.values.borrowLimit), 2),
      wethPrice: usd(r0.moved.reference),
      wethLtv: pct(new Decimal(weth.ltv)),
      wethLt: pct(new Decimal(weth.liquidationThreshold), 0),
      wethBonus: pct(new Decimal(weth.liquidationBonus)),
      wbtcLt: pct(new Decimal(wbtc.liquidationThreshold), 0),
      /** The WETH price at which the health factor reaches 0.95 and a liquidator may repay everything. */
      fullClosePrice: usd(r0.fullClosePrice!),
      fullCloseThreshold: r0.preset.closeFactor.healthFactorThreshold,
      /** The health factor with WETH at the slider's lowest price. */
      floorMove: pct(floor.reading.moved.move.abs(), 0),
      floorHealthFactor: hf(floor.reading.healthFactor),
      floorValue: floor.reading.healthFactor!,
    },
    overLimit: {
      link: overLimit.link,
      move: pct(overLimit.reading.moved.move.abs(), 0),
      over: usd(overLimit.reading.borrowingPower.neg()),
      healthFactor: hf(overLimit.reading.healthFactor),
      values: { power: overLimit.reading.borrowingPower, healthFactor: overLimit.reading.healthFactor! },
    },
    q1: {
      link: start.link,
      /** The answer: WETH's fall to a health factor of 1, percent, one decimal. */
      answer: wethFall.mul(100).toDecimalPlaces(1).toString(),
      fall: pct(wethFall),
      liquidationPrice: usd(liquidationPrice),
      /** 1 − 1/HF: the fall of every collateral price together. */
      uniformDrop: pct(r0.uniformDrop!),
      /** What the WBTC alone contributes to the liquidation line. */
      wbtcLine: usd(wbtcLine),
      values: { fall: wethFall, liquidationPrice, uniformDrop: r0.uniformDrop! },
    },
    q2: {
      link: partial.link,
      linkV30: partialV30.link,
      linkDai: partialDai.link,
      linkDaiV30: partialDaiV30.link,
      move: pct(partial.reading.moved.move.abs(), 0),
      wethPrice: usd(partial.reading.moved.price),
      healthFactor: hf(partial.reading.healthFactor),
      answer: lp.debtRepaid.toDecimalPlaces(0).toString(),
      repaid: formatDecimal(lp.debtRepaid, 0),
      closeFactor: pct(lp.closeFactor, 0),
      seized: units(lp.collateralSeized, 'WETH'),
      seizedValue: usd(lp.values.collateralSeized),
      bonusValue: usd(lp.values.collateralSeized.sub(lp.values.debtRepaid)),
      after: hf(lp.healthFactorAfter),
      repaidV30: formatDecimal(partialV30.reading.liquidation.debtRepaid, 0),
      usdcDebt: formatDecimal(new Decimal(partial.state.b1), 0),
      daiDebt: formatDecimal(new Decimal(partial.state.b2), 0),
      repaidDai: formatDecimal(partialDai.reading.liquidation.debtRepaid, 0),
      repaidDaiV30: formatDecimal(partialDaiV30.reading.liquidation.debtRepaid, 0),
      closeThreshold: partial.reading.preset.closeFactor.healthFactorThreshold,
      values: { repaid: lp.debtRepaid, repaidV30: partialV30.reading.liquidation.debtRepaid, seized: lp.collateralSeized },
    },
    q3: {
      link: hurts.link,
      linkHelps: helps.link,
      linkWbtc: hurtsWbtc.link,
      move: pct(hurts.reading.moved.move.abs(), 0),
      wethPrice: usd(hurts.reading.moved.price),
      wethValue: usd(new Decimal(hurts.state.a1).mul(hurts.reading.moved.price)),
      wethUnits: units(new Decimal(hurts.state.a1), 'WETH', 0),
      healthFactor: hf(lh.healthFactorBefore),
      answer: lh.debtRepaid.toDecimalPlaces(0).toString(),
      repaid: formatDecimal(lh.debtRepaid, 0),
      /** What the WETH's threshold-weighted value was, all of it gone. */
      weightedLost: usd(lh.values.collateralSeized.mul(weth.liquidationThreshold)),
      after: hf(lh.healthFactorAfter),
      onePlusBonus: formatDecimal(new Decimal(weth.liquidationBonus).add(1), 3),
      lt: formatDecimal(new Decimal(weth.liquidationThreshold), 2),
      edge: formatDecimal(hurts.reading.seized.worsenBelow, 3),
      helpsMove: pct(helps.reading.moved.move.abs(), 0),
      helpsBefore: hf(helps.reading.liquidation.healthFactorBefore),
      helpsAfter: hf(helps.reading.liquidation.healthFactorAfter),
      values: {
        repaid: lh.debtRepaid,
        before: lh.healthFactorBefore!,
        after: lh.healthFactorAfter!,
        helpsBefore: helps.reading.liquidation.healthFactorBefore!,
        helpsAfter: helps.reading.liquidation.healthFactorAfter!,
      },
    },
    wbtc: {
      link: wbtcMoves.link,
      price: usd(wbtcMoves.reading.moved.reference),
      liquidationPrice: usd(wbtcLiquidation),
      fall: pct(wbtcFall),
      value: usd(wbtcValue),
      values: { liquidationPrice: wbtcLiquidation, fall: wbtcFall },
    },
    stable: {
      link: stable.link,
      amount: formatDecimal(wbtcValue, 0),
      healthFactor: hf(stable.reading.healthFactor),
      liquidationPrice: usd(stableLiquidation),
      fall: pct(stable.reading.moved.reference.sub(stableLiquidation).div(stable.reading.moved.reference)),
      values: { liquidationPrice: stableLiquidation },
    },
  };
}
