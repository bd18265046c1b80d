import { describe, expect, it } from 'vitest';
import { lessonNeighbours, lessonsByPart } from './lesson-parts';

const lesson = (id: string, order: number, part: 'exchanges' | 'defi') => ({ id, data: { order, part, title: id } });
const course = [lesson('hf', 11, 'defi'), lesson('mm', 2, 'exchanges'), lesson('def', 1, 'exchanges'), lesson('amm', 12, 'defi')];

describe('lesson parts', () => {
  it('groups lessons by part in reading order', () => {
    const groups = lessonsByPart(course);
    expect(groups.map((g) => g.part.id)).toEqual(['exchanges', 'defi']);
    expect(groups.map((g) => g.lessons.map((l) => l.id))).toEqual([['def', 'mm'], ['hf', 'amm']]);
  });

  it('leaves out a part with no lessons', () => {
    expect(lessonsByPart(course.filter((l) => l.data.part === 'defi')).map((g) => g.part.id)).toEqual(['defi']);
  });

  it('links each lesson to its neighbours across parts', () => {
    expect(lessonNeighbours(course, 'mm')).toEqual({ previous: course[2], next: course[0] });
    expect(lessonNeighbours(course, 'def').previous).toBeNull();
    expect(lessonNeighbours(course, 'amm').next).toBeNull();
    expect(lessonNeighbours(course, 'missing')).toEqual({ previous: null, next: null });
  });
});
