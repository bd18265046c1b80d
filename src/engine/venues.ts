/**
 * Venue conventions: how each venue turns the same position into a maintenance margin and a liquidation
 * price. Every fact carries the URL it was read from and how firm it is, so a widget can cite it and a
 * reader can check it. Research notes: /work/shared/research/venue-formulas.md.
 *
 * The maintenance basis is the main difference between venues for an isolated position:
 *   'mark'   Binance: maintenance margin = notional at the mark price × rate − amount (position.ts).
 *   'entry'  Bybit: maintenance margin = position value at entry × rate − deduction, a constant. That is what
 *            makes Bybit's published isolated formula come out: LP_long = EP − (IM − MM)/Q.
 *   'oracle' dYdX: maintenance margin requirement = |S × P × MMF| at the oracle price; no deduction.
 * Equity (margin + unrealised PnL at the mark/oracle price) is the same everywhere; liquidation is where
 * equity meets maintenance margin. Fees and funding are left out, as in the formulas cited.
 */
import { type Decimal, type Numeric } from './decimal.ts';
import { EngineInputError } from './errors.ts';
import {
  liquidationPriceWithBrackets,
  maintenanceBracket,
  type BracketInput,
  type BracketTable,
} from './brackets.ts';
import { nonNegative, oneOf, positive } from './parse.ts';
import {
  liquidationPrice,
  normalizePosition,
  notionalAt,
  type ContractKind,
  type Position,
  type PositionInput,
  type VenuePositionInput,
} from './position.ts';

import { VENUE_IDS, type MaintenanceBasis, type VenueId } from './venue-rules.ts';

// The ids live in venue-rules.ts, which position.ts can import without a cycle; re-exported here as before.
export { VENUE_IDS, type MaintenanceBasis, type VenueId };
export type MarginRatioConvention = 'mm/equity' | 'equity/mm';

/**
 * How firm a fact is: 'published' (the venue states it), 'reconstructed' (rebuilt from the venue's own
 * variables and checked against a number it published), 'informal' (a venue employee or third party,
 * unverified), 'not-found' (no source found; the value is null or must not be used for arithmetic).
 */
export type FactStatus = 'published' | 'reconstructed' | 'informal' | 'not-found';

export interface VenueFact<T> {
  readonly value: T;
  readonly status: FactStatus;
  /** Where it was read. */
  readonly source: string;
  readonly note?: string;
}

export interface ClosingFeeConvention {
  /** Whether the venue folds the fee to close into the bankruptcy price; null where not found. */
  readonly folded: boolean | null;
  /** The fee rate folded in, as a fraction ('0.00075' is 0.075 %), or null. */
  readonly rate: string | null;
}

export interface LiquidationFormula {
  /** The isolated formula this engine implements for the venue, as the venue writes it. */
  readonly long: string;
  readonly short: string;
}

export interface VenueConvention {
  readonly id: VenueId;
  readonly venue: string;
  readonly label: string;
  /** The contract kind whose formulas the entry describes. */
  readonly contract: ContractKind;
  readonly maintenanceBasis: VenueFact<MaintenanceBasis>;
  readonly closingFeeInBankruptcyPrice: VenueFact<ClosingFeeConvention>;
  /** The ratio the venue shows a trader; null where the venue shows none or none was found. */
  readonly marginRatio: VenueFact<MarginRatioConvention | null>;
  /** Whether the venue's maintenance margin subtracts a per-tier amount (cum / MM deduction). */
  readonly maintenanceAmount: VenueFact<boolean>;
  /** Null where the venue publishes no isolated liquidation-price formula; then `liquidationPriceFor` refuses. */
  readonly liquidationFormula: VenueFact<LiquidationFormula> | null;
}

const BINANCE_USDM_FAQ = 'https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93';
const BINANCE_COINM_FAQ =
  'https://www.binance.com/es-MX/support/faq/how-to-calculate-liquidation-price-of-coin-m-futures-contracts-ceccfcfb4e3a45e3b48b0b1bb1a8ae46';
const BINANCE_NOTIONAL_LIMIT = 'https://www.binance.com/en/futures/trading-rules/perpetual/portfolio-margin/notional-limit';
const BINANCE_RATIO_ANNOUNCEMENT =
  'https://www.binance.com/en/support/announcement/binance-futures-will-delist-and-update-the-leverage-margin-tiers-of-cvcusdt-perpetual-futures-contract-3188e26f14a1464b91487abad452c04f';
const BYBIT_USDT_MM = 'https://help.bybit.com/hc/en-us/articles/900000182646-Maintenance-Margin-USDT-Contract-';
const BYBIT_USDT_LP = 'https://help.bybit.com/hc/en-us/articles/900000181046-Liquidation-Price-USDT-Contract-';
const BYBIT_INVERSE_OLD = 'https://help.bybit.com/hc/en-us/articles/360039261334-How-to-calculate-Liquidation-Price-Inverse-Contract-';
const BYBIT_UTA_ISOLATED_2024 =
  'https://bybit.nl/nl-NL/help-center/article/Liquidation-Price-Calculation-under-Isolated-Mode-Unified-Trading-Account';
const BYBIT_UTA_RULES = 'https://www.bybit.com/en/help-center/article/UTA-Trading-Rules';
const BYBIT_MARGIN_PARAMETERS = 'https://bybitx.global/pt-PT/announcement-info/margin-parameters';
const BITMEX_RISK_LIMITS = 'https://www.bitmex.com/app/riskLimitsExamples';
const BITMEX_LIQUIDATION = 'https://www.bitmex.com/app/liquidation';
const BITMEX_INFORMAL = 'https://redlib.hbubli.cc/r/BitMEX/search?q=flair_name%3A%22Solved%22&restrict_sr=on';
const DYDX_MARGIN = 'https://docs.dydx.exchange/concepts-trading/margin';
const DYDX_LIQUIDATIONS = 'https://docs.dydx.exchange/concepts-trading/liquidations';

const binanceRatio: VenueFact<MarginRatioConvention> = {
  value: 'mm/equity',
  status: 'published',
  source: BINANCE_RATIO_ANNOUNCEMENT,
  note: 'Binance announcements: "To avoid being liquidated (i.e. margin ratio hits 100%) … It is recommended to control the margin ratio below 80%": a ratio that rises to 100 % at liquidation, maintenance margin ÷ margin balance.',
};
const bybitRatio: VenueFact<MarginRatioConvention> = {
  value: 'mm/equity',
  status: 'published',
  source: BYBIT_UTA_RULES,
  note: 'Unified Trading Account, cross and portfolio margin: "Liquidation is triggered when MMR reaches 100%" (account maintenance margin rate, rising to 100 %). Isolated positions are liquidated when the mark price reaches the liquidation price.',
};

// Frozen through a pure call, not top-level statements, so bundlers can drop this table from pages that
// never ask for a venue's conventions.
const CONVENTIONS: Readonly<Record<VenueId, VenueConvention>> = /* @__PURE__ */ freezeAll({
  'binance-usdm': {
    id: 'binance-usdm',
    venue: 'Binance',
    label: 'Binance USDⓈ-M futures (linear)',
    contract: 'linear',
    maintenanceBasis: {
      value: 'mark',
      status: 'published',
      source: BINANCE_NOTIONAL_LIMIT,
      note: '"Maintenance Margin = Notional Position Value * Maintenance Margin Rate - Maintenance Amount"; the notional is at the mark price (COIN-M FAQ example uses "the latest Mark Price").',
    },
    closingFeeInBankruptcyPrice: {
      value: { folded: false, rate: null },
      status: 'published',
      source: BINANCE_USDM_FAQ,
      note: 'The FAQ liquidation formula has no fee term.',
    },
    marginRatio: binanceRatio,
    maintenanceAmount: { value: true, status: 'published', source: BINANCE_NOTIONAL_LIMIT },
    liquidationFormula: {
      value: {
        long: 'LP = (Q·EP − WB − cum) / (Q·(1 − MMR))',
        short: 'LP = (Q·EP + WB + cum) / (Q·(1 + MMR))',
      },
      status: 'reconstructed',
      source: BINANCE_USDM_FAQ,
      note: 'The FAQ shows its formula as an image; rebuilt from its variable list (isolated: WB = isolated wallet balance, TMM = UPNL = 0). Bracket: the one containing the notional at the liquidation price.',
    },
  },
  'binance-coinm': {
    id: 'binance-coinm',
    venue: 'Binance',
    label: 'Binance COIN-M futures (inverse)',
    contract: 'inverse',
    maintenanceBasis: {
      value: 'mark',
      status: 'published',
      source: BINANCE_COINM_FAQ,
      note: '"100 * 100 / 25,000 = 0.4 BTC … Maintenance Margin = 100 * 100 / 25,000 * 0.4% - 0 = 0.0016 BTC", with 25,000 "the latest Mark Price".',
    },
    closingFeeInBankruptcyPrice: {
      value: { folded: false, rate: null },
      status: 'published',
      source: BINANCE_COINM_FAQ,
      note: 'The FAQ liquidation formula has no fee term.',
    },
    marginRatio: binanceRatio,
    maintenanceAmount: { value: true, status: 'published', source: BINANCE_COINM_FAQ },
    liquidationFormula: {
      value: {
        long: 'LP = CM·Q·(1 + MMR) / (WB + cum + CM·Q/EP)',
        short: 'LP = CM·Q·(1 − MMR) / (CM·Q/EP − WB − cum)',
      },
      status: 'reconstructed',
      source: BINANCE_COINM_FAQ,
      note: 'Rebuilt from the FAQ variable list; checked against the forum UI value 33,599.4 (https://dev.binance.vision/t/coin-margined-futures-liquidation-price-calculation-help-cm-variable/6292).',
    },
  },
  'bybit-linear': {
    id: 'bybit-linear',
    venue: 'Bybit',
    label: 'Bybit USDT perpetual (linear)',
    contract: 'linear',
    maintenanceBasis: {
      value: 'entry',
      status: 'published',
      source: BYBIT_USDT_MM,
      note: '"Order Value = Contract Size x Entry Price; Maintenance Margin = Maintenance Margin Rate x Order Value". The risk-limit tier follows the position value (auto-adjusted since 2024-03-12).',
    },
    closingFeeInBankruptcyPrice: {
      value: { folded: false, rate: null },
      status: 'published',
      source: BYBIT_USDT_LP,
      note: 'Bankruptcy price EP·(1 ∓ IMR) and the isolated liquidation formula carry no fee; Bybit notes minor differences "due to the fees to close".',
    },
    marginRatio: bybitRatio,
    maintenanceAmount: {
      value: true,
      status: 'published',
      source: BYBIT_MARGIN_PARAMETERS,
      note: '"Maintenance Margin = Position Value × Maintenance Margin Rate − Maintenance Margin Deduction", the deduction by the cum rule.',
    },
    liquidationFormula: {
      value: {
        long: 'LP = EP − (IM − MM)/Q − extra/Q   (older form: EP·(1 − IMR + MMR) − extra/Q)',
        short: 'LP = EP + (IM − MM)/Q + extra/Q   (older form: EP·(1 + IMR − MMR) + extra/Q)',
      },
      status: 'published',
      source: BYBIT_USDT_LP,
      note: 'Examples on the page: long 1 BTC at 10,000, 50× → 9,850; short 1 BTC at 8,000, 40× → 8,160. Fees excluded.',
    },
  },
  'bybit-inverse': {
    id: 'bybit-inverse',
    venue: 'Bybit',
    label: 'Bybit inverse perpetual and futures (coin-margined)',
    contract: 'inverse',
    maintenanceBasis: {
      value: 'entry',
      status: 'published',
      source: BYBIT_UTA_ISOLATED_2024,
      note: 'Revision 2024-09-10: "Position Value = Contract Quantity / Average Entry Price; Maintenance Margin = (Position Value x MMR) - Maintenance Margin Deduction". The 2026-05-27 revision writes "Contract Quantity ÷ Mark Price" and adds close fees; we pin the 2024 revision.',
    },
    closingFeeInBankruptcyPrice: {
      value: { folded: true, rate: '0.00075' },
      status: 'published',
      source: BYBIT_INVERSE_OLD,
      note: 'Old inverse article: Bankruptcy Price = 1.00075 × Q / (Q/EP + balance), the 0.075 % taker fee folded in. liquidationPriceFor follows the 2024 isolated revision instead, which excludes fees.',
    },
    marginRatio: bybitRatio,
    maintenanceAmount: { value: true, status: 'published', source: BYBIT_UTA_ISOLATED_2024 },
    liquidationFormula: {
      value: {
        long: 'LP = Q / (PV + (IM − MM)),  PV = Q/EP',
        short: 'LP = Q / (PV − (IM − MM))',
      },
      status: 'published',
      source: BYBIT_UTA_ISOLATED_2024,
      note: 'Fees excluded (the page: "minor differences … due to the fees to close"). Extra margin is folded into IM (margin = IM + extra), as the 2026 revision does; the 2024 page\'s separate "− extra/Q" term mixes coin and USD.',
    },
  },
  bitmex: {
    id: 'bitmex',
    venue: 'BitMEX',
    label: 'BitMEX XBTUSD (inverse)',
    contract: 'inverse',
    maintenanceBasis: {
      value: 'entry',
      status: 'informal',
      source: BITMEX_INFORMAL,
      note: 'Only a support agent\'s formula (LP_long = EP / (1 + IM − MM), fees folded into IM and MM), which implies an entry basis. Unverified; the engine does not compute BitMEX maintenance margin or liquidation prices from it.',
    },
    closingFeeInBankruptcyPrice: {
      value: { folded: null, rate: null },
      status: 'not-found',
      source: BITMEX_LIQUIDATION,
      note: 'No official statement found; the informal formula adds the exit taker fee to IM.',
    },
    marginRatio: {
      value: null,
      status: 'not-found',
      source: BITMEX_LIQUIDATION,
      note: 'No margin-ratio convention found in the pages read.',
    },
    maintenanceAmount: {
      value: false,
      status: 'published',
      source: BITMEX_RISK_LIMITS,
      note: 'Risk limits raise the maintenance and initial margin rate of the whole position by one step ("0.50% + (# of Steps * 0.50%)"), with no deduction; the user sets the risk limit.',
    },
    liquidationFormula: null,
  },
  dydx: {
    id: 'dydx',
    venue: 'dYdX',
    label: 'dYdX v4 perpetuals (linear, USDC)',
    contract: 'linear',
    maintenanceBasis: {
      value: 'oracle',
      status: 'published',
      source: DYDX_MARGIN,
      note: '"Maintenance Margin Requirement = abs(S × P × M)" with P "the oracle price for the market".',
    },
    closingFeeInBankruptcyPrice: {
      value: { folded: false, rate: null },
      status: 'published',
      source: DYDX_LIQUIDATIONS,
      note: 'The liquidation-price formula has no fee; a liquidation penalty of up to 1.5 % goes to the insurance fund separately.',
    },
    marginRatio: {
      value: null,
      status: 'published',
      source: DYDX_MARGIN,
      note: 'dYdX states the rule directly: liquidatable when total account value falls below the total maintenance margin requirement.',
    },
    maintenanceAmount: {
      value: false,
      status: 'published',
      source: DYDX_MARGIN,
      note: 'One maintenance margin fraction per market, no deduction (the open-interest scaling changes only the IMF).',
    },
    liquidationFormula: {
      value: {
        long: "p' = (e − s·p) / (|s|·MMF − s), s > 0",
        short: "p' = (e − s·p) / (|s|·MMF − s), s < 0",
      },
      status: 'published',
      source: DYDX_LIQUIDATIONS,
      note: 'e = equity, s = signed size, p = price at which e is measured (the entry price in the page\'s example). e − s·p is the isolated subaccount\'s USDC balance, margin − s·entry, so the price does not depend on which price e is taken at.',
    },
  },
});

function freezeAll<T extends Record<string, object>>(table: T): Readonly<T> {
  for (const entry of Object.values(table)) Object.freeze(entry);
  return Object.freeze(table);
}

/** The conventions of a venue; EngineInputError for an id not in VENUE_IDS. */
export function venueConvention(id: string): VenueConvention {
  return CONVENTIONS[oneOf('venue', id, VENUE_IDS)];
}

// ---------------------------------------------------------------------------------------------------------
// Maintenance margin and liquidation price by venue
// ---------------------------------------------------------------------------------------------------------

/**
 * A position as position.ts takes it; the rate and amount may instead come from `brackets` (then leave
 * them out). dYdX's maintenance margin fraction is the rate; it has no amount. (Defined in position.ts, where
 * venue-position.ts's lookup uses the same shape.)
 */
export type { VenuePositionInput };

type Brackets = readonly BracketInput[] | BracketTable;

function checkContract(convention: VenueConvention, input: VenuePositionInput): void {
  if (input === null || typeof input !== 'object') throw new EngineInputError('position', 'must be an object');
  if (input.contract !== convention.contract) {
    throw new EngineInputError(
      'contract',
      `${convention.label} positions are ${convention.contract}, got ${JSON.stringify(input.contract)}`,
    );
  }
}

function refuseUnverified(convention: VenueConvention): void {
  if (convention.liquidationFormula === null || convention.maintenanceBasis.status === 'informal') {
    throw new EngineInputError(
      'venue',
      `${convention.venue} publishes no maintenance-margin basis or liquidation-price formula that could be verified (${convention.maintenanceBasis.source}); the engine computes none for it`,
    );
  }
}

function withoutRate(input: VenuePositionInput): Omit<PositionInput, 'maintenanceMarginRate' | 'maintenanceAmount'> {
  const { maintenanceMarginRate: _rate, maintenanceAmount: _amount, ...rest } = input;
  return rest;
}

/**
 * The position normalised with its rate and amount: from the input, or from the bracket containing the
 * notional at `basisPrice` (entry for 'entry'; the mark for 'mark', where that is what the caller passes).
 */
function resolvePosition(
  convention: VenueConvention,
  input: VenuePositionInput,
  brackets: Brackets | undefined,
  basisPrice: 'entry' | Decimal,
): Position {
  if (convention.id === 'dydx') {
    if (brackets !== undefined) {
      throw new EngineInputError('brackets', 'dYdX has one maintenance margin fraction per market, no brackets');
    }
    if (input.maintenanceAmount !== undefined && !nonNegative('maintenanceAmount', input.maintenanceAmount).isZero()) {
      throw new EngineInputError('maintenanceAmount', 'dYdX has no maintenance amount; leave it out or set it to 0');
    }
  }
  if (brackets === undefined) {
    if (input.maintenanceMarginRate === undefined) {
      throw new EngineInputError('maintenanceMarginRate', 'is required (or give a bracket table)');
    }
    return normalizePosition({
      ...withoutRate(input),
      maintenanceMarginRate: input.maintenanceMarginRate,
      ...(input.maintenanceAmount === undefined ? {} : { maintenanceAmount: input.maintenanceAmount }),
    });
  }
  if (input.maintenanceMarginRate !== undefined || input.maintenanceAmount !== undefined) {
    throw new EngineInputError(
      'maintenanceMarginRate',
      'give either a rate and amount or a bracket table, not both',
    );
  }
  const probe = normalizePosition({ ...withoutRate(input), maintenanceMarginRate: 0 });
  const entryBracket = maintenanceBracket(brackets, notionalAt(probe, probe.entryPrice));
  // The venue accepts the position only if its margin exceeds maintenance at entry, under the entry bracket.
  const atEntry = normalizePosition({
    ...withoutRate(input),
    maintenanceMarginRate: entryBracket.maintenanceMarginRate,
    maintenanceAmount: entryBracket.maintenanceAmount,
  });
  if (basisPrice === 'entry') return atEntry;
  const bracket = maintenanceBracket(brackets, notionalAt(probe, basisPrice));
  return normalizePosition({
    ...withoutRate(input),
    maintenanceMarginRate: bracket.maintenanceMarginRate,
    maintenanceAmount: bracket.maintenanceAmount,
  });
}

/**
 * Maintenance margin of an isolated position at a mark price, on the venue's basis:
 *   'mark' (Binance) and 'oracle' (dYdX, `markPrice` is the oracle price): notional at that price × rate − amount;
 *   'entry' (Bybit): position value at entry × rate − deduction, the same at every mark price.
 * With `brackets`, the rate and amount come from the bracket containing the notional on that basis.
 * Quote units for linear contracts, coin for inverse ones.
 */
export function maintenanceMarginFor(
  input: VenuePositionInput,
  markPrice: Numeric,
  venueId: VenueId,
  brackets?: Brackets,
): Decimal {
  const convention = venueConvention(venueId);
  checkContract(convention, input);
  refuseUnverified(convention);
  const mark = positive('markPrice', markPrice);
  const basis = convention.maintenanceBasis.value;
  const p = resolvePosition(convention, input, brackets, basis === 'entry' ? 'entry' : mark);
  const notional = notionalAt(p, basis === 'entry' ? p.entryPrice : mark);
  return notional.mul(p.maintenanceMarginRate).sub(p.maintenanceAmount);
}

/**
 * The liquidation price of an isolated position under the venue's published formula (fees excluded in
 * every case; see each convention's note). Null where no positive price liquidates the position.
 *   binance-usdm, binance-coinm: position.ts's `liquidationPrice` (mark basis); with `brackets`, the
 *     bracket containing the notional at the liquidation price (`liquidationPriceWithBrackets`).
 *   bybit-linear: LP = EP ∓ (margin − MM)/Q with MM = Q·EP·MMR − deduction, which is Bybit's
 *     EP − (IM − MM)/Q − extra/Q with margin = IM + extra.
 *   bybit-inverse (2024-09-10 revision): LP = Q / (Q/EP ± (margin − MM)), MM = (Q/EP)·MMR − deduction.
 *   dydx (linear only): p' = (e − s·p) / (|s|·MMF − s) with e − s·p = margin − s·entry.
 *   bitmex: refused (no published formula).
 * With `brackets` on Bybit, the tier is the one containing the position value at entry.
 */
export function liquidationPriceFor(
  input: VenuePositionInput,
  venueId: VenueId,
  brackets?: Brackets,
): Decimal | null {
  const convention = venueConvention(venueId);
  checkContract(convention, input);
  refuseUnverified(convention);
  switch (convention.id) {
    case 'binance-usdm':
    case 'binance-coinm': {
      if (brackets !== undefined) {
        if (input.maintenanceMarginRate !== undefined || input.maintenanceAmount !== undefined) {
          throw new EngineInputError('maintenanceMarginRate', 'give either a rate and amount or a bracket table, not both');
        }
        return liquidationPriceWithBrackets(withoutRate(input), brackets).liquidationPrice;
      }
      return liquidationPrice(resolvePosition(convention, input, undefined, 'entry'));
    }
    case 'bybit-linear':
    case 'bybit-inverse':
      return entryBasisLiquidationPrice(resolvePosition(convention, input, brackets, 'entry'));
    case 'dydx':
      return dydxLiquidationPrice(resolvePosition(convention, input, brackets, 'entry'));
    case 'bitmex':
      // refuseUnverified has thrown already; kept so that every id is handled explicitly.
      return null;
  }
}

/**
 * Entry basis (Bybit): equity(P) = MM_entry. Linear: M + s·Q·(P − E) = MM → P = E − s·(M − MM)/Q.
 * Inverse (size in quote units Q): M + s·Q·(1/E − 1/P) = MM → P = Q / (Q/E + s·(M − MM)).
 * Used by venue-position.ts for positions that carry a Bybit venue.
 */
export function entryBasisLiquidationPrice(p: Position): Decimal | null {
  const q = p.quantity.mul(p.contractSize);
  const mm = notionalAt(p, p.entryPrice).mul(p.maintenanceMarginRate).sub(p.maintenanceAmount);
  // IM + extra − MM: positive for a position being opened (margin > MM at entry). A held position whose
  // margin funding or a removal took below MM at entry has a negative buffer: a long's price is then above
  // its entry, which is right (it is liquidated as soon as its profit shrinks to that point).
  const buffer = p.margin.sub(mm);
  let price: Decimal;
  if (p.contract === 'linear') {
    const move = buffer.div(q);
    price = p.side === 'long' ? p.entryPrice.sub(move) : p.entryPrice.add(move);
  } else {
    const pv = q.div(p.entryPrice);
    const denominator = p.side === 'long' ? pv.add(buffer) : pv.sub(buffer);
    if (denominator.lte(0)) return null;
    price = q.div(denominator);
  }
  return price.gt(0) ? price : null;
}

/** dYdX isolated: p' = (e − s·p) / (|s|·MMF − s), taken at the entry (e = margin, p = entry price). */
function dydxLiquidationPrice(p: Position): Decimal | null {
  const size = p.quantity.mul(p.contractSize);
  const s = p.side === 'long' ? size : size.neg();
  const e = p.margin;
  const numerator = e.sub(s.mul(p.entryPrice));
  const denominator = size.mul(p.maintenanceMarginRate).sub(s);
  const price = numerator.div(denominator);
  return price.gt(0) ? price : null;
}
