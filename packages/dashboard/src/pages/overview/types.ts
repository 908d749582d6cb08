import type { EndpointHealth, OverviewStats, PostActionHealth } from '@hookline/sdk';

/** GET /api/v1/stats/overview (docs/api.md), from the SDK's generated types. */
export type { EndpointHealth, OverviewStats, PostActionHealth };

export const WINDOWS = [
  { hours: 1, label: '1 hour' },
  { hours: 24, label: '24 hours' },
  { hours: 168, label: '7 days' },
] as const;
