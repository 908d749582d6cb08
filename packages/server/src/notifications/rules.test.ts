import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { isSlackWebhookUrl as isIncomingWebhookUrl, slackTargetProblem } from '../channels/index.js';
import { NOTIFICATION_RULES_EXAMPLE } from '../../test/helpers/documented-examples.js';
import { parseNotificationRules, type ParseRulesOptions, RulesError, rulesFromJson, rulesToJson } from './rules.js';

// The documented per-agent notification rules block, verbatim.
const RULES_EXAMPLE = (parseYaml(NOTIFICATION_RULES_EXAMPLE) as { notifications: unknown }).notifications;

const names = { webhookNames: ['default', 'pagerduty'] };
const refused = (value: unknown, opts: ParseRulesOptions = names): RulesError => {
  try {
    parseNotificationRules(value, opts);
  } catch (err) {
    expect(err).toBeInstanceOf(RulesError);
    return err as RulesError;
  }
  throw new Error('expected the rules to be refused');
};

describe('per-agent notification rules', () => {
  it('accepts the documented example verbatim', () => {
    expect(parseNotificationRules(RULES_EXAMPLE, names)).toEqual({
      on_complete: [{ channel: 'slack', target: '#reports' }],
      on_error: [
        { channel: 'slack', target: '#alerts' },
        { channel: 'webhook', target: 'default' },
      ],
    });
  });

  it('accepts channel names without #, channel ids, incoming-webhook URLs, and empty lists', () => {
    const rules = parseNotificationRules(
      {
        on_complete: [
          { channel: 'slack', target: 'reports' },
          { channel: 'slack', target: 'C0123ABCD' },
          { channel: 'slack', target: 'https://hooks.slack.com/services/T0/B0/xyz' },
        ],
        on_error: [],
        on_timeout: null,
      },
      names,
    );
    expect(rules.on_complete!.map((r) => r.target)).toEqual(['reports', 'C0123ABCD', 'https://hooks.slack.com/services/T0/B0/xyz']);
    expect(rules.on_error).toEqual([]);
    expect(rules.on_timeout).toEqual([]);
    expect(parseNotificationRules({}, names)).toEqual({});
  });

  it('refuses a value that is not a mapping of events', () => {
    for (const value of [null, [], 'slack', 3]) {
      const e = refused(value);
      expect(e.path).toBe('notifications');
      expect(e.message).toMatch(/^notifications: must be a mapping of events/);
    }
  });

  it('names a misspelt event and suggests the right one', () => {
    const e = refused({ on_completed: [] });
    expect(e.path).toBe('notifications.on_completed');
    expect(e.segments).toEqual(['notifications', 'on_completed']);
    expect(e.detail).toBe('unknown event "on_completed"; did you mean "on_complete"? (the events are on_complete, on_error, on_timeout)');
    expect(refused({ on_failure: [] }).detail).toBe('unknown event "on_failure" (the events are on_complete, on_error, on_timeout)');
    expect(refused({ on_timout: [] }).detail).toMatch(/did you mean "on_timeout"/);
  });

  it('refuses an event whose value is not a list, and entries that are not mappings', () => {
    expect(refused({ on_error: { channel: 'slack', target: '#a' } }).message).toMatch(/^notifications\.on_error: must be a list of rules/);
    const e = refused({ on_error: ['slack'] });
    expect(e.path).toBe('notifications.on_error[0]');
    expect(e.detail).toMatch(/must be a mapping with "channel" \(slack or webhook\) and "target"/);
  });

  it('points at a bad channel with the allowed ones and a suggestion', () => {
    const e = refused({
      on_error: [
        { channel: 'slack', target: '#alerts' },
        { channel: 'webhok', target: 'default' },
      ],
    });
    expect(e.path).toBe('notifications.on_error[1].channel');
    expect(e.segments).toEqual(['notifications', 'on_error', 1, 'channel']);
    expect(e.detail).toBe('channel must be "slack" or "webhook", not "webhok"; did you mean "webhook"?');
    expect(refused({ on_error: [{ channel: 'email', target: 'x' }] }).detail).toBe('channel must be "slack" or "webhook", not "email"');
    expect(refused({ on_error: [{ channel: 7, target: 'x' }] }).detail).toBe('channel must be "slack" or "webhook", not 7');
    expect(refused({ on_error: [{ target: '#alerts' }] }).detail).toMatch(/missing "channel": add "channel: slack" or "channel: webhook"/);
  });

  it('refuses extra keys in a rule, suggesting the intended one', () => {
    const e = refused({ on_complete: [{ channel: 'slack', targt: '#reports' }] });
    expect(e.path).toBe('notifications.on_complete[0].targt');
    expect(e.detail).toBe('unknown key "targt"; did you mean "target"? (a rule has only "channel" and "target")');
    expect(refused({ on_complete: [{ channel: 'slack', target: '#r', mention: '@here' }] }).detail).toBe(
      'unknown key "mention" (a rule has only "channel" and "target")',
    );
  });

  it('requires a usable Slack target', () => {
    expect(refused({ on_complete: [{ channel: 'slack' }] }).detail).toMatch(/missing "target": add the Slack channel, e.g. target: "#alerts"/);
    expect(refused({ on_complete: [{ channel: 'slack', target: '' }] }).path).toBe('notifications.on_complete[0].target');
    expect(refused({ on_complete: [{ channel: 'slack', target: 42 }] }).detail).toBe('target must be a non-empty text');
    expect(refused({ on_complete: [{ channel: 'slack', target: 'my reports' }] }).detail).toMatch(
      /^Slack target "my reports" is not one channel name \(it has a space or comma\); give a channel name such as "#alerts"/,
    );
    const url = refused({ on_complete: [{ channel: 'slack', target: 'https://user:pw@hooks.slack.com/services/T/B/secretpart' }] });
    expect(url.detail).toMatch(/user name or password/);
    expect(url.message).not.toContain('secretpart');
  });

  it('requires webhook targets to name a configured webhook, listing them or saying where to add one', () => {
    const typo = refused({ on_error: [{ channel: 'webhook', target: 'defualt' }] });
    expect(typo.path).toBe('notifications.on_error[0].target');
    expect(typo.detail).toBe('no webhook named "defualt" is configured; did you mean "default"? (configured webhooks: "default", "pagerduty")');
    expect(refused({ on_error: [{ channel: 'webhook', target: 'ops' }] }).detail).toBe(
      'no webhook named "ops" is configured (configured webhooks: "default", "pagerduty")',
    );
    expect(refused({ on_error: [{ channel: 'webhook', target: 'default' }] }, { webhookNames: [] }).detail).toBe(
      'no webhook named "default": no webhooks are configured; add one under notifications.webhooks in hookline.yaml (name, url, secret)',
    );
    expect(refused({ on_error: [{ channel: 'webhook' }] }).detail).toMatch(/missing "target": add the name of a webhook from notifications.webhooks/);
  });

  it('refuses the same target twice for one event', () => {
    const e = refused({
      on_error: [
        { channel: 'slack', target: '#a' },
        { channel: 'slack', target: '#a' },
      ],
    });
    expect(e.path).toBe('notifications.on_error[1]');
    expect(e.detail).toMatch(/listed twice/);
  });

  it('uses the given root in paths', () => {
    expect(refused({ on_eror: [] }, { webhookNames: [], root: 'body.notifications' }).path).toBe('body.notifications.on_eror');
  });

  it('stores rules as JSON with a stable key order and reads them back', () => {
    const rules = parseNotificationRules(
      { on_error: [{ target: 'default', channel: 'webhook' }], on_complete: [{ target: '#reports', channel: 'slack' }] },
      names,
    );
    const json = rulesToJson(rules);
    expect(json).toBe('{"on_complete":[{"channel":"slack","target":"#reports"}],"on_error":[{"channel":"webhook","target":"default"}]}');
    expect(rulesFromJson(json)).toEqual(rules);
    expect(rulesToJson({})).toBe('{}');
    expect(rulesFromJson('{}')).toEqual({});
    expect(rulesFromJson(null)).toBeNull();
    // A webhook removed from the config since is the sender's to report, not a read error.
    expect(rulesFromJson('{"on_error":[{"channel":"webhook","target":"gone"}]}')).toEqual({ on_error: [{ channel: 'webhook', target: 'gone' }] });
    expect(() => rulesFromJson('{"on_eror":[]}')).toThrow(RulesError);
  });

  it('tells incoming-webhook URLs from channels', () => {
    expect(isIncomingWebhookUrl('https://hooks.slack.com/services/T/B/x')).toBe(true);
    expect(isIncomingWebhookUrl('#alerts')).toBe(false);
    expect(slackTargetProblem('#alerts')).toBeUndefined();
    expect(slackTargetProblem('https://')).toMatch(/not a valid absolute URL/);
    expect(slackTargetProblem('#' + 'a'.repeat(81))).toMatch(/longer than Slack's 80-character channel names/);
  });
});
