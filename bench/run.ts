/**
 * `npm run bench`: one JSON object per line — {name, value, unit, ...}. Ratios are against a
 * baseline measured in the same run (raw better-sqlite3 inserts), since machines here are noisy.
 *
 * Each benchmark is its own module, run in turn: triage, ingest, latency, drain, queue_scale.
 * `npm run bench -- ingest latency` runs only those named (the baseline always runs).
 * Scaling: BENCH_MESSAGES / BENCH_REPORTERS (ingest), BENCH_LATENCY_MESSAGES /
 * BENCH_LATENCY_REPORTERS / BENCH_LATENCY_INTERVAL_MS (latency), BENCH_QUEUE_CASES (queue_scale).
 */
import { triage } from '../src/core/triage/index.ts';
import { emit, envInt, measureBaseline, SAMPLES, withTempDir } from './common.ts';
import { benchDrain } from './drain.ts';
import { benchIngest } from './ingest.ts';
import { benchLatency } from './latency.ts';
import { benchQueueScale } from './queue-scale.ts';

function benchTriage(): void {
  let t = performance.now();
  const triageN = 50_000;
  for (let i = 0; i < triageN; i++) triage(SAMPLES[i % SAMPLES.length]!);
  emit({ name: 'triage', value: Math.round(triageN / ((performance.now() - t) / 1000)), unit: 'messages/s', n: triageN });

  // Worst-case input size: 4,000 characters (a pathological regex would show here).
  const huge = ['我看到7号宝宝在火车站，'.repeat(400).slice(0, 4000), 'a1 '.repeat(1400).slice(0, 4000), '#'.repeat(4000)];
  t = performance.now();
  const hugeN = 300;
  for (let i = 0; i < hugeN; i++) triage(huge[i % huge.length]!);
  emit({ name: 'triage_huge', value: Number(((performance.now() - t) / hugeN).toFixed(3)), unit: 'ms/message', chars: 4000, n: hugeN });
}

const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

await withTempDir('tipline-bench-', async (dir) => {
  // Baseline: one raw insert per transaction, same pragmas as the store.
  const baseN = envInt('BENCH_BASELINE_TX', 5000);
  const baselineTxPerSec = measureBaseline(dir, baseN);
  emit({ name: 'baseline_sqlite_insert_tx', value: Math.round(baselineTxPerSec), unit: 'tx/s', n: baseN });

  if (wanted('triage')) benchTriage();
  if (wanted('ingest')) await benchIngest({ dir, baselineTxPerSec });
  if (wanted('latency')) await benchLatency({ dir });
  if (wanted('drain')) await benchDrain({ dir });
  if (wanted('queue_scale')) await benchQueueScale();
});
