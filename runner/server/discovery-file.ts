// How local clients (the Python client, scripts) find a running app: while a server runs
// it keeps `<app home>/server.json` with its URL and token, readable by this user only
// (mode 0600, like secret.key), written under a temp name and renamed. It is removed
// when the server stops, unless another server has replaced it since.
import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, PRIVATE_FILE } from '../store/private-files.ts';

export const DISCOVERY_FILE = 'server.json';

export interface DiscoveryInfo {
  /** the server's base URL, without the token */
  url: string;
  token: string;
  pid: number;
  startedAt: number;
}

/** Writes the file; returns the function that removes it again. */
export function writeDiscoveryFile(home: string, host: string, port: number, token: string): () => void {
  const connectHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  const info: DiscoveryInfo = {
    url: `http://${connectHost.includes(':') ? `[${connectHost}]` : connectHost}:${port}`,
    token,
    pid: process.pid,
    startedAt: Date.now(),
  };
  const file = path.join(home, DISCOVERY_FILE);
  ensurePrivateDir(home);
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(info, null, 2) + '\n', { mode: PRIVATE_FILE });
  fs.chmodSync(tmp, PRIVATE_FILE);
  fs.renameSync(tmp, file);
  return () => {
    try {
      const now = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<DiscoveryInfo>;
      if (now.pid === info.pid && now.token === token && now.url === info.url) fs.rmSync(file, { force: true });
    } catch {
      // already gone, or not ours to remove
    }
  };
}
