import { describe, expect, it } from 'vitest';
import { atEnd, clampStep, nextStep, playFrom, prevStep, scrubTo, stepOf } from './playback';

describe('stepOf', () => {
  it('shows the last step when the reader has not chosen one, so a new run opens at its end', () => {
    expect(stepOf(null, 7)).toBe(7);
    expect(stepOf(null, 0)).toBe(0);
  });

  it('shows the chosen step, and the last one when a shorter run leaves the choice past its end', () => {
    expect(stepOf(3, 7)).toBe(3);
    expect(stepOf(9, 4)).toBe(4);
    expect(stepOf(0, 4)).toBe(0);
  });

  it('holds a frozen run at frozenAt whatever was chosen (the cascade before a guess)', () => {
    expect(stepOf(5, 7, true)).toBe(0);
    expect(stepOf(null, 7, true)).toBe(0);
    expect(stepOf(5, 7, true, 2)).toBe(2);
    expect(stepOf(null, 1, true, 3)).toBe(1);
  });
});

describe('moving through a run', () => {
  it('clamps a step into 0…last', () => {
    expect(clampStep(-2, 5)).toBe(0);
    expect(clampStep(8, 5)).toBe(5);
    expect(clampStep(3, 5)).toBe(3);
    expect(clampStep(3, 0)).toBe(0);
  });

  it('steps forward and back without leaving the run', () => {
    expect(nextStep(2, 5)).toBe(3);
    expect(nextStep(5, 5)).toBe(5);
    expect(prevStep(2, 5)).toBe(1);
    expect(prevStep(0, 5)).toBe(0);
  });

  it('knows when a tick would run past the end', () => {
    expect(atEnd(4, 5)).toBe(false);
    expect(atEnd(5, 5)).toBe(true);
    expect(atEnd(0, 0)).toBe(true);
  });

  it('plays on from where the reader is, and from the shock again once at the end', () => {
    expect(playFrom(2, 5)).toBe(2);
    expect(playFrom(0, 5)).toBe(0);
    expect(playFrom(5, 5)).toBe(0);
  });

  it('takes a scrub position between steps to the nearest step in the run', () => {
    expect(scrubTo(2.4, 5)).toBe(2);
    expect(scrubTo(2.6, 5)).toBe(3);
    expect(scrubTo(-0.7, 5)).toBe(0);
    expect(scrubTo(6.2, 5)).toBe(5);
  });
});
