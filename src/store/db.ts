/**
 * Opens the SQLite store: pragmas, migrations, and the statement cache every repository uses.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS, type Migration } from './migrations/index.ts';

export type Db = Database.Database;

/** A store problem with a stable code (`STORE_OPEN_FAILED`, `STORE_TOO_NEW`, `STORE_MIGRATION_FAILED`). */
export class StoreError extends Error {
  constructor(
    readonly code: 'STORE_OPEN_FAILED' | 'STORE_TOO_NEW' | 'STORE_MIGRATION_FAILED' | 'STORE_NOT_FOUND',
    message: string,
  ) {
    super(message);
    this.name = 'StoreError';
  }
}

export interface OpenOptions {
  /** Apply pending migrations (the server does; read-only tools may not). Default true. */
  migrate?: boolean;
  /** Open read-only; the file must exist. */
  readonly?: boolean;
  migrations?: readonly Migration[];
}

/** Opens (creating if needed) the database at `file`, in WAL mode, migrated to the latest version. */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const { migrate = true, readonly = false, migrations = MIGRATIONS } = options;
  if (file !== ':memory:' && !readonly) {
    // The queue holds what reporters wrote: only the tip line's own user may read it. SQLite
    // gives the -wal and -shm files the database file's permissions.
    mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
    if (!existsSync(file)) writeFileSync(file, '', { mode: 0o600, flag: 'a' });
  }
  let db: Db;
  try {
    db = new Database(file, { readonly, fileMustExist: readonly });
  } catch (err) {
    throw new StoreError('STORE_OPEN_FAILED', `cannot open ${file}: ${(err as Error).message}`);
  }
  try {
    // WAL lets the CLI read and write while the server runs; FULL sync because a tip the
    // reporter was told is saved must survive a power cut, not only a process crash.
    if (!readonly) db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    if (migrate && !readonly) migrateDatabase(db, migrations);
    else checkVersion(db, migrations);
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreError('STORE_OPEN_FAILED', `${file} is not a usable SQLite database: ${(err as Error).message}`);
  }
  return db;
}

function latest(migrations: readonly Migration[]): number {
  return migrations.reduce((max, m) => Math.max(max, m.version), 0);
}

function checkVersion(db: Db, migrations: readonly Migration[]): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest(migrations)) {
    throw new StoreError(
      'STORE_TOO_NEW',
      `database schema version ${current} is newer than this program knows (${latest(migrations)}): upgrade the program`,
    );
  }
}

/** Applies every migration above `user_version`, each in its own transaction. Returns versions applied. */
export function migrateDatabase(db: Db, migrations: readonly Migration[] = MIGRATIONS): number[] {
  checkVersion(db, migrations);
  const applied: number[] = [];
  const sorted = [...migrations].sort((a, b) => a.version - b.version);
  for (const m of sorted) {
    const run = db.transaction(() => {
      // Re-read inside the write transaction: two processes starting at once must not both apply.
      const current = db.pragma('user_version', { simple: true }) as number;
      if (m.version <= current) return false;
      if (m.version !== current + 1) {
        throw new StoreError('STORE_MIGRATION_FAILED', `migration ${m.version} found but database is at ${current}`);
      }
      m.up(db);
      db.pragma(`user_version = ${m.version}`);
      return true;
    });
    try {
      if (run.immediate()) applied.push(m.version);
    } catch (err) {
      if (err instanceof StoreError) throw err;
      throw new StoreError('STORE_MIGRATION_FAILED', `migration ${m.version} (${m.name}) failed: ${(err as Error).message}`);
    }
  }
  return applied;
}

/**
 * Prepares each SQL text once per connection. Repositories call `stmt(sql)` freely.
 */
export function statementCache(db: Db): <R = unknown>(sql: string) => Database.Statement<unknown[], R> {
  const cache = new Map<string, Database.Statement>();
  return <R>(sql: string) => {
    let s = cache.get(sql);
    if (!s) {
      s = db.prepare(sql);
      cache.set(sql, s);
    }
    return s as unknown as Database.Statement<unknown[], R>;
  };
}
