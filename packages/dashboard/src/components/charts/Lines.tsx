// One line per series over time buckets (e.g. delivery latency p50/p95/p99), SVG, with the
// numbers also offered as a table. Buckets without a value break the line instead of pretending zero.
import { BucketTable, Legend, type Series } from './StackedBars.js';

interface Props {
  title: string;
  series: Series[];
  buckets: ({ start: string } & Record<string, number | string | null>)[];
  unit: string;
  testId?: string;
}

const W = 600;
const H = 140;

export function Lines({ title, series, buckets, unit, testId }: Props) {
  const values = buckets.flatMap((b) => series.map((s) => b[s.key])).filter((v): v is number => typeof v === 'number');
  const max = Math.max(1, ...values);
  const step = buckets.length > 1 ? W / (buckets.length - 1) : W;
  const point = (i: number, v: number) => `${(i * step).toFixed(1)},${(H - 2 - (v / max) * (H - 6)).toFixed(1)}`;

  // Consecutive buckets with values form one segment; a bucket without any breaks it.
  const segments = (key: string): string[] => {
    const out: string[] = [];
    let current: string[] = [];
    buckets.forEach((b, i) => {
      const v = b[key];
      if (typeof v === 'number') current.push(point(i, v));
      else if (current.length) {
        out.push(current.join(' '));
        current = [];
      }
    });
    if (current.length) out.push(current.join(' '));
    return out;
  };

  return (
    <figure className="chart" {...(testId ? { 'data-testid': testId } : {})}>
      <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label={values.length ? `${title}, up to ${max} ${unit}` : `${title}: no data`}>
        <line x1="0" y1={H - 0.5} x2={W} y2={H - 0.5} className="chart-axis" />
        {series.map((s) =>
          segments(s.key).map((pts, j) =>
            pts.includes(' ') ? (
              <polyline key={`${s.key}-${j}`} points={pts} fill="none" stroke={s.color} strokeWidth="2" vectorEffect="non-scaling-stroke" />
            ) : (
              // A lone value: a dot, since a line needs two points.
              <circle key={`${s.key}-${j}`} cx={pts.split(',')[0]} cy={pts.split(',')[1]} r="2.5" fill={s.color} />
            ),
          ),
        )}
      </svg>
      <Legend series={series} note={values.length ? `top ${max} ${unit}` : 'no deliveries in this window'} />
      <BucketTable title={title} buckets={buckets} columns={series.map((s) => ({ key: s.key, label: `${s.label} (${unit})` }))} />
    </figure>
  );
}
