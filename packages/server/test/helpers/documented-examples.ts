/** The example templates of docs/templates.md and docs/notifications.md, verbatim, shared by the tests that must render them. */

/** A post-action's Slack incoming-webhook body (docs/templates.md, "Examples"). */
export const SLACK_BODY_EXAMPLE = String.raw`{
"text": "{{trigger_type}} '{{trigger_name}}' finished: {{status}}\nTeam: {{team_name}}\nRun: {{run_id}}\nError: {{error}}"
}`;

/** The on_complete.json.j2 Slack template (docs/slack.md, docs/templates.md). */
export const ON_COMPLETE_EXAMPLE = String.raw`[
  {
    "type": "section",
    "text": {
      "type": "mrkdwn",
      "text": "*{{ agent_name }}* finished at {{ timestamp }}\n{{ output | truncate(200) }}"
    }
  }
]`;

/** The PagerDuty payload_template of a named webhook (a YAML block scalar, so it ends with a newline). */
export const PAGERDUTY_EXAMPLE = `{
  "routing_key": "your-routing-key",
  "event_action": "trigger",
  "payload": {
    "summary": "{{ agent_name }} failed: {{ error }}",
    "severity": "error",
    "source": "agent-gateway"
  }
}
`;

/** Per-agent notification rules (docs/agent-files.md), as AGENT.md front matter (ends with a newline). */
export const NOTIFICATION_RULES_EXAMPLE = `notifications:
  on_complete:
    - channel: slack
      target: "#reports"
  on_error:
    - channel: slack
      target: "#alerts"
    - channel: webhook
      target: default
`;
