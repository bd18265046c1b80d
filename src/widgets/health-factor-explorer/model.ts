/**
 * From the explorer's state to what the reader sees: the account at the moved price (health factor, borrowing
 * limit, liquidation line), the health factor against that collateral's price for the chart, and one liquidation
 * at the current prices (lendingLiquidation with the preset's close factor, bonus and protocol fee).
 *
 * Two thresholds carry the lesson. A liquidation that seizes collateral k changes the health factor by
 * r·(HF − LT_k·(1 + β_k)) ÷ (D − r) for a repayment r of total debt D (from HF = W ÷ D, W losing LT_k·r·(1 + β_k)),
 * so it lowers the health factor whenever HF < LT_k × (1 + β_k); with one collateral that is cascade-models.md §4.5's
 * collateral ÷ debt < 1 + bonus. And the account's debt stops being covered when collateral value < debt value.
 */
import {
  Decimal,
  EngineInputError,
  borrowingPower,
  collateralLiquidationPrice,
  collateralPriceForHealthFactor,
  healthFactor,
  lendingAccountValues,
  lendingLiquidation,
  protocolPreset,
  type LendingAccountInput,
  type LendingAccountValues,
  type LendingLiquidation,
  type ProtocolAssetParameters,
  type ProtocolPresetData,
} from '../../engine';
import { formatDecimal, formatPercent, formatSignedPercent, trimZeros } from '../../lib/format';
import { MOVE_MAX, MOVE_MIN, type ExplorerState } from './state';

/**
 * Illustrative oracle prices in USD (Aave's base currency), one per asset of the shipped presets, so the example
 * reads like a real account. Not market data: the reader moves one of them, the others stay put.
 */
export const REFERENCE_PRICES: Readonly<Record<string, string>> = Object.freeze({
  USDC: '1',
  USDT: '1',
  DAI: '1',
  WETH: '2500',
  wstETH: '2950',
  WBTC: '60000',
  LINK: '15',
});

export type Failure = { ok: false; field: string; message: string };

export interface SeizedAsset extends ProtocolAssetParameters {
  /** LT × (1 + bonus): below this health factor, seizing this collateral lowers the health factor. */
  worsenBelow: Decimal;
}

export interface ExplorerReading {
  preset: ProtocolPresetData;
  account: LendingAccountInput;
  prices: Record<string, Decimal>;
  /** The collateral whose price moves. */
  moved: { asset: string; reference: Decimal; price: Decimal; move: Decimal };
  values: LendingAccountValues;
  healthFactor: Decimal | null;
  /** At the reference prices, for "from … to …". */
  healthFactorAtReference: Decimal | null;
  borrowingPower: Decimal;
  /** The moved asset's price at HF 1 and at HF 0.95 (the close factor's boundary); null where none exists. */
  liquidationPrice: Decimal | null;
  fullClosePrice: Decimal | null;
  /** 1 − 1/HF: the fall of every collateral price together that brings HF to 1. */
  uniformDrop: Decimal | null;
  liquidation: LendingLiquidation;
  repaid: string;
  seized: SeizedAsset;
  status: 'no-debt' | 'healthy' | 'liquidatable';
  curve: { points: [number, number][]; xDomain: [number, number]; yDomain: [number, number] };
}

export const usd = (value: Decimal, decimals = 0) => `${value.isNeg() && !value.isZero() ? '−' : ''}$${formatDecimal(value.abs(), decimals)}`;
/** Prices: cents below 100, whole dollars above. */
export const priceText = (price: Decimal) => formatDecimal(price, price.abs().lt(100) ? 2 : 0);
export const hfText = (hf: Decimal | null) => (hf === null ? 'none (no debt)' : formatDecimal(hf, 2));
/** The health factor after a liquidation, with a third decimal when two would not show it moved. */
export function hfAfterText(before: Decimal | null, after: Decimal | null): string {
  if (before === null || after === null || after.eq(before) || hfText(before) !== hfText(after)) return hfText(after);
  return formatDecimal(after, 3);
}
/** Units of an asset, trailing zeros dropped: cents for dollar-priced assets, 4 decimals for dearer ones (8.8232 WETH). */
export const units = (amount: Decimal, asset: string) => {
  const reference = REFERENCE_PRICES[asset];
  const decimals = reference !== undefined && new Decimal(reference).lt(10) ? 2 : 4;
  return `${trimZeros(formatDecimal(amount, decimals))} ${asset}`;
};

export function referencePrice(asset: string): Decimal {
  const price = REFERENCE_PRICES[asset];
  if (price === undefined) throw new EngineInputError('asset', `has no reference price for '${asset}'`);
  return new Decimal(price);
}

function parameters(preset: ProtocolPresetData, asset: string): ProtocolAssetParameters {
  return preset.assets.find((a) => a.asset === asset)!;
}

/** The account the state describes: empty slots (amount 0) are left out, so the text never lists "0 WBTC". */
export function accountOf(state: ExplorerState): LendingAccountInput {
  const preset = protocolPreset(state.protocol);
  const collateral = (['1', '2'] as const)
    .map((slot) => ({ asset: state[`c${slot}`], amount: state[`a${slot}`] }))
    .filter((c) => !new Decimal(c.amount).isZero())
    .map((c) => {
      const p = parameters(preset, c.asset);
      return { asset: c.asset, amount: c.amount, liquidationThreshold: p.liquidationThreshold, ltv: p.ltv };
    });
  const debt = (['1', '2'] as const).map((slot) => ({ asset: state[`d${slot}`], amount: state[`b${slot}`] })).filter((d) => !new Decimal(d.amount).isZero());
  return { collateral, debt };
}

function pricesWith(state: ExplorerState, asset: string, price: Decimal): Record<string, Decimal> {
  const prices: Record<string, Decimal> = {};
  for (const a of [state.c1, state.c2, state.d1, state.d2]) prices[a] = referencePrice(a);
  prices[asset] = price;
  return prices;
}

const CURVE_POINTS = 97;

export function readExplorer(state: ExplorerState): { ok: true; reading: ExplorerReading } | Failure {
  try {
    return { ok: true, reading: read(state) };
  } catch (error) {
    if (error instanceof EngineInputError) return { ok: false, field: error.field, message: `${error.field} ${error.rule}.` };
    throw error;
  }
}

function read(state: ExplorerState): ExplorerReading {
  const preset = protocolPreset(state.protocol);
  const account = accountOf(state);
  const movedAsset = state[`c${state.k}`];
  const reference = referencePrice(movedAsset);
  const move = new Decimal(state.move).div(100);
  const price = reference.mul(move.add(1));
  const prices = pricesWith(state, movedAsset, price);
  // A slot with no amount is not in the account; price questions about it are asked of a zero holding instead.
  const withMoved: LendingAccountInput = account.collateral.some((c) => c.asset === movedAsset)
    ? account
    : {
        ...account,
        collateral: [...account.collateral, { asset: movedAsset, amount: 0, liquidationThreshold: parameters(preset, movedAsset).liquidationThreshold, ltv: '0' }],
      };
  const values = lendingAccountValues(account, prices);
  const hf = healthFactor(account, prices);
  const referencePrices = pricesWith(state, movedAsset, reference);
  const repaid = state[`d${state.r}`];
  const seizedAsset = state[`c${state.s}`];
  const seizedParams = parameters(preset, seizedAsset);
  const seized: SeizedAsset = {
    ...seizedParams,
    worsenBelow: new Decimal(seizedParams.liquidationThreshold).mul(new Decimal(seizedParams.liquidationBonus).add(1)),
  };
  // The liquidation needs the repaid debt and the seized collateral in the account; an empty slot gets a zero entry.
  const liquidationAccount: LendingAccountInput = {
    collateral: withMoved.collateral.some((c) => c.asset === seizedAsset)
      ? withMoved.collateral
      : [...withMoved.collateral, { asset: seizedAsset, amount: 0, liquidationThreshold: seizedParams.liquidationThreshold, ltv: '0' }],
    debt: account.debt.some((d) => d.asset === repaid) ? account.debt : [...account.debt, { asset: repaid, amount: 0 }],
  };
  const liquidation = lendingLiquidation(liquidationAccount, prices, {
    debtAsset: repaid,
    collateralAsset: seizedAsset,
    liquidationBonus: seizedParams.liquidationBonus,
    protocolFee: seizedParams.liquidationProtocolFee ?? 0,
    closeFactor: preset.closeFactor,
    rules: state.rules,
  });

  const lo = reference.mul(1 + MOVE_MIN / 100);
  const hi = reference.mul(1 + MOVE_MAX / 100);
  const samples: [number, number][] = [];
  let top = 2;
  for (let i = 0; i < CURVE_POINTS; i++) {
    const x = lo.add(hi.sub(lo).mul(i).div(CURVE_POINTS - 1));
    const y = healthFactor(account, { ...prices, [movedAsset]: x });
    if (y === null) break;
    samples.push([x.toNumber(), y.toNumber()]);
  }
  if (hf !== null) top = Math.min(4, Math.max(2, Math.ceil(hf.toNumber() * 1.4 * 2) / 2));

  return {
    preset,
    account,
    prices,
    moved: { asset: movedAsset, reference, price, move },
    values,
    healthFactor: hf,
    healthFactorAtReference: healthFactor(account, referencePrices),
    borrowingPower: borrowingPower(account, prices),
    liquidationPrice: collateralLiquidationPrice(withMoved, prices, movedAsset),
    fullClosePrice: collateralPriceForHealthFactor(withMoved, prices, movedAsset, preset.closeFactor.healthFactorThreshold),
    uniformDrop: hf === null || hf.isZero() ? null : new Decimal(1).sub(new Decimal(1).div(hf)),
    liquidation,
    repaid,
    seized,
    status: hf === null ? 'no-debt' : hf.lt(1) ? 'liquidatable' : 'healthy',
    curve: { points: samples, xDomain: [lo.toNumber(), hi.toNumber()], yDomain: [0, top] },
  };
}

const moveText = (move: Decimal) => (move.isZero() ? 'no move' : formatSignedPercent(move, 1));

/** The figure's verdict: the health factor now and how far the moved price is from liquidation. */
export function verdict(r: ExplorerReading): string {
  const { asset, price, reference } = r.moved;
  const at = `${asset} at ${priceText(price)} (${moveText(r.moved.move)})`;
  if (r.healthFactor === null) return `No debt, so no health factor: there is nothing to liquidate with ${at}.`;
  const hf = `Health factor ${hfText(r.healthFactor)} with ${at}`;
  const p = r.liquidationPrice;
  if (p === null) {
    return r.healthFactor.gte(1)
      ? `${hf}. No ${asset} price brings it to 1: the rest of the collateral covers the debt on its own.`
      : `${hf}: below 1 at any ${asset} price, so the account can be liquidated.`;
  }
  const fromRef = formatSignedPercent(p.sub(reference).div(reference), 1);
  if (r.healthFactor.gte(1)) {
    return `${hf}. It reaches 1, and the account can be liquidated, at ${asset} ${priceText(p)} (${fromRef} from ${priceText(reference)}).`;
  }
  return `${hf}: below 1, so anyone may liquidate the account. It crossed 1 at ${asset} ${priceText(p)} (${fromRef} from ${priceText(reference)}).`;
}

/** Borrowing power: why the LTV limit sits below the liquidation line. */
export function borrowingSentence(r: ExplorerReading): string {
  const { borrowLimit, thresholdValue, debtValue } = r.values;
  if (borrowLimit.isZero()) return 'With no collateral there is nothing to borrow against.';
  const room = r.borrowingPower.gte(0)
    ? `${usd(r.borrowingPower)} more can be borrowed`
    : `${usd(r.borrowingPower.neg())} over the limit, so no new borrowing (which alone liquidates nothing)`;
  return (
    `Loan-to-value caps borrowing at ${usd(borrowLimit)}; the liquidation line is ${usd(thresholdValue)} of debt. Debt ${usd(debtValue)}: ${room}. ` +
    `Borrowing up to the limit would start at a health factor of ${formatDecimal(thresholdValue.div(borrowLimit), 2)} (line ÷ limit): the gap is the buffer.`
  );
}

function reasonText(r: ExplorerReading): string {
  const l = r.liquidation;
  const hf = hfText(l.healthFactorBefore);
  const threshold = r.preset.closeFactor.healthFactorThreshold;
  switch (l.closeFactorReason) {
    case 'health-factor':
      return l.rules === 'v3.3'
        ? `${formatPercent(l.closeFactor, 0)} of the whole position's debt (${usd(r.values.debtValue)}), because the health factor ${hf} is above ${threshold}`
        : `${formatPercent(l.closeFactor, 0)} of the ${r.repaid} debt (the v3.0 rule), because the health factor ${hf} is above ${threshold}`;
    case 'deep-health-factor':
      return `${formatPercent(l.closeFactor, 0)}, because the health factor ${hf} is at or below ${threshold}`;
    case 'small-debt':
      return `${formatPercent(l.closeFactor, 0)}, because the ${r.repaid} debt is worth less than $2,000 (v3.3 clears small positions in one call)`;
    case 'small-collateral':
      return `${formatPercent(l.closeFactor, 0)}, because the ${r.seized.asset} collateral is worth less than $2,000 (v3.3 clears small positions in one call)`;
    default:
      return '';
  }
}

/** What a liquidator could do at the current prices, in sentences (the first is the headline). */
export function liquidationSentences(r: ExplorerReading): string[] {
  const l = r.liquidation;
  const seized = r.seized.asset;
  if (r.status === 'no-debt') return ['With no debt there is nothing to liquidate.'];
  if (!l.liquidatable) {
    const where = r.liquidationPrice === null ? '' : ` Move ${r.moved.asset} past ${priceText(r.liquidationPrice)} to see what a liquidator could take.`;
    return [`Nobody can liquidate this account while its health factor is 1 or more.${where}`];
  }
  if (l.debtRepaid.isZero()) {
    return [`The account can be liquidated, but it has no ${r.repaid} debt to repay or no ${seized} to seize: a liquidator would pick another pair.`];
  }
  const out: string[] = [];
  out.push(
    `A liquidator repays ${units(l.debtRepaid, r.repaid)} (${usd(l.values.debtRepaid)}) and seizes ${units(l.collateralSeized, seized)} (${usd(l.values.collateralSeized)}): ` +
      `the repaid value plus a ${formatPercent(new Decimal(r.seized.liquidationBonus), 1)} bonus. Of the bonus, the protocol keeps ${usd(l.values.protocolFee)} and the liquidator ${usd(l.values.liquidatorBonus)}.`,
  );
  out.push(`Close factor ${reasonText(r)}: at most ${units(l.maxRepay, r.repaid)} in this call.`);
  if (l.leftoverAdjustment === 'lowered') out.push('More would leave under $1,000 of debt or collateral, which v3.3 refuses, so the call leaves exactly $1,000.');
  if (l.leftoverAdjustment === 'raised') out.push('Less would leave under $1,000 behind, which v3.3 refuses, so the call takes the whole amount.');
  if (l.collateralCapped) out.push(`There is too little ${seized} for the full repayment plus bonus, so the liquidator repays what all of it covers.`);
  const before = l.healthFactorBefore!;
  const after = l.healthFactorAfter;
  const edge = `${formatDecimal(new Decimal(r.seized.liquidationThreshold), 3)} × ${formatDecimal(new Decimal(r.seized.liquidationBonus).add(1), 3)} = ${formatDecimal(r.seized.worsenBelow, 3)}`;
  if (after === null) {
    out.push(`Afterwards the account owes nothing${l.deficit.gt(0) ? ' (what was left was burned as bad debt)' : ''}.`);
  } else if (after.lt(before)) {
    out.push(
      `Health factor after: ${hfAfterText(before, after)}, worse than ${hfAfterText(after, before)}. Below ${edge} (${seized}'s threshold × (1 + bonus)), seizing ${seized} removes more ` +
        'weighted collateral than the debt it repays: each further liquidation leaves the account less healthy.',
    );
  } else {
    out.push(`Health factor after: ${hfAfterText(before, after)}, better than ${hfAfterText(after, before)}, because it was above ${edge} (${seized}'s threshold × (1 + bonus)).`);
  }
  if (l.badDebt.gt(0)) {
    out.push(
      l.deficit.gt(0)
        ? `No collateral is left: v3.3 burns the other ${usd(l.deficit)} of debt as bad debt, a loss the lenders carry.`
        : `Collateral no longer covers the debt: ${usd(l.badDebt)} of bad debt no liquidation can recover.`,
    );
  }
  return out;
}

/** One line for the Share label and the chart's accessible name. */
export function stateLabel(r: ExplorerReading): string {
  return `${r.moved.asset} at ${priceText(r.moved.price)}, health factor ${hfText(r.healthFactor)}`;
}

export function accountSentence(r: ExplorerReading): string {
  const list = (items: readonly { asset: string; amount: string | number | Decimal }[]) =>
    items.length === 0 ? 'nothing' : items.map((i) => units(new Decimal(i.amount.toString()), i.asset)).join(' and ');
  return `The account: ${list(r.account.collateral)} supplied (${usd(r.values.collateralValue)}), ${list(r.account.debt)} borrowed (${usd(r.values.debtValue)}), on ${r.preset.protocol} ${r.preset.market}.`;
}
