/**
 * The one error the template engine throws, at compile time (bad syntax, unknown filter,
 * a template too big or too deep) and at render time (a limit reached, a type mismatch).
 * `line` and `column` are 1-based; the API layer turns it into a 422 at save time.
 */
export class TemplateError extends Error {
  override name = 'TemplateError';
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
  ) {
    super(message);
  }

  toJSON(): { line: number; column: number; message: string } {
    return { line: this.line, column: this.column, message: this.message };
  }
}

/** 1-based line and column of a character offset (a CRLF counts as one line break). */
export function positionAt(source: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), source.length);
  for (let i = source.indexOf('\n'); i !== -1 && i < end; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}

export const errorAt = (source: string, offset: number, message: string): TemplateError => {
  const { line, column } = positionAt(source, offset);
  return new TemplateError(message, line, column);
};

/** "line:column" of an offset, for messages that point back at an earlier tag. */
export const where = (source: string, offset: number): string => {
  const { line, column } = positionAt(source, offset);
  return `${line}:${column}`;
};
export { didYouMean } from '../util/index.js';
