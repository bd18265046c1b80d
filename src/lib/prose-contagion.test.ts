import { describe, expect, it } from 'vitest';
import { contagionReading, cutTable, enginesCompared, lessonState, scenarioFacts } from './prose-contagion';

describe('the contagion lesson figures', () => {
  const base = contagionReading();

  it('quote the widget’s first figure: the same story and the link to the same state', () => {
    expect(base.link).toBe('/widgets/contagion-network/?v=2&shock=20&pool=shared&oracle=shared&receipt=marked&delay=1&dev=0.5&depth=150000&n=10000&seed=1');
    expect(base.story[0]).toBe('Protocol A is first hit in block 1 by the 20.0\u202f% fall itself, once its oracle reports it.');
    expect([base.A.firstBlock, base.C.firstBlock, base.B.firstBlock]).toEqual(['1', '2', '3']);
    expect(base.shock).toBe('20\u202f%');
    expect(base.shockPrice).toBe('2,400 USDC');
    // B is reached below its first liquidation price, which the fall alone does not reach.
    expect(base.bFirstFall).toMatch(/^2\d(\.\d)?\u202f%$/);
    expect(base.bOracle).not.toBeNull();
  });

  it('refuse a state the widget would clamp, so the text never quotes a state its link cannot open', () => {
    expect(() => lessonState({ shock: '80' })).toThrow(/Price shock 80 is above the maximum 60/);
    expect(lessonState({ oracle: 'own' }).oracle).toBe('own');
  });

  it('tabulate every cut, with B spared exactly when its oracle no longer follows the shared pool', () => {
    const rows = cutTable();
    expect(rows.map((r) => r.key)).toEqual(['All links', 'Pool cut', 'Oracle cut', 'Pool and oracle cut', 'Receipt cut', 'Every link cut']);
    for (const row of rows) expect(row.A).toEqual(rows[0]!.A);
    expect(rows.filter((r) => r.B.liquidations === '0').map((r) => r.key)).toEqual(['Oracle cut', 'Pool and oracle cut', 'Every link cut']);
    expect(rows.find((r) => r.key === 'Receipt cut')!.C.liquidations).toBe('0, price fixed');
    expect(rows[0]!.C.liquidations).toBe(base.C.liquidations);
  });

  it('show the fixed receipt price hiding a loss after a deep fall', () => {
    const fixed = contagionReading({ shock: '45', receipt: 'fixed' });
    expect(fixed.C.hiddenValue.gt(0)).toBe(true);
    expect(fixed.C.liquidationCount).toBe(0);
    expect(contagionReading({ shock: '45' }).C.badDebtValue.gt(0)).toBe(true);
  });

  it('describe the scenario with the preset’s parameters', () => {
    const facts = scenarioFacts();
    expect(facts.wethThreshold).toBe('86\u202f%');
    expect(facts.usdcThreshold).toBe('88.5\u202f%');
    expect(facts.depthUsdc).toBe('450 million USDC');
  });
});

describe('the engines compared', () => {
  it('take the exchange run of the insurance-fund lesson and the contagion run, with a slower oracle holding liquidations back', () => {
    const e = enginesCompared();
    expect(e.cefi.link).toContain('move=-8');
    expect(e.cefi.adl).toMatch(/USDT$/);
    expect(e.defi.A.badDebtValue.gt(0)).toBe(true);
    expect(Number(e.slow.A.firstBlock)).toBeGreaterThan(Number(e.defi.A.firstBlock));
    expect(Number(e.slow.B.firstBlock)).toBeGreaterThan(Number(e.defi.B.firstBlock));
  });
});
