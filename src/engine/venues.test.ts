/**
 * Specifications for venue conventions (src/engine/venues.ts): the registry, and maintenance margin and
 * liquidation price on each venue's basis, against the venues' own formulas and examples
 * (/work/shared/research/venue-formulas.md §1–§4, §7; the URL of each vector is in its test name or comment).
 * Fees are excluded throughout, as in the formulas cited.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { liquidationPrice, positionMetrics, type ContractKind, type Side } from './position.ts';
import { type BracketInput } from './brackets.ts';
import {
  VENUE_IDS,
  liquidationPriceFor,
  maintenanceMarginFor,
  venueConvention,
  type VenueId,
  type VenuePositionInput,
} from './venues.ts';
import { D, engineError, expectDecimal, runs, type Dec } from '../../tests/unit/engine-testkit.ts';

const RUNS = runs(200);

// ---------------------------------------------------------------------------------------------------------
// Registry
// ---------------------------------------------------------------------------------------------------------

describe('venue registry', () => {
  it('lists the six venue ids and describes each, every fact with its source URL', () => {
    expect([...VENUE_IDS]).toEqual(['binance-usdm', 'binance-coinm', 'bybit-linear', 'bybit-inverse', 'bitmex', 'dydx']);
    for (const id of VENUE_IDS) {
      const c = venueConvention(id);
      expect(c.id).toBe(id);
      const facts = [c.maintenanceBasis, c.closingFeeInBankruptcyPrice, c.marginRatio, c.maintenanceAmount, c.liquidationFormula];
      for (const fact of facts) {
        if (fact === null) continue;
        expect(fact.source, `${id}`).toMatch(/^https:\/\//);
        expect(['published', 'reconstructed', 'informal', 'not-found']).toContain(fact.status);
      }
      expect(Object.isFrozen(c)).toBe(true);
    }
  });

  it('maintenance basis: mark for Binance, entry for Bybit, oracle for dYdX', () => {
    expect(venueConvention('binance-usdm').maintenanceBasis.value).toBe('mark');
    expect(venueConvention('binance-coinm').maintenanceBasis.value).toBe('mark');
    expect(venueConvention('bybit-linear').maintenanceBasis.value).toBe('entry');
    expect(venueConvention('bybit-inverse').maintenanceBasis.value).toBe('entry');
    expect(venueConvention('dydx').maintenanceBasis.value).toBe('oracle');
    expect(venueConvention('bitmex').maintenanceBasis.status).toBe('informal');
  });

  it('closing fee in the bankruptcy price: Bybit inverse (old article) folds 0.075 %, Binance does not', () => {
    expect(venueConvention('bybit-inverse').closingFeeInBankruptcyPrice.value).toEqual({ folded: true, rate: '0.00075' });
    expect(venueConvention('binance-usdm').closingFeeInBankruptcyPrice.value.folded).toBe(false);
    expect(venueConvention('binance-coinm').closingFeeInBankruptcyPrice.value.folded).toBe(false);
    expect(venueConvention('bitmex').closingFeeInBankruptcyPrice.value.folded).toBeNull();
  });

  it('margin ratio shown: mm/equity on Binance and Bybit; none on dYdX (it states the rule instead)', () => {
    expect(venueConvention('binance-usdm').marginRatio.value).toBe('mm/equity');
    expect(venueConvention('bybit-linear').marginRatio.value).toBe('mm/equity');
    expect(venueConvention('dydx').marginRatio.value).toBeNull();
  });

  it('venueConvention refuses an unknown id with an EngineInputError naming the venue', () => {
    const error = engineError(() => venueConvention('okx'));
    expect(error.field).toBe('venue');
    expect(error.rule).toContain("'binance-usdm'");
  });
});

// ---------------------------------------------------------------------------------------------------------
// Binance: delegate to position.ts
// ---------------------------------------------------------------------------------------------------------

describe('Binance (mark basis): position.ts, with or without brackets', () => {
  it('COIN-M forum example through liquidationPriceFor: MMR 12.5 %, cum 11.605 → 33,599.4186… (UI 33,599.4)', () => {
    // https://dev.binance.vision/t/coin-margined-futures-liquidation-price-calculation-help-cm-variable/6292
    const lp = liquidationPriceFor(
      { contract: 'inverse', side: 'long', entryPrice: '45000', quantity: '100000', contractSize: '100', margin: '101', maintenanceMarginRate: '0.125', maintenanceAmount: '11.605' },
      'binance-coinm',
    );
    expect(lp!.toFixed(1)).toBe('33599.4');
    expect(lp!.toSignificantDigits(35).eq(D('101250000000').div('3013445').toSignificantDigits(35))).toBe(true);
  });

  it('maintenance margin at the mark: 100 contracts × 100 USD / 25,000 × 0.4 % − 0 = 0.0016 BTC (COIN-M FAQ)', () => {
    // https://www.binance.com/es-MX/support/faq/how-to-calculate-liquidation-price-of-coin-m-futures-contracts-ceccfcfb4e3a45e3b48b0b1bb1a8ae46
    const mm = maintenanceMarginFor(
      { contract: 'inverse', side: 'long', entryPrice: '30000', quantity: '100', contractSize: '100', margin: '1', maintenanceMarginRate: '0.004' },
      '25000',
      'binance-coinm',
    );
    expectDecimal(mm, '0.0016');
  });

  it('with brackets, the mark decides the bracket (BTCUSDT 2025-08-19 tiers: 300,000 USDT edge)', () => {
    const tiers: BracketInput[] = [
      { floor: '0', cap: '300000', maintenanceMarginRate: '0.004', maintenanceAmount: '0', maxLeverage: '150' },
      { floor: '300000', cap: '800000', maintenanceMarginRate: '0.005', maintenanceAmount: '300', maxLeverage: '100' },
    ];
    const position: VenuePositionInput = { contract: 'linear', side: 'long', entryPrice: '50000', quantity: '10', margin: '50000' };
    expectDecimal(maintenanceMarginFor(position, '20000', 'binance-usdm', tiers), 800); // 200,000 × 0.4 %
    expectDecimal(maintenanceMarginFor(position, '50000', 'binance-usdm', tiers), 2200); // 500,000 × 0.5 % − 300
    // The position must still open above maintenance under its entry bracket (2,200 here), whatever the mark.
    const thin = engineError(() => maintenanceMarginFor({ ...position, margin: '2000' }, '20000', 'binance-usdm', tiers));
    expect(thin.field).toBe('margin');
  });

  it('refuses a contract the venue does not list, and a rate together with brackets', () => {
    const inverse: VenuePositionInput = { contract: 'inverse', side: 'long', entryPrice: 1, quantity: 1, margin: 1, maintenanceMarginRate: '0.01' };
    expect(engineError(() => liquidationPriceFor(inverse, 'binance-usdm')).field).toBe('contract');
    const both = engineError(() =>
      liquidationPriceFor({ contract: 'linear', side: 'long', entryPrice: 1, quantity: 1, margin: 0.5, maintenanceMarginRate: '0.01' }, 'binance-usdm', [
        { floor: 0, cap: 10, maintenanceMarginRate: '0.01', maintenanceAmount: 0 },
      ]),
    );
    expect(both.field).toBe('maintenanceMarginRate');
    expect(engineError(() => liquidationPriceFor({ contract: 'linear', side: 'long', entryPrice: 1, quantity: 1, margin: 0.5 }, 'binance-usdm')).field).toBe(
      'maintenanceMarginRate',
    );
  });
});

// ---------------------------------------------------------------------------------------------------------
// Bybit: entry basis
// ---------------------------------------------------------------------------------------------------------

describe('Bybit linear (entry basis), venue-formulas.md §3', () => {
  // https://help.bybit.com/hc/en-us/articles/900000181046-Liquidation-Price-USDT-Contract-
  it('Bybit\'s example: long 1 BTC at 10,000 USDT, 50×, MMR 0.5 % → 10,000 × (1 − 2 % + 0.5 %) = 9,850', () => {
    const lp = liquidationPriceFor(
      { contract: 'linear', side: 'long', entryPrice: '10000', quantity: '1', margin: '200', leverage: '50', maintenanceMarginRate: '0.005' },
      'bybit-linear',
    );
    expectDecimal(lp!, 9850);
    // The same position under Binance's mark basis: (10,000 − 200) / 0.995 = 9,849.246…, a different price.
    const binance = liquidationPriceFor(
      { contract: 'linear', side: 'long', entryPrice: '10000', quantity: '1', margin: '200', leverage: '50', maintenanceMarginRate: '0.005' },
      'binance-usdm',
    );
    expectDecimal(binance!, D(9800).div('0.995'));
  });

  it('Bybit\'s example: short 1 BTC at 8,000 USDT, 40×, MMR 0.5 % → 8,000 × (1 + 2.5 % − 0.5 %) = 8,160', () => {
    const lp = liquidationPriceFor(
      { contract: 'linear', side: 'short', entryPrice: '8000', quantity: '1', margin: '200', leverage: '40', maintenanceMarginRate: '0.005' },
      'bybit-linear',
    );
    expectDecimal(lp!, 8160);
  });

  it('LP_long = EP − (IM − MM)/Q − extra/Q: extra margin 50 on the 9,850 example moves it to 9,800', () => {
    // IM = 200, MM = 10,000 × 0.5 % = 50, extra = 50: 10,000 − 150 − 50 = 9,800.
    const lp = liquidationPriceFor(
      { contract: 'linear', side: 'long', entryPrice: '10000', quantity: '1', margin: '250', leverage: '50', maintenanceMarginRate: '0.005' },
      'bybit-linear',
    );
    expectDecimal(lp!, 9800);
  });

  it('maintenance margin is position value at entry × rate − deduction, whatever the mark', () => {
    const position: VenuePositionInput = { contract: 'linear', side: 'long', entryPrice: '10000', quantity: '1', margin: '200', maintenanceMarginRate: '0.005' };
    expectDecimal(maintenanceMarginFor(position, '9000', 'bybit-linear'), 50);
    expectDecimal(maintenanceMarginFor(position, '12000', 'bybit-linear'), 50);
    expectDecimal(maintenanceMarginFor(position, '9000', 'binance-usdm'), 45); // mark basis: 9,000 × 0.5 %
  });

  it('with the BTCUSDT tiers: the tier of the position value at entry (50 BTC at 50,000 = 2,500,000 → 0.56 %, 1,200)', () => {
    const tiers: BracketInput[] = [
      { floor: '0', cap: '2000000', maintenanceMarginRate: '0.005', maintenanceAmount: '0', maxLeverage: '100' },
      { floor: '2000000', cap: '2600000', maintenanceMarginRate: '0.0056', maintenanceAmount: '1200', maxLeverage: '90' },
    ];
    const position: VenuePositionInput = { contract: 'linear', side: 'long', entryPrice: '50000', quantity: '50', margin: '250000', leverage: '10' };
    // MM = 2,500,000 × 0.56 % − 1,200 = 12,800 at any mark; LP = 50,000 − (250,000 − 12,800) / 50 = 45,256.
    expectDecimal(maintenanceMarginFor(position, '30000', 'bybit-linear', tiers), 12800);
    expectDecimal(liquidationPriceFor(position, 'bybit-linear', tiers)!, 45256);
  });
});

describe('Bybit inverse (entry basis, 2024-09-10 isolated revision, fees excluded), venue-formulas.md §4', () => {
  it('initial margin example: 12,000 USD / (8,000 × 50) = 0.03 BTC; LP = Q / (PV ± (IM − MM))', () => {
    const input: VenuePositionInput = {
      contract: 'inverse', side: 'long', entryPrice: '8000', quantity: '12000', contractSize: '1', margin: '0.03', leverage: '50', maintenanceMarginRate: '0.005',
    };
    const { maintenanceMarginRate, ...rest } = input;
    expectDecimal(positionMetrics({ ...rest, maintenanceMarginRate: maintenanceMarginRate! }, '8000').initialMargin, '0.03');
    // PV = 1.5 BTC, IM = 0.03, MM = 1.5 × 0.5 % = 0.0075. Long: 12,000 / (1.5 + 0.0225); short: 12,000 / (1.5 − 0.0225).
    expectDecimal(liquidationPriceFor(input, 'bybit-inverse')!, D(12000).div('1.5225'));
    expectDecimal(liquidationPriceFor({ ...input, side: 'short' }, 'bybit-inverse')!, D(12000).div('1.4775'));
    expectDecimal(maintenanceMarginFor(input, '5000', 'bybit-inverse'), '0.0075');
  });

  it('UTA example, 10× inverse is asymmetric: 60,000 USD at 50,000, MMR 0.5 % → long −8.68 %, short +10.50 %', () => {
    // https://bybit.nl/nl-NL/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account
    // PV = 1.2 BTC, IM = 0.12, MM = 0.006. Long: 60,000 / 1.314 = 45,662.10; short: 60,000 / 1.086 = 55,248.62.
    const base: VenuePositionInput = {
      contract: 'inverse', side: 'long', entryPrice: '50000', quantity: '60000', contractSize: '1', margin: '0.12', leverage: '10', maintenanceMarginRate: '0.005',
    };
    const long = liquidationPriceFor(base, 'bybit-inverse')!;
    const short = liquidationPriceFor({ ...base, side: 'short' }, 'bybit-inverse')!;
    expectDecimal(long, D(60000).div('1.314'));
    expectDecimal(short, D(60000).div('1.086'));
    expect(long.div(50000).sub(1).mul(100).toFixed(2)).toBe('-8.68');
    expect(short.div(50000).sub(1).mul(100).toFixed(2)).toBe('10.50');
  });

  it('a short whose margin exceeds its position value less maintenance has no liquidation price', () => {
    // PV = 1, margin 1.5: denominator 1 − (1.5 − 0.005) < 0.
    const lp = liquidationPriceFor(
      { contract: 'inverse', side: 'short', entryPrice: '10000', quantity: '10000', contractSize: '1', margin: '1.5', maintenanceMarginRate: '0.005' },
      'bybit-inverse',
    );
    expect(lp).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------
// dYdX: oracle basis
// ---------------------------------------------------------------------------------------------------------

describe('dYdX isolated (oracle basis), venue-formulas.md §7', () => {
  // https://docs.dydx.exchange/concepts-trading/liquidations (v4-documentation liquidations.mdx)
  it('docs example: e = 1,000, short 3 ETH at 3,000, MMF 5 % → (1,000 + 9,000) / 3.15 ≈ 3,174.60; equity there ≈ 476.2', () => {
    const input: VenuePositionInput = { contract: 'linear', side: 'short', entryPrice: '3000', quantity: '3', margin: '1000', maintenanceMarginRate: '0.05' };
    const lp = liquidationPriceFor(input, 'dydx')!;
    expectDecimal(lp, D(10000).div('3.15'));
    expect(lp.toFixed(2)).toBe('3174.60');
    const mm = maintenanceMarginFor(input, lp, 'dydx'); // |S × P × MMF| at the oracle price
    expect(mm.toFixed(1)).toBe('476.2');
    const equity = D(1000).add(D(-3).mul(lp.sub(3000)));
    expect(equity.sub(mm).abs().lt('1e-30')).toBe(true);
  });

  it('e − s·p is the subaccount\'s USDC balance: the formula gives the same price whatever oracle price e is measured at', () => {
    fc.assert(
      fc.property(fc.integer({ min: 100, max: 1_000_000 }), fc.constantFrom<Side>('long', 'short'), (cents, side) => {
        const p = D(cents).div(100); // some later oracle price
        const s = side === 'long' ? D(3) : D(-3);
        const e = D(1000).add(s.mul(p.sub(3000))); // equity at p
        const viaDocs = e.sub(s.mul(p)).div(s.abs().mul('0.05').sub(s));
        const lp = liquidationPriceFor({ contract: 'linear', side, entryPrice: '3000', quantity: '3', margin: '1000', maintenanceMarginRate: '0.05' }, 'dydx');
        expect(lp!.sub(viaDocs).abs().lte(lp!.mul('1e-35'))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('has no maintenance amount, no brackets and no inverse contracts', () => {
    const base: VenuePositionInput = { contract: 'linear', side: 'long', entryPrice: '3000', quantity: '1', margin: '1000', maintenanceMarginRate: '0.05' };
    expect(engineError(() => liquidationPriceFor({ ...base, maintenanceAmount: '1' }, 'dydx')).field).toBe('maintenanceAmount');
    expect(liquidationPriceFor({ ...base, maintenanceAmount: '0' }, 'dydx')).not.toBeNull();
    const { maintenanceMarginRate: _r, ...noRate } = base;
    expect(engineError(() => liquidationPriceFor(noRate, 'dydx', [{ floor: 0, cap: 1e9, maintenanceMarginRate: '0.05', maintenanceAmount: 0 }])).field).toBe('brackets');
    expect(engineError(() => liquidationPriceFor({ ...base, contract: 'inverse' }, 'dydx')).field).toBe('contract');
  });
});

describe('BitMEX', () => {
  it('no official maintenance basis or liquidation formula was found: both functions refuse, naming the venue', () => {
    const input: VenuePositionInput = { contract: 'inverse', side: 'long', entryPrice: '50000', quantity: '10000', contractSize: '1', margin: '0.02', maintenanceMarginRate: '0.005' };
    const lp = engineError(() => liquidationPriceFor(input, 'bitmex'));
    expect(lp.field).toBe('venue');
    expect(lp.rule).toContain('BitMEX publishes no');
    expect(engineError(() => maintenanceMarginFor(input, '50000', 'bitmex')).field).toBe('venue');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

const positionArb = fc.record({
  contract: fc.constantFrom<ContractKind>('linear', 'inverse'),
  side: fc.constantFrom<Side>('long', 'short'),
  entryCents: fc.integer({ min: 100, max: 10_000_000 }),
  quantityUnits: fc.integer({ min: 1, max: 1_000_000 }),
  mmrUnits: fc.integer({ min: 0, max: 500 }), // 0–5 %
  leverageTenths: fc.integer({ min: 10, max: 150 }), // 1×–15×, so margin exceeds maintenance at ≤ 5 %
});

type PositionDraw = typeof positionArb extends fc.Arbitrary<infer T> ? T : never;

function build({ contract, side, entryCents, quantityUnits, mmrUnits, leverageTenths }: PositionDraw): { input: VenuePositionInput; rate: Dec } {
  const entry = D(entryCents).div(100);
  const quantity = D(quantityUnits).div(100);
  const contractSize = contract === 'linear' ? D(1) : D(100);
  const notional = contract === 'linear' ? quantity.mul(entry) : quantity.mul(contractSize).div(entry);
  const margin = notional.div(D(leverageTenths).div(10));
  const rate = D(mmrUnits).div(10000);
  return { input: { contract, side, entryPrice: entry, quantity, contractSize, margin }, rate };
}

describe('properties', () => {
  it('liquidationPriceFor with a one-bracket table equals position.ts\'s liquidationPrice for the Binance ids', () => {
    fc.assert(
      fc.property(positionArb, fc.integer({ min: 2, max: 50 }), (arb, capMultiple) => {
        const { input, rate } = build(arb);
        const id: VenueId = arb.contract === 'linear' ? 'binance-usdm' : 'binance-coinm';
        const entryNotional = arb.contract === 'linear' ? D(input.quantity as Dec).mul(input.entryPrice as Dec) : D(input.quantity as Dec).mul(100).div(input.entryPrice as Dec);
        const table: BracketInput[] = [{ floor: 0, cap: entryNotional.mul(capMultiple), maintenanceMarginRate: rate, maintenanceAmount: 0 }];
        const withTable = liquidationPriceFor(input, id, table);
        const direct = liquidationPrice({ ...input, maintenanceMarginRate: rate });
        expect(withTable === null ? null : withTable.toString()).toBe(direct === null ? null : direct.toString());
        // And without a table, liquidationPriceFor is position.ts's function.
        const plain = liquidationPriceFor({ ...input, maintenanceMarginRate: rate }, id);
        expect(plain === null ? null : plain.toString()).toBe(direct === null ? null : direct.toString());
      }),
      RUNS,
    );
  });

  it('Bybit entry basis: at the liquidation price, equity equals the maintenance margin at entry; with margin = IM it is EP·(1 ∓ IMR ± MMR) (linear)', () => {
    fc.assert(
      fc.property(positionArb, (arb) => {
        const { input, rate } = build(arb);
        const id: VenueId = arb.contract === 'linear' ? 'bybit-linear' : 'bybit-inverse';
        const withRate = { ...input, maintenanceMarginRate: rate };
        const lp = liquidationPriceFor(withRate, id);
        const mm = maintenanceMarginFor(withRate, input.entryPrice as Dec, id);
        if (lp === null) {
          // Only where the formula's price is not positive: a linear long at E − (M − MM)/Q ≤ 0 (1× at MMR 0),
          // or an inverse short at Q/EP − (M − MM) ≤ 0.
          const q = D(input.quantity as Dec).mul(input.contractSize as Dec);
          const buffer = D(input.margin as Dec).sub(mm);
          const e = D(input.entryPrice as Dec);
          if (arb.contract === 'linear') {
            expect(arb.side).toBe('long');
            expect(e.sub(buffer.div(q)).lte(0)).toBe(true);
          } else {
            expect(arb.side).toBe('short');
            expect(q.div(e).sub(buffer).lte(0)).toBe(true);
          }
          return;
        }
        const equity = positionMetrics(withRate, lp).equity;
        expect(equity.sub(mm).abs().lte(D(input.margin as Dec).mul('1e-30'))).toBe(true);
        if (arb.contract === 'linear') {
          const imr = D(10).div(arb.leverageTenths);
          const e = D(input.entryPrice as Dec);
          const published = arb.side === 'long' ? e.mul(D(1).sub(imr).add(rate)) : e.mul(D(1).add(imr).sub(rate));
          expect(lp.sub(published).abs().lte(e.mul('1e-30'))).toBe(true);
        }
      }),
      RUNS,
    );
  });

  it('dYdX isolated equals the mark-basis formula with no maintenance amount (position.ts, cum = 0), for linear positions', () => {
    fc.assert(
      fc.property(positionArb, (arb) => {
        const { input, rate } = build({ ...arb, contract: 'linear' });
        const dydx = liquidationPriceFor({ ...input, maintenanceMarginRate: rate }, 'dydx');
        const binance = liquidationPrice({ ...input, maintenanceMarginRate: rate });
        if (dydx === null || binance === null) {
          expect(dydx).toBe(binance);
          return;
        }
        expect(dydx.sub(binance).abs().lte(binance.mul('1e-35'))).toBe(true);
      }),
      RUNS,
    );
  });
});
