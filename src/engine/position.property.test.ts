/**
 * Property tests for the isolated-position engine (src/engine/position.ts), with fast-check.
 *
 * Positions are generated as decimal strings: entry in [1, 1,000,000] (two decimals), MMR in [0, 0.1) (four
 * decimals), leverage in [1, 125] (one decimal) with leverage × MMR < 1 so that the position opens, opened
 * by size or by margin, linear and inverse, long and short. Maintenance amount is 0 unless a property says
 * otherwise ("with cum": 0 ≤ cum ≤ notional at entry × MMR / 10).
 *
 * Tolerances: results are decimal.js at 40 significant digits, so "equal" below means equal, or within
 * 1e-30 relative where two separately rounded quantities are compared (equity vs maintenance margin).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  Decimal,
  bankruptcyPrice,
  liquidationLoss,
  liquidationPrice,
  normalizePosition,
  openPosition,
  positionMetrics,
  priceMoveToLiquidation,
  type ContractKind,
  type OpenPositionInput,
  type Position,
  type Side,
} from './index.ts';
import { runs, type Dec } from '../../tests/unit/engine-testkit.ts';

/** 300 runs per property by default; PROPERTY_RUNS=5000 for a longer hunt. */
const RUNS = runs(300);
const TOLERANCE = new Decimal('1e-30');

// ---------------------------------------------------------------------------------------------------------
// Generators
// ---------------------------------------------------------------------------------------------------------

const contractArb = fc.constantFrom<ContractKind>('linear', 'inverse');
const sideArb = fc.constantFrom<Side>('long', 'short');
/** Entry price in [1, 1,000,000] with two decimals. */
const entryArb = fc.integer({ min: 100, max: 100_000_000 }).map((cents) => new Decimal(cents).div(100).toString());
/** MMR in [0, 0.0999], four decimals (k / 10,000); a zero rate now and then. */
const mmrUnitsArb = fc.oneof({ weight: 1, arbitrary: fc.constant(0) }, { weight: 9, arbitrary: fc.integer({ min: 1, max: 999 }) });
/**
 * Leverage in tenths: [1.0, 125.0] with leverage × MMR < 1 (tenths × units < 100,000), built rather than
 * filtered; 1× and near-1× leverages are drawn often on purpose (they are where the null prices live).
 */
function leverageTenthsArb(mmrUnits: number): fc.Arbitrary<number> {
  const max = mmrUnits === 0 ? 1250 : Math.min(1250, Math.ceil(100_000 / mmrUnits) - 1);
  return fc.oneof(
    { weight: 1, arbitrary: fc.constantFrom(10, 11, 12, 15, 20) },
    { weight: 4, arbitrary: fc.integer({ min: 10, max }) },
  );
}
/** Contract size: linear defaults to 1 (sometimes 0.001 or 0.1); inverse 100, 10, or an odd size such as 34. */
function contractSizeArb(contract: ContractKind): fc.Arbitrary<string | undefined> {
  return contract === 'linear'
    ? fc.constantFrom(undefined, undefined, '0.001', '0.1', '1')
    : fc.oneof(fc.constantFrom(undefined, '100', '10'), fc.integer({ min: 1, max: 1000 }).map(String));
}
/** How the position is opened: by size (quantity) or by margin. */
const sizingArb = fc.oneof(
  fc.integer({ min: 1, max: 10_000_000 }).map((k) => ({ quantity: new Decimal(k).div(1000).toString() })), // 0.001 … 10,000
  fc.integer({ min: 1, max: 100_000_000 }).map((k) => ({ margin: new Decimal(k).div(100).toString() })), // 0.01 … 1,000,000
);

interface Generated {
  input: OpenPositionInput;
  position: Position;
}

const positionArb: fc.Arbitrary<Generated> = fc
  .record({ contract: contractArb, side: sideArb, entryPrice: entryArb, mmrUnits: mmrUnitsArb, sizing: sizingArb })
  .chain(({ contract, side, entryPrice, mmrUnits, sizing }) =>
    fc.record({ leverageTenths: leverageTenthsArb(mmrUnits), contractSize: contractSizeArb(contract) }).map(({ leverageTenths, contractSize }) => {
      const input: OpenPositionInput = {
        contract,
        side,
        entryPrice,
        leverage: new Decimal(leverageTenths).div(10).toString(),
        maintenanceMarginRate: new Decimal(mmrUnits).div(10_000).toString(),
        ...sizing,
        ...(contractSize === undefined ? {} : { contractSize }),
      };
      return { input, position: openPosition(input) };
    }),
  );

/** The same positions with a maintenance amount 0 ≤ cum ≤ notional at entry × MMR / 10 (Binance's "cum"). */
const positionWithCumArb: fc.Arbitrary<Generated & { cum: string }> = fc
  .tuple(positionArb, fc.integer({ min: 0, max: 1000 }))
  .map(([{ input, position }, permille]) => {
    const entryNotional = positionMetrics(position, position.entryPrice).notional;
    const cum = entryNotional.mul(position.maintenanceMarginRate).div(10).mul(permille).div(1000).toSignificantDigits(12, Decimal.ROUND_DOWN);
    const withCum = normalizePosition({ ...position, maintenanceAmount: cum });
    return { input: { ...input, maintenanceAmount: cum.toString() }, position: withCum, cum: cum.toString() };
  });

/** A mark price as a multiple of entry: 10⁻⁴ × … 10⁴ × entry, log-uniform-ish, rounded to 12 digits. */
const markFactorArb = fc
  .tuple(fc.integer({ min: -4, max: 3 }), fc.integer({ min: 1_000_000, max: 9_999_999 }))
  .map(([exponent, mantissa]) => new Decimal(mantissa).mul(new Decimal(10).pow(exponent - 6)));
const markAt = (position: Position, factor: Dec): Dec => position.entryPrice.mul(factor).toSignificantDigits(12);

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

/** |a − b| ≤ 1e-30 × scale. */
function close(a: Dec, b: Dec, scale: Dec): boolean {
  return a.sub(b).abs().lte(scale.abs().mul(TOLERANCE));
}

function describePosition(p: Position): string {
  return `${p.contract} ${p.side} E=${p.entryPrice} Q=${p.quantity} C=${p.contractSize} M=${p.margin} mmr=${p.maintenanceMarginRate} cum=${p.maintenanceAmount} L=${p.leverage}`;
}

/** Every Decimal output of the engine for one position and one mark. */
function decimalOutputs(position: Position, mark: Dec | string): Array<[string, Dec | null]> {
  const m = positionMetrics(position, mark);
  const loss = liquidationLoss(position);
  return [
    ...Object.entries(m).filter(([, v]) => typeof v !== 'boolean') as Array<[string, Dec | null]>,
    ['liquidationPrice()', liquidationPrice(position)],
    ['bankruptcyPrice()', bankruptcyPrice(position)],
    ['priceMoveToLiquidation()', priceMoveToLiquidation(position)],
    ...(loss === null ? [] : (Object.entries(loss) as Array<[string, Dec]>).map(([k, v]) => [`liquidationLoss.${k}`, v] as [string, Dec])),
  ];
}

function everythingAsStrings(position: Position, marks: Array<Dec | string>): string[] {
  return marks.flatMap((mark) => [
    ...decimalOutputs(position, mark).map(([k, v]) => `${k}=${v === null ? 'null' : v.toString()}`),
    `isLiquidatable=${positionMetrics(position, mark).isLiquidatable}`,
  ]);
}

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

describe('position engine properties', () => {
  it('equity is monotone in the mark in the position’s direction (long: non-decreasing, short: non-increasing)', () => {
    fc.assert(
      fc.property(positionArb, markFactorArb, markFactorArb, ({ position }, f1, f2) => {
        const [low, high] = f1.lte(f2) ? [markAt(position, f1), markAt(position, f2)] : [markAt(position, f2), markAt(position, f1)];
        const eLow = positionMetrics(position, low).equity;
        const eHigh = positionMetrics(position, high).equity;
        return position.side === 'long' ? eLow.lte(eHigh) : eLow.gte(eHigh);
      }),
      RUNS,
    );
  });

  it('at the liquidation price equity equals maintenance margin (within 1e-30 of the margin; of MM itself when MM > 0 and cum = 0)', () => {
    fc.assert(
      fc.property(positionArb, ({ position }) => {
        const lp = liquidationPrice(position);
        if (lp === null) return true;
        const m = positionMetrics(position, lp);
        expect(close(m.equity, m.maintenanceMargin, position.margin), describePosition(position)).toBe(true);
        if (m.maintenanceMargin.gt(0)) expect(close(m.equity, m.maintenanceMargin, m.maintenanceMargin), describePosition(position)).toBe(true);
        return true;
      }),
      RUNS,
    );
  });

  it('with cum: at the liquidation price equity equals maintenance margin (within 1e-30 of the margin)', () => {
    fc.assert(
      fc.property(positionWithCumArb, ({ position }) => {
        const lp = liquidationPrice(position);
        if (lp === null) return true;
        const m = positionMetrics(position, lp);
        expect(close(m.equity, m.maintenanceMargin, position.margin), describePosition(position)).toBe(true);
        return true;
      }),
      RUNS,
    );
  });

  it('marginRatio at the liquidation price is 1 (within 1e-30) whenever MMR > 0', () => {
    fc.assert(
      fc.property(positionArb, ({ position }) => {
        const lp = liquidationPrice(position);
        if (lp === null || position.maintenanceMarginRate.isZero()) return true;
        const ratio = positionMetrics(position, lp).marginRatio;
        expect(ratio, describePosition(position)).not.toBeNull();
        expect(close(ratio!, new Decimal(1), new Decimal(1)), `${ratio} for ${describePosition(position)}`).toBe(true);
        return true;
      }),
      RUNS,
    );
  });

  it('with cum: marginRatio at the liquidation price is 1 (within 1e-30 × margin ÷ MM) when MM there is positive', () => {
    fc.assert(
      fc.property(positionWithCumArb, ({ position }) => {
        const lp = liquidationPrice(position);
        if (lp === null || position.maintenanceMarginRate.isZero()) return true;
        const m = positionMetrics(position, lp);
        if (m.maintenanceMargin.lte(position.margin.mul('1e-6'))) return true; // MM ≈ 0: the ratio is 0/0-like
        expect(m.marginRatio).not.toBeNull();
        const scale = position.margin.div(m.maintenanceMargin);
        expect(close(m.marginRatio!, new Decimal(1), scale), `${m.marginRatio} for ${describePosition(position)}`).toBe(true);
        return true;
      }),
      RUNS,
    );
  });

  it('the liquidation price lies between entry and bankruptcy (long: BP ≤ LP ≤ entry; short: entry ≤ LP ≤ BP), and cum = 0 makes both exist or neither', () => {
    fc.assert(
      fc.property(positionArb, ({ position }) => {
        const lp = liquidationPrice(position);
        const bp = bankruptcyPrice(position);
        const e = position.entryPrice;
        expect(lp === null, `LP ${lp} vs BP ${bp}: ${describePosition(position)}`).toBe(bp === null);
        if (lp === null || bp === null) return true;
        const ordered = position.side === 'long' ? bp.lte(lp) && lp.lte(e) : e.lte(lp) && lp.lte(bp);
        expect(ordered, `BP ${bp} LP ${lp} E ${e}: ${describePosition(position)}`).toBe(true);
        return true;
      }),
      RUNS,
    );
  });

  it('with cum: LP is between entry and BP whenever MM at the bankruptcy price is ≥ 0; when it is negative (≈ 1×), LP lies past BP', () => {
    fc.assert(
      fc.property(positionWithCumArb, ({ position }) => {
        const lp = liquidationPrice(position);
        const bp = bankruptcyPrice(position);
        const e = position.entryPrice;
        if (lp === null) return true;
        const longSide = position.side === 'long';
        expect(longSide ? lp.lte(e) : e.lte(lp), describePosition(position)).toBe(true);
        if (bp === null) return true;
        // With a single bracket, MM = N·MMR − cum turns negative once the notional falls below cum/MMR, i.e. the
        // position is only "liquidated" after its equity has gone below zero. Real venues would re-bracket there.
        const mmAtBankruptcy = positionMetrics(position, bp).maintenanceMargin;
        if (mmAtBankruptcy.gte(0)) {
          expect(longSide ? bp.lte(lp) : lp.lte(bp), `BP ${bp} LP ${lp}: ${describePosition(position)}`).toBe(true);
        } else {
          expect(longSide ? lp.lt(bp) : lp.gt(bp), `BP ${bp} LP ${lp}: ${describePosition(position)}`).toBe(true);
        }
        return true;
      }),
      RUNS,
    );
  });

  it('for a fixed quantity and entry, higher leverage (less margin) never moves the liquidation price further from entry', () => {
    const arb = fc
      .record({
        contract: contractArb,
        side: sideArb,
        entryPrice: entryArb,
        mmrUnits: mmrUnitsArb,
        quantity: fc.integer({ min: 1, max: 10_000_000 }).map((k) => new Decimal(k).div(1000).toString()),
        cumPermille: fc.constantFrom(0, 0, 500, 1000),
      })
      .chain((r) => fc.tuple(fc.constant(r), leverageTenthsArb(r.mmrUnits), leverageTenthsArb(r.mmrUnits)));
    fc.assert(
      fc.property(arb, ([r, t1, t2]) => {
        const [lowTenths, highTenths] = t1 <= t2 ? [t1, t2] : [t2, t1];
        const open = (tenths: number) => {
          const base = openPosition({
            contract: r.contract,
            side: r.side,
            entryPrice: r.entryPrice,
            quantity: r.quantity,
            leverage: new Decimal(tenths).div(10),
            maintenanceMarginRate: new Decimal(r.mmrUnits).div(10_000),
          });
          // Same cum for both leverages: a fraction of the (shared) entry notional × MMR / 10.
          const cum = positionMetrics(base, base.entryPrice).notional.mul(base.maintenanceMarginRate).div(10).mul(r.cumPermille).div(1000);
          return normalizePosition({ ...base, maintenanceAmount: cum });
        };
        const low = open(lowTenths);
        const high = open(highTenths);
        const lpLow = liquidationPrice(low);
        const lpHigh = liquidationPrice(high);
        // null = cannot be liquidated = infinitely far from entry.
        if (lpHigh === null) return lpLow === null;
        if (lpLow === null) return true;
        const e = low.entryPrice;
        expect(lpHigh.sub(e).abs().lte(lpLow.sub(e).abs()), `${lowTenths / 10}× → ${lpLow}, ${highTenths / 10}× → ${lpHigh}: ${describePosition(low)}`).toBe(true);
        return true;
      }),
      RUNS,
    );
  });

  it('is deterministic: two calls (and string vs Decimal inputs) give identical strings for every output', () => {
    fc.assert(
      fc.property(positionWithCumArb, markFactorArb, ({ input, position }, factor) => {
        const marks = [markAt(position, factor), position.entryPrice];
        const lp = liquidationPrice(position);
        if (lp !== null) marks.push(lp);
        const first = everythingAsStrings(position, marks);
        const again = everythingAsStrings(openPosition(input), marks);
        const fromStrings = everythingAsStrings(
          normalizePosition({
            contract: position.contract,
            side: position.side,
            entryPrice: position.entryPrice.toString(),
            quantity: position.quantity.toString(),
            margin: position.margin.toString(),
            maintenanceMarginRate: position.maintenanceMarginRate.toString(),
            maintenanceAmount: position.maintenanceAmount.toString(),
            contractSize: position.contractSize.toString(),
            leverage: position.leverage === null ? null : position.leverage.toString(),
          }),
          marks.map((m) => m.toString()),
        );
        expect(again).toEqual(first);
        expect(fromStrings).toEqual(first);
        return true;
      }),
      RUNS,
    );
  });

  it('has no NaN or Infinity in any Decimal output, for any valid mark price (10⁻⁴ × … 10⁴ × entry, and the LP/BP themselves)', () => {
    fc.assert(
      fc.property(positionWithCumArb, markFactorArb, ({ position }, factor) => {
        const marks = [markAt(position, factor), position.entryPrice];
        for (const price of [liquidationPrice(position), bankruptcyPrice(position)]) if (price !== null) marks.push(price);
        for (const mark of marks) {
          for (const [name, value] of decimalOutputs(position, mark)) {
            if (value === null) continue;
            expect(value, name).toBeInstanceOf(Decimal);
            expect(value.isFinite(), `${name} = ${value} at ${mark}: ${describePosition(position)}`).toBe(true);
          }
        }
        return true;
      }),
      RUNS,
    );
  });

  it('isLiquidatable ⇔ equity ≤ maintenance margin (away from the 1e-30 rounding band), ⇔ distanceToLiquidation ≤ 0', () => {
    fc.assert(
      fc.property(positionWithCumArb, markFactorArb, ({ position }, factor) => {
        const mark = markAt(position, factor);
        const m = positionMetrics(position, mark);
        const gap = m.equity.sub(m.maintenanceMargin);
        if (gap.abs().gt(position.margin.mul(TOLERANCE))) {
          expect(m.isLiquidatable, `equity ${m.equity} MM ${m.maintenanceMargin} at ${mark}: ${describePosition(position)}`).toBe(gap.lte(0));
        }
        if (m.distanceToLiquidation === null) expect(m.isLiquidatable).toBe(false);
        else expect(m.isLiquidatable).toBe(m.distanceToLiquidation.lte(0));
        return true;
      }),
      RUNS,
    );
  });

  it('isLiquidatable flips exactly at the liquidation price: true at LP, false one 1e-20 step on the safe side, true one step past', () => {
    fc.assert(
      fc.property(positionWithCumArb, ({ position }) => {
        const lp = liquidationPrice(position);
        if (lp === null) return true;
        const step = lp.mul('1e-20');
        const [safe, past] = position.side === 'long' ? [lp.add(step), lp.sub(step)] : [lp.sub(step), lp.add(step)];
        const at = positionMetrics(position, lp);
        expect(at.isLiquidatable, `at LP ${lp}: ${describePosition(position)}`).toBe(true);
        expect(at.distanceToLiquidation!.isZero()).toBe(true);
        expect(positionMetrics(position, safe).isLiquidatable, `safe side: ${describePosition(position)}`).toBe(false);
        expect(positionMetrics(position, past).isLiquidatable, `past LP: ${describePosition(position)}`).toBe(true);
        // Off the rounding band equity and MM agree with the verdict.
        const safeMetrics = positionMetrics(position, safe);
        expect(safeMetrics.equity.gt(safeMetrics.maintenanceMargin)).toBe(true);
        return true;
      }),
      RUNS,
    );
  });

  it('openPosition by margin never holds more than the chosen leverage, and 1× linear longs / inverse shorts have null LP and BP', () => {
    const arb = fc.record({
      contract: contractArb,
      side: sideArb,
      entryPrice: fc.oneof(entryArb, fc.integer({ min: 1, max: 1_000_000 }).map(String)),
      margin: fc.integer({ min: 1, max: 100_000_000 }).map((k) => new Decimal(k).div(100).toString()),
      oneX: fc.boolean(),
      tenths: fc.integer({ min: 10, max: 1250 }),
      contractSize: fc.oneof(fc.constant(undefined), fc.integer({ min: 1, max: 1000 }).map(String)),
    });
    fc.assert(
      fc.property(arb, ({ contract, side, entryPrice, margin, oneX, tenths, contractSize }) => {
        const leverage = oneX ? '1' : new Decimal(tenths).div(10).toString();
        const position = openPosition({
          contract,
          side,
          entryPrice,
          leverage,
          margin,
          maintenanceMarginRate: '0.004',
          ...(contractSize === undefined ? {} : { contractSize }),
        });
        const m = positionMetrics(position, position.entryPrice);
        expect(m.effectiveLeverage.lte(leverage), `${m.effectiveLeverage} > ${leverage}: ${describePosition(position)}`).toBe(true);
        // …and no more than one unit in the 30th digit below it.
        expect(m.effectiveLeverage.gte(new Decimal(leverage).mul(new Decimal(1).sub(TOLERANCE)))).toBe(true);
        const cannotFail = leverage === '1' && ((contract === 'linear' && side === 'long') || (contract === 'inverse' && side === 'short'));
        if (cannotFail) {
          expect(liquidationPrice(position), describePosition(position)).toBeNull();
          expect(bankruptcyPrice(position), describePosition(position)).toBeNull();
        }
        return true;
      }),
      RUNS,
    );
  });
});
