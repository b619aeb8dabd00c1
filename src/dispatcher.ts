/**
 * Sends what the outbox holds, through the adapter that owns each row's channel. Simple by
 * design here: one row at a time, in priority then creation order, keeping each reporter's
 * messages in order; retries with backoff; permanent failures become dead letters.
 * (Platform rate limits and stronger crash guarantees come with the delivery issue.)
 */
import type { IdentityVault } from './crypto.ts';
import type { Store } from './store/index.ts';
import type { OutboxRecord } from './store/outbox.ts';
import { DeliveryError, type DeskAdapter, type DeskCaseView, type DeskEvent, type OutboundMessage, type ReporterAdapter } from './core/types.ts';
import type { Logger } from './log.ts';

export interface DispatcherOptions {
  store: Store;
  vault: IdentityVault;
  log: Logger;
  /** How often to look for rows written by other processes (the CLI). */
  pollMs?: number;
  batchSize?: number;
  clock?: () => Date;
  /** Backoff cap for retries. */
  maxBackoffMs?: number;
  /** Told of every delivery attempt's outcome (metrics). */
  onResult?: (channel: string, result: 'sent' | 'retry' | 'dead') => void;
  /** How a desk sees a case (for desk rows); provided by the casework service. */
  deskView?: (caseId: number) => DeskCaseView | undefined;
}

export class Dispatcher {
  readonly #adapters = new Map<string, ReporterAdapter>();
  readonly #opts: Required<Omit<DispatcherOptions, 'clock' | 'onResult' | 'deskView'>> &
    Pick<DispatcherOptions, 'onResult' | 'deskView'> & { clock: () => Date };
  readonly #desks = new Map<string, DeskAdapter>();
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;
  #again = false;
  #stopped = true;
  /** Set by stop(): a pass in flight finishes the row it is sending and goes no further. */
  #stopRequested = false;

  constructor(opts: DispatcherOptions) {
    this.#opts = { pollMs: 500, batchSize: 50, maxBackoffMs: 10 * 60_000, clock: () => new Date(), ...opts };
  }

  /** Registers the adapter that delivers a channel's messages. */
  register(adapter: ReporterAdapter): void {
    this.#adapters.set(adapter.channel, adapter);
  }

  /** Registers a caseworkers' desk (Slack) for the case events queued for it. */
  registerDesk(desk: DeskAdapter): void {
    this.#desks.set(desk.desk, desk);
  }

  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#stopRequested = false;
    const loop = () => {
      if (this.#stopped) return;
      this.wake();
      this.#timer = setTimeout(loop, this.#opts.pollMs);
      this.#timer.unref();
    };
    loop();
  }

  /** Sends due rows now (coalesces: one pass at a time, another right after if asked). */
  wake(): void {
    if (this.#stopped) return;
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#drain()
      .catch((err) => this.#opts.log.error('dispatcher pass failed', { error: (err as Error).message }))
      .finally(() => {
        this.#running = undefined;
        if (this.#again && !this.#stopped) {
          this.#again = false;
          this.wake();
        }
      });
  }

  /** Stops polling and waits for the pass in flight. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#stopRequested = true;
    if (this.#timer) clearTimeout(this.#timer);
    await this.#running;
  }

  /** One pass over due rows; exported for tests and the CLI's `outbox` later. */
  async runOnce(): Promise<number> {
    return this.#drain();
  }

  async #drain(): Promise<number> {
    const { store, batchSize, clock } = this.#opts;
    let sent = 0;
    const blocked = new Set<string>(); // order keys with an earlier row still failing: keep order
    for (;;) {
      const rows = store.outbox.due(clock().toISOString(), batchSize).filter((r) => !blocked.has(r.orderKey));
      if (rows.length === 0) return sent;
      let progressed = false;
      for (const row of rows) {
        if (this.#stopRequested) return sent;
        if (blocked.has(row.orderKey)) continue;
        const ok = await this.#deliver(row);
        if (ok) {
          sent++;
          progressed = true;
        } else blocked.add(row.orderKey);
      }
      if (!progressed) return sent;
    }
  }

  async #deliver(row: OutboxRecord): Promise<boolean> {
    if (row.destination === 'desk') return this.#deliverDesk(row);
    const { store, vault, log, clock } = this.#opts;
    const adapter = this.#adapters.get(row.channel);
    if (!adapter) {
      // The channel is not switched on in this process: keep the row for when it is.
      store.outbox.markRetry(row.id, `channel ${row.channel} is not running`, new Date(clock().getTime() + 60_000).toISOString());
      return false;
    }
    const identity = row.identityId ? store.reporters.getIdentity(row.identityId) : undefined;
    if (!identity) {
      store.outbox.markDead(row.id, 'reporter identity not found');
      return true;
    }
    let to;
    try {
      to = {
        channel: identity.channel,
        senderRef: vault.decrypt(identity.sender_enc),
        conversationRef: vault.decrypt(identity.conversation_enc),
      };
    } catch {
      // Only a wrong or replaced key gets here (start-up checks it): keep the row visible.
      store.outbox.markDead(row.id, 'cannot decrypt the reporter identity (wrong TIPLINE_SECRET?)');
      log.error('cannot decrypt a reporter identity', { outboxId: row.id });
      return true;
    }
    try {
      await adapter.send(to, row.payload as OutboundMessage, { idempotencyKey: `outbox:${row.id}` });
      const now = clock().toISOString();
      store.transaction(() => {
        store.outbox.markSent(row.id, now);
        if (row.caseMessageId && row.caseId) {
          const c = store.cases.get(row.caseId);
          if (c && c.identityId === row.identityId && c.reporterSeenId < row.caseMessageId) {
            store.cases.update(c.id, { reporterSeenId: row.caseMessageId }, now);
          }
        }
        if (identity.unreachable_at) store.reporters.markUnreachable(identity.id, null, null);
      });
      this.#opts.onResult?.(row.channel, 'sent');
      return true;
    } catch (err) {
      return this.#failed(row, err, identity.id);
    }
  }

  /** A desk row: (re)draw the case's message, or add a line to its thread. */
  async #deliverDesk(row: OutboxRecord): Promise<boolean> {
    const { store, clock } = this.#opts;
    const desk = this.#desks.get(row.channel);
    if (!desk || row.caseId === null) {
      store.outbox.markRetry(row.id, `desk ${row.channel} is not running`, new Date(clock().getTime() + 60_000).toISOString());
      return false;
    }
    const view = this.#opts.deskView?.(row.caseId);
    if (!view) {
      store.outbox.markDead(row.id, 'case not found');
      return true;
    }
    const event = row.payload as DeskEvent;
    try {
      const existing = store.cases.deskPost(row.caseId, row.channel);
      if (event.type === 'upsert') {
        const ref = await desk.upsertCase(view, existing);
        const now = clock().toISOString();
        store.transaction(() => {
          store.cases.saveDeskPost(row.caseId!, row.channel, ref, now);
          store.outbox.markSent(row.id, now);
        });
      } else {
        // The case's own message comes first (its upsert is earlier in the same order key).
        if (!existing) throw new DeliveryError('the case is not on the desk yet', false, 5_000);
        if (event.type === 'photo') {
          const photo = store.cases.attachmentData(event.attachmentId);
          if (!photo) throw new DeliveryError('photo not found', true);
          const ext = photo.mime.split('/')[1] ?? 'jpg';
          await desk.postPhoto(existing, view, { mime: photo.mime, data: photo.data, name: `${view.code}-photo-${event.attachmentId}.${ext}` });
        } else {
          await desk.postThread(existing, view, { author: event.author, actor: event.actor ?? null, text: event.text });
        }
        store.outbox.markSent(row.id, clock().toISOString());
      }
      this.#opts.onResult?.(row.channel, 'sent');
      return true;
    } catch (err) {
      return this.#failed(row, err, undefined);
    }
  }

  /** Records a failed attempt: dead with the reason, or retried with backoff (or as told). */
  #failed(row: OutboxRecord, err: unknown, identityId: number | undefined): boolean {
    const { store, log, clock } = this.#opts;
    const e = err instanceof DeliveryError ? err : new DeliveryError((err as Error).message ?? String(err), false);
    const reason = e.message.slice(0, 300);
    if (e.permanent) {
      store.transaction(() => {
        store.outbox.markDead(row.id, reason);
        if (e.unreachable && identityId !== undefined) store.reporters.markUnreachable(identityId, reason, clock().toISOString());
      });
      log.warn('delivery failed permanently', { channel: row.channel, outboxId: row.id, reason });
      this.#opts.onResult?.(row.channel, 'dead');
      return true;
    }
    const backoff = e.retryAfterMs ?? Math.min(this.#opts.maxBackoffMs, 1000 * 2 ** Math.min(row.attempts, 20));
    const jitter = e.retryAfterMs ? 0 : Math.random() * backoff * 0.2;
    store.outbox.markRetry(row.id, reason, new Date(clock().getTime() + backoff + jitter).toISOString());
    log.warn('delivery failed, will retry', { channel: row.channel, outboxId: row.id, attempt: row.attempts + 1, reason });
    this.#opts.onResult?.(row.channel, 'retry');
    return false;
  }

}
