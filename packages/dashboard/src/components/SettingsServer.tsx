// What the server is configured with, read-only: named webhooks (origins only, never their
// paths or tokens), the SSRF guard's allowlist, delivery defaults, the inspector's limits,
// version and store. Changing them means editing the server's configuration.
import type { Settings } from '../api.js';
import { EmptyState } from './EmptyState.js';
import { KeyValue } from './KeyValue.js';

function duration(s: number): string {
  if (s >= 3600 && s % 3600 === 0) return `${s / 3600} h`;
  if (s >= 60 && s % 60 === 0) return `${s / 60} min`;
  return `${s} s`;
}

export function SettingsWebhooks({ hooks }: { hooks: Settings['named_webhooks'] }) {
  if (hooks.length === 0) {
    return (
      <EmptyState title="No named webhooks">
        <p>
          Named webhooks are signed outbound URLs listed in the server's configuration (<code>notifications.webhooks</code>). They are told when runs complete,
          fail or time out, and agents' notification rules can name them as a target.
        </p>
      </EmptyState>
    );
  }
  return (
    <div className="table-wrap">
      <table className="table table-cards" data-testid="webhook-table">
        <caption className="visually-hidden">Named webhooks</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Origin</th>
            <th scope="col">Events</th>
          </tr>
        </thead>
        <tbody>
          {hooks.map((w) => (
            <tr key={w.name} data-testid="webhook-row">
              <td data-label="Name" className="mono">
                {w.name}
              </td>
              <td data-label="Origin" className="wrap mono">
                {w.url}
              </td>
              <td data-label="Events" className="wrap mono">
                {w.events.length ? w.events.join(', ') : 'none'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function SettingsDelivery({ delivery }: { delivery: Settings['delivery'] }) {
  return (
    <div data-testid="settings-ssrf">
      <p data-testid="ssrf-blocked">{delivery.blocked}</p>
      <h3 className="subhead">Allowed anyway (delivery.allow_networks)</h3>
      {delivery.allow_networks.length ? (
        <ul className="chips" data-testid="allow-networks">
          {delivery.allow_networks.map((n) => (
            <li key={n} className="mono chip">
              {n}
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted" data-testid="allow-networks">
          Nothing: only public addresses can be reached. To send to a receiver on this machine or your network, list it in <code>delivery.allow_networks</code>{' '}
          (or <code>HOOKLINE_ALLOW_NETWORKS</code>, comma-separated), e.g. <code>127.0.0.1/32</code>, and restart.
        </p>
      )}
      <KeyValue
        rows={[
          ['Request timeout', duration(delivery.timeout_seconds)],
          ['Retry schedule', delivery.retry_schedule.length ? delivery.retry_schedule.map(duration).join(', ') : 'no retries'],
        ]}
      />
    </div>
  );
}

export function SettingsAbout({ settings }: { settings: Settings }) {
  return (
    <KeyValue
      rows={[
        [
          'Version',
          <span className="mono" data-testid="settings-version">
            {settings.version}
          </span>,
        ],
        ['Store', settings.store === 'postgres' ? 'PostgreSQL' : 'SQLite'],
        ['Public URL', settings.public_url ? <span className="mono">{settings.public_url}</span> : null],
        [
          'Inspector',
          settings.inspector.enabled
            ? `on: keeps ${settings.inspector.max_requests_per_bin} requests per bin, bodies up to ${settings.inspector.max_body_bytes} bytes`
            : 'off (inspector.enabled: false)',
        ],
      ]}
    />
  );
}
