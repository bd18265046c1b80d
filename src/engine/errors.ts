/**
 * Thrown for input the engine refuses. It names the field and the rule so that a widget can show the
 * message to a reader as it is, and a tool can tell which of its inputs to fix.
 */
export class EngineInputError extends Error {
  readonly field: string;
  readonly rule: string;

  constructor(field: string, rule: string) {
    super(`${field}: ${rule}`);
    this.name = 'EngineInputError';
    this.field = field;
    this.rule = rule;
  }
}
