/**
 * SIGTERM drains: intake stops, the send under way finishes (within a bounded time), the
 * database is closed cleanly (no WAL left behind). A send still hanging when the time is up is
 * left marked in flight, and the next start sends it once more.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { ROOT, startServer, WebClient, type RunningServer } from '../helpers/server.ts';
import { startSlackFake, type SlackFake } from '../helpers/slack-fake.ts';

const dirs: string[] = [];
const servers: RunningServer[] = [];
let slack: SlackFake | undefined;
afterEach(async () => {
  while (servers.length) await servers.pop()!.stop('SIGKILL');
  await slack?.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function start(dir: string): Promise<RunningServer> {
  const s = await startServer({
    dir,
    env: {
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: 'test-signing-secret-0123456789abcdef',
      SLACK_API_URL: slack!.url,
      SLACK_CHANNEL: 'C0QUEUE',
      SLACK_CASEWORKERS: 'U0CASE1',
    },
  });
  servers.push(s);
  return s;
}

/** SIGTERM, and the exit code and how long it took. */
async function term(s: RunningServer): Promise<{ code: number | null; ms: number }> {
  const t0 = Date.now();
  const exited = new Promise<number | null>((r) => s.proc.once('exit', (code) => r(code)));
  s.proc.kill('SIGTERM');
  const code = await exited;
  servers.splice(servers.indexOf(s), 1);
  return { code, ms: Date.now() - t0 };
}

async function tip(s: RunningServer, text: string): Promise<string> {
  const c = new WebClient(s.url);
  await c.session('en');
  const entries = await c.say({ text }, { until: (fresh) => fresh.some((e) => !!e.caseCode) });
  return entries.find((e) => e.caseCode)!.caseCode!;
}

describe('SIGTERM', () => {
  it('finishes the send under way, stops intake, and closes the database cleanly', async () => {
    slack = await startSlackFake();
    const dir = mkdtempSync(path.join(tmpdir(), 'tipline-drain-'));
    dirs.push(dir);
    const s = await start(dir);
    slack.failNext('chat.postMessage', { delayMs: 1500 });
    await tip(s, 'A man is carrying the boy from poster 3 onto the night bus to Kunming');
    await eventually(() => slack!.calls.some((c) => c.method === 'chat.postMessage'), 5000, 'the post to start');
    const { code, ms } = await term(s);
    expect(code).toBe(0);
    expect(ms).toBeGreaterThanOrEqual(1000); // it waited for Slack's answer…
    expect(ms).toBeLessThan(9000); // …and no longer
    // Intake is off.
    await expect(fetch(new URL('/healthz', s.url))).rejects.toThrow();
    // Closed cleanly: the WAL was checkpointed away, nothing is left in flight, the post is recorded as sent.
    const wal = path.join(dir, 'tipline.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
    const db = new Database(path.join(dir, 'tipline.db'), { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) n FROM outbox WHERE in_flight_since IS NOT NULL OR sending_since IS NOT NULL').get()).toEqual({ n: 0 });
      expect(db.prepare(`SELECT state FROM outbox WHERE destination = 'desk'`).all()).toEqual([{ state: 'sent' }]);
      expect(db.prepare(`SELECT count(*) n FROM desk_posts`).get()).toEqual({ n: 1 });
    } finally {
      db.close();
    }
  });

  it('a send that hangs past the grace time is left in flight; the next start sends it once more', async () => {
    slack = await startSlackFake();
    const dir = mkdtempSync(path.join(tmpdir(), 'tipline-drain-'));
    dirs.push(dir);
    const first = await start(dir);
    slack.failNext('chat.postMessage', { delayMs: 60_000 });
    const code = await tip(first, 'The girl in photo 6 is at a house behind the Mengla market, they are moving her tonight');
    await eventually(() => slack!.calls.some((c) => c.method === 'chat.postMessage'), 5000, 'the post to start');
    const stopped = await term(first);
    expect(stopped.code).toBe(0);
    expect(stopped.ms).toBeLessThan(14_000);
    const db = new Database(path.join(dir, 'tipline.db'), { readonly: true });
    // Its send had started (Slack has the request): marked sending, so the next start counts it as interrupted.
    expect(db.prepare(`SELECT count(*) n FROM outbox WHERE destination = 'desk' AND sending_since IS NOT NULL`).get()).toEqual({ n: 1 });
    db.close();

    const before = slack.calls.length;
    const second = await start(dir);
    await eventually(() => slack!.calls.slice(before).some((c) => c.method === 'chat.postMessage' && String(c.args.text).includes(code)), 10_000, 'the post sent once more');
    expect(second.stderr()).toMatch(/sends interrupted by a crash or kill/);
    await sleep(500);
    const posts = slack.calls.slice(before).filter((c) => c.method === 'chat.postMessage' && !c.args.thread_ts);
    expect(posts).toHaveLength(1);
  }, 40_000);
});

describe('one server per database', () => {
  it('a second server on the same database is refused with one line naming TIPLINE_DB; after a crash the next one starts', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tipline-lock-'));
    dirs.push(dir);
    const first = await startServer({ dir });
    servers.push(first);
    const second = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...first.env, PORT: '0' },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(second.status).not.toBe(0);
    const lines = second.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^tipline: cannot start: TIPLINE_DB: another tip line \\(pid ${first.proc.pid}\\) is already running`));
    // A crash leaves the lock behind; the next start takes it over.
    await first.kill();
    servers.splice(servers.indexOf(first), 1);
    const third = await startServer({ dir });
    servers.push(third);
    expect((await fetch(new URL('/healthz', third.url))).status).toBe(200);
  });
});

describe('a first start in a folder that does not exist yet', () => {
  it('creates it (database, key and lock)', async () => {
    const parent = mkdtempSync(path.join(tmpdir(), 'tipline-fresh-'));
    dirs.push(parent);
    const s = await startServer({ env: { TIPLINE_DB: path.join(parent, 'new', 'deeper', 'tipline.db') } });
    servers.push(s);
    expect((await fetch(new URL('/healthz', s.url))).status).toBe(200);
    expect(existsSync(path.join(parent, 'new', 'deeper', 'tipline.db'))).toBe(true);
  });
});
