import type { AgentRecord, FrozenRequest, RunRecord } from '../../store/index.js';
import { DEFAULT_TIMEOUT_MS, type Opener, USER_AGENT } from '../channel.js';
import { callbackPayload } from './payload.js';

/** The callback payload exactly (docs/callbacks.md); the signature and timestamp are added at send time. */
export function callbackRequest(agent: AgentRecord, run: RunRecord, eventType: string, open: Opener): FrozenRequest {
  const headers: Record<string, string> = agent.callback_headers_enc ? (JSON.parse(open(agent.callback_headers_enc)) as Record<string, string>) : {};
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  return {
    method: 'POST',
    url: agent.callback_url!,
    headers: { ...lower, 'content-type': 'application/json', 'user-agent': USER_AGENT, 'x-hookline-event-type': eventType },
    body: JSON.stringify(callbackPayload(run, agent)),
    timeout_ms: DEFAULT_TIMEOUT_MS,
  };
}
