/**
 * Numbers for lesson prose, computed by the engine at build time. A lesson never types a computed
 * figure: it calls one of these, so the text and the widgets beside it cannot disagree.
 */
import { Decimal, openPosition, priceMoveToLiquidation, positionMetrics, type ContractKind, type Side } from '../engine';
import { formatDecimal, formatPercent } from './format';
import { openFrame, readAt, type Reading } from '../widgets/position-explorer/model';
import { defaultExplorerState, type ExplorerState } from '../widgets/position-explorer/state';

export interface MoveQuestion {
  contract?: ContractKind;
  side?: Side;
  leverage: string | number;
  /** Maintenance margin rate in percent (the widget's unit). */
  mmrPercent?: string | number;
  entry?: string | number;
}

function open({ contract = 'linear', side = 'long', leverage, mmrPercent = '0.4', entry = '60000' }: MoveQuestion) {
  return openPosition({
    contract,
    side,
    entryPrice: entry,
    leverage,
    margin: contract === 'linear' ? '1000' : '1',
    maintenanceMarginRate: new Decimal(String(mmrPercent)).div(100),
  });
}

/** The move from entry to the liquidation price as a fraction (negative for a fall), or null if none. */
export function moveToLiquidation(question: MoveQuestion): Decimal | null {
  return priceMoveToLiquidation(open(question));
}

/** "9.64 %": the size of the move that liquidates, without sign; "no move" if none can. */
export function liquidationMoveText(question: MoveQuestion, decimals = 1): string {
  const move = moveToLiquidation(question);
  return move === null ? 'no price move' : formatPercent(move.abs(), decimals);
}

/** The move from entry to the bankruptcy price, unsigned, as text. */
export function bankruptcyMoveText(question: MoveQuestion, decimals = 1): string {
  const position = open(question);
  const bankruptcy = positionMetrics(position, position.entryPrice).bankruptcyPrice;
  if (bankruptcy === null) return 'no price move';
  return formatPercent(bankruptcy.sub(position.entryPrice).div(position.entryPrice).abs(), decimals);
}

/** The explorer's own reading for a state, so a worked example in prose is the widget's first figure. */
export function explorerReading(overrides: Partial<ExplorerState> = {}): Reading {
  const state = defaultExplorerState(overrides);
  const result = openFrame(state);
  if (!result.ok) throw new Error(`Lesson example cannot open: ${result.message}`);
  return readAt(result.frame, state.mark);
}

export function explorerPosition(overrides: Partial<ExplorerState> = {}) {
  const state = defaultExplorerState(overrides);
  const result = openFrame(state);
  if (!result.ok) throw new Error(`Lesson example cannot open: ${result.message}`);
  return result.frame;
}

export interface LeverageRow {
  leverage: string;
  linearLong: string;
  linearShort: string;
  inverseLong: string;
  inverseShort: string;
}

/** How far the price may move before liquidation, for each leverage, contract and side. */
export function leverageTable(leverages: readonly number[], mmrPercent: string | number = '0.4', decimals = 2): LeverageRow[] {
  return leverages.map((leverage) => ({
    leverage: `${leverage}×`,
    linearLong: liquidationMoveText({ contract: 'linear', side: 'long', leverage, mmrPercent }, decimals),
    linearShort: liquidationMoveText({ contract: 'linear', side: 'short', leverage, mmrPercent }, decimals),
    inverseLong: liquidationMoveText({ contract: 'inverse', side: 'long', leverage, mmrPercent }, decimals),
    inverseShort: liquidationMoveText({ contract: 'inverse', side: 'short', leverage, mmrPercent }, decimals),
  }));
}

export { formatDecimal, formatPercent };

/** A number written for TeX: thousands grouped with {,} so KaTeX does not add space after the commas. */
export function texNumber(text: string): string {
  return text.replace(/,/g, '{,}').replace(/\u2212/g, '-');
}

/**
 * The linear-long liquidation price of the explorer's example, as TeX: the closed form, then the same
 * with the example's numbers, then the engine's result.
 */
export function liquidationFormulaTex(overrides: Partial<ExplorerState> = {}): string {
  const state = defaultExplorerState(overrides);
  const frame = explorerPosition(overrides);
  const result = frame.metricsAtEntry.liquidationPrice;
  if (state.contract !== 'linear' || state.side !== 'long' || result === null) {
    throw new Error('liquidationFormulaTex covers the linear long example only');
  }
  const entry = texNumber(formatDecimal(new Decimal(state.entry), 0));
  const rate = new Decimal(state.mmr).div(100).toString();
  // String.raw: the backslashes are TeX's, not escape sequences.
  return String.raw`\begin{aligned} P_{\text{liq}} &= E\,\frac{1 - 1/L}{1 - m} \\ &= ${entry} \times \frac{1 - 1/${state.lev}}{1 - ${rate}} \\ &= ${texNumber(formatDecimal(result, 2))} \end{aligned}`;
}
