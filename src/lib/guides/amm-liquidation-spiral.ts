/**
 * Figures and links for the AMM liquidation spiral's teacher guide (content/guides/amm-liquidation-spiral.mdx),
 * computed at build time through the widget's own model (spiralReading in prose-onchain runs buildBorrowers,
 * runSpiral and spiralView, and links with writeSpiralState), so every number is the widget's in the linked state.
 *
 * The activity changes one thing at a time from the widget's default market (WETH at 3,000 USDC, a pool of 20,000
 * WETH, 2,000 borrowers, an oracle one block behind the pool): what the oracle reads, one more percent of shock, the
 * pool's depth, and a sale into the pool instead of an outside move.
 */
import { Decimal } from '../../engine';
import { formatDecimal } from '../format';
import { HEALTH_FACTORS, REFERENCE, shockedReference } from '../../widgets/amm-liquidation-spiral/model';
import { spiralReading } from '../prose-onchain';

/** The states the activity visits, as overrides of the widget's default. */
export const SPIRAL_GUIDE_STATES = {
  /** The default shock with an oracle that reads the outside market: the shock alone. */
  outside: { oracle: 'ref' },
  /** The widget's default: the oracle reads the pool, one block late. */
  loop: {},
  /** One percent more shock, same market. */
  edge: { move: '-13' },
  /** The same shock into a pool twice as deep. */
  deep: { move: '-13', pool: '40000' },
  /** A sale into the pool, the outside price unchanged; read by the pool's oracle and by the outside one. */
  sell: { kind: 'sell', sell: '2000' },
  sellOutside: { kind: 'sell', sell: '2000', oracle: 'ref' },
  /** The default with an oracle that reads the pool in the same block. */
  fast: { delay: '0' },
  /** Going further: the same 13 % over five blocks. */
  slow: { move: '-13', over: '5' },
} as const;

export function spiralGuide() {
  const outside = spiralReading(SPIRAL_GUIDE_STATES.outside);
  const loop = spiralReading(SPIRAL_GUIDE_STATES.loop);
  const edge = spiralReading(SPIRAL_GUIDE_STATES.edge);
  const deep = spiralReading(SPIRAL_GUIDE_STATES.deep);
  const sell = spiralReading(SPIRAL_GUIDE_STATES.sell);
  const sellOutside = spiralReading(SPIRAL_GUIDE_STATES.sellOutside);
  const slow = spiralReading(SPIRAL_GUIDE_STATES.slow);
  const fast = spiralReading(SPIRAL_GUIDE_STATES.fast);

  // A loan at health factor h is liquidatable after a fall of 1 − 1/h: a fall of m reaches every loan below 1/(1 − m).
  const fall = new Decimal(loop.state.move).neg().div(100);
  const reachesBelow = new Decimal(1).div(new Decimal(1).sub(fall));
  const outsideCount = outside.view.steps[outside.view.blocks]!.accounts;
  const loopCount = loop.view.steps[loop.view.blocks]!.accounts;

  return {
    market: {
      borrowers: loop.borrowers,
      pool: loop.pool,
      poolUsdc: loop.poolUsdc,
      price: `${formatDecimal(REFERENCE, 0)}\u00a0USDC`,
      minimumHf: HEALTH_FACTORS.minimum,
      medianHf: HEALTH_FACTORS.median,
      delay: loop.state.delay,
      delayText: `${loop.state.delay}\u00a0${loop.state.delay === '1' ? 'block' : 'blocks'}`,
    },
    outside: {
      link: outside.link,
      shock: outside.shock,
      target: outside.target,
      liquidated: outside.liquidated,
      liquidatedShare: outside.liquidatedShare,
      answer: String(outsideCount),
      /** The health factor below which the shock alone reaches a loan: 1/(1 − fall). */
      reachesBelow: formatDecimal(reachesBelow, 3),
      lowest: outside.lowest,
      lowestFall: outside.lowestFall,
      final: outside.final,
      values: { count: outsideCount, reachesBelow, target: shockedReference(outside.state.move), lowest: outside.view.lowest.price },
    },
    loop: {
      link: loop.link,
      shock: loop.shock,
      answer: loop.lowestFallAnswer,
      lowest: loop.lowest,
      lowestFall: loop.lowestFall,
      lowestBlock: loop.lowestBlock,
      liquidated: loop.liquidated,
      liquidatedShare: loop.liquidatedShare,
      extra: formatDecimal(new Decimal(loopCount - outsideCount), 0),
      sold: loop.sold,
      soldShare: loop.soldShare,
      repaid: loop.repaid,
      final: loop.final,
      values: { count: loopCount, lowestFall: loop.lowestFallValue },
    },
    edge: {
      link: edge.link,
      shock: edge.shock,
      /** How much larger the shock is than the default's, in percentage points. */
      step: `${formatDecimal(new Decimal(loop.state.move).sub(edge.state.move), 1).replace(/\.0$/, '')}\u00a0percentage point${new Decimal(loop.state.move).sub(edge.state.move).eq(1) ? '' : 's'}`,
      answer: edge.lowestFallAnswer,
      lowest: edge.lowest,
      lowestFall: edge.lowestFall,
      lowestBlock: edge.lowestBlock,
      liquidated: edge.liquidated,
      liquidatedShare: edge.liquidatedShare,
      sold: edge.sold,
      soldShare: edge.soldShare,
      badDebt: edge.badDebt,
      final: edge.final,
      /** How many times the default's deepest fall. */
      ratio: `${formatDecimal(edge.lowestFallValue.div(loop.lowestFallValue), 1)}×`,
      values: { lowestFall: edge.lowestFallValue, badDebt: edge.badDebtValue, count: edge.view.steps[edge.view.blocks]!.accounts },
    },
    deep: {
      link: deep.link,
      pool: deep.pool,
      lowest: deep.lowest,
      lowestFall: deep.lowestFall,
      liquidated: deep.liquidated,
      soldShare: deep.soldShare,
      badDebt: deep.badDebt,
      values: { lowestFall: deep.lowestFallValue, badDebt: deep.badDebtValue },
    },
    sell: {
      link: sell.link,
      linkOutside: sellOutside.link,
      size: sell.shock,
      afterShock: sell.afterShock,
      afterShockFall: sell.afterShockFall,
      lowest: sell.lowest,
      lowestFall: sell.lowestFall,
      liquidated: sell.liquidated,
      final: sell.final,
      outsideLiquidated: sellOutside.liquidated,
      badDebt: sell.badDebt,
      values: {
        afterShock: sell.view.steps[0]!.pool,
        count: sell.view.steps[sell.view.blocks]!.accounts,
        outsideCount: sellOutside.view.steps[sellOutside.view.blocks]!.accounts,
      },
    },
    fast: {
      link: fast.link,
      lowestFall: fast.lowestFall,
      liquidated: fast.liquidated,
      badDebt: fast.badDebt,
      values: { lowestFall: fast.lowestFallValue, badDebt: fast.badDebtValue },
    },
    slow: {
      link: slow.link,
      over: slow.state.over,
      lowestFall: slow.lowestFall,
      liquidated: slow.liquidated,
      values: { count: slow.view.steps[slow.view.blocks]!.accounts },
    },
  };
}
