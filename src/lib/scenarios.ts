/** Scenario presets as pages hand them to widgets: plain data, in each widget's picker order. */
import { getCollection } from 'astro:content';
import type { ScenarioPreset } from '../widgets/shared/link';
import type { WidgetId } from '../widgets/meta';

export async function scenariosFor(widget: WidgetId): Promise<ScenarioPreset[]> {
  const entries = await getCollection('scenarios', (entry) => entry.data.widget === widget);
  return entries
    .sort((a, b) => a.data.order - b.data.order || a.id.localeCompare(b.id))
    .map((entry) => ({
      id: entry.id,
      widget: entry.data.widget,
      title: entry.data.title,
      summary: entry.data.summary,
      version: entry.data.version,
      params: entry.data.params,
    }));
}
