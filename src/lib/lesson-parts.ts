/**
 * The course has two halves that share one mechanism: leverage on exchanges (perpetual futures) and margin
 * pressure on-chain (lending protocols). Lessons say which half they belong to in their front matter; pages use
 * these names so the home page, the lesson footer and any later index group them the same way.
 */
export type LessonPart = 'exchanges' | 'defi';

export const LESSON_PARTS: readonly { id: LessonPart; title: string; summary: string }[] = [
  {
    id: 'exchanges',
    title: 'Part 1: leverage on exchanges',
    summary: 'Margin, liquidation and the forced-selling spiral on centralized perpetual-futures venues.',
  },
  {
    id: 'defi',
    title: 'Part 2: margin pressure on-chain',
    summary: 'The same mechanism in DeFi lending: health factor, liquidators, AMM pools, oracles, bottlenecks and contagion.',
  },
];

interface Ordered {
  id: string;
  data: { order: number; part: LessonPart; title: string };
}

/** Lessons in reading order, grouped by part (parts in course order, empty parts left out). */
export function lessonsByPart<T extends Ordered>(lessons: readonly T[]): { part: (typeof LESSON_PARTS)[number]; lessons: T[] }[] {
  const sorted = [...lessons].sort((a, b) => a.data.order - b.data.order);
  return LESSON_PARTS.map((part) => ({ part, lessons: sorted.filter((lesson) => lesson.data.part === part.id) })).filter(
    (group) => group.lessons.length > 0,
  );
}

/** The lessons before and after `id` in reading order (across parts: the course reads straight through). */
export function lessonNeighbours<T extends Ordered>(lessons: readonly T[], id: string): { previous: T | null; next: T | null } {
  const sorted = [...lessons].sort((a, b) => a.data.order - b.data.order);
  const at = sorted.findIndex((lesson) => lesson.id === id);
  if (at < 0) return { previous: null, next: null };
  return { previous: sorted[at - 1] ?? null, next: sorted[at + 1] ?? null };
}
