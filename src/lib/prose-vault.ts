/**
 * Numbers for the lesson on pooled liquidity (a liquidity vault as counterparty and backstop liquidator),
 * computed by the engine at build time through the cascade simulator's own model, so the figures in the prose are
 * the figures the embedded widget shows in the same state.
 *
 * The comparison keeps the money the same: the simulator's default market (10,000 positions, square-root book of
 * 6 BTC within 1 %) after a 6 % fall, protected once by an insurance fund of 250,000 USDT (then auto-deleveraging),
 * once by a vault with 250,000 USDT of capital and no fund. Then the vault too small for a larger fall, and the
 * vault's second role, as a maker that buys a share of every forced sale.
 */
import { Decimal, type CascadeResult } from '../engine';
import { formatDecimal, formatPercent, trimZeros } from './format';
import { plain } from './prose-accounts';
import { simulatorReading } from './prose-cascade';
import type { CascadeState } from '../widgets/cascade-simulator/state';

type Overrides = Partial<Record<keyof CascadeState, string>>;

/** The two designs of the lesson, as simulator states (also the embedded widget's `initial`). */
export const VAULT_LESSON = {
  shock: '-6',
  money: '250000',
  fund: { move: '-6', fund: '250000' } satisfies Overrides,
  vault: { move: '-6', fund: '0', backstop: 'vault', vault: '250000', maker: '20' } satisfies Overrides,
  /** The same vault after an 8 % fall: its capital runs out and ADL comes back. */
  overrun: { move: '-8', fund: '0', backstop: 'vault', vault: '250000', maker: '20' } satisfies Overrides,
  /** Maker share: a fund that covers the losses, so forced orders reach the book, and a vault that buys part of them. */
  makerOff: { move: '-3', backstop: 'vault', vault: '1000000', maker: '0' } satisfies Overrides,
  makerOn: { move: '-3', backstop: 'vault', vault: '1000000', maker: '50' } satisfies Overrides,
} as const;

const pct = (fraction: Decimal, decimals = 1): string => formatPercent(fraction, decimals);
const btc = (value: Decimal, decimals = 1): string => `${trimZeros(formatDecimal(value, decimals))}\u00a0BTC`;
const money = (value: Decimal): string =>
  value.abs().gte(1_000_000) ? `${trimZeros(formatDecimal(value.div(1_000_000), 2))} million USDT` : `${formatDecimal(value, 0)}\u00a0USDT`;

function vaultOf(result: CascadeResult) {
  const v = result.vault;
  if (!v) throw new Error('lesson example: the vault state ran without a vault');
  return v;
}

/** One run of the vault design, in the words the lesson uses. */
function vaultReading(overrides: Overrides) {
  const sim = simulatorReading(overrides);
  const v = vaultOf(sim.result);
  const final = sim.result.finalPrice;
  // The vault's exposure at the end: what it holds, at the last price, against what is left of its capital.
  const exposure = v.inventory.abs().mul(final);
  return {
    ...sim,
    capital: money(v.capital),
    equity: money(v.equity),
    loss: money(v.pnl.neg()),
    drawdown: pct(v.maxDrawdown),
    drawdownAnswer: plain(v.maxDrawdown.mul(100), 1),
    taken: btc(v.takeoverQuantity),
    takenPositions: formatDecimal(new Decimal(v.takeoverPositions), 0),
    filled: btc(v.makerQuantity),
    inventory: btc(v.inventory.abs()),
    exposure: money(exposure),
    /** How many times its equity the vault now holds in BTC: the leverage its depositors carry. */
    leverage: `${trimZeros(formatDecimal(exposure.div(v.equity), 1))}×`,
    /** What each further 1 % fall of the price costs the depositors. */
    perPercent: money(exposure.div(100)),
    adlReached: v.adlReached,
  };
}

export function vaultComparison() {
  const fund = simulatorReading(VAULT_LESSON.fund);
  const vault = vaultReading(VAULT_LESSON.vault);
  const overrun = vaultReading(VAULT_LESSON.overrun);
  const makerOff = vaultReading(VAULT_LESSON.makerOff);
  const makerOn = vaultReading(VAULT_LESSON.makerOn);
  // The lesson's reading of these runs holds only if the engine still says so; a change that breaks it should
  // stop the build rather than leave sentences that no longer describe the numbers beside them.
  const checks: [boolean, string][] = [
    [fund.result.adlNotional.gt(0), 'the fund design reaches ADL at the lesson shock'],
    [vault.result.adlNotional.isZero() && vault.result.badDebt.isZero(), 'the vault covers every loss at the lesson shock'],
    [vault.result.finalPrice.gt(fund.result.finalPrice), 'the vault design ends higher'],
    [vault.result.finalPrice.eq(vault.result.shockPrice) && vault.result.roundCount === 1, 'the vault design stops where the shock left it, after one round'],
    [vaultOf(vault.result).takeoverPositions === vault.result.positionsLiquidated, 'the vault takes every liquidated position over'],
    [vault.result.rounds.every((r) => r.soldQuantity.isZero()), 'nothing is sold in the vault design'],
    [vaultOf(vault.result).maxDrawdown.gt(0), 'the vault draws down'],
    [overrun.adlReached, 'the small vault runs out at the larger shock'],
    [vaultOf(makerOff.result).makerQuantity.isZero() && vaultOf(makerOn.result).makerQuantity.gt(0), 'only the quoting vault fills'],
    [[makerOff, makerOn].every((r) => vaultOf(r.result).takeoverQuantity.isZero() && r.result.adlNotional.isZero() && r.result.badDebt.isZero()), 'the fund covers every loss of the maker example'],
    [makerOn.result.finalPrice.gt(makerOff.result.finalPrice), 'quoting softens the fall'],
  ];
  for (const [ok, what] of checks) if (!ok) throw new Error(`lesson example: expected ${what}`);
  return {
    money: money(new Decimal(VAULT_LESSON.money)),
    shock: pct(new Decimal(VAULT_LESSON.shock).abs().div(100), 0),
    fund,
    vault,
    overrun,
    makerOff,
    makerOn,
    /** The price the vault design ends at, for the predict box. */
    vaultFinalAnswer: plain(vault.result.finalPrice, 0),
  };
}
