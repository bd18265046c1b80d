/**
 * Every figure and link in the position explorer's teacher guide (content/guides/position-explorer.mdx),
 * computed at build time with the widget's own state.ts and model.ts: the guide quotes exactly what the
 * widget shows for the state its link opens.
 */
import { formatDecimal, formatPercent } from '../format';
import { clampMark, openFrame, readAt, type Frame, type Reading } from '../../widgets/position-explorer/model';
import { defaultExplorerState, writeExplorerState, type ExplorerState } from '../../widgets/position-explorer/state';

const ID = 'position-explorer';

export interface ExplorerStop {
  state: ExplorerState;
  /** Opens the widget in exactly this state: "/widgets/position-explorer/?v=2&…". */
  link: string;
  frame: Frame;
  reading: Reading;
}

/**
 * The widget's reading for a state, and the link that opens it. Throws if the widget would not open the
 * state as written (a refused position, or a mark the slider would move), so a guide can never send a
 * class to a state it does not describe.
 */
export function explorerStop(overrides: Partial<ExplorerState>): ExplorerStop {
  const state = defaultExplorerState(overrides);
  const result = openFrame(state);
  if (!result.ok) throw new Error(`${ID} guide: the widget refuses ${JSON.stringify(overrides)}: ${result.message}`);
  if (clampMark(result.frame, state.mark) !== state.mark) {
    throw new Error(`${ID} guide: mark ${state.mark} is not on the slider (it would become ${clampMark(result.frame, state.mark)})`);
  }
  return { state, link: `/widgets/${ID}/?${writeExplorerState(state)}`, frame: result.frame, reading: readAt(result.frame, state.mark) };
}

/** The unsigned move from entry to the liquidation price, as a fraction. */
function moveFraction(stop: ExplorerStop) {
  const lp = stop.reading.metrics.liquidationPrice;
  if (lp === null) throw new Error(`${ID} guide: ${stop.link} has no liquidation price`);
  return lp.sub(stop.frame.position.entryPrice).div(stop.frame.position.entryPrice).abs();
}

/** "9.64": a percentage as the widget's distance readout rounds it, for a predict box. */
const percentPlain = (fraction: ReturnType<typeof moveFraction>, decimals: number) => fraction.mul(100).toFixed(decimals);

export function positionExplorerGuide() {
  const start = explorerStop({});
  const lev20 = explorerStop({ lev: '20' });
  const lev50 = explorerStop({ lev: '50' });
  const short = explorerStop({ side: 'short' });
  const inverse = explorerStop({ contract: 'inverse' });
  const inverseShort = explorerStop({ contract: 'inverse', side: 'short' });

  // Q1: half the margin gone, yet the margin ratio is small: the ratio is hyperbolic in the loss.
  const q1 = explorerStop({ mark: '57000' });
  const q1Ratio = q1.reading.metrics.marginRatio;
  if (q1Ratio === null) throw new Error(`${ID} guide: no margin ratio at ${q1.link}`);
  // Q2: 25×. Q3: 100×, where the maintenance rate eats a large share of the 1 % between entry and bankruptcy.
  const q2 = explorerStop({ lev: '25' });
  const q3 = explorerStop({ lev: '100' });
  const q3Bankruptcy = q3.reading.metrics.bankruptcyPrice!;
  const q3BankruptcyMove = q3Bankruptcy.sub(q3.frame.position.entryPrice).div(q3.frame.position.entryPrice).abs();

  // Going further: a 1× linear long has no liquidation price; a 1× inverse long does (its margin is the coin).
  const linear1x = explorerStop({ lev: '1' });
  const inverse1x = explorerStop({ contract: 'inverse', lev: '1' });
  return {
    further: {
      linear1x: linear1x.link,
      inverse1x: inverse1x.link,
      linear1xLiquidation: linear1x.reading.metrics.liquidationPrice,
      inverse1xLiquidation: inverse1x.reading.metrics.liquidationPrice,
    },
    activity: {
      start: { link: start.link, text: start.reading.text },
      lev20: { link: lev20.link, distance: lev20.reading.text.distance },
      lev50: { link: lev50.link, distance: lev50.reading.text.distance },
      short: { link: short.link, distance: short.reading.text.distance, liquidation: short.reading.text.liquidation },
      inverse: { link: inverse.link, distance: inverse.reading.text.distance, margin: inverse.reading.text.marginPosted },
      inverseShort: { link: inverseShort.link, distance: inverseShort.reading.text.distance },
    },
    q1: {
      link: q1.link,
      mark: q1.reading.text.mark,
      answer: percentPlain(q1Ratio, 1),
      pnl: q1.reading.text.pnl,
      equity: q1.reading.text.equity,
      maintenance: q1.reading.text.maintenance,
      ratio: q1.reading.text.ratio,
      roe: q1.reading.text.roe,
      distance: q1.reading.text.distance,
    },
    q2: {
      link: q2.link,
      answer: percentPlain(moveFraction(q2), 2),
      liquidation: q2.reading.text.liquidation,
      bankruptcy: q2.reading.text.bankruptcy,
      /** What a reader who ignores the maintenance margin expects: 1 ÷ leverage. */
      naive: formatPercent(q2.reading.metrics.initialMargin.div(q2.reading.metrics.notional), 0),
    },
    q3: {
      link: q3.link,
      answer: percentPlain(moveFraction(q3), 2),
      liquidation: q3.reading.text.liquidation,
      bankruptcy: q3.reading.text.bankruptcy,
      bankruptcyMove: formatPercent(q3BankruptcyMove, 2),
      /** The part of the road to bankruptcy that the maintenance margin takes away. */
      eaten: formatPercent(q3BankruptcyMove.sub(moveFraction(q3)).div(q3BankruptcyMove), 0),
      maintenanceAtEntry: formatDecimal(q3.reading.metrics.maintenanceMargin, 2),
      margin: q3.reading.text.marginPosted,
    },
  };
}
