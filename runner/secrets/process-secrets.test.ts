// The key and the token leave process.env at start and never reach a child's environment;
// and every place that starts a child process builds its environment with childEnv().
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { childEnv, heldSecretKey, heldToken, takeProcessSecrets } from './process-secrets.ts';

describe('process secrets', () => {
  it('moves the key and the token out of the environment, and keeps them from children', () => {
    const env: NodeJS.ProcessEnv = { AQUEDUCT_SECRET_KEY: 'a2V5', AQUEDUCT_TOKEN: 'tok', PATH: '/bin' };
    takeProcessSecrets(env);
    expect(env).toEqual({ PATH: '/bin' });
    expect([heldSecretKey(), heldToken()]).toEqual(['a2V5', 'tok']);
    process.env.AQUEDUCT_TOKEN = 'late';
    try {
      const child = childEnv({ EXTRA: '1', AQUEDUCT_SECRET_KEY: 'sneaked in' });
      expect(child.EXTRA).toBe('1');
      expect('AQUEDUCT_TOKEN' in child || 'AQUEDUCT_SECRET_KEY' in child).toBe(false);
    } finally {
      delete process.env.AQUEDUCT_TOKEN;
    }
  });

  it('is the environment of every child process the app starts', () => {
    const files = ['runner', 'main'].flatMap((dir) =>
      (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /\.(ts|mjs)$/.test(f) && !/\.test\.ts$/.test(f)).map((f) => path.join(dir, f)),
    );
    const calls: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      if (!/from 'node:child_process'|utilityProcess/.test(text)) continue;
      for (const m of text.matchAll(/(?<![.\w])(spawn|spawnSync|execFile|execFileSync|exec|execSync|fork)\(|utilityProcess\.fork\(/g)) {
        // the call up to its closing `);`
        const call = text.slice(m.index, text.indexOf(');', m.index));
        calls.push(`${file}: ${/childEnv\(/.test(call) ? 'childEnv' : call.split('\n')[0]}`);
      }
    }
    expect(calls.length).toBeGreaterThanOrEqual(6);
    expect(calls.filter((c) => !c.endsWith(': childEnv'))).toEqual([]);
  });
});
