import { chromium } from '@playwright/test';
import { launchOptions } from './browser.mjs';
// Usage: node scripts/shot-element.mjs URL OUT.png [width] [light|dark] [selector] [playwright action]
const [url, out, width = '1280', scheme = 'light', selector = '.widget', action = ''] = process.argv.slice(2);
const browser = await chromium.launch(launchOptions());
const page = await browser.newPage({ viewport: { width: Number(width), height: 900 }, colorScheme: scheme });
const errors = [];
page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') errors.push(m.text()); });
page.on('pageerror', (e) => errors.push(String(e)));
await page.goto(url, { waitUntil: 'networkidle' });
const el = page.locator(selector).first();
await el.scrollIntoViewIfNeeded();
await page.waitForTimeout(500);
if (action) { await eval(action); await page.waitForTimeout(400); }
await el.screenshot({ path: out });
console.log('errors:', errors);
await browser.close();
