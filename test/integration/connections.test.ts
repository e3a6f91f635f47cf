// Why: saved connections against real PostgreSQL and MariaDB servers: secrets sealed in
// the database file (its bytes are searched for the password), never listed or printed;
// "test connection" names each failure (unreachable, password, database, privilege);
// edits keep old secrets; a connection in use by a workflow cannot be deleted.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectionService } from '../../runner/connections/service.ts';
import type { Engine } from '../../runner/engine.ts';
import { startMariaDb, startPostgres, type TestServer } from '../helpers/db-servers.ts';
import { makeWorkflow, openTestEngine } from '../helpers/workflows.ts';

const PG_SECRET = 'Pg-Secret-9f3a7c';
let pgServer: TestServer;
let myServer: TestServer;
let engine: Engine;
let service: ConnectionService;

const closedPort = () => new Promise<number>((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const port = (s.address() as { port: number }).port;
    s.close(() => resolve(port));
  });
});

function cli(...args: string[]) {
  const r = spawnSync(process.execPath, ['bin/aqueduct.mjs', '--home', engine.paths.home, ...args], {
    encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', AQ_TEST_PW: PG_SECRET }, timeout: 60_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

beforeAll(async () => {
  [pgServer, myServer, engine] = await Promise.all([startPostgres(), startMariaDb(), openTestEngine('connections')]);
  // a login role whose password we know, and one that may not create tables in public
  await pgServer.query(`CREATE ROLE analyst LOGIN PASSWORD '${PG_SECRET}'`);
  await pgServer.query('GRANT CONNECT ON DATABASE aqueduct_test TO analyst');
  await pgServer.query('GRANT USAGE, CREATE ON SCHEMA public TO analyst');
  await pgServer.query(`CREATE ROLE reader LOGIN PASSWORD 'reader-pw'`);
  await pgServer.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
  // (the test server's admin has no GRANT OPTION, so this MariaDB user gets no rights at all)
  await myServer.query(`CREATE USER 'reader'@'127.0.0.1' IDENTIFIED BY 'reader-pw'`);
  service = new ConnectionService(engine.store.db, engine.paths.home);
}, 180_000);
afterAll(async () => {
  await engine?.close();
  await Promise.all([pgServer?.stop(), myServer?.stop()]);
});

describe('connections', () => {
  it('seals every secret: not in the database file, not in list/get, not in CLI output', async () => {
    const { host, port } = pgServer.config;
    const saved = service.create({ name: 'warehouse', type: 'postgres', host, port, database: 'aqueduct_test', user: 'analyst', password: PG_SECRET });
    expect(saved.secrets).toEqual({ hasPassword: true, hasConnectionString: false });
    expect(JSON.stringify(service.list())).not.toContain(PG_SECRET);
    expect(JSON.stringify(service.get('warehouse'))).not.toContain(PG_SECRET);
    expect((await service.resolve('warehouse')).password).toBe(PG_SECRET);
    engine.store.db.pragma('wal_checkpoint(TRUNCATE)');
    // read the bytes in another process: opening and closing the file here would drop
    // SQLite's POSIX locks of this process (and so its WAL coordination) on Linux
    const needles = [PG_SECRET, Buffer.from(PG_SECRET).toString('base64').slice(0, 12)];
    const scan = spawnSync(process.execPath, ['-e', `
      const fs = require('fs'), path = require('path');
      const [dir, ...needles] = process.argv.slice(1);
      const files = fs.readdirSync(dir).filter((f) => f.startsWith('aqueduct.db'));
      console.log(JSON.stringify(files.map((f) => [f, needles.filter((n) => fs.readFileSync(path.join(dir, f)).includes(Buffer.from(n)))])));
    `, engine.paths.home, ...needles], { encoding: 'utf8' });
    const found = JSON.parse(scan.stdout) as [string, string[]][];
    expect(found.map(([f]) => f)).toContain('aqueduct.db');
    expect(found.filter(([, hits]) => hits.length), 'the password in plain text (or base64) in the database files').toEqual([]);
    const added = cli('connections', 'add', 'via_cli', '--type', 'postgres', '--host', String(host), '--port', String(port), '--database', 'aqueduct_test', '--user', 'analyst', '--password-env', 'AQ_TEST_PW', '--test');
    expect(added.code, added.out).toBe(0);
    expect(added.out).toContain('✔ ok');
    for (const args of [['connections', 'list'], ['connections', 'list', '--json'], ['connections', 'test', 'via_cli', '--json']]) {
      const r = cli(...args);
      expect(r.code, r.out).toBe(0);
      expect(r.out).not.toContain(PG_SECRET);
    }
    expect(cli('connections', 'add', 'leaky', '--type', 'postgres', '--set', `password=${PG_SECRET}`).out).toContain('--secret-env password=VARIABLE');
  });

  it('tells apart an unreachable server, a wrong password, a missing database and a missing privilege (PostgreSQL)', async () => {
    expect(await service.test('warehouse')).toMatchObject({ ok: true, message: expect.stringContaining('can create tables in schema "public"') });
    const base = { type: 'postgres', host: '127.0.0.1', port: pgServer.config.port, database: 'aqueduct_test', user: 'analyst', password: PG_SECRET };
    const answers = {
      unreachable: await service.test({ ...base, name: 'x', port: await closedPort() }),
      auth: await service.test({ ...base, name: 'x', password: 'wrong-password' }),
      database: await service.test({ ...base, name: 'x', database: 'no_such_db' }),
      privilege: await service.test({ ...base, name: 'x', user: 'reader', password: 'reader-pw' }),
    };
    expect(answers.unreachable).toMatchObject({ ok: false, problem: 'unreachable', message: expect.stringContaining('connection refused'), fix: expect.stringContaining('server is running') });
    expect(answers.auth).toMatchObject({ ok: false, problem: 'auth', message: 'the server refused the password for user "analyst"' });
    expect(answers.database).toMatchObject({ ok: false, problem: 'database', message: expect.stringContaining('database "no_such_db" does not exist'), fix: expect.stringContaining('CREATE DATABASE') });
    expect(answers.privilege).toMatchObject({ ok: false, problem: 'privilege', message: expect.stringContaining('user "reader" cannot create tables in schema "public"'), fix: 'ask an admin to run: GRANT CREATE ON SCHEMA "public" TO "reader"' });
    expect(new Set(Object.values(answers).map((a) => a.message)).size).toBe(4);
  });

  it('tells apart the same four failures (MariaDB)', async () => {
    const base = { type: 'mariadb', host: '127.0.0.1', port: myServer.config.port, database: 'aqueduct_test', user: 'aq', password: String(myServer.config.password) };
    expect(await service.test({ ...base, name: 'x' })).toMatchObject({ ok: true, message: expect.stringMatching(/connected to MariaDB .* can create tables in "aqueduct_test"/) });
    expect(await service.test({ ...base, name: 'x', port: await closedPort() })).toMatchObject({ problem: 'unreachable' });
    expect(await service.test({ ...base, name: 'x', password: 'nope' })).toMatchObject({ problem: 'auth', fix: expect.stringContaining('password') });
    expect(await service.test({ ...base, name: 'x', database: 'no_such_db' })).toMatchObject({ problem: 'database', message: expect.stringContaining('"no_such_db" does not exist') });
    expect(await service.test({ ...base, name: 'x', user: 'reader', password: 'reader-pw' })).toMatchObject({ problem: 'privilege', message: 'user "reader" may not use database "aqueduct_test"', fix: expect.stringContaining('GRANT SELECT, CREATE') });
  });

  it('edits without a new secret keep the old one; empty secrets are not saved; bad input is explained', async () => {
    service.update('warehouse', { schema: 'public', password: '' });
    expect((await service.resolve('warehouse')).password).toBe(PG_SECRET);
    expect(service.get('warehouse').config).toMatchObject({ schema: 'public', user: 'analyst' });
    expect(service.get('warehouse').lastTest).toBeUndefined(); // a changed connection needs a new test
    service.update('warehouse', { password: 'rotated-pw' });
    expect((await service.resolve('warehouse')).password).toBe('rotated-pw');
    service.update('warehouse', { password: PG_SECRET });
    expect(() => service.create({ name: 'bad', type: 'oracle' })).toThrow('unknown connection type "oracle"');
    expect(() => service.create({ name: 'bad', type: 'postgres', host: 'h', hostname: 'x' })).toThrow('"hostname" is not a setting of PostgreSQL connections');
    expect(() => service.create({ name: 'bad', type: 'postgres', host: 'h' })).toThrow('needs database, user');
    expect(() => service.create({ name: 'warehouse', type: 'sqlite', path: '/tmp/x.db' })).toThrow('already exists');
  });

  it('refuses to delete a connection a workflow uses, naming the workflow and nodes', async () => {
    const folder = makeWorkflow({
      nodes: [
        { id: 'scores', kind: 'source', connection: 'warehouse', query: 'SELECT 1 AS x' },
        { id: 'out', kind: 'publish', inputs: ['scores'], destination: { type: 'postgres', connection: 'warehouse', table: 'out' } },
      ],
    }, {}, 'uses-warehouse');
    engine.openWorkflow(folder);
    expect(() => service.remove('warehouse')).toThrow(/connection "warehouse" is used by uses-warehouse \(scores, out\)/);
    expect(() => service.update('warehouse', { name: 'renamed' })).toThrow('cannot rename');
    const r = cli('connections', 'remove', 'warehouse');
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain(`uses-warehouse  ${folder}  nodes: scores, out`);
    fs.writeFileSync(path.join(folder, 'workflow.yaml'), 'name: uses-warehouse\nnodes:\n  - id: scores\n    kind: source\n    file: data.csv\n');
    service.remove('warehouse');
    expect(service.list().map((c) => c.name)).toEqual(['via_cli']);
    expect(cli('connections', 'remove', 'via_cli').code).toBe(0);
  });
});
