import { describe, expect, it } from 'vitest';
import { MAX_QUERY, MAX_TERMS, excerptRuns, readQuery, searchEntries, type PageHit } from './search';

describe('readQuery', () => {
  it('reads and trims ?q=', () => {
    expect(readQuery('?q=%20health%20factor%20')).toEqual({ query: 'health factor' });
    expect(readQuery('')).toEqual({ query: '' });
    expect(readQuery('?q=')).toEqual({ query: '' });
  });

  it('drops control characters and cuts long queries with a note', () => {
    expect(readQuery('?q=close%00%1Ffactor').query).toBe('closefactor');
    const long = readQuery(`?q=${'a'.repeat(MAX_QUERY + 50)}`);
    expect(long.query).toHaveLength(MAX_QUERY);
    expect(long.note).toMatch(/cut to its first 100 characters/);
  });

  it('keeps markup as plain characters (it only ever becomes an input value)', () => {
    expect(readQuery('?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E').query).toBe('<script>alert(1)</script>');
  });
});

describe('excerptRuns', () => {
  it('splits marked words from plain text', () => {
    expect(excerptRuns('the <mark>health</mark> <mark>factor</mark> falls')).toEqual([
      { text: 'the ', mark: false },
      { text: 'health', mark: true },
      { text: ' ', mark: false },
      { text: 'factor', mark: true },
      { text: ' falls', mark: false },
    ]);
  });

  it('decodes the entities Pagefind escapes with, once', () => {
    expect(excerptRuns('P&amp;L &lt;b&gt; &quot;x&quot; &#39;y&#39; &#x2019; &amp;lt;')).toEqual([
      { text: 'P&L <b> "x" \'y\' \u2019 &lt;', mark: false },
    ]);
  });

  it('drops any tag other than mark, so nothing but text can come out', () => {
    const runs = excerptRuns('a<script>alert(1)</script><img src=x onerror=alert(1)><mark>b</mark>');
    expect(runs).toEqual([
      { text: 'aalert(1)', mark: false },
      { text: 'b', mark: true },
    ]);
  });
});

const glossary = (subs: { id: string; title: string; scores: number[] }[]): PageHit => ({
  url: '/glossary/',
  excerpt: 'whole page',
  meta: { title: 'Glossary', kind: 'Glossary' },
  sub_results: [
    { title: 'Glossary', url: '/glossary/', excerpt: 'intro', weighted_locations: [{ balanced_score: 999 }] },
    ...subs.map((s) => ({
      title: s.title,
      url: `/glossary/#${s.id}`,
      excerpt: `about ${s.title}`,
      anchor: { id: s.id },
      weighted_locations: s.scores.map((balanced_score) => ({ balanced_score })),
    })),
  ],
});

describe('searchEntries', () => {
  it('keeps lessons in order and opens the glossary into its best terms, linked to their headings', () => {
    const lesson: PageHit = { url: '/learn/health-factor/', excerpt: 'the <mark>close</mark> factor', meta: { title: 'Health factor', kind: 'Lesson' } };
    const entries = searchEntries([
      lesson,
      glossary([
        { id: 'auto-deleveraging-title', title: 'Auto-deleveraging (ADL)', scores: [10, 10] },
        { id: 'close-factor-title', title: 'Close factor (Maximum liquidation share)', scores: [500, 100] },
        { id: 'bad-debt-title', title: 'Bad debt', scores: [] },
        { id: 'leverage-title', title: 'Leverage', scores: [1] },
        { id: 'health-factor-title', title: 'Health factor (HF)', scores: [30] },
      ]),
    ]);
    expect(entries).toEqual([
      { kind: 'Lesson', title: 'Health factor', url: '/learn/health-factor/', excerpt: 'the <mark>close</mark> factor' },
      { kind: 'Glossary', title: 'Close factor', url: '/glossary/#close-factor-title', excerpt: 'about Close factor (Maximum liquidation share)' },
      { kind: 'Glossary', title: 'Health factor', url: '/glossary/#health-factor-title', excerpt: 'about Health factor (HF)' },
      { kind: 'Glossary', title: 'Auto-deleveraging', url: '/glossary/#auto-deleveraging-title', excerpt: 'about Auto-deleveraging (ADL)' },
    ]);
    expect(entries.filter((e) => e.kind === 'Glossary')).toHaveLength(MAX_TERMS);
  });

  it('labels teacher guides as such', () => {
    const guide: PageHit = { url: '/widgets/tier-ladder/guide/', excerpt: 'x', meta: { title: 'Tier ladder', kind: 'Teacher guide' } };
    expect(searchEntries([guide])[0]?.kind).toBe('Teacher guide');
  });

  it('falls back to the URL for a page without a title', () => {
    expect(searchEntries([{ url: '/learn/x/', excerpt: '', meta: {} }])[0]?.title).toBe('/learn/x/');
  });
});
