// Never twice for one run, across a crash: a scheduled run emails its report to a real SMTP
// server on 127.0.0.1; the moment the message has arrived, before the server answers, the
// test kills the scheduler process with SIGKILL, so the email went out but the delivery
// record still says "sending". The next scheduler finds the run interrupted and retries
// the slot: the retry renders the report again, reads the record of the first run, and
// does not send again (the node says why, as a warning). One email in the mailbox.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../runner/engine.ts';
import { ScheduleService } from '../../runner/schedule/service.ts';
import { openDatabase } from '../../runner/store/db.ts';
import { tempHome } from '../helpers/home.ts';
import { startMailServer, type MailServer } from '../helpers/mail-server.ts';
import { testPython } from '../helpers/python.ts';
import { addSmtpConnection, reportWorkflow } from './report-fixtures.ts';

interface Daemon {
  proc: ChildProcess;
  out: string[];
  exited: Promise<number | null>;
}
const daemons: Daemon[] = [];

function startScheduler(home: string): Daemon {
  const proc = spawn(process.execPath, ['bin/aqueduct.mjs', 'scheduler', '--lease-ttl', '1.5', '--renew-every', '0.25', '--grace', '30'], {
    env: { ...process.env, AQUEDUCT_HOME: home, AQUEDUCT_PYTHON: testPython() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out: string[] = [];
  proc.stdout!.on('data', (b: Buffer) => out.push(...b.toString().split('\n').filter(Boolean)));
  proc.stderr!.on('data', (b: Buffer) => out.push(...b.toString().split('\n').filter(Boolean)));
  const d = { proc, out, exited: new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code))) };
  daemons.push(d);
  return d;
}

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let mail: MailServer;
beforeAll(async () => {
  mail = await startMailServer();
});
afterAll(async () => {
  for (const d of daemons) if (d.proc.exitCode === null && d.proc.signalCode === null) d.proc.kill('SIGKILL');
  await Promise.all(daemons.map((d) => d.exited));
  await mail?.close();
});

describe('a report delivery interrupted by kill -9', () => {
  it('is not sent again by the retry of the run: one email, and the retry says why', async () => {
    const home = tempHome('report-crash');
    const engine = await Engine.open({ home, python: testPython() });
    addSmtpConnection(engine, mail.port);
    const folder = reportWorkflow({
      label: 'nightly',
      deliveries: [{ id: 'email_summary', kind: 'publish', inputs: ['summary'], destination: { type: 'email', connection: 'smtp', to: ['ana@example.com'], attach: ['pdf'] } }],
    });
    const id = engine.openWorkflow(folder).summary.id;
    const at = new Date(Date.now() + 6000);
    new ScheduleService({ store: engine.store, paths: engine.paths }).setSchedule(id, {
      cron: `${at.getUTCSeconds()} ${at.getUTCMinutes()} ${at.getUTCHours()} * * *`,
      timezone: 'UTC',
    });
    await engine.close();
    const db = openDatabase(path.join(home, 'aqueduct.db'));

    const a = startScheduler(home);
    mail.onArrival = async () => {
      // the message is here; its sender never hears back, nor records that it was sent
      a.proc.kill('SIGKILL');
      await a.exited;
    };
    await mail.waitFor(1);
    mail.onArrival = undefined;
    const first = db.prepare("SELECT run_key, run_id, state FROM deliveries WHERE node_id = 'email_summary'").get() as { run_key: string; run_id: string; state: string };
    expect(first.state).toBe('sending');

    const b = startScheduler(home);
    const retry = await waitFor('the retry of the slot to finish', () =>
      db.prepare("SELECT id, status FROM runs WHERE id <> ? AND trigger = 'schedule' AND status NOT IN ('queued', 'running')").get(first.run_id) as { id: string; status: string } | undefined,
    );
    expect((db.prepare('SELECT status FROM runs WHERE id = ?').get(first.run_id) as { status: string }).status).toBe('interrupted');
    expect(retry.status).toBe('succeeded_with_warnings');
    const node = db.prepare("SELECT status, error FROM node_runs WHERE run_id = ? AND node_id = 'email_summary'").get(retry.id) as { status: string; error: string };
    expect(node.status).toBe('warning');
    expect(JSON.parse(node.error).message).toBe(
      `may already have been delivered by run ${first.run_id.slice(0, 8)}: the process stopped while sending to email to ana@example.com, so it is not sent again (nobody gets it twice); check with the recipients`,
    );
    expect(db.prepare("SELECT state, run_key FROM deliveries WHERE node_id = 'email_summary'").all()).toEqual([{ state: 'sending', run_key: first.run_id }]);
    // the retry rendered its own report; still one email
    await new Promise((r) => setTimeout(r, 1000));
    expect(mail.mails).toHaveLength(1);
    b.proc.kill('SIGTERM');
    expect(await b.exited).toBe(0);
    db.close();
  });
});
