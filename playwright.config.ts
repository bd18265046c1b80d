/**
 * Browser tests against the built site (dist/), served by `astro preview`. Build first: `npm run build`.
 * Chromium is not downloaded by Playwright here; scripts/browser.mjs finds one (CHROMIUM_PATH, Playwright's
 * own, or Debian's /usr/bin/chromium) and supplies the flags that keep it off the network.
 */
import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { launchOptions } from './scripts/browser.mjs';

const PORT = 4329;
const baseURL = `http://127.0.0.1:${PORT}`;
// A second build, made as a school would (`BASE_PATH=/margin-pressure/ npm run build -- --outDir dist-base`;
// scripts/test.mjs does it), served only under that prefix; tests/browser/base-path.spec.ts crawls it.
const BASE_PORT = 4330;
const BASE_PREFIX = '/margin-pressure/';
const hasBaseBuild = existsSync('dist-base/404.html');

export default defineConfig({
  testDir: 'tests/browser',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  // list for people (its last line reads "N passed"); json for scripts/test.mjs, which adds up the counts.
  reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
  timeout: 30_000,
  expect: { timeout: 5_000 },
  forbidOnly: !!process.env['CI'],
  use: {
    baseURL,
    launchOptions: launchOptions(),
    trace: 'off',
    screenshot: 'off',
  },
  projects: [
    { name: 'site', testIgnore: /base-path\.spec\.ts$/ },
    { name: 'base-path', testMatch: /base-path\.spec\.ts$/, use: { baseURL: `http://127.0.0.1:${BASE_PORT}${BASE_PREFIX}` } },
  ],
  webServer: [{
    // --ignore-lock: astro 7 refuses to start a second preview server for the same project (a developer's
    // own `npm run preview` on 4321 would fail the suite); this one is ours alone and leaves the lock file be.
    command: `npm run preview -- --port ${PORT} --ignore-lock`,
    url: `${baseURL}/`,
    reuseExistingServer: !process.env['CI'],
    timeout: 60_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
  // Without dist-base the base-path spec fails and says how to make it; the other specs need only dist/.
  ...(hasBaseBuild
    ? [{
        command: `node_modules/.bin/node scripts/serve.mjs ${BASE_PORT} dist-base ${BASE_PREFIX}`,
        url: `http://127.0.0.1:${BASE_PORT}${BASE_PREFIX}`,
        reuseExistingServer: !process.env['CI'],
        timeout: 30_000,
        stdout: 'ignore' as const,
        stderr: 'pipe' as const,
      }]
    : [])],
});
