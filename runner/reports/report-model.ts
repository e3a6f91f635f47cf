// A rendered report as data: what report.json holds. The HTML, the PDF, the email and the
// Slack summary are all drawn from this one model, so they always say the same thing.
import type { TextBlock } from './markdown.ts';

export interface ReportTableModel {
  title: string;
  columns: string[];
  /** true where the column holds numbers (right-aligned) */
  numeric: boolean[];
  /** formatted cells of the first rows */
  rows: string[][];
  /** rows the table has in all (only `rows.length` of them are shown) */
  total: number;
  /** the table input it shows */
  input: string;
}

export interface ReportChartModel {
  title: string;
  /** file names in the report folder */
  png: string;
  svg?: string;
  width: number;
  height: number;
  /** e.g. that the chart shows only the first rows of a large table */
  note?: string;
}

export interface ReportModel {
  title: string;
  blocks: TextBlock[];
  tables: ReportTableModel[];
  charts: ReportChartModel[];
  /** what the placeholders stood for, formatted as shown (metrics, parameters, run facts) */
  values: Record<string, string | number | boolean | null>;
  facts: { workflow: string; runId: string; date: string; owner?: string; nodeId: string };
  /** the Parquet file of each table input (deliveries attach them as CSV or Excel) */
  sources: Record<string, string>;
}
