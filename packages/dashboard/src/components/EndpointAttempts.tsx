// Every HTTP attempt of one endpoint delivery: the request, the answer (status and the first
// 4 KB of the body), how long it took, and the network error when there was no answer.
import type { DeliveryAttempt } from '../api.js';
import { StatusBadge } from './StatusBadge.js';
import { Time } from './Time.js';

/** "200", "HTTP 503" as a badge word: ok for 2xx, failed otherwise. */
function codeStatus(code: number): string {
  return code >= 200 && code < 300 ? 'delivered' : 'failed';
}

export function EndpointAttempts({ history }: { history: DeliveryAttempt[] }) {
  if (history.length === 0) {
    return (
      <p className="muted" data-testid="attempts-none">
        No attempt yet: a worker picks the delivery up in a moment.
      </p>
    );
  }
  // Newest first, like every other list here.
  const attempts = [...history].sort((a, b) => b.attempt - a.attempt);
  return (
    <ol className="attempts" data-testid="attempts" aria-label="Attempts, newest first">
      {attempts.map((a) => (
        <li key={a.attempt} className="attempt" data-testid="attempt" data-attempt={a.attempt} data-status-code={a.status_code ?? ''}>
          <div className="attempt-head">
            <strong>Attempt {a.attempt}</strong>
            <Time iso={a.started_at} />
            <span className="muted">{a.duration_ms} ms</span>
            {a.status_code !== null ? (
              <span className={`badge badge-${codeStatus(a.status_code)}`} data-testid="attempt-code">
                HTTP {a.status_code}
              </span>
            ) : (
              <StatusBadge status="failed" title="No HTTP response" />
            )}
          </div>
          <p className="attempt-request mono">
            {a.request.method} {a.request.url}
          </p>
          {a.error && (
            <p className="attempt-error" data-testid="attempt-error">
              <span className="mono">{a.error.code}</span>
              {a.error.message ? `: ${a.error.message}` : ''}
            </p>
          )}
          {a.status_code !== null && (
            <details open={a.status_code < 200 || a.status_code >= 300}>
              <summary>
                Response body{a.response_body ? ` (${a.response_body.length} characters${a.response_body.length >= 4096 ? ', first 4 KB' : ''})` : ' (empty)'}
              </summary>
              {a.response_body && (
                <pre className="pre" data-testid="attempt-response">
                  {a.response_body}
                </pre>
              )}
            </details>
          )}
        </li>
      ))}
    </ol>
  );
}
