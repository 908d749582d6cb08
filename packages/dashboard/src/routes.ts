// Every page of the dashboard, by URL pattern. Each area lists its own pages in its
// `pages/<area>/routes.ts`, so the areas can grow without touching one shared file.
import type { ComponentType } from 'react';

export interface PageProps {
  /** The `:name` parts of the matched pattern, URI-decoded. */
  params: Record<string, string>;
}

export interface Route {
  /** A dashboard path such as `/agents/:id`; a `:param` matches one segment. */
  pattern: string;
  page: ComponentType<PageProps>;
}
