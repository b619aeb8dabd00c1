/**
 * `queue_scale`: a store holding 1,000,000 cases (BENCH_QUEUE_CASES scales it). Measures
 * - start-up: the real server (`node --import tsx src/main.ts`) spawned on the store until it
 *   says it is running, and, in a process of its own, `openCore` (store + core) alone;
 * - RSS of that server after start, after the queue is listed (through the Slack desk's
 *   `/tipline queue`, the server's own queue path) and after health and metrics scrapes;
 * - the time to list the top 50 of the queue (`Casework.queue()`, what `npx tipline cases` and
 *   Slack use), and what `/healthz`, `/metrics`, `stats` and the idle-draft sweep cost there.
 * Goals: start < 1 s, RSS < 200 MB, list < 50 ms. Everything lives in a temporary folder,
 * removed afterwards; nothing is cached between runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { Store } from '../src/store/index.ts';
import { emit, envInt, note, round, withTempDir } from './common.ts';
import { DATA_SCHEMA_VERSION, generateStore } from './queue-data.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const SECRET = 'bench-queue-secret-0123456789abcdef';
const SLACK_SIGNING = 'bench-slack-signing-secret-0123456789';
const CASEWORKER = 'U0BENCH1';

export async function benchQueueScale(): Promise<void> {
  const n = envInt('BENCH_QUEUE_CASES', 1_000_000);
  await withTempDir('tipline-queue-', async (dir) => {
    const file = path.join(dir, 'tipline.db');
    note(`queue_scale: generating ${n} cases`);
    const gen = generateStore(file, SECRET, n);
    emit({
      name: 'queue_scale_generate',
      value: round(gen.seconds, 1),
      unit: 's',
      cases: gen.cases,
      open_cases: gen.openCases,
      reporters: gen.reporters,
      case_messages: gen.caseMessages,
      outbox_rows: gen.outboxRows,
      db_mb: round(gen.bytes / 1048576, 0),
    });

    // The deployment upgrades: this release's migrations run once on the big store.
    let t = performance.now();
    Store.open(file).close();
    const upgradeMs = performance.now() - t;

    note('queue_scale: probing openCore and the queue in a process of its own');
    const probe = await runProbe(file);

    note('queue_scale: starting the server');
    const env = { TIPLINE_DB: file, TIPLINE_SECRET: SECRET, PORT: '0', HOST: '127.0.0.1' };
    const plain = await startServer(env);
    let healthzMs: number[] = [];
    let metricsMs: number[] = [];
    let firstHealthzMs = NaN;
    let firstMetricsMs = NaN;
    let rssAfterScrapes: number;
    let drainedMs = NaN;
    try {
      // The first request of each also pays for compiling its code paths, in both processes.
      firstHealthzMs = (await repeat(1, () => get(`${plain.url}healthz`)))[0]!;
      // The store was left with a small backlog (replies not yet sent): the dispatcher sends it
      // on start; the figures below are taken once it is out.
      drainedMs = await untilDrained(plain.url, plain.startedAt);
      healthzMs = await repeat(20, () => get(`${plain.url}healthz`));
      firstMetricsMs = (await repeat(1, () => get(`${plain.url}metrics`)))[0]!;
      metricsMs = await repeat(10, () => get(`${plain.url}metrics`));
      rssAfterScrapes = rssMb(plain.child);
    } finally {
      await stopServer(plain.child);
    }

    note('queue_scale: the server with the Slack desk, listing the queue');
    const fake = await startSlackFake();
    let slackQueueMs = NaN;
    let slackStart: Awaited<ReturnType<typeof startServer>> | undefined;
    let rssSlackStart = NaN;
    let rssSlackAfterList = NaN;
    try {
      slackStart = await startServer({
        ...env,
        SLACK_BOT_TOKEN: 'xoxb-bench-token',
        SLACK_SIGNING_SECRET: SLACK_SIGNING,
        SLACK_API_URL: `${fake.url}/api/`,
        SLACK_CHANNEL: 'C0QUEUE',
        SLACK_CASEWORKERS: CASEWORKER,
      });
      rssSlackStart = rssMb(slackStart.child);
      slackQueueMs = await slashQueue(slackStart.url, fake);
      rssSlackAfterList = rssMb(slackStart.child);
    } catch (err) {
      note(`queue_scale: Slack queue listing failed: ${(err as Error).message}`);
    } finally {
      if (slackStart) await stopServer(slackStart.child);
      await fake.close();
    }

    // For scale: the same server on an empty store (Node, tsx and the modules alone).
    const empty = await startServer({ ...env, TIPLINE_DB: path.join(dir, 'empty', 'tipline.db') });
    const rssEmpty = rssMb(empty.child);
    await stopServer(empty.child);

    const common = { cases: n, open_cases: gen.openCases };
    emit({
      name: 'queue_scale_start',
      value: round(plain.startMs, 0),
      unit: 'ms',
      goal_ms: 1000,
      in_process_open_core_ms: probe.open_core_ms,
      in_process_module_load_ms: probe.import_ms,
      empty_store_start_ms: round(empty.startMs, 0),
      with_slack_start_ms: slackStart ? round(slackStart.startMs, 0) : null,
      upgrade_migrations_ms: round(upgradeMs, 0),
      upgrade_from_schema: DATA_SCHEMA_VERSION,
      ...common,
    });
    emit({
      name: 'queue_scale_rss',
      value: Math.max(plain.rssMb, rssAfterScrapes!, Number.isFinite(rssSlackAfterList) ? rssSlackAfterList : 0),
      unit: 'MB',
      goal_mb: 200,
      server_after_start_mb: plain.rssMb,
      server_after_healthz_metrics_mb: rssAfterScrapes!,
      slack_server_after_start_mb: rssSlackStart,
      slack_server_after_queue_list_mb: rssSlackAfterList,
      empty_store_server_mb: rssEmpty,
      cli_process_after_list_mb: probe.rss_after_list_mb,
      ...common,
    });
    emit({
      name: 'queue_scale_list',
      value: probe.list_top50_ms,
      unit: 'ms',
      goal_ms: 50,
      top: 50,
      first_call_ms: probe.list_top50_first_ms,
      rows: probe.list_top50_rows,
      including_closed_top50_ms: probe.list_all_top50_ms,
      default_limit_ms: probe.list_default_1000_ms,
      default_limit_rows: probe.list_default_rows,
      slack_tipline_queue_roundtrip_ms: Number.isFinite(slackQueueMs) ? round(slackQueueMs, 1) : null,
      show_case_ms: probe.show_case_ms,
      show_case_first_ms: probe.show_case_first_ms,
      ...common,
    });
    emit({
      name: 'queue_scale_healthz',
      value: round(median(healthzMs), 2),
      unit: 'ms',
      max_ms: round(Math.max(...healthzMs), 2),
      first_request_ms: round(firstHealthzMs!, 1),
      backlog_sent_after_start_ms: round(drainedMs, 0),
      outbox_depth_query_ms: probe.outbox_depth_ms,
      ...common,
    });
    emit({
      name: 'queue_scale_metrics',
      value: round(median(metricsMs), 2),
      unit: 'ms',
      max_ms: round(Math.max(...metricsMs), 2),
      first_request_ms: round(firstMetricsMs!, 1),
      cases_breakdown_query_ms: probe.metrics_breakdown_ms,
      in_process_scrape_ms: probe.metrics_scrape_ms,
      stats_ms: probe.stats_ms,
      idle_draft_sweep_query_ms: probe.idle_drafts_query_ms,
      ...common,
    });
  });
}

interface Probe {
  import_ms: number;
  open_core_ms: number;
  list_top50_first_ms: number;
  list_top50_ms: number;
  list_top50_rows: number;
  list_all_top50_ms: number;
  list_default_1000_ms: number;
  list_default_rows: number;
  show_case_first_ms: number;
  show_case_ms: number;
  stats_ms: number;
  metrics_breakdown_ms: number;
  outbox_depth_ms: number;
  metrics_scrape_ms: number;
  idle_drafts_query_ms: number;
  rss_after_list_mb: number;
}

function baseEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  // Only what the child needs: no platform tokens or settings leak in from the caller.
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', ...extra };
  if (process.env.HOME) env.HOME = process.env.HOME;
  return env;
}

async function runProbe(file: string): Promise<Probe> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench', 'queue-probe.ts')], {
    cwd: ROOT,
    env: baseEnv({ TIPLINE_DB: file, TIPLINE_SECRET: SECRET }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`queue probe failed (${code}): ${err.slice(-2000)}`);
  return JSON.parse(out.trim().split('\n').at(-1)!) as Probe;
}

async function startServer(env: Record<string, string>): Promise<{ child: ChildProcess; url: string; startMs: number; startedAt: number; rssMb: number }> {
  const t = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: baseEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in 30 s: ${err.slice(-1000)}`)), 30_000);
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /Tip line running\. Web chat: (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve(m[1]!);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited (${code}): ${err.slice(-1000)}`));
      });
    });
    const startMs = performance.now() - t;
    return { child, url, startMs, startedAt: t, rssMb: rssMb(child) };
  } catch (e) {
    await stopServer(child);
    throw e;
  }
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

/** Resident memory of a process, from /proc (Linux). */
function rssMb(child: ChildProcess): number {
  try {
    const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
    return round(kb / 1024, 1);
  } catch {
    return NaN;
  }
}

async function get(url: string): Promise<void> {
  const res = await fetch(url);
  await res.arrayBuffer();
  if (!res.ok && res.status !== 503) throw new Error(`${url}: HTTP ${res.status}`);
}

/** Polls /healthz until no reply is waiting; ms from `since`. */
async function untilDrained(url: string, since: number): Promise<number> {
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    const res = await fetch(`${url}healthz`);
    const body = (await res.json()) as { outbox?: { pending?: number } };
    if (body.outbox?.pending === 0) return performance.now() - since;
    await new Promise((r) => setTimeout(r, 20));
  }
  return NaN;
}

async function repeat(times: number, fn: () => Promise<void>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = performance.now();
    await fn();
    out.push(performance.now() - t);
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? NaN;
}

interface SlackFake {
  url: string;
  /** Resolves with the body Slack's response_url received at `key`. */
  response(key: string): Promise<string>;
  close(): Promise<void>;
}

/** Just enough of Slack's Web API (and a response_url) for the desk to start and answer. */
async function startSlackFake(): Promise<SlackFake> {
  const waiting = new Map<string, (body: string) => void>();
  let ts = 1_700_000_000;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      res.setHeader('Content-Type', 'application/json');
      const url = req.url ?? '/';
      if (url.startsWith('/response/')) {
        waiting.get(url)?.(body);
        return res.end('{"ok":true}');
      }
      if (url.includes('auth.test')) return res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' }));
      if (url.includes('chat.postMessage')) return res.end(JSON.stringify({ ok: true, channel: 'C0QUEUE', ts: `${++ts}.000100` }));
      res.end('{"ok":true}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    response: (key) => new Promise((resolve) => waiting.set(key, resolve)),
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/** `/tipline queue` from a caseworker, signed as Slack signs it; ms until the answer arrives. */
async function slashQueue(serverUrl: string, fake: SlackFake): Promise<number> {
  const key = '/response/queue-1';
  const body = new URLSearchParams({
    command: '/tipline',
    text: 'queue',
    user_id: CASEWORKER,
    user_name: 'bench',
    team_id: 'T1',
    channel_id: 'C0QUEUE',
    trigger_id: 'trig.1',
    response_url: `${fake.url}${key}`,
    api_app_id: 'A1',
    token: 'legacy',
  }).toString();
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SLACK_SIGNING).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  const answered = fake.response(key);
  const t = performance.now();
  const res = await fetch(new URL('/slack/events', serverUrl), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Request-Timestamp': String(timestamp), 'X-Slack-Signature': signature },
    body,
  });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`/slack/events answered ${res.status}`);
  const text = await Promise.race([answered, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer to /tipline queue in 30 s')), 30_000))]);
  const ms = performance.now() - t;
  if (!/TL-/.test(text) && !/queue is empty/.test(text)) throw new Error(`unexpected /tipline queue answer: ${text.slice(0, 200)}`);
  return ms;
}
