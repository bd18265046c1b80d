import { chromium } from '@playwright/test';
import { launchOptions } from './browser.mjs';
const browser = await chromium.launch(launchOptions());
for (const w of [320, 360, 400, 480, 600, 768, 1024]) {
  const page = await browser.newPage({ viewport: { width: w, height: 600 } });
  await page.goto('http://127.0.0.1:4340/embed/position-explorer/', { waitUntil: 'networkidle' });
  await page.waitForFunction(() => !document.querySelector('astro-island[ssr]'));
  await page.waitForTimeout(200);
  const a = await page.evaluate(() => document.documentElement.scrollHeight);
  await page.locator('.mark-slider').fill('40000'); await page.waitForTimeout(100);
  const b = await page.evaluate(() => document.documentElement.scrollHeight);
  console.log(w, a, 'liquidated', b);
  await page.close();
}
await browser.close();
