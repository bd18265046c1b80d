/**
 * Every figure and link of the cascade simulator's teacher guide (content/guides/cascade-simulator.mdx), computed
 * at build time with the widget's own state codec (readCascadeState, writeCascadeState) and model (buildPopulation,
 * buildBook, runCascade, cascadeView), the calls the widget makes, so the guide shows what the widget shows when a
 * student opens the link and plays the cascade to its last round.
 *
 * Each scenario is the widget's default state with a few settings changed, as a link would change them; the link
 * writes every setting out (not a preset name), so it opens the same state whatever presets become.
 */
import { Decimal } from '../../engine';
import { formatDecimal, formatPercent, formatSigned, formatSignedPercent, trimZeros } from '../format';
import { plain } from '../prose-accounts';
import { LEVERAGE_MIXES, amount, buildBook, buildPopulation, cascadeView, runCascade, usdt, type CascadeView } from '../../widgets/cascade-simulator/model';
import { readCascadeState, writeCascadeState, type CascadeState } from '../../widgets/cascade-simulator/state';

export function simulatorLink(state: CascadeState): string {
  return `/widgets/cascade-simulator/?${writeCascadeState(state)}`;
}

/** One state of the simulator, played to its last round, read as the student sees it. */
export function simulatorScenario(overrides: Partial<CascadeState> = {}) {
  const { state, notes } = readCascadeState(new URLSearchParams(overrides as Record<string, string>));
  if (notes.length > 0) throw new Error(`cascade-simulator guide: ${notes.join(' ')}`);
  const book = buildBook(state);
  const result = runCascade(buildPopulation(state), book, state);
  const view: CascadeView = cascadeView(book, state, result);
  const initial = result.initialPrice;
  const change = (price: Decimal) => formatSignedPercent(price.sub(initial).div(initial), 1);
  // How each round moved the mark (round 1 from the shock's price), signed: a late round can clear above the mark
  // before it, on bids market makers put back in between.
  const roundMoves = view.steps.slice(1).map((step, i) => step.mark.sub(view.steps[i]!.mark));
  return {
    state,
    view,
    result,
    link: simulatorLink(state),
    /** The price the shock alone sets, and its move from 60,000. */
    shockPrice: usdt(result.shockPrice),
    shockMove: change(result.shockPrice),
    /** The same moves unsigned, for sentences that already say "fall": "3.0 %". */
    shockSize: formatPercent(result.shockPrice.sub(initial).abs().div(initial), 1),
    finalSize: formatPercent(result.totalMove.div(initial), 1),
    /** Positions the shock itself took past their liquidation prices. */
    crossed: view.crossedByShock.toLocaleString('en-US'),
    final: usdt(result.finalPrice),
    /** How far the cascade carried the price beyond where the shock alone left it. */
    beyondShock: usdt(result.finalPrice.sub(result.shockPrice).abs()),
    finalMove: change(result.finalPrice),
    /** The total fall (or rise) from 60,000 in percent, one decimal, unsigned: a predict box's answer. */
    moveAnswer: plain(result.totalMove.div(initial).mul(100), 1),
    rounds: result.roundCount.toLocaleString('en-US'),
    positions: result.positionsLiquidated.toLocaleString('en-US'),
    notional: amount(result.totalLiquidatedNotional),
    amplification: result.amplification === null ? null : `${trimZeros(formatDecimal(result.amplification, 2))}×`,
    fundStart: usdt(new Decimal(state.fund)),
    fundLeft: usdt(result.insuranceFund),
    adl: amount(result.adlNotional),
    deleveraged: result.positionsDeleveraged.toLocaleString('en-US'),
    badDebt: usdt(result.badDebt.abs()),
    roundMoves,
    roundMovesText: roundMoves.map((m) => `${formatSigned(m, 0)} USDT`),
    /** The lowest mark of the cascade, which can lie below where it ends. */
    extreme: usdt(result.extremePrice),
    mix: LEVERAGE_MIXES[state.mix].label,
    why: view.why,
  };
}

export type SimulatorScenario = ReturnType<typeof simulatorScenario>;

export function cascadeSimulatorGuide() {
  const base = simulatorScenario();
  const depth = new Decimal(base.state.depth);

  // The activity: play the default, step through it, change the market makers' resilience, change the traders,
  // start the cascade with a sale instead of a mark move.
  const noRefill = simulatorScenario({ res: '0' });
  const fastRefill = simulatorScenario({ res: '50' });
  const cautious = simulatorScenario({ mix: 'cautious' });
  const sell = simulatorScenario({ kind: 'sell', sell: '50' });

  // Predict, then reveal: a thinner book, a slower liquidation engine, more aggressive traders.
  const thin = simulatorScenario({ depth: String(depth.div(2)) });
  const slow = simulatorScenario({ tp: '3' });
  // The same slow engine with a book that never refills: what the refill between rounds does for it.
  const slowNoRefill = simulatorScenario({ tp: '3', res: '0' });
  const aggressive = simulatorScenario({ mix: 'aggressive' });
  // Going further: an empty insurance fund; a liquidity vault that quotes a share of every forced order.
  const emptyFund = simulatorScenario({ fund: '0' });
  const vault = simulatorScenario({ backstop: 'vault' });
  const vaultHalf = simulatorScenario({ backstop: 'vault', maker: '50' });

  // Going further: the same market under falls of several sizes, for the amplification against the shock.
  const shocks = ['-1', '-2', '-3', '-5'].map((move) => simulatorScenario({ move }));

  const largest = base.roundMoves.reduce((best, m, i) => (m.abs().gt(base.roundMoves[best]!.abs()) ? i : best), 0);
  return {
    base: { ...base, largestRound: String(largest + 1), largestMove: base.roundMovesText[largest]! },
    depth: `${trimZeros(depth.toString())} BTC`,
    positionsCount: Number(base.state.n).toLocaleString('en-US'),
    longShare: `${base.state.long} %`,
    activity: { noRefill, fastRefill, cautious, sell },
    q1: { ...thin, answer: thin.moveAnswer, depth: `${trimZeros(thin.state.depth)} BTC` },
    q2: { ...slow, answer: slow.moveAnswer, withoutRefill: slowNoRefill },
    q3: {
      ...aggressive,
      /** The notional closed by auto-deleveraging, in millions of USDT, two decimals. */
      answer: plain(aggressive.result.adlNotional.div(1_000_000), 2),
    },
    emptyFund,
    shocks,
    vault: { ...vault, maker: `${vault.state.maker} %`, capital: usdt(new Decimal(vault.state.vault)) },
    vaultHalf: { ...vaultHalf, maker: `${vaultHalf.state.maker} %` },
  };
}
