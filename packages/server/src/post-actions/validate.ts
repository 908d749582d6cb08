/**
 * The checks a post-action and a binding pass when they are saved (docs/post-actions.md lists the fields and
 * ranges): templates compile, the URL is http(s), headers and credentials are well formed.
 * A template mistake is found here, with its line and column, never first at send time.
 */
import type { AuthSecret } from '../channels/index.js';
import { checkDestinationUrl, type SsrfGuard } from '../net/index.js';
import type { PostActionAuthType } from '../store/index.js';
import { type CompiledTemplate, compileTemplate, POST_ACTION_VARIABLES, TemplateError, type TemplateMode } from '../templates/index.js';
import { UserError } from '../errors/index.js';
import { AUTH_TYPES, FIRE_WHEN, METHODS, TRIGGER_TYPES } from '../wire/index.js';

export { AUTH_TYPES, FIRE_WHEN, METHODS, TRIGGER_TYPES };

export interface Range {
  min: number;
  max: number;
  default: number;
}
/** Per-request timeout: 1-300 seconds, default 30. */
export const TIMEOUT_SECONDS: Range = { min: 1, max: 300, default: 30 };
/** Retry attempts on failure: 0-5, default 0. */
export const RETRY_COUNT: Range = { min: 0, max: 5, default: 0 };

/** What the API shows instead of a header value. */
export const HIDDEN = '********';

export interface AuthInput {
  type: PostActionAuthType;
  token?: string;
  username?: string;
  password?: string;
  name?: string;
  value?: string;
}

/** The sealed part of an auth setting: bearer {token}, basic {username,password}, header {name,value}. */
export type { AuthSecret };

const AUTH_FIELDS: Record<PostActionAuthType, (keyof AuthInput)[]> = {
  none: [],
  bearer: ['token'],
  basic: ['username', 'password'],
  header: ['name', 'value'],
};

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Framing and hop-by-hop headers: the HTTP client owns them. Content-Type is the user's to set (a JSON body usually does). */
const RESERVED_HEADERS = /^(content-length|host|connection|keep-alive|transfer-encoding|upgrade|expect|te|trailer|proxy-.*)$/i;
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/;

export function checkRange(field: string, value: number, r: Range): number {
  if (!Number.isInteger(value) || value < r.min || value > r.max) {
    throw new UserError('out_of_range', `${field} must be ${r.min}–${r.max} (default ${r.default}); got ${value}`, {
      field,
      min: r.min,
      max: r.max,
      default: r.default,
    });
  }
  return value;
}

/** Compiles a template, turning a `TemplateError` into a 422 that names the field and the spot. */
export function compileField(field: string, text: string, mode: TemplateMode): CompiledTemplate {
  try {
    return compileTemplate(text, { mode });
  } catch (err) {
    throw asUserError(field, err);
  }
}

/** A template mistake in one field, where and what; undefined for any other error. Saving and the preview say it alike. */
export function templateProblem(field: string, err: unknown): { field: string; message: string; line: number; column: number } | undefined {
  return err instanceof TemplateError ? { field, message: err.message, line: err.line, column: err.column } : undefined;
}

function asUserError(field: string, err: unknown): unknown {
  const p = templateProblem(field, err);
  if (!p) return err;
  return new UserError('invalid_template', `${field}: ${p.message} (line ${p.line}, column ${p.column})`, { field, line: p.line, column: p.column });
}

/** Values the post-action variables might have; two sets that differ in every value, to tell whether a URL's host depends on them. */
const SAMPLES = [
  { status: 'success', trigger_type: 'webhook', started_at: '2026-01-01T00:00:00.000Z', finished_at: '2026-01-01T00:00:01.000Z' },
  { status: 'failed', trigger_type: 'schedule', started_at: '2026-01-02T00:00:00.000Z', finished_at: '2026-01-02T00:00:01.000Z' },
].map((fixed, i) => ({ ...Object.fromEntries(POST_ACTION_VARIABLES.map((v) => [v.name, `sample${i}-${v.name}`])), ...fixed }));

function renderSample(field: string, t: CompiledTemplate, sample: object): string {
  try {
    return t.render(sample);
  } catch (err) {
    throw asUserError(field, err);
  }
}

/**
 * The URL template: compiled in url mode (inserted values are percent-encoded), rendered with
 * sample values, and the result must be an absolute http(s) URL without credentials. When its
 * host does not depend on any value, the SSRF guard's static check runs now; the guard checks
 * the address actually connected to on every send in any case (SECURITY.md).
 */
export function checkUrlTemplate(template: string, guard: SsrfGuard): string {
  const compiled = compileField('url', template, 'url');
  const [first, second] = SAMPLES.map((s) => renderSample('url', compiled, s)) as [string, string];
  // The static guard check only when the host is the same whatever the values (not templated).
  const hostFixed = URL.canParse(first) && URL.canParse(second) && new URL(first).host === new URL(second).host;
  checkDestinationUrl(first, {
    field: 'url',
    example: 'https://hooks.example.com/path/{{run_id}}',
    credentialsHint: 'use auth (basic, bearer or header), which is stored encrypted',
    guard: hostFixed ? guard : undefined,
    ...(first === template ? {} : { note: `(the template ${JSON.stringify(template)} with sample values)` }),
  });
  return template;
}

export function checkHeaderName(field: string, name: string): void {
  if (!HEADER_NAME.test(name)) throw new UserError('invalid_header', `${field}: "${name}" is not a valid HTTP header name`);
  if (RESERVED_HEADERS.test(name)) throw new UserError('invalid_header', `${field}: "${name}" is set by the HTTP client and cannot be given`);
}

/** Header names are checked; each value is a template compiled in header mode (no line breaks). */
export function checkHeaders(headers: Record<string, string>): Record<string, string> {
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(headers)) {
    checkHeaderName('headers', name);
    if (seen.has(name.toLowerCase())) throw new UserError('invalid_header', `headers: "${name}" is given twice (header names are case-insensitive)`);
    seen.add(name.toLowerCase());
    compileField(`headers.${name}`, value, 'header');
  }
  return headers;
}

/** The type and the sealed part of `auth`; each type takes exactly its own fields. */
export function checkAuth(input: AuthInput): { type: PostActionAuthType; secret: AuthSecret | null } {
  const wanted = AUTH_FIELDS[input.type];
  for (const key of Object.keys(input) as (keyof AuthInput)[]) {
    if (key !== 'type' && !wanted.includes(key)) {
      const takes = wanted.length ? `takes ${wanted.join(' and ')}` : 'takes no other fields';
      throw new UserError('invalid_auth', `auth.${key} is not used with auth type "${input.type}", which ${takes}`);
    }
  }
  for (const key of wanted) {
    const v = input[key];
    if (v === undefined || v === '') throw new UserError('invalid_auth', `auth type "${input.type}" needs auth.${key}`);
    if (CONTROL.test(v)) throw new UserError('invalid_auth', `auth.${key} has a line break or other control character`);
  }
  if (input.type === 'none') return { type: 'none', secret: null };
  if (input.type === 'bearer') return { type: 'bearer', secret: { token: input.token! } };
  if (input.type === 'basic') {
    if (input.username!.includes(':'))
      throw new UserError('invalid_auth', 'auth.username must not contain ":" (HTTP Basic joins username and password with it)');
    return { type: 'basic', secret: { username: input.username!, password: input.password! } };
  }
  checkHeaderName('auth.name', input.name!);
  return { type: 'header', secret: { name: input.name!, value: input.value! } };
}

/** The header an auth setting writes at send time, lower-cased; none for `none`. */
export function authHeaderName(type: PostActionAuthType, secret: AuthSecret | null): string | undefined {
  if (type === 'bearer' || type === 'basic') return 'authorization';
  if (type === 'header' && secret && 'name' in secret) return secret.name.toLowerCase();
  return undefined;
}

/** A custom header must not fight the auth setting over the same header. */
export function checkAuthClash(headerNames: string[], type: PostActionAuthType, secret: AuthSecret | null): void {
  const taken = authHeaderName(type, secret);
  const clash = taken && headerNames.find((n) => n.toLowerCase() === taken);
  if (clash) throw new UserError('invalid_header', `headers: "${clash}" is also set by auth type "${type}"; remove the header or change the auth`);
}
