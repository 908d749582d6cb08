import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import { verifyWebhookSignature, WEBHOOK_SCHEMES, WebhookVerificationError } from '@hookline/sdk';
import { examples, headerPairs, integer, readStdin, repeat } from '../args.js';
import { connect } from '../client.js';
import { EXIT, usageError } from '../errors.js';
import { green, printJson, red, say } from '../output.js';

interface VerifyOpts {
  secret?: string;
  scheme: string;
  header?: string[];
  headersFile?: string;
  bodyFile?: string;
  inspector?: string;
  tolerance: number;
  json?: boolean;
}

interface Captured {
  headers: Record<string, string>;
  body: Uint8Array;
  /** Why it cannot be checked at all (a cut body), before any signature maths. */
  unverifiable?: string;
}

function read(path: string, flag: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw usageError(`${flag}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}

/**
 * Headers from a file: a JSON object, or `Name: value` lines (a leading request line such as
 * `POST /hooks HTTP/1.1` is skipped). A blank line ends the headers; what follows is the body,
 * so a whole raw HTTP request can be checked from one file.
 */
function parseHeadersFile(buf: Buffer): { headers: Record<string, string>; body?: Uint8Array } {
  const text = buf.toString('utf8');
  if (text.trimStart().startsWith('{')) {
    try {
      const obj = JSON.parse(text) as Record<string, unknown>;
      return { headers: Object.fromEntries(Object.entries(obj).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(', ') : String(v)])) };
    } catch (err) {
      throw usageError(`--headers-file is not valid JSON: ${(err as Error).message}`, 'give a JSON object of headers, or "Name: value" lines');
    }
  }
  const headers: Record<string, string> = {};
  const m = /\r?\n\r?\n/.exec(text);
  const head = m ? text.slice(0, m.index) : text;
  const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines[0] && /^[A-Z]+ \S+ HTTP\/[\d.]+$/.test(lines[0].trim())) lines.shift();
  for (const [k, v] of Object.entries(headerPairs(lines, '--headers-file') ?? {})) headers[k.toLowerCase()] = v;
  if (!m) return { headers };
  // The body is the bytes after the blank line, exactly as they are in the file.
  const offset = Buffer.byteLength(text.slice(0, m.index + m[0].length), 'utf8');
  return { headers, body: buf.subarray(offset) };
}

async function fromFlags(o: VerifyOpts): Promise<Captured> {
  const headers: Record<string, string> = {};
  let body: Uint8Array | undefined;
  if (o.headersFile) {
    const f = parseHeadersFile(read(o.headersFile, '--headers-file'));
    Object.assign(headers, f.headers);
    body = f.body;
  }
  for (const [k, v] of Object.entries(headerPairs(o.header, '--header') ?? {})) headers[k.toLowerCase()] = v;
  if (!Object.keys(headers).length)
    throw usageError('no headers to check: give -H "webhook-signature: v1,…" (repeatable) or --headers-file', 'hookline verify --help has examples');
  if (o.bodyFile) body = read(o.bodyFile, '--body-file');
  if (body === undefined) {
    if (process.stdin.isTTY)
      throw usageError('no body: give --body-file, or pipe the raw body on stdin', 'e.g. hookline verify --secret whsec_… -H … < body.json');
    body = Buffer.from(await readStdin(), 'utf8');
  }
  return { headers, body };
}

async function fromInspector(ref: string, cmd: Command): Promise<Captured> {
  const m = /^([^/\s]+)\/([^/\s]+)$/.exec(ref);
  if (!m)
    throw usageError(`--inspector "${ref}" is not <bin>/<request-id>`, 'e.g. --inspector my-bin/req_01…; list captures with the Inspector API or dashboard');
  const { client } = connect(cmd);
  const r = await client.inspector.requests.get(m[1]!, m[2]!);
  const body = r.body_base64 ? Buffer.from(r.body_base64, 'base64') : Buffer.from(r.body, 'utf8');
  return {
    headers: r.headers,
    body,
    ...(r.body_truncated
      ? { unverifiable: `the bin stored only the first ${body.length} of ${r.size_bytes} bytes of the body, and the signature covers all of them` }
      : {}),
  };
}

export function registerVerify(program: Command): void {
  program
    .command('verify')
    .description("Check a request's webhook signature with a secret: valid (exit 0) or invalid and why (exit 1)")
    .option('--secret <secret>', 'the signing secret (whsec_… for standard); default: env HOOKLINE_WEBHOOK_SECRET')
    .addOption(new Option('--scheme <scheme>', 'signing scheme; auto picks it from the headers').choices(['auto', ...WEBHOOK_SCHEMES]).default('auto'))
    .option('-H, --header <header>', "a request header 'Name: value' (repeatable)", repeat)
    .option('--headers-file <file>', 'headers as "Name: value" lines or a JSON object; a blank line then a body is read as the body')
    .option('--body-file <file>', 'the raw body (default: stdin)')
    .option('--inspector <bin/request>', 'check a request captured by an Inspector bin on the server, e.g. my-bin/req_01…')
    .option('--tolerance <seconds>', 'how old a signed timestamp may be (default 300; raise it for old captures)', integer(0, 10 * 365 * 86_400), 300)
    .option('--json', 'print {valid, scheme, reason, message}')
    .addHelpText(
      'after',
      examples(
        'hookline verify --secret whsec_… -H "webhook-id: evt_1" -H "webhook-timestamp: 1767225600" -H "webhook-signature: v1,…" --body-file body.json',
        'hookline verify --secret whsec_… --headers-file request.http          # raw request: headers, blank line, body',
        'hookline verify --secret whsec_… --inspector my-bin/req_01… --tolerance 86400',
      ),
    )
    .action(async (o: VerifyOpts, cmd: Command) => {
      const secret = o.secret ?? process.env.HOOKLINE_WEBHOOK_SECRET;
      if (!secret)
        throw usageError('--secret is required (or set HOOKLINE_WEBHOOK_SECRET)', "the endpoint's whsec_… secret, shown when it was created or rotated");
      if (o.inspector && (o.header?.length || o.headersFile || o.bodyFile))
        throw usageError('--inspector reads headers and body from the capture; leave out -H, --headers-file and --body-file');
      const req = o.inspector ? await fromInspector(o.inspector, cmd) : await fromFlags(o);
      let result: { valid: boolean; scheme: string | null; reason: string | null; message: string };
      if (req.unverifiable) {
        result = { valid: false, scheme: null, reason: 'body_truncated', message: req.unverifiable };
      } else {
        try {
          const scheme = await verifyWebhookSignature({
            secret,
            headers: req.headers,
            body: req.body,
            scheme: o.scheme as 'auto',
            toleranceSeconds: o.tolerance,
          });
          result = { valid: true, scheme, reason: null, message: `signed with this secret (${scheme})` };
        } catch (err) {
          if (!(err instanceof WebhookVerificationError)) throw err;
          result = { valid: false, scheme: err.scheme ?? null, reason: err.reason, message: err.message };
        }
      }
      if (o.json) printJson(result);
      else if (result.valid) say(`${green(process.stdout, 'valid')}: ${result.message}`);
      else say(`${red(process.stdout, 'invalid')} (${result.reason}${result.scheme ? `, ${result.scheme}` : ''}): ${result.message}`);
      process.exitCode = result.valid ? EXIT.ok : EXIT.failure;
    });
}
