// Slack (docs/notifications.md): settings and targets checked, the message rendered when the run ends (templates_dir
// or the built-in Block Kit layout), the bot token added at send time and Slack's answers judged;
// and the test message, which goes through the same code.
export {
  builtinSlackBlocks,
  escapeMrkdwn,
  fallbackText,
  isSlackWebhookUrl,
  judgeSlack,
  maskWebhookUrl,
  slackChannel,
  type SlackContext,
  slackMessage,
  truncateChars,
  withSlackToken,
} from './message.js';
export { SlackChannel } from './prepare.js';
export { slackRequest } from './render.js';
export { slackSettingsProblems, type SlackSettings, slackTargetProblem } from './settings.js';
export { formatLoadError, SlackTemplates, type TemplateLoadError } from './templates.js';
export { SLACK_TEST_MAX_CHARS, SLACK_TEST_TEXT, SlackTester, type SlackTestInput, type SlackTestResult } from './test-message.js';
