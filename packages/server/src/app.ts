import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { Registry, collectDefaultMetrics, Gauge } from 'prom-client';
import {
  AgentAdmin,
  AgentFiles,
  type AgentFilesReport,
  CallbackAdmin,
  type Runner,
  CommandRunner,
  type OutboundNet,
  HttpRunner,
  OpenAIRunner,
} from './agents/index.js';
import { buildApi } from './api/index.js';
import { TenantAdmin, TenantQuotas } from './tenants/index.js';
import { RunExecutor, RunService, RunAnnouncer } from './runs/index.js';
import { ScheduleAdmin, Scheduler } from './schedules/index.js';
import { WebhookTriggerAdmin } from './triggers/index.js';
import { PostActionAdmin, PostActionPreviewer } from './post-actions/index.js';
import { settingsView } from './settings/index.js';
import { OverviewStats } from './stats/index.js';
import { Inspector } from './inspector/index.js';
import {
  channelPreparer,
  checkNamedWebhook,
  formatLoadError,
  slackSettingsProblems,
  type TemplateLoadError,
  type NamedWebhook,
  type NotificationSettings,
  type SlackSettings,
  SlackTemplates,
  SlackTester,
} from './channels/index.js';
import { EndpointAdmin } from './endpoints/index.js';
import { NOTIFY_EVENTS, NotificationLog, Notifier } from './notifications/index.js';
import { ConfigError, type HooklineConfig } from './config/index.js';
import { validateConfig } from './load-config.js';
import { UserError } from './errors/index.js';
import { type Clock, type RandomSource, systemClock, systemRandom, parseDuration } from './util/index.js';
import { loadMasterKeys, SecretBox } from './crypto/index.js';
import { Dispatcher, HttpSender, ThreadedSender, createDeliveryMetrics, Retention } from './delivery/index.js';
import { type Resolver, SsrfGuard } from './net/index.js';
import { type Envelope, Publisher } from './events/index.js';
import { ApiKeys, PortalSessions, Sessions } from './keys/index.js';
import { openStore, type Store, storeOptionsFromConfig } from './store/index.js';
import { StreamHub } from './stream/index.js';

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
  /** The dashboard's built files (default: the @hookline/dashboard workspace's dist). */
  dashboardDir?: string;
  /** Builds an agent's runner (default: the built-in runner kinds). */
  runnerFor?: (runner: string, settings: unknown) => Runner;
  /**
   * Reads the configuration again at each reload (SIGHUP, POST /api/v1/agents/reload), for what
   * applies without a restart: `agents.default_runner`. Default: none; `config` stays as given.
   */
  rereadConfig?: () => HooklineConfig | Promise<HooklineConfig>;
}

/** `net` carries the SSRF guard and resolver that the http and openai runners dial through. */
function defaultRunner(kind: string, settings: unknown, net: OutboundNet): Runner {
  if (kind === 'command') return new CommandRunner(settings as ConstructorParameters<typeof CommandRunner>[0]);
  if (kind === 'http') return new HttpRunner(settings as ConstructorParameters<typeof HttpRunner>[0], net);
  if (kind === 'openai') return new OpenAIRunner(settings as ConstructorParameters<typeof OpenAIRunner>[0], net);
  throw new Error(`unknown runner "${kind}"`);
}

const ms = (d: string) => parseDuration(d)!;

/**
 * The embedding entry point: `config` is shaped like hookline.yaml (validated, defaults
 * filled in). Chain `useSlackNotifications` / `useWebhookNotifications`, then `start()`.
 */
export async function createHookline(options: Omit<HooklineOptions, 'config'> & { config?: Record<string, unknown> } = {}): Promise<Hookline> {
  const { config, ...rest } = options;
  return Hookline.create({ ...rest, config: validateConfig(config ?? {}) });
}

/**
 * One Hookline process: the store, the publisher, the dispatcher and run executor (roles
 * `worker`/`all`), the scheduler (`worker`/`all`/`scheduler`) and the HTTP API (`api`/`all`), wired together.
 */
export class Hookline {
  readonly log: Logger;
  readonly clock: Clock;
  readonly registry = new Registry();
  readonly keys: ApiKeys;
  readonly publisher: Publisher;
  /** Orgs and environments, and the tenant each request acts in. */
  readonly tenants: TenantAdmin;
  /** Each tenant's quotas (its org's settings). */
  readonly quotas: TenantQuotas;
  readonly endpoints: EndpointAdmin;
  readonly dispatcher: Dispatcher | undefined;
  readonly retention: Retention | undefined;
  readonly agents: AgentAdmin;
  readonly callbacks: CallbackAdmin;
  private readonly agentFiles: AgentFiles;
  private agentFilesLoading: Promise<unknown> = Promise.resolve();
  /** `agents.default_runner`, for AGENT.md files that name no runner; re-read at each reload when `rereadConfig` is given. */
  private defaultRunner: HooklineConfig['agents']['default_runner'];
  /** What the load at start found (the CLI prints its errors). */
  agentFilesReport: AgentFilesReport | undefined;
  readonly triggers: WebhookTriggerAdmin;
  readonly postActions: PostActionAdmin;
  /** Request bins (the Inspector, docs/inspector.md). */
  readonly inspector: Inspector;
  readonly runs: RunService;
  /** The Slack and named-webhook notification settings; the fluent `use…Notifications` calls change them in place. */
  readonly notificationSettings: NotificationSettings;
  private slackTemplates: SlackTemplates;
  readonly notifier: Notifier;
  readonly announcer: RunAnnouncer;
  readonly notificationLog: NotificationLog;
  readonly executor: RunExecutor | undefined;
  readonly schedules: ScheduleAdmin;
  readonly scheduler: Scheduler | undefined;
  readonly guard: SsrfGuard;
  /** The live stream (WebSocket /api/v1/stream); shared with the other processes through PostgreSQL. */
  readonly stream: StreamHub;
  private readonly sender: HttpSender | ThreadedSender;
  api: FastifyInstance | undefined;

  private constructor(
    readonly config: HooklineConfig,
    readonly store: Store,
    readonly box: SecretBox,
    private readonly options: HooklineOptions,
  ) {
    // Agents run and deliveries go out in `worker` and `all`; the scheduler also runs in `scheduler`.
    const works = config.server.role === 'all' || config.server.role === 'worker';
    this.log = options.logger ?? pino({ level: config.log.level, redact: { paths: ['req.headers.authorization', '*.secret', '*.key'], censor: '[redacted]' } });
    this.clock = options.clock ?? systemClock;
    this.guard = new SsrfGuard({ allowNetworks: config.delivery.allow_networks });
    // Sockets per origin = the process-wide bound: endpoints that share a host must not share
    // a small pool, or a slow path would starve a fast one. Per-endpoint fairness is the dispatcher's job.
    // A thread has the system clock and resolver: an injected one (tests) keeps sending in-process.
    const threads = options.clock || options.resolve ? 0 : config.delivery.send_threads;
    this.sender =
      threads > 0
        ? new ThreadedSender({
            threads,
            allowNetworks: config.delivery.allow_networks,
            connections: config.delivery.max_in_flight,
            onThreadError: (err) => this.log.error({ err }, 'delivery: a send thread died; its open requests are recorded as failed attempts and retried'),
          })
        : new HttpSender({
            guard: this.guard,
            clock: this.clock,
            connections: config.delivery.max_in_flight,
            ...(options.resolve ? { resolve: options.resolve } : {}),
          });
    this.keys = new ApiKeys(store, this.clock);
    this.tenants = new TenantAdmin({ store, clock: this.clock, onKeysDeleted: (ids) => this.keys.deleted(ids) });
    this.quotas = new TenantQuotas({ store, clock: this.clock });
    const wake = () => this.dispatcher?.wake();
    this.stream = new StreamHub({ log: this.log, clock: this.clock, registry: this.registry, ...(store.dialect === 'postgres' ? { bridge: store } : {}) });
    const onPublished = (events: Envelope[]) => events.forEach((e) => this.stream.emit('event.published', e, { env_id: e.env_id, event_type: e.type }));
    // Deliveries this process's dispatcher has room for are leased to it in the publishing write (no claim).
    this.publisher = new Publisher({
      store,
      clock: this.clock,
      onEnqueued: wake,
      onPublished,
      handoff: () => this.dispatcher,
    });
    this.notificationSettings = structuredClone(config.notifications) as NotificationSettings;
    this.slackTemplates = new SlackTemplates(config.notifications.slack.templates_dir);
    this.notifier = new Notifier({ box, clock: this.clock, settings: this.notificationSettings, slackTemplates: () => this.slackTemplates });
    this.announcer = new RunAnnouncer(this.publisher, this.notifier, wake, (envId, within) => this.tenants.tenantOf(envId, within));
    this.notificationLog = new NotificationLog(store, this.clock, wake);
    this.endpoints = new EndpointAdmin({
      store,
      box,
      guard: this.guard,
      publisher: this.publisher,
      rotationGraceMs: ms(config.delivery.rotation_grace),
      clock: this.clock,
    });
    if (works) {
      // The engine's own connections (PostgreSQL): intake waiting for the shared pool cannot starve delivery.
      const engineStore = store.engine;
      this.dispatcher = new Dispatcher({
        // An endpoint disabled by the engine (auto-disable or 410) has its `endpoint.disabled` event, in the endpoint's tenant, written in the same transaction.
        store: engineStore.deliveryEngine(async (tx, endpoint, reason) => {
          const tenant = await this.tenants.tenantOf(endpoint.env_id, tx);
          await this.publisher.publish({ tenant, type: 'endpoint.disabled', data: { endpoint_id: endpoint.id, reason } }, undefined, tx);
        }),
        sender: this.sender,
        prepare: channelPreparer({ store: engineStore, open: (s) => box.open(s), openFresh: (s) => box.openFresh(s), settings: this.notificationSettings }),
        log: this.log,
        metrics: createDeliveryMetrics(this.registry),
        clock: this.clock,
        random: options.random ?? systemRandom,
        maxInFlight: config.delivery.max_in_flight,
        perEndpointInFlight: config.delivery.per_endpoint_in_flight,
        // A single-team installation (one environment) keeps every slot; with tenants each holds at most its share.
        perEnvInFlight: () =>
          this.tenants.singleEnvironment()
            ? config.delivery.max_in_flight
            : Math.max(1, Math.floor(config.delivery.max_in_flight * config.delivery.per_env_in_flight_share)),
        batchSize: config.delivery.batch_size,
        storeOnLoop: this.store.dialect === 'sqlite',
        leaseMs: ms(config.delivery.lease),
        pollIntervalMs: ms(config.delivery.poll_interval),
        autoDisableAfter: config.delivery.auto_disable_after,
        policy: {
          schedule: config.delivery.retry_schedule.map(ms),
          jitter: config.delivery.jitter,
          maxRetryAfterMs: ms(config.delivery.max_retry_after),
          retry4xx: true,
        },
        onResult: ({ outcome, env_id, ...data }) => this.stream.emit(`delivery.${outcome}`, data, { env_id, endpoint_id: data.endpoint_id }),
      });
    }
    this.agents = new AgentAdmin(
      store,
      box,
      this.clock,
      this.guard,
      () => this.notificationSettings.webhooks.map((w) => w.name),
      config.agents.default_timeout_seconds,
    );
    this.callbacks = new CallbackAdmin(store, box, this.clock, this.guard);
    // Webhook names and the default runner are read at each load, so webhooks added by
    // useWebhookNotifications count for AGENT.md rules, and a re-read default applies.
    const settings = this.notificationSettings;
    this.defaultRunner = config.agents.default_runner;
    const currentDefaultRunner = () => this.defaultRunner;
    this.agentFiles = new AgentFiles(store, this.agents, () => this.tenants.fallback, this.log, process.env, {
      get webhookNames() {
        return settings.webhooks.map((w) => w.name);
      },
      get defaultRunner() {
        return currentDefaultRunner();
      },
      defaultTimeoutSeconds: config.agents.default_timeout_seconds,
    });
    this.triggers = new WebhookTriggerAdmin(store, box, this.clock);
    this.postActions = new PostActionAdmin({ store, box, guard: this.guard, clock: this.clock });
    this.inspector = new Inspector({ store, box, clock: this.clock, stream: this.stream, settings: config.inspector });
    this.runs = new RunService(store, this.clock, () => this.executor, this.stream, this.announcer);
    if (config.server.role !== 'api')
      this.scheduler = new Scheduler({
        store,
        runs: this.runs,
        clock: this.clock,
        log: this.log,
        pollIntervalMs: ms(config.schedules.poll_interval),
        batchSize: config.schedules.batch_size,
      });
    this.schedules = new ScheduleAdmin({ store, clock: this.clock, runs: this.runs, onChange: () => this.scheduler?.wake() });
    if (works) {
      this.executor = new RunExecutor({
        store,
        agents: this.agents,
        publisher: this.publisher,
        announcer: this.announcer,
        tenantOf: (envId, within) => this.tenants.tenantOf(envId, within),
        log: this.log,
        clock: this.clock,
        stream: this.stream,
        leaseMs: ms(config.runs.lease),
        pollIntervalMs: ms(config.runs.poll_interval),
        runnerFor: options.runnerFor ?? ((kind, settings) => defaultRunner(kind, settings, { guard: this.guard, resolve: options.resolve })),
      });
    }
    if (works) {
      const retention = config.retention;
      this.retention = new Retention({
        store: store.deliveryEngine(),
        clock: this.clock,
        log: this.log,
        attemptsMs: ms(retention.attempts),
        eventsMs: ms(retention.events),
        intervalMs: ms(retention.interval),
        batchSize: retention.batch_size,
        overrides: () => this.tenants.retentionOverrides(),
      });
    }
    collectDefaultMetrics({ register: this.registry, prefix: 'hookline_' });
    new Gauge({
      name: 'hookline_queue_depth',
      help: 'Deliveries waiting to be sent (pending, including those being retried later).',
      registers: [this.registry],
      collect: async function (this: Gauge) {
        this.set(await store.deliveries.countPending());
      },
    });
  }

  /** Opens the store, runs migrations and wires everything; nothing listens yet. */
  static async create(options: HooklineOptions): Promise<Hookline> {
    const config = options.config;
    const { keys } = loadMasterKeys({
      keyFile: join(config.data_dir, 'master.key'),
      previousKeys: config.security.previous_master_keys,
      ...(config.security.master_key ? { envKey: config.security.master_key } : {}),
    });
    const store = await openStore({
      ...storeOptionsFromConfig(config),
      ...(options.schema ? { schema: options.schema } : {}),
      ...(options.applicationName ? { applicationName: options.applicationName } : {}),
    });
    try {
      await store.migrate();
    } catch (err) {
      await store.close();
      throw err;
    }
    const hookline = new Hookline(config, store, new SecretBox(keys), options);
    try {
      const tenant = await hookline.tenants.ensureDefault(config.org_id, config.env_id);
      if (tenant.orgId !== config.org_id || tenant.envId !== config.env_id)
        hookline.log.warn(
          { stored: tenant, configured: { org_id: config.org_id, env_id: config.env_id } },
          'org_id/env_id differ from the default tenant this database was created with; the stored one is used (docs/tenants.md)',
        );
    } catch (err) {
      await store.close();
      throw err;
    }
    return hookline;
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

  /**
   * Brings the agents in `agents.dir` in step with their AGENT.md files (at start, on SIGHUP,
   * on POST /api/v1/agents/reload). One load at a time; broken files are in the report.
   */
  loadAgentFiles(): Promise<AgentFilesReport> {
    const next = this.agentFilesLoading.catch(() => {}).then(() => this.agentFiles.load(this.config.agents.dir));
    this.agentFilesLoading = next;
    return next;
  }

  /**
   * Re-reads everything kept in files (SIGHUP, POST /api/v1/agents/reload): `agents.default_runner`
   * (with `rereadConfig`), the AGENT.md agents, and Slack's templates_dir, where a broken template
   * is logged and skipped. A configuration that no longer loads keeps the previous default runner.
   */
  async reloadFiles(): Promise<AgentFilesReport> {
    const configError = await this.rereadDefaultRunner();
    this.logTemplateProblems(this.slackTemplates.load());
    const report = await this.loadAgentFiles();
    return configError ? { ...report, config_error: configError } : report;
  }

  /** The message of a configuration that could not be read again; undefined when it was (or there is nothing to read). */
  private async rereadDefaultRunner(): Promise<string | undefined> {
    if (!this.options.rereadConfig) return undefined;
    try {
      this.defaultRunner = (await this.options.rereadConfig()).agents.default_runner;
      return undefined;
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      // Config errors never repeat a secret value (see validateConfig).
      this.log.warn(`configuration not re-read, agents.default_runner kept as it was: ${err.message}`);
      return err.message;
    }
  }

  private logTemplateProblems(found: TemplateLoadError[]): void {
    for (const e of found) this.log[e.severity === 'error' ? 'error' : 'warn'](formatLoadError(e));
  }

  /**
   * Fluent notification setup for embedding: Slack via the Web API (bot token) or an incoming-webhook
   * URL as `default_channel`. Returns this Hookline, so calls chain.
   */
  useSlackNotifications(s: Partial<Omit<SlackSettings, 'enabled'>> & { enabled?: boolean }): this {
    const next = { ...this.notificationSettings.slack, enabled: true, ...s };
    const problems = slackSettingsProblems(next, 'useSlackNotifications');
    if (problems.length) throw new UserError('invalid_notifications', problems.join('\n'));
    const templates = new SlackTemplates(next.templates_dir);
    const errors = templates.load().filter((e) => e.severity === 'error');
    if (errors.length) throw new UserError('invalid_template', errors.map(formatLoadError).join('\n'));
    this.notificationSettings.slack = next;
    this.slackTemplates = templates;
    return this;
  }

  /** Fluent setup of one named outbound webhook (name defaults to `default`; same name replaces). */
  useWebhookNotifications(w: Partial<NamedWebhook> & Pick<NamedWebhook, 'url' | 'secret'>): this {
    const hook = checkNamedWebhook({ name: 'default', events: [...NOTIFY_EVENTS], ...w });
    const list = this.notificationSettings.webhooks;
    const i = list.findIndex((x) => x.name === hook.name);
    if (i >= 0) list[i] = hook;
    else list.push(hook);
    return this;
  }

  /** Starts the workers and the scheduler and, for roles `api`/`all`, the HTTP server. Returns its address. */
  async start(): Promise<string | undefined> {
    // At start a broken template stops the start; later reloads only log it.
    const found = this.slackTemplates.load();
    const broken = found.filter((e) => e.severity === 'error');
    if (broken.length) throw new ConfigError(`notifications.slack.templates_dir has templates that cannot be used:\n${broken.map(formatLoadError).join('\n')}`);
    this.logTemplateProblems(found);
    this.agentFilesReport = await this.loadAgentFiles();
    // Send threads start with the dispatcher, so its first delivery does not wait for one to boot.
    if (this.dispatcher && this.sender instanceof ThreadedSender) this.sender.start();
    await this.dispatcher?.start();
    await this.executor?.start();
    this.retention?.start();
    this.scheduler?.start();
    if (this.config.server.role === 'worker' || this.config.server.role === 'scheduler') return undefined;
    // Only processes that serve sockets need the other processes' stream, and only those that
    // check keys cache them.
    await this.stream.listen();
    await this.keys.watch();
    this.api = await buildApi(
      {
        store: this.store,
        endpoints: this.endpoints,
        publisher: this.publisher,
        keys: this.keys,
        tenants: this.tenants,
        quotas: this.quotas,
        sessions: new Sessions(this.store, this.keys, this.box, this.clock, 12 * 3_600_000),
        portalSessions: new PortalSessions(this.store, this.box, this.clock),
        ...(this.options.dashboardDir ? { dashboardDir: this.options.dashboardDir } : {}),
        agents: this.agents,
        callbacks: this.callbacks,
        triggers: this.triggers,
        postActions: this.postActions,
        inspector: this.inspector,
        reloadAgentFiles: () => this.reloadFiles(),
        runs: this.runs,
        announcer: this.announcer,
        notifications: this.notificationLog,
        schedules: this.schedules,
        registry: this.registry,
        clock: this.clock,
        ...(this.config.server.public_url ? { publicUrl: this.config.server.public_url } : {}),
        onEnqueued: () => this.dispatcher?.wake(),
        stream: { hub: this.stream, limits: this.streamLimits() },
        ...this.dashboardViews(),
      },
      { bodyLimit: this.config.server.body_limit_bytes, logger: this.log },
    );
    return this.api.listen({ host: this.config.server.host, port: this.config.server.port });
  }

  /** The read-mostly views the dashboard asks for: overview numbers, settings, the Slack test, the template preview. */
  private dashboardViews() {
    return {
      stats: new OverviewStats(this.store, this.clock),
      settings: () => settingsView({ config: this.config, notifications: this.notificationSettings, store: this.store.dialect, env: process.env }),
      slackTest: new SlackTester(this.notificationSettings, (req) => this.sender.send(req)),
      preview: new PostActionPreviewer(this.store, this.clock),
    };
  }

  private streamLimits() {
    const s = this.config.stream;
    return {
      maxConnections: s.max_connections,
      maxSubscriptions: s.max_subscriptions,
      sendBufferBytes: s.send_buffer_bytes,
      pingIntervalMs: ms(s.ping_interval),
      authTimeoutMs: ms(s.auth_timeout),
    };
  }

  /** Stops taking requests, lets open deliveries finish, closes connections. */
  async stop(): Promise<void> {
    await this.api?.close();
    await this.scheduler?.stop();
    await this.executor?.stop();
    await this.dispatcher?.stop();
    await this.retention?.stop();
    await this.stream.stop();
    await this.keys.unwatch();
    // The dispatcher already waited its grace period; whatever is still open is abandoned and
    // will be retried after its lease (at-least-once), rather than holding shutdown hostage.
    await this.sender.destroy();
    await this.store.close();
  }
}
