import type { Command } from 'commander';
import { signatureHeaders, generateWebhookSecret, isStandardWebhookSecret } from '../../crypto/index.js';
import { examples, integer, list } from '../args.js';
import { connect } from '../client.js';
import { usageError } from '../errors.js';
import { bold, cyan, dim, green, note, printJsonLine, red, say, yellow } from '../output.js';
import { LiveStream } from '../stream.js';

interface ListenOpts {
  forwardTo: string;
  events?: string[];
  secret?: string;
  forwardTimeout: number;
  json?: boolean;
}

interface Forwarded {
  event_id: string;
  type: string;
  status: number | null;
  duration_ms: number;
  error: string | null;
}

function checkTarget(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw usageError(`--forward-to "${raw}" is not a URL`, 'e.g. --forward-to http://localhost:3000/hooks');
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:')
    throw usageError('--forward-to must be an http:// or https:// URL', 'e.g. --forward-to http://localhost:3000/hooks');
  return u.toString();
}

const clock = () => new Date().toTimeString().slice(0, 8);

/**
 * `hookline listen`: events published on a server, forwarded to an app on this machine and
 * signed with Standard Webhooks headers, like a real endpoint would receive them. The target
 * may be localhost on purpose (it is the user's own machine), so no SSRF guard applies here.
 */
export function registerListen(program: Command): void {
  program
    .command('listen')
    .description('Forward events from a Hookline server to a local app, signed (like stripe listen)')
    .requiredOption('--forward-to <url>', 'where to POST each event, e.g. http://localhost:3000/hooks')
    .option('--events <patterns>', 'only these event types, comma-separated: invoice.*,run.failed (default: all)', list)
    .option('--secret <whsec>', 'sign with this whsec_… secret (default: a new one, printed at start)')
    .option('--forward-timeout <seconds>', 'how long the local app may take to answer (default 30)', integer(1, 300), 30)
    .option('--json', 'one JSON line per forwarded event: {event_id, type, status, duration_ms, error}')
    .addHelpText(
      'after',
      examples(
        'hookline listen --forward-to http://localhost:3000/hooks',
        "hookline listen --forward-to http://localhost:3000/hooks --events 'invoice.*,run.*'",
        'hookline listen --forward-to http://localhost:3000/hooks --secret "$MY_APP_WEBHOOK_SECRET"',
        '# then, in another terminal:',
        'hookline events publish invoice.paid --data \'{"invoice":"in_1"}\'',
      ) +
        "\n\nThe local app verifies each request with the secret as it would verify Hookline's endpoints\n(Standard Webhooks: webhook-id, webhook-timestamp, webhook-signature). Ctrl-C stops (exit 0).",
    )
    .action(async (o: ListenOpts, cmd: Command) => {
      const target = checkTarget(o.forwardTo);
      if (o.secret !== undefined && !isStandardWebhookSecret(o.secret))
        throw usageError('--secret must be a Standard Webhooks secret: whsec_ followed by base64', 'leave it out and a new one is generated and printed');
      const { client, settings } = connect(cmd);
      const secret = o.secret ?? generateWebhookSecret();
      const out = process.stdout;
      if (o.secret === undefined) note(`Your local signing secret is ${bold(process.stderr, secret)} (valid for this session; pass --secret to keep one)`);

      let chain: Promise<void> = Promise.resolve();
      const forward = async (envelope: Record<string, any>): Promise<void> => {
        const body = JSON.stringify(envelope);
        const headers = {
          'content-type': 'application/json',
          'user-agent': 'hookline-cli (listen)',
          ...signatureHeaders('standard', { msgId: String(envelope.id), timestampSec: Math.floor(Date.now() / 1000), body, secrets: [secret] }),
        };
        const started = Date.now();
        const r: Forwarded = { event_id: String(envelope.id), type: String(envelope.type), status: null, duration_ms: 0, error: null };
        try {
          const res = await fetch(target, { method: 'POST', headers, body, signal: AbortSignal.timeout(o.forwardTimeout * 1000) });
          await res.arrayBuffer().catch(() => undefined);
          r.status = res.status;
        } catch (err) {
          const e = err as Error & { cause?: { code?: string; message?: string } };
          r.error = e.name === 'TimeoutError' ? `no answer within ${o.forwardTimeout} s` : (e.cause?.code ?? e.cause?.message ?? e.message);
        }
        r.duration_ms = Date.now() - started;
        if (o.json) return printJsonLine(r);
        const outcome = r.status === null ? red(out, `failed: ${r.error}`) : r.status < 300 ? green(out, `[${r.status}]`) : yellow(out, `[${r.status}]`);
        say(`${dim(out, clock())}  ${cyan(out, r.type)} ${r.event_id} → POST ${target} ${outcome} ${dim(out, `(${r.duration_ms} ms)`)}`);
      };
      const enqueue = (fn: () => Promise<void>) => {
        chain = chain.then(fn).catch((err: Error) => note(`hookline listen: ${err.message}`));
      };

      const stream = new LiveStream({
        baseUrl: settings.url,
        apiKey: settings.apiKey,
        subscription: { id: 'listen', topics: ['event.published'], ...(o.events?.length ? { event_types: o.events } : {}) },
        onSubscribed: (again) => {
          if (again)
            return note(dim(process.stderr, `${clock()}  reconnected; events published while disconnected were not forwarded (see hookline deliveries ls)`));
          note(`Ready! Forwarding ${o.events?.length ? o.events.join(', ') : 'every event'} from ${settings.url} to ${target} (Ctrl-C to stop)`);
        },
        onMessage: (m) => {
          const data = m.data;
          // A cut message (the stream limits each to 7,000 bytes): fetch the whole event.
          enqueue(async () => forward(data.truncated ? await client.events.get(String(data.id)) : data));
        },
        onDropped: (count) => note(yellow(process.stderr, `${clock()}  ${count} events were dropped by the server because forwarding fell behind`)),
        onDisconnect: (why, ms) => note(dim(process.stderr, `${clock()}  connection lost (${why}); reconnecting in ${(ms / 1000).toFixed(1)} s`)),
      });
      const stop = () => stream.stop();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await stream.run();
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
      }
      // Ctrl-C ends at once: a forward still waiting for the local app is abandoned.
    });
}
