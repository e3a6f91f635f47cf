// A saved secret only ever goes to the server it was saved for. Pointing a saved
// connection (or the SMTP settings) at another host or port asks for the secret again,
// in a test, an edit, and the settings; and SMTP sends a login only over TLS unless the
// user explicitly allows plain text to a server on this machine. The "servers" here are
// real listeners on loopback that record whether a password arrived: a PostgreSQL
// protocol trap (test/helpers/password-trap.ts) and a real SMTP server (smtp-server).
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { closeApiClient, createApiClient, TRPCClientError, type Api } from '../../renderer/client/index.ts';
import { startServer, type RunningServer } from '../../runner/server/server.ts';
import { tempHome } from '../helpers/home.ts';
import { startPostgresPasswordTrap, type PasswordTrap } from '../helpers/password-trap.ts';
import { makeWorkflow, numbersCsv } from '../helpers/workflows.ts';
import { writeStaticSite } from '../helpers/static-site.ts';

const TOKEN = 'secrets-follow-token-Rk4Wp8Zs2Mv6';
const PASSWORD = 'Saved-For-A-9e41';
let server: RunningServer;
let api: Api;
let saved: PasswordTrap;
let other: PasswordTrap;

async function refusal(p: Promise<unknown>): Promise<{ message: string; fix?: string }> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(TRPCClientError);
  const err = e as TRPCClientError<never>;
  return { message: err.message, fix: (err.data as { fix?: string } | undefined)?.fix };
}

beforeAll(async () => {
  saved = await startPostgresPasswordTrap();
  other = await startPostgresPasswordTrap();
  server = await startServer({ port: 0, home: tempHome('secrets-follow'), token: TOKEN, staticDir: writeStaticSite('secrets-follow-static'), seedExample: false, scheduler: false, autoSync: false });
  api = createApiClient({ kind: 'web', baseUrl: `http://127.0.0.1:${server.port}`, token: TOKEN, WebSocket: WebSocket as unknown as typeof globalThis.WebSocket });
  await api.connections.create.mutate({ name: 'prod', type: 'postgres', settings: { host: '127.0.0.1', port: saved.port, database: 'd', user: 'u', password: PASSWORD } });
});

afterAll(async () => {
  if (api) closeApiClient(api);
  await server?.close();
  await saved?.close();
  await other?.close();
});

describe('a saved connection pointed elsewhere (local stand-in servers that record the passwords they get)', () => {
  it('is tested with its saved password only where it was saved for', async () => {
    const same = await api.connections.test.mutate({ name: 'prod', type: 'postgres', settings: { host: '127.0.0.1', port: saved.port, database: 'd', user: 'u' } });
    expect(same.problem).toBe('auth');
    expect(saved.passwords).toEqual([PASSWORD]);

    const moved = await api.connections.test.mutate({ name: 'prod', type: 'postgres', settings: { host: '127.0.0.1', port: other.port, database: 'd', user: 'u' } });
    expect(other.passwords).toEqual([]);
    expect(moved.ok).toBe(false);
    expect(moved.message).toMatch(/enter the password again/);

    // another name for the same address is another host as far as the saved secret knows
    const renamed = await api.connections.test.mutate({ name: 'prod', type: 'postgres', settings: { host: 'localhost', port: saved.port, database: 'd', user: 'u' } });
    expect(renamed.message).toMatch(/enter the password again/);
    expect(saved.passwords).toEqual([PASSWORD]);

    // typed again, it is sent where the user now says
    await api.connections.test.mutate({ name: 'prod', type: 'postgres', settings: { host: '127.0.0.1', port: other.port, database: 'd', user: 'u', password: 'typed-for-B' } });
    expect(other.passwords).toEqual(['typed-for-B']);
  });

  it('cannot be saved to another host or port without entering the password again', async () => {
    const r = await refusal(api.connections.update.mutate({ name: 'prod', settings: { host: '127.0.0.1', port: other.port, database: 'd', user: 'u' } }));
    expect(r.message).toMatch(/the port of "prod" changed: enter the password again/);
    const info = (await api.connections.get.query({ name: 'prod' })).info;
    expect(info.config.port).toBe(saved.port);
    const before = other.passwords.length;
    await api.connections.test.mutate({ name: 'prod' });
    expect(other.passwords.length).toBe(before);

    // other fields change freely, keeping the password
    await api.connections.update.mutate({ name: 'prod', settings: { host: '127.0.0.1', port: saved.port, database: 'd2', user: 'u' } });
    expect((await api.connections.get.query({ name: 'prod' })).info.secrets.hasPassword).toBe(true);
    // with the password typed again, the move is saved
    const moved = await api.connections.update.mutate({ name: 'prod', settings: { host: '127.0.0.1', port: other.port, database: 'd2', user: 'u', password: 'new-for-B' } });
    expect(moved.config.port).toBe(other.port);
  });
});

describe('the SMTP server', () => {
  const logins: string[] = [];
  let smtp: SMTPServer;
  let smtpPort = 0;
  let workflowId = '';
  beforeAll(async () => {
    // plain text only (no STARTTLS), as a server that would read the login off the wire
    smtp = new SMTPServer({
      logger: false,
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _s, cb) {
        logins.push(auth.password ?? '');
        cb(null, { user: auth.username });
      },
      onData(stream, _s, cb) {
        stream.resume();
        stream.on('end', () => cb());
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpPort = (smtp.server.address() as AddressInfo).port;
    const wf = await api.workflows.open.mutate({ folder: makeWorkflow({ nodes: [{ id: 'n', kind: 'source', file: 'data/n.csv' }] }, { 'data/n.csv': numbersCsv(2) }, 'smtp-wf') });
    workflowId = wf.id;
    await api.schedules.notifications.set.mutate({ workflowId, emailTo: ['team@example.com'], desktop: false });
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });
  const smtpSettings = { host: '127.0.0.1', secure: false, user: 'ana', from: 'Aqueduct <aqueduct@example.com>' };

  it('sends no login over plain text unless allowed, and allows that only on this machine', async () => {
    await api.schedules.notifications.setSmtp.mutate({ ...smtpSettings, port: smtpPort, password: 'smtp-pass-1' });
    const [refused] = await api.schedules.notifications.test.mutate({ workflowId });
    expect(refused).toMatchObject({ channel: 'email', ok: false });
    expect(refused!.detail).toMatch(/TLS/);
    expect(logins).toEqual([]);

    const far = await refusal(api.schedules.notifications.setSmtp.mutate({ ...smtpSettings, host: 'smtp.example.com', port: smtpPort, allowPlainAuth: true }));
    expect(far.message).toMatch(/only for a server on this machine/);

    await api.schedules.notifications.setSmtp.mutate({ ...smtpSettings, port: smtpPort, allowPlainAuth: true });
    const [sent] = await api.schedules.notifications.test.mutate({ workflowId });
    expect(sent).toMatchObject({ channel: 'email', ok: true });
    expect(logins).toEqual(['smtp-pass-1']);
  });

  it('asks for the password again when the server changes', async () => {
    await api.schedules.notifications.setSmtp.mutate({ ...smtpSettings, port: smtpPort, allowPlainAuth: true, password: 'smtp-pass-2' });
    const r = await refusal(api.schedules.notifications.setSmtp.mutate({ ...smtpSettings, host: 'localhost', port: smtpPort, allowPlainAuth: true }));
    expect(r.message).toMatch(/server changed.*enter the password again/);
    expect((await api.schedules.notifications.get.query({ workflowId })).smtp).toMatchObject({ host: '127.0.0.1', hasPassword: true });
  });
});
