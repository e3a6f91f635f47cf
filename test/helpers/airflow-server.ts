// A real Airflow 3 on 127.0.0.1 for the tests that deploy to it: its API server, scheduler
// and DAG processor, each started from the Airflow venv in a process group of its own
// (stop() ends exactly those), with the LocalExecutor on SQLite, the simple auth manager
// with one admin user whose password the test chose, and a DAGs folder the app writes.
// The DAG processor looks for new files every few seconds, so deploys are seen quickly.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { freePort } from './engines-env.ts';
import { tempHome } from './home.ts';

export interface AirflowServer {
  url: string;
  username: string;
  password: string;
  dagsFolder: string;
  sharedDir: string;
  /** where relative publish paths of the workers go */
  outputDir: string;
  /** the environment the Airflow processes run with (for `airflow …` commands of a test) */
  env: NodeJS.ProcessEnv;
  airflowBin: string;
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function startAirflow(python: string): Promise<AirflowServer> {
  const root = tempHome('airflow-server');
  const home = path.join(root, 'home');
  const dagsFolder = path.join(root, 'dags');
  const sharedDir = path.join(root, 'shared');
  const outputDir = path.join(root, 'outputs');
  for (const d of [home, dagsFolder, sharedDir, outputDir]) fs.mkdirSync(d, { recursive: true });
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const username = 'aqueduct';
  const password = `pw-${crypto.randomBytes(8).toString('hex')}`;
  const passwords = path.join(root, 'passwords.json');
  fs.writeFileSync(passwords, JSON.stringify({ [username]: password }));
  const bin = path.dirname(python);
  const airflowBin = path.join(bin, 'airflow');
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: `${bin}:${process.env.PATH ?? ''}`,
    AIRFLOW_HOME: home,
    AIRFLOW__CORE__DAGS_FOLDER: dagsFolder,
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    AIRFLOW__CORE__EXECUTOR: 'LocalExecutor',
    AIRFLOW__CORE__PARALLELISM: '4',
    AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS: `${username}:admin`,
    AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE: passwords,
    AIRFLOW__CORE__EXECUTION_API_SERVER_URL: `${url}/execution/`,
    AIRFLOW__API__BASE_URL: url,
    AIRFLOW__API__PORT: String(port),
    AIRFLOW__API__SECRET_KEY: crypto.randomBytes(16).toString('hex'),
    AIRFLOW__API_AUTH__JWT_SECRET: crypto.randomBytes(16).toString('hex'),
    AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL: '3',
    AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL: '10',
    AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC: '1',
    AIRFLOW__SCHEDULER__TASK_QUEUED_TIMEOUT: '300',
    AQUEDUCT_OUTPUT_DIR: outputDir,
  };
  const migrate = spawnSync(airflowBin, ['db', 'migrate'], { env, encoding: 'utf8', timeout: 300_000 });
  if (migrate.status !== 0) throw new Error(`airflow db migrate failed:\n${(migrate.stdout + migrate.stderr).slice(-3000)}`);

  const children: ChildProcess[] = [];
  const logs: string[] = [];
  const start = (name: string, args: string[]) => {
    const log = path.join(root, `${name}.log`);
    logs.push(log);
    const fd = fs.openSync(log, 'a');
    const child = spawn(airflowBin, args, { env, detached: true, stdio: ['ignore', fd, fd] });
    fs.closeSync(fd);
    children.push(child);
  };
  start('api-server', ['api-server', '--host', '127.0.0.1', '--port', String(port), '--workers', '1']);
  start('scheduler', ['scheduler']);
  start('dag-processor', ['dag-processor']);
  const killAll = (signal: NodeJS.Signals) => {
    for (const c of children) {
      try {
        if (c.pid) process.kill(-c.pid, signal);
      } catch {
        // already gone
      }
    }
  };
  const onExit = () => killAll('SIGKILL');
  process.once('exit', onExit);
  const stop = async () => {
    process.removeListener('exit', onExit);
    killAll('SIGTERM');
    for (let i = 0; i < 40 && children.some((c) => c.exitCode === null && c.signalCode === null); i++) await sleep(250);
    killAll('SIGKILL');
  };

  // healthy when the API answers and the scheduler and DAG processor have reported in
  for (let i = 0; i < 240; i++) {
    if (children.some((c) => c.exitCode !== null)) break;
    const health = await fetch(`${url}/api/v2/monitor/health`).then((r) => (r.ok ? (r.json() as Promise<Record<string, { status?: string }>>) : undefined), () => undefined);
    if (health?.['scheduler']?.status === 'healthy' && health['dag_processor']?.status === 'healthy') {
      return { url, username, password, dagsFolder, sharedDir, outputDir, env, airflowBin, stop };
    }
    await sleep(500);
  }
  const tail = logs.map((l) => `--- ${path.basename(l)}\n${fs.readFileSync(l, 'utf8').split('\n').slice(-20).join('\n')}`).join('\n');
  await stop();
  throw new Error(`Airflow did not come up on ${url}:\n${tail}`);
}
