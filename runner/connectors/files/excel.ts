// Why: Excel destination (exceljs). Writes one named sheet with a header row and typed
// cells; other sheets of an existing workbook are kept; saved through a temp file.
import { existsSync, statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { PublishError, type DestinationWriter, type PublishRequest, type PublishResult } from '../types.ts';
import { withParquet, type Cell, type Column } from '../parquet.ts';
import { existsError } from '../sql.ts';
import { atomicWrite, fileTarget, sameColumns } from './common.ts';

const MAX_ROWS = 1_048_576;

/** DuckDB expression giving what a cell needs: numbers as DOUBLE, dates as epoch ms. */
function cellExpr(c: Column, q: string): string {
  switch (c.kind) {
    case 'int': return `CAST(${q} AS BIGINT)`;
    case 'bigint': case 'float': case 'decimal': return `CAST(${q} AS DOUBLE)`;
    case 'bool': return q;
    case 'date': return `epoch_ms(CAST(${q} AS TIMESTAMP))`;
    case 'timestamp': case 'timestamptz': return `epoch_ms(${q})`;
    case 'json': return `CAST(to_json(${q}) AS VARCHAR)`;
    default: return `CAST(${q} AS VARCHAR)`;
  }
}

const FORMATS: Partial<Record<Column['kind'], string>> = {
  date: 'yyyy-mm-dd',
  timestamp: 'yyyy-mm-dd hh:mm:ss',
  timestamptz: 'yyyy-mm-dd hh:mm:ss',
};

function toCell(c: Column, v: Cell): ExcelJS.CellValue {
  if (v === null) return null;
  if (c.kind === 'date' || c.kind === 'timestamp' || c.kind === 'timestamptz') return new Date(Number(v));
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Buffer.isBuffer(v)) return v.toString('base64');
  return v;
}

export const excelWriter: DestinationWriter = {
  type: 'excel',
  async publish(req: PublishRequest): Promise<PublishResult> {
    const file = fileTarget('excel', req);
    const sheetName = req.destination.sheet ?? req.destination.table ?? 'Sheet1';
    const target = `${file}#${sheetName}`;
    if (sheetName.length > 31 || /[\\/?*[\]:]/.test(sheetName)) {
      throw new PublishError(`excel ${target}: "${sheetName}" is not a valid sheet name`, 'use at most 31 characters and none of \\ / ? * [ ] :');
    }
    const wb = new ExcelJS.Workbook();
    // the target is the sheet: fail_if_exists may add a sheet to an existing workbook
    if (existsSync(file) && statSync(file).size > 0) {
      try {
        await wb.xlsx.readFile(file);
      } catch (e) {
        throw new PublishError(`excel ${file}: cannot read the existing workbook: ${(e as Error).message}`, 'remove the file or pick another path');
      }
    }
    let ws = wb.getWorksheet(sheetName);
    if (ws && req.mode === 'fail_if_exists') throw existsError('excel', target);

    return withParquet(req, async (src) => {
      const rows = await src.rowCount();
      let orderNo: number | undefined;
      if (ws && req.mode === 'replace') {
        // rewrite the sheet but keep its place among the workbook's sheets (exceljs orders by orderNo)
        orderNo = (ws as unknown as { orderNo: number }).orderNo;
        wb.removeWorksheet(ws.id);
        ws = undefined;
      } else if (ws) {
        const header = (ws.getRow(1).values as ExcelJS.CellValue[]).slice(1).map((v) => String(v ?? ''));
        sameColumns('excel', target, header, src.names);
      }
      if (!ws) {
        ws = wb.addWorksheet(sheetName);
        if (orderNo !== undefined) (ws as unknown as { orderNo: number }).orderNo = orderNo;
        ws.addRow(src.names).font = { bold: true };
        ws.views = [{ state: 'frozen', ySplit: 1 }];
      }
      if (ws.rowCount + rows > MAX_ROWS) {
        throw new PublishError(`excel ${target}: ${ws.rowCount + rows} rows do not fit in a sheet (max ${MAX_ROWS})`, 'publish to CSV, Parquet or a database instead');
      }
      let written = 0;
      for await (const batch of src.batches(cellExpr, 5000, req.signal)) {
        for (const values of batch) {
          const row = ws.addRow(values.map((v, i) => toCell(src.columns[i]!, v)));
          src.columns.forEach((c, i) => {
            const fmt = FORMATS[c.kind];
            if (fmt && values[i] !== null) row.getCell(i + 1).numFmt = fmt;
          });
        }
        written += batch.length;
        req.onProgress?.(written);
      }
      await atomicWrite('excel', file, (tmp) => wb.xlsx.writeFile(tmp), req.signal);
      return { rows, target };
    });
  },
};
