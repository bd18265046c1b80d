/**
 * Lending accounts and Aave-v3-style liquidations (src/engine/lending.ts).
 *
 * Sources: the health-factor example of https://aave.com/docs/developers/liquidations ($10,000 of ETH at an 80 %
 * liquidation threshold against $6,000 of GHO → 1.333); the close factor rule and the collateral / protocol-fee
 * arithmetic of Aave v3's LiquidationLogic.sol (aave/aave-v3-core, _calculateAvailableCollateralToLiquidate) and the
 * guide https://docs.aave.com/developers/guides/liquidations (maxAmountOfCollateralToLiquidate = debtAssetPrice ×
 * debtToCover × liquidationBonus ÷ collateralPrice); Aave v3.3's rules from LiquidationLogic.sol and the position
 * examples of https://github.com/aave-dao/aave-v3-origin/blob/main/docs/3.3/Aave-v3.3-features.md (§2.1–2.3),
 * reproduced below; Compound v2's incentive / seize-share example (venue-formulas.md §10). Aave publishes no numeric
 * example of a whole liquidation (debt repaid, collateral seized, fee), so those cases are derived by hand in the
 * comments. The bonus theorem is cascade-models.md §4.5.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Decimal } from './decimal.ts';
import {
  borrowingPower,
  collateralLiquidationPrice,
  collateralPriceForHealthFactor,
  healthFactor,
  lendingAccountValues,
  lendingLiquidation,
  AAVE_V3_3_POSITION_LIMITS,
  type LendingAccountInput,
} from './lending.ts';
import { D, engineError, expectDecimal, expectDigits, runs } from '../../tests/unit/engine-testkit.ts';

const eth = (amount: string | number, lt = '0.8', ltv = '0.75') => ({ asset: 'ETH', amount, liquidationThreshold: lt, ltv });

describe('healthFactor', () => {
  it("reproduces Aave's published example: $10,000 of ETH at LT 80 % against $6,000 of GHO → 1.333", () => {
    const hf = healthFactor({ collateral: [eth(1, '0.8', '0.8')], debt: [{ asset: 'GHO', amount: 6000 }] }, { ETH: 10000, GHO: 1 });
    expectDigits(hf, '1.333');
    expectDecimal(hf, D(8000).div(6000));
  });

  it('sums several collateral and debt assets, each at its own threshold and price', () => {
    // 2 ETH × 2,000 × 0.8 + 0.1 WBTC × 60,000 × 0.7 = 3,200 + 4,200 = 7,400; debt 3,000 USDC + 1,000 DAI = 4,000.
    const account: LendingAccountInput = {
      collateral: [eth(2), { asset: 'WBTC', amount: '0.1', liquidationThreshold: '0.7', ltv: '0.65' }],
      debt: [
        { asset: 'USDC', amount: 3000 },
        { asset: 'DAI', amount: 1000 },
      ],
    };
    const prices = { ETH: 2000, WBTC: 60000, USDC: 1, DAI: 1 };
    expectDecimal(healthFactor(account, prices), '1.85');
    // Borrowing power: 4,000 × 0.75 + 6,000 × 0.65 − 4,000 = 3,000 + 3,900 − 4,000 = 2,900.
    expectDecimal(borrowingPower(account, prices), 2900);
    const values = lendingAccountValues(account, prices);
    expectDecimal(values.collateralValue, 10000);
    expectDecimal(values.thresholdValue, 7400);
    expectDecimal(values.borrowLimit, 6900);
    expectDecimal(values.debtValue, 4000);
  });

  it('is null with no debt (Aave: "null unless the user has at least one active borrow")', () => {
    expect(healthFactor({ collateral: [eth(1)], debt: [] }, { ETH: 2000 })).toBeNull();
    expect(healthFactor({ collateral: [eth(1)], debt: [{ asset: 'USDC', amount: 0 }] }, { ETH: 2000, USDC: 1 })).toBeNull();
  });

  it('refuses what is not an account: LTV above LT, thresholds as percentages, a duplicate asset, a missing price', () => {
    expect(engineError(() => healthFactor({ collateral: [eth(1, '0.8', '0.85')], debt: [] }, { ETH: 1 })).field).toBe('account.collateral[0].ltv');
    expect(engineError(() => healthFactor({ collateral: [eth(1, '80', '75')], debt: [] }, { ETH: 1 })).field).toBe(
      'account.collateral[0].liquidationThreshold',
    );
    expect(engineError(() => healthFactor({ collateral: [eth(1), eth(2)], debt: [] }, { ETH: 1 })).field).toBe('account.collateral[1].asset');
    expect(engineError(() => healthFactor({ collateral: [eth(1)], debt: [{ asset: 'USDC', amount: 1 }] }, { ETH: 1 })).field).toBe('prices.USDC');
    expect(engineError(() => healthFactor({ collateral: [eth(-1)], debt: [] }, { ETH: 1 })).field).toBe('account.collateral[0].amount');
    // Prices are looked up as own properties only.
    expect(engineError(() => healthFactor({ collateral: [{ ...eth(1), asset: 'toString' }], debt: [] }, {})).field).toBe('prices.toString');
  });
});

describe('collateralLiquidationPrice', () => {
  it('one collateral: debt ÷ (amount × LT), where the health factor is exactly 1', () => {
    // 5 ETH at LT 0.8 against 6,000 USDC: 6,000 ÷ (5 × 0.8) = 1,500.
    const account = { collateral: [eth(5)], debt: [{ asset: 'USDC', amount: 6000 }] };
    const p = collateralLiquidationPrice(account, { ETH: 2000, USDC: 1 }, 'ETH');
    expectDecimal(p, 1500);
    expectDecimal(healthFactor(account, { ETH: p!, USDC: 1 }), 1);
  });

  it('holds the other collateral fixed: (60,000 − 2 × 30,000 × 0.75) ÷ (5 × 0.8) = 3,750', () => {
    const account = {
      collateral: [eth(5), { asset: 'WBTC', amount: 2, liquidationThreshold: '0.75', ltv: '0.7' }],
      debt: [{ asset: 'USDC', amount: 60000 }],
    };
    expectDecimal(collateralLiquidationPrice(account, { ETH: 4000, WBTC: 30000, USDC: 1 }, 'ETH'), 3750);
    // With WBTC at 40,000 its 60,000 of threshold value covers the debt alone: no ETH price liquidates.
    expect(collateralLiquidationPrice(account, { ETH: 4000, WBTC: 40000, USDC: 1 }, 'ETH')).toBeNull();
  });

  it('is a ceiling when the account owes more of the asset than its weighted collateral in it', () => {
    // 10 ETH (LT 0.8) and 20,000 USDC (LT 0.9) against 9 ETH of debt: HF = (8p + 18,000) ÷ 9p, which is 1 at
    // p = 18,000 and falls as p rises.
    const account = {
      collateral: [eth(10), { asset: 'USDC', amount: 20000, liquidationThreshold: '0.9', ltv: '0.85' }],
      debt: [{ asset: 'ETH', amount: 9 }],
    };
    const p = collateralLiquidationPrice(account, { ETH: 2000, USDC: 1 }, 'ETH');
    expectDecimal(p, 18000);
    expect(healthFactor(account, { ETH: 18001, USDC: 1 })!.lt(1)).toBe(true);
  });

  it('collateralPriceForHealthFactor: the price for any target health factor, e.g. 0.95 where the close factor goes to 100 %', () => {
    // 5 ETH at LT 0.8 against 6,000 USDC: HF = 4p ÷ 6,000 = 0.95 at p = 1,425 (the hand case below).
    const account = { collateral: [eth(5)], debt: [{ asset: 'USDC', amount: 6000 }] };
    expectDecimal(collateralPriceForHealthFactor(account, { ETH: 2000, USDC: 1 }, 'ETH', '0.95'), 1425);
    expectDecimal(collateralPriceForHealthFactor(account, { ETH: 2000, USDC: 1 }, 'ETH', 1), 1500);
    expect(engineError(() => collateralPriceForHealthFactor(account, { ETH: 2000, USDC: 1 }, 'ETH', 0)).field).toBe('target');
  });

  it('is null with no debt, and refuses an asset that is not collateral', () => {
    expect(collateralLiquidationPrice({ collateral: [eth(1)], debt: [] }, { ETH: 1 }, 'ETH')).toBeNull();
    expect(engineError(() => collateralLiquidationPrice({ collateral: [eth(1)], debt: [] }, { ETH: 1 }, 'WBTC')).field).toBe('asset');
  });
});

describe('lendingLiquidation: hand-derived cases', () => {
  // 5 ETH at 1,450 against 6,000 USDC, LT 0.8: HF = 5 × 1,450 × 0.8 ÷ 6,000 = 5,800 ÷ 6,000 = 0.9666…
  const account = { collateral: [eth(5)], debt: [{ asset: 'USDC', amount: 6000 }] };
  const prices = { ETH: 1450, USDC: 1 };
  const options = { debtAsset: 'USDC', collateralAsset: 'ETH', liquidationBonus: '0.05', protocolFee: '0.1' };

  it('HF between 0.95 and 1: close factor 50 %, seize repaid × 1.05, protocol fee 10 % of the bonus', () => {
    const l = lendingLiquidation(account, prices, options);
    expect(l.liquidatable).toBe(true);
    expectDecimal(l.closeFactor, '0.5');
    // Repay 50 % of 6,000 = 3,000 USDC; seize 3,000 × 1.05 ÷ 1,450 = 3,150 ÷ 1,450 = 2.17241… ETH.
    expectDecimal(l.debtRepaid, 3000);
    expectDecimal(l.collateralSeized, D(3150).div(1450));
    // Bonus part 150 USDC worth; protocol fee 10 % = 15, liquidator's bonus 135 (Aave: bonusCollateral.percentMul(fee)).
    expect(l.values.collateralSeized.eq(3150)).toBe(true);
    expect(l.values.protocolFee.sub(15).abs().lt('1e-30')).toBe(true);
    expect(l.values.liquidatorBonus.sub(135).abs().lt('1e-30')).toBe(true);
    expect(l.liquidatorReceives.add(l.protocolFee).eq(l.collateralSeized)).toBe(true);
    // After: 5 − 2.17241… = 2.82758… ETH = 4,100 USDC; HF = 4,100 × 0.8 ÷ 3,000 = 1.09333…, above 1 because
    // collateral ÷ debt = 7,250 ÷ 6,000 = 1.208 > 1.05 (cascade-models.md §4.5).
    expect(l.healthFactorAfter!.sub(D(3280).div(3000)).abs().lt('1e-35')).toBe(true);
    expectDecimal(l.accountAfter.debt[0]!.amount, 3000);
    expectDecimal(l.badDebt, 0);
    expect(l.collateralCapped).toBe(false);
  });

  it('close factor 100 % at HF ≤ 0.95 (LiquidationLogic: HF > 0.95 ? 50 % : 100 %, inclusive at 0.95)', () => {
    // ETH at 1,425: HF = 5 × 1,425 × 0.8 ÷ 6,000 = 5,700 ÷ 6,000 = 0.95 exactly.
    const atThreshold = lendingLiquidation(account, { ETH: 1425, USDC: 1 }, options);
    expectDecimal(atThreshold.healthFactorBefore, '0.95');
    expectDecimal(atThreshold.closeFactor, 1);
    // Repay all 6,000: seize 6,300 ÷ 1,425 = 4.4210… of 5 ETH; the rest, 0.5789… ETH = 825 USDC, stays with the borrower.
    expectDecimal(atThreshold.debtRepaid, 6000);
    expect(atThreshold.healthFactorAfter).toBeNull();
    expect(atThreshold.accountAfter.collateral[0]!.amount.mul(1425).sub(825).abs().lt('1e-30')).toBe(true);
    // Just above 0.95 the cap is back to half.
    expectDecimal(lendingLiquidation(account, { ETH: '1425.01', USDC: 1 }, options).closeFactor, '0.5');
  });

  it('caps at the collateral held, cuts the repayment to collateral ÷ (1 + bonus) and reports bad debt', () => {
    // ETH at 1,000: HF = 4,000 ÷ 6,000 = 0.667 → close factor 100 %. 6,000 × 1.05 = 6,300 USDC of ETH wanted, but the
    // account holds 5,000: seize all 5 ETH, repay 5,000 ÷ 1.05 = 4,761.90…; 1,238.09… of debt is left with no
    // collateral behind it.
    // v3.0 leaves that debt on the empty account (HF 0); v3.3 burns it as the reserve's deficit (HF null, no debt):
    // the one place the two rule sets differ on this account.
    const v30 = lendingLiquidation(account, { ETH: 1000, USDC: 1 }, { ...options, rules: 'v3.0' });
    const v33 = lendingLiquidation(account, { ETH: 1000, USDC: 1 }, options);
    const left = D(6000).sub(D(5000).div('1.05'));
    for (const l of [v30, v33]) {
      expect(l.collateralCapped).toBe(true);
      expectDecimal(l.collateralSeized, 5);
      expectDecimal(l.debtRepaid, D(5000).div('1.05'));
      expectDecimal(l.accountAfter.collateral[0]!.amount, 0);
      expectDecimal(l.badDebt, left);
    }
    expectDecimal(v30.healthFactorAfter, 0);
    expectDecimal(v30.accountAfter.debt[0]!.amount, left);
    expectDecimal(v30.deficit, 0);
    expect(v30.debtBurned).toEqual([]);
    expect(v33.healthFactorAfter).toBeNull();
    expectDecimal(v33.accountAfter.debt[0]!.amount, 0);
    expectDecimal(v33.deficit, left);
    expect(v33.debtBurned.map((d) => [d.asset, d.amount.toString()])).toEqual([['USDC', left.toString()]]);
  });

  it('repays less when the liquidator offers less, never more than the close factor allows', () => {
    expectDecimal(lendingLiquidation(account, prices, { ...options, repayAmount: 1000 }).debtRepaid, 1000);
    expectDecimal(lendingLiquidation(account, prices, { ...options, repayAmount: 5000 }).debtRepaid, 3000);
  });

  it('does nothing to a healthy account', () => {
    const l = lendingLiquidation(account, { ETH: 2000, USDC: 1 }, options);
    expect(l.liquidatable).toBe(false);
    expectDecimal(l.debtRepaid, 0);
    expectDecimal(l.collateralSeized, 0);
    expect(l.healthFactorAfter!.eq(l.healthFactorBefore!)).toBe(true);
  });

  it('refuses a debt or collateral the account does not have, and a bonus given in basis points', () => {
    expect(engineError(() => lendingLiquidation(account, prices, { ...options, debtAsset: 'DAI' })).field).toBe('options.debtAsset');
    expect(engineError(() => lendingLiquidation(account, prices, { ...options, collateralAsset: 'WBTC' })).field).toBe('options.collateralAsset');
    expect(engineError(() => lendingLiquidation(account, prices, { ...options, liquidationBonus: 10500 })).field).toBe('options.liquidationBonus');
  });
});

describe('lendingLiquidation: Aave v3.3 rules (the default)', () => {
  const usd = (asset: string, amount: string | number, lt = '0.8') => ({ asset, amount, liquidationThreshold: lt, ltv: '0' });

  it('v3.3 features §2.1: the 50 % applies to the whole position, so one of three $3k debts goes in one call', () => {
    // $3k each of GHO, USDC and DAI against $9k of ETH. The document gives no threshold; at LT 0.96 the HF is 0.96,
    // above 0.95, so the 50 % rule is the one in force. v3.0: half of the $3k reserve; v3.3: up to half of $9k.
    const account = { collateral: [usd('ETH', 9000, '0.96')], debt: [usd('GHO', 3000), usd('USDC', 3000), usd('DAI', 3000)] };
    const prices = { ETH: 1, GHO: 1, USDC: 1, DAI: 1 };
    const options = { debtAsset: 'GHO', collateralAsset: 'ETH', liquidationBonus: '0.05' };
    const v30 = lendingLiquidation(account, prices, { ...options, rules: 'v3.0' });
    const v33 = lendingLiquidation(account, prices, options);
    expectDecimal(v33.healthFactorBefore, '0.96');
    expectDecimal(v30.maxRepay, 1500);
    expectDecimal(v33.maxRepay, 3000);
    expectDecimal(v33.debtRepaid, 3000);
    expect(v33.closeFactorReason).toBe('health-factor');
    expectDecimal(v33.closeFactor, '0.5');
  });

  // v3.3 features §2.2 and §2.3 work with a threshold of 1,000 (and so a leftover of 500), prices in base units.
  const docLimits = { fullCloseBelow: 1000, minLeftover: 500 };

  it('v3.3 features §2.2: collateral B and debt A under the threshold may be liquidated in full at HF 0.96', () => {
    // 2,300 of collateral A, 800 of collateral B, 900 of debt A, 1,100 of debt B, HF 0.96 (LTs 0.6 and 0.675:
    // 1,380 + 540 = 1,920 = 0.96 × 2,000; the document gives the HF, not the thresholds).
    const account = { collateral: [usd('CA', 2300, '0.6'), usd('CB', 800, '0.675')], debt: [usd('DA', 900), usd('DB', 1100)] };
    const prices = { CA: 1, CB: 1, DA: 1, DB: 1 };
    const run = (debtAsset: string, collateralAsset: string, rules: 'v3.0' | 'v3.3' = 'v3.3') =>
      lendingLiquidation(account, prices, { debtAsset, collateralAsset, liquidationBonus: '0.05', positionLimits: docLimits, rules });
    expectDecimal(run('DA', 'CA').healthFactorBefore, '0.96');
    // "100% of debt A for any principal":
    const a = run('DA', 'CA');
    expect(a.closeFactorReason).toBe('small-debt');
    expectDecimal(a.debtRepaid, 900);
    // "100% of collateral B while liquidating any debt": all 800 of B go (1,100 × 1.05 is more than B holds).
    const b = run('DB', 'CB');
    expect(b.closeFactorReason).toBe('small-collateral');
    expectDecimal(b.maxRepay, 1100);
    expectDecimal(b.collateralSeized, 800);
    // "In the previous system … up to 50% of one of the two debt positions": v3.0 caps debt B at 550.
    expectDecimal(run('DB', 'CA', 'v3.0').maxRepay, 550);
    // v3.3 with both reserves above the threshold: half the whole debt, 1,000 of debt B; but that would leave 100 of
    // debt B, under the 500 leftover, so the call is lowered to leave exactly 500 (the document's §2.3 rule).
    const c = run('DB', 'CA');
    expectDecimal(c.maxRepay, 1000);
    expect(c.leftoverAdjustment).toBe('lowered');
    expectDecimal(c.debtRepaid, 600);
    expectDecimal(c.accountAfter.debt[1]!.amount, 500);
  });

  it('v3.3 features §2.3: what may be liquidated from 400 A + 1,000 B of collateral against 900 A + 400 B of debt at HF 0.94', () => {
    // LTs 0.805 and 0.9: 322 + 900 = 1,222 = 0.94 × 1,300. No bonus, as the document's amounts have none.
    const account = { collateral: [usd('CA', 400, '0.805'), usd('CB', 1000, '0.9')], debt: [usd('DA', 900), usd('DB', 400)] };
    const prices = { CA: 1, CB: 1, DA: 1, DB: 1 };
    const run = (debtAsset: string, collateralAsset: string, repayAmount: number) =>
      lendingLiquidation(account, prices, { debtAsset, collateralAsset, repayAmount, liquidationBonus: 0, positionLimits: docLimits });
    expectDecimal(run('DA', 'CA', 1).healthFactorBefore, '0.94');
    // "liquidate 100% of debt B": asking for 100 would leave 300 (< 500), and no smaller call leaves 500 → all 400.
    const b = run('DB', 'CB', 100);
    expect(b.leftoverAdjustment).toBe('raised');
    expectDecimal(b.debtRepaid, 400);
    // "liquidate 100% of collateral A": asking for 100 would leave 300 of A → all 400 of A, repaying 400.
    const a = run('DA', 'CA', 100);
    expect(a.leftoverAdjustment).toBe('raised');
    expectDecimal(a.collateralSeized, 400);
    expectDecimal(a.debtRepaid, 400);
    // "liquidate up to 400e8 of debt A or liquidate 100% of debt A":
    expect(run('DA', 'CB', 400).leftoverAdjustment).toBe('none');
    expectDecimal(run('DA', 'CB', 450).debtRepaid, 400);
    const full = run('DA', 'CB', 900);
    expect(full.leftoverAdjustment).toBe('none');
    expectDecimal(full.debtRepaid, 900);
    // "liquidate up to 500e8 of collateral B": with debt A at 900 the debt's own bound (400) binds first; with a
    // larger debt A the collateral bound shows: seizing more than 500 of B is lowered to leave 500.
    const bigger = { ...account, debt: [usd('DA', 2000), usd('DB', 400)] };
    const l = lendingLiquidation(bigger, prices, { debtAsset: 'DA', collateralAsset: 'CB', repayAmount: 700, liquidationBonus: 0, positionLimits: docLimits });
    expect(l.leftoverAdjustment).toBe('lowered');
    expectDecimal(l.collateralSeized, 500);
  });

  it('burns every debt of an account left with no collateral (v3.3 §1), in all its debt reserves', () => {
    // 1 ETH at 1,000 against 900 USDC and 500 DAI: HF = 800 ÷ 1,400 < 0.95 → 100 %. Repaying 900 USDC would need
    // 945 of ETH... it holds 1,000, so 900 USDC is repaid, 945 seized, 55 left: then nothing is burned.
    const account = { collateral: [usd('ETH', 1)], debt: [usd('USDC', 900), usd('DAI', 500)] };
    const kept = lendingLiquidation(account, { ETH: 1000, USDC: 1, DAI: 1 }, { debtAsset: 'USDC', collateralAsset: 'ETH', liquidationBonus: '0.05' });
    expectDecimal(kept.deficit, 0);
    // At ETH 500: 900 × 1.05 = 945 > 500 held, so all ETH goes for 500 ÷ 1.05 of USDC; the rest of the USDC debt and
    // all 500 DAI are burned.
    const l = lendingLiquidation(account, { ETH: 500, USDC: 1, DAI: 1 }, { debtAsset: 'USDC', collateralAsset: 'ETH', liquidationBonus: '0.05' });
    const usdcLeft = D(900).sub(D(500).div('1.05'));
    expect(l.debtBurned.map((d) => [d.asset, d.amount.toString()])).toEqual([
      ['USDC', usdcLeft.toString()],
      ['DAI', '500'],
    ]);
    expectDecimal(l.deficit, usdcLeft.add(500));
    expectDecimal(l.badDebt, l.deficit);
    expect(l.healthFactorAfter).toBeNull();
  });

  it('Compound v2 docs: incentive 1.08 with a 2.8 % seize share leaves the liquidator +5.2 %', () => {
    // venue-formulas.md §10. In Aave's terms the protocol's cut is a share of the bonus part: 2.8 of 8 = 0.35. (Compound
    // v2's code takes 2.8 % of all seized tokens, 1.08 × 0.972 = 1.04976, so the docs' 5.2 % is their rounding.)
    const l = lendingLiquidation({ collateral: [usd('ETH', 10)], debt: [usd('USDC', 10000)] }, { ETH: 1000, USDC: 1 }, {
      debtAsset: 'USDC',
      collateralAsset: 'ETH',
      repayAmount: 1000,
      liquidationBonus: '0.08',
      protocolFee: '0.35',
    });
    expectDecimal(l.values.collateralSeized, 1080);
    expect(l.values.liquidatorBonus.div(l.values.debtRepaid).sub('0.052').abs().lt('1e-30')).toBe(true);
    expect(l.values.protocolFee.div(l.values.debtRepaid).sub('0.028').abs().lt('1e-30')).toBe(true);
  });

  it('refuses unknown rules and negative limits', () => {
    const account = { collateral: [usd('ETH', 1)], debt: [usd('USDC', 900)] };
    const options = { debtAsset: 'USDC', collateralAsset: 'ETH', liquidationBonus: '0.05' };
    expect(engineError(() => lendingLiquidation(account, { ETH: 1000, USDC: 1 }, { ...options, rules: 'v2' as 'v3.0' })).field).toBe('options.rules');
    expect(
      engineError(() => lendingLiquidation(account, { ETH: 1000, USDC: 1 }, { ...options, positionLimits: { fullCloseBelow: -1, minLeftover: 0 } })).field,
    ).toBe('options.positionLimits.fullCloseBelow');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Properties

const cents = (min: number, max: number) => fc.integer({ min, max }).map((n) => new Decimal(n).div(100).toString());
const shareArb = (min: number, max: number) => fc.integer({ min, max }).map((n) => new Decimal(n).div(1000).toString());

/** Two collateral and two debt assets, prices and amounts in cents, thresholds in thousandths. */
const multiArb = fc
  .record({
    ethAmount: cents(1, 10_000_00),
    btcAmount: cents(0, 100_00),
    ethLt: shareArb(300, 900),
    btcLt: shareArb(300, 900),
    usdc: cents(1, 50_000_000_00),
    dai: cents(0, 10_000_000_00),
    ethPrice: cents(1_00, 10_000_00),
    btcPrice: cents(1_000_00, 100_000_00),
    bonus: shareArb(0, 150),
    fee: shareArb(0, 500),
    debtAsset: fc.constantFrom('USDC', 'DAI'),
    collateralAsset: fc.constantFrom('ETH', 'WBTC'),
    repayShare: fc.option(shareArb(1, 1000)),
  })
  .map((r) => ({
    account: {
      collateral: [
        { asset: 'ETH', amount: r.ethAmount, liquidationThreshold: r.ethLt, ltv: r.ethLt },
        { asset: 'WBTC', amount: r.btcAmount, liquidationThreshold: r.btcLt, ltv: r.btcLt },
      ],
      debt: [
        { asset: 'USDC', amount: r.usdc },
        { asset: 'DAI', amount: r.dai },
      ],
    },
    prices: { ETH: r.ethPrice, WBTC: r.btcPrice, USDC: 1, DAI: '1.001' },
    options: {
      debtAsset: r.debtAsset,
      collateralAsset: r.collateralAsset,
      liquidationBonus: r.bonus,
      protocolFee: r.fee,
      ...(r.repayShare === null ? {} : { repayAmount: D(r.debtAsset === 'USDC' ? r.usdc : r.dai).mul(r.repayShare).toString() }),
    },
  }));

function equity(account: LendingAccountInput, prices: Record<string, string | number>): Decimal {
  const v = lendingAccountValues(account, prices);
  return v.collateralValue.sub(v.debtValue);
}

describe('lendingLiquidation: properties', () => {
  it('conserves value: collateral value out = repaid debt value × (1 + bonus) = repaid + liquidator bonus + protocol fee', () => {
    const seen = { liquidated: 0, capped: 0 };
    fc.assert(
      fc.property(multiArb, ({ account, prices, options }) => {
        const l = lendingLiquidation(account, prices, options);
        if (l.liquidatable) seen.liquidated++;
        if (l.collateralCapped) seen.capped++;
        const before = lendingAccountValues(account, prices);
        const hf = healthFactor(account, prices);
        expect(l.liquidatable).toBe(hf !== null && hf.lt(1));
        const tolerance = before.collateralValue.add(before.debtValue).mul('1e-36');
        // Seized value is repaid value grossed up by the bonus (rounding of a 40-digit division aside).
        expect(l.values.collateralSeized.sub(l.values.debtRepaid.mul(D(1).add(options.liquidationBonus))).abs().lte(tolerance)).toBe(true);
        const parts = l.values.debtRepaid.add(l.values.liquidatorBonus).add(l.values.protocolFee);
        expect(parts.sub(l.values.collateralSeized).abs().lte(tolerance)).toBe(true);
        // The protocol's cut is its share of the bonus; the liquidator's bonus is never negative.
        const bonusValue = l.values.debtRepaid.mul(options.liquidationBonus);
        expect(l.values.protocolFee.sub(bonusValue.mul(options.protocolFee)).abs().lte(tolerance)).toBe(true);
        expect(l.values.liquidatorBonus.gte(tolerance.neg())).toBe(true);
        // Units: what leaves the account is exactly what was seized or repaid.
        const c = account.collateral.findIndex((x) => x.asset === options.collateralAsset);
        const d = account.debt.findIndex((x) => x.asset === options.debtAsset);
        expect(l.accountAfter.collateral[c]!.amount.add(l.collateralSeized).eq(account.collateral[c]!.amount)).toBe(true);
        // v3.3 may burn what an emptied account still owes; the burn is reported, never lost.
        const burned = l.debtBurned.find((x) => x.asset === options.debtAsset)?.amount ?? D(0);
        expect(l.accountAfter.debt[d]!.amount.add(l.debtRepaid).add(burned).eq(account.debt[d]!.amount)).toBe(true);
        expect(l.accountAfter.collateral[c]!.amount.gte(0) && l.accountAfter.debt[d]!.amount.gte(0)).toBe(true);
        // The borrower's equity falls by exactly the bonus paid out (to the liquidator and the protocol).
        // (The debt v3.3 burns is a gift to the borrower paid by the lenders, so it is added back.)
        const loss = equity(account, prices).sub(equity(l.accountAfter, prices).sub(l.deficit));
        expect(loss.sub(l.values.liquidatorBonus.add(l.values.protocolFee)).abs().lte(tolerance)).toBe(true);
        // Bad debt is the uncovered remainder, never negative.
        const after = lendingAccountValues(l.accountAfter, prices);
        expectDecimal(l.badDebt, Decimal.max(0, after.debtValue.add(l.deficit).sub(after.collateralValue)));
      }),
      runs(300),
    );
    // The generator reaches real liquidations, including ones capped by the collateral held (checked only when the
    // run is long enough for that to be all but certain, so PROPERTY_RUNS=5 does not flake).
    if (runs(300).numRuns >= 100) {
      expect(seen.liquidated).toBeGreaterThan(0);
      expect(seen.capped).toBeGreaterThan(0);
    }
  });

  it('is deterministic: the same input gives the same output, digit for digit', () => {
    fc.assert(
      fc.property(multiArb, ({ account, prices, options }) => {
        expect(JSON.stringify(lendingLiquidation(account, prices, options))).toBe(JSON.stringify(lendingLiquidation(account, prices, options)));
      }),
      runs(100),
    );
  });

  it('cascade-models.md §4.5: HF improves iff collateral ÷ debt > 1 + bonus, and worsens below it', () => {
    // One collateral, one debt: HF′ − HF = LT·r·(C/D − (1 + β)) ÷ (D − r) for a repayment r < D (uncapped), so its sign
    // is that of C/D − (1 + β); a capped liquidation (only possible when C/D < 1 + β) leaves HF = 0; repaying all
    // debt leaves none (HF null).
    const arb = fc
      .record({
        debt: fc.integer({ min: 1_000, max: 10_000_000 }),
        lt: shareArb(500, 900),
        bonus: shareArb(5, 150),
        ratioBps: fc.integer({ min: 5_000, max: 20_000 }),
        price: cents(1_00, 5_000_00),
        repayShare: shareArb(1, 1000),
      })
      // Liquidatable only: LT × C/D < 1.
      .filter((r) => D(r.lt).mul(r.ratioBps).div(10_000).lt(1));
    let improved = 0;
    let worsened = 0;
    fc.assert(
      fc.property(arb, (r) => {
        const ratio = D(r.ratioBps).div(10_000);
        const collateralUnits = ratio.mul(r.debt).div(r.price);
        const account = {
          collateral: [{ asset: 'ETH', amount: collateralUnits, liquidationThreshold: r.lt, ltv: r.lt }],
          debt: [{ asset: 'USDC', amount: r.debt }],
        };
        // v3.0: the theorem is about a chosen repayment r, and v3.3's no-dust rule may change r and burns the debt
        // of an emptied account; both have their own tests.
        const l = lendingLiquidation(account, { ETH: r.price, USDC: 1 }, {
          debtAsset: 'USDC',
          collateralAsset: 'ETH',
          liquidationBonus: r.bonus,
          protocolFee: '0.1',
          repayAmount: D(r.debt).mul(r.repayShare),
          rules: 'v3.0',
        });
        expect(l.liquidatable).toBe(true);
        const edge = ratio.sub(D(1).add(r.bonus));
        if (l.healthFactorAfter === null) {
          expect(edge.gt(0)).toBe(true);
          improved++;
          return;
        }
        const change = l.healthFactorAfter.sub(l.healthFactorBefore!);
        if (edge.isZero()) {
          expect(change.abs().lt('1e-30')).toBe(true);
        } else if (edge.gt(0)) {
          expect(change.gt(0), `C/D ${ratio.toString()} > 1 + ${r.bonus} but HF fell by ${change.toString()}`).toBe(true);
          improved++;
        } else {
          expect(change.lt(0), `C/D ${ratio.toString()} < 1 + ${r.bonus} but HF rose by ${change.toString()}`).toBe(true);
          worsened++;
        }
      }),
      runs(400),
    );
    // Both sides of the theorem were exercised.
    if (runs(400).numRuns >= 100) {
      expect(improved).toBeGreaterThan(0);
      expect(worsened).toBeGreaterThan(0);
    }
  });

  it('v3.3: never repays beyond the cap, never less than v3.0 allows, and never leaves dust', () => {
    // Positions of a few thousand dollars, where the $2,000 and $1,000 limits bite.
    const smallArb = fc
      .record({
        eth: cents(10, 500),
        usdc: cents(300_00, 6_000_00),
        dai: cents(0, 3_000_00),
        lt: shareArb(500, 900),
        price: cents(500_00, 3_000_00),
        debtAsset: fc.constantFrom('USDC', 'DAI'),
        repayShare: fc.option(shareArb(1, 1000)),
      })
      .map((r) => ({
        account: {
          collateral: [{ asset: 'ETH', amount: r.eth, liquidationThreshold: r.lt, ltv: r.lt }],
          debt: [
            { asset: 'USDC', amount: r.usdc },
            { asset: 'DAI', amount: r.dai },
          ],
        },
        prices: { ETH: r.price, USDC: 1, DAI: 1 },
        options: {
          debtAsset: r.debtAsset,
          collateralAsset: 'ETH',
          liquidationBonus: '0.05',
          ...(r.repayShare === null ? {} : { repayAmount: D(r.debtAsset === 'USDC' ? r.usdc : r.dai).mul(r.repayShare).toString() }),
        },
      }));
    let lowered = 0;
    let raised = 0;
    fc.assert(
      fc.property(fc.oneof(multiArb, smallArb), ({ account, prices, options }) => {
        const l = lendingLiquidation(account, prices, options);
        const old = lendingLiquidation(account, prices, { ...options, rules: 'v3.0' });
        if (!l.liquidatable) return;
        expect(l.debtRepaid.lte(l.maxRepay)).toBe(true);
        // Half of the whole position is at least half of any one reserve.
        expect(l.maxRepay.gte(old.maxRepay)).toBe(true);
        if (l.leftoverAdjustment === 'lowered') lowered++;
        if (l.leftoverAdjustment === 'raised') raised++;
        const d = account.debt.findIndex((x) => x.asset === options.debtAsset);
        const c = account.collateral.findIndex((x) => x.asset === options.collateralAsset);
        const debtLeft = D(account.debt[d]!.amount).sub(l.debtRepaid);
        const collateralLeft = D(account.collateral[c]!.amount).sub(l.collateralSeized);
        if (!debtLeft.isZero() && !collateralLeft.isZero()) {
          const price = (asset: string) => (prices as Record<string, string | number>)[asset]!;
          // A lowered call leaves exactly the minimum, up to the last of 40 digits of a division.
          const floor = D(AAVE_V3_3_POSITION_LIMITS.minLeftover).sub('1e-30');
          expect(debtLeft.mul(price(options.debtAsset)).gte(floor)).toBe(true);
          expect(collateralLeft.mul(price(options.collateralAsset)).gte(floor)).toBe(true);
        }
        if (l.deficit.gt(0)) expect(l.accountAfter.collateral.every((x) => x.amount.isZero())).toBe(true);
      }),
      runs(400),
    );
    if (runs(400).numRuns >= 100) {
      expect(lowered).toBeGreaterThan(0);
      expect(raised).toBeGreaterThan(0);
    }
  });

  it('collateralLiquidationPrice: the health factor at the returned price is 1', () => {
    fc.assert(
      fc.property(multiArb, fc.constantFrom('ETH', 'WBTC'), ({ account, prices }, asset) => {
        const p = collateralLiquidationPrice(account, prices, asset);
        if (p === null) return;
        const hf = healthFactor(account, { ...prices, [asset]: p });
        expect(hf!.sub(1).abs().lt('1e-30')).toBe(true);
        const q = collateralPriceForHealthFactor(account, prices, asset, '0.95');
        if (q !== null) expect(healthFactor(account, { ...prices, [asset]: q })!.sub('0.95').abs().lt('1e-30')).toBe(true);
      }),
      runs(200),
    );
  });
});
