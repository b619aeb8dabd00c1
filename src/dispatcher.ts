/**
 * Sends what the outbox holds, through the adapter (reporter channel) or desk (Slack) that owns
 * each row's channel. Nothing is sent from anywhere else.
 *
 * - Channels are independent: each has its own cap on sends in flight, its own pause, so a slow
 *   or broken Slack never holds up a reporter's reply, and a Telegram 429 never stops the web chat.
 * - Within a channel rows go highest priority first (urgent cases, caseworkers' replies,
 *   reporters' replies, bulk desk updates), then oldest; one reporter's (one case's) rows go
 *   strictly one after another, in order. The adapters' limiters pace the platform calls.
 * - A row is marked in flight (committed) before the platform is called, so after a crash the
 *   sends that may have happened are known: each is sent once more, never a third time.
 * - Failures: permanent ones become dead letters with the reason; a 429 waits exactly as long
 *   as the platform said, and the channel waits with it; network errors and 5xx back off
 *   exponentially with jitter, and a run of them pauses the channel (a platform that is down is
 *   probed, not hammered), so the backlog drains in order once it is back.
 * - `stop()` drains: no new sends, the ones under way finish (bounded), the rest wait unsent.
 */
import { setMaxListeners } from 'node:events';
import type { IdentityVault } from './crypto.ts';
import type { Store } from './store/index.ts';
import type { OutboxRecord } from './store/outbox.ts';
import {
  DeliveryDeferred,
  DeliveryError,
  type DeliveryMeta,
  type DeskAdapter,
  type DeskCaseView,
  type DeskEvent,
  type DeskPostRef,
  type OutboundMessage,
  type ReporterAdapter,
} from './core/types.ts';
import type { Logger } from './log.ts';

export type DeliveryResult = 'sent' | 'retry' | 'dead' | 'deferred' | 'rate_limited';

/** A controller whose signal hundreds of waiting sends may listen to at once. */
function listened(): AbortController {
  const c = new AbortController();
  setMaxListeners(0, c.signal);
  return c;
}

/** Rows of one reporter (one case) taken together behind the first. */
const CHAIN_LIMIT = 10;

type Outcome = 'sent' | 'dead' | 'retry' | 'deferred';

export interface DispatcherOptions {
  store: Store;
  vault: IdentityVault;
  log: Logger;
  /** How often to look for rows that became due, or were written by another process (the CLI). */
  pollMs?: number;
  /** Sends in flight at once, per channel (the adapters' limiters pace them). */
  maxInFlight?: number;
  clock?: () => Date;
  /** Backoff cap for retries and for a channel that keeps failing. */
  maxBackoffMs?: number;
  /** Failures in a row (no success between) after which the whole channel pauses. */
  pauseAfterFailures?: number;
  /** Told of every delivery attempt's outcome (metrics). */
  onResult?: (channel: string, result: DeliveryResult) => void;
  /** How a desk sees a case (for desk rows); provided by the casework service. */
  deskView?: (caseId: number) => DeskCaseView | undefined;
  /** A case's flood digest (what a slowed reporter wrote) and until when they are slowed; provided by casework. */
  deskDigest?: (caseId: number) => { text: string; until: number; ids: number[] } | undefined;
  /** Records that a digest's messages were posted (inside the dispatcher's write). */
  deskDigestSent?: (ids: readonly number[]) => void;
}

interface ChannelState {
  inFlight: number;
  /** No new sends before this time (epoch ms): a 429, or a platform that keeps failing. */
  pausedUntil: number;
  failures: number;
  /** Pauses in a row for failures: each one twice as long as the last. */
  pauses: number;
  /** The next probe takes the head of the queue (once per pause: a deferred head is not retried in a loop). */
  headProbe: boolean;
  /** Aborted when the channel pauses for failures, or the dispatcher stops: sends waiting in a limiter go back untried. */
  abort: AbortController;
  /** Nothing waiting in this channel is due before this (ms); refreshed on new rows and polls. */
  nextDueAt: number;
  lastError: string | null;
}

export class Dispatcher {
  readonly #adapters = new Map<string, ReporterAdapter>();
  readonly #desks = new Map<string, DeskAdapter>();
  readonly #channels = new Map<string, ChannelState>();
  readonly #tasks = new Set<Promise<void>>();
  readonly #opts: Required<Omit<DispatcherOptions, 'onResult' | 'deskView' | 'deskDigest' | 'deskDigestSent'>> & Pick<DispatcherOptions, 'onResult' | 'deskView' | 'deskDigest' | 'deskDigestSent'>;
  /** Aborted by stop(): sends still waiting in a limiter are handed back unsent. */
  #stopping = false;
  #timer: NodeJS.Timeout | undefined;
  #wakeTimer: NodeJS.Timeout | undefined;
  #wakeAt = Infinity;
  #pumpScheduled = false;
  #externalWake = true;
  #external = true;
  readonly #writes: (() => void)[] = [];
  /** Desk posts made whose record is still in the batch of writes. */
  readonly #deskPosts = new Map<string, DeskPostRef>();
  #flushScheduled = false;
  #running = false;
  /** After stop(): late completions must not touch a closed store. */
  #closed = false;

  constructor(opts: DispatcherOptions) {
    this.#opts = { pollMs: 500, maxInFlight: 64, maxBackoffMs: 10 * 60_000, pauseAfterFailures: 3, clock: () => new Date(), ...opts };
  }

  /** Registers the adapter that delivers a channel's messages. */
  register(adapter: ReporterAdapter): void {
    this.#adapters.set(adapter.channel, adapter);
  }

  /** Registers a caseworkers' desk (Slack) for the case events queued for it. */
  registerDesk(desk: DeskAdapter): void {
    this.#desks.set(desk.desk, desk);
  }

  /**
   * Starts sending. First, sends cut short by a crash are put back (each once more at most),
   * and rows a stopped process held without sending are queued again.
   * Returns what that recovery found.
   */
  start(): { retried: number; dead: number; released: number } {
    if (this.#running) return { retried: 0, dead: 0, released: 0 };
    this.#running = true;
    this.#closed = false;
    for (const ch of this.#channels.values()) if (ch.abort.signal.aborted) ch.abort = listened();
    this.#stopping = false;
    const recovered = this.#opts.store.outbox.recoverInterrupted(this.#now().toISOString());
    if (recovered.retried || recovered.dead) {
      this.#opts.log.warn('sends interrupted by a crash or kill', { sendingOnceMore: recovered.retried, givenUp: recovered.dead });
    }
    const loop = () => {
      if (!this.#running) return;
      this.wake();
      this.#timer = setTimeout(loop, this.#opts.pollMs);
      this.#timer.unref();
    };
    loop();
    return recovered;
  }

  /**
   * Looks for due rows now (coalesced: many calls in one tick make one look). `external`: new
   * rows may have been written (a message, a caseworker, the poll for other processes' rows).
   */
  wake(external = true): void {
    if (external) this.#externalWake = true;
    if (!this.#running || this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      try {
        this.#pump();
      } catch (err) {
        this.#opts.log.error('dispatcher pass failed', { error: (err as Error).message });
      }
    });
  }

  /**
   * Drains: no new sends; sends still waiting for their turn in a limiter are handed back
   * unsent; sends under way get up to `graceMs` to finish. Whatever is still under way after
   * that is left marked in flight — the next start sends it once more.
   */
  async stop(graceMs = 10_000): Promise<void> {
    this.#running = false;
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#wakeTimer) clearTimeout(this.#wakeTimer);
    this.#stopping = true;
    for (const ch of this.#channels.values()) ch.abort.abort();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.allSettled([...this.#tasks]),
      new Promise((r) => {
        timer = setTimeout(r, graceMs);
      }),
    ]);
    clearTimeout(timer);
    this.#flush();
    this.#closed = true;
  }

  /** Sends in flight now (for tests and health). */
  get inFlight(): number {
    return this.#tasks.size;
  }

  /** Channels paused now, and why (for `/healthz` and `doctor`). */
  paused(): Record<string, { forMs: number; reason: string | null }> {
    const now = Date.now();
    const out: Record<string, { forMs: number; reason: string | null }> = {};
    for (const [name, ch] of this.#channels) if (ch.pausedUntil > now) out[name] = { forMs: ch.pausedUntil - now, reason: ch.lastError };
    return out;
  }

  /** Sends every due row and waits until none is left in flight (tests, the CLI). */
  async runOnce(): Promise<void> {
    const wasRunning = this.#running;
    this.#running = true;
    try {
      for (;;) {
        this.#externalWake = true;
        this.#pump();
        if (this.#tasks.size === 0) return this.#flush();
        await Promise.allSettled([...this.#tasks]);
        this.#flush();
      }
    } finally {
      this.#running = wasRunning;
    }
  }

  #now(): Date {
    return this.#opts.clock();
  }

  /**
   * Outcomes are written in one commit per tick, not one each: under load that is one fsync
   * for many sends. (A crash before the commit leaves those rows in flight: sent once more.)
   */
  #write(fn: () => void): void {
    this.#writes.push(fn);
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#flushScheduled = false;
    const writes = this.#writes.splice(0);
    if (writes.length === 0 || this.#closed) return;
    try {
      this.#opts.store.transaction(() => {
        for (const w of writes) {
          try {
            w();
          } catch (err) {
            this.#opts.log.error('delivery bookkeeping failed', { error: (err as Error).message });
          }
        }
      });
    } catch (err) {
      this.#opts.log.error('delivery bookkeeping commit failed', { error: (err as Error).message });
      // Nothing is dropped: the outcomes are written again shortly (until then those rows stay
      // taken, and a crash would only send them once more).
      this.#writes.unshift(...writes);
      setTimeout(() => this.#flush(), 1000).unref();
      return;
    }
    this.wake(false);
  }

  #channel(name: string): ChannelState {
    let ch = this.#channels.get(name);
    if (!ch) {
      ch = { inFlight: 0, pausedUntil: 0, failures: 0, pauses: 0, headProbe: false, abort: listened(), nextDueAt: 0, lastError: null };
      this.#channels.set(name, ch);
    }
    return ch;
  }

  /** Wakes again at `at` (epoch ms) — a pause ends, a retry_after runs out. */
  #wakeLater(at: number): void {
    if (at >= this.#wakeAt && this.#wakeTimer) return;
    if (this.#wakeTimer) clearTimeout(this.#wakeTimer);
    this.#wakeAt = at;
    this.#wakeTimer = setTimeout(() => {
      this.#wakeTimer = undefined;
      this.#wakeAt = Infinity;
      this.wake(true);
    }, Math.max(0, at - Date.now()) + 5);
    this.#wakeTimer.unref();
  }

  /** Takes each channel's due rows up to its free slots, marks them in flight, starts them. */
  #pump(): void {
    if (!this.#running) return;
    const external = this.#externalWake;
    this.#externalWake = false;
    this.#external = external;
    const { store, maxInFlight } = this.#opts;
    const now = this.#now();
    const nowIso = now.toISOString();
    for (const name of [...this.#adapters.keys(), ...this.#desks.keys()]) {
      const ch = this.#channel(name);
      if (ch.pausedUntil > Date.now()) {
        this.#wakeLater(ch.pausedUntil);
        continue;
      }
      // A channel that keeps failing is probed with one send at a time — the head of its queue,
      // so that it resumes in order — until one goes through.
      const probing = ch.failures >= this.#opts.pauseAfterFailures;
      const free = (probing ? 1 : maxInFlight) - ch.inFlight;
      if (free <= 0) continue;
      const head = probing && ch.headProbe ? store.outbox.head(name) : undefined;
      ch.headProbe = false;
      // Nothing of this channel is due before `nextDueAt` (a backlog in backoff): not scanned
      // again on every send that completes — only on a new message, the poll, or that time.
      if (!probing && !this.#external && now.getTime() < ch.nextDueAt) continue;
      // Each row taken brings the rows queued right behind it for the same reporter (case): one
      // task sends them one after another. Read and taken in one transaction (an operator's
      // `outbox drop` in between is respected).
      const chains = store.transaction(() => {
        const rows = head ? [head] : store.outbox.due(name, nowIso, free);
        const all = rows.map((r) => [r, ...store.outbox.followers(r, nowIso, CHAIN_LIMIT)]);
        const taken = store.outbox.claim(all.flat().map((r) => r.id), nowIso);
        if (rows.length < free) ch.nextDueAt = store.outbox.nextDue(name) ?? Infinity;
        return all.map((chain) => chain.filter((r) => taken.has(r.id))).filter((chain) => chain.length > 0);
      });
      if (!head && chains.length === 0) continue;
      for (const chain of chains) {
        ch.inFlight++;
        const task: Promise<void> = this.#deliverChain(chain)
          .catch((err) => this.#opts.log.error('delivery bookkeeping failed', { outboxId: chain[0]!.id, error: (err as Error).message }))
          .finally(() => {
            ch.inFlight--;
            this.#tasks.delete(task);
            this.wake(false);
          });
        this.#tasks.add(task);
      }
    }
  }

  /**
   * One reporter's (one case's) rows in order. A row that must wait (a retry, a pause, the
   * tip line stopping) hands the rest back to the queue untried, behind it.
   */
  async #deliverChain(chain: OutboxRecord[]): Promise<void> {
    for (let i = 0; i < chain.length; i++) {
      if (i > 0 && (this.#stopping || this.#channel(chain[i]!.channel).pausedUntil > Date.now())) {
        // Stopping, or the channel paused: the rest of the chain waits, untried.
        const rest = chain.slice(i).map((r) => r.id);
        this.#write(() => this.#opts.store.outbox.release(rest));
        this.#channel(chain[i]!.channel).nextDueAt = 0;
        return;
      }
      const outcome = await this.#deliver(chain[i]!);
      if (outcome === 'sent' || outcome === 'dead') continue;
      const rest = chain.slice(i + 1).map((r) => r.id);
      if (rest.length) {
        this.#write(() => this.#opts.store.outbox.release(rest));
        this.#channel(chain[0]!.channel).nextDueAt = 0;
      }
      return;
    }
  }

  #meta(row: OutboxRecord): DeliveryMeta {
    let marked = false;
    return {
      idempotencyKey: `outbox:${row.id}`,
      priority: row.priority,
      signal: this.#channel(row.channel).abort.signal,
      // Committed before the platform call (not batched): after a crash, this row's send may
      // have happened. A row only waiting its turn when the crash came is simply queued again.
      onAttempt: () => {
        if (marked || this.#closed) return;
        marked = true;
        try {
          this.#opts.store.outbox.markSending(row.id, this.#now().toISOString());
        } catch (err) {
          // Not marked, not sent: a send the store cannot vouch for could be doubled by a crash.
          this.#opts.log.error('cannot mark a send as started', { outboxId: row.id, error: (err as Error).message });
          marked = false;
          throw new DeliveryDeferred('the store could not record the send', 5_000);
        }
      },
    };
  }

  #deskMeta(desk: DeskAdapter, row: OutboxRecord): DeliveryMeta {
    const meta = this.#meta(row);
    if (!desk.marksAttempts) meta.onAttempt!();
    return meta;
  }

  async #deliver(row: OutboxRecord): Promise<Outcome> {
    if (row.destination === 'desk') return this.#deliverDesk(row);
    const { store, vault, log } = this.#opts;
    const adapter = this.#adapters.get(row.channel)!;
    const identity = row.identityId ? store.reporters.getIdentity(row.identityId) : undefined;
    if (!identity) return this.#dead(row, 'reporter identity not found');
    let to;
    try {
      to = {
        channel: identity.channel,
        senderRef: vault.decrypt(identity.sender_enc),
        conversationRef: vault.decrypt(identity.conversation_enc),
      };
    } catch {
      // Only a wrong or replaced key gets here (start-up checks it): keep the row visible.
      log.error('cannot decrypt a reporter identity', { outboxId: row.id });
      return this.#dead(row, 'cannot decrypt the reporter identity (wrong TIPLINE_SECRET?)');
    }
    try {
      const meta = this.#meta(row);
      // An adapter that shows a repeated key once (the web chat) needs no "may have been
      // sent" mark: after a crash its rows are simply sent again.
      if (adapter.idempotent) delete meta.onAttempt;
      else if (!adapter.marksAttempts) meta.onAttempt!();
      await adapter.send(to, row.payload as OutboundMessage, meta);
    } catch (err) {
      return this.#failed(row, err, identity.id);
    }
    if (this.#closed) return 'deferred';
    const now = this.#now().toISOString();
    this.#write(() => {
      store.outbox.markSent(row.id, now);
      if (row.caseMessageId && row.caseId) {
        const c = store.cases.get(row.caseId);
        if (c && c.identityId === row.identityId && c.reporterSeenId < row.caseMessageId) {
          store.cases.update(c.id, { reporterSeenId: row.caseMessageId }, now);
        }
      }
      if (identity.unreachable_at) store.reporters.markUnreachable(identity.id, null, null);
    });
    return this.#succeeded(row);
  }

  /** A desk row: (re)draw the case's message, or add a line to its thread. */
  async #deliverDesk(row: OutboxRecord): Promise<Outcome> {
    const { store } = this.#opts;
    const desk = this.#desks.get(row.channel)!;
    const view = row.caseId === null ? undefined : this.#opts.deskView?.(row.caseId);
    if (!view || row.caseId === null) return this.#dead(row, 'case not found');
    const caseId = row.caseId;
    const event = row.payload as DeskEvent;
    const postKey = `${row.channel}:${caseId}`;
    // (A post made a moment ago may still be in the batch of writes: it is known here first.)
    const existing = this.#deskPosts.get(postKey) ?? store.cases.deskPost(caseId, row.channel);
    try {
      if (event.type === 'upsert') {
        // A backlog (Slack was down) holds many redraws of one case: only the last is drawn.
        if (existing && store.outbox.supersededUpsert(row)) {
          // (Not a sign the platform is back: nothing reached it.)
          this.#write(() => store.outbox.markSent(row.id, this.#now().toISOString(), 'superseded by a later update; not sent'));
          return 'sent';
        }
        const ref = await desk.upsertCase(view, existing, this.#deskMeta(desk, row));
        if (this.#closed) return 'deferred';
        const now = this.#now().toISOString();
        this.#deskPosts.set(postKey, ref);
        this.#write(() => {
          store.cases.saveDeskPost(caseId, row.channel, ref, now);
          store.outbox.markSent(row.id, now);
          this.#deskPosts.delete(postKey);
        });
        return this.#succeeded(row);
      }
      let post = existing;
      if (!post) {
        // The case's own message comes first: its redraw is earlier in the same order key
        // (waiting for it is not a platform failure: no attempt counted, the channel not paused).
        if (store.outbox.upsertPendingBefore(row, `d:${row.channel}:${caseId}`)) throw new DeliveryDeferred('the case is not on the desk yet', 5_000);
        // None is coming (it was given up, or dropped): post the case now, then this line.
        post = await desk.upsertCase(view, undefined, this.#deskMeta(desk, row));
        if (this.#closed) return 'deferred';
        const ref = post;
        this.#deskPosts.set(postKey, ref);
        this.#write(() => {
          store.cases.saveDeskPost(caseId, row.channel, ref, this.#now().toISOString());
          this.#deskPosts.delete(postKey);
        });
      }
      if (event.type === 'photo') {
        const photo = store.cases.attachmentData(event.attachmentId);
        if (!photo) throw new DeliveryError('photo not found', true);
        const ext = photo.mime.split('/')[1] ?? 'jpg';
        await desk.postPhoto(post, view, { mime: photo.mime, data: photo.data, name: `${view.code}-photo-${event.attachmentId}.${ext}` }, this.#deskMeta(desk, row));
      } else if (event.type === 'digest') {
        // Not before the reporter is no longer slowed (read now: the spell may have grown since
        // this row was queued), so the digest holds everything the spell held.
        const digest = this.#opts.deskDigest?.(caseId);
        const wait = digest ? digest.until - this.#now().getTime() : 0;
        if (wait > 0) throw new DeliveryDeferred('the flood digest waits for the end of the spell', wait);
        if (digest) {
          await desk.postThread(post, view, { author: 'reporter', actor: null, text: digest.text }, this.#deskMeta(desk, row));
          if (this.#closed) return 'deferred';
          // Cleared with the row's own outcome: a crash before this posts them again, never loses them.
          this.#write(() => {
            this.#opts.deskDigestSent?.(digest.ids);
            store.outbox.markSent(row.id, this.#now().toISOString());
          });
          return this.#succeeded(row);
        }
      } else {
        await desk.postThread(post, view, { author: event.author, actor: event.actor ?? null, text: event.text }, this.#deskMeta(desk, row));
      }
    } catch (err) {
      return this.#failed(row, err, undefined);
    }
    if (this.#closed) return 'deferred';
    this.#write(() => store.outbox.markSent(row.id, this.#now().toISOString()));
    return this.#succeeded(row);
  }

  #succeeded(row: OutboxRecord, count = true): Outcome {
    const ch = this.#channel(row.channel);
    if (ch.failures >= this.#opts.pauseAfterFailures && !this.#closed) {
      // Back after an outage: the rows that failed while it was down go now, in their order,
      // not each at the end of its own backoff.
      const failuresBefore = ch.failures;
      ch.nextDueAt = 0;
      this.#write(() => {
        const n = this.#opts.store.outbox.resume(row.channel, this.#now().toISOString());
        this.#opts.log.info('channel is back', { channel: row.channel, failuresBefore, resumed: n });
      });
    }
    ch.failures = 0;
    ch.pauses = 0;
    ch.lastError = null;
    if (count) this.#opts.onResult?.(row.channel, 'sent');
    return 'sent';
  }

  #dead(row: OutboxRecord, reason: string): Outcome {
    if (this.#closed) return 'deferred';
    this.#write(() => this.#opts.store.outbox.markDead(row.id, reason, this.#now().toISOString()));
    this.#opts.onResult?.(row.channel, 'dead');
    return 'dead';
  }

  /** Records a failed attempt: dead with the reason, or back in the queue for when it may go. */
  #failed(row: OutboxRecord, err: unknown, identityId: number | undefined): Outcome {
    if (this.#closed) return 'deferred';
    const { store, log } = this.#opts;
    const now = this.#now();
    const ch = this.#channel(row.channel);
    if (err instanceof DeliveryDeferred) {
      // Never reached the platform (a pause, or stopping): back as it was, no attempt counted.
      const at = now.getTime() + (err.retryAfterMs ?? 0);
      this.#write(() => store.outbox.defer(row.id, new Date(at).toISOString()));
      ch.nextDueAt = Math.min(ch.nextDueAt, at);
      if (err.platformPaused && err.retryAfterMs) {
        // The platform's pause (a 429 on another call, e.g. a group notice) holds the channel too.
        ch.pausedUntil = Math.max(ch.pausedUntil, Date.now() + err.retryAfterMs);
        this.#wakeLater(ch.pausedUntil);
      }
      this.#opts.onResult?.(row.channel, 'deferred');
      return 'deferred';
    }
    const e = err instanceof DeliveryError ? err : new DeliveryError((err as Error)?.message ?? String(err), false);
    const reason = e.message.slice(0, 300);
    if (e.permanent) {
      this.#write(() => {
        store.outbox.markDead(row.id, reason, now.toISOString());
        if (e.unreachable && identityId !== undefined) store.reporters.markUnreachable(identityId, reason, now.toISOString());
      });
      log.warn('delivery failed permanently', { channel: row.channel, outboxId: row.id, reason });
      this.#opts.onResult?.(row.channel, 'dead');
      return 'dead';
    }
    if (e.rateLimited && e.retryAfterMs !== undefined) {
      // Exactly as long as the platform said, for this row and the whole channel.
      const until = now.getTime() + e.retryAfterMs;
      this.#write(() => store.outbox.markRetry(row.id, reason, new Date(until).toISOString()));
      ch.nextDueAt = Math.min(ch.nextDueAt, until);
      ch.pausedUntil = Math.max(ch.pausedUntil, Date.now() + e.retryAfterMs);
      ch.lastError = reason;
      this.#wakeLater(ch.pausedUntil);
      log.warn('rate limited by the platform', { channel: row.channel, retryAfterMs: e.retryAfterMs });
      this.#opts.onResult?.(row.channel, 'rate_limited');
      return 'retry';
    }
    const backoff = e.retryAfterMs ?? Math.min(this.#opts.maxBackoffMs, 1000 * 2 ** Math.min(row.attempts, 20));
    const jitter = e.retryAfterMs !== undefined ? 0 : Math.random() * backoff * 0.2;
    const retryAt = now.getTime() + backoff + jitter;
    this.#write(() => store.outbox.markRetry(row.id, reason, new Date(retryAt).toISOString()));
    ch.nextDueAt = Math.min(ch.nextDueAt, retryAt);
    ch.failures++;
    ch.lastError = reason;
    if (ch.failures >= this.#opts.pauseAfterFailures && ch.pausedUntil <= Date.now()) {
      // The platform itself looks down: probe it now and then (one send, after a pause that
      // doubles each time) instead of failing every row. Sends that were already under way
      // when it went down fail on their own without lengthening the pause.
      const pause = Math.min(this.#opts.maxBackoffMs, 1000 * 2 ** Math.min(ch.pauses, 20));
      ch.pauses++;
      ch.headProbe = true;
      // Sends queued behind the failing ones (waiting in a limiter) go back untried, so that
      // after the pause the queue restarts from its head, in order.
      ch.abort.abort();
      ch.abort = listened();
      ch.pausedUntil = Date.now() + pause * (1 + Math.random() * 0.2);
      this.#wakeLater(ch.pausedUntil);
    }
    log.warn('delivery failed, will retry', { channel: row.channel, outboxId: row.id, attempt: row.attempts + 1, reason });
    this.#opts.onResult?.(row.channel, 'retry');
    return 'retry';
  }
}
