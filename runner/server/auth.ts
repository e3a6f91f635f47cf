// The headless server's one lock: a random token of at least 128 bits. The page gets it
// once in its URL (?token=, accepted only when loading a page); the API then sends it as a
// Bearer header (HTTP) or inside the WebSocket's protocol list (browsers cannot set headers
// on a WebSocket), never in a URL that logs and histories keep. Static files may instead
// carry an HttpOnly SameSite=Strict cookie set on that page load; since browsers send
// cookies to every port of a host, the cookie holds only an HMAC of the token: it opens
// the static files (which hold no data) and nothing else, and never gives the token away.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApiSocketProtocols } from '../api/types.ts';

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

/** Why a token given by the user (AQUEDUCT_TOKEN) is too weak to guard the server, or undefined. */
export function tokenProblem(token: string): string | undefined {
  const fix = 'use at least 22 random letters, digits, - or _ (or 32 hex digits, e.g. from `openssl rand -hex 16`), or leave it unset for a random one';
  if (!/^[A-Za-z0-9_-]+$/.test(token)) return `AQUEDUCT_TOKEN may hold only letters, digits, - and _ and must carry at least 128 bits: ${fix}`;
  const bitsPerChar = /^[0-9a-f]+$/i.test(token) ? 4 : 6;
  // a long run of few characters is long, not random
  if (token.length * bitsPerChar < 128 || new Set(token).size < 8) return `AQUEDUCT_TOKEN is too weak to guard the server (it needs at least 128 bits): ${fix}`;
  return undefined;
}

export function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Cookies are not scoped by port, so two servers on one host each get their own name. */
export function cookieName(port: number): string {
  return `aqueduct_static_${port}`;
}

/** What the static-files cookie holds: derived from the token, useless for finding it or calling the API. */
export function staticKey(token: string): string {
  return crypto.createHmac('sha256', token).update('aqueduct static files').digest('base64url');
}

export function staticCookie(port: number, token: string): string {
  return `${cookieName(port)}=${staticKey(token)}; HttpOnly; SameSite=Strict; Path=/`;
}

/** The WebSocket subprotocol the server answers with; the token rides beside it (see ApiSocketProtocols). */
export const WS_PROTOCOL: ApiSocketProtocols[0] = 'aqueduct';
const WS_TOKEN_PREFIX = 'aqueduct-token.';

export interface RequestTokens {
  bearer?: string;
  query?: string;
  cookie?: string;
  /** from the WebSocket's protocol list */
  protocol?: string;
}

export function tokensOf(req: IncomingMessage, url: URL, port: number): RequestTokens {
  const auth = req.headers.authorization;
  const bearer = auth?.startsWith('Bearer ') ? auth.slice('Bearer '.length).trim() : undefined;
  const query = url.searchParams.get('token') ?? undefined;
  const name = cookieName(port);
  const cookie = (req.headers.cookie ?? '')
    .split(';')
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
  const protocol = String(req.headers['sec-websocket-protocol'] ?? '')
    .split(',')
    .map((p) => p.trim())
    .find((p) => p.startsWith(WS_TOKEN_PREFIX))
    ?.slice(WS_TOKEN_PREFIX.length);
  return { bearer, query, cookie, protocol };
}
