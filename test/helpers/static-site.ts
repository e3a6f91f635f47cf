// A stand-in for the built UI (index.html and one asset) for server tests that need the
// static side but not the real renderer build.
import fs from 'node:fs';
import path from 'node:path';
import { tempHome } from './home.ts';

export function writeStaticSite(label: string): string {
  const dir = tempHome(label);
  fs.mkdirSync(path.join(dir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
  fs.writeFileSync(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  return dir;
}
