// Why: what each database's query source gets from sources.ts (parameters, a cancel
// signal, and a sink to pour text rows into) and what browsing returns to the UI.
import type { ParamValue } from '../../api/types.ts';
import type { SinkColumn, TextCell } from './parquet-sink.ts';

export interface QuerySourceRun {
  params: Record<string, ParamValue>;
  signal: AbortSignal;
  /** called once with the result's columns, before any rows */
  open(columns: SinkColumn[]): Promise<void>;
  append(rows: TextCell[][]): Promise<void>;
}

export interface TableListing {
  schema?: string;
  name: string;
  type: string;
}

export interface TablePreview {
  columns: { name: string; type: string }[];
  /** values as text, as the database printed them (null for NULL) */
  rows: TextCell[][];
}
