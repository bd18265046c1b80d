/**
 * Every widget the site offers, as instructors and the gallery see it. The embed height is the height of
 * the /embed/ page at the narrowest width we support without scrolling inside the frame (checked by the
 * browser tests), so an <iframe> pasted into a course page needs no script to fit. Wider frames have height
 * to spare, which the embed gives to its chart.
 */
export interface WidgetInfo {
  id: string;
  title: string;
  /** One sentence: what the reader can do with it. */
  teaches: string;
  /** Where it is taught; null while its lesson is still to be written (the gallery says so). */
  lesson: { href: string; title: string } | null;
  /** Height in CSS px of the /embed/ page at widths from 360 px up. */
  embedHeight: number;
}

export const widgets: readonly WidgetInfo[] = [
  {
    id: 'position-explorer',
    title: 'Position explorer',
    teaches:
      'Open one leveraged position, drag the mark price and watch equity fall toward the maintenance margin until the liquidation engine takes over.',
    lesson: { href: '/learn/margin-pressure/#position-explorer', title: 'What is margin pressure?' },
    embedHeight: 1340,
  },
  {
    id: 'tier-ladder',
    title: 'Tier ladder',
    teaches:
      "Drag a position's size through a venue's risk brackets and watch the maintenance rate step up, the allowed leverage step down and the liquidation price move.",
    lesson: { href: '/learn/maintenance-margin/', title: 'Maintenance margin and risk tiers' },
    embedHeight: 1560,
  },
  {
    id: 'cross-vs-isolated',
    title: 'Cross vs isolated',
    teaches:
      'Hold the same two positions in isolated and in cross margin; drag one market and watch cross margin borrow from the other position until it takes the whole account down.',
    lesson: { href: '/learn/cross-margin-architecture/', title: 'Cross-margin accounts and margin allocation' },
    embedHeight: 1940,
  },
  {
    id: 'margin-monitor',
    title: 'Margin ratio monitor',
    teaches:
      'Replay a position over days of price moves, funding and fees; set an alert level and a top-up or reduce rule, and see whether it would have saved the position.',
    lesson: { href: '/learn/margin-ratio-monitoring/', title: 'Margin ratio and margin utilization monitoring' },
    embedHeight: 2490,
  },
];

export function widgetInfo(id: string): WidgetInfo {
  const found = widgets.find((w) => w.id === id);
  if (!found) throw new Error(`No widget called ${id}`);
  return found;
}
