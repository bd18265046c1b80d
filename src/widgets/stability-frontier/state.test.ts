import { describe, expect, it } from 'vitest';
import { LEVERAGE_GRID, defaultFrontierState, nearestGridLeverage, readFrontierState, writeFrontierState } from './state';

describe('stability frontier state', () => {
  it('takes the defaults when the link sets nothing', () => {
    const { state, notes } = readFrontierState('');
    expect(state).toEqual({ shock: '3', n: '3000', seed: '1', adl: 'on', y: 'move', lev: '20', depth: 'medium' });
    expect(notes).toEqual([]);
  });

  it('moves a leverage between grid values to the nearest one, in ratio, and says so', () => {
    expect(nearestGridLeverage(22)).toBe(20);
    expect(nearestGridLeverage(23)).toBe(25);
    expect(nearestGridLeverage(1)).toBe(2);
    expect(nearestGridLeverage(1000)).toBe(125);
    const { state, notes } = readFrontierState('lev=22');
    expect(state.lev).toBe('20');
    expect(notes).toEqual(['Maximum leverage 22× is not one of the values the lines are computed at; using 20×.']);
    for (const L of LEVERAGE_GRID) expect(readFrontierState(`lev=${L}`).notes).toEqual([]);
  });

  it('clamps out-of-range values and explains each', () => {
    const { state, notes } = readFrontierState('lev=500&shock=40&n=9000');
    expect(state).toMatchObject({ lev: '125', shock: '20', n: '5000' });
    expect(notes).toEqual([
      'Shock 40 is above the maximum 20 %; using 20.',
      'Positions 9000 is above the maximum 5000; using 5000.',
      'Maximum leverage 500 is above the maximum 125×; using 125.',
    ]);
  });

  it('replaces garbage by the default with a note, quoting hostile text as text', () => {
    const { state, notes } = readFrontierState('y=%3Cimg%20src%3Dx%20onerror%3Dalert(1)%3E&depth=abyss&lev=x');
    expect(state).toMatchObject({ y: 'move', depth: 'medium', lev: '20' });
    expect(notes).toEqual([
      'Shown "<img src=x onerror=alert…" is not one of move, amp, adl, bad; using move.',
      'Maximum leverage "x" is not a number; using 20×.',
      'Depth "abyss" is not one of thin, medium, deep; using medium.',
    ]);
  });

  it('round-trips every state through the query string', () => {
    for (const state of [defaultFrontierState(), defaultFrontierState({ shock: '7.5', n: '0', seed: '42', adl: 'off', y: 'bad', lev: '125', depth: 'thin' })]) {
      const back = readFrontierState(writeFrontierState(state));
      expect(back.notes).toEqual([]);
      expect(back.state).toEqual(state);
    }
  });
});
