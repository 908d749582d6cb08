export { endpointRequest, USER_AGENT, type EndpointTarget, type Opener } from './endpoint.js';
export { EndpointAdmin, type EndpointAdminOptions, type EndpointInput, type EndpointView, type SavedEndpoint } from './endpoint-admin.js';
export { channelPreparer } from './prepare.js';
export type { NamedWebhook, NotificationSettings, SlackSettings } from './notification-settings.js';
export type { AuthSecret } from './post-action-auth.js';
export { builtinSlackBlocks, escapeMrkdwn, fallbackText, isSlackWebhookUrl, judgeSlack, maskWebhookUrl, slackChannel, type SlackContext, slackMessage, truncateChars, withSlackToken } from './slack.js';

