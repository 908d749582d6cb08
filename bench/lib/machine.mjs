// "Machine CPU per delivery": the measuring process + the database or Redis server + the
// receiver (+ any further processes of the step, e.g. `hookline serve`), over a timed window.
import { CpuWindow, pidsByComm } from './proc-cpu.mjs';
import { pgAdmin, round } from './util.mjs';

/**
 * PostgreSQL processes that work for the benchmark: the backends of its connections (tagged
 * `hookline-bench:*`) and the cluster's own background processes (WAL writer, checkpointer,
 * …). Other engineers' backends on the shared cluster are left out.
 */
async function benchPostgresPids(pg) {
  return pgAdmin(pg, async (client) => {
    const q = await client.query("SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'hookline-bench:%' OR backend_type <> 'client backend'");
    return q.rows.map((row) => row.pid);
  });
}

/**
 * A CPU meter for one window. `server` is 'postgres', 'redis' or 'none'; `extraPids()` lists
 * further processes of the step; `includeSelf: false` leaves the measuring process out (the
 * HTTP steps' load generator is the client, not part of the delivery system). stop(deliveries)
 * returns µs per delivery and the parts.
 */
export function machineMeter({ pg, receiverPid, server, extraPids = () => [], includeSelf = true }) {
  const own = new CpuWindow(() => [...(includeSelf ? [process.pid] : []), ...(receiverPid ? [receiverPid] : []), ...extraPids()]);
  const db = new CpuWindow(async () => (server === 'postgres' ? benchPostgresPids(pg) : server === 'redis' ? pidsByComm('redis-server') : []));
  return {
    async start() {
      await db.start();
      await own.start();
    },
    async stop(deliveries) {
      const ownCpu = await own.stop();
      const dbCpu = await db.stop();
      const total = ownCpu.cpuUs + dbCpu.cpuUs;
      return {
        usPerDelivery: round(total / deliveries, 1),
        processUsPerDelivery: round(ownCpu.cpuUs / deliveries, 1),
        serverUsPerDelivery: round(dbCpu.cpuUs / deliveries, 1),
        server,
        serverProcesses: dbCpu.processes,
        lostPids: ownCpu.lostPids + dbCpu.lostPids,
      };
    },
  };
}
