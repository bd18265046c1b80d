import { describe, expect, it } from 'vitest';
import { accessSentence, controlAccess, encodeEmbedOptions, parseEmbedOptions } from './embed-options';

const keys = ['side', 'lev', 'mark'];

describe('parseEmbedOptions', () => {
  it('reads lock and hide lists against the widget keys; hiding wins over locking', () => {
    const { options, notes } = parseEmbedOptions('lock=side,lev&hide=lev', keys);
    expect([...options.locked]).toEqual(['side']);
    expect([...options.hidden]).toEqual(['lev']);
    expect(notes).toEqual([]);
  });

  it('expands all, ignores blanks and case in all', () => {
    const { options } = parseEmbedOptions('lock=ALL,,', keys);
    expect([...options.locked]).toEqual(keys);
  });

  it('explains unknown keys, quoting them safely, and never uses them', () => {
    const { options, notes } = parseEmbedOptions('lock=lev,<script>,x,y,z', keys);
    expect([...options.locked]).toEqual(['lev']);
    expect(notes[0]).toContain('"<script>"');
    expect(notes[0]).toContain('and 1 more');
  });

  it('refuses over-long lists and bad theme or layout with a note each', () => {
    const { options, notes } = parseEmbedOptions(`lock=${'a,'.repeat(300)}&theme=neon&layout=Compact`, keys);
    expect(options.locked.size).toBe(0);
    expect(options.theme).toBe('auto');
    expect(options.layout).toBe('compact');
    expect(notes).toHaveLength(2);
  });
});

describe('encodeEmbedOptions', () => {
  it('round-trips and writes all when every key is chosen', () => {
    const { options } = parseEmbedOptions('lock=mark,side&theme=light&layout=figure', keys);
    const text = encodeEmbedOptions(options, keys);
    expect(text).toBe('lock=side%2Cmark&theme=light&layout=figure');
    expect(parseEmbedOptions(text, keys).options).toEqual(options);
    expect(encodeEmbedOptions(parseEmbedOptions('hide=all', keys).options, keys)).toBe('hide=all');
    expect(encodeEmbedOptions(parseEmbedOptions('', keys).options, keys)).toBe('');
  });
});

describe('controlAccess and accessSentence', () => {
  it('locks hidden settings too and says what is fixed in the widget labels', () => {
    const { options } = parseEmbedOptions('lock=side&hide=mark', keys);
    const access = controlAccess(options);
    expect([access.locked('side'), access.locked('mark'), access.locked('lev')]).toEqual([true, true, false]);
    expect([access.shown('mark'), access.shown('side')]).toEqual([false, true]);
    expect(access.restricted).toBe(true);
    const labels = [{ key: 'side', label: 'Side' }, { key: 'lev', label: 'Leverage' }, { key: 'mark', label: 'Mark price' }];
    expect(accessSentence(options, labels)).toBe('For this activity side is fixed; mark price is set and hidden. The other settings are yours to change.');
    expect(accessSentence(parseEmbedOptions('lock=all', keys).options, labels)).toBe('For this activity every setting is fixed.');
    expect(accessSentence(parseEmbedOptions('hide=all', keys).options, labels)).toBe('For this activity every setting is set and hidden.');
    expect(accessSentence(parseEmbedOptions('', keys).options, labels)).toBe('');
    const acronyms = [{ key: 'side', label: 'BTC side' }, { key: 'lev', label: 'Leverage' }, { key: 'mark', label: 'LTV' }];
    expect(accessSentence(parseEmbedOptions('lock=side,lev,mark&hide=lev', keys).options, acronyms)).toBe('For this activity BTC side and LTV are fixed; leverage is set and hidden.');
  });
});
