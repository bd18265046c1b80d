import { describe, expect, it } from 'vitest';
import { shareSnippets } from './share';

describe('shareSnippets', () => {
  const snippets = shareSnippets({
    origin: 'https://example.org/mp',
    widgetId: 'position-explorer',
    widgetTitle: 'Position explorer',
    stateLabel: '10× long "BTC" <x>',
    query: 'v=1&lev=10&side=long',
    embedHeight: 1340,
  });

  it('links to the widget page and the embed route with the same state', () => {
    expect(snippets.link).toBe('https://example.org/mp/widgets/position-explorer/?v=1&lev=10&side=long');
    expect(snippets.embedUrl).toBe('https://example.org/mp/embed/position-explorer/?v=1&lev=10&side=long');
  });

  it('writes an iframe that fits without a host script, with a title and a plain-link fallback', () => {
    expect(snippets.iframe).toContain('src="https://example.org/mp/embed/position-explorer/?v=1&amp;lev=10&amp;side=long"');
    expect(snippets.iframe).toContain('height="1340"');
    expect(snippets.iframe).toContain('width="100%"');
    expect(snippets.iframe).toContain('loading="lazy"');
    expect(snippets.iframe).not.toContain('<script');
    expect(snippets.iframe).toMatch(/<p><a href="https:\/\/example\.org\/mp\/widgets\/position-explorer\/\?v=1&amp;lev=10&amp;side=long">/);
  });

  it("links to the embed builder with the same state", () => {
    expect(snippets.builder).toBe('https://example.org/mp/widgets/position-explorer/embed-builder/?v=1&lev=10&side=long');
  });

  it('escapes the title so state text cannot break out of the attribute', () => {
    expect(snippets.iframe).toContain('title="Margin Pressure: Position explorer (10× long &quot;BTC&quot; &lt;x&gt;)"');
  });
});
