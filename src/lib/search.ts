/**
 * The pure half of /search/: reading ?q=, turning Pagefind's page results into the list the reader sees,
 * and splitting Pagefind's excerpts into plain text and highlighted runs. Kept free of the DOM so it is
 * unit-tested in Node; src/pages/search.astro does the drawing, with text nodes only.
 */
import * as z from 'zod/mini';

/** Longer queries are cut: no term on the site needs more, and Pagefind's work grows with every word. */
export const MAX_QUERY = 100;

const queryParam = z.string().check(z.trim());

/** The query from a page's `location.search`, with a note for the reader when it had to be shortened. */
export function readQuery(search: string): { query: string; note?: string } {
  const parsed = queryParam.safeParse(new URLSearchParams(search).get('q') ?? '');
  // A control character has no business in a search box; dropping it cannot change what matches.
  const query = parsed.success ? parsed.data.replace(/[\u0000-\u001f\u007f]/g, '') : '';
  if (query.length <= MAX_QUERY) return { query };
  return { query: query.slice(0, MAX_QUERY).trimEnd(), note: `The search in the link was cut to its first ${MAX_QUERY} characters.` };
}

/** What this module reads of Pagefind's `PagefindSearchFragment` (the result of `result.data()`). */
export interface PageHit {
  url: string;
  excerpt: string;
  meta: Record<string, string | undefined>;
  sub_results?: {
    title: string;
    url: string;
    excerpt: string;
    anchor?: { id?: string };
    weighted_locations?: { balanced_score: number }[];
  }[];
}

export interface SearchEntry {
  kind: 'Lesson' | 'Glossary' | 'Teacher guide';
  title: string;
  url: string;
  excerpt: string;
}

/** Glossary terms shown per search: the glossary is one page, but each of its terms is an answer. */
export const MAX_TERMS = 3;

/**
 * One entry per lesson, in Pagefind's order (best first), and the glossary page opened up into its
 * best-matching terms, each linking to its own heading (Pagefind's sub-results follow headings with an
 * id), so the reader lands on the definition, not the top of a long page. Terms are ranked by Pagefind's
 * own per-word scores, in which a match in the heading weighs most: "close factor" puts Close factor first.
 */
export function searchEntries(hits: PageHit[]): SearchEntry[] {
  const entries: SearchEntry[] = [];
  for (const hit of hits) {
    if (hit.meta['kind'] === 'Glossary') {
      const terms = (hit.sub_results ?? [])
        .filter((sub) => sub.anchor?.id && score(sub) > 0)
        .sort((a, b) => score(b) - score(a))
        .slice(0, MAX_TERMS);
      for (const term of terms) {
        entries.push({ kind: 'Glossary', title: termTitle(term.title), url: term.url, excerpt: term.excerpt });
      }
    } else {
      const kind = hit.meta['kind'] === 'Teacher guide' ? 'Teacher guide' : 'Lesson';
      entries.push({ kind, title: hit.meta['title'] ?? hit.url, url: hit.url, excerpt: hit.excerpt });
    }
  }
  return entries;
}

function score(sub: { weighted_locations?: { balanced_score: number }[] }): number {
  return (sub.weighted_locations ?? []).reduce((sum, w) => sum + w.balanced_score, 0);
}

/** A glossary heading reads "Term (alias, alias)"; the aliases are already in the excerpt. */
function termTitle(heading: string): string {
  return heading.replace(/\s*\([^)]*\)\s*$/, '').trim() || heading;
}

export interface ExcerptRun {
  text: string;
  mark: boolean;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

function decode(html: string): string {
  return html.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/**
 * Pagefind's excerpt is escaped page text with the matched words wrapped in <mark>. It is turned into
 * runs of plain text for text nodes rather than handed to innerHTML, so even an excerpt that somehow
 * carried markup could only ever show as characters: any tag other than <mark> is dropped.
 */
export function excerptRuns(html: string): ExcerptRun[] {
  const runs: ExcerptRun[] = [];
  let mark = false;
  for (const piece of html.split(/(<\/?mark>)/i)) {
    const tag = piece.toLowerCase();
    if (tag === '<mark>') mark = true;
    else if (tag === '</mark>') mark = false;
    else {
      const text = decode(piece.replace(/<[^>]*>/g, ''));
      if (text === '') continue;
      const last = runs.at(-1);
      if (last && last.mark === mark) last.text += text;
      else runs.push({ text, mark });
    }
  }
  return runs;
}
