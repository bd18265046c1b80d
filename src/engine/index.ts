/**
 * Margin Pressure's margin engine: pure TypeScript over decimal.js. No DOM, no floats for money,
 * deterministic to the last digit. Inputs accept string | number | Decimal; outputs are Decimal.
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
