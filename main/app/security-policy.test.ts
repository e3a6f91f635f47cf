// The desktop's security decisions that need no Electron: which pages may receive the
// runner's port (and so the whole API), which URLs count as the app, and how the secret
// key is stored on a machine whose keychain is only a plain-text stand-in.
import { describe, expect, it } from 'vitest';
import { isAppUrl, keyStorageDecision, mayReceivePort } from './security-policy.ts';

describe('who may get the runner port', () => {
  it('only a page of the app itself', () => {
    expect(mayReceivePort('aqueduct://app/index.html')).toBe(true);
    expect(mayReceivePort('aqueduct://app/workflows/abc?x=1#y')).toBe(true);
    for (const url of [
      'https://example.com/', 'http://127.0.0.1:4173/', 'file:///etc/passwd', 'aqueduct://app.evil.com/index.html',
      'aqueduct://evil/index.html', 'aqueduct://user@app/index.html', 'devtools://devtools/bundled/inspector.html',
      'about:blank', 'data:text/html,<script>1</script>', '', 'not a url',
    ]) {
      expect(mayReceivePort(url), url).toBe(false);
    }
  });

  it('navigation stays on app URLs', () => {
    expect(isAppUrl('aqueduct://app/')).toBe(true);
    expect(isAppUrl('aqueduct://appx/')).toBe(false);
    expect(isAppUrl('https://aqueduct.app/')).toBe(false);
  });
});

describe('where the secret key is kept', () => {
  it('uses the OS keychain where there is a real one', () => {
    expect(keyStorageDecision({ platform: 'darwin', encryptionAvailable: true, hasEncryptedKey: false })).toEqual({ use: 'keychain' });
    expect(keyStorageDecision({ platform: 'linux', backend: 'gnome_libsecret', encryptionAvailable: true, hasEncryptedKey: false })).toEqual({ use: 'keychain' });
  });

  it("never makes a new key behind Linux's plain-text stand-in, and warns about an old one", () => {
    const fresh = keyStorageDecision({ platform: 'linux', backend: 'basic_text', encryptionAvailable: true, hasEncryptedKey: false });
    expect(fresh.use).toBe('key-file');
    expect(fresh.warning).toMatch(/no keychain .*basic_text.*0600 key file/);
    const old = keyStorageDecision({ platform: 'linux', backend: 'basic_text', encryptionAvailable: true, hasEncryptedKey: true });
    expect(old.use).toBe('keychain');
    expect(old.warning).toMatch(/not protected by a keychain/);
    expect(keyStorageDecision({ platform: 'linux', backend: 'unknown', encryptionAvailable: false, hasEncryptedKey: false }).use).toBe('key-file');
  });
});
