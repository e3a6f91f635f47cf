// The Electron main process: thin on purpose. It owns the window, the tray, the menu,
// the OS keychain and the single-instance lock, and starts the runner in its own process;
// everything the app does is an API call to that runner.
import { app, dialog, type BrowserWindow } from 'electron';
import { RunnerProcess } from './runner-process.ts';
import { desktopSecretKey } from './secret-key.ts';
import { installWebContentsGuards, lockDownSessions, registerAppScheme, serveRenderer } from './security.ts';
import { handleFileDialogs } from './file-dialog.ts';
import { createShellApi } from './shell-api.ts';
import { installMenu } from './menu.ts';
import { showDesktopNotifications } from './notifications.ts';
import { createTray } from './tray.ts';
import { mainWindow, markQuitting, showMainWindow } from './window.ts';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  registerAppScheme();
  installWebContentsGuards();
  void app.whenReady().then(start);
}

function start(): void {
  lockDownSessions();
  serveRenderer();
  handleFileDialogs();

  let secretKey: string | null;
  try {
    secretKey = desktopSecretKey();
  } catch (e) {
    dialog.showErrorBox('Aqueduct cannot read its secret key', (e as Error).message);
    app.exit(1);
    return;
  }
  const runner = new RunnerProcess({
    secretKey,
    onFatal: (message) => dialog.showErrorBox('Aqueduct runner', message),
  });
  runner.start();
  const api = createShellApi(runner.shellBridge());
  const onCreated = (w: BrowserWindow) => runner.attachWindow(w.webContents);
  const show = () => void showMainWindow(onCreated);
  const quit = () => {
    markQuitting();
    app.quit();
  };

  installMenu(api, { show, reload: () => mainWindow()?.webContents.reload(), quit });
  createTray({ show, quit });
  showDesktopNotifications(api, show);
  show();

  app.on('second-instance', show);
  app.on('activate', show);
  // the tray keeps the runner (and its schedules) alive with no window open
  app.on('window-all-closed', () => {});

  let stopped = false;
  app.on('before-quit', (e) => {
    markQuitting();
    if (stopped) return;
    e.preventDefault();
    void runner.stop().finally(() => {
      stopped = true;
      app.quit();
    });
  });
}
