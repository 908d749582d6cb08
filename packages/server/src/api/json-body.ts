import type { FastifyInstance } from 'fastify';
import { UserError } from '../errors/index.js';

/**
 * Deepest nesting of arrays and objects a JSON body may have. Real payloads nest a dozen
 * levels; serialising or walking a body recursively overflows the stack (a 500) somewhere past
 * a few thousand, so deeper bodies are refused before they are parsed.
 */
export const MAX_JSON_DEPTH = 256;

/** Whether JSON text nests deeper than `max` (brackets inside strings do not count). */
export function nestsDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

export const tooDeep = (): UserError => new UserError('payload_too_deep', `the JSON body nests deeper than ${MAX_JSON_DEPTH} levels`);

/**
 * The API's JSON parser: Fastify's own (which refuses `__proto__` and `constructor` keys) behind the
 * depth check. A zero-length JSON body is no body, as when none is sent (the same rule as the
 * trigger URLs): routes whose body is optional take it as absent, the others answer `empty_body`.
 */
export function installJsonParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    if ((body as string).length === 0) return done(null, undefined);
    if (nestsDeeperThan(body as string, MAX_JSON_DEPTH)) return done(tooDeep(), undefined);
    parse(req, body as string, done);
  });
}
