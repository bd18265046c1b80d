import { describe, expect, it } from 'vitest';
import { builderFields, builderQuery, optionsFrom } from './builder';
import { decimalParam, enumParam, parseParams } from './params';
import { resolveLink } from './link';

const specs = [
  enumParam('side', 'Side', ['long', 'short'], 'long'),
  decimalParam('lev', 'Leverage', { min: () => '1', max: () => '125', fallback: () => '10', allowed: '1 to 125', decimals: 0 }),
];

describe('builderQuery', () => {
  it('writes version, preset label, every value and the options, and reads back to the same choice', () => {
    const options = optionsFrom({ side: 'lock', lev: 'hide' }, 'dark', 'compact');
    const query = builderQuery(specs, { values: { side: 'short', lev: '20' }, options, preset: 'my-preset' });
    expect(query).toBe('v=2&preset=my-preset&side=short&lev=20&lock=side&hide=lev&theme=dark&layout=compact');
    const link = resolveLink('position-explorer', query, { params: specs, scenarios: [] });
    expect(parseParams(specs, link.params).values).toEqual({ side: 'short', lev: '20' });
    expect(link.embed).toEqual(options);
  });

  it('leaves out options at their defaults', () => {
    expect(builderQuery(specs, { values: { side: 'long', lev: '10' }, options: optionsFrom({}, 'auto', 'full'), preset: null })).toBe('v=2&side=long&lev=10');
  });
});

describe('builderFields', () => {
  it("gives the server each field's label, choices and default", () => {
    expect(builderFields(specs, { side: 'Long or short' })).toEqual([
      { key: 'side', label: 'Side', meaning: 'Long or short', allowed: 'long or short', options: ['long', 'short'], defaultValue: 'long' },
      { key: 'lev', label: 'Leverage', meaning: 'Leverage', allowed: '1 to 125', options: null, defaultValue: '10' },
    ]);
  });
});
