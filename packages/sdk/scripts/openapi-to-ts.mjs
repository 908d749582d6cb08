/**
 * Turns Hookline's OpenAPI 3.1 document into plain TypeScript: one interface per titled
 * schema, one per operation (`path`, `query`, `body`, `response`), and an `Operations` map
 * keyed by "METHOD /path". Pure (no I/O), so the drift test runs exactly what the script runs.
 *
 * Covers the JSON Schema Hookline's routes use: objects, arrays, records, unions (anyOf/oneOf),
 * intersections (allOf), enums, const and nullable branches. Anything else becomes `unknown`.
 */

const HEADER = `// Generated from Hookline's OpenAPI document by packages/sdk/scripts/generate-types.mjs. Do not edit.
// Regenerate after changing a route's schema: npm run generate -w packages/sdk
`;

const METHODS = ['get', 'put', 'post', 'patch', 'delete', 'head', 'options'];
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

const pascal = (s) =>
  s
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join('');

const key = (k) => (IDENT.test(k) ? k : JSON.stringify(k));

function doc(text, pad) {
  if (!text) return '';
  const clean = String(text).replaceAll('*/', '*\\/').trim();
  const lines = clean.split('\n');
  if (lines.length === 1) return `${pad}/** ${clean} */\n`;
  return `${pad}/**\n${lines.map((l) => `${pad} * ${l}`.trimEnd()).join('\n')}\n${pad} */\n`;
}

/** A union or intersection member that needs parentheses inside `T[]` or another operator. */
const wrap = (t) => (/^[A-Za-z0-9_$.<>,'" [\]]+$/.test(t) && !t.includes(' | ') && !t.includes(' & ') ? t : `(${t})`);

const uniq = (xs) => [...new Set(xs)];

class Converter {
  constructor(document) {
    this.document = document;
    /** JSON text of a titled schema → its type name. */
    this.named = new Map();
    /** Type name → declaration, in first-seen order. */
    this.declarations = new Map();
  }

  /** Gives every titled schema a name, so repeated shapes print once. */
  nameTitled(schema) {
    if (!schema || typeof schema !== 'object') return;
    if (typeof schema.title === 'string' && schema.title.trim()) {
      const text = JSON.stringify(schema);
      if (!this.named.has(text)) {
        const base = pascal(schema.title) || 'Schema';
        let name = base;
        for (let i = 2; [...this.named.values()].includes(name); i++) name = `${base}${i}`;
        this.named.set(text, name);
      }
    }
    for (const v of Object.values(schema)) {
      if (Array.isArray(v)) v.forEach((x) => this.nameTitled(x));
      else if (v && typeof v === 'object') this.nameTitled(v);
    }
  }

  declare(name, schema) {
    if (this.declarations.has(name)) return;
    this.declarations.set(name, ''); // reserve against recursion
    const body = this.type(schema, '', { skipName: true });
    const isObject = body.startsWith('{');
    const text = doc(schema.description, '') + (isObject ? `export interface ${name} ${body}\n` : `export type ${name} = ${body};\n`);
    this.declarations.set(name, text);
  }

  ref(ref) {
    const m = /^#\/components\/schemas\/(.+)$/.exec(ref);
    if (!m) return 'unknown';
    const name = pascal(m[1]);
    const target = this.document.components?.schemas?.[m[1]];
    if (target) this.declare(name, target);
    return name;
  }

  type(s, pad, o = {}) {
    if (s === true || s === undefined || s === null || typeof s !== 'object') return 'unknown';
    if (s === false) return 'never';
    if (!o.skipName && typeof s.title === 'string') {
      const name = this.named.get(JSON.stringify(s));
      if (name) {
        this.declare(name, s);
        return name;
      }
    }
    if (s.$ref) return this.ref(s.$ref);
    if ('const' in s) return JSON.stringify(s.const);
    if (Array.isArray(s.enum)) return uniq(s.enum.map((v) => JSON.stringify(v))).join(' | ') || 'never';
    const alts = s.anyOf ?? s.oneOf;
    if (Array.isArray(alts)) return uniq(alts.map((x) => this.type(x, pad))).join(' | ') || 'never';
    if (Array.isArray(s.allOf)) return uniq(s.allOf.map((x) => wrap(this.type(x, pad)))).join(' & ') || 'unknown';
    if (Array.isArray(s.type)) return uniq(s.type.map((t) => this.type({ ...s, type: t }, pad))).join(' | ');
    switch (s.type) {
      case 'string':
        return 'string';
      case 'integer':
      case 'number':
        return 'number';
      case 'boolean':
        return 'boolean';
      case 'null':
        return 'null';
      case 'array':
        return Array.isArray(s.items) ? `[${s.items.map((x) => this.type(x, pad)).join(', ')}]` : `${wrap(this.type(s.items ?? {}, pad))}[]`;
      case 'object':
        return this.object(s, pad);
      default:
        return s.properties ? this.object(s, pad) : 'unknown';
    }
  }

  object(s, pad) {
    const props = Object.entries(s.properties ?? {});
    const required = new Set(s.required ?? []);
    const extra = s.additionalProperties;
    const record =
      extra && typeof extra === 'object' ? `Record<string, ${this.type(extra, pad)}>` : extra === false ? 'Record<string, never>' : 'Record<string, unknown>';
    if (props.length === 0) return record;
    const inner = `${pad}  `;
    const lines = props.map(([k, v]) => `${doc(v?.description, inner)}${inner}${key(k)}${required.has(k) ? '' : '?'}: ${this.type(v, inner)};`);
    const obj = `{\n${lines.join('\n')}\n${pad}}`;
    return extra && typeof extra === 'object' ? `${obj} & ${record}` : obj;
  }
}

/** "GET /api/v1/webhooks/endpoints/{id}/rotate-secret" → "PostWebhooksEndpointsByIdRotateSecret". */
export function operationName(method, path) {
  const parts = path
    .replace(/^\/api\/v1(?=\/|$)/, '')
    .split('/')
    .filter(Boolean)
    .map((p) => {
      const param = /^\{(.+)\}$/.exec(p);
      return param ? `By${pascal(param[1])}` : pascal(p);
    });
  return pascal(method) + parts.join('');
}

/** Operations the SDK and its users call: everything but the Inspector's capture URLs (any method, no schema). */
const included = (path) => !path.startsWith('/inspect/');

export function openApiToTs(document) {
  const c = new Converter(document);
  c.nameTitled(document);
  const ops = [];
  const used = new Set();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!included(path)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!op) continue;
      let name = operationName(method, path);
      for (let i = 2; used.has(name); i++) name = `${operationName(method, path)}${i}`;
      used.add(name);
      ops.push({ name, method: method.toUpperCase(), path, op, params: [...(item.parameters ?? []), ...(op.parameters ?? [])] });
    }
  }
  const pad = '  ';
  const params = (list, where) => {
    // A parameter with a default may be left out, whatever `required` says.
    const ps = list.filter((p) => p.in === where);
    if (ps.length === 0) return 'never';
    const lines = ps.map(
      (p) =>
        `${doc(p.description ?? p.schema?.description, `${pad}  `)}${pad}  ${key(p.name)}${p.required && p.schema?.default === undefined ? '' : '?'}: ${c.type(p.schema, `${pad}  `)};`,
    );
    return `{\n${lines.join('\n')}\n${pad}}`;
  };
  const bodies = ops.map(({ name, method, path, op, params: list }) => {
    const body = op.requestBody?.content?.['application/json']?.schema;
    const ok = Object.entries(op.responses ?? {}).filter(([status]) => /^2\d\d$/.test(status));
    const responses = ok.map(([status, r]) => {
      const schema = r?.content?.['application/json']?.schema;
      if (schema) return c.type(schema, pad);
      return status === '204' ? 'void' : 'unknown';
    });
    const bodyType = body ? c.type(body, pad) : 'never';
    const bodyOptional = body && op.requestBody?.required !== true;
    const members = [
      `${pad}path: ${params(list, 'path')};`,
      `${pad}query: ${params(list, 'query')};`,
      `${pad}body: ${bodyOptional ? `${wrap(bodyType)} | undefined` : bodyType};`,
      `${pad}response: ${uniq(responses).join(' | ') || 'unknown'};`,
    ];
    return `${doc(`${method} ${path}${op.summary ? ` — ${op.summary}` : ''}`, '')}export interface ${name} {\n${members.join('\n')}\n}\n`;
  });
  for (const [name, s] of Object.entries(document.components?.schemas ?? {})) c.declare(pascal(name), s);
  const map = `/** Every operation by "METHOD /path". */\nexport interface Operations {\n${ops.map((o) => `${pad}${JSON.stringify(`${o.method} ${o.path}`)}: ${o.name};`).join('\n')}\n}\n`;
  const decls = [...c.declarations.values()];
  return [HEADER, ...decls, ...bodies, map].join('\n');
}
