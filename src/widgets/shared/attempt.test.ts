import { describe, expect, it } from 'vitest';
import { EngineInputError } from '../../engine/errors';
import { attemptWith } from './attempt';

describe('attemptWith', () => {
  const describeRefusal = (error: EngineInputError) => `Refused: ${error.field}`;

  it('passes a result through', () => {
    expect(attemptWith(() => 42, describeRefusal)).toEqual({ ok: true, value: 42 });
  });

  it("words the engine's refusal", () => {
    const run = () => {
      throw new EngineInputError('count', 'must be at least 1');
    };
    expect(attemptWith(run, describeRefusal)).toEqual({ ok: false, error: 'Refused: count' });
  });

  it('lets any other error through: it is a bug, not bad input', () => {
    expect(() =>
      attemptWith(() => {
        throw new TypeError('boom');
      }, describeRefusal),
    ).toThrow(TypeError);
  });
});
