/**
 * Fuzzes every widget's link parameters on its /embed/ page: seeded random query strings built from the
 * widget's real keys (read from the parameter table on /widgets/<id>/, which ParamTable generates from the
 * same specs that parse them) mixed with random keys, and values that are hostile or absurd: huge and tiny
 * numbers, NaN and Infinity as text, blanks, repeated keys, bidi marks and emoji, control characters, broken
 * percent escapes, markup and script payloads, and 10 kB values.
 *
 * Whatever the link says, the widget must render its figure with a text equivalent, throw nothing, run
 * nothing and insert nothing from the link into the page, and say so in its note when a key it knows got
 * a value it had to refuse. The generator is a seeded PRNG, so a failure names a URL that reproduces it.
 */
import { expect, test, type Page } from '@playwright/test';
import { EMBED_PATHS, collectErrors, hydrate } from './helpers';
import { CODEC_VERSION } from '../../src/widgets/shared/params';

const URLS_PER_WIDGET = 18;
const SEED = 20_260_127;

/** mulberry32: a tiny deterministic PRNG, so every run fuzzes the same URLs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

function hashText(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.codePointAt(0)!, 16777619);
  return h >>> 0;
}

/** Payloads that would set window.__pwned if any of them ever ran. */
const PAYLOADS = [
  '<img src=x onerror=window.__pwned=1>',
  '"><script>window.__pwned=1</script>',
  "'><svg onload=window.__pwned=1>",
  'javascript:window.__pwned=1',
  '</figcaption><iframe src="javascript:window.__pwned=1"></iframe>',
  '{{constructor.constructor("window.__pwned=1")()}}',
  '${window.__pwned=1}',
  "';window.__pwned=1;//",
];

/**
 * Values no parameter of any widget accepts: each must be refused with a note. (Enum values are matched
 * after trim and lower-casing, numbers against ASCII digits with no exponent, so none of these is valid.)
 */
const REFUSED = [
  '1e308',
  '-1e308',
  '1e-400',
  'NaN',
  'Infinity',
  '-Infinity',
  ' ',
  '9'.repeat(39),
  '-' + '9'.repeat(39),
  '0x10',
  '1_000',
  '1,5',
  '--5',
  '1.2.3',
  '.',
  'null',
  'undefined',
  '__proto__',
  '\u202eevil\u202c',
  '\u200f\u0661\u0662\u0663',
  '🚀💥',
  'ＮａＮ',
  '\u0000',
  '\u0000\u0001\u001f',
  '\ufffd\ufeff',
  ...PAYLOADS,
];

/** Already percent-encoded text, put into the query as it is: control characters and broken escapes. */
const REFUSED_RAW = ['%00', '%0A%0D', '%E2%80%AE', '%ZZ', '%E0%A4%A', '%FF%FE', '%3Cscript%3Ewindow.__pwned%3D1%3C%2Fscript%3E'];

/** 10 kB values (plain ASCII, so the request line stays under the server's header limit). */
const LONG = ['9'.repeat(10_240), 'A'.repeat(10_240), `1.${'0'.repeat(10_238)}`];

/** Numbers that may be in or out of a range: the widget may or may not need a note; it must still render. */
const EDGE = ['0', '-0', '-0.000000001', '0'.repeat(38) + '1', '.5', '5.', '+7', '-1', '1', '2', '99999', '0.1'];

/** Keys no widget reads (theme, lock, hide, layout and preset are read, for every widget: src/widgets/shared/link.ts). */
const UNKNOWN_KEYS = ['utm_source', 'fbclid', '__proto__', 'constructor', 'toString', '<script>', 'k\u202e', '🚀', 'a'.repeat(64), ''];

type Kind = 'refused' | 'empty' | 'default' | 'edge';

interface FuzzUrl {
  query: string;
  /** What each known key's first occurrence got (URLSearchParams.get reads the first). */
  firstKinds: Kind[];
}

function makeUrls(id: string, defaults: Map<string, string>): FuzzUrl[] {
  const random = prng(SEED ^ hashText(id));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const known = [...defaults.keys()];
  const urls: FuzzUrl[] = [];
  for (let u = 0; u < URLS_PER_WIDGET; u++) {
    const parts: string[] = [];
    const first = new Map<string, Kind>();
    let long = false;
    const add = (key: string, encodedValue: string, kind: Kind | null) => {
      parts.push(`${encodeURIComponent(key)}=${encodedValue}`);
      if (kind && !first.has(key)) first.set(key, kind);
    };
    // A quarter of the URLs are clean (known keys at their defaults or blank, plus unknown keys): no note.
    const clean = u % 4 === 0;
    const count = 1 + Math.floor(random() * Math.min(8, known.length + 2));
    for (let i = 0; i < count; i++) {
      if (random() < 0.25) {
        add(pick(UNKNOWN_KEYS), encodeURIComponent(pick([...REFUSED, ...EDGE, ''])), null);
        continue;
      }
      const key = pick(known);
      const roll = random();
      if (clean) {
        if (roll < 0.7) add(key, encodeURIComponent(defaults.get(key) ?? ''), 'default');
        else add(key, '', 'empty');
      } else if (roll < 0.45) add(key, encodeURIComponent(pick(REFUSED)), 'refused');
      else if (roll < 0.55) add(key, pick(REFUSED_RAW), 'refused');
      else if (roll < 0.62 && !long) {
        long = true;
        add(key, pick(LONG), 'refused');
      } else if (roll < 0.75) add(key, encodeURIComponent(pick(EDGE)), 'edge');
      else if (roll < 0.85) add(key, '', 'empty');
      else add(key, encodeURIComponent(defaults.get(key) ?? ''), 'default');
      // Repeated keys: sometimes the same key again with something else (only the first counts).
      if (random() < 0.15) add(key, encodeURIComponent(pick([...PAYLOADS, ...EDGE])), null);
    }
    urls.push({ query: parts.join('&'), firstKinds: [...first.values()] });
  }
  return urls;
}

/** The widget's parameter keys and defaults, from the table on its page. */
async function paramTable(page: Page, id: string): Promise<Map<string, string>> {
  const response = await page.request.get(`/widgets/${id}/`);
  expect(response.status()).toBe(200);
  const rows = await page.evaluate((html) => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    return [...doc.querySelectorAll('section[aria-labelledby="params"] table tbody tr')].map((tr) => [
      tr.querySelector('th code')?.textContent ?? '',
      tr.querySelector('td:last-child code')?.textContent ?? '',
    ]);
  }, await response.text());
  return new Map(rows.filter(([key]) => key !== '') as [string, string][]);
}

/** Anything from a payload that reached the DOM as markup rather than text. */
async function injected(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    if ((window as unknown as { __pwned?: unknown }).__pwned !== undefined) found.push('window.__pwned is set');
    for (const selector of ['img[src="x"]', '[onerror]', '[onload]', 'a[href^="javascript:"]', 'iframe[src^="javascript:"]', 'svg[onload]']) {
      if (document.querySelector(selector)) found.push(`element ${selector}`);
    }
    for (const script of document.querySelectorAll('script')) {
      if (script.textContent?.includes('__pwned')) found.push('a script mentioning __pwned');
    }
    for (const el of document.querySelectorAll('*')) {
      for (const attr of el.attributes) {
        if (attr.value.includes('__pwned')) found.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value.slice(0, 60)}">`);
      }
    }
    return found;
  });
}

/** Two animation frames: the island's mount effects (which read the URL and set the notes) have run. */
const settle = (page: Page) => page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));

for (const path of EMBED_PATHS) {
  const id = /^\/embed\/([^/]+)\/$/.exec(path)?.[1] ?? '';

  test(`fuzzed links never break or inject into the ${id} embed`, async ({ page }) => {
    test.setTimeout(120_000);
    const dialogs: string[] = [];
    page.on('dialog', async (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      await dialog.dismiss();
    });
    const errors = collectErrors(page);
    await page.goto(path);
    const defaults = await paramTable(page, id);
    expect(defaults.size, `parameter table of /widgets/${id}/`).toBeGreaterThan(2);
    expect(defaults.get('v')).toBe(CODEC_VERSION);

    const widget = page.locator(`section[data-widget="${id}"]`);
    const notes = widget.locator('.notes[role="status"]');
    let noted = 0;
    for (const { query, firstKinds } of makeUrls(id, defaults)) {
      const url = `${path}?${query}`;
      const where = `${url.length > 300 ? `${url.slice(0, 300)}… (${url.length} chars)` : url}`;
      const response = await page.goto(url);
      expect(response?.status(), where).toBe(200);
      await hydrate(page);
      await settle(page);
      await expect(widget, where).toBeVisible();
      // The figure's text equivalent, or, for a state the engine cannot run (zero depth, no positions,
      // an empty account), the widget's own alert saying why, in words.
      await expect(widget.locator('figcaption[id$="-summary"], .error[role="alert"]').first(), where).not.toBeEmpty();
      if (firstKinds.includes('refused')) {
        await expect(notes, `a refused value gets a note: ${where}`).toBeVisible();
        await expect(notes.locator('li').first(), where).not.toBeEmpty();
        noted += 1;
      } else if (firstKinds.every((kind) => kind === 'default' || kind === 'empty')) {
        await expect(notes, `defaults and blanks need no note: ${where}`).toHaveCount(0);
      }
      expect(await injected(page), where).toEqual([]);
      expect(
        await page.evaluate(() => ['<img src=x', '<script>window.__pwned', '<svg onload', '<iframe src="javascript'].filter((s) => document.documentElement.outerHTML.includes(s))),
        `no payload as markup: ${where}`,
      ).toEqual([]);
      // Navigating on aborts whatever the last page still had in flight; that is not the widget's error.
      const real = errors.splice(0).filter((e) => !e.includes('net::ERR_ABORTED'));
      expect(real, where).toEqual([]);
    }
    expect(dialogs, 'no dialog may open').toEqual([]);
    // The generator really exercised refusals (a change to it that stopped doing so would test nothing).
    expect(noted).toBeGreaterThanOrEqual(URLS_PER_WIDGET / 3);
  });
}
