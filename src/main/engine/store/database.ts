/**
 * Opens the SQLite file the way better-sqlite3's docs advise: WAL, prepared
 * statements, versioned migrations in one transaction each.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { EngineError } from '../errors';
import { MIGRATIONS } from './migrations';

export type Db = Database.Database;

export interface OpenOptions {
  /**
   * Path of a better_sqlite3.node built for the running runtime. The desktop
   * shell passes an Electron build here; Node uses the package's own build.
   */
  nativeBinding?: string;
  /**
   * FULL syncs every commit: an acknowledged delivery survives a power cut,
   * not only a crash. NORMAL survives a crash of the process.
   */
  synchronous?: 'FULL' | 'NORMAL';
  busyTimeoutMs?: number;
}

export function openDatabase(file: string, options: OpenOptions = {}): Db {
  mkdirSync(dirname(file), { recursive: true });
  let db: Db;
  try {
    db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});
  } catch (error) {
    throw new EngineError('storage_failed', `cannot open the database at ${file}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  try {
    db.pragma('journal_mode = WAL');
    db.pragma(`synchronous = ${options.synchronous ?? 'FULL'}`);
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 5000))}`);
    db.pragma('foreign_keys = ON');
    migrate(db);
  } catch (error) {
    db.close();
    if (error instanceof EngineError) throw error;
    throw new EngineError('storage_failed', `the database at ${file} is unusable: ${(error as Error).message}`, {
      cause: error,
    });
  }
  return db;
}

/** Applies every migration newer than `PRAGMA user_version`, each in its own transaction. */
export function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new EngineError(
      'storage_failed',
      `the database is from a newer Hookbench (schema ${current}, this one knows ${MIGRATIONS.length})`,
    );
  }
  for (let version = current; version < MIGRATIONS.length; version++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[version]!);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
