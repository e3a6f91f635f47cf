// Opens the metadata database the way every process must: WAL so readers never block
// the writer, a busy timeout so concurrent writers wait instead of failing with
// "database is locked", and migrations applied under an immediate transaction so two
// processes starting at once cannot both migrate. The file (and so its WAL and SHM, which
// SQLite creates with the database's mode) is the user's alone: 0600 in a 0700 folder.
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { MIGRATIONS } from './migrations/index.ts';
import { ensurePrivateDir, makePrivate, PRIVATE_FILE } from './private-files.ts';

export type Db = Database.Database;

/** How long a writer waits for another process's write transaction before giving up. */
export const BUSY_TIMEOUT_MS = 30_000;

export function openDatabase(file: string): Db {
  if (file !== ':memory:') {
    ensurePrivateDir(path.dirname(file));
    fs.closeSync(fs.openSync(file, 'a', PRIVATE_FILE));
    // older versions left them world-readable
    for (const f of [file, `${file}-wal`, `${file}-shm`]) makePrivate(f);
  }
  // the native driver loads with the first database opened, not with every module that names one
  const Sqlite = createRequire(import.meta.url)('better-sqlite3') as typeof Database;
  const db = new Sqlite(file, { timeout: BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db): void {
  const latest = MIGRATIONS[MIGRATIONS.length - 1]?.version ?? 0;
  if (schemaVersion(db) >= latest) return;
  const apply = db.transaction(() => {
    const current = schemaVersion(db);
    for (const m of MIGRATIONS) {
      if (m.version <= current) continue;
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    }
  });
  apply.immediate();
}
