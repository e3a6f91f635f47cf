// `aqueduct env build|status|use|gc`: a workflow's Python environment from the command
// line, through the same service the app uses (lock, build with progress, cancel with Ctrl-C).
import type { Command } from 'commander';
import { EnvironmentError } from '../../envs/env-errors.ts';
import { environmentStatus } from '../../envs/status.ts';
import type { Engine } from '../../engine.ts';
import { EXIT, ExitCode } from '../exit.ts';
import { bold, dim, green, red, table, yellow } from '../format.ts';
import { openEngine } from './options.ts';

function workflowOf(engine: Engine, folder: string) {
  return engine.openWorkflow(engine.folderOf(folder)).summary;
}

export function registerEnvCommands(program: Command): void {
  const env = program.command('env').description("a workflow's Python environment: its packages, lock and built venv");

  env
    .command('status')
    .description('the mode, packages, lock and whether the environment is built')
    .argument('<folder>', 'workflow folder')
    .option('--json', 'print as JSON')
    .action(async (folder: string, o: { json?: boolean }, cmd: Command) => {
      const engine = await openEngine(cmd);
      try {
        const w = workflowOf(engine, folder);
        const s = await environmentStatus(engine.envs, engine.envRecords, w.id, w.folder);
        if (o.json) return void console.log(JSON.stringify(s, null, 2));
        if (s.mode === 'interpreter') {
          console.log(`${bold(w.name)}: Python nodes run on ${s.interpreter} (${s.ownInterpreter ? 'chosen for this workflow' : 'Settings → Python'})`);
          console.log(s.check?.ok ? green(`  ok: Python ${s.check.version} with pandas and pyarrow`) : red(`  ${s.check?.message}`));
        } else {
          const state = s.env?.state === 'ready' ? green('built') : s.env?.state === 'missing' ? yellow('not built yet') : yellow('not locked yet');
          console.log(`${bold(w.name)}: app-owned environment, ${state}${s.env?.pythonVersion ? dim(` · Python ${s.env.pythonVersion}`) : ''}${s.lock ? dim(` · lock ${s.lock.hash.slice(0, 12)}`) : ''}`);
          if (s.lock && !s.lock.current) console.log(yellow('  requirements.txt changed since the lock: the next build locks again'));
          if (s.env?.python) console.log(dim(`  ${s.env.python}`));
          if (s.declared.length) {
            console.log(table([['PACKAGE', 'REQUESTED', 'LOCKED'].map(bold), ...s.declared.map((d) => [d.name, d.spec || dim('any'), d.locked ?? dim('–')])]));
          } else {
            console.log(dim('  no packages of its own (pandas and pyarrow are always there)'));
          }
        }
        if (s.error) console.log(red(`  last build failed: ${s.error}`));
      } finally {
        await engine.close();
      }
    });

  env
    .command('build')
    .description('lock requirements.txt (when it changed) and build the environment, showing progress')
    .argument('<folder>', 'workflow folder')
    .option('--json', 'print the result as JSON')
    .action(async (folder: string, o: { json?: boolean }, cmd: Command) => {
      const engine = await openEngine(cmd);
      const off = o.json ? () => {} : engine.envs.onProgress((p) => console.log(p.line ? dim(`    │ ${p.line}`) : `  ${dim('▸')} ${p.message}`));
      try {
        const w = workflowOf(engine, folder);
        const choice = engine.envs.choiceOf(w.id, w.folder);
        if (choice.mode === 'interpreter') {
          console.error(red('error: ') + `${w.name} runs on ${choice.interpreter ?? engine.pythonInterpreter}, not on an app-owned environment (fix: aqueduct env use ${folder} app, or add a requirements.txt)`);
          throw new ExitCode(EXIT.invalid);
        }
        const onSigint = () => engine.envs.cancel(w.folder);
        process.once('SIGINT', onSigint);
        try {
          const r = await engine.envs.build(w.id, w.folder);
          if (o.json) console.log(JSON.stringify({ ok: true, ...r }, null, 2));
          else console.log(green('✔ ') + `${w.name}: ${r.python}`);
        } finally {
          process.off('SIGINT', onSigint);
        }
      } catch (e) {
        if (!(e instanceof EnvironmentError)) throw e;
        if (o.json) console.log(JSON.stringify({ ok: false, error: e.sentence, kind: e.kind }, null, 2));
        else console.error(red('error: ') + e.sentence + dim(`\n  build log: ${engine.envs.logFile(engine.folderOf(folder))}`));
        throw new ExitCode(e.kind === 'cancelled' ? EXIT.cancelled : EXIT.failed);
      } finally {
        off();
        await engine.close();
      }
    });

  env
    .command('use')
    .description('run the workflow on the app-owned environment (app) or on an interpreter of your own')
    .argument('<folder>', 'workflow folder')
    .argument('<mode>', 'app | interpreter')
    .option('--interpreter <path>', 'interpreter mode: this Python instead of the one in Settings')
    .action(async (folder: string, mode: string, o: { interpreter?: string }, cmd: Command) => {
      if (mode !== 'app' && mode !== 'interpreter') {
        console.error(red('error: ') + `mode "${mode}" is neither app nor interpreter (fix: aqueduct env use ${folder} app)`);
        throw new ExitCode(EXIT.invalid);
      }
      const engine = await openEngine(cmd);
      try {
        const w = workflowOf(engine, folder);
        engine.envs.setChoice(w.id, mode === 'app' ? { mode } : { mode, interpreter: o.interpreter });
        console.log(mode === 'app' ? `${w.name} runs on its app-owned environment (built on the next run, or now with aqueduct env build ${folder})` : `${w.name} runs on ${o.interpreter ?? 'the interpreter in Settings → Python'}`);
      } finally {
        await engine.close();
      }
    });

  env
    .command('gc')
    .description('remove built environments no known workflow uses any more, and leftovers of interrupted builds')
    .option('--dry-run', 'only list what would be removed')
    .option('--json', 'print as JSON')
    .action(async (o: { dryRun?: boolean; json?: boolean }, cmd: Command) => {
      const engine = await openEngine(cmd);
      try {
        const r = engine.envs.gc(engine.store.listWorkflows().map((w) => w.folder), { dryRun: o.dryRun });
        if (o.json) return void console.log(JSON.stringify(r, null, 2));
        for (const name of r.removed) console.log(`${o.dryRun ? 'would remove' : 'removed'} ${name}`);
        console.log(dim(`${r.removed.length} removed, ${r.kept.length} in use`));
      } finally {
        await engine.close();
      }
    });
}
