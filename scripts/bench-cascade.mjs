/**
 * Cascade engine speed, printed against the budgets of issue 5 (numbers to read, never asserted by tests):
 *   1. createPopulation of 100,000 positions: the first build in this process and the median of the next seven
 *      (budget ≤ 200 ms). A build includes the sorted trigger arrays and prefix sums a cascade reads.
 *   2. simulateCascade for a new shock with the population and book built, as a slider step would ask: median and
 *      p95 over a sweep of 41 shocks, after a warm-up sweep (budget ≤ 2 ms median). Two regimes: an insurance fund
 *      that absorbs the losses (the common case), and none at all, where every bankruptcy goes to auto-deleveraging,
 *      which ranks the whole opposite side at each ADL event.
 *   3. The naive recomputation (simulateCascadePerPosition: every open position asked of the account engine every
 *      round, each liquidation settled with liquidationOutcome) on the same inputs, and the ratio. It is slow: at
 *      100,000 positions one shock is timed (about 15 s); pass --quick to time it at 10,000 only.
 * Runs on the TypeScript sources directly (Node 22 strips types): node scripts/bench-cascade.mjs [--quick]
 */
import {
  createPopulation,
  flatBook,
  simulateCascade,
  simulateCascadePerPosition,
  sqrtBook,
} from '../src/engine/index.ts';

const quick = process.argv.includes('--quick');
const PRICE = 60000;
const params = { count: 100_000, price: PRICE, tick: '0.1', lot: '0.001' };
const ms = (t) => `${t.toFixed(2)} ms`;
const stats = (values) => {
  const sorted = values.slice().sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) };
};
const verdict = (value, budget) => `${value <= budget ? 'ok' : 'OVER'} (budget ${budget} ms)`;

// ---- 1. population -----------------------------------------------------------------------------------
console.log('\nCascade engine');
let t0 = performance.now();
let population = createPopulation(params, 1);
const first = performance.now() - t0;
const builds = [];
for (let seed = 2; seed <= 8; seed++) {
  t0 = performance.now();
  population = createPopulation(params, seed);
  builds.push(performance.now() - t0);
}
const build = stats(builds).p50;
console.log(`createPopulation, 100,000 positions: median of 7 ${ms(build)}  ${verdict(build, 200)}; the first in this process ${ms(first)} (includes the JIT warming up)`);
console.log(`  ${population.longCount.toLocaleString('en-US')} longs, ${population.shortCount.toLocaleString('en-US')} shorts, ${population.crossCount.toLocaleString('en-US')} in cross accounts`);

// ---- 2. cascade per shock ----------------------------------------------------------------------------
const books = {
  'flat depth (0.05 BTC per 0.1 tick)': flatBook({ mid: PRICE, tick: '0.1', quantityPerTick: '0.05', levels: 200_000 }),
  'square-root depth (a = 0.002 BTC)': sqrtBook({ mid: PRICE, tick: '0.1', firstLevelQuantity: '0.002', levels: 200_000 }),
};
// A slider over shocks of −0.5 % … −8 % of the price, in 41 steps.
const shocks = Array.from({ length: 41 }, (_, k) => ({ markPrice: PRICE - 300 - k * 105 }));
const regimes = {
  'fund 2,000,000 USDT': { insuranceFund: 2_000_000, liquidationFeeRate: '0.005' },
  'no fund (ADL)': { insuranceFund: 0, liquidationFeeRate: '0.005' },
};
const sweep = (pop, book, options) => {
  const times = [];
  let last;
  for (const shock of shocks) {
    const t = performance.now();
    last = simulateCascade(pop, book, shock, options);
    times.push(performance.now() - t);
  }
  return { times, last };
};
let typicalMedian = 0;
for (const [bookName, book] of Object.entries(books)) {
  for (const [regime, options] of Object.entries(regimes)) {
    sweep(population, book, options); // warm-up: the JIT, and the grid view the first cascade builds
    const { times, last } = sweep(population, book, options);
    const s = stats(times);
    if (regime.startsWith('fund') && bookName.startsWith('flat')) typicalMedian = s.p50;
    console.log(
      `simulateCascade, ${bookName}, ${regime}: median ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)}  ${regime.startsWith('fund') ? verdict(s.p50, 2) : '(ADL path, no budget)'}`,
    );
    console.log(
      `  at −8 %: ${last.roundCount} rounds, ${last.positionsLiquidated.toLocaleString('en-US')} liquidated, final ${last.finalPrice.toFixed(1)}, amplification ${last.amplification?.toFixed(3) ?? '—'}, ${last.positionsDeleveraged.toLocaleString('en-US')} deleveraged, bad debt ${last.badDebt.toFixed(2)}`,
    );
  }
}

// ---- 3. naive per-position recomputation -------------------------------------------------------------
const compare = (pop, label, shockList) => {
  const book = books['flat depth (0.05 BTC per 0.1 tick)'];
  const options = regimes['fund 2,000,000 USDT'];
  const naive = [];
  const fast = [];
  for (const shock of shockList) {
    let t = performance.now();
    const slow = simulateCascadePerPosition(pop, book, shock, options);
    naive.push(performance.now() - t);
    // Timed after the naive run's garbage is gone: the median of five runs, after one to warm up.
    let quickResult = simulateCascade(pop, book, shock, options);
    const runs = [];
    for (let k = 0; k < 5; k++) {
      t = performance.now();
      quickResult = simulateCascade(pop, book, shock, options);
      runs.push(performance.now() - t);
    }
    fast.push(stats(runs).p50);
    if (JSON.stringify(slow) !== JSON.stringify(quickResult)) throw new Error('the aggregated and per-position cascades disagree');
  }
  const n = stats(naive).p50;
  const f = stats(fast).p50;
  console.log(`naive per-position recomputation, ${label}: ${ms(n)} vs aggregated ${ms(f)}: ${Math.round(n / f).toLocaleString('en-US')}× (identical results)`);
};
compare(createPopulation({ ...params, count: 10_000 }, 1), '10,000 positions, 3 shocks', [shocks[5], shocks[20], shocks[35]]);
if (!quick) compare(population, '100,000 positions, 1 shock (−3.5 %)', [shocks[20]]);
else console.log(`(--quick: the naive cascade at 100,000 positions is skipped; it grows linearly with the population)`);
console.log(`\nSlider step budget: median ${ms(typicalMedian)} per cascade at 100,000 positions.`);
