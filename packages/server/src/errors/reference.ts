import { ERRORS, type ErrorEntry, type ErrorName, wireCode } from './catalogue.js';

const START =
  '<!-- error codes: generated from packages/server/src/errors/catalogue.ts by `npm run docs:errors`; do not edit by hand, a test fails when the two disagree -->';
const END = '<!-- end of generated error codes -->';

/** The error-code table of docs/api.md, one row per catalogue entry, in catalogue order. */
export function renderErrorTable(): string {
  const rows = (Object.entries(ERRORS) as [ErrorName, ErrorEntry][]).map(
    ([name, entry]) => `| ${entry.status} | \`${wireCode(name)}\` | ${entry.meaning.replaceAll('|', '\\|')} |`,
  );
  return [START, '', '| status | `code` | meaning |', '|---|---|---|', ...rows, '', END].join('\n');
}

/** `doc` (docs/api.md) with its generated table replaced by the catalogue's. */
export function withErrorTable(doc: string): string {
  const start = doc.indexOf(START);
  const end = doc.indexOf(END);
  if (start < 0 || end < start) throw new Error('docs/api.md has lost the markers around its error-code table');
  return doc.slice(0, start) + renderErrorTable() + doc.slice(end + END.length);
}
