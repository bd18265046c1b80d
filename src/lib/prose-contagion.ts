/**
 * Numbers for the lessons on cross-protocol contagion (15) and on centralized and decentralized margin engines
 * compared (16), computed at build time through the contagion network's own model, so a figure quoted in the text
 * is the widget's first figure (or the widget in the state the text links to). Functions return formatted text.
 *
 * The scenario is the engine's standard one (src/engine/contagion.ts): WETH at 3,000 USDC, three protocols of
 * 10,000 borrowers, a shared WETH/USDC pool, a shared pool oracle, and A's receipt token as C's collateral.
 */
import {
  CONTAGION_ASSUMPTIONS,
  CONTAGION_IDS,
  CONTAGION_PRESET,
  CONTAGION_PRICE,
  Decimal,
  ONCHAIN_DEFAULTS,
  protocolPreset,
} from '../engine';
import { formatDecimal, formatPercent, trimZeros } from './format';
import {
  ALL_LINKS,
  NO_LINKS,
  amount,
  buildPopulations,
  linksLabel,
  networkView,
  runNetwork,
  shockedPrice,
  usdc,
  type LinkKnobs,
  type NetworkView,
  type Populations,
  type ProtocolId,
} from '../widgets/contagion-network/model';
import { readContagionState, writeContagionState, type ContagionState } from '../widgets/contagion-network/state';
import { simulatorReading } from './prose-cascade';

const D = (x: string | number | Decimal) => new Decimal(x);
const count = (n: number) => n.toLocaleString('en-US');
/** "9.3 %" with as few decimals as it needs (up to `decimals`). */
const pct = (fraction: Decimal, decimals = 1): string => formatPercent(fraction, decimals).replace(/\.0+(?=\u202f%)/, '');

const populationCache = new Map<string, Populations>();
function populationsFor(state: ContagionState): Populations {
  const key = `${state.n}|${state.seed}`;
  let pops = populationCache.get(key);
  if (!pops) {
    pops = buildPopulations(state);
    populationCache.set(key, pops);
  }
  return pops;
}

/** A state from overrides, refusing any the widget would clamp: a lesson quotes exactly the state it links to. */
export function lessonState(overrides: Partial<ContagionState> = {}): ContagionState {
  const { state, notes } = readContagionState(new URLSearchParams(overrides as Record<string, string>));
  if (notes.length > 0) throw new Error(`contagion lesson state: ${notes.join(' ')}`);
  return state;
}

function run(state: ContagionState, links: LinkKnobs): NetworkView {
  const pops = populationsFor(state);
  return networkView(pops, runNetwork(pops, state, links), state.shock);
}

function protocolFacts(view: NetworkView, id: ProtocolId) {
  const o = view.outcomes[id];
  return {
    liquidations: o.liquidations === null ? '0' : count(o.liquidations),
    liquidationCount: o.liquidations ?? 0,
    accounts: o.accounts === null ? '0' : count(o.accounts),
    badDebt: amount(o.badDebt ?? D(0)),
    badDebtValue: o.badDebt ?? D(0),
    hidden: amount(o.hiddenLoss ?? D(0)),
    hiddenValue: o.hiddenLoss ?? D(0),
    firstBlock: o.firstRoundHit === null ? null : String(o.firstRoundHit),
  };
}

/** Everything the lesson says about one run of the network. */
export function contagionReading(overrides: Partial<ContagionState> = {}) {
  const state = lessonState(overrides);
  const links: LinkKnobs = { pool: state.pool, oracle: state.oracle, receipt: state.receipt };
  const view = run(state, links);
  const pops = populationsFor(state);
  const result = view.run.result;
  const bFirst = result.protocols.find((p) => p.id === 'B')?.firstRoundHit ?? null;
  const bOracle = bFirst === null ? null : result.rounds[bFirst]!.protocols.find((p) => p.id === 'B')!.oraclePrice;
  const poolLow = result.extremePoolPrices[CONTAGION_IDS.sharedPool]!;
  const reference = shockedPrice(state.shock);
  const receipt = result.rounds.at(-1)!.protocols.find((p) => p.id === 'A')!.receiptPrice;
  return {
    state,
    link: `/widgets/contagion-network/?${writeContagionState(state)}`,
    shock: pct(D(state.shock).div(100)),
    shockPrice: usdc(reference),
    blocks: count(view.rounds),
    A: protocolFacts(view, 'A'),
    B: protocolFacts(view, 'B'),
    C: protocolFacts(view, 'C'),
    story: view.story,
    /** B's first liquidation price: the outside price the shock alone would have to reach. */
    bFirstPrice: usdc(pops.firstPrice.B),
    bFirstFall: pct(CONTAGION_PRICE.sub(pops.firstPrice.B).div(CONTAGION_PRICE)),
    bOracle: bOracle === null ? null : usdc(bOracle),
    bOracleBelow: bOracle === null ? null : pct(reference.sub(bOracle).div(reference)),
    poolLow: usdc(poolLow),
    poolLowBelow: pct(reference.sub(poolLow).div(reference)),
    receipt: `${formatDecimal(receipt, 4)} USDC`,
    receiptLoss: pct(D(1).sub(receipt), 2),
  };
}

const CUTS: { label: string; links: LinkKnobs }[] = [
  { label: 'All links', links: ALL_LINKS },
  { label: 'B sells into its own pool', links: { ...ALL_LINKS, pool: 'own' } },
  { label: "B's oracle reads the outside price", links: { ...ALL_LINKS, oracle: 'own' } },
  { label: 'B has its own pool and oracle', links: { ...ALL_LINKS, pool: 'own', oracle: 'own' } },
  { label: "C fixes A's receipt at 1 USDC", links: { ...ALL_LINKS, receipt: 'fixed' } },
  { label: 'Every link cut', links: NO_LINKS },
];

/** The same shock through the network with each cut: liquidations and bad debt per protocol. */
export function cutTable(overrides: Partial<ContagionState> = {}) {
  const state = lessonState(overrides);
  return CUTS.map(({ label, links }) => {
    const view = run(state, links);
    const cell = (id: ProtocolId) => {
      const f = protocolFacts(view, id);
      // The caption names the unit; cells stay narrow enough for a phone.
      const short = (v: Decimal) => (v.gte(1_000_000) ? `${formatDecimal(v.div(1_000_000), 2)} million` : formatDecimal(v, 0));
      if (view.outcomes[id].liquidations === null) return { liquidations: '0, price fixed', loss: `${short(f.hiddenValue)} hidden` };
      return { liquidations: f.liquidations, loss: short(f.badDebtValue) };
    };
    return { label, key: linksLabel(links), A: cell('A'), B: cell('B'), C: cell('C') };
  });
}

/** The scenario's fixed terms, for the lesson's description of the network. */
export function scenarioFacts() {
  const state = lessonState();
  const pops = populationsFor(state);
  const preset = protocolPreset(CONTAGION_PRESET);
  const weth = preset.assets.find((a) => a.asset === 'WETH')!;
  const usdcRow = preset.assets.find((a) => a.asset === 'USDC')!;
  const hf = (id: ProtocolId) => CONTAGION_ASSUMPTIONS[id].healthFactor;
  return {
    price: usdc(CONTAGION_PRICE),
    borrowers: count(Number(state.n)),
    depth: `${count(Number(state.depth))} WETH`,
    depthUsdc: `${trimZeros(formatDecimal(D(state.depth).mul(CONTAGION_PRICE).div(1_000_000), 0))} million USDC`,
    poolFee: pct(D(CONTAGION_ASSUMPTIONS.poolFee), 2),
    arbitrage: pct(D(ONCHAIN_DEFAULTS.arbitrage)),
    delay: `${state.delay} block`,
    deviation: `${trimZeros(state.dev)}\u202f%`,
    market: `${preset.protocol} ${preset.market}`,
    wethThreshold: pct(D(weth.liquidationThreshold)),
    wethBonus: pct(D(weth.liquidationBonus)),
    usdcThreshold: pct(D(usdcRow.liquidationThreshold)),
    usdcBonus: pct(D(usdcRow.liquidationBonus)),
    hf: { A: hf('A'), B: hf('B'), C: hf('C') },
    firstPriceA: usdc(pops.firstPrice.A),
    firstPriceB: usdc(pops.firstPrice.B),
    /** C's loans: the fall of A's receipt that reaches C's first borrower, 1 − 1 ÷ HF minimum. */
    cFirstFall: pct(D(1).sub(D(1).div(hf('C').minimum)), 2),
  };
}

/**
 * The two engines side by side for lesson 16: the cascade simulator's 8 % fall (the insurance fund and ADL run that
 * the insurance-fund lesson opens with) and the contagion network's default fall (on-chain liquidations, bonus, bad
 * debt booked against lenders, a receipt marked down).
 */
export function enginesCompared() {
  const cefi = simulatorReading({ move: '-8' });
  const defi = contagionReading();
  const slow = contagionReading({ delay: '5' });
  const view = run(defi.state, ALL_LINKS);
  const a = view.run.result.protocols.find((p) => p.id === 'A')!;
  return {
    cefi,
    defi,
    slow,
    /** A's debt repaid by liquidators, USDC. */
    repaid: amount(a.debtRepaid),
  };
}
