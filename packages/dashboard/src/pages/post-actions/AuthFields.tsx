// A post-action's four auth modes. Credentials are write-only: the API never returns them, so editing
// shows blank boxes that keep the stored credentials unless something is typed.
import type { Draft } from './draft.js';
import { AUTH_TYPES, type AuthType, type PostAction } from './types.js';

const LABEL: Record<AuthType, string> = {
  none: 'None',
  bearer: 'Bearer token',
  basic: 'Basic',
  header: 'Custom header',
};

const SENT_AS: Record<AuthType, string> = {
  none: 'No auth header is added: for URLs that carry their own credential, such as Slack incoming webhooks.',
  bearer: 'Sent as Authorization: Bearer <token>.',
  basic: 'Sent as Authorization: Basic <base64 of username:password>.',
  header: 'Sent as <header name>: <value>, e.g. X-API-Key.',
};

interface Props {
  draft: Draft;
  original: PostAction | null;
  onChange(patch: Partial<Draft>): void;
  disabled: boolean;
  disabledTitle?: string;
}

export function AuthFields({ draft, original, onChange, disabled, disabledTitle }: Props) {
  // Credentials of the same type are stored: blank boxes keep them.
  const stored = original !== null && original.auth.type === draft.authType && draft.authType !== 'none';
  const keep = stored ? 'Leave blank to keep the stored value' : undefined;
  const common = { disabled, title: disabled ? disabledTitle : undefined, autoComplete: 'off', spellCheck: false } as const;
  return (
    <fieldset className="field field-wide pa-auth" data-testid="auth">
      <legend>Authentication</legend>
      <div className="field">
        <label htmlFor="pa-auth-type">Type</label>
        <select
          id="pa-auth-type"
          data-testid="auth-type"
          value={draft.authType}
          disabled={disabled}
          title={disabled ? disabledTitle : undefined}
          onChange={(e) => onChange({ authType: e.target.value as AuthType })}
        >
          {AUTH_TYPES.map((t) => (
            <option key={t} value={t}>
              {LABEL[t]}
            </option>
          ))}
        </select>
      </div>
      {draft.authType === 'bearer' && (
        <div className="field">
          <label htmlFor="pa-auth-token">Token</label>
          <input
            id="pa-auth-token"
            data-testid="auth-token"
            type="password"
            value={draft.token}
            placeholder={keep}
            onChange={(e) => onChange({ token: e.target.value })}
            {...common}
          />
        </div>
      )}
      {draft.authType === 'basic' && (
        <>
          <div className="field">
            <label htmlFor="pa-auth-username">Username</label>
            <input
              id="pa-auth-username"
              data-testid="auth-username"
              value={draft.username}
              placeholder={keep}
              onChange={(e) => onChange({ username: e.target.value })}
              {...common}
            />
          </div>
          <div className="field">
            <label htmlFor="pa-auth-password">Password</label>
            <input
              id="pa-auth-password"
              data-testid="auth-password"
              type="password"
              value={draft.password}
              placeholder={keep}
              onChange={(e) => onChange({ password: e.target.value })}
              {...common}
            />
          </div>
        </>
      )}
      {draft.authType === 'header' && (
        <>
          <div className="field">
            <label htmlFor="pa-auth-name">Header name</label>
            <input
              id="pa-auth-name"
              data-testid="auth-name"
              value={draft.authName}
              placeholder="X-API-Key"
              onChange={(e) => onChange({ authName: e.target.value })}
              {...common}
            />
          </div>
          <div className="field">
            <label htmlFor="pa-auth-value">Header value</label>
            <input
              id="pa-auth-value"
              data-testid="auth-value"
              type="password"
              value={draft.authValue}
              placeholder={keep}
              onChange={(e) => onChange({ authValue: e.target.value })}
              {...common}
            />
          </div>
        </>
      )}
      <p className="field-hint">
        {SENT_AS[draft.authType]}{' '}
        {stored
          ? 'Stored encrypted and never shown again: leave the boxes blank to keep the stored credentials; to change them, fill in every box.'
          : draft.authType === 'none'
            ? ''
            : 'Stored encrypted (AES-256-GCM) and never shown again. Credentials are literal text, not templates; the header is added when each attempt is sent.'}
      </p>
    </fieldset>
  );
}
