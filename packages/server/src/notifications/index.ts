export { callbackPayload, notificationContext, notifyEventFor, runEventFor, type NotificationContext } from './context.js';
export { NOTIFY_EVENTS, NOTIFY_EVENT_FOR_RUN_EVENT, type NotificationRule, type NotificationRules, type NotifyEvent } from './events.js';
export { Notifier, type NotifierOptions } from './planner.js';
export { checkNamedWebhook, type NamedWebhook, slackSettingsProblems, type NotificationSettings, type SlackSettings } from './settings.js';
export { formatLoadError, SlackTemplates, type TemplateLoadError } from './slack-templates.js';
export { CHANNELS, NotificationLog, notificationView, type NotificationQuery } from './log.js';
export { SLACK_TEST_MAX_CHARS, SLACK_TEST_TEXT, SlackTester, type SlackTestInput, type SlackTestResult } from './slack-test.js';
export { notificationProblems } from './config-checks.js';
export { parseNotificationRules, RulesError, rulesFromJson, rulesToJson } from './rules.js';
