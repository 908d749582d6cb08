// `npm run docs:config`: regenerates docs/configuration.md from the schema.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderConfigReference } from './reference.js';

const target = fileURLToPath(new URL('../../../../docs/configuration.md', import.meta.url));
writeFileSync(target, renderConfigReference());
console.log(`wrote ${target}`);
