// A workflow's Python environment as the Packages panel, the API and `aqueduct env status`
// show it: the mode, the declared packages with their locked versions, whether the lock
// is current and its environment built, and for a user's own interpreter the same
// pandas/pyarrow check a run would make.
import type { EnvStatus, PackageChange } from '../api/types.ts';
import { checkPythonEnvironment } from '../exec/python/environment.ts';
import type { EnvironmentRecords } from '../store/environment-records.ts';
import { envDir, readyPython } from './build.ts';
import { EnvironmentError } from './env-errors.ts';
import { compareMinor } from './lock.ts';
import { inputHashOf, readLock, type LockedPackage } from './requirements-file.ts';
import type { EnvironmentService } from './service.ts';

export async function environmentStatus(envs: EnvironmentService, records: EnvironmentRecords, workflowId: string, folder: string): Promise<EnvStatus> {
  const chosen = records.choice(workflowId);
  const choice = envs.choiceOf(workflowId, folder);
  const declared = envs.declared(folder);
  const lock = readLock(folder);
  const versions = new Map<string, string[]>();
  for (const p of lock?.packages ?? []) versions.set(p.name, [...(versions.get(p.name) ?? []), p.version]);
  const status: EnvStatus = {
    workflowId,
    mode: choice.mode,
    modeChosen: !!chosen,
    interpreter: choice.interpreter ?? envs.o.basePython(),
    ...(choice.interpreter ? { ownInterpreter: choice.interpreter } : {}),
    requirementsFile: declared.exists,
    declared: declared.requirements.map((r) => ({ name: r.name, spec: r.spec, line: r.line, ...(versions.has(r.name) ? { locked: [...new Set(versions.get(r.name))].join(' / ') } : {}) })),
    otherLines: declared.lines.filter((l) => !declared.requirements.some((r) => r.line === l)),
    building: envs.isBuilding(folder),
    progress: envs.currentProgress(folder),
    error: envs.lastFailure(folder),
    logFile: envs.logFile(folder),
  };
  if (choice.mode === 'interpreter') {
    const check = await checkPythonEnvironment(status.interpreter);
    status.check = check.ok ? { ok: true, version: check.version } : { ok: false, message: check.message, lacksPackages: !!check.lacksPackages };
    return status;
  }
  let base;
  try {
    base = await envs.base();
  } catch (e) {
    status.error ??= e instanceof EnvironmentError ? e.sentence : (e as Error).message;
  }
  if (lock) {
    const current = lock.inputHash === inputHashOf(folder) && (!base || !lock.pythonFloor || compareMinor(base.minor, lock.pythonFloor) >= 0);
    status.lock = { hash: lock.hash, current, packages: lock.packages };
    if (current && base) {
      const python = readyPython(envDir(envs.o.root, lock.hash, base.minor));
      status.env = python ? { state: 'ready', python, pythonVersion: base.version } : { state: 'missing', pythonVersion: base.version };
    }
  }
  status.env ??= { state: 'unlocked' };
  return status;
}

/** What changed in the packages between two runs' locks: added, removed and changed versions. */
export function packageChanges(a: LockedPackage[] | undefined, b: LockedPackage[] | undefined): PackageChange[] {
  const versions = (ps: LockedPackage[] | undefined) => {
    const m = new Map<string, string[]>();
    for (const p of ps ?? []) m.set(p.name, [...(m.get(p.name) ?? []), p.version]);
    return new Map([...m].map(([k, v]) => [k, [...new Set(v)].join(' / ')]));
  };
  const va = versions(a);
  const vb = versions(b);
  const names = [...new Set([...va.keys(), ...vb.keys()])].sort();
  const out: PackageChange[] = [];
  for (const name of names) {
    const from = va.get(name);
    const to = vb.get(name);
    if (from === to) continue;
    out.push({ name, ...(from ? { from } : {}), ...(to ? { to } : {}) });
  }
  return out;
}
