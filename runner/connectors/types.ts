// Why: one interface for every publish destination, so the engine, the UI and the tests
// talk to files, SQLite, DuckDB, Postgres and MySQL the same way.
import type { Destination, PublishMode } from '../spec/schema.ts';

export interface ConnectionConfig {
  type: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  schema?: string;
  ssl?: boolean;
  [k: string]: unknown;
}

export interface PublishRequest {
  /** the table to publish: a Parquet file written by the run */
  parquetPath: string;
  destination: Destination;
  mode: PublishMode; // 'replace' | 'append' | 'upsert' | 'fail_if_exists'
  key?: string[]; // for upsert
  /** absolute folder of the workflow: relative file paths resolve against it */
  workflowFolder: string;
  /** the resolved connection (secrets decrypted) when destination.connection is set */
  connection?: ConnectionConfig;
  signal?: AbortSignal;
  onProgress?: (rowsWritten: number) => void;
}

export interface PublishResult {
  rows: number;
  /** where it went, for lineage and the UI: a file path, or db/schema.table */
  target: string;
}

export interface DestinationWriter {
  readonly type: string;
  publish(req: PublishRequest): Promise<PublishResult>;
}

export class PublishError extends Error {
  readonly fix?: string;
  constructor(message: string, fix?: string) {
    super(message);
    this.name = 'PublishError';
    this.fix = fix;
  }
}

/** A NUL in a path makes Node's fs throw a TypeError with its internals: refuse it in words first. */
export function refuseNulInPath(type: string, p: string): void {
  if (p.includes('\0')) throw new PublishError(`${type} destination.path contains a NUL character`, 'remove the \\0 from destination.path');
}
