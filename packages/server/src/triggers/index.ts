export { SUNSET, TIMESTAMP_TOLERANCE_SEC, TRIGGER_SCHEMES, type InboundAuth, type TriggerScheme, verifyInbound, verifyTrigger } from './inbound.js';
export { formatTriggerMessage, subjectFor, type TriggerSubject } from './message.js';
export { type WebhookTriggerInput, WebhookTriggerAdmin, type WebhookTriggerView } from './admin.js';
