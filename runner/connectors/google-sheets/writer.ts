// Why: Google Sheets destination (@googleapis/sheets, loaded only when used). A publish
// is ONE spreadsheets.batchUpdate, which Sheets applies all-or-nothing: replace clears
// the tab's values and writes header + rows (adding the tab or growing its grid in the
// same call); append adds rows under the existing ones after checking the header. That
// one call cannot be held back: staging reads the sheet, checks and builds the requests,
// commit sends them. The API root is configurable (rootUrl) for the local stand-in the
// tests use.
import type { sheets_v4 } from '@googleapis/sheets';
import { PublishError, defineWriter, type ConnectionConfig, type PublishRequest, type StagedPublish } from '../types.ts';
import { withParquet, type Column } from '../parquet.ts';
import { quoteIdent, requireConnection } from '../sql.ts';
import { googleAuth, googleStatus, serviceAccountOf } from '../google-auth.ts';

export const SHEETS_SCOPE = 'https://www.googleapis.com/auth/spreadsheets';
/** Google's limit for a whole spreadsheet */
const MAX_CELLS = 10_000_000;

export async function sheetsClient(cfg: ConnectionConfig): Promise<sheets_v4.Sheets> {
  const { sheets } = await import('@googleapis/sheets');
  const rootUrl = typeof cfg['rootUrl'] === 'string' && cfg['rootUrl'] ? cfg['rootUrl'].replace(/\/?$/, '/') : undefined;
  return sheets({ version: 'v4', auth: await googleAuth(cfg, SHEETS_SCOPE), rootUrl });
}

/** A spreadsheet id from an id or a docs.google.com URL. */
export function spreadsheetIdOf(value: string): string {
  const m = /\/spreadsheets\/d\/([A-Za-z0-9_-]+)/.exec(value);
  return m ? m[1]! : value.trim();
}

export function sheetsError(target: string, cfg: ConnectionConfig, e: unknown): PublishError {
  if (e instanceof PublishError) return e;
  const status = googleStatus(e);
  const msg = (e as Error).message ?? String(e);
  const at = `google_sheets ${target}`;
  let who = 'the service account';
  try {
    who = serviceAccountOf(cfg)?.client_email ?? who;
  } catch {
    // a broken key is reported elsewhere
  }
  if (status === 401) return new PublishError(`${at}: the credentials were refused (${msg})`, 'check the service-account key of the connection');
  if (status === 403) return new PublishError(`${at}: no permission to edit the spreadsheet (${msg})`, `share the spreadsheet with ${who} as Editor`);
  if (status === 404) return new PublishError(`${at}: spreadsheet not found`, `check the spreadsheet id, and share the spreadsheet with ${who}`);
  if (/ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN/.test(msg)) return new PublishError(`${at}: cannot reach the Sheets API (${msg})`, 'check your network, or the rootUrl of the connection');
  return new PublishError(`${at}: ${msg}; nothing was changed`);
}

/** Numbers stay numbers (big integers become text), booleans stay booleans, the rest text. */
function cellExpr(c: Column, q: string): string {
  switch (c.kind) {
    case 'int': return `CAST(${q} AS BIGINT)`;
    case 'float': case 'decimal': return `CAST(${q} AS DOUBLE)`;
    case 'bool': return `CAST(${q} AS BOOLEAN)`;
    case 'json': return `CAST(to_json(${q}) AS VARCHAR)`;
    case 'blob': return `'\\x' || lower(hex(${q}))`;
    default: return `CAST(${q} AS VARCHAR)`;
  }
}

function cell(v: unknown): sheets_v4.Schema$CellData {
  if (v === null || v === undefined) return {};
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? { userEnteredValue: { numberValue: Number(v) } } : { userEnteredValue: { stringValue: v.toString() } };
  if (typeof v === 'number') return Number.isFinite(v) ? { userEnteredValue: { numberValue: v } } : { userEnteredValue: { stringValue: String(v) } };
  if (typeof v === 'boolean') return { userEnteredValue: { boolValue: v } };
  return { userEnteredValue: { stringValue: String(v) } };
}

function where(req: PublishRequest) {
  const cfg = requireConnection('google_sheets', 'Google Sheets', req);
  const idSource = req.destination.path ?? (typeof cfg['spreadsheetId'] === 'string' ? cfg['spreadsheetId'] : '');
  if (!idSource) throw new PublishError('google_sheets destination has no spreadsheet', 'set destination.path to the spreadsheet id (or URL), or spreadsheetId on the connection');
  const spreadsheetId = spreadsheetIdOf(idSource);
  const title = req.destination.sheet ?? req.destination.table ?? 'Sheet1';
  return { cfg, spreadsheetId, title, target: `${spreadsheetId}#${title}` };
}

export const googleSheetsWriter = defineWriter({
  type: 'google_sheets',
  target: async (req) => where(req).target,
  async stage(req: PublishRequest): Promise<StagedPublish> {
    const { cfg, spreadsheetId, title, target } = where(req);
    if (req.mode === 'upsert') throw new PublishError(`google_sheets ${target}: upsert is not supported for spreadsheets`, 'use mode replace or append');
    try {
      const api = await sheetsClient(cfg);
      const meta = await api.spreadsheets.get({ spreadsheetId, fields: 'sheets.properties(sheetId,title,gridProperties)' });
      const tab = meta.data.sheets?.find((s) => s.properties?.title === title)?.properties;
      const used = tab ? ((await api.spreadsheets.values.get({ spreadsheetId, range: `'${title.replaceAll("'", "''")}'` })).data.values ?? []) : [];
      const hasData = used.some((r) => r.some((v) => v !== '' && v !== null));
      if (hasData && req.mode === 'fail_if_exists') throw new PublishError(`google_sheets ${target} already has values (mode fail_if_exists)`, 'change the mode to replace or append, or clear the sheet');

      return await withParquet(req.parquetPath, async (src) => {
        const names = src.names;
        const total = await src.rowCount();
        if ((total + 1) * names.length > MAX_CELLS) {
          throw new PublishError(`google_sheets ${target}: ${total} rows × ${names.length} columns is more than a spreadsheet holds (10 million cells)`, 'publish fewer rows (aggregate first), or publish to a database');
        }
        const appending = req.mode === 'append' && hasData;
        if (appending) {
          const header = (used[0] ?? []).map(String);
          if (header.join('\u0000') !== names.join('\u0000')) {
            throw new PublishError(`google_sheets ${target}: the sheet's header (${header.join(', ')}) differs from the table's columns (${names.join(', ')})`, 'use mode replace, or make the columns match');
          }
        }
        const rows: sheets_v4.Schema$RowData[] = appending ? [] : [{ values: names.map((n) => cell(n)) }];
        for await (const batch of src.batches((c) => cellExpr(c, quoteIdent(c.name)), 10_000, req.signal)) {
          for (const r of batch) rows.push({ values: r.map(cell) });
        }
        const sheetId = tab?.sheetId ?? Math.floor(Math.random() * 2_000_000_000);
        const requests: sheets_v4.Schema$Request[] = [];
        if (!tab) requests.push({ addSheet: { properties: { sheetId, title, gridProperties: { rowCount: Math.max(rows.length, 1), columnCount: Math.max(names.length, 1) } } } });
        if (appending) {
          requests.push({ appendCells: { sheetId, rows, fields: 'userEnteredValue' } });
        } else {
          if (tab) {
            const grid = tab.gridProperties ?? {};
            requests.push({ updateCells: { range: { sheetId }, fields: 'userEnteredValue' } });
            if ((grid.rowCount ?? 0) < rows.length || (grid.columnCount ?? 0) < names.length) {
              requests.push({ updateSheetProperties: {
                properties: { sheetId, gridProperties: { rowCount: Math.max(grid.rowCount ?? 0, rows.length), columnCount: Math.max(grid.columnCount ?? 0, names.length) } },
                fields: 'gridProperties(rowCount,columnCount)',
              } });
            }
          }
          requests.push({ updateCells: { start: { sheetId, rowIndex: 0, columnIndex: 0 }, rows, fields: 'userEnteredValue' } });
        }
        if (req.signal?.aborted) throw new PublishError(`google_sheets ${target}: publish cancelled; nothing was changed`);
        let settled = false;
        return {
          rows: total,
          target,
          held: false,
          async commit() {
            if (settled) return;
            settled = true;
            try {
              await api.spreadsheets.batchUpdate({ spreadsheetId, requestBody: { requests } });
            } catch (e) {
              throw sheetsError(target, cfg, e);
            }
            req.onProgress?.(total);
          },
          async abort() {
            if (settled) return false;
            settled = true;
            return true;
          },
        };
      });
    } catch (e) {
      throw sheetsError(target, cfg, e);
    }
  },
});
