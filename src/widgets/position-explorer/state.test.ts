import { describe, expect, it } from 'vitest';
import { defaultExplorerState, maxLeverageFor, readExplorerState, writeExplorerState } from './state';

describe('reading a link', () => {
  it('takes the defaults when the link sets nothing', () => {
    const { state, notes } = readExplorerState('');
    expect(state).toMatchObject({ contract: 'linear', side: 'long', entry: '60000', lev: '10', mmr: '0.4', basis: 'margin', margin: '1000', mark: '60000' });
    expect(notes).toEqual([]);
  });

  it('clamps an out-of-range leverage and says so', () => {
    const { state, notes } = readExplorerState('lev=500');
    expect(state.lev).toBe('125');
    expect(notes).toEqual(['Leverage 500 is above the maximum 125×; using 125.']);
  });

  it('keeps leverage below 1 ÷ maintenance rate', () => {
    expect(maxLeverageFor('5').toString()).toBe('19');
    expect(maxLeverageFor('0.4').toString()).toBe('125');
    expect(maxLeverageFor('50').toString()).toBe('1');
    const { state, notes } = readExplorerState('mmr=5&lev=50');
    expect(state.lev).toBe('19');
    expect(notes[0]).toContain('above the maximum 19');
  });

  it('replaces garbage by the default with a note, and quotes hostile text as text', () => {
    const { state, notes } = readExplorerState('entry=abc&side=%3Cscript%3Ealert(1)%3C%2Fscript%3E');
    expect(state.entry).toBe('60000');
    expect(state.side).toBe('long');
    expect(notes).toContain('Entry price "abc" is not a number; using 60000.');
    expect(notes.some((n) => n.startsWith('Side "<script>alert(1)</scr'))).toBe(true);
  });

  it('ignores unknown keys and reads units from the contract', () => {
    const { state, notes } = readExplorerState('contract=inverse&foo=bar');
    expect(notes).toEqual([]);
    expect(state.margin).toBe('0.02');
    expect(state.size).toBe('100');
  });

  it('notes a link from another codec version', () => {
    expect(readExplorerState('v=9').notes[0]).toContain('version "9"');
  });

  it('rounds away sub-tick precision and refuses absurd lengths', () => {
    expect(readExplorerState('entry=60000.123456').state.entry).toBe('60000.12');
    expect(readExplorerState(`entry=${'9'.repeat(60)}`).notes[0]).toContain('is too long');
  });
});

describe('writing a link', () => {
  it('round-trips every state through the query string', () => {
    const states = [
      defaultExplorerState(),
      defaultExplorerState({ contract: 'inverse', side: 'short', lev: '3', mark: '65000', basis: 'size', size: '250' }),
      defaultExplorerState({ entry: '2500.5', mmr: '1.25', lev: '20', margin: '75.5' }),
    ];
    for (const state of states) {
      const back = readExplorerState(writeExplorerState(state));
      expect(back.notes).toEqual([]);
      const { margin, size, ...rest } = back.state;
      const { margin: m0, size: s0, ...rest0 } = state;
      expect(rest).toEqual(rest0);
      expect(state.basis === 'margin' ? margin : size).toBe(state.basis === 'margin' ? m0 : s0);
    }
  });

  it('writes a version and only the sizing value in use', () => {
    const query = new URLSearchParams(writeExplorerState(defaultExplorerState()));
    expect(query.get('v')).toBe('2');
    expect(query.has('margin')).toBe(true);
    expect(query.has('size')).toBe(false);
  });
});
