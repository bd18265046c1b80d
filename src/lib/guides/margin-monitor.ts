/**
 * Every figure and link in the margin monitor's teacher guide (content/guides/margin-monitor.mdx), computed
 * at build time with the widget's own state.ts and model.ts: the seeded price paths are the widget's, so the
 * guide quotes exactly what the widget shows for the state its link opens.
 */
import { Decimal } from '../../engine';
import { formatDecimal, formatPercent, formatSigned, trimZeros } from '../format';
import { elapsed, monitorView, ratioText, type MonitorView, type Replay } from '../../widgets/margin-monitor/model';
import { STEPS } from '../../widgets/margin-monitor/path';
import { readMonitorState, writeMonitorState, type MonitorState } from '../../widgets/margin-monitor/state';

const ID = 'margin-monitor';

export interface MonitorStop {
  state: MonitorState;
  /** Opens the widget in exactly this state: "/widgets/margin-monitor/?v=2&…". */
  link: string;
  view: MonitorView;
}

/** The widget's view of a state and its link; throws if the widget's parser would change any value. */
export function monitorStop(overrides: Partial<MonitorState>): MonitorStop {
  const { state, notes } = readMonitorState(new URLSearchParams(overrides as Record<string, string>));
  if (notes.length > 0) throw new Error(`${ID} guide: ${JSON.stringify(overrides)}: ${notes.join(' ')}`);
  return { state, link: `/widgets/${ID}/?${writeMonitorState(state)}`, view: monitorView(state) };
}

const usdt = (value: Decimal) => `${formatDecimal(value, 2)} USDT`;
const signed = (value: Decimal) => `${formatSigned(value, 2)} USDT`;
const when = (r: Replay) => (r.liquidatedAt === null ? null : elapsed(r.liquidatedAt));
const rule = (s: MonitorStop) => {
  if (!s.view.chosen) throw new Error(`${ID} guide: ${s.link} has no rule`);
  return s.view.chosen;
};

export function marginMonitorGuide() {
  // The widget's default: 10× long, 3,000 USDT, seed 3, top up 600 USDT at a 15 % margin ratio.
  const start = monitorStop({});
  const lateAlert = monitorStop({ alert: '30' });
  const reduce = monitorStop({ rule: 'reduce' });
  const seed4 = monitorStop({ seed: '4' });

  // Q1: on seed 2 the ratio jumps from below the alert to past 100 % between two funding times.
  const q1 = monitorStop({ seed: '2' });
  const q1At = rule(q1).liquidatedAt;
  if (q1At === null || rule(q1).topUps !== 0) throw new Error(`${ID} guide: Q1 must be liquidated with no top-up`);
  const before = rule(q1).steps[q1At - 1]!;
  if (before.ratio === null || before.ratio.gte(new Decimal(q1.state.alert).div(100))) {
    throw new Error(`${ID} guide: Q1's last ratio before liquidation must be below the alert`);
  }
  // Q2: on seed 5 the top-ups delay liquidation but are lost with the margin.
  const q2 = monitorStop({ seed: '5' });
  if (rule(q2).liquidatedAt === null) throw new Error(`${ID} guide: Q2 must still be liquidated with the rule`);
  // Q3: a calm path, no rule: what 14 days of funding cost.
  const q3 = monitorStop({ seed: '7', rule: 'none' });
  if (q3.view.none.liquidatedAt !== null) throw new Error(`${ID} guide: Q3 must survive`);

  return {
    steps: STEPS,
    activity: {
      start: {
        link: start.link,
        verdict: start.view.verdict,
        liquidatedAfter: when(start.view.none),
        topUps: String(rule(start).topUps),
        topUpTotal: usdt(rule(start).topUpTotal),
        netNone: signed(start.view.none.net),
        netRule: signed(rule(start).net),
      },
      lateAlert: { link: lateAlert.link, verdict: lateAlert.view.verdict, topUps: String(rule(lateAlert).topUps), liquidatedAfter: when(rule(lateAlert)) },
      reduce: {
        link: reduce.link,
        verdict: reduce.view.verdict,
        cuts: String(rule(reduce).reductions),
        left: `${formatDecimal(rule(reduce).steps.at(-1)!.quantity, 4)} BTC`,
        net: signed(rule(reduce).net),
        netTopUp: signed(rule(start).net),
      },
      seed4: {
        link: seed4.link,
        verdict: seed4.view.verdict,
        netNone: signed(seed4.view.none.net),
        netRule: signed(rule(seed4).net),
        topUpTotal: usdt(rule(seed4).topUpTotal),
      },
    },
    q1: {
      link: q1.link,
      alert: `${q1.state.alert}\u202f%`,
      liquidatedAfter: when(rule(q1))!,
      beforeAt: elapsed(q1At - 1),
      answer: before.ratio.mul(100).toFixed(1),
      ratio: ratioText(before.ratio),
      ratioAt: ratioText(rule(q1).steps[q1At]!.ratio),
      priceBefore: `${formatDecimal(before.price, 1)} USDT`,
      priceAt: `${formatDecimal(rule(q1).steps[q1At]!.price, 1)} USDT`,
      liquidationPrice: before.liquidationPrice === null ? 'none' : `${formatDecimal(before.liquidationPrice, 1)} USDT`,
    },
    q2: {
      link: q2.link,
      answer: trimZeros(rule(q2).net.toFixed(2)),
      net: signed(rule(q2).net),
      netNone: signed(q2.view.none.net),
      topUps: String(rule(q2).topUps),
      topUpTotal: usdt(rule(q2).topUpTotal),
      noneAfter: when(q2.view.none)!,
      ruleAfter: when(rule(q2))!,
    },
    q3: {
      link: q3.link,
      answer: q3.view.none.fundingPaid.toFixed(2),
      funding: usdt(q3.view.none.fundingPaid),
      share: formatPercent(q3.view.none.fundingPaid.div(q3.state.m), 1),
      notional: usdt(q3.view.position.quantity.mul(q3.view.prices[0]!)),
      rate: `${q3.state.f}\u202f%`,
      /** The hand estimate: funding times × rate × notional at entry. */
      estimate: usdt(q3.view.position.quantity.mul(q3.view.prices[0]!).mul(q3.state.f).div(100).mul(STEPS)),
      end: q3.view.text.end,
      low: formatDecimal(Decimal.min(...q3.view.prices), 0),
      high: formatDecimal(Decimal.max(...q3.view.prices), 0),
      /** Mean price over the 42 funding times, where funding is charged. */
      average: `${formatDecimal(q3.view.prices.slice(1).reduce((sum, p) => sum.add(p), new Decimal(0)).div(STEPS), 1)} USDT`,
      averageAboveEntry: q3.view.prices.slice(1).reduce((sum, p) => sum.add(p), new Decimal(0)).div(STEPS).gt(q3.view.prices[0]!),
    },
  };
}
