/**
 * A price path drawn by the reader: the 42 funding-time prices after the entry (the entry stays at
 * 60,000), each on the 0.1 USDT tick and between DRAW_MIN and DRAW_MAX, as Decimals.
 *
 * In a link it is `path=1.<code>`: the codec version, a dot, then for each funding time the change from
 * the previous price in ticks (0.1 USDT), zigzag-signed and written as a little-endian varint in URL-safe
 * base64 letters (5 bits a letter, 32 set on every letter but a number's last). A smooth drawn path takes
 * two or three letters a step, so a whole path is about a hundred letters; no float ever touches a price.
 *
 * Reading a link never throws: the text is checked with zod first, then decoded; a path it cannot read
 * gives null and a note, prices out of range are clamped with a note, and a short path holds its last
 * price to the end (with a note). Notes quote the reader's text only as plain text.
 */
import * as z from 'zod/mini';
import { Decimal } from '../../engine';
import { quote } from '../shared/params';
import { ENTRY_PRICE, STEPS, TICK } from './path';

export const PATH_CODEC = '1';
/** Drawn prices stay within half the entry price either way, as the random walk's per-step cap. */
export const DRAW_MIN = new Decimal('30000');
export const DRAW_MAX = new Decimal('90000');
/** Change per keyboard step when raising or lowering one funding time's price. */
export const KEY_STEP = new Decimal('100');

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const MORE = 32;
/** Longest code a link may carry: 42 steps of at most 5 letters, with room to spare. */
const MAX_LENGTH = 320;

const pathText = z
  .string()
  .check(z.trim(), z.maxLength(MAX_LENGTH, 'is too long'), z.regex(/^\d{1,3}\.[A-Za-z0-9_-]*$/, 'is not a drawn path'));

const ticksOf = (price: Decimal) => price.div(TICK).round().toNumber();
const priceOf = (ticks: number) => new Decimal(ticks).mul(TICK);

/** A price on the tick and inside the drawing range. */
export function clampDrawn(price: Decimal): Decimal {
  const onTick = price.toNearest(TICK, Decimal.ROUND_HALF_EVEN);
  return Decimal.min(DRAW_MAX, Decimal.max(DRAW_MIN, onTick));
}

/** Writes prices (index 0: the entry, not written) as `1.<code>`. */
export function encodePath(prices: readonly Decimal[]): string {
  let out = `${PATH_CODEC}.`;
  let previous = ticksOf(prices[0] ?? ENTRY_PRICE);
  for (let i = 1; i <= STEPS; i++) {
    const ticks = ticksOf(prices[i] ?? prices[prices.length - 1] ?? ENTRY_PRICE);
    const delta = ticks - previous;
    previous = ticks;
    let zigzag = delta < 0 ? -2 * delta - 1 : 2 * delta;
    do {
      const low = zigzag % MORE;
      zigzag = Math.floor(zigzag / MORE);
      out += LETTERS[low + (zigzag > 0 ? MORE : 0)];
    } while (zigzag > 0);
  }
  return out;
}

export interface DecodedPath {
  /** Entry plus 42 prices, or null when the text is not a path this version reads. */
  prices: Decimal[] | null;
  notes: string[];
}

/** Reads `1.<code>` from a link. Never throws. */
export function decodePath(raw: string, label = 'Drawn path'): DecodedPath {
  const checked = pathText.safeParse(raw);
  if (!checked.success) {
    const why = checked.error.issues[0]?.message ?? 'is not a drawn path';
    return { prices: null, notes: [`${label} ${quote(raw)} ${why}; using the random walk.`] };
  }
  const [version, code = ''] = checked.data.split('.');
  if (version !== PATH_CODEC) {
    return { prices: null, notes: [`${label} was written by version ${quote(version ?? '')} of the path format, which this page cannot read; using the random walk.`] };
  }
  const deltas: number[] = [];
  let value = 0;
  let scale = 1;
  for (const letter of code) {
    const digit = LETTERS.indexOf(letter);
    value += (digit % MORE) * scale;
    if (digit >= MORE) {
      scale *= MORE;
      // More than 7 letters for one step is no price change this path can hold.
      if (scale > MORE ** 7) return { prices: null, notes: [`${label} ${quote(raw)} is not a drawn path; using the random walk.`] };
      continue;
    }
    deltas.push(value % 2 === 0 ? value / 2 : -(value + 1) / 2);
    value = 0;
    scale = 1;
  }
  if (scale !== 1) return { prices: null, notes: [`${label} ${quote(raw)} is cut short; using the random walk.`] };
  if (deltas.length === 0) return { prices: null, notes: [`${label} ${quote(raw)} holds no prices; using the random walk.`] };

  const notes: string[] = [];
  if (deltas.length > STEPS) notes.push(`${label} has ${deltas.length} prices; the first ${STEPS} are used.`);
  if (deltas.length < STEPS) notes.push(`${label} has ${deltas.length} of ${STEPS} prices; the last one is held to the end.`);
  const prices: Decimal[] = [ENTRY_PRICE];
  let ticks = ticksOf(ENTRY_PRICE);
  let clamped = 0;
  for (let i = 1; i <= STEPS; i++) {
    // Changes add up from the written (unclamped) price, so the rest of the path keeps its drawn shape.
    if (i <= deltas.length) ticks += deltas[i - 1]!;
    const price = priceOf(ticks);
    const kept = clampDrawn(price);
    if (!kept.eq(price) && i <= deltas.length) clamped += 1;
    prices.push(kept);
  }
  if (clamped > 0) {
    notes.push(
      `${label}: ${clamped === 1 ? '1 price was' : `${clamped} prices were`} outside ${DRAW_MIN.toString()} to ${DRAW_MAX.toString()} USDT and ${clamped === 1 ? 'was' : 'were'} moved to the nearest limit.`,
    );
  }
  return { prices, notes };
}

/** One funding time's price set (on the tick, clamped); the entry (index 0) never moves. */
export function setPrice(prices: readonly Decimal[], index: number, price: Decimal): Decimal[] {
  const out = prices.slice();
  if (index >= 1 && index <= STEPS) out[index] = clampDrawn(price);
  return out;
}

/**
 * A stroke of the pointer from one visited point to the next: every funding time between them (both
 * included) gets the straight-line price between the two, on the tick. Without a previous point (the
 * stroke's first), only `to` is set.
 */
export function drawSegment(
  prices: readonly Decimal[],
  from: { index: number; price: Decimal } | null,
  to: { index: number; price: Decimal },
): Decimal[] {
  const out = prices.slice();
  const end = Math.min(STEPS, Math.max(1, to.index));
  const target = clampDrawn(to.price);
  if (!from || from.index === end) {
    out[end] = target;
    return out;
  }
  const start = Math.min(STEPS, Math.max(1, from.index));
  const origin = clampDrawn(from.price);
  const span = end - start;
  for (let k = start; span > 0 ? k <= end : k >= end; k += span > 0 ? 1 : -1) {
    out[k] = clampDrawn(origin.add(target.sub(origin).mul(k - start).div(span)));
  }
  return out;
}
