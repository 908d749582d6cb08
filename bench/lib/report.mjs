// The run's `summary` (the keys docs/performance.md reports), its target checks and the printed tables.
import { K, TARGETS } from './knobs.mjs';
import { ratio } from './util.mjs';

const ok = (step) => step && !step.error;
const num = (x) => (Number.isFinite(x) ? x : null);

export function buildSummary(steps) {
  const s = steps;
  const at1k = (step) => (ok(step) && K.rate === 1000 ? num(step.latency?.ms?.p99) : null);
  return {
    limit_per_s: ok(s.limit) ? num(s.limit.best.perSecond) : null,
    sqlite_per_s: ok(s.sqlite) ? num(s.sqlite.throughput.perSecond) : null,
    postgres_per_s: ok(s.postgres) ? num(s.postgres.throughput.perSecond) : null,
    pgboss_per_s: ok(s.pgboss) ? num(s.pgboss.perSecond) : null,
    graphile_worker_per_s: ok(s['graphile-worker']) ? num(s['graphile-worker'].perSecond) : null,
    bullmq_per_s: ok(s.bullmq) ? num(s.bullmq.perSecond) : null,
    machine_us_sqlite: ok(s.sqlite) ? num(s.sqlite.throughput.machine?.usPerDelivery) : null,
    machine_us_postgres: ok(s.postgres) ? num(s.postgres.throughput.machine?.usPerDelivery) : null,
    machine_us_graphile_worker: ok(s['graphile-worker']) ? num(s['graphile-worker'].machine?.usPerDelivery) : null,
    http_sqlite_max_per_s: ok(s['http-sqlite']) ? num(s['http-sqlite'].maxPerSecond) : null,
    http_postgres_max_per_s: ok(s['http-postgres']) ? num(s['http-postgres'].maxPerSecond) : null,
    http_postgres_split_max_per_s: ok(s['http-postgres-split']) ? num(s['http-postgres-split'].maxPerSecond) : null,
    postgres_1ms_rtt_per_s: ok(s['postgres-1ms']) ? num(s['postgres-1ms'].throughput.perSecond) : null,
    p99_ms_sqlite_1k: at1k(s.sqlite),
    p99_ms_postgres_1k: at1k(s.postgres),
    intake_per_s: ok(s.intake) ? num(s.intake.sqlite.per_second) : null,
    intake_ceiling_per_s: ok(s.intake) ? num(s.intake.ceiling.per_second) : null,
    backlog_rss_growth_mb: ok(s.backlog) ? num(s.backlog.growthMB) : null,
    fairness_p99_ratio_sqlite: ok(s['fairness-sqlite']) ? num(s['fairness-sqlite'].ratio) : null,
    fairness_p99_ratio_postgres: ok(s['fairness-postgres']) ? num(s['fairness-postgres'].ratio) : null,
  };
}

/** Issue 15's targets against this run (null where a figure is missing). */
export function checkTargets(sum, steps = {}) {
  const check = (name, value, target, pass) => ({ name, value, target, ok: value === null ? null : pass(value) });
  // Not summary keys: the issue names these targets but not a key for them.
  const httpP99 = (key) => (ok(steps[key]) && K.rate === 1000 ? num(steps[key].p99MsAt1k) : null);
  return [
    check('SQLite / limit', ratio(sum.sqlite_per_s, sum.limit_per_s), `>= ${TARGETS.sqliteVsLimit}`, (v) => v >= TARGETS.sqliteVsLimit),
    check('PostgreSQL / limit', ratio(sum.postgres_per_s, sum.limit_per_s), `>= ${TARGETS.postgresVsLimit}`, (v) => v >= TARGETS.postgresVsLimit),
    check('SQLite / graphile-worker', ratio(sum.sqlite_per_s, sum.graphile_worker_per_s), `>= ${TARGETS.vsGraphile}`, (v) => v >= TARGETS.vsGraphile),
    check('PostgreSQL / graphile-worker', ratio(sum.postgres_per_s, sum.graphile_worker_per_s), `>= ${TARGETS.vsGraphile}`, (v) => v >= TARGETS.vsGraphile),
    check('machine µs, SQLite', sum.machine_us_sqlite, `<= ${TARGETS.machineUsSqlite}`, (v) => v <= TARGETS.machineUsSqlite),
    check('machine µs, PostgreSQL', sum.machine_us_postgres, `<= ${TARGETS.machineUsPostgres}`, (v) => v <= TARGETS.machineUsPostgres),
    check('HTTP SQLite max events/s', sum.http_sqlite_max_per_s, '>= 5000', (v) => v >= 5000),
    check('HTTP PostgreSQL max events/s', sum.http_postgres_max_per_s, '>= 2500', (v) => v >= 2500),
    check('HTTP PostgreSQL split max events/s', sum.http_postgres_split_max_per_s, '>= 1000', (v) => v >= 1000),
    check('p99 SQLite @1k, ms', sum.p99_ms_sqlite_1k, `<= ${TARGETS.p99Ms}`, (v) => v <= TARGETS.p99Ms),
    check('p99 PostgreSQL @1k, ms', sum.p99_ms_postgres_1k, `<= ${TARGETS.p99Ms}`, (v) => v <= TARGETS.p99Ms),
    check('PostgreSQL 1 ms RTT / 0 ms', ratio(sum.postgres_1ms_rtt_per_s, sum.postgres_per_s), `>= ${TARGETS.rttKeep}`, (v) => v >= TARGETS.rttKeep),
    check('HTTP p99 SQLite @1k, ms', httpP99('http-sqlite'), `<= ${TARGETS.httpP99Ms}`, (v) => v <= TARGETS.httpP99Ms),
    check('HTTP p99 PostgreSQL @1k, ms', httpP99('http-postgres'), `<= ${TARGETS.httpP99Ms}`, (v) => v <= TARGETS.httpP99Ms),
    check('trigger intake /s', sum.intake_per_s, '>= 10000', (v) => v >= 10_000),
    check('trigger intake / ceiling', ratio(sum.intake_per_s, sum.intake_ceiling_per_s), `>= ${TARGETS.intakeVsCeiling}`, (v) => v >= TARGETS.intakeVsCeiling),
    check('RSS growth with backlog, MB', sum.backlog_rss_growth_mb, `< ${TARGETS.rssGrowthMB}`, (v) => v < TARGETS.rssGrowthMB),
    check('fairness p99 / idle, SQLite', sum.fairness_p99_ratio_sqlite, `<= ${TARGETS.fairnessP99Ratio}`, (v) => v <= TARGETS.fairnessP99Ratio),
    check('fairness p99 / idle, PostgreSQL', sum.fairness_p99_ratio_postgres, `<= ${TARGETS.fairnessP99Ratio}`, (v) => v <= TARGETS.fairnessP99Ratio),
  ];
}

function printTable(head, rows, leftColumns = [0]) {
  const all = [head, ...rows].map((r) => r.map((c) => String(c ?? '-')));
  const width = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  const line = (r) =>
    r
      .map((c, i) => (leftColumns.includes(i) ? c.padEnd(width[i]) : c.padStart(width[i])))
      .join('  ')
      .trimEnd();
  console.log(line(all[0]));
  console.log(width.map((x) => '-'.repeat(x)).join('  '));
  for (const r of all.slice(1)) console.log(line(r));
}

export function printReport(res) {
  const s = res.steps;
  const sum = res.summary;
  const lim = sum.limit_per_s;
  const gw = sum.graphile_worker_per_s;
  const rows = [];
  const row = (label, perSecond, machine, notes) => rows.push([label, perSecond, ratio(perSecond, lim), ratio(perSecond, gw), machine, notes ?? '']);
  if (ok(s.limit)) row(`raw undici, ${s.limit.best.concurrency} connections (the limit)`, lim, s.limit.best.machine?.usPerDelivery);
  if (ok(s.sqlite))
    row(
      'Hookline, SQLite (library API)',
      sum.sqlite_per_s,
      sum.machine_us_sqlite,
      `p50/p99 @${K.rate}/s ${s.sqlite.latency.ms.p50}/${s.sqlite.latency.ms.p99} ms`,
    );
  if (ok(s.postgres))
    row(
      'Hookline, PostgreSQL (library API)',
      sum.postgres_per_s,
      sum.machine_us_postgres,
      `p50/p99 @${K.rate}/s ${s.postgres.latency.ms.p50}/${s.postgres.latency.ms.p99} ms`,
    );
  if (ok(s['postgres-1ms']))
    row(
      `Hookline, PostgreSQL +${s['postgres-1ms'].selectOneMs.addedMs} ms RTT`,
      sum.postgres_1ms_rtt_per_s,
      s['postgres-1ms'].throughput.machine?.usPerDelivery,
      `SELECT 1 ${s['postgres-1ms'].selectOneMs.proxied.p50Ms} ms via proxy`,
    );
  if (ok(s.pgboss))
    row(`pg-boss ${s.pgboss.settings.workers} workers x batch ${s.pgboss.settings.batchSize}`, sum.pgboss_per_s, s.pgboss.machine?.usPerDelivery);
  if (ok(s['graphile-worker']))
    row(
      `graphile-worker ${s['graphile-worker'].settings.version} (concurrency ${s['graphile-worker'].settings.concurrency}, local queue ${s['graphile-worker'].settings.localQueueSize}, batched completion)`,
      gw,
      sum.machine_us_graphile_worker,
    );
  if (ok(s.bullmq))
    row(
      `BullMQ ${s.bullmq.settings.version} on Redis (${s.bullmq.settings.workers} x concurrency ${s.bullmq.settings.concurrency})`,
      sum.bullmq_per_s,
      s.bullmq.machine?.usPerDelivery,
    );
  console.log(`\nDeliveries of N=${K.n} to one local receiver (machine µs = this process + database/Redis server + receiver, from /proc)\n`);
  printTable(['system', 'deliveries/s', '/ limit', '/ graphile', 'machine µs', 'notes'], rows, [0, 5]);
  for (const key of ['sqlite-defaults', 'postgres-defaults']) {
    const d = s[key];
    if (!d) continue;
    if (d.timedOut) console.log(`${key}: did not finish: ${d.received} of ${d.target ?? K.defaultsN} delivered in ${d.elapsedSeconds} s, then killed`);
    else if (ok(d))
      console.log(`${key}: ${d.throughput.perSecond}/s (N=${d.throughput.n}, default settings, per_endpoint_in_flight ${d.settings.per_endpoint_in_flight})`);
  }

  const http = [];
  for (const [key, label] of [
    ['http-sqlite', 'SQLite, 1 process'],
    ['http-postgres', 'PostgreSQL, 1 process'],
    ['http-postgres-split', `PostgreSQL, 1 api + ${K.httpWorkers} workers`],
  ]) {
    const h = s[key];
    if (!h) continue;
    if (h.error) {
      http.push([label, null, null, null, `FAILED: ${h.error}`]);
      continue;
    }
    const last = h.rates[h.rates.length - 1];
    const at1k = h.rates.find((r) => r.rate === 1000);
    http.push([
      label,
      h.maxPerSecond,
      at1k ? `${at1k.ms.p50}/${at1k.ms.p99}` : null,
      at1k?.machine?.usPerDelivery,
      last?.saturated
        ? `saturated at ${last.rate}/s: delivered ${last.deliveredPerSecond}/s, 202s ${last.acceptedPerSecond}/s, generator ${last.issuedPerSecond}/s, p99 ${last.ms.p99} ms`
        : `not saturated up to ${last?.rate}/s`,
    ]);
  }
  if (http.length) {
    console.log(
      `\nThrough \`hookline serve\`, events published over HTTP to ${K.httpEndpoints} endpoints, open-loop rates ${K.httpRates.join(', ')}/s x ${K.httpSeconds} s\n`,
    );
    printTable(['hookline serve', 'max events/s', 'p50/p99 ms @1k', 'machine µs @1k', 'notes'], http, [0, 4]);
  }
  console.log('\ntargets');
  for (const t of res.targets)
    console.log(`  ${t.name.padEnd(36)} ${String(t.value ?? '-').padStart(8)}   target ${t.target.padEnd(7)} ${t.ok === null ? 'n/a' : t.ok ? 'ok' : 'MISS'}`);
  const b = s.backlog;
  if (ok(b))
    console.log(
      `\nRSS with ${b.pending.toLocaleString('en')} pending: ${b.before.rssMB} -> ${b.afterInsert.rssMB} -> ${b.afterPolling.rssMB} MB (growth ${b.growthMB} MB); one empty claim ${b.claimMs} ms`,
    );
  for (const [key, label] of [
    ['fairness-sqlite', 'SQLite'],
    ['fairness-postgres', 'PostgreSQL'],
  ]) {
    const f = s[key];
    if (ok(f))
      console.log(
        `\nFairness, ${label}: tenant B at ${f.rate}/s, p50/p99 ${f.idle.ms.p50}/${f.idle.ms.p99} ms idle, ${f.busy.ms.p50}/${f.busy.ms.p99} ms with tenant A's ${f.backlog.toLocaleString('en')} due (A sent ${f.aPerSecond}/s meanwhile): p99 x${f.ratio}`,
      );
  }
  for (const [key, value] of Object.entries(s)) if (value?.error) console.log(`\n${key}: FAILED: ${value.error}`);
  console.log('\nsummary ' + JSON.stringify(sum, null, 2));
}
