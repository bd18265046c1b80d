/**
 * From the contagion network's state to what the reader sees. Stages, each recomputed only when its inputs change
 * (the component keeps them apart):
 *   1. populations (contagionPopulations: borrowers per protocol and the seed), the slow part, with each WETH
 *      protocol's first liquidation price (the outside price below which the shock alone reaches it);
 *   2. runs (simulateLendingCascade on contagionNetwork): the reader's network, and the network to compare it with
 *      (every link intact when the reader has cut one; every link cut when the reader has cut none). A shock slider
 *      step is these runs and nothing else;
 *   3. one step of the reader's run (stepView): each protocol's pressure, which links carried it that block, the
 *      sentence and the table up to that block, for the scrubber and playback.
 *
 * Every number the reader reads is a Decimal from the engine (or a sum or ratio of them). Only the fill of a node
 * and the choice of a link's colour are drawn from floats.
 */
import {
  CONTAGION_ASSUMPTIONS,
  CONTAGION_IDS,
  CONTAGION_PRESET,
  CONTAGION_PRICE,
  Decimal,
  EngineInputError,
  contagionNetwork,
  contagionPopulations,
  contagionPressure,
  contagionShock,
  contagionThresholds,
  borrowerTotals,
  firstLiquidationPrice,
  hiddenReceiptLoss,
  protocolPreset,
  ONCHAIN_DEFAULTS,
  simulateLendingCascade,
  type ContagionLinks,
  type ContagionPopulations,
  type HiddenReceiptLoss,
  type OnchainResult,
  type ProtocolPressure,
} from '../../engine';
import { attemptWith, type Attempt } from '../shared/attempt';
import { formatDecimal, formatPercent } from '../../lib/format';
import type { ContagionState } from './state';

export const PROTOCOL_IDS = ['A', 'B', 'C'] as const;
export type ProtocolId = (typeof PROTOCOL_IDS)[number];
export type LinkId = 'pool' | 'oracle' | 'receipt';
export const LINK_IDS: readonly LinkId[] = ['pool', 'oracle', 'receipt'];

/** Most blocks a run may take; the default market settles well before. */
export const MAX_ROUNDS = 200;

const ZERO = new Decimal(0);

// ---------------------------------------------------------------------------------------------------------
// Engine calls, with the engine's refusals turned into words
// ---------------------------------------------------------------------------------------------------------

export type { Attempt };

const FIELD_NAMES: Record<string, string> = {
  borrowersPerProtocol: 'Borrowers per protocol',
  count: 'Borrowers per protocol',
  seed: 'Seed',
  poolDepth: 'Pool depth',
  oracleDelay: 'Oracle delay',
  oracleDeviation: 'Oracle deviation threshold',
  fall: 'Price shock',
};

/** The engine's own refusal, in a sentence for the widget. */
function refusal(error: EngineInputError): string {
  return `The engine cannot run this network. ${FIELD_NAMES[error.field] ?? error.field}: ${error.rule}.`;
}

/** Runs an engine call; an EngineInputError becomes the reader's message, anything else is a bug and throws. */
export function attempt<T>(run: () => T): Attempt<T> {
  return attemptWith(run, refusal);
}

export interface Populations {
  pops: ContagionPopulations;
  /** The outside WETH price at or below which the shock alone makes one of A's (B's) borrowers liquidatable. */
  firstPrice: { A: Decimal; B: Decimal };
  /** C's debt before the shock: what a fixed receipt price leaves under water is a share of it. */
  cDebt: Decimal;
  /** C's hidden loss as a function of A's real receipt price (for a fixed receipt price). */
  receiptLoss: (price: Decimal) => HiddenReceiptLoss;
}

export function buildPopulations(k: Pick<ContagionState, 'n' | 'seed'>): Populations {
  const pops = contagionPopulations({ borrowersPerProtocol: Number(k.n), seed: Number(k.seed) });
  const lt = contagionThresholds();
  return {
    pops,
    firstPrice: { A: firstLiquidationPrice(pops.A, lt.A), B: firstLiquidationPrice(pops.B, lt.B) },
    cDebt: borrowerTotals(pops.C).debt,
    receiptLoss: hiddenReceiptLoss(pops.C),
  };
}

export type NetworkKnobs = Pick<ContagionState, 'shock' | 'delay' | 'dev' | 'depth' | 'n' | 'seed'>;
export type LinkKnobs = Pick<ContagionState, 'pool' | 'oracle' | 'receipt'>;

export function linksOf(k: LinkKnobs): Required<ContagionLinks> {
  return { sharedPool: k.pool === 'shared', sharedOracle: k.oracle === 'shared', receiptMarked: k.receipt === 'marked' };
}

export const ALL_LINKS: LinkKnobs = { pool: 'shared', oracle: 'shared', receipt: 'marked' };
export const NO_LINKS: LinkKnobs = { pool: 'own', oracle: 'own', receipt: 'fixed' };

export function cutCount(k: LinkKnobs): number {
  return (k.pool === 'own' ? 1 : 0) + (k.oracle === 'own' ? 1 : 0) + (k.receipt === 'fixed' ? 1 : 0);
}

/** The reader's links and the network it is compared with. */
export function counterpart(k: LinkKnobs): LinkKnobs {
  return cutCount(k) === 0 ? NO_LINKS : ALL_LINKS;
}

/** The outside price after the shock. */
export function shockedPrice(shock: string): Decimal {
  return contagionShock(new Decimal(shock).div(100)).referencePrice;
}

export interface Run {
  links: LinkKnobs;
  result: OnchainResult;
  pressure: ProtocolPressure[][];
  /** With a fixed receipt price: C's hidden loss at A's receipt price after each round (C is not in the engine's run). */
  hidden: HiddenReceiptLoss[] | null;
}

export function runNetwork(populations: Populations, k: NetworkKnobs, links: LinkKnobs): Run {
  const system = contagionNetwork(
    {
      borrowersPerProtocol: Number(k.n),
      seed: Number(k.seed),
      links: linksOf(links),
      poolDepth: k.depth,
      oracleDelay: Number(k.delay),
      oracleDeviation: new Decimal(k.dev).div(100),
    },
    populations.pops,
  );
  const result = simulateLendingCascade(system, contagionShock(new Decimal(k.shock).div(100)), { maxRounds: MAX_ROUNDS });
  let hidden: HiddenReceiptLoss[] | null = null;
  if (links.receipt === 'fixed') {
    // C's loans do not change (a fixed price never liquidates), so its gap depends only on A's receipt price.
    const cache = new Map<string, HiddenReceiptLoss>();
    hidden = result.rounds.map((round) => {
      const a = round.protocols.find((p) => p.id === 'A')!;
      const key = a.receiptPrice.toString();
      let loss = cache.get(key);
      if (!loss) {
        loss = populations.receiptLoss(a.receiptPrice);
        cache.set(key, loss);
      }
      return loss;
    });
  }
  return { links, result, pressure: contagionPressure(result), hidden };
}

// ---------------------------------------------------------------------------------------------------------
// Words and numbers
// ---------------------------------------------------------------------------------------------------------

export const usdc = (value: Decimal) => `${formatDecimal(value, 0)} USDC`;
export const count = (value: number) => value.toLocaleString('en-US');
/** Large amounts for sentences: "3.65 million USDC"; below a million, to the unit. */
export function amount(value: Decimal): string {
  return value.abs().gte(1_000_000) ? `${formatDecimal(value.div(1_000_000), 2)} million USDC` : usdc(value);
}
const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

export const PROTOCOL_NAMES: Record<ProtocolId, string> = { A: CONTAGION_ASSUMPTIONS.A.name, B: CONTAGION_ASSUMPTIONS.B.name, C: CONTAGION_ASSUMPTIONS.C.name };
/** Short labels for the diagram (on: the link as it is; off: what replaced it once cut). */
export const LINK_NAMES: Record<LinkId, { on: string; off: string }> = {
  pool: { on: 'Shared pool', off: 'B: own pool' },
  oracle: { on: 'Shared oracle', off: 'B: own oracle' },
  receipt: { on: "A's receipt", off: 'Receipt fixed at 1' },
};

export function isCut(links: LinkKnobs, id: LinkId): boolean {
  return id === 'pool' ? links.pool === 'own' : id === 'oracle' ? links.oracle === 'own' : links.receipt === 'fixed';
}

/** Short description of a network's links, for column heads: "All links", "Oracle cut", "Pool and oracle cut". */
export function linksLabel(links: LinkKnobs): string {
  const cut = LINK_IDS.filter((id) => isCut(links, id));
  if (cut.length === 0) return 'All links';
  if (cut.length === 3) return 'Every link cut';
  const names = cut.map((id) => (id === 'pool' ? 'pool' : id === 'oracle' ? 'oracle' : 'receipt'));
  const text = names.length === 1 ? names[0]! : `${names[0]} and ${names[1]}`;
  return `${text[0]!.toUpperCase()}${text.slice(1)} cut`;
}

// ---------------------------------------------------------------------------------------------------------
// The reader's run, step by step
// ---------------------------------------------------------------------------------------------------------

export interface NodeState {
  id: ProtocolId;
  name: string;
  /** In the engine's run (C is not when it fixes the receipt price). */
  simulated: boolean;
  pressure: Decimal;
  /** 0…1 for the fill: the square root of pressure ÷ 50 %, so a few percent already shows. */
  intensity: number;
  /** "12.4 % in play": the share of its debt before the shock that is liquidatable, liquidated or gone bad. */
  pressureText: string;
  /** Price of its collateral as the protocol sees it this block. */
  priceText: string;
  liquidations: number;
  badDebt: Decimal;
  hit: boolean;
}

export interface LinkState {
  id: LinkId;
  cut: boolean;
  /** Carried pressure in this block. */
  active: boolean;
  label: string;
}

export interface StepView {
  round: number;
  nodes: NodeState[];
  links: LinkState[];
  poolPrice: Decimal;
  referencePrice: Decimal;
}

export interface ProtocolOutcome {
  id: ProtocolId;
  /** null: not in the engine's run (C with a fixed receipt price). */
  liquidations: number | null;
  accounts: number | null;
  badDebt: Decimal | null;
  /** C with a fixed price: what its lenders are owed beyond the receipts' real value. */
  hiddenLoss: Decimal | null;
  firstRoundHit: number | null;
}

export interface NetworkView {
  run: Run;
  rounds: number;
  shock: Decimal;
  referencePrice: Decimal;
  cDebt: Decimal;
  outcomes: Record<ProtocolId, ProtocolOutcome>;
  /** When each protocol was first hit and how, in the order they were hit. */
  story: string[];
}

function protocolRound(result: OnchainResult, round: number, id: string) {
  return result.rounds[round]?.protocols.find((p) => p.id === id) ?? null;
}

function outcomesOf(run: Run): Record<ProtocolId, ProtocolOutcome> {
  const out = {} as Record<ProtocolId, ProtocolOutcome>;
  for (const id of PROTOCOL_IDS) {
    const p = run.result.protocols.find((q) => q.id === id);
    if (p) {
      out[id] = { id, liquidations: p.liquidations, accounts: p.accountsLiquidated, badDebt: p.badDebt, hiddenLoss: null, firstRoundHit: p.firstRoundHit };
    } else {
      const last = run.hidden?.[run.hidden.length - 1] ?? null;
      out[id] = { id, liquidations: null, accounts: null, badDebt: null, hiddenLoss: last ? last.loss : ZERO, firstRoundHit: null };
    }
  }
  return out;
}

/** The sentences that say where the pressure went: each protocol's first hit, its channel, or why it was spared. */
function storyOf(run: Run, populations: Populations, referencePrice: Decimal, shockText: string): string[] {
  const { result } = run;
  const lines: { round: number; text: string }[] = [];
  const out = outcomesOf(run);
  for (const id of ['A', 'B'] as const) {
    const o = out[id];
    const threshold = populations.firstPrice[id];
    const direct = referencePrice.lt(threshold);
    const readsPool = id === 'A' || run.links.oracle === 'shared';
    if (o.firstRoundHit === null) {
      const why = `its first borrower is liquidatable only below ${usdc(threshold)} and ${readsPool ? 'its oracle never reported a price that low' : 'the outside price it reads stayed above that'}`;
      lines.push({ round: Number.MAX_SAFE_INTEGER - (id === 'A' ? 1 : 0), text: `${PROTOCOL_NAMES[id]} is never hit: ${why}.` });
      continue;
    }
    const r = o.firstRoundHit;
    if (direct) {
      lines.push({ round: r, text: `${PROTOCOL_NAMES[id]} is first hit in block ${r} by the ${shockText} fall itself${r > 0 ? ', once its oracle reports it' : ''}.` });
    } else {
      const seen = protocolRound(result, r, id)!.oraclePrice;
      const below = referencePrice.isZero() ? ZERO : referencePrice.sub(seen).div(referencePrice);
      const sellers = id === 'A' ? "B's liquidators" : "A's liquidators";
      lines.push({
        round: r,
        text: `${PROTOCOL_NAMES[id]} is first hit in block ${r}, through the shared oracle: it reported ${usdc(seen)}, ${formatPercent(below, 1)} below the outside price, because ${sellers} had sold seized WETH into the pool it follows.`,
      });
    }
  }
  const c = out.C;
  if (run.links.receipt === 'marked') {
    if (c.firstRoundHit === null) {
      const aBad = result.protocols.find((p) => p.id === 'A')!.badDebt;
      lines.push({
        round: Number.MAX_SAFE_INTEGER,
        text: aBad.isZero()
          ? `${PROTOCOL_NAMES.C} is never hit: A books no bad debt, so its receipt stays at 1 USDC.`
          : `${PROTOCOL_NAMES.C} is never hit: A's ${amount(aBad)} of bad debt moves its receipt too little to reach C's borrowers.`,
      });
    } else {
      const r = c.firstRoundHit;
      const aAt = protocolRound(result, r, 'A')!;
      lines.push({
        round: r,
        text: `${PROTOCOL_NAMES.C} is first hit in block ${r}, through A's receipt token: A had booked ${amount(aAt.badDebt)} of bad debt, so each receipt was worth ${formatDecimal(aAt.receiptPrice, 4)} USDC.`,
      });
    }
  } else {
    const last = run.hidden![run.hidden!.length - 1]!;
    lines.push({
      round: Number.MAX_SAFE_INTEGER,
      text: last.accounts === 0
        ? `${PROTOCOL_NAMES.C} prices A's receipt at a fixed 1 USDC and liquidates no one; A's receipt stays high enough that every loan at C is still covered.`
        : `${PROTOCOL_NAMES.C} prices A's receipt at a fixed 1 USDC and liquidates no one, but ${plural(last.accounts, 'loan is', 'loans are')} now backed by receipts worth less than the debt: its lenders are owed ${amount(last.loss)} more than that collateral is worth.`,
    });
  }
  lines.sort((x, y) => x.round - y.round);
  return lines.map((l) => l.text);
}

export function networkView(populations: Populations, run: Run, shock: string): NetworkView {
  const referencePrice = shockedPrice(shock);
  const shockPct = new Decimal(shock).div(100);
  return {
    run,
    rounds: run.result.rounds.length - 1,
    shock: shockPct,
    referencePrice,
    cDebt: populations.cDebt,
    outcomes: outcomesOf(run),
    story: storyOf(run, populations, referencePrice, formatPercent(shockPct, 1)),
  };
}

/**
 * Runs on one set of populations, kept by their inputs (the network knobs and the links): cutting a link and putting
 * it back, or a comparison that becomes the reader's network, reuses a run instead of simulating again. The engine's
 * results are immutable, so sharing them is safe. Keeps the `size` most recent.
 */
export function runCache(populations: Populations, size = 12): (k: NetworkKnobs, links: LinkKnobs) => Attempt<NetworkView> {
  const runs = new Map<string, Attempt<NetworkView>>();
  return (k, links) => {
    const key = [k.shock, k.delay, k.dev, k.depth, k.n, k.seed, links.pool, links.oracle, links.receipt].join('|');
    const hit = runs.get(key);
    if (hit) {
      // Most recently used last, so the oldest is dropped first.
      runs.delete(key);
      runs.set(key, hit);
      return hit;
    }
    const made = attempt(() => networkView(populations, runNetwork(populations, k, links), k.shock));
    runs.set(key, made);
    if (runs.size > size) runs.delete(runs.keys().next().value!);
    return made;
  };
}

/** Fill intensity for a pressure share: √(pressure ÷ 0.5), capped at 1. */
export function intensityOf(pressure: Decimal): number {
  return Math.min(1, Math.sqrt(Math.max(0, pressure.toNumber()) / 0.5));
}

export function stepView(view: NetworkView, round: number): StepView {
  const { result, pressure, hidden, links } = view.run;
  const r = Math.max(0, Math.min(view.rounds, round));
  const here = result.rounds[r]!;
  const before = r > 0 ? result.rounds[r - 1]! : null;
  const nodes: NodeState[] = PROTOCOL_IDS.map((id) => {
    const p = here.protocols.find((q) => q.id === id);
    const pr = pressure[r]!.find((q) => q.id === id);
    if (!p || !pr) {
      // C with a fixed receipt price: no liquidations; its pressure is the share of its debt now under water.
      const h = hidden![r]!;
      const share = view.cDebt.isZero() ? ZERO : h.debt.div(view.cDebt);
      return {
        id,
        name: PROTOCOL_NAMES[id],
        simulated: false,
        pressure: share,
        intensity: intensityOf(share),
        pressureText: `${formatPercent(share, 1)} under water`,
        priceText: 'receipt fixed at 1 USDC',
        liquidations: 0,
        badDebt: ZERO,
        hit: false,
      };
    }
    const liquidations = result.rounds.slice(0, r + 1).reduce((sum, round) => sum + (round.protocols.find((q) => q.id === id)?.liquidations ?? 0), 0);
    return {
      id,
      name: PROTOCOL_NAMES[id],
      simulated: true,
      pressure: pr.pressure,
      intensity: intensityOf(pr.pressure),
      pressureText: `${formatPercent(pr.pressure, 1)} in play`,
      priceText: id === 'C' ? `receipt ${formatDecimal(p.oraclePrice, 4)} USDC` : `WETH ${usdc(p.oraclePrice)}`,
      liquidations,
      badDebt: p.badDebt,
      hit: liquidations > 0,
    };
  });
  const pool = here.pools.find((p) => p.id === CONTAGION_IDS.sharedPool)!;
  const oracle = here.oracles.find((o) => o.id === CONTAGION_IDS.sharedOracle)!;
  const oracleBefore = before?.oracles.find((o) => o.id === CONTAGION_IDS.sharedOracle) ?? null;
  const receipt = here.oracles.find((o) => o.id === CONTAGION_IDS.receiptOracle) ?? null;
  const receiptBefore = before?.oracles.find((o) => o.id === CONTAGION_IDS.receiptOracle) ?? null;
  const poolLink: LinkState = {
    id: 'pool',
    cut: links.pool === 'own',
    // Seized WETH from liquidations went into the shared pool this block.
    active: links.pool === 'shared' && pool.soldByLiquidators.gt(0),
    label: links.pool === 'own' ? LINK_NAMES.pool.off : LINK_NAMES.pool.on,
  };
  const oracleLink: LinkState = {
    id: 'oracle',
    cut: links.oracle === 'own',
    // The shared oracle published a lower price, below the outside market: a drop made by liquidators' sales.
    active: links.oracle === 'shared' && oracleBefore !== null && oracle.updated && oracle.price.lt(oracleBefore.price) && oracle.price.lt(here.referencePrice),
    label: links.oracle === 'own' ? LINK_NAMES.oracle.off : LINK_NAMES.oracle.on,
  };
  const receiptLink: LinkState = {
    id: 'receipt',
    cut: links.receipt === 'fixed',
    // C's receipt oracle published a lower price this block: A's bad debt reached C's books.
    active: receipt !== null && receiptBefore !== null && receipt.price.lt(receiptBefore.price),
    label: links.receipt === 'fixed' ? LINK_NAMES.receipt.off : LINK_NAMES.receipt.on,
  };
  return { round: r, nodes, links: [poolLink, oracleLink, receiptLink], poolPrice: pool.price, referencePrice: here.referencePrice };
}

/** What a highlighted link did in a block, for the text equivalent. */
const CARRIED: Record<LinkId, string> = {
  pool: 'liquidators sold seized WETH into the shared pool',
  oracle: 'the shared oracle published a lower price than the outside market',
  receipt: "C's oracle marked A's receipt down",
};

export function stepLabel(round: number): string {
  return round === 0 ? 'The shock (block 0)' : `Block ${round}`;
}

/** The text equivalent of one step: what happened so far, then the run's story once it is played to the end. */
export function stepSummary(view: NetworkView, step: StepView): string {
  const head =
    step.round === 0
      ? `WETH falls ${formatPercent(view.shock, 1)} on the outside market, to ${usdc(view.referencePrice)}.`
      : `${stepLabel(step.round)}: the shared pool is at ${usdc(step.poolPrice)} against ${usdc(step.referencePrice)} outside.`;
  const parts = step.nodes.map((n) =>
    n.simulated
      ? `${n.name}: ${formatPercent(n.pressure, 1)} of its debt in play, ${plural(n.liquidations, 'liquidation', 'liquidations')} so far, ${amount(n.badDebt)} bad debt.`
      : `${n.name}: ${formatPercent(n.pressure, 1)} of its debt under water at A's receipt price, unseen at the fixed price.`,
  );
  const carried = step.links.filter((l) => l.active).map((l) => CARRIED[l.id]);
  const links = carried.length > 0 ? ` In this block ${carried.join('; ')}.` : '';
  return `${head} ${parts.join(' ')}${links}`;
}

// ---------------------------------------------------------------------------------------------------------
// The comparison and the table
// ---------------------------------------------------------------------------------------------------------

export interface ComparisonRow {
  id: ProtocolId;
  name: string;
  mine: { liquidations: string; badDebt: string };
  other: { liquidations: string; badDebt: string };
}

function outcomeText(o: ProtocolOutcome): { liquidations: string; badDebt: string } {
  if (o.liquidations === null) {
    const hidden = o.hiddenLoss ?? ZERO;
    return { liquidations: 'none (receipt priced at 1)', badDebt: hidden.isZero() ? 'no hidden loss' : `${amount(hidden)} hidden loss` };
  }
  if (o.liquidations === 0) return { liquidations: 'none', badDebt: 'no bad debt' };
  const bad = o.badDebt ?? ZERO;
  return { liquidations: `${count(o.liquidations)} (${plural(o.accounts ?? 0, 'account', 'accounts')})`, badDebt: bad.isZero() ? 'no bad debt' : `${amount(bad)} bad debt` };
}

export function comparisonRows(mine: NetworkView, other: NetworkView): ComparisonRow[] {
  return PROTOCOL_IDS.map((id) => ({ id, name: PROTOCOL_NAMES[id], mine: outcomeText(mine.outcomes[id]), other: outcomeText(other.outcomes[id]) }));
}

/** One sentence on what the cut changed (or what cutting everything would have changed). */
export function comparisonVerdict(mine: NetworkView, other: NetworkView): string {
  const cutView = cutCount(mine.run.links) === 0 ? other : mine;
  const whole = cutView === mine ? other : mine;
  const spared: string[] = [];
  const still: string[] = [];
  for (const id of PROTOCOL_IDS) {
    const w = whole.outcomes[id];
    const c = cutView.outcomes[id];
    const hitWhole = (w.liquidations ?? 0) > 0;
    const hitCut = (c.liquidations ?? 0) > 0;
    if (hitWhole && !hitCut) spared.push(PROTOCOL_NAMES[id]);
    else if (hitCut) still.push(PROTOCOL_NAMES[id]);
  }
  const label = linksLabel(cutView.run.links).toLowerCase();
  const subject = cutView === mine ? `With the ${label.replace(/ cut$/, '')} link${label.includes(' and ') ? 's' : ''} cut` : 'With every link cut';
  const fixedNote = cutView.run.links.receipt === 'fixed' && (cutView.outcomes.C.hiddenLoss ?? ZERO).gt(0) ? ` C's fixed price hides ${amount(cutView.outcomes.C.hiddenLoss!)} of loss rather than removing it.` : '';
  if (cutView === other && cutCount(mine.run.links) === 0) {
    return `${subject}: ${spared.length > 0 ? `${spared.join(' and ')} would not have been hit` : 'the same protocols are hit'}${still.length > 0 ? `; ${still.join(' and ')} still ${still.length === 1 ? 'is' : 'are'}` : ''}.${fixedNote}`;
  }
  return `${subject}: ${spared.length > 0 ? `${spared.join(' and ')} ${spared.length === 1 ? 'is' : 'are'} no longer hit` : 'every protocol hit with all links is still hit'}${still.length > 0 && spared.length > 0 ? `; ${still.join(' and ')} still ${still.length === 1 ? 'is' : 'are'}` : ''}.${fixedNote}`;
}

export interface TableRow {
  round: number;
  pool: string;
  cells: { id: ProtocolId; liquidations: string; badDebt: string; price: string }[];
}

export function tableRows(view: NetworkView): TableRow[] {
  return view.run.result.rounds.map((round, r) => ({
    round: r,
    pool: formatDecimal(round.pools.find((p) => p.id === CONTAGION_IDS.sharedPool)!.price, 0),
    cells: PROTOCOL_IDS.map((id) => {
      const p = round.protocols.find((q) => q.id === id);
      if (!p) return { id, liquidations: '0', badDebt: '0', price: '1 (fixed)' };
      return { id, liquidations: count(p.liquidations), badDebt: formatDecimal(p.badDebt, 0), price: id === 'C' ? formatDecimal(p.oraclePrice, 4) : formatDecimal(p.oraclePrice, 0) };
    }),
  }));
}

export { CONTAGION_PRICE };

/** The scenario's fixed terms in a sentence, with the preset's numbers (not typed in). */
export function assumptionsText(): string {
  const preset = protocolPreset(CONTAGION_PRESET);
  const weth = preset.assets.find((a) => a.asset === 'WETH')!;
  const usdcRow = preset.assets.find((a) => a.asset === 'USDC')!;
  const pct = (share: string) => formatPercent(new Decimal(share), 1).replace('.0\u202f%', '\u202f%');
  const cf = preset.closeFactor;
  return (
    `WETH at ${usdc(CONTAGION_PRICE)} before the shock. A and B use ${preset.protocol} ${preset.market}'s WETH parameters (liquidation threshold ` +
    `${pct(weth.liquidationThreshold)}, bonus ${pct(weth.liquidationBonus)}, ${pct(weth.liquidationProtocolFee ?? '0')} of it to the protocol), C its USDC ` +
    `parameters for A's receipt (${pct(usdcRow.liquidationThreshold)}, ${pct(usdcRow.liquidationBonus)}); close factor ${pct(cf.default)}, ${pct(cf.max)} ` +
    `at a health factor of ${cf.healthFactorThreshold} or below, with Aave v3.3's rules for small loans. Health factors, loan sizes, the pool (${pct(CONTAGION_ASSUMPTIONS.poolFee)} fee; arbitrageurs ` +
    `close ${pct(ONCHAIN_DEFAULTS.arbitrage)} of its gap to the outside price each block) and the oracles are the site's assumptions. A model, not a replay of any market.`
  );
}
