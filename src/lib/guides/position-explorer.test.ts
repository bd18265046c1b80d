import { describe, expect, it } from 'vitest';
import { positionExplorerGuide } from './position-explorer';
import { readExplorerState, type ExplorerState } from '../../widgets/position-explorer/state';
import { clampMark, openFrame } from '../../widgets/position-explorer/model';

const g = positionExplorerGuide();

/** Parses a guide link back with the widget's own reader. */
function open(link: string): { state: ExplorerState; notes: string[] } {
  expect(link.startsWith('/widgets/position-explorer/?')).toBe(true);
  return readExplorerState(link.slice(link.indexOf('?') + 1));
}

describe('position explorer guide: figures', () => {
  it('Q1: 10× long of 1,000 USDT at 60,000, mark 57,000: the margin ratio', () => {
    // By hand: quantity = 10,000 / 60,000 = 1/6 BTC. At 57,000: PnL = −3,000 / 6 = −500, equity = 500,
    // maintenance = 0.4 % × 57,000 / 6 = 38, ratio = 38 / 500 = 7.6 %.
    expect(g.q1.answer).toBe('7.6');
    expect(g.q1.equity).toBe('500.00 USDT');
    expect(g.q1.maintenance).toBe('38.00 USDT');
  });

  it("Q2 and Q3: the fall that liquidates a linear long, by Binance's isolated formula", () => {
    // Binance (USDⓈ-M FAQ), one position, no maintenance amount: LP = entry × (1 − 1/L) / (1 − mmr).
    const move = (leverage: number) => (1 - (1 - 1 / leverage) / (1 - 0.004)) * 100;
    expect(Number(g.q2.answer)).toBeCloseTo(move(25), 2); // 3.61 %
    expect(Number(g.q3.answer)).toBeCloseTo(move(100), 2); // 0.60 %
    expect(g.q2.naive).toBe('4\u202f%');
    // Bankruptcy at 100×: 1 % below entry, 59,400.
    expect(g.q3.bankruptcy).toBe('59,400.00 USDT');
    expect(g.q3.bankruptcyMove).toBe('1.00\u202f%');
  });

  it('activity: the distances the class reads off the widget', () => {
    const fall = (leverage: number) => (1 - (1 - 1 / leverage) / (1 - 0.004)) * 100;
    expect(g.activity.start.text.liquidation).toBe('54,216.87 USDT'); // 60,000 × 0.9 / 0.996
    expect(g.activity.lev20.distance).toBe(`${fall(20).toFixed(2)}\u202f% fall`);
    expect(g.activity.lev50.distance).toBe(`${fall(50).toFixed(2)}\u202f% fall`);
    // Short: LP = entry × (1 + 1/L) / (1 + mmr) = 66,000 / 1.004.
    expect(g.activity.short.liquidation).toBe('65,737.05 USDT');
    expect(g.activity.short.distance).toBe(`${((1.1 / 1.004 - 1) * 100).toFixed(2)}\u202f% rise`);
  });
});

describe('position explorer guide: going further', () => {
  it('a 1× linear long cannot be liquidated; a 1× inverse long can', () => {
    expect(g.further.linear1xLiquidation).toBeNull();
    // Inverse long, margin in BTC: liquidated before the price halves (bankruptcy at entry ÷ 2 = 30,000).
    expect(g.further.inverse1xLiquidation!.gt(30000)).toBe(true);
    expect(g.further.inverse1xLiquidation!.lt(60000)).toBe(true);
  });
});

describe('position explorer guide: links', () => {
  const links: [string, Partial<ExplorerState>][] = [
    [g.activity.start.link, { contract: 'linear', side: 'long', lev: '10', mark: '60000' }],
    [g.activity.lev20.link, { lev: '20' }],
    [g.activity.lev50.link, { lev: '50' }],
    [g.activity.short.link, { side: 'short' }],
    [g.activity.inverse.link, { contract: 'inverse', margin: '0.02' }],
    [g.activity.inverseShort.link, { contract: 'inverse', side: 'short' }],
    [g.q1.link, { lev: '10', mark: '57000' }],
    [g.q2.link, { lev: '25', mark: '60000' }],
    [g.q3.link, { lev: '100', mark: '60000' }],
    [g.further.linear1x, { contract: 'linear', lev: '1' }],
    [g.further.inverse1x, { contract: 'inverse', lev: '1' }],
  ];
  it.each(links)('%s opens the intended state with no notes, its mark on the slider', (link, expected) => {
    const { state, notes } = open(link);
    expect(notes).toEqual([]);
    expect(state).toMatchObject(expected);
    const frame = openFrame(state);
    expect(frame.ok).toBe(true);
    if (frame.ok) expect(clampMark(frame.frame, state.mark)).toBe(state.mark);
  });
});
