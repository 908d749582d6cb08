import { describe, expect, it } from 'vitest';
import { SsrfGuard } from './ssrf-guard.js';

const strict = new SsrfGuard({ allowNetworks: [] });
const url = (u: string) => strict.checkUrl(new URL(u));

describe('SsrfGuard.checkAddress (default policy)', () => {
  it.each([
    ['0.0.0.0', 'reserved'],
    ['0.1.2.3', 'reserved'],
    ['10.1.2.3', 'private'],
    ['100.64.0.1', 'CGNAT'],
    ['100.127.255.254', 'CGNAT'],
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['169.254.1.1', 'link-local'],
    ['169.254.169.254', 'metadata'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.0.0.8', 'reserved'],
    ['192.0.2.1', 'documentation'],
    ['192.168.1.1', 'private'],
    ['198.18.0.1', 'benchmarking'],
    ['198.19.255.255', 'benchmarking'],
    ['198.51.100.7', 'documentation'],
    ['203.0.113.9', 'documentation'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['240.0.0.1', 'reserved'],
    ['255.255.255.255', 'broadcast'],
  ])('blocks IPv4 %s as %s', (ip, category) => {
    expect(strict.checkAddress(ip)).toContain(category);
    expect(strict.checkAddress(ip)).toContain(ip);
  });

  it.each(['8.8.8.8', '1.1.1.1', '93.184.215.14', '172.32.0.1', '100.128.0.1', '11.0.0.1', '198.20.0.1', '223.255.255.255'])('allows public IPv4 %s', (ip) =>
    expect(strict.checkAddress(ip)).toBeNull(),
  );

  it.each([
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fd00::1', 'unique-local'],
    ['fc00::abcd', 'unique-local'],
    ['fd00:ec2::254', 'metadata'],
    ['ff02::1', 'multicast'],
    ['2001:db8::1', 'documentation'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'], // mapped is refused even for public IPv4 unless allowed
    ['::127.0.0.1', 'IPv4-compatible'],
    ['::7f00:1', 'IPv4-compatible'],
    ['64:ff9b::7f00:1', 'NAT64'],
    ['64:ff9b::127.0.0.1', 'loopback'],
    ['64:ff9b::a9fe:a9fe', 'metadata'],
    ['64:ff9b:1::a00:1', 'private'],
    ['2002:7f00:1::', '6to4'],
    ['2002:c0a8:101::1', 'private'],
  ])('blocks IPv6 %s (%s)', (ip, category) => {
    expect(strict.checkAddress(ip)).toContain(category);
  });

  it('names the embedded address of a mapped form', () => {
    expect(strict.checkAddress('::ffff:7f00:1')).toContain('127.0.0.1');
  });

  it.each(['2606:4700:4700::1111', '2001:4860:4860::8888', '64:ff9b::808:808', '2002:808:808::1'])(
    'allows public IPv6 %s (including NAT64/6to4 of public IPv4)',
    (ip) => expect(strict.checkAddress(ip)).toBeNull(),
  );

  it('rejects garbage', () => {
    expect(strict.checkAddress('not-an-ip')).toMatch(/not a valid IP/);
    expect(strict.checkAddress('')).toMatch(/not a valid IP/);
    expect(strict.checkAddress('1.2.3.256')).toMatch(/not a valid IP/);
  });
});

describe('SsrfGuard.checkUrl', () => {
  it.each([
    ['http://2130706433/', 'loopback'], // decimal
    ['http://0x7f.1/', 'loopback'], // hex + short form
    ['http://017700000001/', 'loopback'], // octal
    ['http://0177.0.0.1/', 'loopback'],
    ['http://127.1/', 'loopback'],
    ['http://0.0.0.0/', 'reserved'],
    ['http://0/', 'reserved'],
    ['http://[::1]:8080/', 'loopback'],
    ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped'],
    ['http://[::]/', 'unspecified'],
    ['http://localhost/', 'loopback'],
    ['http://localhost./', 'loopback'],
    ['http://LOCALHOST:3000/', 'loopback'],
    ['http://api.localhost/', 'loopback'],
    ['http://169.254.169.254/latest/meta-data', 'metadata'],
    ['http://metadata.google.internal/computeMetadata/v1/', 'metadata'],
    ['http://metadata.google.internal./', 'metadata'],
    ['http://metadata/', 'metadata'],
    ['http://metadata.goog/', 'metadata'],
    ['http://instance-data/', 'metadata'],
    ['https://10.0.0.5/hook', 'private'],
  ])('refuses %s (%s)', (u, category) => {
    expect(url(u)).toContain(category);
  });

  it('refuses non-HTTP schemes', () => {
    expect(url('ftp://example.com/')).toMatch(/scheme/);
    expect(url('file:///etc/passwd')).toMatch(/scheme/);
  });

  it('accepts public literals and names that need DNS (checked at connect time)', () => {
    expect(url('https://example.com/hook')).toBeNull();
    expect(url('https://8.8.8.8/')).toBeNull();
    expect(url('https://[2606:4700:4700::1111]/')).toBeNull();
    expect(url('http://rebind.test:8080/')).toBeNull();
  });
});

describe('SsrfGuard allow list', () => {
  it('allows a CIDR and nothing around it', () => {
    const g = new SsrfGuard({ allowNetworks: ['10.1.0.0/16', '127.0.0.1/32'] });
    expect(g.checkAddress('10.1.200.3')).toBeNull();
    expect(g.checkAddress('10.2.0.1')).toContain('private');
    expect(g.checkAddress('127.0.0.1')).toBeNull();
    expect(g.checkAddress('127.0.0.2')).toContain('loopback');
    expect(g.checkAddress('::1')).toContain('loopback');
    expect(g.checkUrl(new URL('http://2130706433:9000/'))).toBeNull();
  });

  it('lets an allowed IPv4 through its mapped IPv6 forms', () => {
    const g = new SsrfGuard({ allowNetworks: ['127.0.0.1/32'] });
    expect(g.checkAddress('::ffff:127.0.0.1')).toBeNull();
    expect(g.checkAddress('::ffff:7f00:1')).toBeNull();
    expect(g.checkAddress('::ffff:7f00:2')).toContain('IPv4-mapped');
  });

  it('allows IPv6 CIDRs and bare IPs', () => {
    const g = new SsrfGuard({ allowNetworks: ['::1/128', 'fd12:3456::/32', '192.168.1.10'] });
    expect(g.checkAddress('::1')).toBeNull();
    expect(g.checkAddress('[::1]')).toBeNull();
    expect(g.checkAddress('fd12:3456:1::9')).toBeNull();
    expect(g.checkAddress('fd12:3457::9')).toContain('unique-local');
    expect(g.checkAddress('192.168.1.10')).toBeNull();
    expect(g.checkAddress('192.168.1.11')).toContain('private');
  });

  it('admits localhost when loopback is allowed by CIDR', () => {
    expect(new SsrfGuard({ allowNetworks: ['127.0.0.0/8'] }).checkUrl(new URL('http://localhost:3000/'))).toBeNull();
  });

  it('matches host names exactly and wildcards on subdomains only', () => {
    const g = new SsrfGuard({ allowNetworks: ['Internal.Example', '*.corp.example', 'metadata.google.internal'] });
    expect(g.hostAllowed('internal.example')).toBe(true);
    expect(g.hostAllowed('INTERNAL.example.')).toBe(true);
    expect(g.hostAllowed('x.internal.example')).toBe(false);
    expect(g.hostAllowed('a.corp.example')).toBe(true);
    expect(g.hostAllowed('a.b.corp.example')).toBe(true);
    expect(g.hostAllowed('corp.example')).toBe(false);
    expect(g.hostAllowed('evilcorp.example')).toBe(false);
    expect(g.hostAllowed('a.corp.example.evil.test')).toBe(false);
    expect(g.checkUrl(new URL('http://metadata.google.internal/'))).toBeNull();
    // A name entry does not open up addresses.
    expect(g.checkAddress('10.0.0.1')).toContain('private');
  });

  it('rejects malformed entries at construction', () => {
    expect(() => new SsrfGuard({ allowNetworks: ['10.0.0.0/33'] })).toThrow(/invalid SSRF allow entry/);
    expect(() => new SsrfGuard({ allowNetworks: ['http://x/'] })).toThrow(/invalid SSRF allow entry/);
    expect(() => new SsrfGuard({ allowNetworks: ['a.*.example'] })).toThrow(/invalid SSRF allow entry/);
  });
});
