import { pageRange } from '../format.js';

interface Props {
  offset: number;
  count: number;
  total: number;
  limit: number;
  onPage(offset: number): void;
}

/** Previous / next through a paged list, with "1–50 of 120". */
export function Pagination({ offset, count, total, limit, onPage }: Props) {
  const hasPrev = offset > 0;
  const hasNext = offset + count < total;
  return (
    <nav className="pagination" aria-label="Pages">
      <span className="muted" data-testid="page-range" aria-live="polite">
        {pageRange(offset, count, total)}
      </span>
      <button type="button" className="button" disabled={!hasPrev} onClick={() => onPage(Math.max(0, offset - limit))}>
        ← Previous
      </button>
      <button type="button" className="button" disabled={!hasNext} onClick={() => onPage(offset + limit)}>
        Next →
      </button>
    </nav>
  );
}
