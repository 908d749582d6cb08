// One captured request, in full: where it came from, its query and headers, its body (pretty
// JSON when it parses, base64 when it is not text, a note when it was cut) and the signature
// check made with the bin's secret when it arrived.
import type { CapturedRequest, SignatureCheck } from '../api.js';
import { KeyValue } from './KeyValue.js';
import { Time } from './Time.js';

/** ✓ valid / ✗ invalid: reason / none, as words and colour (never colour only). */
export function InspectorSignature({ check }: { check: SignatureCheck | null }) {
  if (!check) {
    return (
      <span className="badge" data-testid="signature" data-valid="none" title="No signature headers, and this bin has no secret">
        no signature
      </span>
    );
  }
  return (
    <span
      className={`badge ${check.valid ? 'badge-valid' : 'badge-invalid'}`}
      data-testid="signature"
      data-valid={check.valid ? 'true' : 'false'}
      title={`${check.scheme}: ${check.reason}`}
    >
      {check.valid ? '✓ signature valid' : '✗ signature invalid'}
    </span>
  );
}

function prettyBody(r: CapturedRequest): { text: string; json: boolean } {
  const looksJson = (r.content_type ?? '').includes('json') || /^\s*[[{]/.test(r.body);
  if (looksJson && !r.body_truncated) {
    try {
      return { text: JSON.stringify(JSON.parse(r.body), null, 2), json: true };
    } catch {
      // Not JSON after all: shown as it came.
    }
  }
  return { text: r.body, json: false };
}

function Table({ label, rows, testId }: { label: string; rows: [string, string][]; testId: string }) {
  if (rows.length === 0) return <p className="muted">None.</p>;
  return (
    <div className="table-wrap">
      <table className="table table-cards table-compact" data-testid={testId}>
        <caption className="visually-hidden">{label}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Value</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([k, v]) => (
            <tr key={k}>
              <td data-label="Name" className="mono">
                {k}
              </td>
              <td data-label="Value" className="wrap mono">
                {v}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function InspectorRequest({ request: r, maxBodyBytes }: { request: CapturedRequest; maxBodyBytes?: number }) {
  const body = prettyBody(r);
  return (
    <div className="captured" data-testid="request-detail" data-id={r.id}>
      <KeyValue
        rows={[
          ['Request', <span className="mono">{`${r.method} ${r.path}`}</span>],
          ['Received', <Time iso={r.received_at} />],
          ['From', <span className="mono">{r.remote_address}</span>],
          ['Content type', r.content_type ? <span className="mono">{r.content_type}</span> : null],
          ['Size', `${r.size_bytes} bytes`],
        ]}
      />
      <h4 className="subhead">Signature</h4>
      <p data-testid="signature-detail">
        <InspectorSignature check={r.signature} />{' '}
        {r.signature ? (
          <span data-testid="signature-reason">
            <span className="mono">{r.signature.scheme}</span>: {r.signature.reason}
          </span>
        ) : (
          <span className="muted">No signature headers arrived, and this bin has no secret to check one with.</span>
        )}
      </p>
      <h4 className="subhead">Query</h4>
      <Table label="Query parameters" rows={Object.entries(r.query)} testId="request-query" />
      <h4 className="subhead">Headers</h4>
      <Table label="Headers, as received" rows={Object.entries(r.headers)} testId="request-headers" />
      <h4 className="subhead">Body{body.json ? ' (JSON, pretty-printed)' : ''}</h4>
      {r.body_truncated && (
        <p className="note-banner" data-testid="body-truncated">
          The body was cut: only the first {maxBodyBytes ?? 'inspector.max_body_bytes'} bytes of {r.size_bytes} were kept.
        </p>
      )}
      {r.body_base64 !== null ? (
        <>
          <p className="muted" data-testid="body-binary">
            The body is not UTF-8 text, so it is shown as base64.
          </p>
          <pre className="pre" data-testid="request-body">
            {r.body_base64}
          </pre>
        </>
      ) : r.body ? (
        <pre className="pre" data-testid="request-body">
          {body.text}
        </pre>
      ) : (
        <p className="muted" data-testid="request-body">
          (empty body)
        </p>
      )}
    </div>
  );
}
