import { errorAt, TemplateError } from './errors.js';
import { tokenize, type Token } from './lexer.js';
import { resolveLimits, type TemplateLimits } from './limits.js';
import { parse } from './parser.js';
import { HEADER_FORBIDDEN, render, type OutputEscaping } from './render.js';

/**
 * `auto` picks `json` when the template's first literal text starts with `{` or `[` (a
 * post-action body's rule; a leading `{{ … }}` is template syntax, not JSON) and `text` otherwise.
 */
export type TemplateMode = 'auto' | OutputEscaping;

export interface CompileOptions {
  /** How `{{ … }}` output is escaped. @defaultValue 'auto' */
  mode?: TemplateMode;
  /** Overrides of {@link DEFAULT_LIMITS}. */
  limits?: Partial<TemplateLimits>;
}

/** A parsed template, reusable for any number of synchronous renders. */
export interface CompiledTemplate {
  readonly source: string;
  readonly mode: OutputEscaping;
  /** Context variables the template reads, loop variables excluded. */
  readonly variables: readonly string[];
  render(context?: object): string;
}

const MODES: readonly TemplateMode[] = ['auto', 'text', 'json', 'url', 'header'];

/** Parses a template, throwing a `TemplateError` with line and column for anything wrong with it. */
export function compileTemplate(text: string, options: CompileOptions = {}): CompiledTemplate {
  const limits = resolveLimits(options.limits);
  const requested = options.mode ?? 'auto';
  if (!MODES.includes(requested)) throw new TypeError(`unknown template mode ${JSON.stringify(requested)}`);
  const size = Buffer.byteLength(text, 'utf8');
  if (size > limits.maxTemplateBytes) throw new TemplateError(`template is ${size} bytes; the limit is ${limits.maxTemplateBytes}`, 1, 1);

  const tokens = tokenize(text);
  const mode = requested === 'auto' ? detectMode(tokens) : requested;
  if (mode === 'header') refuseLineBreaks(text, tokens);
  const { body, variables } = parse(text, tokens, limits);
  return Object.freeze({
    source: text,
    mode,
    variables: Object.freeze(variables),
    render: (context: object = {}) => render(text, body, context, limits, mode),
  });
}

/** Compiles (if given text) and renders; `options` apply only when `template` is text. */
export function renderTemplate(template: string | CompiledTemplate, context: object = {}, options: CompileOptions = {}): string {
  return (typeof template === 'string' ? compileTemplate(template, options) : template).render(context);
}

/** Renders a URL template: every inserted value is percent-encoded, so no value can change the URL's shape. */
export function renderUrl(template: string | CompiledTemplate, context: object = {}, options: Omit<CompileOptions, 'mode'> = {}): string {
  return withMode(template, 'url', options).render(context);
}

/** Renders a header value template, refusing CR, LF and other control characters from the template or its values. */
export function renderHeaderValue(template: string | CompiledTemplate, context: object = {}, options: Omit<CompileOptions, 'mode'> = {}): string {
  return withMode(template, 'header', options).render(context);
}

function withMode(template: string | CompiledTemplate, mode: OutputEscaping, options: Omit<CompileOptions, 'mode'>): CompiledTemplate {
  if (typeof template === 'string') return compileTemplate(template, { ...options, mode });
  if (template.mode !== mode) throw new TypeError(`this template was compiled in ${template.mode} mode; compile it with mode "${mode}"`);
  return template;
}

function detectMode(tokens: Token[]): OutputEscaping {
  let inBlock = false;
  for (const t of tokens) {
    if (t.kind === 'open' && t.tag === 'block') inBlock = true;
    else if (t.kind === 'close' && t.tag === 'block') inBlock = false;
    else if (inBlock) continue;
    else if (t.kind === 'open') return 'text';
    else if (t.kind === 'text' && t.value.trim()) return /^[{[]/.test(t.value.trimStart()) ? 'json' : 'text';
  }
  return 'text';
}

function refuseLineBreaks(source: string, tokens: Token[]): void {
  for (const t of tokens) {
    if (t.kind !== 'text') continue;
    const at = t.value.search(HEADER_FORBIDDEN);
    if (at !== -1)
      throw errorAt(source, source.indexOf(t.value[at]!, t.offset), 'a header value may not contain a line break (CR or LF) or other control character');
  }
}
