// Which Host headers the server answers. A web page can point a DNS name of its own at
// 127.0.0.1 (DNS rebinding) and then talk to the server as a "same-origin" page; such
// requests carry that name in Host. So only loopback names, IP literals (no DNS involved)
// and the name the server was bound to are answered; everything else gets 421. The
// header is parsed, never pasted: the CSP is built from the parsed parts.
import net from 'node:net';
import os from 'node:os';

export interface CheckedHost {
  hostname: string;
  /** host[:port] as the browser used it (the port differs from ours behind an SSH tunnel), IPv6 in brackets */
  authority: string;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

/** A loopback address or name: traffic to it never leaves the machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.trim().replace(/^\[|\]$/g, '').toLowerCase();
  if (bare === 'localhost') return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  return bare === '::1';
}

/** The names this server answers to besides IP literals and `localhost`. */
export function allowedNames(boundHost: string): Set<string> {
  const names = new Set(['localhost', boundHost.toLowerCase().replace(/^\[|\]$/g, '')]);
  if (WILDCARDS.has(boundHost)) {
    const me = os.hostname().toLowerCase();
    names.add(me);
    names.add(`${me}.local`);
  }
  return names;
}

/** The Host header as parsed parts when the server should answer it, else undefined. */
export function checkHost(header: string | undefined, names: Set<string>): CheckedHost | undefined {
  if (!header || !/^[A-Za-z0-9.:[\]-]+$/.test(header)) return undefined;
  let u: URL;
  try {
    u = new URL(`http://${header}`);
  } catch {
    return undefined;
  }
  // anything the URL parser dropped or changed (user info, a path) means the header was not a plain host
  if (u.host !== header.toLowerCase().replace(/:80$/, '')) return undefined;
  const bare = u.hostname.replace(/^\[|\]$/g, '');
  if (!net.isIP(bare) && !names.has(bare)) return undefined;
  return { hostname: u.hostname, authority: u.host };
}

/** The Content-Security-Policy of every answer; `host` is a checked one (or none). */
export function contentSecurityPolicy(host: CheckedHost | undefined): string {
  const ws = host ? ` ws://${host.authority}` : '';
  return `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'${ws}; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'`;
}
