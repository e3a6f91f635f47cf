#!/usr/bin/env node
// `npm test`: installs what the tests need on this machine (a Python venv with pandas,
// Debian's Chromium and poppler-utils, PostgreSQL and MariaDB servers), builds the UI, then runs every
// test tier with vitest. Anything that cannot be installed stops here with a message
// saying how to install it: a suite is never skipped silently.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureEngines } from './engines-env.mjs';
import { ensureCli } from '../main/build.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const isRoot = process.getuid?.() === 0;

function step(msg) {
  console.log(`\n▶ ${msg}`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status ?? r.signal})`);
}

function has(cmd) {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

let aptUpdated = false;
function aptInstall(packages, why) {
  if (!isRoot || !has('apt-get')) {
    throw new Error(`${why} is missing. Install it with: sudo apt-get install -y ${packages.join(' ')}`);
  }
  if (!aptUpdated) {
    run('apt-get', ['update', '-qq']);
    aptUpdated = true;
  }
  run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function ensurePython() {
  step('Python environment (.venv with pandas, pyarrow, scikit-learn, openpyxl, duckdb, nbformat, pytest)');
  const py = path.join(root, '.venv', 'bin', 'python');
  if (!fs.existsSync(py)) run(process.env.PYTHON ?? 'python3', ['-m', 'venv', '.venv']);
  const ok = spawnSync(py, ['-c', 'import pandas, pyarrow, sklearn, openpyxl, sqlalchemy, psycopg2, duckdb, nbformat, matplotlib, pytest, setuptools.command.bdist_wheel'], { stdio: 'ignore' }).status === 0;
  if (!ok) run(py, ['-m', 'pip', 'install', '-q', '-r', 'resources/python/requirements-test.txt']);
  return py;
}

function ensureChromium() {
  step('Chromium for the end-to-end tests');
  if (!fs.existsSync('/usr/bin/chromium')) aptInstall(['chromium'], "Debian's Chromium (/usr/bin/chromium)");
}

function ensurePoppler() {
  step("poppler-utils (pdftotext, pdftoppm, pdfimages) to read the reports' PDFs");
  if (!has('pdftotext') || !has('pdftoppm') || !has('pdfimages')) aptInstall(['poppler-utils'], "Debian's poppler-utils (pdftotext, pdftoppm)");
}

function ensureDatabaseServers() {
  step('PostgreSQL and MariaDB servers for the publishing tests');
  const pgFound = has('initdb') || (fs.existsSync('/usr/lib/postgresql') && fs.readdirSync('/usr/lib/postgresql').length > 0);
  if (!pgFound) aptInstall(['postgresql'], 'PostgreSQL server');
  if (!has('mariadbd') && !fs.existsSync('/usr/sbin/mariadbd')) aptInstall(['mariadb-server'], 'MariaDB server');
}

// The tests build per-workflow Python environments from PyPI, cached per machine in
// ~/.cache/aqueduct/envs (test/helpers/global-setup.ts); the uv tool and the example's
// environment are made here once, so no single test waits for the first build.
function ensureTestEnvironments(python) {
  step('Python environments for the tests (uv and the example workflow, cached per machine)');
  const cache = path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'aqueduct', 'envs');
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'aqueduct-envs-'));
  try {
    run(process.execPath, ['bin/aqueduct.mjs', 'env', 'build', 'resources/examples/customer-churn'], {
      env: { ...process.env, AQUEDUCT_HOME: home, AQUEDUCT_ENVS: process.env.AQUEDUCT_ENVS ?? cache, AQUEDUCT_PYTHON: python },
    });
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

function buildRenderer() {
  if (!fs.existsSync('renderer/vite.config.ts')) return;
  step('Building the UI (vite)');
  run('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']);
}

try {
  step('Compiling the aqueduct command (esbuild)');
  await ensureCli();
  const python = ensurePython();
  ensureChromium();
  ensurePoppler();
  ensureDatabaseServers();
  ensureEngines();
  ensureTestEnvironments(python);
  buildRenderer();
  step('Running the tests');
  const args = ['vitest', 'run', ...process.argv.slice(2)];
  const r = spawnSync('npx', args, {
    stdio: 'inherit',
    env: { ...process.env, AQUEDUCT_PYTHON: python, AQUEDUCT_CHROMIUM: '/usr/bin/chromium' },
  });
  process.exit(r.status ?? 1);
} catch (e) {
  console.error(`\nnpm test could not prepare this machine: ${e.message}`);
  process.exit(1);
}
