/**
 * Custom Slack templates (docs/slack.md): `.json.j2` files in `notifications.slack.templates_dir`,
 * resolved per message as
 *   1. {dir}/{agent_name}/{event}.json.j2   (agent-specific override)
 *   2. {dir}/{event}.json.j2                (event-type default)
 *   3. the built-in message.
 * Templates are compiled in JSON mode, so a value inserted with {{ }} can never break the JSON.
 */
import { type Dirent, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { NOTIFY_EVENTS } from '../../config/index.js';
import { compileTemplate, type CompiledTemplate, TemplateError } from '../../templates/index.js';
import { didYouMean } from '../../util/index.js';
import { NOTIFY_EVENT_FOR_RUN_EVENT, type NotifyEvent } from '../notify-events.js';
import { builtinSlackBlocks, type SlackContext } from './message.js';

export const SLACK_TEMPLATE_SUFFIX = '.json.j2';

/**
 * A problem with a template file. `error`: the file is not used (its event falls back to the
 * next template in line, or the built-in). `warning`: it is used, but rendering it with sample
 * values did not give valid blocks, so it may fail for real values too.
 * `line`/`column` (1-based) are null when the problem is not at a place in the text.
 */
export interface TemplateLoadError {
  severity: 'error' | 'warning';
  path: string;
  line: number | null;
  column: number | null;
  message: string;
}

/** `path:line:column: message`, the way editors and compilers print it. */
export function formatLoadError(e: TemplateLoadError): string {
  const where = e.line === null ? e.path : `${e.path}:${e.line}:${e.column}`;
  return `${e.severity}: ${where}: ${e.message}`;
}

/** What a rendered template gave: the blocks, and its own `text` when it is an object that has one. */
export interface RenderedSlackMessage {
  blocks: unknown[];
  text: string | undefined;
  /** The template used; undefined for the built-in message. */
  templatePath: string | undefined;
}

interface Loaded {
  path: string;
  template: CompiledTemplate;
}

/** Values used to try each template once at load time, so JSON mistakes show at start, not at 3 a.m. */
const SAMPLE: Omit<SlackContext, 'event'> = {
  agent_name: 'sample-agent',
  execution_id: '00000000-0000-4000-8000-000000000000',
  session_id: null,
  output: 'sample output',
  error: 'sample error',
  timestamp: '2026-01-01T00:00:00Z',
};

export class SlackTemplates {
  /** Keys: `{event}` for event defaults, `{agent}/{event}` for agent overrides. */
  private templates = new Map<string, Loaded>();

  constructor(private readonly dir: string | undefined) {}

  /** (Re)reads the directory; the new set replaces the previous one even when some files are bad. */
  load(): TemplateLoadError[] {
    const found = new Map<string, Loaded>();
    const errors: TemplateLoadError[] = [];
    this.templates = found;
    if (this.dir === undefined) return errors;

    const dir = path.resolve(this.dir);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      errors.push(
        problem(
          dir,
          'the Slack templates directory does not exist (or is not a directory); create it, or fix or remove notifications.slack.templates_dir in the config',
        ),
      );
      return errors;
    }
    for (const entry of listDir(dir, errors)) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        // One level of subfolders: {agent_name}/{event}.json.j2. Deeper folders are not read.
        for (const inner of listDir(full, errors)) {
          if (inner.isFile()) this.loadFile(path.join(full, inner.name), `${entry.name}/`, found, errors);
        }
      } else if (entry.isFile()) {
        this.loadFile(full, '', found, errors);
      }
    }
    return errors;
  }

  /** The resolution order (agent, then event, then built-in); undefined means "use the built-in message". */
  resolve(agentName: string, event: NotifyEvent): CompiledTemplate | undefined {
    return this.find(agentName, event)?.template;
  }

  /** The blocks to send: the resolved template rendered and parsed, or the built-in message. */
  renderBlocks(agentName: string, event: NotifyEvent, ctx: SlackContext): unknown[] {
    return this.renderMessage(agentName, event, ctx).blocks;
  }

  /** Like renderBlocks, also giving a template's own `text` (from an object `{"text", "blocks"}`). */
  renderMessage(agentName: string, event: NotifyEvent, ctx: SlackContext): RenderedSlackMessage {
    const found = this.find(agentName, event);
    if (!found) return { blocks: builtinSlackBlocks(ctx), text: undefined, templatePath: undefined };
    let rendered: string;
    try {
      rendered = found.template.render(ctx);
    } catch (err) {
      const at = err instanceof TemplateError ? `:${err.line}:${err.column}` : '';
      throw new Error(`Slack template ${found.path}${at} failed to render: ${(err as Error).message}`);
    }
    const shape = blocksOf(rendered);
    if ('problem' in shape) throw new Error(`Slack template ${found.path} ${shape.problem}`);
    return { ...shape, templatePath: found.path };
  }

  /** How many templates are loaded (for a start-up log line). */
  get size(): number {
    return this.templates.size;
  }

  private find(agentName: string, event: NotifyEvent): Loaded | undefined {
    return this.templates.get(`${agentName}/${event}`) ?? this.templates.get(event);
  }

  private loadFile(file: string, agentPrefix: string, found: Map<string, Loaded>, errors: TemplateLoadError[]): void {
    const name = path.basename(file);
    const stem = name.split('.')[0]!;
    if (!name.endsWith(SLACK_TEMPLATE_SUFFIX)) {
      // Not ours (a README, say), unless it looks like a template with the wrong ending.
      if ((NOTIFY_EVENTS as readonly string[]).includes(stem)) {
        errors.push(problem(file, `is not used: Slack templates are named {event}${SLACK_TEMPLATE_SUFFIX}; rename it to ${stem}${SLACK_TEMPLATE_SUFFIX}`));
      }
      return;
    }
    const event = name.slice(0, -SLACK_TEMPLATE_SUFFIX.length);
    if (!(NOTIFY_EVENTS as readonly string[]).includes(event)) {
      const names = NOTIFY_EVENTS.map((e) => e + SLACK_TEMPLATE_SUFFIX).join(', ');
      errors.push(problem(file, `unknown event "${event}"${suggestEvent(event)}; Slack template files are named ${names}`));
      return;
    }

    let template: CompiledTemplate;
    try {
      template = compileTemplate(readFileSync(file, 'utf8'), { mode: 'json' });
    } catch (err) {
      if (err instanceof TemplateError) errors.push({ severity: 'error', path: file, line: err.line, column: err.column, message: err.message });
      else errors.push(problem(file, `cannot be read: ${(err as Error).message}`));
      return;
    }
    found.set(`${agentPrefix}${event}`, { path: file, template });

    // The engine checks template syntax, not the JSON around it; one trial render points at a
    // trailing comma or a missing quote now rather than on the first failed run. Only a
    // warning: real values (an object output, say) may render where the samples do not.
    try {
      const shape = blocksOf(template.render({ ...SAMPLE, event }));
      if ('problem' in shape) errors.push({ ...problem(file, `${shape.problem} (rendered with sample values)`), severity: 'warning' });
    } catch (err) {
      const at = err instanceof TemplateError ? { line: err.line, column: err.column } : {};
      errors.push({ ...problem(file, `fails to render with sample values: ${(err as Error).message}`), ...at, severity: 'warning' });
    }
  }
}

/** Names people reach for (and Hookline's run events), mapped to the notification event names. */
const EVENT_SYNONYMS: Readonly<Record<string, NotifyEvent>> = {
  ...NOTIFY_EVENT_FOR_RUN_EVENT,
  on_finish: 'on_complete',
  on_finished: 'on_complete',
  on_success: 'on_complete',
  on_done: 'on_complete',
  on_completed: 'on_complete',
  on_fail: 'on_error',
  on_failure: 'on_error',
  on_failed: 'on_error',
  on_exception: 'on_error',
  on_timed_out: 'on_timeout',
  on_timedout: 'on_timeout',
};

function suggestEvent(name: string): string {
  const synonym = Object.hasOwn(EVENT_SYNONYMS, name.toLowerCase()) ? EVENT_SYNONYMS[name.toLowerCase()] : undefined;
  return synonym ? `; did you mean "${synonym}"?` : didYouMean(name, NOTIFY_EVENTS);
}

const problem = (file: string, message: string): TemplateLoadError => ({ severity: 'error', path: file, line: null, column: null, message });

/** Visible entries in name order; an unreadable folder is reported, not thrown. */
function listDir(dir: string, errors: TemplateLoadError[]): Dirent[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => !e.name.startsWith('.'))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch (err) {
    errors.push(problem(dir, `cannot be read: ${(err as Error).message}`));
    return [];
  }
}

/** A template is usually an array of blocks; an object with a `blocks` array (and maybe `text`) is accepted too. */
function blocksOf(rendered: string): { blocks: unknown[]; text: string | undefined } | { problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(rendered);
  } catch (err) {
    return { problem: `did not render valid JSON: ${(err as Error).message}` };
  }
  if (Array.isArray(value)) return { blocks: value, text: undefined };
  if (value && typeof value === 'object' && Array.isArray((value as { blocks?: unknown }).blocks)) {
    const { blocks, text } = value as { blocks: unknown[]; text?: unknown };
    return { blocks, text: typeof text === 'string' ? text : undefined };
  }
  const got =
    value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object without a "blocks" array' : `a ${typeof value}`;
  return { problem: `must render a JSON array of blocks, or an object with a "blocks" array; it rendered ${got}` };
}
