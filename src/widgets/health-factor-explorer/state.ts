/**
 * The health factor explorer's state: the protocol preset, a borrower's two collateral and two debt slots (asset
 * and amount each), which collateral's price the reader moves and by how much, which debt a liquidator repays and
 * which collateral they seize, and the rule set. Parsed and clamped with the shared parameter specs, so a lesson's
 * `initial`, a Share link, an /embed/ URL and the parameter table agree. Values stay decimal strings.
 *
 * The price is stored as a move from the asset's reference price (percent), not as a price, so one link means the
 * same thing whichever asset it moves. An amount of 0 leaves a slot empty; with no debt at all there is no health
 * factor, and the widget says so instead of drawing one.
 */
import { listProtocolPresets, protocolPreset } from '../../engine';
import { decimalParam, encodeParams, enumParam, parseParams, quote, type ParamSpec } from '../shared/params';

export interface ExplorerState {
  protocol: string;
  /** Collateral slots: asset and amount (units of the asset). */
  c1: string;
  a1: string;
  c2: string;
  a2: string;
  /** Debt slots: asset and amount. */
  d1: string;
  b1: string;
  d2: string;
  b2: string;
  /** Which collateral slot's price moves: '1' or '2'. */
  k: '1' | '2';
  /** Its move from the reference price, percent. */
  move: string;
  /** The debt slot a liquidator repays and the collateral slot they seize. */
  r: '1' | '2';
  s: '1' | '2';
  rules: 'v3.3' | 'v3.0';
}

export const MOVE_MIN = -95;
export const MOVE_MAX = 100;
export const MOVE_STEP = 0.5;
export const MAX_COLLATERAL = 1_000_000;
export const MAX_DEBT = 100_000_000;

const PRESETS = listProtocolPresets() as [string, ...string[]];
export const DEFAULT_PRESET = 'aave-v3-ethereum';

/** The assets of the preset already parsed (the first preset's if none). */
export function presetAssets(presetId: string | undefined): string[] {
  return protocolPreset(presetId && PRESETS.includes(presetId) ? presetId : DEFAULT_PRESET).assets.map((a) => a.asset);
}

/**
 * One slot's asset: one of the preset's assets, and not the asset of the slot named by `other` (the engine lists
 * an asset once per side, so a link that repeats one gets the next free asset, with a note).
 */
function assetParam(key: string, label: string, fallback: string, other?: string): ParamSpec {
  const pick = (parsed: Record<string, string>, wanted: string) => {
    const assets = presetAssets(parsed['protocol']);
    const taken = other ? parsed[other] : undefined;
    if (assets.includes(wanted) && wanted !== taken) return wanted;
    return assets.find((a) => a !== taken && a === fallback) ?? assets.find((a) => a !== taken)!;
  };
  return {
    key,
    label,
    allowed: "one of the preset's assets (for Aave v3 Ethereum: USDC, WETH, wstETH, WBTC, USDT, DAI, LINK)",
    fallback: (parsed) => pick(parsed, fallback),
    read: (raw, parsed) => {
      const assets = presetAssets(parsed['protocol']);
      const exact = assets.find((a) => a.toLowerCase() === raw.trim().toLowerCase());
      const value = pick(parsed, exact ?? fallback);
      if (exact === undefined) return { value, note: `${label} ${quote(raw)} is not one of ${assets.join(', ')}; using ${value}.` };
      if (exact !== value) return { value, note: `${label} ${exact} is already the other slot's asset; using ${value}.` };
      return { value };
    },
  };
}

function amountParam(key: string, label: string, fallback: string, max: number, decimals: number): ParamSpec {
  return decimalParam(key, label, {
    min: () => '0',
    max: () => String(max),
    fallback: () => fallback,
    allowed: `0 to ${max.toLocaleString('en-US')} units of the asset, up to ${decimals} decimals (0 leaves the slot empty)`,
    decimals,
  });
}

export const explorerParams: readonly ParamSpec[] = [
  enumParam('protocol', 'Protocol preset', PRESETS, DEFAULT_PRESET),
  assetParam('c1', 'First collateral', 'WETH'),
  amountParam('a1', 'First collateral amount', '10', MAX_COLLATERAL, 8),
  assetParam('c2', 'Second collateral', 'WBTC', 'c1'),
  amountParam('a2', 'Second collateral amount', '0.25', MAX_COLLATERAL, 8),
  assetParam('d1', 'First debt', 'USDC'),
  amountParam('b1', 'First debt amount', '24000', MAX_DEBT, 2),
  assetParam('d2', 'Second debt', 'DAI', 'd1'),
  amountParam('b2', 'Second debt amount', '2000', MAX_DEBT, 2),
  enumParam('k', 'Price moved', ['1', '2'], '1'),
  decimalParam('move', 'Price move', {
    min: () => String(MOVE_MIN),
    max: () => String(MOVE_MAX),
    fallback: () => '0',
    allowed: `${MOVE_MIN} to ${MOVE_MAX} (percent from the reference price, one decimal)`,
    decimals: 1,
    unit: () => ' %',
  }),
  enumParam('r', 'Debt repaid', ['1', '2'], '1'),
  enumParam('s', 'Collateral seized', ['1', '2'], '1'),
  enumParam('rules', 'Rules', ['v3.3', 'v3.0'], 'v3.3'),
];

export const explorerParamMeaning: Record<string, string> = {
  protocol: "The protocol's published risk parameters (LTV, liquidation threshold, bonus, protocol fee per asset)",
  c1: 'First collateral asset',
  a1: 'Units of the first collateral supplied',
  c2: 'Second collateral asset (a different one)',
  a2: 'Units of the second collateral supplied',
  d1: 'First debt asset',
  b1: 'Units of the first debt borrowed',
  d2: 'Second debt asset (a different one)',
  b2: 'Units of the second debt borrowed',
  k: 'Which collateral slot (1 or 2) has its price moved',
  move: "That collateral's price move from its reference price, percent",
  r: 'Which debt slot (1 or 2) a liquidator repays',
  s: 'Which collateral slot (1 or 2) a liquidator seizes',
  rules: "Aave's liquidation rules: v3.3 (close factor on the whole position, small positions in full, bad debt burned) or v3.0",
};

export function defaultExplorerState(overrides: Partial<ExplorerState> = {}): ExplorerState {
  const { values } = parseParams(explorerParams, new URLSearchParams(overrides as Record<string, string>));
  return values as unknown as ExplorerState;
}

export function readExplorerState(search: string | URLSearchParams): { state: ExplorerState; notes: string[] } {
  const { values, notes } = parseParams(explorerParams, search);
  return { state: values as unknown as ExplorerState, notes };
}

export function writeExplorerState(state: ExplorerState): string {
  return encodeParams(explorerParams, state as unknown as Record<string, string>);
}
