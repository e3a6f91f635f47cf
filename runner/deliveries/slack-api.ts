// The few Slack Web API calls a delivery makes with a bot token: chat.postMessage for the
// summary, then each file (chart PNGs, the PDF) through files.getUploadURLExternal, an
// upload to the URL Slack gives, and files.completeUploadExternal into the message's
// thread. Slack answers 200 with ok:false for most errors: those are retold with a fix;
// rate limits and 5xx are transient (Retry-After is honoured).
import type { ConnectionConfig } from '../connectors/types.ts';
import { DeliveryError, isNetworkFailure } from './transient.ts';

const FIXES: Record<string, string> = {
  invalid_auth: 'check the bot token of the Slack connection (xoxb-…)',
  not_authed: 'set the bot token of the Slack connection',
  account_inactive: 'the Slack app was removed or its token revoked: make a new token',
  token_revoked: 'the token was revoked: make a new one and save it in the Slack connection',
  channel_not_found: 'check channel: (a #name the bot can see, or the channel id)',
  not_in_channel: 'invite the bot to the channel (/invite @your-app)',
  missing_scope: 'give the Slack app the chat:write and files:write scopes, then reinstall it',
  is_archived: 'the channel is archived: pick another one',
};
const TRANSIENT = new Set(['ratelimited', 'internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

export class SlackClient {
  private readonly base: string;

  constructor(private readonly cfg: ConnectionConfig) {
    const url = typeof cfg['apiUrl'] === 'string' && cfg['apiUrl'] ? String(cfg['apiUrl']) : 'https://slack.com/api/';
    this.base = url.endsWith('/') ? url : `${url}/`;
    if (typeof cfg['token'] !== 'string' || !cfg['token']) throw new DeliveryError('the Slack connection has no bot token', 'set its bot token (xoxb-…)');
  }

  async call<T extends Record<string, unknown>>(method: string, body: Record<string, unknown>, signal?: AbortSignal): Promise<T> {
    const res = await this.fetch(`${this.base}${method}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${String(this.cfg['token'])}`, 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal,
    });
    const json = (await res.json().catch(() => ({}))) as { ok?: boolean; error?: string } & T;
    if (!json.ok) {
      const code = json.error ?? 'unknown_error';
      throw new DeliveryError(`Slack's ${method} answered ${code}`, FIXES[code], TRANSIENT.has(code));
    }
    return json;
  }

  /** Uploads one file and shares it in `channel` (in the thread of `threadTs`). */
  async uploadFile(channel: string, threadTs: string | undefined, name: string, title: string, data: Buffer, signal?: AbortSignal): Promise<void> {
    const { upload_url, file_id } = await this.call<{ upload_url: string; file_id: string }>('files.getUploadURLExternal', { filename: name, length: data.length }, signal);
    const res = await this.fetch(upload_url, { method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: new Uint8Array(data), signal });
    if (!res.ok) throw new DeliveryError(`Slack refused the upload of ${name} (HTTP ${res.status})`, undefined, res.status >= 500);
    await this.call('files.completeUploadExternal', { files: [{ id: file_id, title }], channel_id: channel, ...(threadTs ? { thread_ts: threadTs } : {}) }, signal);
  }

  private async fetch(url: string, init: RequestInit): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, { ...init, signal: init.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(60_000)]) : AbortSignal.timeout(60_000) });
    } catch (e) {
      const host = new URL(url).host;
      throw new DeliveryError(`could not reach Slack at ${host} (${(e as Error).message})`, 'check the network (and the API URL of the Slack connection)', isNetworkFailure(e) || (e as Error).name === 'TimeoutError');
    }
    if (res.status === 429 || res.status >= 500) {
      const after = Number(res.headers.get('retry-after') ?? 0) * 1000;
      throw new DeliveryError(`Slack answered HTTP ${res.status}`, undefined, true, after);
    }
    return res;
  }
}
