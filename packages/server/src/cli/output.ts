/**
 * What the CLI prints. stdout carries results (tables, JSON, log lines) so it can be piped;
 * stderr carries progress, notes and errors. Colours and progress bars only on a terminal,
 * and never with NO_COLOR, so scripts and CI logs get plain text.
 */

type Stream = NodeJS.WriteStream;

function colourful(stream: Stream): boolean {
  return Boolean(stream.isTTY) && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
}

const paint = (code: string) => (stream: Stream, s: string) => (colourful(stream) ? `\x1b[${code}m${s}\x1b[0m` : s);
export const bold = paint('1');
export const dim = paint('2');
export const red = paint('31');
export const green = paint('32');
export const yellow = paint('33');
export const cyan = paint('36');

/** The API's JSON as it came, pretty-printed (one value per call; scripts parse it whole). */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/** One JSON value per line, for streams of records (logs, forwarded events). */
export function printJsonLine(value: unknown): void {
  process.stdout.write(JSON.stringify(value) + '\n');
}

export function say(line = ''): void {
  process.stdout.write(line + '\n');
}

/** A note for the person at the terminal (stderr: never mixed into piped results). */
export function note(line: string): void {
  process.stderr.write(line + '\n');
}

const STATUS_COLOURS: Record<string, typeof green> = {
  completed: green,
  delivered: green,
  success: green,
  active: green,
  enabled: green,
  ok: green,
  valid: green,
  queued: yellow,
  running: yellow,
  pending: yellow,
  retrying: yellow,
  failed: red,
  timeout: red,
  cancelled: red,
  disabled: red,
  revoked: red,
  invalid: red,
};

/** A status word, coloured by meaning on a terminal. */
export function status(s: string, stream: Stream = process.stdout): string {
  const c = STATUS_COLOURS[s];
  return c ? c(stream, s) : s;
}

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;
const visible = (s: string) => s.replace(ANSI, '').length;

function cut(s: string, width: number): string {
  if (visible(s) <= width) return s;
  const plain = s.replace(ANSI, '');
  return width <= 1 ? plain.slice(0, width) : plain.slice(0, width - 1) + '…';
}

export interface Column<T> {
  header: string;
  value: (row: T) => string | number | null | undefined;
  /** Columns that may be cut to fit the terminal (long URLs, errors); others keep their width. */
  flex?: boolean;
}

/** The terminal's width; unlimited when stdout is not a terminal (pipes get whole values). */
function terminalWidth(): number {
  if (!process.stdout.isTTY) return Infinity;
  return process.stdout.columns || 100;
}

/**
 * A table sized to its content and cut to the terminal: the flexible columns shrink
 * (widest first) until the row fits; their values end with … when cut.
 */
export function table<T>(rows: T[], columns: Column<T>[]): void {
  const cells = rows.map((r) =>
    columns.map((c) => {
      const v = c.value(r);
      return v === null || v === undefined || v === '' ? '-' : String(v).replace(/\s*\n\s*/g, ' ');
    }),
  );
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => visible(row[i]!))));
  const gap = 2;
  const budget = terminalWidth();
  let total = widths.reduce((a, b) => a + b, 0) + gap * (columns.length - 1);
  // One character at a time from the widest flexible column, so long columns share the cut.
  while (total > budget) {
    let widest = -1;
    columns.forEach((c, i) => {
      if (c.flex && widths[i]! > Math.max(12, c.header.length) && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    });
    if (widest < 0) break;
    widths[widest]! -= 1;
    total -= 1;
  }
  const line = (vals: string[], style?: (s: string) => string) =>
    vals
      .map((v, i) => {
        const c = cut(v, widths[i]!);
        const styled = style ? style(c) : c;
        return i === vals.length - 1 ? styled : styled + ' '.repeat(widths[i]! - visible(c) + gap);
      })
      .join('')
      .trimEnd();
  say(
    line(
      columns.map((c) => c.header),
      (s) => bold(process.stdout, s),
    ),
  );
  for (const row of cells) say(line(row));
}

/** "showing 1–50 of 137 (next page: --offset 50)" under a listing that has more. */
export function pageNote(page: { items: unknown[]; total?: number; offset?: number }, noun: string): void {
  const offset = page.offset ?? 0;
  if (page.total === undefined) return;
  if (page.total === 0) return;
  const last = offset + page.items.length;
  if (offset === 0 && last >= page.total) return;
  note(
    dim(
      process.stderr,
      `showing ${page.items.length ? `${offset + 1}–${last}` : 'none'} of ${page.total} ${noun}${last < page.total ? ` (next page: --offset ${last})` : ''}`,
    ),
  );
}

/** A record as aligned "key  value" lines; nested values as compact JSON. */
export function details(pairs: [string, unknown][]): void {
  const w = Math.max(...pairs.map(([k]) => k.length));
  for (const [k, v] of pairs) {
    const text = v === null || v === undefined || v === '' ? '-' : typeof v === 'object' ? JSON.stringify(v) : String(v);
    say(`${bold(process.stdout, k.padEnd(w))}  ${text}`);
  }
}

/** Local time "2026-03-08 14:30:05" from an ISO string; '-' for none. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '-';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * A progress bar on stderr, drawn only on a terminal (redrawn at most every 100 ms);
 * elsewhere silent, and the command prints its summary line instead.
 */
export class Progress {
  private done = 0;
  private drawnAt = 0;
  private readonly on = Boolean(process.stderr.isTTY);
  private spin = 0;
  private readonly spinner: NodeJS.Timeout | undefined;

  /** Without a total it is a spinner, turning while the work waits on the server. */
  constructor(
    private readonly label: string,
    private total: number | undefined,
  ) {
    this.draw(true);
    if (this.on && total === undefined) this.spinner = setInterval(() => this.draw(true), 120).unref();
  }

  tick(n = 1): void {
    this.done += n;
    this.draw(false);
  }

  /** Moves the bar to `done` (of a new `total`, when the total is learnt as the work goes). */
  set(done: number, total = this.total): void {
    this.done = done;
    this.total = total;
    this.draw(false);
  }

  private draw(force: boolean): void {
    if (!this.on) return;
    const now = Date.now();
    if (!force && now - this.drawnAt < 100 && this.done !== this.total) return;
    this.drawnAt = now;
    let text: string;
    if (this.total === undefined || this.total === 0) {
      text = `${'|/-\\'[this.spin++ % 4]} ${this.label}${this.done ? ` ${this.done}` : ''}`;
    } else {
      const width = Math.max(10, Math.min(30, (process.stderr.columns || 80) - this.label.length - 20));
      const filled = Math.round((Math.min(this.done, this.total) / this.total) * width);
      text = `${this.label} [${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${this.done}/${this.total}`;
    }
    process.stderr.write(`\r\x1b[2K${text}`);
  }

  /** Clears the bar so the summary starts on a clean line. */
  end(): void {
    clearInterval(this.spinner);
    if (this.on) process.stderr.write('\r\x1b[2K');
  }
}
