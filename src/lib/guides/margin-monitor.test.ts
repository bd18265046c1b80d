import { describe, expect, it } from 'vitest';
import { marginMonitorGuide } from './margin-monitor';
import { readMonitorState, type MonitorState } from '../../widgets/margin-monitor/state';
import { pricePath } from '../../widgets/margin-monitor/path';

const g = marginMonitorGuide();

describe('margin monitor guide: figures', () => {
  it('Q1: on seed 2 the last reading before liquidation is below the 15 % alert', () => {
    expect(Number(g.q1.answer)).toBeLessThan(15);
    // By hand from the seeded path: 0.5 BTC long from 60,000 on 3,000 USDT, 0.4 % maintenance, and funding of
    // 0.01 % of the position's value paid from the margin at each of the 17 funding times so far:
    // ratio = 0.004 × 0.5 × P₁₇ / (3,000 + 0.5 × (P₁₇ − 60,000) − Σ 0.0001 × 0.5 × Pₖ).
    const prices = pricePath(2, '3').map((p) => Number(p.toString()));
    const at = prices[17]!;
    const funding = prices.slice(1, 18).reduce((sum, p) => sum + 0.0001 * 0.5 * p, 0);
    const ratio = (0.004 * 0.5 * at) / (3000 + 0.5 * (at - 60000) - funding);
    expect(Number(g.q1.answer)).toBeCloseTo(ratio * 100, 1);
    // One funding time later the price is past the liquidation price: 60,000 × 0.9 / 0.996 = 54,216.9.
    expect(Number(prices[18]!.toString())).toBeLessThan(54216.9);
    expect(g.q1.beforeAt).toBe('5 d 16 h');
  });

  it('Q2: on seed 5 the top-ups are lost with the margin', () => {
    // Liquidated with the rule: the trader loses the margin, every top-up and the opening fee (0.05 % of 30,000).
    const topUps = Number(g.q2.topUpTotal.replace(/[^0-9.]/g, ''));
    expect(Number(g.q2.answer)).toBeCloseTo(-(3000 + topUps + 15), 2);
    expect(g.q2.netNone).toBe('−3,015.00 USDT');
  });

  it('Q3: 14 days of funding on a calm path, close to the hand estimate', () => {
    // 42 funding times × 0.01 % × 30,000 USDT = 126 USDT; the notional moves with the price, so the engine's
    // sum differs by the path's average distance from 60,000 (within 5 % on this calm path).
    expect(g.q3.estimate).toBe('126.00 USDT');
    // Funding is charged on the value at each price, so the engine's sum is the estimate scaled by the mean price.
    expect(g.q3.averageAboveEntry).toBe(Number(g.q3.answer) > 126);
    expect(Number(g.q3.answer)).toBeGreaterThan(126 * 0.95);
    expect(Number(g.q3.answer)).toBeLessThan(126 * 1.05);
  });

  it('the activity figures', () => {
    expect(g.activity.start.verdict).toBe('The rule saved the position.');
    expect(g.activity.lateAlert.topUps).toBe('0');
    expect(g.activity.reduce.verdict).toBe('The rule saved the position.');
    expect(g.activity.seed4.verdict).toBe('The rule saved the position.');
    // Saved, yet a worse net result than being liquidated without the rule.
    const num = (text: string) => Number(text.replace(/\u2212/, '-').replace(/[^0-9.-]/g, ''));
    expect(num(g.activity.seed4.netRule)).toBeLessThan(num(g.activity.seed4.netNone));
  });
});

describe('margin monitor guide: links', () => {
  const links: [string, Partial<MonitorState>][] = [
    [g.activity.start.link, { side: 'long', lev: '10', m: '3000', seed: '3', rule: 'topup', alert: '15', path: '' }],
    [g.activity.lateAlert.link, { alert: '30', seed: '3' }],
    [g.activity.reduce.link, { rule: 'reduce', seed: '3' }],
    [g.activity.seed4.link, { seed: '4', rule: 'topup' }],
    [g.q1.link, { seed: '2', rule: 'topup', alert: '15' }],
    [g.q2.link, { seed: '5', rule: 'topup' }],
    [g.q3.link, { seed: '7', rule: 'none', f: '0.01' }],
  ];
  it.each(links)('%s opens the intended state with no notes', (link, expected) => {
    expect(link.startsWith('/widgets/margin-monitor/?')).toBe(true);
    const { state, notes } = readMonitorState(link.slice(link.indexOf('?') + 1));
    expect(notes).toEqual([]);
    expect(state).toMatchObject(expected);
  });
});
