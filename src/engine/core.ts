/**
 * The venue-free engine: Binance's single-position formulas, for callers whose positions name no venue and
 * carry their own maintenance rate (the position explorer, the lesson numbers that follow it).
 *
 * Why a second entry point: index.ts's `positionMetrics`, `liquidationPrice` and friends dispatch on a
 * position's `venue` and may look a bracket table up, so they bring the shipped venue tables, the bracket
 * rules and the venue conventions into any bundle that imports them (about 8 KB gzipped). A position without a
 * venue gets exactly these functions' results from index.ts too (venue-position.test.ts checks that to the
 * last digit), so a page that never needs a venue can import from here and ship less.
 */
export { Decimal, type Numeric } from './decimal.ts';
export { EngineInputError } from './errors.ts';
export {
  positionMetrics,
  liquidationPrice,
  bankruptcyPrice,
  priceMoveToLiquidation,
  liquidationLoss,
  normalizePosition,
  openPosition,
  leverageCeiling,
  notionalAt,
  toDecimal,
  CONTRACT_KINDS,
  SIDES,
  DEFAULT_INVERSE_CONTRACT_SIZE,
  type ContractKind,
  type Side,
  type PositionInput,
  type Position,
  type PositionMetrics,
  type LiquidationLoss,
  type OpenPositionInput,
} from './position.ts';
