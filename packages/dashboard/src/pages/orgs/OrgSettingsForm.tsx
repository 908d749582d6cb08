// An org's settings: retention, quotas, the origins allowed to frame its portal, and the
// portal's brand. Saved whole (PATCH replaces the settings); the server validates each field
// and its message is shown as it wrote it.
import { useState, type FormEvent } from 'react';
import { api, type Org, type OrgSettings } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { useCanWrite } from '../../components/ReadOnlyNote.js';
import { useAction } from '../../hooks/useAction.js';
import { useSignedIn } from '../../session.js';

type Quota = 'events_per_second' | 'endpoints' | 'agents' | 'stored_bytes';
const QUOTAS: { field: Quota; label: string; hint: string }[] = [
  { field: 'events_per_second', label: 'Events per second', hint: 'Each environment may publish this many.' },
  { field: 'endpoints', label: 'Endpoints', hint: 'Each environment may hold this many.' },
  { field: 'agents', label: 'Agents', hint: 'Each environment may hold this many.' },
  { field: 'stored_bytes', label: 'Stored bytes', hint: 'Of event payloads, per environment.' },
];

/** The form's text fields, '' meaning "the installation's value". */
interface Draft {
  retentionEvents: string;
  retentionAttempts: string;
  quotas: Record<Quota, string>;
  origins: string;
  color: string;
  logoUrl: string;
}

function draftOf(s: OrgSettings): Draft {
  const q = s.quotas ?? {};
  return {
    retentionEvents: s.retention?.events ?? '',
    retentionAttempts: s.retention?.attempts ?? '',
    quotas: {
      events_per_second: q.events_per_second?.toString() ?? '',
      endpoints: q.endpoints?.toString() ?? '',
      agents: q.agents?.toString() ?? '',
      stored_bytes: q.stored_bytes?.toString() ?? '',
    },
    origins: (s.portal_origins ?? []).join('\n'),
    color: s.brand?.color ?? '',
    logoUrl: s.brand?.logo_url ?? '',
  };
}

/** Only the fields set; a number field that is not a number goes as typed, for the server to refuse by name. */
function settingsOf(d: Draft): OrgSettings {
  const set = <T extends object>(o: T) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== '')) as T;
  const num = (v: string) => (v.trim() === '' ? undefined : Number.isFinite(Number(v)) ? Number(v) : v.trim());
  const retention = set({ events: d.retentionEvents.trim(), attempts: d.retentionAttempts.trim() });
  const quotas = set(Object.fromEntries(QUOTAS.map(({ field }) => [field, num(d.quotas[field])])));
  const brand = set({ color: d.color.trim(), logo_url: d.logoUrl.trim() });
  const origins = d.origins
    .split(/[\n,]/)
    .map((o) => o.trim())
    .filter(Boolean);
  return set({
    retention: Object.keys(retention).length ? retention : undefined,
    quotas: Object.keys(quotas).length ? (quotas as OrgSettings['quotas']) : undefined,
    portal_origins: origins,
    brand: Object.keys(brand).length ? brand : undefined,
  });
}

export function OrgSettingsForm({ org, onSaved }: { org: Org; onSaved(org: Org): void }) {
  const { key } = useSignedIn();
  const canWrite = useCanWrite() && key.env_id === null;
  const [draft, setDraft] = useState(() => draftOf(org.settings));
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const edit = (patch: Partial<Draft>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...patch }));
  };

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const next = await action.run('save', () =>
      api<Org>(`/api/v1/orgs/${encodeURIComponent(org.id)}`, { method: 'PATCH', body: { settings: settingsOf(draft) } }),
    );
    if (!next) return;
    onSaved(next);
    setDraft(draftOf(next.settings));
    setSaved(true);
  };

  const text = (id: string, label: string, value: string, onChange: (v: string) => void, hint: string, placeholder = '') => (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input id={id} data-testid={id} value={value} placeholder={placeholder} disabled={!canWrite} onChange={(e) => onChange(e.target.value)} />
      <p className="field-hint">{hint}</p>
    </div>
  );

  return (
    <form className="form" onSubmit={(e) => void save(e)} aria-label="Org settings" data-testid="org-settings-form">
      <div className="field-wide">
        <ErrorBanner message={action.error} onDismiss={() => action.setError(null)} />
      </div>
      {text(
        'org-retention-events',
        'Keep events for',
        draft.retentionEvents,
        (v) => edit({ retentionEvents: v }),
        'e.g. 30d; older events are deleted.',
        '30d',
      )}
      {text('org-retention-attempts', 'Keep attempt records for', draft.retentionAttempts, (v) => edit({ retentionAttempts: v }), 'e.g. 7d.', '7d')}
      {QUOTAS.map(({ field, label, hint }) =>
        text(`org-quota-${field.replaceAll('_', '-')}`, label, draft.quotas[field], (v) => edit({ quotas: { ...draft.quotas, [field]: v } }), hint),
      )}
      <div className="field field-wide">
        <label htmlFor="org-portal-origins">Origins allowed to embed the portal</label>
        <textarea
          id="org-portal-origins"
          data-testid="org-portal-origins"
          rows={3}
          value={draft.origins}
          disabled={!canWrite}
          placeholder="https://app.example.com"
          onChange={(e) => edit({ origins: e.target.value })}
        />
        <p className="field-hint">One per line, scheme and host only (https://app.example.com).</p>
      </div>
      {text('org-brand-color', 'Brand colour', draft.color, (v) => edit({ color: v }), "The portal's accent colour, #rrggbb.", '#1f6feb')}
      {text('org-brand-logo', 'Logo URL', draft.logoUrl, (v) => edit({ logoUrl: v }), 'An https URL of the logo the portal shows.', 'https://')}
      <div className="form-actions field-wide">
        <button type="submit" className="button button-primary" data-testid="org-settings-save" disabled={!canWrite || action.busy === 'save'}>
          {action.busy === 'save' ? 'Saving…' : 'Save settings'}
        </button>
        {saved && (
          <span className="ok-note" role="status" data-testid="org-settings-saved">
            Saved.
          </span>
        )}
      </div>
    </form>
  );
}
