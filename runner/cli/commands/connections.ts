// `aqueduct connections list|add|test|remove|tables|preview`: saved connections from the
// command line. Nothing prompts; secrets come from environment variables or files
// (--password-env, --secret-env, --credentials-file, --from-json) so they never sit in
// shell history, and no output ever prints one.
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { ConnectionService } from '../../connections/service.ts';
import { ConnectionError, connectionType, type ConnectionInput } from '../../connections/types.ts';
import { openDatabase } from '../../store/db.ts';
import { appHome, appPaths } from '../../store/paths.ts';
import { EXIT, ExitCode } from '../exit.ts';
import { bold, dim, green, red, table, yellow } from '../format.ts';
import { wholeNumber } from './options.ts';

function openService(cmd: Command): { service: ConnectionService; close: () => void } {
  const given = cmd.optsWithGlobals().home as string | undefined;
  const paths = appPaths(given ? path.resolve(given) : appHome());
  const db = openDatabase(paths.database);
  return { service: new ConnectionService(db, paths.home), close: () => db.close() };
}

async function withService<T>(cmd: Command, json: boolean | undefined, work: (s: ConnectionService) => Promise<T> | T): Promise<T> {
  const { service, close } = openService(cmd);
  try {
    return await work(service);
  } catch (e) {
    if (!(e instanceof ConnectionError)) throw e;
    if (json) console.log(JSON.stringify({ ok: false, error: e.message, fix: e.fix, usages: e.usages }, null, 2));
    else {
      console.error(red('error: ') + e.message);
      for (const u of e.usages ?? []) console.error(`  ${u.workflowName}  ${dim(u.folder)}  nodes: ${u.nodes.join(', ')}`);
      if (e.fix) console.error(yellow(`fix: ${e.fix}`));
    }
    throw new ExitCode(EXIT.invalid);
  } finally {
    close();
  }
}

const collect = (v: string, prev: string[]) => [...prev, v];

interface AddOptions {
  type?: string; host?: string; port?: string; database?: string; user?: string; schema?: string; path?: string; ssl?: boolean;
  set: string[]; passwordEnv?: string; secretEnv: string[]; credentialsFile?: string; fromJson?: string; replace?: boolean; test?: boolean; json?: boolean;
}

function pair(v: string, flag: string): [string, string] {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new ConnectionError(`${flag} ${v}: write it as name=value`);
  return [v.slice(0, eq).trim(), v.slice(eq + 1)];
}

function envValue(variable: string, flag: string): string {
  const value = process.env[variable];
  if (value === undefined) throw new ConnectionError(`${flag} ${variable}: the environment variable ${variable} is not set`, `export ${variable}=… first (it stays out of your shell history)`);
  return value;
}

/** The connection as the flags (or the JSON file) describe it. */
function inputFrom(name: string, o: AddOptions): ConnectionInput {
  let input: Record<string, unknown> = {};
  if (o.fromJson) {
    const text = o.fromJson === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(o.fromJson, 'utf8');
    try {
      input = JSON.parse(text) as Record<string, unknown>;
    } catch (e) {
      throw new ConnectionError(`${o.fromJson} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const plain = { type: o.type, host: o.host, port: o.port, database: o.database, user: o.user, schema: o.schema, path: o.path, ssl: o.ssl };
  for (const [k, v] of Object.entries(plain)) if (v !== undefined) input[k] = k === 'path' ? path.resolve(String(v)) : v;
  const type = String(input['type'] ?? '');
  const spec = connectionType(type);
  for (const s of o.set) {
    const [k, v] = pair(s, '--set');
    if (spec?.fields.find((f) => f.name === k)?.kind === 'secret') {
      throw new ConnectionError(`--set ${k}=… would put a secret in your shell history`, `use --secret-env ${k}=VARIABLE (or --from-json)`);
    }
    input[k] = v;
  }
  if (o.passwordEnv) input['password'] = envValue(o.passwordEnv, '--password-env');
  for (const s of o.secretEnv) {
    const [k, variable] = pair(s, '--secret-env');
    input[k] = envValue(variable, '--secret-env');
  }
  if (o.credentialsFile) input['credentials'] = fs.readFileSync(o.credentialsFile, 'utf8');
  return { ...input, name, type };
}

export function registerConnectionCommands(program: Command): void {
  const group = program.command('connections').description('saved connections to databases, warehouses and spreadsheets');

  group.command('list').description('list saved connections (secrets are never shown)').option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => withService(cmd, o.json, (s) => {
      const list = s.list();
      if (o.json) return void console.log(JSON.stringify(list, null, 2));
      if (!list.length) return void console.log('no connections yet: add one with aqueduct connections add <name> --type postgres …');
      console.log(table([
        ['NAME', 'TYPE', 'WHERE', 'SECRETS', 'LAST TEST'].map(bold),
        ...list.map((c) => [
          c.name, c.type,
          String(c.config['host'] ? `${String(c.config['host'])}:${String(c.config['port'] ?? '')}/${String(c.config['database'] ?? '')}` : c.config['path'] ?? c.config['account'] ?? c.config['projectId'] ?? c.config['spreadsheetId'] ?? ''),
          Object.entries(c.secrets).filter(([, v]) => v).map(([k]) => k.slice(3).toLowerCase()).join(', ') || '-',
          c.lastTest ? (c.lastTest.ok ? green('ok') : red('failed')) : dim('never'),
        ]),
      ]));
    }));

  group.command('add').description('save a connection (with --replace: update it; secrets not given are kept)')
    .argument('<name>', 'the name workflows refer to (connection: <name>)')
    .option('--type <type>', 'postgres, mysql, mariadb, sqlite, duckdb, snowflake, bigquery or google_sheets')
    .option('--host <host>').option('--port <port>').option('--database <name>').option('--user <name>').option('--schema <name>')
    .option('--path <file>', 'database file (sqlite, duckdb)').option('--ssl', 'use TLS')
    .option('--set <field=value>', 'any other setting, e.g. --set account=myorg-acct (repeatable)', collect, [])
    .option('--password-env <VAR>', 'read the password from this environment variable')
    .option('--secret-env <field=VAR>', 'read a secret setting from an environment variable (repeatable)', collect, [])
    .option('--credentials-file <file>', 'a service-account JSON key (bigquery, google_sheets)')
    .option('--from-json <file>', 'every setting from a JSON file ("-" for standard input)')
    .option('--replace', 'update the connection if it exists').option('--test', 'test it after saving').option('--json', 'print as JSON')
    .action(async (name: string, o: AddOptions, cmd: Command) => withService(cmd, o.json, async (s) => {
      const input = inputFrom(name, o);
      const exists = s.list().some((c) => c.name === name);
      const saved = exists && o.replace ? s.update(name, input) : s.create(input);
      const tested = o.test ? await s.test(name) : undefined;
      if (o.json) console.log(JSON.stringify({ ok: true, connection: saved, test: tested }, null, 2));
      else {
        console.log(`${exists && o.replace ? 'updated' : 'saved'} connection ${bold(saved.name)} (${saved.type})`);
        if (tested) printTest(tested);
      }
      if (tested && !tested.ok) throw new ExitCode(EXIT.failed);
    }));

  group.command('test').description('connect and check what publishing needs').argument('<name>').option('--json', 'print as JSON')
    .action(async (name: string, o: { json?: boolean }, cmd: Command) => withService(cmd, o.json, async (s) => {
      const r = await s.test(name);
      if (o.json) console.log(JSON.stringify(r, null, 2));
      else printTest(r);
      if (!r.ok) throw new ExitCode(EXIT.failed);
    }));

  group.command('remove').alias('rm').description('delete a connection (refused while a workflow uses it)').argument('<name>').option('--json', 'print as JSON')
    .action(async (name: string, o: { json?: boolean }, cmd: Command) => withService(cmd, o.json, (s) => {
      s.remove(name);
      if (o.json) console.log(JSON.stringify({ ok: true, removed: name }));
      else console.log(`removed connection ${bold(name)}`);
    }));

  group.command('tables').description('list the tables a connection can read').argument('<name>').option('--json', 'print as JSON')
    .action(async (name: string, o: { json?: boolean }, cmd: Command) => withService(cmd, o.json, async (s) => {
      const { listTables } = await import('../../connectors/sources.ts');
      const list = await listTables(await s.resolve(name));
      if (o.json) return void console.log(JSON.stringify(list, null, 2));
      console.log(table([['SCHEMA', 'TABLE', 'TYPE'].map(bold), ...list.map((t) => [t.schema ?? '', t.name, t.type])]));
    }));

  group.command('preview').description('show the first rows of a table').argument('<name>').argument('<table>')
    .option('-n, --limit <rows>', 'how many rows', wholeNumber('-n', 1, undefined, 20), 20).option('--json', 'print as JSON')
    .action(async (name: string, tableName: string, o: { limit: number; json?: boolean }, cmd: Command) => withService(cmd, o.json, async (s) => {
      const { previewTable } = await import('../../connectors/sources.ts');
      const p = await previewTable(await s.resolve(name), tableName, o.limit);
      if (o.json) return void console.log(JSON.stringify(p, null, 2));
      console.log(table([p.columns.map((c) => bold(c.name)), ...p.rows.map((r) => r.map((v) => (v === null ? dim('null') : v)))]));
    }));
}

function printTest(r: { ok: boolean; message: string; fix?: string; problem?: string; ms: number }): void {
  if (r.ok) console.log(`${green('✔ ok')}  ${r.message} ${dim(`(${r.ms} ms)`)}`);
  else {
    console.log(`${red('✘ failed')}${r.problem ? ` [${r.problem}]` : ''}  ${r.message}`);
    if (r.fix) console.log(yellow(`fix: ${r.fix}`));
  }
}
