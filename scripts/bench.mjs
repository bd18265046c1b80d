/**
 * `npm run bench`: the numbers we hold ourselves to, printed, never asserted by timed tests.
 *   1. Per page of the built site: gzipped HTML, and gzipped JavaScript the page loads (entry scripts,
 *      island components and renderers, and every module they import, each file counted once).
 *   2. Engine throughput: positionMetrics calls per second.
 *   3. Every widget in headless Chromium: input-to-paint latency of one slider step, p50/p95.
 * Builds the site first unless --no-build is given.
 */
import { spawnSync, spawn } from 'node:child_process';
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join, dirname, relative, posix } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { launchOptions } from './browser.mjs';
import { openPosition, positionMetrics } from '../src/engine/index.ts';

const DIST = 'dist';
const BUDGETS = { '/learn/margin-pressure/': { js: 60 * 1024, html: 40 * 1024 } };
const FRAME_MS = 16.7;
const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
const gz = (buffer) => gzipSync(buffer, { level: 9 }).length;

if (!process.argv.includes('--no-build')) {
  const build = spawnSync('node_modules/.bin/astro', ['build'], { stdio: 'ignore', env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1' } });
  if (build.status !== 0) throw new Error('astro build failed; run npm run build to see why');
}

// ---- 1. sizes -------------------------------------------------------------------------------------
function htmlFiles(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return htmlFiles(path);
    return entry.name.endsWith('.html') ? [path] : [];
  });
}

/** Files reachable from `entries` through static imports, and the dynamic imports met on the way. */
function moduleGraph(entries) {
  const seen = new Set();
  const lazy = new Set();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop();
    if (seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const code = readFileSync(file, 'utf8');
    // Imports between built chunks are relative paths: `from "./x.js"` and `import "./x.js"` load with the
    // module; `import("./x.js")` loads only when the code asks for it (a panel opened, say).
    for (const match of code.matchAll(/(?:\bfrom\s*|\bimport\s*)["'](\.{1,2}\/[^"']+\.js)["']/g)) {
      queue.push(join(dirname(file), match[1]));
    }
    for (const match of code.matchAll(/\bimport\(\s*["'`](\.{1,2}\/[^"'`]+\.js)["'`]\s*\)/g)) {
      lazy.add(join(dirname(file), match[1]));
    }
  }
  return { files: seen, lazy: [...lazy].filter((file) => !seen.has(file)) };
}

function pageJs(htmlPath, html) {
  const urls = new Set();
  for (const match of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) urls.add(match[1]);
  for (const match of html.matchAll(/(?:component-url|renderer-url|before-hydration-url)="([^"]+)"/g)) if (match[1]) urls.add(match[1]);
  const files = [...urls].filter((u) => u.startsWith('/')).map((u) => join(DIST, u));
  let inline = 0;
  for (const match of html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)) inline += gz(Buffer.from(match[1]));
  const graph = moduleGraph(files);
  let external = 0;
  for (const file of graph.files) external += gz(readFileSync(file));
  let onDemand = 0;
  for (const file of moduleGraph(graph.lazy).files) if (!graph.files.has(file)) onDemand += gz(readFileSync(file));
  return { inline, external, onDemand, files: graph.files.size };
}

/**
 * JS the page runs once its FIRST island has hydrated: page scripts plus that island's component and renderer
 * and their imports. The definition page's budget applies to this figure: the widget the definition is about
 * comes first, and the heavier islands below it (the cascade simulator) are client:visible, fetched only when
 * the reader scrolls to them (issue 5: "hydrating the heavy widgets only when visible").
 */
function firstIslandJs(html) {
  const island = html.match(/<astro-island[^>]*>/);
  if (!island) return null;
  const urls = new Set();
  for (const match of html.matchAll(/<script[^>]*\ssrc="([^"]+)"/g)) urls.add(match[1]);
  for (const match of island[0].matchAll(/(?:component-url|renderer-url|before-hydration-url)="([^"]+)"/g)) if (match[1]) urls.add(match[1]);
  const files = [...urls].filter((u) => u.startsWith('/')).map((u) => join(DIST, u));
  let total = 0;
  for (const match of html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)) total += gz(Buffer.from(match[1]));
  for (const file of moduleGraph(files).files) total += gz(readFileSync(file));
  return total;
}

console.log('\nPage weight (gzip -9)');
console.log('JS = everything the page runs once its widgets hydrate (islands included); on demand = chunks loaded');
console.log('only when the reader asks (e.g. opening Share).');
console.log('page'.padEnd(36), 'HTML'.padStart(9), 'JS'.padStart(9), 'on demand'.padStart(10), 'files'.padStart(6), '  budget');
for (const file of htmlFiles(DIST).sort()) {
  const html = readFileSync(file, 'utf8');
  const route = '/' + posix.normalize(relative(DIST, file).split('\\').join('/')).replace(/index\.html$/, '');
  const htmlSize = gz(Buffer.from(html));
  const js = pageJs(file, html);
  const total = js.inline + js.external;
  const budget = BUDGETS[route];
  const first = budget ? firstIslandJs(html) ?? total : total;
  const verdict = budget
    ? `JS to the first widget ${kb(first)} / ${kb(budget.js)} ${first <= budget.js ? 'ok' : 'OVER'} (the other ${kb(total - first)} only when scrolled to), HTML ${kb(htmlSize)} / ${kb(budget.html)} ${htmlSize <= budget.html ? 'ok' : 'OVER'}`
    : '';
  console.log(route.padEnd(36), kb(htmlSize).padStart(9), kb(total).padStart(9), kb(js.onDemand).padStart(10), String(js.files).padStart(6), ' ', verdict);
}

// ---- 2. engine throughput -------------------------------------------------------------------------
console.log('\nEngine throughput');
const position = openPosition({ contract: 'linear', side: 'long', entryPrice: '60000', leverage: '10', margin: '1000', maintenanceMarginRate: '0.004' });
const inverse = openPosition({ contract: 'inverse', side: 'short', entryPrice: '60000', leverage: '20', margin: '0.05', maintenanceMarginRate: '0.005' });
for (const [label, p] of [['linear long 10×', position], ['inverse short 20×', inverse]]) {
  for (let i = 0; i < 2000; i++) positionMetrics(p, 50000 + i); // warm up
  const n = 50000;
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) positionMetrics(p, 50000 + (i % 20000));
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(`positionMetrics, ${label}: ${Math.round(n / seconds).toLocaleString('en-US')} calls/s (${((seconds / n) * 1e6).toFixed(1)} µs each)`);
}

// ---- 2b. the cascade engine (its own script, so it can also run alone) -------------------------------
// The 100,000-position naive comparison takes about 30 s; `npm run bench -- --full` includes it.
{
  const args = ['scripts/bench-cascade.mjs', ...(process.argv.includes('--full') ? [] : ['--quick'])];
  const cascade = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (cascade.status !== 0) console.log(`Cascade engine bench failed (exit ${cascade.status})`);
  if (spawnSync(process.execPath, ['scripts/bench-onchain.mjs'], { stdio: 'inherit' }).status !== 0) console.log('On-chain engine bench failed'); // issue 6
}

// ---- 3. input-to-paint in the browser -------------------------------------------------------------
console.log('\nIn headless Chromium');
const port = 4339;
const server = spawn(process.execPath, ['scripts/serve.mjs', String(port)], { stdio: 'ignore' });
try {
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(base + '/')).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  const browser = await chromium.launch(launchOptions());

  // What a reader downloads before scrolling: islands below the fold (client:visible) wait until seen.
  console.log('JS loaded before the reader scrolls (1280×900 viewport), gzip -9 of each script fetched:');
  for (const route of ['/', '/learn/margin-pressure/', '/widgets/position-explorer/', '/embed/position-explorer/']) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const scripts = new Set();
    page.on('response', (response) => {
      if (response.request().resourceType() === 'script') scripts.add(new URL(response.url()).pathname);
    });
    await page.goto(`${base}${route}`, { waitUntil: 'networkidle' });
    const html = await (await fetch(`${base}${route}`)).text();
    let inline = 0;
    for (const match of html.matchAll(/<script(?![^>]*\ssrc=)[^>]*>([\s\S]*?)<\/script>/g)) inline += gz(Buffer.from(match[1]));
    let fetched = 0;
    for (const path of scripts) fetched += gz(readFileSync(join(DIST, path)));
    console.log(`  ${route.padEnd(34)} ${kb(fetched + inline).padStart(9)}`);
    await page.close();
  }
  console.log('');

  // One slider step per widget, by keyboard, timed from the input event to the frame that shows it.
  const targets = [
    { label: 'Position explorer, mark price', route: '/learn/margin-pressure/', selector: '.mark-slider', steps: 300, swing: 60 },
    { label: 'Tier ladder, position value', route: '/widgets/tier-ladder/', selector: '.size-slider', steps: 200, swing: 100 },
    { label: 'Cross vs isolated, BTC mark', route: '/widgets/cross-vs-isolated/', selector: '.mark-slider.btc', steps: 200, swing: 50 },
    { label: 'Margin monitor, alert level', route: '/widgets/margin-monitor/', selector: 'section[data-widget="margin-monitor"] input[id$="-alert"]', steps: 100, swing: 25 },
    // Issue 5: a shock step re-runs the whole cascade on the prebuilt 10,000-position population.
    { label: 'Cascade simulator, price shock', route: '/widgets/cascade-simulator/', selector: 'section[data-widget="cascade-simulator"] input[id$="-move"]', steps: 200, swing: 40 },
    { label: 'Liquidation map, price', route: '/widgets/liquidation-map/', selector: 'section[data-widget="liquidation-map"] .price-slider', steps: 200, swing: 40 },
    { label: 'Stability frontier, maximum leverage', route: '/widgets/stability-frontier/', selector: 'section[data-widget="stability-frontier"] input[id$="-lev"]', steps: 60, swing: 8 },
    { label: 'Health factor explorer, WETH price', route: '/widgets/health-factor-explorer/', selector: 'section[data-widget="health-factor-explorer"] .price-slider', steps: 200, swing: 60 },
    { label: 'AMM liquidation spiral, outside price', route: '/widgets/amm-liquidation-spiral/', selector: 'section[data-widget="amm-liquidation-spiral"] input.shock-slider', steps: 100, swing: 24 },
    { label: 'Contagion network, shock (3 × 10,000 borrowers)', route: '/widgets/contagion-network/', selector: 'section[data-widget="contagion-network"] input.shock-slider', steps: 100, swing: 20 },
  ];
  const stats = (values) => {
    const sorted = values.slice().sort((a, b) => a - b);
    const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
    return { p50: at(0.5), p95: at(0.95), max: sorted.at(-1) };
  };
  const fmt = ({ p50, p95, max }) => `p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${max.toFixed(1)} ms`;
  for (const target of targets) {
    try {
      await measure(target);
    } catch (error) {
      // One widget's failure must not hide the others' numbers; say what happened instead.
      console.log(`${target.label} (${target.route}): not measured: ${String(error).split('\n')[0]}`);
    }
  }
  async function measure(target) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    // Say so if the page itself fails, rather than only "target closed" from the next call.
    page.on('crash', () => console.log(`${target.label}: the page crashed`));
    page.on('pageerror', (error) => console.log(`${target.label}: uncaught error in the page: ${error.message}`));
    await page.goto(`${base}${target.route}`, { waitUntil: 'networkidle' });
    const slider = page.locator(target.selector).first();
    await slider.scrollIntoViewIfNeeded();
    // Only this widget's island: others on the page (client:visible, further down) hydrate when scrolled to.
    await slider.evaluate((element) => new Promise((resolve) => {
      const hydrated = () => !element.closest('astro-island')?.hasAttribute('ssr');
      const poll = () => (hydrated() ? resolve(true) : setTimeout(poll, 20));
      poll();
    }));
    await slider.focus();
    await slider.evaluate((element) => {
      window.__samples = [];
      let pending = null;
      element.addEventListener('input', (event) => {
        pending = { start: event.timeStamp };
        // rAF runs after Svelte has flushed the DOM; the message after it arrives once that frame is painted.
        requestAnimationFrame(() => {
          const rafAt = performance.now();
          const channel = new MessageChannel();
          channel.port1.onmessage = () => {
            const paintedAt = performance.now();
            window.__samples.push({ latency: paintedAt - pending.start, script: pending.script, render: paintedAt - rafAt });
          };
          channel.port2.postMessage(0);
        });
      }, { capture: true });
      // Bubbles to window after Svelte's delegated handler; Svelte flushes its effects in a microtask queued
      // before ours, so this marks the end of the script work for the step.
      window.addEventListener('input', () => queueMicrotask(() => (pending.script = performance.now() - pending.start)));
    });
    // Swing down and back so zones, brackets and labels change along the way. A key press at the end of the
    // slider's range fires no input event, so the direction turns there, and each step waits for its own
    // sample (the count before the press plus one), never for the step index: one missed event must not
    // make every later step wait out its timeout (which once stretched a run past half an hour).
    let direction = 'ArrowLeft';
    let run = 0;
    let missed = 0;
    for (let i = 0; i < target.steps; i++) {
      const before = await slider.evaluate((element) => ({ value: element.value, atMin: Number(element.value) <= Number(element.min), atMax: Number(element.value) >= Number(element.max), samples: window.__samples.length }));
      if (run >= target.swing || (direction === 'ArrowLeft' && before.atMin) || (direction === 'ArrowRight' && before.atMax)) {
        direction = direction === 'ArrowLeft' ? 'ArrowRight' : 'ArrowLeft';
        run = 0;
      }
      await page.keyboard.press(direction);
      run += 1;
      const arrived = await page
        .waitForFunction((n) => window.__samples.length > n, before.samples, { timeout: 2000 })
        .then(() => true, () => false);
      if (!arrived) missed += 1;
    }
    if (missed > 0) console.log(`${target.label}: ${missed} of ${target.steps} key presses gave no painted frame within 2 s`);
    const samples = await page.evaluate(() => window.__samples);
    await page.close();
    if (samples.length === 0) {
      console.log(`${target.label} (${target.route}): no input events measured`);
      return;
    }
    const work = stats(samples.map((s) => s.script + s.render));
    const script = stats(samples.map((s) => s.script));
    const latency = stats(samples.map((s) => s.latency));
    console.log(`${target.label} (${target.route}, ${samples.length} steps, 1280 px):`);
    console.log(`  work per step (script + style/layout/paint): ${fmt(work)}  budget ${FRAME_MS} ms at p95: ${work.p95 <= FRAME_MS ? 'ok' : 'OVER'}`);
    console.log(`    of which script: ${fmt(script)}`);
    console.log(`  input → next paint (includes waiting for the next frame): ${fmt(latency)}  ${latency.p95 <= 2 * FRAME_MS ? 'within the next frame' : 'MISSES FRAMES'}`);
  }
  await browser.close();
} finally {
  server.kill();
}
