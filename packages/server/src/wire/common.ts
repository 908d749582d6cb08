import { type TSchema, type TUnsafe, Type } from '@sinclair/typebox';

/**
 * `t` or null. Null comes first: with Ajv's type coercion on, a string branch tried first
 * would turn a JSON null into "" and never reach the null branch.
 */
export const Nullable = <T extends TSchema>(t: T, options: { description?: string } = {}) => Type.Union([Type.Null(), t], options);

export const Paginated = <T extends TSchema>(item: T) =>
  Type.Object({ items: Type.Array(item), total: Type.Integer(), limit: Type.Integer(), offset: Type.Integer() });

/**
 * A string out of a known list, typed as that list. Serialised as a plain string: a stored value
 * outside the list (older data) goes out as it is rather than failing the response.
 */
export const OneOf = <T extends string>(values: readonly T[], options: { description?: string } = {}): TUnsafe<T> =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...options });

/** Every error answer: `{error: {code, message}}` (errors/catalogue.ts lists the codes). */
export const ErrorBody = Type.Object({ error: Type.Object({ code: Type.String(), message: Type.String(), details: Type.Optional(Type.Unknown()) }) });
