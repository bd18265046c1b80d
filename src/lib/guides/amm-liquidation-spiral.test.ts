import { describe, expect, it } from 'vitest';
import { Decimal, borrowerLiquidationPrices } from '../../engine';
import { WETH_PARAMETERS, buildBorrowers } from '../../widgets/amm-liquidation-spiral/model';
import { readSpiralState } from '../../widgets/amm-liquidation-spiral/state';
import { spiralGuide } from './amm-liquidation-spiral';

const g = spiralGuide();

function open(link: string) {
  const url = new URL(link, 'https://example.org');
  expect(url.pathname).toBe('/widgets/amm-liquidation-spiral/');
  return readSpiralState(url.searchParams);
}

describe('AMM spiral guide: figures against independent checks', () => {
  it('question 1: with the oracle on the outside market, the shock alone decides who is liquidated', () => {
    // A loan is liquidatable once the price is below its liquidation price, debt ÷ (collateral × LT). With the oracle
    // on the outside market the protocol never sees a price below 3,000 × 0.88 = 2,640, so the liquidated loans are
    // exactly those whose liquidation price is above 2,640: counted here from the population, without the cascade.
    expect(g.outside.values.target.toString()).toBe('2640');
    const prices = borrowerLiquidationPrices(buildBorrowers({ n: '2000', seed: '1' }), WETH_PARAMETERS.liquidationThreshold);
    const reached = prices.filter((p) => p.gt(g.outside.values.target)).length;
    expect(g.outside.values.count).toBe(reached);
    expect(g.outside.answer).toBe(String(reached));
    // The same set seen from the health factors: 1 ÷ (1 − 0.12) = 1.136.
    expect(g.outside.reachesBelow).toBe('1.136');
    // Nobody was below 1 before the shock, and nobody at all when only a pool sale happens (next test).
    expect(prices.filter((p) => p.gte(3000)).length).toBe(0);
  });

  it('question 2: with the oracle on the pool the same shock goes deeper and liquidates more', () => {
    expect(g.loop.values.count).toBeGreaterThan(g.outside.values.count);
    // Deeper than the shock itself (12 %) and deeper than with the outside oracle.
    expect(g.loop.values.lowestFall.gt('0.12')).toBe(true);
    expect(g.loop.values.lowestFall.gt(new Decimal(1).sub(g.outside.values.lowest.div(3000)))).toBe(true);
    expect(g.loop.answer).toBe(g.loop.values.lowestFall.mul(100).toFixed(1));
  });

  it('question 3: one more percent crosses the edge', () => {
    // The widget's borrowers are tuned so that 12 % is just below the edge where the loop runs away (model.ts):
    // 13 % must give more than twice the fall, bad debt where 12 % had none, and most borrowers liquidated.
    expect(g.edge.values.lowestFall.gt(g.loop.values.lowestFall.mul(2))).toBe(true);
    expect(g.edge.values.badDebt.gt(0)).toBe(true);
    expect(g.edge.step).toBe('1\u00a0percentage point');
    expect(g.market.delayText).toBe('1\u00a0block');
    expect(g.edge.values.count).toBeGreaterThan(2000 * 0.9);
    // Twice the pool stops it: a smaller fall and no bad debt.
    expect(g.deep.values.lowestFall.lt(g.edge.values.lowestFall.div(2))).toBe(true);
    expect(g.deep.values.badDebt.isZero()).toBe(true);
  });

  it('a sale of 2,000 WETH into the pool moves it as Uniswap v2 says', () => {
    // x = 20,000 WETH, y = 60,000,000 USDC, 0.3 % fee kept in the pool: y' = x·y ÷ (x + 0.997 × 2,000),
    // x' = 22,000, price y'/x' = 2,480.01 USDC.
    const y = new Decimal(20000).mul(60_000_000).div(new Decimal(20000).add(new Decimal(2000).mul('0.997')));
    expect(g.sell.values.afterShock.sub(y.div(22000)).abs().lt('0.01')).toBe(true);
    // The outside oracle never sees it: no liquidations. The pool oracle does: many.
    expect(g.sell.values.outsideCount).toBe(0);
    expect(g.sell.values.count).toBeGreaterThan(g.loop.values.count);
  });

  it('an oracle with no delay on the pool feeds the loop faster', () => {
    expect(g.fast.values.lowestFall.gt(g.loop.values.lowestFall)).toBe(true);
    expect(g.fast.values.badDebt.gt(0)).toBe(true);
  });

  it('spreading the 13 % over five blocks liquidates fewer loans', () => {
    expect(g.slow.values.count).toBeLessThan(g.edge.values.count / 2);
  });
});

describe('AMM spiral guide: every link opens the state it describes', () => {
  const common = { pool: '20000', arb: '20', delay: '1', dev: '0.5', lpb: '0', n: '2000', seed: '1' };
  const links: [string, string, Record<string, string>][] = [
    ['outside oracle', g.outside.link, { ...common, kind: 'move', move: '-12', over: '1', oracle: 'ref' }],
    ['pool oracle', g.loop.link, { ...common, kind: 'move', move: '-12', over: '1', oracle: 'pool' }],
    ['13 %', g.edge.link, { ...common, kind: 'move', move: '-13', over: '1', oracle: 'pool' }],
    ['deep pool', g.deep.link, { ...common, kind: 'move', move: '-13', pool: '40000', oracle: 'pool' }],
    ['sell, pool oracle', g.sell.link, { ...common, kind: 'sell', sell: '2000', oracle: 'pool' }],
    ['sell, outside oracle', g.sell.linkOutside, { ...common, kind: 'sell', sell: '2000', oracle: 'ref' }],
    ['no delay', g.fast.link, { ...common, kind: 'move', move: '-12', oracle: 'pool', delay: '0' }],
    ['slow', g.slow.link, { ...common, kind: 'move', move: '-13', over: '5', oracle: 'pool' }],
  ];
  it.each(links)('%s', (_name, link, expected) => {
    const { state, notes } = open(link);
    expect(notes).toEqual([]);
    expect(state).toMatchObject(expected);
  });
});
