// Copies the dashboard tour's screenshots from the browser tests' artifacts into
// docs/images/dashboard/, so the tour shows the pages as the tests last saw them.
// Run after `npm test` (or the dashboard tests alone): `npm run docs:screenshots`.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const from = join(root, 'test-artifacts/dashboard');
const to = join(root, 'docs/images/dashboard');

/** The pictures docs/dashboard.md shows, by the name the tests give them. */
const TOUR = [
  'signin',
  'overview-24h',
  'overview-390',
  'agents-list',
  'agent-detail',
  'runs-list',
  'run-detail-log',
  'triggers-list',
  'triggers-schedule-detail',
  'post-actions-list',
  'post-actions-builder-error',
  'post-actions-detail',
  'endpoints-list',
  'endpoints-create-secret',
  'endpoints-detail',
  'endpoints-delivery-attempts',
  'notifications-failed',
  'inspector-bin',
  'settings',
];

mkdirSync(to, { recursive: true });
const missing = TOUR.filter((name) => !existsSync(join(from, `${name}.png`)));
if (missing.length) {
  console.error(`Missing screenshots: ${missing.join(', ')}.\nRun the dashboard tests first: npx vitest run packages/dashboard`);
  process.exit(1);
}
for (const name of TOUR) copyFileSync(join(from, `${name}.png`), join(to, `${name}.png`));
console.log(`Copied ${TOUR.length} screenshots to docs/images/dashboard/`);
