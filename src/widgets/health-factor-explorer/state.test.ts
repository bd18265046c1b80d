import { describe, expect, it } from 'vitest';
import { defaultExplorerState, readExplorerState, writeExplorerState } from './state';

describe('health factor explorer state', () => {
  it('takes the defaults when the link sets nothing', () => {
    const { state, notes } = readExplorerState('');
    expect(state).toEqual({
      protocol: 'aave-v3-ethereum',
      c1: 'WETH',
      a1: '10',
      c2: 'WBTC',
      a2: '0.25',
      d1: 'USDC',
      b1: '24000',
      d2: 'DAI',
      b2: '2000',
      k: '1',
      move: '0',
      r: '1',
      s: '1',
      rules: 'v3.3',
    });
    expect(notes).toEqual([]);
  });

  it('clamps a price move off the scale and says so', () => {
    const { state, notes } = readExplorerState('move=-120');
    expect(state.move).toBe('-95');
    expect(notes).toEqual(['Price move -120 is below the minimum -95 %; using -95.']);
    expect(readExplorerState('move=250').state.move).toBe('100');
    expect(readExplorerState('move=-38.26').state.move).toBe('-38.3');
  });

  it('replaces an unknown asset, and one the other slot already holds, with a note', () => {
    const unknown = readExplorerState('c1=DOGE');
    expect(unknown.state.c1).toBe('WETH');
    expect(unknown.notes).toEqual(['First collateral "DOGE" is not one of USDC, WETH, wstETH, WBTC, USDT, DAI, LINK; using WETH.']);
    const twice = readExplorerState('c1=WBTC&c2=WBTC');
    expect(twice.state.c1).toBe('WBTC');
    expect(twice.state.c2).not.toBe('WBTC');
    expect(twice.notes).toEqual([`Second collateral WBTC is already the other slot's asset; using ${twice.state.c2}.`]);
    // Asset names are matched without regard to case, and written back in the preset's spelling.
    expect(readExplorerState('c2=wsteth').state.c2).toBe('wstETH');
  });

  it('quotes hostile text as text and keeps amounts non-negative', () => {
    const { state, notes } = readExplorerState('d1=%3Cimg%20src%3Dx%3E&b1=-5&a2=lots&rules=v2');
    expect(state.d1).toBe('USDC');
    expect(state.b1).toBe('0');
    expect(state.a2).toBe('0.25');
    expect(state.rules).toBe('v3.3');
    expect(notes).toEqual([
      'Second collateral amount "lots" is not a number; using 0.25.',
      'First debt "<img src=x>" is not one of USDC, WETH, wstETH, WBTC, USDT, DAI, LINK; using USDC.',
      'First debt amount -5 is below the minimum 0; using 0.',
      'Rules "v2" is not one of v3.3, v3.0; using v3.3.',
    ]);
  });

  it('round-trips every state through the query string', () => {
    for (const state of [
      defaultExplorerState(),
      defaultExplorerState({ c1: 'LINK', a1: '1234.5678', c2: 'USDC', a2: '0', d1: 'WETH', b1: '3', d2: 'USDT', b2: '0', k: '2', move: '-12.5', r: '2', s: '2', rules: 'v3.0' }),
    ]) {
      const back = readExplorerState(writeExplorerState(state));
      expect(back.notes).toEqual([]);
      expect(back.state).toEqual(state);
    }
    expect(writeExplorerState(defaultExplorerState())).toBe(
      'v=2&protocol=aave-v3-ethereum&c1=WETH&a1=10&c2=WBTC&a2=0.25&d1=USDC&b1=24000&d2=DAI&b2=2000&k=1&move=0&r=1&s=1&rules=v3.3',
    );
  });
});
