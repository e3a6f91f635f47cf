// Types of fuses.mjs (a plain module, since electron-builder loads hooks as JavaScript).
import type { FuseV1Config } from '@electron/fuses';

export interface PackContext {
  electronPlatformName: string;
  appOutDir: string;
  packager: { appInfo: { productFilename: string }; executableName: string };
}

export function fuseConfig(platform: string): FuseV1Config & { strictlyRequireAllFuses: true };
export function electronBinaryPath(context: PackContext): string;
export default function afterPack(context: PackContext): Promise<void>;
