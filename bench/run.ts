/**
 * `npm run bench`: one JSON object per line — {name, value, unit, ...}. Ratios are against a
 * baseline measured in the same run (raw better-sqlite3 inserts), since machines here are noisy.
 *
 * Each benchmark is its own module, run in turn: triage, eval, ingest, latency, drain, queue_scale.
 * `eval` is `npm run eval` as benchmark lines: triage quality on the blind held-out sets, photo
 * matching on generated variants, and time per message / photo / family inquiry.
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

/** Quality and speed of triage as benchmark lines (the figures `npm run eval` prints). */
async function benchEval(): Promise<void> {
  const { runEval, evaluateTextSet, PRIMARY_SET } = await import('../eval/run.ts');
  const { lines } = await runEval({ set: PRIMARY_SET });
  for (const l of lines) emit(l);
  // The other sets, for comparison: heldout-10 is blind too; the older ones were used for error
  // analysis and training, so their figures flatter triage.
  for (const set of ['heldout-10', 'heldout-9', 'heldout-8', 'heldout-7', 'heldout-6', 'heldout-5', 'heldout-4', 'heldout-3', 'heldout-2', 'heldout'] as const) for (const l of evaluateTextSet(set).lines.filter((x) => x.goal)) emit({ ...l, name: `${l.name}_${set.replace('-', '_')}` });
  const { matchFamilyInquiry } = await import('../src/core/triage/family-match.ts');
  const { readFileSync } = await import('node:fs');
  const catalogue = JSON.parse(readFileSync(new URL('../data/catalogue.sample.json', import.meta.url), 'utf8')) as Parameters<typeof matchFamilyInquiry>[1];
  const inquiries = [
    { sex: 'boy' as const, dob: '2013年1月', lost: '2013年3月在开远火车站', marks: '左肩有胎记' },
    { text: 'My daughter was born in March 2013 and went missing in Mengzi in May. She has a mole under her right eye.' },
    { sex: 'girl' as const, dob: 'tháng 2 năm 2013', lost: 'Hà Khẩu, tháng 4', marks: 'có nốt ruồi ở cổ' },
  ];
  const now = new Date('2026-11-26T00:00:00Z');
  for (const q of inquiries) matchFamilyInquiry(q, catalogue, now);
  const n = 3_000;
  const t = performance.now();
  for (let i = 0; i < n; i++) matchFamilyInquiry(inquiries[i % inquiries.length]!, catalogue, now);
  emit({ name: 'family_match', value: Number(((performance.now() - t) / n).toFixed(4)), unit: 'ms/inquiry', children: catalogue.length, n });
}

const only = new Set(process.argv.slice(2));
const wanted = (name: string) => only.size === 0 || only.has(name);

await withTempDir('tipline-bench-', async (dir) => {
  // Baseline: one raw insert per transaction, same pragmas as the store.
  const baseN = envInt('BENCH_BASELINE_TX', 5000);
  const baselineTxPerSec = measureBaseline(dir, baseN);
  emit({ name: 'baseline_sqlite_insert_tx', value: Math.round(baselineTxPerSec), unit: 'tx/s', n: baseN });

  if (wanted('triage')) benchTriage();
  if (wanted('eval')) await benchEval();
  if (wanted('ingest')) await benchIngest({ dir, baselineTxPerSec });
  if (wanted('latency')) await benchLatency({ dir });
  if (wanted('drain')) await benchDrain({ dir });
  if (wanted('queue_scale')) await benchQueueScale();
});
