import { describe, expect, it } from 'vitest';
import { Decimal } from '../../engine';
import { readExplorerState } from '../../widgets/health-factor-explorer/state';
import { healthFactorGuide } from './health-factor-explorer';

const g = healthFactorGuide();
const close = (actual: Decimal, expected: number, digits = 6) => expect(actual.toNumber()).toBeCloseTo(expected, digits);

/** A guide link, parsed back the way the widget parses its address. */
function open(link: string) {
  const url = new URL(link, 'https://example.org');
  expect(url.pathname).toBe('/widgets/health-factor-explorer/');
  return readExplorerState(url.searchParams);
}

// Hand calculations use the Aave v3 Ethereum preset as shipped (content/protocols): WETH LT 0.86, bonus 5.2 %;
// WBTC LT 0.82; USDC LT 0.885; close factor 50 % above a health factor of 0.95, 100 % at or below.
// The widget's account: 10 WETH at 2,500 and 0.25 WBTC at 60,000 against 24,000 USDC and 2,000 DAI.
describe('health factor guide: figures against hand calculations', () => {
  it('starts at a health factor of 1.30', () => {
    // (10 × 2,500 × 0.86 + 0.25 × 60,000 × 0.82) ÷ 26,000 = (21,500 + 12,300) ÷ 26,000 = 1.3
    expect(g.start.healthFactor).toBe('1.30');
    expect(g.start.line).toBe('$33,800');
    expect(g.start.debt).toBe('$26,000');
    expect(g.start.holdings).toBe('10\u00a0WETH and 0.25\u00a0WBTC');
    expect(g.start.naiveFall).toBe('30\u202f%');
  });

  it('over the borrowing limit at −30 %, still above 1', () => {
    // WETH at 1,750: limit 10 × 1,750 × 0.825 + 15,000 × 0.72 = 25,238 < 26,000 debt (762 over);
    // HF (15,050 + 12,300) ÷ 26,000 = 1.052.
    close(g.overLimit.values.power, 14437.5 + 10800 - 26000);
    expect(g.overLimit.over).toBe('$762');
    close(g.overLimit.values.healthFactor, 27350 / 26000);
  });

  it('WETH at the slider\'s floor leaves the WBTC holding the health factor up', () => {
    // WETH at 125 (−95 %): (10 × 125 × 0.86 + 12,300) ÷ 26,000 = 13,375 ÷ 26,000 = 0.514.
    close(g.start.floorValue, 13375 / 26000);
    expect(g.start.floorMove).toBe('95\u202f%');
  });

  it('the whole debt may be repaid below 0.95', () => {
    // (8.6 × P + 12,300) ÷ 26,000 = 0.95: P = 12,400 ÷ 8.6 = 1,441.86.
    expect(g.start.fullClosePrice).toBe('$1,442');
  });

  it('question 1: WETH alone falls further than 1 − 1/HF', () => {
    // WETH at P reaches HF 1 when 10 × P × 0.86 + 12,300 = 26,000: P = 13,700 ÷ 8.6 = 1,593.02, a fall of 36.28 %.
    close(g.q1.values.liquidationPrice, 13700 / 8.6, 4);
    expect(g.q1.answer).toBe('36.3');
    // Every price together: 1 − 1 ÷ 1.3 = 23.08 %.
    close(g.q1.values.uniformDrop, 1 - 1 / 1.3);
    expect(g.q1.uniformDrop).toBe('23.1\u202f%');
    expect(g.q1.wbtcLine).toBe('$12,300');
    expect(g.q1.values.fall.gt(g.q1.values.uniformDrop)).toBe(true);
  });

  it('question 2: half of the whole debt under v3.3, half of one debt under v3.0', () => {
    // WETH at 1,550: HF = (13,330 + 12,300) ÷ 26,000 = 0.986, above 0.95: close factor 50 %.
    expect(g.q2.wethPrice).toBe('$1,550');
    expect(g.q2.healthFactor).toBe('0.99');
    // v3.3: 50 % of 26,000 = 13,000 USDC; seized 13,000 × 1.052 ÷ 1,550 = 8.8232 WETH.
    expect(g.q2.answer).toBe('13000');
    close(g.q2.values.seized, (13000 * 1.052) / 1550, 8);
    // v3.0: 50 % of the 24,000 USDC debt alone.
    expect(g.q2.repaidV30).toBe('12,000');
    // DAI: v3.3 lets the whole 2,000 go (under half the whole debt); v3.0 half of it.
    expect(g.q2.repaidDai).toBe('2,000');
    expect(g.q2.repaidDaiV30).toBe('1,000');
  });

  it('question 3: below LT × (1 + bonus) the liquidation lowers the health factor', () => {
    // WETH at 1,250: HF = (10,750 + 12,300) ÷ 26,000 = 0.8865 ≤ 0.95, close factor 100 %, but 10 WETH are worth only
    // 12,500: the liquidator takes them all and repays 12,500 ÷ 1.052 = 11,882.13.
    close(g.q3.values.repaid, 12500 / 1.052, 6);
    expect(g.q3.answer).toBe('11882');
    close(g.q3.values.before, 23050 / 26000);
    // After: 12,300 ÷ (26,000 − 11,882.13) = 0.8712, lower than before.
    close(g.q3.values.after, 12300 / (26000 - 12500 / 1.052));
    expect(g.q3.values.after.lt(g.q3.values.before)).toBe(true);
    expect(g.q3.edge).toBe('0.905'); // 0.86 × 1.052 = 0.90472
    // WETH at 1,375: HF 0.9279 is above 0.905, so the same liquidation raises it: 12,300 ÷ (26,000 − 13,750 ÷ 1.052).
    close(g.q3.values.helpsBefore, (13750 * 0.86 + 12300) / 26000);
    close(g.q3.values.helpsAfter, 12300 / (26000 - 13750 / 1.052));
    expect(g.q3.values.helpsAfter.gt(g.q3.values.helpsBefore)).toBe(true);
  });

  it('WBTC alone and a stablecoin in its place', () => {
    // WBTC at P reaches HF 1 when 21,500 + 0.25 × P × 0.82 = 26,000: P = 4,500 ÷ 0.205 = 21,951.22, a fall of 63.4 %.
    close(g.wbtc.values.liquidationPrice, 4500 / 0.205, 4);
    expect(g.wbtc.fall).toBe('63.4\u202f%');
    // 15,000 USDC at LT 0.885 = 13,275: WETH then reaches HF 1 at (26,000 − 13,275) ÷ 8.6 = 1,479.65.
    close(g.stable.values.liquidationPrice, 12725 / 8.6, 4);
  });
});

describe('health factor guide: every link opens the state it describes', () => {
  const links: [string, string, Record<string, string>][] = [
    ['start', g.start.link, { move: '0', k: '1', rules: 'v3.3' }],
    ['q1', g.q1.link, { move: '0' }],
    ['over the limit', g.overLimit.link, { move: '-30' }],
    ['q2', g.q2.link, { move: '-38', r: '1', s: '1', rules: 'v3.3' }],
    ['q2 v3.0', g.q2.linkV30, { move: '-38', rules: 'v3.0' }],
    ['q2 DAI', g.q2.linkDai, { move: '-38', r: '2', rules: 'v3.3' }],
    ['q2 DAI v3.0', g.q2.linkDaiV30, { move: '-38', r: '2', rules: 'v3.0' }],
    ['q3', g.q3.link, { move: '-50', s: '1' }],
    ['q3 helps', g.q3.linkHelps, { move: '-45', s: '1' }],
    ['q3 WBTC', g.q3.linkWbtc, { move: '-50', s: '2' }],
    ['WBTC moves', g.wbtc.link, { k: '2', move: '0' }],
    ['stablecoin', g.stable.link, { c2: 'USDC', a2: '15000' }],
  ];
  it.each(links)('%s', (_name, link, expected) => {
    const { state, notes } = open(link);
    expect(notes).toEqual([]);
    expect(state).toMatchObject({ protocol: 'aave-v3-ethereum', c1: 'WETH', a1: '10', d1: 'USDC', b1: '24000', ...expected });
  });
});
