/**
 * Assigns each label a row so that labels on the same row do not overlap: greedy, left to right, as
 * few rows as the data allow (up to `maxRows`, after which the last row is reused).
 */
export function labelRows(items: { x: number; width: number }[], maxRows = 3, gap = 6): number[] {
  const order = items.map((item, index) => ({ ...item, index })).sort((a, b) => a.x - b.x);
  const rowEnds: number[] = [];
  const rows = new Array<number>(items.length).fill(0);
  for (const item of order) {
    const left = item.x - item.width / 2;
    let row = rowEnds.findIndex((end) => end + gap <= left);
    if (row === -1) row = rowEnds.length < maxRows ? rowEnds.length : maxRows - 1;
    rowEnds[row] = item.x + item.width / 2;
    rows[item.index] = row;
  }
  return rows;
}
