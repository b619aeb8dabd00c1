/**
 * The real product as a child process: `node --import tsx src/main.ts` on a temp data folder,
 * exactly what `npm start` runs; the caseworker CLI as `bin/tipline.js`; and a small web chat
 * client that keeps its session cookie like a browser would. Nothing of ours is mocked.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TranscriptEntry } from '../../adapters/webchat/live.ts';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CASE_CODE_RE = /^TL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

export interface RunningServer {
  url: string;
  port: number;
  dir: string;
  env: NodeJS.ProcessEnv;
  proc: ChildProcess;
  /** Everything the server wrote to stderr so far (JSON log lines). */
  stderr(): string;
  /** Sends `signal` (SIGTERM by default) and waits for the exit (SIGKILL after 10 s). Removes the temp dir if it made it. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** SIGKILL: a crash. Keeps the data folder (start again with `{ dir }`). */
  kill(): Promise<void>;
}

export interface StartOptions {
  /** Extra environment (overrides the defaults). */
  env?: Record<string, string | undefined>;
  /** Data folder to reuse (e.g. after a crash). When given, `stop()` does not remove it. */
  dir?: string;
  timeoutMs?: number;
}

/** Environment for server and CLI: no tokens, a temp database, a free port, no `.env` surprises. */
function baseEnv(dir: string, extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(TELEGRAM_|SLACK_|TIPLINE_)/.test(k)) delete env[k];
  }
  Object.assign(env, {
    TIPLINE_DB: path.join(dir, 'tipline.db'),
    PORT: '0',
    HOST: '127.0.0.1',
    NODE_ENV: 'test',
    NO_COLOR: '1',
  });
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export function tempDir(prefix = 'tipline-e2e-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

function exited(proc: ChildProcess): Promise<number | null> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(proc.exitCode);
  return new Promise((resolve) => proc.once('exit', (code) => resolve(code)));
}

/** Spawns the server and waits for its "Web chat:" line. */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? tempDir();
  const env = baseEnv(dir, opts.env);
  const proc = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  proc.stdout!.setEncoding('utf8');
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (d: string) => {
    err += d;
    if (err.length > 2_000_000) err = err.slice(-1_000_000);
  });

  const timeoutMs = opts.timeoutMs ?? 20_000;
  let url: string;
  try {
    url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => fail(new Error(`server did not print "Web chat:" within ${timeoutMs} ms`)), timeoutMs);
      const onData = (d: string) => {
        out += d;
        const m = /Web chat: (http:\/\/\S+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          proc.off('exit', onExit);
          resolve(m[1]!);
        }
      };
      const onExit = (code: number | null, signal: string | null) =>
        fail(new Error(`server exited (code ${code}, signal ${signal}) before it was ready`));
      function fail(e: Error) {
        clearTimeout(timer);
        proc.stdout!.off('data', onData);
        proc.off('exit', onExit);
        reject(e);
      }
      proc.stdout!.on('data', onData);
      proc.once('exit', onExit);
      proc.once('error', (e) => fail(e));
    });
  } catch (e) {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
    await exited(proc);
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(e as Error).message}\n--- stdout ---\n${out}\n--- stderr ---\n${err}`);
  }
  // Keep draining stdout so the child never blocks on a full pipe.
  proc.stdout!.on('data', () => {});

  const port = Number(new URL(url).port);
  let stopped: Promise<number | null> | undefined;
  const server: RunningServer = {
    url,
    port,
    dir,
    env,
    proc,
    stderr: () => err,
    stop(signal: NodeJS.Signals = 'SIGTERM') {
      return (stopped ??= (async () => {
        const done = exited(proc);
        if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
        const killer = setTimeout(() => proc.kill('SIGKILL'), 10_000);
        const code = await done;
        clearTimeout(killer);
        if (ownDir) rmSync(dir, { recursive: true, force: true });
        return code;
      })());
    },
    async kill() {
      const done = exited(proc);
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
      await done;
    },
  };
  return server;
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `bin/tipline.js <args>` with `env` (use the server's env), optional stdin. */
export function runCli(args: string[], env: NodeJS.ProcessEnv, stdin?: string, timeoutMs = 20_000): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [path.join(ROOT, 'bin', 'tipline.js'), ...args], {
      cwd: ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d: string) => (stdout += d));
    proc.stderr.on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new Error(`tipline ${args.join(' ')} timed out\n${stdout}\n${stderr}`));
    }, timeoutMs);
    proc.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
    proc.stdin.on('error', () => {});
    proc.stdin.end(stdin ?? '');
  });
}

/** `cases --json`, parsed. */
export async function listCases(env: NodeJS.ProcessEnv): Promise<Array<Record<string, unknown> & { code: string; category: string }>> {
  const r = await runCli(['cases', '--json'], env);
  if (r.code !== 0) throw new Error(`tipline cases --json failed (${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout) as Array<Record<string, unknown> & { code: string; category: string }>;
}

/** A transcript entry as the page receives it. */
export type Entry = TranscriptEntry;

export interface SessionInfo {
  locale: string;
  locales: { code: string; name: string }[];
  strings: Record<string, string>;
  history: Entry[];
  caseCodes: string[];
}

export type SendBody = { text: string } | { action: string } | { command: string; args?: string };

export const newClientId = () => randomBytes(12).toString('base64url');

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WebClientOptions {
  /** The fetch to use (default: the global one) — e.g. {@link fetchFrom} to come from another address. */
  fetch?: typeof fetch;
}

/**
 * A fetch over node:http whose connections come from `localAddress` (any 127.x.y.z reaches a
 * server on 127.0.0.1), so one test can be many clients behind many addresses, as a crowd is
 * (the web chat limits each address). Keep-alive; a request gives up after `timeoutMs`; a
 * network failure rejects, as fetch's does. Enough of fetch for {@link WebClient}: method,
 * headers, a string or byte body. `close()` drops its connections.
 */
export function fetchFrom(localAddress: string, opts: { timeoutMs?: number; maxSockets?: number } = {}): typeof fetch & { close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 16, localAddress });
  const timeoutMs = opts.timeoutMs ?? 15_000;
  const f = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    const raw = init.body;
    const body =
      raw === undefined || raw === null
        ? undefined
        : typeof raw === 'string'
          ? Buffer.from(raw, 'utf8')
          : raw instanceof ArrayBuffer
            ? Buffer.from(raw)
            : ArrayBuffer.isView(raw)
              ? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
              : undefined;
    if (raw !== undefined && raw !== null && body === undefined) return Promise.reject(new TypeError('fetchFrom: unsupported body type'));
    if (body) headers['content-length'] = String(body.length);
    return new Promise<Response>((resolve, reject) => {
      let settled = false;
      const fail = (e: Error) => {
        if (settled) return;
        settled = true;
        reject(e);
      };
      const req = http.request(url, { method: init.method ?? 'GET', headers, agent }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', fail);
        res.on('close', () => {
          if (!res.complete) fail(new Error('fetchFrom: the connection closed before the response ended'));
        });
        res.on('end', () => {
          if (settled) return;
          settled = true;
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) for (const x of v) h.append(k, x);
            else if (v !== undefined) h.set(k, v);
          }
          const status = res.statusCode ?? 500;
          resolve(new Response(status === 204 || status === 304 ? null : Buffer.concat(chunks), { status, headers: h }));
        });
      });
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`fetchFrom: no answer within ${timeoutMs} ms`)));
      req.on('error', fail);
      req.end(body);
    });
  };
  return Object.assign(f as typeof fetch, { close: () => agent.destroy() });
}

/** A web chat client over fetch that keeps the `tl_session` cookie, as a browser would. */
export class WebClient {
  cookie: string | undefined;
  /** The raw Set-Cookie header of the last /api/session that set one. */
  setCookie: string | undefined;
  locale: string | undefined;

  readonly #fetch: typeof fetch;

  constructor(
    readonly baseUrl: string,
    cookie?: string,
    options: WebClientOptions = {},
  ) {
    this.cookie = cookie;
    this.#fetch = options.fetch ?? ((input, init) => fetch(input, init));
  }

  url(p: string): string {
    return new URL(p, this.baseUrl).toString();
  }

  headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = { 'X-Tipline': '1', ...extra };
    if (this.cookie) h.Cookie = this.cookie;
    return h;
  }

  async session(locale?: string): Promise<SessionInfo> {
    if (locale) this.locale = locale;
    const res = await this.#fetch(this.url('/api/session'), {
      method: 'POST',
      headers: this.headers({ 'Content-Type': 'application/json' }),
      body: JSON.stringify(locale ? { locale } : {}),
    });
    if (!res.ok) throw new Error(`POST /api/session: ${res.status} ${await res.text()}`);
    const set = res.headers.get('set-cookie');
    if (set) {
      this.setCookie = set;
      this.cookie = set.split(';')[0];
    }
    return (await res.json()) as SessionInfo;
  }

  /** Posts one message; a fresh clientId unless one is given (a retry reuses it). */
  async send(body: SendBody, clientId: string = newClientId()): Promise<{ status: number; body: Record<string, unknown>; clientId: string }> {
    const payload: Record<string, unknown> = { clientId, ...body };
    if (this.locale && !('locale' in payload)) payload.locale = this.locale;
    const res = await this.post('/api/messages', JSON.stringify(payload), { 'Content-Type': 'application/json' });
    return { status: res.status, body: await readJson(res), clientId };
  }

  async photo(data: Buffer | Uint8Array, mime = 'image/png', clientId: string = newClientId()): Promise<{ status: number; body: Record<string, unknown> }> {
    const q = new URLSearchParams({ clientId });
    if (this.locale) q.set('locale', this.locale);
    const res = await this.post(`/api/photos?${q}`, data, { 'Content-Type': mime });
    return { status: res.status, body: await readJson(res) };
  }

  post(p: string, body: BodyInit | Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
    return this.#fetch(this.url(p), { method: 'POST', headers: this.headers(headers), body: body as BodyInit });
  }

  async history(after = 0): Promise<Entry[]> {
    const res = await this.#fetch(this.url(`/api/history?after=${after}`), { headers: this.cookie ? { Cookie: this.cookie } : {} });
    if (!res.ok) throw new Error(`GET /api/history: ${res.status}`);
    return ((await res.json()) as { entries: Entry[] }).entries;
  }

  /** Polls the history until `predicate` holds; returns the entries it held for. */
  async waitFor(predicate: (entries: Entry[]) => boolean, timeoutMs = 10_000, after = 0): Promise<Entry[]> {
    const deadline = Date.now() + timeoutMs;
    let entries: Entry[] = [];
    for (;;) {
      entries = await this.history(after);
      if (predicate(entries)) return entries;
      if (Date.now() > deadline) {
        throw new Error(
          `waitFor timed out after ${timeoutMs} ms; history:\n` +
            entries.map((e) => `  #${e.seq} ${e.from}: ${e.text.slice(0, 160)}${e.choices ? ` [${e.choices.map((c) => c.id).join(' ')}]` : ''}`).join('\n'),
        );
      }
      await sleep(100);
    }
  }

  /** Highest seq in the transcript so far (0 when empty). */
  async lastSeq(): Promise<number> {
    const h = await this.history(0);
    return h.at(-1)?.seq ?? 0;
  }

  /**
   * Sends and waits until the bot has answered: the reporter's echo (when there is one) and
   * a bot entry after it. Returns the new entries.
   */
  async say(body: SendBody, opts: { until?: (fresh: Entry[]) => boolean; timeoutMs?: number } = {}): Promise<Entry[]> {
    const before = await this.lastSeq();
    const r = await this.send(body);
    if (r.status !== 202) throw new Error(`POST /api/messages ${JSON.stringify(body)}: ${r.status} ${JSON.stringify(r.body)}`);
    if (opts.until) return this.waitFor(opts.until, opts.timeoutMs ?? 10_000, before);
    // No predicate: the first bot entry, then until nothing new arrives for a moment.
    let fresh = await this.waitFor((e) => e.some((x) => x.direction === 'out'), opts.timeoutMs ?? 10_000, before);
    for (;;) {
      await sleep(300);
      const again = await this.history(before);
      if (again.length === fresh.length) return again;
      fresh = again;
    }
  }
}

async function readJson(res: Response): Promise<Record<string, unknown>> {
  const text = await res.text();
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch {
    return { raw: text };
  }
}

/** A valid 1x1 transparent PNG. */
export const PNG_1x1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);
