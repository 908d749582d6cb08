// One WebSocket per tab to the live stream (docs/streaming.md), shared by every page that
// wants live updates. The session cookie authenticates it (same origin), so the browser never
// holds the API key. It reconnects with backoff and re-sends every open subscription.
// A browser cannot set headers on a WebSocket, and the cookie session sends no auth message,
// so the chosen tenant goes in the URL (`org_id`, `env_id`, as Hookline-Org/Hookline-Env would
// say); switching tenants reconnects.
import { chosenTenant, onTenantChange } from './tenant.js';

export interface LiveFilter {
  topics: string[];
  agent_id?: string;
  run_id?: string;
  endpoint_id?: string;
  crew_id?: string;
  event_types?: string[];
}

export interface LiveMessage<D = Record<string, unknown>> {
  topic: string;
  data: D;
  /** When the server emitted it (ISO). */
  at: string;
}

export type LiveStatus = 'connecting' | 'live' | 'offline';

type Listener = (m: LiveMessage) => void;

interface Subscription {
  filter: LiveFilter;
  listener: Listener;
}

const subscriptions = new Map<string, Subscription>();
const statusListeners = new Set<(s: LiveStatus) => void>();
let socket: WebSocket | null = null;
let ready = false;
let status: LiveStatus = 'offline';
let nextId = 1;
let retryMs = 500;
let retryTimer: number | undefined;

function setStatus(s: LiveStatus): void {
  status = s;
  for (const l of statusListeners) l(s);
}

function send(message: object): void {
  if (socket && ready) socket.send(JSON.stringify(message));
}

function subscribeMessage(id: string, filter: LiveFilter): object {
  return { type: 'subscribe', id, ...filter };
}

function connect(): void {
  if (socket || subscriptions.size === 0) return;
  const url = new URL('/api/v1/stream', window.location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  const tenant = chosenTenant();
  if (tenant) {
    url.searchParams.set('org_id', tenant.orgId);
    url.searchParams.set('env_id', tenant.envId);
  }
  const ws = new WebSocket(url);
  socket = ws;
  setStatus('connecting');
  // Events of a socket we already let go (closed when the last page unsubscribed) must not
  // touch the current one: they would wipe `socket` and leave the new one unsubscribed.
  ws.onmessage = (e: MessageEvent<string>) => {
    if (socket !== ws) return;
    let m: { type?: string; subscription?: string; topic?: string; data?: Record<string, unknown>; at?: string };
    try {
      m = JSON.parse(e.data) as typeof m;
    } catch {
      return;
    }
    if (m.type === 'ready') {
      ready = true;
      retryMs = 500;
      setStatus('live');
      for (const [id, s] of subscriptions) send(subscribeMessage(id, s.filter));
    } else if (m.type === 'message' && m.subscription) {
      subscriptions.get(m.subscription)?.listener({ topic: m.topic ?? '', data: m.data ?? {}, at: m.at ?? '' });
    }
  };
  ws.onclose = (e: CloseEvent) => {
    if (socket !== ws) return;
    socket = null;
    ready = false;
    setStatus('offline');
    // 4401: the session is gone; the next API call sends the user to sign in. No retry loop.
    if (e.code === 4401 || subscriptions.size === 0) return;
    retryTimer = window.setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, 15_000);
  };
}

/** Starts a subscription; returns the function that ends it (the socket closes with the last one). */
export function subscribe(filter: LiveFilter, listener: Listener): () => void {
  const id = `s${nextId++}`;
  subscriptions.set(id, { filter, listener });
  if (socket) send(subscribeMessage(id, filter));
  else {
    window.clearTimeout(retryTimer);
    connect();
  }
  return () => {
    subscriptions.delete(id);
    send({ type: 'unsubscribe', id });
    if (subscriptions.size === 0 && socket) {
      socket.close(1000, 'no subscriptions');
      socket = null;
      ready = false;
    }
  };
}

// Another tenant: the open socket streams the old one's events, so open a new one.
onTenantChange(() => {
  if (!socket) return;
  const old = socket;
  socket = null;
  ready = false;
  old.close(1000, 'tenant changed');
  window.clearTimeout(retryTimer);
  connect();
});

export function liveStatus(): LiveStatus {
  return status;
}

export function onLiveStatus(listener: (s: LiveStatus) => void): () => void {
  statusListeners.add(listener);
  return () => statusListeners.delete(listener);
}
