import type { FastifyInstance, FastifyRequest } from 'fastify';
import { closest } from '../util/index.js';
import { UserError } from '../errors/index.js';

/**
 * Unknown fields in request bodies (docs/api.md, "Unknown fields"): a field the API does not know is refused with
 * 400 unknown_field, never dropped, so a typo (`evnts`) cannot pass for a request that leaves
 * the field out. Ajv's `additionalProperties: false` finds them; this module says where, with
 * the nearest known field, and finds one even when Ajv stopped at another mistake first
 * (allErrors is off, and Ajv checks `required` before `additionalProperties`: a misspelt
 * required field would otherwise read "missing required field").
 */

/** A field the schema does not name: `path` is where it is (`body.auth.tokn`), `known` what that level takes. */
export interface UnknownField {
  path: string;
  field: string;
  known: readonly string[];
}

type Schema = Record<string, unknown>;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A body as JSON.parse builds it (not a Buffer kept raw for a signature check). */
const isPlainObject = (v: unknown): v is Record<string, unknown> => isObject(v) && [Object.prototype, null].includes(Object.getPrototypeOf(v));

/** `body.headers["X-Team"]`, `body.events[0]`: a key that is not a plain name is quoted. */
const child = (path: string, key: string | number) =>
  typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_][\w-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;

/**
 * The first field of `value` (depth first, in the body's order) that `schema` does not allow.
 * Only objects closed with `additionalProperties: false` have unknown fields; maps (`headers`,
 * `env`) and free-form values (`data`) take any key.
 */
export function findUnknownField(schema: unknown, value: unknown, path = 'body'): UnknownField | undefined {
  if (!isObject(schema)) return undefined;
  if (Array.isArray(value)) {
    const items = branchFor(schema, value)?.items;
    if (!isObject(items)) return undefined;
    for (const [i, item] of value.entries()) {
      const found = findUnknownField(items, item, child(path, i));
      if (found) return found;
    }
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const shape = branchFor(schema, value);
  if (!shape) return undefined;
  const properties = (shape.properties ?? {}) as Record<string, unknown>;
  const patterns = Object.entries((shape.patternProperties ?? {}) as Record<string, unknown>).map(([p, s]) => [new RegExp(p, 'u'), s] as const);
  for (const [key, inner] of Object.entries(value)) {
    const at = child(path, key);
    const fieldSchema = Object.hasOwn(properties, key) ? properties[key] : (patterns.find(([p]) => p.test(key))?.[1] ?? shape.additionalProperties);
    if (fieldSchema === false) return { path: at, field: key, known: Object.keys(properties) };
    const found = findUnknownField(fieldSchema, inner, at);
    if (found) return found;
  }
  return undefined;
}

/**
 * The schema that describes `value` inside unions: a discriminated `oneOf` by its tag (all
 * branches' fields together when the tag is missing or wrong, so `runnr` still finds
 * `runner`), otherwise the one branch of the value's JSON type (`Nullable(object)`).
 */
function branchFor(schema: Schema, value: unknown): Schema | undefined {
  const branches = (schema.oneOf ?? schema.anyOf) as Schema[] | undefined;
  if (!branches) return schema;
  const tag = (schema.discriminator as { propertyName?: string } | undefined)?.propertyName;
  if (tag && isObject(value)) {
    const picked = branches.find((b) => (b.properties as Record<string, { const?: unknown }> | undefined)?.[tag]?.const === value[tag]);
    if (picked) return picked;
    const properties = Object.assign({}, ...branches.map((b) => b.properties));
    return { type: 'object', properties, additionalProperties: branches.every((b) => b.additionalProperties === false) ? false : undefined };
  }
  const type = Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
  const fitting = branches.filter((b) => b.type === type || (type === 'number' && b.type === 'integer'));
  return fitting.length === 1 ? branchFor(fitting[0]!, value) : undefined;
}

/** 400 unknown_field: the path, and the nearest known field or else every known one. */
export function unknownFieldError(u: UnknownField): UserError {
  const suggestion = closest(u.field, u.known) ?? null;
  const hint = suggestion
    ? `did you mean "${suggestion}"?`
    : u.known.length
      ? `the fields here are ${u.known.join(', ')}`
      : u.path === child('body', u.field)
        ? 'this request takes no body (send none, or {})'
        : 'no fields are allowed here';
  return new UserError('unknown_field', `${u.path}: unknown field "${u.field}"; ${hint}`, { field: u.path, suggestion, known: [...u.known] });
}

/** The unknown field behind a failed body validation, if there is one: it is reported first. */
export function unknownFieldIn(req: FastifyRequest): UserError | undefined {
  const found = findUnknownField(req.routeOptions.schema?.body, req.body);
  return found && unknownFieldError(found);
}

/** Throws 400 unknown_field if `value` (at `path`) has a field `schema` does not allow. */
export function refuseUnknownFields(schema: unknown, value: unknown, path: string): void {
  const found = findUnknownField(schema, value, path);
  if (found) throw unknownFieldError(found);
}

const BODILESS = new Set(['GET', 'HEAD']);

/**
 * A route without a body schema takes no fields: any field in a JSON object sent to it
 * (`POST /runs/{id}/cancel` with `{"reason": …}`) is refused rather than ignored. Routes
 * that keep their body raw (trigger URLs, Inspector capture) get a Buffer and are left alone.
 */
export function refuseFieldsWithoutSchema(app: FastifyInstance): void {
  const refuse = async (req: FastifyRequest) => {
    if (!isPlainObject(req.body)) return;
    const first = Object.keys(req.body)[0];
    if (first !== undefined) throw unknownFieldError({ path: child('body', first), field: first, known: [] });
  };
  app.addHook('onRoute', (route) => {
    const methods = [route.method].flat();
    if (route.schema?.body !== undefined || methods.every((m) => BODILESS.has(m))) return;
    route.preValidation = [...[route.preValidation ?? []].flat(), refuse];
  });
}
