/**
 * /search/ over the Pagefind index the build writes: the right lesson and glossary term for the site's key
 * terms, keyboard use, ?q= links, hostile queries, and the page without JavaScript.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { collectErrors } from './helpers';

const SEARCH_PATH = '/search/';

function search(page: Page) {
  return {
    input: page.getByRole('searchbox', { name: 'Search lessons, glossary and teacher guides' }),
    status: page.getByRole('status').filter({ hasText: /for “/ }),
    results: page.getByRole('list', { name: 'Results' }).getByRole('listitem'),
    link: (href: string) => page.getByRole('list', { name: 'Results' }).locator(`a[href="${href}"]`),
  };
}

/** Each key term finds the lesson about it and its own glossary entry. */
const expected = [
  { query: 'health factor', lesson: '/learn/health-factor/', term: '/glossary/#health-factor-title' },
  { query: 'auto-deleveraging', lesson: '/learn/insurance-fund-and-adl/', term: '/glossary/#auto-deleveraging-title' },
  { query: 'close factor', lesson: '/learn/health-factor/', term: '/glossary/#close-factor-title' },
  { query: 'bottleneck', lesson: '/learn/liquidation-bottlenecks/', term: '/glossary/#margin-account-bottlenecks-title' },
];

for (const { query, lesson, term } of expected) {
  test(`typing "${query}" lists its lesson and its glossary entry`, async ({ page }) => {
    const errors = collectErrors(page);
    await page.goto(SEARCH_PATH);
    const s = search(page);
    await s.input.fill(query);
    await expect(s.status).toHaveText(new RegExp(`^\\d+ results? for “${query}”\\.$`));
    await expect(s.link(lesson)).toHaveCount(1);
    await expect(s.link(term)).toHaveCount(1);
    await expect(s.link(term)).toContainText('Glossary:');
    // Every result has a title and an excerpt with the matched words highlighted.
    const first = s.results.first();
    await expect(first.locator('a')).not.toBeEmpty();
    await expect(first.locator('p mark').first()).toBeVisible();
    // The status counts what is listed.
    const count = Number((await s.status.textContent())?.match(/^\d+/)?.[0]);
    await expect(s.results).toHaveCount(count);
    // Only lessons, glossary entries and teacher guides are indexed: no widget page, embed or home page.
    for (const href of await s.results.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href') ?? ''))) {
      expect(href).toMatch(/^\/(learn\/[a-z0-9-]+\/|glossary\/#[a-z0-9-]+|widgets\/[a-z0-9-]+\/guide\/)$/);
    }
    expect(errors).toEqual([]);
  });
}

test('teacher guides are found and labelled as guides', async ({ page }) => {
  await page.goto(SEARCH_PATH);
  const s = search(page);
  await s.input.fill('learning goals');
  await expect(s.status).toContainText('for “learning goals”');
  const guide = s.link('/widgets/cascade-simulator/guide/');
  await expect(guide).toHaveCount(1);
  await expect(guide).toContainText('Teacher guide:');
});

test('the query is kept in the address, so a result can be shared or reloaded', async ({ page }) => {
  await page.goto(SEARCH_PATH);
  const s = search(page);
  await s.input.fill('insurance fund');
  await expect(s.status).toContainText('for “insurance fund”');
  await expect(page).toHaveURL(/\/search\/\?q=insurance\+fund$/);
  await s.input.fill('');
  await expect(page).toHaveURL(/\/search\/$/);
  await expect(s.results).toHaveCount(0);
});

test('the keyboard alone reaches the search, a result and its page', async ({ page }) => {
  await page.goto('/');
  // From the header: the Search link, then the search box, the button and the first result.
  const header = page.locator('header');
  await header.getByRole('link', { name: 'Search' }).focus();
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/search\/$/);
  // The URL changes before the page's script runs; an Enter before that is the no-JS form's GET, which
  // reloads the page (same results, focus back at the top) and is not the path this test walks.
  await page.waitForLoadState('load');
  const s = search(page);
  await s.input.focus();
  await page.keyboard.type('bottleneck');
  await page.keyboard.press('Enter');
  await expect(s.status).toContainText('for “bottleneck”');
  await page.keyboard.press('Tab'); // the Search button
  await expect(page.getByRole('button', { name: 'Search' })).toBeFocused();
  await page.keyboard.press('Tab'); // the first result
  const focused = page.locator(':focus');
  await expect(focused).toHaveAttribute('href', '/learn/liquidation-bottlenecks/');
  await page.keyboard.press('Enter');
  await expect(page).toHaveURL(/\/learn\/liquidation-bottlenecks\/$/);
  await expect(page.locator('h1')).toContainText('Bottlenecks');
});

test('?q= fills the box and runs the search', async ({ page }) => {
  await page.goto(`${SEARCH_PATH}?q=close%20factor`);
  const s = search(page);
  await expect(s.input).toHaveValue('close factor');
  await expect(s.status).toContainText('for “close factor”');
  await expect(s.link('/glossary/#close-factor-title')).toHaveCount(1);
});

test('a long ?q= is cut with a note', async ({ page }) => {
  await page.goto(`${SEARCH_PATH}?q=${'leverage '.repeat(20)}`);
  const s = search(page);
  await expect(s.status).toContainText('The search in the link was cut to its first 100 characters.');
  expect((await s.input.inputValue()).length).toBeLessThanOrEqual(100);
});

test('a query with markup injects nothing', async ({ page }) => {
  const errors = collectErrors(page);
  const hostile = '<script>window.__injected=1</script><img src=x onerror="window.__injected=2">';
  await page.goto(`${SEARCH_PATH}?q=${encodeURIComponent(hostile)}`);
  const s = search(page);
  await expect(s.input).toHaveValue(hostile);
  await expect(s.status).toContainText('for “<script>');
  const main = page.locator('main');
  await expect(main.locator('script, img')).toHaveCount(0);
  // The same text typed into the box.
  await s.input.fill(`${hostile} health`);
  await expect(s.status).toContainText('health”');
  await expect(main.locator('script, img')).toHaveCount(0);
  expect(await page.evaluate(() => (window as unknown as { __injected?: number }).__injected)).toBeUndefined();
  expect(errors).toEqual([]);
});

test('if the index cannot load, the page says so and points to the lessons and the glossary', async ({ page }) => {
  await page.route('**/pagefind/pagefind.js', (route) => route.fulfill({ status: 404, body: '' }));
  await page.goto(`${SEARCH_PATH}?q=leverage`);
  await expect(page.getByRole('status')).toHaveText('Search is unavailable.');
  const failure = page.locator('[data-search-failure]');
  await expect(failure).toBeVisible();
  await expect(failure.getByRole('link', { name: 'glossary' })).toHaveAttribute('href', '/glossary/');
});

for (const scheme of ['light', 'dark'] as const) {
  test(`results and highlights pass axe in the ${scheme} scheme`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.goto(`${SEARCH_PATH}?q=liquidation%20price`);
    await expect(search(page).results.first().locator('mark').first()).toBeVisible();
    const results = await new AxeBuilder({ page }).analyze();
    expect(results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  });
}

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the page says search needs JavaScript and links to the lessons and the glossary', async ({ page }) => {
    await page.goto(`${SEARCH_PATH}?q=leverage`);
    const main = page.locator('main');
    await expect(main.getByText('Search runs in your browser and needs JavaScript')).toBeVisible();
    await expect(main.getByRole('link', { name: 'home page' })).toHaveAttribute('href', '/#lessons-title');
    await expect(main.getByRole('link', { name: 'glossary' })).toHaveAttribute('href', '/glossary/');
    // No box that would do nothing.
    await expect(page.getByRole('searchbox')).toBeHidden();
  });
});
