/** Build-time: the venue tables from the content collection, shaped for the tier ladder. */
import { getCollection } from 'astro:content';
import { ladderPresets, type LadderPreset } from './presets';

export async function loadLadderPresets(): Promise<LadderPreset[]> {
  const entries = await getCollection('venues');
  return ladderPresets(entries.map((entry) => entry.data));
}
