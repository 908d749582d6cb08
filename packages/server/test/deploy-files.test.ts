// deploy/ (Dockerfile, systemd unit, Kubernetes manifest) is copied by operators into places
// no test reaches, so this test checks what it can here: every command, flag and role it
// uses is one the real CLI accepts, every HOOKLINE_* variable is one the configuration reads,
// the probes and the health check answer on a real Hookline, and the embedded hookline.yaml
// is valid.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { ConfigSchema, ENV_VARS } from '../src/config/index.js';
import { validateConfig } from '../src/load-config.js';
import { cleanEnv, REPO, runToEnd } from './helpers/docs.js';
import { freePort } from './helpers/ports.js';
import { type Harness, startHookline } from './helpers/hookline.js';
import { assertCliBuilt, CLI_BIN } from './helpers/process.js';

const read = (p: string) => readFileSync(join(REPO, p), 'utf8');
const ROLES = (ConfigSchema.properties.server.properties.role.anyOf as { const: string }[]).map((s) => s.const);

const helps = new Map<string, string>();
/** What the CLI's --help says it accepts: commands, and options per command. */
async function cliHelp(args: string[]): Promise<string> {
  const key = args.join(' ');
  if (!helps.has(key)) {
    const r = await runToEnd(process.execPath, [CLI_BIN, ...args, '--help'], { env: cleanEnv({}) });
    expect(r.code, r.stderr).toBe(0);
    helps.set(key, r.stdout);
  }
  return helps.get(key)!;
}

/** Checks `args` (after `hookline.js`) against the real CLI: global options, a command, its options and choices. */
async function expectValidCli(args: string[], where: string): Promise<void> {
  const top = await cliHelp([]);
  let i = 0;
  for (; i < args.length && args[i]!.startsWith('-'); i += 2) expect(top, `${where}: ${args[i]}`).toMatch(new RegExp(`(^|\\s)${args[i]} <`, 'm'));
  const command = args[i]!;
  expect(top, `${where}: command ${command}`).toMatch(new RegExp(`^\\s+${command}\\b`, 'm'));
  const own = await cliHelp([command]);
  for (let j = i + 1; j < args.length; j += 2) {
    expect(own, `${where}: ${command} ${args[j]}`).toMatch(new RegExp(`(^|\\s)${args[j]} <`, 'm'));
    if (args[j] === '--role') {
      expect(ROLES, `${where}: role`).toContain(args[j + 1]);
      expect(own, `${where}: role ${args[j + 1]}`).toContain(`"${args[j + 1]}"`);
    }
  }
}

function expectKnownVariables(names: string[], where: string): void {
  const unknown = names.filter((n) => n.startsWith('HOOKLINE_') && !(n in ENV_VARS));
  expect(unknown, `${where} sets variables Hookline does not read`).toEqual([]);
}

describe('deploy/', () => {
  let h: Harness;
  beforeAll(async () => {
    assertCliBuilt();
    h = await startHookline('sqlite');
  });
  afterAll(() => h?.close());

  it('Dockerfile: runs the real CLI, sets only real variables, and its health check works', async () => {
    const text = read('deploy/Dockerfile').replace(/\\\n/g, ' ');
    const lines = text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
    const last = (op: string) =>
      lines
        .filter((l) => l.startsWith(`${op} `))
        .at(-1)!
        .slice(op.length + 1)
        .trim();

    const env = Object.fromEntries(lines.filter((l) => l.startsWith('ENV ')).flatMap((l) => [...l.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!])));
    expectKnownVariables(Object.keys(env), 'Dockerfile');
    expect(env.HOOKLINE_HOST).toBe('0.0.0.0');
    expect(last('EXPOSE')).toBe(env.HOOKLINE_PORT);

    const entry = JSON.parse(last('ENTRYPOINT')) as string[];
    expect(entry[0]).toBe('node');
    expect(existsSync(join(REPO, entry[1]!.replace(/^\/app\//, '')))).toBe(true);
    await expectValidCli(JSON.parse(last('CMD')), 'Dockerfile CMD');

    const check = JSON.parse(last('HEALTHCHECK').replace(/^.*CMD /, '')) as string[];
    expect(check.slice(0, 2)).toEqual(['node', '-e']);
    const port = new URL(h.url).port;
    expect((await runToEnd(process.execPath, ['-e', check[2]!], { env: cleanEnv({ HOOKLINE_PORT: port }) })).code).toBe(0);
    expect((await runToEnd(process.execPath, ['-e', check[2]!], { env: cleanEnv({ HOOKLINE_PORT: String(await freePort()) }) })).code).toBe(1);
  });

  it('hookline.service: ExecStart is the real CLI; the variables it and its env file set are real', async () => {
    const unit = read('deploy/hookline.service');
    const exec = /^ExecStart=(.*)$/m.exec(unit)![1]!.split(/\s+/);
    expect(exec[0]).toBe('/usr/bin/node');
    expect(exec[1]!.endsWith('/packages/server/bin/hookline.js')).toBe(true);
    await expectValidCli(exec.slice(2), 'hookline.service');
    expect(unit).toMatch(/^ExecReload=\/bin\/kill -HUP \$MAINPID$/m);
    expect(unit).toMatch(/^KillSignal=SIGTERM$/m);
    const names = [...unit.matchAll(/^Environment=(\w+)=/gm)].map((m) => m[1]!);
    const file = read('deploy/hookline.env.example');
    const fileNames = [...file.matchAll(/^(\w+)=/gm)].map((m) => m[1]!);
    expect(fileNames).toEqual(expect.arrayContaining(['HOOKLINE_MASTER_KEY', 'HOOKLINE_ADMIN_KEY', 'HOOKLINE_DATABASE_URL']));
    expectKnownVariables([...names, ...fileNames], 'hookline.service / hookline.env.example');
  });

  it('k8s/hookline.yaml: api and worker Deployments with real roles, Secret references, probes that answer, a valid hookline.yaml', async () => {
    const docs = parseAllDocuments(read('deploy/k8s/hookline.yaml')).map((d) => d.toJS() as any);
    const byKind = (kind: string) => docs.filter((d) => d.kind === kind);
    const deployments = byKind('Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual(['hookline-api', 'hookline-worker']);

    const roles: string[] = [];
    for (const d of deployments) {
      const [c] = d.spec.template.spec.containers;
      await expectValidCli(c.args, d.metadata.name);
      roles.push(c.args[c.args.indexOf('--role') + 1]);
      const env = c.env as { name: string; value?: string; valueFrom?: { secretKeyRef: { name: string; key: string } } }[];
      expectKnownVariables(
        env.map((e) => e.name),
        d.metadata.name,
      );
      const fromSecret = Object.fromEntries(env.filter((e) => e.valueFrom).map((e) => [e.name, e.valueFrom!.secretKeyRef]));
      expect(fromSecret.HOOKLINE_DATABASE_URL).toEqual({ name: 'hookline', key: 'database-url' });
      expect(fromSecret.HOOKLINE_MASTER_KEY).toEqual({ name: 'hookline', key: 'master-key' });
      expect(d.spec.selector.matchLabels).toEqual(d.spec.template.metadata.labels);
      // The embedded hookline.yaml is mounted where --config points.
      const mount = c.volumeMounts.find((m: any) => m.mountPath === c.args[c.args.indexOf('--config') + 1]);
      expect(mount, `${d.metadata.name}: the --config file is mounted`).toBeDefined();
    }
    expect(roles.sort()).toEqual(['api', 'worker']);

    const api = deployments.find((d) => d.metadata.name === 'hookline-api').spec.template.spec.containers[0];
    const apiEnv = Object.fromEntries(api.env.map((e: any) => [e.name, e.value ?? e.valueFrom.secretKeyRef]));
    expect(apiEnv.HOOKLINE_ADMIN_KEY).toEqual({ name: 'hookline', key: 'admin-key' });
    expect(apiEnv.HOOKLINE_HOST).toBe('0.0.0.0');
    expect(String(api.ports[0].containerPort)).toBe(apiEnv.HOOKLINE_PORT);
    expect(api.readinessProbe.httpGet).toEqual({ path: '/readyz', port: api.ports[0].name });
    expect(api.livenessProbe.httpGet).toEqual({ path: '/healthz', port: api.ports[0].name });
    expect(await (await fetch(h.url + api.readinessProbe.httpGet.path)).json()).toEqual({ status: 'ready' });
    expect(await (await fetch(h.url + api.livenessProbe.httpGet.path)).json()).toEqual({ status: 'ok' });

    const [service] = byKind('Service');
    expect(service.spec.selector).toEqual(deployments.find((d) => d.metadata.name === 'hookline-api').spec.template.metadata.labels);
    expect(service.spec.ports[0].targetPort).toBe(api.ports[0].name);

    const [config] = byKind('ConfigMap');
    const yaml = parseAllDocuments(config.data['hookline.yaml'])[0]!.toJS() as Record<string, unknown>;
    expect(() => validateConfig(yaml)).not.toThrow();
  });
});
