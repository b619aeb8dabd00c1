/**
 * Platform rate limits, on `bottleneck`: every call a platform counts goes through here, so the
 * tip line stays under the platform's limits instead of finding them by being refused.
 *
 * - `global`: calls spaced evenly (Telegram: about 30 a second overall for a bot). Spacing,
 *   not bursts, because a platform that counts in a sliding window refuses a burst at a
 *   window's edge; the spacing has a small margin for the network's jitter.
 * - `perKey` (a chat, a Slack channel, a Slack method): one call at a time per key, and the key
 *   rests for its interval after each call *ends* — so however long a call waited for the
 *   global limit, two calls to one chat are never closer than the platform allows.
 * - A 429 pauses the whole platform for exactly what it said (`retry_after`, `Retry-After`);
 *   calls that come up during the pause are handed back as {@link DeliveryDeferred} without
 *   touching the platform, so one refusal never becomes a storm of them.
 * - Higher-priority calls (urgent cases, reporters' replies) are taken first from each queue.
 * - A call is abandoned (deferred, not sent) when its `signal` aborts (the tip line stopping),
 *   and gives up after `timeoutMs` (the platform may still have acted on it).
 */
import Bottleneck from 'bottleneck';
import { DeliveryDeferred, DeliveryError } from '../../src/core/types.ts';

/** `count` calls per `windowMs` (e.g. 30 per 1000 ms). */
export interface Rate {
  count: number;
  windowMs: number;
}

export interface LimitedCall {
  /** Keys this call counts against, e.g. `{ chat: '42' }` or `{ channel: 'C1', method: 'chat.postMessage' }`. */
  keys?: Record<string, string>;
  /** Outbox priority: higher goes first (urgent 20, reporter replies 10, bulk 0). */
  priority?: number;
  signal?: AbortSignal;
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

/** Spacing for `rate`, with a 2 % margin so jitter on the way never crosses the platform's count. */
export function spacingMs(rate: Rate): number {
  return (rate.windowMs / rate.count) * 1.02;
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
  run<T>(call: LimitedCall, fn: () => Promise<T>): Promise<T> {
    const entries = Object.entries(call.keys ?? {}).flatMap(([kind, key]) => {
      const spec = this.#opts.perKey?.[kind];
      const rate = typeof spec === 'function' ? spec(key) : spec;
      return rate ? [{ group: this.#group(kind, rate), key, rest: rate.windowMs / rate.count }] : [];
    });
    const priority = bottleneckPriority(call.priority);
    const signal = call.signal;
    let abandoned = false;
    let reached = false;
    // Innermost: the pause check, the global spacing, then the platform call itself.
    const attempt = async (): Promise<T> => {
      if (abandoned || signal?.aborted) throw new DeliveryDeferred('the tip line is stopping', 0);
      if (this.pausedForMs > 0) throw new DeliveryDeferred(`${this.#opts.platform} asked us to wait`, this.pausedForMs);
      await this.#windowGate();
      if (abandoned || signal?.aborted) throw new DeliveryDeferred('the tip line is stopping', 0);
      reached = true;
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
    // Each per-key limit wraps the rest: one call at a time per key, resting after it ends.
    const chained = entries.reduceRight<() => Promise<T>>(
      (inner, { group, key, rest }) => () =>
        new Promise<T>((resolve, reject) => {
          group
            .key(key)
            .schedule({ priority }, async () => {
              try {
                resolve(await inner());
              } catch (err) {
                reject(err);
              }
              // Only a call that reached the platform makes the key rest.
              if (reached) await sleep(rest);
            })
            .catch(reject);
        }),
      viaGlobal,
    );
    const result = chained();
    if (!signal) return result;
    // Stopping: a call still waiting for its turn is handed back at once (and skipped when its turn comes).
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        abandoned = true;
        reject(new DeliveryDeferred('the tip line is stopping', 0));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      result.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  }

  /** Stops the limiters' timers (for a clean exit). */
  async stop(): Promise<void> {
    await Promise.all([
      this.#global?.disconnect(false),
      ...[...this.#groups.values()].flatMap((g) => g.limiters().map(({ limiter }) => limiter.disconnect(false))),
    ]);
  }

  /**
   * The hard guarantee under bottleneck's spacing: never more than the global count in any
   * window, even when timers fire late and queued calls catch up (an event-loop stall).
   */
  async #windowGate(): Promise<void> {
    const g = this.#opts.global;
    if (!g) return;
    const count = Math.max(1, Math.floor(g.count));
    const windowMs = g.count < 1 ? g.windowMs / g.count : g.windowMs;
    for (;;) {
      const now = this.#now();
      while (this.#recent.length && now - this.#recent[0]! >= windowMs) this.#recent.shift();
      if (this.#recent.length < count) break;
      await sleep(windowMs - (now - this.#recent[0]!) + 1);
    }
    this.#recent.push(this.#now());
  }

  #group(kind: string, rate: Rate): Bottleneck.Group {
    const id = `${kind}:${rate.count}/${rate.windowMs}`;
    let g = this.#groups.get(id);
    if (!g) {
      // Idle keys are forgotten after a few minutes: a million reporters do not stay in memory.
      g = new Bottleneck.Group({ maxConcurrent: 1, timeout: 5 * 60_000 });
      this.#groups.set(id, g);
    }
    return g;
  }

  async #timed<T>(fn: () => Promise<T>): Promise<T> {
    const ms = this.#opts.timeoutMs ?? 30_000;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new DeliveryError(`${this.#opts.platform}: no answer within ${ms / 1000} s (it may have been delivered)`, false)),
        ms,
      );
    });
    try {
      return await Promise.race([fn(), timeout]);
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
