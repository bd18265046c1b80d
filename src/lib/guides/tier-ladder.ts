/**
 * Every figure and link in the tier ladder's teacher guide (content/guides/tier-ladder.mdx), computed at
 * build time with the widget's own state.ts and model.ts over the venue tables the page hands the widget
 * (loadLadderPresets at build time, the YAML files in tests), so the guide quotes exactly what the widget
 * shows for the state its link opens.
 */
import { formatDecimal, formatPercent, trimZeros } from '../format';
import { ladderView, type LadderView } from '../../widgets/tier-ladder/model';
import type { LadderPreset } from '../../widgets/tier-ladder/presets';
import { readLadderState, writeLadderState, type LadderState } from '../../widgets/tier-ladder/state';

const ID = 'tier-ladder';
/** The venue tables the guide uses, by content/venues file name (the widget's `venue` key). */
export const BINANCE = 'binance-usdm-btcusdt-2025-08-19';
export const BINANCE_2021 = 'binance-usdm-btcusdt-2021-03-18';
export const BYBIT = 'bybit-linear-btcusdt';

export interface LadderStop {
  state: LadderState;
  /** Opens the widget in exactly this state: "/widgets/tier-ladder/?v=2&venue=…". */
  link: string;
  view: LadderView;
}

export function tierLadderGuide(presets: readonly LadderPreset[]) {
  /**
   * The widget's view of a state and the link that opens it. The state is read through the widget's own
   * parser first, so a value it would clamp throws here instead of sending a class to another state.
   */
  const stop = (overrides: Partial<LadderState>): LadderStop => {
    const { state, notes } = readLadderState(presets, new URLSearchParams(overrides as Record<string, string>));
    if (notes.length > 0) throw new Error(`${ID} guide: ${JSON.stringify(overrides)} is not a state the widget opens as written: ${notes.join(' ')}`);
    const preset = presets.find((p) => p.id === state.venue);
    if (!preset) throw new Error(`${ID} guide: no venue table ${state.venue}`);
    return { state, link: `/widgets/${ID}/?${writeLadderState(presets, state)}`, view: ladderView(preset, state) };
  };
  const move = (s: LadderStop) => {
    if (s.view.move === null) throw new Error(`${ID} guide: ${s.link} has no liquidation price`);
    return s.view.move.abs();
  };

  const start = stop({ venue: BINANCE, side: 'long', notional: '100000', lev: '20' });
  const mid = stop({ venue: BINANCE, side: 'long', notional: '500000', lev: '20' });
  const large = stop({ venue: BINANCE, side: 'long', notional: '5000000', lev: '20' });
  const capped = stop({ venue: BINANCE, side: 'long', notional: '5000000', lev: '120' });
  const bybit = stop({ venue: BYBIT, side: 'long', notional: '100000', lev: '20' });

  // Q1: maintenance margin of a 500,000 USDT position: rate × value − maintenance amount.
  const q1 = mid;
  // Q2: the same 10× leverage, a small and a very large position.
  const small10 = stop({ venue: BINANCE, side: 'long', notional: '100000', lev: '10' });
  const q2 = stop({ venue: BINANCE, side: 'long', notional: '20000000', lev: '10' });
  // Q3: the activity's first position on Bybit's table.
  const q3 = bybit;
  if (q3.view.liquidationPrice === null || start.view.liquidationPrice === null) throw new Error(`${ID} guide: no liquidation price`);

  // Going further: the Binance edge case (bracket 2 at entry, bracket 1 at the liquidation price) and two dated tables.
  const edge = stop({ venue: BINANCE, side: 'long', notional: '310000', lev: '10' });
  const old = stop({ venue: BINANCE_2021, side: 'long', notional: '5000000', lev: '20' });

  const brief = (s: LadderStop) => ({
    link: s.link,
    ...s.view.text,
    leverage: `${s.view.leverage.toString()}×`,
    bracketNumber: s.view.bracket.index + 1,
    /** "2 of 12", short enough to keep on one line in prose. */
    bracketOf: `${s.view.bracket.index + 1} of ${s.view.table.length}`,
    /** "300,000 to 800,000 USDT" */
    range: `${formatDecimal(s.view.bracket.floor, 0)} to ${formatDecimal(s.view.bracket.cap, 0)} ${s.view.preset.quote}`,
  });
  return {
    venues: {
      binance: presets.find((p) => p.id === BINANCE)!.label,
      binance2021: presets.find((p) => p.id === BINANCE_2021)!.label,
      bybit: presets.find((p) => p.id === BYBIT)!.label,
      binanceBrackets: start.view.table.length,
    },
    activity: {
      start: brief(start),
      mid: brief(mid),
      large: brief(large),
      capped: { ...brief(capped), note: capped.view.note },
      bybit: brief(bybit),
    },
    q1: {
      ...brief(q1),
      answer: trimZeros(q1.view.maintenanceAtEntry.toFixed(2)),
      /** What the bare rate would ask, without the maintenance amount. */
      rateOnly: `${formatDecimal(q1.view.bracket.maintenanceMarginRate.mul(q1.state.notional), 2)} USDT`,
    },
    q2: {
      ...brief(q2),
      answer: move(q2).mul(100).toFixed(2),
      small: brief(small10),
      /** How much of the small position's room the large one loses. */
      lostShare: formatPercent(move(small10).sub(move(q2)).div(move(small10)), 0),
    },
    q3: {
      ...brief(q3),
      answer: trimZeros(q3.view.liquidationPrice.toFixed(2)),
      binance: start.view.text.liquidation,
      gap: `${formatDecimal(q3.view.liquidationPrice.sub(start.view.liquidationPrice).abs(), 2)} USDT`,
      binanceRate: start.view.text.rate,
    },
    further: {
      edge: { ...brief(edge), liquidationBracket: (edge.view.liquidationBracket?.index ?? edge.view.bracket.index) + 1 },
      old: brief(old),
      now: brief(large),
    },
  };
}
