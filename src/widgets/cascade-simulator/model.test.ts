import { describe, expect, it } from 'vitest';
import { Decimal, bookLevels, liquidationPrice, populationFrom, populationPosition, type Book, type PopulationPositionInput } from '../../engine';
import {
  PRICE,
  attempt,
  bookAt,
  bookColumns,
  buildBook,
  buildPopulation,
  cascadeView,
  compareGuess,
  layoutFor,
  populationColumns,
  positionState,
  predictSummary,
  priceWindow,
  runCascade,
  stats,
  summary,
  tableRows,
  type CascadeView,
} from './model';
import { readCascadeState, type CascadeState } from './state';
import { formatDecimal } from '../../lib/format';

function scenario(query = '') {
  const state = readCascadeState(query).state;
  const population = buildPopulation(state);
  const book = buildBook(state);
  const result = runCascade(population, book, state);
  const view = cascadeView(book, state, result);
  return { state, population, book, result, view };
}

const base = scenario();

describe('the default cascade (the first figure)', () => {
  it('is a 3 % fall that liquidations carry about twice as far, with a volatility spike', () => {
    const { result, view } = base;
    expect(result.shockPrice.toString()).toBe('58200');
    expect(result.stopReason).toBe('fixed-point');
    expect(view.rounds).toBeGreaterThanOrEqual(3);
    const amplification = result.amplification!.toNumber();
    expect(amplification).toBeGreaterThan(1.7);
    expect(amplification).toBeLessThan(2.3);
    // Realized volatility of the path is above the shock's own 3 %.
    expect(result.realizedVolatility.gt('0.03')).toBe(true);
  });

  it('adds up every round to the engine\'s totals at the last step', () => {
    const { result, view } = base;
    const last = view.steps[view.rounds]!;
    expect(view.steps).toHaveLength(result.roundCount + 1);
    expect(last.mark.eq(result.finalPrice)).toBe(true);
    expect(last.positions).toBe(result.positionsLiquidated);
    expect(last.notional.eq(result.totalLiquidatedNotional)).toBe(true);
    expect(last.badDebt.eq(result.badDebt)).toBe(true);
    expect(last.adlNotional.eq(result.adlNotional)).toBe(true);
    expect(last.fund.eq(result.insuranceFund)).toBe(true);
    expect(last.volatility.eq(result.realizedVolatility)).toBe(true);
    expect(last.amplification!.eq(result.amplification!)).toBe(true);
    // Step 0 is the shock alone: nothing liquidated yet, the fund as it started.
    expect(view.steps[0]!.positions).toBe(0);
    expect(view.steps[0]!.fund.toString()).toBe('250000');
    expect(view.steps[0]!.amplification!.toString()).toBe('1');
  });

  it('keeps the lowest mark so far for the longs and the highest for the shorts', () => {
    for (const [k, f] of base.view.steps.entries()) {
      const marks = [PRICE, ...base.view.steps.slice(0, k + 1).map((s) => s.mark)];
      expect(f.low.eq(Decimal.min(...marks))).toBe(true);
      expect(f.high.eq(Decimal.max(...marks))).toBe(true);
    }
  });

  it('writes numbers, never NaN, in the stats, the summary and the table', () => {
    for (let k = 0; k <= base.view.rounds; k++) {
      const texts = [summary(base.view, k), ...stats(base.view, k).map((s) => `${s.value} ${s.note ?? ''}`)];
      for (const text of texts) expect(text).not.toMatch(/NaN|Infinity|undefined|null/);
    }
    // Without the vault its column is empty (and not shown); every other cell is a number.
    for (const row of tableRows(base.view)) {
      expect(row.vault).toBe('');
      for (const [key, cell] of Object.entries(row)) if (key !== 'vault') expect(cell).toMatch(/\d|Shock/);
    }
    expect(summary(base.view, base.view.rounds)).toContain('Fixed point after');
    expect(summary(base.view, base.view.rounds)).toContain(`${base.result.amplification!.toFixed(2)}×`);
  });

  it('keeps the outcome out of the text until the reader has guessed', () => {
    const text = predictSummary(base.view);
    expect(text).toContain('58,200 USDT');
    expect(text).not.toContain(base.result.finalPrice.toFixed(0).replace(/\B(?=(\d{3})+$)/g, ','));
    expect(stats(base.view, 0, true).find((s) => s.label === 'The cascade stops')?.value).toBe('You will see after your guess');
  });
});

describe('positions by state at a step', () => {
  const facts = { mark: new Decimal(56000), low: new Decimal(55000), high: new Decimal(60000) };

  it('liquidated once the mark reached the liquidation price, in warning within 2 % of the mark, safe otherwise', () => {
    expect(positionState('long', new Decimal(55000), facts)).toBe('liquidated');
    expect(positionState('long', new Decimal(57000), facts)).toBe('liquidated');
    // The mark came back up to 56,000 after touching 55,000: a long at 54,999 is 1.79 % below it.
    expect(positionState('long', new Decimal(54999), facts)).toBe('warning');
    expect(positionState('long', new Decimal(54880), facts)).toBe('warning'); // ⌈0.98 × 56,000⌉ = 54,880
    expect(positionState('long', new Decimal(54879), facts)).toBe('safe');
    expect(positionState('short', new Decimal(60000), facts)).toBe('liquidated');
    expect(positionState('short', new Decimal(60001), facts)).toBe('safe');
    expect(positionState('short', new Decimal(57120), { ...facts, high: new Decimal(56500) })).toBe('warning');
    expect(positionState('short', new Decimal(57121), { ...facts, high: new Decimal(56500) })).toBe('safe');
  });

  it('colours the histogram as the engine liquidates, position by position', () => {
    // A small exact market: longs and shorts at several leverages, their liquidation prices from the account engine.
    const positions: PopulationPositionInput[] = [];
    for (const [i, leverage] of [3, 5, 8, 10, 12, 15, 20, 25, 30, 40, 50, 75].entries()) {
      for (const side of ['long', 'short'] as const) {
        const entryPrice = 60000 + (i % 4) * 250 - 375;
        const quantity = (i % 3) + 1;
        const margin = new Decimal(entryPrice).mul(quantity).div(leverage).toDecimalPlaces(2, Decimal.ROUND_UP);
        positions.push({ contract: 'linear', side, entryPrice, leverage, quantity, margin, maintenanceMarginRate: '0.004' });
      }
    }
    const population = populationFrom(positions);
    const state: CascadeState = { ...readCascadeState('').state, depth: '30' };
    const book = buildBook(state);
    const result = runCascade(population, book, state);
    const view = cascadeView(book, state, result);
    const layout = layoutFor(view, population, view.window);
    const w = layout.window;
    expect(result.positionsLiquidated).toBeGreaterThan(0);
    for (let k = 0; k <= view.rounds; k++) {
      const columns = populationColumns(view, layout, population, k);
      const drawn: [number, number, number] = [0, 0, 0];
      for (const c of columns) c.values.forEach((v, layer) => (drawn[layer as 0 | 1 | 2] += v));
      const expected: [number, number, number] = [0, 0, 0];
      for (let i = 0; i < population.size; i++) {
        const p = populationPosition(population, i);
        const lp = liquidationPrice(p.position)!;
        const v = lp.toNumber();
        if (v < w.from || v >= w.to) continue;
        // The map values a long at its bucket's low edge and a short at its high edge.
        const bucket = Math.floor((v - w.from) / w.step);
        const edge = p.side === 'long' ? w.from + bucket * w.step : lp.eq(w.from + bucket * w.step) ? w.from + bucket * w.step : w.from + (bucket + 1) * w.step;
        const layer = ['liquidated', 'warning', 'safe'].indexOf(positionState(p.side, lp, view.steps[k]!)) as 0 | 1 | 2;
        expected[layer] += p.position.quantity.toNumber() * edge;
      }
      for (const layer of [0, 1, 2] as const) expect(drawn[layer]).toBeCloseTo(expected[layer], 6);
    }
    // At the fixed point the positions coloured liquidated are exactly those the engine closed (or holds).
    expect(result.stopReason).toBe('fixed-point');
    let taken = new Decimal(0);
    for (let i = 0; i < population.size; i++) {
      const p = populationPosition(population, i);
      if (positionState(p.side, liquidationPrice(p.position)!, view.steps[view.rounds]!) === 'liquidated') taken = taken.add(p.position.quantity);
    }
    expect(taken.toString()).toBe(result.totalLiquidatedQuantity.add(result.backlogQuantity).toString());
    expect(taken.gt(0)).toBe(true);
  });
});

describe('the order book bars', () => {
  /** Visible BTC the engine lists on a side between two prices. */
  function engineDepth(book: Book, side: 'bids' | 'asks', from: number, to: number): number {
    // Only the levels inside the window: the bars are checked there.
    const levels = Math.ceil(Math.max(Math.abs(book.mid.toNumber() - from), Math.abs(to - book.mid.toNumber()))) + 1;
    return bookLevels(book, side, levels)
      .filter((l) => l.price.toNumber() >= from && l.price.toNumber() < to)
      .reduce((sum, l) => sum + l.quantity.toNumber(), 0);
  }

  function check(view: CascadeView, step: number, book: Book) {
    const layout = layoutFor(view, base.population, view.window);
    const columns = bookAt(view, layout, step);
    const mid = view.books[step]!.mid;
    const resting = (below: boolean) => columns.filter((c) => (below ? c.x1 <= mid : c.x0 >= mid)).reduce((sum, c) => sum + (c.values[0] ?? 0), 0);
    const midBucket = columns.find((c) => c.x0 < mid && c.x1 > mid);
    const { from, to } = layout.window;
    // Buckets wholly below or above the mid hold what the engine's book lists there.
    const bidEdge = midBucket ? midBucket.x0 : mid;
    const askEdge = midBucket ? midBucket.x1 : mid;
    expect(resting(true)).toBeCloseTo(engineDepth(book, 'bids', from, bidEdge), 6);
    expect(resting(false)).toBeCloseTo(engineDepth(book, 'asks', askEdge, to), 6);
  }

  it('draws the untouched book and the book after every round as the engine holds it', () => {
    const { view, result } = base;
    const shifted = result.rounds[0]!.book; // the book the cascade walked (re-centred on the shock)
    expect(view.books[0]!.mid).toBe(58200);
    result.rounds.forEach((round, i) => check(view, i + 1, round.book));
    expect(shifted.bidsConsumed.gt(0)).toBe(true);
  });

  it('splits what is eaten into what stays eaten and what refills before the next round', () => {
    const shape = { kind: 'flat' as const, tick: 1, levels: 1000, unit: 2, total: 2000 };
    const window = { from: 900, to: 1100, step: 50 };
    // Mid 1000: 100 BTC of bids eaten (the 50 levels of 2 from 999 down to 950), a quarter of it comes back next
    // round. The asks start one tick above the mid, so [1000, 1050) holds 49 levels.
    const columns = bookColumns(shape, { mid: 1000, bidsConsumed: 100, asksConsumed: 0, share: 1 }, window, 0.25);
    expect(columns.map((c) => c.values)).toEqual([
      [100, 0, 0],
      [0, 75, 25],
      [98, 0, 0],
      [100, 0, 0],
    ]);
  });
});

describe('predict, then reveal', () => {
  const result = { initialPrice: new Decimal(60000), finalPrice: new Decimal(56451) };

  it('says how far off the guess was, and which way', () => {
    const under = compareGuess(new Decimal(58000), result);
    expect(under.verdict).toBe('further');
    expect(under.gap.toString()).toBe('-1549');
    expect(under.text).toBe('You guessed 58,000 USDT; the cascade ended at 56,451 USDT, 1,549 USDT lower: the spiral went further than you expected.');
    const over = compareGuess(new Decimal(50000), result);
    expect(over.verdict).toBe('shorter');
    expect(over.text).toContain('6,451 USDT higher: the spiral stopped sooner than you expected.');
  });

  it('counts a guess within 0.5 % of the price as a good read', () => {
    expect(compareGuess(new Decimal(56700), result)).toMatchObject({ verdict: 'close' });
    expect(compareGuess(new Decimal(56700), result).text).toContain('249 USDT below it: within 0.5 % of the price');
    expect(compareGuess(new Decimal(56451), result).text).toContain('exactly your guess');
    expect(compareGuess(new Decimal(56752), result).verdict).toBe('further');
  });
});

describe('markets the engine refuses, and edges', () => {
  it('explains zero depth and zero positions in the engine\'s words', () => {
    const depth = attempt(() => buildBook({ book: 'flat', depth: '0' }));
    expect(depth).toEqual({ ok: false, error: 'The engine cannot run this market. Order-book depth: must be greater than 0, got 0: a book with zero depth makes no market.' });
    const sqrt = attempt(() => buildBook({ book: 'sqrt', depth: '0' }));
    expect(sqrt.ok).toBe(false);
    const none = attempt(() => buildPopulation({ mix: 'typical', long: '50', n: '0', seed: '1' }));
    expect(none).toEqual({ ok: false, error: 'The engine cannot run this market. Positions: must be at least 1, got 0: a market with no positions has nothing to liquidate.' });
    expect(() => attempt(() => { throw new TypeError('a bug'); })).toThrow('a bug');
  });

  it('says when a market sell is beyond the book\'s depth', () => {
    const { view, result } = scenario('kind=sell&sell=5000&book=flat');
    expect(result.stopReason).toBe('book-exhausted');
    expect(view.stop).toContain("the shock is beyond the book's depth");
    expect(view.stop).toContain('The bids held 150.000 BTC in all, so 4,850.000 BTC of the sell found no buyer');
    expect(view.stopShort).toBe('Book exhausted by the shock');
    // The whole bid side is eaten after the shock.
    expect(view.books[0]!.bidsConsumed).toBe(150);
    expect(summary(view, 0)).toContain("beyond the book's depth");
  });

  it('stops at the round cap when the engine is slowed to a trickle, and says how many wait', () => {
    const { view, result } = scenario('tp=0.1&move=-6');
    expect(result.stopReason).toBe('round-cap');
    expect(view.stop).toMatch(/^Round cap: the simulation stopped after 100 rounds with [\d,]+ positions still waiting/);
    expect(stats(view, view.rounds).find((s) => s.label === 'Positions liquidated')?.note).toMatch(/waiting$/);
  });

  it('handles a shock of nothing and a rise that squeezes the shorts', () => {
    const flat = scenario('move=0');
    expect(flat.view.rounds).toBe(0);
    expect(flat.view.steps[0]!.amplification).toBeNull();
    expect(stats(flat.view, 0).find((s) => s.label === 'Amplification')?.value).toBe('none (no shock)');
    expect(flat.view.why).toBe('Nothing moved the price, so no liquidation price was crossed.');
    const up = scenario('move=5');
    expect(up.view.direction).toBe('up');
    expect(up.result.finalPrice.gt(up.result.shockPrice)).toBe(true);
    expect(up.view.why).toContain('bought');
    expect(up.view.why).toContain('from the asks');
  });

  it('fits every mark in the chart window, in whole buckets', () => {
    for (const view of [base.view, scenario('move=-12&book=flat&depth=3').view, scenario('move=9').view]) {
      const w = view.window;
      for (const f of view.steps) {
        expect(f.mark.toNumber()).toBeGreaterThan(w.from);
        expect(f.mark.toNumber()).toBeLessThan(w.to);
      }
      expect((w.to - w.from) / w.step).toBeLessThanOrEqual(90);
      expect(Number.isInteger((w.to - w.from) / w.step)).toBe(true);
    }
    expect(priceWindow(PRICE, [PRICE])).toEqual({ from: 57000, to: 63000, step: 100 });
  });
});

describe('the liquidity vault as backstop', () => {
  // The same 250,000 USDT of protection, and the same 6 % shock: as an insurance fund, or as a vault's capital.
  const fund = scenario('move=-6&fund=250000');
  const vault = scenario('move=-6&fund=0&backstop=vault&vault=250000&maker=20');

  it("carries the engine's vault totals to the last step", () => {
    const { result, view } = vault;
    const last = view.steps[view.rounds]!.vault!;
    expect(view.steps[0]!.vault!.equity.toString()).toBe('250000');
    expect(last.equity.eq(result.vault!.equity)).toBe(true);
    expect(last.inventory.eq(result.vault!.inventory)).toBe(true);
    expect(last.taken.eq(result.vault!.takeoverQuantity)).toBe(true);
    expect(last.filled.eq(result.vault!.makerQuantity)).toBe(true);
    expect(last.drawdown.eq(result.vault!.maxDrawdown)).toBe(true);
    expect(fund.view.steps[0]!.vault).toBeNull();
  });

  it('keeps the taken-over positions off the book: a smaller fall, no ADL, and the drawdown on the vault', () => {
    expect(vault.result.finalPrice.gt(fund.result.finalPrice)).toBe(true);
    expect(fund.result.adlNotional.gt(0)).toBe(true);
    expect(vault.result.adlNotional.isZero()).toBe(true);
    expect(vault.result.vault!.takeoverQuantity.gt(0)).toBe(true);
    expect(vault.result.vault!.maxDrawdown.gt('0.1')).toBe(true);
    expect(vault.view.why).toContain('never reached the book');
  });

  it('shows the vault in the numbers, the text equivalent and the table', () => {
    const { view } = vault;
    const last = stats(view, view.rounds);
    const equity = last.find((s) => s.label === 'Vault equity')!;
    expect(equity.value).toBe(`${formatDecimal(vault.result.vault!.equity, 0)} USDT`);
    expect(equity.note).toMatch(/^−\d+\.\d\d\u202f%; worst drawdown \d+\.\d\d\u202f%$/);
    expect(last.find((s) => s.label === 'Vault position')!.value).toBe(`${formatDecimal(vault.result.vault!.inventory, 3)} BTC long`);
    expect(summary(view, 0)).not.toContain('vault');
    expect(summary(view, view.rounds)).toContain('The vault has taken over');
    expect(summary(view, view.rounds)).toContain('worst drawdown so far');
    const rows = tableRows(view);
    expect(rows[0]!.vault).toBe('250,000');
    expect(rows.at(-1)!.vault).toBe(formatDecimal(vault.result.vault!.equity, 0));
    expect(stats(fund.view, fund.view.rounds).some((s) => s.label.startsWith('Vault'))).toBe(false);
  });

  it('as maker it buys a share of the forced sales when the fund covers the losses', () => {
    const plain = scenario('move=-3&backstop=vault&vault=1000000&maker=0');
    const maker = scenario('move=-3&backstop=vault&vault=1000000&maker=50');
    expect(plain.result.vault!.makerQuantity.isZero()).toBe(true);
    expect(maker.result.vault!.makerQuantity.gt(0)).toBe(true);
    expect(maker.result.finalPrice.gt(plain.result.finalPrice)).toBe(true);
    expect(summary(maker.view, maker.view.rounds)).toMatch(/bought or sold [\d.,]+ BTC as maker/);
  });
});
