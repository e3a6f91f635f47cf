// Where the app keeps its own state: the OS's app-data folder, or AQUEDUCT_HOME when set
// (tests, portable installs). Run artifacts live under runs/<run id>/.
import os from 'node:os';
import path from 'node:path';

export function appHome(env: NodeJS.ProcessEnv = process.env): string {
  if (env.AQUEDUCT_HOME) return path.resolve(env.AQUEDUCT_HOME);
  const home = os.homedir();
  switch (process.platform) {
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', 'Aqueduct');
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Aqueduct');
    default:
      return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'aqueduct');
  }
}

export interface AppPaths {
  home: string;
  database: string;
  runs: string;
}

export function appPaths(home = appHome()): AppPaths {
  return { home, database: path.join(home, 'aqueduct.db'), runs: path.join(home, 'runs') };
}

export function runFolder(paths: AppPaths, runId: string): string {
  return path.join(paths.runs, runId);
}

export function artifactPath(paths: AppPaths, runId: string, nodeId: string): string {
  return path.join(paths.runs, runId, `${nodeId}.parquet`);
}
