// The one error the notebook bridges throw for a user's mistake (a file that is not a
// notebook, a folder that is taken, a Python that cannot read it): one sentence, the
// input at fault, and what to do. The API shows it as is; the CLI prints it with its fix.
export class NotebookError extends Error {
  override name = 'NotebookError';
  constructor(
    message: string,
    readonly fix?: string,
    readonly field?: string,
  ) {
    super(message);
  }
}
