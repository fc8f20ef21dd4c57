import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { UserError } from '../errors.js';

/**
 * Where a user's attachment may be sent. AtomicHost hands out the one-time
 * upload URL, so a hostile or broken answer could point it at the bot's own
 * network (a metadata service, an admin port): only `https:` hosts under the
 * configured suffixes, on public addresses once resolved, are accepted —
 * plus the exact origins the operator listed (ATOMICHOST_TRANSFER_HOSTS).
 */

const NOT_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 127], // unspecified and loopback
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['ff00::', 8], // multicast
  ['64:ff9b::', 96], // NAT64 of any IPv4, private ones included
] as const) {
  NOT_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** True for an address on the public internet (not loopback, private, link-local, …). */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1];
  if (mapped) return isPublicAddress(mapped);
  return !NOT_PUBLIC.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

/** A connection refused because the name resolved to a non-public address. */
export class BlockedAddressError extends Error {
  override readonly name = 'BlockedAddressError';
  readonly code = 'EBLOCKEDADDRESS';
}

/** dns.lookup that fails instead of answering a non-public address. */
const publicOnlyLookup: LookupFunction = (hostname, options, callback) => {
  dnsLookup(hostname, { ...options }, (error, address, family) => {
    if (error) return callback(error, address, family);
    const all: LookupAddress[] = Array.isArray(address)
      ? (address as LookupAddress[])
      : [{ address: address, family: family ?? 4 }];
    if (all.length === 0 || all.some((entry) => !isPublicAddress(entry.address))) {
      callback(new BlockedAddressError(`${hostname} resolves to a non-public address`), '', 0);
      return;
    }
    callback(null, address, family);
  });
};

/** Checks the resolved address of every connection; used for URLs matched by suffix. */
const guardedAgent = new Agent({ connect: { lookup: publicOnlyLookup } });
/** For origins the operator listed explicitly: trusted as configured. */
const trustedAgent = new Agent();

function matchesSuffix(host: string, suffix: string): boolean {
  return host === suffix || host.endsWith(`.${suffix}`);
}

export function transferRefused(): UserError {
  return new UserError(
    "AtomicHost gave an upload link to a host Hostlink doesn't send files to, so nothing was uploaded. " +
      'Run `/files upload` without a file to get the link and upload yourself, or tell the bot operator.',
    'Upload refused',
  );
}

export interface TransferTarget {
  url: URL;
  dispatcher: Dispatcher;
}

/**
 * The URL and the dispatcher to send through, or a UserError when the URL
 * is not allowed. `allowed` is ATOMICHOST_TRANSFER_HOSTS: host suffixes and
 * exact origins.
 */
export function transferTarget(rawUrl: string, allowed: readonly string[]): TransferTarget {
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw transferRefused();
  }
  if (url.username || url.password) throw transferRefused();
  if (allowed.includes(url.origin)) return { url, dispatcher: trustedAgent };
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (url.protocol !== 'https:') throw transferRefused();
  if (!allowed.some((entry) => !entry.includes('://') && matchesSuffix(host, entry))) throw transferRefused();
  // An address literal is never looked up: check it here.
  if (isIP(host) !== 0 && !isPublicAddress(host)) throw transferRefused();
  return { url, dispatcher: guardedAgent };
}

/** True when a request failed because the guard refused the resolved address. */
export function isBlockedAddress(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 4; depth += 1) {
    if (e instanceof BlockedAddressError) return true;
    e = (e as { cause?: unknown }).cause;
  }
  return false;
}
