/**
 * Finds a Chromium to drive and the flags to launch it with. Order: an explicit path in CHROMIUM_PATH
 * (or PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH), Playwright's own download if one exists, then Debian's
 * /usr/bin/chromium. The flags keep Chromium off the network: this machine's network is closed and
 * Chromium otherwise stalls on its own background connections.
 */
import { existsSync } from 'node:fs';
import { chromium } from '@playwright/test';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function findChromium() {
  const fromEnv = process.env.CHROMIUM_PATH || process.env.PLAYWRIGHT_CHROMIUM_EXECUTABLE_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points to ${fromEnv}, which does not exist`);
    return fromEnv;
  }
  try {
    const own = chromium.executablePath();
    if (own && existsSync(own)) return own;
  } catch {
    // Playwright has no browser of its own here; fall through.
  }
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error(
    'No Chromium found. Set CHROMIUM_PATH, or install Debian\'s package: apt-get install -y chromium',
  );
}

export function launchOptions() {
  return { executablePath: findChromium(), args: CHROMIUM_ARGS, headless: true };
}
