/**
 * A small local stand-in for Slack's Web API (reached through SLACK_API_URL) that records every
 * call, plus a `response_url` endpoint that records slash-command answers. 127.0.0.1 only.
 */
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  /** What the fake answered (e.g. the `ts` of a posted message). */
  result?: Record<string, unknown>;
  /** When it arrived (ms) and the HTTP status answered. */
  at: number;
  status: number;
}

/** A failure to answer instead of success: an HTTP status, a Slack error, a 429, or no answer for a while. */
export interface SlackFailure {
  status?: number;
  /** Slack's `error` (with HTTP 200), e.g. channel_not_found. */
  error?: string;
  /** With status 429: the Retry-After header, in seconds. */
  retryAfter?: number;
  /** Hold the request this long before answering (a timeout). */
  delayMs?: number;
  /** How many calls in a row (default 1). */
  times?: number;
}

export interface SlackFake {
  url: string;
  calls: SlackCall[];
  /** Files uploaded through files.uploadV2 (the bytes posted to the upload URL). */
  uploads: Buffer[];
  responses: Record<string, unknown>[];
  waitFor(pred: (calls: SlackCall[]) => boolean, timeoutMs?: number): Promise<SlackCall[]>;
  /** The next calls of `method` ('*' for any) fail as told. */
  failNext(method: string, failure: SlackFailure): void;
  /** While down, every Web API call answers 503 (Slack having an outage). */
  setDown(down: boolean): void;
  /** Calls answered 429 because they broke the enforced limits. */
  readonly rejected429: number;
  waitForResponse(pred: (r: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startSlackFake(
  opts: {
    socketUrl?: () => string;
    /** Enforce Slack's posting limit: at most this many chat.postMessage per channel in any second (429 beyond). */
    perChannelPerSecond?: number;
  } = {},
): Promise<SlackFake> {
  const calls: SlackCall[] = [];
  const failures: { method: string; failure: SlackFailure; left: number }[] = [];
  const postsByChannel = new Map<string, number[]>();
  let down = false;
  let rejected429 = 0;
  const responses: Record<string, unknown>[] = [];
  const uploads: Buffer[] = [];
  let base = '';
  let ts = 1_700_000_000;
  const responders = new Map<SlackCall, http.ServerResponse>();
  function succeed(method: string, args: Record<string, unknown>, call: SlackCall): unknown {
    const res = responders.get(call)!;
    responders.delete(call);
    if (method === 'chat.postMessage' && opts.perChannelPerSecond) {
      const key = String(args.channel);
      const recent = (postsByChannel.get(key) ?? []).filter((t) => call.at - t < 1000);
      if (recent.length >= opts.perChannelPerSecond) {
        rejected429++;
        call.status = 429;
        res.writeHead(429, { 'Retry-After': '1' });
        return res.end('{"ok":false,"error":"ratelimited"}');
      }
      recent.push(call.at);
      postsByChannel.set(key, recent);
    }
    if (method === 'chat.postMessage') {
      call.result = { ok: true, channel: args.channel, ts: `${++ts}.000100` };
      return res.end(JSON.stringify(call.result));
    }
    if (method === 'chat.update') return res.end(JSON.stringify({ ok: true, channel: args.channel, ts: args.ts }));
    if (method === 'auth.test') return res.end(JSON.stringify({ ok: true, user_id: 'UBOT', bot_id: 'BBOT', team_id: 'T1' }));
    if (method === 'files.getUploadURLExternal') {
      const n = uploads.length + calls.length;
      return res.end(JSON.stringify({ ok: true, upload_url: `${base}/upload/${n}`, file_id: `F${n}` }));
    }
    if (method === 'files.completeUploadExternal') return res.end(JSON.stringify({ ok: true, files: [{ id: 'F1' }] }));
    if (method === 'apps.connections.open' && opts.socketUrl) return res.end(JSON.stringify({ ok: true, url: opts.socketUrl() }));
    res.end('{"ok":true}');
  }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      if ((req.url ?? '').startsWith('/upload/')) {
        uploads.push(bytes);
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        return res.end('OK');
      }
      const raw = bytes.toString('utf8');
      const type = String(req.headers['content-type'] ?? '');
      let args: Record<string, unknown> = {};
      try {
        args = type.includes('json') ? (JSON.parse(raw || '{}') as Record<string, unknown>) : Object.fromEntries(new URLSearchParams(raw));
      } catch {
        args = { raw };
      }
      for (const k of ['blocks', 'attachments']) if (typeof args[k] === 'string') args[k] = JSON.parse(args[k] as string);
      const url = req.url ?? '/';
      res.setHeader('Content-Type', 'application/json');
      if (url.startsWith('/response/')) {
        responses.push(args);
        return res.end('{"ok":true}');
      }
      const method = url.replace(/^\/api\//, '').replace(/^\//, '').split('?')[0]!;
      const call: SlackCall = { method, args, at: Date.now(), status: 200 };
      calls.push(call);
      responders.set(call, res);
      if (down) {
        call.status = 503;
        res.writeHead(503);
        return res.end('{"ok":false,"error":"service_unavailable"}');
      }
      const f = failures.find((x) => x.left > 0 && (x.method === '*' || x.method === method));
      if (f && f.failure.delayMs && f.failure.status === undefined && f.failure.error === undefined) {
        // Only slow: answer normally, later (a send still under way when the tip line stops).
        f.left--;
        return void setTimeout(() => succeed(method, args, call), f.failure.delayMs);
      }
      if (f) {
        f.left--;
        const answer = () => {
          if (f.failure.error) return res.end(JSON.stringify({ ok: false, error: f.failure.error }));
          const status = f.failure.status ?? 500;
          call.status = status;
          res.writeHead(status, status === 429 ? { 'Retry-After': String(f.failure.retryAfter ?? 1) } : {});
          res.end(JSON.stringify({ ok: false, error: status === 429 ? 'ratelimited' : 'internal_error' }));
        };
        if (f.failure.delayMs) return void setTimeout(answer, f.failure.delayMs);
        return answer();
      }
      return succeed(method, args, call);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const url = `${base}/api/`;
  const poll = async <T>(check: () => T | undefined, timeoutMs: number, what: string): Promise<T> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const v = check();
      if (v !== undefined) return v;
      if (Date.now() > until) throw new Error(`slack fake: timed out waiting for ${what}; calls: ${JSON.stringify(calls.map((c) => c.method))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  return {
    url,
    calls,
    uploads,
    responses,
    waitFor: (pred, timeoutMs = 8000) => poll(() => (pred(calls) ? calls : undefined), timeoutMs, 'calls'),
    failNext: (method, failure) => void failures.push({ method, failure, left: failure.times ?? 1 }),
    setDown: (d) => void (down = d),
    get rejected429() {
      return rejected429;
    },
    waitForResponse: (pred, timeoutMs = 8000) => poll(() => responses.find(pred), timeoutMs, 'a response_url answer'),
    stop: () =>
      new Promise((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** Signs a request body as Slack does (v0, HMAC-SHA256). */
export function signSlack(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): Record<string, string> {
  const sig = `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return { 'X-Slack-Request-Timestamp': String(timestamp), 'X-Slack-Signature': sig };
}
