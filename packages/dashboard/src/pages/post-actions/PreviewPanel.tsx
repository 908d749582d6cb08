// The builder's preview: what the request would look like for sample values or for a real
// run, with the variables it was rendered with. Nothing is sent anywhere.
import { type Page, type RunStatus } from '../../api.js';
import { formatTime } from '../../format.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link } from '../../router.js';
import type { TriggerRun } from '../triggers/types.js';
import { TEMPLATE_VARIABLES, type Method } from './types.js';
import type { PreviewState } from './usePreview.js';

const RUN_CHOICES = 25;
const ENDED: readonly RunStatus[] = ['completed', 'failed', 'timeout', 'cancelled'];

export interface PreviewSource {
  kind: 'sample' | 'run';
  /** The chosen run when kind is `run` ('' until one is picked). */
  runId: string;
}

interface Props {
  method: Method;
  state: PreviewState;
  source: PreviewSource;
  onSource(next: PreviewSource): void;
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

export function PreviewPanel({ method, state, source, onSource }: Props) {
  const { preview, error, loading } = state;
  const runs = useResource<Page<TriggerRun>>(source.kind === 'run' ? `/api/v1/runs?limit=${RUN_CHOICES}` : null);
  const ended = runs.data?.items.filter((r) => ENDED.includes(r.status)) ?? [];
  const count = preview?.errors.length ?? 0;
  const known = new Set(TEMPLATE_VARIABLES.map((v) => v.name));
  const extra = Object.keys(preview?.variables ?? {}).filter((n) => !known.has(n));

  return (
    <section className="section pa-preview" aria-labelledby="preview-title" data-testid="preview">
      <div className="section-head">
        <h2 id="preview-title">Preview</h2>
        <span className="muted" role="status" data-testid="preview-status">
          {loading ? 'Rendering…' : error ? 'Not rendered' : count ? `${count} template error${count > 1 ? 's' : ''}` : preview ? 'Rendered' : ''}
        </span>
      </div>
      <fieldset className="pa-source">
        <legend>Render with</legend>
        <label className="check">
          <input
            type="radio"
            name="preview-source"
            checked={source.kind === 'sample'}
            onChange={() => onSource({ kind: 'sample', runId: '' })}
            data-testid="preview-sample"
          />
          Sample values
        </label>
        <label className="check">
          <input
            type="radio"
            name="preview-source"
            checked={source.kind === 'run'}
            onChange={() => onSource({ kind: 'run', runId: source.runId })}
            data-testid="preview-run"
          />
          The values of a recent run
        </label>
        {source.kind === 'run' && (
          <div className="field">
            <label htmlFor="preview-run-id">Run</label>
            <select id="preview-run-id" data-testid="preview-run-id" value={source.runId} onChange={(e) => onSource({ kind: 'run', runId: e.target.value })}>
              <option value="">{runs.loading ? 'Loading runs…' : ended.length ? 'Choose a run' : 'No finished runs yet'}</option>
              {ended.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.id} · {r.agent_id} · {r.status} · {formatTime(r.finished_at ?? r.created_at)}
                </option>
              ))}
            </select>
            {runs.error && <p className="field-error">{runs.error}</p>}
            <p className="field-hint">The variables the post-action would get if this run had ended now through a bound trigger.</p>
          </div>
        )}
      </fieldset>

      {error && (
        <p className="field-error" role="alert" data-testid="preview-error">
          {error}
        </p>
      )}
      {count > 0 && <p className="field-error">The fields marked below have template errors; the other fields are still rendered.</p>}

      {preview && (
        <div className="pa-rendered">
          <h3>Request</h3>
          <pre className="pre" data-testid="preview-url">
            {method} {preview.url ?? '(the URL has an error)'}
          </pre>
          <h3>Headers</h3>
          {preview.headers && Object.keys(preview.headers).length > 0 ? (
            <pre className="pre" data-testid="preview-headers">
              {Object.entries(preview.headers)
                .map(([k, v]) => `${k}: ${v}`)
                .join('\n')}
            </pre>
          ) : (
            <p className="muted">
              {preview.headers ? 'None of your own (Hookline adds User-Agent, Content-Type and the auth header when sending).' : 'A header has an error.'}
            </p>
          )}
          <h3>Body</h3>
          {method === 'GET' && <p className="field-hint">GET requests are sent without a body.</p>}
          {preview.body === null ? (
            <p className="muted">The body has an error.</p>
          ) : preview.body === '' ? (
            <p className="muted" data-testid="preview-body-empty">
              Empty: no body is sent.
            </p>
          ) : (
            <pre className="pre" data-testid="preview-body">
              {preview.body}
            </pre>
          )}
        </div>
      )}

      <details className="pa-variables" data-testid="preview-variables">
        <summary>Variables {preview ? `(${preview.source === 'run' ? 'from the run' : 'sample values'})` : ''}</summary>
        <dl className="pa-vars">
          {[...TEMPLATE_VARIABLES, ...extra.map((name) => ({ name, description: '' }))].map((v) => (
            <div key={v.name} className="pa-var" data-name={v.name}>
              <dt className="mono">{`{{ ${v.name} }}`}</dt>
              <dd>
                {preview && <span className="mono pa-var-value">{show(preview.variables[v.name]) || <span className="muted">(empty)</span>}</span>}
                {v.description && <span className="sub">{v.description}</span>}
              </dd>
            </div>
          ))}
        </dl>
        <p className="field-hint">
          Filters such as <code>{'{{ response | truncate(200) }}'}</code> and <code>{'{% if status == "failed" %}'}</code> blocks work too (docs/templates.md).
        </p>
      </details>
      {preview?.source === 'run' && source.runId && (
        <p className="field-hint">
          Rendered with the values of run <Link href={href('/runs', source.runId)}>{source.runId}</Link>.
        </p>
      )}
    </section>
  );
}
