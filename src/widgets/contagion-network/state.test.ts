import { describe, expect, it } from 'vitest';
import { contagionParams, defaultContagionState, readContagionState, writeContagionState, type ContagionState } from './state';

describe('reading a link', () => {
  it('takes the defaults when the link sets nothing', () => {
    const { state, notes } = readContagionState('');
    expect(state).toEqual({ shock: '20', pool: 'shared', oracle: 'shared', receipt: 'marked', delay: '1', dev: '0.5', depth: '150000', n: '10000', seed: '1' });
    expect(notes).toEqual([]);
  });

  it('reads every knob a link can set', () => {
    const { state, notes } = readContagionState('shock=32.5&pool=own&oracle=OWN&receipt=fixed&delay=3&dev=1.25&depth=80000&n=20000&seed=42');
    expect(notes).toEqual([]);
    expect(state).toEqual({ shock: '32.5', pool: 'own', oracle: 'own', receipt: 'fixed', delay: '3', dev: '1.25', depth: '80000', n: '20000', seed: '42' });
  });

  it('clamps out-of-range values and says so', () => {
    const { state, notes } = readContagionState('shock=90&delay=40&dev=-1&depth=10&n=500000&seed=0');
    expect(state).toMatchObject({ shock: '60', delay: '10', dev: '0', depth: '1000', n: '30000', seed: '1' });
    expect(notes).toEqual([
      'Price shock 90 is above the maximum 60 %; using 60.',
      'Oracle delay 40 is above the maximum 10 blocks; using 10.',
      'Oracle deviation threshold -1 is below the minimum 0 %; using 0.',
      'Pool depth 10 is below the minimum 1000 WETH; using 1000.',
      'Borrowers per protocol 500000 is above the maximum 30000; using 30000.',
      'Seed 0 is below the minimum 1; using 1.',
    ]);
  });

  it('replaces garbage by the default with a note, quoting hostile text as text', () => {
    const { state, notes } = readContagionState('pool=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&shock=abc&receipt=maybe');
    expect(state.pool).toBe('shared');
    expect(state.shock).toBe('20');
    expect(state.receipt).toBe('marked');
    expect(notes).toEqual([
      'Price shock "abc" is not a number; using 20 %.',
      'Pool link "<img src=x onerror=alert…" is not one of shared, own; using shared.',
      'Receipt link "maybe" is not one of marked, fixed; using marked.',
    ]);
  });

  it('rounds away precision the widget does not use', () => {
    const { state } = readContagionState('shock=12.345&dev=0.3333&n=1234.6');
    expect(state.shock).toBe('12.3');
    expect(state.dev).toBe('0.33');
    expect(state.n).toBe('1235');
  });
});

describe('writing a link', () => {
  const states: ContagionState[] = [
    defaultContagionState(),
    { shock: '45.5', pool: 'own', oracle: 'own', receipt: 'fixed', delay: '0', dev: '0', depth: '1000000', n: '30000', seed: '999999' },
  ];

  it('round-trips every state through the query string, with the codec version', () => {
    for (const state of states) {
      const query = writeContagionState(state);
      expect(query.startsWith('v=2&')).toBe(true);
      const back = readContagionState(query);
      expect(back.notes).toEqual([]);
      expect(back.state).toEqual(state);
    }
  });

  it('documents every parameter for the table on the widget page', () => {
    for (const spec of contagionParams) {
      expect(spec.allowed.length).toBeGreaterThan(3);
      expect(spec.fallback({})).not.toBe('');
    }
  });
});

describe("a lesson's starting state", () => {
  it('is clamped like a link', () => {
    expect(defaultContagionState({ shock: '75', oracle: 'own' })).toEqual({ ...defaultContagionState(), shock: '60', oracle: 'own' });
  });
});
