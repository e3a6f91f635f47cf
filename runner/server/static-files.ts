// Serves the built renderer (renderer/dist) with a single-page-app fallback to
// index.html. When the UI was never built, a page says how to build it instead of a
// bare 404, since `aqueduct serve` is often the first thing someone runs.
import fs from 'node:fs';
import type { ServerResponse } from 'node:http';
import path from 'node:path';
import { contentSecurityPolicy, type CheckedHost } from './host-check.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

export function securityHeaders(host: CheckedHost | undefined): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(host),
    'X-Content-Type-Options': 'nosniff',
    // the token is in the page's URL: never send it elsewhere in a Referer
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
}

export function sendPage(res: ServerResponse, status: number, title: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:system-ui;max-width:40rem;margin:4rem auto;line-height:1.5"><h1>${title}</h1>${body}</body>`);
}

/** Resolves a URL path to a file in `root`, or index.html for app routes; null when not built. */
export function resolveStatic(root: string, urlPath: string): { file: string; isIndex: boolean } | null {
  const index = path.join(root, 'index.html');
  if (!fs.existsSync(index)) return null;
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath);
  } catch {
    return { file: index, isIndex: true };
  }
  const file = path.resolve(root, '.' + path.posix.normalize('/' + rel));
  if (file.startsWith(root + path.sep) && fs.existsSync(file) && fs.statSync(file).isFile()) {
    return { file, isIndex: file === index };
  }
  // relative asset URLs (vite base './') seen from a nested app route: /a/b/assets/x.js
  const at = rel.lastIndexOf('/assets/');
  if (at > 0) {
    const asset = path.resolve(root, '.' + path.posix.normalize(rel.slice(at)));
    if (asset.startsWith(root + path.sep) && fs.existsSync(asset) && fs.statSync(asset).isFile()) return { file: asset, isIndex: false };
  }
  // a missing asset is a 404; any other path is an app route
  if (/\.[a-z0-9]+$/i.test(rel) && at >= 0) return { file: '', isIndex: false };
  return { file: index, isIndex: true };
}

export function contentType(file: string): string {
  return TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export function sendFile(res: ServerResponse, file: string, headers: Record<string, string>): void {
  const type = contentType(file);
  const immutable = file.includes(`${path.sep}assets${path.sep}`);
  res.writeHead(200, {
    ...headers,
    'Content-Type': type,
    'Cache-Control': immutable ? 'private, max-age=31536000, immutable' : 'no-store',
  });
  fs.createReadStream(file).pipe(res);
}

export function notBuiltPage(res: ServerResponse, headers: Record<string, string>): void {
  sendPage(
    res,
    503,
    'The Aqueduct UI is not built',
    '<p>The server and its API are running, but the user interface has not been built yet.</p>' +
      '<p>Build it with <code>npm run build:renderer</code> and reload this page.</p>',
    headers,
  );
}
