// The API keys the signed-in key may see, with creating (the new key held for SecretOnce
// until the user has stored it) and revoking: shared by Settings and an org's page.
import { useState } from 'react';
import type { ApiKeyCreate, ApiKeyWithSecret } from '@hookline/sdk';
import { api, type ApiKey } from '../api.js';
import { useAction } from './useAction.js';
import { useResource } from './useResource.js';

export type KeyCreate = ApiKeyCreate;

export function useApiKeys() {
  const keys = useResource<{ items: ApiKey[] }>('/api/v1/keys');
  const action = useAction();
  // The new key lives only here, until "I have stored it" or leaving the page.
  const [created, setCreated] = useState<{ name: string; key: string } | null>(null);

  /** Creates a key; true when it was (the key is then in `created`). */
  const create = async (body: KeyCreate): Promise<boolean> => {
    const k = await action.run('create', () => api<ApiKeyWithSecret>('/api/v1/keys', { method: 'POST', body }));
    if (!k) return false;
    setCreated({ name: k.name, key: k.key });
    await keys.reload();
    return true;
  };

  const revoke = (id: string) =>
    action.run(`revoke:${id}`, async () => {
      await api<void>(`/api/v1/keys/${encodeURIComponent(id)}`, { method: 'DELETE' });
      await keys.reload();
      return true;
    });

  return { keys, action, created, forgetCreated: () => setCreated(null), create, revoke };
}
