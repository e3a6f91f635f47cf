// The tray icon: while it is there the runner (and so every schedule) keeps running with
// no window open. Quit lives here and in the app menu.
import path from 'node:path';
import { app, Menu, nativeImage, Tray } from 'electron';

let tray: Tray | undefined;

export function createTray(actions: { show(): void; quit(): void }): Tray {
  const dir = path.join(app.getAppPath(), 'resources', 'icons');
  const file = process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png';
  const image = nativeImage.createFromPath(path.join(dir, file));
  if (process.platform === 'darwin') image.setTemplateImage(true);
  tray = new Tray(image);
  tray.setToolTip('Aqueduct: schedules keep running while this icon is here');
  tray.setContextMenu(
    Menu.buildFromTemplate([
      { label: 'Open Aqueduct', click: actions.show },
      { type: 'separator' },
      { label: 'Quit Aqueduct (stops schedules)', click: actions.quit },
    ]),
  );
  tray.on('click', actions.show);
  return tray;
}
