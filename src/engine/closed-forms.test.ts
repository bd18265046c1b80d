/**
 * With no maintenance amount, the liquidation price depends only on entry E, leverage L and the
 * maintenance rate m. The lesson prints these four closed forms; here they are checked against the engine:
 *   linear long   E·(1 − 1/L) / (1 − m)        linear short   E·(1 + 1/L) / (1 + m)
 *   inverse long  E·(1 + m) / (1 + 1/L)        inverse short  E·(1 − m) / (1 − 1/L)   (none at 1×)
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal, liquidationPrice, openPosition, type ContractKind, type Side } from './index.ts';

const ONE = new Decimal(1);

function closedForm(contract: ContractKind, side: Side, e: Decimal, l: Decimal, m: Decimal): Decimal | null {
  const inv = ONE.div(l);
  if (contract === 'linear') {
    const price = side === 'long' ? e.mul(ONE.sub(inv)).div(ONE.sub(m)) : e.mul(ONE.add(inv)).div(ONE.add(m));
    return price.gt(0) ? price : null;
  }
  if (side === 'long') return e.mul(ONE.add(m)).div(ONE.add(inv));
  const denominator = ONE.sub(inv);
  return denominator.gt(0) ? e.mul(ONE.sub(m)).div(denominator) : null;
}

describe('closed forms of the liquidation price (no maintenance amount)', () => {
  it('match the engine for every contract, side, leverage and rate', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ContractKind>('linear', 'inverse'),
        fc.constantFrom<Side>('long', 'short'),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 125 }),
        fc.integer({ min: 0, max: 79 }), // rate in 0.01 % steps, up to 0.79 % so 125× still opens
        (contract, side, entry, leverage, rateBp) => {
          const m = new Decimal(rateBp).div(10_000);
          const position = openPosition({ contract, side, entryPrice: entry, leverage, margin: contract === 'linear' ? '1000' : '1', maintenanceMarginRate: m });
          const engine = liquidationPrice(position);
          const expected = closedForm(contract, side, new Decimal(entry), new Decimal(leverage), m);
          if (expected === null || engine === null) {
            // Both say "cannot be liquidated" (1× linear long, 1× inverse short), or the engine's price
            // is a rounding speck above zero where the closed form is exactly zero.
            expect(expected === null ? engine === null || engine.lt('1e-25') : false).toBe(true);
            return;
          }
          expect(engine.sub(expected).abs().lte(expected.mul('1e-30'))).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });
});
