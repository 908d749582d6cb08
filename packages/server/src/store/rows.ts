/**
 * Rows to records and back, at the store's edge (see schema.ts and values.ts). Cheap on purpose:
 * a flag is a comparison, and only endpoints and captured requests carry JSON columns (an
 * event's payload stays the text it was published as).
 */
import type { EndpointTable, InspectorRequestTable } from './schema.js';
import type { EndpointRecord, InspectorRequestRecord } from './values.js';

/** A record with its `enabled` flag as stored (0/1). */
type Stored<T extends { enabled: boolean }> = Omit<T, 'enabled'> & { enabled: number };

export function flagOf<T extends { enabled: number }>(row: T): Omit<T, 'enabled'> & { enabled: boolean } {
  return { ...row, enabled: row.enabled === 1 };
}

export function flagRow<T extends { enabled: boolean }>(value: T): Stored<T> {
  return { ...value, enabled: value.enabled ? 1 : 0 };
}

/** A patch with its flag, if it sets one, as stored. */
export function flagPatch<T extends { enabled?: boolean }>(patch: T): Omit<T, 'enabled'> & { enabled?: number } {
  const { enabled, ...rest } = patch;
  return enabled === undefined ? rest : { ...rest, enabled: enabled ? 1 : 0 };
}

export function endpointOf(row: EndpointTable): EndpointRecord {
  return {
    ...row,
    enabled: row.enabled === 1,
    events: JSON.parse(row.events) as string[],
    retry_schedule: row.retry_schedule === null ? null : (JSON.parse(row.retry_schedule) as number[]),
  };
}

export function endpointPatch(patch: Partial<EndpointRecord>): Partial<EndpointTable> {
  const { events, retry_schedule, ...rest } = flagPatch(patch);
  const row: Partial<EndpointTable> = rest;
  if (events !== undefined) row.events = JSON.stringify(events);
  if (retry_schedule !== undefined) row.retry_schedule = retry_schedule === null ? null : JSON.stringify(retry_schedule);
  return row;
}

export function endpointRow(value: EndpointRecord): EndpointTable {
  return { ...value, ...(endpointPatch(value) as Pick<EndpointTable, 'enabled' | 'events' | 'retry_schedule'>) };
}

export function inspectorRequestOf(row: InspectorRequestTable): InspectorRequestRecord {
  return {
    ...row,
    headers: JSON.parse(row.headers) as Record<string, string>,
    body_truncated: row.body_truncated === 1,
    signature: row.signature === null ? null : (JSON.parse(row.signature) as object),
  };
}

export function inspectorRequestRow<T extends Omit<InspectorRequestRecord, 'seq'>>(
  value: T,
): Omit<T, 'headers' | 'body_truncated' | 'signature'> & Pick<InspectorRequestTable, 'headers' | 'body_truncated' | 'signature'> {
  return {
    ...value,
    headers: JSON.stringify(value.headers),
    body_truncated: value.body_truncated ? 1 : 0,
    signature: value.signature === null ? null : JSON.stringify(value.signature),
  };
}
