// `aqueduct run`, `validate` and `preview`: the commands that read a workflow folder.
import type { Command } from 'commander';
import type { NodeRunRecord, RunDetail, RunEvent } from '../../api/types.ts';
import { loadWorkflow } from '../../spec/load.ts';
import { formatProblem } from '../../spec/workflow.ts';
import { EXIT, ExitCode } from '../exit.ts';
import { bold, cell, dim, duration, green, red, statusText, table, yellow, publicationLine } from '../format.ts';
import { collectParam, openEngine, wholeNumber } from './options.ts';

export function registerRunCommands(program: Command): void {
  program
    .command('run')
    .description('run a workflow and show each node as it runs')
    .argument('<folder>', 'workflow folder (holds workflow.yaml)')
    .option('-p, --param <name=value>', 'set a parameter (repeatable)', collectParam, {})
    .option('--python <interpreter>', "run the Python nodes on this interpreter instead of the workflow's environment")
    .option('--json', 'print the finished run as JSON')
    .action(async (folder: string, opts: { param: Record<string, string>; python?: string; json?: boolean }, cmd: Command) => {
      const engine = await openEngine(cmd);
      try {
        const off = opts.json ? () => {} : engine.events.on(printProgress);
        const { run, done } = await engine.startRun(folder, { params: opts.param, trigger: 'cli', python: opts.python });
        const onSigint = () => engine.cancelRun(run.id, 'cancelled with Ctrl-C');
        process.once('SIGINT', onSigint);
        await done;
        process.off('SIGINT', onSigint);
        off();
        const detail = engine.store.getRun(run.id)!;
        if (opts.json) console.log(JSON.stringify(detail, null, 2));
        else printSummary(detail);
        if (detail.status === 'failed' || detail.status === 'interrupted') throw new ExitCode(EXIT.failed);
        if (detail.status === 'cancelled') throw new ExitCode(EXIT.cancelled);
      } finally {
        await engine.close();
      }
    });

  program
    .command('validate')
    .description('check a workflow folder without running it')
    .argument('<folder>', 'workflow folder')
    .option('--json', 'print the result as JSON')
    .action((folder: string, opts: { json?: boolean }) => {
      const r = loadWorkflow(folder);
      if (opts.json) {
        console.log(JSON.stringify(r.ok ? { ok: true, name: r.workflow.definition.name, nodes: r.workflow.nodes.length } : r, null, 2));
      } else if (r.ok) {
        console.log(`${green('valid')}: ${r.workflow.definition.name} (${r.workflow.nodes.length} nodes)`);
      } else {
        for (const p of r.problems) console.error(red('error: ') + formatProblem(p));
      }
      if (!r.ok) throw new ExitCode(EXIT.invalid);
    });

  program
    .command('preview')
    .description("run one node and its ancestors (reusing unchanged outputs) and print the node's first rows")
    .argument('<folder>', 'workflow folder')
    .argument('<node>', 'node id')
    .option('-p, --param <name=value>', 'set a parameter (repeatable)', collectParam, {})
    .option('-n, --limit <rows>', 'rows to show', wholeNumber('-n', 1, undefined, 20), 20)
    .option('--python <interpreter>', 'Python interpreter for python nodes')
    .option('--json', 'print rows as JSON')
    .action(async (folder: string, node: string, opts: { param: Record<string, string>; limit: number; python?: string; json?: boolean }, cmd: Command) => {
      const engine = await openEngine(cmd);
      try {
        const run = await engine.preview(folder, node, opts.param, opts.python);
        const rec = run.nodes.find((n) => n.nodeId === node);
        if (rec?.kind === 'publish') return printPublishPreview(run, rec, opts.json);
        const failed = run.nodes.find((n) => n.status === 'failed');
        if (failed || !rec || rec.status === 'skipped') {
          if (opts.json) console.log(JSON.stringify({ ok: false, run }, null, 2));
          else printSummary(run);
          throw new ExitCode(EXIT.failed);
        }
        if (!rec.artifactPath) {
          const out = { ok: true, node, value: rec.value ?? null, status: rec.status };
          console.log(opts.json ? JSON.stringify(out, null, 2) : `${node} = ${cell(rec.value)} (${statusText(rec.status)})`);
          return;
        }
        const p = await engine.readPreview(run.id, node, { limit: opts.limit });
        if (opts.json) {
          console.log(JSON.stringify({ ok: true, ...p }, null, 2));
          return;
        }
        console.log(table([p.columns.map((c) => bold(c.name)), p.columns.map((c) => dim(c.type)), ...p.rows.map((r) => p.columns.map((c) => cell(r[c.name])))]));
        console.log(dim(`${p.rows.length} of ${p.totalRows} rows · run ${run.id.slice(0, 8)}`));
      } finally {
        await engine.close();
      }
    });
}

/** A publish's preview: the checks that gate it, then what it would publish, or why it would not. */
function printPublishPreview(run: RunDetail, rec: NodeRunRecord, json?: boolean): void {
  const ok = rec.status === 'succeeded';
  if (json) {
    console.log(JSON.stringify({ ok, node: rec.nodeId, status: rec.status, wouldPublish: ok ? rec.value : null, reason: ok ? null : rec.error?.message ?? null, checks: run.checks, metrics: run.metrics, run: run.id }, null, 2));
  } else {
    for (const c of run.checks) console.log(`  check ${c.nodeId} ${c.passed ? green('passed') : (c.severity === 'error' ? red : yellow)('failed')}${c.message ? dim(`: ${c.message}`) : ''}`);
    for (const m of run.metrics) console.log(`  metric ${m.nodeId} = ${cell(m.value)}${m.passed ? '' : yellow(' (out of bounds)')}`);
    for (const n of run.nodes) {
      if (n.status === 'failed' && n.kind !== 'check' && n.kind !== 'metric' && n.nodeId !== rec.nodeId) console.log(red(`  ${n.nodeId} failed: ${n.error?.message ?? 'unknown error'}`));
    }
    if (ok) {
      console.log(`${bold(rec.nodeId)}: ${String(rec.value)}`);
      console.log(dim(`nothing was written: a preview never publishes · run ${run.id.slice(0, 8)}`));
    } else {
      console.log(`${bold(rec.nodeId)}: ${rec.status === 'failed' ? red(rec.error?.message ?? 'failed') : rec.error?.message ?? rec.status}`);
      if (rec.error?.fix) console.log(yellow(`fix: ${rec.error.fix}`));
    }
  }
  if (!ok) throw new ExitCode(EXIT.failed);
}

function printProgress(e: RunEvent): void {
  switch (e.type) {
    case 'run_started':
      console.log(`${bold(e.run.workflowName ?? '')} · run ${e.run.id.slice(0, 8)} · version ${e.run.versionHash}`);
      return;
    case 'node_started':
      console.log(`  ${dim('▸')} ${e.nodeId} ${dim(e.attempt > 1 ? `running (attempt ${e.attempt})` : 'running')}`);
      return;
    case 'node_log':
      if (e.log.stream !== 'system') console.log(dim(`    │ ${e.log.line}`));
      else if (!e.log.nodeId) console.log(dim(`  ${e.log.line}`)); // about the run itself, e.g. what it cleaned up first, its Python environment
      return;
    case 'node_finished': {
      const n = e.node;
      const mark = n.status === 'succeeded' ? green('✔') : n.status === 'warning' ? yellow('!') : n.status === 'failed' ? red('✘') : dim('–');
      const extra = [n.rows !== undefined ? `${n.rows} rows` : '', n.value !== undefined && n.value !== null ? `= ${cell(n.value)}` : '', duration(n.startedAt, n.finishedAt), n.cachedFrom ? 'cached' : '']
        .filter(Boolean)
        .join(' · ');
      console.log(`  ${mark} ${n.nodeId} ${statusText(n.status)} ${dim(extra)}`);
      if (n.error && n.status !== 'skipped' && n.status !== 'cancelled') {
        console.log(red(n.error.message.replace(/^/gm, '    ')));
        if (n.error.detail) console.log(dim(n.error.detail.trimEnd().replace(/^/gm, '    ')));
        if (n.error.fix) console.log(yellow(`    fix: ${n.error.fix}`));
      } else if (n.error) {
        console.log(dim(`    ${n.error.message}`));
      }
      return;
    }
    case 'run_finished':
      return;
  }
}

export function printSummary(run: RunDetail): void {
  const counts = new Map<string, number>();
  for (const n of run.nodes) counts.set(n.status, (counts.get(n.status) ?? 0) + 1);
  const parts = [...counts].map(([s, c]) => `${c} ${s}`).join(', ');
  console.log(`\nrun ${run.id.slice(0, 8)} ${statusText(run.status)} in ${duration(run.startedAt, run.finishedAt)} (${parts})`);
  if (run.error) console.log(red(run.error));
  for (const m of run.metrics) console.log(`  metric ${m.nodeId} = ${cell(m.value)}${m.passed ? '' : yellow(' (out of bounds)')}`);
  for (const p of run.publications) console.log(`  ${publicationLine(p)}`);
}
