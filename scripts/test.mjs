/**
 * `npm test`: every check, in order, stopping at the first that fails.
 *   1. type check (astro check for .astro/.ts, svelte-check for .svelte), zero errors or warnings
 *   2. unit and property tests (vitest)
 *   3. the production build, then the same build under the sub-path /margin-pressure/ into dist-base/
 *   4. browser tests (Playwright driving Chromium) against the built site
 * Ends with one line "tests: N passed, N failed" counting unit and browser tests together.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const bin = (name) => `node_modules/.bin/${name}`;
rmSync('reports', { recursive: true, force: true });
mkdirSync('reports', { recursive: true });
const env = { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', TZ: 'UTC' };

const steps = [
  ['Type check (astro)', bin('astro'), ['check', '--minimumFailingSeverity', 'warning']],
  ['Type check (svelte)', bin('svelte-check'), ['--tsconfig', './tsconfig.json', '--fail-on-warnings', '--output', 'human']],
  ['Unit and property tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', '--outputFile=reports/vitest.json']],
  ['Production build', bin('astro'), ['build']],
  // The same site as a school hosts it under a sub-path, for tests/browser/base-path.spec.ts.
  ['Production build under /margin-pressure/', bin('astro'), ['build', '--outDir', 'dist-base'], { BASE_PATH: '/margin-pressure/' }],
  ['Browser tests', bin('playwright'), ['test']],
];

const started = Date.now();
let failedStep = null;
for (const [title, command, args, extraEnv] of steps) {
  const t0 = Date.now();
  console.log(`\n=== ${title}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...env, ...extraEnv } });
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  if (result.status !== 0) {
    console.log(`=== ${title}: FAILED after ${seconds} s`);
    failedStep = title;
    break;
  }
  console.log(`=== ${title}: ok (${seconds} s)`);
}

function counts() {
  let passed = 0;
  let failed = 0;
  if (existsSync('reports/vitest.json')) {
    const report = JSON.parse(readFileSync('reports/vitest.json', 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += report.numFailedTests ?? 0;
  }
  if (existsSync('reports/playwright.json')) {
    const report = JSON.parse(readFileSync('reports/playwright.json', 'utf8'));
    passed += report.stats?.expected ?? 0;
    failed += (report.stats?.unexpected ?? 0) + (report.stats?.flaky ?? 0);
  }
  return { passed, failed };
}

const { passed, failed } = counts();
console.log(`\nAll steps took ${((Date.now() - started) / 1000).toFixed(0)} s${failedStep ? `; stopped at: ${failedStep}` : ''}.`);
console.log(`tests: ${passed} passed, ${failed + (failedStep && failed === 0 ? 1 : 0)} failed`);
process.exit(failedStep ? 1 : 0);
