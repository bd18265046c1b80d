/**
 * From the tier ladder's state to what the reader sees: the bracket the position falls in, the leverage
 * it allows, and the liquidation price under the venue's own method (Binance: the bracket at the
 * liquidation price; Bybit: the tier of the position value at entry).
 */
import {
  Decimal,
  EngineInputError,
  liquidationPriceFor,
  liquidationPriceWithBrackets,
  maintenanceBracket,
  validateBrackets,
  type Bracket,
  type BracketTable,
} from '../../engine';
import { formatDecimal, formatPercent, trimZeros } from '../../lib/format';
import type { LadderPreset } from './presets';
import type { LadderState } from './state';

export interface LadderView {
  preset: LadderPreset;
  table: BracketTable;
  bracket: Bracket;
  /** Leverage actually used: the reader's, lowered to the bracket's maximum when needed. */
  leverage: Decimal;
  leverageCapped: boolean;
  margin: Decimal;
  maintenanceAtEntry: Decimal;
  liquidationPrice: Decimal | null;
  /** For mark-basis venues: the bracket whose rate produced the liquidation price. */
  liquidationBracket: Bracket | null;
  move: Decimal | null;
  /** Chart data: x = notional, y = rate in % and max leverage, as step lines. */
  steps: { rate: [number, number][]; leverage: [number, number][] };
  domain: [number, number];
  text: { bracket: string; rate: string; amount: string; maxLeverage: string; margin: string; maintenance: string; liquidation: string; move: string; notional: string };
  summary: string;
  note: string | null;
}

const money = (value: Decimal, quote: string) => `${formatDecimal(value, 2)} ${quote}`;

export function ladderView(preset: LadderPreset, state: LadderState): LadderView {
  const table = validateBrackets(preset.brackets);
  const notional = new Decimal(state.notional);
  const entry = new Decimal(state.entry);
  const bracket = maintenanceBracket(table, notional);
  const requested = new Decimal(state.lev);
  const ceiling = bracket.maxLeverage;
  const leverageCapped = ceiling !== null && requested.gt(ceiling);
  const leverage = ceiling !== null && leverageCapped ? ceiling : requested;
  const margin = notional.div(leverage);
  const quantity = notional.div(entry);
  const position = { contract: 'linear' as const, side: state.side, entryPrice: entry, quantity, margin };
  let liquidation: Decimal | null;
  let liquidationBracket: Bracket | null = null;
  if (preset.venueId === 'binance-usdm') {
    const result = liquidationPriceWithBrackets(position, table);
    liquidation = result.liquidationPrice;
    liquidationBracket = result.bracket;
  } else {
    liquidation = liquidationPriceFor(position, preset.venueId, table);
  }
  const move = liquidation === null ? null : liquidation.sub(entry).div(entry);
  const maintenanceAtEntry = notional.mul(bracket.maintenanceMarginRate).sub(bracket.maintenanceAmount);

  const first = table[0]!;
  const last = table[table.length - 1]!;
  const low = Decimal.max(100, first.cap.div(20));
  const domain: [number, number] = [low.toNumber(), last.cap.toNumber()];
  const rate: [number, number][] = [];
  const lev: [number, number][] = [];
  for (const b of table) {
    const from = Decimal.max(b.floor, low).toNumber();
    rate.push([from, b.maintenanceMarginRate.mul(100).toNumber()], [b.cap.toNumber(), b.maintenanceMarginRate.mul(100).toNumber()]);
    if (b.maxLeverage !== null) lev.push([from, b.maxLeverage.toNumber()], [b.cap.toNumber(), b.maxLeverage.toNumber()]);
  }

  const quote = preset.quote;
  const text = {
    bracket: `${bracket.index + 1} of ${table.length}: ${formatDecimal(bracket.floor, 0)} to ${formatDecimal(bracket.cap, 0)} ${quote}`,
    rate: formatPercent(bracket.maintenanceMarginRate, 2),
    amount: money(bracket.maintenanceAmount, quote),
    maxLeverage: ceiling === null ? 'not published' : `${trimZeros(ceiling.toString())}×`,
    margin: money(margin, quote),
    maintenance: money(maintenanceAtEntry, quote),
    liquidation: liquidation === null ? 'none' : money(liquidation, quote),
    move: move === null ? 'cannot be liquidated' : `${formatPercent(move.abs(), 2)} ${state.side === 'long' ? 'fall' : 'rise'}`,
    notional: money(notional, quote),
  };
  const note = leverageCapped
    ? `${trimZeros(requested.toString())}× is above this bracket's maximum of ${text.maxLeverage}: a position this large can only be opened at ${text.maxLeverage} or less, so the margin rises to ${text.margin}.`
    : null;
  const otherBracket =
    liquidationBracket !== null && liquidationBracket.index !== bracket.index
      ? ` The liquidation price is computed with bracket ${liquidationBracket.index + 1}'s rate, the bracket that holds the position's value at that price.`
      : '';
  const summary = `A ${text.notional} ${state.side} on ${preset.symbol} (${preset.label}) sits in bracket ${text.bracket}: maintenance rate ${text.rate}, maintenance amount ${text.amount}, at most ${text.maxLeverage}. At ${trimZeros(leverage.toString())}× the margin is ${text.margin} and the liquidation price ${text.liquidation}, a ${text.move} from entry.${otherBracket}`;
  return {
    preset,
    table,
    bracket,
    leverage,
    leverageCapped,
    margin,
    maintenanceAtEntry,
    liquidationPrice: liquidation,
    liquidationBracket,
    move,
    steps: { rate, leverage: lev },
    domain,
    text,
    summary,
    note,
  };
}

export { EngineInputError };
