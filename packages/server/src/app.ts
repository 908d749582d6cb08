import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { Registry, collectDefaultMetrics, Gauge } from 'prom-client';
import { AgentAdmin } from './agents/admin.js';
import type { Runner } from './agents/runner.js';
import { CommandRunner } from './agents/runners/command.js';
import { buildApi } from './api/index.js';
import { RunExecutor } from './runs/executor.js';
import { RunService } from './runs/service.js';
import { EndpointAdmin } from './channels/index.js';
import type { HooklineConfig } from './config/index.js';
import { loadMasterKeys, SecretBox } from './crypto/index.js';
import { Dispatcher } from './delivery/dispatcher.js';
import { HttpSender, type Resolver } from './delivery/http-sender.js';
import { createDeliveryMetrics } from './delivery/metrics.js';
import { Retention } from './delivery/retention.js';
import { SsrfGuard } from './delivery/ssrf-guard.js';
import { Publisher } from './events/index.js';
import { ApiKeys } from './keys/index.js';
import { openStore, type Store, storeOptionsFromConfig } from './store/index.js';
import { type Clock, type RandomSource, systemClock, systemRandom } from './util/clock.js';
import { parseDuration } from './util/duration.js';

export interface HooklineOptions {
  config: HooklineConfig;
  logger?: Logger;
  clock?: Clock;
  random?: RandomSource;
  /** DNS resolver for outbound requests (tests inject one). */
  resolve?: Resolver;
  /** PostgreSQL schema to work in (tests isolate themselves this way). */
  schema?: string;
  /** PostgreSQL application_name of this process's connections. */
  applicationName?: string;
  /** Builds an agent's runner (default: the built-in runner kinds). */
  runnerFor?: (runner: string, settings: unknown) => Runner;
}

function defaultRunner(kind: string, settings: unknown): Runner {
  if (kind === 'command') return new CommandRunner(settings as ConstructorParameters<typeof CommandRunner>[0]);
  throw new Error(`unknown runner "${kind}"`);
}

const ms = (d: string) => parseDuration(d)!;

/**
 * One Hookline process: the store, the publisher, the dispatcher (roles `worker`/`all`)
 * and the HTTP API (roles `api`/`all`), wired together.
 */
export class Hookline {
  readonly log: Logger;
  readonly clock: Clock;
  readonly registry = new Registry();
  readonly keys: ApiKeys;
  readonly publisher: Publisher;
  readonly endpoints: EndpointAdmin;
  readonly dispatcher: Dispatcher | undefined;
  readonly retention: Retention | undefined;
  readonly agents: AgentAdmin;
  readonly runs: RunService;
  readonly executor: RunExecutor | undefined;
  readonly guard: SsrfGuard;
  private readonly sender: HttpSender;
  api: FastifyInstance | undefined;

  private constructor(readonly config: HooklineConfig, readonly store: Store, readonly box: SecretBox, o: HooklineOptions) {
    const c = config;
    this.log = o.logger ?? pino({ level: c.log.level, redact: { paths: ['req.headers.authorization', '*.secret', '*.key'], censor: '[redacted]' } });
    this.clock = o.clock ?? systemClock;
    this.guard = new SsrfGuard({ allowNetworks: c.delivery.allow_networks });
    // Sockets per origin = the process-wide bound: endpoints that share a host must not share
    // a small pool, or a slow path would starve a fast one. Per-endpoint fairness is the dispatcher's job.
    this.sender = new HttpSender({ guard: this.guard, clock: this.clock, connections: c.delivery.max_in_flight, ...(o.resolve ? { resolve: o.resolve } : {}) });
    this.keys = new ApiKeys(store, this.clock);
    const wake = () => this.dispatcher?.wake();
    this.publisher = new Publisher({ store, orgId: c.org_id, envId: c.env_id, clock: this.clock, onEnqueued: wake });
    this.endpoints = new EndpointAdmin({ store, box, guard: this.guard, publisher: this.publisher, rotationGraceMs: ms(c.delivery.rotation_grace), clock: this.clock });
    if (c.server.role !== 'api') {
      this.dispatcher = new Dispatcher({
        store,
        sender: this.sender,
        open: (s) => box.open(s),
        log: this.log,
        metrics: createDeliveryMetrics(this.registry),
        clock: this.clock,
        random: o.random ?? systemRandom,
        maxInFlight: c.delivery.max_in_flight,
        perEndpointInFlight: c.delivery.per_endpoint_in_flight,
        batchSize: c.delivery.batch_size,
        leaseMs: ms(c.delivery.lease),
        pollIntervalMs: ms(c.delivery.poll_interval),
        autoDisableAfter: c.delivery.auto_disable_after,
        policy: { schedule: c.delivery.retry_schedule.map(ms), jitter: c.delivery.jitter, maxRetryAfterMs: ms(c.delivery.max_retry_after), retry4xx: true },
        onEndpointDisabled: (tx, id, reason) => this.publisher.publish({ type: 'endpoint.disabled', data: { endpoint_id: id, reason } }, undefined, tx).then(() => {}),
      });
    }
    this.agents = new AgentAdmin(store, box, this.clock);
    this.runs = new RunService(store, this.clock, () => this.executor);
    if (c.server.role !== 'api') {
      this.executor = new RunExecutor({ store, agents: this.agents, publisher: this.publisher, log: this.log, clock: this.clock, runnerFor: o.runnerFor ?? defaultRunner });
    }
    if (c.server.role !== 'api') {
      const r = c.retention;
      this.retention = new Retention({ store, clock: this.clock, log: this.log, attemptsMs: ms(r.attempts), eventsMs: ms(r.events), intervalMs: ms(r.interval), batchSize: r.batch_size });
    }
    collectDefaultMetrics({ register: this.registry, prefix: 'hookline_' });
    new Gauge({
      name: 'hookline_queue_depth',
      help: 'Deliveries waiting to be sent (pending, including those being retried later).',
      registers: [this.registry],
      collect: async function (this: Gauge) {
        this.set(await store.countPending());
      },
    });
  }

  /** Opens the store, runs migrations and wires everything; nothing listens yet. */
  static async create(o: HooklineOptions): Promise<Hookline> {
    const c = o.config;
    const { keys } = loadMasterKeys({ keyFile: join(c.data_dir, 'master.key'), previousKeys: c.security.previous_master_keys, ...(c.security.master_key ? { envKey: c.security.master_key } : {}) });
    const store = await openStore({ ...storeOptionsFromConfig(c), ...(o.schema ? { schema: o.schema } : {}), ...(o.applicationName ? { applicationName: o.applicationName } : {}) });
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
    return new Hookline(c, store, new SecretBox(keys), o);
  }

  /**
   * Makes sure someone can log in: installs HOOKLINE_ADMIN_KEY, or on a store with no keys
   * mints one and returns it (to be printed once).
   */
  async bootstrapAdminKey(): Promise<string | undefined> {
    if (this.config.security.admin_key) {
      await this.keys.ensure(this.config.security.admin_key, 'admin (HOOKLINE_ADMIN_KEY)');
      return undefined;
    }
    if ((await this.keys.count()) > 0) return undefined;
    return (await this.keys.create('admin (first start)')).key;
  }

  /** Starts the dispatcher and, for roles `api`/`all`, the HTTP server. Returns its address. */
  async start(): Promise<string | undefined> {
    await this.dispatcher?.start();
    await this.executor?.start();
    this.retention?.start();
    if (this.config.server.role === 'worker') return undefined;
    this.api = await buildApi(
      { store: this.store, endpoints: this.endpoints, publisher: this.publisher, keys: this.keys, agents: this.agents, runs: this.runs, registry: this.registry, clock: this.clock, onEnqueued: () => this.dispatcher?.wake() },
      { bodyLimit: this.config.server.body_limit_bytes, logger: this.log },
    );
    return this.api.listen({ host: this.config.server.host, port: this.config.server.port });
  }

  /** Stops taking requests, lets open deliveries finish, closes connections. */
  async stop(): Promise<void> {
    await this.api?.close();
    await this.executor?.stop();
    await this.dispatcher?.stop();
    await this.retention?.stop();
    // The dispatcher already waited its grace period; whatever is still open is abandoned and
    // will be retried after its lease (at-least-once), rather than holding shutdown hostage.
    await this.sender.destroy();
    await this.store.close();
  }
}
