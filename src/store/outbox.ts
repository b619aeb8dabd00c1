/**
 * The outbox: every message the product must send is written here in the same transaction as
 * the change that caused it; the dispatcher sends from here only.
 */
import type { Db } from './db.ts';
import { statementCache } from './db.ts';

export type OutboxState = 'pending' | 'sent' | 'dead';

export interface OutboxRecord {
  id: number;
  idempotencyKey: string;
  destination: 'reporter' | 'desk';
  channel: string;
  identityId: number | null;
  caseId: number | null;
  caseMessageId: number | null;
  payload: unknown;
  priority: number;
  state: OutboxState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
  /** Rows with the same key go out in order (a reporter; a case on a desk). */
  orderKey: string;
}

interface OutboxRow {
  id: number;
  idempotency_key: string;
  destination: 'reporter' | 'desk';
  channel: string;
  identity_id: number | null;
  case_id: number | null;
  case_message_id: number | null;
  payload: string;
  priority: number;
  state: OutboxState;
  attempts: number;
  next_attempt_at: string;
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
  order_key: string | null;
}

function rowToOutbox(r: OutboxRow): OutboxRecord {
  return {
    id: r.id,
    idempotencyKey: r.idempotency_key,
    destination: r.destination,
    channel: r.channel,
    identityId: r.identity_id,
    caseId: r.case_id,
    caseMessageId: r.case_message_id,
    payload: JSON.parse(r.payload),
    priority: r.priority,
    state: r.state,
    attempts: r.attempts,
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    orderKey: r.order_key ?? `r:${r.identity_id}`,
  };
}

export class OutboxRepository {
  readonly #stmt: ReturnType<typeof statementCache>;
  constructor(db: Db) {
    this.#stmt = statementCache(db);
  }

  /** Adds a message; a repeated idempotency key is ignored (returns false). */
  enqueue(m: {
    idempotencyKey: string;
    channel: string;
    identityId: number;
    caseId?: number | null;
    caseMessageId?: number | null;
    payload: unknown;
    priority?: number;
    now: string;
  }): boolean {
    const res = this.#stmt(
      `INSERT OR IGNORE INTO outbox (idempotency_key, destination, channel, identity_id, case_id, case_message_id, payload,
         priority, next_attempt_at, created_at, order_key)
       VALUES (?, 'reporter', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      m.idempotencyKey,
      m.channel,
      m.identityId,
      m.caseId ?? null,
      m.caseMessageId ?? null,
      JSON.stringify(m.payload),
      m.priority ?? 0,
      m.now,
      m.now,
      `r:${m.identityId}`,
    );
    return res.changes === 1;
  }

  /** Adds an event for a caseworker desk (Slack), kept in order per case. */
  enqueueDesk(m: { idempotencyKey: string; desk: string; caseId: number; payload: unknown; priority?: number; now: string }): boolean {
    const res = this.#stmt(
      `INSERT OR IGNORE INTO outbox (idempotency_key, destination, channel, identity_id, case_id, payload, priority,
         next_attempt_at, created_at, order_key)
       VALUES (?, 'desk', ?, NULL, ?, ?, ?, ?, ?, ?)`,
    ).run(m.idempotencyKey, m.desk, m.caseId, JSON.stringify(m.payload), m.priority ?? 0, m.now, m.now, `d:${m.desk}:${m.caseId}`);
    return res.changes === 1;
  }

  /**
   * Pending rows due at `now`, highest priority first, then oldest. A reporter's (or a desk
   * case's) earlier
   * message that is about to be retried (within `holdMs`) holds back the ones after it, so
   * they are read in order; one in a long backoff does not silence the conversation.
   */
  due(now: string, limit: number, holdMs = 60_000): OutboxRecord[] {
    const holdUntil = new Date(Date.parse(now) + holdMs).toISOString();
    return this.#stmt<OutboxRow>(
      `SELECT * FROM outbox o WHERE o.state = 'pending' AND o.next_attempt_at <= ?
         AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.order_key = o.order_key AND e.state = 'pending'
                         AND e.id < o.id AND e.next_attempt_at <= ?)
       ORDER BY o.priority DESC, o.id LIMIT ?`,
    )
      .all(now, holdUntil, limit)
      .map(rowToOutbox);
  }

  markSent(id: number, now: string): void {
    this.#stmt(`UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL WHERE id = ?`).run(
      now,
      id,
    );
  }

  markRetry(id: number, error: string, nextAttemptAt: string): void {
    this.#stmt(`UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?`).run(
      error,
      nextAttemptAt,
      id,
    );
  }

  markDead(id: number, error: string): void {
    this.#stmt(`UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ? WHERE id = ?`).run(error, id);
  }

  get(id: number): OutboxRecord | undefined {
    const r = this.#stmt<OutboxRow>('SELECT * FROM outbox WHERE id = ?').get(id);
    return r ? rowToOutbox(r) : undefined;
  }

  forCase(caseId: number): OutboxRecord[] {
    return this.#stmt<OutboxRow>('SELECT * FROM outbox WHERE case_id = ? ORDER BY id').all(caseId).map(rowToOutbox);
  }

  /** Backlog figures for `stats`, `doctor` and `/healthz`. */
  depth(): { pending: number; dead: number; oldestPendingAt: string | null } {
    const r = this.#stmt<{ pending: number; dead: number; oldest: string | null }>(
      `SELECT sum(state = 'pending') pending, sum(state = 'dead') dead,
              min(CASE WHEN state = 'pending' THEN created_at END) oldest FROM outbox`,
    ).get()!;
    return { pending: r.pending ?? 0, dead: r.dead ?? 0, oldestPendingAt: r.oldest };
  }
}
