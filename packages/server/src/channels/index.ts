// The surface of channels/: every way a delivery leaves Hookline, one folder per channel
// (endpoint/, post-action/, callback/, slack/, named-webhook/), each owning its settings check,
// its render at enqueue and its send-time prepare (auth, retry policy, judge).
export { type Compile, type Opener } from './channel.js';
export { callbackPayload, callbackRequest } from './callback/index.js';
export { notificationProblems } from './config-checks.js';
export { checkNamedWebhook, type NamedWebhook, namedWebhookRequest } from './named-webhook/index.js';
export type { NotificationSettings } from './notification-settings.js';
export { NOTIFY_EVENT_FOR_RUN_EVENT, type NotifyEvent } from './notify-events.js';
export { type AuthSecret, postActionRequest } from './post-action/index.js';
export { channelPreparer } from './prepare.js';
export {
  formatLoadError,
  isSlackWebhookUrl,
  maskWebhookUrl,
  slackRequest,
  type SlackSettings,
  slackSettingsProblems,
  slackTargetProblem,
  SlackTemplates,
  SLACK_TEST_MAX_CHARS,
  SLACK_TEST_TEXT,
  SlackTester,
  type SlackTestResult,
  type TemplateLoadError,
} from './slack/index.js';
