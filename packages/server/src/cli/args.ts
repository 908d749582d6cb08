import { readFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import { usageError } from './errors.js';

/** Option parsers: a bad value is exit 2 with commander's "option '--x' argument 'y' is invalid" message. */
export function integer(min: number, max: number) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max) throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`);
    return n;
  };
}

export const limitArg = integer(1, 1000);
export const offsetArg = integer(0, Number.MAX_SAFE_INTEGER);

/** Comma-separated list, repeatable: `--events a,b --events c`. */
export function list(v: string, prev: string[] | undefined): string[] {
  return [
    ...(prev ?? []),
    ...v
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  ];
}

/** Repeatable option. */
export function repeat(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

/** `--limit`, `--offset` and `--json` for a listing. */
export function listing(cmd: Command, noun: string): Command {
  return cmd
    .option('--limit <n>', `${noun} per page, 1–1000 (default 50)`, limitArg)
    .option('--offset <n>', `${noun} to skip`, offsetArg)
    .option('--json', "print the API's JSON");
}

export interface PageOpts {
  limit?: number;
  offset?: number;
}

export const pageParams = (o: PageOpts) => ({ ...(o.limit !== undefined ? { limit: o.limit } : {}), ...(o.offset !== undefined ? { offset: o.offset } : {}) });

/** `text`, or a file's contents for `@path` (exit 2 when it cannot be read). */
export function textOrFile(v: string, flag: string): string {
  if (!v.startsWith('@')) return v;
  try {
    return readFileSync(v.slice(1), 'utf8');
  } catch (err) {
    throw usageError(`${flag}: cannot read ${v.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/** Reads stdin to the end (for `--data -`, `verify` bodies). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** `json` literally, `@file` read from a file, `-` from stdin; parsed as JSON (exit 2 when it is not). */
export async function jsonValue(raw: string, flag: string): Promise<unknown> {
  let text = raw;
  if (raw === '-') text = await readStdin();
  else if (raw.startsWith('@')) {
    try {
      text = readFileSync(raw.slice(1), 'utf8');
    } catch (err) {
      throw usageError(
        `${flag}: cannot read ${raw.slice(1)}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
        'give an existing file after @',
      );
    }
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw usageError(
      `${flag} is not valid JSON: ${(err as Error).message}`,
      `quote it for the shell: ${flag} '{"key":"value"}', or pass a file: ${flag} @payload.json`,
    );
  }
}

/** `Name: value` header lines into an object (exit 2 for a line without a colon). */
export function headerPairs(lines: string[] | undefined, flag: string): Record<string, string> | undefined {
  if (!lines?.length) return undefined;
  const out: Record<string, string> = {};
  for (const l of lines) {
    const i = l.indexOf(':');
    if (i <= 0) throw usageError(`${flag} "${l}" is not "Name: value"`, `e.g. ${flag} 'Authorization: Bearer …'`);
    out[l.slice(0, i).trim()] = l.slice(i + 1).trim();
  }
  return out;
}

/** Whole seconds from "90", "90s", "15m", "2h", "1d". */
export function seconds(v: string): number {
  const m = /^(\d+)\s*(s|m|h|d)?$/.exec(v.trim());
  if (!m) throw new InvalidArgumentError('must be seconds or a duration like 30s, 15m, 2h, 1d');
  return Number(m[1]) * { s: 1, m: 60, h: 3600, d: 86_400 }[(m[2] ?? 's') as 's']!;
}

/** "2026-03-01T00:00:00Z", epoch milliseconds, or a relative "2h" / "30m" / "7d" ago; sent as ISO-8601. */
export function time(v: string): string {
  if (/^\d+\s*(s|m|h|d)$/.test(v.trim())) return new Date(Date.now() - seconds(v) * 1000).toISOString();
  if (/^\d{10,}$/.test(v)) return new Date(Number(v)).toISOString();
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new InvalidArgumentError('must be an ISO-8601 time (2026-03-01T12:00:00Z), epoch milliseconds, or an age like 2h or 7d');
  return new Date(t).toISOString();
}

/** Examples block for --help. */
export const examples = (...lines: string[]) => `\nExamples:\n${lines.map((l) => (l.startsWith('#') ? `  ${l}` : `  $ ${l}`)).join('\n')}`;
