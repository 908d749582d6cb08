import { useLiveStatus } from '../hooks/useLive.js';

/** "live" while the stream is connected, so users know whether the page updates by itself. */
export function LiveDot() {
  const status = useLiveStatus();
  const text = status === 'live' ? 'live' : status === 'connecting' ? 'connecting…' : 'not live (reload to refresh)';
  return (
    <span className="live-dot" data-status={status} data-testid="live-status" role="status">
      {text}
    </span>
  );
}
