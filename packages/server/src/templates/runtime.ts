import { errorAt, TemplateError } from './errors.js';
import type { TemplateLimits } from './limits.js';
import { isPlainObject, jsonStringBody, ownData, visibleKeys } from './values.js';

/**
 * The per-render state every evaluation goes through: the step budget, the size cap on
 * strings, and where in the source we are (for error positions). Stringifying a list or an
 * object also happens here, because it too has to be paid for.
 */
export class Runtime {
  private steps = 0;
  /** Offset of the node being evaluated, so errors deep inside a filter still point somewhere useful. */
  offset = 0;

  constructor(
    readonly source: string,
    readonly limits: TemplateLimits,
  ) {}

  fail(message: string, offset = this.offset): TemplateError {
    return errorAt(this.source, offset, message);
  }

  /** Counts one evaluation step (plus one per 256 characters of string work). */
  step(characters = 0): void {
    this.steps += 1 + (characters >> 8);
    if (this.steps > this.limits.maxSteps) throw this.outOfSteps();
  }

  /** Refuses up front to walk a list that has more items than the step budget could ever pay for. */
  checkCount(items: number): void {
    if (this.steps + items > this.limits.maxSteps) throw this.outOfSteps();
  }

  private outOfSteps(): TemplateError {
    return this.fail(`template rendering stopped after ${this.limits.maxSteps} steps (too many loop iterations or too much work)`);
  }

  /** Refuses a string that alone would exceed the output limit; returns it otherwise. */
  checkSize(text: string): string {
    if (text.length > this.limits.maxOutputBytes) throw this.tooLarge();
    this.step(text.length);
    return text;
  }

  tooLarge(): TemplateError {
    return this.fail(`template output would exceed ${this.limits.maxOutputBytes} bytes`);
  }

  /** How a value prints: none and undefined as nothing, booleans lowercase, lists and objects as JSON. */
  text(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return value;
      case 'number':
      case 'boolean':
        return String(value);
      case 'object':
        return value === null ? '' : this.json(value);
      default:
        return '';
    }
  }

  /** JSON of plain data only, paid for node by node; `htmlSafe` escapes `< > & '` as Jinja's tojson does. */
  json(value: unknown, indent = 0, htmlSafe = false): string {
    const parts: string[] = [];
    let size = 0;
    const push = (s: string) => {
      size += s.length;
      if (size > this.limits.maxOutputBytes) throw this.tooLarge();
      parts.push(s);
    };
    const write = (v: unknown, depth: number) => {
      this.step();
      if (depth > this.limits.maxDepth) throw this.fail(`value is nested more than ${this.limits.maxDepth} levels deep (or refers to itself)`);
      const pad = indent ? `\n${' '.repeat(indent * (depth + 1))}` : '';
      const closePad = indent ? `\n${' '.repeat(indent * depth)}` : '';
      if (typeof v === 'string') {
        this.step(v.length);
        push(`"${jsonStringBody(v, htmlSafe)}"`);
      } else if (typeof v === 'number') push(Number.isFinite(v) ? String(v) : 'null');
      else if (typeof v === 'boolean') push(String(v));
      else if (Array.isArray(v)) {
        if (v.length === 0) return push('[]');
        push('[');
        for (let i = 0; i < v.length; i++) {
          push(i ? `,${pad}` : pad);
          write(ownData(v, String(i)) ?? null, depth + 1);
        }
        push(`${closePad}]`);
      } else if (isPlainObject(v)) {
        const keys = visibleKeys(v);
        if (keys.length === 0) return push('{}');
        push('{');
        keys.forEach((key, i) => {
          push(`${i ? ',' : ''}${pad}"${jsonStringBody(key, htmlSafe)}":${indent ? ' ' : ''}`);
          write(ownData(v, key), depth + 1);
        });
        push(`${closePad}}`);
      } else push('null');
    };
    write(value, 0);
    return parts.join('');
  }
}
