// `aqueduct runs` and `aqueduct show`: the run history, from the metadata store.
import type { Command } from 'commander';
import { EXIT, ExitCode } from '../exit.ts';
import { bold, cell, dim, duration, publicationLine, red, statusText, table, yellow } from '../format.ts';
import { openEngine, openStore, wholeNumber } from './options.ts';
import path from 'node:path';

export function registerHistoryCommands(program: Command): void {
  program
    .command('runs')
    .description('list recent runs, newest first')
    .option('-w, --workflow <folder>', 'only runs of this workflow folder')
    .option('-n, --limit <count>', 'how many', wholeNumber('-n', 1, undefined, 20), 20)
    .option('--previews', 'include node previews')
    .option('--json', 'print as JSON')
    .action(async (opts: { workflow?: string; limit: number; previews?: boolean; json?: boolean }, cmd: Command) => {
      // the store alone: listing runs needs neither DuckDB nor Python
      const store = await openStore(cmd);
      try {
        let workflowId: string | undefined;
        if (opts.workflow) {
          workflowId = store.findWorkflowByFolder(path.resolve(opts.workflow))?.id;
          if (!workflowId) {
            console.error(red('error: ') + `no runs of ${opts.workflow} yet (run it with aqueduct run ${opts.workflow})`);
            throw new ExitCode(EXIT.invalid);
          }
        }
        const runs = store.listRuns({ workflowId, limit: opts.limit, kind: opts.previews ? undefined : 'run' });
        if (opts.json) return void console.log(JSON.stringify(runs, null, 2));
        // previews are scratch work (they never publish): listed on request, and marked as such
        const hidden = opts.previews ? 0 : store.countRuns({ workflowId, kind: 'preview' });
        const note = hidden ? dim(`${hidden} ${hidden === 1 ? 'preview' : 'previews'} not listed (--previews lists them)`) : '';
        if (runs.length === 0) {
          console.log('no runs yet: start one with aqueduct run <folder>');
          if (note) console.log(note);
          return;
        }
        const kind = (r: (typeof runs)[number]) => (r.kind === 'preview' ? `preview of ${r.targetNode ?? '?'}` : 'run');
        console.log(
          table([
            ['RUN', 'WORKFLOW', 'STATUS', ...(opts.previews ? ['KIND'] : []), 'TRIGGER', 'ENGINE', 'STARTED', 'DURATION', 'VERSION'].map(bold),
            ...runs.map((r) => [r.id.slice(0, 8), r.workflowName ?? '', statusText(r.status), ...(opts.previews ? [kind(r)] : []), r.trigger, r.engine, new Date(r.createdAt).toLocaleString(), duration(r.startedAt, r.finishedAt), dim(r.versionHash)]),
          ]),
        );
        if (note) console.log(note);
      } finally {
        store.db.close();
      }
    });

  program
    .command('show')
    .description('show one run: its nodes, metrics, checks, publications and errors')
    .argument('<run>', 'run id (or a unique prefix)')
    .option('--logs', "include every node's log lines")
    .option('--json', 'print as JSON')
    .action(async (runArg: string, opts: { logs?: boolean; json?: boolean }, cmd: Command) => {
      const engine = await openEngine(cmd);
      try {
        const id = engine.store.resolveRunId(runArg);
        const run = id ? engine.store.getRun(id) : undefined;
        if (!run) {
          console.error(red('error: ') + `no run matches "${runArg}" (list runs with aqueduct runs)`);
          throw new ExitCode(EXIT.invalid);
        }
        const logs = opts.logs ? engine.store.getLogs(run.id) : [];
        if (opts.json) return void console.log(JSON.stringify({ ...run, logs: opts.logs ? logs : undefined }, null, 2));
        console.log(`${bold(run.workflowName ?? '')} · run ${run.id} · ${statusText(run.status)} · ${run.trigger} · ${run.engine} · version ${run.versionHash}`);
        const owner = engine.store.getWorkflow(run.workflowId)?.owner;
        if (owner) console.log(dim(`owner ${owner.name} <${owner.email}>`));
        if (run.lockHash) console.log(dim(`packages: lock ${run.lockHash.slice(0, 12)} (requirements.lock) · Python ${run.pythonVersion ?? '?'}`));
        if (Object.keys(run.params).length) console.log(dim(`params ${JSON.stringify(run.params)}`));
        if (run.error) console.log(red(run.error));
        console.log(
          table([
            ['NODE', 'KIND', 'STATUS', 'ROWS', 'VALUE', 'DURATION'].map(bold),
            ...run.nodes.map((n) => [n.nodeId, n.kind, statusText(n.status), n.rows === undefined ? '' : String(n.rows), n.value === undefined ? '' : cell(n.value), duration(n.startedAt, n.finishedAt)]),
          ]),
        );
        for (const n of run.nodes) {
          if (!n.error || n.status === 'skipped') continue;
          console.log(`\n${red(n.nodeId)}: ${n.error.message}`);
          if (n.error.detail) console.log(dim(n.error.detail));
          if (n.error.fix) console.log(yellow(`fix: ${n.error.fix}`));
        }
        for (const p of run.publications) console.log(publicationLine(p));
        for (const l of logs) console.log(dim(`[${l.nodeId ?? '-'}] ${l.line}`));
      } finally {
        await engine.close();
      }
    });
}
