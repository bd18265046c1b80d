import { describe, expect, it } from 'vitest';
import { Decimal, fundingPayment, replayFunding } from '../../engine';
import { ENTRY_PRICE, STEPS, TICK, pricePath } from './path';
import { drawDomain, monitorView, monitorViewOrRefusal, openMonitoredPosition, paramsOf, replay } from './model';
import { DRAW_MAX, DRAW_MIN, decodePath, drawSegment, encodePath } from './drawn';
import { defaultMonitorState, readMonitorState, writeMonitorState, type MonitorState } from './state';

const base = defaultMonitorState();
const state = (overrides: Partial<MonitorState>): MonitorState => ({ ...base, ...overrides });

describe('seeded price path', () => {
  it('gives the same path for the same seed, and a different one for another seed', () => {
    const a = pricePath(3, '3');
    const b = pricePath(3, '3');
    expect(a.map(String)).toEqual(b.map(String));
    expect(a).toHaveLength(STEPS + 1);
    expect(a[0]!.eq(ENTRY_PRICE)).toBe(true);
    const c = pricePath(4, '3');
    expect(c.map(String)).not.toEqual(a.map(String));
  });

  it('lands every price on the 0.1 tick, and scales moves with the volatility', () => {
    const calm = pricePath(7, '0.5');
    const wild = pricePath(7, '10');
    for (const p of [...calm, ...wild]) expect(p.mod(TICK).isZero()).toBe(true);
    const range = (ps: Decimal[]) => Decimal.max(...ps).sub(Decimal.min(...ps));
    expect(range(wild).gt(range(calm).mul(5))).toBe(true);
  });
});

describe('replay', () => {
  it('charges funding on the notional at each step: a hand-checked drag on a flat path', () => {
    // 10× long, 1,000 USDT margin at 60,000: 0.1666… BTC, notional 10,000 USDT. At 0.01 % every 8 h the
    // long pays 10,000 × 0.0001 = 1 USDT a funding time: 42 USDT over 14 days on a flat price.
    const p = paramsOf(state({ rule: 'none', m: '1000' }));
    const flat = Array.from({ length: STEPS + 1 }, () => new Decimal('60000'));
    const r = replay(p, flat, 'none');
    expect(r.liquidatedAt).toBeNull();
    expect(r.steps[1]!.payment.toFixed(10)).toBe('1.0000000000');
    expect(r.fundingPaid.toFixed(10)).toBe('42.0000000000');
    expect(r.steps.at(-1)!.margin.toFixed(10)).toBe('958.0000000000');
    // Fees: 0.05 % of 10,000 to open and again to close; net = −42 − 5 − 5.
    expect(r.openFee.toFixed(10)).toBe('5.0000000000');
    expect(r.net.toFixed(10)).toBe('-52.0000000000');
    // A short receives the same funding.
    const short = replay(paramsOf(state({ side: 'short', rule: 'none', m: '1000' })), flat, 'none');
    expect(short.fundingPaid.toFixed(10)).toBe('-42.0000000000');
    expect(fundingPayment(openMonitoredPosition(p, flat[0]!), '60000', '0.0001').toFixed(10)).toBe('1.0000000000');
  });

  it('with no rule, matches the engine\u2019s replayFunding step for step', () => {
    for (const seed of [2, 3, 5, 8, 12]) {
      const s = state({ seed: String(seed), rule: 'none' });
      const p = paramsOf(s);
      const prices = pricePath(seed, s.vol);
      const ours = replay(p, prices, 'none');
      const engine = replayFunding(
        openMonitoredPosition(p, prices[0]!),
        prices.slice(1).map((price) => ({ price, fundingRate: p.fundingRate })),
      );
      expect(ours.liquidatedAt).toBe(engine.liquidatedAtStep === null ? null : engine.liquidatedAtStep + 1);
      expect(ours.fundingPaid.toString()).toBe(engine.totalPayment.toString());
      expect(ours.steps.at(-1)!.margin.toString()).toBe(engine.steps.at(-1)!.margin.toString());
    }
  });

  it('a top-up rule saves a position that the no-rule replay loses (seed 3)', () => {
    const view = monitorView(state({ seed: '3', rule: 'topup', alert: '15', m: '1000', top: '200', bud: '1000' }));
    expect(view.none.liquidatedAt).toBe(13);
    expect(view.chosen!.liquidatedAt).toBeNull();
    expect(view.chosen!.topUps).toBe(2);
    expect(view.chosen!.topUpTotal.toString()).toBe('400');
    expect(view.verdict).toBe('The rule saved the position.');
    expect(view.summary).toContain('was liquidated after 4 d 8 h');
    expect(view.summary).toContain('survived 14 days');
  });

  it('a reduce rule saves it too, and the ratio drops where it acts', () => {
    const view = monitorView(state({ seed: '3', rule: 'reduce', alert: '15', cut: '50' }));
    expect(view.chosen!.liquidatedAt).toBeNull();
    const acted = view.chosen!.steps.filter((s) => s.action === 'reduce');
    expect(acted.length).toBeGreaterThan(0);
    for (const s of acted) expect(s.ratio!.lt(s.ratioBefore!)).toBe(true);
  });

  it('stops topping up when the budget is spent', () => {
    const view = monitorView(state({ seed: '5', rule: 'topup', alert: '15', m: '1000', top: '200', bud: '500' }));
    expect(view.chosen!.topUpTotal.lte(500)).toBe(true);
    expect(view.chosen!.steps.filter((s) => s.action === 'topup').at(-1)?.actionAmount.toString()).toBe('100');
  });

  it('scales with the position: the lessons\u2019 3,000 USDT default tells the same story as 1,000', () => {
    const view = monitorView(base);
    expect(view.text.position).toContain('0.5000 BTC');
    expect(view.none.liquidatedAt).toBe(13);
    expect(view.chosen!.topUpTotal.toString()).toBe('1200');
    expect(view.outcomes.rows[0]!.values).toEqual(['Liquidated after 4 d 8 h', 'Survived 14 days']);
  });

  it('compares rules in the verdict when both survive', () => {
    const view = monitorView(state({ seed: '9', rule: 'topup' }));
    expect(view.none.liquidatedAt).toBeNull();
    expect(view.verdict).toContain('survives either way');
  });
});

describe('link state', () => {
  it('round-trips every knob', () => {
    const s = state({ side: 'short', lev: '25', m: '2500.5', f: '-0.02', vol: '4.5', seed: '42', alert: '30', rule: 'reduce', top: '50', bud: '300', cut: '25' });
    const query = writeMonitorState(s);
    expect(query).toContain('v=2');
    expect(query).toContain('seed=42');
    const back = readMonitorState(query);
    expect(back.notes).toEqual([]);
    expect(back.state).toEqual(s);
  });

  it('explains bad and out-of-range values, and quotes hostile text as plain text', () => {
    const { state: s, notes } = readMonitorState('lev=500&seed=abc&rule=%3Cscript%3E&alert=2&vol=x');
    expect(s.lev).toBe('125');
    expect(s.seed).toBe(base.seed);
    expect(s.rule).toBe('topup');
    expect(s.alert).toBe('5');
    expect(notes).toHaveLength(5);
    expect(notes.join(' ')).toContain('is above the maximum');
    expect(notes.join(' ')).toContain('"<script>" is not one of');
    expect(notes.join(' ')).toContain('is not a number');
  });
});

describe('a drawn path', () => {
  const flat = Array.from({ length: STEPS + 1 }, () => new Decimal('60000'));

  it('replaces the random walk in the replay and the text, and stays in the link', () => {
    // A straight fall from 60,000 to 50,000 over the first two days, then flat.
    const fall = drawSegment(drawSegment(flat, null, { index: 1, price: new Decimal('60000') }), { index: 1, price: new Decimal('60000') }, { index: 6, price: new Decimal('50000') });
    const down = fall.map((p, i) => (i > 6 ? new Decimal('50000') : p));
    const s = state({ path: encodePath(down), rule: 'none' });
    const view = monitorView(s);
    expect(view.drawn).toBe(true);
    expect(view.prices.map(String)).toEqual(down.map(String));
    expect(view.summary).toMatch(/^A price path drawn by the reader: BTCUSDT goes from 60,000.0 to 50,000.0 USDT/);
    expect(view.summary).toContain('low 50,000.0 after 2 d, high 60,000.0 at entry');
    // 10× long at 60,000 is liquidated near 54,217: between 1 d 8 h (54,000) and 1 d (56,000).
    expect(view.none.liquidatedAt).toBe(4);
    expect(view.none.steps[4]!.price.toString()).toBe('54000');

    const query = writeMonitorState(s);
    expect(query).toContain(`path=${s.path}`);
    const back = readMonitorState(query);
    expect(back.notes).toEqual([]);
    expect(back.state).toEqual(s);
  });

  it('leaves the link without a path for the random walk, and explains a path it cannot read', () => {
    expect(writeMonitorState(base)).not.toContain('path=');
    const { state: s, notes } = readMonitorState('path=1.%21%21&seed=5');
    expect(s.path).toBe('');
    expect(s.seed).toBe('5');
    expect(notes).toEqual(['Drawn path "1.!!" is not a drawn path; using the random walk.']);
    expect(monitorView(s).drawn).toBe(false);
  });

  it('stores a short path as the reader sees it (last price held), with a note', () => {
    const { state: s, notes } = readMonitorState('path=1.oH');
    expect(notes[0]).toContain('has 1 of 42 prices');
    const prices = decodePath(s.path).prices!;
    expect(prices.slice(1).every((p) => p.eq(prices[1]!))).toBe(true);
  });

  it('gives the reader room to draw past the path, inside the drawing range', () => {
    const view = monitorView(state({ path: encodePath(flat) }));
    const [lo, hi] = drawDomain(view);
    expect(lo).toBeLessThanOrEqual(60000 * 0.85);
    expect(hi).toBeGreaterThanOrEqual(60000 * 1.15);
    expect(lo).toBeGreaterThanOrEqual(DRAW_MIN.toNumber());
    expect(hi).toBeLessThanOrEqual(DRAW_MAX.toNumber());
  });
});

describe('a position the engine refuses', () => {
  it('shows the default view with the engine’s message instead of failing', () => {
    // 300× at a 0.4 % maintenance rate opens below its own maintenance margin; links cannot ask for it
    // (leverage is clamped to 125×), but a state built in code can.
    const { view, refusal } = monitorViewOrRefusal(state({ lev: '300' }), base);
    expect(refusal).toMatch(/leverage/i);
    expect(view.summary).toBe(monitorView(base).summary);
    expect(monitorViewOrRefusal(base, base).refusal).toBeNull();
  });
});
