import type { Route } from '../../routes.js';
import { ScheduleDetail } from './ScheduleDetail.js';
import { Triggers } from './Triggers.js';
import { WebhookTriggerDetail } from './WebhookTriggerDetail.js';

export const routes: Route[] = [
  { pattern: '/triggers', page: Triggers },
  { pattern: '/triggers/schedules/:id', page: ScheduleDetail },
  { pattern: '/triggers/webhooks/:id', page: WebhookTriggerDetail },
];
