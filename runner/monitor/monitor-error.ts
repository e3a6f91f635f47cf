// A mistake in what the user asked of the monitoring features (a run or node that is not
// there, a key column the output lacks, a bad tolerance): one sentence, the input at
// fault and what to do. The API answers it as BAD_REQUEST; the CLI prints it and exits 2.
export class MonitorInputError extends Error {
  constructor(
    message: string,
    readonly field?: string,
    readonly fix?: string,
  ) {
    super(message);
    this.name = 'MonitorInputError';
  }
}
