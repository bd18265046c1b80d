/**
 * Engine calls in a widget: the engine refuses bad input with an EngineInputError, which the widget shows as
 * a sentence in the reader's words; anything else thrown is a bug and must not be swallowed. Each widget says
 * how it words a refusal (which control a field is), the catching is the same for all.
 */
import { EngineInputError } from '../../engine/errors';

/** An engine call's result, or the engine's refusal in the reader's words. */
export type Attempt<T> = { ok: true; value: T } | { ok: false; error: string };

/** Runs `run`; an EngineInputError becomes `{ ok: false, error: describe(error) }`, anything else throws. */
export function attemptWith<T>(run: () => T, describe: (error: EngineInputError) => string): Attempt<T> {
  try {
    return { ok: true, value: run() };
  } catch (error) {
    if (error instanceof EngineInputError) return { ok: false, error: describe(error) };
    throw error;
  }
}
