// Failure notifications really delivered: email to an SMTP server this test starts on
// 127.0.0.1 (smtp-server, with a login, so the sealed password is used), a Slack message
// to a local HTTP server standing in for Slack's webhook, and the desktop callback.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DesktopNotifications } from '../../runner/notify/desktop.ts';
import type { RunNotification } from '../../runner/notify/types.ts';
import { harness, setFailing, type Harness } from './scheduler-fixtures.ts';

interface Mail {
  user?: string;
  from: string;
  to: string[];
  raw: string;
}
const mails: Mail[] = [];
const slackPosts: { path: string; contentType?: string; body: unknown }[] = [];
let smtp: SMTPServer;
let slack: http.Server;
let smtpPort = 0;
let slackPort = 0;

beforeAll(async () => {
  smtp = new SMTPServer({
    logger: false,
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    onAuth(auth, _session, cb) {
      if (auth.username === 'ana' && auth.password === 's3cret pass') cb(null, { user: 'ana' });
      else cb(new Error('invalid login'));
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        mails.push({ user: session.user as string | undefined, from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '', to: session.envelope.rcptTo.map((r) => r.address), raw });
        cb();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  smtpPort = (smtp.server.address() as AddressInfo).port;
  slack = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      slackPosts.push({ path: req.url ?? '', contentType: req.headers['content-type'], body: JSON.parse(body) });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => slack.listen(0, '127.0.0.1', resolve));
  slackPort = (slack.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
  await new Promise<void>((resolve) => slack.close(() => resolve()));
});

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** quoted-printable soft line breaks and escapes, as nodemailer writes long lines */
const decodeQP = (s: string) => s.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));

async function failingRun(label: string, desktop?: DesktopNotifications) {
  h = await harness(label, '2026-06-01T00:00:00Z', {}, { desktop });
  const w = h.workflow('Nightly scores', { fail: true });
  // the test's server speaks no TLS: a plain login is allowed, explicitly, because it is on loopback
  h.service.setSmtp({ host: '127.0.0.1', port: smtpPort, secure: false, user: 'ana', password: 's3cret pass', from: 'Aqueduct <aqueduct@example.com>', allowPlainAuth: true });
  h.service.setNotificationSettings(w.id, {
    emailTo: ['team@example.com'],
    slackWebhookUrl: `http://127.0.0.1:${slackPort}/services/T000/B000/XXXX`,
    desktop: true,
  });
  h.scheduler.start();
  await h.scheduler.idle();
  const run = await h.engine.run(w.folder, { trigger: 'cli' });
  await h.scheduler.idle(); // run_finished wakes the scheduler, which sends
  const error = run.nodes.find((n) => n.nodeId === 's')!.error!.message;
  return { h, w, run, error };
}

describe('failure notifications', () => {
  it('delivers an email to an SMTP server started on 127.0.0.1, with the failing node and its error', async () => {
    mails.length = 0;
    const { h, run, error } = await failingRun('sched-notify-email');
    expect(run.status).toBe('failed');
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail).toMatchObject({ user: 'ana', from: 'aqueduct@example.com', to: ['team@example.com'] });
    const text = decodeQP(mail.raw);
    expect(text).toContain(`Subject: [Aqueduct] Nightly scores failed (run ${run.id.slice(0, 8)}): node s failed`);
    for (const line of ['Workflow: Nightly scores', `Run: ${run.id}`, 'Status: failed', 'Failing node: s (sql)', `Error: ${error}`]) expect(text).toContain(line);
    expect(error).toMatch(/no_such_column/);
    expect(h.service.deliveries(run.id)).toEqual(expect.arrayContaining([expect.objectContaining({ channel: 'email', status: 'sent' })]));
    // secrets are sealed in the store, never plain
    const stored = JSON.stringify(h.engine.store.db.prepare("SELECT * FROM settings WHERE key = 'notify.smtp'").all()) +
      JSON.stringify(h.engine.store.db.prepare('SELECT * FROM notification_settings').all());
    expect(stored).not.toContain('s3cret');
    expect(stored).not.toContain('/services/T000');
    expect(h.service.getSmtp()).toMatchObject({ host: '127.0.0.1', user: 'ana', passwordSet: true });
  });

  it("posts the failure as JSON {text} to a local HTTP server (local stand-in for Slack's webhook)", async () => {
    slackPosts.length = 0;
    const { h, run, error } = await failingRun('sched-notify-slack');
    expect(slackPosts).toHaveLength(1);
    const post = slackPosts[0]!;
    expect(post.path).toBe('/services/T000/B000/XXXX');
    expect(post.contentType).toBe('application/json');
    const text = (post.body as { text: string }).text;
    expect(Object.keys(post.body as object)).toEqual(['text']);
    for (const part of ['Nightly scores', run.id, 'Status: failed', 'Failing node: s', error]) expect(text).toContain(part);
    // a second look at the same run sends nothing: each (run, channel) is claimed once
    await h.scheduler.tick();
    await h.scheduler.idle();
    expect(slackPosts).toHaveLength(1);
    // no desktop shell is attached here, so the desktop channel is left for one that attaches
    expect(h.service.deliveries(run.id).map((d) => `${d.channel}:${d.status}`)).toEqual(['email:sent', 'slack:sent']);
  });

  it('tells the desktop shell through its callback, and says nothing when a run succeeds', async () => {
    const desktop = new DesktopNotifications();
    const shown: RunNotification[] = [];
    desktop.onNotification((n) => shown.push(n));
    const { h, w, run, error } = await failingRun('sched-notify-desktop', desktop);
    expect(shown).toEqual([expect.objectContaining({ runId: run.id, workflowName: 'Nightly scores', status: 'failed', failingNode: 's', error })]);
    expect(shown[0]!.title).toBe(`Nightly scores failed (run ${run.id.slice(0, 8)}): node s failed`);
    const before = { mails: mails.length, posts: slackPosts.length };
    h.service.setNotificationSettings(w.id, { onSuccess: false });
    setFailing(w.folder, false);
    expect((await h.engine.run(w.folder)).status).toBe('succeeded');
    await h.scheduler.idle();
    expect(shown).toHaveLength(1);
    expect({ mails: mails.length, posts: slackPosts.length }).toEqual(before);
  });
});
