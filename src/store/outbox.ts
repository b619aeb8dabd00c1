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
  /** Set while a dispatcher holds the row (waiting its turn, or being sent). */
  inFlightSince: string | null;
  /** Set (committed) right before the platform is called: the send may have happened. */
  sendingSince: string | null;
  /** Sends of this row cut short by a crash or a kill (each may have reached the platform). */
  interrupted: number;
  deadAt: string | null;
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
  in_flight_since: string | null;
  sending_since: string | null;
  interrupted: number;
  dead_at: string | null;
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
    inFlightSince: r.in_flight_since,
    sendingSince: r.sending_since,
    interrupted: r.interrupted,
    deadAt: r.dead_at,
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

  /**
   * Adds an event for a caseworker desk (Slack), kept in order per case. The case's earlier
   * rows still waiting are raised to this one's priority: a case that became urgent is not
   * held behind its own bulk-priority rows at the back of a backlog.
   */
  enqueueDesk(m: {
    idempotencyKey: string;
    desk: string;
    caseId: number;
    payload: unknown;
    priority?: number;
    now: string;
    /** Not sent before this time (a digest waits for the end of a flood). */
    notBefore?: string;
    /** Rows sharing an order key go strictly in order; default: the case's desk rows. */
    orderKey?: string;
  }): boolean {
    if (m.priority) {
      this.#stmt(`UPDATE outbox SET priority = ? WHERE order_key = ? AND state = 'pending' AND priority < ?`).run(
        m.priority,
        `d:${m.desk}:${m.caseId}`,
        m.priority,
      );
    }
    const res = this.#stmt(
      `INSERT OR IGNORE INTO outbox (idempotency_key, destination, channel, identity_id, case_id, payload, priority,
         next_attempt_at, created_at, order_key)
       VALUES (?, 'desk', ?, NULL, ?, ?, ?, ?, ?, ?)`,
    ).run(
      m.idempotencyKey,
      m.desk,
      m.caseId,
      JSON.stringify(m.payload),
      m.priority ?? 0,
      m.notBefore ?? m.now,
      m.now,
      m.orderKey ?? `d:${m.desk}:${m.caseId}`,
    );
    return res.changes === 1;
  }

  /**
   * One channel's rows due at `now`, highest priority first, then oldest, not already being
   * sent. A reporter's (or a desk case's) earlier message that is being sent, or is about to be
   * retried (within `holdMs`), holds back the ones after it, so they are read in order; one in
   * a long backoff does not silence the conversation.
   */
  due(channel: string, now: string, limit: number, holdMs = 60_000): OutboxRecord[] {
    const holdUntil = new Date(Date.parse(now) + holdMs).toISOString();
    return this.#stmt<OutboxRow>(
      `SELECT * FROM outbox o INDEXED BY outbox_channel_queue
        WHERE o.channel = ? AND o.state = 'pending' AND o.in_flight_since IS NULL AND o.next_attempt_at <= ?
          AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.order_key = o.order_key AND e.state = 'pending' AND e.id < o.id
                          AND (e.next_attempt_at <= ? OR e.in_flight_since IS NOT NULL))
        ORDER BY o.priority DESC, o.id LIMIT ?`,
    )
      .all(channel, now, holdUntil, limit)
      .map(rowToOutbox);
  }

  /**
   * The first row in a channel's queue order, whatever its backoff: the probe of a platform that
   * was down, so that the backlog resumes exactly in order. A row that failed `maxAttempts`
   * times is passed over (it may be what the platform chokes on).
   */
  head(channel: string, maxAttempts = 5): OutboxRecord | undefined {
    const r = this.#stmt<OutboxRow>(
      `SELECT * FROM outbox o INDEXED BY outbox_channel_queue
        WHERE o.channel = ? AND o.state = 'pending' AND o.in_flight_since IS NULL AND o.attempts < ?
          AND NOT EXISTS (SELECT 1 FROM outbox e WHERE e.order_key = o.order_key AND e.state = 'pending' AND e.id < o.id)
        ORDER BY o.priority DESC, o.id LIMIT 1`,
    ).get(channel, maxAttempts);
    return r ? rowToOutbox(r) : undefined;
  }

  /**
   * The rows queued right behind `row` for the same reporter (case) that are due now, in order:
   * they can go one after another in the same task. Stops at the first that is not due, or is
   * already taken, so nothing overtakes anything.
   */
  followers(row: OutboxRecord, now: string, limit: number): OutboxRecord[] {
    const out: OutboxRecord[] = [];
    for (const r of this.#stmt<OutboxRow>(
      `SELECT * FROM outbox INDEXED BY outbox_order WHERE order_key = ? AND state = 'pending' AND id > ? ORDER BY id LIMIT ?`,
    ).all(row.orderKey, row.id, limit)) {
      if (r.in_flight_since !== null || r.next_attempt_at > now) break;
      out.push(rowToOutbox(r));
    }
    return out;
  }

  /** Hands rows taken but not tried back to the queue as they were. */
  release(ids: readonly number[]): void {
    const stmt = this.#stmt(`UPDATE outbox SET in_flight_since = NULL, sending_since = NULL WHERE id = ? AND state = 'pending'`);
    for (const id of ids) stmt.run(id);
  }

  /** When the channel's earliest waiting row (not taken) becomes due (ms), or undefined when none waits. */
  nextDue(channel: string): number | undefined {
    const r = this.#stmt<{ at: string }>(
      `SELECT next_attempt_at at FROM outbox INDEXED BY outbox_channel_next
        WHERE channel = ? AND state = 'pending' AND in_flight_since IS NULL ORDER BY next_attempt_at LIMIT 1`,
    ).get(channel);
    return r ? Date.parse(r.at) : undefined;
  }

  /** Marks rows as being sent, in one commit, before any of them reaches a platform. */
  claim(ids: readonly number[], now: string): Set<number> {
    const stmt = this.#stmt(`UPDATE outbox SET in_flight_since = ? WHERE id = ? AND state = 'pending' AND in_flight_since IS NULL`);
    const taken = new Set<number>();
    for (const id of ids) if (stmt.run(now, id).changes === 1) taken.add(id);
    return taken;
  }

  /** The earliest pending desk redraw of the case before `row`, if any (the case's message is still to come). */
  upsertPendingBefore(row: OutboxRecord, orderKey: string | null = row.orderKey): boolean {
    return !!this.#stmt(
      `SELECT 1 FROM outbox WHERE order_key = ? AND state = 'pending' AND id < ? AND json_extract(payload, '$.type') = 'upsert' LIMIT 1`,
    ).get(orderKey, row.id);
  }

  markSent(id: number, now: string, note: string | null = null): void {
    this.#stmt(
      `UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = ?, in_flight_since = NULL, sending_since = NULL WHERE id = ?`,
    ).run(now, note, id);
  }

  markRetry(id: number, error: string, nextAttemptAt: string): void {
    this.#stmt(
      `UPDATE outbox SET attempts = attempts + 1, last_error = ?, next_attempt_at = ?, in_flight_since = NULL, sending_since = NULL WHERE id = ?`,
    ).run(error, nextAttemptAt, id);
  }

  /** Puts a row back untried (a pause or a stop kept it from the platform): no attempt counted. */
  defer(id: number, nextAttemptAt: string): void {
    this.#stmt(`UPDATE outbox SET next_attempt_at = ?, in_flight_since = NULL, sending_since = NULL WHERE id = ?`).run(nextAttemptAt, id);
  }

  markDead(id: number, error: string, now: string = new Date().toISOString()): void {
    this.#stmt(
      `UPDATE outbox SET state = 'dead', attempts = attempts + 1, last_error = ?, dead_at = ?, in_flight_since = NULL, sending_since = NULL WHERE id = ?`,
    ).run(error, now, id);
  }

  /** The platform is about to be called for this row (committed on its own, before the call). */
  markSending(id: number, now: string): void {
    this.#stmt(`UPDATE outbox SET sending_since = ? WHERE id = ? AND state = 'pending'`).run(now, id);
  }

  /**
   * After a crash: a row whose send had started may or may not have reached the platform. Each
   * is sent once more; one already interrupted before is not risked a third time — it is dead,
   * with the reason, for an operator to look at (`npx tipline outbox`). Rows that were only
   * waiting their turn go back to the queue as they were.
   */
  recoverInterrupted(now: string): { retried: number; dead: number; released: number } {
    const dead = this.#stmt(
      `UPDATE outbox SET state = 'dead', dead_at = ?, in_flight_since = NULL, sending_since = NULL, interrupted = interrupted + 1,
         attempts = attempts + 1, last_error = 'interrupted twice while sending (it may have been delivered); not sent again'
       WHERE sending_since IS NOT NULL AND state = 'pending' AND interrupted >= 1`,
    ).run(now).changes;
    const retried = this.#stmt(
      `UPDATE outbox SET in_flight_since = NULL, sending_since = NULL, interrupted = interrupted + 1, attempts = attempts + 1,
         next_attempt_at = ?, last_error = 'interrupted while sending (it may have been delivered); sending once more'
       WHERE sending_since IS NOT NULL AND state = 'pending'`,
    ).run(now).changes;
    const released = this.#stmt(`UPDATE outbox SET in_flight_since = NULL WHERE in_flight_since IS NOT NULL AND state = 'pending'`).run()
      .changes;
    return { retried, dead, released };
  }

  /** A later update of the same case's desk message is waiting: this one can be skipped. */
  supersededUpsert(row: OutboxRecord): boolean {
    return !!this.#stmt(
      `SELECT 1 FROM outbox WHERE order_key = ? AND state = 'pending' AND id > ? AND json_extract(payload, '$.type') = 'upsert' LIMIT 1`,
    ).get(row.orderKey, row.id);
  }

  /** A channel is back after an outage: its rows waiting out a backoff are due now. */
  resume(channel: string, now: string): number {
    return this.#stmt(
      `UPDATE outbox SET next_attempt_at = ? WHERE channel = ? AND state = 'pending' AND in_flight_since IS NULL AND next_attempt_at > ?`,
    ).run(now, channel, now).changes;
  }

  /** Rows for the operator's `outbox` command: dead (default), pending, or both; newest first. */
  list(state: 'dead' | 'pending' | 'all', limit = 100): OutboxRecord[] {
    // Each state through its own partial index: sent rows (the great majority) are never read.
    const pending = `SELECT * FROM (SELECT * FROM outbox INDEXED BY outbox_channel_queue WHERE state = 'pending' ORDER BY id DESC LIMIT ?)`;
    const dead = `SELECT * FROM (SELECT * FROM outbox INDEXED BY outbox_dead WHERE state = 'dead' ORDER BY id DESC LIMIT ?)`;
    if (state !== 'all') return this.#stmt<OutboxRow>(state === 'pending' ? pending : dead).all(limit).map(rowToOutbox);
    return this.#stmt<OutboxRow>(`SELECT * FROM (${pending} UNION ALL ${dead}) ORDER BY id DESC LIMIT ?`).all(limit, limit, limit).map(rowToOutbox);
  }

  /** Sends a dead row again, from now, with a fresh crash allowance. */
  revive(id: number, now: string): boolean {
    return (
      this.#stmt(
        `UPDATE outbox SET state = 'pending', next_attempt_at = ?, dead_at = NULL, in_flight_since = NULL, sending_since = NULL, interrupted = 0, attempts = 0
         WHERE id = ? AND state = 'dead'`,
      ).run(now, id).changes === 1
    );
  }

  /** Removes a row that is not sent (dead or pending, not being sent now). */
  drop(id: number): boolean {
    return this.#stmt(`DELETE FROM outbox WHERE id = ? AND state != 'sent' AND in_flight_since IS NULL AND sending_since IS NULL`).run(id).changes === 1;
  }

  get(id: number): OutboxRecord | undefined {
    const r = this.#stmt<OutboxRow>('SELECT * FROM outbox WHERE id = ?').get(id);
    return r ? rowToOutbox(r) : undefined;
  }

  forCase(caseId: number): OutboxRecord[] {
    return this.#stmt<OutboxRow>('SELECT * FROM outbox WHERE case_id = ? ORDER BY id').all(caseId).map(rowToOutbox);
  }

  /** Backlog figures for `stats`, `doctor` and `/healthz` (index-only: cheap on a big outbox). */
  depth(): { pending: number; dead: number; oldestPendingAt: string | null; channels: Record<string, { pending: number; oldestPendingAt: string | null }> } {
    const channels: Record<string, { pending: number; oldestPendingAt: string | null }> = {};
    let pending = 0;
    let oldest: string | null = null;
    // min(id) is the oldest row and stays in the index; one lookup per channel gives its time.
    for (const r of this.#stmt<{ channel: string; n: number; oldest: string | null }>(
      `SELECT g.channel, g.n, (SELECT created_at FROM outbox WHERE id = g.first) oldest
         FROM (SELECT channel, count(*) n, min(id) first FROM outbox INDEXED BY outbox_channel_queue WHERE state = 'pending' GROUP BY channel) g`,
    ).all()) {
      channels[r.channel] = { pending: r.n, oldestPendingAt: r.oldest };
      pending += r.n;
      if (r.oldest && (!oldest || r.oldest < oldest)) oldest = r.oldest;
    }
    const dead = this.#stmt<{ n: number }>(`SELECT count(*) n FROM outbox WHERE state = 'dead'`).get()!.n;
    return { pending, dead, oldestPendingAt: oldest, channels };
  }
}
