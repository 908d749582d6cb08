import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Harness, startHookline } from '../../server/test/helpers/hookline.js';
// @ts-expect-error: a plain .mjs script without type declarations
import { openApiToTs, operationName } from '../scripts/openapi-to-ts.mjs';

const GENERATED = fileURLToPath(new URL('../src/generated/api-types.ts', import.meta.url));
const COMMAND = 'npx tsc -b packages/server && npm run generate -w packages/sdk';

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
      throw new Error(`packages/sdk/src/generated/api-types.ts is out of date (first difference at line ${line + 1}: expected ${JSON.stringify(a[line])}, found ${JSON.stringify(b[line])}). Regenerate it: ${COMMAND}`);
    }
    expect(fresh).toBe(checkedIn);
  });

  it('every /api/v1 operation of the document has a generated type, and the SDK names it', () => {
    const text = readFileSync(GENERATED, 'utf8');
    const ops = Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
      Object.keys(item).filter((m) => ['get', 'post', 'put', 'patch', 'delete'].includes(m)).map((m) => ({ path, m })),
    );
    const api = ops.filter((o) => o.path.startsWith('/api/v1/'));
    expect(api.length).toBeGreaterThan(50);
    for (const { path, m } of api) {
      expect(text).toContain(`${JSON.stringify(`${m.toUpperCase()} ${path}`)}: ${operationName(m, path)};`);
    }
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
            responses: { '200': { content: { 'application/json': { schema: { allOf: [{ type: 'object', properties: { id: { type: 'string' } }, required: ['id'] }, { type: 'object', properties: { secret: { type: 'string' } } }] } } } }, '204': {} },
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
