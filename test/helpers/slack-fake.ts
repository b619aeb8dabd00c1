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
}

export interface SlackFake {
  url: string;
  calls: SlackCall[];
  /** Files uploaded through files.uploadV2 (the bytes posted to the upload URL). */
  uploads: Buffer[];
  responses: Record<string, unknown>[];
  waitFor(pred: (calls: SlackCall[]) => boolean, timeoutMs?: number): Promise<SlackCall[]>;
  waitForResponse(pred: (r: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  stop(): Promise<void>;
}

export async function startSlackFake(opts: { socketUrl?: () => string } = {}): Promise<SlackFake> {
  const calls: SlackCall[] = [];
  const responses: Record<string, unknown>[] = [];
  const uploads: Buffer[] = [];
  let base = '';
  let ts = 1_700_000_000;
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
      const call: SlackCall = { method, args };
      calls.push(call);
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
