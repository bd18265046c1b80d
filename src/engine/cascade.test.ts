/**
 * The liquidation cascade (cascade.ts): the canonical linear closed form, agreement to the last digit with the
 * position-by-position computation (cascade-reference.ts), conservation of money, determinism, and how it stops.
 *
 * The closed form (cascade-models.md §0.3, §4.2). A flat book with d per tick has impact λ = tick/d per unit sold.
 * Put one long of quantity a at every tick below the price (liquidation prices P0 − j·tick, j = 1 … J): a
 * liquidation density ρ = a/tick per unit of price. Each tick of fall liquidates a, which moves the price a/d
 * ticks further: r = λρ = a/d. With a shock of s ticks, the continuous cascade moves y_k = s·(1 + r + … + r^k)
 * = s·(1 − r^(k+1))/(1 − r) ticks after k rounds, and s/(1 − r) in the end when r < 1; for r ≥ 1 it runs until
 * the density ends (all J positions liquidated, a total move of s + r·J ticks).
 * The simulator is discrete: the book is eaten in whole levels, so after round k the move is exactly
 *     x_k = s + ⌈a·min(x_{k−1}, J)/d⌉,   x_0 = s
 * (the positions with j ≤ x_{k−1} have been sold, a·min(x_{k−1}, J) in all, and the last level touched is the
 * ⌈that/d⌉-th below the shifted mid). Tolerance against the continuous form, proved: with e_k = x_k − y_k,
 *     e_k = r·e_{k−1} + (⌈r·x_{k−1}⌉ − r·x_{k−1}) ∈ [r·e_{k−1}, r·e_{k−1} + 1),  e_0 = 0,
 * so 0 ≤ e_k < 1 + r + … + r^(k−1) = (1 − r^k)/(1 − r) ticks (while the density has not ended), and the fixed
 * point x* of the rounds satisfies s/(1 − r) ≤ x* < (s + 1)/(1 − r). The tests check the exact discrete sequence
 * and these bounds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { bookFromSnapshot, flatBook, sqrtBook, type Book } from './book.ts';
import { createPopulation, populationFrom, type PopulationPositionInput } from './population.ts';
import { simulateCascade, type CascadeOptions, type CascadeResult, type CascadeShock } from './cascade.ts';
import { simulateCascadePerPosition } from './cascade-reference.ts';

const D = (x: string | number) => new Decimal(x);
const runs = (n: number) => ({ numRuns: Number(process.env['PROPERTY_RUNS'] ?? n) });

function engineError(fn: () => unknown): EngineInputError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(EngineInputError);
    return error as EngineInputError;
  }
  throw new Error('expected an EngineInputError');
}

/** JSON of a result (books print their summary), for exact comparison; never contains NaN or Infinity. */
function json(result: CascadeResult): string {
  const text = JSON.stringify(result);
  expect(text).not.toMatch(/NaN|Infinity/);
  return text;
}

// ---------------------------------------------------------------------------------------------------------
// The canonical linear case
// ---------------------------------------------------------------------------------------------------------

/**
 * J positions of quantity a whose liquidation prices are one tick apart, starting one tick from P0: longs below,
 * shorts above. Margins are solved from the liquidation price (LP = (QE ∓ B)/(Q(1 ∓ m)) with E = P0); a rate of 0.5
 * puts every bankruptcy price far away, so no fill ever reaches one (the closed form is about prices).
 */
function ladder(side: 'long' | 'short', P0: number, tick: number, a: string, J: number): PopulationPositionInput[] {
  const m = D('0.5');
  const out: PopulationPositionInput[] = [];
  for (let j = 1; j <= J; j++) {
    const lp = D(P0).add(D(tick).mul(side === 'long' ? -j : j));
    const qe = D(a).mul(P0);
    const margin = side === 'long' ? qe.sub(lp.mul(a).mul(D(1).sub(m))) : lp.mul(a).mul(D(1).add(m)).sub(qe);
    out.push({ contract: 'linear', side, entryPrice: P0, quantity: a, margin, maintenanceMarginRate: m });
  }
  return out;
}

/** The exact discrete sequence x_1, x_2, … (ticks from P0) for a shock of s ticks; a and d in the same units. */
function discreteMoves(s: number, a: number, d: number, J: number): number[] {
  const moves: number[] = [];
  let x = s;
  let triggered = 0;
  for (;;) {
    const t = Math.min(x, J);
    if (t === triggered) return moves;
    triggered = t;
    x = s + Math.ceil((a * triggered) / d - 1e-12); // a·t/d is a ratio of small integers: exact enough to ceil
    moves.push(x);
  }
}

describe('the canonical linear cascade (flat depth, uniform liquidation density)', () => {
  const P0 = 10000;

  it('cascade-models.md §4.2: r = 0.5 turns a 2 % shock into 4 %, rounds 3 %, 3.5 %, 3.75 %, … (to the tick)', () => {
    const population = populationFrom(ladder('long', P0, 1, '1', 1000));
    const book = flatBook({ mid: P0, tick: 1, quantityPerTick: 2, levels: 5000 });
    const result = simulateCascade(population, book, { markPrice: 9800 });
    expect(result.rounds.map((r) => P0 - r.price.toNumber())).toEqual([300, 350, 375, 388, 394, 397, 399, 400, 400]);
    expect(result.finalPrice.toString()).toBe('9600');
    expect(result.amplification?.toString()).toBe('2'); // 1 / (1 − r)
    expect(result.stopReason).toBe('fixed-point');
    expect(result.totalLiquidatedQuantity.toString()).toBe('400'); // g·x*: every position down to 9600
    expect(result.badDebt.isZero()).toBe(true);
  });

  it('r = 1/2 with s = 8 reaches s/(1 − r) = 16 ticks exactly: 12, 14, 15, 16, 16', () => {
    const population = populationFrom(ladder('long', P0, 1, '1', 100));
    const result = simulateCascade(population, flatBook({ mid: P0, tick: 1, quantityPerTick: 2, levels: 1000 }), { markPrice: P0 - 8 });
    expect(result.rounds.map((r) => P0 - r.price.toNumber())).toEqual([12, 14, 15, 16, 16]);
    expect(result.amplification?.toString()).toBe('2');
  });

  it('for any r < 1: the exact discrete sequence, within the proved band of the geometric series', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 40 }), // s, ticks
        fc.integer({ min: 1, max: 9 }), // a, lots
        fc.integer({ min: 2, max: 12 }), // d, lots per tick
        (s, a, d) => {
          fc.pre(a < d);
          const J = 2 * Math.ceil((s + 1) / (1 - a / d)) + 10; // the density outlasts the cascade
          const population = populationFrom(ladder('long', P0, 1, `${a / 100}`, J));
          const book = flatBook({ mid: P0, tick: 1, quantityPerTick: `${d / 100}`, levels: 4 * J });
          const result = simulateCascade(population, book, { markPrice: P0 - s });
          const moves = result.rounds.map((r) => P0 - r.price.toNumber());
          expect(moves).toEqual(discreteMoves(s, a, d, J));
          // The bounds as exact rationals (r = a/d): x_k·d^k·(d − a) against s·(d^(k+1) − a^(k+1)), the band d·(d^k − a^k).
          const [A, Dn, S] = [BigInt(a), BigInt(d), BigInt(s)];
          moves.forEach((x, i) => {
            const k = BigInt(i + 1);
            const left = BigInt(x) * Dn ** k * (Dn - A);
            const y = S * (Dn ** (k + 1n) - A ** (k + 1n));
            expect(left >= y).toBe(true);
            expect(left < y + Dn * (Dn ** k - A ** k)).toBe(true);
          });
          const fixed = result.totalMove.toNumber();
          expect(BigInt(fixed) * (Dn - A) >= S * Dn).toBe(true); // x* ≥ s/(1 − r)
          expect(BigInt(fixed) * (Dn - A) < (S + 1n) * Dn).toBe(true); // x* < (s + 1)/(1 − r)
          expect(result.amplification!.eq(D(fixed).div(s))).toBe(true);
        },
      ),
      runs(60),
    );
  });

  it('for r ≥ 1 the cascade runs until the liquidation density ends: all J go, a move of s + ⌈rJ⌉ ticks', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 6 }), fc.integer({ min: 0, max: 4 }), fc.integer({ min: 5, max: 60 }), (s, d, extra, J) => {
        const a = d + extra; // r = a/d ≥ 1
        const population = populationFrom(ladder('long', P0, 1, `${a / 100}`, J));
        const book = flatBook({ mid: P0, tick: 1, quantityPerTick: `${d / 100}`, levels: 3000 });
        const result = simulateCascade(population, book, { markPrice: P0 - s });
        expect(result.positionsLiquidated).toBe(Math.max(J, 0));
        expect(result.totalMove.toNumber()).toBe(s + Math.ceil((a * J) / d - 1e-12));
        expect(result.rounds.map((r) => P0 - r.price.toNumber())).toEqual(discreteMoves(s, a, d, J));
      }),
      runs(40),
    );
  });

  it('a market sell as the shock: x_0 = ⌈S/d⌉ and x_k = ⌈(S + a·min(x_{k−1}, J))/d⌉', () => {
    const population = populationFrom(ladder('long', P0, 1, '0.03', 500));
    const book = flatBook({ mid: P0, tick: 1, quantityPerTick: '0.05', levels: 4000 });
    const result = simulateCascade(population, book, { sellQuantity: '1' }); // 20 levels
    expect(result.exogenousMove.toString()).toBe('20');
    let x = 20;
    let triggered = 0;
    const expected: number[] = [];
    for (;;) {
      const t = Math.min(x, 500);
      if (t === triggered) break;
      triggered = t;
      x = Math.ceil((100 + 3 * triggered) / 5 - 1e-12);
      expected.push(x);
    }
    expect(result.rounds.map((r) => P0 - r.price.toNumber())).toEqual(expected);
    // Continuous: (S/d)/(1 − r) = 20/(1 − 0.6) = 50 ticks; the discrete fixed point is within (S/d + 1)/(1 − r).
    expect(x).toBeGreaterThanOrEqual(50);
    expect(x).toBeLessThan(52.5);
  });

  it('shorts squeeze upward the same way (mirror image)', () => {
    const down = simulateCascade(populationFrom(ladder('long', P0, 1, '1', 300)), flatBook({ mid: P0, tick: 1, quantityPerTick: 3, levels: 2000 }), { markPrice: P0 - 30 });
    const up = simulateCascade(populationFrom(ladder('short', P0, 1, '1', 300)), flatBook({ mid: P0, tick: 1, quantityPerTick: 3, levels: 2000 }), { markPrice: P0 + 30 });
    expect(up.rounds.map((r) => r.price.toNumber() - P0)).toEqual(down.rounds.map((r) => P0 - r.price.toNumber()));
    expect(up.amplification!.eq(down.amplification!)).toBe(true);
    expect(up.liquidatedShortQuantity.eq(down.liquidatedLongQuantity)).toBe(true);
    expect(up.rounds.every((r) => r.sellPrice === null && r.buyPrice !== null)).toBe(true);
  });

  it('square-root depth: each round moves ⌈√(cumulative/a)⌉ ticks, so a small shock is amplified most (§4.3)', () => {
    const population = populationFrom(ladder('long', P0, 1, '0.5', 2000));
    const book = sqrtBook({ mid: P0, tick: 1, firstLevelQuantity: '0.5', levels: 3000 });
    for (const s of [5, 50]) {
      const result = simulateCascade(population, book, { markPrice: P0 - s });
      let x = s;
      let triggered = 0;
      for (;;) {
        const t = Math.min(x, 2000);
        if (t === triggered) break;
        triggered = t;
        x = s + Math.ceil(Math.sqrt(triggered) - 1e-12); // cumulative a·t over first level a: √t levels
      }
      expect(result.totalMove.toNumber()).toBe(x);
    }
    const small = simulateCascade(population, book, { markPrice: P0 - 5 }).amplification!;
    const large = simulateCascade(population, book, { markPrice: P0 - 50 }).amplification!;
    expect(small.gt(large)).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Aggregated = position by position, to the last digit
// ---------------------------------------------------------------------------------------------------------

const leverages = [1, 2, 3, 5, 10, 20, 25, 50, 50, 100] as const;

const positionArb: fc.Arbitrary<PopulationPositionInput> = fc
  .record({
    side: fc.constantFrom('long' as const, 'short' as const),
    entryTicks: fc.integer({ min: -120, max: 120 }),
    lots: fc.integer({ min: 1, max: 400 }),
    leverage: fc.constantFrom(...leverages),
    mmrUnits: fc.constantFrom(0, 25, 40, 50, 50, 100, 125),
    amountCents: fc.constantFrom(0, 0, 0, 150),
    cross: fc.boolean(),
    extraCents: fc.integer({ min: 0, max: 50_000 }),
  })
  .filter(({ leverage, mmrUnits }) => leverage * mmrUnits < 10_000)
  .map(({ side, entryTicks, lots, leverage, mmrUnits, amountCents, cross, extraCents }) => {
    const entryPrice = D(1000).add(D(entryTicks).div(2)); // tick 0.5
    const quantity = D(lots).div(100);
    const margin = quantity.mul(entryPrice).div(leverage).toDecimalPlaces(2, Decimal.ROUND_UP);
    const base = {
      contract: 'linear' as const,
      side,
      entryPrice,
      quantity,
      leverage,
      maintenanceMarginRate: D(mmrUnits).div(10_000),
      maintenanceAmount: D(amountCents).div(100),
    };
    return cross
      ? { ...base, marginMode: 'cross' as const, walletBalance: margin.add(D(extraCents).div(100)) }
      : { ...base, margin };
  });

const bookArb: fc.Arbitrary<Book> = fc.oneof(
  fc.record({ q: fc.integer({ min: 1, max: 300 }), levels: fc.integer({ min: 5, max: 400 }) }).map(({ q, levels }) =>
    flatBook({ mid: 1000, tick: '0.5', quantityPerTick: D(q).div(100), levels }),
  ),
  fc.record({ q: fc.integer({ min: 1, max: 100 }), levels: fc.integer({ min: 5, max: 400 }) }).map(({ q, levels }) =>
    sqrtBook({ mid: 1000, tick: '0.5', firstLevelQuantity: D(q).div(100), levels }),
  ),
  fc
    .record({
      bids: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 6 }), q: fc.integer({ min: 1, max: 500 }) }), { minLength: 1, maxLength: 60 }),
      asks: fc.array(fc.record({ gap: fc.integer({ min: 1, max: 6 }), q: fc.integer({ min: 1, max: 500 }) }), { minLength: 1, maxLength: 60 }),
    })
    .map(({ bids, asks }) => {
      let bid = D(1000);
      let ask = D(1000);
      return bookFromSnapshot({
        bids: bids.map(({ gap, q }) => ((bid = bid.sub(D(gap).div(4))), [bid, D(q).div(100)] as const)),
        asks: asks.map(({ gap, q }) => ((ask = ask.add(D(gap).div(4))), [ask, D(q).div(100)] as const)),
      });
    }),
);

const shockArb: fc.Arbitrary<CascadeShock> = fc.oneof(
  fc.integer({ min: -200, max: 200 }).map((k) => ({ markPrice: D(1000).add(D(k).div(2)) })),
  fc.integer({ min: 1, max: 3000 }).map((q) => ({ sellQuantity: D(q).div(100) })),
  fc.integer({ min: 1, max: 3000 }).map((q) => ({ buyQuantity: D(q).div(100) })),
);

const fundOptionsArb = fc.record({
  resilience: fc.constantFrom('0', '0.25', '0.5', '1'),
  maxRounds: fc.constantFrom(1, 2, 5, 200),
  throughputPerRound: fc.constantFrom(null, null, '0.05', '0.5', '2', '10'),
  liquidationFeeRate: fc.constantFrom('0', '0.001', '0.005', '0.0125'),
  feeToInsuranceFund: fc.boolean(),
  insuranceFund: fc.constantFrom('0', '0.01', '3.5', '50', '1000'),
  autoDeleveraging: fc.constantFrom(true, true, false),
  adlRanking: fc.constantFrom('bybit' as const, 'binance' as const),
  withdrawalSensitivity: fc.constantFrom('0', '0', '3', '20'),
  details: fc.constant(true),
});

/** About half the runs put a liquidity vault behind the fund: from too small to take anything to ample, quoting or not. */
const vaultArb = fc.option(
  fc.record({
    capital: fc.constantFrom('0.01', '5', '40.5', '300', '100000'),
    makerShare: fc.constantFrom(undefined, '0', '0.1', '0.25', '0.5', '0.9'),
  }),
  { freq: 2 },
);

const optionsArb: fc.Arbitrary<CascadeOptions> = fc
  .tuple(fundOptionsArb, vaultArb)
  .map(([options, vault]): CascadeOptions => {
    if (vault === null) return options;
    const { capital, makerShare } = vault;
    return { ...options, backstop: 'vault', vault: makerShare === undefined ? { capital } : { capital, makerShare } };
  });

describe('aggregated cascade = the same cascade position by position (account engine)', () => {
  it('to the last digit, for every book, shock and option (and money is conserved)', () => {
    fc.assert(
      fc.property(fc.array(positionArb, { minLength: 1, maxLength: 24 }), bookArb, shockArb, optionsArb, (positions, book, shock, options) => {
        const population = populationFrom(positions);
        const fast = simulateCascade(population, book, shock, options);
        const slow = simulateCascadePerPosition(population, book, shock, options);
        expect(json(fast)).toBe(json(slow));
        expectConserved(fast, options);
      }),
      runs(250),
    );
  }, 120_000);

  it('on generated populations too (heavy tails, cross accounts, several leverages)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 20, max: 120 }),
        fc.integer({ min: -800, max: 800 }),
        optionsArb,
        (seed, count, shockTicks, options) => {
          const population = createPopulation(
            { count, price: 1000, tick: '0.5', lot: '0.01', entrySpread: '0.05', size: { distribution: 'pareto', minimumNotional: 50, alpha: '1.3', maximumNotional: 50_000 } },
            seed,
          );
          const book = flatBook({ mid: 1000, tick: '0.5', quantityPerTick: '0.4', levels: 1000 });
          const shock = { markPrice: D(1000).add(D(shockTicks).div(2)) };
          const fast = simulateCascade(population, book, shock, options);
          expect(json(fast)).toBe(json(simulateCascadePerPosition(population, book, shock, options)));
          expectConserved(fast, options);
        },
      ),
      runs(40),
    );
  }, 120_000);
});

/**
 * The ledger: for the positions closed, stake + realized PnL = fees + fund change + bad debt (exactly: the
 * balance is 0); the fund never goes negative and moves by its changes (plus fees when they go to it); bad debt is
 * never positive, fees never negative; the rounds add up to the totals.
 */
function expectConserved(result: CascadeResult, options: CascadeOptions): void {
  expect(result.ledger.balance.isZero()).toBe(true);
  const takeover = result.ledger.vaultTakeover ?? D(0);
  expect(result.ledger.stake.add(result.ledger.realizedPnl).eq(result.ledger.fees.add(result.ledger.insuranceFundChange).add(result.ledger.badDebt).add(takeover))).toBe(true);
  expect(result.vault === undefined).toBe(options.backstop !== 'vault');
  if (result.vault !== undefined) expectVaultConsistent(result, options);
  const start = D(options.insuranceFund === undefined ? 0 : options.insuranceFund.toString());
  const toFund = options.feeToInsuranceFund !== false;
  let fund = start;
  let quantity = D(0);
  for (const round of result.rounds) {
    fund = fund.add(round.insuranceFundChange).add(toFund ? round.fees : 0);
    expect(round.insuranceFund.eq(fund)).toBe(true);
    expect(round.insuranceFund.gte(0)).toBe(true);
    expect(round.badDebt.lte(0)).toBe(true);
    expect(round.fees.gte(0)).toBe(true);
    quantity = quantity.add(round.liquidatedQuantity);
  }
  expect(result.insuranceFund.eq(fund)).toBe(true);
  expect(result.insuranceFundChange.eq(fund.sub(start))).toBe(true);
  expect(result.totalLiquidatedQuantity.eq(quantity)).toBe(true);
  expect(result.totalLiquidatedQuantity.eq(result.liquidatedLongQuantity.add(result.liquidatedShortQuantity))).toBe(true);
}

/**
 * The vault's numbers against each other: equity = capital + Σ round PnL; inventory = Σ signed (takeover + maker)
 * quantity, longs taken or bought positive; drawdown from the rounds' equities; the totals from the rounds.
 */
function expectVaultConsistent(result: CascadeResult, options: CascadeOptions): void {
  const vault = result.vault!;
  const capital = D(options.vault!.capital.toString());
  let equity = capital;
  let peak = capital;
  let drawdown = D(0);
  let inventory = D(0);
  let takeover = D(0);
  let maker = D(0);
  for (const round of result.rounds) {
    equity = equity.add(round.vaultPnl!);
    expect(round.vaultEquity!.eq(equity)).toBe(true);
    // What the vault took or filled was closed by the engine this round.
    expect(round.vaultTakeoverQuantity!.add(round.vaultMakerQuantity!).lte(round.liquidatedQuantity)).toBe(true);
    takeover = takeover.add(round.vaultTakeoverQuantity!);
    maker = maker.add(round.vaultMakerQuantity!);
    peak = Decimal.max(peak, equity);
    drawdown = Decimal.max(drawdown, peak.sub(equity));
    inventory = round.vaultInventory!;
  }
  expect(vault.equity.eq(equity)).toBe(true);
  expect(vault.pnl.eq(equity.sub(capital))).toBe(true);
  expect(vault.maxDrawdown.eq(drawdown.div(capital))).toBe(true);
  expect(vault.inventory.eq(inventory)).toBe(true);
  expect(vault.takeoverQuantity.eq(takeover)).toBe(true);
  expect(vault.makerQuantity.eq(maker)).toBe(true);
  expect(vault.inventory.abs().lte(takeover.add(maker))).toBe(true);
  expect(vault.adlReached).toBe(result.adlQuantity.gt(0));
  // Without takeovers the ledger has no vault term; with them, it is the takeovers' equity at the clearing prices.
  if (takeover.isZero()) expect(result.ledger.vaultTakeover!.isZero()).toBe(true);
}

// ---------------------------------------------------------------------------------------------------------
// Insurance fund, bad debt, auto-deleveraging
// ---------------------------------------------------------------------------------------------------------

describe('insurance fund and auto-deleveraging', () => {
  // Three 50× longs at 1000 (liquidation price 983.94, bankruptcy price 980) sold into a book with 0.1 per tick of
  // 0.5: 6 sold eat 60 levels, so their fills land far below 980. Five shorts with different entries and margins are the ADL candidates.
  const longs: PopulationPositionInput[] = [0, 1, 2].map(() => ({
    contract: 'linear', side: 'long', entryPrice: 1000, quantity: 2, margin: 40, leverage: 50, maintenanceMarginRate: '0.004',
  }));
  const shorts: PopulationPositionInput[] = [
    { entryPrice: 1010, quantity: '1.5', margin: 500 },
    { entryPrice: 1030, quantity: 1, margin: 60 },
    { entryPrice: 1005, quantity: 3, margin: 1000 },
    { entryPrice: 1030, quantity: 2, margin: 2000 },
    { entryPrice: 995, quantity: 1, margin: 100 },
  ].map((s) => ({ contract: 'linear', side: 'short', maintenanceMarginRate: '0.004', ...s }));
  const population = populationFrom([...longs, ...shorts]);
  const book = flatBook({ mid: 1000, tick: '0.5', quantityPerTick: '0.1', levels: 400 });

  it('with no fund, bankrupt longs are matched at their bankruptcy price against the best-ranked shorts (Bybit)', () => {
    const result = simulateCascade(population, book, { markPrice: '983.5' }, { details: true });
    const round = result.rounds.find((r) => (r.deleveragedPositions ?? []).length > 0)!;
    expect(round).toBeDefined();
    // Rank every short at the round's mark with Bybit's published formula, in Decimal, independently.
    const P = round.price;
    const ranked = shorts
      .map((s, k) => {
        const E = D(s.entryPrice.toString());
        const Q = D(s.quantity.toString());
        const B = D(s.margin!.toString());
        const pnlPct = E.sub(P).div(E);
        const effLev = Q.mul(P).div(B.add(Q.mul(E.sub(P))));
        return { index: 3 + k, score: pnlPct.gt(0) ? pnlPct.mul(effLev) : pnlPct.div(effLev) };
      })
      .sort((a, b) => (b.score.cmp(a.score) || a.index - b.index));
    const taken = round.deleveragedPositions!;
    expect(taken).toEqual(ranked.slice(0, taken.length).map((r) => r.index));
    expect(round.adlQuantity.gt(0)).toBe(true);
    expect(result.badDebt.isZero()).toBe(true); // ADL covered it
    expect(result.ledger.balance.isZero()).toBe(true);
    // A deleveraged bankrupt long exits at its bankruptcy price 980: its value there is Q·E − B = 2000 − 40.
    expect(round.adlNotional.eq(D(1960).mul(round.adlQuantity).div(2))).toBe(true);
  });

  it('without ADL the loss the fund cannot cover is bad debt; a large fund covers it all', () => {
    const noAdl = simulateCascade(population, book, { markPrice: '983.5' }, { autoDeleveraging: false });
    expect(noAdl.badDebt.lt(0)).toBe(true);
    expect(noAdl.adlQuantity.isZero()).toBe(true);
    const funded = simulateCascade(population, book, { markPrice: '983.5' }, { insuranceFund: 100_000 });
    expect(funded.badDebt.isZero()).toBe(true);
    expect(funded.adlQuantity.isZero()).toBe(true);
    expect(funded.insuranceFund.lt(100_000)).toBe(true);
    // The deleveraged part never reached the book: the price fell less with ADL than without.
    const withAdl = simulateCascade(population, book, { markPrice: '983.5' });
    expect(withAdl.finalPrice.gte(noAdl.finalPrice)).toBe(true);
  });

  it("Binance's LeveragePnL ranking orders the same shorts by profit ÷ wallet × margin ratio", () => {
    const result = simulateCascade(population, book, { markPrice: '983.5' }, { details: true, adlRanking: 'binance' });
    const round = result.rounds.find((r) => (r.deleveragedPositions ?? []).length > 0)!;
    const P = round.price;
    const ranked = shorts
      .map((s, k) => {
        const E = D(s.entryPrice.toString());
        const Q = D(s.quantity.toString());
        const B = D(s.margin!.toString());
        const pnl = Q.mul(E.sub(P));
        const mm = Q.mul(P).mul('0.004');
        const score = Decimal.max(pnl, 0).div(Decimal.max(1, B)).mul(mm.div(B.add(pnl)));
        return { index: 3 + k, score };
      })
      .sort((a, b) => (b.score.cmp(a.score) || a.index - b.index));
    expect(round.deleveragedPositions).toEqual(ranked.slice(0, round.deleveragedPositions!.length).map((r) => r.index));
  });
});

// ---------------------------------------------------------------------------------------------------------
// The liquidity vault as backstop liquidator and counterparty
// ---------------------------------------------------------------------------------------------------------

describe('liquidity vault (backstop liquidator and market maker)', () => {
  // Four longs entered at 1000, in a flat book of 0.1 per 0.5 tick (one unit sold eats 10 levels, 5 USDT). A 2.5 % fee
  // takes all the equity a solvent one has left, so the fund stays at 0 and only the vault can stand behind a loss.
  //   A: Q 2, margin 40, m 0.4 %: LP (2000 − 40)/(2·0.996) = 983.94, bankruptcy 980.
  //   D: Q 1, margin 45, m 3 %:   LP 955/0.97 = 984.54, bankruptcy 955.
  //   E: Q 1, margin 25, m 0.4 %: LP 975/0.996 = 978.92, bankruptcy 975.
  //   F: Q 1, margin 50.5, m 3 %: LP 949.5/0.97 = 978.87, bankruptcy 949.5.
  const base = { contract: 'linear' as const, side: 'long' as const, entryPrice: 1000, quantity: 1, maintenanceMarginRate: '0.004' };
  const longs: PopulationPositionInput[] = [
    { ...base, quantity: 2, margin: 40 },
    { ...base, margin: 45, maintenanceMarginRate: '0.03' },
    { ...base, margin: 25 },
    { ...base, margin: '50.5', maintenanceMarginRate: '0.03' },
  ];
  const population = populationFrom(longs);
  const book = flatBook({ mid: 1000, tick: '0.5', quantityPerTick: '0.1', levels: 400 });
  const shock = { markPrice: '983.5' };
  const common: CascadeOptions = { details: true, liquidationFeeRate: '0.025', feeToInsuranceFund: false };
  const withVault = (capital: string, makerShare?: string): CascadeOptions => ({ ...common, backstop: 'vault', vault: makerShare === undefined ? { capital } : { capital, makerShare } });

  it('by hand: it takes A over at 980, then E at 975, marks them at 978.5 and 973.5, and the price falls half as far', () => {
    // Round 1: the mark 983.5 crosses D and A (queue D, A). The batch of 3 would clear 30 levels down, at 968.5,
    // where A is worth 40 + 2·(968.5 − 1000) = −23: the fund (0) cannot cover it, the vault (1000) can. A never
    // reaches the book; D alone clears 10 levels down, at 978.5. The vault paid A's bankruptcy value 2·1000 − 40
    // = 1960 for 2 units worth 1957 there: equity 1000 − 3 = 997.
    // Round 2: 978.5 crosses E and F. Together they would clear at 968.5 (levels 10–29), where E is worth −6.5; the
    // vault's equity there is 1000 + 2·968.5 − 1960 = 977, so it takes E at 975. F alone clears at 973.5, where the
    // vault holds 3 units bought for 2935: 1000 + 3·973.5 − 2935 = 985.5.
    const vault = simulateCascade(population, book, shock, withVault('1000'));
    expect(vault.rounds.map((r) => r.price.toString())).toEqual(['978.5', '973.5']);
    expect(vault.rounds.map((r) => r.liquidatedPositions)).toEqual([[1, 0], [2, 3]]);
    expect(vault.rounds.map((r) => r.soldQuantity.toString())).toEqual(['1', '1']);
    expect(vault.rounds.map((r) => r.vaultTakeoverQuantity!.toString())).toEqual(['2', '1']);
    expect(vault.rounds.map((r) => r.vaultInventory!.toString())).toEqual(['2', '3']);
    expect(vault.rounds.map((r) => r.vaultEquity!.toString())).toEqual(['997', '985.5']);
    expect(vault.rounds.map((r) => r.vaultPnl!.toString())).toEqual(['-3', '-11.5']);
    expect(vault.vault!.maxDrawdown.toString()).toBe('0.0145'); // (1000 − 985.5)/1000
    expect(vault.vault!.adlReached).toBe(false);
    expect(vault.badDebt.isZero()).toBe(true);
    // Ledger: stakes 160.5; D and F exit at 978.5 and 973.5 (−21.5, −26.5), A and E are measured at the clearing
    // prices of their batches (2·(978.5 − 1000) = −43, 973.5 − 1000 = −26.5): 160.5 − 117.5 = 43 = fees 23.5 + 24
    // plus the vault's takeover (−3 at 978.5 for A, −1.5 at 973.5 for E).
    expect(vault.ledger.realizedPnl.toString()).toBe('-117.5');
    expect(vault.ledger.fees.toString()).toBe('47.5');
    expect(vault.ledger.vaultTakeover!.toString()).toBe('-4.5');
    expect(vault.ledger.balance.isZero()).toBe(true);
    // The insurance-fund design on the same market: nothing stands behind the fund, so A and E are sold into the
    // book at a loss (bad debt 23 + 16.5) and all 5 units walk it: 50 levels, down to 958.5.
    const fund = simulateCascade(population, book, shock, common);
    expect(fund.rounds.map((r) => r.price.toString())).toEqual(['968.5', '958.5']);
    expect(fund.badDebt.toString()).toBe('-39.5');
    expect(fund.vault).toBeUndefined();
    expect(json(simulateCascadePerPosition(population, book, shock, withVault('1000')))).toBe(json(vault));
  });

  it('takes a position only when its equity covers the loss; what it cannot take goes to ADL, then bad debt', () => {
    // 22 is less than A's 23 at 968.5: A is sold at a loss as in the fund design (bad debt 23), and all 3 units walk
    // the book to 968.5. There E and F would clear at 958.5, where E is worth −16.5: that the vault can carry. F alone
    // clears at 963.5, and the vault holds E bought at 975: 22 + 963.5 − 975 = 10.5.
    const small = simulateCascade(population, book, shock, withVault('22'));
    expect(small.rounds.map((r) => r.vaultTakeoverQuantity!.toString())).toEqual(['0', '1']);
    expect(small.rounds.map((r) => r.price.toString())).toEqual(['968.5', '963.5']);
    expect(small.badDebt.toString()).toBe('-23');
    expect(small.vault!.equity.toString()).toBe('10.5');
    // 30 covers A (23) in round 1, and round 2 finds 30 + 2·968.5 − 1960 = 7 at E's tentative price: E (−6.5) fits.
    const enough = simulateCascade(population, book, shock, withVault('30'));
    expect(enough.rounds.map((r) => r.vaultTakeoverQuantity!.toString())).toEqual(['2', '1']);
    // With 26 it has 3 left there: E is bankrupt beyond it, and a short with room to give is deleveraged instead.
    const withShort = populationFrom([...longs, { contract: 'linear', side: 'short', entryPrice: 1000, quantity: 5, margin: 5000, maintenanceMarginRate: '0.004' }]);
    const last = simulateCascade(withShort, book, shock, withVault('26'));
    expect(last.rounds.map((r) => r.vaultTakeoverQuantity!.toString())).toEqual(['2', '0']);
    expect(last.rounds[1]!.adlQuantity.toString()).toBe('1');
    expect(last.vault!.adlReached).toBe(true);
    expect(last.badDebt.isZero()).toBe(true);
    expect(json(simulateCascadePerPosition(withShort, book, shock, withVault('26')))).toBe(json(last));
  });

  it('as maker it fills its share of every forced order at the clearing price, so less walks the book', () => {
    // Quantities in lots of 0.01 so that a share of a batch is a whole number of lots.
    const lots = populationFrom(ladder('long', 1000, 0.5, '0.3', 40));
    const deep = flatBook({ mid: 1000, tick: '0.5', quantityPerTick: '0.5', levels: 1000 });
    const plain = simulateCascade(lots, deep, { markPrice: 995 }, { backstop: 'vault', vault: { capital: 1000 } });
    const maker = simulateCascade(lots, deep, { markPrice: 995 }, { backstop: 'vault', vault: { capital: 1000, makerShare: '0.4' } });
    // Round 1: 10 positions of 0.3 are crossed by a 5 USDT fall; 40 % of 3 is 1.2, and 1.8 walks the book.
    expect(maker.rounds[0]!.vaultMakerQuantity!.toString()).toBe('1.2');
    expect(maker.rounds[0]!.soldQuantity.toString()).toBe('3');
    expect(maker.rounds[0]!.price.toString()).toBe('993'); // 1.8 is 3.6 levels of 0.5: the fourth, 2 USDT down
    expect(maker.finalPrice.gt(plain.finalPrice)).toBe(true);
    expect(maker.vault!.inventory.gt(0)).toBe(true);
    expect(maker.vault!.pnl.lt(0)).toBe(true); // it bought into a falling price
    // Its equity at the end is its capital plus its inventory marked at the last price less what it paid.
    const bought = maker.rounds.map((r) => r.vaultMakerQuantity!.mul(r.sellPrice!)).reduce((a, b) => a.add(b), D(0));
    expect(maker.vault!.equity.eq(D(1000).add(maker.vault!.inventory.mul(maker.finalPrice)).sub(bought))).toBe(true);
  });

  it('beside the insurance fund on the same traders, book and shock: less reaches the book, and the vault draws down', () => {
    const traders = createPopulation({ count: 3000, price: 1000, tick: '0.5', lot: '0.01', leverageMix: [{ leverage: 20, weight: '0.5' }, { leverage: 50, weight: '0.3' }, { leverage: 100, weight: '0.2' }] }, 7);
    const thin = flatBook({ mid: 1000, tick: '0.5', quantityPerTick: '0.3', levels: 1000 });
    const shockDown = { markPrice: 985 };
    const options: CascadeOptions = { liquidationFeeRate: '0.005', autoDeleveraging: false };
    const fund = simulateCascade(traders, thin, shockDown, options);
    const vault = simulateCascade(traders, thin, shockDown, { ...options, backstop: 'vault', vault: { capital: 1_000_000, makerShare: '0.2' } });
    const sold = (r: CascadeResult) => r.rounds.reduce((sum, round) => sum.add(round.soldQuantity).sub(round.vaultMakerQuantity ?? 0), D(0));
    expect(fund.badDebt.lt(0)).toBe(true);
    expect(vault.badDebt.isZero()).toBe(true);
    expect(sold(vault).lt(sold(fund))).toBe(true);
    expect(vault.totalMove.lt(fund.totalMove)).toBe(true);
    expect(vault.vault!.maxDrawdown.gt(0)).toBe(true);
    expect(vault.vault!.inventory.gt(0)).toBe(true);
  });

  it('with ample capital there is never bad debt and never ADL, for any market', () => {
    fc.assert(
      fc.property(fc.array(positionArb, { minLength: 1, maxLength: 24 }), bookArb, shockArb, fundOptionsArb, fc.constantFrom(undefined, '0', '0.3', '0.9'), (positions, book, shock, base, makerShare) => {
        // Every position here is worth at most a few hundred thousand at any price the books reach.
        const options: CascadeOptions = { ...base, backstop: 'vault', vault: makerShare === undefined ? { capital: '1e9' } : { capital: '1e9', makerShare } };
        const result = simulateCascade(populationFrom(positions), book, shock, options);
        expect(result.badDebt.isZero()).toBe(true);
        expect(result.adlQuantity.isZero()).toBe(true);
        expect(result.vault!.adlReached).toBe(false);
        expect(result.vault!.equity.gt(0)).toBe(true);
        expectConserved(result, options);
      }),
      runs(150),
    );
  }, 60_000);

  it('refuses a vault without capital, a share of 1, and vault options without the vault', () => {
    expect(engineError(() => simulateCascade(population, book, shock, { backstop: 'vault' })).field).toBe('vault');
    expect(engineError(() => simulateCascade(population, book, shock, { backstop: 'vault', vault: { capital: 0 } })).field).toBe('vault.capital');
    expect(engineError(() => simulateCascade(population, book, shock, { backstop: 'vault', vault: { capital: 1, makerShare: 1 } })).field).toBe('vault.makerShare');
    expect(engineError(() => simulateCascade(population, book, shock, { vault: { capital: 1 } })).field).toBe('vault');
    expect(engineError(() => simulateCascade(population, book, shock, { backstop: 'pool' as never })).field).toBe('backstop');
  });
});

// ---------------------------------------------------------------------------------------------------------
// How it stops, bad input, determinism
// ---------------------------------------------------------------------------------------------------------

describe('partial deleveraging', () => {
  it('what ADL leaves of a position is priced apart, and can be liquidated later in the same cascade', () => {
    // A long already under water (entered 1100) and a large short already past its liquidation price (entered 900)
    // both go in round 1. The long is bankrupt at the sell price and is matched against part of the big profitable
    // short S1 (index 1). The short is bankrupt too, but the only long left (index 3) is too small to take it, so it
    // is bought in the book: the squeeze lifts the price through what is left of S1, which goes in round 2.
    const base = { contract: 'linear' as const, maintenanceMarginRate: '0.004' };
    const population = populationFrom([
      { ...base, side: 'long', entryPrice: 1100, quantity: 1, margin: 20 },
      { ...base, side: 'short', entryPrice: 1050, quantity: 5, margin: 500 },
      { ...base, side: 'short', entryPrice: 900, quantity: 40, margin: 400 },
      { ...base, side: 'long', entryPrice: 900, quantity: 1, margin: 100 },
    ]);
    const book = flatBook({ mid: 1000, tick: '0.5', quantityPerTick: '0.1', levels: 1500 });
    const options = { details: true, liquidationFeeRate: '0.005' };
    const result = simulateCascade(population, book, { markPrice: 1000 }, options);
    expect(json(result)).toBe(json(simulateCascadePerPosition(population, book, { markPrice: 1000 }, options)));
    const deleveraged = result.rounds.flatMap((r, k) => (r.deleveragedPositions ?? []).map((i) => ({ i, k })));
    const liquidatedLater = deleveraged.filter(({ i, k }) => result.rounds.slice(k + 1).some((r) => (r.liquidatedPositions ?? []).includes(i)));
    expect(liquidatedLater.map(({ i }) => i)).toContain(1);
    expect(result.ledger.balance.isZero()).toBe(true);
    expect(result.liquidatedLongQuantity.gt(0) && result.liquidatedShortQuantity.gt(0)).toBe(true);
  });
});

describe('stopping', () => {
  const population = populationFrom(ladder('long', 10000, 1, '1', 200));

  it('a shock beyond the book ends with the book exhausted, and says so', () => {
    const thin = flatBook({ mid: 10000, tick: 1, quantityPerTick: 1, levels: 20 });
    const result = simulateCascade(population, thin, { sellQuantity: 50 });
    expect(result.stopReason).toBe('book-exhausted');
    expect(result.bookExhausted).toBe(true);
    expect(result.shockUnfilledQuantity.toString()).toBe('30');
    expect(result.roundCount).toBe(0);
    expect(result.finalPrice.toString()).toBe('9980');
  });

  it('a cascade that eats the book stops with the book exhausted, the positions left in the backlog', () => {
    const thin = flatBook({ mid: 10000, tick: 1, quantityPerTick: 1, levels: 60 });
    const result = simulateCascade(population, thin, { markPrice: 9990 });
    expect(result.stopReason).toBe('book-exhausted');
    expect(result.rounds.at(-1)!.bookExhausted).toBe(true);
    expect(result.backlogPositions).toBeGreaterThan(0);
    expect(result.totalLiquidatedQuantity.lte(60)).toBe(true);
  });

  it('the round cap stops a cascade the throughput limit keeps going', () => {
    const book = flatBook({ mid: 10000, tick: 1, quantityPerTick: 1, levels: 2000 });
    const result = simulateCascade(population, book, { markPrice: 9950 }, { throughputPerRound: 3, maxRounds: 4 });
    expect(result.stopReason).toBe('round-cap');
    expect(result.roundCount).toBe(4);
    expect(result.rounds.every((r) => r.liquidatedQuantity.lte(3))).toBe(true);
    expect(result.backlogQuantity.gt(0)).toBe(true);
  });

  it('with throughput the backlog carries over and drains, and ends where the unlimited cascade ends', () => {
    const book = flatBook({ mid: 10000, tick: 1, quantityPerTick: 4, levels: 2000 });
    const limited = simulateCascade(population, book, { markPrice: 9980 }, { throughputPerRound: 5 });
    const free = simulateCascade(population, book, { markPrice: 9980 });
    expect(limited.finalPrice.eq(free.finalPrice)).toBe(true);
    expect(limited.roundCount).toBeGreaterThan(free.roundCount);
    expect(limited.rounds[0]!.backlogQuantity.gt(0)).toBe(true);
    expect(limited.backlogQuantity.isZero()).toBe(true);
  });

  it('resilience softens the cascade; withdrawal deepens it', () => {
    const book = flatBook({ mid: 10000, tick: 1, quantityPerTick: 2, levels: 2000 });
    const base = simulateCascade(population, book, { markPrice: 9980 });
    const resilient = simulateCascade(population, book, { markPrice: 9980 }, { resilience: '0.5' });
    const withdrawn = simulateCascade(population, book, { markPrice: 9980 }, { withdrawalSensitivity: 100 });
    expect(resilient.totalMove.lt(base.totalMove)).toBe(true);
    expect(withdrawn.totalMove.gt(base.totalMove)).toBe(true);
    expect(withdrawn.rounds.at(-1)!.depthShare.lt(1)).toBe(true);
    expect(base.realizedVolatility.gt(0)).toBe(true);
  });

  it('no shock, no cascade: amplification is null, never NaN', () => {
    const book = flatBook({ mid: 10000, tick: 1, quantityPerTick: 2, levels: 100 });
    const result = simulateCascade(population, book, { markPrice: 10000 });
    expect(result.amplification).toBeNull();
    expect(result.roundCount).toBe(0);
    expect(result.stopReason).toBe('fixed-point');
    json(result);
  });
});

describe('bad input gives a clear EngineInputError', () => {
  const population = populationFrom(ladder('long', 10000, 1, '1', 5));
  const book = flatBook({ mid: 10000, tick: 1, quantityPerTick: 2, levels: 100 });

  it('markets that make no market', () => {
    expect(engineError(() => populationFrom([])).rule).toMatch(/at least 1/);
    expect(engineError(() => createPopulation({ count: 0, price: 100, tick: 1, lot: 1 }, 1)).field).toBe('count');
    expect(engineError(() => flatBook({ mid: 100, tick: 1, quantityPerTick: 0, levels: 10 })).rule).toMatch(/zero depth/);
    expect(engineError(() => simulateCascade(population, book, { markPrice: 9990 }, { resilience: -0.1 })).field).toBe('resilience');
  });

  it('malformed shocks and options', () => {
    expect(engineError(() => simulateCascade(population, book, { markPrice: 1, sellQuantity: 1 } as unknown as CascadeShock)).field).toBe('shock');
    expect(engineError(() => simulateCascade(population, book, {} as CascadeShock)).field).toBe('shock');
    expect(engineError(() => simulateCascade(population, book, { sellQuantity: 0 })).field).toBe('shock.sellQuantity');
    expect(engineError(() => simulateCascade(population, book, { markPrice: 9990 }, { maxRounds: 0 })).field).toBe('maxRounds');
    expect(engineError(() => simulateCascade(population, book, { markPrice: 9990 }, { throughputPerRound: 0 })).field).toBe('throughputPerRound');
    expect(engineError(() => simulateCascade(population, book, { markPrice: 9990 }, { maxWithdrawal: 1 })).field).toBe('maxWithdrawal');
    expect(engineError(() => simulateCascade(population, {} as Book, { markPrice: 9990 })).field).toBe('book');
    expect(engineError(() => simulateCascade({} as never, book, { markPrice: 9990 })).field).toBe('population');
  });
});

describe('determinism', () => {
  it('the same seed and inputs give the same population and the same result, JSON for JSON', () => {
    const params = { count: 3000, price: 60000, tick: '0.1', lot: '0.001' };
    const book = sqrtBook({ mid: 60000, tick: '0.1', firstLevelQuantity: '0.002', levels: 50_000 });
    const a = createPopulation(params, 2024);
    const b = createPopulation(params, 2024);
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    const options = { insuranceFund: 5000, liquidationFeeRate: '0.005', resilience: '0.2', withdrawalSensitivity: 2 };
    expect(json(simulateCascade(a, book, { sellQuantity: 40 }, options))).toBe(json(simulateCascade(b, book, { sellQuantity: 40 }, options)));
    expect(JSON.stringify(createPopulation(params, 2025))).not.toBe(JSON.stringify(a));
  });
});
