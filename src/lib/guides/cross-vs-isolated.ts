/**
 * Every figure and link in the cross-vs-isolated teacher guide (content/guides/cross-vs-isolated.mdx),
 * computed at build time with the widget's own state.ts and model.ts, so the guide quotes exactly what the
 * widget shows for the state its link opens.
 */
import { Decimal } from '../../engine';
import { formatPercent, trimZeros } from '../format';
import { clampMark, money, priceText, readAt, tryOpenFrame, type Frame, type Reading } from '../../widgets/cross-vs-isolated/model';
import { readCrossState, writeCrossState, type CrossState } from '../../widgets/cross-vs-isolated/state';

const ID = 'cross-vs-isolated';

export interface CrossStop {
  state: CrossState;
  /** Opens the widget in exactly this state: "/widgets/cross-vs-isolated/?v=2&…". */
  link: string;
  frame: Frame;
  reading: Reading;
}

/**
 * The widget's reading at a state and the link that opens it. Throws if the widget would not open the state
 * as written (a value its parser corrects, an account the engine refuses, a mark off its slider), so the
 * guide can never send a class to a state it does not describe.
 */
export function crossStop(overrides: Partial<CrossState>): CrossStop {
  const { state, notes } = readCrossState(new URLSearchParams(overrides as Record<string, string>));
  if (notes.length > 0) throw new Error(`${ID} guide: ${JSON.stringify(overrides)}: ${notes.join(' ')}`);
  const opened = tryOpenFrame(state);
  if (!opened.ok) throw new Error(`${ID} guide: the widget refuses ${JSON.stringify(overrides)}: ${opened.message}`);
  const { frame } = opened;
  for (const [key, mark] of [['btc', state.bm], ['eth', state.em]] as const) {
    if (clampMark(frame.windows[key], mark) !== mark) throw new Error(`${ID} guide: ${key} mark ${mark} is not on its slider`);
  }
  return { state, link: `/widgets/${ID}/?${writeCrossState(state)}`, frame, reading: readAt(frame, { btc: state.bm, eth: state.em }) };
}

const lpText = (price: Decimal | null) => priceText(price);
/** "5 %": how far a mark is below its market's entry. */
const fall = (stop: CrossStop, key: 'btc' | 'eth') =>
  formatPercent(new Decimal(1).sub(new Decimal(key === 'btc' ? stop.state.bm : stop.state.em).div(stop.frame.positions[key].entryPrice)), 0);

export function crossVsIsolatedGuide() {
  const start = crossStop({});
  const ethUp = crossStop({ em: '3150' });
  const bigWallet = crossStop({ wallet: '3000' });
  const hedge = crossStop({ es: 'short' });

  // Q1: ETH falls 5 % (to 2,850): where does the cross account's BTC liquidation price move?
  const q1 = crossStop({ em: '2850' });
  const q1Lp = q1.reading.cross.lp.btc;
  if (q1Lp === null) throw new Error(`${ID} guide: no cross BTC liquidation price at ${q1.link}`);
  // Q2: BTC falls 20 % (to 48,000) with ETH flat: cross is liquidated, isolated loses BTC only.
  const q2 = crossStop({ bm: '48000' });
  if (!q2.reading.cross.liquidated || !q2.reading.isolated.positions.btc.liquidated) throw new Error(`${ID} guide: Q2 must liquidate both modes`);
  // Q3: a hedged pair (BTC long, ETH short), both coins 12 % lower: isolated loses the BTC leg, cross loses nothing.
  const q3 = crossStop({ es: 'short', bm: '52800', em: '2640' });
  if (q3.reading.cross.liquidated || !q3.reading.isolated.positions.btc.liquidated) throw new Error(`${ID} guide: Q3 must liquidate isolated BTC only`);

  return {
    activity: {
      start: {
        link: start.link,
        isolatedLp: lpText(start.frame.isolatedLp.btc),
        crossLp: lpText(start.reading.cross.lp.btc),
        wallet: start.reading.cross.text.wallet,
      },
      ethUp: { link: ethUp.link, mark: priceText(ethUp.state.em), crossLp: lpText(ethUp.reading.cross.lp.btc) },
      bigWallet: {
        link: bigWallet.link,
        wallet: bigWallet.reading.cross.text.wallet,
        idle: bigWallet.reading.isolated.text.idle ?? money(new Decimal(0)),
        crossLp: lpText(bigWallet.reading.cross.lp.btc),
        isolatedLp: lpText(bigWallet.frame.isolatedLp.btc),
      },
      hedge: { link: hedge.link },
    },
    q1: {
      link: q1.link,
      answer: q1Lp.toFixed(2),
      mark: priceText(q1.state.em),
      fall: fall(q1, 'eth'),
      crossLp: lpText(q1Lp),
      before: lpText(start.reading.cross.lp.btc),
      shift: money(q1Lp.sub(start.reading.cross.lp.btc!)),
      ethLoss: money(new Decimal(q1.reading.cross.metrics.equity).sub(start.reading.cross.metrics.equity).neg()),
      isolatedLp: lpText(q1.frame.isolatedLp.btc),
    },
    q2: {
      link: q2.link,
      mark: priceText(q2.state.bm),
      fall: fall(q2, 'btc'),
      answer: trimZeros(q2.reading.cross.lost.toFixed(2)),
      crossLost: q2.reading.cross.text.lost,
      isolatedLost: q2.reading.isolated.text.lost,
      isolatedLeft: q2.reading.isolated.text.left,
      crossLp: lpText(start.reading.cross.lp.btc),
    },
    q3: {
      link: q3.link,
      btc: priceText(q3.state.bm),
      eth: priceText(q3.state.em),
      fall: fall(q3, 'btc'),
      ethFall: fall(q3, 'eth'),
      answer: trimZeros(q3.reading.isolated.lost.toFixed(2)),
      isolatedLost: q3.reading.isolated.text.lost,
      crossEquity: q3.reading.cross.text.equity,
      crossLost: q3.reading.cross.text.lost,
      ethEquity: q3.reading.isolated.positions.eth.text.equity,
    },
  };
}
