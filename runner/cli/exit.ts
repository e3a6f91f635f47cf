// Exit codes of the CLI, for scripts: 0 ok (warnings included), 1 the run failed,
// 2 the input was invalid, 130 cancelled.
export const EXIT = { ok: 0, failed: 1, invalid: 2, cancelled: 130 } as const;

/** Thrown by commands to end with an exit code after printing their own output. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
