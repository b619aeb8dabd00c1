/**
 * What the benchmarks share: output, a seeded random source, reporter texts, the same-run
 * baseline (raw better-sqlite3), and a throw-away folder per run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/** One benchmark line on stdout: `{name, value, unit, ...}`. */
export function emit(o: { name: string; value: number; unit: string } & Record<string, unknown>): void {
  process.stdout.write(JSON.stringify(o) + '\n');
}

/** A progress note on stderr (stdout carries only the JSON lines). */
export function note(text: string): void {
  if (process.env.BENCH_QUIET !== '1') process.stderr.write(`bench: ${text}\n`);
}

export function envInt(name: string, fallback: number): number {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, not "${v}"`);
  return Math.floor(n);
}

/** Seeded PRNG (mulberry32): the same mix every run, so runs compare. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** The fixed sample texts of the triage benchmarks (and the baseline's row payload). */
export const SAMPLES = [
  '我在开远火车站看到一个女人抱着7号孩子，往昆明方向去了',
  'I saw the baby in photo #3 at the market last Tuesday with an older man',
  '他们今晚要在汽车站卖孩子，现在就在候车室',
  '我的儿子2013年2月在市场走失，左肩有胎记，想做DNA比对',
  '我想领养一个孩子，请问怎么办理',
  '這個孩子很像我鄰居家去年抱來的那個，5號',
  'hello',
  '加微信 xyz123 低价代孕 贷款 http://spam.example',
];

const ZH_PLACES = ['开远火车站', '昆明汽车站', '蒙自市场', '个旧医院门口', '建水古城', '弥勒公园', '红河州人民医院', '石屏县城'];
const EN_PLACES = ['the train station', 'the night market', 'the bus terminal', 'the hospital gate', 'the old town', 'the river park'];
const ZH_WHO = ['一个女人', '一对中年夫妇', '一个老人', '两个男人', '我的邻居', '一个年轻女子'];
const EN_WHO = ['a woman', 'an older man', 'a young couple', 'two men', 'my neighbour', 'a street vendor'];
const ZH_WHEN = ['昨天下午', '上周二', '去年冬天', '今天早上', '前天晚上', '两年前'];
const EN_WHEN = ['yesterday afternoon', 'last Tuesday', 'last winter', 'this morning', 'two days ago', 'a few years ago'];

/** A varied tip, in Simplified Chinese, Traditional Chinese or English, sometimes naming a child. */
export function tipText(random: () => number): string {
  const n = 1 + Math.floor(random() * 40);
  const r = random();
  if (r < 0.55) {
    const child = random() < 0.6 ? `${n}号孩子` : '照片上的孩子';
    return `我${pick(random, ZH_WHEN)}在${pick(random, ZH_PLACES)}看到${pick(random, ZH_WHO)}带着${child}，孩子大概${2 + Math.floor(random() * 8)}岁，穿红色外套`;
  }
  if (r < 0.7) return `這個孩子很像我鄰居家${pick(random, ZH_WHEN)}抱來的那個，${n}號，現在住在${pick(random, ZH_PLACES)}附近`;
  const child = random() < 0.6 ? `the child in photo #${n}` : 'a child who looks like one on the poster';
  return `I saw ${child} at ${pick(random, EN_PLACES)} ${pick(random, EN_WHEN)} with ${pick(random, EN_WHO)}, about ${2 + Math.floor(random() * 8)} years old`;
}

/** A short follow-up to an earlier message. */
export function followUpText(random: () => number): string {
  return pick(random, [
    `我又想起来了，那个人开一辆白色面包车，车牌是云G开头`,
    `补充一下：孩子左手有一块疤`,
    `Also, the man spoke with a northern accent and carried a blue bag`,
    `他们好像每周${1 + Math.floor(random() * 6)}都去${pick(random, ZH_PLACES)}`,
    `One more thing: they left towards ${pick(random, EN_PLACES)}`,
    `谢谢你们`,
    `ok`,
  ]);
}

export function urgentText(random: () => number): string {
  return pick(random, [
    `他们今晚要在${pick(random, ZH_PLACES)}卖孩子，现在就在候车室`,
    `救命，现在有人在${pick(random, ZH_PLACES)}打孩子`,
    `They are selling a baby right now at ${pick(random, EN_PLACES)}, please come now`,
  ]);
}

export function spamText(random: () => number): string {
  return pick(random, [`加微信 xyz${Math.floor(random() * 1000)} 低价代孕 贷款 http://spam.example`, `Cheap loans!!! visit http://spam.example/${Math.floor(random() * 1000)} now`]);
}

/**
 * The same-run baseline: one raw better-sqlite3 INSERT per transaction, the store's pragmas
 * (WAL, synchronous=FULL), rows the size of a reporter's message.
 */
export class RawBaseline {
  readonly #db: Database.Database;
  readonly #one: (i: number) => void;
  #n = 0;
  #ms = 0;

  constructor(file: string) {
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = FULL');
    this.#db.exec('CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT)');
    const ins = this.#db.prepare('INSERT INTO t (a, b, c) VALUES (?, ?, ?)');
    this.#one = this.#db.transaction((i: number) => void ins.run(`r${i}`, SAMPLES[i % SAMPLES.length], new Date().toISOString()));
  }

  /** Runs `n` single-row transactions; returns their rate (tx/s). */
  burst(n: number): number {
    const t = performance.now();
    for (let i = 0; i < n; i++) this.#one(this.#n + i);
    const ms = performance.now() - t;
    this.#n += n;
    this.#ms += ms;
    return n / (ms / 1000);
  }

  /** Times `n` single-row transactions one by one, a little apart (ms each, sorted). */
  async latencies(n: number): Promise<number[]> {
    const out: number[] = [];
    for (let i = 0; i < n; i++) {
      const t = performance.now();
      this.#one(this.#n++);
      out.push(performance.now() - t);
      if (i % 4 === 3) await new Promise((r) => setTimeout(r, 1));
    }
    return out.sort((a, b) => a - b);
  }

  /** The rate over every burst so far (tx/s). */
  get rate(): number {
    return this.#n / (this.#ms / 1000);
  }

  get transactions(): number {
    return this.#n;
  }

  close(): void {
    this.#db.close();
  }
}

/** One baseline measurement of `n` transactions in a fresh file; returns transactions/s. */
export function measureBaseline(dir: string, n: number): number {
  const raw = new RawBaseline(path.join(dir, 'raw.db'));
  try {
    return raw.burst(n);
  } finally {
    raw.close();
  }
}

/** Runs `fn` with a fresh temporary folder, removed afterwards whatever happens. */
export async function withTempDir<T>(prefix: string, fn: (dir: string) => Promise<T> | T): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Percentile of sorted numbers (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i]!;
}

export const round = (x: number, digits = 3): number => Number(x.toFixed(digits));
