/**
 * From the widget's state to what the reader sees: the same two positions held isolated (each on its own
 * 1,000 USDT) and cross (one wallet backs both: 2,000 USDT by default; a larger wallet's excess sits idle
 * beside the isolated positions, so both modes hold the same money). A *frame* (the positions, the account,
 * the two price windows) changes only when the reader reopens them (sides, leverage, wallet); a *reading*
 * (every number at the two marks) changes on every slider step. Every number comes from the engine as a
 * Decimal. A wallet too small for both initial margins is an account the engine refuses (EngineInputError):
 * tryOpenFrame returns its message for the widget to show.
 */
import {
  Decimal,
  EngineInputError,
  accountMetrics,
  crossLiquidationPrice,
  normalizeAccount,
  openPosition,
  positionMetrics,
  type Account,
  type AccountMetrics,
  type Position,
  type PositionMetrics,
} from '../../engine';
import { formatDecimal, formatLeverage, formatPercent } from '../../lib/format';
import { niceStep } from '../position-explorer/model';
import { DEFAULT_WALLET, MARGIN_PER_POSITION, MARKETS, QUOTE, type CrossState, type MarketKey } from './state';

export interface PriceWindow {
  domain: [Decimal, Decimal];
  /** Slider step, a round number about 1/400 of the window. */
  step: Decimal;
}

export interface Frame {
  leverage: Decimal;
  /** The cross account's wallet balance. */
  wallet: Decimal;
  /** Money the isolated trader holds beside the two positions (wallet − both margins, at least 0). */
  idle: Decimal;
  positions: Record<MarketKey, Position>;
  account: Account;
  windows: Record<MarketKey, PriceWindow>;
  /** Isolated liquidation prices (fixed: an isolated position's margin is its own). */
  isolatedLp: Record<MarketKey, Decimal | null>;
  /** Isolated position equity and maintenance margin over its own window. */
  isolatedCurves: Record<MarketKey, Curves>;
}

export interface Curves {
  equity: [number, number][];
  maintenance: [number, number][];
}

const SAMPLES = 160;
const other = (key: MarketKey): MarketKey => (key === 'btc' ? 'eth' : 'btc');

/** The cross wallet by default: both positions' margins. */
export const CROSS_WALLET = new Decimal(DEFAULT_WALLET);
const BOTH_MARGINS = new Decimal(MARGIN_PER_POSITION).mul(2);

function windowAround(entry: Decimal, levels: (Decimal | null)[]): PriceWindow {
  const known = levels.filter((l): l is Decimal => l !== null);
  // As the position explorer: centred on entry, 1.5 × the furthest liquidation price; ±50 % when nothing liquidates.
  const reach = known.length === 0 ? entry.mul('0.5') : Decimal.max(...known.map((l) => l.sub(entry).abs()));
  const half = Decimal.max(reach.mul('1.5'), entry.mul('0.004'));
  const step = niceStep(half.mul(2).div(400));
  const floor = Decimal.max(entry.sub(half), entry.mul('0.05'));
  const low = floor.div(step).floor().mul(step);
  const high = entry.add(half).div(step).ceil().mul(step);
  return { domain: [low.gt(0) ? low : step, high], step };
}

function samples(window: PriceWindow): Decimal[] {
  const [low, high] = window.domain;
  return Array.from({ length: SAMPLES + 1 }, (_, i) => low.add(high.sub(low).mul(i).div(SAMPLES)));
}

export type FrameState = Pick<CrossState, 'bs' | 'es' | 'lev'> & Partial<Pick<CrossState, 'wallet'>>;

/** The frame, or the engine's refusal of the account (a wallet too small for both initial margins). */
export function tryOpenFrame(state: FrameState): { ok: true; frame: Frame } | { ok: false; message: string } {
  try {
    return { ok: true, frame: openFrame(state) };
  } catch (error) {
    if (!(error instanceof EngineInputError)) throw error;
    // The engine names the account's position by index; the reader knows it by its market.
    const index = /^positions\[(\d)\]$/.exec(error.field)?.[1];
    const market = index === undefined ? null : (['btc', 'eth'] as const)[Number(index)];
    return { ok: false, message: market ? `${MARKETS[market].symbol} position: ${error.rule}` : error.message };
  }
}

/**
 * The frame for the state, or, when the engine refuses the account, the frame with the default wallet and
 * the engine's message (the widget shows it and keeps the reader's value in its field to correct).
 */
export function frameOrRefusal(state: FrameState): { frame: Frame; refusal: string | null } {
  const result = tryOpenFrame(state);
  if (result.ok) return { frame: result.frame, refusal: null };
  return { frame: openFrame({ ...state, wallet: DEFAULT_WALLET }), refusal: result.message };
}

export function openFrame(state: FrameState): Frame {
  const wallet = new Decimal(state.wallet ?? DEFAULT_WALLET);
  const open = (key: MarketKey, side: 'long' | 'short') =>
    openPosition({
      contract: 'linear',
      side,
      entryPrice: MARKETS[key].entry,
      leverage: state.lev,
      maintenanceMarginRate: MARKETS[key].mmr,
      margin: MARGIN_PER_POSITION,
    });
  const positions = { btc: open('btc', state.bs), eth: open('eth', state.es) };
  // The same quantities, entries and rates, backed by one wallet holding both margins.
  const account = normalizeAccount({
    walletBalance: wallet,
    venue: 'binance-usdm',
    positions: (['btc', 'eth'] as const).map((key) => ({
      symbol: MARKETS[key].symbol,
      contract: 'linear' as const,
      side: positions[key].side,
      entryPrice: positions[key].entryPrice,
      quantity: positions[key].quantity,
      maintenanceMarginRate: positions[key].maintenanceMarginRate,
      maintenanceAmount: positions[key].maintenanceAmount,
      leverage: positions[key].leverage,
      marginAsset: QUOTE,
    })),
  });
  const isolatedLp = {
    btc: positionMetrics(positions.btc, positions.btc.entryPrice).liquidationPrice,
    eth: positionMetrics(positions.eth, positions.eth.entryPrice).liquidationPrice,
  };
  // Each window shows the isolated and the cross liquidation price with the other market at its entry.
  const windowFor = (key: MarketKey) => {
    const entry = positions[key].entryPrice;
    const cross = crossLiquidationPrice(account, MARKETS[key].symbol, { [MARKETS[other(key)].symbol]: positions[other(key)].entryPrice });
    return windowAround(entry, [isolatedLp[key], cross]);
  };
  const windows = { btc: windowFor('btc'), eth: windowFor('eth') };
  const isolatedCurvesFor = (key: MarketKey): Curves => {
    const equity: [number, number][] = [];
    const maintenance: [number, number][] = [];
    for (const price of samples(windows[key])) {
      const m = positionMetrics(positions[key], price);
      equity.push([price.toNumber(), m.equity.toNumber()]);
      maintenance.push([price.toNumber(), m.maintenanceMargin.toNumber()]);
    }
    return { equity, maintenance };
  };
  return {
    leverage: new Decimal(state.lev),
    wallet,
    idle: Decimal.max(0, wallet.sub(BOTH_MARGINS)),
    positions,
    account,
    windows,
    isolatedLp,
    isolatedCurves: { btc: isolatedCurvesFor('btc'), eth: isolatedCurvesFor('eth') },
  };
}

/** Per frame and market: the cross curves' exact values with the other market at its entry price. */
const crossBase = new WeakMap<Frame, Partial<Record<MarketKey, { prices: Decimal[]; equity: Decimal[]; maintenance: Decimal[] }>>>();

function crossBaseFor(frame: Frame, key: MarketKey) {
  const cached = crossBase.get(frame)?.[key];
  if (cached) return cached;
  const otherEntry = frame.positions[other(key)].entryPrice;
  const prices = samples(frame.windows[key]);
  const equity: Decimal[] = [];
  const maintenance: Decimal[] = [];
  for (const price of prices) {
    const m = accountMetrics(frame.account, { [MARKETS[key].symbol]: price, [MARKETS[other(key)].symbol]: otherEntry });
    equity.push(m.equity);
    maintenance.push(m.totalMaintenanceMargin);
  }
  const base = { prices, equity, maintenance };
  crossBase.set(frame, { ...crossBase.get(frame), [key]: base });
  return base;
}

/**
 * Cross account equity and total maintenance margin across `key`'s window, the other market at `otherMark`.
 * Why not one accountMetrics call per sample: this runs on every step of the other market's slider, and 161
 * account evaluations cost about 10 ms, most of a frame. The account's equity and maintenance margin are
 * sums over its positions, each term depending on its own market's mark only, so moving the other mark adds the
 * same exact amount at every sample: the curves are computed once per frame and shifted by that amount (two
 * account evaluations), with the same Decimal sums as evaluating every sample.
 */
export function crossCurves(frame: Frame, key: MarketKey, otherMark: string): Curves {
  const base = crossBaseFor(frame, key);
  const probe = base.prices[0]!;
  const symbol = MARKETS[key].symbol;
  const otherSymbol = MARKETS[other(key)].symbol;
  const atOther = accountMetrics(frame.account, { [symbol]: probe, [otherSymbol]: otherMark });
  const shiftEquity = atOther.equity.sub(base.equity[0]!);
  const shiftMaintenance = atOther.totalMaintenanceMargin.sub(base.maintenance[0]!);
  return {
    equity: base.prices.map((price, i) => [price.toNumber(), base.equity[i]!.add(shiftEquity).toNumber()]),
    maintenance: base.prices.map((price, i) => [price.toNumber(), base.maintenance[i]!.add(shiftMaintenance).toNumber()]),
  };
}

/** A mark clamped into its window and rounded to the slider's step; the text to keep in state. */
export function clampMark(window: PriceWindow, mark: string): string {
  const [low, high] = window.domain;
  const value = new Decimal(mark);
  if (value.lte(low)) return low.toString();
  if (value.gte(high)) return high.toString();
  return value.sub(low).div(window.step).round().mul(window.step).add(low).toString();
}

/**
 * Liquidation is sticky, as on a venue: once a mode's liquidation price is crossed the positions are
 * closed, and moving the price back does not reopen them. Each entry is the marks at which it happened.
 */
export interface Sticky {
  isolated: Record<MarketKey, string | null>;
  cross: { btc: string; eth: string } | null;
}

export const NO_LIQUIDATION: Sticky = { isolated: { btc: null, eth: null }, cross: null };

export interface PositionReading {
  key: MarketKey;
  symbol: string;
  side: 'long' | 'short';
  metrics: PositionMetrics;
  liquidated: boolean;
  /** Mark at which it was liquidated (sticky), or null while open. */
  liquidatedAt: string | null;
  text: { label: string; equity: string; maintenance: string; ratio: string; liquidation: string; status: string };
}

export interface Reading {
  marks: Record<MarketKey, Decimal>;
  isolated: {
    positions: Record<MarketKey, PositionReading>;
    /** Margin lost to liquidations so far. */
    lost: Decimal;
    /** Equity of the positions still open. */
    left: Decimal;
    text: { status: string; lost: string; left: string; idle: string | null };
  };
  cross: {
    metrics: AccountMetrics;
    liquidated: boolean;
    liquidatedAt: { btc: string; eth: string } | null;
    /** Each market's cross liquidation price with the other held at its mark. */
    lp: Record<MarketKey, Decimal | null>;
    lost: Decimal;
    left: Decimal;
    text: { status: string; wallet: string; equity: string; maintenance: string; ratio: string; lpBtc: string; lpEth: string; lost: string; left: string };
  };
  /** What is liquidatable at these marks, before stickiness: the component records new liquidations from it. */
  now: { isolated: Record<MarketKey, boolean>; cross: boolean };
  /** The figure's text equivalent: which mode survives, and what each has lost. */
  summary: string;
}

export const money = (value: Decimal) => `${formatDecimal(value, 2)} ${QUOTE}`;
export const priceText = (value: Decimal | string | null) => (value === null ? 'none' : `${formatDecimal(new Decimal(value), 2)} ${QUOTE}`);
const ratioText = (ratio: Decimal | null) => (ratio === null ? 'undefined (equity ≤ 0)' : formatPercent(ratio, 1));

/** Records liquidations that happen at these marks; never clears one (Reset does). */
export function nextSticky(frame: Frame, marks: Record<MarketKey, string>, sticky: Sticky): Sticky {
  const reading = readAt(frame, marks, sticky);
  return {
    isolated: {
      btc: sticky.isolated.btc ?? (reading.now.isolated.btc ? marks.btc : null),
      eth: sticky.isolated.eth ?? (reading.now.isolated.eth ? marks.eth : null),
    },
    cross: sticky.cross ?? (reading.now.cross ? { btc: marks.btc, eth: marks.eth } : null),
  };
}

export function readAt(frame: Frame, markText: Record<MarketKey, string>, sticky: Sticky = NO_LIQUIDATION): Reading {
  const marks = { btc: new Decimal(markText.btc), eth: new Decimal(markText.eth) };
  const lev = formatLeverage(frame.leverage);

  const positionReading = (key: MarketKey): PositionReading => {
    const position = frame.positions[key];
    const metrics = positionMetrics(position, marks[key]);
    const liquidatedAt = sticky.isolated[key] ?? (metrics.isLiquidatable ? markText[key] : null);
    const liquidated = liquidatedAt !== null;
    return {
      key,
      symbol: MARKETS[key].symbol,
      side: position.side,
      metrics,
      liquidated,
      liquidatedAt,
      text: {
        label: `${lev} ${position.side} ${MARKETS[key].symbol}`,
        equity: liquidated ? money(new Decimal(0)) : money(metrics.equity),
        maintenance: liquidated ? '—' : money(metrics.maintenanceMargin),
        ratio: liquidated ? '—' : ratioText(metrics.marginRatio),
        liquidation: priceText(frame.isolatedLp[key]),
        status: liquidated ? `liquidated at ${priceText(liquidatedAt)}` : 'open',
      },
    };
  };
  const iso = { btc: positionReading('btc'), eth: positionReading('eth') };
  const margin = new Decimal(MARGIN_PER_POSITION);
  const isoLost = (['btc', 'eth'] as const).reduce((sum, k) => (iso[k].liquidated ? sum.add(margin) : sum), new Decimal(0));
  // What the isolated trader has: the open positions' equity and the money kept beside them.
  const isoLeft = (['btc', 'eth'] as const).reduce((sum, k) => (iso[k].liquidated ? sum : sum.add(iso[k].metrics.equity)), frame.idle);
  const isoStatus = (['btc', 'eth'] as const).map((k) => `${MARKETS[k].base} ${iso[k].liquidated ? 'liquidated' : 'open'}`).join(', ');

  const metrics = accountMetrics(frame.account, { BTCUSDT: marks.btc, ETHUSDT: marks.eth });
  const crossAt = sticky.cross ?? (metrics.isLiquidatable ? { btc: markText.btc, eth: markText.eth } : null);
  const crossLiquidated = crossAt !== null;
  const lp = {
    btc: crossLiquidationPrice(frame.account, 'BTCUSDT', { ETHUSDT: marks.eth }),
    eth: crossLiquidationPrice(frame.account, 'ETHUSDT', { BTCUSDT: marks.btc }),
  };
  const crossLost = crossLiquidated ? frame.wallet : new Decimal(0);
  const crossLeft = crossLiquidated ? new Decimal(0) : metrics.equity;
  const lpWords = (key: MarketKey) => {
    const price = lp[key];
    if (price !== null) return `${priceText(price)} (${MARKETS[other(key)].base} at ${priceText(marks[other(key)])})`;
    return metrics.isLiquidatable ? 'any price' : `none (${MARKETS[other(key)].base} at ${priceText(marks[other(key)])})`;
  };

  const cross = {
    metrics,
    liquidated: crossLiquidated,
    liquidatedAt: crossAt,
    lp,
    lost: crossLost,
    left: crossLeft,
    text: {
      status: crossLiquidated ? `liquidated at BTC ${priceText(crossAt.btc)}, ETH ${priceText(crossAt.eth)}` : 'open',
      wallet: money(frame.wallet),
      equity: crossLiquidated ? money(new Decimal(0)) : money(metrics.equity),
      maintenance: crossLiquidated ? '—' : money(metrics.totalMaintenanceMargin),
      ratio: crossLiquidated ? '—' : ratioText(metrics.marginRatio),
      lpBtc: crossLiquidated ? '—' : lpWords('btc'),
      lpEth: crossLiquidated ? '—' : lpWords('eth'),
      lost: money(crossLost),
      left: money(crossLeft),
    },
  };

  const summary = summarize(frame, marks, iso, isoLost, cross);
  return {
    marks,
    isolated: { positions: iso, lost: isoLost, left: isoLeft, text: { status: isoStatus, lost: money(isoLost), left: money(isoLeft), idle: frame.idle.gt(0) ? money(frame.idle) : null } },
    cross,
    now: {
      isolated: { btc: iso.btc.metrics.isLiquidatable, eth: iso.eth.metrics.isLiquidatable },
      cross: metrics.isLiquidatable,
    },
    summary,
  };
}

function summarize(
  frame: Frame,
  marks: Record<MarketKey, Decimal>,
  iso: Record<MarketKey, PositionReading>,
  isoLost: Decimal,
  cross: Reading['cross'],
): string {
  const lev = formatLeverage(frame.leverage);
  const aside = frame.idle.gt(0) ? ` (isolated keeps the other ${money(frame.idle)} of the ${money(frame.wallet)} wallet aside)` : '';
  const setup = `${lev} ${frame.positions.btc.side} BTCUSDT and ${lev} ${frame.positions.eth.side} ETHUSDT, 1,000.00 ${QUOTE} margin each${aside}; BTC at ${priceText(marks.btc)}, ETH at ${priceText(marks.eth)}.`;
  const down = (['btc', 'eth'] as const).filter((k) => iso[k].liquidated);
  const up = (['btc', 'eth'] as const).filter((k) => !iso[k].liquidated);
  const base = (k: MarketKey) => MARKETS[k].base;

  let verdict: string;
  if (down.length === 0 && !cross.liquidated) verdict = 'Both modes are open; nothing is lost yet.';
  else if (!cross.liquidated) {
    const lender = up.length === 1 ? base(up[0]!) : 'the other position';
    verdict = `Cross has survived where isolated has not: the shared wallet lets the losing position borrow from ${lender}'s margin.`;
  } else if (down.length === 0) verdict = 'Cross has been liquidated while both isolated positions survive.';
  else verdict = 'Both modes have been liquidated, and cross has lost more.';

  let isolated: string;
  if (down.length === 0) {
    const lpBtc = frame.isolatedLp.btc;
    isolated = `Isolated: ${
      lpBtc === null ? 'BTC cannot be liquidated at any positive price' : `BTC is liquidated at ${priceText(lpBtc)} and loses only its own 1,000.00 ${QUOTE}`
    }.`;
  } else if (up.length === 0) {
    isolated = `Isolated: both positions liquidated, each losing its own margin, ${money(isoLost)} in all.`;
  } else {
    const k = down[0]!;
    const survivor = up[0]!;
    isolated = `Isolated: ${base(k)} liquidated at ${priceText(iso[k].liquidatedAt)}, losing its ${money(
      new Decimal(MARGIN_PER_POSITION),
    )}; ${base(survivor)} stays open with equity ${money(iso[survivor].metrics.equity)}.`;
  }

  let crossText: string;
  if (cross.liquidated) {
    crossText = `Cross: liquidated at BTC ${priceText(cross.liquidatedAt!.btc)} and ETH ${priceText(cross.liquidatedAt!.eth)}; both positions are closed and the whole ${money(frame.wallet)} wallet is lost.`;
  } else {
    const lpBtc = cross.lp.btc;
    crossText = `Cross: one ${money(frame.wallet)} wallet backs both, equity ${cross.text.equity} against ${cross.text.maintenance} maintenance; ${
      lpBtc === null
        ? 'with ETH where it is, no BTC price liquidates the account.'
        : `with ETH where it is, BTC at ${priceText(lpBtc)} takes the account down and the whole wallet is lost.`
    }`;
  }
  return `${setup} ${verdict} ${isolated} ${crossText}`;
}

export interface ChartView {
  xDomain: [number, number];
  yDomain: [number, number];
  series: { id: string; label: string; points: [number, number][]; tone: string; dashed?: boolean }[];
  markers: { id: string; x: number; label: string; tone: string; dashed?: boolean }[];
  bands: { id: string; x0: number; x1: number; tone: string }[];
}

/**
 * One market's chart: that market's price on x; its isolated position's equity and maintenance margin,
 * and the cross account's equity and total maintenance margin (the other market at its mark); both
 * liquidation prices marked, and the price ranges where each mode is liquidated shaded.
 */
export function chartView(frame: Frame, key: MarketKey, reading: Reading, cross: Curves): ChartView {
  const [low, high] = frame.windows[key].domain.map((d) => d.toNumber()) as [number, number];
  const long = frame.positions[key].side === 'long';
  const base = MARKETS[key].base;
  const isoLp = frame.isolatedLp[key];
  const crossLp = reading.cross.lp[key];
  const iso = frame.isolatedCurves[key];
  const all = [...iso.equity, ...iso.maintenance, ...cross.equity, ...cross.maintenance].map((p) => p[1]);
  const wallet = frame.wallet.toNumber();
  const zone = (id: string, lp: number) => ({ id, x0: long ? low : lp, x1: long ? lp : high, tone: 'danger' });
  const bands: ChartView['bands'] = [];
  if (isoLp) bands.push(zone('iso-zone', isoLp.toNumber()));
  if (crossLp) bands.push(zone('cross-zone', crossLp.toNumber()));
  else if (reading.now.cross) bands.push({ id: 'cross-zone', x0: low, x1: high, tone: 'danger' });
  return {
    xDomain: [low, high],
    // Where the action is: equity meeting maintenance near zero, up to a little over the wallet. Curves
    // leave the plot above (clipped) rather than squeezing the crossings flat.
    yDomain: [Math.max(Math.min(...all, 0), -wallet * 0.5), wallet * 1.25],
    series: [
      { id: 'iso-eq', label: `Isolated ${base} equity`, points: iso.equity, tone: 'accent' },
      { id: 'iso-mm', label: `Isolated ${base} maint.`, points: iso.maintenance, tone: 'accent', dashed: true },
      { id: 'cross-eq', label: 'Cross equity', points: cross.equity, tone: 'text' },
      { id: 'cross-mm', label: 'Cross maint.', points: cross.maintenance, tone: 'text', dashed: true },
    ],
    markers: [
      { id: 'entry', x: frame.positions[key].entryPrice.toNumber(), label: `Entry ${formatDecimal(frame.positions[key].entryPrice, 0)}`, tone: 'muted', dashed: true },
      ...(isoLp ? [{ id: 'iso-lp', x: isoLp.toNumber(), label: `Isolated liq. ${formatDecimal(isoLp, 0)}`, tone: 'danger' }] : []),
      ...(crossLp ? [{ id: 'cross-lp', x: crossLp.toNumber(), label: `Cross liq. ${formatDecimal(crossLp, 0)}`, tone: 'danger', dashed: true }] : []),
    ],
    bands,
  };
}
