/**
 * Reporters (pseudonyms), their platform identities (encrypted, kept apart) and their
 * persisted conversation state.
 */
import { randomBytes } from 'node:crypto';
import type { Db } from './db.ts';
import { statementCache } from './db.ts';

export interface ReporterRow {
  id: number;
  pseudonym: string;
  locale: string | null;
  locale_source: 'choice' | 'hint' | 'text' | 'default' | null;
  quiet: number;
  created_at: string;
}

export interface IdentityRow {
  id: number;
  reporter_id: number;
  channel: string;
  lookup_hash: Buffer;
  sender_enc: Buffer;
  conversation_enc: Buffer;
  unreachable_at: string | null;
  unreachable_reason: string | null;
  created_at: string;
}

/** A reporter as the product sees one: never the platform identity. */
export interface Reporter {
  id: number;
  pseudonym: string;
  locale?: string;
  localeSource?: 'choice' | 'hint' | 'text' | 'default';
  quiet: boolean;
}

export function rowToReporter(r: ReporterRow): Reporter {
  const rep: Reporter = { id: r.id, pseudonym: r.pseudonym, quiet: r.quiet === 1 };
  if (r.locale) rep.locale = r.locale;
  if (r.locale_source) rep.localeSource = r.locale_source;
  return rep;
}

/** Shown to caseworkers as "Reporter 4F2A". */
export function displayPseudonym(pseudonym: string): string {
  return `Reporter ${pseudonym}`;
}

export class ReporterRepository {
  readonly #stmt: ReturnType<typeof statementCache>;
  constructor(db: Db) {
    this.#stmt = statementCache(db);
  }

  findIdentityByHash(hash: Buffer): IdentityRow | undefined {
    return this.#stmt<IdentityRow>('SELECT * FROM reporter_identities WHERE lookup_hash = ?').get(hash);
  }

  /** What the core needs of an identity for each message (no sender blob, no hash copied back). */
  identityForMessage(hash: Buffer): Pick<IdentityRow, 'id' | 'reporter_id' | 'conversation_enc'> | undefined {
    return this.#stmt<Pick<IdentityRow, 'id' | 'reporter_id' | 'conversation_enc'>>(
      'SELECT id, reporter_id, conversation_enc FROM reporter_identities WHERE lookup_hash = ?',
    ).get(hash);
  }

  /** The newest identity, to check that the key opens what is stored. */
  anyIdentity(): IdentityRow | undefined {
    return this.#stmt<IdentityRow>('SELECT * FROM reporter_identities ORDER BY id DESC LIMIT 1').get();
  }

  getIdentity(id: number): IdentityRow | undefined {
    return this.#stmt<IdentityRow>('SELECT * FROM reporter_identities WHERE id = ?').get(id);
  }

  /** The channel an identity writes from (without reading its encrypted columns). */
  channelOf(identityId: number): string | undefined {
    return this.#stmt<{ channel: string }>('SELECT channel FROM reporter_identities WHERE id = ?').get(identityId)?.channel;
  }

  getReporter(id: number): Reporter | undefined {
    const row = this.#stmt<ReporterRow>('SELECT * FROM reporters WHERE id = ?').get(id);
    return row ? rowToReporter(row) : undefined;
  }

  /** Creates a reporter with a fresh random pseudonym (4 hex digits; longer if crowded). */
  createReporter(now: string): Reporter {
    for (let attempt = 0; attempt < 40; attempt++) {
      const len = attempt < 20 ? 2 : attempt < 30 ? 3 : 4;
      const pseudonym = randomBytes(len).toString('hex').toUpperCase();
      const res = this.#stmt('INSERT OR IGNORE INTO reporters (pseudonym, created_at) VALUES (?, ?)').run(pseudonym, now);
      if (res.changes === 1) return { id: Number(res.lastInsertRowid), pseudonym, quiet: false };
    }
    throw new Error('could not allocate a unique pseudonym');
  }

  createIdentity(input: {
    reporterId: number;
    channel: string;
    lookupHash: Buffer;
    senderEnc: Buffer;
    conversationEnc: Buffer;
    now: string;
  }): IdentityRow {
    const res = this.#stmt(
      `INSERT INTO reporter_identities (reporter_id, channel, lookup_hash, sender_enc, conversation_enc, created_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(input.reporterId, input.channel, input.lookupHash, input.senderEnc, input.conversationEnc, input.now);
    // The row as written (no need to read it back).
    return {
      id: Number(res.lastInsertRowid),
      reporter_id: input.reporterId,
      channel: input.channel,
      lookup_hash: input.lookupHash,
      sender_enc: input.senderEnc,
      conversation_enc: input.conversationEnc,
      unreachable_at: null,
      unreachable_reason: null,
      created_at: input.now,
    };
  }

  updateConversationRef(identityId: number, conversationEnc: Buffer): void {
    this.#stmt('UPDATE reporter_identities SET conversation_enc = ? WHERE id = ?').run(conversationEnc, identityId);
  }

  markUnreachable(identityId: number, reason: string | null, now: string | null): void {
    this.#stmt('UPDATE reporter_identities SET unreachable_at = ?, unreachable_reason = ? WHERE id = ?').run(
      now,
      reason,
      identityId,
    );
  }

  setLocale(reporterId: number, locale: string, source: NonNullable<Reporter['localeSource']>): void {
    this.#stmt('UPDATE reporters SET locale = ?, locale_source = ? WHERE id = ?').run(locale, source, reporterId);
  }

  setQuiet(reporterId: number, quiet: boolean): void {
    this.#stmt('UPDATE reporters SET quiet = ? WHERE id = ?').run(quiet ? 1 : 0, reporterId);
  }

  loadConversation(identityId: number): string | undefined {
    return this.#stmt<{ state: string }>('SELECT state FROM conversations WHERE identity_id = ?').get(identityId)?.state;
  }

  /** Conversations with an unfinished draft, untouched since before `cutoff`. */
  idleDrafts(cutoff: string, limit: number): { identityId: number; reporterId: number }[] {
    return this.#stmt<{ identity_id: number; reporter_id: number }>(
      `SELECT identity_id, reporter_id FROM conversations
       WHERE updated_at < ? AND json_extract(state, '$.draft') IS NOT NULL ORDER BY updated_at LIMIT ?`,
    )
      .all(cutoff, limit)
      .map((r) => ({ identityId: r.identity_id, reporterId: r.reporter_id }));
  }

  saveConversation(identityId: number, reporterId: number, state: string, now: string): void {
    this.#stmt(
      `INSERT INTO conversations (identity_id, reporter_id, state, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (identity_id) DO UPDATE SET state = excluded.state, updated_at = excluded.updated_at`,
    ).run(identityId, reporterId, state, now);
  }
}
