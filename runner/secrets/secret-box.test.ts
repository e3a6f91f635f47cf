import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempHome } from '../../test/helpers/home.ts';
import { SecretBox, loadSecretBox, secretKeyFile } from './secret-box.ts';

describe('secret box', () => {
  it('seals so the plain text appears nowhere in the result, and opens it again', () => {
    const home = tempHome('secrets');
    const box = loadSecretBox(home, {});
    const sealed = box.seal('hunter2-password');
    expect(sealed).not.toContain('hunter2');
    expect(SecretBox.isSealed(sealed)).toBe(true);
    expect(box.open(sealed)).toBe('hunter2-password');
    expect(loadSecretBox(home, {}).open(sealed)).toBe('hunter2-password');
  });

  it('keeps the key file readable by the user only', () => {
    const home = tempHome('secrets');
    loadSecretBox(home, {});
    expect(fs.statSync(secretKeyFile(home)).mode & 0o777).toBe(0o600);
  });

  it('says what to do when the key changed', () => {
    const sealed = loadSecretBox(tempHome('a'), {}).seal('x');
    expect(() => loadSecretBox(tempHome('b'), {}).open(sealed)).toThrow(/enter the secret again/);
  });

  it('takes the key from AQUEDUCT_SECRET_KEY and refuses a malformed one', () => {
    const env = { AQUEDUCT_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') };
    const home = tempHome('env');
    expect(loadSecretBox(home, env).open(loadSecretBox(tempHome('env2'), env).seal('s'))).toBe('s');
    expect(fs.existsSync(path.join(home, 'secret.key'))).toBe(false);
    expect(() => loadSecretBox(home, { AQUEDUCT_SECRET_KEY: 'short' })).toThrow(/32 bytes/);
  });
});
