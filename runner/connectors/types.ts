// Why: one interface for every publish destination, so the engine, the UI and the tests
// talk to files, SQLite, DuckDB, Postgres and MySQL the same way. A publish is two steps:
// stage (everything that can fail, invisible to readers) and commit (make it visible), so
// a run can stage all its publishes and commit them together.
import type { Destination, PublishMode } from '../spec/schema.ts';
import { StagingArea } from './staging.ts';

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
  /** absolute paths no publish may write: the workflow's own definition (files and folders) */
  protectedPaths?: readonly string[];
  /** shared by the publishes of one run (see staging.ts); a publish on its own gets its own */
  staging?: StagingArea;
}

export interface PublishResult {
  rows: number;
  /** where it went, for lineage and the UI: a file path, or db/schema.table */
  target: string;
}

/** A publish prepared in full but not yet visible to readers of the destination. */
export interface StagedPublish extends PublishResult {
  /**
   * true: the change is held back (temp file, open transaction, staging table) and commit
   * only makes it visible. false: the medium cannot hold a change back (a BigQuery load
   * job, one Google Sheets batchUpdate): stage checked and prepared it, commit writes it.
   */
  held: boolean;
  commit(): Promise<void>;
  /** Discards the change; false when it was committed already (a transaction shared with a committed publish). */
  abort(): Promise<boolean>;
}

export interface DestinationWriter {
  readonly type: string;
  /** Where a publish would write, checked as far as it can be without writing (previews). */
  target(req: PublishRequest): Promise<string>;
  stage(req: PublishRequest): Promise<StagedPublish>;
  /** stage and commit at once: one publish on its own */
  publish(req: PublishRequest): Promise<PublishResult>;
}

/** A writer from its target and stage steps; publish is stage then commit. */
export function defineWriter(w: Pick<DestinationWriter, 'type' | 'target' | 'stage'>): DestinationWriter {
  return {
    ...w,
    async publish(req) {
      const staging = req.staging ?? new StagingArea();
      try {
        const staged = await w.stage({ ...req, staging });
        try {
          await staged.commit();
        } catch (e) {
          await staged.abort().catch(() => false);
          throw e;
        }
        return { rows: staged.rows, target: staged.target };
      } finally {
        if (!req.staging) await staging.endAll();
      }
    },
  };
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
