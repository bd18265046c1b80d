/**
 * Each widget's parameter list and the meaning of each key, by widget id, loaded on demand: the embed
 * builder (one island for every widget) fetches only the list it needs, and a reader's bundle elsewhere
 * carries none of them. The tier ladder's list depends on the venue tables the page hands it.
 */
import type { ParamSpec } from './shared/params';
import type { LadderPreset } from './tier-ladder/presets';
import type { WidgetId } from './meta';

export interface WidgetCodec {
  specs: readonly ParamSpec[];
  meaning: Record<string, string>;
}

export interface CodecContext {
  /** The tier ladder's venue tables (its `venue` choices). */
  venues?: readonly LadderPreset[];
}

export const codecLoaders: Record<WidgetId, (context: CodecContext) => Promise<WidgetCodec>> = {
  'position-explorer': async () => {
    const m = await import('./position-explorer/state');
    return { specs: m.explorerParams, meaning: m.explorerParamMeaning };
  },
  'tier-ladder': async ({ venues }) => {
    const m = await import('./tier-ladder/state');
    return { specs: m.ladderParams(venues ?? []), meaning: m.ladderParamMeaning };
  },
  'cross-vs-isolated': async () => {
    const m = await import('./cross-vs-isolated/state');
    return { specs: m.crossParams, meaning: m.crossParamMeaning };
  },
  'margin-monitor': async () => {
    const m = await import('./margin-monitor/state');
    return { specs: m.monitorParams, meaning: m.monitorParamMeaning };
  },
  'cascade-simulator': async () => {
    const m = await import('./cascade-simulator/state');
    return { specs: m.cascadeParams, meaning: m.cascadeParamMeaning };
  },
  'liquidation-map': async () => {
    const m = await import('./liquidation-map/state');
    return { specs: m.mapParams, meaning: m.mapParamMeaning };
  },
  'stability-frontier': async () => {
    const m = await import('./stability-frontier/state');
    return { specs: m.frontierParams, meaning: m.frontierParamMeaning };
  },
  'health-factor-explorer': async () => {
    const m = await import('./health-factor-explorer/state');
    return { specs: m.explorerParams, meaning: m.explorerParamMeaning };
  },
  'amm-liquidation-spiral': async () => {
    const m = await import('./amm-liquidation-spiral/state');
    return { specs: m.spiralParams, meaning: m.spiralParamMeaning };
  },
  'contagion-network': async () => {
    const m = await import('./contagion-network/state');
    return { specs: m.contagionParams, meaning: m.contagionParamMeaning };
  },
};
