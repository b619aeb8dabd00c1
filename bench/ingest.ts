/**
 * `ingest`: reporters' messages through the real core and store (production pragmas: WAL,
 * synchronous=FULL, as `Store.open` sets them), with the adapter boundary faked — web-chat
 * messages handed straight to `TiplineCore.processMessage`. messages/s, and the ratio to raw
 * better-sqlite3 single-row transactions measured in the same run — in bursts between slices
 * of the ingest, so both see the same disk.
 *
 * BENCH_MESSAGES (50,000) and BENCH_REPORTERS (5,000) scale it.
 */
import path from 'node:path';
import { TiplineCore } from '../src/core/tipline.ts';
import { IdentityVault } from '../src/crypto.ts';
import { Store } from '../src/store/index.ts';
import { emit, envInt, note, RawBaseline, rng, round } from './common.ts';
import { interleave, makeReporters, nextMessage } from './reporters.ts';

export async function benchIngest(opts: { dir: string; baselineTxPerSec: number }): Promise<void> {
  const messages = envInt('BENCH_MESSAGES', 50_000);
  const reporters = envInt('BENCH_REPORTERS', 5_000);
  const random = rng(5);
  const sims = makeReporters(messages, reporters, random);

  const store = Store.open(path.join(opts.dir, 'ingest.db'));
  try {
    const core = new TiplineCore({ store, vault: new IdentityVault('bench-secret-'.repeat(4)), defaultLocale: 'zh-CN', emergencyNumber: '110' });
    // Dispatcher stand-in: nothing is sent, but the wake-up is counted like a real listener.
    let wakes = 0;
    core.onOutbox(() => void wakes++);
    // The disk's speed drifts (other work on the machine): the baseline is measured again in
    // short bursts between slices of the ingest, and the ratio is taken against those.
    const raw = new RawBaseline(path.join(opts.dir, 'raw-interleaved.db'));
    const slices = 20;
    const sliceSize = Math.ceil(messages / slices);
    const heapBefore = process.memoryUsage().heapUsed;
    note(`ingest: ${messages} messages from ${reporters} reporters`);
    let ms = 0;
    let n = 0;
    let t = performance.now();
    try {
      raw.burst(Math.max(50, Math.round(opts.baselineTxPerSec * 0.05)));
      t = performance.now();
      for (const r of interleave(sims, 300, random)) {
        const result = await core.processMessage(nextMessage(r));
        if (result.caseCodes.length) r.codes.push(...result.caseCodes);
        if (++n % sliceSize === 0) {
          ms += performance.now() - t;
          raw.burst(Math.max(50, Math.round(opts.baselineTxPerSec * 0.05)));
          t = performance.now();
        }
      }
      ms += performance.now() - t;
    } finally {
      raw.close();
    }
    const secs = ms / 1000;
    const rate = n / secs;
    const counts = store.cases.counts();
    emit({
      name: 'ingest',
      value: Math.round(rate),
      unit: 'messages/s',
      ratio_to_raw_sqlite: round(rate / raw.rate),
      goal_ratio: 0.2,
      raw_sqlite_tx_s: Math.round(raw.rate),
      raw_sqlite_tx: raw.transactions,
      ratio_to_run_start_baseline: round(rate / opts.baselineTxPerSec),
      n,
      reporters,
      us_per_message: Math.round((secs * 1e6) / n),
      cases: counts.total,
      outbox_rows: (store.db.prepare('SELECT count(*) n FROM outbox').get() as { n: number }).n,
      heap_growth_mb: round((process.memoryUsage().heapUsed - heapBefore) / 1048576, 1),
      wakes,
    });
  } finally {
    store.close();
  }
}
