// The native application menu: standard edit/view/window roles, plus opening a workflow
// folder and creating the example, both done through the API like everything else.
import { app, dialog, Menu, shell, type MenuItemConstructorOptions } from 'electron';
import type { ShellApi } from './shell-api.ts';

export function installMenu(api: ShellApi, actions: { show(): void; reload(): void; quit(): void }): void {
  const openFolder = async () => {
    const r = await dialog.showOpenDialog({ title: 'Open a workflow folder', properties: ['openDirectory'] });
    const folder = r.filePaths[0];
    if (r.canceled || !folder) return;
    try {
      await api.workflows.open.mutate({ folder });
      actions.reload();
    } catch (e) {
      dialog.showErrorBox('Could not open the workflow', (e as Error).message);
    }
  };
  const newExample = async () => {
    try {
      await api.workflows.createFromExample.mutate({ example: 'customer-churn' });
      actions.reload();
    } catch (e) {
      dialog.showErrorBox('Could not create the example', (e as Error).message);
    }
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Workflow Folder…', accelerator: 'CmdOrCtrl+O', click: () => void openFolder() },
        { label: 'New Workflow from Example', click: () => void newExample() },
        { type: 'separator' },
        { label: 'Show Window', click: actions.show },
        { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: actions.quit },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'View',
      submenu: [
        { role: 'reload' },
        ...(app.isPackaged ? [] : [{ role: 'toggleDevTools' as const }]),
        { type: 'separator' },
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Aqueduct on GitHub', click: () => void shell.openExternal('https://github.com/aqueducthq/aqueduct') }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}
