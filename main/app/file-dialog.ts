// The OS "open file" dialog for the window's file pickers (a source's data file): the
// renderer asks through the preload, the main process shows the dialog over the window
// that asked and answers with the chosen path, or null when cancelled.
import { BrowserWindow, dialog, ipcMain } from 'electron';
import type { PickFileOptions } from '../../runner/api/ipc-protocol.ts';

const DATA_FILES = [
  { name: 'Data files', extensions: ['csv', 'tsv', 'txt', 'parquet', 'pq', 'json', 'jsonl', 'ndjson', 'xlsx'] },
  { name: 'All files', extensions: ['*'] },
];

export function handleFileDialogs(): void {
  ipcMain.handle('aqueduct:pick-file', async (event, raw: PickFileOptions | undefined) => {
    const win = BrowserWindow.fromWebContents(event.sender);
    const options = {
      title: typeof raw?.title === 'string' && raw.title ? raw.title : 'Choose a data file',
      defaultPath: typeof raw?.defaultPath === 'string' ? raw.defaultPath : undefined,
      filters: Array.isArray(raw?.filters) ? raw.filters : DATA_FILES,
      properties: ['openFile' as const],
    };
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
}
