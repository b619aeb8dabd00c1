/**
 * The store: one SQLite connection and the repositories over it. `transaction(fn)` runs a
 * synchronous function atomically (no `await` inside — better-sqlite3 transactions are sync).
 */
import { openDatabase, statementCache, type Db, type OpenOptions } from './db.ts';
import { ReporterRepository } from './reporters.ts';
import { CaseRepository } from './cases.ts';
import { OutboxRepository } from './outbox.ts';
import { CatalogueRepository } from './catalogue.ts';
import { WebchatTranscriptRepository } from './webchat-transcript.ts';
import { TriageLinkRepository } from './triage-links.ts';

export { StoreError, openDatabase, migrateDatabase, type Db } from './db.ts';
export type { CaseRecord, CaseMessageRecord, AttachmentRecord, AuditRecord } from './cases.ts';
export type { OutboxRecord } from './outbox.ts';
export type { Reporter, IdentityRow } from './reporters.ts';
export type { CatalogueChild, CataloguePhoto } from './catalogue.ts';
export type { FloodState, ChildCaseLink } from './triage-links.ts';
export { displayPseudonym } from './reporters.ts';

export class Store {
  readonly reporters: ReporterRepository;
  readonly cases: CaseRepository;
  readonly outbox: OutboxRepository;
  readonly catalogue: CatalogueRepository;
  readonly webchat: WebchatTranscriptRepository;
  readonly links: TriageLinkRepository;
  readonly #stmt: ReturnType<typeof statementCache>;
  /** One transaction wrapper for every call (better-sqlite3 builds four functions per `transaction()`). */
  readonly #immediate: (fn: () => unknown) => unknown;

  constructor(readonly db: Db) {
    this.reporters = new ReporterRepository(db);
    this.cases = new CaseRepository(db);
    this.outbox = new OutboxRepository(db);
    this.catalogue = new CatalogueRepository(db);
    this.webchat = new WebchatTranscriptRepository(db);
    this.links = new TriageLinkRepository(db);
    this.#stmt = statementCache(db);
    this.#immediate = db.transaction((fn: () => unknown) => fn()).immediate;
  }

  /** Opens the database file (migrating it) and wraps it. */
  static open(file: string, options?: OpenOptions): Store {
    return new Store(openDatabase(file, options));
  }

  /** Runs `fn` in one IMMEDIATE transaction (takes the write lock up front: no upgrade deadlocks). */
  transaction<T>(fn: () => T): T {
    return this.#immediate(fn) as T;
  }

  /** Records an inbound key; false when it was already processed (a redelivery). */
  markInboundProcessed(key: string, now: string): boolean {
    return this.#stmt('INSERT OR IGNORE INTO processed_inbound (key, processed_at) VALUES (?, ?)').run(key, now).changes === 1;
  }

  /** True when an inbound key was already processed. */
  inboundSeen(key: string): boolean {
    return this.#stmt('SELECT 1 FROM processed_inbound WHERE key = ?').get(key) !== undefined;
  }

  /** True when the database answers a trivial query (for `/healthz`). */
  healthy(): boolean {
    try {
      return this.#stmt<{ ok: number }>('SELECT 1 AS ok').get()?.ok === 1;
    } catch {
      return false;
    }
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
