/**
 * Platform rate limits, on `bottleneck`: every call a platform counts goes through here, so the
 * tip line stays under the platform's limits instead of finding them by being refused.
 *
 * - `global`: calls spaced evenly by bottleneck (Telegram: about 30 a second overall for a
 *   bot), with a small margin for the network's jitter; under that, a sliding-window log makes
 *   sure no window ever holds more than the count, even when timers fire late after a stall.
 * - `perKey` (a chat, a Slack channel, a Slack method): one call at a time per key (a
 *   bottleneck group), and at most `burst` calls in any `burst` intervals, counted from when
 *   each call really reached the platform — however long it waited for the global limit.
 * - A 429 pauses the whole platform for exactly what it said (`retry_after`, `Retry-After`);
 *   calls that come up during the pause are handed back as {@link DeliveryDeferred} without
 *   touching the platform, so one refusal never becomes a storm of them.
 * - Higher-priority calls (urgent cases, reporters' replies) are taken first from each queue.
 * - A call is abandoned (deferred, not sent) when its `signal` aborts (the tip line stopping),
 *   and gives up after `timeoutMs` (the platform may still have acted on it).
 */
import Bottleneck from 'bottleneck';
import { DeliveryDeferred, DeliveryError, type DeliveryMeta, type Rate } from '../../src/core/types.ts';


/**
 * 3 % below the platform's count: a call's start is measured here, its arrival there, and the
 * way between (a pause for garbage collection, a busy network) can bunch arrivals together.
 * A 429 costs a whole second of pause; 3 % of the pace is the cheaper price.
 */
const MARGIN = 1.03;

/** A sliding window: at most `count` call starts in any `windowMs`. */
interface Window {
  count: number;
  windowMs: number;
}

/**
 * The window a rate allows: `burst` calls in `burst` intervals (fractional rates widen the
 * window), {@link MARGIN} wider so that jitter on the way never crosses the platform's own count.
 */
function windowOf(rate: Rate): Window {
  const interval = rate.windowMs / rate.count;
  const burst = Math.max(1, Math.floor(rate.burst ?? 1));
  return { count: burst, windowMs: burst * interval * MARGIN };
}

export interface LimitedCall {
  /** Keys this call counts against, e.g. `{ chat: '42' }` or `{ channel: 'C1', method: 'chat.postMessage' }`. */
  keys?: Record<string, string>;
  /** Outbox priority: higher goes first (urgent 20, reporter replies 10, bulk 0). */
  priority?: number;
  signal?: AbortSignal;
  /** Called right before `fn`: the platform is being called now. */
  onStart?: () => void;
}

/** The limiter's view of one delivery the dispatcher asked for (its priority, stop signal and start mark). */
export function limitedCallFor(keys: Record<string, string>, meta: Omit<DeliveryMeta, 'idempotencyKey'> | undefined): LimitedCall {
  return {
    keys,
    ...(meta?.priority !== undefined ? { priority: meta.priority } : {}),
    ...(meta?.signal ? { signal: meta.signal } : {}),
    ...(meta?.onAttempt ? { onStart: meta.onAttempt } : {}),
  };
}

export interface PlatformLimiterOptions {
  /** Name for messages ("telegram", "slack"). */
  platform: string;
  global?: Rate;
  /** Per-key rates by key kind, e.g. `{ chat: {count: 1, windowMs: 1000} }`. */
  perKey?: Record<string, Rate | ((key: string) => Rate | undefined)>;
  /** A call that has not answered after this long fails (default 30 s). */
  timeoutMs?: number;
  /** Told of each 429 (metrics, logs). */
  onRateLimited?: (retryAfterMs: number) => void;
  now?: () => number;
}

/** Spacing for `rate`, with the margin so jitter on the way never crosses the platform's count. */
export function spacingMs(rate: Rate): number {
  return (rate.windowMs / rate.count) * MARGIN;
}

/** Bottleneck's priorities run 0 (first) to 9; ours are "higher goes first". */
function bottleneckPriority(priority = 0): number {
  return Math.max(0, Math.min(9, 6 - Math.floor(priority / 4)));
}

export class PlatformLimiter {
  readonly #opts: PlatformLimiterOptions;
  readonly #global: Bottleneck | undefined;
  readonly #groups = new Map<string, Bottleneck.Group>();
  #pausedUntil = 0;
  /** Start times of the latest global calls (at most `global.count` of them). */
  readonly #recent: number[] = [];
  /** The same per key (`kind:key`), dropped once they are older than their window. */
  readonly #keyLogs = new Map<string, number[]>();
  #sweeper: NodeJS.Timeout | undefined;

  constructor(opts: PlatformLimiterOptions) {
    this.#opts = opts;
    // Only about half a second of calls is committed to a time slot at once; the rest wait in
    // bottleneck's queue, where a more urgent call can still go ahead of them.
    this.#global = opts.global
      ? new Bottleneck({ minTime: spacingMs(opts.global), maxConcurrent: Math.max(2, Math.ceil((opts.global.count / opts.global.windowMs) * 500)) })
      : undefined;
  }

  get pausedForMs(): number {
    return Math.max(0, this.#pausedUntil - this.#now());
  }

  /** Stops every call for `ms` (a 429 said so). */
  pause(ms: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#now() + ms);
  }

  /** Runs `fn` when the limits allow. Rejects with {@link DeliveryDeferred} when it must wait for a pause or a stop. */
  run<T>(call: LimitedCall, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const entries = Object.entries(call.keys ?? {}).flatMap(([kind, key]) => {
      const spec = this.#opts.perKey?.[kind];
      const rate = typeof spec === 'function' ? spec(key) : spec;
      return rate ? [{ group: this.#group(kind), id: `${kind}:${key}`, key, window: windowOf(rate) }] : [];
    });
    const priority = bottleneckPriority(call.priority);
    const signal = call.signal;
    let abandoned = false;
    let reached = false;
    const stopping = () => abandoned || signal?.aborted;
    // Innermost: the pause check, the global window, then the platform call itself.
    const attempt = async (): Promise<T> => {
      if (stopping()) throw new DeliveryDeferred('handed back before it was sent (stopping, or the channel paused)', 0);
      const paused = () => {
        if (this.pausedForMs > 0) throw new DeliveryDeferred(`${this.#opts.platform} asked us to wait`, this.pausedForMs, true);
      };
      paused();
      if (this.#opts.global) await this.#gate(this.#recent, windowOf({ ...this.#opts.global, burst: this.#opts.global.count }));
      if (stopping()) throw new DeliveryDeferred('handed back before it was sent (stopping, or the channel paused)', 0);
      // A 429 may have come in while this call waited for its slot.
      paused();
      const now = this.#now();
      reached = true;
      this.#recent.push(now);
      for (const e of entries) this.#keyLog(e.id).push(now);
      call.onStart?.();
      try {
        return await this.#timed(fn);
      } catch (err) {
        if (err instanceof DeliveryError && err.rateLimited && err.retryAfterMs !== undefined) {
          this.pause(err.retryAfterMs);
          this.#opts.onRateLimited?.(err.retryAfterMs);
        }
        throw err;
      }
    };
    const viaGlobal = () => (this.#global ? this.#global.schedule({ priority }, attempt) : attempt());
    // Each per-key limit wraps the rest: one call at a time per key, waiting for the key's window.
    const chained = entries.reduceRight<() => Promise<T>>(
      (inner, { group, id, key, window }) => () =>
        group.key(key).schedule({ priority }, async () => {
          await this.#gate(this.#keyLog(id), window);
          return inner();
        }),
      viaGlobal,
    );
    const result = chained();
    if (!signal) return result;
    // Stopping: a call still waiting for its turn is handed back at once (and skipped when its turn comes).
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        // A call already at the platform is left to finish (the drain waits for it).
        if (reached) return;
        abandoned = true;
        reject(new DeliveryDeferred('handed back before it was sent (stopping, or the channel paused)', 0));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Stops the limiters' timers (for a clean exit). */
  async stop(): Promise<void> {
    if (this.#sweeper) clearInterval(this.#sweeper);
    this.#sweeper = undefined;
    await Promise.all([
      this.#global?.disconnect(false),
      ...[...this.#groups.values()].flatMap((g) => g.limiters().map(({ limiter }) => limiter.disconnect(false))),
    ]);
  }

  /** Waits until `log` has room in `w` (call starts older than the window are forgotten). */
  async #gate(log: number[], w: Window): Promise<void> {
    for (;;) {
      const now = this.#now();
      while (log.length && now - log[0]! >= w.windowMs) log.shift();
      if (log.length < w.count) return;
      await sleep(w.windowMs - (now - log[0]!) + 1);
    }
  }

  #keyLog(id: string): number[] {
    let log = this.#keyLogs.get(id);
    if (!log) {
      log = [];
      this.#keyLogs.set(id, log);
      // A million chats must not stay in memory: forget the quiet ones now and then.
      this.#sweeper ??= setInterval(() => {
        const now = this.#now();
        for (const [k, l] of this.#keyLogs) if (!l.length || now - l.at(-1)! > 10 * 60_000) this.#keyLogs.delete(k);
        if (this.#keyLogs.size === 0) {
          clearInterval(this.#sweeper);
          this.#sweeper = undefined;
        }
      }, 60_000);
      this.#sweeper.unref();
    }
    return log;
  }

  #group(kind: string): Bottleneck.Group {
    let g = this.#groups.get(kind);
    if (!g) {
      // Idle keys are forgotten after a few minutes: a million reporters do not stay in memory.
      g = new Bottleneck.Group({ maxConcurrent: 1, timeout: 5 * 60_000 });
      this.#groups.set(kind, g);
    }
    return g;
  }

  /** `fn`, given up after the timeout — and its request cancelled, so it cannot land later. */
  async #timed<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    const ms = this.#opts.timeoutMs ?? 30_000;
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        controller.abort();
        reject(new DeliveryError(`${this.#opts.platform}: no answer within ${ms / 1000} s (it may have been delivered)`, false));
      }, ms);
    });
    try {
      return await Promise.race([fn(controller.signal), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  #now(): number {
    return (this.#opts.now ?? Date.now)();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
