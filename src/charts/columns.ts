/**
 * Geometry of stacked columns: one SVG path per layer, each column a rectangle sub-path. A chart of a
 * hundred columns in three layers is then three <path> elements, not three hundred <rect>s, so a redraw
 * on every slider step stays cheap for the browser and the DOM stays small. Knows no finance.
 */

export interface Column {
  /** The column spans x0 … x1 in data units. */
  x0: number;
  x1: number;
  /** One value per layer, stacked from the baseline up; negative or non-finite values count as zero. */
  values: readonly number[];
}

const round = (value: number) => {
  const r = Math.round(value * 100) / 100;
  return r === 0 ? 0 : r;
};

/**
 * The path of each layer: for every column with something in that layer, a closed rectangle from the top
 * of the layers below it to the top of its own. `x` and `y` map data to pixels; `gap` (pixels) is taken off
 * each side of a column so neighbours stay apart, but a column is never drawn narrower than one pixel.
 */
export function stackedColumnPaths(
  columns: readonly Column[],
  layerCount: number,
  x: (value: number) => number,
  y: (value: number) => number,
  gap = 0.5,
): string[] {
  const out = new Array<string>(layerCount).fill('');
  for (const column of columns) {
    let left = x(column.x0);
    let right = x(column.x1);
    if (right < left) [left, right] = [right, left];
    if (right - left > 2 * gap + 1) {
      left += gap;
      right -= gap;
    }
    let base = 0;
    for (let layer = 0; layer < layerCount; layer++) {
      const raw = column.values[layer] ?? 0;
      const value = Number.isFinite(raw) && raw > 0 ? raw : 0;
      if (value === 0) continue;
      const bottom = y(base);
      base += value;
      const top = y(base);
      out[layer] += `M${round(left)},${round(bottom)}H${round(right)}V${round(top)}H${round(left)}Z`;
    }
  }
  return out;
}

/** The tallest stack, for a y domain that stays put while the layers inside the columns change. */
export function tallestStack(columns: readonly Column[]): number {
  let most = 0;
  for (const column of columns) {
    let sum = 0;
    for (const value of column.values) if (Number.isFinite(value) && value > 0) sum += value;
    if (sum > most) most = sum;
  }
  return most;
}
