import { UserError } from '../errors/index.js';
import type { SsrfGuard } from './ssrf-guard.js';

export interface DestinationUrlCheck {
  /** The field named in errors, e.g. `url` or `runner_config.url`. */
  field: string;
  /** A well-formed example, shown when the value is not a URL. */
  example: string;
  /** Where credentials belong instead of the URL. */
  credentialsHint: string;
  /** The SSRF guard's static check; leave out when the host is not known yet (a templated host). */
  guard?: SsrfGuard | undefined;
  /** Said after the value when it is not a URL, e.g. what a template rendered as. */
  note?: string;
}

/**
 * Save-time check of a URL Hookline will send to (endpoints, runners, post-actions): absolute
 * http(s), no credentials in it, and not a blocked address. A 422 naming the field otherwise.
 * The guard checks the address actually connected to again on every send.
 */
export function checkDestinationUrl(raw: string, o: DestinationUrlCheck): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UserError('invalid_url', `${o.field} "${raw}"${o.note ? ` ${o.note}` : ''} is not a valid absolute URL; write it like ${o.example}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new UserError('invalid_url', `${o.field} must use http or https, not ${url.protocol.slice(0, -1)}`);
  if (url.username || url.password) throw new UserError('invalid_url', `${o.field} must not contain credentials; ${o.credentialsHint}`);
  const blocked = o.guard?.checkUrl(url);
  if (blocked)
    throw new UserError(
      'ssrf_blocked',
      `${o.field} is not allowed: ${blocked}. If this target is intended, add it to delivery.allow_networks in the configuration`,
    );
  return url;
}
