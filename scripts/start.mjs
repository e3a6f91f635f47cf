#!/usr/bin/env node
// `npm start`: the desktop app when the Electron binary is here and can run; otherwise
// the same app headless (`aqueduct serve`), in a browser, at the address it prints.
// Arguments after `--` go to `aqueduct serve` (e.g. `npm start -- --port 4100`).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const args = process.argv.slice(2);

/** The Electron binary's path, or why it cannot be used. */
function electronBinary() {
  let bin;
  try {
    bin = createRequire(import.meta.url)('electron');
  } catch {
    return { why: 'the Electron binary is not installed (its download failed or was skipped)' };
  }
  if (typeof bin !== 'string' || !fs.existsSync(bin)) return { why: 'the Electron binary is not installed' };
  const probe = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  if (probe.status !== 0) return { why: `the Electron binary does not run here (${(probe.stderr || probe.error?.message || '').trim().split('\n')[0]})` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return { why: 'there is no display' };
  return { bin };
}

function buildRendererIfMissing() {
  if (fs.existsSync(path.join(root, 'renderer', 'dist', 'index.html'))) return;
  if (!fs.existsSync(path.join(root, 'renderer', 'vite.config.ts'))) return;
  console.log('Building the UI (first start)…');
  const r = spawnSync('npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn'], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error('Building the UI failed; the API still starts. Fix the build and run `npm run build:renderer`.');
  }
}

function run(cmd, cmdArgs, env = process.env) {
  const child = spawn(cmd, cmdArgs, { stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
}

// the compiled `aqueduct` command (a checkout changed since `npm install` gets it rebuilt);
// without esbuild (an install without dev dependencies) bin/aqueduct.mjs runs the sources
try {
  const { ensureCli } = await import('../main/build.mjs');
  await ensureCli();
} catch (e) {
  console.log(`Aqueduct: the aqueduct command could not be compiled (${e.message.split('\n')[0]}); running it from its sources.`);
}
const electron = electronBinary();
buildRendererIfMissing();
if (electron.bin) {
  const { buildMain } = await import('../main/build.mjs');
  await buildMain({ quiet: true });
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  run(electron.bin, ['.', ...args], env);
} else {
  console.log(`Starting Aqueduct headless, since ${electron.why}. Open the address below in your browser.`);
  run(process.execPath, [path.join(root, 'bin', 'aqueduct.mjs'), 'serve', ...args]);
}
