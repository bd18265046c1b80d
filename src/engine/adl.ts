/**
 * Auto-deleveraging (ADL) ranking: which opposite positions a venue closes when a bankrupt position's loss is
 * more than the insurance fund holds.
 *
 * 'bybit' (the default), as Bybit and BitMEX publish it, per side of the market:
 *     ranking = PnL% × effective leverage     when PnL% > 0
 *     ranking = PnL% ÷ effective leverage     otherwise
 *     PnL% = (mark value − entry value) ÷ |entry value|      effective leverage = |mark value| ÷ (mark value − bankrupt value)
 *   For a linear isolated position mark value − bankrupt value is its equity (margin + unrealized PnL), so the
 *   effective leverage is notional at the mark ÷ equity; a cross account's is the same with its wallet.
 *   Sources: Bybit, "What is Auto-Deleveraging (ADL)?", https://help.bybit.com/hc/en-us/articles/900000031623-What-is-Auto-Deleveraging-ADL-
 *   ("derived in order of highest profit and effective leverage use"; "deleveraged at the bankruptcy price of the
 *   liquidated order"); the formula as published in the same words by Poloniex's futures help, "Auto-Deleveraging
 *   System (ADL)", https://support.poloniex.com/hc/en-us/articles/6670657448215-Auto-Deleveraging-System-ADL .
 * 'binance': Binance's "LeveragePnL",
 *     ranking = max(0, unrealized PnL) ÷ max(1, wallet balance) × maintenance margin ÷ (wallet balance + unrealized PnL)
 *   Source: Binance, "What Is Auto-Deleveraging (ADL) and How Does It Work",
 *   https://www.binance.com/en/support/faq/360033525471 ("unrealized PnL/collateral multiplied by the margin
 *   ratio"; the formula as quoted from that page at https://dev.binance.vision/t/how-to-caculating-leverage-pnl-quantile/17801).
 *   The 1 in max(1, …) is one unit of the margin currency (1 USDT). A position without profit ranks 0: after
 *   the profitable ones, in creation order.
 * Venues show the ranking as a quantile (five lights); the order underneath is the ranking itself, used here.
 *
 * Scores are exact rationals of the population's integers (no rounding decides an order): ties, exact, go by
 * position index. Comparisons use a float estimate when it is decisive and cross-multiplied bigints when not.
 */
import { EPS } from './exact.ts';

export type AdlRanking = 'bybit' | 'binance';
export const ADL_RANKINGS: readonly AdlRanking[] = ['bybit', 'binance'];

/** An exact score num/den (den > 0) with a float estimate, for one position. */
export interface AdlScore {
  num: bigint;
  den: bigint;
  approx: number;
  index: number;
}

/**
 * The score of a position (s = +1 long, −1 short) at mark p, all on one grid: quantity q, entry e and mark p
 * as integers, balance b and maintenance amount c in money units, q·p·K the notional in money units, maintenance
 * rate mm/rateScale (rateScale = 10^dm), and `one` = one unit of the margin currency in money units (10^dw). Equity must be positive
 * (every position still open is above its liquidation price, so it is).
 */
export function adlScore(
  ranking: AdlRanking,
  s: 1 | -1,
  q: bigint,
  e: bigint,
  b: bigint,
  c: bigint,
  mm: bigint,
  p: bigint,
  K: bigint,
  rateScale: bigint,
  one: bigint,
  index: number,
): AdlScore {
  const pnl = BigInt(s) * K * q * (p - e);
  const equity = b + pnl;
  const notional = K * q * p;
  let num: bigint;
  let den: bigint;
  if (ranking === 'bybit') {
    const entryValue = K * q * e;
    if (pnl > 0n) {
      num = pnl * notional;
      den = entryValue * equity;
    } else {
      num = pnl * equity;
      den = entryValue * notional;
    }
  } else {
    // max(0, pnl)/max(one, b) × (notional·mm/10^dm − c)/(b + pnl)
    num = (pnl > 0n ? pnl : 0n) * (notional * mm - c * rateScale);
    den = (b > one ? b : one) * equity * rateScale;
  }
  if (den <= 0n) {
    // Equity at or below zero: the position is itself bankrupt; it cannot absorb anything. Rank it last.
    return { num: -1n, den: 0n, approx: Number.NEGATIVE_INFINITY, index };
  }
  return { num, den, approx: Number(num) / Number(den), index };
}

/** Sorts best-ranked first: higher score, then lower index. Exact. */
export function compareAdl(a: AdlScore, b: AdlScore): number {
  if (a.den === 0n || b.den === 0n) {
    if (a.den === 0n && b.den === 0n) return a.index - b.index;
    return a.den === 0n ? 1 : -1;
  }
  const fa = a.approx;
  const fb = b.approx;
  // Each estimate is within 3 roundings of its rational: decisive when they differ by more than that.
  if (Number.isFinite(fa) && Number.isFinite(fb) && Math.abs(fa - fb) > (Math.abs(fa) + Math.abs(fb)) * 8 * EPS) {
    return fa > fb ? -1 : 1;
  }
  const left = a.num * b.den;
  const right = b.num * a.den;
  if (left !== right) return left > right ? -1 : 1;
  return a.index - b.index;
}
