// The API's advice about something it saved anyway, e.g. an endpoint subscribed to an event type
// that is neither built in nor ever published (often a typo; the message says what was meant).
import type { SaveWarning } from '../api.js';

export function SaveWarnings({ warnings }: { warnings: SaveWarning[] }) {
  return (
    <div className="note-banner" role="status" data-testid="save-warnings">
      <p>Saved, but check {warnings.length === 1 ? 'this' : 'these'}:</p>
      <ul>
        {warnings.map((w) => (
          <li key={w.field} data-testid="save-warning">
            <span className="mono">{w.field}</span>: {w.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
