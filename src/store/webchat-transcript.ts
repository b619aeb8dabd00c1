/** What the web chat shows a reporter: both directions, kept so a reload or a return shows it all. */
import type { Db } from './db.ts';
import { statementCache } from './db.ts';

export class WebchatTranscriptRepository {
  readonly #stmt: ReturnType<typeof statementCache>;
  constructor(db: Db) {
    this.#stmt = statementCache(db);
  }

  /** Appends an entry; returns its sequence number, or undefined when `dedupeKey` was seen. */
  append(sessionHash: Buffer, dedupeKey: string, entry: unknown, now: string): number | undefined {
    const res = this.#stmt(
      'INSERT OR IGNORE INTO webchat_transcript (session_hash, dedupe_key, entry, created_at) VALUES (?, ?, ?, ?)',
    ).run(sessionHash, dedupeKey, JSON.stringify(entry), now);
    return res.changes === 1 ? Number(res.lastInsertRowid) : undefined;
  }

  has(sessionHash: Buffer, dedupeKey: string): boolean {
    return (
      this.#stmt('SELECT 1 FROM webchat_transcript WHERE session_hash = ? AND dedupe_key = ?').get(sessionHash, dedupeKey) !==
      undefined
    );
  }

  /** The newest `limit` entries, newest first. */
  recent(sessionHash: Buffer, limit: number): { seq: number; entry: unknown }[] {
    return this.#stmt<{ seq: number; entry: string }>(
      'SELECT seq, entry FROM webchat_transcript WHERE session_hash = ? ORDER BY seq DESC LIMIT ?',
    )
      .all(sessionHash, limit)
      .map((r) => ({ seq: r.seq, entry: JSON.parse(r.entry) }));
  }

  /** Entries after `afterSeq`, oldest first. */
  after(sessionHash: Buffer, afterSeq: number, limit = 500): { seq: number; entry: unknown }[] {
    return this.#stmt<{ seq: number; entry: string }>(
      'SELECT seq, entry FROM webchat_transcript WHERE session_hash = ? AND seq > ? ORDER BY seq LIMIT ?',
    )
      .all(sessionHash, afterSeq, limit)
      .map((r) => ({ seq: r.seq, entry: JSON.parse(r.entry) }));
  }
}

/** Something that seals and opens text (the identity vault). */
export interface Sealer {
  encrypt(plain: string): Buffer;
  decrypt(blob: Buffer): string;
}

/**
 * The transcript with every entry sealed at rest (AES-GCM): it holds what a reporter typed,
 * contact details included, and only that reporter's session is shown it.
 */
export function sealedTranscript(repo: WebchatTranscriptRepository, sealer: Sealer) {
  const open = (rows: { seq: number; entry: unknown }[]) =>
    rows.map(({ seq, entry }) => ({ seq, entry: JSON.parse(sealer.decrypt(Buffer.from(String(entry), 'base64'))) as unknown }));
  return {
    append: (key: Buffer, dedupeKey: string, entry: unknown, now: string) =>
      repo.append(key, dedupeKey, sealer.encrypt(JSON.stringify(entry)).toString('base64'), now),
    after: (key: Buffer, afterSeq: number, limit?: number) => open(repo.after(key, afterSeq, limit)),
    recent: (key: Buffer, limit: number) => open(repo.recent(key, limit)),
  };
}
