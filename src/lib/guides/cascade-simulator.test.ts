/**
 * The cascade simulator guide's figures against checks made apart from the widget's view: the shock price from the
 * percentage by hand, moves and amplification recomputed from the engine's raw prices, the per-round moves summed
 * back to the total, the ledger's balance; the claims the guide's sentences make (which setting ends higher or
 * lower); and every link, read back with the widget's own codec, opens the state it describes, without a note.
 */
import { describe, expect, it } from 'vitest';
import { Decimal } from '../../engine';
import { readCascadeState, type CascadeState } from '../../widgets/cascade-simulator/state';
import { cascadeSimulatorGuide, simulatorScenario, type SimulatorScenario } from './cascade-simulator';

const g = cascadeSimulatorGuide();
const D = (x: string | number) => new Decimal(x);

function opens(s: SimulatorScenario, expected: Partial<CascadeState>) {
  const href = new URL(s.link, 'https://example.org');
  expect(href.pathname).toBe('/widgets/cascade-simulator/');
  const { state, notes } = readCascadeState(href.search);
  expect(notes).toEqual([]);
  // The link omits what the state does not use (the sell size of a mark shock, the vault's knobs without it).
  for (const [key, value] of Object.entries(expected)) expect(state[key as keyof CascadeState]).toBe(value);
  for (const key of ['kind', 'book', 'depth', 'res', 'tp', 'fund', 'backstop', 'mix', 'long', 'n', 'seed'] as const) expect(state[key]).toBe(s.state[key]);
  expect(s.state[s.state.kind === 'mark' ? 'move' : 'sell']).toBe(state[state.kind === 'mark' ? 'move' : 'sell']);
}

/** The fall from 60,000 in percent, by hand, one decimal, as the predict boxes take it. */
const fallPercent = (s: SimulatorScenario) => D(60000).sub(s.result.finalPrice).abs().div(60000).mul(100).toDecimalPlaces(1, Decimal.ROUND_HALF_EVEN);

describe('cascade simulator guide: links', () => {
  it('the activity and the questions open the states they describe', () => {
    opens(g.base, { kind: 'mark', move: '-3', depth: '6', res: '10', tp: '0', fund: '250000', mix: 'typical' });
    opens(g.activity.noRefill, { res: '0', move: '-3' });
    opens(g.activity.fastRefill, { res: '50' });
    opens(g.activity.cautious, { mix: 'cautious', move: '-3' });
    opens(g.activity.sell, { kind: 'sell', sell: '50' });
    opens(g.q1, { depth: '3' });
    opens(g.q2, { tp: '3', res: '10' });
    opens(g.q2.withoutRefill, { tp: '3', res: '0' });
    opens(g.q3, { mix: 'aggressive' });
    opens(g.emptyFund, { fund: '0' });
    opens(g.vault, { backstop: 'vault', maker: '20', vault: '250000' });
    opens(g.vaultHalf, { backstop: 'vault', maker: '50' });
    for (const s of g.shocks) opens(s, { kind: 'mark' });
    expect(g.shocks.map((s) => s.state.move)).toEqual(['-1', '-2', '-3', '-5']);
  });

  it('a state the codec would clamp is refused at build time, not quoted', () => {
    expect(() => simulatorScenario({ move: '-40' })).toThrow(/cascade-simulator guide/);
  });
});

describe('cascade simulator guide: figures', () => {
  it('the default shock: 3 % of 60,000 by hand, the fall and amplification from the raw prices, the rounds summed', () => {
    const r = g.base.result;
    expect(r.shockPrice.eq(58200)).toBe(true);
    expect(g.base.shockPrice).toBe('58,200 USDT');
    // Amplification = total move ÷ exogenous move (both from 60,000).
    const amp = D(60000).sub(r.finalPrice).div(D(60000).sub(58200));
    expect(r.amplification!.eq(amp)).toBe(true);
    expect(g.base.amplification).toBe(amp.toDecimalPlaces(2, Decimal.ROUND_HALF_UP).toString() + '×');
    // The rounds' signed moves add up to the move beyond the shock; the last one is up (a refilled book).
    const sum = g.base.roundMoves.reduce((t, m) => t.add(m), D(0));
    expect(sum.eq(r.finalPrice.sub(r.shockPrice))).toBe(true);
    expect(g.base.roundMoves[g.base.roundMoves.length - 1]!.gt(0)).toBe(true);
    expect(r.extremePrice.lt(r.finalPrice)).toBe(true);
    expect(g.base.largestRound).toBe('1');
    // Money is conserved in the settlement: stake + realized PnL = fee + fund change + bad debt.
    expect(r.ledger.balance.isZero()).toBe(true);
  });

  it('the answers are the falls and the ADL notional, recomputed from the raw results', () => {
    expect(g.q1.answer).toBe(fallPercent(g.q1).toString());
    expect(g.q2.answer).toBe(fallPercent(g.q2).toString());
    expect(g.q3.answer).toBe(g.q3.result.adlNotional.div(1_000_000).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN).toString());
    expect(g.q3.result.adlNotional.gt(0)).toBe(true);
  });

  it('the sentences hold: which settings end lower and which higher than the default', () => {
    const end = (s: SimulatorScenario) => s.result.finalPrice;
    // Half the depth: a deeper fall, more liquidated, the same shock.
    expect(end(g.q1).lt(end(g.base))).toBe(true);
    expect(g.q1.result.totalLiquidatedNotional.gt(g.base.result.totalLiquidatedNotional)).toBe(true);
    // The throughput limit: more rounds and a shallower fall, but with no refill it ends where the unlimited
    // engine ends on a book that never refills.
    expect(g.q2.result.roundCount).toBeGreaterThan(g.base.result.roundCount);
    expect(end(g.q2).gt(end(g.base))).toBe(true);
    expect(end(g.q2.withoutRefill).eq(end(g.activity.noRefill))).toBe(true);
    // Resilience: none ends lower, half ends higher.
    expect(end(g.activity.noRefill).lt(end(g.base))).toBe(true);
    expect(end(g.activity.fastRefill).gt(end(g.base))).toBe(true);
    // Cautious traders barely move past the shock; a 50 BTC sale starts within 0.2 % of the mark shock and ends higher.
    expect(g.activity.cautious.result.positionsLiquidated).toBeLessThan(g.base.result.positionsLiquidated / 10);
    expect(g.activity.sell.result.shockPrice.sub(g.base.result.shockPrice).abs().div(60000).lt('0.002')).toBe(true);
    expect(end(g.activity.sell).gt(end(g.base))).toBe(true);
    // Aggressive traders: the fund runs low and ADL takes the rest; no bad debt.
    expect(g.q3.result.insuranceFund.lt(g.q3.state.fund)).toBe(true);
    expect(g.q3.result.badDebt.isZero()).toBe(true);
    // The empty fund stops at the shock's price, with every liquidated position deleveraged.
    expect(end(g.emptyFund).eq(g.emptyFund.result.shockPrice)).toBe(true);
    expect(g.emptyFund.result.adlNotional.eq(g.emptyFund.result.totalLiquidatedNotional)).toBe(true);
    // The vault's maker share: a larger share ends higher.
    expect(end(g.vaultHalf).gt(end(g.vault))).toBe(true);
    // Amplification falls as the shock grows, from 1 % to 5 %.
    const amps = g.shocks.map((s) => s.result.amplification!);
    for (let i = 1; i < amps.length; i++) expect(amps[i]!.lt(amps[i - 1]!)).toBe(true);
  });
});
