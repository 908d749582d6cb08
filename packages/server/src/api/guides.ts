// The user guides (the repository's docs/ folder, written to be read on GitHub) served as
// plain text at /guides/, and listed in the OpenAPI description so /docs links to them.
// Only files found at start are served: a request names a guide, never a path.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Guide {
  /** The URL path under /guides/, e.g. `quickstart.md` or `recipes/github-pr-review.md`. */
  name: string;
  title: string;
  file: string;
}

/** docs/ of the checkout this server runs from (src/api or dist/api → the repository root), if there is one. */
export function defaultGuidesDir(): string | undefined {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '../../../../docs');
  return existsSync(join(dir, 'quickstart.md')) ? dir : undefined;
}

export function findGuides(dir: string | undefined): Guide[] {
  if (!dir) return [];
  const guides: Guide[] = [];
  for (const sub of ['', 'recipes']) {
    const folder = join(dir, sub);
    if (!existsSync(folder)) continue;
    for (const entry of readdirSync(folder).sort()) {
      if (!/^[a-z0-9-]+\.md$/i.test(entry)) continue;
      const file = join(folder, entry);
      const heading = /^#\s+(.+)$/m.exec(readFileSync(file, 'utf8'))?.[1]?.trim();
      guides.push({ name: sub ? `${sub}/${entry}` : entry, title: heading ?? entry, file });
    }
  }
  return guides;
}

/** Markdown for the OpenAPI description: one link per guide. */
export function guidesMarkdown(guides: Guide[]): string {
  if (guides.length === 0) return '';
  return `\n\n**Guides** (plain text, also readable in the repository's docs/ folder):\n\n${guides.map((g) => `- [${g.title}](/guides/${g.name})`).join('\n')}`;
}
