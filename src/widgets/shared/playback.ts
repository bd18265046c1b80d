/**
 * The arithmetic of stepping through a run (rounds or blocks 0…last), shared by the widgets that play one: the
 * cascade simulator, the AMM liquidation spiral and the contagion network. Pure, so it is tested without Svelte;
 * the runes class in playback.svelte.ts holds the state and the timer and asks these functions what to do.
 */

/** A step inside the run: a chosen step beyond a shorter new run lands on its last step, never past it. */
export function clampStep(step: number, last: number): number {
  return Math.max(0, Math.min(last, step));
}

/**
 * The step on show. `chosen` null means the run's last step, so a run that changes length while the reader has
 * not picked a step keeps showing its end. A frozen run (the cascade's predict phase) holds at `frozenAt`.
 */
export function stepOf(chosen: number | null, last: number, frozen = false, frozenAt = 0): number {
  if (frozen) return clampStep(frozenAt, last);
  return chosen === null ? last : clampStep(chosen, last);
}

export function nextStep(step: number, last: number): number {
  return clampStep(step + 1, last);
}

export function prevStep(step: number, last: number): number {
  return clampStep(step - 1, last);
}

/** Whether the run is at its end: a tick there stops playback instead of advancing. */
export function atEnd(step: number, last: number): boolean {
  return step >= last;
}

/** Where Play starts: where the reader is, or from the shock again once the run has been played to its end. */
export function playFrom(step: number, last: number): number {
  return atEnd(step, last) ? 0 : step;
}

/** A scrubber or chart position (possibly between steps) to the nearest step in the run. */
export function scrubTo(x: number, last: number): number {
  return clampStep(Math.round(x), last);
}
