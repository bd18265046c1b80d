/**
 * Specifications for tiered maintenance margin (src/engine/brackets.ts): the cum rule, bracket lookup,
 * validation, and the bracket-aware liquidation price, against Binance's own numbers
 * (/work/shared/research/venue-formulas.md §1–§2) and the shipped presets in content/venues/*.yaml.
 * Property tests use fast-check; expected values are recomputed by hand in the comments.
 */
import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { liquidationPrice, normalizePosition, notionalAt, positionMetrics, type ContractKind, type Side } from './position.ts';
import {
  bracketIssues,
  deriveMaintenanceAmounts,
  liquidationPriceWithBrackets,
  maintenanceBracket,
  maxLeverageFor,
  tieredMaintenanceMargin,
  validateBrackets,
  type BracketInput,
  type BracketPositionInput,
  type BracketTable,
} from './brackets.ts';
import { D, engineError, expectDecimal, runs } from '../../tests/unit/engine-testkit.ts';

const RUNS = runs(200);

// ---------------------------------------------------------------------------------------------------------
// Shipped presets
// ---------------------------------------------------------------------------------------------------------

const VENUES_DIR = new URL('../../content/venues/', import.meta.url);
interface PresetFile {
  file: string;
  contract: ContractKind;
  brackets: BracketInput[];
}
const PRESETS: PresetFile[] = readdirSync(VENUES_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort()
  .map((file) => {
    const data = parse(readFileSync(new URL(file, VENUES_DIR), 'utf8')) as { contract: ContractKind; brackets: BracketInput[] };
    return { file, contract: data.contract, brackets: data.brackets };
  });
const preset = (file: string): BracketInput[] => {
  const found = PRESETS.find((p) => p.file === file);
  if (!found) throw new Error(`no preset ${file}`);
  return found.brackets;
};

const BTCUSDT_2021 = 'binance-usdm-btcusdt-2021-03-18.yaml';
const COINM_BTCUSD = 'binance-coinm-btcusd-2021-02.yaml';

describe('shipped presets (content/venues/*.yaml)', () => {
  it('ships at least Binance BTCUSDT and ETHUSDT, Binance COIN-M BTCUSD, Bybit linear BTCUSDT and BitMEX XBTUSD', () => {
    const files = PRESETS.map((p) => p.file);
    for (const prefix of ['binance-usdm-btcusdt', 'binance-usdm-ethusdt', 'binance-coinm-btcusd', 'bybit-linear-btcusdt', 'bitmex-xbtusd']) {
      expect(files.some((f) => f.startsWith(prefix)), prefix).toBe(true);
    }
  });

  it.each(PRESETS.map((p) => [p.file, p] as const))('%s: brackets are contiguous from 0, monotone, and follow the cum rule', (_file, p) => {
    expect(bracketIssues(p.brackets)).toEqual([]);
    const table = validateBrackets(p.brackets);
    expectDecimal(table[0]?.floor, 0);
    table.forEach((b, i) => {
      const prev = table[i - 1];
      if (prev) {
        expect(b.floor.eq(prev.cap)).toBe(true);
        expect(b.maintenanceMarginRate.gte(prev.maintenanceMarginRate)).toBe(true);
        expect(b.maxLeverage!.lte(prev.maxLeverage!)).toBe(true);
      }
    });
    // The amounts are exactly what the cum rule derives from floors and rates.
    const derived = deriveMaintenanceAmounts(p.brackets);
    derived.forEach((b, i) => expectDecimal(table[i]?.maintenanceAmount, b.maintenanceAmount));
  });

  it('Binance BTCUSDT 2021-03-18: the derived amounts equal the table read from Binance\'s web app on 2021-03-26 (gist cross-check)', () => {
    // https://gist.github.com/highfestiva/b71e76f51eed84d56c1be8ebbcc286b5: (cap, rate %, amount)
    const gist = [0, 50, 1300, 16300, 266300, 1266300, 2516300, 5016300, 25016300, 100016300];
    const table = validateBrackets(preset(BTCUSDT_2021));
    expect(table.map((b) => b.maintenanceAmount.toNumber())).toEqual(gist);
  });

  it('Bybit BTCUSDT: Bybit\'s published deductions follow its own rule (Deduction_n = RiskLimit_n−1 × ΔMMR + Deduction_n−1)', () => {
    const table = validateBrackets(preset('bybit-linear-btcusdt.yaml'));
    // Tier 2: 2,000,000 × (0.56 % − 0.5 %) + 0 = 1,200; tier 3: 2,600,000 × 0.07 % + 1,200 = 3,020.
    expectDecimal(table[1]?.maintenanceAmount, 1200);
    expectDecimal(table[2]?.maintenanceAmount, 3020);
    expectDecimal(table[19]?.maintenanceAmount, 1482000);
  });
});

// ---------------------------------------------------------------------------------------------------------
// The cum rule and continuity
// ---------------------------------------------------------------------------------------------------------

describe('the cum rule (Binance COIN-M FAQ, venue-formulas.md §2)', () => {
  it('Binance worked example: BTCUSD maintenance amount on Level 5 = 50 × (5% − 2.5%) + 0.56 = 1.81 BTC', () => {
    // https://www.binance.com/es/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46 (older revision)
    expectDecimal(D(50).mul(D('0.05').sub('0.025')).add('0.56'), '1.81');
    const derived = deriveMaintenanceAmounts(preset(COINM_BTCUSD).map(({ maintenanceAmount: _a, ...rest }) => rest));
    expectDecimal(derived[3]?.maintenanceAmount, '0.56'); // Level 4: the 0.56 the example starts from
    expectDecimal(derived[4]?.maintenanceAmount, '1.81'); // Level 5
    // Same page: "if the position of BTCUSD Contract is 300BTC ... 12.5% ... 11.81 BTC"
    const at300 = maintenanceBracket(derived, 300);
    expectDecimal(at300.maintenanceMarginRate, '0.125');
    expectDecimal(at300.maintenanceAmount, '11.81');
  });

  it('continuity at 50,000 USDT (BTCUSDT 2021-03-18): tier 1 gives 50,000 × 0.4 % − 0 = 200, tier 2 gives 50,000 × 0.5 % − 50 = 200', () => {
    const table = validateBrackets(preset(BTCUSDT_2021));
    const [t1, t2] = [table[0]!, table[1]!];
    expectDecimal(D(50000).mul(t1.maintenanceMarginRate).sub(t1.maintenanceAmount), 200);
    expectDecimal(D(50000).mul(t2.maintenanceMarginRate).sub(t2.maintenanceAmount), 200);
    expectDecimal(tieredMaintenanceMargin(table, 50000), 200);
    expectDecimal(tieredMaintenanceMargin(table, '49999.99'), '199.99996'); // 49,999.99 × 0.004
    expectDecimal(tieredMaintenanceMargin(table, '50000.01'), '200.00005'); // 50,000.01 × 0.005 − 50
  });

  it('deriveMaintenanceAmounts ignores amounts given and still checks contiguity and monotony', () => {
    const derived = deriveMaintenanceAmounts([
      { floor: 0, cap: 10, maintenanceMarginRate: '0.01', maintenanceAmount: 999 },
      { floor: 10, cap: 20, maintenanceMarginRate: '0.02' },
    ]);
    expectDecimal(derived[0]?.maintenanceAmount, 0);
    expectDecimal(derived[1]?.maintenanceAmount, '0.1'); // 10 × (2 % − 1 %)
    const gap = engineError(() =>
      deriveMaintenanceAmounts([
        { floor: 0, cap: 10, maintenanceMarginRate: '0.01' },
        { floor: 11, cap: 20, maintenanceMarginRate: '0.02' },
      ]),
    );
    expect(gap.field).toBe('brackets[1].floor');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Lookup and validation
// ---------------------------------------------------------------------------------------------------------

describe('maintenanceBracket', () => {
  const table = validateBrackets(preset(BTCUSDT_2021));

  it('floor ≤ notional < cap; the last bracket\'s cap is inclusive', () => {
    expect(maintenanceBracket(table, 0).index).toBe(0);
    expect(maintenanceBracket(table, '49999.999').index).toBe(0);
    expect(maintenanceBracket(table, 50000).index).toBe(1); // an edge belongs to the bracket above
    expect(maintenanceBracket(table, 300000000).index).toBe(9);
    expect(maintenanceBracket(table, 500000000).index).toBe(9); // last cap inclusive
    expectDecimal(maxLeverageFor(table, 60000)!, 100);
  });

  it('refuses a notional beyond the last cap or negative, naming the notional', () => {
    const beyond = engineError(() => maintenanceBracket(table, '500000000.01'));
    expect(beyond.field).toBe('notional');
    expect(beyond.rule).toContain('beyond the last bracket\'s cap 500000000');
    expect(engineError(() => maintenanceBracket(table, -1)).field).toBe('notional');
    expect(engineError(() => tieredMaintenanceMargin(table, 'abc')).field).toBe('notional');
  });
});

describe('validateBrackets: EngineInputError naming the index and field', () => {
  const good = (): BracketInput[] => preset(BTCUSDT_2021).map((b) => ({ ...b }));

  it('a wrong maintenance amount names that bracket alone, with the cum-rule value', () => {
    const tiers = good();
    tiers[3] = { ...tiers[3]!, maintenanceAmount: '16000' };
    const error = engineError(() => validateBrackets(tiers));
    expect(error.field).toBe('brackets[3].maintenanceAmount');
    expect(error.rule).toBe('tier 4: maintenance amount must be 16300 by the cum rule (floor 1000000 × (2.5 % − 1 %) + 1300 of tier 3), got 16000');
    // Only that field is flagged: tier 5 is checked against its own derived value, not the typo.
    expect(bracketIssues(tiers).map((i) => `${i.index}.${i.field}`)).toEqual(['3.maintenanceAmount']);
  });

  it('gaps, overlaps, a first floor above 0, falling rates, rising leverage, cap ≤ floor, rate ≥ 100 %', () => {
    const cases: [(t: BracketInput[]) => void, string, string][] = [
      [(t) => (t[2] = { ...t[2]!, floor: '260000' }), 'brackets[2].floor', 'must equal the cap of tier 2 (250000); brackets must be contiguous'],
      [(t) => (t[0] = { ...t[0]!, floor: '1' }), 'brackets[0].floor', 'the first floor must be 0'],
      [(t) => (t[4] = { ...t[4]!, maintenanceMarginRate: '0.02' }), 'brackets[4].maintenanceMarginRate', 'rates must not decrease'],
      [(t) => (t[5] = { ...t[5]!, maxLeverage: '11' }), 'brackets[5].maxLeverage', 'max leverage must not increase'],
      [(t) => (t[9] = { ...t[9]!, cap: '300000000' }), 'brackets[9].cap', 'must be above its floor'],
      [(t) => (t[9] = { ...t[9]!, maintenanceMarginRate: '1' }), 'brackets[9].maintenanceMarginRate', 'must be below 1'],
      [(t) => (t[1] = { ...t[1]!, maintenanceAmount: 'fifty' }), 'brackets[1].maintenanceAmount', 'must be a decimal number'],
    ];
    for (const [mutate, field, text] of cases) {
      const tiers = good();
      mutate(tiers);
      const error = engineError(() => validateBrackets(tiers));
      expect(error.field).toBe(field);
      expect(error.rule).toContain(text);
    }
    expect(engineError(() => validateBrackets([])).field).toBe('brackets');
    expect(engineError(() => validateBrackets('x' as unknown as BracketInput[])).field).toBe('brackets');
  });

  it('returns a frozen table of Decimals and accepts it again without re-validating', () => {
    const table = validateBrackets(good());
    expect(Object.isFrozen(table)).toBe(true);
    expect(Object.isFrozen(table[0])).toBe(true);
    expect(validateBrackets(table)).toBe(table);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Bracket-aware liquidation price
// ---------------------------------------------------------------------------------------------------------

describe('liquidationPriceWithBrackets', () => {
  // Forum thread (venue-formulas.md §2): WB 101 BTC isolated, 100,000 BTCUSD contracts of 100 USD, long at 45,000.
  const forum: BracketPositionInput = {
    contract: 'inverse',
    side: 'long',
    entryPrice: '45000',
    quantity: '100000',
    contractSize: '100',
    margin: '101',
  };

  it('Binance COIN-M forum example, shipped (older) table: lands in the 200–400 BTC bracket (12.5 %, cum 11.81) and gives the poster\'s 33,578.8597…', () => {
    // https://dev.binance.vision/t/coin-margined-futures-liquidation-price-calculation-help-cm-variable/6292
    // Notional at entry 10,000,000 / 45,000 = 222.2 BTC (bracket 200–400); LP with MMR 12.5 %, cum 11.81:
    // 10,000,000 × 1.125 / (101 + 11.81 + 222.2…) = 11,250,000 / 335.0322… = 33,578.8597448…; notional there
    // 10,000,000 / 33,578.86 = 297.8 BTC, still in 200–400: stable after one computation.
    const result = liquidationPriceWithBrackets(forum, preset(COINM_BTCUSD));
    expect(result.resolution).toBe('stable');
    expect(result.iterations).toBe(1);
    expect(result.bracket.index).toBe(6);
    expectDecimal(result.bracket.maintenanceAmount, '11.81');
    expect(result.liquidationPrice!.toString().startsWith('33578.8597448')).toBe(true);
    expect(result.liquidationPrice!.toFixed(2)).toBe('33578.86'); // the poster's "33,578.859744834"
    // Same code path as position.ts with that bracket's rate and amount, passed explicitly.
    expectDecimal(result.liquidationPrice!, liquidationPrice({ ...forum, maintenanceMarginRate: '0.125', maintenanceAmount: '11.81' })!);
  });

  it('Binance COIN-M forum example, newer table (reconstruction, not shipped): cum 11.605 and the UI value 33,599.4', () => {
    // The newer FAQ revision's caps (5, 10, 20, 50, 100, 200, 400, 1,000 BTC; en-NG leverage FAQ) with the
    // older table's rates reproduce the newer revision's "300 BTC → 12.5 %, 11.605 BTC" exactly:
    // 5 × 0.1 % + 10 × 0.5 % + 20 × 1.5 % + 50 × 2.5 % + 100 × 5 % + 200 × 2.5 % = 11.605. The rates of the
    // newer table were not found published, so this table lives only in this test.
    const caps = ['5', '10', '20', '50', '100', '200', '400', '1000'];
    const rates = ['0.004', '0.005', '0.01', '0.025', '0.05', '0.1', '0.125', '0.15'];
    const newer = deriveMaintenanceAmounts(caps.map((cap, i) => ({ floor: i === 0 ? '0' : caps[i - 1]!, cap, maintenanceMarginRate: rates[i]! })));
    expectDecimal(maintenanceBracket(newer, 300).maintenanceAmount, '11.605');
    const result = liquidationPriceWithBrackets(forum, newer);
    expect(result.bracket.index).toBe(6);
    expectDecimal(result.bracket.maintenanceAmount, '11.605');
    // 11,250,000 / (112.605 + 2,000/9) = 101,250,000,000 / 3,013,445 = 33,599.41860561583…
    expect(result.liquidationPrice!.toFixed(1)).toBe('33599.4');
    expect(result.liquidationPrice!.toSignificantDigits(35).eq(D('101250000000').div('3013445').toSignificantDigits(35))).toBe(true);
  });

  it('recomputes when the notional at the liquidation price falls in another bracket (BTCUSDT 2021-03-18)', () => {
    // 6 BTC long at 50,000 = 300,000 USDT (tier 3: 1 %, cum 1,300), 5× → margin 60,000.
    // Tier 3: (300,000 − 60,000 − 1,300) / (6 × 0.99) = 40,185.185…; notional 241,111 → tier 2.
    // Tier 2: (300,000 − 60,000 − 50) / (6 × 0.995) = 239,950 / 5.97 = 40,192.6298…; notional 241,155.8 → tier 2. Stable.
    const result = liquidationPriceWithBrackets(
      { contract: 'linear', side: 'long', entryPrice: '50000', quantity: '6', margin: '60000', leverage: '5' },
      preset(BTCUSDT_2021),
    );
    expect(result.entryBracket.index).toBe(2);
    expect(result.bracket.index).toBe(1);
    expect(result.iterations).toBe(2);
    expect(result.resolution).toBe('stable');
    expectDecimal(result.liquidationPrice!, D(239950).div('5.97'));
    expectDecimal(result.notionalAtLiquidation!, D(239950).div('5.97').mul(6));
    // Equity there equals the tiered maintenance margin of the notional there.
    const m = positionMetrics(result.position, result.liquidationPrice!);
    expect(m.equity.sub(tieredMaintenanceMargin(preset(BTCUSDT_2021), result.notionalAtLiquidation!)).abs().lt('1e-30')).toBe(true);
  });

  it('a price exactly on an edge is reported in the bracket above (floor inclusive); both give the same price', () => {
    // Tiers [0,100) at 1 %, [100,1000] at 2 % (cum 100 × 1 % = 1). Long 1 unit at 200, margin 101.
    // Tier 2: (200 − 101 − 1) / 0.98 = 100; tier 1: (200 − 101 − 0) / 0.99 = 100. Notional 100 → tier 2.
    const tiers = deriveMaintenanceAmounts([
      { floor: 0, cap: 100, maintenanceMarginRate: '0.01' },
      { floor: 100, cap: 1000, maintenanceMarginRate: '0.02' },
    ]);
    const result = liquidationPriceWithBrackets({ contract: 'linear', side: 'long', entryPrice: 200, quantity: 1, margin: 101 }, tiers);
    expectDecimal(result.liquidationPrice!, 100);
    expect(result.bracket.index).toBe(1);
    expect(result.resolution).toBe('stable');
  });

  it('when the entry bracket gives no positive price, every bracket is tried and the consistent one is taken', () => {
    // Tiers [0,100) at 1 %, [100,1000] at 50 % (cum 49). Long 1 unit at 200 with margin 152 (MM at entry 51).
    // Tier 2: 200 − 152 − 49 = −1 → no price. Tier 1: (200 − 152) / 0.99 = 48.4848…, notional 48.48 → tier 1.
    const tiers = deriveMaintenanceAmounts([
      { floor: 0, cap: 100, maintenanceMarginRate: '0.01' },
      { floor: 100, cap: 1000, maintenanceMarginRate: '0.5' },
    ]);
    const result = liquidationPriceWithBrackets({ contract: 'linear', side: 'long', entryPrice: 200, quantity: 1, margin: 152 }, tiers);
    expect(result.resolution).toBe('scan');
    expect(result.bracket.index).toBe(0);
    expectDecimal(result.liquidationPrice!, D(48).div('0.99'));
  });

  it('a 1× linear long cannot be liquidated under any bracket: null, resolution "none"', () => {
    const result = liquidationPriceWithBrackets(
      { contract: 'linear', side: 'long', entryPrice: 40000, quantity: 2, margin: 80000 },
      preset(BTCUSDT_2021),
    );
    expect(result.liquidationPrice).toBeNull();
    expect(result.notionalAtLiquidation).toBeNull();
    expect(result.resolution).toBe('none');
    expect(result.bracket.index).toBe(result.entryBracket.index);
  });

  it('a short whose notional at liquidation passes the last cap extends the last bracket and says so', () => {
    // 10,000 BTC short at 45,000 = 450,000,000 USDT (last tier, 50 %), 1× → margin 450,000,000.
    const result = liquidationPriceWithBrackets(
      { contract: 'linear', side: 'short', entryPrice: 45000, quantity: 10000, margin: 450000000 },
      preset(BTCUSDT_2021),
    );
    expect(result.beyondLastCap).toBe(true);
    expect(result.bracket.index).toBe(9);
    expect(result.notionalAtLiquidation!.gt(500000000)).toBe(true);
  });

  it('refuses a rate or amount in the position, and a notional at entry beyond the table', () => {
    const withRate = { contract: 'linear', side: 'long', entryPrice: 1, quantity: 1, margin: 1, maintenanceMarginRate: '0.01' };
    expect(engineError(() => liquidationPriceWithBrackets(withRate as BracketPositionInput, preset(BTCUSDT_2021))).field).toBe('maintenanceMarginRate');
    const huge = engineError(() =>
      liquidationPriceWithBrackets({ contract: 'linear', side: 'long', entryPrice: 50000, quantity: 20000, margin: 1e9 }, preset(BTCUSDT_2021)),
    );
    expect(huge.field).toBe('quantity');
    expect(huge.rule).toContain('beyond the last bracket\'s cap 500000000');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

/** A random valid table: 1–6 brackets, caps increasing, rates non-decreasing below 60 %, amounts by the cum rule. */
const tableArb: fc.Arbitrary<BracketTable> = fc
  .array(fc.tuple(fc.integer({ min: 1, max: 5000 }), fc.integer({ min: 0, max: 800 })), { minLength: 1, maxLength: 6 })
  .map((steps) => {
    let floor = D(0);
    let rate = D('0.001');
    return deriveMaintenanceAmounts(
      steps.map(([width, rateStep], i) => {
        const cap = floor.add(D(width).mul(100));
        if (i > 0) rate = rate.add(D(rateStep).div(10000));
        const b = { floor: floor.toString(), cap: cap.toString(), maintenanceMarginRate: rate.toString() };
        floor = cap;
        return b;
      }),
    );
  });

const shippedTableArb: fc.Arbitrary<BracketTable> = fc.constantFrom(...PRESETS.map((p) => validateBrackets(p.brackets)));
const anyTableArb = fc.oneof(shippedTableArb, tableArb);

describe('properties', () => {
  it('tiered maintenance margin is continuous at every edge (shipped and random tables)', () => {
    fc.assert(
      fc.property(anyTableArb, fc.nat(), fc.integer({ min: 1, max: 1000 }), (table, pick, tiny) => {
        if (table.length < 2) return;
        const upper = table[1 + (pick % (table.length - 1))]!;
        const lower = table[upper.index - 1]!;
        const edge = upper.floor;
        // Exactly equal at the edge: both lines meet there.
        expect(edge.mul(lower.maintenanceMarginRate).sub(lower.maintenanceAmount).eq(edge.mul(upper.maintenanceMarginRate).sub(upper.maintenanceAmount))).toBe(true);
        // And no jump across it: |MM(e + δ) − MM(e − δ)| ≤ 2δ × the larger rate.
        const delta = edge.mul(tiny).div(1e7);
        const jump = tieredMaintenanceMargin(table, edge.add(delta)).sub(tieredMaintenanceMargin(table, edge.sub(delta))).abs();
        expect(jump.lte(delta.mul(2).mul(upper.maintenanceMarginRate))).toBe(true);
      }),
      RUNS,
    );
  });

  it('tiered maintenance margin is the largest bracket line (convex), which makes the liquidation price unique', () => {
    fc.assert(
      fc.property(anyTableArb, fc.double({ min: 0, max: 1, noNaN: true }), (table, u) => {
        const last = table[table.length - 1]!;
        const n = last.cap.mul(D(u.toFixed(12)));
        const mm = tieredMaintenanceMargin(table, n);
        const lines = table.map((b) => n.mul(b.maintenanceMarginRate).sub(b.maintenanceAmount));
        expect(lines.every((line) => line.lte(mm))).toBe(true);
        expect(lines.some((line) => line.eq(mm))).toBe(true);
      }),
      RUNS,
    );
  });

  const positionArb = fc.record({
    table: anyTableArb,
    contract: fc.constantFrom<ContractKind>('linear', 'inverse'),
    side: fc.constantFrom<Side>('long', 'short'),
    entryCents: fc.integer({ min: 100, max: 10_000_000 }),
    where: fc.double({ min: 0.0001, max: 0.9999, noNaN: true }),
    /** Half the time the entry notional sits just above a bracket floor, where liquidation changes bracket. */
    nearEdge: fc.option(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 300 })), { freq: 2 }),
    /** Leverage as a fraction of the way from 1× to 1 / rate; 0 is exactly 1× (no liquidation for a linear long). */
    leverageFraction: fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 9, arbitrary: fc.double({ min: 0.01, max: 0.95, noNaN: true }) }),
  });

  it('the bracket-aware liquidation price\'s notional lies in the bracket used, and equity there meets the tiered maintenance margin', () => {
    fc.assert(
      fc.property(positionArb, ({ table, contract, side, entryCents, where, nearEdge, leverageFraction }) => {
        const entry = D(entryCents).div(100);
        const last = table[table.length - 1]!;
        const edgeBracket = nearEdge === null || table.length < 2 ? null : table[1 + (nearEdge[0] % (table.length - 1))]!;
        const entryNotional =
          edgeBracket === null
            ? last.cap.mul(D(where.toFixed(10)))
            : edgeBracket.floor.mul(D(1).add(D(nearEdge![1]).div(1000)));
        if (entryNotional.gt(last.cap)) return;
        const bracket = maintenanceBracket(table, entryNotional);
        // Leverage below 1 / rate of the entry bracket, so that the position opens above its maintenance margin.
        const ceiling = D(1).div(bracket.maintenanceMarginRate).sub(1);
        const leverage = D(1).add(ceiling.mul(D(leverageFraction.toFixed(6)))).toDecimalPlaces(4, Decimal.ROUND_DOWN);
        const margin = entryNotional.div(leverage);
        const contractSize = contract === 'linear' ? D(1) : D(100);
        const quantity = contract === 'linear' ? entryNotional.div(entry) : entryNotional.mul(entry).div(contractSize);
        const input: BracketPositionInput = { contract, side, entryPrice: entry, quantity, margin, contractSize };
        let result;
        try {
          result = liquidationPriceWithBrackets(input, table);
        } catch (error) {
          // Rounding can put the computed notional at entry a hair past the last cap or the margin a hair under
          // maintenance; both are refusals with a named field, never a wrong answer.
          expect(error).toBeInstanceOf(EngineInputError);
          return;
        }
        if (result.liquidationPrice === null) {
          expect(result.resolution).toBe('none');
          return;
        }
        const n = result.notionalAtLiquidation!;
        const b = result.bracket;
        if (result.beyondLastCap) {
          expect(b.index).toBe(table.length - 1);
          expect(n.gt(b.cap)).toBe(true);
        } else if (result.resolution === 'edge') {
          expect(n.sub(b.floor).abs().div(b.floor).lt('1e-30')).toBe(true);
        } else {
          expect(n.gte(b.floor)).toBe(true);
          expect(b.index === table.length - 1 ? n.lte(b.cap) : n.lt(b.cap)).toBe(true);
        }
        // Equity at the price equals the bracket's maintenance margin there, to the 30th digit.
        const m = positionMetrics(result.position, result.liquidationPrice);
        const scale = m.maintenanceMargin.abs().add(margin);
        expect(m.equity.sub(m.maintenanceMargin).abs().lte(scale.mul('1e-30'))).toBe(true);
        if (!result.beyondLastCap) {
          expect(m.maintenanceMargin.sub(tieredMaintenanceMargin(table, n)).abs().lte(scale.mul('1e-30'))).toBe(true);
        }
        // Notional is computed from the same position: cross-check with position.ts.
        expectDecimal(n, notionalAt(normalizePosition({ ...input, maintenanceMarginRate: 0 }), result.liquidationPrice));
      }),
      RUNS,
    );
  });
});
