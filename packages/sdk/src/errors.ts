/** Base class of every error the client throws, so one `instanceof` catches them all. */
export class HooklineError extends Error {
  override name = 'HooklineError';
}

/** The server answered with an error status. `code` is Hookline's stable `error.code`: branch on it. */
export class HooklineApiError extends HooklineError {
  override name = 'HooklineApiError';
  /** HTTP status, e.g. 404 or 422. */
  readonly status: number;
  /** Hookline's machine-readable `error.code` (`not_found`, `validation_failed`, …); `http_<status>` when the body had none. */
  readonly code: string;
  /** `error.details` when the server sent them (validation problems, template positions). */
  readonly details: unknown;
  /** The `x-request-id` response header, when a proxy or the server set one. */
  readonly requestId: string | undefined;
  /** The `Retry-After` header in milliseconds, when present (429, 503). */
  readonly retryAfterMs: number | undefined;
  readonly method: string;
  readonly path: string;

  constructor(a: {
    status: number;
    code: string;
    message: string;
    details?: unknown;
    requestId?: string | undefined;
    retryAfterMs?: number | undefined;
    method: string;
    path: string;
  }) {
    super(a.message);
    this.status = a.status;
    this.code = a.code;
    this.details = a.details;
    this.requestId = a.requestId;
    this.retryAfterMs = a.retryAfterMs;
    this.method = a.method;
    this.path = a.path;
  }
}

/** No HTTP answer: connection refused, DNS failure, reset. The request may or may not have reached the server. */
export class HooklineConnectionError extends HooklineError {
  override name = 'HooklineConnectionError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** No complete answer within `timeoutMs`. */
export class HooklineTimeoutError extends HooklineConnectionError {
  override name = 'HooklineTimeoutError';
  readonly timeoutMs: number;
  constructor(message: string, timeoutMs: number) {
    super(message);
    this.timeoutMs = timeoutMs;
  }
}
