// The Slack connection as the server sees it (never the token), and a test message sent now
// through the same guarded sender. Slack's own error code comes back in the API's message.
import { useState, type FormEvent } from 'react';
import { api, type Settings } from '../api.js';
import { useAction } from '../hooks/useAction.js';
import { ErrorBanner } from './ErrorBanner.js';
import { KeyValue } from './KeyValue.js';
import { useCanWrite } from './ReadOnlyNote.js';

const READ_ONLY = 'Your API key is read-only. Sign in with an admin key to send a test message.';

const TOKEN_SOURCE = { config: 'the configuration file', env: 'the environment (HOOKLINE_SLACK_BOT_TOKEN)' } as const;

export function SettingsSlack({ slack }: { slack: Settings['slack'] }) {
  const canWrite = useCanWrite();
  const action = useAction();
  const [channel, setChannel] = useState('');
  const [text, setText] = useState('Test message from Hookline: the Slack connection works.');
  const [sent, setSent] = useState<{ channel: string; ts: string } | null>(null);

  const send = async (e: FormEvent) => {
    e.preventDefault();
    setSent(null);
    const body: { channel?: string; text?: string } = {};
    if (channel.trim()) body.channel = channel.trim();
    if (text.trim()) body.text = text;
    const r = await action.run('send', () => api<{ ok: true; channel: string; ts: string }>('/api/v1/notifications/slack/test', { method: 'POST', body }));
    if (r) setSent({ channel: r.channel, ts: r.ts });
  };

  const writeHint = canWrite ? undefined : READ_ONLY;
  return (
    <div data-testid="settings-slack">
      <KeyValue
        rows={[
          ['Enabled', slack.enabled ? 'yes' : 'no'],
          ['Bot token', slack.configured ? `set, from ${slack.token_source ? TOKEN_SOURCE[slack.token_source] : 'the server'}` : 'not set'],
          ['Default channel', slack.default_channel ? <span className="mono">{slack.default_channel}</span> : null],
          ['Web API', <span className="mono">{slack.api_base_url}</span>],
          ['Templates folder', slack.templates_dir ? <span className="mono">{slack.templates_dir}</span> : null],
        ]}
      />
      {!slack.enabled && (
        <p className="muted">
          Slack is off. Set <code>notifications.slack.enabled: true</code> and a bot token (<code>HOOKLINE_SLACK_BOT_TOKEN</code>) in the server's configuration
          to announce runs there.
        </p>
      )}
      <h3 className="subhead">Send a test message</h3>
      <form className="form" onSubmit={(e) => void send(e)} aria-label="Send a Slack test message" data-testid="slack-test-form">
        <div className="field">
          <label htmlFor="slack-channel">Channel</label>
          <input
            id="slack-channel"
            data-testid="slack-channel"
            value={channel}
            onChange={(e) => setChannel(e.target.value)}
            placeholder={slack.default_channel ?? '#alerts'}
            spellCheck={false}
          />
          <p className="field-hint">A #name or channel id. Empty: the default channel.</p>
        </div>
        <div className="field field-wide">
          <label htmlFor="slack-text">Text</label>
          <textarea id="slack-text" data-testid="slack-text" rows={2} maxLength={3000} value={text} onChange={(e) => setText(e.target.value)} />
        </div>
        <div className="form-actions">
          <span title={writeHint}>
            <button type="submit" className="button" data-testid="slack-send" disabled={!canWrite || action.busy !== null} title={writeHint}>
              {action.busy ? 'Sending…' : 'Send test message'}
            </button>
          </span>
          {sent && (
            <span role="status" className="ok-note" data-testid="slack-sent">
              Sent to <span className="mono">{sent.channel}</span> (message ts <span className="mono">{sent.ts}</span>).
            </span>
          )}
        </div>
      </form>
      <ErrorBanner message={action.error} onDismiss={() => action.setError(null)} />
    </div>
  );
}
