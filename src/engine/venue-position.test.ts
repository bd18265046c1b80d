/**
 * Venue-aware positions (src/engine/venue-position.ts), the engine's public positionMetrics, liquidationPrice,
 * bankruptcyPrice, normalizePosition and openPosition: a position's `venue` selects the venue's formulas, and
 * `venue` + `symbol` (or `preset`) look the maintenance rate and amount up in the shipped tables.
 *
 * The reference for every venue number is venues.ts's liquidationPriceFor / maintenanceMarginFor given the same
 * table read from content/venues/*.yaml (what the lessons do), so the two ways in agree to the last digit.
 * Numbers quoted by the lessons come from src/lib/prose-accounts.test.ts (maintenance-margin lesson): the
 * running example, 0.5 BTC long at 60,000 with 10× (3,000 USDT), liquidates at 54,216.87 on Binance and
 * 54,300.00 on Bybit.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import {
  Decimal,
  bankruptcyPrice,
  liquidationLoss,
  liquidationPrice,
  liquidationPriceWithBrackets,
  listVenuePresets,
  normalizePosition,
  openPosition,
  positionMetrics,
  priceMoveToLiquidation,
  venuePreset,
  type BracketInput,
  type PositionInput,
  type VenuePositionInput,
} from './index.ts';
import * as core from './position.ts';
import { liquidationPriceFor, maintenanceMarginFor } from './venues.ts';
import { D, engineError, expectDecimal, expectDigits, openedPositionArb, runs } from '../../tests/unit/engine-testkit.ts';

const RUNS = runs(200);
const table = (id: string): BracketInput[] =>
  (parse(readFileSync(new URL(`../../content/venues/${id}.yaml`, import.meta.url), 'utf8')) as { brackets: BracketInput[] }).brackets;
const BINANCE_2025 = table('binance-usdm-btcusdt-2025-08-19');
const BINANCE_2021 = table('binance-usdm-btcusdt-2021-03-18');
const BYBIT = table('bybit-linear-btcusdt');
const COINM = table('binance-coinm-btcusd-2021-02');

/** The lessons' running example, without a rate. */
const example = { contract: 'linear', side: 'long', entryPrice: '60000', quantity: '0.5', margin: '3000', leverage: '10' } as const;

/** Every Decimal as a string, for whole-result comparisons. */
const render = (value: unknown): string => JSON.stringify(value, (_k, v: unknown) => (v instanceof Decimal ? v.toString() : v));

describe('the same position under two venues, by `venue`', () => {
  it('Binance 54,216.87 vs Bybit 54,300.00 for the lesson’s 0.5 BTC long at 60,000, 10× (tables looked up)', () => {
    const binance = positionMetrics({ ...example, venue: 'binance-usdm', symbol: 'BTCUSDT' }, 56000);
    const bybit = positionMetrics({ ...example, venue: 'bybit-linear', symbol: 'BTCUSDT' }, 56000);
    expect(binance.liquidationPrice!.toFixed(2)).toBe('54216.87');
    expectDecimal(bybit.liquidationPrice!, '54300');
    // The same as venues.ts given the same tables (lesson: venueComparison).
    expectDecimal(binance.liquidationPrice!, liquidationPriceFor(example, 'binance-usdm', BINANCE_2025)!);
    expectDecimal(bybit.liquidationPrice!, liquidationPriceFor(example, 'bybit-linear', BYBIT)!);
    // Maintenance margin at 56,000: Binance on the mark (28,000 × 0.4 % = 112), Bybit on entry (30,000 × 0.5 % = 150).
    expectDecimal(binance.maintenanceMargin, 112);
    expectDecimal(bybit.maintenanceMargin, 150);
    expectDecimal(binance.maintenanceMargin, maintenanceMarginFor(example, 56000, 'binance-usdm', BINANCE_2025));
    expectDecimal(bybit.maintenanceMargin, maintenanceMarginFor(example, 56000, 'bybit-linear', BYBIT));
    // Equity 3,000 − 2,000 = 1,000: ratios 11.2 % and 15 %, both MM ÷ equity.
    expectDecimal(binance.marginRatio!, '0.112');
    expectDecimal(bybit.marginRatio!, '0.15');
    // Bankruptcy is where equity is zero on both: 60,000 − 3,000/0.5 = 54,000.
    expectDecimal(binance.bankruptcyPrice!, 54000);
    expectDecimal(bybit.bankruptcyPrice!, 54000);
  });

  it('without a venue: Binance’s, exactly as before (the rate given)', () => {
    const plain = positionMetrics({ ...example, maintenanceMarginRate: '0.004' }, 56000);
    const viaVenue = positionMetrics({ ...example, venue: 'binance-usdm', symbol: 'BTCUSDT' }, 56000);
    expect(render(plain)).toBe(render(viaVenue));
    expect(render(plain)).toBe(render(core.positionMetrics({ ...example, maintenanceMarginRate: '0.004' }, 56000)));
  });

  it('Bybit is liquidated at its own price: isLiquidatable flips there, and equity there is the entry-basis MM', () => {
    const p = normalizePosition({ ...example, venue: 'bybit-linear', symbol: 'BTCUSDT' });
    expect(positionMetrics(p, '54300').isLiquidatable).toBe(true);
    expect(positionMetrics(p, '54300.01').isLiquidatable).toBe(false);
    const loss = liquidationLoss(p)!;
    expectDecimal(loss.equityAtLiquidation, 150);
    expectDecimal(priceMoveToLiquidation(p)!, '-0.095');
  });

  it('a Bybit short in tier 3 by its value at entry: 50 BTC at 60,000 (3,000,000 USDT), 20× → 62,682.4', () => {
    // Tier 3 (2.6 M–3.2 M): 0.63 %, deduction 3,020. MM = 18,900 − 3,020 = 15,880; LP = 60,000 + (150,000 − 15,880)/50.
    const input = { contract: 'linear', side: 'short', entryPrice: '60000', quantity: '50', margin: '150000', leverage: '20' } as const;
    const p = normalizePosition({ ...input, venue: 'bybit-linear', symbol: 'BTCUSDT' });
    expectDecimal(p.maintenanceMarginRate, '0.0063');
    expectDecimal(p.maintenanceAmount, 3020);
    expect(p.maintenanceFrom).toBe('bybit-linear-btcusdt');
    expectDecimal(liquidationPrice(p)!, '62682.4');
    expectDecimal(liquidationPrice(p)!, liquidationPriceFor(input, 'bybit-linear', BYBIT)!);
    // The same at any mark: Bybit's maintenance margin does not move with the price.
    expectDecimal(positionMetrics(p, 61000).maintenanceMargin, 15880);
    expectDecimal(positionMetrics(p, 40000).maintenanceMargin, 15880);
  });

  it('COIN-M BTCUSD through the 2021-02 table: the forum poster’s 33,578.8597448… (cum 11.81)', () => {
    // https://dev.binance.vision/t/coin-margined-futures-liquidation-price-calculation-help-cm-variable/6292 and
    // venue-formulas.md §2: WB 101 BTC, 100,000 contracts long at 45,000; the stale table gives 33,578.8597448….
    const input = { contract: 'inverse', side: 'long', entryPrice: '45000', quantity: '100000', margin: '101' } as const;
    const p = normalizePosition({ ...input, venue: 'binance-coinm', symbol: 'BTCUSD' });
    expectDigits(liquidationPrice(p), '33578.8597448');
    expectDecimal(p.maintenanceAmount, '11.81');
    expectDecimal(p.contractSize, 100);
    expectDecimal(liquidationPrice(p)!, liquidationPriceFor(input, 'binance-coinm', COINM)!);
  });

  it('dYdX with its own rate: the published isolated formula, which is Binance’s with no amount', () => {
    const input = { contract: 'linear', side: 'long', entryPrice: '60000', quantity: '0.5', margin: '3000', maintenanceMarginRate: '0.03' } as const;
    expectDecimal(liquidationPrice({ ...input, venue: 'dydx' })!, liquidationPriceFor(input, 'dydx')!);
    expect(engineError(() => liquidationPrice({ ...input, venue: 'dydx', maintenanceAmount: 5 })).field).toBe('maintenanceAmount');
  });
});

describe('preset lookup', () => {
  it('an explicit rate beats the lookup, so a published example keeps its own numbers', () => {
    const looked = normalizePosition({ ...example, venue: 'bybit-linear', symbol: 'BTCUSDT' });
    const given = normalizePosition({ ...example, venue: 'bybit-linear', symbol: 'BTCUSDT', maintenanceMarginRate: '0.01' });
    expectDecimal(looked.maintenanceMarginRate, '0.005');
    expectDecimal(given.maintenanceMarginRate, '0.01');
    expect(given.maintenanceFrom).toBeNull();
    // Bybit's formula with the given rate: 60,000 − (3,000 − 300)/0.5 = 54,600.
    expectDecimal(liquidationPrice(given)!, 54600);
    // A preset named along with a rate only fixes the venue and symbol.
    const named = normalizePosition({ ...example, preset: 'bybit-linear-btcusdt', maintenanceMarginRate: '0.01' });
    expect([named.venue, named.symbol, named.maintenanceFrom]).toEqual(['bybit-linear', 'BTCUSDT', null]);
  });

  it('the newest table by default; `preset` picks a dated one (5.2 BTC at 60,000, 10×)', () => {
    const big = { contract: 'linear', side: 'long', entryPrice: '60000', quantity: '5.2', margin: '31200', leverage: '10' } as const;
    expect(listVenuePresets({ venue: 'binance-usdm', symbol: 'BTCUSDT' }).map((p) => p.id)).toEqual([
      'binance-usdm-btcusdt-2025-08-19',
      'binance-usdm-btcusdt-2021-03-18',
    ]);
    const newest = normalizePosition({ ...big, venue: 'binance-usdm', symbol: 'BTCUSDT' });
    const older = normalizePosition({ ...big, preset: 'binance-usdm-btcusdt-2021-03-18' });
    expect(newest.maintenanceFrom).toBe('binance-usdm-btcusdt-2025-08-19');
    expect(older.venue).toBe('binance-usdm');
    // 2025: opens in tier 2 (312,000 USDT) and liquidates in tier 1 (lesson: bracketAtLiquidation, 54,216.87).
    expect(liquidationPrice(newest)!.toFixed(2)).toBe('54216.87');
    expectDecimal(liquidationPrice(newest)!, liquidationPriceWithBrackets(big, BINANCE_2025).liquidationPrice!);
    // 2021: tier 3 throughout (1 %, 1,300): (312,000 − 31,200 − 1,300) / (5.2 × 0.99) = 54,292.929….
    expectDigits(liquidationPrice(older), '54292.929292929292929292929292929292929');
    expectDecimal(liquidationPrice(older)!, liquidationPriceWithBrackets(big, BINANCE_2021).liquidationPrice!);
  });

  it('Binance: the maintenance margin at a mark is the tiered one there, and a copy with a new margin looks the bracket up again', () => {
    const big = { contract: 'linear', side: 'long', entryPrice: '60000', quantity: '5.2', margin: '31200', leverage: '10' } as const;
    const p = normalizePosition({ ...big, venue: 'binance-usdm', symbol: 'BTCUSDT' });
    // At 60,000 the notional 312,000 is in tier 2: 312,000 × 0.5 % − 300 = 1,260 (not tier 1's line, 1,248).
    expectDecimal(positionMetrics(p, 60000).maintenanceMargin, 1260);
    expectDecimal(positionMetrics(p, 60000).maintenanceMargin, maintenanceMarginFor(big, 60000, 'binance-usdm', BINANCE_2025));
    // 12,000 of margin (no leverage): the liquidation price rises past 57,692.3, where the notional is in tier 2.
    const thin = normalizePosition({ ...p, margin: '12000', leverage: null });
    expectDecimal(thin.maintenanceMarginRate, '0.005');
    expectDecimal(liquidationPrice(thin)!, liquidationPriceWithBrackets({ ...big, margin: '12000', leverage: null }, BINANCE_2025).liquidationPrice!);
    // With maintenanceFrom cleared the copy keeps tier 1's rate as given, and its price is off by 0.23.
    const fixed = normalizePosition({ ...p, margin: '12000', leverage: null, maintenanceFrom: null });
    expectDecimal(fixed.maintenanceMarginRate, '0.004');
    expect(liquidationPrice(thin)!.sub(liquidationPrice(fixed)!).toFixed(2)).toBe('0.23');
  });

  it('opening with a table: the leverage may not exceed the bracket’s maximum', () => {
    const error = engineError(() =>
      openPosition({ contract: 'linear', side: 'long', entryPrice: '60000', quantity: '5.2', leverage: '125', venue: 'binance-usdm', symbol: 'BTCUSDT' }),
    );
    expect(error.field).toBe('leverage');
    expect(error.rule).toBe('125× is above the 100× that binance-usdm-btcusdt-2025-08-19 allows for a position of 312000 USDT (tier 2)');
    const opened = openPosition({ contract: 'linear', side: 'long', entryPrice: '60000', margin: '3000', leverage: '10', venue: 'bybit-linear', symbol: 'BTCUSDT' });
    expectDecimal(opened.quantity, '0.5');
    expectDecimal(liquidationPrice(opened)!, 54300);
    // COIN-M: the preset's contract size (100) sizes the position.
    const coin = openPosition({ contract: 'inverse', side: 'short', entryPrice: '50000', margin: '1', leverage: '5', venue: 'binance-coinm', symbol: 'BTCUSD' });
    expectDecimal(coin.quantity, 2500);
  });

  it('venuePreset: by id, or the newest for venue and symbol, with its validated table', () => {
    const p = venuePreset({ venue: 'bybit-linear', symbol: 'BTCUSDT' });
    expect(p.id).toBe('bybit-linear-btcusdt');
    expect(p.table.length).toBe(20);
    expectDecimal(p.table[1]!.maintenanceAmount, 1200);
    expect(venuePreset({ preset: 'binance-usdm-btcusdt-2021-03-18' }).effective).toBe('2021-03-18');
  });

  it.each<[string, VenuePositionInput, string, RegExp]>([
    ['unknown symbol', { ...example, venue: 'bybit-linear', symbol: 'ETHUSDT' }, 'symbol', /no bybit-linear table ships for "ETHUSDT"; bybit-linear has BTCUSDT \(shipped: binance-coinm: BTCUSD; binance-usdm: BTCUSDT, ETHUSDT; bitmex: XBTUSD; bybit-linear: BTCUSDT\)/],
    ['a venue with no table', { ...example, venue: 'dydx', symbol: 'BTC-USD' }, 'symbol', /no bracket table ships for dydx/],
    ['unknown venue', { ...example, venue: 'okx' as never, symbol: 'BTCUSDT' }, 'venue', /must be one of 'binance-usdm'/],
    ['unknown preset', { ...example, preset: 'binance-usdm-btcusdt-2019' }, 'preset', /no shipped preset "binance-usdm-btcusdt-2019"; shipped: binance-coinm-btcusd-2021-02, /],
    ['preset of another venue', { ...example, venue: 'bybit-linear', preset: 'binance-usdm-btcusdt-2025-08-19' }, 'preset', /is a binance-usdm table, but the venue is "bybit-linear"/],
    ['preset of another symbol', { ...example, symbol: 'ETHUSDT', preset: 'binance-usdm-btcusdt-2025-08-19' }, 'preset', /is the BTCUSDT table, but the symbol is "ETHUSDT"/],
    ['venue without symbol or rate', { ...example, venue: 'binance-usdm' }, 'maintenanceMarginRate', /give symbol to look it up/],
    ['no venue, no rate', { ...example }, 'maintenanceMarginRate', /is required/],
    ['amount without rate', { ...example, venue: 'binance-usdm', symbol: 'BTCUSDT', maintenanceAmount: 50 }, 'maintenanceAmount', /without maintenanceMarginRate/],
    ['contract of another venue', { ...example, venue: 'binance-coinm', symbol: 'BTCUSD' }, 'contract', /binance-coinm positions are inverse/],
    ['contract size unlike the preset', { contract: 'inverse', side: 'long', entryPrice: '45000', quantity: '100', margin: '1', contractSize: '10', venue: 'binance-coinm', symbol: 'BTCUSD' }, 'contractSize', /differs from the 100 of binance-coinm-btcusd-2021-02/],
    ['beyond the last tier', { ...example, quantity: '2000', margin: '1000000', leverage: null, venue: 'bybit-linear', symbol: 'BTCUSDT' }, 'quantity', /beyond the last tier of bybit-linear-btcusdt \(cap 80000000\)/],
    ['BitMEX', { contract: 'inverse', side: 'long', entryPrice: '50000', quantity: '100', margin: '1', venue: 'bitmex', symbol: 'XBTUSD' }, 'venue', /^BitMEX publishes no maintenance-margin basis or liquidation-price formula/],
  ])('refuses %s, naming the field', (_name, input, field, rule) => {
    const error = engineError(() => positionMetrics(input, 56000));
    expect(error.field).toBe(field);
    expect(error.rule).toMatch(rule);
    expect(engineError(() => liquidationPrice(input)).field).toBe(field);
  });

  it('BitMEX stays refused for every price, with or without a rate', () => {
    const input = { contract: 'inverse', side: 'long', entryPrice: '50000', quantity: '100', margin: '1', maintenanceMarginRate: '0.005', venue: 'bitmex' } as const;
    for (const fn of [() => liquidationPrice(input), () => bankruptcyPrice(input), () => positionMetrics(input, 50000)]) {
      expect(engineError(fn).field).toBe('venue');
    }
  });
});

describe('opening rules and later changes (stage)', () => {
  const low = { contract: 'linear', side: 'long', entryPrice: '60000', quantity: '0.5', margin: '2000', maintenanceMarginRate: '0.004', leverage: '10' } as const;

  it('an opening position must cover notional ÷ leverage; a held one keeps its leverage with less', () => {
    const error = engineError(() => normalizePosition(low));
    expect(error.field).toBe('margin');
    expect(error.rule).toBe('2000 is below the initial margin 3000 that 10× leverage requires');
    const held = normalizePosition({ ...low, stage: 'held' });
    expectDecimal(held.leverage!, 10);
    expectDecimal(positionMetrics(held, 60000).initialMargin, 3000);
    // LP = (30,000 − 2,000) / 0.498 = 56,224.89…: a held position is priced like any other.
    expectDigits(liquidationPrice(held), '56224.899598393574297188755020080321285');
    expect(engineError(() => normalizePosition({ ...low, stage: 'closed' as never })).field).toBe('stage');
  });

  it('a held position may even sit below its maintenance margin at entry (in profit); only some margin is required', () => {
    const held = normalizePosition({ ...low, margin: '100', stage: 'held' });
    // MM at entry 120 > 100: LP = (30,000 − 100)/0.498 = 60,040.16…, above the entry; safe at 61,000, not at 60,000.
    expect(positionMetrics(held, 61000).isLiquidatable).toBe(false);
    expect(positionMetrics(held, 60000).isLiquidatable).toBe(true);
    expect(engineError(() => normalizePosition({ ...low, margin: '0', stage: 'held' })).field).toBe('margin');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

describe('properties', () => {
  it('without a venue every public function gives position.ts’s (Binance’s) result, to the last digit', () => {
    const withAmount = openedPositionArb({ maxLeverageTenths: 1250, maxRateUnits: 70 }).chain((p) =>
      fc.record({
        p: fc.constant(p),
        share: fc.integer({ min: 0, max: 10 }),
        markPct: fc.integer({ min: 1, max: 300 }),
      }),
    );
    fc.assert(
      fc.property(withAmount, ({ p, share, markPct }) => {
        const amount = core.notionalAt(p, p.entryPrice).mul(p.maintenanceMarginRate).mul(share).div(100);
        // A plain object, not the validated Position, so that both sides validate it.
        const input: PositionInput = { ...p, maintenanceAmount: amount };
        const mark = p.entryPrice.mul(markPct).div(100);
        expect(render(positionMetrics(input, mark))).toBe(render(core.positionMetrics(input, mark)));
        expect(String(liquidationPrice(input))).toBe(String(core.liquidationPrice(input)));
        expect(String(bankruptcyPrice(input))).toBe(String(core.bankruptcyPrice(input)));
        expect(String(priceMoveToLiquidation(input))).toBe(String(core.priceMoveToLiquidation(input)));
        expect(render(liquidationLoss(input))).toBe(render(core.liquidationLoss(input)));
        expect(render(normalizePosition(input))).toBe(render(core.normalizePosition(input)));
      }),
      RUNS,
    );
  });

  it('without a venue, bad input is refused with position.ts’s field and rule, in its order', () => {
    const bad = fc.record({
      fields: fc.subarray(['contract', 'side', 'entryPrice', 'quantity', 'margin', 'maintenanceMarginRate', 'leverage', 'stage'] as const, { minLength: 1 }),
      value: fc.constantFrom<unknown>(undefined, -1, 0, 'x', null, 'long'),
    });
    fc.assert(
      fc.property(bad, ({ fields, value }) => {
        const input: Record<string, unknown> = { ...example, maintenanceMarginRate: '0.004' };
        for (const field of fields) input[field] = value;
        const outcome = (fn: () => unknown) => {
          try {
            return render(fn());
          } catch (error) {
            return String(error);
          }
        };
        expect(outcome(() => normalizePosition(input as unknown as PositionInput))).toBe(outcome(() => core.normalizePosition(input as unknown as PositionInput)));
      }),
      RUNS,
    );
  });

  /** BTCUSDT positions up to 50 M USDT at entry, leverage within the tier's maximum, marks ±60 %. */
  const btcusdtArb = fc
    .record({
      side: fc.constantFrom<'long' | 'short'>('long', 'short'),
      entry: fc.integer({ min: 1_000_000, max: 10_000_000 }).map((c) => D(c).div(100)),
      notional: fc.integer({ min: 100, max: 50_000_000 }),
      levShare: fc.integer({ min: 1, max: 100 }),
      markPct: fc.integer({ min: 40, max: 160 }),
      venue: fc.constantFrom<'binance-usdm' | 'bybit-linear'>('binance-usdm', 'bybit-linear'),
    })
    .map(({ side, entry, notional, levShare, markPct, venue }) => {
      const tiers = venue === 'bybit-linear' ? BYBIT : BINANCE_2025;
      const quantity = D(notional).div(entry).toSignificantDigits(12, Decimal.ROUND_DOWN);
      const value = quantity.mul(entry);
      const tier = tiers.find((t) => value.gte(t.floor) && value.lt(t.cap))!;
      // 1× up to the tier's maximum leverage, kept below 1 ÷ rate so that the position opens.
      const max = Decimal.min(D(tier.maxLeverage!), D(1).div(tier.maintenanceMarginRate).mul('0.9'));
      const leverage = Decimal.max(D(1), max.mul(levShare).div(100)).toDecimalPlaces(1, Decimal.ROUND_DOWN);
      const input = { contract: 'linear' as const, side, entryPrice: entry, quantity, margin: value.div(leverage), leverage };
      return { input, venue, tiers, mark: entry.mul(markPct).div(100) };
    });

  it('with `venue` and `symbol`, the same numbers as liquidationPriceFor / maintenanceMarginFor with the YAML table', () => {
    fc.assert(
      fc.property(btcusdtArb, ({ input, venue, tiers, mark }) => {
        const m = positionMetrics({ ...input, venue, symbol: 'BTCUSDT' }, mark);
        const lp = liquidationPriceFor(input as VenuePositionInput, venue, tiers);
        expect(String(m.liquidationPrice)).toBe(String(lp));
        expect(m.maintenanceMargin.toString()).toBe(maintenanceMarginFor(input as VenuePositionInput, mark, venue, tiers).toString());
        // And the price decides liquidation the same way equity against maintenance margin does, away from the edge.
        const gap = m.equity.sub(m.maintenanceMargin);
        if (gap.abs().gt(m.notional.mul('1e-20'))) expect(m.isLiquidatable).toBe(gap.lt(0));
      }),
      RUNS,
    );
  });
});
