import { describe, expect, it } from 'vitest';
import { defaultSpiralState, readSpiralState, spiralParamMeaning, spiralParams, writeSpiralState, type SpiralState } from './state';

const DEFAULTS: SpiralState = {
  kind: 'move',
  move: '-12',
  over: '1',
  sell: '2000',
  pool: '20000',
  arb: '20',
  oracle: 'pool',
  delay: '1',
  dev: '0.5',
  lpb: '0',
  fee: '20',
  gas: '400000',
  cap: '0',
  n: '2000',
  seed: '1',
};

describe('reading a link', () => {
  it('takes the defaults when the link sets nothing', () => {
    const { state, notes } = readSpiralState('');
    expect(state).toEqual(DEFAULTS);
    expect(notes).toEqual([]);
  });

  it('reads every knob a link can set', () => {
    const { state, notes } = readSpiralState(
      'kind=sell&over=4&sell=15000&pool=5000&arb=0&oracle=ref&delay=3&dev=1.5&lpb=20&fee=150&gas=250000&cap=1000000&n=15000&seed=42',
    );
    expect(notes).toEqual([]);
    expect(state).toEqual({
      ...DEFAULTS,
      kind: 'sell',
      over: '4',
      sell: '15000',
      pool: '5000',
      arb: '0',
      oracle: 'ref',
      delay: '3',
      dev: '1.5',
      lpb: '20',
      fee: '150',
      gas: '250000',
      cap: '1000000',
      n: '15000',
      seed: '42',
    });
  });

  it('clamps out-of-range values and says so', () => {
    const { state, notes } = readSpiralState('move=-75&over=0&pool=10&delay=50&dev=-1&lpb=5000&n=100000&seed=0');
    expect(state).toMatchObject({ move: '-60', over: '1', pool: '100', delay: '20', dev: '0', lpb: '1000', n: '20000', seed: '1' });
    expect(notes).toEqual([
      'Outside price move -75 is below the minimum -60 %; using -60.',
      'Fall spread over 0 is below the minimum 1 blocks; using 1.',
      'Pool depth 10 is below the minimum 100 WETH; using 100.',
      'Oracle delay 50 is above the maximum 20 blocks; using 20.',
      'Deviation threshold -1 is below the minimum 0 %; using 0.',
      'Liquidations per block 5000 is above the maximum 1000; using 1000.',
      'Borrowers 100000 is above the maximum 20000; using 20000.',
      'Seed 0 is below the minimum 1; using 1.',
    ]);
  });

  it('does not let a link turn the shock into a rise, which liquidates no WETH borrower', () => {
    const { state, notes } = readSpiralState('move=5');
    expect(state.move).toBe('0');
    expect(notes).toEqual(['Outside price move 5 is above the maximum 0 %; using 0.']);
  });

  it('rounds away precision the widget does not use', () => {
    const { state } = readSpiralState('move=-12.345&dev=0.26&pool=20000.7&n=1234.4');
    expect(state.move).toBe('-12.3');
    expect(state.dev).toBe('0.3');
    expect(state.pool).toBe('20001');
    expect(state.n).toBe('1234');
  });

  it('replaces garbage by the default with a note, quoting hostile text as text', () => {
    const { state, notes } = readSpiralState('kind=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&oracle=chainlink&pool=lots&gas=1e9');
    expect(state.kind).toBe('move');
    expect(state.oracle).toBe('pool');
    expect(state.pool).toBe('20000');
    expect(state.gas).toBe('400000');
    expect(notes[0]).toBe('Shock "<img src=x onerror=alert…" is not one of move, sell; using move.');
    expect(notes).toContain('Oracle source "chainlink" is not one of pool, ref; using pool.');
    expect(notes).toContain('Pool depth "lots" is not a number; using 20000 WETH.');
    expect(notes).toContain('Gas per liquidation "1e9" is not a number; using 400000 gas.');
  });

  it('notes a link from another codec version and ignores unknown keys', () => {
    const { state, notes } = readSpiralState('v=9&utm_medium=x&n=300');
    expect(state.n).toBe('300');
    expect(notes).toEqual(['This link was made for version "9" of this widget\'s settings; it was read as version 2.']);
  });
});

describe('writing a link', () => {
  const states: SpiralState[] = [
    DEFAULTS,
    { ...DEFAULTS, kind: 'sell', sell: '40000', pool: '100', arb: '100', oracle: 'ref', delay: '0', dev: '10', lpb: '1000', fee: '0', gas: '50000', cap: '1', n: '1', seed: '999999' },
    { ...DEFAULTS, move: '-60', over: '50', lpb: '3', fee: '2000', gas: '2000000', cap: '1000000000', n: '20000' },
  ];

  it('round-trips every state through the query string, with the codec version', () => {
    for (const state of states) {
      const query = writeSpiralState(state);
      expect(query.startsWith('v=2&')).toBe(true);
      const back = readSpiralState(query);
      expect(back.notes).toEqual([]);
      // The shock not in use is left out of the link and reads back as its default.
      expect(back.state).toEqual(state.kind === 'move' ? { ...state, sell: DEFAULTS.sell } : { ...state, move: DEFAULTS.move, over: DEFAULTS.over });
    }
  });

  it('writes only the shock in use', () => {
    expect(writeSpiralState(DEFAULTS)).not.toContain('sell=');
    const sell = writeSpiralState({ ...DEFAULTS, kind: 'sell' });
    expect(sell).toContain('sell=2000');
    expect(sell).not.toContain('move=');
    expect(sell).not.toContain('over=');
    expect(writeSpiralState({ ...DEFAULTS, over: '12' })).toContain('over=12');
  });

  it('documents every parameter for the table on the widget page', () => {
    for (const spec of spiralParams) {
      expect(spec.allowed.length).toBeGreaterThan(3);
      expect(spec.fallback({})).not.toBe('');
      expect(spiralParamMeaning[spec.key]?.length ?? 0).toBeGreaterThan(10);
    }
  });
});

describe("a lesson's starting state", () => {
  it('overrides the defaults it names and keeps the rest', () => {
    expect(defaultSpiralState({ lpb: '5', fee: '100' })).toEqual({ ...DEFAULTS, lpb: '5', fee: '100' });
  });

  it('is clamped like a link', () => {
    expect(defaultSpiralState({ move: '-90' }).move).toBe('-60');
  });
});
