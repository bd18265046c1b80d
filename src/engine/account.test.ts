/**
 * Cross-margin accounts and isolated-margin allocation (src/engine/account.ts), Binance convention.
 *
 * Worked examples show their arithmetic in comments; long decimals were recomputed independently (Python's
 * decimal module at 50 digits) and are compared on their first 35–40 significant digits.
 *
 * Tolerances: the engine computes at 40 significant digits. "Exact" means equal Decimals. Equity against
 * maintenance margin at a liquidation price is compared within 1e-30 of the account's scale (wallet + Σ|PnL| +
 * Σ|MM|): the two are separate sums of rounded terms, so they agree to ~1e-38 of their largest term, not to
 * the last digit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import { liquidationPrice, normalizePosition, openPosition, type ContractKind, type Position, type Side } from './position.ts';
import { positionMetrics } from './venue-position.ts';
import {
  accountMetrics,
  addIsolatedMargin,
  crossLiquidationPrice,
  maxRemovableMargin,
  normalizeAccount,
  priceWhereEquityMeetsMaintenance,
  removeIsolatedMargin,
  type AccountInput,
  type AccountMetrics,
  type CrossPositionInput,
} from './account.ts';
import { D, engineError, expectDecimal, expectDigits, runs, type Dec } from '../../tests/unit/engine-testkit.ts';

const RUNS = runs(200);

/** |equity − total MM| within 1e-30 of the account's scale. */
function expectEquityMeetsMaintenance(m: AccountMetrics, walletBalance: Dec): void {
  const scale = m.perPosition.reduce(
    (total, p) => total.add(p.unrealizedPnl.abs()).add(p.maintenanceMargin.abs()),
    walletBalance.abs(),
  );
  const gap = m.equity.sub(m.totalMaintenanceMargin).abs();
  expect(gap.lte(scale.mul('1e-30')), `equity ${m.equity.toString()} vs MM ${m.totalMaintenanceMargin.toString()}`).toBe(true);
}

// ---------------------------------------------------------------------------------------------------------
// Worked examples
// ---------------------------------------------------------------------------------------------------------

describe('accountMetrics: a USDⓈ-M cross account', () => {
  // Wallet 10,000 USDT. BTCUSDT long 1 @ 50,000 (MMR 0.4 %, 10×); ETHUSDT short 10 @ 3,000 (MMR 0.5 %, 20×).
  const account: AccountInput = {
    walletBalance: '10000',
    positions: [
      { symbol: 'BTCUSDT', contract: 'linear', side: 'long', entryPrice: '50000', quantity: '1', maintenanceMarginRate: '0.004', leverage: 10 },
      { symbol: 'ETHUSDT', contract: 'linear', side: 'short', entryPrice: '3000', quantity: '10', maintenanceMarginRate: '0.005', leverage: 20 },
    ],
  };
  const marks = { BTCUSDT: '48000', ETHUSDT: '3100' };

  it('sums PnL, maintenance and initial margin across positions', () => {
    const m = accountMetrics(account, marks);
    // BTC: PnL = 1 × (48,000 − 50,000) = −2,000; MM = 48,000 × 0.004 = 192; IM = 50,000 / 10 = 5,000.
    // ETH: PnL = −10 × (3,100 − 3,000) = −1,000; MM = 31,000 × 0.005 = 155; IM = 30,000 / 20 = 1,500.
    expect(m.perPosition.map((p) => p.symbol)).toEqual(['BTCUSDT', 'ETHUSDT']);
    expectDecimal(m.perPosition[0]!.notional, 48000);
    expectDecimal(m.perPosition[0]!.unrealizedPnl, -2000);
    expectDecimal(m.perPosition[0]!.maintenanceMargin, 192);
    expectDecimal(m.perPosition[0]!.initialMargin, 5000);
    expectDecimal(m.perPosition[1]!.notional, 31000);
    expectDecimal(m.perPosition[1]!.unrealizedPnl, -1000);
    expectDecimal(m.perPosition[1]!.maintenanceMargin, 155);
    expectDecimal(m.perPosition[1]!.initialMargin, 1500);
    // equity = 10,000 − 2,000 − 1,000 = 7,000; TMM = 192 + 155 = 347; TIM = 5,000 + 1,500 = 6,500.
    expectDecimal(m.equity, 7000);
    expectDecimal(m.totalMaintenanceMargin, 347);
    expectDecimal(m.totalInitialMargin, 6500);
    // margin ratio = 347 / 7,000 = 0.0495714285…; utilization = 6,500 / 7,000 = 0.928571428…
    expectDecimal(m.marginRatio, D(347).div(7000));
    expectDigits(m.marginRatio, '0.04957142857142857142857142857142857');
    expectDecimal(m.marginUtilization, D(6500).div(7000));
    // available = 7,000 − 6,500 = 500.
    expectDecimal(m.availableBalance, 500);
    expect(m.isLiquidatable).toBe(false);
  });

  it('floors the available balance at 0 and reports no ratios once equity is gone', () => {
    // BTC at 45,000: PnL −5,000; ETH at 3,600: PnL −6,000. equity = 10,000 − 11,000 = −1,000.
    const m = accountMetrics(account, { BTCUSDT: 45000, ETHUSDT: 3600 });
    expectDecimal(m.equity, -1000);
    expectDecimal(m.availableBalance, 0);
    expect(m.marginRatio).toBeNull();
    expect(m.marginUtilization).toBeNull();
    expect(m.isLiquidatable).toBe(true);
    // BTC 47,000 (PnL −3,000), ETH 3,200 (PnL −2,000): equity 5,000; available = max(0, 5,000 − 6,500) = 0;
    // utilization = 6,500 / 5,000 = 1.3.
    const n = accountMetrics(account, { BTCUSDT: 47000, ETHUSDT: 3200 });
    expectDecimal(n.equity, 5000);
    expectDecimal(n.availableBalance, 0);
    expectDecimal(n.marginUtilization, '1.3');
  });

  it('counts no initial margin for a position without leverage, and ignores an isolated `margin` field', () => {
    const withMargin: AccountInput = {
      walletBalance: '10000',
      positions: [
        { ...account.positions[0]!, leverage: null, margin: '123' },
        { ...account.positions[1]!, margin: '999999' },
      ],
    };
    const m = accountMetrics(withMargin, marks);
    expectDecimal(m.totalInitialMargin, 1500); // BTC has no leverage: 0 + 1,500
    expectDecimal(m.equity, 7000); // the margins play no part
  });

  it('takes the venue as Binance or its USDⓈ-M wallet id, with the same results', () => {
    expect(normalizeAccount(account).venue).toBe('binance');
    const usdm = { ...account, venue: 'binance-usdm' };
    expect(normalizeAccount(usdm).venue).toBe('binance-usdm');
    expectDecimal(accountMetrics(usdm, marks).equity, 7000);
  });

  it('crossLiquidationPrice(BTCUSDT) is Binance’s cross formula with the ETH leg as TMM₁ and UPNL₁', () => {
    // TMM₁ = 155, UPNL₁ = −1,000 (ETH at 3,100). A = WB − TMM₁ + UPNL₁ = 10,000 − 155 − 1,000 = 8,845.
    // LP = (A + cum − S·Q·EP) / (Q·MMR − S·Q) = (8,845 − 50,000) / (0.004 − 1) = 41,155 / 0.996
    //    = 41,320.28112449799196787148594377510040160…
    const lp = crossLiquidationPrice(account, 'BTCUSDT', { ETHUSDT: '3100' });
    expectDigits(lp, '41320.281124497991967871485943775100401');
    expect(lp!.toSignificantDigits(38).eq(D(41155).div('0.996').toSignificantDigits(38))).toBe(true);
    // Check: equity = 10,000 + (41,320.28… − 50,000) − 1,000 = 320.28…; MM = 41,320.28… × 0.004 + 155 = 320.28….
    const at = accountMetrics(account, { BTCUSDT: lp!, ETHUSDT: '3100' });
    expect(at.equity.toFixed(6)).toBe('320.281124');
    expectEquityMeetsMaintenance(at, D(10000));
    expect(accountMetrics(account, { BTCUSDT: lp!.sub('0.01'), ETHUSDT: '3100' }).isLiquidatable).toBe(true);
    expect(accountMetrics(account, { BTCUSDT: lp!.add('0.01'), ETHUSDT: '3100' }).isLiquidatable).toBe(false);
  });

  it('crossLiquidationPrice(ETHUSDT), a short, with the BTC leg as TMM₁ and UPNL₁', () => {
    // TMM₁ = 192, UPNL₁ = −2,000 (BTC at 48,000). A = 10,000 − 192 − 2,000 = 7,808.
    // LP = (7,808 + 0 + 10 × 3,000) / (10 × 0.005 + 10) = 37,808 / 10.05 = 3,761.990049751243781094527363184079…
    const lp = crossLiquidationPrice(account, 'ETHUSDT', { BTCUSDT: '48000' });
    expectDigits(lp, '3761.9900497512437810945273631840796');
    const at = accountMetrics(account, { BTCUSDT: '48000', ETHUSDT: lp! });
    expect(at.equity.toFixed(6)).toBe('380.099502'); // 8,000 − 10 × 761.99004975… = 380.0995…
    expectEquityMeetsMaintenance(at, D(10000));
    expect(accountMetrics(account, { BTCUSDT: '48000', ETHUSDT: lp!.add('0.01') }).isLiquidatable).toBe(true);
  });

  it('agrees with the published form (WB − TMM₁ + UPNL₁ + cum − S·Q·EP) / (Q·MMR − S·Q) computed term by term', () => {
    // BTC with cum 50 (bracket 2 style) and mark of ETH 2,900 (ETH in profit: UPNL₁ = +1,000, TMM₁ = 145).
    const withCum: AccountInput = {
      ...account,
      positions: [{ ...account.positions[0]!, maintenanceMarginRate: '0.005', maintenanceAmount: '50' }, account.positions[1]!],
    };
    const published = D(10000).sub(145).add(1000).add(50).sub(D(1).mul(1).mul(50000)).div(D(1).mul('0.005').sub(D(1).mul(1)));
    // = (10,000 − 145 + 1,000 + 50 − 50,000) / (0.005 − 1) = −39,095 / −0.995 = 39,291.457286432160804…
    const lp = crossLiquidationPrice(withCum, 'BTCUSDT', { ETHUSDT: 2900 });
    expect(lp!.sub(published).abs().lte(published.mul('1e-38'))).toBe(true);
    expectDigits(lp, '39291.4572864321608040201005025125628');
  });
});

describe('normalizeAccount refuses impossible accounts: initial margin beyond the wallet', () => {
  const leg = (symbol: string, entryPrice: number, quantity: string, leverage: number | null, marginAsset?: string): CrossPositionInput => ({
    symbol,
    contract: 'linear',
    side: 'long',
    entryPrice,
    quantity,
    maintenanceMarginRate: '0.004',
    leverage,
    ...(marginAsset === undefined ? {} : { marginAsset }),
  });

  it('names the first position that does not fit, its initial margin and what the wallet had left for it', () => {
    // BTC 0.2 × 50,000 ÷ 10 = 1,000; ETH 4 × 3,000 ÷ 10 = 1,200 > the 1,000 left of 2,000.
    const account = { walletBalance: 2000, positions: [leg('BTCUSDT', 50000, '0.2', 10, 'USDT'), leg('ETHUSDT', 3000, '4', 10, 'USDT')] };
    const error = engineError(() => normalizeAccount(account));
    expect(error.field).toBe('positions[1]');
    expect(error.rule).toBe(
      'initial margin 1,200 USDT (notional at entry 12,000 USDT ÷ 10× leverage) exceeds the wallet balance 1,000 USDT left after the initial margin of the positions before it (1,000 USDT of 2,000 USDT); lower the leverage or the quantity, or raise the wallet balance',
    );
    // accountMetrics and crossLiquidationPrice refuse it the same way.
    expect(engineError(() => accountMetrics(account, { BTCUSDT: 50000, ETHUSDT: 3000 })).field).toBe('positions[1]');
    expect(engineError(() => crossLiquidationPrice(account, 'BTCUSDT', { ETHUSDT: 3000 })).field).toBe('positions[1]');
  });

  it('a first position alone too large for the wallet, in coin without a margin asset', () => {
    const coin: CrossPositionInput = { symbol: 'BTCUSD', contract: 'inverse', side: 'short', entryPrice: 40000, quantity: 1000, maintenanceMarginRate: '0.005', leverage: 5 };
    // 1,000 × 100 / 40,000 = 2.5 BTC ÷ 5 = 0.5 BTC > 0.4.
    const error = engineError(() => normalizeAccount({ walletBalance: '0.4', positions: [coin] }));
    expect(error.field).toBe('positions[0]');
    expect(error.rule).toMatch(/^initial margin 0\.5 \(notional at entry 2\.5 ÷ 5× leverage\) exceeds the wallet balance 0\.4; /);
  });

  it('accepts initial margin equal to the wallet (the cross-vs-isolated widget’s 2 × 1,000 in 2,000), and ignores positions without leverage', () => {
    expect(normalizeAccount({ walletBalance: 2000, positions: [leg('BTCUSDT', 50000, '0.2', 10), leg('ETHUSDT', 3000, '10', 30)] }).positions.length).toBe(2);
    expect(normalizeAccount({ walletBalance: 1, positions: [leg('BTCUSDT', 50000, '0.2', null)] }).positions.length).toBe(1);
    // A zero wallet holds only positions without leverage.
    expect(engineError(() => normalizeAccount({ walletBalance: 0, positions: [leg('BTCUSDT', 50000, '0.2', 125)] })).field).toBe('positions[0]');
  });
});

describe('crossLiquidationPrice: COIN-M (inverse) accounts', () => {
  // Wallet 1 BTC. BTCUSD_PERP long 1,000 contracts × 100 USD @ 50,000; BTCUSD_QTR short 500 × 100 USD @ 50,000.
  const account: AccountInput = {
    walletBalance: 1,
    positions: [
      { symbol: 'BTCUSD_PERP', contract: 'inverse', side: 'long', entryPrice: 50000, quantity: 1000, maintenanceMarginRate: '0.004', marginAsset: 'BTC' },
      { symbol: 'BTCUSD_QTR', contract: 'inverse', side: 'short', entryPrice: 50000, quantity: 500, maintenanceMarginRate: '0.004', marginAsset: 'BTC' },
    ],
  };

  it('accountMetrics in coin', () => {
    // Both marks 40,000. Perp: notional 100,000 / 40,000 = 2.5 BTC, PnL = 100,000 × (1/50,000 − 1/40,000) = −0.5,
    // MM = 0.01. Quarterly: notional 1.25, PnL = −50,000 × (1/50,000 − 1/40,000) = +0.25, MM = 0.005.
    const m = accountMetrics(account, { BTCUSD_PERP: 40000, BTCUSD_QTR: 40000 });
    expectDecimal(m.perPosition[0]!.notional, '2.5');
    expectDecimal(m.perPosition[0]!.unrealizedPnl, '-0.5');
    expectDecimal(m.perPosition[1]!.unrealizedPnl, '0.25');
    expectDecimal(m.equity, '0.75'); // 1 − 0.5 + 0.25
    expectDecimal(m.totalMaintenanceMargin, '0.015');
    expectDecimal(m.marginRatio, '0.02'); // 0.015 / 0.75
  });

  it('the inverse cross formula LP = q·(MMR + S) / (A + cum + S·q/EP), checked by equity = MM', () => {
    // Quarterly at 40,000: TMM₁ = 0.005, UPNL₁ = 0.25. A = 1 − 0.005 + 0.25 = 1.245.
    // Long perp: LP = 100,000 × 1.004 / (1.245 + 100,000 / 50,000) = 100,400 / 3.245 = 30,939.9075500770416…
    // Derivation: equity = 1.25 + 100,000·(1/50,000 − 1/P) = 3.25 − 100,000/P; MM = 400/P + 0.005; equal at
    // 3.245 = 100,400 / P.
    const lp = crossLiquidationPrice(account, 'BTCUSD_PERP', { BTCUSD_QTR: 40000 });
    expectDigits(lp, '30939.907550077041602465331278890600924');
    expectEquityMeetsMaintenance(accountMetrics(account, { BTCUSD_PERP: lp!, BTCUSD_QTR: 40000 }), D(1));
  });

  it('a lone COIN-M position reproduces the Binance forum vector (venue-formulas.md §2): 33,599.4', () => {
    // WB 101 BTC, 100,000 contracts long at 45,000, MMR 12.5 %, cum 11.605:
    // LP = 10,000,000 × 1.125 / (101 + 11.605 + 10,000,000 / 45,000) = 101,250,000,000 / 3,013,445 = 33,599.41860561583…
    const lone: AccountInput = {
      walletBalance: '101',
      positions: [
        { symbol: 'BTCUSD_PERP', contract: 'inverse', side: 'long', entryPrice: '45000', quantity: '100000', contractSize: '100', maintenanceMarginRate: '0.125', maintenanceAmount: '11.605' },
      ],
    };
    const lp = crossLiquidationPrice(lone, 'BTCUSD_PERP', {});
    expect(lp!.toFixed(1)).toBe('33599.4');
    expectDigits(lp, '33599.418605615831714200856494809097229');
    const isolated = liquidationPrice({ ...lone.positions[0]!, margin: '101' });
    expectDecimal(lp, isolated!); // exact: the same operations in the same order
  });
});

describe('crossLiquidationPrice: lone positions, hedge mode and null', () => {
  it('a lone USDⓈ-M long equals its isolated liquidation price (venue-formulas.md §1 one-way long)', () => {
    // 2 BTC long at 30,000, MMR 0.5 %, cum 50, WB 6,000: LP = (2 × 30,000 − 6,000 − 50) / (2 × 0.995) = 53,950 / 1.99
    //    = 27,110.55276381909547738693467336683417…
    const position = { symbol: 'BTCUSDT', contract: 'linear', side: 'long', entryPrice: '30000', quantity: '2', maintenanceMarginRate: '0.005', maintenanceAmount: '50' } as const;
    const lp = crossLiquidationPrice({ walletBalance: '6000', positions: [position] }, 'BTCUSDT', {});
    expectDigits(lp, '27110.552763819095477386934673366834170');
    expectDecimal(lp, liquidationPrice({ ...position, margin: '6000' })!);
  });

  it('hedge mode: a long and a short in one symbol share one liquidation price, here on a rise', () => {
    // Long 1 @ 50,000 and short 1 @ 52,000, MMR 0.4 % each, WB 1,000. equity = 1,000 + (P − 50,000) − (P − 52,000)
    // = 3,000 whatever P; MM = 2 × P × 0.004 = 0.008·P. Formula: (1,000 + 0 − (50,000 − 52,000)) / (0.008 − 0)
    // = 3,000 / 0.008 = 375,000: the growing maintenance margin liquidates the hedged account.
    const hedged: AccountInput = {
      walletBalance: 1000,
      positions: [
        { symbol: 'BTCUSDT', contract: 'linear', side: 'long', entryPrice: 50000, quantity: 1, maintenanceMarginRate: '0.004' },
        { symbol: 'BTCUSDT', contract: 'linear', side: 'short', entryPrice: 52000, quantity: 1, maintenanceMarginRate: '0.004' },
      ],
    };
    expectDecimal(crossLiquidationPrice(hedged, 'BTCUSDT', {}), 375000);
    const at = accountMetrics(hedged, { BTCUSDT: 375000 });
    expectDecimal(at.equity, 3000);
    expectDecimal(at.totalMaintenanceMargin, 3000);
    expect(at.isLiquidatable).toBe(true);
    // With MMR 0 the hedged account never meets maintenance: the denominator is 0.
    const riskless = { ...hedged, positions: hedged.positions.map((p) => ({ ...p, maintenanceMarginRate: 0 })) };
    expect(crossLiquidationPrice(riskless, 'BTCUSDT', {})).toBeNull();
  });

  it('hedge mode, COIN-M: the legs’ terms are summed in the inverse formula too', () => {
    // Long 1,000 × 100 USD @ 50,000 and short 400 × 100 USD @ 40,000, MMR 0.5 %, WB 1 BTC.
    // LP = Σ q·(MMR + S) / (A + Σcum + Σ S·q/EP) = (100,000 × 1.005 + 40,000 × (0.005 − 1)) / (1 + 2 − 1)
    //    = (100,500 − 39,800) / 2 = 30,350.
    const hedged: AccountInput = {
      walletBalance: 1,
      positions: [
        { symbol: 'BTCUSD_PERP', contract: 'inverse', side: 'long', entryPrice: 50000, quantity: 1000, maintenanceMarginRate: '0.005' },
        { symbol: 'BTCUSD_PERP', contract: 'inverse', side: 'short', entryPrice: 40000, quantity: 400, maintenanceMarginRate: '0.005' },
      ],
    };
    expectDecimal(crossLiquidationPrice(hedged, 'BTCUSD_PERP', {}), 30350);
    expectEquityMeetsMaintenance(accountMetrics(hedged, { BTCUSD_PERP: 30350 }), D(1));
  });

  it('is null when no positive price liquidates: a linear long backed by more than its notional', () => {
    // 1 BTC long at 50,000 with WB 60,000: LP = (50,000 − 60,000) / 0.996 < 0.
    const account = { walletBalance: 60000, positions: [{ symbol: 'BTCUSDT', contract: 'linear', side: 'long', entryPrice: 50000, quantity: 1, maintenanceMarginRate: '0.004' }] } as const;
    expect(crossLiquidationPrice(account, 'BTCUSDT', {})).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------
// Margin allocation
// ---------------------------------------------------------------------------------------------------------

describe('addIsolatedMargin / removeIsolatedMargin', () => {
  // 1 BTC long at 50,000, 10× (IM 5,000), isolated margin 6,000, MMR 0.4 %.
  const base = normalizePosition({ contract: 'linear', side: 'long', entryPrice: 50000, quantity: 1, margin: 6000, maintenanceMarginRate: '0.004', leverage: 10 });

  it('adding margin moves the liquidation price away from the mark', () => {
    // LP = (50,000 − 6,000) / 0.996 = 44,176.70682730923694779116465863453815…; with 7,000: 43,000 / 0.996 = 43,172.69…
    expectDigits(liquidationPrice(base), '44176.706827309236947791164658634538152');
    const more = addIsolatedMargin(base, 1000);
    expectDecimal(more.margin, 7000);
    expectDecimal(more.leverage!, 10);
    expectDigits(liquidationPrice(more), '43172.690763052208835341365461847389558');
  });

  it('Binance’s rule at the entry price: min(margin − MM, margin + PnL − notional/leverage) = min(5,800, 1,000)', () => {
    // At 50,000: margin − MM = 6,000 − 200 = 5,800; margin + PnL − notional ÷ 10 = 6,000 + 0 − 5,000 = 1,000.
    expectDecimal(maxRemovableMargin(base, 50000), 1000);
    const less = removeIsolatedMargin(base, 400, 50000);
    expectDecimal(less.margin, 5600);
    // LP = (50,000 − 5,600) / 0.996 = 44,578.313253012048…: toward the mark.
    expectDigits(liquidationPrice(less), '44578.313253012048192771084337349397590');
  });

  it('at a loss Binance’s initial-margin term binds: nothing can be removed at 48,000', () => {
    // margin + PnL − notional ÷ 10 = 6,000 − 2,000 − 4,800 = −800 → max(0, …) = 0.
    expectDecimal(maxRemovableMargin(base, 48000), 0);
    const error = engineError(() => removeIsolatedMargin(base, 1, 48000));
    expect(error.field).toBe('amount');
    expect(error.rule).toMatch(/^at most 0 can be removed at mark 48000/);
  });

  it('in profit unrealized profit stands in for margin (Binance): min(6,000 − 208, 6,000 + 2,000 − 5,200) = 2,800', () => {
    // https://www.binance.com/en/support/articles/360038447311: "Max removable amount from Isolated Position =
    // max (0, min (isolatedWalletBalance - isolatedPosition MM, isolatedWalletBalance + size * (Mark Price - Entry
    // Price) - Mark Price * abs(size) * IMR ))". The engine used to stop at 1,000 (margin ≥ notional at entry ÷ 10).
    expectDecimal(maxRemovableMargin(base, 52000), 2800);
    expect(engineError(() => removeIsolatedMargin(base, '2800.01', 52000)).rule).toMatch(/^at most 2800 can be removed/);
    const less = removeIsolatedMargin(base, 2800, 52000);
    expectDecimal(less.margin, 3200);
    expectDecimal(less.leverage!, 10);
    expect(less.stage).toBe('held');
    // Below the 5,000 it opened with, and still a valid position: add margin back, remove again, at the same mark.
    const back = addIsolatedMargin(less, 100);
    expectDecimal(back.margin, 3300);
    expectDecimal(maxRemovableMargin(back, 52000), 100);
    // LP = (50,000 − 3,200) / 0.996 = 46,987.95…: nearer the mark, still below it.
    expectDigits(liquidationPrice(less), '46987.951807228915662650602409638554216');
  });

  it('a short at a loss: 6,000 − 500 − 5,050 = 450', () => {
    const short = normalizePosition({ ...base, side: 'short' });
    // At 50,500: PnL = −500, notional ÷ 10 = 5,050; margin − MM = 6,000 − 202 = 5,798.
    expectDecimal(maxRemovableMargin(short, 50500), 450);
    // LP of a short: (50,000 + 6,000) / 1.004 = 55,776.89…; after removing 450: (50,000 + 5,550) / 1.004 = 55,328.68…
    const less = removeIsolatedMargin(short, 450, 50500);
    expect(liquidationPrice(less)!.lt(liquidationPrice(short)!)).toBe(true);
    expect(liquidationPrice(less)!.toFixed(2)).toBe('55328.69');
  });

  it('COIN-M: Binance’s coin form, margin + PnL − |size| × contractSize × IMR / mark', () => {
    // 1,000 × 100 USD long at 50,000, 20× (IM 0.1 BTC), margin 0.2 BTC, MMR 0.5 %, mark 48,000:
    // PnL = 100,000 × (1/50,000 − 1/48,000) = −1/12; notional/20 = (100,000/48,000)/20 = 5/48.
    // 0.2 − 1/12 − 5/48 = (9.6 − 4 − 5)/48 = 0.0125 (the 40-digit result is within 1e-38 of it).
    const coin = normalizePosition({ contract: 'inverse', side: 'long', entryPrice: 50000, quantity: 1000, margin: '0.2', maintenanceMarginRate: '0.005', leverage: 20 });
    expect(maxRemovableMargin(coin, 48000).sub('0.0125').abs().lte('1e-38')).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Input errors
// ---------------------------------------------------------------------------------------------------------

describe('EngineInputError', () => {
  const btc: CrossPositionInput = { symbol: 'BTCUSDT', contract: 'linear', side: 'long', entryPrice: 50000, quantity: 1, maintenanceMarginRate: '0.004' };
  const cases: [string, string, () => unknown, RegExp?][] = [
    ['account not an object', 'account', () => normalizeAccount(null as unknown as AccountInput)],
    ['unsupported venue', 'venue', () => normalizeAccount({ venue: 'bybit-linear', walletBalance: 1, positions: [] }), /only Binance's cross margin is implemented/],
    ['inverse in the USDⓈ-M wallet', 'positions[0].contract', () => normalizeAccount({ venue: 'binance-usdm', walletBalance: 1, positions: [{ ...btc, contract: 'inverse' }] }), /holds linear \(USDⓈ-M\) contracts only/],
    ['linear in the COIN-M wallet', 'positions[0].contract', () => normalizeAccount({ venue: 'binance-coinm', walletBalance: 1, positions: [btc] }), /holds inverse \(COIN-M\) contracts only/],
    ['negative wallet', 'walletBalance', () => normalizeAccount({ walletBalance: -1, positions: [] })],
    ['positions not an array', 'positions', () => normalizeAccount({ walletBalance: 1, positions: {} as unknown as CrossPositionInput[] })],
    ['position not an object', 'positions[0]', () => normalizeAccount({ walletBalance: 1, positions: [null as unknown as CrossPositionInput] })],
    ['missing symbol', 'positions[0].symbol', () => normalizeAccount({ walletBalance: 1, positions: [{ ...btc, symbol: '' }] })],
    ['bad contract', 'positions[1].contract', () => normalizeAccount({ walletBalance: 1, positions: [btc, { ...btc, symbol: 'X', contract: 'spot' as ContractKind }] })],
    ['bad side', 'positions[0].side', () => normalizeAccount({ walletBalance: 1, positions: [{ ...btc, side: 'up' as Side }] })],
    ['bad entry', 'positions[0].entryPrice', () => normalizeAccount({ walletBalance: 1, positions: [{ ...btc, entryPrice: 0 }] })],
    ['bad quantity', 'positions[0].quantity', () => normalizeAccount({ walletBalance: 1, positions: [{ ...btc, quantity: 'NaN' }] })],
    ['MMR ≥ 1', 'positions[0].maintenanceMarginRate', () => normalizeAccount({ walletBalance: 1, positions: [{ ...btc, maintenanceMarginRate: 1 }] })],
    ['negative cum', 'positions[0].maintenanceAmount', () => normalizeAccount({ walletBalance: 1, positions: [{ ...btc, maintenanceAmount: -1 }] })],
    ['zero contract size', 'positions[0].contractSize', () => normalizeAccount({ walletBalance: 1, positions: [{ ...btc, contractSize: 0 }] })],
    ['zero leverage', 'positions[0].leverage', () => normalizeAccount({ walletBalance: 1, positions: [{ ...btc, leverage: 0 }] })],
    ['empty marginAsset', 'positions[0].marginAsset', () => normalizeAccount({ walletBalance: 1, positions: [{ ...btc, marginAsset: ' ' }] })],
    [
      'linear and inverse mixed',
      'positions',
      () => normalizeAccount({ walletBalance: 1, positions: [btc, { ...btc, symbol: 'BTCUSD_PERP', contract: 'inverse' }] }),
      /^mixes linear and inverse contracts: venues keep them in separate wallets$/,
    ],
    [
      'two coins',
      'positions',
      () => normalizeAccount({ walletBalance: 1, positions: [{ ...btc, contract: 'inverse', marginAsset: 'BTC' }, { ...btc, symbol: 'ETHUSD_PERP', contract: 'inverse', marginAsset: 'ETH' }] }),
      /mixes margin assets \(BTC, ETH\)/,
    ],
    ['same symbol and side twice', 'positions[1].symbol', () => normalizeAccount({ walletBalance: 1, positions: [btc, { ...btc }] })],
    ['marks not an object', 'marks', () => accountMetrics({ walletBalance: 1, positions: [btc] }, null as unknown as Record<string, string>)],
    ['missing mark', 'marks.BTCUSDT', () => accountMetrics({ walletBalance: 1, positions: [btc] }, {}), /is required/],
    ['inherited key is not a mark', 'marks.toString', () => accountMetrics({ walletBalance: 1, positions: [{ ...btc, symbol: 'toString' }] }, {})],
    ['zero mark', 'marks.BTCUSDT', () => accountMetrics({ walletBalance: 1, positions: [btc] }, { BTCUSDT: 0 })],
    ['unknown symbol', 'symbol', () => crossLiquidationPrice({ walletBalance: 1, positions: [btc] }, 'ETHUSDT', {}), /no position in "ETHUSDT"/],
    ['symbol not a string', 'symbol', () => crossLiquidationPrice({ walletBalance: 1, positions: [btc] }, 7 as unknown as string, {})],
    ['other mark missing', 'marks.ETHUSDT', () => crossLiquidationPrice({ walletBalance: 1, positions: [btc, { ...btc, symbol: 'ETHUSDT' }] }, 'BTCUSDT', {})],
    ['add: zero amount', 'amount', () => addIsolatedMargin({ ...btc, margin: 5000 }, 0)],
    ['add: bad position', 'margin', () => addIsolatedMargin({ ...btc, margin: 0 }, 1)],
    ['remove: no leverage', 'leverage', () => removeIsolatedMargin({ ...btc, margin: 6000 }, 1, 50000), /is required to remove margin/],
    ['remove: negative amount', 'amount', () => removeIsolatedMargin({ ...btc, margin: 6000, leverage: 10 }, -1, 50000)],
    ['remove: bad mark', 'markPrice', () => removeIsolatedMargin({ ...btc, margin: 6000, leverage: 10 }, 1, 'x')],
    ['max removable: bad mark', 'markPrice', () => maxRemovableMargin({ ...btc, margin: 6000, leverage: 10 }, -5)],
  ];
  it.each(cases)('%s → field %s', (_label, field, fn, rule) => {
    const error = engineError(fn);
    expect(error.field).toBe(field);
    expect(error.message).toBe(`${field}: ${error.rule}`);
    if (rule) expect(error.rule).toMatch(rule);
  });

  it('Binance’s bound is inclusive: removing all of margin − MM leaves the position exactly at its liquidation price', () => {
    // 100× with MMR 2 %: IM = 500, MM at entry = 1,000. Margin 1,500; at the entry price Binance allows
    // min(1,500 − 1,000, 1,500 − 500) = 500, which leaves margin = MM: LP = (50,000 − 1,000) / 0.98 = 50,000.
    const p = { ...btc, margin: 1500, leverage: 100, maintenanceMarginRate: '0.02' };
    expectDecimal(maxRemovableMargin(p, 50000), 500);
    const less = removeIsolatedMargin(p, 500, 50000);
    expectDecimal(less.margin, 1000);
    expectDecimal(liquidationPrice(less)!, 50000);
    expect(positionMetrics(less, 50000).isLiquidatable).toBe(true);
  });

  it('removal never takes all the margin, and other venues’ limits are not guessed', () => {
    // MMR 0 and a large profit: Binance's formula allows the whole margin; the engine holds no position without one.
    const p = { ...btc, margin: 6000, leverage: 10, maintenanceMarginRate: '0' };
    expectDecimal(maxRemovableMargin(p, 70000), 6000);
    expect(engineError(() => removeIsolatedMargin(p, 6000, 70000)).rule).toMatch(/would leave no margin/);
    const bybit = { ...btc, margin: 6000, leverage: 10, venue: 'bybit-linear' as const };
    const error = engineError(() => maxRemovableMargin(bybit, 50000));
    expect(error.field).toBe('venue');
    expect(error.rule).toMatch(/Binance's; bybit-linear's is not modelled/);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------------

const contractArb = fc.constantFrom<ContractKind>('linear', 'inverse');
const sideArb = fc.constantFrom<Side>('long', 'short');
const entryArb = fc.integer({ min: 100, max: 10_000_000 }).map((cents) => D(cents).div(100));
const mmrArb = fc.integer({ min: 0, max: 500 }).map((k) => D(k).div(10_000)); // 0 … 5 %
const leverageArb = fc.integer({ min: 10, max: 190 }).map((tenths) => D(tenths).div(10)); // 1× … 19× (× 5 % < 1)

/** An isolated position opened by margin at a leverage, with a maintenance amount up to a tenth of MM at entry. */
const isolatedArb: fc.Arbitrary<Position> = fc
  .record({
    contract: contractArb,
    side: sideArb,
    entryPrice: entryArb,
    mmr: mmrArb,
    leverage: leverageArb,
    margin: fc.integer({ min: 1, max: 10_000_000 }).map((k) => D(k).div(100)),
    cumShare: fc.integer({ min: 0, max: 10 }),
  })
  .map(({ contract, side, entryPrice, mmr, leverage, margin, cumShare }) => {
    const opened = openPosition({ contract, side, entryPrice, leverage, margin, maintenanceMarginRate: mmr });
    const entryNotional = contract === 'linear' ? opened.quantity.mul(opened.contractSize).mul(entryPrice) : opened.quantity.mul(opened.contractSize).div(entryPrice);
    const maintenanceAmount = entryNotional.mul(mmr).mul(cumShare).div(100);
    return normalizePosition({ ...opened, maintenanceAmount });
  });

/** A cross account of 1–4 positions (symbols A–D, one per symbol), all linear or all inverse, with marks. */
const accountArb = contractArb.chain((contract) =>
  fc
    .record({
      walletBalance: fc.integer({ min: 0, max: 100_000_000 }).map((k) => D(k).div(100)),
      legs: fc.array(
        fc.record({
          side: sideArb,
          entryPrice: entryArb,
          quantity: fc.integer({ min: 1, max: 1_000_000 }).map((k) => D(k).div(1000)),
          mmr: mmrArb,
          markMove: fc.integer({ min: -50, max: 50 }),
        }),
        { minLength: 1, maxLength: 4 },
      ),
    })
    .map(({ walletBalance, legs }) => {
      const symbols = ['A', 'B', 'C', 'D'];
      const marks: Record<string, Dec> = {};
      const positions = legs.map((leg, i): CrossPositionInput => {
        marks[symbols[i]!] = leg.entryPrice.mul(D(100).add(leg.markMove)).div(100);
        return { symbol: symbols[i]!, contract, side: leg.side, entryPrice: leg.entryPrice, quantity: leg.quantity, maintenanceMarginRate: leg.mmr };
      });
      return { account: { walletBalance, positions } satisfies AccountInput, marks };
    }),
);

/** Long: a lower LP (null = 0) is farther from the mark; short: a higher LP (null = ∞). −1, 0, 1 like compare. */
function awayFromMark(side: Side, before: Dec | null, after: Dec | null): number {
  if (side === 'long') {
    const b = before ?? D(0);
    const a = after ?? D(0);
    return b.cmp(a);
  }
  if (before === null && after === null) return 0;
  if (after === null) return 1;
  if (before === null) return -1;
  return after.cmp(before);
}

describe('properties', () => {
  it('a lone position’s cross liquidation price equals its isolated one when the wallet is its margin (exactly)', () => {
    // Exact, not within a tolerance: with no other symbol, A = WB untouched and the cross formula runs position.ts's
    // operations in position.ts's order (the published form is the same expression with numerator and
    // denominator negated for a long, which changes nothing mathematically but could round differently).
    fc.assert(
      fc.property(isolatedArb, (p) => {
        const account = { walletBalance: p.margin, positions: [{ ...p, symbol: 'X' }] };
        const cross = crossLiquidationPrice(account, 'X', {});
        const isolated = liquidationPrice(p);
        expect(cross === null ? null : cross.toString()).toBe(isolated === null ? null : isolated.toString());
      }),
      RUNS,
    );
  });

  it('at the cross liquidation price of any symbol, equity equals total maintenance margin (within 1e-30 of scale)', () => {
    let solved = 0;
    fc.assert(
      fc.property(accountArb, fc.nat(3), ({ account, marks }, pick) => {
        const target = account.positions[pick % account.positions.length]!.symbol;
        const lp = crossLiquidationPrice(account, target, marks);
        if (lp === null) return;
        solved++;
        const m = accountMetrics(account, { ...marks, [target]: lp });
        expectEquityMeetsMaintenance(m, D(account.walletBalance.toString()));
      }),
      RUNS,
    );
    expect(solved, 'most generated accounts have a liquidation price').toBeGreaterThan(RUNS.numRuns / 3);
  });

  it('adding margin never moves the liquidation price toward the mark; removing never moves it away', () => {
    let removals = 0;
    fc.assert(
      fc.property(isolatedArb, fc.integer({ min: 1, max: 1000 }), fc.integer({ min: 50, max: 150 }), (p, permille, markPct) => {
        const amount = p.margin.mul(permille).div(1000);
        const padded = addIsolatedMargin(p, amount);
        expect(awayFromMark(p.side, liquidationPrice(p), liquidationPrice(padded))).toBeGreaterThanOrEqual(0);
        // Remove from the padded position (an opened one holds exactly its initial margin: nothing to remove).
        const before = liquidationPrice(padded);
        const mark = p.entryPrice.mul(markPct).div(100);
        const most = maxRemovableMargin(padded, mark);
        if (most.lte(0)) return;
        const take = most.mul(permille).div(1000);
        let less: Position;
        try {
          less = removeIsolatedMargin(padded, take, mark);
        } catch (error) {
          // Within the maximum, only taking the whole margin is refused (possible at a zero maintenance rate).
          expect((error as EngineInputError).rule).toMatch(/would leave no margin/);
          expect(take.gte(padded.margin)).toBe(true);
          return;
        }
        removals++;
        expect(awayFromMark(p.side, before, liquidationPrice(less))).toBeLessThanOrEqual(0);
      }),
      RUNS,
    );
    expect(removals, 'removal is exercised').toBeGreaterThan(RUNS.numRuns / 5);
  });

  it('priceWhereEquityMeetsMaintenance(p, margin) is liquidationPrice(p) to the last digit', () => {
    fc.assert(
      fc.property(isolatedArb, (p) => {
        expect(String(priceWhereEquityMeetsMaintenance(p, p.margin))).toBe(String(liquidationPrice(p)));
      }),
      RUNS,
    );
  });

  it('is deterministic, and reads numbers, strings and Decimals alike', () => {
    fc.assert(
      fc.property(accountArb, ({ account, marks }) => {
        const asStrings = {
          walletBalance: account.walletBalance.toString(),
          positions: account.positions.map((p) => ({ ...p, entryPrice: String(p.entryPrice), quantity: String(p.quantity) })),
        };
        const stringMarks = Object.fromEntries(Object.entries(marks).map(([k, v]) => [k, v.toString()]));
        const render = (m: AccountMetrics) => JSON.stringify(m, (_k, v: unknown) => (v instanceof Decimal ? v.toString() : v));
        const first = render(accountMetrics(account, marks));
        expect(render(accountMetrics(account, marks))).toBe(first);
        expect(render(accountMetrics(asStrings, stringMarks))).toBe(first);
        const symbol = account.positions[0]!.symbol;
        expect(String(crossLiquidationPrice(account, symbol, marks))).toBe(String(crossLiquidationPrice(asStrings, symbol, stringMarks)));
      }),
      { numRuns: 100 },
    );
  });
});
