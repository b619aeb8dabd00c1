/**
 * The operator's view of the outbox (`npx tipline outbox`): what is waiting, what was given up
 * and why, and the two remedies — send a dead message again, or drop one. Both are audited.
 */
import type { Store } from '../store/index.ts';
import type { OutboxRecord } from '../store/outbox.ts';
import type { DeskEvent, OutboundMessage } from './types.ts';
import { CaseworkError } from './casework.ts';

export interface OutboxItem {
  id: number;
  state: OutboxRecord['state'];
  /** `reporter` (a reply on their channel) or `desk` (Slack). */
  destination: OutboxRecord['destination'];
  channel: string;
  caseCode: string | null;
  priority: number;
  attempts: number;
  /** Sends cut short by a crash (each may have been delivered). */
  interrupted: number;
  lastError: string | null;
  createdAt: string;
  nextAttemptAt: string;
  deadAt: string | null;
  /** What it says (first words), or which desk event it is. */
  preview: string;
}

export class OutboxAdmin {
  readonly #store: Store;
  readonly #now: () => Date;
  constructor(store: Store, now: () => Date = () => new Date()) {
    this.#store = store;
    this.#now = now;
  }

  list(state: 'dead' | 'pending' | 'all' = 'dead', limit = 100): OutboxItem[] {
    return this.#store.outbox.list(state, limit).map((r) => this.#item(r));
  }

  /** Sends dead messages again: the ids given, or every dead one. Returns how many. */
  retry(ids: number[] | 'all-dead', actor: string): number {
    return this.#store.transaction(() => {
      const now = this.#now().toISOString();
      const targets = ids === 'all-dead' ? this.#store.outbox.list('dead', 1_000_000).map((r) => r.id) : ids;
      let n = 0;
      for (const id of targets) {
        const row = this.#need(id);
        if (row.state !== 'dead') throw new CaseworkError('INVALID_INPUT', `outbox #${id} is ${row.state}, not dead: nothing to retry`);
        if (this.#store.outbox.revive(id, now)) {
          n++;
          this.#store.cases.audit({ actor, action: 'outbox.retried', caseId: row.caseId, detail: { outboxId: id, lastError: row.lastError }, now });
        }
      }
      return n;
    });
  }

  /** Gives up on a message that was not sent (dead, or still waiting). */
  drop(id: number, actor: string): void {
    this.#store.transaction(() => {
      const row = this.#need(id);
      if (row.state === 'sent') throw new CaseworkError('INVALID_INPUT', `outbox #${id} was sent already`);
      if (!this.#store.outbox.drop(id)) throw new CaseworkError('INVALID_INPUT', `outbox #${id} is being sent right now; try again in a moment`);
      const now = this.#now().toISOString();
      this.#store.cases.audit({ actor, action: 'outbox.dropped', caseId: row.caseId, detail: { outboxId: id, state: row.state, lastError: row.lastError }, now });
    });
  }

  #need(id: number): OutboxRecord {
    const row = this.#store.outbox.get(id);
    if (!row) throw new CaseworkError('OUTBOX_NOT_FOUND', `no outbox message #${id}`);
    return row;
  }

  #item(r: OutboxRecord): OutboxItem {
    const code = r.caseId !== null ? (this.#store.cases.get(r.caseId)?.code ?? null) : null;
    const preview =
      r.destination === 'desk'
        ? `desk ${(r.payload as DeskEvent).type}`
        : ((r.payload as OutboundMessage).text ?? '').replace(/\s+/g, ' ').slice(0, 60);
    return {
      id: r.id,
      state: r.state,
      destination: r.destination,
      channel: r.channel,
      caseCode: code,
      priority: r.priority,
      attempts: r.attempts,
      interrupted: r.interrupted,
      lastError: r.lastError,
      createdAt: r.createdAt,
      nextAttemptAt: r.nextAttemptAt,
      deadAt: r.deadAt,
      preview,
    };
  }
}
