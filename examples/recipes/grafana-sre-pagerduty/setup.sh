#!/usr/bin/env bash
# Gives the SRE agent a Grafana-signed trigger URL and a PagerDuty post-action that fires when
# a run started by that trigger succeeds. Run once, after Hookline has started:
#   HOOKLINE_URL=http://127.0.0.1:8787 HOOKLINE_API_KEY=hl_sk_… GRAFANA_WEBHOOK_SECRET=… \
#   PAGERDUTY_ROUTING_KEY=… bash examples/recipes/grafana-sre-pagerduty/setup.sh
set -euo pipefail
: "${HOOKLINE_URL:?set HOOKLINE_URL}" "${HOOKLINE_API_KEY:?set HOOKLINE_API_KEY}"
: "${GRAFANA_WEBHOOK_SECRET:?set GRAFANA_WEBHOOK_SECRET (16+ characters; the contact point HMAC secret)}"
: "${PAGERDUTY_ROUTING_KEY:?set PAGERDUTY_ROUTING_KEY (the Events API v2 integration key)}"
PAGERDUTY_EVENTS_URL=${PAGERDUTY_EVENTS_URL:-https://events.pagerduty.com/v2/enqueue}
api() { curl -sS --fail-with-body -H "Authorization: Bearer $HOOKLINE_API_KEY" -H 'content-type: application/json' "$@"; }
field() { node -p "JSON.parse(process.argv[1]).$1" "$2"; }

# 1. A named trigger with the grafana scheme checks X-Grafana-Alerting-Signature.
trigger=$(api -X POST "$HOOKLINE_URL/api/v1/agents/sre/webhook-triggers" --data-binary @- <<JSON
{"name": "alerts", "scheme": "grafana", "secret": "$GRAFANA_WEBHOOK_SECRET"}
JSON
)
TRIGGER_ID=$(field id "$trigger")

# 2. The post-action: a PagerDuty Events API v2 "trigger" carrying the agent's diagnosis.
#    Templates are JSON-escaped, so any output still gives valid JSON. dedup_key makes
#    PagerDuty's own retries and Hookline's collapse into one incident per run.
post_action=$(api -X POST "$HOOKLINE_URL/api/v1/post-actions" --data-binary @- <<JSON
{
  "name": "PagerDuty: SRE diagnosis",
  "method": "POST",
  "url": "$PAGERDUTY_EVENTS_URL",
  "body_template": "{\"routing_key\": \"$PAGERDUTY_ROUTING_KEY\", \"event_action\": \"trigger\", \"dedup_key\": \"hookline-{{run_id}}\", \"payload\": {\"summary\": \"{{ response | truncate(200) }}\", \"severity\": \"critical\", \"source\": \"hookline/{{ agent_name }}\", \"custom_details\": {\"diagnosis\": \"{{ response }}\", \"run\": \"{{ run_id }}\"}}}",
  "retry_count": 3,
  "timeout_seconds": 10
}
JSON
)
POST_ACTION_ID=$(field id "$post_action")

# 3. Bind it: fire when a run started by the Grafana trigger succeeds.
api -X POST "$HOOKLINE_URL/api/v1/post-actions/$POST_ACTION_ID/bindings" \
  -d "{\"trigger_type\": \"webhook\", \"trigger_id\": \"$TRIGGER_ID\", \"fire_when\": \"success\"}" >/dev/null

echo "Grafana contact point URL: $HOOKLINE_URL/api/v1/webhooks/ops/sre/alerts"
echo "post-action $POST_ACTION_ID bound to trigger $TRIGGER_ID (fire_when: success)"
