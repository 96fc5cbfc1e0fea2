import { describe, expect, it } from 'vitest';
import { checkOutboundUrl, formatBytes, originOf, parseOutboundAllowList } from './outbound.js';
import { cleanUpstreamText, cutText } from './text.js';

describe('the outbound allow-list (OSCAT_OUTBOUND_ALLOW)', () => {
  const allow = parseOutboundAllowList('10.0.0.0/8, fd00::/8 192.0.2.7,vm.example.com *.dc1.example.net');

  it('allows addresses inside listed networks, also written as IPv4-mapped IPv6', () => {
    expect(
      ['10.1.2.3', '192.0.2.7', 'fd12::1', '::ffff:10.9.9.9', '[fd00::5]'].map((host) =>
        allow.allowsHost(host),
      ),
    ).toEqual([true, true, true, true, true]);
    expect(
      ['11.0.0.1', '192.0.2.8', '127.0.0.1', '::1', '::ffff:127.0.0.1'].map((host) => allow.allowsHost(host)),
    ).toEqual([false, false, false, false, false]);
  });

  it('allows listed names exactly (any case) and subdomains of a *. entry, not its apex', () => {
    expect(allow.allowsHost('VM.example.com')).toBe(true);
    expect(allow.allowsHost('a.b.dc1.example.net')).toBe(true);
    expect(allow.allowsHost('dc1.example.net')).toBe(false);
    expect(allow.allowsHost('evil-vm.example.com')).toBe(false);
    expect(allow.allowsHost('vm.example.com.evil.test')).toBe(false);
  });

  it('refuses entries it cannot read, naming them', () => {
    for (const entry of [
      '10.0.0.0/33',
      'https://vm.example.com',
      'vm.example.com:443',
      '10.0.0.0/8/1',
      'a b/c',
    ]) {
      expect(() => parseOutboundAllowList(entry)).toThrow(/OSCAT_OUTBOUND_ALLOW/);
    }
  });

  it('refuses at input only what is certainly outside: a name may still resolve into a network', () => {
    expect(() => checkOutboundUrl('https://127.0.0.1/', 'url', allow)).toThrow(
      /not on the outbound allow-list/,
    );
    expect(checkOutboundUrl('https://vm.internal/', 'url', allow).hostname).toBe('vm.internal');
    const namesOnly = parseOutboundAllowList('vm.example.com');
    expect(() => checkOutboundUrl('https://vm.internal/', 'url', namesOnly)).toThrow(/allow-list/);
  });
});

describe('URLs and text from outside', () => {
  it('refuses credentials in a URL without repeating them', () => {
    let message = '';
    try {
      checkOutboundUrl('https://alice:s3cret@hooks.example.com/x', 'webhookUrl');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/webhookUrl must not contain a user name or password/);
    expect(message).not.toMatch(/alice|s3cret/);
  });

  it('shows only the origin of a URL', () => {
    expect(originOf('https://u:p@hooks.example.com:8443/T/secret?sig=1')).toBe(
      'https://hooks.example.com:8443',
    );
    expect(originOf('not a url')).toBe('(invalid URL)');
  });

  it('cuts long text and says how long it was; cleans control characters from upstream text', () => {
    expect(cutText('abcdef', 3)).toBe('abc… [cut, 6 characters]');
    expect(cutText('abc', 3)).toBe('abc');
    expect(cleanUpstreamText('a\u001b[2Jb\nc\u202Ed', 100)).toBe('a [2Jb c d');
    expect(cleanUpstreamText('x'.repeat(1000), 10)).toBe('xxxxxxxxxx… [cut, 1000 characters]');
    expect(formatBytes(32 * 1024 * 1024)).toBe('32 MiB');
  });
});
