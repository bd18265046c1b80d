import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  addMargin,
  alertPrice,
  bracketAtLiquidation,
  bracketEdge,
  crossExample,
  fundingDrag,
  inverseCase,
  linearDerivation,
  outcomeRows,
  removable,
  venueComparison,
} from './prose-accounts';

const table = (id: string) => parse(readFileSync(new URL(`../../content/venues/${id}.yaml`, import.meta.url), 'utf8')).brackets;
const binance = table('binance-usdm-btcusdt-2025-08-19');
const bybit = table('bybit-linear-btcusdt');
const eth = table('binance-usdm-ethusdt-2025-08-19');

describe('lesson numbers', () => {
  it('keeps maintenance margin continuous at the 300,000 USDT edge of Binance BTCUSDT', () => {
    const edge = bracketEdge(binance, '300000', '400000');
    expect(edge.lowerLine).toBe(edge.atEdge);
    expect(edge.atEdgeAnswer).toBe('1200');
    expect(edge.jump).toBe('300.00\u00a0USDT');
  });

  it('takes the bracket at the liquidation price, not at entry', () => {
    const r = bracketAtLiquidation(binance, '5.2', '10');
    expect(r.changedBracket).toBe(true);
    expect(r.liquidation).toBe('54,216.87');
  });

  it('matches Bybit’s published form LP = EP − (IM − MM)/Q and orders the venues', () => {
    const v = venueComparison(binance, bybit);
    // 60,000 − (3,000 − 150)/0.5 = 54,300 (Bybit); Binance's mark basis at 0.4 % is lower.
    expect(v.bybit).toBe('54,300.00');
    expect(v.binance).toBe('54,216.87');
  });

  it('substitutes numbers that the engine agrees with', () => {
    const d = linearDerivation();
    expect(d.liquidationTex).toContain(String.raw`\frac{27{,}000}{0.498}`);
    expect(d.bp).toBe('54,000.00');
    const inv = inverseCase();
    expect(inv.longTex).toContain('54{,}763.64');
    expect(inv.shortLp).toBe('66,400.00');
  });

  it('splits the buffer: fee and fund above bankruptcy, fund pays below it', () => {
    const { rows } = outcomeRows('0.003', ['54100', '53900']);
    expect(rows.map((r) => r.fund)).toEqual(['27.11\u00a0USDT', '0.00\u00a0USDT', '\u221250.00\u00a0USDT']);
  });

  it('monitors: alert price, funding drag, margin allocation, cross account', () => {
    expect(alertPrice('0.8').price).toBe('54,271.36');
    const f = fundingDrag('0.0005', 30);
    expect(f.total).toBe('1,350.00\u00a0USDT');
    expect(f.endLpAnswer).toBe('56927.71');
    expect(addMargin('100').moveAnswer).toBe('200.8');
    expect(removable('1000', ['60000', '57000']).rows.map((r) => r.most)).toEqual(['1,000.00\u00a0USDT', '0.00\u00a0USDT']);
    const c = crossExample(binance, eth, '10000', ['3000', '3600']);
    expect(c.rows[1]!.available).toBe('0.00\u00a0USDT');
    expect(c.rows.map((r) => r.btcLp)).toEqual(['40,401.61', '52,497.99']);
  });
});
