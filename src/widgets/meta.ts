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
  { id: 'position-explorer', title: 'Position explorer', embedHeight: 1460 },
  { id: 'tier-ladder', title: 'Tier ladder', embedHeight: 1700 },
  { id: 'cross-vs-isolated', title: 'Cross vs isolated', embedHeight: 2190 },
  { id: 'margin-monitor', title: 'Margin ratio monitor', embedHeight: 2580 },
  { id: 'cascade-simulator', title: 'Cascade simulator', embedHeight: 3920 },
  { id: 'liquidation-map', title: 'Liquidation map', embedHeight: 2780 },
  { id: 'stability-frontier', title: 'Stability frontier', embedHeight: 2200 },
  { id: 'health-factor-explorer', title: 'Health factor explorer', embedHeight: 3000 },
  { id: 'amm-liquidation-spiral', title: 'AMM liquidation spiral', embedHeight: 3700 },
  { id: 'contagion-network', title: 'Contagion network', embedHeight: 2840 },
] as const satisfies readonly WidgetMeta[];

export type WidgetId = (typeof widgetMetas)[number]['id'];

export function widgetMeta(id: WidgetId): WidgetMeta {
  return widgetMetas.find((w) => w.id === id)!;
}
