// What went wrong while locking or building a Python environment, in one sentence a user
// can act on. uv and pip print pages of causes; we read them here, where we call the
// tools, and retell the few cases that matter: no network, a package that does not
// exist or does not build, a missing Python. The full output stays in the build log.

export type EnvFailureKind = 'network' | 'unresolvable' | 'build' | 'python' | 'cancelled' | 'other';

export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
  constructor(
    message: string,
    readonly kind: EnvFailureKind,
    /** what the user can do about it */
    readonly fix?: string,
  ) {
    super(message);
  }

  /** message and fix as the one sentence a run's error shows */
  get sentence(): string {
    return this.fix ? `${this.message}; ${this.fix}` : this.message;
  }
}

const NETWORK = /(dns error|failed to lookup address|Temporary failure in name resolution|Connection refused|Network is unreachable|tcp connect error|Failed to establish a new connection|NewConnectionError|No route to host|Could not fetch URL|connection timed out|Max retries exceeded|Failed to fetch:|Request failed after \d+ retries)/i;
const UNRESOLVABLE = /(?:Because|because) (.+?)(?:,? we can conclude that|$)/;
const BUILD = /(build backend returned an error|Failed to build|subprocess-exited-with-error|metadata-generation-failed|Failed to prepare distributions|Failed to download and build)/i;
const clip = (s: string, n = 180) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Retells a failed `uv`/`pip` call; `what` says what was being done, e.g. "locking the packages of Customer churn". */
export function explainToolFailure(tail: string[], what: string, python: string): EnvironmentError {
  const text = tail.join('\n');
  if (NETWORK.test(text)) {
    return new EnvironmentError(
      `Could not reach the package index (PyPI) while ${what}`,
      'network',
      'connect to the internet (or set PIP_INDEX_URL / UV_INDEX_URL to a mirror) and try again; once built, an environment works offline',
    );
  }
  const cause = tail.map((l) => l.replace(/^\s*(cause:|error:|╰─▶|×)\s*/, '').trim()).find((l) => UNRESOLVABLE.test(l));
  if (cause && !BUILD.test(text)) {
    const why = UNRESOLVABLE.exec(cause)![1]!
      .replace(/ and you require .*$/, '')
      .replace(/^there is no version of (\S+)/, 'no version of $1 exists on the package index');
    return new EnvironmentError(`The packages in requirements.txt cannot be resolved: ${clip(why)}`, 'unresolvable', 'correct or remove that line in Workflow settings → Packages');
  }
  if (BUILD.test(text)) {
    const named = /Failed to (?:build|download and build) `([^`@ ]+)/.exec(text)?.[1];
    const stderrAt = tail.findIndex((l) => l.trim() === '[stderr]');
    const detail = (stderrAt >= 0 ? tail.slice(stderrAt + 1) : tail).map((l) => l.trim()).filter((l) => l && !/^(hint|help|cause):/.test(l)).at(-1);
    return new EnvironmentError(
      `${named ? `Package ${named}` : 'A package in requirements.txt'} failed to build from source while ${what}${detail ? ` (${clip(detail, 140)})` : ''}`,
      'build',
      `pin a version that has a ready-made wheel for Python ${python}, or remove it in Workflow settings → Packages (the build log has the details)`,
    );
  }
  const last = tail.map((l) => l.trim()).filter(Boolean).at(-1) ?? 'no output';
  return new EnvironmentError(`${capitalize(what)} failed (${clip(last.replace(/^(error|cause):\s*/i, ''))})`, 'other', 'see the build log for the details');
}

const capitalize = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
