// Named webhooks (`notifications.webhooks`): each checked, its payload rendered when the
// run ends, and signed (X-AgentGateway-*) at send time with its current secret.
export { NamedWebhookChannel } from './prepare.js';
export { namedWebhookRequest } from './render.js';
export { checkNamedWebhook, type NamedWebhook, namedWebhookProblems } from './settings.js';
