import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface DeliveryMetrics {
  outcomes: Counter<'outcome'>;
  attemptDuration: Histogram;
  latency: Histogram;
  inFlight: Gauge;
  starts: Counter<'via'>;
}

export function createDeliveryMetrics(registry: Registry): DeliveryMetrics {
  return {
    outcomes: new Counter({
      name: 'hookline_delivery_attempts_total',
      help: 'Delivery attempts by outcome (delivered, retry, failed, gone).',
      labelNames: ['outcome'],
      registers: [registry],
    }),
    attemptDuration: new Histogram({
      name: 'hookline_delivery_attempt_duration_seconds',
      help: 'Time from request start to response (or error) per attempt.',
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
      registers: [registry],
    }),
    latency: new Histogram({
      name: 'hookline_delivery_latency_seconds',
      help: 'Time from event publish to successful delivery.',
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1, 10, 60, 600, 3600],
      registers: [registry],
    }),
    starts: new Counter({
      name: 'hookline_delivery_starts_total',
      help: 'Deliveries this worker took to send, by how: claimed from the queue, or handed off by a publish in this process (leased in the publishing write).',
      labelNames: ['via'],
      registers: [registry],
    }),
    inFlight: new Gauge({
      name: 'hookline_delivery_in_flight',
      help: 'Deliveries this worker has claimed and not yet written back (open requests plus results waiting for the group commit).',
      registers: [registry],
    }),
  };
}
