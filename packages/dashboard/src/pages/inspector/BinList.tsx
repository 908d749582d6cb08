// The Inspector's request bins: capture URLs that record whatever is sent to them, to see
// exactly what Hookline (or anything else) sends. Create, open, delete; paged in the URL.
import { api, query, type Bin, type Page } from '../../api.js';
import { CopyButton } from '../../components/CopyButton.js';
import { EmptyState } from '../../components/EmptyState.js';
import { ConfirmButton } from '../../components/ConfirmButton.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { InspectorBinForm, type BinCreateBody } from '../../components/InspectorBinForm.js';
import { PageHead } from '../../components/PageHead.js';
import { Pagination } from '../../components/Pagination.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { Time } from '../../components/Time.js';
import { useAction } from '../../hooks/useAction.js';
import { useResource } from '../../hooks/useResource.js';
import { href, Link, navigate, to, useLocation } from '../../router.js';

const LIMIT = 25;
const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to delete bins.';

function offsetFrom(raw: string | null): number {
  const n = Number(raw);
  return Number.isInteger(n) && n > 0 ? n : 0;
}

export function BinList() {
  const canWrite = useCanWrite();
  const { search } = useLocation();
  const offset = offsetFrom(search.get('offset'));
  const list = useResource<Page<Bin>>(`/api/v1/inspector/bins${query({ limit: LIMIT, offset })}`);
  const action = useAction();

  const create = async (body: BinCreateBody) => {
    const bin = await action.run('create', () => api<Bin>('/api/v1/inspector/bins', { method: 'POST', body }));
    if (bin) navigate(href('/inspector', bin.name));
  };

  const remove = (name: string) =>
    action.run(`delete:${name}`, async () => {
      await api<void>(`/api/v1/inspector/bins/${encodeURIComponent(name)}`, { method: 'DELETE' });
      await list.reload();
      return true;
    });

  const page = list.data;
  return (
    <section className="area-inspector" aria-labelledby="inspector-title">
      <PageHead
        id="inspector-title"
        title="Inspector"
        description="Request bins: URLs that record every request sent to them, with headers, body and a signature check."
      />
      <ReadOnlyNote what="create or delete bins" />
      <ErrorBanner message={action.error ?? list.error} onDismiss={() => action.setError(null)} />
      <section className="section" aria-labelledby="bin-new-title">
        <div className="section-head">
          <h2 id="bin-new-title">New bin</h2>
        </div>
        <InspectorBinForm canWrite={canWrite} busy={action.busy === 'create'} onSubmit={(b) => void create(b)} />
      </section>
      <div aria-busy={list.loading}>
        {page === null ? (
          list.loading && (
            <p className="muted" role="status">
              Loading bins…
            </p>
          )
        ) : page.items.length === 0 && page.total > 0 ? (
          <EmptyState title="This page is past the end of the list">
            <Link className="button" href={to('/inspector')}>
              Go to the first page
            </Link>
          </EmptyState>
        ) : page.items.length === 0 ? (
          <EmptyState title="No bins yet">
            <p>
              A bin is a URL (<code>/inspect/&lt;name&gt;</code> on this server) that accepts any request and keeps it for you to look at. Use it to see what a
              webhook really sends: point an endpoint, a run's <code>callback_url</code> or a post-action at it, or curl it.
            </p>
            <p>Give the bin the sender's secret and every captured request shows whether its signature is valid, and why not.</p>
          </EmptyState>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table table-cards" data-testid="bin-table">
                <caption className="visually-hidden">Request bins, newest first</caption>
                <thead>
                  <tr>
                    <th scope="col">Bin</th>
                    <th scope="col">Capture URL</th>
                    <th scope="col">Signature check</th>
                    <th scope="col" className="num">
                      Requests
                    </th>
                    <th scope="col">Last request</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {page.items.map((b) => (
                    <tr key={b.name} data-testid="bin-row" data-name={b.name}>
                      <td data-label="Bin">
                        <Link href={href('/inspector', b.name)} className="mono">
                          {b.name}
                        </Link>
                      </td>
                      <td data-label="Capture URL" className="wrap">
                        <div>
                          <span className="mono">{b.url}</span> <CopyButton text={b.url} />
                        </div>
                      </td>
                      <td data-label="Signature check">{b.has_secret ? `${b.scheme}, with a secret` : `${b.scheme}, no secret`}</td>
                      <td data-label="Requests" className="num">
                        {b.request_count}
                      </td>
                      <td data-label="Last request">
                        <Time iso={b.last_request_at} />
                      </td>
                      <td data-label="" className="actions">
                        <ConfirmButton
                          label="Delete"
                          testId="bin-delete"
                          danger
                          question={`Delete bin "${b.name}" and its ${b.request_count} captured requests? Its URL stops accepting requests.`}
                          confirmLabel="Delete bin"
                          onConfirm={() => remove(b.name)}
                          busy={action.busy === `delete:${b.name}`}
                          disabled={!canWrite}
                          {...(canWrite ? {} : { title: READ_ONLY })}
                        />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pagination
              offset={page.offset}
              count={page.items.length}
              total={page.total}
              limit={LIMIT}
              onPage={(o) => navigate(to('/inspector') + query({ offset: o || undefined }))}
            />
          </>
        )}
      </div>
    </section>
  );
}
