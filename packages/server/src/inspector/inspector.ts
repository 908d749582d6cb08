import { randomInt } from 'node:crypto';
import type { HooklineConfig } from '../config/index.js';
import { isStandardWebhookSecret, type SecretBox } from '../crypto/index.js';
import type { InspectorBinRow, InspectorBinRecord, InspectorRequestRecord, Page, Store } from '../store/index.js';
import type { StreamEmitter } from '../stream/index.js';
import { type Clock, newId, iso } from '../util/index.js';
import { UserError } from '../errors/index.js';
import type { BinView, CapturedRequestView } from '../wire/index.js';
import type { Tenant } from '../tenants/index.js';
import { bodyView, cutBody, headerRecord, type IncomingRequest, queryRecord } from './capture.js';
import { BIN_SCHEMES, type BinScheme, checkSignature, type SignatureCheck } from './signature.js';

export type InspectorSettings = HooklineConfig['inspector'];

export interface BinInput {
  /** Default: "bin_" and 10 random letters and digits. */
  name?: string;
  secret?: string;
  scheme?: string;
}

export interface BinUpdate {
  /** null removes it. */
  secret?: string | null;
  scheme?: string;
}

export type { BinView, CapturedRequestView };

/** What the live stream carries: the request without its body (fetch it by id). */
export type CapturedRequestSummary = Omit<CapturedRequestView, 'body' | 'body_base64'>;

export interface InspectorOptions {
  store: Store;
  box: SecretBox;
  clock: Clock;
  stream: StreamEmitter;
  settings: InspectorSettings;
}

const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
const NAME_RULE = '1–64 letters, digits, "_" or "-"';
const SECRET_MAX = 512;
const RANDOM_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

const randomName = () => `bin_${Array.from({ length: 10 }, () => RANDOM_ALPHABET[randomInt(RANDOM_ALPHABET.length)]).join('')}`;
const shown = (v: string) => JSON.stringify(v.length > 80 ? `${v.slice(0, 80)}…` : v);
const noBin = (name: string) =>
  new UserError(
    'not_found',
    NAME_RE.test(name) ? `no bin named ${shown(name)}; create it with POST /api/v1/inspector/bins` : `no bin named ${shown(name)}: bin names are ${NAME_RULE}`,
  );

/**
 * The Inspector (docs/inspector.md): request bins that capture whatever is sent to `/inspect/{bin}`, so
 * callbacks, post-actions and endpoints can be tried without an outside service. Bins are made
 * by an admin; capturing needs no key. Secrets are sealed and never shown. A bin belongs to a
 * tenant, but its name is global (it alone makes the capture URL); a capture is its bin's tenant's.
 */
export class Inspector {
  constructor(private readonly options: InspectorOptions) {}

  get enabled(): boolean {
    return this.options.settings.enabled;
  }

  async create(tenant: Tenant, input: BinInput, origin: string): Promise<BinView> {
    const name = input.name ?? randomName();
    if (!NAME_RE.test(name))
      throw new UserError(
        'invalid_name',
        `name ${shown(name)} is not allowed: use ${NAME_RULE} (it becomes the URL /inspect/{name}), or leave it out for a random one`,
        { field: 'name' },
      );
    const scheme = checkScheme(input.scheme ?? 'auto');
    if (input.secret !== undefined) checkSecret(input.secret, scheme);
    const row: InspectorBinRecord = {
      name,
      env_id: tenant.envId,
      scheme,
      secret_enc: input.secret === undefined ? null : this.options.box.seal(input.secret),
      next_seq: 0,
      created_at: this.options.clock.now(),
    };
    if (!(await this.options.store.inspector.insertBin(row)))
      throw new UserError('bin_exists', `a bin named ${shown(name)} already exists; pick another name, or leave name out for a random one`);
    return this.view({ ...row, request_count: 0, last_request_at: null }, origin);
  }

  async list(tenant: Tenant, page: Page, origin: string): Promise<{ items: BinView[]; total: number }> {
    const { rows, total } = await this.options.store.inspector.listBins(tenant.envId, page);
    return { items: rows.map((r) => this.view(r, origin)), total };
  }

  async get(tenant: Tenant, name: string, origin: string): Promise<BinView> {
    return this.view(await this.bin(tenant, name), origin);
  }

  async update(tenant: Tenant, name: string, patch: BinUpdate, origin: string): Promise<BinView> {
    const current = await this.bin(tenant, name);
    const scheme = patch.scheme === undefined ? (current.scheme as BinScheme) : checkScheme(patch.scheme);
    const changes: Partial<Pick<InspectorBinRecord, 'scheme' | 'secret_enc'>> = {};
    if (patch.scheme !== undefined) changes.scheme = scheme;
    if (patch.secret === null) changes.secret_enc = null;
    else if (patch.secret !== undefined) changes.secret_enc = this.options.box.seal(checkSecret(patch.secret, scheme));
    // A new scheme must suit the secret the bin keeps.
    else if (patch.scheme !== undefined && current.secret_enc) checkSecret(this.options.box.open(current.secret_enc), scheme);
    const row = await this.options.store.inspector.updateBin(tenant.envId, name, changes);
    if (!row) throw noBin(name);
    return this.view(row, origin);
  }

  async remove(tenant: Tenant, name: string): Promise<void> {
    if (!NAME_RE.test(name) || !(await this.options.store.transaction((tx) => tx.inspector.deleteBin(tenant.envId, name)))) throw noBin(name);
  }

  async requests(tenant: Tenant, name: string, page: Page): Promise<{ items: CapturedRequestView[]; total: number }> {
    await this.bin(tenant, name);
    const { rows, total } = await this.options.store.inspector.listRequests(tenant.envId, name, page);
    return { items: rows.map(requestView), total };
  }

  async request(tenant: Tenant, name: string, id: string): Promise<CapturedRequestView> {
    await this.bin(tenant, name);
    const row = await this.options.store.inspector.getRequest(tenant.envId, name, id);
    if (!row)
      throw new UserError(
        'not_found',
        `bin ${shown(name)} has no request ${shown(id)}; a bin keeps only its newest ${this.options.settings.max_requests_per_bin}`,
      );
    return requestView(row);
  }

  async clear(tenant: Tenant, name: string): Promise<void> {
    await this.bin(tenant, name);
    await this.options.store.inspector.clearRequests(tenant.envId, name);
  }

  /**
   * Stores one request sent to `/inspect/{bin}[/…]`, checks its signature with the bin's
   * secret and tells the live stream. 404 for an unknown bin, and for every bin while the
   * Inspector is turned off.
   */
  async capture(bin: string, req: IncomingRequest): Promise<{ id: string }> {
    if (!this.options.settings.enabled) throw new UserError('not_found', 'the Inspector is turned off on this server (inspector.enabled: false)');
    const found = NAME_RE.test(bin) ? await this.options.store.inspector.getBinRow(bin) : undefined;
    if (!found) throw noBin(bin);
    const now = this.options.clock.now();
    const headers = headerRecord(req.rawHeaders);
    const secret = found.secret_enc === null ? null : this.options.box.open(found.secret_enc);
    const signature = checkSignature({ scheme: found.scheme as BinScheme, headers, body: req.body, secret, nowSec: Math.floor(now / 1000) });
    const { stored, truncated } = cutBody(req.body, this.options.settings.max_body_bytes);
    const row: Omit<InspectorRequestRecord, 'seq'> = {
      id: newId('req', this.options.clock),
      bin,
      method: req.method,
      path: req.url,
      headers,
      body_base64: stored.toString('base64'),
      body_truncated: truncated,
      size_bytes: req.body.length,
      remote_address: req.remoteAddress,
      received_at: now,
      signature,
    };
    const kept = await this.options.store.transaction((tx) => tx.inspector.insertRequest(row, this.options.settings.max_requests_per_bin));
    // Deleted between the lookup and the insert.
    if (!kept) throw noBin(bin);
    this.options.stream.emit('inspector.request', summaryOf(row, headers, signature), { env_id: found.env_id, bin });
    return { id: row.id };
  }

  private async bin(tenant: Tenant, name: string): Promise<InspectorBinRow> {
    const row = NAME_RE.test(name) ? await this.options.store.inspector.getBin(tenant.envId, name) : undefined;
    if (!row) throw noBin(name);
    return row;
  }

  private view(r: InspectorBinRow, origin: string): BinView {
    return {
      name: r.name,
      url: `${origin}/inspect/${r.name}`,
      scheme: r.scheme as BinScheme,
      has_secret: r.secret_enc !== null,
      request_count: r.request_count,
      last_request_at: iso(r.last_request_at),
      created_at: iso(r.created_at),
    };
  }
}

function checkScheme(s: string): BinScheme {
  if (!(BIN_SCHEMES as readonly string[]).includes(s))
    throw new UserError('invalid_scheme', `scheme must be one of ${BIN_SCHEMES.join(', ')}; "auto" picks it from each request's headers`, { field: 'scheme' });
  return s as BinScheme;
}

/** Never echoes the secret. */
function checkSecret(secret: string, scheme: BinScheme): string {
  if (secret.length < 1 || secret.length > SECRET_MAX)
    throw new UserError('invalid_secret', `secret must be 1–${SECRET_MAX} characters, or null to remove it`, { field: 'secret' });
  if (scheme === 'standard' && !isStandardWebhookSecret(secret)) {
    throw new UserError(
      'invalid_secret',
      'the standard scheme needs a Standard Webhooks secret (whsec_ followed by base64): the secret your endpoint was given',
      { field: 'secret' },
    );
  }
  return secret;
}

function summaryOf(row: Omit<InspectorRequestRecord, 'seq'>, headers: Record<string, string>, signature: SignatureCheck | null): CapturedRequestSummary {
  return {
    id: row.id,
    bin: row.bin,
    method: row.method,
    path: row.path,
    query: queryRecord(row.path),
    headers,
    body_truncated: row.body_truncated,
    size_bytes: row.size_bytes,
    content_type: headers['content-type'] ?? null,
    remote_address: row.remote_address,
    received_at: iso(row.received_at),
    signature,
  };
}

function requestView(row: InspectorRequestRecord): CapturedRequestView {
  const { body, body_base64 } = bodyView(Buffer.from(row.body_base64, 'base64'));
  return { ...summaryOf(row, row.headers, row.signature as SignatureCheck | null), body, body_base64 };
}
