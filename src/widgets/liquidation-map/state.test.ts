import { describe, expect, it } from 'vitest';
import { defaultMapState, readMapState, writeMapState } from './state';

describe('liquidation map state', () => {
  it('takes the defaults when the link sets nothing', () => {
    const { state, notes } = readMapState('');
    expect(state).toEqual({ p: '58000', depth: '400000', book: 'flat', mix: 'mixed', long: '50', n: '5000', seed: '1' });
    expect(notes).toEqual([]);
  });

  it('clamps a price off the map and says so', () => {
    const { state, notes } = readMapState('p=10000');
    expect(state.p).toBe('42000');
    expect(notes).toEqual(['Price 10000 is below the minimum 42000 USDT; using 42000.']);
    expect(readMapState('p=90000').state.p).toBe('78000');
  });

  it('keeps zero positions and zero depth: they are for the engine to refuse', () => {
    const { state, notes } = readMapState('n=0&depth=0');
    expect(state.n).toBe('0');
    expect(state.depth).toBe('0');
    expect(notes).toEqual([]);
  });

  it('replaces garbage by the default with a note, quoting hostile text as text', () => {
    const { state, notes } = readMapState('mix=%3Cscript%3Ealert(1)%3C%2Fscript%3E&depth=lots&long=-5&n=123456');
    expect(state.mix).toBe('mixed');
    expect(state.depth).toBe('400000');
    expect(state.long).toBe('0');
    expect(state.n).toBe('10000');
    expect(notes).toEqual([
      'Depth "lots" is not a number; using 400000 USDT.',
      'Leverage mix "<script>alert(1)</script…" is not one of low, mixed, high; using mixed.',
      'Long share -5 is below the minimum 0 %; using 0.',
      'Positions 123456 is above the maximum 10000; using 10000.',
    ]);
  });

  it('rounds a price to whole USDT and notes a link from another codec version', () => {
    expect(readMapState('p=58000.75').state.p).toBe('58001');
    expect(readMapState('v=3').notes[0]).toContain('version "3"');
  });

  it('round-trips every state through the query string', () => {
    for (const state of [defaultMapState(), defaultMapState({ p: '66100', depth: '0', book: 'sqrt', mix: 'high', long: '70', n: '500', seed: '99' })]) {
      const back = readMapState(writeMapState(state));
      expect(back.notes).toEqual([]);
      expect(back.state).toEqual(state);
    }
    expect(writeMapState(defaultMapState())).toBe('v=2&p=58000&depth=400000&book=flat&mix=mixed&long=50&n=5000&seed=1');
  });
});
