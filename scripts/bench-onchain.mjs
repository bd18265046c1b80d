/**
 * On-chain liquidation engine speed (issue 6), printed, never asserted by tests:
 *   1. createBorrowers of 10,000 borrowers: the first build in this process and the median of the next seven
 *      (built once per population; a slider step reuses it).
 *   2. simulateLendingCascade with the populations built, as the contagion widget asks per slider step: median and
 *      p95 over ≥ 30 runs (after a warm-up), at reference-price shocks of −5 %, −20 % and −40 %, for
 *        - one protocol × 10,000 borrowers selling into one pool its oracle reads, and
 *        - a 3-protocol network × 10,000 borrowers each: A and B share a pool and a pool-reading oracle, C takes
 *          A's receipt token as collateral (receipt oracle, 'redeem' market).
 *      Budget: one frame (16 ms p95 in the browser); the Node target is ≤ 6 ms median for the network at −20 %.
 * Runs on the TypeScript sources directly (Node 22 strips types): node scripts/bench-onchain.mjs (npm run bench runs it too).
 * The machine's load average is printed with the numbers, and each run's CPU time (process.cpuUsage, which counts
 * this process's threads, GC included) next to its wall time: on a busy machine the wall times of a few ms move by 2×.
 */
import { cpus, loadavg } from 'node:os';
import { createBorrowers, simulateLendingCascade } from '../src/engine/index.ts';

const RUNS = 40;
const PRICE = 2000;
const ms = (t) => `${t.toFixed(2)} ms`;
const stats = (values) => {
  const sorted = values.slice().sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95) };
};
const weth = (seed) =>
  createBorrowers({ count: 10_000, price: PRICE, liquidationThreshold: '0.83', healthFactor: { minimum: '1.0', median: '1.5', sigma: '0.5' }, meanCollateralValue: 20_000 }, seed);

console.log('\nOn-chain liquidation engine');
let t0 = performance.now();
const a = weth(1);
const first = performance.now() - t0;
const builds = [];
for (let seed = 2; seed <= 8; seed++) {
  t0 = performance.now();
  weth(seed);
  builds.push(performance.now() - t0);
}
console.log(`  createBorrowers 10,000: first ${ms(first)}, then median ${ms(stats(builds).p50)}`);
const b = weth(2);
const c = createBorrowers({ count: 10_000, price: 1, liquidationThreshold: '0.9', healthFactor: { minimum: '1.0', median: '1.15', sigma: '0.5' }, meanCollateralValue: 10_000 }, 3);

const protocol = (id, borrowers, extra) => ({
  id, name: id, collateralAsset: 'WETH', debtAsset: 'USDC', liquidationThreshold: '0.83', liquidationBonus: '0.05', protocolFee: '0.1', borrowers, ...extra,
});
const single = {
  referencePrice: PRICE,
  pools: [{ id: 'weth-usdc', collateralReserve: 100_000, debtReserve: 200_000_000 }],
  oracles: [{ id: 'pool-oracle', source: { pool: 'weth-usdc' } }],
  protocols: [protocol('a', a, { oracle: 'pool-oracle', market: { pool: 'weth-usdc' } })],
};
const network = {
  referencePrice: PRICE,
  pools: [{ id: 'weth-usdc', collateralReserve: 100_000, debtReserve: 200_000_000 }],
  oracles: [
    { id: 'pool-oracle', source: { pool: 'weth-usdc' }, delayRounds: 1 },
    { id: 'a-receipt', source: { receiptOf: 'a' } },
  ],
  protocols: [
    protocol('a', a, { oracle: 'pool-oracle', market: { pool: 'weth-usdc' } }),
    protocol('b', b, { oracle: 'pool-oracle', market: { pool: 'weth-usdc' } }),
    protocol('c', c, { collateralAsset: 'aUSDC', liquidationThreshold: '0.9', oracle: 'a-receipt', market: 'redeem' }),
  ],
};

const SHOCKS = [0.05, 0.2, 0.4];
// Warm-up: let the JIT see every path (a slider session does the same after its first few steps).
for (let i = 0; i < 10; i++) for (const system of [single, network]) for (const shock of SHOCKS) simulateLendingCascade(system, { referencePrice: PRICE * (1 - shock) });
console.log(`  (load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} CPUs)`);
for (const [label, system] of [['1 protocol × 10,000', single], ['3-protocol network × 10,000 each', network]]) {
  console.log(`  simulateLendingCascade, ${label} (${RUNS} runs each):`);
  for (const shock of SHOCKS) {
    const price = PRICE * (1 - shock);
    let result;
    const times = [];
    const cpuTimes = [];
    for (let i = 0; i < RUNS; i++) {
      const c0 = process.cpuUsage();
      t0 = performance.now();
      result = simulateLendingCascade(system, { referencePrice: price });
      times.push(performance.now() - t0);
      const c1 = process.cpuUsage(c0);
      cpuTimes.push((c1.user + c1.system) / 1000);
    }
    const s = stats(times);
    const cpu = stats(cpuTimes);
    const calls = result.protocols.reduce((n, p) => n + p.liquidations, 0);
    const accounts = result.protocols.reduce((n, p) => n + p.accountsLiquidated, 0);
    const bad = result.protocols.map((p) => `${p.id} ${p.badDebt.toFixed(0)}`).join(', ');
    console.log(
      `    −${shock * 100} %: median ${ms(s.p50)}, p95 ${ms(s.p95)} (CPU time: median ${ms(cpu.p50)}, p95 ${ms(cpu.p95)}) — ${result.rounds.length} rounds (${result.stopReason}), ${calls} calls on ${accounts} accounts, bad debt ${bad}`,
    );
  }
}
