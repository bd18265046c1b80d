import { describe, expect, it } from 'vitest';
import * as engine from '../../engine';
import { Decimal, liquidationPrice } from '../../engine';
import { clampMark, liquidationStory, niceStep, openFrame, readAt } from './model';
import { defaultExplorerState } from './state';

function frameFor(overrides = {}) {
  const result = openFrame(defaultExplorerState(overrides));
  if (!result.ok) throw new Error(result.message);
  return result.frame;
}

describe('openFrame', () => {
  it('opens the default 10× long with the engine\'s liquidation and bankruptcy prices', () => {
    const frame = frameFor();
    expect(frame.metricsAtEntry.liquidationPrice?.toFixed(2)).toBe('54216.87');
    expect(frame.metricsAtEntry.bankruptcyPrice?.toFixed(2)).toBe('54000.00');
    expect(liquidationPrice(frame.position)?.eq(frame.metricsAtEntry.liquidationPrice!)).toBe(true);
  });

  it('shows entry, liquidation and bankruptcy inside the price window for every kind of position', () => {
    for (const contract of ['linear', 'inverse'] as const) {
      for (const side of ['long', 'short'] as const) {
        for (const lev of ['1', '2', '10', '125']) {
          const frame = frameFor({ contract, side, lev });
          const [low, high] = frame.domain;
          for (const level of [frame.position.entryPrice, frame.metricsAtEntry.liquidationPrice, frame.metricsAtEntry.bankruptcyPrice]) {
            if (level === null) continue;
            expect(level.gte(low) && level.lte(high), `${contract} ${side} ${lev}×`).toBe(true);
          }
          expect(low.gt(0)).toBe(true);
          expect(frame.curves.equity).toHaveLength(161);
          expect(frame.curves.equity.every(([x, y]) => Number.isFinite(x) && Number.isFinite(y))).toBe(true);
        }
      }
    }
  });

  it('refuses a position that cannot open, naming the field', () => {
    const result = openFrame(defaultExplorerState({ mmr: '5', lev: '19', margin: '1000' }));
    expect(result.ok).toBe(true);
    const tooMuch = openFrame({ ...defaultExplorerState(), mmr: '5', lev: '25' });
    expect(tooMuch.ok).toBe(false);
    if (!tooMuch.ok) expect(tooMuch.field).toBe('leverage');
  });

  it('rounds slider steps to 1, 2 or 5 × 10ⁿ', () => {
    expect(niceStep(new Decimal('37')).toString()).toBe('50');
    expect(niceStep(new Decimal('0.013')).toString()).toBe('0.02');
    expect(niceStep(new Decimal('100')).toString()).toBe('100');
  });
});

describe('readAt', () => {
  const frame = frameFor();

  it('moves from safe through warning (ratio ≥ 50 %) and danger (≥ 80 %) to liquidated as the price falls', () => {
    // Equity = 1,000 + (P − 60,000)/6 and MM = 0.004·P/6: the ratio reaches 50 % near 54,435 and 80 % near 54,271.
    const zones = ['60000', '54400', '54250', '54216.86', '54000'].map((mark) => readAt(frame, mark).zone);
    expect(zones).toEqual(['safe', 'warning', 'danger', 'liquidated', 'liquidated']);
  });

  it('says in words what the chart shows', () => {
    const reading = readAt(frame, '57000');
    expect(reading.summary).toContain('10× long BTCUSDT (linear)');
    expect(reading.summary).toContain('57,000.00 USDT');
    expect(reading.summary).toContain('Liquidation at 54,216.87 USDT');
    expect(reading.text.pnl).toBe('\u2212500.00 USDT');
  });

  it('explains a position that cannot be liquidated', () => {
    const inverseShort = frameFor({ contract: 'inverse', side: 'short', lev: '1' });
    const reading = readAt(inverseShort, '90000');
    expect(reading.summary).toContain('cannot be liquidated');
    expect(reading.text.liquidation).toBe('none');
  });

  it('keeps the mark inside the window', () => {
    const [low, high] = frame.domain;
    expect(clampMark(frame, '1')).toBe(low.toString());
    expect(clampMark(frame, '999999999')).toBe(high.toString());
  });
});

describe('liquidationStory', () => {
  it('accounts for the whole margin: trading loss plus the maintenance buffer', () => {
    const frame = frameFor();
    const story = liquidationStory(frame, '54000');
    expect(story.lines[0]).toBe('The trader keeps 0.00 USDT of the 1,000.00 USDT isolated margin.');
    const loss = frame.liquidation!;
    expect(loss.tradingLoss.add(loss.equityAtLiquidation).eq(frame.position.margin)).toBe(true);
  });
});

describe('the engine core the explorer calls', () => {
  it('gives what the public, venue-aware functions give for every kind of explorer position', () => {
    for (const contract of ['linear', 'inverse'] as const) {
      for (const side of ['long', 'short'] as const) {
        for (const lev of ['1', '3', '10', '125']) {
          for (const basis of ['margin', 'quantity'] as const) {
            const frame = frameFor({ contract, side, lev, basis });
            for (const mark of [frame.domain[0], frame.position.entryPrice, frame.domain[1]]) {
              const ours = readAt(frame, mark.toString()).metrics;
              const theirs = engine.positionMetrics(frame.position, mark);
              for (const key of ['equity', 'maintenanceMargin', 'marginRatio', 'liquidationPrice', 'bankruptcyPrice', 'unrealizedPnl'] as const) {
                expect(String(ours[key]), `${contract} ${side} ${lev}× ${basis} at ${mark.toString()}: ${key}`).toBe(String(theirs[key]));
              }
            }
            expect(JSON.stringify(engine.liquidationLoss(frame.position))).toBe(JSON.stringify(frame.liquidation));
          }
        }
      }
    }
  });
});
