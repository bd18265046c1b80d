/**
 * The protocol preset schema (src/engine/protocolPresetSchema.ts) against every shipped preset in
 * content/protocols/*.yaml, and the message a writer sees for each kind of mistake.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { protocolPresetSchema } from './protocolPresetSchema.ts';

const DIR = new URL('../../content/protocols/', import.meta.url);
const FILES = readdirSync(DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const raw = (file: string): Record<string, unknown> => parse(readFileSync(new URL(file, DIR), 'utf8')) as Record<string, unknown>;

function issues(data: unknown): string[] {
  const result = protocolPresetSchema.safeParse(data);
  return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

type Asset = Record<string, unknown>;
const AAVE = 'aave-v3-ethereum.yaml';
/** The shipped Aave preset with asset `index` edited. */
function withAsset(index: number, edit: Partial<Asset>): Record<string, unknown> {
  const data = raw(AAVE);
  const assets = (data['assets'] as Asset[]).map((a) => ({ ...a }));
  assets[index] = { ...assets[index], ...edit };
  return { ...data, assets };
}

describe('shipped presets', () => {
  it.each(FILES)('%s parses and its id is its file name', (file) => {
    expect(issues(raw(file))).toEqual([]);
    expect(`${protocolPresetSchema.parse(raw(file)).id}.yaml`).toBe(file);
  });
});

describe('each kind of mistake names its field', () => {
  it('a threshold in percent or basis points instead of a share', () => {
    expect(issues(withAsset(1, { liquidationThreshold: '86' }))).toEqual([
      'assets.1.liquidationThreshold: must be a share between 0 and 1 (0.86 for 86 %, not 86 or 8600 basis points)',
    ]);
  });

  it('a YAML number instead of a quoted string', () => {
    expect(issues(withAsset(1, { ltv: 0.825 }))[0]).toMatch(/^assets\.1\.ltv: write numbers as quoted decimal strings/);
  });

  it('an LTV above the liquidation threshold', () => {
    expect(issues(withAsset(1, { ltv: '0.9' }))).toEqual(['assets.1.ltv: WETH: ltv 0.9 must not exceed the liquidation threshold 0.86']);
  });

  it('a liquidation threshold of 1, and one whose bonus cannot be paid at HF 1', () => {
    expect(issues(withAsset(1, { liquidationThreshold: '1' }))).toEqual(['assets.1.liquidationThreshold: WETH: the liquidation threshold must be below 1, got 1']);
    expect(issues(withAsset(1, { liquidationThreshold: '0.97', liquidationBonus: '0.05' }))).toEqual([
      'assets.1.liquidationBonus: WETH: liquidation threshold × (1 + bonus) = 1.0185 must be at most 1, or collateral at HF 1 cannot pay the bonus',
    ]);
  });

  it('a bonus written as 1.05 (Aave shows 105 %) instead of the share above 1', () => {
    expect(issues(withAsset(1, { liquidationBonus: '1.05' }))[0]).toMatch(/^assets\.1\.liquidationBonus: must be a share between 0 and 1/);
  });

  it('a protocol fee that is not a share, and an asset listed twice', () => {
    expect(issues(withAsset(1, { liquidationProtocolFee: '10' }))[0]).toMatch(/^assets\.1\.liquidationProtocolFee: must be a share/);
    expect(issues(withAsset(1, { asset: 'USDC' }))).toEqual(["assets.1.asset: lists 'USDC' a second time"]);
  });

  it('a misspelt or missing field, and an unknown one', () => {
    const data = withAsset(2, {});
    const assets = data['assets'] as Asset[];
    const { liquidationThreshold, ...rest } = assets[2]!;
    expect(liquidationThreshold).toBeDefined();
    assets[2] = { ...rest, liquidationTreshold: '0.83' };
    const found = issues(data);
    expect(found.some((i) => i.startsWith('assets.2.liquidationThreshold:'))).toBe(true);
    expect(found.some((i) => i.startsWith('assets.2:') && i.includes('liquidationTreshold'))).toBe(true);
  });

  it('a source without a read date or a real URL', () => {
    const data = raw(AAVE);
    expect(issues({ ...data, source: { ...(data['source'] as object), read: '2026-13-01' } })).toEqual(['source.read: must be a real calendar date']);
    expect(issues({ ...data, source: { ...(data['source'] as object), url: 'governance forum' } })[0]).toMatch(/^source\.url:/);
  });

  it('a close factor rule out of order or a threshold above 1', () => {
    const data = raw(AAVE);
    expect(issues({ ...data, closeFactor: { default: '1', max: '0.5', healthFactorThreshold: '0.95' } })).toEqual(['closeFactor.default: default 1 must not exceed max 0.5']);
    expect(issues({ ...data, closeFactor: { default: '0.5', max: '1', healthFactorThreshold: '95' } })).toEqual([
      'closeFactor.healthFactorThreshold: must be a health factor in (0, 1], got 95',
    ]);
  });

  it('an id that is not a file-name slug, and no assets', () => {
    expect(issues({ ...raw(AAVE), id: 'Aave v3' })).toEqual(['id: must be lower-case words joined by hyphens']);
    expect(issues({ ...raw(AAVE), assets: [] })).toEqual(['assets: list at least one asset']);
  });
});
