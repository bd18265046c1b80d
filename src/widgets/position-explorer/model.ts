/**
 * From the explorer's state to what the reader sees. Two steps, because they change at different rates:
 * a *frame* (the position, the price window, the equity and maintenance curves) changes when the reader
 * reopens the position; a *reading* (every number at the mark) changes on every slider step and costs one
 * engine call.
 */
// The engine's venue-free entry point (core.ts): every explorer position carries its own maintenance rate and
// names no venue, so the venue tables and bracket rules that index.ts's dispatch brings would be dead weight
// on the definition page (about 8 KB gzipped, enough to put it over its 60 KB budget).
import {
  Decimal,
  EngineInputError,
  liquidationLoss,
  openPosition,
  positionMetrics,
  type LiquidationLoss,
  type Position,
  type PositionMetrics,
} from '../../engine/core';
import { formatDecimal, formatLeverage, formatPercent, formatSigned, formatSignedPercent } from '../../lib/format';
import { INVERSE_CONTRACT_SIZE, MARKET, type ExplorerState } from './state';

export interface Frame {
  position: Position;
  market: (typeof MARKET)['linear' | 'inverse'];
  /** Price window of the chart and the slider. */
  domain: [Decimal, Decimal];
  /** Slider step, a round number about 1/400 of the window. */
  step: Decimal;
  curves: { equity: [number, number][]; maintenance: [number, number][] };
  liquidation: LiquidationLoss | null;
  metricsAtEntry: PositionMetrics;
}

export type FrameResult = { ok: true; frame: Frame } | { ok: false; field: string; message: string };

const SAMPLES = 160;

/** Rounds a positive step to 1, 2 or 5 × 10ⁿ so slider values are readable prices. */
export function niceStep(raw: Decimal): Decimal {
  const exponent = Math.floor(Math.log10(raw.toNumber()));
  const unit = new Decimal(10).pow(exponent);
  const mantissa = raw.div(unit);
  const nice = mantissa.lte(1) ? 1 : mantissa.lte(2) ? 2 : mantissa.lte(5) ? 5 : 10;
  return unit.mul(nice);
}

export function openFrame(state: ExplorerState): FrameResult {
  let position: Position;
  try {
    position = openPosition({
      contract: state.contract,
      side: state.side,
      entryPrice: state.entry,
      leverage: state.lev,
      maintenanceMarginRate: new Decimal(state.mmr).div(100),
      ...(state.contract === 'inverse' ? { contractSize: INVERSE_CONTRACT_SIZE } : {}),
      ...(state.basis === 'margin' ? { margin: state.margin } : { quantity: state.size }),
    });
  } catch (error) {
    if (error instanceof EngineInputError) return { ok: false, field: error.field, message: error.message };
    throw error;
  }
  const entry = position.entryPrice;
  const metricsAtEntry = positionMetrics(position, entry);
  const levels = [metricsAtEntry.liquidationPrice, metricsAtEntry.bankruptcyPrice].filter((p): p is Decimal => p !== null);
  // The window is centred on entry and wide enough to show liquidation and bankruptcy with room beyond
  // them; a position that cannot be liquidated gets ±75 % so the reader sees that nothing happens.
  const reach = levels.length === 0 ? entry.mul('0.5') : Decimal.max(...levels.map((l) => l.sub(entry).abs()));
  const half = Decimal.max(reach.mul('1.5'), entry.mul('0.004'));
  const step = niceStep(half.mul(2).div(400));
  const floor = Decimal.max(entry.sub(half), entry.mul('0.05'));
  const low = floor.div(step).floor().mul(step);
  const high = entry.add(half).div(step).ceil().mul(step);
  const safeLow = low.gt(0) ? low : step;

  const equity: [number, number][] = [];
  const maintenance: [number, number][] = [];
  for (let i = 0; i <= SAMPLES; i++) {
    const price = safeLow.add(high.sub(safeLow).mul(i).div(SAMPLES));
    const m = positionMetrics(position, price);
    equity.push([price.toNumber(), m.equity.toNumber()]);
    maintenance.push([price.toNumber(), m.maintenanceMargin.toNumber()]);
  }
  return {
    ok: true,
    frame: {
      position,
      market: MARKET[state.contract],
      domain: [safeLow, high],
      step,
      curves: { equity, maintenance },
      liquidation: liquidationLoss(position),
      metricsAtEntry,
    },
  };
}

/**
 * The mark clamped into the frame's window and rounded to the slider's step, so the slider, its label
 * and what a screen reader hears all agree. Returns the text to keep in state.
 */
export function clampMark(frame: Frame, mark: string): string {
  const [low, high] = frame.domain;
  const value = new Decimal(mark);
  if (value.lte(low)) return low.toString();
  if (value.gte(high)) return high.toString();
  return value.sub(low).div(frame.step).round().mul(frame.step).add(low).toString();
}

export type Zone = 'safe' | 'warning' | 'danger' | 'liquidated';

export interface Reading {
  metrics: PositionMetrics;
  zone: Zone;
  /** Margin ratio for the gauge, 0…1 (capped; past bankruptcy it shows full). */
  gaugeValue: number;
  text: {
    mark: string;
    pnl: string;
    roe: string;
    equity: string;
    maintenance: string;
    ratio: string;
    distance: string;
    liquidation: string;
    bankruptcy: string;
    notional: string;
    initialMargin: string;
    leverage: string;
    size: string;
    marginPosted: string;
  };
  /** One sentence that says what the figure shows; the chart's text equivalent. */
  summary: string;
}

/** Margin ratio thresholds for the gauge's colours: calm below 50 %, warning to 80 %, danger beyond. */
export const WARNING_RATIO = new Decimal('0.5');
export const DANGER_RATIO = new Decimal('0.8');

export function readAt(frame: Frame, markText: string): Reading {
  const { position, market } = frame;
  const mark = new Decimal(markText);
  const metrics = positionMetrics(position, mark);
  const ratio = metrics.marginRatio;
  const zone: Zone = metrics.isLiquidatable
    ? 'liquidated'
    : ratio !== null && ratio.gte(DANGER_RATIO)
      ? 'danger'
      : ratio !== null && ratio.gte(WARNING_RATIO)
        ? 'warning'
        : 'safe';
  const money = (value: Decimal) => `${formatDecimal(value, market.marginDecimals)} ${market.marginCurrency}`;
  const price = (value: Decimal | null) => (value === null ? 'none' : `${formatDecimal(value, 2)} ${market.quote}`);
  const text = {
    mark: price(mark),
    pnl: `${formatSigned(metrics.unrealizedPnl, market.marginDecimals)} ${market.marginCurrency}`,
    roe: formatSignedPercent(metrics.returnOnMargin, 1),
    equity: money(metrics.equity),
    maintenance: money(metrics.maintenanceMargin),
    ratio: ratio === null ? 'undefined (equity ≤ 0)' : formatPercent(ratio, 1),
    distance:
      metrics.distanceToLiquidation === null
        ? 'cannot be liquidated'
        : metrics.distanceToLiquidation.lte(0)
          ? 'crossed'
          : `${formatPercent(metrics.distanceToLiquidation, 2)} ${position.side === 'long' ? 'fall' : 'rise'}`,
    liquidation: price(metrics.liquidationPrice),
    bankruptcy: price(metrics.bankruptcyPrice),
    notional: `${formatDecimal(metrics.notional, market.marginDecimals)} ${market.marginCurrency}`,
    initialMargin: money(metrics.initialMargin),
    leverage: formatLeverage(metrics.effectiveLeverage),
    size: `${formatDecimal(position.quantity, market.sizeDecimals)} ${market.sizeUnit}`,
    marginPosted: money(position.margin),
  };
  const gaugeValue = ratio === null ? 1 : Math.min(1, Math.max(0, ratio.toNumber()));
  const who = `${text.leverage} ${position.side} ${market.symbol} (${position.contract})`;
  const summary =
    zone === 'liquidated'
      ? `${who}: at a mark of ${text.mark} equity ${text.equity} is at or below the maintenance margin ${text.maintenance}; the liquidation engine takes over.`
      : `${who}: at a mark of ${text.mark} the unrealized PnL is ${text.pnl}, equity ${text.equity} against a maintenance margin of ${text.maintenance}, a margin ratio of ${text.ratio}. ${
          metrics.liquidationPrice === null
            ? 'This position cannot be liquidated at any positive price.'
            : `Liquidation at ${text.liquidation}, ${text.distance} away; bankruptcy at ${text.bankruptcy}.`
        }`;
  return { metrics, zone, gaugeValue, text, summary };
}

/**
 * The text equivalent once the position has been liquidated and the mark has moved on: the position is
 * gone, so the sentence must not describe live PnL at the new price.
 */
export function liquidatedSummary(frame: Frame, triggeredAt: string, markNow: string): string {
  const { market, position } = frame;
  const price = (text: string) => `${formatDecimal(new Decimal(text), 2)} ${market.quote}`;
  const who = `${formatLeverage(frame.metricsAtEntry.effectiveLeverage)} ${position.side} ${market.symbol} (${position.contract})`;
  const lp = frame.liquidation ? formatDecimal(frame.liquidation.liquidationPrice, 2) : 'none';
  return `${who}: liquidated when the mark reached ${price(triggeredAt)} (liquidation price ${lp}). The mark is now ${price(
    markNow,
  )}, but the position is closed and its ${formatDecimal(position.margin, market.marginDecimals)} ${market.marginCurrency} margin is gone.`;
}

/** Words for the liquidated panel: what happened to the margin. */
export function liquidationStory(frame: Frame, triggeredAt: string): { headline: string; lines: string[] } {
  const { market, liquidation, position } = frame;
  const money = (value: Decimal) => `${formatDecimal(value, market.marginDecimals)} ${market.marginCurrency}`;
  if (liquidation === null) return { headline: 'Not liquidated', lines: [] };
  return {
    headline: `Liquidated: the mark reached ${formatDecimal(new Decimal(triggeredAt), 2)} ${market.quote}, past the liquidation price ${formatDecimal(
      liquidation.liquidationPrice,
      2,
    )}.`,
    lines: [
      `The trader keeps ${money(liquidation.traderKeeps)} of the ${money(position.margin)} isolated margin.`,
      `${money(liquidation.tradingLoss)} was lost to the price move before the liquidation price.`,
      `The remaining ${money(liquidation.equityAtLiquidation)}, the maintenance margin, pays the liquidation fee; if the engine closes better than the bankruptcy price, the rest goes to the insurance fund.`,
      `Moving the price back does not reopen the position; Reset price does.`,
    ],
  };
}
