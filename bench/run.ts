/**
 * `npm run bench`: one JSON object per line — {name, value, unit, ...}. Ratios are against a
 * baseline measured in the same run (raw better-sqlite3 inserts), since machines here are noisy.
 * BENCH_MESSAGES / BENCH_REPORTERS scale the ingest run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { TiplineCore } from '../src/core/tipline.ts';
import { triage } from '../src/core/triage/index.ts';
import { IdentityVault } from '../src/crypto.ts';
import { Store } from '../src/store/index.ts';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 5000);
const REPORTERS = Number(process.env.BENCH_REPORTERS ?? 500);

const SAMPLES = [
  '我在开远火车站看到一个女人抱着7号孩子，往昆明方向去了',
  'I saw the baby in photo #3 at the market last Tuesday with an older man',
  '他们今晚要在汽车站卖孩子，现在就在候车室',
  '我的儿子2013年2月在市场走失，左肩有胎记，想做DNA比对',
  '我想领养一个孩子，请问怎么办理',
  '這個孩子很像我鄰居家去年抱來的那個，5號',
  'hello',
  '加微信 xyz123 低价代孕 贷款 http://spam.example',
];

function emit(o: Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(o) + '\n');
}

const dir = mkdtempSync(path.join(tmpdir(), 'tipline-bench-'));
try {
  // Baseline: one raw insert per transaction, same pragmas as the store.
  const raw = new Database(path.join(dir, 'raw.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT)');
  const ins = raw.prepare('INSERT INTO t (a, b, c) VALUES (?, ?, ?)');
  const one = raw.transaction((i: number) => ins.run(`r${i}`, SAMPLES[i % SAMPLES.length], new Date().toISOString()));
  const baseN = Math.min(MESSAGES, 5000);
  let t = performance.now();
  for (let i = 0; i < baseN; i++) one(i);
  const baseRate = baseN / ((performance.now() - t) / 1000);
  raw.close();
  emit({ name: 'baseline_sqlite_insert_tx', value: Math.round(baseRate), unit: 'tx/s', n: baseN });

  // Triage alone.
  t = performance.now();
  const triageN = 50_000;
  for (let i = 0; i < triageN; i++) triage(SAMPLES[i % SAMPLES.length]!);
  emit({ name: 'triage', value: Math.round(triageN / ((performance.now() - t) / 1000)), unit: 'messages/s', n: triageN });

  // Worst-case input size: 4,000 characters (a pathological regex would show here).
  const huge = ['我看到7号宝宝在火车站，'.repeat(400).slice(0, 4000), 'a1 '.repeat(1400).slice(0, 4000), '#'.repeat(4000)];
  t = performance.now();
  const hugeN = 300;
  for (let i = 0; i < hugeN; i++) triage(huge[i % huge.length]!);
  emit({ name: 'triage_huge', value: Number(((performance.now() - t) / hugeN).toFixed(3)), unit: 'ms/message', chars: 4000, n: hugeN });

  // Ingest through the real core and store: dedupe, identity, conversation, triage, case, outbox.
  const store = Store.open(path.join(dir, 'tipline.db'));
  const core = new TiplineCore({ store, vault: new IdentityVault('bench-secret-'.repeat(4)), defaultLocale: 'zh-CN', emergencyNumber: '110' });
  const heapBefore = process.memoryUsage().heapUsed;
  t = performance.now();
  for (let i = 0; i < MESSAGES; i++) {
    await core.processMessage({
      channel: 'bench',
      senderRef: `user-${i % REPORTERS}`,
      conversationRef: `chat-${i % REPORTERS}`,
      platformMessageId: `m${i}`,
      text: SAMPLES[i % SAMPLES.length]!,
      receivedAt: new Date(),
    });
  }
  const secs = (performance.now() - t) / 1000;
  const rate = MESSAGES / secs;
  emit({
    name: 'ingest',
    value: Math.round(rate),
    unit: 'messages/s',
    n: MESSAGES,
    reporters: REPORTERS,
    ratio_to_baseline: Number((rate / baseRate).toFixed(3)),
    heap_growth_mb: Number(((process.memoryUsage().heapUsed - heapBefore) / 1048576).toFixed(1)),
    cases: store.cases.counts().total,
  });
  store.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
