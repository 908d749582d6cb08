// The surface of delivery/: what the rest of the server may import from it.
export { type Judged, type KnownRows, type PreparedDelivery, type PrepareDeliveries } from './destination.js';
export { Dispatcher } from './dispatcher.js';
export { applyLease, type DeliveryHandoff } from './handoff.js';
export { HttpSender, type SendRequest, type SendResult } from './http-sender.js';
export { createDeliveryMetrics } from './metrics.js';
export { newDelivery } from './new-delivery.js';
export { Retention } from './retention.js';
export { type RetryPolicy } from './retry-policy.js';
export { ThreadedSender } from './send-threads.js';
