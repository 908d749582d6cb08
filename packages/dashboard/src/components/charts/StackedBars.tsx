// A stacked bar per time bucket (e.g. runs per hour by outcome), drawn as SVG that scales to
// its container. Each bar has a <title> for hover, and the same numbers are offered as a table
// for screen readers and for anyone who wants exact values.
import { formatBucket } from './time-axis.js';

export interface Series {
  key: string;
  label: string;
  /** A CSS colour, e.g. `var(--ok)`. */
  color: string;
}

interface Props {
  title: string;
  series: Series[];
  buckets: ({ start: string } & Record<string, number | string | null>)[];
  testId?: string;
}

const W = 600;
const H = 140;
const GAP = 2;

function value(b: Record<string, unknown>, key: string): number {
  const v = b[key];
  return typeof v === 'number' ? v : 0;
}

export function StackedBars({ title, series, buckets, testId }: Props) {
  const totals = buckets.map((b) => series.reduce((sum, s) => sum + value(b, s.key), 0));
  const max = Math.max(1, ...totals);
  const barW = buckets.length ? W / buckets.length : W;
  const sum = totals.reduce((a, b) => a + b, 0);
  return (
    <figure className="chart" {...(testId ? { 'data-testid': testId } : {})}>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={`${title}: ${sum} in total`}>
        <line x1="0" y1={H - 0.5} x2={W} y2={H - 0.5} className="chart-axis" />
        {buckets.map((b, i) => {
          let y = H;
          return (
            <g key={b.start}>
              <title>{`${formatBucket(b.start)}: ${series.map((s) => `${value(b, s.key)} ${s.label}`).join(', ')}`}</title>
              {/* A full-height transparent rect makes the whole column hoverable. */}
              <rect x={i * barW} y={0} width={barW} height={H} fill="transparent" />
              {series.map((s) => {
                const h = (value(b, s.key) / max) * (H - 4);
                y -= h;
                return h > 0 ? <rect key={s.key} x={i * barW + GAP / 2} y={y} width={Math.max(1, barW - GAP)} height={h} fill={s.color} /> : null;
              })}
            </g>
          );
        })}
      </svg>
      <Legend series={series} note={`peak ${max === 1 && sum === 0 ? 0 : max} per bucket`} />
      <BucketTable title={title} buckets={buckets} columns={series.map((s) => ({ key: s.key, label: s.label }))} />
    </figure>
  );
}

/** Each series' colour and name, and a note on the scale. */
export function Legend({ series, note }: { series: Series[]; note: string }) {
  return (
    <figcaption className="chart-legend">
      {series.map((s) => (
        <span key={s.key}>
          <span className="chart-swatch" style={{ background: s.color }} aria-hidden="true" /> {s.label}
        </span>
      ))}
      <span className="muted">{note}</span>
    </figcaption>
  );
}

/** The chart's numbers as a table, folded away by default. */
export function BucketTable({ title, buckets, columns }: { title: string; buckets: Props['buckets']; columns: { key: string; label: string }[] }) {
  return (
    <details className="chart-table">
      <summary>Show as table</summary>
      <div className="table-wrap">
        <table className="table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">From</th>
              {columns.map((c) => (
                <th key={c.key} scope="col" className="num">
                  {c.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {buckets.map((b) => (
              <tr key={b.start}>
                <td>{formatBucket(b.start)}</td>
                {columns.map((c) => (
                  <td key={c.key} className="num">
                    {b[c.key] ?? '—'}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}
