// One org: its environments (each can open the portal as that tenant), the keys limited to
// it, its settings (retention, quotas, portal origins, brand) and, for an installation
// admin, deleting it with everything in it.
import { api, type Org } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { PageHead } from '../../components/PageHead.js';
import { ReadOnlyNote, useCanWrite } from '../../components/ReadOnlyNote.js';
import { TypedDelete } from '../../components/TypedDelete.js';
import { useResource } from '../../hooks/useResource.js';
import { navigate, to } from '../../router.js';
import type { PageProps } from '../../routes.js';
import { useSignedIn } from '../../session.js';
import { chooseTenant, chosenTenant, tenantListChanged } from '../../tenant.js';
import { OrgEnvs } from './OrgEnvs.js';
import { OrgKeys } from './OrgKeys.js';
import { OrgSettingsForm } from './OrgSettingsForm.js';

export function OrgDetail({ params }: PageProps) {
  const id = params.id!;
  const path = `/api/v1/orgs/${encodeURIComponent(id)}`;
  const org = useResource<Org>(path);
  const { key } = useSignedIn();
  const canWrite = useCanWrite();
  const o = org.data;

  const remove = (confirm: string | undefined) => api<void>(`${path}${confirm ? `?confirm=${encodeURIComponent(confirm)}` : ''}`, { method: 'DELETE' });
  const removed = () => {
    if (chosenTenant()?.orgId === id) chooseTenant(null);
    tenantListChanged();
    navigate(to('/orgs'));
  };
  const deleteHint =
    !canWrite || key.org_id !== null
      ? 'Only an installation admin key can delete an org.'
      : o?.default
        ? "The installation's default org cannot be deleted."
        : undefined;

  return (
    <section className="area-orgs" aria-labelledby="org-title">
      <PageHead id="org-title" title={o ? o.name : 'Org'} description={<span className="mono wrap-any">{id}</span>} />
      <ReadOnlyNote what="change this org" />
      <ErrorBanner message={org.error} />
      {o === null ? (
        org.loading && (
          <p className="muted" role="status">
            Loading org…
          </p>
        )
      ) : (
        <>
          <section className="section" aria-labelledby="org-envs-title">
            <div className="section-head">
              <h2 id="org-envs-title">Environments</h2>
            </div>
            <OrgEnvs org={o} />
          </section>
          <section className="section" aria-labelledby="org-keys-title">
            <div className="section-head">
              <h2 id="org-keys-title">API keys</h2>
            </div>
            <p className="muted">Keys limited to this org or one of its environments: they see and change nothing else.</p>
            <OrgKeys org={o} />
          </section>
          <section className="section" aria-labelledby="org-settings-title">
            <div className="section-head">
              <h2 id="org-settings-title">Settings</h2>
            </div>
            <p className="muted">An empty field takes the installation's value.</p>
            <OrgSettingsForm org={o} onSaved={(saved) => org.setData(saved)} />
          </section>
          <section className="section" aria-labelledby="org-delete-title">
            <div className="section-head">
              <h2 id="org-delete-title">Delete org</h2>
            </div>
            <p className="muted">Erases every environment of this org with all its data, and revokes its keys.</p>
            <TypedDelete
              what={`org ${o.name}`}
              id={o.id}
              always
              onDelete={remove}
              onDeleted={removed}
              disabled={deleteHint !== undefined}
              title={deleteHint}
              testId="org-delete"
            />
          </section>
        </>
      )}
    </section>
  );
}
