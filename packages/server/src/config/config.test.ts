import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, renderConfigReference } from './index.js';

function yaml(text: string): string {
  const f = join(mkdtempSync(join(tmpdir(), 'hl-cfg-')), 'hookline.yaml');
  writeFileSync(f, text);
  return f;
}

describe('configuration', () => {
  it('has working defaults with no file and no environment', () => {
    const c = loadConfig({ env: {} });
    expect(c.server).toEqual({ host: '127.0.0.1', port: 8787, body_limit_bytes: 1_048_576, role: 'all' });
    expect(c.delivery.retry_schedule).toEqual(['30s', '2m', '10m', '1h', '4h']);
    expect(c.delivery.auto_disable_after).toBe(50);
    expect(c.database.url).toBeUndefined();
    expect(c.data_dir).toBe('.hookline');
  });

  it('reads hookline.yaml with ${ENV} and ${ENV:-fallback} substitution', () => {
    const f = yaml('org_id: ${ORG}\nenv_id: ${ENV_NAME:-env_dev}\nserver:\n  port: 9000\ndelivery:\n  retry_schedule: ["1s", "5s"]\n');
    const c = loadConfig({ file: f, env: { ORG: 'org_acme' } });
    expect(c.org_id).toBe('org_acme');
    expect(c.env_id).toBe('env_dev');
    expect(c.server.port).toBe(9000);
    expect(c.delivery.retry_schedule).toEqual(['1s', '5s']);
  });

  it('lets environment variables override the file, and flags override both', () => {
    const f = yaml('server:\n  port: 9000\n');
    const c = loadConfig({ file: f, env: { HOOKLINE_PORT: '9100', HOOKLINE_DATABASE_URL: 'postgres://db/x', HOOKLINE_ALLOW_NETWORKS: '10.0.0.0/8, hooks.internal' } });
    expect(c.server.port).toBe(9100);
    expect(c.database.url).toBe('postgres://db/x');
    expect(c.delivery.allow_networks).toEqual(['10.0.0.0/8', 'hooks.internal']);
    expect(loadConfig({ file: f, env: { HOOKLINE_PORT: '9100' }, overrides: { server: { port: 1 } } }).server.port).toBe(1);
  });

  it('names an unset variable and the line it is on', () => {
    const f = yaml('org_id: a\nenv_id: ${MISSING_VAR}\n');
    expect(() => loadConfig({ file: f, env: {} })).toThrow(/hookline.yaml:2: environment variable MISSING_VAR is not set/);
  });

  it('names unknown keys and bad values, and says what is accepted', () => {
    const err = (text: string, env: NodeJS.ProcessEnv = {}) => {
      try {
        loadConfig({ file: yaml(text), env });
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as Error).message;
      }
      throw new Error('expected a ConfigError');
    };
    expect(err('delivery:\n  retries: 3\n')).toMatch(/unknown option "delivery.retries"/);
    expect(err('server:\n  port: 70000\n')).toMatch(/option "server.port".*70000/);
    expect(err('delivery:\n  lease: "soon"\n')).toMatch(/option "delivery.lease".*duration/);
    expect(err('server:\n  role: boss\n')).toMatch(/option "server.role"/);
    expect(err('database:\n  url: mysql://x\n')).toMatch(/option "database.url"/);
    expect(err('- a\n- b\n')).toMatch(/must hold a mapping/);
    expect(err('a: [\n')).toMatch(/not valid YAML/);
    expect(err('{}', { HOOKLINE_ADMIN_KEY: 'letmein' })).toMatch(/option "security.admin_key"/);
  });

  it('docs/configuration.md is the reference generated from the schema (run `npm run docs:config`)', () => {
    const doc = readFileSync(new URL('../../../../docs/configuration.md', import.meta.url), 'utf8');
    expect(doc).toBe(renderConfigReference());
    expect(doc).toContain('`delivery.retry_schedule`');
    expect(doc).toContain('`HOOKLINE_DATABASE_URL`');
  });
});
