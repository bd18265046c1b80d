/**
 * Numbers for the lessons on maintenance margin, liquidation and bankruptcy prices, margin-ratio monitoring
 * and cross-margin accounts, computed by the engine at build time. Pure functions over src/engine: bracket
 * tables come in as arguments (a lesson reads them from the venues collection), so the same calls run in
 * unit tests. Every figure a reader sees is returned as formatted text (src/lib/format.ts); predict boxes
 * get a plain decimal string.
 *
 * The running example of these lessons is one isolated BTCUSDT long: 0.5 BTC at 60,000 USDT, 10× leverage,
 * so 30,000 USDT of notional on 3,000 USDT of margin, maintenance rate 0.4 % (tier 1 of Binance's
 * BTCUSDT table).
 */
import {
  Decimal,
  accountMetrics,
  addIsolatedMargin,
  bankruptcyPrice,
  crossLiquidationPrice,
  fundingPayment,
  liquidationOutcome,
  liquidationPrice,
  liquidationPriceFor,
  liquidationPriceWithBrackets,
  maintenanceBracket,
  maintenanceMarginFor,
  maxRemovableMargin,
  normalizePosition,
  positionMetrics,
  replayFunding,
  tieredMaintenanceMargin,
  validateBrackets,
  type AccountInput,
  type BracketInput,
  type Position,
  type PositionInput,
} from '../engine';
import { formatDecimal, formatPercent, trimZeros } from './format';

type Table = readonly BracketInput[];

const USDT = '\u00a0USDT';
/** "54,216.87 USDT" */
export const usdt = (value: Decimal, decimals = 2): string => `${formatDecimal(value, decimals)}${USDT}`;
/** "54,216.87": a price, without unit. */
export const price = (value: Decimal, decimals = 2): string => formatDecimal(value, decimals);
/** A plain decimal for <PredictNumber answer>: "1200", "200.8". */
export const plain = (value: Decimal, decimals = 2): string => trimZeros(value.toFixed(decimals, Decimal.ROUND_HALF_EVEN));
/** A number written for TeX: thousands grouped with {,} so KaTeX adds no space after the commas. */
export const tex = (text: string): string => text.replace(/,/g, '{,}').replace(/\u2212/g, '-');

function must<T>(value: T | null, what: string): T {
  if (value === null) throw new Error(`lesson example: ${what} is null`);
  return value;
}

/** The running example, with any field overridden. */
export function examplePosition(overrides: Partial<PositionInput> = {}): Position {
  return normalizePosition({
    contract: 'linear',
    side: 'long',
    entryPrice: '60000',
    quantity: '0.5',
    margin: '3000',
    maintenanceMarginRate: '0.004',
    leverage: '10',
    ...overrides,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Lesson: maintenance margin
// ---------------------------------------------------------------------------------------------------------

/** Initial and maintenance margin of the running example at its entry price. */
export function twoMargins() {
  const p = examplePosition();
  const m = positionMetrics(p, p.entryPrice);
  return {
    notional: usdt(m.notional),
    initial: usdt(m.initialMargin),
    maintenance: usdt(m.maintenanceMargin),
    cushion: usdt(m.initialMargin.sub(m.maintenanceMargin)),
  };
}

/**
 * A bracket edge of a table: the maintenance margin the lower bracket's line gives at the edge, the upper
 * bracket's (with its maintenance amount), and what the upper rate alone would give (the jump the amount
 * removes). `beyond` is a notional inside the upper bracket for a second comparison.
 */
export function bracketEdge(table: Table, edge: string, beyond: string) {
  const tiers = validateBrackets(table);
  const upperIndex = tiers.findIndex((b) => b.floor.eq(edge));
  if (upperIndex < 1) throw new Error(`${edge} is not an inner bracket edge`);
  const lower = tiers[upperIndex - 1]!;
  const upper = tiers[upperIndex]!;
  const at = tieredMaintenanceMargin(tiers, edge);
  const lowerLine = upper.floor.mul(lower.maintenanceMarginRate).sub(lower.maintenanceAmount);
  const rateOnly = upper.floor.mul(upper.maintenanceMarginRate);
  const beyondMm = tieredMaintenanceMargin(tiers, beyond);
  const beyondRateOnly = new Decimal(beyond).mul(maintenanceBracket(tiers, beyond).maintenanceMarginRate);
  if (!lowerLine.eq(at)) throw new Error('maintenance margin is not continuous at this edge');
  return {
    lowerRate: formatPercent(lower.maintenanceMarginRate, 1),
    upperRate: formatPercent(upper.maintenanceMarginRate, 1),
    upperAmount: usdt(upper.maintenanceAmount, 0),
    lowerLine: usdt(lowerLine),
    atEdge: usdt(at),
    atEdgeAnswer: plain(at),
    rateOnly: usdt(rateOnly),
    jump: usdt(rateOnly.sub(at)),
    beyond: usdt(beyondMm),
    beyondRateOnly: usdt(beyondRateOnly),
  };
}

/**
 * A long that opens in one bracket and is liquidated in a lower one: the bracket at the liquidation price
 * decides (Binance's COIN-M FAQ). Quantity and leverage are the lesson's inputs.
 */
export function bracketAtLiquidation(table: Table, quantity: string, leverage: string) {
  const entry = new Decimal('60000');
  const q = new Decimal(quantity);
  const input = { contract: 'linear' as const, side: 'long' as const, entryPrice: entry, quantity: q, margin: q.mul(entry).div(leverage), leverage };
  const result = liquidationPriceWithBrackets(input, table);
  const lp = must(result.liquidationPrice, 'bracket liquidation price');
  const withEntryBracket = must(
    liquidationPrice({ ...input, maintenanceMarginRate: result.entryBracket.maintenanceMarginRate, maintenanceAmount: result.entryBracket.maintenanceAmount }),
    'entry-bracket liquidation price',
  );
  return {
    notional: usdt(q.mul(entry), 0),
    margin: usdt(input.margin),
    entryRate: formatPercent(result.entryBracket.maintenanceMarginRate, 1),
    liquidationRate: formatPercent(result.bracket.maintenanceMarginRate, 1),
    notionalAtLiquidation: usdt(must(result.notionalAtLiquidation, 'notional at liquidation')),
    liquidation: price(lp),
    withEntryBracket: price(withEntryBracket),
    changedBracket: !result.bracket.floor.eq(result.entryBracket.floor),
  };
}

/**
 * The running example under Binance (maintenance on notional at the mark) and Bybit (on position value at
 * entry), each with its own shipped table; then Binance at Bybit's rate, to separate the basis from the rate.
 */
export function venueComparison(binanceTable: Table, bybitTable: Table, mark = '56000') {
  const { maintenanceMarginRate: _r, maintenanceAmount: _a, ...input } = examplePosition();
  const binance = must(liquidationPriceFor(input, 'binance-usdm', binanceTable), 'Binance LP');
  const bybit = must(liquidationPriceFor(input, 'bybit-linear', bybitTable), 'Bybit LP');
  const bybitRate = maintenanceBracket(bybitTable, input.quantity.mul(input.entryPrice)).maintenanceMarginRate;
  const binanceAtBybitRate = must(liquidationPriceFor({ ...input, maintenanceMarginRate: bybitRate }, 'binance-usdm'), 'Binance LP at Bybit rate');
  return {
    binanceRate: formatPercent(maintenanceBracket(binanceTable, input.quantity.mul(input.entryPrice)).maintenanceMarginRate, 1),
    bybitRate: formatPercent(bybitRate, 1),
    binance: price(binance),
    bybit: price(bybit),
    gap: usdt(bybit.sub(binance)),
    binanceAtBybitRate: price(binanceAtBybitRate),
    basisGap: usdt(bybit.sub(binanceAtBybitRate)),
    mark: price(new Decimal(mark), 0),
    binanceMmAtEntry: usdt(maintenanceMarginFor(input, input.entryPrice, 'binance-usdm', binanceTable)),
    binanceMmAtMark: usdt(maintenanceMarginFor(input, mark, 'binance-usdm', binanceTable)),
    bybitMmAtMark: usdt(maintenanceMarginFor(input, mark, 'bybit-linear', bybitTable)),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Lesson: liquidation price and bankruptcy price
// ---------------------------------------------------------------------------------------------------------

/** Exact agreement to 30 significant digits between the substituted arithmetic and the engine. */
function agree(a: Decimal, b: Decimal, what: string): void {
  if (!a.toSignificantDigits(30).eq(b.toSignificantDigits(30))) throw new Error(`${what}: ${a} ≠ engine ${b}`);
}

/**
 * The linear long derivation with the running example substituted, as TeX lines for <Math display>, and
 * the engine's prices. The intermediate figures are checked against the engine's result.
 */
export function linearDerivation() {
  const p = examplePosition();
  const { quantity: q, entryPrice: e, margin: m, maintenanceMarginRate: r, maintenanceAmount: cum } = p;
  const lp = must(liquidationPrice(p), 'LP');
  const bp = must(bankruptcyPrice(p), 'BP');
  const numerator = q.mul(e).sub(m).sub(cum);
  const denominator = q.mul(new Decimal(1).sub(r));
  agree(numerator.div(denominator), lp, 'linear LP');
  agree(e.sub(m.div(q)), bp, 'linear BP');
  const Q = q.toString();
  const E = tex(formatDecimal(e, 0));
  const M = tex(formatDecimal(m, 0));
  const R = r.toString();
  const C = cum.toString();
  return {
    lp: price(lp),
    bp: price(bp),
    lpAnswer: plain(lp),
    // String.raw: the backslashes are TeX's.
    condition: String.raw`\underbrace{M + Q\,(P - E)}_{\text{equity}} = \underbrace{Q\,P\,m - \mathit{cum}}_{\text{maintenance margin}}`,
    liquidationTex: String.raw`\begin{aligned} P_{\text{liq}} &= \frac{Q\,E - M - \mathit{cum}}{Q\,(1 - m)} \\ &= \frac{${Q} \times ${E} - ${M} - ${C}}{${Q} \times (1 - ${R})} \\ &= \frac{${tex(formatDecimal(numerator, 0))}}{${denominator.toString()}} \\ &= ${tex(price(lp))} \end{aligned}`,
    bankruptcyTex: String.raw`\begin{aligned} P_{\text{bk}} &= E - \frac{M}{Q} \\ &= ${E} - \frac{${M}}{${Q}} = ${tex(price(bp))} \end{aligned}`,
  };
}

/**
 * The same exposure as an inverse (coin-margined) contract: 30,000 USD in 300 contracts of 100 USD at
 * 60,000, 10×, so 0.05 BTC of margin. Long and short, with the long's derivation as TeX.
 */
export function inverseCase() {
  const base = { contract: 'inverse' as const, entryPrice: '60000', quantity: '300', contractSize: '100', margin: '0.05', maintenanceMarginRate: '0.004', leverage: '10' };
  const long = normalizePosition({ ...base, side: 'long' });
  const short = normalizePosition({ ...base, side: 'short' });
  const lLp = must(liquidationPrice(long), 'inverse long LP');
  const lBp = must(bankruptcyPrice(long), 'inverse long BP');
  const sLp = must(liquidationPrice(short), 'inverse short LP');
  const sBp = must(bankruptcyPrice(short), 'inverse short BP');
  const qc = long.quantity.mul(long.contractSize);
  const num = qc.mul(new Decimal(1).add(long.maintenanceMarginRate));
  const den = long.margin.add(long.maintenanceAmount).add(qc.div(long.entryPrice));
  agree(num.div(den), lLp, 'inverse LP');
  const e = long.entryPrice;
  const move = (x: Decimal) => formatPercent(x.sub(e).div(e).abs(), 2);
  return {
    margin: `${formatDecimal(long.margin, 2)}\u00a0BTC`,
    longLp: price(lLp),
    longBp: price(lBp),
    shortLp: price(sLp),
    shortBp: price(sBp),
    longMove: move(lLp),
    shortMove: move(sLp),
    shortMoveAnswer: plain(sLp.sub(e).div(e).mul(100)),
    longTex: String.raw`\begin{aligned} P_{\text{liq}} &= \frac{Q\,C\,(1 + m)}{M + \mathit{cum} + Q\,C/E} \\ &= \frac{${tex(formatDecimal(qc, 0))} \times ${new Decimal(1).add(long.maintenanceMarginRate).toString()}}{${long.margin.toString()} + 0 + ${tex(formatDecimal(qc, 0))}/${tex(formatDecimal(e, 0))}} \\ &= \frac{${tex(formatDecimal(num, 0))}}{${den.toString()}} \\ &= ${tex(price(lLp))} \end{aligned}`,
  };
}

/**
 * Where the running example's equity goes when the engine fills it at the liquidation price, between the
 * two prices, and beyond bankruptcy (fee rate and fills are the lesson's inputs; the fund is assumed deep).
 */
export function outcomeRows(feeRate: string, fills: readonly string[]) {
  const p = examplePosition();
  const lp = must(liquidationPrice(p), 'LP');
  const rows = [lp, ...fills.map((f) => new Decimal(f))].map((fill, i) => {
    const o = liquidationOutcome(p, fill, { liquidationFeeRate: feeRate });
    return {
      label: i === 0 ? 'at the liquidation price' : o.equityAtFill.gte(0) ? 'between the two prices' : 'beyond the bankruptcy price',
      fill: price(fill),
      equity: usdt(o.equityAtFill),
      fee: usdt(o.fee),
      fund: usdt(o.insuranceFundChange),
      /** The same figures without the unit, for table cells whose header names it. */
      cells: { equity: price(o.equityAtFill), fee: price(o.fee), fund: price(o.insuranceFundChange) },
      /** What the fund pays in, unsigned (0 when it gains). */
      cover: usdt(o.insuranceFundChange.lt(0) ? o.insuranceFundChange.neg() : new Decimal(0)),
      badDebt: usdt(o.badDebt),
      trader: usdt(o.traderKeeps),
    };
  });
  return { feeRate: formatPercent(new Decimal(feeRate), 1), rows };
}

// ---------------------------------------------------------------------------------------------------------
// Lesson: margin ratio and margin utilization
// ---------------------------------------------------------------------------------------------------------

/** The running example read at several marks: both ratio conventions. */
export function ratioReadings(marks: readonly string[]) {
  const p = examplePosition();
  return marks.map((mark) => {
    const m = positionMetrics(p, mark);
    const ratio = must(m.marginRatio, 'margin ratio');
    return {
      mark: price(new Decimal(mark), 0),
      equity: usdt(m.equity),
      maintenance: usdt(m.maintenanceMargin),
      binance: formatPercent(ratio, 1),
      cells: { equity: price(m.equity), maintenance: price(m.maintenanceMargin) },
      inverse: formatPercent(m.equity.div(m.maintenanceMargin), 0),
    };
  });
}

/**
 * The mark at which the running example's Binance-style ratio reaches `level` (0.8 = 80 %): equity =
 * MM ÷ level, which is the liquidation price of the same position at rate m ÷ level.
 */
export function alertPrice(level: string) {
  const p = examplePosition();
  const at = must(liquidationPrice({ ...p, maintenanceMarginRate: p.maintenanceMarginRate.div(level), maintenanceAmount: p.maintenanceAmount.div(level) }), 'alert price');
  const check = must(positionMetrics(p, at).marginRatio, 'ratio at alert');
  agree(check, new Decimal(level), 'alert ratio');
  const lp = must(liquidationPrice(p), 'LP');
  return { level: formatPercent(new Decimal(level), 0), price: price(at), priceAnswer: plain(at), liquidation: price(lp), gap: usdt(at.sub(lp)) };
}

/** A cross wallet holding only the running example's position: utilization and ratio at marks. */
export function utilization(wallet: string, marks: readonly string[]) {
  const p = examplePosition();
  const account: AccountInput = {
    walletBalance: wallet,
    positions: [{ symbol: 'BTCUSDT', contract: 'linear', side: 'long', entryPrice: p.entryPrice, quantity: p.quantity, maintenanceMarginRate: p.maintenanceMarginRate, leverage: p.leverage }],
  };
  return marks.map((mark) => {
    const m = accountMetrics(account, { BTCUSDT: mark });
    return {
      mark: price(new Decimal(mark), 0),
      equity: usdt(m.equity),
      initial: usdt(m.totalInitialMargin),
      utilization: formatPercent(must(m.marginUtilization, 'utilization'), 1),
      ratio: formatPercent(must(m.marginRatio, 'ratio'), 2),
      available: usdt(m.availableBalance),
    };
  });
}

/** Funding on the running example: one payment, then `days` × 3 payments at a flat mark. */
export function fundingDrag(rate: string, days: number) {
  const p = examplePosition();
  const one = fundingPayment(p, p.entryPrice, rate);
  const path = Array.from({ length: days * 3 }, () => ({ price: p.entryPrice, fundingRate: rate }));
  const replay = replayFunding(p, path);
  if (replay.liquidatedAtStep !== null) throw new Error('funding example liquidates');
  const last = replay.steps[replay.steps.length - 1]!;
  const start = must(replay.startLiquidationPrice, 'start LP');
  const end = must(last.liquidationPrice, 'end LP');
  const ratioEnd = last.maintenanceMargin.div(last.equity);
  const ratioStart = positionMetrics(p, p.entryPrice).marginRatio!;
  return {
    rate: formatPercent(new Decimal(rate), 2),
    payment: usdt(one),
    steps: String(path.length),
    total: usdt(replay.totalPayment),
    marginEnd: usdt(last.margin),
    startLp: price(start),
    endLp: price(end),
    endLpAnswer: plain(end),
    lpRise: usdt(end.sub(start)),
    ratioStart: formatPercent(ratioStart, 1),
    ratioEnd: formatPercent(ratioEnd, 1),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Lesson: cross-margin accounts and margin allocation
// ---------------------------------------------------------------------------------------------------------

/** Adding isolated margin to the running example: the liquidation price before and after. */
export function addMargin(amount: string) {
  const p = examplePosition();
  const after = addIsolatedMargin(p, amount);
  const before = must(liquidationPrice(p), 'LP');
  const moved = must(liquidationPrice(after), 'LP after');
  return {
    before: price(before),
    after: price(moved),
    move: usdt(before.sub(moved)),
    moveAnswer: plain(before.sub(moved)),
    perUsdt: usdt(before.sub(moved).div(amount)),
    /** The guess that forgets the maintenance margin: amount ÷ size. */
    naive: usdt(new Decimal(amount).div(p.quantity), 0),
  };
}

/** Binance's removable amount for the running example with `extra` margin added, at several marks. */
export function removable(extra: string, marks: readonly string[]) {
  const p = addIsolatedMargin(examplePosition(), extra);
  return {
    margin: usdt(p.margin),
    rows: marks.map((mark) => ({ mark: price(new Decimal(mark), 0), most: usdt(maxRemovableMargin(p, mark)) })),
  };
}

/**
 * A Binance cross wallet with the running example's BTC long and an ETH short of the same notional, both at
 * 10× and their tables' tier-1 rates, against the same two positions held isolated with 3,000 USDT each.
 */
export function crossExample(btcTable: Table, ethTable: Table, wallet: string, ethMarks: readonly string[]) {
  const btc = examplePosition();
  const ethEntry = new Decimal('3000');
  const ethQty = new Decimal('10');
  const ethRate = maintenanceBracket(ethTable, ethQty.mul(ethEntry)).maintenanceMarginRate;
  const btcRate = maintenanceBracket(btcTable, btc.quantity.mul(btc.entryPrice)).maintenanceMarginRate;
  const account: AccountInput = {
    walletBalance: wallet,
    venue: 'binance-usdm',
    positions: [
      { symbol: 'BTCUSDT', contract: 'linear', side: 'long', entryPrice: btc.entryPrice, quantity: btc.quantity, maintenanceMarginRate: btcRate, leverage: '10', marginAsset: 'USDT' },
      { symbol: 'ETHUSDT', contract: 'linear', side: 'short', entryPrice: ethEntry, quantity: ethQty, maintenanceMarginRate: ethRate, leverage: '10', marginAsset: 'USDT' },
    ],
  };
  const isoEth = normalizePosition({ contract: 'linear', side: 'short', entryPrice: ethEntry, quantity: ethQty, margin: ethQty.mul(ethEntry).div(10), maintenanceMarginRate: ethRate, leverage: '10' });
  const isoBtc = normalizePosition({ ...btc, maintenanceMarginRate: btcRate });
  const rows = ethMarks.map((ethMark) => {
    const m = accountMetrics(account, { BTCUSDT: btc.entryPrice, ETHUSDT: ethMark });
    const btcLp = must(crossLiquidationPrice(account, 'BTCUSDT', { ETHUSDT: ethMark }), 'cross BTC LP');
    return {
      ethMark: price(new Decimal(ethMark), 0),
      equity: usdt(m.equity),
      maintenance: usdt(m.totalMaintenanceMargin),
      ratio: formatPercent(must(m.marginRatio, 'ratio'), 1),
      available: usdt(m.availableBalance),
      cells: { equity: price(m.equity), available: price(m.availableBalance) },
      btcLp: price(btcLp),
    };
  });
  const ethLp = must(crossLiquidationPrice(account, 'ETHUSDT', { BTCUSDT: btc.entryPrice }), 'cross ETH LP');
  return {
    btcRate: formatPercent(btcRate, 1),
    ethRate: formatPercent(ethRate, 1),
    ethNotional: usdt(ethQty.mul(ethEntry), 0),
    isoMargin: usdt(isoEth.margin, 0),
    /** Wallet left untouched when both positions are held isolated. */
    idle: usdt(new Decimal(wallet).sub(isoEth.margin).sub(isoBtc.margin), 0),
    isoBtcLp: price(must(liquidationPrice(isoBtc), 'iso BTC LP')),
    isoEthLp: price(must(liquidationPrice(isoEth), 'iso ETH LP')),
    crossEthLp: price(ethLp),
    rows,
  };
}
