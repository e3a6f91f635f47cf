// A local HTTP server standing in for Slack's Web API (https://slack.com/api/), for the
// calls a report delivery makes: auth.test, chat.postMessage, files.getUploadURLExternal,
// the upload to the URL it hands out, and files.completeUploadExternal. It checks the bot
// token, answers with the documented shapes (ok:false with Slack's error codes included),
// and keeps messages and files for the test to read. It cannot show that real Slack
// accepts every detail; the test names say "local stand-in".
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackMessage {
  channel: string;
  text: string;
  ts: string;
}

export interface SlackFile {
  id: string;
  name: string;
  title?: string;
  data: Buffer;
  channel?: string;
  threadTs?: string;
}

export interface SlackStandIn {
  url: string;
  token: string;
  messages: SlackMessage[];
  files: SlackFile[];
  /** the next `n` calls of chat.postMessage answer HTTP 429 with Retry-After: 1 */
  rateLimitNext(n: number): void;
  close(): Promise<void>;
}

const CHANNELS: Record<string, string> = { '#reports': 'C0REPORTS', C0REPORTS: 'C0REPORTS' };

export async function startSlackStandIn(token = 'xoxb-test-token'): Promise<SlackStandIn> {
  const messages: SlackMessage[] = [];
  const files: SlackFile[] = [];
  const pending = new Map<string, SlackFile>();
  let limited = 0;
  let seq = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const send = (status: number, json: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(json));
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname.startsWith('/upload/')) {
        const f = pending.get(url.pathname.slice('/upload/'.length));
        if (!f) return send(404, { ok: false });
        f.data = body;
        return res.writeHead(200).end('OK - ' + body.length);
      }
      if (req.headers.authorization !== `Bearer ${token}`) return send(200, { ok: false, error: 'invalid_auth' });
      const args = JSON.parse(body.toString() || '{}') as Record<string, unknown>;
      switch (url.pathname) {
        case '/api/auth.test':
          return send(200, { ok: true, team: 'Test team', user: 'aqueduct-bot' });
        case '/api/chat.postMessage': {
          if (limited > 0) {
            limited--;
            return send(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '1' });
          }
          const channel = CHANNELS[String(args.channel)];
          if (!channel) return send(200, { ok: false, error: 'channel_not_found' });
          const ts = `${1700000000 + ++seq}.000100`;
          messages.push({ channel, text: String(args.text), ts });
          return send(200, { ok: true, channel, ts });
        }
        case '/api/files.getUploadURLExternal': {
          const id = `F${++seq}`;
          pending.set(id, { id, name: String(args.filename), data: Buffer.alloc(0) });
          const port = (server.address() as AddressInfo).port;
          return send(200, { ok: true, upload_url: `http://127.0.0.1:${port}/upload/${id}`, file_id: id });
        }
        case '/api/files.completeUploadExternal': {
          const list = args.files as { id: string; title?: string }[];
          for (const f of list) {
            const p = pending.get(f.id);
            if (!p || p.data.length === 0) return send(200, { ok: false, error: 'file_not_found' });
            pending.delete(f.id);
            files.push({ ...p, title: f.title, channel: String(args.channel_id), threadTs: args.thread_ts as string | undefined });
          }
          if (!Object.values(CHANNELS).includes(String(args.channel_id))) return send(200, { ok: false, error: 'channel_not_found' });
          return send(200, { ok: true, files: list.map((f) => ({ id: f.id })) });
        }
        default:
          return send(200, { ok: false, error: 'unknown_method' });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/api/`,
    token,
    messages,
    files,
    rateLimitNext: (n) => (limited = n),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
