// Excel sources: DuckDB's excel extension cannot be downloaded on offline machines, so
// the sheet is read with exceljs and handed to DuckDB as CSV.
import fs from 'node:fs';
import { NodeFailure } from './types.ts';

export async function readExcelToCsv(file: string, sheet: string | undefined, outCsv: string): Promise<string> {
  const { default: ExcelJS } = await import('exceljs');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = sheet ? wb.getWorksheet(sheet) : wb.worksheets[0];
  if (!ws) {
    const names = wb.worksheets.map((w) => w.name).join(', ');
    throw new NodeFailure(`sheet "${sheet}" not found in ${file}`, undefined, `use one of: ${names}`);
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
