/**
 * The contagion network's model: the story it tells about the default scenario, the links it lights block by block
 * (each checked against the engine's round), the comparison with and without the links, the fixed receipt price's
 * hidden loss, the run cache, and the table.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { CONTAGION_IDS, Decimal } from '../../engine';
import {
  ALL_LINKS,
  NO_LINKS,
  buildPopulations,
  comparisonRows,
  comparisonVerdict,
  counterpart,
  cutCount,
  intensityOf,
  linksLabel,
  networkView,
  runCache,
  runNetwork,
  stepSummary,
  stepView,
  tableRows,
  type LinkKnobs,
  type NetworkView,
  type Populations,
} from './model';
import { defaultContagionState } from './state';

const state = defaultContagionState();
let pops: Populations;
let whole: NetworkView;
const view = (links: LinkKnobs, overrides: Partial<typeof state> = {}) => {
  const k = { ...state, ...overrides };
  return networkView(pops, runNetwork(pops, k, links), k.shock);
};

beforeAll(() => {
  pops = buildPopulations(state);
  whole = view(ALL_LINKS);
});

describe('the story of the default shock', () => {
  it('says who is hit, when, and through which link, in the order they are hit', () => {
    expect(whole.story).toHaveLength(3);
    expect(whole.story[0]).toBe('Protocol A is first hit in block 1 by the 20.0\u202f% fall itself, once its oracle reports it.');
    expect(whole.story[1]).toMatch(/^Protocol C is first hit in block 2, through A's receipt token: A had booked [\d.]+ million USDC of bad debt, so each receipt was worth 0\.9\d{3} USDC\.$/);
    expect(whole.story[2]).toMatch(/^Protocol B is first hit in block 3, through the shared oracle: it reported [\d,]+ USDC, [\d.]+\u202f% below the outside price, because A's liquidators had sold seized WETH into the pool it follows\.$/);
  });

  it('explains why a protocol is spared when its link is cut', () => {
    const cut = view({ ...ALL_LINKS, oracle: 'own' });
    expect(cut.story).toContain(`Protocol B is never hit: its first borrower is liquidatable only below ${pops.firstPrice.B.toDecimalPlaces(0).toNumber().toLocaleString('en-US')} USDC and the outside price it reads stayed above that.`);
    const small = view(ALL_LINKS, { shock: '5' });
    expect(small.story).toContain('Protocol C is never hit: A books no bad debt, so its receipt stays at 1 USDC.');
  });
});

describe('one block of the run', () => {
  it('lights a link exactly when the engine says it carried pressure in that block', () => {
    const rounds = whole.run.result.rounds;
    let lit = { pool: 0, oracle: 0, receipt: 0 };
    for (let r = 0; r <= whole.rounds; r++) {
      const step = stepView(whole, r);
      const links = Object.fromEntries(step.links.map((l) => [l.id, l]));
      const pool = rounds[r]!.pools.find((p) => p.id === CONTAGION_IDS.sharedPool)!;
      expect(links['pool']!.active).toBe(pool.soldByLiquidators.gt(0));
      if (r > 0) {
        const oracle = rounds[r]!.oracles.find((o) => o.id === CONTAGION_IDS.sharedOracle)!;
        const prior = rounds[r - 1]!.oracles.find((o) => o.id === CONTAGION_IDS.sharedOracle)!;
        expect(links['oracle']!.active).toBe(oracle.updated && oracle.price.lt(prior.price) && oracle.price.lt(rounds[r]!.referencePrice));
      }
      for (const id of ['pool', 'oracle', 'receipt'] as const) if (links[id]!.active) lit[id] += 1;
      for (const l of step.links) expect(l.cut).toBe(false);
    }
    // Every link carries pressure at some point in the default run; none in block 0 (the shock only).
    expect(lit.pool).toBeGreaterThan(0);
    expect(lit.oracle).toBeGreaterThan(0);
    expect(lit.receipt).toBeGreaterThan(0);
    expect(stepView(whole, 0).links.some((l) => l.active)).toBe(false);
  });

  it('fills each node with its pressure and counts its liquidations so far', () => {
    const at0 = stepView(whole, 0);
    for (const n of at0.nodes) {
      expect(n.liquidations).toBe(0);
      expect(n.hit).toBe(false);
    }
    const end = stepView(whole, whole.rounds);
    for (const n of end.nodes) {
      expect(n.liquidations).toBe(whole.outcomes[n.id].liquidations);
      expect(n.intensity).toBeCloseTo(intensityOf(n.pressure), 10);
      expect(n.pressureText).toMatch(/^[\d.]+\u202f% in play$/);
    }
    // Clamped: a step past the end is the end.
    expect(stepView(whole, 999).round).toBe(whole.rounds);
  });

  it('says in words what the block did', () => {
    const text = stepSummary(whole, stepView(whole, 0));
    expect(text).toBe('WETH falls 20.0\u202f% on the outside market, to 2,400 USDC. Protocol A: 0.0\u202f% of its debt in play, 0 liquidations so far, 0 USDC bad debt. Protocol B: 0.0\u202f% of its debt in play, 0 liquidations so far, 0 USDC bad debt. Protocol C: 0.0\u202f% of its debt in play, 0 liquidations so far, 0 USDC bad debt.');
    expect(stepSummary(whole, stepView(whole, 1))).toContain('In this block liquidators sold seized WETH into the shared pool');
  });

  it('maps pressure to a fill that shows a few percent and saturates at half the book', () => {
    expect(intensityOf(new Decimal(0))).toBe(0);
    expect(intensityOf(new Decimal('0.02'))).toBeCloseTo(0.2, 10);
    expect(intensityOf(new Decimal('0.5'))).toBe(1);
    expect(intensityOf(new Decimal('0.9'))).toBe(1);
  });
});

describe('with the links and without them', () => {
  it('compares the reader’s network with every link cut when nothing is cut, and with every link when something is', () => {
    expect(counterpart(ALL_LINKS)).toEqual(NO_LINKS);
    expect(counterpart({ ...ALL_LINKS, pool: 'own' })).toEqual(ALL_LINKS);
    expect(cutCount(NO_LINKS)).toBe(3);
    expect(linksLabel(ALL_LINKS)).toBe('All links');
    expect(linksLabel(NO_LINKS)).toBe('Every link cut');
    expect(linksLabel({ ...ALL_LINKS, oracle: 'own' })).toBe('Oracle cut');
    expect(linksLabel({ ...ALL_LINKS, pool: 'own', receipt: 'fixed' })).toBe('Pool and receipt cut');
  });

  it('says which protocols a cut spares', () => {
    const none = view(NO_LINKS);
    expect(comparisonVerdict(whole, none)).toBe('With every link cut: Protocol B and Protocol C would not have been hit; Protocol A still is.');
    const oracle = view({ ...ALL_LINKS, oracle: 'own' });
    expect(comparisonVerdict(oracle, whole)).toBe('With the oracle link cut: Protocol B is no longer hit; Protocol A and Protocol C still are.');
    const rows = comparisonRows(oracle, whole);
    expect(rows.find((r) => r.id === 'B')!.mine).toEqual({ liquidations: 'none', badDebt: 'no bad debt' });
    expect(rows.find((r) => r.id === 'B')!.other.liquidations).toMatch(/^[\d,]+ \([\d,]+ accounts\)$/);
  });

  it('with a fixed receipt price shows C liquidating no one and, after a large fall, the loss it hides', () => {
    const fixed = view({ ...ALL_LINKS, receipt: 'fixed' }, { shock: '45' });
    expect(fixed.outcomes.C.liquidations).toBeNull();
    expect(fixed.outcomes.C.hiddenLoss!.gt(0)).toBe(true);
    const c = stepView(fixed, fixed.rounds).nodes.find((n) => n.id === 'C')!;
    expect(c.simulated).toBe(false);
    expect(c.pressureText).toMatch(/under water$/);
    expect(fixed.story.at(-1)).toMatch(/^Protocol C prices A's receipt at a fixed 1 USDC and liquidates no one, but [\d,]+ loans are now backed by receipts worth less than the debt: its lenders are owed [\d.]+ million USDC more than that collateral is worth\.$/);
    const marked = view(ALL_LINKS, { shock: '45' });
    expect(comparisonVerdict(fixed, marked)).toMatch(/C's fixed price hides [\d.]+ million USDC of loss rather than removing it\.$/);
    expect(comparisonRows(fixed, marked).find((r) => r.id === 'C')!.mine.badDebt).toMatch(/hidden loss$/);
  });
});

describe('the run cache', () => {
  it('returns the same run for the same knobs and links, and a new one when they change', () => {
    const get = runCache(pops, 2);
    const a = get(state, ALL_LINKS);
    expect(get(state, ALL_LINKS)).toBe(a);
    const b = get(state, NO_LINKS);
    expect(b).not.toBe(a);
    get({ ...state, shock: '25' }, ALL_LINKS);
    // Size 2: the least recently used (the first ALL_LINKS run was used before NO_LINKS) is gone.
    expect(get(state, NO_LINKS)).toBe(b);
    expect(get(state, ALL_LINKS)).not.toBe(a);
  });
});

describe('the table', () => {
  it('has one row per step with every protocol’s price, liquidations and bad debt', () => {
    const rows = tableRows(whole);
    expect(rows).toHaveLength(whole.rounds + 1);
    expect(rows[0]).toMatchObject({ round: 0, pool: '2,400' });
    expect(rows[0]!.cells.map((c) => c.liquidations)).toEqual(['0', '0', '0']);
    const fixed = tableRows(view({ ...ALL_LINKS, receipt: 'fixed' }));
    expect(fixed[0]!.cells[2]).toEqual({ id: 'C', liquidations: '0', badDebt: '0', price: '1 (fixed)' });
  });
});
