import type { HooklineConfig } from '../config/index.js';
import { join } from 'node:path';
import { openPostgres } from './postgres.js';
import { openSqlite } from './sqlite.js';
import { Store } from './store.js';

export { Store, type Page } from './store.js';
export type { ClaimArgs, DeliveryUpdate, DueListener, KeyWatch, StreamListening } from './dialect.js';
export type { DeliveryEngineStore } from './engine.js';
export type { EnvSelection } from './env-selection.js';
export type { KeyRecords } from './keys.js';
export type { TenantRecords } from './tenants.js';
export type { PortalSessionRecords } from './portal-sessions.js';
export type { EndpointHealthChange, EndpointRecords, EndpointStreak } from './endpoints.js';
export type { EventRecords } from './events.js';
export type { DeliveryFilter, DeliveryRecords, ResultBatch } from './deliveries.js';
export type { PublishBatch, PublishBatchResult } from './publish-batch.js';
export type { AgentRecords, RunFilter } from './agents.js';
export type { TriggerRecords } from './triggers.js';
export type { ScheduleRecords, ScheduleSeen } from './schedules.js';
export type { BindingTriggerType, PostActionRecords } from './post-actions.js';
export type { NotificationFilter, NotificationRecords } from './notifications.js';
export type { InspectorBinRow, InspectorRecords } from './inspector.js';
export type { EventTypeRecords, PublishedType } from './event-types.js';
export type {
  AttemptSample,
  BucketWindow,
  DeliveryBucketRow,
  EndpointHealthRow,
  PostActionHealthRow,
  QueueCounts,
  RunBucketRow,
  StatsRecords,
} from './stats.js';
export type * from './values.js';

export interface OpenStoreOptions {
  /** PostgreSQL URL; absent means the embedded SQLite file. */
  databaseUrl?: string;
  sqlitePath?: string;
  poolSize?: number;
  /** PostgreSQL: connections of the delivery engine's own pool. */
  enginePoolSize?: number;
  /** PostgreSQL: prepare the hot statements by name (off behind a pooler that cannot keep them). */
  prepareStatements?: boolean;
  /** PostgreSQL schema to use (must exist). */
  schema?: string;
  applicationName?: string;
}

export async function openStore(o: OpenStoreOptions): Promise<Store> {
  if (o.databaseUrl) {
    const { db, engineDb, ops } = openPostgres({
      url: o.databaseUrl,
      poolSize: o.poolSize ?? 10,
      enginePoolSize: o.enginePoolSize ?? 4,
      prepareStatements: o.prepareStatements ?? true,
      ...(o.schema ? { schema: o.schema } : {}),
      ...(o.applicationName ? { applicationName: o.applicationName } : {}),
    });
    return new Store(db, ops, undefined, engineDb);
  }
  const { db, ops } = openSqlite(o.sqlitePath ?? ':memory:');
  return new Store(db, ops);
}

export function storeOptionsFromConfig(c: HooklineConfig): OpenStoreOptions {
  return c.database.url
    ? {
        databaseUrl: c.database.url,
        poolSize: c.database.pool_size,
        enginePoolSize: c.database.engine_pool_size,
        prepareStatements: c.database.prepare_statements,
      }
    : { sqlitePath: join(c.data_dir, 'hookline.db') };
}
export { storeUnavailable } from './unavailable.js';
