// `aqueduct scheduler` (the foreground scheduling daemon) and `aqueduct schedule ...`:
// schedules, slot history, cascades, retention and notification settings from a shell.
import { applySchedule } from '../../api/schedule-file.ts';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { Engine } from '../../engine.ts';
import { ScheduleInvalidError } from '../../schedule/cron.ts';
import { hostScheduler } from '../../schedule/host-scheduler.ts';
import { ScheduleService } from '../../schedule/service.ts';
import type { CatchUpPolicy, OverlapPolicy } from '../../schedule/types.ts';
import { EXIT, ExitCode } from '../exit.ts';
import { bold, dim, red, statusText, table } from '../format.ts';
import { collectParam, openEngine, positiveSeconds, wholeNumber } from './options.ts';

type Ctx = { engine: Engine; service: ScheduleService; id: (folder: string) => string };
const ms = (seconds: number) => Math.round(seconds * 1000);
const when = (ms?: number) => (ms === undefined ? '' : new Date(ms).toLocaleString());
const list = (v: string) => v.split(',').map((s) => s.trim()).filter(Boolean);

async function withService(cmd: Command, fn: (c: Ctx) => unknown | Promise<unknown>): Promise<void> {
  const engine = await openEngine(cmd);
  const service = new ScheduleService({ store: engine.store, paths: engine.paths });
  try {
    await fn({ engine, service, id: (folder) => engine.openWorkflow(path.resolve(folder)).summary.id });
  } catch (e) {
    if (!(e instanceof ScheduleInvalidError)) throw e;
    console.error(red('error: ') + e.message);
    throw new ExitCode(EXIT.invalid);
  } finally {
    await engine.close();
  }
}

const print = (json: boolean | undefined, value: unknown, text: () => string) => console.log(json ? JSON.stringify(value, null, 2) : text());

export function registerScheduleCommands(program: Command): void {
  program
    .command('scheduler')
    .description('run the scheduler in the foreground (for systemd, launchd or a terminal); several may run, one schedules')
    .option('--python <interpreter>', 'Python interpreter for python nodes')
    .option('--lease-ttl <seconds>', 'how long the scheduling lease lasts without renewal', positiveSeconds('--lease-ttl', 30), 30)
    .option('--renew-every <seconds>', 'how often the lease is renewed (and finished runs followed up)', positiveSeconds('--renew-every', 10), 10)
    .option('--grace <seconds>', 'how late a slot may start and still count as on time', positiveSeconds('--grace', 300), 300)
    .action(async (o: { python?: string; leaseTtl: number; renewEvery: number; grace: number }, cmd: Command) => {
      const engine = await openEngine(cmd, { python: o.python });
      console.log(`aqueduct scheduler: pid ${process.pid}, app data ${engine.paths.home}; stop with Ctrl-C or SIGTERM`);
      const { scheduler } = hostScheduler(engine, { leaseTtlMs: ms(o.leaseTtl), renewEveryMs: ms(o.renewEvery), graceMs: ms(o.grace) });
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await scheduler.stop();
      const active = engine.activeRuns();
      if (active.length) {
        console.log(`stopped scheduling; waiting for ${active.length} run(s) to finish (Ctrl-C or SIGTERM again cancels them)`);
        const cancel = () => active.forEach((id) => engine.cancelRun(id, 'the scheduler was stopped'));
        process.once('SIGINT', cancel);
        process.once('SIGTERM', cancel);
      }
      await scheduler.idle();
      await engine.close();
      console.log('aqueduct scheduler: stopped');
    });

  const schedule = program.command('schedule').description('schedules, slot history, cascades, retention and notifications');

  schedule
    .command('list')
    .description('every schedule with its next run')
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }, cmd: Command) =>
      withService(cmd, ({ service }) => {
        const all = service.listSchedules();
        print(o.json, all, () =>
          all.length === 0
            ? 'no schedules yet: add one with aqueduct schedule set <folder> daily'
            : table([
                ['WORKFLOW', 'CRON', 'TIME ZONE', 'STATE', 'CATCH-UP', 'OVERLAP', 'RETRY', 'NEXT RUN', 'FROM'].map(bold),
                ...all.map((s) => [s.workflowName ?? s.workflowId, s.cron, s.timezone, s.paused ? 'paused' : 'active', s.catchup, s.overlap, String(s.retryInterrupted), s.paused ? '' : when(s.nextRunAt), dim(s.source)]),
              ]),
        );
      }),
    );

  schedule
    .command('set')
    .description('schedule a workflow: a cron expression or hourly, daily, weekly, monthly')
    .argument('<folder>', 'workflow folder')
    .argument('<cron>', 'e.g. "30 2 * * *" or daily')
    .option('--tz <zone>', 'IANA time zone (default: this machine\'s)')
    .option('--catchup <policy>', 'missed slots after sleep or downtime: skip, once, each', 'skip')
    .option('--overlap <policy>', 'when the previous run still runs: skip, queue, cancel', 'skip')
    .option('-p, --param <name=value>', 'parameter for scheduled runs (repeatable)', collectParam, {})
    .option('--retry-interrupted <times>', 'retry a run interrupted by a crash this many times, 0 to 5', '1')
    .option('--paused', 'create it paused')
    .action((folder: string, cron: string, o: { tz?: string; catchup: CatchUpPolicy; overlap: OverlapPolicy; param: Record<string, string>; retryInterrupted: string; paused?: boolean }, cmd: Command) =>
      withService(cmd, ({ service, id }) => {
        // written into workflow.yaml too, as the app does, so the file and the store agree
        if (!/^\d+$/.test(o.retryInterrupted)) throw new ScheduleInvalidError('retryInterrupted', `"${o.retryInterrupted}" is not a whole number from 0 to 5`, '--retry-interrupted 1');
        const retryInterrupted = Number(o.retryInterrupted);
        const s = applySchedule(service, id(folder), path.resolve(folder), { cron, timezone: o.tz, catchup: o.catchup, overlap: o.overlap, retryInterrupted, params: o.param, paused: o.paused ?? false })!;
        console.log(`${bold(s.workflowName ?? '')}: ${s.cron} (${s.timezone})${s.paused ? ' paused' : ''}; next runs:`);
        for (const t of service.nextRuns(s.cron, s.timezone, 5)) console.log(`  ${new Date(t).toLocaleString('sv-SE', { timeZone: s.timezone })} ${dim(s.timezone)}`);
      }),
    );

  for (const [name, what] of [['pause', 'pause'], ['resume', 'resume'], ['remove', 'remove']] as const) {
    schedule
      .command(name)
      .description(`${what} a workflow's schedule`)
      .argument('<folder>', 'workflow folder')
      .action((folder: string, _o: unknown, cmd: Command) =>
        withService(cmd, ({ service, id }) => {
          const wf = id(folder);
          const current = service.getSchedule(wf);
          if (!current) return void console.log('that workflow has no schedule');
          if (name === 'remove') {
            applySchedule(service, wf, path.resolve(folder), null);
            return void console.log('schedule removed');
          }
          const { cron, timezone, catchup, overlap, retryInterrupted, params } = current;
          const s = applySchedule(service, wf, path.resolve(folder), { cron, timezone, catchup, overlap, retryInterrupted, params, paused: name === 'pause' })!;
          console.log(`schedule ${s.paused ? 'paused' : 'resumed'}`);
        }),
      );
  }

  schedule
    .command('next')
    .description('when a cron expression fires next')
    .argument('<cron>', 'e.g. "30 2 * * 1-5" or weekly')
    .option('--tz <zone>', 'IANA time zone')
    .option('-n, --count <n>', 'how many', wholeNumber('-n', 1, undefined, 5), 5)
    .action((cron: string, o: { tz?: string; count: number }, cmd: Command) =>
      withService(cmd, ({ service }) => {
        const tz = o.tz ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
        for (const t of service.nextRuns(cron, tz, o.count)) console.log(`${new Date(t).toLocaleString('sv-SE', { timeZone: tz })} ${dim(tz)}`);
      }),
    );

  schedule
    .command('history')
    .description('what the scheduler decided for each slot, and why')
    .argument('[folder]', 'only this workflow')
    .option('-n, --limit <n>', 'how many slots', wholeNumber('-n', 1, undefined, 30), 30)
    .option('--json', 'print as JSON')
    .action((folder: string | undefined, o: { limit: number; json?: boolean }, cmd: Command) =>
      withService(cmd, ({ service, id, engine }) => {
        const slots = service.slotHistory({ workflowId: folder ? id(folder) : undefined, limit: o.limit });
        const names = new Map(engine.store.listWorkflows().map((w) => [w.id, w.name]));
        print(o.json, slots, () =>
          table([
            ['SLOT', 'WORKFLOW', 'DECISION', 'RUN', 'STATUS', 'REASON'].map(bold),
            ...slots.map((s) => [when(s.slotTime), names.get(s.workflowId) ?? '', s.decision, s.runId?.slice(0, 8) ?? '', s.runStatus ? statusText(s.runStatus) : '', dim(s.reason)]),
          ]),
        );
      }),
    );

  schedule
    .command('status')
    .description('which process holds the scheduling lease')
    .action((_o: unknown, cmd: Command) =>
      withService(cmd, ({ service }) => {
        const s = service.schedulerStatus();
        console.log(s.role === 'stopped' ? 'no scheduler is running (start one with aqueduct scheduler, aqueduct serve or the desktop app)' : `scheduling: pid ${s.holderPid} on ${s.holderHost}, lease until ${when(s.leaseExpiresAt)}`);
      }),
    );

  const cascade = schedule.command('cascade').description('run a workflow after another one succeeds');
  cascade
    .command('add')
    .argument('<upstream>', 'workflow folder that runs first')
    .argument('<downstream>', 'workflow folder to run after it succeeds')
    .option('-p, --param <name=value>', 'parameter for the downstream run (repeatable)', collectParam, {})
    .action((up: string, down: string, o: { param: Record<string, string> }, cmd: Command) =>
      withService(cmd, ({ service, id }) => {
        const c = service.addCascade(id(up), id(down), o.param);
        console.log(`${c.downstreamName} now runs after ${c.upstreamName} succeeds (cascade ${c.id.slice(0, 8)})`);
      }),
    );
  cascade.command('list').option('--json', 'print as JSON').action((o: { json?: boolean }, cmd: Command) =>
    withService(cmd, ({ service }) => {
      const all = service.listCascades();
      print(o.json, all, () => table([['ID', 'AFTER', 'RUNS'].map(bold), ...all.map((c) => [c.id.slice(0, 8), c.upstreamName ?? '', c.downstreamName ?? ''])]));
    }),
  );
  cascade.command('remove').argument('<id>', 'cascade id (or prefix)').action((idArg: string, _o: unknown, cmd: Command) =>
    withService(cmd, ({ service }) => {
      const c = service.listCascades().find((x) => x.id.startsWith(idArg));
      console.log(c && service.removeCascade(c.id) ? 'cascade removed' : `no cascade ${idArg}`);
    }),
  );

  schedule
    .command('retention')
    .description('space used by run outputs; set how many runs keep their outputs')
    .option('--keep <runs>', 'runs whose outputs are kept (globally, or for --workflow)', wholeNumber('--keep', 1, undefined, 20))
    .option('-w, --workflow <folder>', 'set it for this workflow only')
    .option('--default', 'with --workflow: use the global setting again')
    .option('--apply', 'delete outputs beyond the limit now')
    .option('--json', 'print as JSON')
    .action((o: { keep?: number; workflow?: string; default?: boolean; apply?: boolean; json?: boolean }, cmd: Command) =>
      withService(cmd, ({ service, id }) => {
        if (o.workflow && (o.keep !== undefined || o.default)) service.setWorkflowRetention(id(o.workflow), o.default ? undefined : o.keep);
        else if (o.keep !== undefined) service.setGlobalRetention(o.keep);
        if (o.apply) {
          const r = service.applyRetention();
          console.log(`deleted the outputs of ${r.deleted.length} run(s), ${(r.bytesFreed / 1e6).toFixed(1)} MB`);
        }
        const usage = service.retentionUsage();
        print(o.json, usage, () =>
          table([
            ['WORKFLOW', 'KEEPS', 'RUNS', 'WITH OUTPUT', 'PREVIEWS', 'DELETED', 'SIZE'].map(bold),
            ...usage.map((u) => [u.workflowName, String(u.keepRuns), String(u.runs), String(u.runsWithArtifacts), String(u.previews), String(u.runsDeleted), `${(u.bytes / 1e6).toFixed(1)} MB`]),
          ]),
        );
      }),
    );

  schedule
    .command('notify')
    .description("who hears about a workflow's runs: email, Slack, desktop")
    .argument('<folder>', 'workflow folder')
    .option('--on <events>', 'failure,warning,success (comma-separated)')
    .option('--email <addresses>', 'comma-separated; "" for none', list)
    .option('--slack-webhook <url>', 'Slack incoming-webhook URL ("-" reads it from stdin, "" removes it)')
    .option('--desktop', 'desktop notifications on')
    .option('--no-desktop', 'desktop notifications off')
    .option('--test', 'send a test message on every channel')
    .action(async (folder: string, o: { on?: string; email?: string[]; slackWebhook?: string; desktop?: boolean; test?: boolean }, cmd: Command) =>
      withService(cmd, async ({ service, id }) => {
        const wf = id(folder);
        const on = o.on ? list(o.on) : undefined;
        const slack = o.slackWebhook === '-' ? fs.readFileSync(0, 'utf8').trim() : o.slackWebhook;
        const s = service.setNotificationSettings(wf, {
          onFailure: on ? on.includes('failure') : undefined, onWarning: on ? on.includes('warning') : undefined, onSuccess: on ? on.includes('success') : undefined,
          emailTo: o.email, slackWebhookUrl: slack === '' ? null : slack, desktop: o.desktop,
        });
        console.log(JSON.stringify(s, null, 2));
        if (o.test) for (const r of await service.sendTestNotification(wf)) console.log(`${r.channel}: ${r.ok ? 'ok' : red('failed')} ${dim(r.detail)}`);
      }),
    );

  schedule
    .command('smtp')
    .description('the SMTP server notification email goes through (the password is stored encrypted)')
    .requiredOption('--host <host>', 'e.g. smtp.example.com')
    .requiredOption('--from <address>', 'e.g. "Aqueduct <aqueduct@example.com>"')
    .option('--port <port>', 'default 587 (465 with --secure)', wholeNumber('--port', 1, 65535))
    .option('--secure', 'TLS from the start (port 465)')
    .option('--user <user>', 'login')
    .option('--password-stdin', 'read the password from stdin')
    .option('--allow-plain-auth', 'send the login without TLS (only for a server on this machine, e.g. a local relay)')
    .action((o: { host: string; from: string; port?: number; secure?: boolean; user?: string; passwordStdin?: boolean; allowPlainAuth?: boolean }, cmd: Command) =>
      withService(cmd, ({ service }) => {
        const password = o.passwordStdin ? fs.readFileSync(0, 'utf8').replace(/\r?\n$/, '') : undefined;
        console.log(JSON.stringify(service.setSmtp({ host: o.host, from: o.from, port: o.port, secure: o.secure, user: o.user, password, allowPlainAuth: o.allowPlainAuth }), null, 2));
      }),
    );
}
