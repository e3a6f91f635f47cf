// electron-builder afterPack hook: flips the Electron fuses of the packaged binary, so the
// shipped app cannot be turned into a general-purpose Node (ELECTRON_RUN_AS_NODE), be
// steered through NODE_OPTIONS or --inspect, or load app code from anywhere but its own
// integrity-checked asar archive. Runs before signing (electron-builder's order).
import path from 'node:path';
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';

/** @param {string} platform electron-builder's electronPlatformName */
export function fuseConfig(platform) {
  return {
    version: FuseVersion.V1,
    // a fuse added by a later Electron must be decided here, not left at its default
    strictlyRequireAllFuses: true,
    // flipping changes the binary: an ad-hoc macOS signature must be redone
    resetAdHocDarwinSignature: platform === 'darwin' || platform === 'mas',
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
    // the UI is served on aqueduct://, never file://
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
  };
}

/** The packed Electron binary (macOS: the .app bundle, which flipFuses accepts). */
export function electronBinaryPath(context) {
  const { electronPlatformName: platform, appOutDir, packager } = context;
  if (platform === 'darwin' || platform === 'mas') return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (platform === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return path.join(appOutDir, packager.executableName);
}

export default async function afterPack(context) {
  await flipFuses(electronBinaryPath(context), fuseConfig(context.electronPlatformName));
}
