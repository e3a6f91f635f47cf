// The desktop's security settings, applied to every web contents the app ever creates
// (through `web-contents-created`, so no window, devtools or future view escapes them):
// the UI is served from our own `aqueduct://app` scheme with a strict CSP, may not
// navigate elsewhere, open windows, embed webviews, ask for permissions or load anything
// from the network. The decisions themselves live in security-policy.ts.
import fs from 'node:fs';
import path from 'node:path';
import { app, protocol, session, shell, type WebContents } from 'electron';
import { contentType, resolveStatic } from '../../runner/server/static-files.ts';
import { APP_SCHEME, isAppUrl } from './security-policy.ts';

export { APP_ORIGIN, APP_SCHEME } from './security-policy.ts';

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self' data:; " +
  "connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/** Must run before the app is ready. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
}

/** Serves renderer/dist on aqueduct://app/ (SPA fallback to index.html) with the CSP. */
export function serveRenderer(): void {
  const root = path.join(app.getAppPath(), 'renderer', 'dist');
  protocol.handle(APP_SCHEME, async (req) => {
    const url = new URL(req.url);
    const found = url.host === 'app' ? resolveStatic(root, url.pathname) : null;
    const headers = { 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff' };
    if (!found || !found.file) {
      const body = found === null ? 'The Aqueduct UI is not built: run npm run build:renderer.' : 'Not found';
      return new Response(body, { status: 404, headers: { ...headers, 'Content-Type': 'text/plain; charset=utf-8' } });
    }
    return new Response(await fs.promises.readFile(found.file), { headers: { ...headers, 'Content-Type': contentType(found.file) } });
  });
}

export function lockDownSessions(): void {
  const s = session.defaultSession;
  s.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  s.setPermissionCheckHandler(() => false);
  // no remote content: the UI talks to the runner over IPC only
  s.webRequest.onBeforeRequest({ urls: ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'file://*/*'] }, (_d, callback) =>
    callback({ cancel: true }),
  );
}

/** Call once, before any window: every web contents made from then on is locked down. */
export function installWebContentsGuards(): void {
  app.on('web-contents-created', (_e, wc) => lockDownWebContents(wc));
}

function lockDownWebContents(wc: WebContents): void {
  wc.on('will-navigate', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  wc.on('will-redirect', (e, url) => {
    if (!isAppUrl(url)) e.preventDefault();
  });
  wc.on('will-attach-webview', (e) => e.preventDefault());
  // its own session too, should one ever differ from the default session
  wc.session.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  wc.setWindowOpenHandler(({ url }) => {
    // links to docs and the like open in the user's browser, never in the app
    if (/^https?:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}
