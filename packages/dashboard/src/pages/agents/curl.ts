// A signed request to an agent's trigger URL, as a shell snippet a user can paste: the secret stays in an
// environment variable they set, and the signature is computed by openssl from the exact bytes
// sent, over "{timestamp}.{body}" with X-Timestamp (docs/agents-and-triggers.md), so a captured
// request cannot be replayed after 5 minutes.

/** The environment variable the example reads the agent's webhook secret from. */
export const SECRET_ENV = 'HOOKLINE_WEBHOOK_SECRET';

/** Single-quotes a value for sh (a `'` inside becomes `'\''`). */
function shq(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

export function triggerCurl(url: string, body: string): string {
  return [
    `# Needs ${SECRET_ENV} set to the agent's webhook secret (shown when the agent was created or its secret rotated).`,
    `: "\${${SECRET_ENV}:?set ${SECRET_ENV} to the webhook secret of this agent}"`,
    `body=${shq(body)}`,
    'ts=$(date +%s)',
    `sig=$(printf '%s' "$ts.$body" | openssl dgst -sha256 -hmac "$${SECRET_ENV}" -hex | sed 's/^.* //')`,
    `curl -sS -X POST ${shq(url)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -H "X-Timestamp: $ts" \\`,
    `  -H "X-Signature: $sig" \\`,
    `  --data-binary "$body" \\`,
    `  -w '\\nHTTP %{http_code}\\n'`,
  ].join('\n');
}
