/**
 * How much one template may cost (SECURITY.md): templates are written by any API-key
 * holder and rendered by the worker, so size, nesting and work are all bounded, and going
 * over any bound is a `TemplateError`, never a hang.
 */
export interface TemplateLimits {
  /** Largest template source accepted by `compileTemplate`, in UTF-8 bytes. @defaultValue 65536 */
  maxTemplateBytes: number;
  /** Deepest nesting of blocks, and separately of expressions. @defaultValue 64 */
  maxDepth: number;
  /** Largest rendered output, in UTF-8 bytes; also caps every intermediate string. @defaultValue 262144 */
  maxOutputBytes: number;
  /** Most evaluation steps per render (nodes evaluated, loop iterations, string work). @defaultValue 100000 */
  maxSteps: number;
}

export const DEFAULT_LIMITS: Readonly<TemplateLimits> = Object.freeze({
  maxTemplateBytes: 64 * 1024,
  maxDepth: 64,
  maxOutputBytes: 256 * 1024,
  maxSteps: 100_000,
});

export function resolveLimits(overrides: Partial<TemplateLimits> | undefined): TemplateLimits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(DEFAULT_LIMITS) as (keyof TemplateLimits)[]) {
    const value = overrides?.[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`template limit ${key} must be a positive integer, got ${value}`);
    limits[key] = value;
  }
  return limits;
}
