#!/usr/bin/env node
// After `npm install`: compile the `aqueduct` command (dist/cli; without esbuild, as in an
// install without dev dependencies, bin/aqueduct.mjs runs the sources through tsx), then
// fetch the Electron binary (package.json's allowScripts keeps npm
// from running electron's own download step, which would fail the whole install on a
// machine without internet). If it cannot be downloaded, say so in one line: the app
// then runs headless in a browser. This script never fails the install.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const installer = path.join(root, 'node_modules', 'electron', 'install.js');
const HEADLESS =
  'Aqueduct: the Electron desktop binary could not be downloaded, so `npm start` will run the app headless in your browser. ' +
  'For the desktop app, run `node node_modules/electron/install.js` on a machine with internet access, or build an installer with `npm run package`.';

try {
  const { ensureCli } = await import('../main/build.mjs');
  await ensureCli();
} catch (e) {
  console.log(`Aqueduct: the aqueduct command was not compiled (${String(e.message).split('\n')[0]}); it runs from its TypeScript sources.`);
}

try {
  if (!fs.existsSync(installer)) {
    // a production install without dev dependencies: nothing to fetch
    process.exit(0);
  }
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    console.log(HEADLESS.replace('could not be downloaded', 'was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set)'));
    process.exit(0);
  }
  const r = spawnSync(process.execPath, [installer], { cwd: root, encoding: 'utf8', timeout: 180_000 });
  if (r.status === 0 && electronBinaryPresent()) {
    console.log('Aqueduct: Electron desktop binary ready (`npm start` opens the desktop app).');
  } else {
    console.log(HEADLESS);
  }
} catch {
  console.log(HEADLESS);
}
process.exit(0);

function electronBinaryPresent() {
  const pathFile = path.join(root, 'node_modules', 'electron', 'path.txt');
  if (!fs.existsSync(pathFile)) return false;
  return fs.existsSync(path.join(root, 'node_modules', 'electron', 'dist', fs.readFileSync(pathFile, 'utf8').trim()));
}
