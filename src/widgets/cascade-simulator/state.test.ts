import { describe, expect, it } from 'vitest';
import { cascadeParams, defaultCascadeState, readCascadeState, writeCascadeState, type CascadeState } from './state';

describe('reading a link', () => {
  it('takes the defaults when the link sets nothing', () => {
    const { state, notes } = readCascadeState('');
    expect(state).toEqual({
      kind: 'mark',
      move: '-3',
      sell: '50',
      book: 'sqrt',
      depth: '6',
      res: '10',
      tp: '0',
      fund: '250000',
      backstop: 'fund',
      vault: '250000',
      maker: '20',
      mix: 'typical',
      long: '60',
      n: '10000',
      seed: '1',
    });
    expect(notes).toEqual([]);
  });

  it('reads every knob a link can set', () => {
    const { state, notes } = readCascadeState('kind=sell&sell=120.5&book=flat&depth=12.5&res=40&tp=25&fund=0&mix=aggressive&long=35&n=50000&seed=77');
    expect(notes).toEqual([]);
    expect(state).toMatchObject({ kind: 'sell', sell: '120.5', book: 'flat', depth: '12.5', res: '40', tp: '25', fund: '0', mix: 'aggressive', long: '35', n: '50000', seed: '77' });
  });

  it('clamps out-of-range values and says so', () => {
    const { state, notes } = readCascadeState('move=-35&n=250000&res=150&long=-5&seed=0');
    expect(state.move).toBe('-20');
    expect(state.n).toBe('100000');
    expect(state.res).toBe('100');
    expect(state.long).toBe('0');
    expect(state.seed).toBe('1');
    expect(notes).toEqual([
      'Price shock -35 is below the minimum -20 %; using -20.',
      'Resilience 150 is above the maximum 100 %; using 100.',
      'Long share -5 is below the minimum 0 %; using 0.',
      'Positions 250000 is above the maximum 100000; using 100000.',
      'Seed 0 is below the minimum 1; using 1.',
    ]);
  });

  it('lets a link ask for a market the engine refuses (no depth, no positions): the widget explains it', () => {
    const { state, notes } = readCascadeState('depth=0&n=0');
    expect(state.depth).toBe('0');
    expect(state.n).toBe('0');
    expect(notes).toEqual([]);
  });

  it('rounds away precision the widget does not use', () => {
    const { state } = readCascadeState('move=-3.14159&n=1234.6&depth=6.04');
    expect(state.move).toBe('-3.1');
    expect(state.n).toBe('1235');
    expect(state.depth).toBe('6');
  });

  it('replaces garbage by the default with a note, quoting hostile text as text', () => {
    const { state, notes } = readCascadeState('kind=%3Cscript%3Ealert(1)%3C%2Fscript%3E&depth=abc&mix=yolo&seed=1e999');
    expect(state.kind).toBe('mark');
    expect(state.depth).toBe('6');
    expect(state.mix).toBe('typical');
    expect(state.seed).toBe('1');
    expect(notes[0]).toBe('Shock "<script>alert(1)</script…" is not one of mark, sell; using mark.');
    expect(notes).toContain('Order-book depth "abc" is not a number; using 6 BTC.');
    expect(notes).toContain('Leverage mix "yolo" is not one of cautious, typical, aggressive; using typical.');
    expect(notes).toContain('Seed "1e999" is not a number; using 1.');
  });

  it('notes a link from another codec version and ignores unknown keys', () => {
    const { state, notes } = readCascadeState('v=7&utm_source=x&n=2000');
    expect(state.n).toBe('2000');
    expect(notes).toEqual(['This link was made for version "7" of this widget\'s settings; it was read as version 2.']);
  });
});

describe('the backstop', () => {
  it('reads the vault, its capital and its maker share, and clamps them with a note', () => {
    const { state, notes } = readCascadeState('backstop=vault&vault=1500000&maker=35');
    expect(notes).toEqual([]);
    expect(state).toMatchObject({ backstop: 'vault', vault: '1500000', maker: '35' });
    const clamped = readCascadeState('backstop=VAULT&vault=10&maker=100');
    expect(clamped.state).toMatchObject({ backstop: 'vault', vault: '50000', maker: '90' });
    expect(clamped.notes).toEqual([
      'Vault capital 10 is below the minimum 50000 USDT; using 50000.',
      'Vault maker share 100 is above the maximum 90 %; using 90.',
    ]);
    expect(readCascadeState('backstop=pool').notes).toEqual(['Backstop "pool" is not one of fund, vault; using fund.']);
  });

  it('opens a link made before the vault existed exactly as it was: the fund design', () => {
    const old = readCascadeState('v=1&kind=mark&move=-5&book=sqrt&depth=6&res=10&tp=0&fund=250000&mix=typical&long=60&n=10000&seed=1');
    expect(old.notes).toEqual([]);
    expect(old.state.backstop).toBe('fund');
  });

  it("writes the vault's knobs only when the vault is on", () => {
    expect(writeCascadeState(defaultCascadeState())).not.toMatch(/vault=|maker=/);
    const vault = writeCascadeState({ ...defaultCascadeState(), backstop: 'vault', vault: '800000', maker: '0' });
    expect(vault).toContain('backstop=vault');
    expect(vault).toContain('vault=800000');
    expect(vault).toContain('maker=0');
  });
});

describe('writing a link', () => {
  const states: CascadeState[] = [
    defaultCascadeState(),
    { ...defaultCascadeState(), kind: 'sell', sell: '75.5', book: 'flat', depth: '20', res: '0', tp: '12.5', fund: '1000000', mix: 'cautious', long: '40', n: '100000', seed: '999999' },
    { ...defaultCascadeState(), move: '7.5', depth: '0', n: '0' },
    { ...defaultCascadeState(), backstop: 'vault', vault: '3000000', maker: '45', fund: '0' },
  ];

  it('round-trips every state through the query string, with the codec version', () => {
    for (const state of states) {
      const query = writeCascadeState(state);
      expect(query.startsWith('v=2&')).toBe(true);
      const back = readCascadeState(query);
      expect(back.notes).toEqual([]);
      // The shock not in use is left out of the link and reads back as its default.
      const shockOnly = state.kind === 'mark' ? { ...state, sell: '50' } : { ...state, move: '-3' };
      // So are the vault's knobs without the vault.
      expect(back.state).toEqual(state.backstop === 'fund' ? { ...shockOnly, vault: '250000', maker: '20' } : shockOnly);
    }
  });

  it('writes only the shock in use', () => {
    expect(writeCascadeState(defaultCascadeState())).not.toContain('sell=');
    const sell = writeCascadeState({ ...defaultCascadeState(), kind: 'sell' });
    expect(sell).toContain('sell=50');
    expect(sell).not.toContain('move=');
  });

  it('documents every parameter for the table on the widget page', () => {
    for (const spec of cascadeParams) {
      expect(spec.allowed.length).toBeGreaterThan(3);
      expect(spec.fallback({})).not.toBe('');
    }
  });
});

describe("a lesson's starting state", () => {
  it('overrides the defaults it names and keeps the rest', () => {
    const lesson = defaultCascadeState({ book: 'flat', depth: '12', move: '-1' });
    expect(lesson).toEqual({ ...defaultCascadeState(), book: 'flat', depth: '12', move: '-1' });
  });

  it('is clamped like a link, so a lesson cannot open the widget in a state a link could not reach', () => {
    expect(defaultCascadeState({ move: '-80' }).move).toBe(readCascadeState('move=-80').state.move);
    expect(defaultCascadeState({ move: '-80' }).move).not.toBe('-80');
  });
});
