/**
 * `latency`: under light load (one message every few ms from a few hundred web-chat
 * reporters), the time from an inbound message handed to `processMessage` to its replies
 * handed to the channel adapter's `send`, through the real Dispatcher wired as `src/app.ts`
 * wires it. Emits `latency_p50` and `latency_p99` (ms, to the last reply of each message; the
 * first reply's figures ride along).
 *
 * BENCH_LATENCY_MESSAGES (2,000), BENCH_LATENCY_REPORTERS (300), BENCH_LATENCY_INTERVAL_MS (3).
 */
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { TiplineCore } from '../src/core/tipline.ts';
import type { DeliveryAddress, OutboundMessage, ReporterAdapter } from '../src/core/types.ts';
import { IdentityVault } from '../src/crypto.ts';
import { Dispatcher } from '../src/dispatcher.ts';
import { memoryLogger } from '../src/log.ts';
import { Store } from '../src/store/index.ts';
import { emit, envInt, note, percentile, RawBaseline, rng, round } from './common.ts';
import { makeReporters, nextMessage, type SimReporter } from './reporters.ts';

interface Waiting {
  t0: number;
  /** Replies queued for the message; unknown until processMessage returns. */
  expected?: number;
  got: number;
  first?: number;
  last?: number;
}

export async function benchLatency(opts: { dir: string }): Promise<void> {
  const messages = envInt('BENCH_LATENCY_MESSAGES', 2_000);
  const reporterCount = envInt('BENCH_LATENCY_REPORTERS', 300);
  const intervalMs = envInt('BENCH_LATENCY_INTERVAL_MS', 3);
  const random = rng(11);
  const sims = makeReporters(messages, reporterCount, random);

  const store = Store.open(path.join(opts.dir, 'latency.db'));
  const vault = new IdentityVault('bench-latency-secret-'.repeat(3));
  const core = new TiplineCore({ store, vault, defaultLocale: 'zh-CN', emergencyNumber: '110' });
  const log = memoryLogger();
  const dispatcher = new Dispatcher({ store, vault, log });

  // A reporter waits for the answer before writing again (as people do), so each send belongs
  // to the oldest unanswered message of its reporter.
  const waiting = new Map<string, Waiting>();
  const toLast: number[] = [];
  const toFirst: number[] = [];
  /** Time inside processMessage alone (the commit included). */
  const inCore: number[] = [];
  let sends = 0;
  let unmatched = 0;
  const finish = (token: string, w: Waiting) => {
    if (w.last !== undefined) toLast.push(w.last - w.t0);
    waiting.delete(token);
  };
  const adapter: ReporterAdapter = {
    channel: 'webchat',
    async send(to: DeliveryAddress, _message: OutboundMessage): Promise<void> {
      const now = performance.now();
      sends++;
      const w = waiting.get(to.senderRef);
      if (!w) {
        unmatched++;
        return;
      }
      w.got++;
      w.last = now;
      if (w.first === undefined) {
        w.first = now;
        toFirst.push(now - w.t0);
      }
      if (w.expected !== undefined && w.got >= w.expected) finish(to.senderRef, w);
    },
  };
  dispatcher.register(adapter);
  core.onOutbox(() => dispatcher.wake());
  dispatcher.start();

  // What one commit costs on this disk right now, for reading the figures below.
  const raw = new RawBaseline(path.join(opts.dir, 'raw-latency.db'));
  const rawCommits = await raw.latencies(400);
  raw.close();
  try {
    note(`latency: ${messages} messages, one every ${intervalMs} ms, from ${reporterCount} reporters`);
    const pending = sims.filter((r) => r.steps.length > 0);
    const start = performance.now();
    let sent = 0;
    let skipped = 0;
    while (pending.length > 0) {
      // Keep to the schedule (a slow message does not bunch the next ones up). Each message
      // arrives as its own event-loop turn, as an HTTP request does: never several in a row
      // inside one turn, which would starve the dispatcher (it runs in setImmediate turns).
      const due = start + sent * intervalMs;
      const wait = due - performance.now();
      if (wait > 0) await sleep(wait);
      else await new Promise((r) => setImmediate(r));
      const idle = pickIdle(pending, waiting, random);
      if (!idle) {
        skipped++;
        await sleep(1);
        continue;
      }
      const msg = nextMessage(idle.reporter);
      if (idle.reporter.next >= idle.reporter.steps.length) pending.splice(idle.index, 1);
      const w: Waiting = { t0: performance.now(), got: 0 };
      waiting.set(idle.reporter.token, w);
      const result = await core.processMessage(msg);
      inCore.push(performance.now() - w.t0);
      if (result.caseCodes.length) idle.reporter.codes.push(...result.caseCodes);
      // The first reply may already be out: the dispatcher wakes inside processMessage.
      w.expected = result.replies;
      if (w.got >= w.expected) finish(idle.reporter.token, w);
      sent++;
    }
    const deadline = performance.now() + 30_000;
    while (waiting.size > 0 && performance.now() < deadline) await sleep(5);
    const elapsed = (performance.now() - start) / 1000;

    toLast.sort((a, b) => a - b);
    toFirst.sort((a, b) => a - b);
    inCore.sort((a, b) => a - b);
    const common = {
      unit: 'ms',
      n: toLast.length,
      messages: sent,
      reporters: reporterCount,
      interval_ms: intervalMs,
      offered_rate: round(sent / elapsed, 1),
      replies_sent: sends,
      unanswered: waiting.size,
      unmatched_sends: unmatched,
      skipped_ticks: skipped,
      raw_sqlite_commit_p50_ms: round(percentile(rawCommits, 50)),
      raw_sqlite_commit_p99_ms: round(percentile(rawCommits, 99)),
    };
    emit({ name: 'latency_p50', value: round(percentile(toLast, 50)), first_reply_ms: round(percentile(toFirst, 50)), ...common });
    emit({
      name: 'latency_p99',
      value: round(percentile(toLast, 99)),
      goal_ms: 20,
      first_reply_ms: round(percentile(toFirst, 99)),
      p90_ms: round(percentile(toLast, 90)),
      process_message_p50_ms: round(percentile(inCore, 50)),
      process_message_p99_ms: round(percentile(inCore, 99)),
      process_message_max_ms: round(inCore.at(-1) ?? NaN),
      p95_ms: round(percentile(toLast, 95)),
      over_20ms: toLast.filter((x) => x > 20).length,
      max_ms: round(toLast.at(-1) ?? NaN),
      ...common,
    });
  } finally {
    await dispatcher.stop();
    store.close();
  }
}

function pickIdle(pending: SimReporter[], waiting: Map<string, Waiting>, random: () => number): { reporter: SimReporter; index: number } | undefined {
  for (let tries = 0; tries < 20; tries++) {
    const index = Math.floor(random() * pending.length);
    const reporter = pending[index]!;
    if (!waiting.has(reporter.token)) return { reporter, index };
  }
  const index = pending.findIndex((r) => !waiting.has(r.token));
  return index < 0 ? undefined : { reporter: pending[index]!, index };
}
