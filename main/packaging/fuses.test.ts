// The fuses flipped in every packaged Electron binary (electron-builder afterPack): no
// running as plain Node, no NODE_OPTIONS or --inspect, encrypted cookies, the app only
// from its asar archive with its integrity checked. Electron cannot run here, so the
// config object and the binary's path are checked as data.
import fs from 'node:fs';
import path from 'node:path';
import { FuseV1Options, FuseVersion } from '@electron/fuses';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../../test/helpers/home.ts';
import afterPack, { electronBinaryPath, fuseConfig } from './fuses.mjs';

describe('fuses', () => {
  it('turns every way of running our binary as something else off, and asar integrity on', () => {
    const c = fuseConfig('linux');
    expect(c.version).toBe(FuseVersion.V1);
    expect(c.strictlyRequireAllFuses).toBe(true);
    expect(c[FuseV1Options.RunAsNode]).toBe(false);
    expect(c[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(false);
    expect(c[FuseV1Options.EnableNodeCliInspectArguments]).toBe(false);
    expect(c[FuseV1Options.EnableCookieEncryption]).toBe(true);
    expect(c[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(true);
    expect(c[FuseV1Options.OnlyLoadAppFromAsar]).toBe(true);
    expect(c[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(false);
    // every fuse of the wire has a decided value
    const wire = Object.values(FuseV1Options).filter((v) => typeof v === 'number');
    expect(wire.every((k) => typeof c[k as FuseV1Options] === 'boolean')).toBe(true);
    expect(fuseConfig('darwin').resetAdHocDarwinSignature).toBe(true);
  });

  it('finds the binary electron-builder packed on each platform', () => {
    const ctx = (platform: string) => ({ electronPlatformName: platform, appOutDir: '/out', packager: { appInfo: { productFilename: 'Aqueduct' }, executableName: 'aqueduct' } });
    expect(electronBinaryPath(ctx('linux'))).toBe('/out/aqueduct');
    expect(electronBinaryPath(ctx('win32'))).toBe('/out/Aqueduct.exe');
    expect(electronBinaryPath(ctx('darwin'))).toBe('/out/Aqueduct.app');
    expect(electronBinaryPath(ctx('mas'))).toBe('/out/Aqueduct.app');
  });

  it('flips the fuse wire of a packed binary (a stand-in file with Electron\'s wire layout)', async () => {
    const appOutDir = tempHome('fuses');
    const binary = path.join(appOutDir, 'aqueduct');
    // Electron's defaults: RunAsNode, NODE_OPTIONS, --inspect and file:// privileges on; the rest off
    const wire = Buffer.concat([Buffer.from('ELF…'), Buffer.from('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'), Buffer.from([1, 8]), Buffer.from('10110001'), Buffer.from('…rest')]);
    fs.writeFileSync(binary, wire);
    await afterPack({ electronPlatformName: 'linux', appOutDir, packager: { appInfo: { productFilename: 'Aqueduct' }, executableName: 'aqueduct' } });
    const flipped = fs.readFileSync(binary);
    const at = flipped.indexOf('dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX') + 34;
    // RunAsNode off, cookie encryption on, NODE_OPTIONS off, --inspect off, asar integrity on, asar only on, snapshot off, file:// off
    expect(flipped.subarray(at, at + 8).toString()).toBe('01001100');
    expect(flipped.length).toBe(wire.length);
  });
});
