/**
 * Margin Pressure's margin engine: pure TypeScript over decimal.js. No DOM, no floats for money,
 * deterministic to the last digit. Inputs accept string | number | Decimal; outputs are Decimal.
 */
export { Decimal, type Numeric } from './decimal.ts';
export { EngineInputError } from './errors.ts';
// Positions: validation, metrics and prices. The venue-aware versions (venue-position.ts), which are Binance's
// when a position names no venue; position.ts holds the Binance core they call into.
export {
  positionMetrics,
  liquidationPrice,
  bankruptcyPrice,
  priceMoveToLiquidation,
  liquidationLoss,
  normalizePosition,
  openPosition,
  venuePreset,
  listVenuePresets,
  type ShippedVenuePreset,
} from './venue-position.ts';
export {
  leverageCeiling,
  notionalAt,
  toDecimal,
  CONTRACT_KINDS,
  SIDES,
  POSITION_STAGES,
  DEFAULT_INVERSE_CONTRACT_SIZE,
  type ContractKind,
  type Side,
  type PositionStage,
  type PositionInput,
  type Position,
  type PositionMetrics,
  type LiquidationLoss,
  type OpenPositionInput,
  type VenueOpenPositionInput,
} from './position.ts';
export { type VenuePresetData, type PresetBracket } from './venue-rules.ts';

// Tiered maintenance margin: venues' risk brackets and the liquidation price that honours them.
export {
  bracketIssues,
  validateBrackets,
  deriveMaintenanceAmounts,
  maintenanceBracket,
  tieredMaintenanceMargin,
  maxLeverageFor,
  liquidationPriceWithBrackets,
  type BracketInput,
  type BracketShape,
  type Bracket,
  type BracketTable,
  type BracketIssue,
  type BracketPositionInput,
  type BracketLiquidation,
} from './brackets.ts';

// Venue conventions: which notional the maintenance margin is charged on, how the margin ratio is quoted.
export {
  VENUE_IDS,
  venueConvention,
  maintenanceMarginFor,
  liquidationPriceFor,
  type VenueId,
  type VenueConvention,
  type VenueFact,
  type FactStatus,
  type MaintenanceBasis,
  type MarginRatioConvention,
  type ClosingFeeConvention,
  type LiquidationFormula,
  type VenuePositionInput,
} from './venues.ts';

// Cross-margin accounts and isolated-margin allocation.
export {
  accountMetrics,
  crossLiquidationPrice,
  normalizeAccount,
  addIsolatedMargin,
  removeIsolatedMargin,
  maxRemovableMargin,
  CROSS_MARGIN_VENUES,
  type AccountInput,
  type Account,
  type CrossPositionInput,
  type CrossPosition,
  type AccountMetrics,
  type CrossPositionMetrics,
  type CrossMarginVenue,
} from './account.ts';

// What a liquidation costs and who pays: trader, liquidation fee, insurance fund, bad debt.
export { liquidationOutcome, type LiquidationOutcome, type LiquidationOutcomeOptions } from './outcome.ts';

// Partial liquidation: Bybit steps a position down its risk-limit tiers before taking it over.
export {
  partialLiquidation,
  type PartialLiquidation,
  type PartialLiquidationOptions,
  type PartialLiquidationStep,
} from './partial-liquidation.ts';

// Fees and funding over time.
export {
  openingFee,
  closingFee,
  fundingPayment,
  applyFunding,
  replayFunding,
  type FundingPathStep,
  type FundingReplayStep,
  type FundingReplay,
} from './funding.ts';

// The forced-selling spiral: order books, populations of positions, the liquidation cascade (issue 5).
export {
  flatBook,
  sqrtBook,
  bookFromSnapshot,
  marketSell,
  marketBuy,
  refillBook,
  withdrawDepth,
  shiftBook,
  bookLevels,
  isBook,
  MAX_BOOK_LEVELS,
  Book,
  type BookKind,
  type BookSide,
  type BookLevel,
  type BookSnapshot,
  type SnapshotLevel,
  type FlatBookInput,
  type SqrtBookInput,
  type MarketOrderResult,
} from './book.ts';
export {
  createPopulation,
  populationFrom,
  populationPosition,
  liquidationMap,
  isPopulation,
  MAX_POPULATION,
  MARGIN_MODES,
  Population,
  type MarginMode,
  type PopulationParams,
  type LeverageShare,
  type SizeDistribution,
  type PopulationPositionInput,
  type PopulationFromOptions,
  type PopulationPosition,
  type LiquidationMapBucket,
} from './population.ts';
export {
  simulateCascade,
  type CascadeShock,
  type CascadeOptions,
  type CascadeRound,
  type CascadeResult,
  type CascadeLedger,
  type StopReason,
  BACKSTOPS,
  type Backstop,
  type VaultOptions,
  type CascadeVault,
} from './cascade.ts';
export { simulateCascadePerPosition } from './cascade-reference.ts';
export { ADL_RANKINGS, type AdlRanking } from './adl.ts';

// DeFi lending (issue 6): health factor, borrowing power, Aave-v3-style liquidation, protocol presets; and the
// constant-product AMM that seized collateral is sold into.
export {
  healthFactor,
  borrowingPower,
  collateralLiquidationPrice,
  collateralPriceForHealthFactor,
  lendingAccountValues,
  lendingLiquidation,
  normalizeLendingAccount,
  protocolPreset,
  listProtocolPresets,
  AAVE_V3_CLOSE_FACTOR,
  AAVE_V3_3_POSITION_LIMITS,
  LENDING_RULES,
  type LendingRules,
  type PositionSizeLimits,
  type CloseFactorReason,
  type LeftoverAdjustment,
  type CollateralInput,
  type DebtInput,
  type LendingAccountInput,
  type LendingAccount,
  type LendingCollateral,
  type LendingDebt,
  type LendingPrices,
  type LendingAccountValues,
  type CloseFactorRule,
  type LendingLiquidationOptions,
  type LendingLiquidation,
} from './lending.ts';
export { type ProtocolPresetData, type ProtocolAssetParameters } from './protocol-tables.generated.ts';
export {
  constantProductPool,
  poolSpotPrice,
  swapExactIn,
  type ConstantProductPoolInput,
  type ConstantProductPool,
  type PoolToken,
  type SwapExactInInput,
  type SwapResult,
} from './amm.ts';

// On-chain liquidation cascades (issue 6): borrower populations and the lending-protocol / AMM / oracle round loop.
export {
  /** N borrowers drawn from a seed (Pareto sizes, log-normal health factors), sorted once for fast cascades. */
  createBorrowers,
  /** An explicit borrower population (amounts on the 10^-8 collateral / 10^-6 debt grid). */
  borrowersFrom,
  /** A population's borrowers as Decimals, in input order. */
  borrowerList,
  /** A population's count and total collateral and debt. */
  borrowerTotals,
  /** Each borrower's liquidation price for a given liquidation threshold, highest first (for charts). */
  borrowerLiquidationPrices,
  /** True for a population built by createBorrowers or borrowersFrom. */
  isBorrowerPopulation,
  COLLATERAL_DECIMALS,
  DEBT_DECIMALS,
  MAX_BORROWERS,
  type BorrowerInput,
  type BorrowerPopulationParams,
  type BorrowerPopulation,
} from './borrowers.ts';
export {
  /** Runs an on-chain liquidation cascade: shock, then blocks of arbitrage, oracle updates, liquidations and pool sales. */
  simulateLendingCascade,
  ONCHAIN_DEFAULTS,
  ORACLE_DECIMALS,
  type PoolInput,
  type OracleInput,
  type LendingProtocolInput,
  type LendingSystemInput,
  type OnchainShock,
  type OnchainOptions,
  type OnchainStopReason,
  type ProtocolRound,
  type OnchainPoolRound,
  type OnchainRound,
  type OnchainProtocolTotals,
  type OnchainAccountState,
  type OnchainResult,
} from './onchain.ts';

// Cross-protocol contagion (issue 6): the standard three-protocol scenario built for simulateLendingCascade.
export {
  contagionNetwork,
  contagionPopulations,
  contagionPopulationParams,
  contagionShock,
  contagionPressure,
  contagionThresholds,
  hiddenReceiptLoss,
  firstLiquidationPrice,
  CONTAGION_ASSUMPTIONS,
  CONTAGION_IDS,
  CONTAGION_PRESET,
  CONTAGION_PRICE,
  type ContagionLinks,
  type ContagionParams,
  type ContagionPopulations,
  type ContagionProtocolId,
  type HiddenReceiptLoss,
  type ProtocolPressure,
} from './contagion.ts';
