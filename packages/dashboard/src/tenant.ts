// The tenant an installation key works in (docs/tenants.md): chosen in the layout's switcher,
// kept in localStorage so a reload or a new tab keeps it, and sent by api.ts as the
// Hookline-Org / Hookline-Env headers. A scoped key's tenant is fixed by the key, so for it
// nothing is sent (a header outside its scope would answer 404).
import { useSyncExternalStore } from 'react';

export interface TenantChoice {
  orgId: string;
  envId: string;
}

const STORAGE_KEY = 'hookline.tenant';
const CHANGE = 'hookline:tenant';
const LIST_CHANGE = 'hookline:tenant-list';

let allowed = false;
let cached: TenantChoice | null | undefined;

function read(): TenantChoice | null {
  if (cached !== undefined) return cached;
  try {
    const v = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as Partial<TenantChoice> | null;
    cached = v && typeof v.orgId === 'string' && typeof v.envId === 'string' ? { orgId: v.orgId, envId: v.envId } : null;
  } catch {
    cached = null;
  }
  return cached;
}

/** Whether the signed-in key may name a tenant (an installation key); set from the session. */
export function allowTenantChoice(yes: boolean): void {
  if (allowed === yes) return;
  allowed = yes;
  window.dispatchEvent(new Event(CHANGE));
}

/** The tenant requests should name, or null: the key's own (scoped key) or the default tenant. */
export function chosenTenant(): TenantChoice | null {
  return allowed ? read() : null;
}

/** Picks a tenant (null: back to the default); pages and the live stream load again in it. */
export function chooseTenant(choice: TenantChoice | null): void {
  cached = choice;
  try {
    if (choice) localStorage.setItem(STORAGE_KEY, JSON.stringify(choice));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Storage refused (private mode): the choice holds for this tab only.
  }
  window.dispatchEvent(new Event(CHANGE));
}

/** The headers naming the chosen tenant, for every API call. */
export function tenantHeaders(): Record<string, string> {
  const t = chosenTenant();
  return t ? { 'Hookline-Org': t.orgId, 'Hookline-Env': t.envId } : {};
}

export function onTenantChange(listener: () => void): () => void {
  window.addEventListener(CHANGE, listener);
  return () => window.removeEventListener(CHANGE, listener);
}

/** Says orgs or environments were created or deleted, so the switcher lists them again. */
export function tenantListChanged(): void {
  window.dispatchEvent(new Event(LIST_CHANGE));
}

export function onTenantListChange(listener: () => void): () => void {
  window.addEventListener(LIST_CHANGE, listener);
  return () => window.removeEventListener(LIST_CHANGE, listener);
}

// A string snapshot, so React re-renders only when the choice really changed.
const snapshot = () => {
  const t = chosenTenant();
  return t ? `${t.orgId}/${t.envId}` : '';
};

/** "org/env" of the chosen tenant ('' for none); a component using it re-renders on a switch. */
export function useTenantKey(): string {
  return useSyncExternalStore(onTenantChange, snapshot);
}
