import { describe, expect, it } from 'vitest';
import { mdxToJs } from 'satteri';
import { basePrefix, rehypeBaseLinks, withBase, wrapExpression } from './rehype-base-links.mjs';

describe('basePrefix', () => {
  it('drops trailing slashes and adds a leading one; the root base has no prefix', () => {
    expect(basePrefix('/margin-pressure/')).toBe('/margin-pressure');
    expect(basePrefix('margin-pressure')).toBe('/margin-pressure');
    expect(basePrefix('/a/b//')).toBe('/a/b');
    expect(basePrefix('/')).toBe('');
    expect(basePrefix(undefined)).toBe('');
  });
});

describe('withBase', () => {
  const p = '/margin-pressure';
  it('prefixes root-relative paths', () => {
    expect(withBase(p, '/learn/x/')).toBe('/margin-pressure/learn/x/');
    expect(withBase(p, '/widgets/a/?v=1&x=2#f')).toBe('/margin-pressure/widgets/a/?v=1&x=2#f');
    expect(withBase(p, '/')).toBe('/margin-pressure/');
  });
  it('leaves absolute, protocol-relative, fragment, query and relative URLs alone', () => {
    for (const href of ['https://x.org/a', '//cdn.example/a.js', '#top', '?q=1', 'learn/x/', '../x/', 'mailto:a@b']) {
      expect(withBase(p, href)).toBe(href);
    }
  });
  it('does not prefix a path twice', () => {
    expect(withBase(p, '/margin-pressure/learn/x/')).toBe('/margin-pressure/learn/x/');
    expect(withBase(p, '/margin-pressure')).toBe('/margin-pressure');
    // A lesson slug that merely starts with the same letters is not under the base.
    expect(withBase(p, '/margin-pressure-notes/')).toBe('/margin-pressure/margin-pressure-notes/');
  });
  it('changes nothing without a base', () => {
    expect(withBase('', '/learn/x/')).toBe('/learn/x/');
  });
});

describe('wrapExpression', () => {
  it('applies the same rule at render time', () => {
    const run = (value: unknown) => new Function('v', `return ${wrapExpression('/mp', 'v')};`)(value);
    expect(run('/widgets/a/?q=1')).toBe('/mp/widgets/a/?q=1');
    expect(run('/mp/widgets/a/')).toBe('/mp/widgets/a/');
    expect(run('https://x.org/')).toBe('https://x.org/');
    expect(run('//x.org/')).toBe('//x.org/');
    expect(run(undefined)).toBe(undefined);
  });
  it('keeps a hostile base inside a string literal', () => {
    const run = new Function(`return ${wrapExpression('/a"+alert(1)+"', "'/x/'")};`);
    expect(run()).toBe('/a"+alert(1)+"/x/');
  });
});

describe('rehypeBaseLinks in the MDX pipeline', () => {
  const source = [
    "export const sim = { link: '/widgets/cascade-simulator/?v=1' };",
    '',
    'See [the spiral](/learn/forced-selling-spiral/), [a source](https://example.org/) and [above](#top).',
    '',
    '<a href="/glossary/">glossary</a> and <a href={sim.link}>the same state</a>.',
    '',
    '<Scenario title="t" href={sim.link}>[inner](/learn/x/)</Scenario>',
    '',
    '![chart](/figures/a.svg)',
  ].join('\n');
  // mdxToJs answers synchronously unless a plugin is async; awaiting covers both.
  const compile = async (base: string) => (await mdxToJs(source, { hastPlugins: [rehypeBaseLinks(base)] })).code;

  it('prefixes Markdown links, JSX literals, JSX expressions and images under a sub-path', async () => {
    const code = await compile('/margin-pressure/');
    expect(code).toContain('href: "/margin-pressure/learn/forced-selling-spiral/"');
    expect(code).toContain('href: "/margin-pressure/glossary/"');
    expect(code).toContain('href: "/margin-pressure/learn/x/"');
    expect(code).toContain('src: "/margin-pressure/figures/a.svg"');
    expect(code).toContain('href: "https://example.org/"');
    expect(code).toContain('href: "#top"');
    // Both the <a> and the component's href are wrapped, and the wrapper evaluates to the prefixed path.
    const wrapped = code.match(/href: (\(\(h\) => .*?\)\(sim\.link\))/g) ?? [];
    expect(wrapped).toHaveLength(2);
    const expression = wrapped[0]!.slice('href: '.length);
    expect(new Function('sim', `return ${expression};`)({ link: '/widgets/cascade-simulator/?v=1' })).toBe(
      '/margin-pressure/widgets/cascade-simulator/?v=1',
    );
  });

  it('leaves every link as written at the root base', async () => {
    const code = await compile('/');
    expect(code).toContain('href: "/learn/forced-selling-spiral/"');
    expect(code).toContain('href: "/glossary/"');
    expect(code).toContain('href: sim.link');
    expect(code).not.toContain('=> typeof h');
  });
});
