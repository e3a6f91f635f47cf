// The desktop's security decisions as plain functions (no Electron import), so they are
// tested under Node: which pages are the app, which may receive the runner's port (a
// port is the whole API: every workflow, every run, secrets in use), and where the key
// that seals secrets may be kept.
export const APP_SCHEME = 'aqueduct';
export const APP_ORIGIN = `${APP_SCHEME}://app`;

/** A URL of the app's own pages: the aqueduct://app origin, nothing that merely starts like it. */
export function isAppUrl(url: string): boolean {
  try {
    const u = new URL(url);
    return u.protocol === `${APP_SCHEME}:` && u.host === 'app' && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Only the app's own pages get a port to the runner; a page that navigated elsewhere gets none. */
export function mayReceivePort(url: string): boolean {
  return isAppUrl(url);
}

export interface KeyStorageFacts {
  platform: NodeJS.Platform;
  /** safeStorage.getSelectedStorageBackend() on Linux */
  backend?: string;
  encryptionAvailable: boolean;
  /** a key encrypted by safeStorage is already on disk */
  hasEncryptedKey: boolean;
}

export type KeyStorageDecision = { use: 'keychain' | 'key-file'; warning?: string };

/**
 * On Linux without a keyring (no GNOME keyring, no KWallet), safeStorage "encrypts" with a
 * fixed password (`basic_text`): no protection at all. Then no new key is made that way;
 * the runner keeps its own 0600 key file in the private app folder, as in headless mode.
 * A key already stored that way is still read (secrets sealed with it stay readable), with
 * a warning.
 */
export function keyStorageDecision(f: KeyStorageFacts): KeyStorageDecision {
  if (!f.encryptionAvailable) return { use: 'key-file' };
  if (f.platform !== 'linux' || f.backend !== 'basic_text') return { use: 'keychain' };
  if (f.hasEncryptedKey) {
    return { use: 'keychain', warning: 'the secret key is not protected by a keychain (safeStorage backend basic_text): install and unlock GNOME Keyring or KWallet' };
  }
  return { use: 'key-file', warning: 'there is no keychain on this desktop (safeStorage backend basic_text): secrets are sealed with a 0600 key file in the app folder instead' };
}
