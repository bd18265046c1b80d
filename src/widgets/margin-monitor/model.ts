/**
 * From the margin monitor's state to what the reader sees: one isolated linear BTCUSDT position replayed
 * along a seeded price path, funding time by funding time, once with no rule and once with the reader's
 * rule, every amount computed by the engine.
 *
 * At each funding time (the convention of the engine's replayFunding): the mark moves to the step's price;
 * if the position is at or past its liquidation point it was liquidated on the way. Otherwise funding
 * settles into the isolated margin (applyFunding) and the check runs again. Then the rule looks at the
 * margin ratio (maintenance margin ÷ equity, positionMetrics): at or above the alert level it acts:
 *   top up: addIsolatedMargin of the top-up amount, until the budget is spent;
 *   reduce: close that share of the position at the step's price, paying the taker fee; the realized PnL
 *           and the fee settle into the isolated margin, which stays with the smaller position (the trader
 *           keeps the margin in, so the cut lowers the maintenance margin without lowering equity).
 * Prices between funding times are not seen. The opening fee (0.05 % taker) is paid from the wallet at open;
 * a surviving position is valued at the last price less the closing fee it would pay.
 */
import {
  Decimal,
  EngineInputError,
  addIsolatedMargin,
  applyFunding,
  closingFee,
  fundingPayment,
  normalizePosition,
  openPosition,
  openingFee,
  positionMetrics,
  type Position,
} from '../../engine';
import { formatDecimal, formatPercent, formatSigned, trimZeros } from '../../lib/format';
import { DAYS, STEPS, STEPS_PER_DAY, pricePath } from './path';
import { DRAW_MAX, DRAW_MIN, decodePath } from './drawn';
import type { MonitorState, Rule } from './state';

export const MAINTENANCE_RATE = new Decimal('0.004');
export const TAKER_FEE = new Decimal('0.0005');
export const SYMBOL = 'BTCUSDT';
/** Ratios above this (and equity at or below zero) are drawn at the top of the ratio chart, which ends there. */
export const RATIO_CAP = 120;

const ZERO = new Decimal(0);

export interface ReplayStep {
  /** 0 at entry, then 1 … 42 (funding times). */
  index: number;
  price: Decimal;
  /** Funding paid at this step (negative: received); 0 at entry and when liquidated before funding. */
  payment: Decimal;
  /** Margin ratio after funding, before the rule acted; null when equity is at or below zero. */
  ratioBefore: Decimal | null;
  /** Margin ratio after the rule acted. */
  ratio: Decimal | null;
  action: 'topup' | 'reduce' | null;
  /** Margin added, or quantity closed, by the action. */
  actionAmount: Decimal;
  margin: Decimal;
  equity: Decimal;
  quantity: Decimal;
  liquidationPrice: Decimal | null;
  liquidated: boolean;
}

export interface Replay {
  rule: Rule;
  steps: ReplayStep[];
  /** Step index at which the position was liquidated; null if it survived all 42. */
  liquidatedAt: number | null;
  topUps: number;
  topUpTotal: Decimal;
  reductions: number;
  /** Σ funding payments (positive: paid). */
  fundingPaid: Decimal;
  openFee: Decimal;
  /** Fees on the reductions, plus the closing fee of a surviving position. */
  closeFees: Decimal;
  /** Equity at the last price less its closing fee; 0 once liquidated (the isolated margin is lost). */
  finalEquity: Decimal;
  /** finalEquity − margin posted − top-ups − opening fee. */
  net: Decimal;
}

export interface MonitorParams {
  side: 'long' | 'short';
  leverage: Decimal;
  margin: Decimal;
  /** Per funding time, as a fraction. */
  fundingRate: Decimal;
  /** As a fraction. */
  alert: Decimal;
  rule: Rule;
  topUp: Decimal;
  budget: Decimal;
  /** As a fraction of the position. */
  cut: Decimal;
}

export function paramsOf(state: MonitorState): MonitorParams {
  return {
    side: state.side,
    leverage: new Decimal(state.lev),
    margin: new Decimal(state.m),
    fundingRate: new Decimal(state.f).div(100),
    alert: new Decimal(state.alert).div(100),
    rule: state.rule,
    topUp: new Decimal(state.top),
    budget: new Decimal(state.bud),
    cut: new Decimal(state.cut).div(100),
  };
}

export function openMonitoredPosition(p: MonitorParams, entry: Decimal): Position {
  return openPosition({
    contract: 'linear',
    side: p.side,
    entryPrice: entry,
    leverage: p.leverage,
    margin: p.margin,
    maintenanceMarginRate: MAINTENANCE_RATE,
  });
}

/** A position with new quantity and margin, keeping its leverage when the margin still covers it. */
function resized(p: Position, quantity: Decimal, margin: Decimal): Position {
  try {
    return normalizePosition({ ...p, quantity, margin });
  } catch {
    return normalizePosition({ ...p, quantity, margin, leverage: null });
  }
}

/** Replays the position along `prices` (index 0: entry) with one rule. */
export function replay(p: MonitorParams, prices: readonly Decimal[], rule: Rule): Replay {
  const entry = prices[0]!;
  let pos = openMonitoredPosition(p, entry);
  const openFee = openingFee(pos, TAKER_FEE);
  const start = positionMetrics(pos, entry);
  const steps: ReplayStep[] = [
    {
      index: 0,
      price: entry,
      payment: ZERO,
      ratioBefore: start.marginRatio,
      ratio: start.marginRatio,
      action: null,
      actionAmount: ZERO,
      margin: pos.margin,
      equity: start.equity,
      quantity: pos.quantity,
      liquidationPrice: start.liquidationPrice,
      liquidated: false,
    },
  ];
  let liquidatedAt: number | null = null;
  let topUps = 0;
  let topUpTotal = ZERO;
  let reductions = 0;
  let fundingPaid = ZERO;
  let closeFees = ZERO;

  for (let index = 1; index < prices.length; index++) {
    const price = prices[index]!;
    let payment = ZERO;
    let metrics = positionMetrics(pos, price);
    let liquidated = metrics.isLiquidatable;
    if (!liquidated) {
      payment = fundingPayment(pos, price, p.fundingRate);
      try {
        pos = applyFunding(pos, price, p.fundingRate);
        fundingPaid = fundingPaid.add(payment);
        metrics = positionMetrics(pos, price);
        liquidated = metrics.isLiquidatable;
      } catch (error) {
        // Funding drained the margin below what the engine holds as a position: it is gone.
        if (!(error instanceof EngineInputError)) throw error;
        fundingPaid = fundingPaid.add(payment);
        liquidated = true;
      }
    }
    const ratioBefore = metrics.marginRatio;
    let action: ReplayStep['action'] = null;
    let actionAmount = ZERO;
    if (!liquidated && rule !== 'none' && ratioBefore !== null && ratioBefore.gte(p.alert)) {
      if (rule === 'topup') {
        const amount = Decimal.min(p.topUp, p.budget.sub(topUpTotal));
        if (amount.gt(0)) {
          pos = addIsolatedMargin(pos, amount);
          topUps += 1;
          topUpTotal = topUpTotal.add(amount);
          action = 'topup';
          actionAmount = amount;
        }
      } else {
        const closed = pos.quantity.mul(p.cut);
        const fee = closingFee(pos, price, TAKER_FEE).mul(p.cut);
        const realized = metrics.unrealizedPnl.mul(p.cut);
        pos = resized(pos, pos.quantity.sub(closed), pos.margin.add(realized).sub(fee));
        closeFees = closeFees.add(fee);
        reductions += 1;
        action = 'reduce';
        actionAmount = closed;
      }
      if (action) metrics = positionMetrics(pos, price);
    }
    steps.push({
      index,
      price,
      payment: liquidated && payment.isZero() ? ZERO : payment,
      ratioBefore,
      ratio: metrics.marginRatio,
      action,
      actionAmount,
      margin: pos.margin,
      equity: metrics.equity,
      quantity: pos.quantity,
      liquidationPrice: metrics.liquidationPrice,
      liquidated,
    });
    if (liquidated) {
      liquidatedAt = index;
      break;
    }
  }

  let finalEquity = ZERO;
  if (liquidatedAt === null) {
    const last = prices[prices.length - 1]!;
    const fee = closingFee(pos, last, TAKER_FEE);
    closeFees = closeFees.add(fee);
    finalEquity = positionMetrics(pos, last).equity.sub(fee);
  }
  const net = finalEquity.sub(p.margin).sub(topUpTotal).sub(openFee);
  return { rule, steps, liquidatedAt, topUps, topUpTotal, reductions, fundingPaid, openFee, closeFees, finalEquity, net };
}

// ---------------------------------------------------------------------------------------------------------
// What the reader sees
// ---------------------------------------------------------------------------------------------------------

const usdt = (value: Decimal) => `${formatDecimal(value, 2)} USDT`;
const price1 = (value: Decimal) => formatDecimal(value, 1);

/** Time since entry of a funding time: "5 d 8 h". */
export function elapsed(index: number): string {
  const days = Math.floor(index / STEPS_PER_DAY);
  const hours = (index % STEPS_PER_DAY) * (24 / STEPS_PER_DAY);
  if (days === 0) return `${hours} h`;
  return hours === 0 ? `${days} d` : `${days} d ${hours} h`;
}

export function ratioText(ratio: Decimal | null): string {
  return ratio === null ? 'past bankruptcy' : formatPercent(ratio, 1);
}

export function ruleText(state: MonitorState): string {
  if (state.rule === 'none') return 'No rule';
  if (state.rule === 'topup') return `Top up ${usdt(new Decimal(state.top))} at a ${trimZeros(state.alert)} % margin ratio (budget ${usdt(new Decimal(state.bud))})`;
  return `Reduce the position by ${trimZeros(state.cut)} % at a ${trimZeros(state.alert)} % margin ratio`;
}

export function outcomeText(r: Replay): string {
  if (r.liquidatedAt !== null) {
    const step = r.steps[r.liquidatedAt]!;
    return `liquidated after ${elapsed(r.liquidatedAt)} (funding time ${r.liquidatedAt} of ${STEPS}) at ${price1(step.price)} USDT`;
  }
  return `survived ${DAYS} days`;
}

export interface OutcomeTable {
  /** Column heads: "No rule", then "With rule" when there is one. */
  columns: string[];
  /** Whether each column's position survived. */
  survived: boolean[];
  rows: { label: string; values: string[] }[];
}

function outcomeTable(replays: Replay[]): OutcomeTable {
  const row = (label: string, value: (r: Replay) => string) => ({ label, values: replays.map(value) });
  const rows = [
    row('Outcome', (r) => (r.liquidatedAt === null ? `Survived ${DAYS} days` : `Liquidated after ${elapsed(r.liquidatedAt)}`)),
    row('Funding paid', (r) => usdt(r.fundingPaid)),
    row('Fees', (r) => usdt(r.openFee.add(r.closeFees))),
  ];
  const rule = replays[1]?.rule;
  if (rule === 'topup') rows.push(row('Margin topped up', (r) => (r.rule === 'topup' ? `${usdt(r.topUpTotal)} (${r.topUps}×)` : '—')));
  if (rule === 'reduce') rows.push(row('Position left', (r) => `${formatDecimal(r.steps.at(-1)!.quantity, 4)} BTC${r.rule === 'reduce' ? ` (${r.reductions} cuts)` : ''}`));
  rows.push(row('Final equity', (r) => usdt(r.finalEquity)), row('Net result', (r) => `${formatSigned(r.net, 2)} USDT`));
  return {
    columns: replays.map((r) => (r.rule === 'none' ? 'No rule' : 'With rule')),
    survived: replays.map((r) => r.liquidatedAt === null),
    rows,
  };
}

export interface MonitorView {
  prices: Decimal[];
  /** Whether the prices are the reader's drawn path (else the seeded random walk). */
  drawn: boolean;
  none: Replay;
  chosen: Replay | null;
  position: Position;
  text: { position: string; rule: string; start: string; end: string; liquidation: string };
  outcomes: OutcomeTable;
  verdict: string;
  summary: string;
  chart: {
    ratio: { id: string; label: string; points: [number, number][]; tone: string; dashed?: boolean }[];
    ratioBands: { id: string; x0: number; x1: number; tone: string }[];
    ratioMax: number;
    price: { id: string; label: string; points: [number, number][]; tone: string; dashed?: boolean }[];
    priceDomain: [number, number];
  };
}

const day = (index: number) => index / STEPS_PER_DAY;

function ratioPoints(r: Replay): [number, number][] {
  const out: [number, number][] = [];
  const y = (ratio: Decimal | null) => (ratio === null ? RATIO_CAP : Math.min(RATIO_CAP, ratio.mul(100).toNumber()));
  for (const s of r.steps) {
    if (s.action) out.push([day(s.index), y(s.ratioBefore)]);
    out.push([day(s.index), y(s.ratio)]);
  }
  return out;
}

function liquidationPoints(r: Replay): [number, number][] {
  // A step line: the liquidation price holds between funding times.
  const out: [number, number][] = [];
  r.steps.forEach((s, i) => {
    if (s.liquidationPrice === null) return;
    const v = s.liquidationPrice.toNumber();
    if (i > 0) out.push([day(s.index), out.at(-1)?.[1] ?? v]);
    out.push([day(s.index), v]);
  });
  return out;
}

/** The path the state asks for: the reader's drawn path if there is one, else the seeded random walk. */
export function pricesFor(state: MonitorState): { prices: Decimal[]; drawn: boolean } {
  const drawn = state.path ? decodePath(state.path).prices : null;
  return drawn ? { prices: drawn, drawn: true } : { prices: pricePath(Number(state.seed), state.vol), drawn: false };
}

/**
 * The price chart's y domain while the reader draws: the data's, widened to at least ±15 % of the entry
 * and by a tenth of its span, so there is room to draw past the path, but never beyond the drawing range.
 */
export function drawDomain(view: MonitorView): [number, number] {
  const entry = view.prices[0]!.toNumber();
  const lo = Math.min(view.chart.priceDomain[0], entry * 0.85);
  const hi = Math.max(view.chart.priceDomain[1], entry * 1.15);
  const pad = (hi - lo) * 0.1;
  return [Math.max(DRAW_MIN.toNumber(), lo - pad), Math.min(DRAW_MAX.toNumber(), hi + pad)];
}

/**
 * The view, or, when the engine refuses the position the state describes (EngineInputError), the view of
 * the default state and the engine's message for the widget to show. The link's limits keep a state
 * inside what the engine accepts today; this is the net under them, so a refusal never blanks the widget.
 */
export function monitorViewOrRefusal(state: MonitorState, fallback: MonitorState): { view: MonitorView; refusal: string | null } {
  try {
    return { view: monitorView(state), refusal: null };
  } catch (error) {
    if (!(error instanceof EngineInputError)) throw error;
    return { view: monitorView(fallback), refusal: error.message };
  }
}

export function monitorView(state: MonitorState): MonitorView {
  const p = paramsOf(state);
  const { prices, drawn } = pricesFor(state);
  const none = replay(p, prices, 'none');
  const chosen = state.rule === 'none' ? null : replay(p, prices, state.rule);
  const position = openMonitoredPosition(p, prices[0]!);
  const start = positionMetrics(position, prices[0]!);
  const last = prices.at(-1)!;

  const text = {
    position: `${trimZeros(state.lev)}× ${state.side} ${SYMBOL}, ${formatDecimal(position.quantity, 4)} BTC at ${price1(prices[0]!)} with ${usdt(p.margin)} margin`,
    rule: ruleText(state),
    start: price1(prices[0]!),
    end: price1(last),
    liquidation: start.liquidationPrice === null ? 'none' : price1(start.liquidationPrice),
  };

  const outcomes = outcomeTable(chosen ? [none, chosen] : [none]);

  let verdict: string;
  if (!chosen) verdict = none.liquidatedAt === null ? `With no rule the position ${outcomeText(none)}.` : `With no rule the position was ${outcomeText(none)}.`;
  else if (none.liquidatedAt !== null && chosen.liquidatedAt === null) verdict = 'The rule saved the position.';
  else if (none.liquidatedAt !== null && chosen.liquidatedAt !== null) {
    verdict =
      chosen.liquidatedAt > none.liquidatedAt
        ? `The rule delayed liquidation by ${elapsed(chosen.liquidatedAt - none.liquidatedAt)} but did not save the position.`
        : 'The rule did not save the position.';
  } else if (none.liquidatedAt === null && chosen.liquidatedAt === null) {
    const diff = chosen.net.sub(none.net);
    verdict = `The position survives either way; the rule changes the net result by ${formatSigned(diff, 2)} USDT.`;
  } else verdict = 'The rule lost a position that survives without it.';

  const describe = (r: Replay) => (r.liquidatedAt === null ? `${outcomeText(r)} with a final equity of ${usdt(r.finalEquity)}` : `was ${outcomeText(r)}`);
  const count = (n: number, one: string, many: string) => (n === 1 ? `1 ${one}` : `${n} ${many}`);
  let low = 0;
  let high = 0;
  prices.forEach((price, i) => {
    if (price.lt(prices[low]!)) low = i;
    if (price.gt(prices[high]!)) high = i;
  });
  const extremes = `low ${price1(prices[low]!)} ${low === 0 ? 'at entry' : `after ${elapsed(low)}`}, high ${price1(prices[high]!)} ${high === 0 ? 'at entry' : `after ${elapsed(high)}`}`;
  const source = drawn ? 'A price path drawn by the reader' : `Seed ${state.seed}, ${trimZeros(state.vol)} % daily volatility`;
  const path = `${source}: ${SYMBOL} goes from ${text.start} to ${text.end} USDT over ${DAYS} days (${extremes}), with funding of ${trimZeros(state.f)} % every 8 hours.`;
  const pos = `With no rule, a ${text.position} (liquidation price ${text.liquidation} at open) ${describe(none)}.`;
  let withRule = '';
  if (chosen) {
    const actions =
      chosen.rule === 'topup'
        ? chosen.topUps === 0
          ? 'with no top-up'
          : `after ${count(chosen.topUps, 'top-up', 'top-ups')} totalling ${usdt(chosen.topUpTotal)}`
        : chosen.reductions === 0
          ? 'with no reduction'
          : `after ${count(chosen.reductions, 'reduction', 'reductions')}`;
    withRule = ` ${text.rule}: the position ${describe(chosen)}, ${actions}. ${verdict}`;
  }
  const summary = `${path} ${pos}${withRule}`;

  const ratio: MonitorView['chart']['ratio'] = [];
  const alertPct = p.alert.mul(100).toNumber();
  ratio.push({ id: 'none', label: 'Margin ratio, no rule', points: ratioPoints(none), tone: chosen ? 'muted' : 'accent', dashed: chosen !== null });
  if (chosen) ratio.push({ id: 'rule', label: 'Margin ratio, with rule', points: ratioPoints(chosen), tone: 'accent' });
  ratio.push({ id: 'alert', label: `Alert ${trimZeros(state.alert)} %`, points: [[0, alertPct], [DAYS, alertPct]], tone: 'warn', dashed: true });
  ratio.push({ id: 'liq', label: 'Liquidation 100 %', points: [[0, 100], [DAYS, 100]], tone: 'danger' });
  const ratioBands: MonitorView['chart']['ratioBands'] = [];
  if (none.liquidatedAt !== null) ratioBands.push({ id: 'liq-none', x0: day(none.liquidatedAt), x1: DAYS, tone: 'danger' });
  if (chosen?.liquidatedAt != null && chosen.liquidatedAt !== none.liquidatedAt) ratioBands.push({ id: 'liq-rule', x0: day(chosen.liquidatedAt), x1: DAYS, tone: 'danger' });

  const priceSeries: MonitorView['chart']['price'] = [
    { id: 'price', label: `${SYMBOL} price`, points: prices.map((v, i) => [day(i), v.toNumber()]), tone: 'text' },
    { id: 'liq-none', label: 'Liquidation price, no rule', points: liquidationPoints(none), tone: 'danger', dashed: true },
  ];
  if (chosen) priceSeries.push({ id: 'liq-rule', label: 'Liquidation price, with rule', points: liquidationPoints(chosen), tone: 'ok' });
  const all = priceSeries.flatMap((s) => s.points.map((pt) => pt[1]));
  const lo = Math.min(...all);
  const hi = Math.max(...all);
  const pad = (hi - lo) * 0.05 || hi * 0.01;

  return {
    prices,
    drawn,
    none,
    chosen,
    position,
    text,
    outcomes,
    verdict,
    summary,
    chart: { ratio, ratioBands, ratioMax: RATIO_CAP, price: priceSeries, priceDomain: [lo - pad, hi + pad] },
  };
}
