#!/usr/bin/env node
// Sends what GitHub sends when a pull request is opened: a pull_request event with action
// "opened", signed with X-Hub-Signature-256. Use it to try the recipe without GitHub:
//   HOOKLINE_URL=http://127.0.0.1:8787 GITHUB_WEBHOOK_SECRET=… node examples/recipes/github-pr-review/send-pull-request.mjs
import { createHmac, randomUUID } from 'node:crypto';

const url = `${process.env.HOOKLINE_URL ?? 'http://127.0.0.1:8787'}/api/v1/webhooks/engineering/reviewer/github`;
const secret = process.env.GITHUB_WEBHOOK_SECRET;
if (!secret) {
  console.error('Set GITHUB_WEBHOOK_SECRET to the trigger secret (the one setup.sh used).');
  process.exit(2);
}

// The fields GitHub's pull_request payload has that a reviewer needs (the real one has many more).
const payload = {
  action: 'opened',
  number: 42,
  pull_request: {
    number: 42,
    title: process.env.PR_TITLE ?? 'Add retry backoff to the payment client',
    html_url: 'https://github.com/acme/shop/pull/42',
    user: { login: 'octocat' },
    body: 'Retries failed payment calls with exponential backoff.',
    head: { ref: 'retry-backoff', sha: '6dcb09b5b57875f334f61aebed695e2e4193db5e' },
    base: { ref: 'main' },
    additions: 120,
    deletions: 8,
    changed_files: 3,
  },
  repository: { full_name: 'acme/shop', html_url: 'https://github.com/acme/shop' },
  sender: { login: 'octocat' },
};

const body = JSON.stringify(payload);
const res = await fetch(url, {
  method: 'POST',
  headers: {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/recipe',
    'x-github-event': 'pull_request',
    'x-github-delivery': randomUUID(), // GitHub's redeliveries reuse it; Hookline then returns the first run
    'x-hub-signature-256': 'sha256=' + createHmac('sha256', secret).update(body).digest('hex'),
  },
  body,
});
console.log(res.status, await res.text());
process.exit(res.status === 202 ? 0 : 1);
