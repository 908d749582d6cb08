export { ScheduleAdmin, type ScheduleAdminOptions, type ScheduleInput, type ScheduleUpdate, type ScheduleView } from './admin.js';
export { type CronSpec, latestFireAtOrBefore, nextFire, nextFires, validateSpec } from './cron.js';
export { decideTick, isRunActive, type TickDecision } from './policy.js';
export { Scheduler, type SchedulerOptions, type TickReport } from './scheduler.js';
