// Excel sources: DuckDB's excel extension cannot be downloaded on offline machines, so
// the sheet is read with exceljs and handed to DuckDB as CSV.
import fs from 'node:fs';
import { NodeFailure } from './types.ts';

/** `shown` is the file as the node names it (its file: field), for messages. */
export async function readExcelToCsv(file: string, shown: string, sheet: string | undefined, outCsv: string): Promise<string> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.readFile(file);
  } catch {
    // exceljs (through jszip) says "Can't find end of central directory" and links its docs
    throw new NodeFailure(
      `source file ${shown} is not an Excel workbook (.xlsx)`,
      undefined,
      'save it as .xlsx from Excel, or set format: csv (or parquet, json) on the node if that is what it holds',
    );
  }
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws) {
    const names = wb.worksheets.map((w) => w.name).join(', ');
    throw new NodeFailure(`sheet "${sheet}" not found in ${shown}`, undefined, `use one of: ${names}`);
  }
  const lines: string[] = [];
  ws.eachRow({ includeEmpty: false }, (row) => {
    const values = (row.values as unknown[]).slice(1);
    lines.push(values.map(csvCell).join(','));
  });
  fs.writeFileSync(outCsv, lines.join('\n') + '\n');
  return outCsv;
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') {
    const o = v as { result?: unknown; text?: unknown; richText?: { text: string }[] };
    if ('result' in o) return csvCell(o.result);
    if (o.richText) return csvCell(o.richText.map((t) => t.text).join(''));
    if ('text' in o) return csvCell(o.text);
  }
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}
