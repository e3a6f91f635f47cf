// Why: Excel destination (exceljs). Writes one named sheet with a header row and typed
// cells; other sheets of an existing workbook are kept; saved to a staged temp file. Two
// publishes of one workbook (different sheets) in one run build on each other's version.
import { statSync } from 'node:fs';
import ExcelJS from 'exceljs';
import { PublishError, defineWriter, type PublishRequest } from '../types.ts';
import { withParquet, type Cell, type Column } from '../parquet.ts';
import { existsError } from '../sql.ts';
import { currentVersion, fileTarget, sameColumns, stageFile, stagingOf } from './common.ts';

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

function sheetOf(req: PublishRequest, file: string): { sheetName: string; target: string } {
  const sheetName = req.destination.sheet ?? req.destination.table ?? 'Sheet1';
  const target = `${file}#${sheetName}`;
  if (sheetName.length > 31 || /[\\/?*[\]:]/.test(sheetName)) {
    throw new PublishError(`excel ${target}: "${sheetName}" is not a valid sheet name`, 'use at most 31 characters and none of \\ / ? * [ ] :');
  }
  return { sheetName, target };
}

export const excelWriter = defineWriter({
  type: 'excel',
  target: async (req) => sheetOf(req, fileTarget('excel', req)).target,
  async stage(req) {
    const file = fileTarget('excel', req);
    const { sheetName, target } = sheetOf(req, file);
    const area = stagingOf(req);
    return area.serial(file, async () => {
      const wb = new ExcelJS.Workbook();
      // the target is the sheet: fail_if_exists may add a sheet to an existing workbook
      const base = currentVersion(area, file);
      if (base && statSync(base).size > 0) {
        try {
          await wb.xlsx.readFile(base);
        } catch (e) {
          throw new PublishError(`excel ${file}: cannot read the existing workbook: ${(e as Error).message.split('\n')[0]}`, 'remove the file or pick another path');
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
        const staged = await stageFile('excel', file, area, rows, (tmp) => wb.xlsx.writeFile(tmp), req.signal);
        return { ...staged, target };
      });
    });
  },
});
