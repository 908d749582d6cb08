/** One page of a list: `total` counts every match, not just this page. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PageParams {
  /** 1–1000; the server's default is 50. */
  limit?: number;
  offset?: number;
}

/** Page size `iterate()` asks for when the caller gives none. */
export const ITERATE_PAGE_SIZE = 100;

/**
 * Walks every page from `params.offset` on, yielding items one by one. Stops when a page
 * comes back empty or `offset` reaches `total`. Lists are newest first, so items created
 * while walking can shift later pages (an item may be seen twice); dedupe on `id` if that matters.
 */
export async function* walkPages<T, P extends PageParams>(fetchPage: (params: P) => Promise<Page<T>>, params: P): AsyncGenerator<T, void, undefined> {
  let offset = params.offset ?? 0;
  const limit = params.limit ?? ITERATE_PAGE_SIZE;
  for (;;) {
    const page = await fetchPage({ ...params, limit, offset });
    for (const item of page.items) yield item;
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.total) return;
  }
}

/** Every item of every page, in one array. */
export async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

/** Lists the server answers whole (`{items}` only) get the page shape every other list has. */
export function wholeList<T>(body: { items: T[] }): Page<T> {
  return { items: body.items, total: body.items.length, limit: body.items.length, offset: 0 };
}
