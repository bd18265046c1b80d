import { describe, expect, it } from 'vitest';
import { Decimal, accountMetrics, crossLiquidationPrice, liquidationPrice } from '../../engine';
import { CROSS_WALLET, NO_LIQUIDATION, chartView, clampMark, crossCurves, frameOrRefusal, nextSticky, openFrame, readAt, tryOpenFrame } from './model';
import { defaultCrossState, readCrossState, writeCrossState } from './state';

const frameFor = (overrides = {}) => openFrame(defaultCrossState(overrides));
const at = (btc: string, eth = '3000') => ({ btc, eth });

describe('openFrame', () => {
  it('opens two 10× longs of 1,000 USDT each: 1/6 BTC and 10/3 ETH', () => {
    const frame = frameFor();
    expect(frame.positions.btc.quantity.mul(6).toDecimalPlaces(10).toString()).toBe('1');
    expect(frame.positions.eth.quantity.mul(3).toDecimalPlaces(10).toString()).toBe('10');
    expect(frame.account.walletBalance.toString()).toBe('2000');
  });

  it("has the engine's isolated liquidation prices, checked by hand", () => {
    // Long: LP = (margin − q·EP) / (q·MMR − q) = (1,000 − 10,000) / ((1/6)(0.004 − 1)) = 54,216.87
    const frame = frameFor();
    expect(frame.isolatedLp.btc?.toFixed(2)).toBe('54216.87');
    expect(frame.isolatedLp.eth?.toFixed(2)).toBe('2710.84');
    expect(liquidationPrice(frame.positions.btc)?.eq(frame.isolatedLp.btc!)).toBe(true);
  });

  it('shows entry and both liquidation prices inside each window, for every side and leverage', () => {
    for (const bs of ['long', 'short'] as const) {
      for (const es of ['long', 'short'] as const) {
        for (const lev of ['1', '3', '10', '50', '125']) {
          const frame = frameFor({ bs, es, lev });
          const reading = readAt(frame, { btc: '60000', eth: '3000' });
          for (const key of ['btc', 'eth'] as const) {
            const [low, high] = frame.windows[key].domain;
            expect(low.gt(0)).toBe(true);
            for (const level of [frame.positions[key].entryPrice, frame.isolatedLp[key], reading.cross.lp[key]]) {
              if (level === null) continue;
              expect(level.gte(low) && level.lte(high), `${bs}/${es} ${lev}× ${key}`).toBe(true);
            }
            expect(frame.isolatedCurves[key].equity).toHaveLength(161);
          }
        }
      }
    }
  });
});

describe('cross against isolated', () => {
  const frame = frameFor();

  it('puts the cross liquidation price further from entry than the isolated one for two longs', () => {
    // Cross, ETH at 3,000: A = 2,000 − 40 (ETH's maintenance) = 1,960; LP = (10,000 − 1,960) × 6 / 0.996 = 48,433.73.
    const reading = readAt(frame, at('60000'));
    expect(reading.cross.lp.btc?.toFixed(2)).toBe('48433.73');
    expect(reading.cross.lp.btc!.lt(frame.isolatedLp.btc!)).toBe(true);
    expect(reading.cross.text.lpBtc).toBe('48,433.73 USDT (ETH at 3,000.00 USDT)');
  });

  it('does the same for two shorts, above entry', () => {
    const shorts = frameFor({ bs: 'short', es: 'short' });
    const reading = readAt(shorts, at('60000'));
    expect(shorts.isolatedLp.btc?.toFixed(2)).toBe('65737.05');
    expect(reading.cross.lp.btc?.toFixed(2)).toBe('71474.10');
  });

  it("meets equity = maintenance exactly at the engine's cross liquidation price", () => {
    const lp = crossLiquidationPrice(frame.account, 'BTCUSDT', { ETHUSDT: '3000' })!;
    const m = accountMetrics(frame.account, { BTCUSDT: lp, ETHUSDT: '3000' });
    expect(m.equity.sub(m.totalMaintenanceMargin).abs().lt('1e-20')).toBe(true);
  });

  it('between the two prices, isolated BTC is liquidated and cross survives by borrowing from ETH', () => {
    // BTC at 50,000: cross equity = 2,000 − 10,000/6 = 333.33; maintenance = 50,000/6 × 0.004 + 40 = 73.33.
    const reading = readAt(frame, at('50000'));
    expect(reading.isolated.positions.btc.liquidated).toBe(true);
    expect(reading.isolated.positions.eth.liquidated).toBe(false);
    expect(reading.cross.liquidated).toBe(false);
    expect(reading.cross.text.equity).toBe('333.33 USDT');
    expect(reading.cross.text.maintenance).toBe('73.33 USDT');
    expect(reading.isolated.text.lost).toBe('1,000.00 USDT');
    expect(reading.isolated.text.left).toBe('1,000.00 USDT');
    expect(reading.summary).toContain('Cross has survived where isolated has not');
    expect(reading.summary).toContain("borrow from ETH's margin");
  });

  it('moves the cross ETH liquidation price toward entry as BTC falls (the margin it lends is gone)', () => {
    // BTC at 51,000: A = 2,000 − 34 − 1,500 = 466; ETH LP = (10,000 − 466) / ((10/3) × 0.996) = 2,871.69.
    expect(readAt(frame, at('60000')).cross.lp.eth?.toFixed(2)).toBe('2421.69');
    expect(readAt(frame, at('51000')).cross.lp.eth?.toFixed(2)).toBe('2871.69');
  });

  it('once cross liquidates, the loss is the whole wallet; isolated keeps ETH', () => {
    const reading = readAt(frame, at('48000'));
    expect(reading.cross.liquidated).toBe(true);
    expect(reading.cross.lost.eq(CROSS_WALLET)).toBe(true);
    expect(reading.cross.text.lost).toBe('2,000.00 USDT');
    expect(reading.cross.text.left).toBe('0.00 USDT');
    expect(reading.isolated.lost.toString()).toBe('1000');
    expect(reading.isolated.text.left).toBe('1,000.00 USDT');
    expect(reading.summary).toContain('Both modes have been liquidated, and cross has lost more');
    expect(reading.summary).toContain('the whole 2,000.00 USDT wallet is lost');
  });

  it('keeps liquidations when the price comes back, until reset', () => {
    let sticky = nextSticky(frame, at('50000'), NO_LIQUIDATION);
    expect(sticky.isolated.btc).toBe('50000');
    expect(sticky.cross).toBeNull();
    sticky = nextSticky(frame, at('48000'), sticky);
    expect(sticky.cross).toEqual({ btc: '48000', eth: '3000' });
    sticky = nextSticky(frame, at('60000'), sticky);
    const back = readAt(frame, at('60000'), sticky);
    expect(back.isolated.positions.btc.liquidated).toBe(true);
    expect(back.isolated.positions.btc.text.status).toBe('liquidated at 50,000.00 USDT');
    expect(back.cross.liquidated).toBe(true);
    expect(back.summary).toContain('liquidated at BTC 48,000.00 USDT and ETH 3,000.00 USDT');
    expect(readAt(frame, at('60000'), NO_LIQUIDATION).cross.liquidated).toBe(false);
  });

  it('says in words that both are open at entry', () => {
    const reading = readAt(frame, at('60000'));
    expect(reading.summary).toContain('Both modes are open; nothing is lost yet.');
    expect(reading.summary).toContain('BTC is liquidated at 54,216.87 USDT and loses only its own 1,000.00 USDT');
    expect(reading.summary).toContain('BTC at 48,433.73 USDT takes the account down');
  });

  it('explains positions that cannot be liquidated (1×)', () => {
    const reading = readAt(frameFor({ lev: '1' }), at('60000'));
    expect(reading.cross.lp.btc).toBeNull();
    expect(reading.summary).toContain('BTC cannot be liquidated at any positive price');
    expect(reading.summary).toContain('no BTC price liquidates the account');
  });
});

describe('chartView', () => {
  it('marks both liquidation prices and shades where each mode is liquidated', () => {
    const frame = frameFor();
    const reading = readAt(frame, at('60000'));
    const view = chartView(frame, 'btc', reading, crossCurves(frame, 'btc', '3000'));
    expect(view.markers.map((m) => m.label)).toEqual(['Entry 60,000', 'Isolated liq. 54,217', 'Cross liq. 48,434']);
    expect(view.bands.map((b) => [b.x0, Math.round(b.x1)])).toEqual([
      [view.xDomain[0], 54217],
      [view.xDomain[0], 48434],
    ]);
    expect(view.series).toHaveLength(4);
  });
});

describe('link state', () => {
  it('takes the defaults when the link sets nothing', () => {
    const { state, notes } = readCrossState('');
    expect(state).toEqual({ bs: 'long', es: 'long', lev: '10', wallet: '2000', bm: '60000', em: '3000' });
    expect(notes).toEqual([]);
  });

  it('round-trips every knob through the query string, with a version', () => {
    const states = [defaultCrossState(), defaultCrossState({ bs: 'short', es: 'long', lev: '25', bm: '61234.5', em: '2999.95' })];
    for (const state of states) {
      const query = writeCrossState(state);
      expect(new URLSearchParams(query).get('v')).toBe('2');
      const back = readCrossState(query);
      expect(back.notes).toEqual([]);
      expect(back.state).toEqual(state);
    }
  });

  it('replaces bad values by defaults with notes, and clamps leverage', () => {
    const { state, notes } = readCrossState('bs=%3Cscript%3Ealert(1)%3C%2Fscript%3E&lev=500&bm=abc&em=-5');
    expect(state).toEqual({ bs: 'long', es: 'long', lev: '125', wallet: '2000', bm: '60000', em: '0.01' });
    expect(notes).toHaveLength(4);
    expect(notes[0]).toMatch(/^BTC side "<script>alert\(1\)<\/scr/);
    expect(notes).toContain('Leverage 500 is above the maximum 125×; using 125.');
    expect(notes).toContain('BTC mark price "abc" is not a number; using 60000.');
  });

  it('clamps marks into the slider window, on its step', () => {
    const frame = frameFor();
    const [low, high] = frame.windows.btc.domain;
    expect(clampMark(frame.windows.btc, '1')).toBe(low.toString());
    expect(clampMark(frame.windows.btc, '999999')).toBe(high.toString());
    expect(new Decimal(clampMark(frame.windows.btc, '54216.87')).mod(frame.windows.btc.step).isZero()).toBe(true);
  });
});

describe('the cross wallet', () => {
  const at = (btc: string, eth = '3000') => ({ btc, eth });

  it('is refused by the engine below both initial margins, with its message, and the default wallet is shown', () => {
    const refused = tryOpenFrame(defaultCrossState({ wallet: '1500' }));
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.message).toContain('exceeds');
    const shown = frameOrRefusal(defaultCrossState({ wallet: '1500' }));
    expect(shown.refusal).toBe(refused.message);
    expect(shown.frame.wallet.toString()).toBe('2000');
    expect(frameOrRefusal(defaultCrossState()).refusal).toBeNull();
  });

  it('a larger wallet keeps its excess aside in isolated mode, so both modes hold the same money', () => {
    const frame = openFrame(defaultCrossState({ wallet: '3000' }));
    expect(frame.idle.toString()).toBe('1000');
    const start = readAt(frame, at('60000'));
    expect(start.isolated.left.toFixed(2)).toBe('3000.00');
    expect(start.cross.left.toFixed(2)).toBe('3000.00');
    expect(start.isolated.text.idle).toBe('1,000.00 USDT');
    expect(start.summary).toContain('isolated keeps the other 1,000.00 USDT of the 3,000.00 USDT wallet aside');
    // The cross account survives further with the extra collateral than with the default wallet.
    const small = readAt(openFrame(defaultCrossState()), at('60000'));
    expect(start.cross.lp.btc!.lt(small.cross.lp.btc!)).toBe(true);
  });
});

describe('cross curves shifted by the other market', () => {
  // The chart's x values are the samples as floats, so the evaluation at them agrees to float precision.
  it('equal one account evaluation per sample, for marks on both sides of entry', () => {
    for (const lev of ['3', '10', '25']) {
      const frame = openFrame({ ...defaultCrossState(), lev });
      for (const [key, otherKey, otherMark] of [['btc', 'eth', '2650.5'], ['eth', 'btc', '63210'], ['btc', 'eth', '3000']] as const) {
        const curves = crossCurves(frame, key, otherMark);
        const otherSymbol = otherKey === 'eth' ? 'ETHUSDT' : 'BTCUSDT';
        const symbol = key === 'btc' ? 'BTCUSDT' : 'ETHUSDT';
        curves.equity.forEach(([x, y], i) => {
          const m = accountMetrics(frame.account, { [symbol]: String(x), [otherSymbol]: otherMark });
          expect(y).toBeCloseTo(m.equity.toNumber(), 6);
          expect(curves.maintenance[i]![1]).toBeCloseTo(m.totalMaintenanceMargin.toNumber(), 6);
        });
      }
    }
  });
});
