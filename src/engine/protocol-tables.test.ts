/**
 * The generated module src/engine/protocol-tables.generated.ts against its sources, content/protocols/*.yaml: every
 * preset present, every field and asset equal, nothing extra. Fails when a YAML file changes and the module is not
 * regenerated (node_modules/.bin/node scripts/generate-protocol-tables.mjs). The YAML is read here with the `yaml`
 * parser and mapped independently of the generator, so a bug in either shows up as a difference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PROTOCOL_PRESET_TABLES } from './protocol-tables.generated.ts';
import { AAVE_V3_CLOSE_FACTOR, healthFactor, listProtocolPresets, normalizeLendingAccount, protocolPreset } from './lending.ts';
import { Decimal } from './decimal.ts';
import { engineError } from '../../tests/unit/engine-testkit.ts';

const PROTOCOLS_DIR = new URL('../../content/protocols/', import.meta.url);
const FILES = readdirSync(PROTOCOLS_DIR)
  .filter((name) => name.endsWith('.yaml'))
  .sort();
const REGENERATE = 'run node_modules/.bin/node scripts/generate-protocol-tables.mjs';

interface YamlAsset {
  asset: string;
  ltv: string;
  liquidationThreshold: string;
  liquidationBonus: string;
  liquidationProtocolFee?: string;
}

describe('protocol-tables.generated.ts', () => {
  it('has one entry per YAML preset, in file order', () => {
    expect(PROTOCOL_PRESET_TABLES.map((p) => `${p.id}.yaml`), REGENERATE).toEqual(FILES);
    expect(listProtocolPresets()).toEqual(FILES.map((f) => f.replace(/\.yaml$/, '')));
  });

  it.each(FILES)('%s: the generated entry equals the YAML', (file) => {
    const data = parse(readFileSync(new URL(file, PROTOCOLS_DIR), 'utf8'));
    const generated = PROTOCOL_PRESET_TABLES.find((p) => `${p.id}.yaml` === file);
    expect(generated, REGENERATE).toEqual({
      id: data.id,
      protocol: data.protocol,
      market: data.market,
      read: data.source.read,
      source: data.source.url,
      closeFactor: data.closeFactor,
      assets: (data.assets as YamlAsset[]).map((a) => ({ ...a, liquidationProtocolFee: a.liquidationProtocolFee ?? null })),
    });
    // A source and the date it was read are what make a preset citable.
    expect(data.source.url).toMatch(/^https:\/\//);
    expect(data.source.read).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it.each(FILES)('%s: every asset is one the engine accepts as collateral', (file) => {
    const preset = protocolPreset(file.replace(/\.yaml$/, ''));
    const account = normalizeLendingAccount({
      collateral: preset.assets.map((a) => ({ asset: a.asset, amount: 1, liquidationThreshold: a.liquidationThreshold, ltv: a.ltv })),
      debt: [],
    });
    expect(account.collateral.length).toBe(preset.assets.length);
    for (const a of preset.assets) {
      // Aave's PoolConfigurator refuses LT × (1 + bonus) > 1: at HF = 1 the collateral must still cover the debt
      // plus the bonus, or the very first liquidation could not be paid in full.
      const lt = new Decimal(a.liquidationThreshold);
      expect(lt.mul(new Decimal(1).add(a.liquidationBonus)).lte(1), a.asset).toBe(true);
    }
  });
});

describe('aave-v3-ethereum preset', () => {
  const aave = protocolPreset('aave-v3-ethereum');

  it('carries the Aave v3 close factor rule of LiquidationLogic.sol', () => {
    expect(aave.closeFactor).toEqual(AAVE_V3_CLOSE_FACTOR);
  });

  it('reproduces the source table (basis points → shares): WETH 8,250 / 8,600 / 10,520, LPF 0.10', () => {
    expect(aave.assets.find((a) => a.asset === 'WETH')).toEqual({
      asset: 'WETH',
      ltv: '0.825',
      liquidationThreshold: '0.86',
      liquidationBonus: '0.052',
      liquidationProtocolFee: '0.1',
    });
  });

  it('feeds healthFactor directly: 10 WETH at 2,000 against 15,000 USDC at 1 → 20,000 × 0.86 ÷ 15,000', () => {
    const weth = aave.assets.find((a) => a.asset === 'WETH')!;
    const hf = healthFactor(
      { collateral: [{ asset: 'WETH', amount: 10, liquidationThreshold: weth.liquidationThreshold, ltv: weth.ltv }], debt: [{ asset: 'USDC', amount: 15000 }] },
      { WETH: 2000, USDC: 1 },
    );
    expect(hf!.eq(new Decimal(17200).div(15000))).toBe(true);
  });

  it('refuses an unknown preset id', () => {
    expect(engineError(() => protocolPreset('compound-v9')).field).toBe('preset');
  });
});
