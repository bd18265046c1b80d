/**
 * The widget's state in the address: reading a hand-written link, the Share link and embed code round
 * trip, and hostile or malformed parameters (clamped and explained, never executed or rendered as HTML).
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { EMBED_PATH, WIDGET_PATH, collectErrors, explorer, hydrate, parts } from './helpers';

async function open(page: Page, path: string): Promise<{ widget: Locator; w: ReturnType<typeof parts> }> {
  await page.goto(path);
  await hydrate(page);
  const widget = explorer(page);
  return { widget, w: parts(widget) };
}

/** Everything a reader sees of the state, to compare two widgets. */
async function snapshot(widget: Locator) {
  const w = parts(widget);
  const checked = await widget.locator('input[type="radio"]:checked').evaluateAll((inputs) =>
    inputs.map((i) => (i as HTMLInputElement).labels?.[0]?.textContent?.replace(/\s+/g, ' ').trim() ?? ''),
  );
  return {
    checked,
    leverage: await w.levOutput.textContent(),
    mark: await w.markOutput.textContent(),
    entry: await widget.getByLabel('Entry price').inputValue(),
    mmr: await widget.getByLabel('Maintenance margin rate').inputValue(),
    summary: await w.summary.textContent(),
    zone: await widget.getAttribute('data-zone'),
  };
}

/** Fails the test if any dialog (alert, confirm, prompt) opens. */
function forbidDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on('dialog', async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  return dialogs;
}

test('a hand-written link sets the state', async ({ page }) => {
  const { widget, w } = await open(page, `${WIDGET_PATH}?side=short&lev=20&mark=61000`);
  await expect(widget.getByRole('radio', { name: 'Short' })).toBeChecked();
  await expect(widget.getByRole('radio', { name: 'Long' })).not.toBeChecked();
  await expect(w.levOutput).toHaveText('20×');
  await expect(w.levSlider).toHaveValue('20');
  await expect(w.markOutput).toHaveText('61,000.00 USDT');
  await expect(w.markSlider).toHaveValue('61000');
  // Short 20×: LP = 60000 · (1 + 1/20) / (1 + 0.004) = 62,749.00.
  await expect(w.summary).toContainText('20× short BTCUSDT (linear): at a mark of 61,000.00 USDT');
  await expect(w.summary).toContainText('Liquidation at 62,749.00 USDT');
  await expect(w.notes).toHaveCount(0);
});

test('Share: the link and the embed code reproduce the state', async ({ page, context }) => {
  const errors = collectErrors(page);
  const { widget, w } = await open(page, WIDGET_PATH);
  await widget.getByRole('radio', { name: 'Short' }).check();
  await w.levSlider.fill('25');
  // Number fields apply on change (Enter or leaving the field), like a form.
  await widget.getByLabel('Maintenance margin rate').fill('0.5');
  await page.keyboard.press('Enter');
  await widget.getByLabel('Entry price').fill('65000');
  await page.keyboard.press('Enter');
  await expect(w.levOutput).toHaveText('25×');
  await w.markSlider.focus();
  for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowRight');
  await expect(w.markOutput).not.toHaveText('65,000.00 USDT');
  const before = await snapshot(widget);
  expect(before.checked).toEqual(['Short', 'Linear BTCUSDT', 'Margin']);
  expect(before.entry).toBe('65000');
  expect(before.mmr).toBe('0.5');

  await expect(w.shareButton).toHaveAttribute('aria-expanded', 'false');
  await expect(w.linkField).toBeHidden();
  await w.shareButton.click();
  await expect(w.shareButton).toHaveAttribute('aria-expanded', 'true');
  await expect(w.linkField).toBeVisible();
  await expect(w.linkField).toHaveAttribute('readonly', '');
  const link = new URL(await w.linkField.inputValue());
  expect(link.origin).toBe(new URL(page.url()).origin);
  expect(link.pathname).toBe(WIDGET_PATH);
  expect(link.searchParams.get('v')).toBe('2');
  expect(link.searchParams.get('side')).toBe('short');
  expect(link.searchParams.get('lev')).toBe('25');

  // The link, opened fresh, shows the same state.
  const other = await context.newPage();
  const otherErrors = collectErrors(other);
  const { widget: reopened } = await open(other, link.href);
  await expect(parts(reopened).summary).toHaveText(before.summary ?? '');
  expect(await snapshot(reopened)).toEqual(before);
  await expect(parts(reopened).notes).toHaveCount(0);

  // The embed code: an iframe of /embed/ with the same query, a title, a height, lazy loading, and a
  // plain link for hosts that strip iframes.
  const code = await w.embedField.inputValue();
  const embed = await page.evaluate((html) => {
    const doc = new DOMParser().parseFromString(html, 'text/html');
    const iframe = doc.querySelector('iframe');
    const a = doc.querySelector('a');
    return {
      src: iframe?.getAttribute('src') ?? null,
      title: iframe?.getAttribute('title') ?? null,
      height: iframe?.getAttribute('height') ?? null,
      loading: iframe?.getAttribute('loading') ?? null,
      href: a?.getAttribute('href') ?? null,
      linkText: a?.textContent ?? null,
      scripts: doc.querySelectorAll('script').length,
    };
  }, code);
  expect(embed.src).not.toBeNull();
  const src = new URL(embed.src ?? '');
  expect(src.origin).toBe(link.origin);
  expect(src.pathname).toBe(EMBED_PATH);
  expect(src.search).toBe(link.search);
  expect(embed.title).toBe('Margin Pressure: Position explorer (25× short BTCUSDT)');
  expect(embed.height).toMatch(/^\d+$/);
  expect(embed.loading).toBe('lazy');
  expect(embed.href).toBe(link.href);
  expect(embed.linkText).toContain('Open the position explorer');
  expect(embed.scripts).toBe(0);
  await expect(widget.getByRole('link', { name: 'Preview the embed' })).toHaveAttribute('href', src.href);

  // The embed page itself shows the same state.
  const embedPage = await context.newPage();
  const embedErrors = collectErrors(embedPage);
  const { widget: embedded } = await open(embedPage, src.href);
  expect(await snapshot(embedded)).toEqual(before);

  // And so does a host page that pastes the code as it is.
  const host = await context.newPage();
  // The host listens for the embed's optional auto-height messages.
  await host.setContent(
    `<!doctype html><html lang="en"><body><h1>Course page</h1><script>window.heights = []; addEventListener('message', (e) => { if (e.data && e.data.type === 'margin-pressure:resize') heights.push(e.data.height); });</script>${code}</body></html>`,
  );
  const frame = host.frameLocator('iframe');
  const framed = explorer(frame);
  await expect(frame.locator('astro-island[ssr]')).toHaveCount(0, { timeout: 10_000 });
  await expect(framed).toBeVisible();
  await expect(parts(framed).summary).toHaveText(before.summary ?? '');
  await expect(parts(framed).markOutput).toHaveText(before.mark ?? '');
  await expect.poll(() => host.evaluate(() => (window as unknown as { heights: number[] }).heights.length)).toBeGreaterThan(0);
  const heights = await host.evaluate(() => (window as unknown as { heights: number[] }).heights);
  expect(heights.every((h) => Number.isInteger(h) && h > 300)).toBe(true);

  expect([...errors, ...otherErrors, ...embedErrors]).toEqual([]);
});

test('Copy link either copies or selects the link and says which', async ({ page }) => {
  const { w, widget } = await open(page, WIDGET_PATH);
  await w.shareButton.click();
  await widget.getByRole('button', { name: 'Copy link' }).click();
  await expect(widget.locator('.share [role="status"]')).toHaveText(/^Link (copied\.|selected: press Ctrl\+C or ⌘C to copy\.)$/);
  await w.shareButton.click();
  await expect(w.shareButton).toHaveAttribute('aria-expanded', 'false');
  await expect(w.linkField).toBeHidden();
});

test.describe('bad input', () => {
  test('leverage beyond the venue maximum is clamped with a note, and the widget still works', async ({ page }) => {
    const { widget, w } = await open(page, `${WIDGET_PATH}?lev=500`);
    await expect(w.notes).toBeVisible();
    await expect(w.notes).toContainText('Leverage 500 is above the maximum 125');
    await expect(widget).not.toHaveAttribute('data-zone', 'error');
    // At 125× the margin is 0.8 % of notional against 0.4 % maintenance: a margin ratio of 50 % at entry.
    await expect(widget).toHaveAttribute('data-zone', 'warning');
    await expect(w.levOutput).toHaveText('125×');
    await expect(w.summary).toContainText('125× long BTCUSDT');
    await w.markSlider.focus();
    await page.keyboard.press('Home');
    await expect(widget).toHaveAttribute('data-zone', 'liquidated');
  });

  test('leverage the maintenance rate does not allow is clamped to its ceiling', async ({ page }) => {
    const { widget, w } = await open(page, `${WIDGET_PATH}?mmr=2&lev=80`);
    await expect(w.notes).toContainText('above the maximum 49');
    await expect(w.levOutput).toHaveText('49×');
    // 2 % maintenance against 1/49 margin: a ratio of 98 % at entry, open but in danger.
    await expect(widget).toHaveAttribute('data-zone', 'danger');
    await expect(w.summary).toContainText('49× long BTCUSDT');
  });

  test('a price that is not a number is replaced by the default with a note', async ({ page }) => {
    const { widget, w } = await open(page, `${WIDGET_PATH}?entry=abc`);
    await expect(w.notes).toContainText('Entry price "abc" is not a number; using 60000');
    await expect(widget.getByLabel('Entry price')).toHaveValue('60000');
    await expect(w.summary).toContainText('Liquidation at 54,216.87 USDT');
  });

  test('a mark outside the chart is moved onto it with a note', async ({ page }) => {
    const { widget, w } = await open(page, `${WIDGET_PATH}?mark=1000`);
    await expect(w.notes).toContainText("Mark price 1000 is outside this chart's window");
    await expect(w.markOutput).toHaveText('51,000.00 USDT');
    await expect(widget).toHaveAttribute('data-zone', 'liquidated');
  });

  for (const [key, value] of [
    ['side', '<script>alert(1)</script>'],
    ['entry', '<img src=x onerror=alert(1)>'],
    ['contract', '"><svg onload=alert(1)>'],
  ] as const) {
    test(`markup in ?${key}= is shown as text and never runs`, async ({ page }) => {
      const dialogs = forbidDialogs(page);
      const errors = collectErrors(page);
      const query = new URLSearchParams({ [key]: value }).toString();
      const { widget, w } = await open(page, `${WIDGET_PATH}?${query}`);
      await expect(w.notes).toBeVisible();
      // The note quotes the first 24 characters of the raw text, as text.
      await expect(w.notes).toContainText(value.slice(0, 24));
      expect(await w.notes.innerHTML()).toContain(value.slice(0, 10).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;'));
      await expect(widget.locator('script, img, iframe, object, embed')).toHaveCount(0);
      await expect(widget.locator('svg[onload], [onerror]')).toHaveCount(0);
      await expect(widget).not.toHaveAttribute('data-zone', 'error');
      await page.waitForTimeout(200);
      expect(dialogs, 'no dialog may open').toEqual([]);
      expect(errors).toEqual([]);
    });
  }

  test('unknown keys are ignored without a note', async ({ page }) => {
    const { w } = await open(page, `${WIDGET_PATH}?foo=bar&utm_source=newsletter&lev=20`);
    await expect(w.levOutput).toHaveText('20×');
    await expect(w.notes).toHaveCount(0);
  });

  test('a link from another codec version is read and says so', async ({ page }) => {
    const { w } = await open(page, `${WIDGET_PATH}?v=9&lev=20`);
    await expect(w.levOutput).toHaveText('20×');
    await expect(w.notes).toContainText('version "9"');
  });
});
