#!/usr/bin/env bash
# Schedules the report agent nightly and sends every run's result to your backend. Run once,
# after Hookline has started:
#   HOOKLINE_URL=http://127.0.0.1:8787 HOOKLINE_API_KEY=hl_sk_… \
#   CUSTOMER_BACKEND_URL=https://backend.example.com/hookline/agent-results \
#     bash examples/recipes/nightly-report-callback/setup.sh
# It prints the callback's signing secret once: give it to your backend.
set -euo pipefail
: "${HOOKLINE_URL:?set HOOKLINE_URL}" "${HOOKLINE_API_KEY:?set HOOKLINE_API_KEY}" "${CUSTOMER_BACKEND_URL:?set CUSTOMER_BACKEND_URL}"
REPORT_TIMEZONE=${REPORT_TIMEZONE:-Europe/Berlin}
api() { curl -sS --fail-with-body -H "Authorization: Bearer $HOOKLINE_API_KEY" -H 'content-type: application/json' "$@"; }
field() { node -p "JSON.parse(process.argv[1]).$1" "$2"; }

# 1. Every night at 02:00 in the report's time zone. A tick up to 30 minutes late (Hookline
#    was down) still runs; a later one is skipped rather than run at breakfast.
schedule=$(api -X POST "$HOOKLINE_URL/api/v1/schedules" --data-binary @- <<JSON
{
  "agent_id": "nightly-report",
  "name": "nightly sales report",
  "cron": "0 2 * * *",
  "timezone": "$REPORT_TIMEZONE",
  "prompt": "Cover the day that ended at midnight, $REPORT_TIMEZONE time.",
  "misfire_grace_seconds": 1800
}
JSON
)
echo "schedule $(field id "$schedule"), next run at $(field next_run_at "$schedule")"

# 2. The callback: every run's result, signed, retried until your backend answers 2xx.
callback=$(api -X PUT "$HOOKLINE_URL/api/v1/agents/nightly-report/callback" \
  -d "{\"url\": \"$CUSTOMER_BACKEND_URL\", \"headers\": {\"X-Report-Source\": \"hookline\"}}")
echo "HOOKLINE_CALLBACK_SECRET=$(field secret "$callback")"
