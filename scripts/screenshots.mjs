/**
 * Screenshots for looking at what we build: each path at phone and desktop width, light and dark.
 * Usage: node scripts/screenshots.mjs [baseUrl] [path ...]   (writes PNGs to screenshots/)
 */
import { mkdirSync } from 'node:fs';
import { chromium } from '@playwright/test';
import { launchOptions } from './browser.mjs';

const [baseUrl = 'http://127.0.0.1:4321', ...paths] = process.argv.slice(2);
const targets = paths.length ? paths : ['/', '/learn/margin-pressure/', '/glossary/', '/widgets/position-explorer/', '/embed/position-explorer/'];
mkdirSync('screenshots', { recursive: true });
const browser = await chromium.launch(launchOptions());
for (const path of targets) {
  for (const [label, width] of [['phone', 375], ['desktop', 1280]]) {
    for (const scheme of ['light', 'dark']) {
      const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme: scheme });
      await page.goto(baseUrl + path, { waitUntil: 'networkidle' });
      await page.evaluate(() => document.querySelector('.widget')?.scrollIntoView());
      await page.waitForTimeout(300);
      const name = `screenshots/${path.replace(/[^a-z0-9]+/gi, '_').replace(/^_|_$/g, '') || 'home'}-${label}-${scheme}.png`;
      await page.screenshot({ path: name, fullPage: true });
      console.log(name);
      await page.close();
    }
  }
}
await browser.close();
