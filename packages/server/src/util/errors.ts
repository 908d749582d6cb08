/**
 * The one error type callers branch on: a request the service refuses, with a
 * machine-readable code. api/ maps it to HTTP in one place; the CLI prints its message.
 */
export class UserError extends Error {
  override name = 'UserError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 502 | 503,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export const notFound = (what: string, id: string) => new UserError(404, 'not_found', `${what} ${id} does not exist`);
