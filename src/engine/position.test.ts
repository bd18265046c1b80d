/**
 * Unit specifications for the isolated-position engine (src/engine/position.ts).
 *
 * Convention under test (Binance's published isolated-margin FAQs): maintenance margin = notional at the
 * mark price × rate − maintenance amount ("cum"), liquidation where equity = maintenance margin, no fees.
 * Published and reconstructed vectors come from /work/shared/research/venue-formulas.md (§ numbers below);
 * every expected value is recomputed by hand (arithmetic in the comment next to it) and, where the result
 * is not a short decimal, also with Decimal arithmetic independent of the engine's code path.
 */
import DecimalJs from 'decimal.js';
import { describe, expect, it } from 'vitest';
import {
  Decimal,
  bankruptcyPrice,
  liquidationLoss,
  liquidationPrice,
  normalizePosition,
  openPosition,
  positionMetrics,
  priceMoveToLiquidation,
  type PositionInput,
  type PositionMetrics,
} from './index.ts';
import { D, engineError, expectDecimal } from '../../tests/unit/engine-testkit.ts';


/** Every output of positionMetrics as a string, so two results can be compared digit for digit. */
function snapshot(metrics: PositionMetrics): Record<string, string> {
  return Object.fromEntries(
    Object.entries(metrics).map(([key, value]) => [key, value === null ? 'null' : String(value)]),
  );
}

// ---------------------------------------------------------------------------------------------------------
// Published and reconstructed venue vectors
// ---------------------------------------------------------------------------------------------------------

describe('Binance COIN-M (inverse) vectors, venue-formulas.md §2', () => {
  // Forum thread: WB 101 BTC isolated, 100,000 BTCUSD contracts (100 USD each) long at 45,000, MMR 12.5 %.
  const forum = (maintenanceAmount: string): PositionInput => ({
    contract: 'inverse',
    side: 'long',
    entryPrice: '45000',
    quantity: '100000',
    contractSize: '100',
    margin: '101',
    maintenanceMarginRate: '0.125',
    maintenanceAmount,
  });

  it('liquidationPrice(inverse long) reproduces the Binance COIN-M forum UI value 33,599.4 (cum 11.605, newer table)', () => {
    // LP = C·Q·(1 + MMR) / (WB + cum + C·Q/EP) = 10,000,000 × 1.125 / (101 + 11.605 + 10,000,000/45,000)
    //    = 11,250,000 / (112.605 + 2,000/9) = 11,250,000 × 9,000 / 3,013,445 = 101,250,000,000 / 3,013,445
    //    = 33,599.41860561583171420085649480909722925…   → 33,599.4 at the 0.1 tick shown by the UI.
    const lp = liquidationPrice(forum('11.605'));
    expect(lp).not.toBeNull();
    expect(lp!.toFixed(1)).toBe('33599.4');
    expect(lp!.toString().startsWith('33599.4186056158317142008564948090972292')).toBe(true);
    expect(lp!.toSignificantDigits(35).eq(D('101250000000').div('3013445').toSignificantDigits(35))).toBe(true);
  });

  it('liquidationPrice(inverse long) with the stale bracket (cum 11.81, older table) gives the poster’s 33,578.8597448…', () => {
    // Denominator 101 + 11.81 + 2,000/9 = 3,015,290/9,000, so LP = 101,250,000,000 / 3,015,290 = 33,578.8597448338…
    // The ~20 USD gap to the UI value is the stale maintenance amount, not a formula error.
    const lp = liquidationPrice(forum('11.81'));
    expect(lp!.toString().startsWith('33578.8597448338302451837136726484019779')).toBe(true);
    expect(lp!.toSignificantDigits(35).eq(D('101250000000').div('3015290').toSignificantDigits(35))).toBe(true);
    expect(liquidationPrice(forum('11.605'))!.sub(lp!).toFixed(2)).toBe('20.56');
  });

  it('positionMetrics(inverse) at the forum liquidation price: equity equals maintenance margin and the position is liquidatable', () => {
    const position = normalizePosition(forum('11.605'));
    const lp = liquidationPrice(position)!;
    const m = positionMetrics(position, lp);
    // MM there = (10,000,000 / LP) × 0.125 − 11.605 ≈ 25.598 BTC; equity = 101 + 10,000,000·(1/45,000 − 1/LP).
    expect(m.maintenanceMargin.sub(m.equity).abs().lte(m.maintenanceMargin.mul('1e-30'))).toBe(true);
    expect(m.maintenanceMargin.toFixed(3)).toBe('25.598');
    expect(m.isLiquidatable).toBe(true);
    expectDecimal(m.distanceToLiquidation, 0);
  });

  it('positionMetrics(inverse) reproduces the COIN-M FAQ example: 100 contracts × 100 USD / 25,000 = 0.4 BTC notional, MM at 0.4 % = 0.0016 BTC', () => {
    // notional = Q·C/P = 100 × 100 / 25,000 = 0.4 BTC; MM = 0.4 × 0.004 − 0 = 0.0016 BTC.
    const position = normalizePosition({
      contract: 'inverse',
      side: 'long',
      entryPrice: '25000',
      quantity: '100',
      contractSize: '100',
      margin: '0.04', // 10×
      maintenanceMarginRate: '0.004',
    });
    const m = positionMetrics(position, '25000');
    expectDecimal(m.notional, '0.4');
    expectDecimal(m.maintenanceMargin, '0.0016');
    expectDecimal(m.initialMargin, '0.04'); // no leverage given: the margin itself
    expectDecimal(m.effectiveLeverage, 10); // 0.4 / 0.04
    expectDecimal(m.unrealizedPnl, 0);
  });

  it('the inverse notional is priced at the mark: the same 100 contracts are 0.5 BTC at 20,000 (MM 0.002 BTC)', () => {
    // 10,000 / 20,000 = 0.5 BTC; 0.5 × 0.004 = 0.002.
    const position = { contract: 'inverse', side: 'long', entryPrice: 25000, quantity: 100, margin: '0.04', maintenanceMarginRate: '0.004' } as const;
    const m = positionMetrics(position, 20000);
    expectDecimal(m.notional, '0.5');
    expectDecimal(m.maintenanceMargin, '0.002');
  });
});

describe('Binance USDⓈ-M (linear) one-way formulas, venue-formulas.md §1', () => {
  // 2 BTC at 30,000 = 60,000 USDT notional: Binance BTCUSDT bracket 2 (50,000–250,000), MMR 0.5 %, cum 50,
  // itself from the FAQ rule cum₂ = 50,000 × (0.5 % − 0.4 %) + 0 = 50. Isolated wallet balance WB = 6,000 (10×).
  const base = {
    contract: 'linear',
    entryPrice: '30000',
    quantity: '2',
    margin: '6000',
    maintenanceMarginRate: '0.005',
    maintenanceAmount: '50',
  } as const;

  it('liquidationPrice(linear long) = (Q·EP − WB − cum) / (Q·(1 − MMR)) = 53,950 / 1.99 = 27,110.5527638…', () => {
    // (2 × 30,000 − 6,000 − 50) / (2 × 0.995) = 53,950 / 1.99 = 5,395,000 / 199 = 27,110.55276381909547738693…
    // Notional there is 2 × 27,110.55 = 54,221.1: still inside bracket 2, so no bracket iteration is needed.
    const lp = liquidationPrice({ ...base, side: 'long' })!;
    expect(lp.toString().startsWith('27110.55276381909547738693467336683417')).toBe(true);
    expect(lp.toSignificantDigits(35).eq(D(5395000).div(199).toSignificantDigits(35))).toBe(true);
    const m = positionMetrics({ ...base, side: 'long' }, lp);
    // equity = 6,000 + 2·(LP − 30,000) = 221.1055…; MM = 2·LP·0.005 − 50 = 221.1055…
    expect(m.equity.toFixed(6)).toBe('221.105528');
    expect(m.maintenanceMargin.toFixed(6)).toBe('221.105528');
    expect(m.notional.gt(50000) && m.notional.lt(250000)).toBe(true);
  });

  it('liquidationPrice(linear short) = (Q·EP + WB + cum) / (Q·(1 + MMR)) = 66,050 / 2.01 = 32,860.6965174…', () => {
    // (60,000 + 6,000 + 50) / (2 × 1.005) = 66,050 / 2.01 = 6,605,000 / 201 = 32,860.69651741293532338308…
    // Notional there 65,721.39: bracket 2 again.
    const lp = liquidationPrice({ ...base, side: 'short' })!;
    expect(lp.toString().startsWith('32860.69651741293532338308457711442786')).toBe(true);
    expect(lp.toSignificantDigits(35).eq(D(6605000).div(201).toSignificantDigits(35))).toBe(true);
    const m = positionMetrics({ ...base, side: 'short' }, lp);
    // equity = 6,000 − 2·(LP − 30,000) = 278.6069…; MM = 2·LP·0.005 − 50 = 278.6069…
    expect(m.equity.toFixed(6)).toBe('278.606965');
    expect(m.maintenanceMargin.toFixed(6)).toBe('278.606965');
  });

  it('liquidationPrice ignores leverage in isolated mode: only the margin (WB) enters', () => {
    const withLeverage = liquidationPrice({ ...base, side: 'long', leverage: 10 });
    const withoutLeverage = liquidationPrice({ ...base, side: 'long' });
    expect(withLeverage!.eq(withoutLeverage!)).toBe(true);
  });

  it('maintenanceMargin is continuous across a bracket edge when cum follows the FAQ rule (50,000 USDT: 200 either way)', () => {
    // Tier 1: 50,000 × 0.4 % − 0 = 200. Tier 2: 50,000 × 0.5 % − 50 = 200.
    const at = (maintenanceMarginRate: string, maintenanceAmount: string) =>
      positionMetrics(
        { contract: 'linear', side: 'long', entryPrice: 50000, quantity: 1, margin: 5000, maintenanceMarginRate, maintenanceAmount },
        50000,
      ).maintenanceMargin;
    expectDecimal(at('0.004', '0'), 200);
    expectDecimal(at('0.005', '50'), 200);
  });
});

describe('Bybit bankruptcy price and initial margin, venue-formulas.md §3–4', () => {
  it('bankruptcyPrice(linear long, opened at 20× with margin) = EP·(1 − 1/L) = 20,000 × 0.95 = 19,000', () => {
    // margin 1,000 × 20 = 20,000 USDT of notional = 1 BTC at 20,000; BP = 20,000 − 1,000/1 = 19,000.
    const position = openPosition({ contract: 'linear', side: 'long', entryPrice: 20000, leverage: 20, margin: 1000, maintenanceMarginRate: '0.005' });
    expectDecimal(position.quantity, 1);
    expectDecimal(bankruptcyPrice(position), 19000);
  });

  it('bankruptcyPrice(linear short, opened at 20× with margin) = EP·(1 + 1/L) = 20,000 × 1.05 = 21,000', () => {
    const position = openPosition({ contract: 'linear', side: 'short', entryPrice: 20000, leverage: 20, margin: 1000, maintenanceMarginRate: '0.005' });
    expectDecimal(bankruptcyPrice(position), 21000);
  });

  it('bankruptcyPrice(linear, opened at 25× by size) = 64,000 × (1 ∓ 0.04): 61,440 long, 66,560 short', () => {
    // 0.5 BTC × 64,000 = 32,000 notional; margin = 32,000 / 25 = 1,280; BP = 64,000 ∓ 1,280/0.5.
    const open = (side: 'long' | 'short') =>
      openPosition({ contract: 'linear', side, entryPrice: '64000', leverage: '25', quantity: '0.5', maintenanceMarginRate: '0.004' });
    expectDecimal(open('long').margin, 1280);
    expectDecimal(bankruptcyPrice(open('long')), 61440);
    expectDecimal(bankruptcyPrice(open('short')), 66560);
  });

  it('openPosition(inverse) reproduces Bybit’s IM example: 12,000 USD / (8,000 × 50) = 0.03 BTC', () => {
    // 120 contracts × 100 USD = 12,000 USD; PV = 12,000 / 8,000 = 1.5 BTC; IM = 1.5 / 50 = 0.03 BTC.
    const position = openPosition({
      contract: 'inverse',
      side: 'long',
      entryPrice: '8000',
      leverage: '50',
      quantity: '120',
      contractSize: '100',
      maintenanceMarginRate: '0.005',
    });
    expectDecimal(position.margin, '0.03');
    const m = positionMetrics(position, '8000');
    expectDecimal(m.notional, '1.5');
    expectDecimal(m.initialMargin, '0.03');
    expectDecimal(m.effectiveLeverage, 50);
  });

  it('liquidationPrice follows Binance (MM valued at the mark), so a linear long sits below Bybit’s EP·(1 − IMR + MMR)', () => {
    // Engine: (20,000 − 1,000) / 0.995 = 19,095.477386934673…; Bybit's help-centre form: 20,000 × (1 − 0.05 + 0.005) = 19,100.
    const position = openPosition({ contract: 'linear', side: 'long', entryPrice: 20000, leverage: 20, margin: 1000, maintenanceMarginRate: '0.005' });
    const lp = liquidationPrice(position)!;
    expect(lp.toString().startsWith('19095.4773869346733668341708542713567839')).toBe(true);
    expect(lp.lt(19100)).toBe(true);
  });
});

describe('inverse asymmetry and the "--" (null) prices', () => {
  it('a 1× inverse long still has a liquidation price, about half the entry: 40,000 × 1.005 / 2 = 20,100 (bankrupt at 20,000)', () => {
    // 400 contracts × 100 USD = 40,000 USD = 1 BTC at 40,000; margin 1 BTC.
    // LP = 40,000 × 1.005 / (1 + 1) = 20,100; BP = 40,000 / (1 + 1) = 20,000: the coin collateral halves in value.
    const position = openPosition({ contract: 'inverse', side: 'long', entryPrice: 40000, leverage: 1, quantity: 400, maintenanceMarginRate: '0.005' });
    expectDecimal(position.margin, 1);
    expectDecimal(liquidationPrice(position), 20100);
    expectDecimal(bankruptcyPrice(position), 20000);
    expectDecimal(priceMoveToLiquidation(position), '-0.4975'); // 20,100 / 40,000 − 1
  });

  it('a 1× inverse short has no liquidation or bankruptcy price (null): its coin margin gains what the short loses', () => {
    const position = openPosition({ contract: 'inverse', side: 'short', entryPrice: 40000, leverage: 1, quantity: 400, maintenanceMarginRate: '0.005' });
    expect(liquidationPrice(position)).toBeNull();
    expect(bankruptcyPrice(position)).toBeNull();
    expect(priceMoveToLiquidation(position)).toBeNull();
    expect(liquidationLoss(position)).toBeNull();
    // Even a 25,000-fold rally leaves equity = 40,000 / P BTC > MM = 0.005 × 40,000 / P.
    const m = positionMetrics(position, '1e9');
    expect(m.isLiquidatable).toBe(false);
    expect(m.distanceToLiquidation).toBeNull();
    expect(m.liquidationPrice).toBeNull();
    expectDecimal(m.equity, '0.00004'); // 1 − 400·100·(1/40,000 − 1/1e9) = 40,000 / 1e9
  });

  it('a 1× linear long has no liquidation or bankruptcy price (null), and is not liquidatable even at a mark of 0.01', () => {
    const position = openPosition({ contract: 'linear', side: 'long', entryPrice: 40000, leverage: 1, quantity: 1, maintenanceMarginRate: '0.005' });
    expect(liquidationPrice(position)).toBeNull();
    expect(bankruptcyPrice(position)).toBeNull();
    expect(priceMoveToLiquidation(position)).toBeNull();
    const m = positionMetrics(position, '0.01');
    expect(m.isLiquidatable).toBe(false); // equity 0.01 > MM 0.00005
    expect(m.distanceToLiquidation).toBeNull();
  });

  it('a 1× linear short does have one: LP = 2·EP / (1 + MMR) = 80,000 / 1.005, BP = 2·EP = 80,000', () => {
    const position = openPosition({ contract: 'linear', side: 'short', entryPrice: 40000, leverage: 1, quantity: 1, maintenanceMarginRate: '0.005' });
    expect(liquidationPrice(position)!.toString().startsWith('79601.9900497512437810945273631840796')).toBe(true);
    expectDecimal(bankruptcyPrice(position), 80000);
  });

  it('1× positions opened by margin keep their null prices even when margin ÷ entry does not terminate (openPosition rounding)', () => {
    // 1 USDT at 7 USDT buys 1/7 = 0.142857… units; rounded to the nearest 40th digit it was …1429, i.e. slightly
    // more than 1× (effective leverage 1.0000…0003), which gave a 1× long a bankruptcy price of 2e-39 instead of null.
    const linearLong = openPosition({ contract: 'linear', side: 'long', entryPrice: 7, leverage: 1, margin: 1, maintenanceMarginRate: 0 });
    expect(bankruptcyPrice(linearLong)).toBeNull();
    expect(liquidationPrice(linearLong)).toBeNull();
    expect(positionMetrics(linearLong, 7).effectiveLeverage.lte(1)).toBe(true);
    // 9,521 USDT at 674,729: the rounded size made q·EP exceed the margin, so LP came out as 1.4e-34 instead of null.
    const linearLong2 = openPosition({ contract: 'linear', side: 'long', entryPrice: 674729, leverage: 1, margin: 9521, maintenanceMarginRate: '0.004' });
    expect(liquidationPrice(linearLong2)).toBeNull();
    expect(priceMoveToLiquidation(linearLong2)).toBeNull();
    // An inverse short with 34-USD contracts: 4,970 BTC × 883,156 / 34 contracts, rounded up, gave LP ≈ 4.37e45.
    const inverseShort = openPosition({ contract: 'inverse', side: 'short', entryPrice: 883156, leverage: 1, margin: 4970, contractSize: 34, maintenanceMarginRate: '0.004' });
    expect(liquidationPrice(inverseShort)).toBeNull();
    expect(bankruptcyPrice(inverseShort)).toBeNull();
  });

  it('at 10× the inverse long’s liquidation is closer to entry than the short’s: −8.636…% vs +10.555…%', () => {
    // 1,000 contracts × 100 USD = 100,000 USD = 2.5 BTC at 40,000; margin 0.25 BTC (10×), MMR 0.5 %.
    // long  LP = 100,000 × 1.005 / (0.25 + 2.5) = 36,545.4545…;  move = 1.005/1.1 − 1 = −0.0863636…
    // short LP = 100,000 × 0.995 / (2.5 − 0.25) = 44,222.2222…;  move = 0.995/0.9 − 1 = +0.1055555…
    const open = (side: 'long' | 'short') =>
      normalizePosition({ contract: 'inverse', side, entryPrice: 40000, quantity: 1000, margin: '0.25', maintenanceMarginRate: '0.005' });
    expect(liquidationPrice(open('long'))!.toFixed(4)).toBe('36545.4545');
    expect(liquidationPrice(open('short'))!.toFixed(4)).toBe('44222.2222');
    expect(priceMoveToLiquidation(open('long'))!.toFixed(10)).toBe('-0.0863636364');
    expect(priceMoveToLiquidation(open('short'))!.toFixed(10)).toBe('0.1055555556');
    expect(priceMoveToLiquidation(open('long'))!.abs().lt(priceMoveToLiquidation(open('short'))!.abs())).toBe(true);
  });
});

// ---------------------------------------------------------------------------------------------------------
// positionMetrics semantics
// ---------------------------------------------------------------------------------------------------------

describe('positionMetrics', () => {
  // Linear long chosen so that the liquidation price is exact: 1 BTC at 10,000, margin 846, MMR 0.5 %.
  // LP = (10,000 − 846) / 0.995 = 9,154 / 0.995 = 9,200; BP = 10,000 − 846 = 9,154.
  const long = normalizePosition({ contract: 'linear', side: 'long', entryPrice: 10000, quantity: 1, margin: 846, maintenanceMarginRate: '0.005' });
  // Linear short, exact too: 1 BTC at 10,000, margin 793, MMR 0.4 %.
  // LP = (10,000 + 793) / 1.004 = 10,793 / 1.004 = 10,750; BP = 10,793.
  const short = normalizePosition({ contract: 'linear', side: 'short', entryPrice: 10000, quantity: 1, margin: 793, maintenanceMarginRate: '0.004' });

  it('liquidationPrice / bankruptcyPrice of the exact examples are 9,200 / 9,154 (long) and 10,750 / 10,793 (short)', () => {
    expectDecimal(liquidationPrice(long), 9200);
    expectDecimal(bankruptcyPrice(long), 9154);
    expectDecimal(liquidationPrice(short), 10750);
    expectDecimal(bankruptcyPrice(short), 10793);
  });

  it('reports notional, PnL, equity, initial margin, effective leverage and return on margin at a mark (long at 10,500)', () => {
    // notional 10,500; PnL = 1 × (10,500 − 10,000) = 500; equity 1,346; MM = 52.5; ratio 52.5 / 1,346.
    const m = positionMetrics(long, 10500);
    expectDecimal(m.notional, 10500);
    expectDecimal(m.unrealizedPnl, 500);
    expectDecimal(m.equity, 1346);
    expectDecimal(m.maintenanceMargin, '52.5');
    expectDecimal(m.marginRatio, D('52.5').div(1346));
    expectDecimal(m.initialMargin, 846); // no leverage given
    expectDecimal(m.effectiveLeverage, D(10000).div(846));
    expectDecimal(m.returnOnMargin, D(500).div(846));
    expectDecimal(m.distanceToLiquidation, D(1300).div(10500)); // (10,500 − 9,200) / 10,500
  });

  it('initialMargin is notional at entry ÷ leverage when leverage was given, and margin may exceed it', () => {
    const m = positionMetrics({ contract: 'linear', side: 'short', entryPrice: 10000, quantity: 1, margin: 1500, leverage: 10, maintenanceMarginRate: '0.004' }, 10000);
    expectDecimal(m.initialMargin, 1000);
    expectDecimal(m.effectiveLeverage, D(10000).div(1500));
  });

  it('unrealizedPnl(short) is Q·(EP − P), and inverse PnL is in coin: Q·C·(1/EP − 1/P)', () => {
    expectDecimal(positionMetrics(short, 9000).unrealizedPnl, 1000);
    // inverse long 400 × 100 USD at 40,000, mark 50,000: 40,000 × (1/40,000 − 1/50,000) = 1 − 0.8 = 0.2 BTC.
    const inv = { contract: 'inverse', side: 'long', entryPrice: 40000, quantity: 400, margin: '0.1', maintenanceMarginRate: '0.005' } as const;
    expectDecimal(positionMetrics(inv, 50000).unrealizedPnl, '0.2');
    expectDecimal(positionMetrics({ ...inv, side: 'short' }, 50000).unrealizedPnl, '-0.2');
  });

  it('marginRatio is maintenance margin ÷ equity and is exactly 1 at the liquidation price (long: 46 / 46 at 9,200)', () => {
    // equity = 846 + (9,200 − 10,000) = 46; MM = 9,200 × 0.005 = 46.
    const m = positionMetrics(long, 9200);
    expectDecimal(m.equity, 46);
    expectDecimal(m.maintenanceMargin, 46);
    expectDecimal(m.marginRatio, 1);
  });

  it('marginRatio is exactly 1 at the liquidation price (short: 43 / 43 at 10,750)', () => {
    // equity = 793 − (10,750 − 10,000) = 43; MM = 10,750 × 0.004 = 43.
    const m = positionMetrics(short, 10750);
    expectDecimal(m.equity, 43);
    expectDecimal(m.maintenanceMargin, 43);
    expectDecimal(m.marginRatio, 1);
  });

  it('marginRatio exceeds 1 between the liquidation and bankruptcy prices (9,180: 45.9 / 26)', () => {
    const m = positionMetrics(long, 9180);
    expectDecimal(m.equity, 26);
    expectDecimal(m.marginRatio, D('45.9').div(26));
    expect(m.marginRatio!.gt(1)).toBe(true);
  });

  it('marginRatio is null when equity is zero (at the bankruptcy price) or negative (beyond it)', () => {
    const atBankruptcy = positionMetrics(long, 9154);
    expectDecimal(atBankruptcy.equity, 0);
    expect(atBankruptcy.marginRatio).toBeNull();
    const beyond = positionMetrics(long, 9100);
    expectDecimal(beyond.equity, -54);
    expect(beyond.marginRatio).toBeNull();
    expect(positionMetrics(short, 10800).marginRatio).toBeNull(); // equity 793 − 800 = −7
  });

  it('distanceToLiquidation is positive before, zero at and negative past the liquidation price (long)', () => {
    expectDecimal(positionMetrics(long, 9300).distanceToLiquidation, D(100).div(9300)); // (9,300 − 9,200) / 9,300
    expectDecimal(positionMetrics(long, 9200).distanceToLiquidation, 0);
    expectDecimal(positionMetrics(long, 9100).distanceToLiquidation, D(-100).div(9100));
  });

  it('distanceToLiquidation is positive before, zero at and negative past the liquidation price (short)', () => {
    expectDecimal(positionMetrics(short, 10000).distanceToLiquidation, '0.075'); // (10,750 − 10,000) / 10,000
    expectDecimal(positionMetrics(short, 10750).distanceToLiquidation, 0);
    expectDecimal(positionMetrics(short, 11000).distanceToLiquidation, D(-250).div(11000));
  });

  it('isLiquidatable is false before, and true at and beyond, the liquidation price (long and short)', () => {
    expect(positionMetrics(long, 9201).isLiquidatable).toBe(false);
    expect(positionMetrics(long, '9200.000000001').isLiquidatable).toBe(false);
    expect(positionMetrics(long, 9200).isLiquidatable).toBe(true);
    expect(positionMetrics(long, 9180).isLiquidatable).toBe(true);
    expect(positionMetrics(long, 5000).isLiquidatable).toBe(true);
    expect(positionMetrics(short, 10749).isLiquidatable).toBe(false);
    expect(positionMetrics(short, 10750).isLiquidatable).toBe(true);
    expect(positionMetrics(short, 20000).isLiquidatable).toBe(true);
  });

  it('isLiquidatable is true at a liquidation price that does not terminate (10× linear long at 50,000, MMR 0.4 %)', () => {
    // LP = 45,000 / 0.996 = 45,180.722891566265…; at that mark equity and MM agree to ~1e-36, and the reader
    // must see the position as liquidatable there, with distanceToLiquidation = 0. (Before the fix, equity
    // came out 2e-36 above MM and isLiquidatable was false at the engine's own liquidation price.)
    const position = openPosition({ contract: 'linear', side: 'long', entryPrice: 50000, leverage: 10, margin: 5000, maintenanceMarginRate: '0.004' });
    const lp = liquidationPrice(position)!;
    const at = positionMetrics(position, lp);
    expect(at.isLiquidatable).toBe(true);
    expectDecimal(at.distanceToLiquidation, 0);
    expect(at.marginRatio!.sub(1).abs().lt('1e-30')).toBe(true);
    const ulp = D('1e-35'); // the 40th significant digit of 45,180.72…
    expect(positionMetrics(position, lp.add(ulp)).isLiquidatable).toBe(false);
    expect(positionMetrics(position, lp.sub(ulp)).isLiquidatable).toBe(true);
  });

  it('isLiquidatable is true at a non-terminating liquidation price for an inverse long (10× at 40,000)', () => {
    // LP = 100,000 × 1.005 / 2.75 = 36,545.4545…; equity came out 4.1e-40 BTC above MM there before the fix.
    const position = normalizePosition({ contract: 'inverse', side: 'long', entryPrice: 40000, quantity: 1000, margin: '0.25', maintenanceMarginRate: '0.005' });
    const lp = liquidationPrice(position)!;
    expect(positionMetrics(position, lp).isLiquidatable).toBe(true);
    expect(positionMetrics(position, lp.add('1e-35')).isLiquidatable).toBe(false);
  });

  it('accepts a Position from normalizePosition or openPosition as well as a PositionInput, with identical results', () => {
    const input = { contract: 'linear', side: 'long', entryPrice: 10000, quantity: 1, margin: 846, maintenanceMarginRate: '0.005' } as const;
    expect(snapshot(positionMetrics(input, 9500))).toEqual(snapshot(positionMetrics(normalizePosition(input), 9500)));
  });
});

describe('liquidationLoss', () => {
  const long = { contract: 'linear', side: 'long', entryPrice: 10000, quantity: 1, margin: 846, maintenanceMarginRate: '0.005' } as const;

  it('liquidationLoss(linear long): equity at liquidation is the MM there (46), the price move cost 800, the trader keeps 0 of 846', () => {
    const loss = liquidationLoss(long)!;
    expectDecimal(loss.liquidationPrice, 9200);
    expectDecimal(loss.equityAtLiquidation, 46); // 9,200 × 0.005
    expectDecimal(loss.tradingLoss, 800); // 10,000 − 9,200
    expectDecimal(loss.marginLost, 846);
    expectDecimal(loss.traderKeeps, 0);
  });

  it('tradingLoss + equityAtLiquidation = margin, for every contract and side', () => {
    for (const contract of ['linear', 'inverse'] as const) {
      for (const side of ['long', 'short'] as const) {
        const position = openPosition({ contract, side, entryPrice: '43210.5', leverage: 20, margin: 3, maintenanceMarginRate: '0.005' });
        const loss = liquidationLoss(position)!;
        expect(loss.tradingLoss.add(loss.equityAtLiquidation).eq(position.margin), `${contract} ${side}`).toBe(true);
        expectDecimal(loss.marginLost, position.margin);
        expectDecimal(loss.traderKeeps, 0);
        const m = positionMetrics(position, loss.liquidationPrice);
        expect(loss.equityAtLiquidation.eq(m.equity)).toBe(true);
      }
    }
  });

  it('liquidationLoss is null when the position cannot be liquidated (1× linear long)', () => {
    expect(liquidationLoss({ ...long, margin: 10000 })).toBeNull();
  });
});

describe('priceMoveToLiquidation', () => {
  it('priceMoveToLiquidation(10× linear long, MMR 0.4 %) = −(1 − (1 − 0.1)/(1 − 0.004)) exactly = −9.6385…%', () => {
    // LP = EP·(1 − 1/L)/(1 − MMR) ⇒ LP/EP − 1 = 0.9/0.996 − 1 = −0.0963855421686746987951807228915662650602…
    const expected = D(1).sub(D(1).sub('0.1').div(D(1).sub('0.004'))).neg();
    const byMargin = openPosition({ contract: 'linear', side: 'long', entryPrice: 50000, leverage: 10, margin: 5000, maintenanceMarginRate: '0.004' });
    const bySize = openPosition({ contract: 'linear', side: 'long', entryPrice: 50000, leverage: 10, quantity: 1, maintenanceMarginRate: '0.004' });
    expect(priceMoveToLiquidation(byMargin)!.toString()).toBe(expected.toString());
    expect(priceMoveToLiquidation(bySize)!.toString()).toBe(expected.toString());
    expect(expected.toString()).toBe('-0.0963855421686746987951807228915662650602');
  });

  it('priceMoveToLiquidation(10× linear short, MMR 0.4 %) = (1 + 0.1)/(1 + 0.004) − 1 = +9.5617…% (to the 40th digit)', () => {
    // 55,000 / 1.004 = 54,780.876…; (54,780.876… − 50,000) / 50,000 = 0.0956175298804780876494…
    // The engine rounds LP (5 integer digits) before subtracting, so it keeps one digit more than
    // 1.1/1.004 − 1 taken in Decimal; the two agree within one unit of the 40th significant digit of 1.0956….
    const expected = D('1.1').div('1.004').sub(1);
    const position = openPosition({ contract: 'linear', side: 'short', entryPrice: 50000, leverage: 10, quantity: 1, maintenanceMarginRate: '0.004' });
    expect(priceMoveToLiquidation(position)!.sub(expected).abs().lte('1e-39')).toBe(true);
    expect(priceMoveToLiquidation(position)!.toFixed(30)).toBe(expected.toFixed(30));
    expect(priceMoveToLiquidation(position)!.gt(0)).toBe(true);
  });

  it('priceMoveToLiquidation is independent of entry and size for a given leverage and MMR (linear, to 1e-38)', () => {
    const a = openPosition({ contract: 'linear', side: 'long', entryPrice: 200, leverage: 10, quantity: 7, maintenanceMarginRate: '0.004' });
    const b = openPosition({ contract: 'linear', side: 'long', entryPrice: 50000, leverage: 10, quantity: 1, maintenanceMarginRate: '0.004' });
    // Equal in exact arithmetic; the rounded LPs (3 vs 5 integer digits) differ in the last place only.
    expect(priceMoveToLiquidation(a)!.sub(priceMoveToLiquidation(b)!).abs().lte('1e-38')).toBe(true);
    expect(priceMoveToLiquidation(a)!.toFixed(35)).toBe(priceMoveToLiquidation(b)!.toFixed(35));
  });
});

describe('model limits (documented behaviour of the single-bracket model, not bugs)', () => {
  it('with a maintenance amount, a ~1.1× long reaches bankruptcy before liquidation: MM = N·MMR − cum is negative there', () => {
    // 1 BTC at 10,000, margin 9,100, MMR 0.5 %, cum 5 (= N·MMR/10 at entry).
    // BP = 10,000 − 9,100 = 900, where MM = 900 × 0.005 − 5 = −0.5 < 0 = equity: not yet liquidatable.
    // LP = (10,000 − 9,100 − 5) / 0.995 = 895 / 0.995 = 899.497…, below BP. A venue would use the bracket of the
    // notional at the liquidation price (900 USDT: bracket 1, cum 0), which callers must pick themselves.
    const position = normalizePosition({ contract: 'linear', side: 'long', entryPrice: 10000, quantity: 1, margin: 9100, maintenanceMarginRate: '0.005', maintenanceAmount: '5' });
    expectDecimal(bankruptcyPrice(position), 900);
    const lp = liquidationPrice(position)!;
    expect(lp.toFixed(6)).toBe('899.497487');
    expect(lp.lt(900)).toBe(true);
    const between = positionMetrics(position, '899.8');
    expect(between.equity.isNeg()).toBe(true); // −0.2
    expect(between.maintenanceMargin.toFixed(3)).toBe('-0.501');
    expect(between.isLiquidatable).toBe(false);
    expect(between.marginRatio).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------------------
// Input validation
// ---------------------------------------------------------------------------------------------------------

describe('EngineInputError', () => {
  const valid = {
    contract: 'linear',
    side: 'long',
    entryPrice: '50000',
    quantity: '1',
    margin: '5000',
    maintenanceMarginRate: '0.004',
  } as const satisfies PositionInput;

  const cases: Array<[string, string, () => unknown]> = [
    ['a negative quantity', 'quantity', () => normalizePosition({ ...valid, quantity: '-1' })],
    ['a zero quantity', 'quantity', () => normalizePosition({ ...valid, quantity: 0 })],
    ['a zero entry price', 'entryPrice', () => normalizePosition({ ...valid, entryPrice: 0 })],
    ['a negative entry price', 'entryPrice', () => liquidationPrice({ ...valid, entryPrice: '-50000' })],
    ['a zero margin', 'margin', () => bankruptcyPrice({ ...valid, margin: '0' })],
    ['a zero mark price', 'markPrice', () => positionMetrics(valid, 0)],
    ['a negative mark price', 'markPrice', () => positionMetrics(valid, '-1')],
    ['"abc" as the entry price', 'entryPrice', () => normalizePosition({ ...valid, entryPrice: 'abc' })],
    ['"NaN" as the quantity', 'quantity', () => normalizePosition({ ...valid, quantity: 'NaN' })],
    ['"Infinity" as the margin', 'margin', () => normalizePosition({ ...valid, margin: 'Infinity' })],
    ['"0x10" (hexadecimal) as the entry price', 'entryPrice', () => normalizePosition({ ...valid, entryPrice: '0x10' })],
    ['"0b101" (binary) as the quantity', 'quantity', () => normalizePosition({ ...valid, quantity: '0b101' })],
    ['an empty string as the mark price', 'markPrice', () => positionMetrics(valid, '')],
    ['"abc" as the mark price', 'markPrice', () => positionMetrics(valid, 'abc')],
    ['NaN (number) as the entry price', 'entryPrice', () => normalizePosition({ ...valid, entryPrice: Number.NaN })],
    ['Infinity (number) as the quantity', 'quantity', () => normalizePosition({ ...valid, quantity: Number.POSITIVE_INFINITY })],
    ['-Infinity (number) as the mark price', 'markPrice', () => positionMetrics(valid, Number.NEGATIVE_INFINITY)],
    ['a NaN Decimal as the margin', 'margin', () => normalizePosition({ ...valid, margin: new Decimal(Number.NaN) })],
    ['an infinite decimal.js (global) Decimal as the entry price', 'entryPrice', () => normalizePosition({ ...valid, entryPrice: new DecimalJs(Infinity) })],
    ['an unknown side ("buy")', 'side', () => normalizePosition({ ...valid, side: 'buy' as never })],
    ['an unknown contract ("perpetual")', 'contract', () => normalizePosition({ ...valid, contract: 'perpetual' as never })],
    ['an unknown contract in openPosition', 'contract', () => openPosition({ contract: 'quanto' as never, side: 'long', entryPrice: 1, leverage: 1, quantity: 1, maintenanceMarginRate: 0 })],
    ['an unknown side in openPosition', 'side', () => openPosition({ contract: 'linear', side: 'flat' as never, entryPrice: 1, leverage: 1, quantity: 1, maintenanceMarginRate: 0 })],
    ['a missing entry price', 'entryPrice', () => normalizePosition({ ...valid, entryPrice: undefined as never })],
    ['a null position', 'position', () => normalizePosition(null as never)],
    ['maintenanceMarginRate = 1', 'maintenanceMarginRate', () => normalizePosition({ ...valid, maintenanceMarginRate: 1 })],
    ['maintenanceMarginRate = 1.5', 'maintenanceMarginRate', () => normalizePosition({ ...valid, maintenanceMarginRate: '1.5' })],
    ['a negative maintenanceMarginRate', 'maintenanceMarginRate', () => normalizePosition({ ...valid, maintenanceMarginRate: '-0.004' })],
    ['a negative maintenanceAmount', 'maintenanceAmount', () => normalizePosition({ ...valid, maintenanceAmount: '-1' })],
    ['a zero contractSize', 'contractSize', () => normalizePosition({ ...valid, contractSize: 0 })],
    ['a zero leverage', 'leverage', () => normalizePosition({ ...valid, leverage: 0 })],
    ['openPosition at 300× with MMR 0.4 % (margin 1/300 of notional ≤ MM 1/250 of it)', 'leverage', () => openPosition({ contract: 'linear', side: 'long', entryPrice: 50000, leverage: 300, quantity: 1, maintenanceMarginRate: '0.004' })],
    ['openPosition at exactly 1/MMR = 250× (margin = MM at entry)', 'leverage', () => openPosition({ contract: 'inverse', side: 'short', entryPrice: 50000, leverage: 250, margin: 1, maintenanceMarginRate: '0.004' })],
    ['a position with leverage whose margin does not exceed MM at entry', 'leverage', () => normalizePosition({ ...valid, margin: 200, leverage: 250 })],
    ['a position without leverage whose margin does not exceed MM at entry', 'margin', () => normalizePosition({ ...valid, margin: 200 })],
    ['a margin below notional ÷ leverage (4,999 < 50,000 / 10)', 'margin', () => normalizePosition({ ...valid, margin: 4999, leverage: 10 })],
    ['openPosition below 1× leverage', 'leverage', () => openPosition({ contract: 'linear', side: 'long', entryPrice: 1, leverage: '0.5', quantity: 1, maintenanceMarginRate: 0 })],
    ['openPosition with neither margin nor quantity', 'margin', () => openPosition({ contract: 'linear', side: 'long', entryPrice: 1, leverage: 2, maintenanceMarginRate: 0 })],
    ['openPosition with a negative quantity', 'quantity', () => openPosition({ contract: 'linear', side: 'long', entryPrice: 1, leverage: 2, quantity: -1, maintenanceMarginRate: 0 })],
    ['openPosition with a zero entry price', 'entryPrice', () => openPosition({ contract: 'linear', side: 'long', entryPrice: 0, leverage: 2, quantity: 1, maintenanceMarginRate: 0 })],
    ['openPosition with maintenanceMarginRate ≥ 1', 'maintenanceMarginRate', () => openPosition({ contract: 'linear', side: 'long', entryPrice: 1, leverage: 2, quantity: 1, maintenanceMarginRate: 1 })],
  ];

  it.each(cases)('rejects %s with err.field = %s', (_label, field, fn) => {
    const error = engineError(fn);
    expect(error.name).toBe('EngineInputError');
    expect(error.field).toBe(field);
    expect(error.rule.length).toBeGreaterThan(0);
    expect(error.message).toBe(`${field}: ${error.rule}`);
  });

  it('the leverage error names the ceiling: at MMR 0.4 % leverage must stay below 250×', () => {
    const error = engineError(() =>
      openPosition({ contract: 'linear', side: 'long', entryPrice: 50000, leverage: 300, quantity: 1, maintenanceMarginRate: '0.004' }),
    );
    expect(error.rule).toContain('250');
  });

  it('accepts plain decimal literals with surrounding spaces, underscores and exponents', () => {
    const p = normalizePosition({ ...valid, entryPrice: ' 50_000 ', quantity: '1e0', margin: '5.0e3' });
    expectDecimal(p.entryPrice, 50000);
    expectDecimal(p.quantity, 1);
    expectDecimal(p.margin, 5000);
  });

  // A literal whose exponent overflows decimal.js's maxE (9e15) would become Infinity after the regex check.
  it('an overflowing exponent string ("1e9999999999999999") is rejected, not read as Infinity', () => {
    const error = engineError(() => normalizePosition({ ...valid, entryPrice: '1e9999999999999999' }));
    expect(error.field).toBe('entryPrice');
  });
});

// ---------------------------------------------------------------------------------------------------------
// Determinism
// ---------------------------------------------------------------------------------------------------------

describe('determinism', () => {
  const inputs: PositionInput[] = [
    { contract: 'linear', side: 'long', entryPrice: '45000.5', quantity: '0.3', margin: '1234.56', maintenanceMarginRate: '0.004' },
    { contract: 'linear', side: 'short', entryPrice: '45000.5', quantity: '0.3', margin: '1234.56', maintenanceMarginRate: '0.005', maintenanceAmount: '5', leverage: '20' },
    { contract: 'inverse', side: 'long', entryPrice: '45000.5', quantity: '300', margin: '0.0123', maintenanceMarginRate: '0.004' },
    { contract: 'inverse', side: 'short', entryPrice: '45000.5', quantity: '300', margin: '0.0123', maintenanceMarginRate: '0.005', maintenanceAmount: '0.0001', contractSize: '10' },
  ];
  const marks = ['45000.5', '41234.56', '50000'];

  function everything(input: PositionInput): string[] {
    const out = marks.map((mark) => JSON.stringify(snapshot(positionMetrics(input, mark))));
    out.push(String(liquidationPrice(input)), String(bankruptcyPrice(input)), String(priceMoveToLiquidation(input)));
    const loss = liquidationLoss(input);
    out.push(loss === null ? 'null' : JSON.stringify(Object.fromEntries(Object.entries(loss).map(([k, v]) => [k, String(v)]))));
    return out;
  }

  it('the same input twice gives identical .toString() for every output', () => {
    for (const input of inputs) expect(everything({ ...input })).toEqual(everything({ ...input }));
  });

  it('a position given with numbers, strings, engine Decimals or decimal.js Decimals gives identical results', () => {
    for (const input of inputs) {
      const numeric = ['entryPrice', 'quantity', 'margin', 'maintenanceMarginRate', 'maintenanceAmount', 'contractSize', 'leverage'] as const;
      const as = (convert: (s: string) => unknown) =>
        Object.fromEntries(
          Object.entries(input).map(([k, v]) => [k, (numeric as readonly string[]).includes(k) ? convert(v as string) : v]),
        ) as unknown as PositionInput;
      const reference = everything(input);
      expect(everything(as(Number))).toEqual(reference);
      expect(everything(as((s) => new Decimal(s)))).toEqual(reference);
      expect(everything(as((s) => new DecimalJs(s)))).toEqual(reference);
    }
  });

  it('changing the global decimal.js settings does not change any result (the engine uses a private clone)', () => {
    const reference = inputs.map(everything);
    const saved = { precision: DecimalJs.precision, rounding: DecimalJs.rounding };
    try {
      DecimalJs.set({ precision: 5, rounding: DecimalJs.ROUND_UP });
      expect(inputs.map(everything)).toEqual(reference);
    } finally {
      DecimalJs.set(saved);
    }
  });

  it('the mark price may be given as a number, string or Decimal with identical results', () => {
    const input = inputs[2]!;
    const reference = JSON.stringify(snapshot(positionMetrics(input, '41234.56')));
    expect(JSON.stringify(snapshot(positionMetrics(input, 41234.56)))).toBe(reference);
    expect(JSON.stringify(snapshot(positionMetrics(input, new Decimal('41234.56'))))).toBe(reference);
  });
});
