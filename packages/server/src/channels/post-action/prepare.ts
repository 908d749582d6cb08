import { type RetryPolicy } from '../../delivery/index.js';
import type { DeliveryRecord, PostActionRecord, Store } from '../../store/index.js';
import type { AuthSecret } from './auth.js';
import type { Channel, Opener } from '../channel.js';
import { FROZEN_BASE, frozenRequest, prepareFrozen } from '../frozen.js';

/** Post-actions: 1 s, 2 s, 4 s … between attempts, capped at 30 s, `retry_count` times; 4xx is final. */
function postActionPolicy(retryCount: number): Partial<RetryPolicy> {
  return { schedule: Array.from({ length: retryCount }, (_, i) => Math.min(1000 * 2 ** i, 30_000)), retry4xx: false };
}

/** The auth header of a post-action, from its sealed credentials, at send time. */
function postActionAuth(a: Pick<PostActionRecord, 'auth_type' | 'auth_enc'>, open: Opener): Record<string, string> {
  if (a.auth_type === 'none' || !a.auth_enc) return {};
  const secret = JSON.parse(open(a.auth_enc)) as AuthSecret;
  if ('token' in secret) return { authorization: `Bearer ${secret.token}` };
  if ('username' in secret) return { authorization: `Basic ${Buffer.from(`${secret.username}:${secret.password}`, 'utf8').toString('base64')}` };
  return { [secret.name.toLowerCase()]: secret.value };
}

/**
 * Send-time half of post-actions: the frozen request with the post-action's current
 * credentials (so a changed credential applies to retries) and its retry policy.
 */
export class PostActionChannel implements Channel {
  constructor(
    private readonly store: Store,
    private readonly open: Opener,
    private readonly openFresh: Opener,
  ) {}

  async prepare(rows: DeliveryRecord[]) {
    const actions = await this.store.postActions.getMany(rows.map((r) => r.endpoint_id));
    const actionById = new Map(actions.map((a) => [a.id, a]));
    return prepareFrozen(rows, this.openFresh, (row, frozen) => {
      const action = actionById.get(row.endpoint_id);
      if (!action) return 'post_action_deleted';
      if (!action.enabled) return 'post_action_disabled';
      const auth = postActionAuth(action, this.open);
      return { ...FROZEN_BASE, policy: postActionPolicy(action.retry_count), build: () => frozenRequest(frozen(), auth) };
    });
  }
}
