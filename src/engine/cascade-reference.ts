/**
 * The cascade computed position by position with the account engine: the specification the fast, aggregated
 * simulateCascade (cascade.ts) is tested against, and the "naive recomputation" its benchmark is compared with.
 *
 * Every round it asks the account engine about every open position: positionMetrics(position, mark).isLiquidatable
 * decides who is taken over, liquidationPrice orders them, liquidationOutcome settles each one at the clearing
 * price (fee, insurance fund, bad debt, with the fund's running balance), and positionMetrics gives its PnL. ADL
 * ranks every open opposite position with the same exact scores (adl.ts). It shares with cascade.ts only the round
 * loop (refill, withdrawal, shock, the order of steps) and the book, so an agreement to the last digit checks
 * the aggregation: sorted triggers, prefix sums, float comparisons and their exact fallbacks.
 *
 * A position partly closed by ADL keeps its whole balance (isolated margin or wallet) behind what is left, which
 * moves its liquidation price away: a simplification (venues release isolated margin pro rata), stated so that
 * both implementations follow the same rule.
 *
 * It expects grid inputs (createPopulation's, or explicit positions with few decimals): each outcome is turned into
 * the run's integer units exactly, and an amount off the grid is reported rather than rounded.
 */
import { Decimal, ZERO } from './decimal.ts';
import { liquidationOutcome } from './outcome.ts';
import { liquidationPrice, normalizePosition, positionMetrics } from './venue-position.ts';
import { positionInputAt, type Population } from './population.ts';
import { adlScore, compareAdl, type AdlScore } from './adl.ts';
import { fromScaled, pow10, toScaled } from './exact.ts';
import {
  noDecision,
  runCascade,
  type AdlDecision,
  type Batch,
  type CascadeOptions,
  type CascadeResult,
  type CascadeShock,
  type PopulationOps,
  type RunContext,
  type Settlement,
} from './cascade.ts';
import type { Book } from './book.ts';
import type { Position, PositionInput, Side } from './position.ts';

interface Ref {
  index: number;
  side: Side;
  s: 1n | -1n;
  input: PositionInput;
  position: Position;
  /** 0 open, 1 queued, 2 closed. */
  state: 0 | 1 | 2;
  adl: boolean;
}

interface RefBatch extends Batch {
  refs: Ref[];
}

/** @internal */
export function perPositionOps(population: Population, context: RunContext): PopulationOps<RefBatch> {
  const { view } = context;
  const dp = view.dp;
  const refs: Ref[] = [];
  for (let i = 0; i < population.size; i++) {
    const input = positionInputAt(population.data, i);
    refs.push({ index: i, side: input.side, s: input.side === 'long' ? 1n : -1n, input, position: normalizePosition(input), state: 0, adl: false });
  }
  const queues: Record<Side, Ref[]> = { long: [], short: [] };
  const unit = pow10(dp).toString();
  const priceOf = (p: bigint) => fromScaled(p, dp);
  const q = (ref: Ref) => toScaled(ref.position.quantity, view.dq, 'quantity');
  const money = (x: Decimal) => toScaled(x, view.dw, 'money');
  const ledger = (x: Decimal) => toScaled(x, context.dl, 'ledger');

  /** The engine's liquidation price on the grid: the key that orders positions crossed in the same round. */
  function key(ref: Ref): number {
    const lp = liquidationPrice(ref.position);
    if (lp === null) return ref.side === 'long' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
    return Number(lp.mul(unit)[ref.side === 'long' ? 'floor' : 'ceil']().toFixed(0));
  }

  interface Outcome {
    ref: Ref;
    /** Equity at the price (money), fee and fund change (ledger) when equity ≥ 0. */
    equity: Decimal;
    fee: bigint;
    gain: bigint;
  }

  function outcomes(batch: RefBatch, price: Decimal): Outcome[] {
    return batch.refs
      .filter((ref) => !ref.adl)
      .map((ref) => {
        const o = liquidationOutcome(ref.position, price, { liquidationFeeRate: context.feeRate });
        const nonNegative = o.equityAtFill.gte(0);
        return { ref, equity: o.equityAtFill, fee: nonNegative ? ledger(o.fee) : 0n, gain: nonNegative ? ledger(o.insuranceFundChange) : 0n };
      });
  }

  return {
    trigger(_mark, markPrice) {
      let count = 0;
      for (const side of ['long', 'short'] as const) {
        const crossed = refs.filter((ref) => ref.side === side && ref.state === 0 && positionMetrics(ref.position, markPrice).isLiquidatable);
        const keyed = crossed.map((ref) => ({ ref, k: key(ref) }));
        keyed.sort((a, b) => (a.k !== b.k ? (side === 'long' ? (a.k > b.k ? -1 : 1) : a.k < b.k ? -1 : 1) : a.ref.index - b.ref.index));
        for (const { ref } of keyed) {
          ref.state = 1;
          queues[side].push(ref);
        }
        count += crossed.length;
      }
      return count;
    },

    queued(side) {
      return { positions: queues[side].length, quantity: queues[side].reduce((sum, ref) => sum + q(ref), 0n) };
    },

    takeBatch(side, throughput, available) {
      const queue = queues[side];
      const taken: Ref[] = [];
      let sum = 0n;
      let cut = false;
      while (queue.length > 0) {
        const quantity = q(queue[0]!);
        if (taken.length > 0 && throughput !== null && sum + quantity > throughput) break;
        if (sum + quantity > available) {
          cut = true;
          break;
        }
        sum += quantity;
        taken.push(queue.shift()!);
      }
      return { refs: taken, quantity: sum, positions: taken.length, cutByDepth: cut };
    },

    decide(_side, batch, p, fund, capacity, vault): AdlDecision {
      const decision = noDecision();
      if (!context.adl && vault === null) return decision;
      const list = outcomes(batch, priceOf(p));
      let running = fund;
      for (const o of list) running += o.gain + (context.feeToFund ? o.fee : 0n);
      let room = capacity;
      let vaultEquity = vault;
      for (const o of list) {
        if (o.equity.gte(0)) continue;
        const loss = ledger(o.equity.neg());
        const quantity = q(o.ref);
        const p0 = o.ref.position;
        if (running < loss && vaultEquity !== null && vaultEquity >= loss) {
          // Taken over by the vault at the bankruptcy price when its equity at p covers the loss.
          vaultEquity -= loss;
          o.ref.adl = true;
          decision.vaultQuantity += quantity;
          decision.vaultPositions++;
          decision.vaultStake += money(p0.margin);
          decision.vaultBankruptValue += money(p0.quantity.mul(p0.entryPrice)[o.ref.side === 'long' ? 'sub' : 'add'](p0.margin));
          continue;
        }
        if (running < loss && context.adl && quantity <= room) {
          room -= quantity;
          o.ref.adl = true;
          decision.quantity += quantity;
          decision.positions++;
          decision.stake += money(o.ref.position.margin);
          const value = p0.quantity.mul(p0.entryPrice)[o.ref.side === 'long' ? 'sub' : 'add'](p0.margin);
          decision.bankruptValue += money(value);
        } else {
          running -= running < loss ? running : loss;
        }
      }
      return decision;
    },

    settle(_side, batch, p, fund): Settlement {
      const price = priceOf(p);
      const list = outcomes(batch, price);
      let running = fund;
      let fees = 0n;
      let fundChange = 0n;
      for (const o of list) {
        fees += o.fee;
        fundChange += o.gain;
        running += o.gain + (context.feeToFund ? o.fee : 0n);
      }
      let badDebt = 0n;
      const settlement: Settlement = { fees, fundChange, badDebt, stake: 0n, pnl: 0n, notional: 0n, quantity: 0n };
      for (const o of list) {
        const metrics = positionMetrics(o.ref.position, price);
        settlement.stake += money(o.ref.position.margin);
        settlement.pnl += money(metrics.unrealizedPnl);
        settlement.notional += money(metrics.notional);
        settlement.quantity += q(o.ref);
        if (o.equity.gte(0)) continue;
        const outcome = liquidationOutcome(o.ref.position, price, {
          liquidationFeeRate: context.feeRate,
          insuranceFundBalance: fromScaled(running, context.dl),
        });
        const change = ledger(outcome.insuranceFundChange);
        running += change;
        fundChange += change;
        badDebt += ledger(outcome.badDebt);
      }
      settlement.fundChange = fundChange;
      settlement.badDebt = badDebt;
      for (const ref of batch.refs) {
        ref.state = 2;
        ref.adl = false;
      }
      return settlement;
    },

    members(_side, batch) {
      return batch.refs.map((ref) => ref.index);
    },

    adlCapacity(side) {
      return refs.filter((ref) => ref.side === side && ref.state === 0).reduce((sum, ref) => sum + q(ref), 0n);
    },

    deleverage(side, need, bankruptValue, p) {
      const K = view.K;
      const scored: { ref: Ref; score: AdlScore }[] = refs
        .filter((ref) => ref.side === side && ref.state === 0)
        .map((ref) => {
          const x = ref.position;
          const score = adlScore(
            context.ranking,
            ref.side === 'long' ? 1 : -1,
            q(ref),
            toScaled(x.entryPrice, dp),
            money(x.margin),
            money(x.maintenanceAmount),
            toScaled(x.maintenanceMarginRate, view.dm),
            p,
            K,
            pow10(view.dm),
            pow10(view.dw),
            ref.index,
          );
          return { ref, score };
        });
      scored.sort((a, b) => compareAdl(a.score, b.score));
      let remaining = need;
      let entryValue = ZERO;
      let positions = 0;
      const indices: number[] = [];
      for (const { ref } of scored) {
        if (remaining === 0n) break;
        indices.push(ref.index);
        const held = q(ref);
        const take = held < remaining ? held : remaining;
        remaining -= take;
        positions++;
        const taken = fromScaled(take, view.dq);
        entryValue = entryValue.add(taken.mul(ref.position.entryPrice));
        if (take === held) {
          ref.state = 2;
        } else {
          const input: PositionInput = { ...ref.input, quantity: ref.position.quantity.sub(taken), stage: 'held' };
          ref.input = input;
          ref.position = normalizePosition(input);
        }
      }
      const s = side === 'long' ? 1n : -1n;
      return { positions, counterpartyPnl: s * (bankruptValue - money(entryValue)), indices };
    },
  };
}

/**
 * The same cascade as simulateCascade, computed position by position with the account engine (see the module
 * header). O(positions) engine calls per round: for tests and for comparison, not for sliders.
 */
export function simulateCascadePerPosition(population: Population, book: Book, shock: CascadeShock, options: CascadeOptions = {}): CascadeResult {
  return runCascade(population, book, shock, options, perPositionOps);
}
