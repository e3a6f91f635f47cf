// `aqueduct engines deploy | deployments | run | undeploy`: a workflow deployed to an
// engine connection (an Airflow's DAGs folder, a Ray cluster, a Kubernetes context), run
// there now and followed into the history, and taken away again. Adapters over the
// engine service; a workflow is named by its folder, a deployment by folder and engine.
import path from 'node:path';
import type { Command } from 'commander';
import type { EngineService } from '../../engines/engine-service.ts';
import { RemoteEngineError } from '../../engines/remote-engine.ts';
import { EXIT, ExitCode } from '../exit.ts';
import { bold, dim, statusText, table, yellow } from '../format.ts';
import { collectParam } from './options.ts';
import { fail, withEngines } from './engines.ts';

const collect = (v: string, prev: string[]) => [...prev, v];

function deploymentOf(s: EngineService, folder: string, connection: string) {
  const abs = path.resolve(folder);
  const d = s.listDeployments().find((x) => x.folder === abs && x.connection === connection);
  if (!d) throw new RemoteEngineError(`${abs} is not deployed to "${connection}"`, `deploy it first: aqueduct engines deploy ${folder} --to ${connection}`);
  return d;
}

export function registerDeployCommands(group: Command): void {
  group.command('deploy').description('deploy a workflow to an engine connection (again: redeploy its current version)')
    .argument('<folder>', 'the workflow folder')
    .requiredOption('--to <connection>', 'the engine connection (aqueduct engines list)')
    .option('--requirement <spec>', 'a pip requirement the nodes need (repeatable)', collect, [])
    .option('--json', 'print as JSON')
    .action(async (folder: string, o: { to: string; requirement: string[]; json?: boolean }, cmd: Command) => {
      const r = await withEngines(cmd, (s) => s.deploy(path.resolve(folder), o.to, { requirements: o.requirement, log: o.json ? undefined : (l) => console.log(dim(l)) }))
        .catch((e: unknown) => fail(e, o.json));
      if (o.json) return void console.log(JSON.stringify({ ok: true, ...r }, null, 2));
      const d = r.deployment;
      console.log(`deployed ${bold(d.workflowName)} (version ${d.deployedVersion}) to ${d.connection} (${d.engine}) as ${d.remoteId}`);
      for (const n of r.notes) console.log(yellow(`note: ${n}`));
    });

  group.command('deployments').description('list deployed workflows: engine, deployed and local version, last remote run')
    .option('--json', 'print as JSON')
    .action((o: { json?: boolean }, cmd: Command) => withEngines(cmd, (s) => {
      const list = s.listDeployments();
      if (o.json) return void console.log(JSON.stringify(list, null, 2));
      if (!list.length) return void console.log('no deployments yet: aqueduct engines deploy <folder> --to <connection>');
      console.log(table([['WORKFLOW', 'ENGINE', 'CONNECTION', 'DEPLOYED', 'LOCAL', 'LAST RUN'].map(bold), ...list.map((d) => [
        d.workflowName, d.engine, d.connection, d.deployedVersion.slice(0, 8),
        d.localVersion === undefined ? 'does not load' : d.outOfDate ? yellow(`${d.localVersion.slice(0, 8)} (out of date)`) : 'same',
        d.lastRun ? `${d.lastRun.id.slice(0, 8)} ${statusText(d.lastRun.status)}` : '-',
      ])]));
    }));

  group.command('run').description('run the deployed version of a workflow on its engine now, and follow it into the history')
    .argument('<folder>', 'the workflow folder')
    .requiredOption('--on <connection>', 'the engine connection it is deployed to')
    .option('-p, --param <name=value>', 'a parameter value (repeatable)', collectParam, {})
    .option('--no-wait', 'start it and return (the app follows it when it next runs)')
    .option('--json', 'print as JSON')
    .action(async (folder: string, o: { on: string; param: Record<string, string>; wait: boolean; json?: boolean }, cmd: Command) => {
      const run = await withEngines(cmd, async (s) => {
        const started = await s.runNow(deploymentOf(s, folder, o.on).id, o.param);
        if (!o.json) console.log(`started run ${started.id.slice(0, 8)} on ${o.on}`);
        return o.wait ? ((await s.waitForRun(started.id)) ?? started) : started;
      }).catch((e: unknown) => fail(e, o.json));
      if (o.json) console.log(JSON.stringify(run, null, 2));
      else console.log(`run ${run.id.slice(0, 8)} ${statusText(run.status)}${run.error ? `: ${run.error}` : ''}`);
      if (o.wait && run.status !== 'succeeded' && run.status !== 'succeeded_with_warnings') throw new ExitCode(EXIT.failed);
    });

  group.command('undeploy').description('remove a deployed workflow from its engine (its runs stay in the history)')
    .argument('<folder>', 'the workflow folder')
    .requiredOption('--from <connection>', 'the engine connection it is deployed to')
    .action(async (folder: string, o: { from: string }, cmd: Command) => {
      const r = await withEngines(cmd, (s) => s.undeploy(deploymentOf(s, folder, o.from).id)).catch((e: unknown) => fail(e));
      console.log(`undeployed ${path.resolve(folder)} from ${o.from}`);
      for (const n of r.notes) console.log(yellow(`note: ${n}`));
    });
}
