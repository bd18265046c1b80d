/** The text of a share link and an <iframe> snippet. Plain functions so tests can read them directly. */

export interface ShareInput {
  /** Site origin plus base path, no trailing slash: "https://example.org/margin". */
  origin: string;
  widgetId: string;
  widgetTitle: string;
  stateLabel: string;
  query: string;
  embedHeight: number;
}

function escapeAttribute(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function shareSnippets({ origin, widgetId, widgetTitle, stateLabel, query, embedHeight }: ShareInput) {
  const suffix = query ? `?${query}` : '';
  const link = `${origin}/widgets/${widgetId}/${suffix}`;
  const embedUrl = `${origin}/embed/${widgetId}/${suffix}`;
  // The builder opens with the same state, for instructors who want locked controls, a theme or a layout.
  const builder = `${origin}/widgets/${widgetId}/embed-builder/${suffix}`;
  const title = `Margin Pressure: ${widgetTitle} (${stateLabel})`;
  // Width 100 % with an explicit height: the frame fits without a resize script on the host page.
  const iframe = [
    `<iframe src="${escapeAttribute(embedUrl)}" width="100%" height="${embedHeight}" style="border:0;max-width:960px" title="${escapeAttribute(title)}" loading="lazy"></iframe>`,
    `<p><a href="${escapeAttribute(link)}">Open the ${escapeAttribute(widgetTitle.toLowerCase())} on Margin Pressure</a></p>`,
  ].join('\n');
  return { link, embedUrl, iframe, title, builder };
}
