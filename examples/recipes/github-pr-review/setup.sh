#!/usr/bin/env bash
# Gives the reviewer agent a GitHub-signed trigger URL. Run once, after Hookline has started:
#   HOOKLINE_URL=http://127.0.0.1:8787 HOOKLINE_API_KEY=hl_sk_… GITHUB_WEBHOOK_SECRET=… \
#     bash examples/recipes/github-pr-review/setup.sh
# GITHUB_WEBHOOK_SECRET is the secret you also enter in GitHub's webhook form (16+ characters;
# e.g. `openssl rand -hex 32`).
set -euo pipefail
: "${HOOKLINE_URL:?set HOOKLINE_URL}" "${HOOKLINE_API_KEY:?set HOOKLINE_API_KEY}" "${GITHUB_WEBHOOK_SECRET:?set GITHUB_WEBHOOK_SECRET}"

# A named trigger with the github scheme checks X-Hub-Signature-256 as GitHub sends it.
curl -sS --fail-with-body -X POST "$HOOKLINE_URL/api/v1/agents/reviewer/webhook-triggers" \
  -H "Authorization: Bearer $HOOKLINE_API_KEY" -H 'content-type: application/json' \
  --data-binary @- <<JSON
{
  "name": "github",
  "scheme": "github",
  "secret": "$GITHUB_WEBHOOK_SECRET",
  "prompt_template": "A pull request was opened. Review it: comment on bugs and risky changes only; say LGTM otherwise."
}
JSON
echo
echo "GitHub webhook Payload URL: $HOOKLINE_URL/api/v1/webhooks/engineering/reviewer/github"
