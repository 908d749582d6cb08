#!/usr/bin/env node
// The house rules on imports in packages/server/src, which eslint cannot see whole (run by
// `npm run lint`; `--json` prints the findings for tests):
//   - no import cycle between modules (a module is a top-level folder, or a top-level file);
//   - SQL drivers and Kysely only in store/, Fastify only in api/ (and the app that wires it);
//   - delivery/ knows nothing of agents, runs or notifications; channels/ nothing of what plans
//     or administers (agents, runs, notifications, post-actions, endpoints);
//   - net/ is low: it imports util/ and errors/ only, no domain module;
//   - another folder is entered through its index.ts only; so is a folder inside a module that
//     has an index.ts of its own (channels/slack/), from anywhere outside it.
// Tests (*.test.ts) are outside the rules: they may reach into a module to test its parts.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/server/src, unless a directory is given. */
const SERVER_SRC = join(dirname(fileURLToPath(import.meta.url)), '..', 'packages', 'server', 'src');

/** Packages only one module may import, and which. */
const OWNED_PACKAGES = [
  { pattern: /^(kysely|pg|pg-[a-z-]+|better-sqlite3)(\/|$)/, owners: ['store'], what: 'SQL drivers and Kysely' },
  { pattern: /^(fastify|@fastify\/[a-z-]+)(\/|$)/, owners: ['api', 'app.ts'], what: 'Fastify and its plugins' },
];
/** Modules that must not import others. */
const FORBIDDEN_MODULES = [
  { from: 'delivery', to: ['agents', 'runs', 'notifications'], why: 'delivery/ knows nothing of agents' },
  {
    from: 'channels',
    to: ['agents', 'runs', 'notifications', 'post-actions', 'endpoints'],
    why: 'channels/ renders and prepares requests; planning and administration sit above it',
  },
];
/** Modules that may import only the ones listed. */
const LOW_MODULES = [
  { module: 'net', may: ['util', 'errors'], why: 'net/ is low: it imports no domain module' },
  { module: 'tenants', may: ['store', 'util', 'errors', 'wire'], why: 'tenants/ sits under every domain module: they scope by it' },
];

function sources(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.(test|d)\.ts$/.test(name) ? [path] : [];
  });
}

/** Every module specifier in a file: static imports and exports, and dynamic import(). */
function specifiers(text) {
  const found = [];
  const pattern = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/gm;
  for (const match of text.matchAll(pattern)) found.push(match[1] ?? match[2] ?? match[3]);
  return found;
}

/** The module a path belongs to: its top-level folder, or the file itself at the top. */
function moduleOf(root, path) {
  const parts = relative(root, path).split(sep);
  return parts.length > 1 ? parts[0] : parts[0].replace(/\.js$/, '.ts');
}

function resolveLocal(from, specifier) {
  return resolve(dirname(from), specifier).replace(/\.js$/, '.ts');
}

export function check(root = SERVER_SRC) {
  const findings = [];
  const edges = new Map();
  for (const file of sources(root)) {
    const from = moduleOf(root, file);
    const name = relative(root, file);
    for (const spec of specifiers(readFileSync(file, 'utf8'))) {
      if (!spec.startsWith('.')) {
        for (const rule of OWNED_PACKAGES) {
          if (rule.pattern.test(spec) && !rule.owners.includes(from))
            findings.push({ rule: 'owned-package', file: name, message: `imports ${spec}: ${rule.what} belong to ${rule.owners.join(', ')}` });
        }
        continue;
      }
      const target = resolveLocal(file, spec);
      const to = moduleOf(root, target);
      if (to === from) {
        const surface = innerSurface(root, file, target);
        if (surface)
          findings.push({
            rule: 'past-index',
            file: name,
            message: `imports ${relative(root, target).split(sep).join('/')}: enter ${surface}/ through its index.ts`,
          });
        continue;
      }
      if (!edges.has(from)) edges.set(from, new Map());
      if (!edges.get(from).has(to)) edges.get(from).set(to, name);
      for (const rule of FORBIDDEN_MODULES) {
        if (rule.from === from && rule.to.includes(to)) findings.push({ rule: 'forbidden-module', file: name, message: `imports ${to}/: ${rule.why}` });
      }
      for (const rule of LOW_MODULES) {
        if (rule.module === from && !rule.may.includes(to)) findings.push({ rule: 'low-module', file: name, message: `imports ${to}/: ${rule.why}` });
      }
      const inside = relative(join(root, to), target);
      if (!to.endsWith('.ts') && inside !== 'index.ts')
        findings.push({ rule: 'past-index', file: name, message: `imports ${to}/${inside.split(sep).join('/')}: enter ${to}/ through its index.ts` });
    }
  }
  for (const cycle of cycles(edges)) {
    findings.push({
      rule: 'cycle',
      file: edges.get(cycle[0]).get(cycle[1]),
      message: `import cycle: ${[...cycle, cycle[0]].join(' -> ')} (each arrow: ${cycle.map((m, i) => edges.get(m).get(cycle[(i + 1) % cycle.length])).join(', ')})`,
    });
  }
  return findings;
}

/**
 * The outermost folder inside a module (below its top-level folder) that holds `target` but not
 * `from` and has an index.ts, when `target` is not that index.ts: the import reaches past it.
 */
function innerSurface(root, from, target) {
  let surface;
  for (let dir = dirname(target); relative(root, dir).split(sep).length > 1; dir = dirname(dir)) {
    if (!relative(dir, from).startsWith('..')) break;
    if (existsSync(join(dir, 'index.ts'))) surface = dir;
  }
  return surface && target !== join(surface, 'index.ts') ? relative(root, surface).split(sep).join('/') : undefined;
}

/** One shortest cycle through each strongly connected group of modules (Tarjan, then BFS). */
function cycles(edges) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  let counter = 0;
  const visit = (node) => {
    index.set(node, counter);
    low.set(node, counter++);
    stack.push(node);
    onStack.add(node);
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) low.set(node, Math.min(low.get(node), index.get(next)));
    }
    if (low.get(node) === index.get(node)) {
      const group = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) groups.push(group);
    }
  };
  for (const node of edges.keys()) if (!index.has(node)) visit(node);
  return groups.map((group) => shortestCycle(edges, group.sort()[0], new Set(group)));
}

function shortestCycle(edges, start, within) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length) {
    const node = queue.shift();
    for (const next of edges.get(node)?.keys() ?? []) {
      if (!within.has(next)) continue;
      if (next === start) {
        const path = [node];
        for (let step = previous.get(node); step; step = previous.get(step)) path.unshift(step);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start];
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv.slice(2).find((arg) => !arg.startsWith('--')) ?? SERVER_SRC);
  const findings = check(root);
  if (process.argv.includes('--json')) console.log(JSON.stringify(findings));
  else for (const f of findings) console.error(`${f.file}: ${f.message} [${f.rule}]`);
  if (findings.length) {
    if (!process.argv.includes('--json')) console.error(`\ncheck-imports: ${findings.length} finding(s) in ${root}`);
    process.exitCode = 1;
  }
}
