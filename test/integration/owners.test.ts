// Every workflow has an owner: the one its workflow.yaml names, else the user named in
// Settings. The scheduler's notifier tells the owner and the watchers about failures (on
// a real SMTP server on 127.0.0.1), besides whoever the notification settings list; the
// API lists each workflow with its owner, marked when it is the default.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createApiContext } from '../../runner/api/context.ts';
import { createCallerFactory } from '../../runner/api/context.ts';
import { appRouter } from '../../runner/api/router.ts';
import { OWNER_EMAIL_SETTING, OWNER_NAME_SETTING } from '../../runner/store/metadata-store.ts';
import { MAIL_PASSWORD, MAIL_USER, startMailServer, type MailServer } from '../helpers/mail-server.ts';
import { harness, type Harness } from './scheduler-fixtures.ts';

let mail: MailServer;
let h: Harness | undefined;
beforeAll(async () => {
  mail = await startMailServer();
});
afterAll(() => mail?.close());
afterEach(async () => {
  await h?.close();
  h = undefined;
  mail.mails.length = 0;
});

function own(folder: string, yaml: string): void {
  const file = path.join(folder, 'workflow.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('nodes:', `${yaml}\nnodes:`));
}

async function failing(label: string, people: string) {
  h = await harness(label, '2026-06-01T00:00:00Z');
  const w = h.workflow('Nightly scores', { fail: true });
  own(w.folder, people);
  h.service.setSmtp({ host: '127.0.0.1', port: mail.port, secure: false, user: MAIL_USER, password: MAIL_PASSWORD, from: 'Aqueduct <aqueduct@example.com>', allowPlainAuth: true });
  h.scheduler.start();
  await h.scheduler.idle();
  const run = await h.engine.run(w.folder, { trigger: 'cli' });
  await h.scheduler.idle();
  return { h, w, run };
}

describe('owners and watchers', () => {
  it('are told about a failure by email, though the notification settings list nobody', async () => {
    const { run } = await failing('owners-notify', 'owner: { name: Zoë Lima, email: zoe@example.com }\nwatchers: [ben@example.com, "Chloé <chloe@example.com>"]');
    expect(run.status).toBe('failed');
    await mail.waitFor(1);
    expect(mail.mails).toHaveLength(1);
    expect(mail.mails[0]!.to.sort()).toEqual(['ben@example.com', 'chloe@example.com', 'zoe@example.com']);
    const parsed = await mail.parse(0);
    expect(parsed.subject).toBe(`[Aqueduct] Nightly scores failed (run ${run.id.slice(0, 8)}): node s failed`);
    expect(parsed.text).toContain('Owner: Zoë Lima <zoe@example.com>');
  });

  it('default to the user named in Settings when the file names none, and are listed so', async () => {
    h = await harness('owners-default', '2026-06-01T00:00:00Z');
    h.engine.store.setSetting(OWNER_NAME_SETTING, 'Ana Souza');
    h.engine.store.setSetting(OWNER_EMAIL_SETTING, 'ana@example.com');
    const mine = h.workflow('Mine');
    const theirs = h.workflow('Theirs');
    own(theirs.folder, 'owner: { name: Ben, email: ben@example.com }');
    const api = createCallerFactory(appRouter)(createApiContext(h.engine, { schedules: h.service }));
    await api.workflows.open({ folder: theirs.folder });
    const list = await api.workflows.list();
    expect(list.map((w) => [w.name, w.owner, w.ownerIsDefault ?? false])).toEqual([
      ['Mine', { name: 'Ana Souza', email: 'ana@example.com' }, true],
      ['Theirs', { name: 'Ben', email: 'ben@example.com' }, false],
    ]);
    expect(mine.id).toBeTruthy();
    // the Monitor's overview names them too
    const rows = await api.monitor.overview();
    expect(rows.map((r) => [r.name, r.owner]).sort()).toEqual([['Mine', 'Ana Souza'], ['Theirs', 'Ben']]);
    // a failure of "Mine" goes to the default owner
    h.service.setSmtp({ host: '127.0.0.1', port: mail.port, secure: false, user: MAIL_USER, password: MAIL_PASSWORD, from: 'Aqueduct <aqueduct@example.com>', allowPlainAuth: true });
    fs.writeFileSync(path.join(mine.folder, 'nodes', 's.sql'), 'SELECT nope FROM t\n');
    h.scheduler.start();
    await h.scheduler.idle();
    await h.engine.run(mine.folder, { trigger: 'cli' });
    await h.scheduler.idle();
    await mail.waitFor(1);
    expect(mail.mails[0]!.to).toEqual(['ana@example.com']);
  });

  it('are not emailed while no SMTP server is set up (nothing fails for it)', async () => {
    h = await harness('owners-no-smtp', '2026-06-01T00:00:00Z');
    const w = h.workflow('Quiet', { fail: true });
    own(w.folder, 'owner: { name: Zoë, email: zoe@example.com }');
    h.scheduler.start();
    await h.scheduler.idle();
    const run = await h.engine.run(w.folder, { trigger: 'cli' });
    await h.scheduler.idle();
    expect(h.service.deliveries(run.id).map((d) => d.channel)).not.toContain('email');
  });
});
