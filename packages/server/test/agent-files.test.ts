import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_KEY, type Harness, STORES, startHookline, TEST_MASTER_KEY } from './helpers/hookline.js';
import { assertCliBuilt, HooklineProcess } from './helpers/process.js';

const node = process.execPath;
const agentFile = (fm: string, prompt: string) => `---\n${fm}\n---\n\n${prompt}\n`;
function write(dir: string, folder: string, text: string): string {
  mkdirSync(join(dir, folder), { recursive: true });
  const path = join(dir, folder, 'AGENT.md');
  writeFileSync(path, text);
  return path;
}
const reviewer = (prompt = 'Review the pull request.') =>
  agentFile(
    `name: Code reviewer\ncrew: acme\ncrew_name: Acme Engineering\nrunner: command\nrunner_config:\n  command: ${JSON.stringify(node)}\n  args: ["-e", "process.stdin.pipe(process.stdout)"]\ntimeout: 2m\nmax_concurrent_runs: 2`,
    prompt,
  );

describe.each(STORES)('agents defined by AGENT.md files (%s)', (kind) => {
  let h: Harness;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'hookline-agents-'));
    write(dir, 'reviewer', reviewer());
    write(dir, 'broken', agentFile('name: Broken\nrunner_config:\n  command: [unclosed', 'x'));
    h = await startHookline(kind, { overrides: { agents: { dir } } });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the files at start: fields from the front matter, the body as prompt, the crew created', async () => {
    const a = await h.call('GET', '/api/v1/agents/reviewer');
    expect(a.status).toBe(200);
    expect(a.body).toMatchObject({
      id: 'reviewer',
      crew_id: 'acme',
      name: 'Code reviewer',
      prompt_template: 'Review the pull request.',
      timeout_seconds: 120,
      max_concurrent_runs: 2,
      source: 'file',
      source_path: join(dir, 'reviewer', 'AGENT.md'),
    });
    expect((await h.call('GET', '/api/v1/crews/acme')).body.name).toBe('Acme Engineering');
    // The broken file is reported with its path and line and did not stop the other.
    expect(h.hl.agentFilesReport!.errors).toEqual([{ path: join(dir, 'broken', 'AGENT.md'), line: expect.any(Number), message: expect.any(String) }]);
    expect(h.hl.agentFilesReport!.errors[0]!.line).toBeGreaterThanOrEqual(3);
    expect((await h.call('GET', '/api/v1/agents/broken')).status).toBe(404);
  });

  it('a file agent runs like any other agent', async () => {
    const r = await h.call('POST', '/api/v1/agents/reviewer/runs?wait=true&wait_seconds=20', { prompt: 'diff --git' });
    expect(r.status).toBe(200);
    expect(r.body.status).toBe('completed');
    expect(r.body.output).toContain('Review the pull request.');
  });

  it('refuses API edits of a file agent (409, naming the file), so a reload cannot silently undo them', async () => {
    const patch = await h.call('PATCH', '/api/v1/agents/reviewer', { name: 'Renamed' });
    expect(patch.status).toBe(409);
    expect(patch.body.error).toMatchObject({ code: 'managed_by_file', message: expect.stringContaining('reviewer/AGENT.md') });
    expect((await h.call('DELETE', '/api/v1/agents/reviewer')).status).toBe(409);
  });

  it('reload applies edits, adds new files, fixes repaired ones, removes deleted ones and leaves unchanged ones alone', async () => {
    const before = (await h.call('GET', '/api/v1/agents/reviewer')).body;
    write(dir, 'reviewer', reviewer('Review carefully.'));
    write(dir, 'broken', agentFile('name: Fixed now\ncrew: acme\nrunner_config:\n  command: "true"', 'x'));
    const helper = write(dir, 'helper', agentFile('crew: acme\nrunner_config: {command: "true"}', 'Help.'));
    let r = await h.call('POST', '/api/v1/agents/reload');
    expect(r.status).toBe(200);
    expect(r.body.errors).toEqual([]);
    expect(Object.fromEntries(r.body.loaded.map((l: any) => [l.id, l.action]))).toEqual({ reviewer: 'updated', broken: 'created', helper: 'created' });
    const after = (await h.call('GET', '/api/v1/agents/reviewer')).body;
    expect(after.prompt_template).toBe('Review carefully.');
    expect(after.created_at).toBe(before.created_at);

    unlinkSync(helper);
    r = await h.call('POST', '/api/v1/agents/reload');
    expect(r.body.removed).toEqual(['helper']);
    expect(Object.fromEntries(r.body.loaded.map((l: any) => [l.id, l.action]))).toEqual({ reviewer: 'unchanged', broken: 'unchanged' });
    expect((await h.call('GET', '/api/v1/agents/helper')).status).toBe(404);
  });

  it('a file that breaks later keeps its agent as it was, and the error names the line', async () => {
    write(dir, 'reviewer', reviewer().replace('max_concurrent_runs: 2', 'max_concurent_runs: 2'));
    const r = await h.call('POST', '/api/v1/agents/reload');
    expect(r.body.errors).toEqual([
      { path: join(dir, 'reviewer', 'AGENT.md'), line: 10, message: expect.stringContaining('did you mean "max_concurrent_runs"') },
    ]);
    expect((await h.call('GET', '/api/v1/agents/reviewer')).status).toBe(200);
    write(dir, 'reviewer', reviewer('Review carefully.'));
  });

  it('refuses a file whose id clashes with an API agent, and runner errors point at runner_config', async () => {
    await h.call('POST', '/api/v1/agents', { id: 'api-made', crew_id: 'acme', name: 'API agent', runner: 'command', runner_config: { command: 'true' } });
    write(dir, 'clash', agentFile('id: api-made\ncrew: acme\nrunner_config: {command: "true"}', 'x'));
    write(dir, 'badrunner', agentFile('crew: acme\nrunner: http\nrunner_config:\n  nope: 1', 'x'));
    const r = await h.call('POST', '/api/v1/agents/reload');
    const errors = Object.fromEntries(r.body.errors.map((e: any) => [e.path.split('/').at(-2), e]));
    expect(errors.clash).toMatchObject({ line: 2, message: expect.stringMatching(/made through the API/) });
    expect(errors.badrunner).toMatchObject({ line: 4 });
    expect((await h.call('GET', '/api/v1/agents/api-made')).body.source).toBe('api');
    rmSync(join(dir, 'clash'), { recursive: true });
    rmSync(join(dir, 'badrunner'), { recursive: true });
  });

  it('sets the webhook secret from the file when it gives one (from the environment)', async () => {
    write(dir, 'hooked', agentFile('crew: acme\nwebhook_secret: ${HOOKED_SECRET:-file-secret-0123456789}\nrunner_config: {command: "true"}', 'x'));
    await h.call('POST', '/api/v1/agents/reload');
    const body = JSON.stringify({ event: 'x' });
    const { createHmac } = await import('node:crypto');
    const sig = createHmac('sha256', 'file-secret-0123456789').update(body).digest('hex');
    const r = await fetch(`${h.url}/api/v1/webhooks/acme/hooked/trigger`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-signature': sig },
      body,
    });
    expect(r.status).toBe(202);
  });
});

describe('SIGHUP reloads agent files (CLI)', () => {
  assertCliBuilt();
  let proc: HooklineProcess | undefined;
  const cwd = mkdtempSync(join(tmpdir(), 'hookline-sighup-'));
  afterAll(async () => {
    await proc?.stop();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('prints broken files at start, and picks up a new file on SIGHUP', async () => {
    const dir = join(cwd, 'agents');
    write(dir, 'bad', agentFile('runner: shell\nrunner_config: {command: x}', 'x'));
    const started = await HooklineProcess.start({
      name: 'serve',
      args: ['serve', '--port', '0'],
      cwd,
      env: { HOOKLINE_ADMIN_KEY: ADMIN_KEY, HOOKLINE_MASTER_KEY: TEST_MASTER_KEY, HOOKLINE_LOG_LEVEL: 'warn' },
      ready: /listening on (http:\/\/[\d.:]+)/,
    });
    proc = started.proc;
    expect(proc.tail()).toContain(`${join(dir, 'bad', 'AGENT.md')}:2: runner must be one of command, http, openai`);
    const get = () => fetch(`${started.url}/api/v1/agents/later`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect((await get()).status).toBe(404);
    write(dir, 'later', agentFile('runner_config: {command: "true"}', 'Arrived later.'));
    proc.child.kill('SIGHUP');
    let status = 0;
    for (let i = 0; i < 200 && status !== 200; i++) {
      status = (await get()).status;
      if (status !== 200) await new Promise((r) => setTimeout(r, 25));
    }
    expect(status).toBe(200);
    expect(proc.exitStatus).toBeUndefined();
  });
});
