export {
  bucketSeconds,
  type EndpointHealth,
  failingFirst,
  HEALTH_LIMIT,
  HOURS,
  LATENCY_SAMPLE_LIMIT,
  type Overview,
  OverviewStats,
  type PostActionHealth,
} from './overview.js';
export { type Percentiles, percentiles } from './percentiles.js';
