// Settings: API keys (the one thing changed here), and what the server is configured with:
// the Slack connection with a test message, named webhooks, the SSRF guard, version and store.
import type { Settings as ServerSettings } from '../../api.js';
import { ErrorBanner } from '../../components/ErrorBanner.js';
import { PageHead } from '../../components/PageHead.js';
import { ReadOnlyNote } from '../../components/ReadOnlyNote.js';
import { SettingsKeys } from '../../components/SettingsKeys.js';
import { SettingsAbout, SettingsDelivery, SettingsWebhooks } from '../../components/SettingsServer.js';
import { SettingsSlack } from '../../components/SettingsSlack.js';
import { useResource } from '../../hooks/useResource.js';

export function Settings() {
  const res = useResource<ServerSettings>('/api/v1/settings');
  const s = res.data;
  return (
    <section className="area-settings" aria-labelledby="settings-title">
      <PageHead id="settings-title" title="Settings" description="API keys, and how this Hookline server is configured. Secrets are never shown." />
      <ReadOnlyNote what="create or revoke keys or send a Slack test message" />
      <section className="section" aria-labelledby="settings-keys-title">
        <div className="section-head">
          <h2 id="settings-keys-title">API keys</h2>
        </div>
        <p className="muted">
          Every API call and dashboard session uses one. Admin keys may change anything; read-only keys may only look. A key is shown once, when it is created.
        </p>
        <SettingsKeys />
      </section>
      {res.error && (
        <div data-testid="settings-error">
          <ErrorBanner message={res.error} />
        </div>
      )}
      {s === null ? (
        res.loading && (
          <p className="muted" role="status">
            Loading server settings…
          </p>
        )
      ) : (
        <>
          <section className="section" aria-labelledby="settings-slack-title">
            <div className="section-head">
              <h2 id="settings-slack-title">Slack</h2>
            </div>
            <SettingsSlack slack={s.slack} />
          </section>
          <section className="section" aria-labelledby="settings-webhooks-title">
            <div className="section-head">
              <h2 id="settings-webhooks-title">Named webhooks</h2>
            </div>
            <SettingsWebhooks hooks={s.named_webhooks} />
          </section>
          <section className="section" aria-labelledby="settings-ssrf-title">
            <div className="section-head">
              <h2 id="settings-ssrf-title">Outbound requests and the SSRF guard</h2>
            </div>
            <SettingsDelivery delivery={s.delivery} />
          </section>
          <section className="section" aria-labelledby="settings-about-title">
            <div className="section-head">
              <h2 id="settings-about-title">Server</h2>
            </div>
            <SettingsAbout settings={s} />
          </section>
        </>
      )}
    </section>
  );
}
