/**
 * Every figure and link of the liquidation map's teacher guide (content/guides/liquidation-map.mdx), computed
 * at build time with the widget's own state codec (defaultMapState, readMapState, writeMapState) and model
 * (mapView), so the guide shows exactly what the widget shows when a student opens the link.
 *
 * Each scenario is the widget's default state with a few settings changed, as a link would change them; the
 * link writes every setting out (not a preset name), so it opens the same state whatever presets become.
 */
import { Decimal } from '../../engine';
import { formatDecimal, formatPercent, formatSignedPercent, trimZeros } from '../format';
import { plain } from '../prose-accounts';
import { liquidationDistances } from '../prose-cascade';
import { MAINTENANCE_RATE, MIX_LABELS, PRICE } from '../../widgets/liquidation-map/market';
import { mapView, priceText, usdt, type MapView } from '../../widgets/liquidation-map/model';
import { defaultMapState, readMapState, writeMapState, type MapState } from '../../widgets/liquidation-map/state';

/** The widget's own page in `state`: the address its Share control would write. */
export function mapLink(state: MapState): string {
  return `/widgets/liquidation-map/?${writeMapState(state)}`;
}

/** One state of the widget, read as the student sees it: the map up to the dragged price, and where the cascade ends. */
export function mapScenario(overrides: Partial<MapState> = {}) {
  const { notes } = readMapState(new URLSearchParams(overrides as Record<string, string>));
  if (notes.length > 0) throw new Error(`liquidation-map guide: ${notes.join(' ')}`);
  const state = defaultMapState(overrides);
  const built = mapView(state);
  if (!built.ok) throw new Error(`liquidation-map guide: ${built.message}`);
  const view: MapView = built.view;
  const { reading, market } = view;
  const cascade = reading.cascade;
  return {
    state,
    view,
    link: mapLink(state),
    /** The price the line is dragged to, "58,000". */
    price: priceText(reading.price),
    /** Its move from 60,000, "−3.33 %". */
    shock: formatSignedPercent(reading.shockMove, 2),
    /** The size of that move, unsigned and without trailing zeros: "2 %". */
    shockSize: `${trimZeros(formatDecimal(reading.shockMove.abs().mul(100), 2))}\u202f%`,
    /** What the map shows between 60,000 and the dragged price (on the side the move reaches). */
    mapNotional: usdt(reading.mapNotional),
    mapPositions: reading.mapPositions.toLocaleString('en-US'),
    /** Where the cascade ends, "52,320", and its move from 60,000. */
    end: priceText(reading.finalPrice),
    endMove: formatSignedPercent(reading.finalMove, 1),
    /** How far from 60,000 the price ends, in percent, one decimal, unsigned: a predict box's answer. */
    endAnswer: plain(reading.finalMove.abs().mul(100), 1),
    /** The fall (or rise) beyond the dragged price, in USDT. */
    beyond: `${formatDecimal(reading.finalPrice.sub(reading.price).abs(), 0)} USDT`,
    liquidated: usdt(cascade.totalLiquidatedNotional),
    liquidatedPositions: cascade.positionsLiquidated.toLocaleString('en-US'),
    /** Liquidated in all ÷ what the map shows, "4.7 times"; null where the map shows nothing. */
    ratio: reading.ratio === null ? null : `${formatDecimal(reading.ratio, 1)} times`,
    rounds: cascade.roundCount.toLocaleString('en-US'),
    amplification: cascade.amplification === null ? null : `${trimZeros(formatDecimal(cascade.amplification, 2))}×`,
    adl: usdt(cascade.adlNotional),
    fund: usdt(market.fund),
    fundLeft: usdt(cascade.insuranceFund),
    depth: usdt(new Decimal(state.depth)),
    mix: MIX_LABELS[state.mix],
    openInterest: usdt(market.openInterest),
    longsOnMap: usdt(market.longNotional),
    shortsOnMap: usdt(market.shortNotional),
    sentence: reading.sentence,
  };
}

export type MapScenario = ReturnType<typeof mapScenario>;

/** The biggest cluster on the map, as the widget's table lists it first. */
function biggestCluster(s: MapScenario) {
  const c = s.view.market.clusters[0];
  if (!c) throw new Error('liquidation-map guide: the default market has no cluster');
  return {
    side: c.side === 'long' ? 'longs' : 'shorts',
    band: `${priceText(c.from)}–${priceText(c.to)}`,
    notional: usdt(c.notional),
    positions: c.positions.toLocaleString('en-US'),
    move: `${formatPercent(c.move.abs(), 0)} ${c.move.lt(0) ? 'below' : 'above'}`,
  };
}

export function liquidationMapGuide() {
  const base = defaultMapState();
  const here = priceText(PRICE);

  // The activity: read the map at rest, drag into the longs, change who is leveraged, drag into the shorts, re-roll.
  const still = mapScenario({ p: '60000' });
  const dip = mapScenario({ p: '58800' });
  const cautious = mapScenario({ p: '58800', mix: 'low' });
  const squeeze = mapScenario({ p: '61800' });
  const reroll = mapScenario({ p: '58800', seed: String(Number(base.seed) + 1) });

  // Predict, then reveal: the map against the cascade, a deeper book, the same depth with another shape.
  const q1 = mapScenario({});
  const doubled = String(new Decimal(base.depth).mul(2));
  const q2 = mapScenario({ depth: doubled });
  const q3 = mapScenario({ book: 'sqrt' });
  const halved = mapScenario({ depth: String(new Decimal(base.depth).div(2)) });
  const ratio = q1.view.reading.ratio;
  if (ratio === null) throw new Error('liquidation-map guide: the default drag reaches no longs');

  // Going further: the depth that keeps the same drag within 1 % of the dragged price, and a one-sided market.
  const within = new Decimal(q1.state.p).mul('0.01');
  const candidates = ['600000', '800000', '1000000', '1500000', '2000000', '3000000', '5000000'].map((depth) => mapScenario({ depth }));
  const enough = candidates.findIndex((s) => s.view.reading.finalPrice.sub(s.view.reading.price).abs().lte(within));
  if (enough < 1) throw new Error('liquidation-map guide: the depth search needs a first candidate that falls short and one that is enough');
  const longHeavy = mapScenario({ p: '58800', long: '80' });
  const shortHeavy = mapScenario({ p: '58800', long: '20' });

  return {
    here,
    depthSearch: { enough: candidates[enough]!, short: candidates[enough - 1]! },
    longHeavy,
    shortHeavy,
    base,
    defaultLink: mapLink(base),
    positions: Number(base.n).toLocaleString('en-US'),
    depth: usdt(new Decimal(base.depth)),
    /** How far a long at 100× and at 10× can fall before liquidation, at the map's 0.4 % maintenance rate (engine). */
    distances: liquidationDistances([100, 10], new Decimal(MAINTENANCE_RATE).mul(100).toString()),
    activity: {
      still: { ...still, cluster: biggestCluster(still) },
      dip,
      cautious,
      squeeze,
      reroll,
    },
    q1: { ...q1, answer: plain(ratio, 1) },
    q2: {
      ...q2,
      answer: q2.endAnswer,
      doubled: usdt(new Decimal(doubled)),
      /** The same drag on half the default depth, for the misconception about proportional damage. */
      halved,
    },
    q3: {
      ...q3,
      answer: q3.endAnswer,
      /** How much further the flat book of q1 let the same drag run than the square-root book. */
      flatEnd: q1.end,
    },
  };
}
