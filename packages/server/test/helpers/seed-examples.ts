/** The seeds' example templates, verbatim, shared by the tests that must render them. */

/** Seed 000's Slack post-action body. */
export const SLACK_BODY_000 = String.raw`{
"text": "{{trigger_type}} '{{trigger_name}}' finished: {{status}}\nTeam: {{team_name}}\nRun: {{run_id}}\nError: {{error}}"
}`;

/** Seed 003's on_complete.json.j2 example. */
export const ON_COMPLETE_003 = String.raw`[
  {
    "type": "section",
    "text": {
      "type": "mrkdwn",
      "text": "*{{ agent_name }}* finished at {{ timestamp }}\n{{ output | truncate(200) }}"
    }
  }
]`;

/** Seed 003's PagerDuty payload_template (a YAML block scalar, so it ends with a newline). */
export const PAGERDUTY_003 = `{
  "routing_key": "your-routing-key",
  "event_action": "trigger",
  "payload": {
    "summary": "{{ agent_name }} failed: {{ error }}",
    "severity": "error",
    "source": "agent-gateway"
  }
}
`;

/** Seed 003's per-agent notification rules, as AGENT.md front matter (ends with a newline). */
export const NOTIFICATIONS_003 = `notifications:
  on_complete:
    - channel: slack
      target: "#reports"
  on_error:
    - channel: slack
      target: "#alerts"
    - channel: webhook
      target: default
`;
