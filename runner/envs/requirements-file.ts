// A workflow's declared packages (requirements.txt, which the user owns) and its lock
// (requirements.lock, which the app writes): reading them, editing one package at a time,
// and the hashes that name them. The lock's hash ignores comments, so two workflows that
// resolved the same packages share one built environment.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeAtomic } from '../spec/save.ts';

export const REQUIREMENTS_FILE = 'requirements.txt';
export const LOCK_FILE = 'requirements.lock';
/** What every environment the app builds needs besides the workflow's own packages: the worker imports them. */
export const IMPLICIT_REQUIREMENTS = ['pandas>=2.0', 'pyarrow>=14'];

/** requirements.txt of a new workflow: no packages of its own yet, yet it says the workflow runs on an app-owned environment. */
export const NEW_REQUIREMENTS_TEXT = '# Packages the Python nodes need besides pandas and pyarrow (which the app always installs), one per line.\n';

export interface Requirement {
  /** the line as written */
  line: string;
  /** the package name, normalized (lower case, runs of -_. as one -) */
  name: string;
  /** what follows the name: extras, version specifiers, markers */
  spec: string;
}

export interface LockedPackage {
  name: string;
  version: string;
  /** environment marker, when the lock holds several versions for different Pythons or platforms */
  marker?: string;
}

export interface LockInfo {
  /** sha256 of the lock's requirement lines (comments ignored) */
  hash: string;
  /** the hash of the declared input the lock was resolved from (its header) */
  inputHash?: string;
  /** the oldest Python the lock was resolved for, e.g. "3.11" */
  pythonFloor?: string;
  packages: LockedPackage[];
  text: string;
}

const NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)(.*)$/;
export const normalizeName = (n: string) => n.toLowerCase().replace(/[-_.]+/g, '-');
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Requirement lines without comments and blank lines; continuation lines joined. */
export function requirementLines(text: string): string[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((l) => l.replace(/(^|\s)#.*$/, '').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
}

export function parseRequirement(line: string): Requirement | undefined {
  if (line.startsWith('-') || /^[a-z+]+:\/\//i.test(line) || line.startsWith('.') || line.startsWith('/')) return undefined;
  const m = NAME.exec(line);
  if (!m) return undefined;
  const spec = (m[2] ?? '').trim();
  if (spec && !/^(\[|[<>=!~;@ ])/.test(spec)) return undefined;
  return { line, name: normalizeName(m[1]!), spec };
}

export function readDeclared(folder: string): { exists: boolean; lines: string[]; requirements: Requirement[] } {
  const file = path.join(folder, REQUIREMENTS_FILE);
  if (!fs.existsSync(file)) return { exists: false, lines: [], requirements: [] };
  const lines = requirementLines(fs.readFileSync(file, 'utf8'));
  return { exists: true, lines, requirements: lines.map(parseRequirement).filter((r): r is Requirement => !!r) };
}

/** Names the declared input: requirements.txt's lines plus the app's own needs. */
export function inputHashOf(folder: string): string {
  return sha256(JSON.stringify({ declared: readDeclared(folder).lines, implicit: IMPLICIT_REQUIREMENTS }));
}

export function lockHashOf(text: string): string {
  return sha256(requirementLines(text).join('\n'));
}

const PIN = /^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?\s*(?:==\s*([^\s;]+)|@\s*(\S+))\s*(?:;\s*(.*?))?\s*(?:--hash.*)?$/;

export function parseLockPackages(text: string): LockedPackage[] {
  const out: LockedPackage[] = [];
  for (const line of requirementLines(text)) {
    if (line.startsWith('-')) continue;
    const m = PIN.exec(line);
    if (!m) continue;
    out.push({ name: normalizeName(m[1]!), version: m[2] ?? m[3]!, ...(m[4] ? { marker: m[4].replace(/\s*--hash.*$/, '') } : {}) });
  }
  return out;
}

export function readLock(folder: string): LockInfo | undefined {
  const file = path.join(folder, LOCK_FILE);
  if (!fs.existsSync(file)) return undefined;
  return lockInfo(fs.readFileSync(file, 'utf8'));
}

export function lockInfo(text: string): LockInfo {
  const header = (key: string) => new RegExp(`^# ${key}: (\\S+)`, 'm').exec(text)?.[1];
  return { hash: lockHashOf(text), inputHash: header('aqueduct-input'), pythonFloor: header('aqueduct-python'), packages: parseLockPackages(text), text };
}

/** The lock file as the app writes it: a header saying what it was made from, then the pins. */
export function lockText(pins: string, o: { inputHash: string; pythonFloor: string; tool: string; universal: boolean }): string {
  return [
    `# Written by Aqueduct from ${REQUIREMENTS_FILE} (plus pandas and pyarrow, which the app needs); keep it in git, do not edit it.`,
    `# It is rewritten when ${REQUIREMENTS_FILE} changes. Resolved with ${o.tool} for Python ${o.pythonFloor}${o.universal ? ' or newer, any platform' : ' on this platform'}.`,
    `# aqueduct-input: ${o.inputHash}`,
    `# aqueduct-python: ${o.pythonFloor}`,
    pins.trim(),
    '',
  ].join('\n');
}

/** One sentence about what is wrong with a requirement typed into the Packages panel, or undefined. */
export function requirementProblem(spec: string): string | undefined {
  const s = spec.trim();
  if (!s) return 'type a package name, e.g. tabulate or tabulate==0.9.0';
  if (/[\r\n]/.test(s)) return 'give one package per line';
  const r = parseRequirement(s);
  if (!r) return `"${s}" is not a package requirement; write a name with an optional version, e.g. tabulate>=0.9`;
  if (r.spec && !/^(\[[A-Za-z0-9,._ -]*\])?\s*([<>=!~]=?\s*[A-Za-z0-9.*+!_-]+\s*,?\s*)*(;.*)?$/.test(r.spec)) {
    return `"${s}" has a version that pip cannot read; write it like ${r.name}==1.2.3 or ${r.name}>=1.2`;
  }
  return undefined;
}

/** Adds (or replaces) one package's line in requirements.txt; other lines and comments stay. */
export function addRequirement(folder: string, spec: string): Requirement {
  const problem = requirementProblem(spec);
  if (problem) throw new RequirementError(problem);
  const req = parseRequirement(spec.trim())!;
  const file = path.join(folder, REQUIREMENTS_FILE);
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const lines = old ? old.replace(/\r?\n$/, '').split(/\r?\n/) : [];
  const at = lines.findIndex((l) => parseRequirement(l.replace(/(^|\s)#.*$/, '').trim())?.name === req.name);
  if (at >= 0) lines[at] = req.line;
  else lines.push(req.line);
  writeAtomic(file, lines.join('\n') + '\n');
  return req;
}

/** Removes every line naming the package; says whether one was there. */
export function removeRequirement(folder: string, name: string): boolean {
  const file = path.join(folder, REQUIREMENTS_FILE);
  if (!fs.existsSync(file)) return false;
  const target = normalizeName(name);
  const lines = fs.readFileSync(file, 'utf8').replace(/\r?\n$/, '').split(/\r?\n/);
  const kept = lines.filter((l) => parseRequirement(l.replace(/(^|\s)#.*$/, '').trim())?.name !== target);
  if (kept.length === lines.length) return false;
  writeAtomic(file, kept.length ? kept.join('\n') + '\n' : '');
  return true;
}

export class RequirementError extends Error {
  override name = 'RequirementError';
}

/** The lock's entries, one per pinned requirement, each with its continuation (hash) lines. */
export function lockEntries(text: string): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trimStart().startsWith('#')) continue;
    if (/^\s/.test(line) && out.length) {
      out[out.length - 1]!.text += `\n${line}`;
      continue;
    }
    const name = /^([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(line)?.[1];
    if (name) out.push({ name: normalizeName(name), text: line });
  }
  return out;
}

/** An entry without its hashes: `name==version ; marker`. */
export function withoutHashes(entry: string): string {
  return entry.replace(/\\\s*$/gm, '').split('\n').filter((l) => !l.trim().startsWith('--hash')).join(' ').replace(/\s*--hash=\S+/g, '').replace(/\s+/g, ' ').trim();
}
