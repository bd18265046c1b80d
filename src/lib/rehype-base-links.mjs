/**
 * A Sätteri hast plugin (Astro 7's Markdown/MDX pipeline; the unified "rehype" slot) that makes lessons'
 * root-relative links honour the site's base path. Lessons write `[x](/learn/…/)`, `<a href="/…">` and
 * `href={sim.link}` (prose helpers return "/widgets/…?…"); a school that serves the site from
 * https://school.example/margin-pressure/ needs every one of them under /margin-pressure/. Prefixing here, at
 * build time, keeps the lessons readable and makes a forgotten `${base}` impossible in new ones.
 *
 * Only paths that start with exactly one slash change: "//cdn…" (protocol-relative), "#…", "?…", "https:…" and
 * relative paths are left alone. A path already under the base stays as it is, so a prose helper that one day
 * adds the base itself is not prefixed twice.
 */

/** "/margin-pressure/" or "/margin-pressure" → "/margin-pressure"; "/" or "" → "" (no prefix). */
export function basePrefix(base) {
  const trimmed = String(base ?? '').replace(/\/+$/, '');
  if (trimmed === '') return '';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The URL `href` should have on a site served under `prefix` (from `basePrefix`). */
export function withBase(prefix, href) {
  if (!prefix || typeof href !== 'string') return href;
  if (!href.startsWith('/') || href.startsWith('//')) return href;
  if (href === prefix || href.startsWith(`${prefix}/`) || href.startsWith(`${prefix}?`) || href.startsWith(`${prefix}#`)) {
    return href;
  }
  return `${prefix}${href}`;
}

/**
 * The same rule as `withBase`, as JavaScript source wrapped around an MDX attribute expression, so a value known
 * only when the page renders (`href={sim.link}`) is prefixed then. The prefix is a JSON string literal: a base
 * path can never break out of it.
 */
export function wrapExpression(prefix, expression) {
  const p = JSON.stringify(prefix);
  return (
    `((h) => typeof h === 'string' && h.startsWith('/') && !h.startsWith('//') && ` +
    `!(h === ${p} || h.startsWith(${p} + '/') || h.startsWith(${p} + '?') || h.startsWith(${p} + '#')) ` +
    `? ${p} + h : h)(${expression})`
  );
}

/** Attributes that hold a URL, per element; MDX components (`<ModelScenario href=…>`) follow `href`'s rule. */
const URL_ATTRIBUTES = { a: ['href'], area: ['href'], img: ['src'], source: ['src'], video: ['src', 'poster'], audio: ['src'] };

function jsxAttributes(node) {
  return (node.attributes ?? []).filter(
    (a) => a.type === 'mdxJsxAttribute' && (a.name === 'href' || (a.name === 'src' && node.name && /^[a-z]/.test(node.name))),
  );
}

function visitJsx(prefix) {
  return {
    filter: [],
    visit(node, ctx) {
      const targets = jsxAttributes(node);
      if (targets.length === 0) return;
      let changed = false;
      const attributes = node.attributes.map((a) => {
        if (!targets.includes(a)) return a;
        if (typeof a.value === 'string') {
          const next = withBase(prefix, a.value);
          if (next === a.value) return a;
          changed = true;
          return { ...a, value: next };
        }
        if (a.value && a.value.type === 'mdxJsxAttributeValueExpression') {
          changed = true;
          return { ...a, value: { type: 'mdxJsxAttributeValueExpression', value: wrapExpression(prefix, a.value.value) } };
        }
        return a;
      });
      if (changed) ctx.replaceNode(node, { ...node, attributes });
    },
  };
}

/** The plugin for a site built with `base` (Astro's `base` option); with base "/" it changes nothing. */
export function rehypeBaseLinks(base) {
  const prefix = basePrefix(base);
  if (!prefix) return { name: 'base-links' };
  return {
    name: 'base-links',
    element: {
      filter: Object.keys(URL_ATTRIBUTES),
      visit(node, ctx) {
        for (const key of URL_ATTRIBUTES[node.tagName] ?? []) {
          const value = node.properties?.[key];
          const next = withBase(prefix, value);
          if (next !== value) ctx.setProperty(node, key, next);
        }
      },
    },
    mdxJsxFlowElement: visitJsx(prefix),
    mdxJsxTextElement: visitJsx(prefix),
  };
}
