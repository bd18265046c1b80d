/**
 * The stability frontier guide's figures against checks made apart from the widget's view: the traders' average
 * leverage recomputed from their notional and the margin each cap makes them post (notional ÷ min(wanted, cap)),
 * falls recomputed from the engine's raw prices, the shock price by hand; the claims the guide's sentences make (the
 * cliff, the deep book, ADL against bad debt); and every link, read back with the widget's own codec, opens the state
 * it describes, without a note.
 */
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../engine';
import { seededTraders } from '../../widgets/stability-frontier/model';
import { LEVERAGE_GRID, readFrontierState, type FrontierState } from '../../widgets/stability-frontier/state';
import { frontierScenario, stabilityFrontierGuide, type FrontierScenario } from './stability-frontier';

const g = stabilityFrontierGuide();
const D = (x: string | number) => new Decimal(x);

function opens(s: FrontierScenario, expected: Partial<FrontierState>) {
  const href = new URL(s.link, 'https://example.org');
  expect(href.pathname).toBe('/widgets/stability-frontier/');
  const { state, notes } = readFrontierState(href.search);
  expect(notes).toEqual([]);
  expect(state).toEqual(s.state);
  expect(state).toMatchObject(expected);
}

const fallPercent = (s: FrontierScenario) => D(60000).sub(s.view.point.cascade.finalPrice).div(60000).mul(100).toDecimalPlaces(1, Decimal.ROUND_HALF_EVEN);

describe('stability frontier guide: links', () => {
  it('the activity and the questions open the states they describe', () => {
    opens(g.activity.calm, { lev: '10', depth: 'medium', shock: '3', y: 'move' });
    opens(g.activity.beforeCliff, { lev: '15', depth: 'medium' });
    opens(g.base, { lev: '20', depth: 'medium', adl: 'on' });
    opens(g.activity.thinAdl, { lev: '20', depth: 'thin', y: 'adl' });
    opens(g.activity.smaller, { shock: '2', depth: 'medium' });
    opens(g.activity.larger, { shock: '5', depth: 'medium' });
    opens(g.q2, { lev: '125', depth: 'deep' });
    opens(g.q3, { lev: '20', depth: 'thin', adl: 'off' });
    opens(g.q3.withAdl, { lev: '20', depth: 'thin', adl: 'on' });
  });

  it('a state the codec would move is refused at build time, not quoted', () => {
    expect(() => frontierScenario({ lev: '12' })).toThrow(/stability-frontier guide/);
  });
});

describe('stability frontier guide: figures', () => {
  it("average leverage: the traders' notional over the margin each cap makes them post, summed here", () => {
    const count = Number(g.base.state.n);
    const traders = seededTraders(count, Number(g.base.state.seed));
    const cents = traders.moneyDecimals;
    for (const L of [15, 20, LEVERAGE_GRID[LEVERAGE_GRID.length - 1]!]) {
      let margin = D(0);
      let notional = D(0);
      for (const t of traders.traders) {
        const used = Decimal.min(t.wanted, L);
        margin = margin.add(t.notional.div(used).toDecimalPlaces(cents, Decimal.ROUND_UP));
        notional = notional.add(t.notional);
      }
      const byHand = notional.div(margin);
      expect(g.base.at(L).averageLeverage.sub(byHand).abs().lt('1e-20')).toBe(true);
      expect(g.base.facts(L).averageLeverage).toBe(`${byHand.toDecimalPlaces(1, Decimal.ROUND_HALF_UP).toFixed(1)}×`);
    }
  });

  it('the shock price and the answers, from the raw prices', () => {
    expect(g.base.frontier.shockPrice.eq(D(60000).mul('0.97'))).toBe(true);
    expect(g.q1.answer).toBe(fallPercent(g.q1).toString());
    expect(g.q2.answer).toBe(fallPercent(g.q2).toString());
    expect(g.q3.answer).toBe(fallPercent(g.q3).toString());
  });

  it('the sentences hold: the cliff, what it buys, the deep book, ADL against bad debt', () => {
    const fall = (p: { move: Decimal }) => p.move;
    // Step 2: 10× and 15× stay within 1.5 times the shock on the medium book, 20× does not.
    expect(g.base.contained.medium).toBe('15×');
    const jump = fall(g.base.at(20)).sub(fall(g.base.at(15)));
    const before = fall(g.base.at(15)).sub(fall(g.base.at(10)));
    expect(jump.gt(before.mul(10))).toBe(true);
    // Step 3: the step over the cliff buys a few percent of exposure per unit of collateral.
    const gain = g.base.at(20).averageLeverage.div(g.base.at(15).averageLeverage).sub(1);
    expect(gain.gt(0) && gain.lt('0.1')).toBe(true);
    // Question 2: the deep book stays contained to the top of the grid, well below the medium and thin books.
    expect(g.base.contained.deep).toBe(`${LEVERAGE_GRID[LEVERAGE_GRID.length - 1]}×`);
    expect(g.q2.view.point.move.lt(g.q2.at(125, 'medium').move)).toBe(true);
    // Question 3: without ADL the thin book falls further and leaves bad debt; with it, ADL closes notional and no bad debt.
    expect(g.q3.view.point.move.gt(g.q3.withAdl.view.point.move)).toBe(true);
    expect(g.q3.view.point.badDebt.gt(0)).toBe(true);
    expect(g.q3.withAdl.view.point.cascade.adlNotional.gt(0)).toBe(true);
    expect(g.q3.withAdl.view.point.badDebt.isZero()).toBe(true);
    // Step 5: the medium book's cliff moves right for a smaller shock and left for a larger one.
    const at = (s: FrontierScenario) => Number(s.contained.medium!.replace('×', ''));
    expect(at(g.activity.smaller)).toBeGreaterThan(at(g.base));
    expect(at(g.activity.larger)).toBeLessThan(at(g.base));
  });
});
