/**
 * One server per database. Two tip lines on one SQLite file would each recover the other's
 * sends in flight as "interrupted" and send them again; the second is refused at start-up with
 * one line naming TIPLINE_DB. The lock is a file beside the database holding the server's pid;
 * one left by a crashed server (its pid is gone) is taken over. The CLI does not take it.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from './config.ts';

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock for `dbPath`; returns its release. Throws {@link ConfigError} when another server holds it. */
export function lockDatabase(dbPath: string): () => void {
  const file = `${dbPath}.server-lock`;
  // (A first start in a new folder: the folder is made here, as the store would.)
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx', mode: 0o600 });
      let released = false;
      return () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(file, 'utf8').trim() === String(process.pid)) rmSync(file, { force: true });
        } catch {
          /* already gone */
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      let holder = NaN;
      try {
        holder = Number(readFileSync(file, 'utf8').trim());
      } catch {
        /* removed meanwhile: try again */
      }
      if (alive(holder)) throw new ConfigError('TIPLINE_DB', `another tip line (pid ${holder}) is already running on ${dbPath}; stop it first, or set TIPLINE_DB`);
      // A crashed server's lock: take it over.
      rmSync(file, { force: true });
    }
  }
  throw new ConfigError('TIPLINE_DB', `cannot take the server lock ${file}`);
}
