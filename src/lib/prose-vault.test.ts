import { describe, expect, it } from 'vitest';
import { VAULT_LESSON, vaultComparison } from './prose-vault';
import { defaultCascadeState } from '../widgets/cascade-simulator/state';

describe('the pooled-liquidity lesson', () => {
  const c = vaultComparison();

  it('compares the same money as a fund and as a vault, and the vault keeps the bankrupt positions off the book', () => {
    expect(c.money).toBe('250,000\u00a0USDT');
    expect(c.fund.state.backstop).toBe('fund');
    expect(c.vault.state.backstop).toBe('vault');
    expect(c.vault.result.finalPrice.gt(c.fund.result.finalPrice)).toBe(true);
    expect(c.vault.adl).toBe('0\u00a0USDT');
    expect(c.fund.adl).toMatch(/million USDT$/);
    // Its loss is the capital less what is left.
    expect(c.vault.result.vault!.pnl.eq(c.vault.result.vault!.equity.sub(250000))).toBe(true);
    expect(Number(c.vaultFinalAnswer)).toBe(c.vault.result.finalPrice.toNumber());
  });

  it("prints the vault's figures as the widget would compute them", () => {
    for (const reading of [c.vault, c.overrun, c.makerOn]) {
      for (const text of [reading.equity, reading.loss, reading.drawdown, reading.taken, reading.inventory, reading.exposure, reading.leverage, reading.perPercent]) {
        expect(text).not.toMatch(/NaN|Infinity|undefined/);
      }
    }
    expect(c.vault.leverage).toMatch(/^\d+(\.\d)?×$/);
    expect(c.overrun.adlReached).toBe(true);
    expect(c.makerOn.filled).not.toBe('0\u00a0BTC');
  });

  it('uses states a link could open, unchanged by the parser', () => {
    for (const state of Object.values(VAULT_LESSON).filter((v) => typeof v === 'object')) {
      expect(defaultCascadeState(state as never)).toMatchObject(state);
    }
  });
});
