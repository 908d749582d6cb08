import { CommanderError } from 'commander';
import { HooklineApiError, HooklineConnectionError, HooklineTimeoutError } from '@hookline/sdk';
import type { WireCode } from '../errors/index.js';

/**
 * Exit codes scripts can trust. Documented in `hookline --help` and docs/cli.md; every
 * command maps its failures onto these and nothing else.
 */
export const EXIT = {
  ok: 0,
  /** The API refused the request (validation, conflict, server error), or the work failed (a run that did not complete, an invalid signature). */
  failure: 1,
  /** Bad arguments: an unknown option, a missing value, JSON that does not parse. Nothing was sent. */
  usage: 2,
  /** What was asked for does not exist (HTTP 404). */
  notFound: 3,
  /** The API key was refused (401) or may not do this (403). */
  auth: 4,
  /** The server could not be reached, or did not answer in time. */
  connection: 5,
  /** `serve --role` needs PostgreSQL (sysexits EX_USAGE; kept from before the client commands). */
  serveRole: 64,
  /** The configuration is unusable: hookline.yaml, or no server/API key set for a client command. */
  config: 78,
} as const;

export const EXIT_CODES_HELP = `
Exit codes:
  0   success
  1   the API refused the request, or the work failed (run not completed, signature invalid)
  2   bad arguments (nothing was sent)
  3   not found (404)
  4   the API key was refused (401) or lacks the role (403)
  5   cannot reach the server, or it timed out
  78  configuration error (hookline.yaml; or no server URL / API key: run hookline login)`;

/** A failure the CLI itself detected, with the exit code and a hint how to fix it. */
export class CliError extends Error {
  override name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: number,
    readonly code: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

/** Bad arguments found after commander parsed them (exit 2). */
export const usageError = (message: string, hint?: string) => new CliError(message, EXIT.usage, 'bad_arguments', hint);

const API_HINTS: Record<string, string> = {
  unauthorized: 'check the API key: --api-key, HOOKLINE_API_KEY, or your profile (hookline login)',
  forbidden: 'this key is read-only; use an admin key (hookline keys create --role admin)',
  endpoint_disabled: 'enable it first: hookline endpoints enable <id>',
  endpoint_deleted: 'the endpoint is gone; nothing can be sent to it any more',
  managed_by_file: 'this agent comes from an AGENT.md file: edit the file, then reload (SIGHUP)',
  validation_failed: 'see the fields named above; hookline <command> --help lists the options',
  unknown_field: 'the server does not know that field: fix its spelling (in --runner-config or the AGENT.md file) or leave it out',
  invalid_event_type: 'types look like "invoice.paid"; run.*, endpoint.* and webhook.* are reserved',
  ssrf_blocked: 'the server refuses private addresses unless delivery.allow_networks allows them',
  rate_limited: 'wait a moment and try again',
  not_retryable: 'its template failed when the run ended; fix the template, nothing was rendered to send',
  confirmation_required: 'it holds data; add --confirm to erase it with everything in it',
  default_tenant: "the default org and each org's default environment stay; delete the org instead, or another environment",
} satisfies Partial<Record<WireCode, string>>;

export interface Failure {
  message: string;
  code: string;
  hint: string | undefined;
  exitCode: number;
}

/** Any error as the one-line message, code, hint and exit code the CLI reports. */
export function describeFailure(err: unknown): Failure {
  if (err instanceof CliError) return { message: err.message, code: err.code, hint: err.hint, exitCode: err.exitCode };
  if (err instanceof HooklineApiError) {
    const exitCode = err.status === 404 ? EXIT.notFound : err.status === 401 || err.status === 403 ? EXIT.auth : EXIT.failure;
    const hint =
      API_HINTS[err.code] ??
      (err.status === 404 ? 'check the id; the matching `ls` command lists what exists' : err.status >= 500 ? 'the server log has the details' : undefined);
    return { message: err.message, code: err.code, hint, exitCode };
  }
  if (err instanceof HooklineTimeoutError) {
    return { message: err.message, code: 'timeout', hint: 'the server may be overloaded; try again', exitCode: EXIT.connection };
  }
  if (err instanceof HooklineConnectionError) {
    return {
      message: err.message,
      code: 'connection_failed',
      hint: 'is `hookline serve` running there? check --url, HOOKLINE_URL or your profile',
      exitCode: EXIT.connection,
    };
  }
  // By name: importing the config module would slow every client command's start.
  if ((err as Error)?.name === 'ConfigError')
    return { message: (err as Error).message, code: 'config_invalid', hint: 'fix the configuration file or variable named above', exitCode: EXIT.config };
  if (err instanceof CommanderError)
    return { message: err.message.replace(/^error: /, ''), code: 'bad_arguments', hint: 'run with --help for usage and examples', exitCode: EXIT.usage };
  const e = err as Error & { code?: string; status?: number };
  if (e?.name === 'UserError') return { message: e.message, code: e.code ?? 'failed', hint: undefined, exitCode: EXIT.failure };
  if (e?.code === 'EADDRINUSE')
    return {
      message: 'the port is already in use',
      code: 'port_in_use',
      hint: 'stop the other process or pick another port with --port',
      exitCode: EXIT.failure,
    };
  if (e?.code === 'ECONNREFUSED')
    return {
      message: `cannot reach the database (${e.message})`,
      code: 'database_unreachable',
      hint: 'is PostgreSQL running and HOOKLINE_DATABASE_URL right?',
      exitCode: EXIT.failure,
    };
  return { message: e?.message ?? String(err), code: 'failed', hint: undefined, exitCode: EXIT.failure };
}
