import { ERRORS, type ErrorEntry, type ErrorName, type WireCode, wireCode } from './catalogue.js';

/**
 * The one error type callers branch on: a request the service refuses. It is thrown by a
 * catalogue name, so only catalogued codes can reach a client; api/ maps it to HTTP in one
 * place (the status is the catalogue's), the CLI prints its message. The message is for
 * people: what was wrong and how to fix it.
 */
export class UserError extends Error {
  override name = 'UserError';
  /** The `code` clients see. */
  readonly code: WireCode;
  /** The catalogue's HTTP status, for embedders that catch it (api/ answers with the same). */
  readonly status: ErrorEntry['status'];
  /** Seconds the client should wait before asking again (429s): sent as `Retry-After`. */
  retryAfterSeconds?: number;
  constructor(
    readonly entry: ErrorName,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.code = wireCode(entry);
    this.status = ERRORS[entry].status;
  }
}

export const notFound = (what: string, id: string) => new UserError('not_found', `${what} ${id} does not exist`);
