/**
 * The explorer's model against figures derived by hand from the default account (10 WETH at 2,500 and 0.25 WBTC at
 * 60,000 against 24,000 USDC and 2,000 DAI, Aave v3 Ethereum preset: WETH LT 0.86 / LTV 0.825 / bonus 5.2 % / fee
 * 10 %, WBTC LT 0.82 / LTV 0.72) and against the engine itself where the figure is the engine's.
 */
import { describe, expect, it } from 'vitest';
import { Decimal, healthFactor, listProtocolPresets, protocolPreset } from '../../engine';
import { borrowingSentence, hfAfterText, liquidationSentences, readExplorer, REFERENCE_PRICES, verdict, type ExplorerReading } from './model';
import { defaultExplorerState, MOVE_MAX, MOVE_MIN, type ExplorerState } from './state';

const D = (v: string | number) => new Decimal(v);
function reading(overrides: Partial<ExplorerState> = {}): ExplorerReading {
  const result = readExplorer(defaultExplorerState(overrides));
  if (!result.ok) throw new Error(result.message);
  return result.reading;
}

describe('the default account', () => {
  const r = reading();

  it('health factor (25,000 × 0.86 + 15,000 × 0.82) ÷ 26,000 = 33,800 ÷ 26,000 = 1.3', () => {
    expect(r.healthFactor!.eq('1.3')).toBe(true);
    expect(r.values.thresholdValue.eq(33800)).toBe(true);
    expect(r.status).toBe('healthy');
  });

  it('borrowing limit 25,000 × 0.825 + 15,000 × 0.72 = 31,425, so 5,425 of borrowing power', () => {
    expect(r.values.borrowLimit.eq(31425)).toBe(true);
    expect(r.borrowingPower.eq(5425)).toBe(true);
    expect(borrowingSentence(r)).toContain('$5,425 more can be borrowed');
    // A borrow right up to the limit would start at HF 33,800 ÷ 31,425 = 1.08, not 1.
    expect(borrowingSentence(r)).toContain('health factor of 1.08');
  });

  it('WETH liquidates at (26,000 − 12,300) ÷ 8.6 = 1,593.02, the point where the health factor is 1', () => {
    expect(r.liquidationPrice!.eq(D(13700).div('8.6'))).toBe(true);
    expect(verdict(r)).toBe('Health factor 1.30 with WETH at 2,500 (no move). It reaches 1, and the account can be liquidated, at WETH 1,593 (−36.3\u202f% from 2,500).');
    // The close factor's boundary: HF 0.95 at (0.95 × 26,000 − 12,300) ÷ 8.6.
    expect(r.fullClosePrice!.eq(D(24700).sub(12300).div('8.6'))).toBe(true);
    // All collateral falling together: 1 − 1/1.3 = 23.08 %.
    expect(r.uniformDrop!.eq(D(1).sub(D(1).div('1.3')))).toBe(true);
  });

  it('draws the health factor over the whole slider range, equal to the engine at every point', () => {
    expect(r.curve.points.length).toBe(97);
    expect(r.curve.xDomain).toEqual([2500 * (1 + MOVE_MIN / 100), 2500 * (1 + MOVE_MAX / 100)]);
    for (const [x, y] of r.curve.points) {
      const hf = healthFactor(r.account, { ...r.prices, WETH: D(x) })!;
      expect(Math.abs(hf.toNumber() - y)).toBeLessThan(1e-9);
    }
    expect(r.curve.yDomain[1]).toBeGreaterThanOrEqual(2);
  });

  it('nobody can liquidate at the reference price', () => {
    expect(r.liquidation.liquidatable).toBe(false);
    expect(liquidationSentences(r)[0]).toContain('Nobody can liquidate');
  });
});

describe('what a liquidator seizes', () => {
  it('at WETH −38 % (HF 0.99): v3.3 lets the liquidator repay half the whole debt, 13,000 USDC; v3.0 half the USDC, 12,000', () => {
    const r = reading({ move: '-38' });
    // 10 × 1,550 × 0.86 + 12,300 = 25,630; ÷ 26,000 = 0.98577 > 0.95.
    expect(r.healthFactor!.eq(D(25630).div(26000))).toBe(true);
    expect(r.liquidation.closeFactorReason).toBe('health-factor');
    expect(r.liquidation.debtRepaid.eq(13000)).toBe(true);
    // Seized: 13,000 × 1.052 ÷ 1,550 WETH; the protocol's 10 % of the 676 bonus is 67.6.
    expect(r.liquidation.collateralSeized.eq(D(13676).div(1550))).toBe(true);
    expect(r.liquidation.values.protocolFee.sub('67.6').abs().lt('1e-30')).toBe(true);
    expect(reading({ move: '-38', rules: 'v3.0' }).liquidation.debtRepaid.eq(12000)).toBe(true);
    // The whole-position rule in one line: the 2,000 DAI is less than half the debt, so all of it may go in one call.
    expect(reading({ move: '-38', r: '2' }).liquidation.debtRepaid.eq(2000)).toBe(true);
    expect(reading({ move: '-38', r: '2', rules: 'v3.0' }).liquidation.debtRepaid.eq(1000)).toBe(true);
    const text = liquidationSentences(r);
    expect(text[0]).toBe(
      'A liquidator repays 13,000 USDC ($13,000) and seizes 8.8232 WETH ($13,676): the repaid value plus a 5.2\u202f% bonus. Of the bonus, the protocol keeps $68 and the liquidator $608.',
    );
    expect(text[1]).toBe("Close factor 50\u202f% of the whole position's debt ($26,000), because the health factor 0.99 is above 0.95: at most 13,000 USDC in this call.");
    expect(text[2]).toMatch(/^Health factor after: 1\.07, better than 0\.99, because it was above 0\.860 × 1\.052 = 0\.905/);
  });

  it('raises the health factor above LT × (1 + bonus) = 0.86 × 1.052 = 0.90472 and lowers it below', () => {
    const r0 = reading();
    expect(r0.seized.worsenBelow.eq('0.90472')).toBe(true);
    let improved = 0;
    let worsened = 0;
    for (let move = -60; move <= -37; move += 0.5) {
      const r = reading({ move: String(move) });
      const l = r.liquidation;
      // Capped or not, the seized value is the repaid value × (1 + bonus), so the same sign rule holds.
      if (!l.liquidatable || l.healthFactorAfter === null || l.deficit.gt(0)) continue;
      const change = l.healthFactorAfter.sub(l.healthFactorBefore!);
      if (l.healthFactorBefore!.gt(r.seized.worsenBelow)) {
        expect(change.gt(0), `move ${move}`).toBe(true);
        improved++;
      } else {
        expect(change.lt(0), `move ${move}`).toBe(true);
        worsened++;
      }
    }
    // Seizing WBTC (LT 0.82): worsens below 0.82 × 1.052 = 0.86264.
    for (let move = -60; move <= -37; move += 0.5) {
      const r = reading({ move: String(move), s: '2' });
      const l = r.liquidation;
      if (!l.liquidatable || l.healthFactorAfter === null || l.deficit.gt(0)) continue;
      const change = l.healthFactorAfter.sub(l.healthFactorBefore!);
      expect(change.isPos() === l.healthFactorBefore!.gt(r.seized.worsenBelow), `move ${move}`).toBe(true);
      if (change.isNeg()) worsened++;
      else improved++;
    }
    expect(improved).toBeGreaterThan(0);
    expect(worsened).toBeGreaterThan(0);
  });

  it('says plainly when a liquidation makes things worse and when it leaves bad debt', () => {
    // WETH at 1,000: collateral 10,000 + 15,000 = 25,000 < 26,000 of debt.
    const r = reading({ move: '-60' });
    const text = liquidationSentences(r).join(' ');
    expect(text).toMatch(/Health factor after: 0\.\d+, worse than 0\.80\./);
    expect(text).toContain('bad debt');
    expect(r.liquidation.badDebt.gt(0)).toBe(true);
    expect(verdict(r)).toMatch(/below 1, so anyone may liquidate/);
  });
});

describe('edge cases the reader can reach', () => {
  it('shows a third decimal when two would hide that the health factor moved', () => {
    expect(hfAfterText(D('0.8912'), D('0.8874'))).toBe('0.887');
    expect(hfAfterText(D('0.8912'), D('0.8512'))).toBe('0.85');
    expect(hfAfterText(D('0.8912'), null)).toBe('none (no debt)');
    // Repaying DAI at WETH −50 % moves the health factor by less than 0.005: the text shows both to 3 decimals.
    const r = reading({ move: '-50', r: '2' });
    expect(liquidationSentences(r).join(' ')).toMatch(/Health factor after: 0\.\d{3}, worse than 0\.\d{3}\./);
  });


  it('no debt: no health factor, nothing to liquidate', () => {
    const r = reading({ b1: '0', b2: '0' });
    expect(r.status).toBe('no-debt');
    expect(r.healthFactor).toBeNull();
    expect(verdict(r)).toMatch(/^No debt, so no health factor/);
    expect(r.curve.points).toEqual([]);
  });

  it('moving an empty slot: no price of it liquidates, and the verdict says why', () => {
    const r = reading({ a1: '0' });
    expect(r.liquidationPrice).toBeNull();
    // 12,300 ÷ 26,000 < 1 with no WETH at all: liquidatable at any WETH price.
    expect(verdict(r)).toContain('below 1 at any WETH price');
  });

  it('every asset of every preset has a reference price', () => {
    for (const id of listProtocolPresets()) {
      for (const a of protocolPreset(id).assets) expect(REFERENCE_PRICES[a.asset], a.asset).toBeDefined();
    }
  });
});
