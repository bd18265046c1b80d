/**
 * What a widget itself needs to know about its entry in the registry: its title (for the Share snippet)
 * and its embed height. Kept apart from registry.ts, whose longer texts (what each widget teaches, its
 * lesson) only pages use, so the reader's bundle carries these few bytes and not the catalogue.
 *
 * The embed height is the height of the /embed/ page at the narrowest width we support without scrolling
 * inside the frame (checked by tests/browser/embed-size.spec.ts for every widget), so an <iframe> pasted
 * into a course page needs no script to fit. Wider frames have height to spare, which the embed gives to
 * its chart.
 */
export interface WidgetMeta {
  id: string;
  title: string;
  /** Height in CSS px of the /embed/ page at widths from 360 px up. */
  embedHeight: number;
}

export const widgetMetas = [
  { id: 'position-explorer', title: 'Position explorer', embedHeight: 1600 },
  { id: 'tier-ladder', title: 'Tier ladder', embedHeight: 1820 },
  { id: 'cross-vs-isolated', title: 'Cross vs isolated', embedHeight: 2320 },
  { id: 'margin-monitor', title: 'Margin ratio monitor', embedHeight: 2700 },
  { id: 'cascade-simulator', title: 'Cascade simulator', embedHeight: 4080 },
  { id: 'liquidation-map', title: 'Liquidation map', embedHeight: 2860 },
  { id: 'stability-frontier', title: 'Stability frontier', embedHeight: 2300 },
  { id: 'health-factor-explorer', title: 'Health factor explorer', embedHeight: 3100 },
  { id: 'amm-liquidation-spiral', title: 'AMM liquidation spiral', embedHeight: 3800 },
  { id: 'contagion-network', title: 'Contagion network', embedHeight: 2920 },
] as const satisfies readonly WidgetMeta[];

export type WidgetId = (typeof widgetMetas)[number]['id'];

export function widgetMeta(id: WidgetId): WidgetMeta {
  return widgetMetas.find((w) => w.id === id)!;
}
