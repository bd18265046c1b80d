import { describe, expect, it } from 'vitest';
import { Decimal, borrowerLiquidationPrices, contagionThresholds } from '../../engine';
import { ALL_LINKS, buildPopulations, runNetwork } from '../../widgets/contagion-network/model';
import { defaultContagionState, readContagionState } from '../../widgets/contagion-network/state';
import { contagionGuide } from './contagion-network';

const g = contagionGuide();

function open(link: string) {
  const url = new URL(link, 'https://example.org');
  expect(url.pathname).toBe('/widgets/contagion-network/');
  return readContagionState(url.searchParams);
}

describe('contagion guide: figures against independent checks', () => {
  // The default network run directly through the widget's model, and each protocol's borrowers' liquidation prices
  // (debt ÷ (collateral × LT)) counted against the lowest price its oracle reported: a loan is liquidated once,
  // when the protocol's price first goes below its liquidation price, so the counts must agree with the guide's.
  const state = defaultContagionState();
  const pops = buildPopulations(state);
  const run = runNetwork(pops, state, ALL_LINKS).result;
  const lt = contagionThresholds();
  const lowestOracle = (id: string) =>
    run.rounds.reduce((low, round) => Decimal.min(low, round.protocols.find((p) => p.id === id)!.oraclePrice), new Decimal(Infinity));
  const crossed = (id: 'A' | 'B' | 'C') => borrowerLiquidationPrices(pops.pops[id], lt[id]).filter((p) => p.gt(lowestOracle(id))).length;

  it('question 1: B is liquidated through the shared oracle, below what the shock alone reaches', () => {
    expect(g.q1.values.count).toBe(crossed('B'));
    expect(g.q1.answer).toBe(String(crossed('B')));
    // The shock alone (2,400) stays above B's highest liquidation price (2,322): none of B's loans would be reached.
    const bPrices = borrowerLiquidationPrices(pops.pops.B, lt.B);
    const highest = bPrices.reduce((a, b) => Decimal.max(a, b));
    expect(highest.lt(2400)).toBe(true);
    expect(g.q1.bFirstPrice).toBe(`${highest.toFixed(0).replace(/\B(?=(\d{3})+(?!\d))/g, ',')} USDC`);
    expect(g.q1.values.count).toBeGreaterThan(0);
  });

  it('question 2: B\'s own pool changes nothing for B; its own oracle spares it', () => {
    expect(g.q2.values.count).toBe(g.q1.values.count);
    // With its own oracle B sees the outside price, 2,400, above every liquidation price of its loans.
    expect(g.q2.values.oracleCount).toBe(0);
  });

  it('question 3: C is liquidated through A\'s receipt alone', () => {
    expect(g.q3.values.count).toBe(crossed('C'));
    expect(g.q3.values.count).toBeGreaterThan(0);
    // C's borrowers hold no WETH: with the receipt priced at a fixed 1 USDC nobody at C is liquidated.
    expect(g.q3.values.fixedCount).toBe(0);
  });

  it('a fixed receipt price hides a loss instead of removing it', () => {
    expect(g.deep.values.hidden.gt(0)).toBe(true);
    expect(g.deep.values.cBadDebt.gt(0)).toBe(true);
  });

  it('the pool\'s depth decides how much of A\'s selling reaches B', () => {
    expect(g.depth.values.thinB).toBeGreaterThan(g.q1.values.count);
    expect(g.depth.values.deepB).toBeLessThan(g.q1.values.count);
  });

  it('a slower oracle postpones B\'s hit but does not prevent it', () => {
    expect(Number(g.slow.bFirst)).toBeGreaterThan(Number(g.all.bFirst));
    expect(g.slow.values.bCount).toBe(g.q1.values.count);
  });
});

describe('contagion guide: every link opens the state it describes', () => {
  const base = { shock: '20', pool: 'shared', oracle: 'shared', receipt: 'marked', delay: '1', dev: '0.5', depth: '150000', n: '10000', seed: '1' };
  const links: [string, string, Record<string, string>][] = [
    ['all links', g.all.link, base],
    ['q1', g.q1.link, base],
    ['own pool', g.q2.link, { ...base, pool: 'own' }],
    ['own oracle', g.q2.linkOracle, { ...base, oracle: 'own' }],
    ['q3', g.q3.link, base],
    ['fixed receipt', g.q3.linkFixed, { ...base, receipt: 'fixed' }],
    ['45 %, marked', g.deep.linkMarked, { ...base, shock: '45' }],
    ['45 %, fixed', g.deep.linkFixed, { ...base, shock: '45', receipt: 'fixed' }],
    ['thin pool', g.depth.linkThin, { ...base, depth: '75000' }],
    ['deep pool', g.depth.linkDeep, { ...base, depth: '300000' }],
    ['slow oracle', g.slow.link, { ...base, delay: '3' }],
    ['25 %', g.direct.link, { ...base, shock: '25' }],
  ];
  it.each(links)('%s', (_name, link, expected) => {
    const { state, notes } = open(link);
    expect(notes).toEqual([]);
    expect(state).toEqual(expected);
  });
});
