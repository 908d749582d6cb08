// Creates an endpoint, then shows its signing secret once (the API never returns it again)
// before moving on to the endpoint's page, with the API's warnings about its event types.
import { useState } from 'react';
import { api, type EndpointCreated, type SaveWarning } from '../../api.js';
import { EndpointForm, type EndpointCreateBody } from '../../components/EndpointForm.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { SaveWarnings } from '../../components/SaveWarnings.js';
import { PageHead } from '../../components/PageHead.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { SecretOnce } from '../../components/SecretOnce.js';
import { useAction } from '../../hooks/useAction.js';
import { href, Link, navigate, to } from '../../router.js';

export function EndpointNew() {
  const canWrite = useCanWrite();
  const action = useAction();
  // The secret lives only here; leaving the page forgets it.
  const [created, setCreated] = useState<{ id: string; url: string; secret: string; warnings: SaveWarning[] } | null>(null);

  const create = async (body: EndpointCreateBody) => {
    const ep = await action.run('create', () => api<EndpointCreated>('/api/v1/webhooks/endpoints', { method: 'POST', body }));
    if (ep) setCreated({ id: ep.id, url: ep.url, secret: ep.secret, warnings: ep.warnings ?? [] });
  };

  return (
    <section className="area-endpoints" aria-labelledby="endpoint-new-title">
      <PageHead
        id="endpoint-new-title"
        title="New endpoint"
        description="A URL that Hookline POSTs events to, each request signed with the endpoint's secret."
        actions={
          <Link className="button" href={to('/endpoints')}>
            All endpoints
          </Link>
        }
      />
      <ReadOnlyNote what="create endpoints" />
      <ErrorBanner message={action.error} onDismiss={() => action.setError(null)} />
      {created ? (
        <>
          <p data-testid="endpoint-created">
            Endpoint <span className="mono">{created.id}</span> for <span className="mono wrap-any">{created.url}</span> is created and enabled.
          </p>
          {created.warnings.length > 0 && <SaveWarnings warnings={created.warnings} />}
          <SecretOnce label="Signing secret" secret={created.secret} onDone={() => navigate(href('/endpoints', created.id), { replace: true })} />
          <p className="muted">
            Give this secret to the receiver so it can verify each request. With the <code>standard</code> scheme, the <code>standardwebhooks</code> and{' '}
            <code>svix</code> libraries take it as it is.
          </p>
        </>
      ) : (
        <EndpointForm canWrite={canWrite} busy={action.busy === 'create'} onSubmit={(b) => void create(b)} onInvalid={action.setError} />
      )}
    </section>
  );
}
