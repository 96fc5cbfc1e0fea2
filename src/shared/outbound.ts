import { lookup as dnsLookup, type LookupAddress, type LookupAllOptions } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent } from 'undici';
import { invalidInput } from './errors.js';

/**
 * Outgoing HTTP (VMmanager, alert webhooks, later storefront webhooks) follows one set of rules:
 * an optional allow-list of hosts and networks (`OSCAT_OUTBOUND_ALLOW`), no credentials in URLs,
 * a timeout and a byte limit on every answer, no redirects followed, and only the origin of a
 * URL in logs and messages. This file holds the pieces; `outbound-post.ts` the POST helper.
 */
export interface OutboundAllowList {
  /** The setting as given, for messages. */
  readonly text: string;
  /** True when the host name is listed, or the host is a literal address inside a listed network. */
  allowsHost(hostname: string): boolean;
  /** True when a resolved address is inside a listed network. */
  allowsAddress(address: string): boolean;
  /** True when listed networks exist, so that a host name may still be allowed by its address. */
  readonly hasNetworks: boolean;
}

/** The error code of a connection the allow-list refused (set on the Error, like ECONNREFUSED). */
export const outboundDeniedCode = 'EOUTBOUNDDENIED';

const bareHost = (hostname: string): string => hostname.replace(/^\[|\]$/g, '').toLowerCase();

// An IPv4 address written as IPv6 (`::ffff:10.0.0.1`) is checked as the IPv4 address it is.
const unmapped = (address: string): string => address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');

const namePattern = /^(\*\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/;

/** Parses `OSCAT_OUTBOUND_ALLOW`: CIDRs, addresses and host names (`*.example.com` for subdomains). */
export function parseOutboundAllowList(text: string): OutboundAllowList {
  const networks = new BlockList();
  const names = new Set<string>();
  const suffixes: string[] = [];
  let hasNetworks = false;
  for (const entry of text.split(/[\s,]+/).filter(Boolean)) {
    const [address, prefix, extra] = entry.split('/');
    const family = isIP(address ?? '');
    if (family !== 0 && extra === undefined) {
      const type = family === 4 ? 'ipv4' : 'ipv6';
      const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
      if (!/^\d{1,3}$/.test(prefix ?? '0') || bits > (family === 4 ? 32 : 128)) throw badEntry(entry);
      networks.addSubnet(address!, bits, type);
      hasNetworks = true;
    } else if (prefix === undefined && namePattern.test(entry.toLowerCase())) {
      const name = entry.toLowerCase();
      if (name.startsWith('*.')) suffixes.push(name.slice(1));
      else names.add(name);
    } else throw badEntry(entry);
  }
  const allowsAddress = (address: string): boolean => {
    const plain = unmapped(bareHost(address));
    const family = isIP(plain);
    return family !== 0 && networks.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
  return {
    text,
    hasNetworks,
    allowsAddress,
    allowsHost(hostname) {
      const host = bareHost(hostname);
      if (isIP(unmapped(host)) !== 0) return allowsAddress(host);
      return names.has(host) || suffixes.some((suffix) => host.endsWith(suffix));
    },
  };
}

const badEntry = (entry: string) =>
  invalidInput(
    `OSCAT_OUTBOUND_ALLOW: "${entry}" is neither a network (10.0.0.0/8, fd00::/8), an address nor a host name (vm.example.com, *.example.com)`,
    { field: 'OSCAT_OUTBOUND_ALLOW' },
  );

/** `https://host:port` of a URL, the most of it any log line or message may show. */
export function originOf(url: string | URL): string {
  try {
    return (typeof url === 'string' ? new URL(url) : url).origin;
  } catch {
    return '(invalid URL)';
  }
}

/**
 * Checks a URL an admin gives for outgoing calls: http(s), no `user:pass@` (it would be sent to
 * whoever answers and show in logs), and not certainly refused by the allow-list (a host name
 * that may resolve into a listed network is checked when connecting).
 */
export function checkOutboundUrl(text: string, field: string, allow?: OutboundAllowList): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw invalidInput(`${field} is not a URL`, { field });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw invalidInput(`${field} must be an http(s) address`, { field });
  if (url.username !== '' || url.password !== '') {
    throw invalidInput(
      `${field} must not contain a user name or password (user:pass@${url.host}); credentials in a URL are sent to whoever answers and end up in logs`,
      { field },
    );
  }
  if (
    allow &&
    !allow.allowsHost(url.hostname) &&
    (isIP(bareHost(url.hostname)) !== 0 || !allow.hasNetworks)
  ) {
    throw invalidInput(`${field}: ${url.host} is not on the outbound allow-list (OSCAT_OUTBOUND_ALLOW)`, {
      field,
    });
  }
  return url;
}

const deniedError = (host: string): Error =>
  Object.assign(new Error(`${host} is not on the outbound allow-list (OSCAT_OUTBOUND_ALLOW)`), {
    code: outboundDeniedCode,
  });

/** Throws the allow-list's refusal for a literal address (the resolver is not asked for those). */
export function checkOutboundTarget(url: URL, allow: OutboundAllowList | undefined): void {
  if (!allow || allow.allowsHost(url.hostname)) return;
  if (isIP(unmapped(bareHost(url.hostname))) !== 0 || !allow.hasNetworks) throw deniedError(url.host);
}

/**
 * A resolver for `net.connect` that only hands out allowed addresses: a listed host name may
 * resolve anywhere, any other name only into listed networks. Checked at connect time, so a DNS
 * answer that changes after the input check cannot lead elsewhere.
 */
export function allowListLookup(allow: OutboundAllowList): LookupFunction {
  return ((hostname: string, options: LookupAllOptions, callback: (...args: unknown[]) => void) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses: LookupAddress[]) => {
      if (error) return callback(error);
      const allowed = allow.allowsHost(hostname)
        ? addresses
        : addresses.filter((a) => allow.allowsAddress(a.address));
      if (allowed.length === 0) return callback(deniedError(hostname));
      if (options.all) return callback(null, allowed);
      return callback(null, allowed[0]!.address, allowed[0]!.family);
    });
  }) as unknown as LookupFunction;
}

/** An undici agent for outgoing calls: the allow-list at connect time, a connect timeout, TLS checks. */
export function createOutboundAgent(options: {
  allow?: OutboundAllowList | undefined;
  connectTimeoutMs: number;
  verifyTls?: boolean;
}): Agent {
  return new Agent({
    connect: {
      timeout: options.connectTimeoutMs,
      rejectUnauthorized: options.verifyTls ?? true,
      ...(options.allow ? { lookup: allowListLookup(options.allow) } : {}),
    },
  });
}

/** The error code of an answer body that went over its byte limit. */
export const answerTooLargeCode = 'EANSWERTOOLARGE';

/** Reads a body up to `maxBytes`; beyond that it stops reading, destroys the body and throws. */
export async function readCapped(
  body: AsyncIterable<Uint8Array> & { destroy(error?: Error): unknown },
  maxBytes: number,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw tooLargeError(maxBytes);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size);
}

/** Drops an answer body unread (a redirect, an over-size Content-Length) without an unhandled error. */
export function discardBody(body: { on(event: 'error', listener: () => void): unknown; destroy(): unknown }) {
  body.on('error', () => undefined);
  body.destroy();
}

/** The error `readCapped` throws; also for a Content-Length over the limit. */
export const tooLargeError = (maxBytes: number): Error =>
  Object.assign(new Error(`the answer is larger than ${formatBytes(maxBytes)}`), {
    code: answerTooLargeCode,
    limitBytes: maxBytes,
  });

/** `32 MiB`, `512 KiB`, `100 bytes`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MiB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
  return `${bytes} bytes`;
}
