/**
 * Decides which network destinations webhook deliveries may reach. Endpoint URLs come from
 * tenants, so without this check a URL (or a DNS name that resolves) pointing at loopback,
 * the private network or a cloud metadata service would turn Hookline into a proxy into our
 * own infrastructure. Everything non-public is refused unless the operator allows it.
 *
 * Addresses are parsed by hand into bigints rather than with `net.BlockList`, because we need
 * to pull embedded IPv4 addresses out of IPv6 forms (mapped, NAT64, 6to4) and name the
 * category in the refusal reason, which BlockList cannot tell us.
 */
import { isIPv4, isIPv6 } from 'node:net';

export interface SsrfPolicy {
  /** CIDRs ("10.0.0.0/8", "::1/128", or a bare IP) and host names ("internal.example", "*.corp.example"). */
  allowNetworks: string[];
}

type Family = 4 | 6;
interface Addr {
  family: Family;
  value: bigint;
}
interface Cidr extends Addr {
  prefix: number;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

function parseV4(s: string): bigint | null {
  if (!isIPv4(s)) return null;
  return s.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function parseV6(input: string): bigint | null {
  let s = input.split('%')[0] ?? ''; // drop a zone id ("fe80::1%eth0"); it does not change the address
  if (!isIPv6(s)) return null;
  // Rewrite a trailing dotted quad ("::ffff:1.2.3.4") into two hex groups.
  const lastColon = s.lastIndexOf(':');
  const v4 = parseV4(s.slice(lastColon + 1));
  if (v4 !== null) s = `${s.slice(0, lastColon + 1)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  const halves = s.split('::');
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length > 1 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length > 1 ? [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head;
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** Accepts "1.2.3.4", "::1" and the bracketed URL form "[::1]". */
function parseAddr(ip: string): Addr | null {
  const s = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const v4 = parseV4(s);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseV6(s);
  return v6 === null ? null : { family: 6, value: v6 };
}

function parseCidr(text: string): Cidr | null {
  const [ip = '', len, extra] = text.split('/');
  const addr = parseAddr(ip);
  if (!addr || extra !== undefined) return null;
  const bits = BITS[addr.family];
  const prefix = len === undefined ? bits : /^\d{1,3}$/.test(len) ? Number(len) : NaN;
  if (!(prefix >= 0 && prefix <= bits)) return null;
  const shift = BigInt(bits - prefix);
  return { family: addr.family, value: (addr.value >> shift) << shift, prefix };
}

function cidr(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw new Error(`bad built-in CIDR ${text}`);
  return c;
}

function table(rows: [string, string][]): [Cidr, string][] {
  return rows.map(([c, why]) => [cidr(c), why]);
}

function contains(net: Cidr, addr: Addr): boolean {
  if (net.family !== addr.family) return false;
  const shift = BigInt(BITS[net.family] - net.prefix);
  return addr.value >> shift === net.value >> shift;
}

function v4ToString(v: bigint): string {
  return [24n, 16n, 8n, 0n].map((s) => String((v >> s) & 0xffn)).join('.');
}

// First match wins, so specific entries (metadata, broadcast) precede the ranges holding them.
const V4_BLOCKS = table([
  ['169.254.169.254/32', 'cloud metadata'], // AWS/GCP/Azure/OpenStack IMDS
  ['169.254.170.2/32', 'cloud metadata'], // ECS task metadata
  ['100.100.100.200/32', 'cloud metadata'], // Alibaba Cloud
  ['0.0.0.0/8', 'reserved ("this network")'],
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'CGNAT (shared address space)'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'],
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved (IETF protocol assignment)'],
  ['192.0.2.0/24', 'reserved (documentation)'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'reserved (benchmarking)'],
  ['198.51.100.0/24', 'reserved (documentation)'],
  ['203.0.113.0/24', 'reserved (documentation)'],
  ['224.0.0.0/4', 'multicast'],
  ['255.255.255.255/32', 'reserved (broadcast)'],
  ['240.0.0.0/4', 'reserved'],
]);

const V6_BLOCKS = table([
  ['fd00:ec2::254/128', 'cloud metadata'], // AWS IMDS over IPv6
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['fc00::/7', 'unique-local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local (deprecated)'],
  ['ff00::/8', 'multicast'],
  ['2001:db8::/32', 'reserved (documentation)'],
]);

const V6_SPECIAL = V6_BLOCKS.filter(([net]) => net.prefix === 128);
const V4_MAPPED = cidr('::ffff:0:0/96');
const V4_COMPAT = cidr('::/96');
const NAT64 = [cidr('64:ff9b::/96'), cidr('64:ff9b:1::/48')];
const SIX_TO_FOUR = cidr('2002::/16');

/** Names that reach the cloud instance metadata service without needing its address. */
const METADATA_NAMES = new Set(['metadata', 'metadata.google.internal', 'metadata.goog', 'instance-data', 'instance-data.ec2.internal']);

function normalizeName(hostname: string): string {
  return hostname.toLowerCase().replace(/\.+$/, '');
}

export class SsrfGuard {
  private readonly allowCidrs: Cidr[] = [];
  private readonly allowNames = new Set<string>();
  /** From "*.corp.example": stored as ".corp.example"; matches subdomains only, not the apex. */
  private readonly allowSuffixes: string[] = [];

  constructor(policy: SsrfPolicy) {
    for (const raw of policy.allowNetworks) {
      const entry = raw.trim();
      const net = parseCidr(entry);
      if (net) this.allowCidrs.push(net);
      else if (/^(\*\.)?[a-z0-9_-]+(\.[a-z0-9_-]+)*\.?$/i.test(entry)) {
        const name = normalizeName(entry);
        if (name.startsWith('*.')) this.allowSuffixes.push(name.slice(1));
        else this.allowNames.add(name);
      } else {
        // Fail at startup: a typo here would otherwise silently block (or worse, be ignored).
        throw new Error(`invalid SSRF allow entry ${JSON.stringify(raw)}: expected a CIDR, IP or host name`);
      }
    }
  }

  hostAllowed(hostname: string): boolean {
    const name = normalizeName(hostname);
    return this.allowNames.has(name) || this.allowSuffixes.some((suffix) => name.endsWith(suffix));
  }

  checkAddress(ip: string): string | null {
    const addr = parseAddr(ip);
    if (!addr) return `${ip} is not a valid IP address`;
    if (this.isAllowed(addr)) return null;
    if (addr.family === 4) return this.blockedV4(addr.value, ip);

    // The unspecified and loopback addresses sit inside ::/96, so name them before the compat check.
    for (const [net, why] of V6_SPECIAL) if (contains(net, addr)) return `${ip} is a ${why} address`;
    const low32 = addr.value & 0xffffffffn;
    // Mapped/compatible forms are how "127.0.0.1" sneaks past v6-only checks: always refused
    // unless the embedded IPv4 address itself is allowed.
    if (contains(V4_MAPPED, addr) || contains(V4_COMPAT, addr)) {
      if (this.isAllowed({ family: 4, value: low32 })) return null;
      const kind = contains(V4_MAPPED, addr) ? 'IPv4-mapped' : 'IPv4-compatible (deprecated)';
      return `${ip} is an ${kind} address (${v4ToString(low32)})`;
    }
    // Translation prefixes are legitimate routes to public IPv4, so judge the embedded address.
    const embedded = NAT64.some((n) => contains(n, addr))
      ? (['NAT64', low32] as const)
      : contains(SIX_TO_FOUR, addr)
        ? (['6to4', (addr.value >> 80n) & 0xffffffffn] as const)
        : null;
    if (embedded) {
      if (this.isAllowed({ family: 4, value: embedded[1] })) return null;
      const inner = this.blockedV4(embedded[1], v4ToString(embedded[1]));
      return inner ? `${ip} is a ${embedded[0]} address embedding ${inner}` : null;
    }
    for (const [net, why] of V6_BLOCKS) if (contains(net, addr)) return `${ip} is a ${why} address`;
    return null;
  }

  checkUrl(url: URL): string | null {
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return `unsupported URL scheme ${url.protocol}`;
    // WHATWG URL has already canonicalised decimal/octal/hex IPv4 forms ("http://0x7f.1/") to
    // dotted quads and IPv6 to "[...]", so literal checks see the real address.
    const host = url.hostname;
    if (host.startsWith('[') || isIPv4(host)) return this.checkAddress(host);
    if (host === '') return 'URL has no host';
    const name = normalizeName(host);
    if (this.hostAllowed(name)) return null;
    if (name === 'localhost' || name.endsWith('.localhost')) {
      // Allowing loopback by CIDR (typical in development) should also admit "localhost";
      // the connect-time check still verifies whatever it resolves to.
      const loopbackAllowed = this.checkAddress('127.0.0.1') === null || this.checkAddress('::1') === null;
      return loopbackAllowed ? null : `${host} is a loopback name`;
    }
    if (METADATA_NAMES.has(name)) return `${host} is a cloud metadata name`;
    return null; // ordinary DNS names are checked when connecting, against every resolved address
  }

  private isAllowed(addr: Addr): boolean {
    return this.allowCidrs.some((net) => contains(net, addr));
  }

  private blockedV4(value: bigint, shown: string): string | null {
    const addr: Addr = { family: 4, value };
    for (const [net, why] of V4_BLOCKS) if (contains(net, addr)) return `${shown} is a ${why} address`;
    return null;
  }
}
