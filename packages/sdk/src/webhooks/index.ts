export { detectWebhookScheme, NEXT_SIGNATURE_HEADER, verifyWebhook, verifyWebhookSignature, WEBHOOK_SCHEMES, WebhookVerificationError } from './verify.js';
export type { VerifyWebhookOptions, WebhookHeaders, WebhookScheme, WebhookVerificationReason } from './verify.js';
export { isEndpointDisabledEvent, isRunEvent, isWebhookTestEvent } from './events.js';
export type {
  BuiltInEvent,
  CallbackPayload,
  EndpointDisabledEvent,
  EventEnvelope,
  HooklineEvent,
  NamedWebhookPayload,
  RunEvent,
  RunEventData,
  RunEventType,
  WebhookTestEvent,
} from './events.js';
