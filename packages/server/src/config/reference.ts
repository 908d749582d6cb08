import type { TSchema } from '@sinclair/typebox';
import { ConfigSchema, ENV_VARS } from './schema.js';

interface Row {
  key: string;
  type: string;
  def: string;
  env: string;
  description: string;
}

function typeOf(s: TSchema): string {
  if (s.anyOf) return (s.anyOf as TSchema[]).map((x) => JSON.stringify(x.const)).join(' \\| ');
  if (s.type === 'array') return `list of ${typeOf(s.items as TSchema)}`;
  if (s.pattern?.includes('ms|s|m|h|d')) return 'duration';
  if (s.type === 'object') return 'mapping';
  return String(s.type);
}

function rows(schema: TSchema, prefix: string[], out: Row[]): Row[] {
  const required = new Set((schema.required as string[] | undefined) ?? []);
  for (const [key, child] of Object.entries(schema.properties as Record<string, TSchema>)) {
    const path = [...prefix, key];
    // An optional mapping without a default (agents.default_runner) gets a row of its own, then its keys'.
    const optionalMapping = child.type === 'object' && child.default === undefined;
    if (child.type === 'object' && child.properties && !optionalMapping) {
      rows(child, path, out);
      continue;
    }
    const env = Object.entries(ENV_VARS).find(([, v]) => v.path.join('.') === path.join('.'))?.[0];
    out.push({
      key: path.join('.'),
      type: typeOf(child),
      def: child.default !== undefined ? `\`${JSON.stringify(child.default)}\`` : required.has(key) ? '(required)' : '(unset)',
      env: env ? `\`${env}\`` : '',
      description: String(child.description ?? '').replaceAll('|', '\\|'),
    });
    // A list of mappings (notifications.webhooks): one row per key of an entry, as `list[].key`.
    const items = child.items as TSchema | undefined;
    if (child.type === 'array' && items?.type === 'object') rows(items, [...prefix, `${key}[]`], out);
    if (optionalMapping && child.properties) rows(child, path, out);
  }
  return out;
}

/** docs/configuration.md, generated from ConfigSchema so the two can never disagree. */
export function renderConfigReference(): string {
  const table = rows(ConfigSchema, [], [])
    .map((r) => `| \`${r.key}\` | ${r.type} | ${r.def} | ${r.env} | ${r.description} |`)
    .join('\n');
  return `# Configuration reference

<!-- Generated from packages/server/src/config/schema.ts by \`npm run docs:config\`. Do not edit by hand: a test fails when this file and the schema disagree. -->

Hookline reads, in order of precedence (later wins):

1. built-in defaults (below),
2. \`hookline.yaml\` in the working directory (or the file given with \`--config\`), where \`\${NAME}\` and \`\${NAME:-fallback}\` are replaced by environment variables,
3. the environment variables listed below,
4. command-line flags (\`--port\`, \`--host\`, \`--role\`).

The configuration is validated once at start. An unknown key, a value out of range or a malformed duration stops the start with a message that names the key and says what is accepted.

| key | type | default | environment | description |
|---|---|---|---|---|
${table}

Example \`hookline.yaml\`:

\`\`\`yaml
org_id: org_acme
env_id: env_production
server:
  port: 8787
database:
  url: \${DATABASE_URL}
delivery:
  allow_networks: ["10.20.0.0/16"]
  retry_schedule: ["30s", "2m", "10m", "1h", "4h"]
notifications:
  slack:
    enabled: true
    bot_token: \${SLACK_BOT_TOKEN}
    default_channel: "#alerts"
  webhooks:
    - name: "default"
      url: "https://hooks.example.com/agent-events"
      secret: \${AGENT_EVENTS_SECRET}
      events: [on_complete, on_error]
\`\`\`

Agents choose their own Slack channels and webhooks with a \`notifications:\` block in their AGENT.md (see docs/agent-files.md); without one, \`notifications.slack.default_channel\` and every webhook subscribed to the event are told.

AGENT.md files that give only a name and notification rules run with \`agents.default_runner\`:

\`\`\`yaml
agents:
  default_runner:
    runner: command
    runner_config: {command: ./run-agent.sh, env: {API_TOKEN: \${AGENT_API_TOKEN}}}
\`\`\`

It is checked at start like a front matter's runner, and read again from this file at each reload (\`SIGHUP\`, \`POST /api/v1/agents/reload\`), which updates the agents that use it; see docs/agent-files.md.
`;
}
