// Step: the limit, a raw undici client POSTing to the receiver as fast as it can.
import { K } from '../lib/knobs.mjs';
import { cpuUs, gc, padFor, round, runConcurrent, wall } from '../lib/util.mjs';

export async function stepLimit({ undici, rx, meter }) {
  const body = JSON.stringify({
    id: 'evt_' + '0'.repeat(26),
    type: 'bench.tick',
    timestamp: new Date().toISOString(),
    org_id: 'org_default',
    env_id: 'env_default',
    data: { i: 12345, pad: padFor(K.bodyBytes) },
  });
  const runs = [];
  for (const conc of K.limitConcurrency) {
    const pool = new undici.Pool(rx.origin, { connections: conc, pipelining: 1, keepAliveTimeout: 60_000 });
    let errors = 0;
    const post = async (id) => {
      const res = await pool.request({ path: '/limit', method: 'POST', headers: { 'content-type': 'application/json', 'webhook-id': id }, body });
      await res.body.text();
      if (res.statusCode !== 200) errors++;
    };
    try {
      await runConcurrent(Math.min(2000, K.n), conc, (i) => post(`lw${conc}_${i}`), wall() + K.phaseTimeoutMs);
      gc();
      const { reached } = await rx.arm(K.n);
      const machineMeter = meter('none');
      await machineMeter.start();
      const cpu0 = process.cpuUsage();
      const t0 = wall();
      await runConcurrent(K.n, conc, (i) => post(`l${conc}_${i}`), t0 + K.phaseTimeoutMs);
      const tClient = wall();
      const cpu = process.cpuUsage(cpu0);
      const r = await reached;
      const machine = await machineMeter.stop(K.n);
      await rx.disarm();
      if (!r.ok) throw new Error(`limit(${conc}): only ${r.unique} of ${K.n} requests arrived`);
      const seconds = (r.at - t0) / 1000;
      const run = {
        concurrency: conc,
        n: K.n,
        bodyBytes: body.length,
        seconds: round(seconds, 3),
        perSecond: round(K.n / seconds, 0),
        clientSeconds: round((tClient - t0) / 1000, 3),
        errors,
        cpuUsPerDelivery: round(cpuUs(cpu) / K.n, 1),
        machine,
      };
      runs.push(run);
      console.log(`  undici ${String(conc).padStart(4)} connections: ${run.perSecond}/s`);
    } finally {
      await pool.close();
    }
  }
  return { runs, best: runs.reduce((a, b) => (b.perSecond > a.perSecond ? b : a)) };
}
