/**
 * The venue bracket tables the tier ladder offers, as plain data the page hands to the widget. The page
 * reads them from content/venues/ at build time (schema-checked there); this module only shapes them.
 */
export interface LadderPreset {
  id: string;
  /** "Binance USDⓈ-M BTCUSDT, tiers from 2025-08-19". */
  label: string;
  venueId: 'binance-usdm' | 'bybit-linear';
  symbol: string;
  quote: string;
  /** A round entry price for the symbol, for the widget's default. */
  defaultEntry: string;
  sourceUrl: string;
  brackets: { floor: string; cap: string; maintenanceMarginRate: string; maintenanceAmount: string; maxLeverage: string }[];
}

/** Round entry prices by base asset, so a preset opens at a believable price. */
const ENTRY_BY_BASE: Record<string, string> = { BTC: '60000', ETH: '3000' };

interface PresetSource {
  id: string;
  venue: string;
  symbol: string;
  contract: string;
  marginCurrency: string;
  effective?: string | undefined;
  source: { url: string; read: string };
  conventions: { venueId: string };
  brackets: LadderPreset['brackets'];
}

/** Linear presets on a venue whose liquidation price the engine computes, newest table first per symbol. */
export function ladderPresets(sources: readonly PresetSource[]): LadderPreset[] {
  return sources
    .filter((p) => p.contract === 'linear' && (p.conventions.venueId === 'binance-usdm' || p.conventions.venueId === 'bybit-linear'))
    .map((p) => ({
      id: p.id,
      label: `${p.venue} ${p.symbol}, tiers ${p.effective ? `from ${p.effective}` : `read ${p.source.read}`}`,
      venueId: p.conventions.venueId as LadderPreset['venueId'],
      symbol: p.symbol,
      quote: p.marginCurrency,
      defaultEntry: ENTRY_BY_BASE[p.symbol.replace(/USDT$|USDC$/, '')] ?? '100',
      sourceUrl: p.source.url,
      brackets: p.brackets,
    }))
    // Binance first (the site's default convention), then by symbol, newest table first.
    .sort((a, b) => a.venueId.localeCompare(b.venueId) || a.symbol.localeCompare(b.symbol) || b.id.localeCompare(a.id));
}
