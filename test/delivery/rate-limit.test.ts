/**
 * The platform limiter (bottleneck underneath): spacing overall and per key, priorities, a 429
 * pausing everything without a storm, stopping, and a platform that never answers.
 */
import { describe, expect, it } from 'vitest';
import { PlatformLimiter, spacingMs } from '../../adapters/shared/rate-limit.ts';
import { DeliveryDeferred, DeliveryError } from '../../src/core/types.ts';

/** Most calls inside any window of `windowMs`. */
function maxInWindow(times: number[], windowMs: number): number {
  const t = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < t.length; i++) {
    while (t[i]! - t[j]! >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

describe('PlatformLimiter', () => {
  it('spaces calls under the global rate and never exceeds it in any window', async () => {
    const limiter = new PlatformLimiter({ platform: 'test', global: { count: 50, windowMs: 500 } });
    const starts: number[] = [];
    const t0 = Date.now();
    await Promise.all(Array.from({ length: 120 }, () => limiter.run({}, async () => void starts.push(Date.now()))));
    const elapsed = Date.now() - t0;
    expect(maxInWindow(starts, 500)).toBeLessThanOrEqual(50);
    // 120 calls at 100/s take at least ~1.2 s: the limiter did space them.
    expect(elapsed).toBeGreaterThanOrEqual(119 * spacingMs({ count: 50, windowMs: 500 }) - 20);
    await limiter.stop();
  });

  it('one chat gets at most its burst in any window, counted from when calls really start; other chats are not held', async () => {
    const limiter = new PlatformLimiter({
      platform: 'test',
      global: { count: 100, windowMs: 1000 },
      perKey: { chat: { count: 1, windowMs: 150, burst: 2 } },
    });
    const starts: Record<string, number[]> = { a: [], b: [] };
    const call = (chat: 'a' | 'b') => limiter.run({ keys: { chat } }, async () => void starts[chat]!.push(Date.now()));
    const t0 = Date.now();
    await Promise.all([call('a'), call('a'), call('a'), call('a'), call('a'), call('b')]);
    // Bursts of 2, then the pace: never 3 starts within 2 × 150 ms.
    const a = starts.a!;
    for (let i = 2; i < a.length; i++) expect(a[i]! - a[i - 2]!).toBeGreaterThanOrEqual(299);
    expect(a[1]! - a[0]!).toBeLessThan(100);
    expect(a.at(-1)! - a[0]!).toBeGreaterThanOrEqual(2 * 300 - 2);
    // Chat b went at once, not behind chat a's window.
    expect(starts.b![0]! - t0).toBeLessThan(100);
    await limiter.stop();
  });

  it('takes urgent work before bulk work waiting in the same queue', async () => {
    const limiter = new PlatformLimiter({ platform: 'test', global: { count: 40, windowMs: 1000 } });
    const order: string[] = [];
    const jobs = Array.from({ length: 40 }, (_, i) => limiter.run({ priority: 0 }, async () => void order.push(`bulk-${i}`)));
    jobs.push(limiter.run({ priority: 20 }, async () => void order.push('urgent')));
    await Promise.all(jobs);
    // About half a second of calls is already committed to time slots; the urgent one goes
    // right after those, ahead of every bulk call still queued.
    expect(order.indexOf('urgent')).toBeLessThan(28);
    expect(order.at(-1)).toBe('bulk-39');
    await limiter.stop();
  });

  it('a 429 pauses the platform for exactly retry_after; calls in the pause are deferred without reaching it', async () => {
    const told: number[] = [];
    const limiter = new PlatformLimiter({ platform: 'test', onRateLimited: (ms) => told.push(ms) });
    let calls = 0;
    await expect(
      limiter.run({}, async () => {
        calls++;
        throw DeliveryError.rateLimited('telegram 429: Too Many Requests', 300);
      }),
    ).rejects.toMatchObject({ rateLimited: true, retryAfterMs: 300 });
    const during = await Promise.allSettled(Array.from({ length: 5 }, () => limiter.run({}, async () => void calls++)));
    expect(calls).toBe(1);
    for (const r of during) {
      expect(r.status).toBe('rejected');
      const err = (r as PromiseRejectedResult).reason;
      expect(err).toBeInstanceOf(DeliveryDeferred);
      expect(err.retryAfterMs).toBeGreaterThan(250);
      expect(err.retryAfterMs).toBeLessThanOrEqual(300);
    }
    expect(told).toEqual([300]);
    await new Promise((r) => setTimeout(r, 310));
    await limiter.run({}, async () => void calls++);
    expect(calls).toBe(2);
  });

  it('stopping hands back calls still waiting for their turn, unsent', async () => {
    const limiter = new PlatformLimiter({ platform: 'test', perKey: { chat: { count: 1, windowMs: 1000 } } });
    const abort = new AbortController();
    let sent = 0;
    const first = limiter.run({ keys: { chat: 'x' }, signal: abort.signal }, async () => void sent++);
    const second = limiter.run({ keys: { chat: 'x' }, signal: abort.signal }, async () => void sent++);
    await first;
    abort.abort();
    await expect(second).rejects.toBeInstanceOf(DeliveryDeferred);
    await new Promise((r) => setTimeout(r, 1100));
    expect(sent).toBe(1);
  });

  it('a platform that never answers: the request is cancelled after the timeout and the call fails as retryable', async () => {
    const limiter = new PlatformLimiter({ platform: 'slack', timeoutMs: 100 });
    let request: AbortSignal | undefined;
    const err = await limiter
      .run({}, (signal) => {
        request = signal;
        return new Promise(() => {});
      })
      .catch((e: unknown) => e);
    // The request itself is cancelled: it cannot land later and double the retry.
    expect(request?.aborted).toBe(true);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(err).toMatchObject({ permanent: false });
    expect((err as Error).message).toMatch(/no answer within 0.1 s \(it may have been delivered\)/);
  });
});
