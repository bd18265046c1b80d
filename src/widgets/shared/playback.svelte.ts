/**
 * Playback through a run, shared by the cascade simulator, the AMM liquidation spiral and the contagion network:
 * the chosen step, Play/Pause on a timer, Step, Step back, the scrubber, and what a new run does to them.
 *
 * Construct it during component init: the constructor creates the timer's effect and the reduced-motion effect,
 * and effects outside a component's init have no owner to clean them up. Read fields on the instance
 * (`pb.step`), not destructured copies, which stop following the run.
 *
 * Reduced motion (site policy): Play stays, and every step is drawn without animation; a reader who switches
 * reduced motion on mid-play gets a still figure at once.
 */
import { prefersReducedMotion } from 'svelte/motion';
import { atEnd, clampStep, nextStep, playFrom, prevStep, scrubTo, stepOf } from './playback';

export interface PlaybackOptions {
  /** The run's last step, read through a getter so the step follows the widget's derived run. */
  last: () => number;
  /** Words for the step, for the scrubber's output and aria-valuetext. */
  label: (step: number) => string;
  /** Milliseconds between Play's steps; 900 unless given. */
  interval?: number;
  /** The cascade's predict phase: the step holds at frozenAt, and Play and Step do nothing. */
  frozen?: () => boolean;
  frozenAt?: number;
}

export class Playback {
  /** The step the reader chose; null: the run's last step. */
  chosen = $state<number | null>(null);
  playing = $state(false);
  /** Whether the latest change of step should be animated: Play's ticks, Step and Step back only, never with reduced motion. */
  animate = $state(false);

  readonly #last: () => number;
  readonly #frozen: () => boolean;
  readonly #frozenAt: number;
  readonly #label: (step: number) => string;

  readonly last = $derived.by(() => this.#last());
  readonly frozen = $derived.by(() => this.#frozen());
  readonly step = $derived.by(() => stepOf(this.chosen, this.last, this.frozen, this.#frozenAt));
  readonly atEnd = $derived.by(() => atEnd(this.step, this.last));
  readonly label = $derived.by(() => this.#label(this.step));
  readonly canPlay = $derived.by(() => !this.frozen && this.last > 0);
  readonly reducedMotion = $derived.by(() => prefersReducedMotion.current);

  constructor(options: PlaybackOptions) {
    this.#last = options.last;
    this.#frozen = options.frozen ?? (() => false);
    this.#frozenAt = options.frozenAt ?? 0;
    this.#label = options.label;
    const interval = options.interval ?? 900;

    // The effect tracks only `playing`: each tick reads the step when it fires, so a scrub or a new run between
    // ticks is where the next tick continues from.
    $effect(() => {
      if (!this.playing) return;
      const timer = setInterval(() => {
        if (atEnd(this.step, this.last)) {
          this.playing = false;
          return;
        }
        this.goTo(nextStep(this.step, this.last), { animate: true });
      }, interval);
      return () => clearInterval(timer);
    });
    $effect(() => {
      if (this.reducedMotion) this.playing = false;
    });
  }

  goTo(step: number, opts: { animate?: boolean } = {}): void {
    this.animate = (opts.animate ?? false) && !this.reducedMotion;
    this.chosen = clampStep(step, this.last);
  }

  pause(): void {
    this.playing = false;
  }

  togglePlay(): void {
    if (this.playing) {
      this.playing = false;
      return;
    }
    if (!this.canPlay) return;
    if (this.atEnd) this.goTo(playFrom(this.step, this.last));
    this.playing = true;
  }

  stepOnce(): void {
    this.playing = false;
    if (this.frozen || this.atEnd) return;
    this.goTo(nextStep(this.step, this.last), { animate: true });
  }

  stepBack(): void {
    this.playing = false;
    if (this.frozen || this.step <= 0) return;
    this.goTo(prevStep(this.step, this.last), { animate: true });
  }

  /** The scrubber or a drag on a chart: pause and jump, without animation. */
  scrub(x: number): void {
    this.playing = false;
    this.goTo(scrubTo(x, this.last));
  }

  /** A new run (a knob, a link, a preset): paused, not animated, open at its last step. */
  reset(): void {
    this.playing = false;
    this.animate = false;
    this.chosen = null;
  }

  /** Play the run from the shock (the cascade after a guess). */
  restart(): void {
    this.goTo(0);
    this.playing = this.last > 0;
  }

  /** After a cut link: with reduced motion show the end at once, else play from the shock. */
  replay(): void {
    if (this.reducedMotion) {
      this.reset();
      return;
    }
    this.restart();
  }
}
