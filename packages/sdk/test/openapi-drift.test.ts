import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHookline } from '../../server/test/helpers/hookline.js';
// @ts-expect-error: a plain .mjs script without type declarations
import { openApiToTs, operationName } from '../scripts/openapi-to-ts.mjs';

const GENERATED = fileURLToPath(new URL('../src/generated/api-types.ts', import.meta.url));
const COMMAND = 'npx tsc -b packages/server && npm run generate -w packages/sdk';
const DASHBOARD_SRC = fileURLToPath(new URL('../../dashboard/src', import.meta.url));
const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'];

/** Every object schema with properties in `schema`, however deep (intersections' parts included). */
function objectSchemas(schema: unknown, found: { keys: string[]; where: string }[], where: string): void {
  if (!schema || typeof schema !== 'object') return;
  const s = schema as Record<string, unknown>;
  if (s.properties && typeof s.properties === 'object') found.push({ keys: Object.keys(s.properties), where });
  for (const value of Object.values(s)) {
    if (Array.isArray(value)) value.forEach((v) => objectSchemas(v, found, where));
    else objectSchemas(value, found, where);
  }
}

/** The interfaces and object type literals declared in the dashboard's sources, with their top-level keys. */
function dashboardShapes(dir = DASHBOARD_SRC): { name: string; file: string; keys: string[] }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return dashboardShapes(path);
    if (!/\.tsx?$/.test(entry.name)) return [];
    const text = readFileSync(path, 'utf8');
    const declared = /^(?:export )?(?:interface (\w+)(?:<[^>]*>)?(?: extends [^{]+)? |type (\w+)(?:<[^>]*>)? = )\{\n([\s\S]*?)^\}/gm;
    return [...text.matchAll(declared)].map((m) => ({
      name: m[1] ?? m[2]!,
      file: path.slice(DASHBOARD_SRC.length + 1),
      keys: [...m[3]!.matchAll(/^ {2}(?:readonly )?["']?([\w-]+)["']?\??:/gm)].map((k) => k[1]!),
    }));
  });
}

describe("the SDK's types follow the server's OpenAPI document", () => {
  let h: Harness;
  let document: any;
  beforeAll(async () => {
    h = await startHookline('sqlite');
    document = await (await fetch(`${h.url}/openapi.json`)).json();
  });
  afterAll(() => h?.close());

  it('src/generated/api-types.ts is what the generator makes from the running server', () => {
    const fresh: string = openApiToTs(document);
    const checkedIn = readFileSync(GENERATED, 'utf8');
    if (fresh !== checkedIn) {
      const a = fresh.split('\n');
      const b = checkedIn.split('\n');
      const line = a.findIndex((l, i) => l !== b[i]);
      throw new Error(
        `packages/sdk/src/generated/api-types.ts is out of date (first difference at line ${line + 1}: expected ${JSON.stringify(a[line])}, found ${JSON.stringify(b[line])}). Regenerate it: ${COMMAND}`,
      );
    }
    expect(fresh).toBe(checkedIn);
  });

  it('every /api/v1 operation of the document has a generated type, and the SDK names it', () => {
    const text = readFileSync(GENERATED, 'utf8');
    const ops = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => HTTP_METHODS.includes(m))
        .map((m) => ({ path, m })),
    );
    const api = ops.filter((o) => o.path.startsWith('/api/v1/'));
    expect(api.length).toBeGreaterThan(50);
    for (const { path, m } of api) {
      expect(text).toContain(`${JSON.stringify(`${m.toUpperCase()} ${path}`)}: ${operationName(m, path)};`);
    }
  });

  it('every operation declares what it answers, so the document (and the SDK) types every response', () => {
    const missing: string[] = [];
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const method of HTTP_METHODS.filter((m) => item[m])) {
        const ok = Object.entries((item[method].responses ?? {}) as Record<string, any>).filter(([status]) => /^2\d\d$/.test(status));
        const typed = ok.length > 0 && ok.every(([status, r]) => status === '204' || r?.content?.['application/json']?.schema);
        if (!typed) missing.push(`${method.toUpperCase()} ${path}`);
      }
    }
    expect(missing, 'routes without a response schema for their success status (declare it in `schema.response`, from packages/server/src/wire/)').toEqual([]);
  });

  it('the dashboard declares no copy of a shape the API sends or takes (it imports them from @hookline/sdk)', () => {
    const wire: { keys: string[]; where: string }[] = [];
    for (const [path, item] of Object.entries(document.paths as Record<string, Record<string, any>>)) {
      for (const method of HTTP_METHODS.filter((m) => item[m])) {
        const where = `${method.toUpperCase()} ${path}`;
        objectSchemas(item[method].requestBody, wire, where);
        objectSchemas(item[method].responses, wire, where);
      }
    }
    // A shape of four or more fields, every one of them a field of one wire object, is a copy of it.
    const copies = dashboardShapes()
      .filter((shape) => shape.keys.length >= 4)
      .flatMap((shape) => {
        const twin = wire.find((w) => shape.keys.every((k) => w.keys.includes(k)));
        return twin ? [`${shape.file}: ${shape.name} {${shape.keys.join(', ')}} copies a shape of ${twin.where}`] : [];
      });
    expect(copies, "use the SDK's type instead (import type { … } from '@hookline/sdk')").toEqual([]);
  });

  it('finds a copied shape in the dashboard the way the check above reads it', () => {
    const shapes = dashboardShapes();
    expect(shapes.find((s) => s.name === 'DeliveryLive')?.keys).toEqual(expect.arrayContaining(['delivery_id', 'event_id', 'next_attempt_at']));
    const wire: { keys: string[]; where: string }[] = [];
    objectSchemas({ allOf: [{ type: 'object', properties: { id: {}, url: {}, enabled: {}, events: {} } }] }, wire, 'x');
    expect(wire).toEqual([{ keys: ['id', 'url', 'enabled', 'events'], where: 'x' }]);
  });

  it('names operations from method and path', () => {
    expect(operationName('post', '/api/v1/webhooks/endpoints/{id}/rotate-secret')).toBe('PostWebhooksEndpointsByIdRotateSecret');
    expect(operationName('get', '/api/v1/triggers/{type}/{id}/post-actions')).toBe('GetTriggersByTypeByIdPostActions');
    expect(operationName('get', '/healthz')).toBe('GetHealthz');
  });

  it('converts the JSON Schema shapes the routes use', () => {
    const out: string = openApiToTs({
      openapi: '3.1.0',
      paths: {
        '/api/v1/things/{id}': {
          patch: {
            summary: 'Change a thing',
            parameters: [
              { in: 'path', name: 'id', required: true, schema: { type: 'string' } },
              { in: 'query', name: 'limit', required: true, schema: { type: 'integer', default: 50 } },
            ],
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    required: ['kind'],
                    additionalProperties: false,
                    properties: {
                      kind: { type: 'string', enum: ['a', 'b'] },
                      'odd-name': { anyOf: [{ type: 'null' }, { type: 'array', items: { anyOf: [{ type: 'integer' }, { type: 'string' }] } }] },
                      tags: { type: 'object', additionalProperties: { type: 'string' }, description: 'Names to values.' },
                      fixed: { const: true },
                      named: { title: 'inner settings', type: 'object', properties: { x: { type: 'number' } } },
                    },
                  },
                },
              },
            },
            responses: {
              '200': {
                content: {
                  'application/json': {
                    schema: {
                      allOf: [
                        { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
                        { type: 'object', properties: { secret: { type: 'string' } } },
                      ],
                    },
                  },
                },
              },
              '204': {},
            },
          },
        },
      },
    });
    expect(out).toContain('export interface InnerSettings {\n  x?: number;\n}');
    expect(out).toContain('/** PATCH /api/v1/things/{id} — Change a thing */\nexport interface PatchThingsById {');
    expect(out).toContain('  path: {\n    id: string;\n  };');
    expect(out).toContain('    limit?: number;');
    expect(out).toContain('    kind: "a" | "b";');
    expect(out).toContain('    "odd-name"?: null | (number | string)[];');
    expect(out).toContain('    /** Names to values. */\n    tags?: Record<string, string>;');
    expect(out).toContain('    fixed?: true;');
    expect(out).toContain('    named?: InnerSettings;');
    expect(out).toContain('  response: ({\n    id: string;\n  }) & ({\n    secret?: string;\n  }) | void;');
    expect(out).toContain('  "PATCH /api/v1/things/{id}": PatchThingsById;');
  });
});
