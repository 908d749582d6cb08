// Steps: Hookline on SQLite and on PostgreSQL (library API): throughput over N, then open-loop
// latency at BENCH_RATE; PostgreSQL behind a 1 ms round-trip proxy; the default settings.
import { hooklineLatency, hooklineThroughput, openHookline } from '../lib/hookline.mjs';
import { K } from '../lib/knobs.mjs';
import { forkLatencyProxy, measureRoundTrips } from '../lib/latency-proxy.mjs';
import { round } from '../lib/util.mjs';

export function stepHookline(kind) {
  return async (ctx) => {
    const h = await openHookline(ctx, kind, ctx.rx.origin);
    try {
      const throughput = await hooklineThroughput(h, ctx.rx, K.n, { meter: ctx.meter(kind === 'postgres' ? 'postgres' : 'none') });
      console.log(`  throughput ${throughput.perSecond}/s (publish ${throughput.publishPerSecond}/s; machine ${throughput.machine.usPerDelivery} µs/delivery)`);
      const latency = await hooklineLatency(h, ctx.rx);
      console.log(
        `  latency @${K.rate}/s: p50 ${latency.ms.p50} ms, p99 ${latency.ms.p99} ms${latency.saturated ? ` (SATURATED: delivered ${latency.deliveredRate}/s)` : ''}`,
      );
      return { settings: h.settings, throughput, latency };
    } finally {
      await h.close();
    }
  };
}

/** PostgreSQL through the latency proxy (BENCH_RTT_US added per round trip); what it adds is measured. */
export async function stepPostgresRtt(ctx) {
  const target = new URL(K.databaseUrl);
  const proxy = await forkLatencyProxy({ target: { host: target.hostname, port: Number(target.port || 5432) }, upMs: K.rttUs / 1000, downMs: 0 });
  ctx.track('pid', proxy.pid);
  try {
    const proxied = new URL(K.databaseUrl);
    proxied.hostname = '127.0.0.1';
    proxied.port = String(proxy.port);
    const measure = async (url) => {
      const client = new ctx.pg.Client({ connectionString: url, application_name: 'hookline-bench-admin' });
      await client.connect();
      try {
        return await measureRoundTrips(client);
      } finally {
        await client.end();
      }
    };
    const direct = await measure(K.databaseUrl);
    const through = await measure(proxied.toString());
    const addedMs = round(through.p50Ms - direct.p50Ms, 3);
    console.log(`  SELECT 1: ${direct.p50Ms} ms direct, ${through.p50Ms} ms through the proxy (adds ${addedMs} ms)`);
    const h = await openHookline(ctx, 'postgres', ctx.rx.origin, { databaseUrl: proxied.toString() });
    try {
      const throughput = await hooklineThroughput(h, ctx.rx, K.n, { meter: ctx.meter('postgres') });
      console.log(`  throughput ${throughput.perSecond}/s at ${addedMs} ms extra round trip`);
      return {
        settings: { ...h.settings, addedRttUs: K.rttUs, proxy: 'client-to-server delay, own process' },
        selectOneMs: { direct, proxied: through, addedMs },
        throughput,
      };
    } finally {
      await h.close();
    }
  } finally {
    await proxy.close();
  }
}

/** Default delivery settings (per_endpoint_in_flight 16): how far N deliveries get in a bounded time. */
export function stepDefaults(kind) {
  return async (ctx) => {
    const h = await openHookline(ctx, kind, ctx.rx.origin, { defaults: true });
    try {
      const t = await hooklineThroughput(h, ctx.rx, K.defaultsN, { warm: 0, onStart: (t0) => ctx.send({ type: 'mark', t0 }) });
      return { settings: h.settings, throughput: t };
    } finally {
      await h.close();
    }
  };
}
