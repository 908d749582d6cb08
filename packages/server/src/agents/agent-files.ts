import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import type { AgentRecord, Store } from '../store/index.js';
import { UserError } from '../errors/index.js';
import type { AgentFilesReportView } from '../wire/index.js';
import type { Tenant } from '../tenants/index.js';
import type { AgentAdmin } from './admin.js';
import { type AgentFileDefinition, AgentFileError, type AgentFileOptions, agentSettings, parseAgentFile } from './agent-file.js';

export type AgentFilesReport = AgentFilesReportView;

/** `runner_config` errors come from the runner checks; point them at the field they are about. */
function fieldOf(err: UserError): string {
  if (['invalid_runner_config', 'invalid_url', 'ssrf_blocked'].includes(err.code) || err.message.startsWith('runner_config')) return 'runner_config';
  if (err.code === 'invalid_secret') return 'webhook_secret';
  return 'id';
}

/** A refusal from the agent checks, at its field's line; one about a default runner says where that runner is set. */
function runnerError(path: string, def: AgentFileDefinition | undefined, err: UserError): AgentFileError {
  const field = fieldOf(err);
  if (def?.runner_from_default && field === 'runner_config')
    return new AgentFileError(path, 0, `${err.message} (this agent names no runner and uses agents.default_runner of hookline.yaml)`);
  return new AgentFileError(path, def?.lines[field] ?? 0, err.message);
}

/**
 * Keeps the agents defined as `<dir>/<folder>/AGENT.md` in step with the files: creates new
 * ones, updates changed ones, deletes those whose file is gone. A broken file is reported
 * (path, line, message) and leaves its agent as it was; the other files still load.
 * Agents made through the API are never touched, and an id clash with one is an error.
 * The files are the installation's: their agents and crews belong to the default tenant.
 */
export class AgentFiles {
  constructor(
    private readonly store: Store,
    private readonly admin: AgentAdmin,
    /** The default tenant (known once the store is open). */
    private readonly tenant: () => Tenant,
    private readonly log: Logger,
    private readonly env: NodeJS.ProcessEnv = process.env,
    private readonly parseOptions: AgentFileOptions = {},
  ) {}

  async load(dirPath: string): Promise<AgentFilesReport> {
    const dir = resolve(dirPath);
    const report: AgentFilesReport = { dir, loaded: [], removed: [], errors: [] };
    const files =
      existsSync(dir) && statSync(dir).isDirectory()
        ? readdirSync(dir, { withFileTypes: true })
            .filter((e) => e.isDirectory())
            .map((e) => join(dir, e.name, 'AGENT.md'))
            .filter((p) => existsSync(p))
            .sort()
        : [];
    const seenPaths = new Set<string>();
    const seenIds = new Map<string, string>();
    for (const path of files) {
      seenPaths.add(path);
      let def: AgentFileDefinition | undefined;
      try {
        def = parseAgentFile(path, readFileSync(path, 'utf8'), this.env, this.parseOptions);
        const other = seenIds.get(def.id);
        if (other) throw new AgentFileError(path, def.lines.id ?? 2, `agent id "${def.id}" is also used by ${other}`);
        seenIds.set(def.id, path);
        report.loaded.push({ id: def.id, path, action: await this.apply(def, path) });
      } catch (err) {
        const e = err instanceof AgentFileError ? err : err instanceof UserError ? runnerError(path, def, err) : undefined;
        if (!e) throw err;
        report.errors.push({ path: e.path, line: e.line, message: e.message });
        this.log.warn({ path: e.path, line: e.line }, `AGENT.md not loaded: ${e.toString()}`);
      }
    }
    // Only agents whose file is really gone; a file that failed to parse keeps its agent.
    const tenant = this.tenant();
    for (const agent of await this.store.agents.listFileAgents(tenant.envId)) {
      if (agent.source_path && !seenPaths.has(agent.source_path) && agent.source_path.startsWith(dir)) {
        await this.admin.remove(tenant, agent.id);
        report.removed.push(agent.id);
      }
    }
    if (report.loaded.length || report.removed.length)
      this.log.info({ dir, loaded: report.loaded.length, removed: report.removed.length, errors: report.errors.length }, 'agent files loaded');
    return report;
  }

  private async apply(def: AgentFileDefinition, path: string): Promise<'created' | 'updated' | 'unchanged'> {
    // Which of file or default gave the runner is not content: the settings themselves are.
    const { lines: _lines, runner_from_default: _fromDefault, ...content } = def;
    const hash = createHash('sha256').update(JSON.stringify(content)).digest('hex');
    const tenant = this.tenant();
    // Any tenant's: an id another tenant holds is a clash too (ids are unique in the installation).
    const existing = await this.store.agents.findAgent(def.id);
    if (existing && (existing.source !== 'file' || existing.env_id !== tenant.envId))
      throw new AgentFileError(
        path,
        def.lines.id ?? 2,
        `agent "${def.id}" already exists and was made through the API; give this file another "id:" or delete that agent`,
      );
    if (existing && existing.source_path !== path && existing.source_path && existsSync(existing.source_path))
      throw new AgentFileError(path, def.lines.id ?? 2, `agent id "${def.id}" is already defined by ${existing.source_path}`);
    if (existing?.source_hash === hash && existing.source_path === path) return 'unchanged';
    await this.ensureCrew(tenant, def);
    const fields = {
      ...agentSettings(def),
      // A file without a notifications block gets the configured defaults (null).
      notifications: def.notifications ?? null,
    };
    let row: AgentRecord;
    if (!existing) {
      await this.admin.create(tenant, { id: def.id, crew_id: def.crew_id, ...fields });
      // Marked as the file's at once, so a failure below leaves an agent the next load can fix.
      await this.store.agents.updateAgent(tenant.envId, def.id, { source: 'file', source_path: path, source_hash: null });
      row = await this.admin.get(tenant, def.id);
    } else {
      if (existing.crew_id !== def.crew_id)
        throw new AgentFileError(
          path,
          def.lines.crew ?? 2,
          `agent "${def.id}" belongs to crew ${existing.crew_id}; moving an agent between crews is not supported (give it a new id)`,
        );
      await this.admin.update(tenant, def.id, fields);
      row = await this.admin.get(tenant, def.id);
    }
    if (def.webhook_secret !== undefined && this.admin.webhookSecret(row) !== def.webhook_secret)
      await this.admin.rotateWebhookSecret(tenant, def.id, def.webhook_secret);
    await this.store.agents.updateAgent(tenant.envId, def.id, { source: 'file', source_path: path, source_hash: hash });
    return existing ? 'updated' : 'created';
  }

  private async ensureCrew(tenant: Tenant, def: AgentFileDefinition): Promise<void> {
    const crew = await this.store.agents.getCrew(tenant.envId, def.crew_id);
    // A crew id another tenant holds is refused by createCrew (conflict), like an agent id.
    if (!crew) await this.admin.createCrew(tenant, { id: def.crew_id, name: def.crew_name ?? def.crew_id });
    else if (def.crew_name && crew.name !== def.crew_name) await this.store.agents.updateCrew(tenant.envId, def.crew_id, { name: def.crew_name });
  }
}
