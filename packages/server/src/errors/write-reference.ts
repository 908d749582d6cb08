// `npm run docs:errors`: regenerates the error-code table in docs/api.md from the catalogue.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { withErrorTable } from './reference.js';

const target = fileURLToPath(new URL('../../../../docs/api.md', import.meta.url));
writeFileSync(target, withErrorTable(readFileSync(target, 'utf8')));
console.log(`wrote ${target}`);
