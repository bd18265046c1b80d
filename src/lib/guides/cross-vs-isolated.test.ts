import { describe, expect, it } from 'vitest';
import { crossVsIsolatedGuide } from './cross-vs-isolated';
import { readCrossState, type CrossState } from '../../widgets/cross-vs-isolated/state';
import { clampMark, tryOpenFrame } from '../../widgets/cross-vs-isolated/model';

const g = crossVsIsolatedGuide();

// Both positions: 1,000 USDT margin at 10×, so 10,000 USDT of notional: 1/6 BTC at 60,000 and 10/3 ETH at 3,000,
// maintenance rate 0.4 % on each (Binance's first bracket). Cross wallet 2,000 USDT.
const qBtc = 10000 / 60000;
const qEth = 10000 / 3000;
const text = (x: number) => `${x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })} USDT`;

/**
 * Binance's cross formula (USDⓈ-M FAQ) for the BTC long with ETH held at `eth`: the BTC price P where
 * wallet + PnL_btc(P) + PnL_eth = 0.4 % × (qBtc × P + qEth × eth).
 */
function crossBtcLp(eth: number, ethSide: 1 | -1 = 1, wallet = 2000) {
  const pnlEth = ethSide * qEth * (eth - 3000);
  return (qBtc * 60000 - wallet - pnlEth + 0.004 * qEth * eth) / (qBtc * (1 - 0.004));
}

describe('cross vs isolated guide: figures', () => {
  it('activity: isolated and cross liquidation prices of the BTC long', () => {
    expect(g.activity.start.isolatedLp).toBe(text((60000 * 0.9) / 0.996)); // 54,216.87
    expect(g.activity.start.crossLp).toBe(text(crossBtcLp(3000))); // 48,433.73
    expect(g.activity.ethUp.crossLp).toBe(text(crossBtcLp(3150)));
    expect(g.activity.bigWallet.crossLp).toBe(text(crossBtcLp(3000, 1, 3000)));
    expect(g.activity.bigWallet.idle).toBe('1,000.00 USDT');
  });

  it('Q1: ETH at 2,850 moves the cross BTC liquidation price up', () => {
    expect(Number(g.q1.answer)).toBeCloseTo(crossBtcLp(2850), 2); // 51,433.73
    expect(g.q1.ethLoss).toBe('500.00 USDT'); // 10/3 ETH × 150
    expect(g.q1.fall).toBe('5\u202f%');
  });

  it('Q2: BTC at 48,000 with ETH flat: cross loses the whole wallet, isolated only the BTC margin', () => {
    expect(48000).toBeLessThan(crossBtcLp(3000));
    expect(g.q2.answer).toBe('2000');
    expect(g.q2.fall).toBe('20\u202f%');
    expect(g.q2.isolatedLost).toBe('1,000.00 USDT');
    expect(g.q2.isolatedLeft).toBe('1,000.00 USDT');
  });

  it('Q3: a hedged pair 12 % lower: isolated loses the BTC leg, cross keeps the whole wallet', () => {
    // BTC long loses qBtc × 7,200 = 1,200; ETH short gains qEth × 360 = 1,200: cross equity stays 2,000.
    expect(g.q3.answer).toBe('1000');
    expect([g.q3.fall, g.q3.ethFall]).toEqual(['12\u202f%', '12\u202f%']);
    expect(g.q3.crossEquity).toBe('2,000.00 USDT');
    expect(g.q3.crossLost).toBe('0.00 USDT');
    expect(g.q3.ethEquity).toBe('2,200.00 USDT');
  });
});

describe('cross vs isolated guide: links', () => {
  const links: [string, Partial<CrossState>][] = [
    [g.activity.start.link, { bs: 'long', es: 'long', lev: '10', wallet: '2000', bm: '60000', em: '3000' }],
    [g.activity.ethUp.link, { em: '3150' }],
    [g.activity.bigWallet.link, { wallet: '3000' }],
    [g.activity.hedge.link, { es: 'short', bm: '60000', em: '3000' }],
    [g.q1.link, { em: '2850', bm: '60000' }],
    [g.q2.link, { bm: '48000', em: '3000' }],
    [g.q3.link, { bs: 'long', es: 'short', bm: '52800', em: '2640' }],
  ];
  it.each(links)('%s opens the intended state with no notes, both marks on their sliders', (link, expected) => {
    expect(link.startsWith('/widgets/cross-vs-isolated/?')).toBe(true);
    const { state, notes } = readCrossState(link.slice(link.indexOf('?') + 1));
    expect(notes).toEqual([]);
    expect(state).toMatchObject(expected);
    const opened = tryOpenFrame(state);
    expect(opened.ok).toBe(true);
    if (opened.ok) {
      expect(clampMark(opened.frame.windows.btc, state.bm)).toBe(state.bm);
      expect(clampMark(opened.frame.windows.eth, state.em)).toBe(state.em);
    }
  });
});
