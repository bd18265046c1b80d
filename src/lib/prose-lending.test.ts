import { describe, expect, it } from 'vitest';
import { aaveExample, explorerFacts, liquidationFacts, worseningFacts } from './prose-lending';

const pct = (text: string) => text.replace('\u202f', ' ');

describe('health-factor lesson numbers', () => {
  it("reproduces Aave's example: $10,000 at LT 80 % against $6,000 → 1.333, liquidation after a 25 % fall", () => {
    const a = aaveExample();
    expect(a.healthFactor).toBe('1.333');
    expect(pct(a.drop)).toBe('25 %');
    expect(pct(a.priceDrop)).toBe('25 %');
    expect(a.liquidationPrice).toBe('$1,875');
  });

  it("quotes the explorer's default account as the widget reads it", () => {
    const f = explorerFacts();
    expect(f.healthFactor).toBe('1.30');
    expect(f.limit).toBe('$31,425');
    expect(f.line).toBe('$33,800');
    expect(f.liquidationPrice).toBe('$1,593');
    // 1 − 1/1.3 = 0.230769…
    expect(f.uniformDropAnswer).toBe('23.1');
  });

  it('v3.3 repays half the whole debt where v3.0 repaid half the reserve', () => {
    const l = liquidationFacts();
    expect(l.repaid).toBe('13,000');
    expect(l.repaidV30).toBe('12,000');
    expect(l.daiRepaid).toBe('2,000');
    expect(l.daiRepaidV30).toBe('1,000');
  });

  it('the worsening rule: above 1 + bonus the liquidation helps, below it hurts', () => {
    const w = worseningFacts();
    expect(w.healthy.worse).toBe(false);
    expect(w.sick.worse).toBe(true);
    expect(Number(w.healthy.ratio)).toBeGreaterThan(Number(w.onePlusBonus));
    expect(Number(w.sick.ratio)).toBeLessThan(Number(w.onePlusBonus));
  });
});
