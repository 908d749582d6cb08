import type { ReactNode } from 'react';

/** A definition list of a record's fields; rows whose value is undefined are left out. */
export function KeyValue({ rows }: { rows: [label: string, value: ReactNode][] }) {
  return (
    <dl className="kv">
      {rows
        .filter(([, v]) => v !== undefined)
        .map(([label, value]) => (
          <div className="kv-row" key={label}>
            <dt>{label}</dt>
            <dd>{value === null || value === '' ? <span className="muted">—</span> : value}</dd>
          </div>
        ))}
    </dl>
  );
}
