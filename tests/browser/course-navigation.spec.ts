/**
 * The course reads straight through: the home page lists the lessons in two parts (exchanges, then on-chain), and
 * every lesson page names its part and links to the lessons before and after it in the front matter's order.
 * The expected order is read from the lesson files themselves, so adding a lesson cannot leave a stale list here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { parse } from 'yaml';

const dir = new URL('../../content/lessons/', import.meta.url);
const course = readdirSync(dir)
  .filter((file) => file.endsWith('.mdx'))
  .map((file) => {
    const front = parse(readFileSync(new URL(file, dir), 'utf8').split('---')[1] ?? '');
    return { id: file.replace(/\.mdx$/, ''), title: String(front.title), order: Number(front.order), part: front.part ?? 'exchanges' };
  })
  .sort((a, b) => a.order - b.order);

test('the home page lists the lessons by part, in reading order', async ({ page }) => {
  await page.goto('/');
  const section = page.locator('section[aria-labelledby="lessons-title"]');
  const parts = [...new Set(course.map((lesson) => lesson.part))];
  await expect(section.locator('h3')).toHaveCount(parts.length);
  const lists = section.locator('ol');
  for (const [i, part] of parts.entries()) {
    const titles = course.filter((lesson) => lesson.part === part).map((lesson) => lesson.title);
    await expect(lists.nth(i).locator('li > a')).toHaveText(titles);
  }
});

test('each lesson links to the one before and after it', async ({ page }) => {
  for (const [i, lesson] of course.entries()) {
    await page.goto(`/learn/${lesson.id}/`);
    const nav = page.getByRole('navigation', { name: 'Course' });
    const previous = course[i - 1];
    const next = course[i + 1];
    if (previous) await expect(nav.locator('a[rel="prev"]')).toHaveAttribute('href', `/learn/${previous.id}/`);
    else await expect(nav.locator('a[rel="prev"]')).toHaveCount(0);
    if (next) await expect(nav.locator('a[rel="next"]')).toContainText(next.title);
    else await expect(nav.locator('a[rel="next"]')).toHaveCount(0);
    await expect(page.locator('article.lesson > p.part')).toContainText(lesson.part === 'defi' ? 'on-chain' : 'exchanges');
  }
});
