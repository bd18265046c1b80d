/**
 * The liquidation map guide's figures against checks made apart from the widget's model: the map's figure summed
 * position by position from the engine's per-position liquidation prices (not its prefix sums), the ratio and moves
 * recomputed from the raw Decimals, the liquidation distances against the rule of thumb 1/L − m; and every link,
 * read back with the widget's own codec, opens the state its step or question describes, without a note.
 */
import { describe, expect, it } from 'vitest';
import { Decimal, populationPosition, type Population } from '../../engine';
import { PRICE } from '../../widgets/liquidation-map/market';
import { readMapState, type MapState } from '../../widgets/liquidation-map/state';
import { liquidationMapGuide, mapScenario, type MapScenario } from './liquidation-map';

const g = liquidationMapGuide();
const D = (x: string | number) => new Decimal(x);
/** "1.64 million USDT" / "421,655 USDT" / "56,220" → Decimal. */
const num = (text: string) => {
  const n = D(text.replace(/[^\d.]/g, ''));
  return text.includes('million') ? n.mul(1_000_000) : n;
};

/** Longs whose liquidation price lies in [low, 60,000), valued at `low`: the map's definition, one position at a time. */
function longsAbove(population: Population, low: Decimal): { notional: Decimal; positions: number } {
  let quantity = D(0);
  let positions = 0;
  for (let i = 0; i < population.size; i++) {
    const { position, liquidationPrice } = populationPosition(population, i);
    if (position.side !== 'long' || liquidationPrice === null) continue;
    if (liquidationPrice.gte(low) && liquidationPrice.lt(PRICE)) {
      quantity = quantity.add(position.quantity.mul(position.contractSize));
      positions++;
    }
  }
  return { notional: quantity.mul(low), positions };
}

function opens(s: MapScenario, expected: Partial<MapState>) {
  const href = new URL(s.link, 'https://example.org');
  expect(href.pathname).toBe('/widgets/liquidation-map/');
  const { state, notes } = readMapState(href.search);
  expect(notes).toEqual([]);
  expect(state).toEqual(s.state);
  expect(state).toMatchObject(expected);
}

describe('liquidation map guide: links', () => {
  it('every activity step opens the state it describes', () => {
    opens(g.activity.still, { p: '60000', depth: '400000', book: 'flat', mix: 'mixed' });
    opens(g.activity.dip, { p: '58800', depth: '400000', mix: 'mixed', seed: '1' });
    opens(g.activity.cautious, { p: '58800', mix: 'low' });
    opens(g.activity.squeeze, { p: '61800', mix: 'mixed' });
    opens(g.activity.reroll, { p: '58800', seed: '2' });
  });

  it('every question opens the state it asks about', () => {
    opens(g.q1, { p: '58000', depth: '400000', book: 'flat' });
    opens(g.q2, { p: '58000', depth: '800000', book: 'flat' });
    opens(g.q3, { p: '58000', depth: '400000', book: 'sqrt' });
    opens(g.q2.halved, { p: '58000', depth: '200000', book: 'flat' });
    opens(g.longHeavy, { p: '58800', long: '80' });
    opens(g.shortHeavy, { p: '58800', long: '20' });
    expect(readMapState(new URL(g.defaultLink, 'https://example.org').search).notes).toEqual([]);
  });

  it('a state the codec would clamp is refused at build time, not quoted', () => {
    expect(() => mapScenario({ p: '90000' })).toThrow(/liquidation-map guide/);
  });
});

describe('liquidation map guide: figures', () => {
  it("question 1: the map's figure, summed position by position, and the ratio from the raw totals", () => {
    const { reading, market } = g.q1.view;
    const byHand = longsAbove(market.population, D(58000));
    expect(reading.mapNotional.toFixed(6)).toBe(byHand.notional.toFixed(6));
    expect(reading.mapPositions).toBe(byHand.positions);
    expect(num(g.q1.mapNotional).sub(byHand.notional).abs().lt(1)).toBe(true);
    // The answer: liquidated in all ÷ the map, to one decimal.
    const ratio = reading.cascade.totalLiquidatedNotional.div(byHand.notional);
    expect(g.q1.answer).toBe(ratio.toDecimalPlaces(1, Decimal.ROUND_HALF_EVEN).toString());
    expect(ratio.gt(1)).toBe(true);
    expect(g.q1.ratio).toBe(`${g.q1.answer} times`);
  });

  it('questions 2 and 3: the answer is where the cascade ends, and the text around it agrees', () => {
    for (const q of [g.q2, g.q3]) {
      const end = q.view.reading.cascade.finalPrice;
      // The answer: the fall from 60,000 in percent, by hand, one decimal.
      expect(q.answer).toBe(D(60000).sub(end).div(60000).mul(100).toDecimalPlaces(1, Decimal.ROUND_HALF_EVEN).toString());
      expect(num(q.end).eq(end)).toBe(true);
      // The fall beyond the dragged line, by hand.
      expect(num(q.beyond).eq(D(q.state.p).sub(end))).toBe(true);
      // The move from 60,000 in percent, by hand, to one decimal.
      const move = end.sub(60000).div(60000).mul(100).toDecimalPlaces(1, Decimal.ROUND_HALF_EVEN);
      expect(q.endMove.replace(/[\u2212]/, '-').replace(/[^\d.-]/g, '')).toBe(move.toFixed(1));
    }
    // The claims the slots make: a deeper book and the square-root shape both stop the same drag sooner;
    // doubling the depth more than halves the fall beyond the line, halving it more than doubles the fall.
    const beyond = (s: MapScenario) => D(s.state.p).sub(s.view.reading.finalPrice);
    expect(beyond(g.q2).mul(2).lt(beyond(g.q1))).toBe(true);
    expect(beyond(g.q2.halved).gt(beyond(g.q1).mul(2))).toBe(true);
    expect(g.q3.view.reading.finalPrice.gt(g.q1.view.reading.finalPrice)).toBe(true);
  });

  it('the activity: the dip runs past the line, the cautious traders stop at it, the squeeze runs up', () => {
    const { dip, cautious, squeeze, still } = g.activity;
    expect(dip.view.reading.finalPrice.lt(dip.view.reading.price)).toBe(true);
    expect(dip.view.reading.cascade.totalLiquidatedNotional.gt(dip.view.reading.mapNotional)).toBe(true);
    // "Open interest barely changes": within 1 % between the mixes.
    const oi = (s: MapScenario) => s.view.market.openInterest;
    expect(oi(cautious).sub(oi(dip)).abs().div(oi(dip)).lt('0.01')).toBe(true);
    expect(cautious.view.reading.mapNotional.lt(dip.view.reading.mapNotional.div(10))).toBe(true);
    expect(squeeze.view.reading.finalPrice.gt(squeeze.view.reading.price)).toBe(true);
    // The market is not symmetric: more shorts than longs on the map, and the biggest cluster is a short one.
    expect(still.view.market.shortNotional.gt(still.view.market.longNotional)).toBe(true);
    expect(still.cluster.side).toBe('shorts');
    expect(still.view.reading.cascade.positionsLiquidated).toBe(0);
  });

  it('liquidation distances agree with the rule of thumb 1/L − m to within a hundredth of a percent point', () => {
    // A linear long at leverage L with maintenance rate m is liquidated after a fall of about 1/L − m (exactly
    // (1/L − m)/(1 − m) of the entry; the difference is below 0.01 points at 10× and 100× with m = 0.4 %).
    for (const row of g.distances) {
      const L = Number(row.leverage.replace('×', ''));
      const thumb = (1 / L - 0.004) * 100;
      const engine = Number(row.engine.replace(/[^\d.]/g, ''));
      expect(Math.abs(engine - thumb)).toBeLessThan(0.05);
    }
  });

  it('going further: the depth search brackets the 1 % target, and the crowded long side falls further', () => {
    const within = D(g.q1.state.p).mul('0.01');
    const gap = (s: MapScenario) => s.view.reading.price.sub(s.view.reading.finalPrice);
    expect(gap(g.depthSearch.enough).lte(within)).toBe(true);
    expect(gap(g.depthSearch.short).gt(within)).toBe(true);
    expect(D(g.depthSearch.short.state.depth).lt(g.depthSearch.enough.state.depth)).toBe(true);
    expect(g.longHeavy.view.reading.finalPrice.lt(g.shortHeavy.view.reading.finalPrice)).toBe(true);
  });
});
