// The one main window. Closing it hides it (the runner and its schedules keep going in
// the tray); quitting is explicit, from the tray or the menu.
import path from 'node:path';
import { app, BrowserWindow } from 'electron';
import { APP_ORIGIN } from './security-policy.ts';

let win: BrowserWindow | undefined;
let quitting = false;

export function markQuitting(): void {
  quitting = true;
}

export function createMainWindow(onCreated: (w: BrowserWindow) => void): BrowserWindow {
  win = new BrowserWindow({
    width: 1360,
    height: 860,
    minWidth: 900,
    minHeight: 600,
    show: false,
    title: 'Aqueduct',
    icon: path.join(app.getAppPath(), 'resources', 'icons', 'icon.png'),
    webPreferences: {
      preload: path.join(app.getAppPath(), 'main', 'dist', 'preload.cjs'),
      contextIsolation: true,
      nodeIntegration: false,
      sandbox: true,
      webSecurity: true,
      allowRunningInsecureContent: false,
      spellcheck: false,
    },
  });
  onCreated(win);
  win.once('ready-to-show', () => win?.show());
  win.on('close', (e) => {
    if (quitting) return;
    e.preventDefault();
    win?.hide();
  });
  win.on('closed', () => (win = undefined));
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}

/** Shows the window, making it again if it was destroyed. */
export function showMainWindow(onCreated: (w: BrowserWindow) => void): BrowserWindow {
  const w = win && !win.isDestroyed() ? win : createMainWindow(onCreated);
  if (w.isMinimized()) w.restore();
  w.show();
  w.focus();
  return w;
}

export function mainWindow(): BrowserWindow | undefined {
  return win && !win.isDestroyed() ? win : undefined;
}
