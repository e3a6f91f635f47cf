// The headless server's one lock: a random token, required on every request and every
// WebSocket. The page gets it once in its URL (?token=); the API then sends it as a Bearer
// header (HTTP) or a `token` query parameter (WebSocket, where browsers cannot set
// headers). Static assets may instead carry an HttpOnly SameSite=Strict cookie set when
// the page was first opened with the token, so <script src> and reloads work.
import crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return crypto.randomBytes(24).toString('base64url');
}

export function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

/** Cookies are not scoped by port, so two servers on one host each get their own name. */
export function cookieName(port: number): string {
  return `aqueduct_token_${port}`;
}

export function tokenCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export interface RequestTokens {
  bearer?: string;
  query?: string;
  cookie?: string;
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
  return { bearer, query, cookie };
}
