/**
 * Figures and links for the contagion network's teacher guide (content/guides/contagion-network.mdx), computed at
 * build time through the widget's own model (contagionReading and scenarioFacts in prose-contagion run
 * buildPopulations, runNetwork and networkView, and link with writeContagionState), so every number is the widget's
 * in the state its link opens. A state the widget would clamp is refused there, not quietly changed.
 *
 * The activity starts from the widget's default (WETH falls 20 %, every link intact) and changes one thing per step:
 * one link cut, a deeper shock with the receipt price fixed, the pool's depth.
 */
import type { ContagionState } from '../../widgets/contagion-network/state';
import { contagionReading, scenarioFacts } from '../prose-contagion';

/** The states the activity visits, as overrides of the widget's default. */
export const CONTAGION_GUIDE_STATES = {
  all: {},
  ownPool: { pool: 'own' },
  ownOracle: { oracle: 'own' },
  fixedReceipt: { receipt: 'fixed' },
  deepMarked: { shock: '45' },
  deepFixed: { shock: '45', receipt: 'fixed' },
  thinPool: { depth: '75000' },
  deepPool: { depth: '300000' },
  slowOracle: { delay: '3' },
  directB: { shock: '25' },
} as const satisfies Record<string, Partial<ContagionState>>;

/** A block the guide's text names: a protocol the step says is hit must be hit, or the text would be wrong. */
function block(value: string | null, what: string): string {
  if (value === null) throw new Error(`contagion guide: ${what} is never hit, but the guide says when it is`);
  return value;
}

export function contagionGuide() {
  const facts = scenarioFacts();
  const all = contagionReading(CONTAGION_GUIDE_STATES.all);
  const ownPool = contagionReading(CONTAGION_GUIDE_STATES.ownPool);
  const ownOracle = contagionReading(CONTAGION_GUIDE_STATES.ownOracle);
  const fixedReceipt = contagionReading(CONTAGION_GUIDE_STATES.fixedReceipt);
  const deepMarked = contagionReading(CONTAGION_GUIDE_STATES.deepMarked);
  const deepFixed = contagionReading(CONTAGION_GUIDE_STATES.deepFixed);
  const thinPool = contagionReading(CONTAGION_GUIDE_STATES.thinPool);
  const deepPool = contagionReading(CONTAGION_GUIDE_STATES.deepPool);
  const slowOracle = contagionReading(CONTAGION_GUIDE_STATES.slowOracle);
  const directB = contagionReading(CONTAGION_GUIDE_STATES.directB);

  return {
    facts: {
      borrowers: facts.borrowers,
      price: facts.price,
      depth: facts.depth,
      hfA: facts.hf.A.minimum,
      hfB: facts.hf.B.minimum,
      hfC: facts.hf.C.minimum,
      cFirstFall: facts.cFirstFall,
      delay: facts.delay,
    },
    all: {
      link: all.link,
      shock: all.shock,
      shockPrice: all.shockPrice,
      aFirst: block(all.A.firstBlock, 'A'),
      bFirst: block(all.B.firstBlock, 'B'),
      cFirst: block(all.C.firstBlock, 'C'),
      aLiquidations: all.A.liquidations,
      aBadDebt: all.A.badDebt,
      story: all.story,
    },
    q1: {
      link: all.link,
      answer: String(all.B.liquidationCount),
      liquidations: all.B.liquidations,
      bFirstPrice: all.bFirstPrice,
      bFirstFall: all.bFirstFall,
      bOracle: block(all.bOracle, "B's oracle"),
      bOracleBelow: block(all.bOracleBelow, "B's oracle"),
      poolLow: all.poolLow,
      poolLowBelow: all.poolLowBelow,
      values: { count: all.B.liquidationCount },
    },
    q2: {
      link: ownPool.link,
      linkOracle: ownOracle.link,
      answer: String(ownPool.B.liquidationCount),
      liquidations: ownPool.B.liquidations,
      oracleLiquidations: ownOracle.B.liquidations,
      values: { count: ownPool.B.liquidationCount, oracleCount: ownOracle.B.liquidationCount },
    },
    q3: {
      link: all.link,
      linkFixed: fixedReceipt.link,
      answer: String(all.C.liquidationCount),
      liquidations: all.C.liquidations,
      receipt: all.receipt,
      receiptLoss: all.receiptLoss,
      fixedLiquidations: fixedReceipt.C.liquidations,
      values: { count: all.C.liquidationCount, fixedCount: fixedReceipt.C.liquidationCount },
    },
    deep: {
      linkMarked: deepMarked.link,
      linkFixed: deepFixed.link,
      shock: deepMarked.shock,
      aBadDebt: deepMarked.A.badDebt,
      receipt: deepMarked.receipt,
      cLiquidations: deepMarked.C.liquidations,
      cBadDebt: deepMarked.C.badDebt,
      hidden: deepFixed.C.hidden,
      values: { hidden: deepFixed.C.hiddenValue, cBadDebt: deepMarked.C.badDebtValue },
    },
    depth: {
      linkThin: thinPool.link,
      linkDeep: deepPool.link,
      thin: `${Number(thinPool.state.depth).toLocaleString('en-US')}\u00a0WETH`,
      deep: `${Number(deepPool.state.depth).toLocaleString('en-US')}\u00a0WETH`,
      thinB: thinPool.B.liquidations,
      thinBBadDebt: thinPool.B.badDebt,
      deepB: deepPool.B.liquidations,
      values: { thinB: thinPool.B.liquidationCount, deepB: deepPool.B.liquidationCount },
    },
    slow: {
      link: slowOracle.link,
      delay: slowOracle.state.delay,
      aFirst: block(slowOracle.A.firstBlock, 'A with a slow oracle'),
      bFirst: block(slowOracle.B.firstBlock, 'B with a slow oracle'),
      cFirst: block(slowOracle.C.firstBlock, 'C with a slow oracle'),
      bLiquidations: slowOracle.B.liquidations,
      values: { bCount: slowOracle.B.liquidationCount },
    },
    direct: {
      link: directB.link,
      shock: directB.shock,
      bFirst: block(directB.B.firstBlock, 'B at 25 %'),
      bLiquidations: directB.B.liquidations,
    },
  };
}
