// `aqueduct endpoints list|expose|unexpose|keys create|keys list|keys revoke`: which
// outputs are served read-only at /api/v1/outputs/<workflow>/<output> (by `aqueduct serve`,
// or the desktop when Settings turn it on), and the keys that read them. A key is printed
// once, when it is made; it is stored hashed and never shown again.
import type { Command } from 'commander';
import { setExposed } from '../../endpoints/expose-file.ts';
import { EndpointKeyError, EndpointKeys } from '../../endpoints/keys.ts';
import { servedOutputs } from '../../endpoints/served.ts';
import type { Engine } from '../../engine.ts';
import { EXIT, ExitCode } from '../exit.ts';
import { bold, dim, red, table, yellow } from '../format.ts';
import { openEngine } from './options.ts';

async function withEngine<T>(cmd: Command, json: boolean | undefined, work: (e: Engine) => Promise<T> | T): Promise<T> {
  const engine = await openEngine(cmd);
  try {
    return await work(engine);
  } catch (e) {
    if (!(e instanceof EndpointKeyError)) throw e;
    if (json) console.log(JSON.stringify({ ok: false, error: e.message, fix: e.fix }, null, 2));
    else {
      console.error(red('error: ') + e.message);
      if (e.fix) console.error(yellow(`fix: ${e.fix}`));
    }
    throw new ExitCode(EXIT.invalid);
  } finally {
    await engine.close();
  }
}

/** A workflow by folder, id or name, registered if it is a folder. */
function workflowOf(engine: Engine, ref: string): { id: string; folder: string; name: string } {
  const byName = engine.store.listWorkflows().filter((w) => w.name === ref);
  if (byName.length === 1) return byName[0]!;
  const byId = engine.store.getWorkflow(ref);
  if (byId) return byId;
  return engine.openWorkflow(engine.folderOf(ref)).summary;
}

const when = (ms?: number) => (ms ? new Date(ms).toISOString().replace('T', ' ').slice(0, 16) : '');

export function registerEndpointCommands(program: Command): void {
  const endpoints = program.command('endpoints').description('outputs served read-only over HTTP, and their keys');

  endpoints
    .command('list')
    .description('the outputs served at /api/v1/outputs/<workflow>/<output>, with their newest version')
    .option('--json', 'as JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withEngine(cmd, o.json, (engine) => {
        const list = servedOutputs(engine);
        if (o.json) return console.log(JSON.stringify(list, null, 2));
        if (!list.length) return console.log(dim('no outputs are served; add one with: aqueduct endpoints expose <folder> <node>'));
        console.log(table([['PATH', 'WORKFLOW', 'NEWEST RUN', 'ROWS'].map(bold), ...list.map((s) => [s.path, s.workflowName, s.latest ? `${s.latest.runId.slice(0, 8)} ${when(s.latest.finishedAt)}` : dim('not run yet'), s.latest ? String(s.latest.rows) : ''])]));
      });
    });

  for (const [name, on] of [['expose', true], ['unexpose', false]] as const) {
    endpoints
      .command(`${name} <workflow> <output>`)
      .description(on ? 'serve a table output (adds it to endpoints: in workflow.yaml)' : 'stop serving an output')
      .option('--json', 'as JSON')
      .action(async (ref: string, output: string, o: { json?: boolean }, cmd: Command) => {
        await withEngine(cmd, o.json, (engine) => {
          const w = workflowOf(engine, ref);
          const outputs = setExposed(w.folder, output, on);
          if (o.json) return console.log(JSON.stringify({ ok: true, outputs }, null, 2));
          console.log(on ? `serving ${output} of ${w.name}` : `no longer serving ${output} of ${w.name}`);
        });
      });
  }

  const keys = endpoints.command('keys').description('read-only keys for the endpoints (never the admin token)');
  keys
    .command('create <workflow> [output]')
    .description('make a key that reads one output of a workflow (or every output it serves); printed once')
    .option('--label <text>', 'what the key is for, e.g. "CRM sync"', '')
    .option('--json', 'as JSON')
    .action(async (ref: string, output: string | undefined, o: { label: string; json?: boolean }, cmd: Command) => {
      await withEngine(cmd, o.json, (engine) => {
        const w = workflowOf(engine, ref);
        const made = new EndpointKeys(engine.store.db, engine.store.clock).create(w.id, output, o.label);
        if (o.json) return console.log(JSON.stringify(made, null, 2));
        console.log(made.key);
        console.error(dim(`key ${made.info.id} reads ${output ?? 'every output'} of ${w.name}; it is shown this once (only its hash is kept)`));
        console.error(dim('send it as: Authorization: Bearer <key>'));
      });
    });
  keys
    .command('list')
    .description('every key: what it reads, when it was made and last used, whether it is revoked')
    .option('--json', 'as JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      await withEngine(cmd, o.json, (engine) => {
        const list = new EndpointKeys(engine.store.db, engine.store.clock).list();
        if (o.json) return console.log(JSON.stringify(list, null, 2));
        if (!list.length) return console.log(dim('no endpoint keys; make one with: aqueduct endpoints keys create <workflow> [output]'));
        console.log(table([['ID', 'LABEL', 'READS', 'CREATED', 'LAST USED', 'STATE'].map(bold), ...list.map((k) => [k.id, k.label, `${k.workflowName ?? k.workflowId}/${k.output ?? '*'}`, when(k.createdAt), when(k.lastUsedAt), k.revokedAt ? red('revoked') : 'active'])]));
      });
    });
  keys
    .command('revoke <id>')
    .description('revoke a key at once (its id, or a unique prefix of it)')
    .option('--json', 'as JSON')
    .action(async (id: string, o: { json?: boolean }, cmd: Command) => {
      await withEngine(cmd, o.json, (engine) => {
        const k = new EndpointKeys(engine.store.db, engine.store.clock).revoke(id);
        if (o.json) return console.log(JSON.stringify(k, null, 2));
        console.log(`revoked key ${k.id} (${k.label})`);
      });
    });
}
