// `aqueduct export` and `aqueduct engines …`: the command line's adapter over the engine
// service (engines/engine-service.ts): export a bundle, submit to Ray, import the run
// records engines wrote, keep engine connections, and (engine-deploy.ts) deploy and run
// workflows on engines. Keeping connections and importing records open the store alone
// (no DuckDB, no Python). Secrets come from environment variables, never from flags.
import path from 'node:path';
import type { Command } from 'commander';
import { ENGINE_NAMES, ExportRefusedError, type EngineName } from '../../engines/bundle-format.ts';
import { EngineConnectionError, EngineConnectionService, ENGINE_FIELDS, type EngineType } from '../../engines/engine-connections.ts';
import type { EngineService } from '../../engines/engine-service.ts';
import { whereOf } from '../../engines/engine-targets.ts';
import { RemoteEngineError } from '../../engines/remote-engine.ts';
import { syncRunRecords, type SyncResult, type SyncedRun } from '../../engines/sync.ts';
import { EXIT, ExitCode } from '../exit.ts';
import { bold, dim, red, statusText, table, yellow } from '../format.ts';
import { collectParam, openEngine, wholeNumber, withStore } from './options.ts';
import { registerDeployCommands } from './engine-deploy.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

/** Opens the engine and its engine service for one command, and closes them after. */
export async function withEngines<T>(cmd: Command, work: (s: EngineService, engine: Awaited<ReturnType<typeof openEngine>>) => Promise<T> | T): Promise<T> {
  const engine = await openEngine(cmd);
  const { EngineService } = await import('../../engines/engine-service.ts');
  const service = new EngineService({ engine });
  try {
    return await work(service, engine);
  } finally {
    service.close();
    await engine.close();
  }
}

/** The user's mistakes and an engine's refusals, told in words (exit 2); anything else is thrown on. */
export function fail(e: unknown, json?: boolean): never {
  if (e instanceof ExportRefusedError) {
    if (json) console.log(JSON.stringify({ ok: false, refused: e.refusals }, null, 2));
    else {
      console.error(red('error: ') + 'this workflow cannot be exported as it is:');
      for (const r of e.refusals) console.error(`  - ${bold(r.nodeId)}: ${r.why}`);
    }
    throw new ExitCode(EXIT.invalid);
  }
  if (e instanceof EngineConnectionError || e instanceof RemoteEngineError) {
    if (json) console.log(JSON.stringify({ ok: false, error: e.message, fix: e.fix }, null, 2));
    else console.error(red('error: ') + e.message + (e.fix ? `\n${yellow(`fix: ${e.fix}`)}` : ''));
    throw new ExitCode(e instanceof RemoteEngineError ? EXIT.failed : EXIT.invalid);
  }
  throw e;
}

export function printSync(r: SyncResult, json?: boolean): void {
  if (json) return void console.log(JSON.stringify(r, null, 2));
  const rows: [string, SyncedRun][] = [
    ...r.imported.map((x): [string, SyncedRun] => ['imported', x]),
    ...r.updated.map((x): [string, SyncedRun] => ['updated', x]),
    ...r.unchanged.map((x): [string, SyncedRun] => ['unchanged', x]),
  ];
  if (rows.length) {
    console.log(table([
      ['', 'RUN', 'WORKFLOW', 'ENGINE', 'STATUS'].map(bold),
      ...rows.map(([what, x]) => [what === 'unchanged' ? dim(what) : what, x.runId.slice(0, 8), x.workflowName, x.engine, statusText(x.status as never)]),
    ]));
  }
  for (const bad of r.invalid) console.error(yellow(`skipped ${bad.file}: ${bad.problem}`));
  console.log(`${r.imported.length} imported, ${r.updated.length} updated, ${r.unchanged.length} unchanged, ${r.invalid.length} invalid`);
}

export function registerEngineCommands(program: Command): void {
  program.command('export').description('compile a workflow into a portable bundle for a remote engine')
    .argument('<folder>', 'the workflow folder')
    .requiredOption('--engine <engine>', `one of ${ENGINE_NAMES.join(', ')}`)
    .requiredOption('--out <dir>', 'folder to write (created; an earlier export there is replaced)')
    .option('--requirement <spec>', 'a pip requirement the nodes need, e.g. scikit-learn (repeatable)', collect, [])
    .option('--shared-dir <dir>', 'airflow: storage every worker reaches, for tables between tasks and run records')
    .option('--image <image>', 'kubernetes: the Python base image', 'python:3.11-slim')
    .option('--namespace <ns>', 'kubernetes: the namespace')
    .option('--results-claim <pvc>', 'kubernetes: a PersistentVolumeClaim for run records and published files')
    .option('--json', 'print as JSON')
    .action(async (folder: string, o: { engine: string; out: string; requirement: string[]; sharedDir?: string; image: string; namespace?: string; resultsClaim?: string; json?: boolean }, cmd: Command) => {
      if (!(ENGINE_NAMES as readonly string[]).includes(o.engine)) {
        console.error(red('error: ') + `--engine ${o.engine}: use one of ${ENGINE_NAMES.join(', ')}`);
        throw new ExitCode(EXIT.invalid);
      }
      const r = await withEngines(cmd, (s) => s.export(path.resolve(folder), {
        engine: o.engine as EngineName, out: o.out, requirements: o.requirement, sharedDir: o.sharedDir, image: o.image, namespace: o.namespace, resultsClaim: o.resultsClaim,
      })).catch((e: unknown) => fail(e, o.json));
      if (o.json) return void console.log(JSON.stringify({ ok: true, ...r }, null, 2));
      console.log(`exported ${bold(r.workflow)} (version ${r.versionHash}) for ${r.engine}: ${r.bundleDir}`);
      for (const f of r.files) console.log(`  ${f}`);
      for (const n of r.notes) console.log(yellow(`note: ${n}`));
    });

  const group = program.command('engines').description('remote engines: deploy and run workflows there, import their runs, keep their connections');

  group.command('sync').description("import the run records an engine wrote into this app's history (idempotent)")
    .argument('<results>', 'the results folder (or one record file)')
    .option('--json', 'print as JSON')
    .action(async (from: string, o: { json?: boolean }, cmd: Command) => {
      // the store alone: importing records needs neither DuckDB nor Python
      const r = withStore(cmd, (store, paths) => syncRunRecords(store, paths, from));
      printSync(r, o.json);
      if (r.invalid.length) throw new ExitCode(EXIT.failed);
    });

  group.command('submit').description('run a workflow on a Ray cluster through its Jobs API, then import the run')
    .argument('<folder>', 'the workflow folder')
    .requiredOption('--ray <address|connection>', 'the dashboard address (http://host:8265) or a saved ray engine connection')
    .option('-p, --param <name=value>', 'a parameter value (repeatable)', collectParam, {})
    .option('--results <dir>', 'local folder for the run record (default: <home>/engine-results/ray)')
    .option('--remote-results <dir>', 'where the cluster writes records and tables (shared storage)')
    .option('--output-dir <dir>', 'where relative publish paths go on the cluster')
    .option('--requirement <spec>', 'a pip requirement the nodes need (repeatable)', collect, [])
    .option('--install-requirements', "have Ray pip-install the bundle's requirements for the job")
    .option('--timeout <seconds>', 'give up (and stop the job) after this long', wholeNumber('--timeout', 1, undefined, 3600), 3600)
    .option('--json', 'print as JSON')
    .action(async (folder: string, o: { ray: string; param: Record<string, string>; results?: string; remoteResults?: string; outputDir?: string; requirement: string[]; installRequirements?: boolean; timeout: number; json?: boolean }, cmd: Command) => {
      const r = await withEngines(cmd, (s) => s.submitRay(path.resolve(folder), o.ray, {
        params: o.param, results: o.results, remoteResults: o.remoteResults, outputDir: o.outputDir, requirements: o.requirement,
        installRequirements: o.installRequirements, timeoutMs: o.timeout * 1000,
      })).catch((e: unknown) => fail(e, o.json));
      const run = r.run;
      if (o.json) console.log(JSON.stringify({ ok: run !== undefined && run.status !== 'failed', submissionId: r.submissionId, job: r.job, run }, null, 2));
      else console.log(`Ray job ${r.submissionId}: ${r.job.status}; run ${r.runId.slice(0, 8)} ${run ? statusText(run.status) : '(no run record)'}`);
      if (!run || run.status === 'failed') throw new ExitCode(EXIT.failed);
    });

  group.command('list').description('list engine connections (secrets are never shown)').option('--json', 'print as JSON')
    .action((o: { json?: boolean }, cmd: Command) => withStore(cmd, (store, paths) => {
      const list = new EngineConnectionService(store.db, paths.home).list().map((c) => ({ ...c, where: whereOf(c) }));
      if (o.json) return void console.log(JSON.stringify(list, null, 2));
      if (!list.length) return void console.log('no engine connections yet: add one with aqueduct engines add <name> --type ray --set address=http://…:8265');
      console.log(table([['NAME', 'TYPE', 'WHERE', 'SECRETS'].map(bold), ...list.map((c) => [
        c.name, c.type, c.where, Object.entries(c.secrets).filter(([, v]) => v).map(([k]) => k.slice(3).toLowerCase()).join(', ') || '-',
      ])]));
    }));

  group.command('add').description('save an engine connection (with --replace: update it; secrets not given are kept)')
    .argument('<name>')
    .requiredOption('--type <type>', 'airflow, ray or kubernetes')
    .option('--set <field=value>', 'a setting, e.g. --set url=http://airflow:8080 (repeatable)', (v: string, p: Record<string, string>) => collectParam(v, p), {})
    .option('--secret-env <field=VAR>', 'a secret from an environment variable, e.g. --secret-env password=AIRFLOW_PASSWORD', (v: string, p: Record<string, string>) => collectParam(v, p), {})
    .option('--replace', 'update it if it exists').option('--json', 'print as JSON')
    .action((name: string, o: { type: string; set: Record<string, string>; secretEnv: Record<string, string>; replace?: boolean; json?: boolean }, cmd: Command) => withStore(cmd, (store, paths) => {
      try {
        const fields = ENGINE_FIELDS[o.type as EngineType] ?? [];
        for (const k of Object.keys(o.set)) {
          if (fields.find((f) => f.name === k)?.secret) throw new EngineConnectionError(`--set ${k}=… would put a secret in your shell history`, `use --secret-env ${k}=VARIABLE`);
        }
        const input: Record<string, string> = { ...o.set };
        for (const [k, variable] of Object.entries(o.secretEnv)) {
          const v = process.env[variable];
          if (v === undefined) throw new EngineConnectionError(`--secret-env ${k}=${variable}: ${variable} is not set`);
          input[k] = v;
        }
        const saved = new EngineConnectionService(store.db, paths.home).save({ ...input, name, type: o.type }, o.replace);
        if (o.json) console.log(JSON.stringify({ ok: true, connection: saved }, null, 2));
        else console.log(`saved ${saved.type} engine connection ${bold(saved.name)}`);
      } catch (e) {
        fail(e, o.json);
      }
    }));

  group.command('remove').alias('rm').description('delete an engine connection').argument('<name>')
    .action((name: string, _o: unknown, cmd: Command) => withStore(cmd, (store, paths) => {
      try {
        new EngineConnectionService(store.db, paths.home).remove(name);
        console.log(`removed engine connection ${bold(name)}`);
      } catch (e) {
        fail(e);
      }
    }));

  registerDeployCommands(group);
}
