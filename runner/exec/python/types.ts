// The pool's public contract: what a call carries, what it returns, how it fails.

export interface PythonCall {
  nodeId: string;
  /** the node's module source; it defines `def run(...)` */
  code: string;
  /** file name shown in tracebacks, e.g. nodes/model.py */
  file: string;
  /** upstream tables: input name -> Parquet file path; passed to run() as pandas DataFrames, keyword args */
  inputs: Record<string, string>;
  /** workflow parameters; passed as keyword args — only those run() accepts by name, or all if it has **kwargs */
  params: Record<string, unknown>;
  /** where a DataFrame result is written (Parquet); an unnamed integer index is dropped, any other index becomes columns */
  outputPath: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  /** user output, line by line, as it happens */
  onLog?: (stream: 'stdout' | 'stderr', line: string) => void;
}

export type PythonResult =
  | { kind: 'table'; rows: number; columns: { name: string; type: string }[] }
  /** JSON has no NaN: a non-finite float arrives as value null with `nonFinite` naming it */
  | { kind: 'scalar'; value: number | boolean | string | null; nonFinite?: 'NaN' | 'Infinity' | '-Infinity' }
  /** a matplotlib/plotly figure or PNG bytes, saved as <output path without .parquet>.png for a report */
  | { kind: 'figure'; path: string; bytes: number; width: number; height: number };

/**
 * An exception raised by (or about) the node's code; `traceback` names the node's file.
 * `pythonType` NodeProblem: a mistake in how the node is written, whose message is already
 * the whole sentence (no traceback).
 */
export class PythonError extends Error {
  override name = 'PythonError';
  constructor(message: string, readonly pythonType: string, readonly traceback: string) {
    super(message);
  }
}
export class PythonTimeoutError extends Error { override name = 'PythonTimeoutError'; }
export class PythonCancelledError extends Error { override name = 'PythonCancelledError'; }
export class PythonEnvironmentError extends Error { override name = 'PythonEnvironmentError'; }

export interface PythonPoolOptions { python: string; size: number; env?: Record<string, string>; cwd?: string }
