// Prepared statements, prepared once per connection: the scheduler runs the same few
// queries on every tick, and preparing them again each time was a third of its CPU.
import type Database from 'better-sqlite3';
import type { Db } from '../store/db.ts';

const caches = new WeakMap<Db, Map<string, Database.Statement>>();

export function sql(db: Db, text: string): Database.Statement {
  let cache = caches.get(db);
  if (!cache) caches.set(db, (cache = new Map()));
  let stmt = cache.get(text);
  if (!stmt) cache.set(text, (stmt = db.prepare(text)));
  return stmt;
}
