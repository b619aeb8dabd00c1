/**
 * The public web chat: a page at `/`, a small JSON API under `/api/`, and live replies over
 * Server-Sent Events. It maps browser requests to the core's inbound message and writes the
 * core's outbound messages into the reporter's transcript. No business rules here.
 */
import { readFileSync } from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DeliveryAddress, InboundMessage, OutboundMessage, ReporterAdapter } from '../../src/core/types.ts';
import { LIMITS } from '../../src/core/types.ts';
import { BodyTooLargeError, readBody, sendJson, type HttpServer } from '../../src/http/server.ts';
import { LiveStreams, type TranscriptEntry } from './live.ts';
import { RateLimiter, newSessionToken, readSessionToken, sessionCookie } from './sessions.ts';

export const WEBCHAT_CHANNEL = 'webchat';

/** What the web chat needs from the rest of the product (wired in `src/app.ts`). */
export interface WebchatPort {
  processMessage(
    msg: InboundMessage,
    hooks: { accepted?(info: { lookupHash: Buffer; text?: string; problem?: InboundMessage['problem'] }): void },
  ): Promise<{ duplicate: boolean }>;
  /** Keyed hash of a session token: the transcript key. */
  sessionKey(token: string): Buffer;
  transcript: {
    append(sessionKey: Buffer, dedupeKey: string, entry: unknown, now: string): number | undefined;
    after(sessionKey: Buffer, afterSeq: number, limit?: number): { seq: number; entry: unknown }[];
    recent(sessionKey: Buffer, limit: number): { seq: number; entry: unknown }[];
  };
  /** Case codes this session's reporter holds (newest first). */
  caseCodes(token: string): string[];
  /** Page strings and the language list for a locale hint. */
  ui(localeHint: string | undefined): { locale: string; locales: { code: string; name: string }[]; strings: Record<string, string> };
  now(): Date;
}

export interface WebchatOptions {
  port: WebchatPort;
  /** Messages per minute per session (burst = a third). Default 30. */
  messagesPerMinute?: number;
  photosPerMinute?: number;
}

const PUBLIC_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'public');
const STATIC: Record<string, string> = {
  '/': 'index.html',
  '/static/app.js': 'app.js',
  '/static/style.css': 'style.css',
};
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};
const CLIENT_ID = /^[A-Za-z0-9_-]{8,64}$/;
const COMMANDS = new Set(['start', 'help', 'menu', 'language', 'status']);

export interface WebchatAdapter {
  adapter: ReporterAdapter;
  mount(server: HttpServer): void;
  close(): void;
  /** Open live streams, for health output. */
  readonly liveStreams: number;
}

export function createWebchatAdapter(options: WebchatOptions): WebchatAdapter {
  const { port } = options;
  const live = new LiveStreams();
  const perMinute = options.messagesPerMinute ?? 30;
  const messageLimiter = new RateLimiter(Math.max(5, Math.ceil(perMinute / 3)), perMinute);
  const photoLimiter = new RateLimiter(10, options.photosPerMinute ?? 20);
  const files = new Map<string, Buffer>();
  const file = (name: string) => {
    let data = files.get(name);
    if (!data) files.set(name, (data = readFileSync(path.join(PUBLIC_DIR, name))));
    return data;
  };

  const keyHex = (key: Buffer) => key.toString('hex');

  /** The inbound message for a web session: the session is both the sender and the conversation. */
  function inbound(token: string, platformMessageId: string): InboundMessage {
    return { channel: WEBCHAT_CHANNEL, conversationRef: token, senderRef: token, platformMessageId, receivedAt: port.now() };
  }

  /** Appends to the transcript and pushes to open pages. */
  function record(key: Buffer, dedupeKey: string, entry: Omit<TranscriptEntry, 'seq'>): void {
    const seq = port.transcript.append(key, dedupeKey, entry, entry.at);
    if (seq !== undefined) live.push(keyHex(key), { ...entry, seq });
  }

  const adapter: ReporterAdapter = {
    channel: WEBCHAT_CHANNEL,
    async send(to: DeliveryAddress, message: OutboundMessage, meta: { idempotencyKey: string }): Promise<void> {
      const entry: Omit<TranscriptEntry, 'seq'> = {
        direction: 'out',
        from: message.from,
        text: message.text,
        at: port.now().toISOString(),
        locale: message.locale,
      };
      if (message.choices?.length) entry.choices = message.choices;
      if (message.caseCode) entry.caseCode = message.caseCode;
      if (message.image) entry.image = message.image;
      record(port.sessionKey(to.senderRef), meta.idempotencyKey, entry);
    },
  };

  /** The label of the choice `id` the page showed last, to echo what the reporter pressed. */
  function choiceLabel(key: Buffer, id: string): string | undefined {
    for (const { entry } of port.transcript.recent(key, 30)) {
      const choice = (entry as TranscriptEntry).choices?.find((c) => c.id === id);
      if (choice) return choice.label;
    }
    return undefined;
  }

  function requireSession(req: http.IncomingMessage, res: http.ServerResponse, ui: () => Record<string, string>): string | undefined {
    if (req.method === 'POST' && req.headers['x-tipline'] !== '1') {
      // Forces a CORS preflight for cross-site scripts; SameSite=Strict covers plain forms.
      sendJson(res, 403, { error: 'forbidden', message: ui().badRequest ?? 'forbidden' });
      return undefined;
    }
    const token = readSessionToken(req);
    if (!token) sendJson(res, 401, { error: 'no_session', message: ui().sessionMissing ?? 'no session' });
    return token;
  }

  async function handleMessage(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const strings = () => port.ui(undefined).strings;
    const token = requireSession(req, res, strings);
    if (!token) return;
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8')) as Record<string, unknown>;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        // Far over the text limit: answered in the conversation like any too-long message —
        // but it counts against the session's rate like any other message.
        if (!messageLimiter.take(token)) {
          req.resume();
          return sendJson(res, 429, { error: 'rate_limited', message: strings().rateLimited }, { 'Retry-After': '5' });
        }
        return accept(res, await processTooLarge(token, req));
      }
      return sendJson(res, 400, { error: 'bad_json', message: strings().badRequest });
    }
    const locale = typeof body.locale === 'string' ? body.locale.slice(0, 35) : undefined;
    const ui = port.ui(locale).strings;
    const clientId = body.clientId;
    if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) {
      return sendJson(res, 400, { error: 'bad_client_id', message: ui.badRequest });
    }
    if (!messageLimiter.take(token)) return sendJson(res, 429, { error: 'rate_limited', message: ui.rateLimited }, { 'Retry-After': '5' });

    const msg = inbound(token, clientId);
    if (locale) msg.localeHint = locale;
    let label: string | undefined;
    const key = port.sessionKey(token);
    if (typeof body.command === 'string' && COMMANDS.has(body.command)) {
      msg.command = { name: body.command, args: typeof body.args === 'string' ? body.args.slice(0, 200) : '' };
    } else if (typeof body.action === 'string' && body.action.length > 0) {
      msg.action = body.action.slice(0, 100);
      label = choiceLabel(key, msg.action);
    } else if (typeof body.text === 'string') {
      msg.text = body.text;
    } else {
      return sendJson(res, 400, { error: 'empty', message: ui.badRequest });
    }
    const raw = msg.text;
    const result = await port.processMessage(msg, {
      // Show the reporter what was accepted (cleaned), the button they pressed, or the start
      // of a message that was too long — never control characters or an empty bubble.
      accepted: ({ lookupHash, text, problem }) => {
        const echo =
          label ?? text ?? (problem === 'too_long' && raw ? `${[...raw].slice(0, 200).join('')}…` : undefined);
        if (echo) record(lookupHash, `in:${clientId}`, { direction: 'in', from: 'reporter', text: echo, at: msg.receivedAt.toISOString() });
      },
    });
    accept(res, result);
  }

  async function processTooLarge(token: string, req: http.IncomingMessage): Promise<{ duplicate: boolean }> {
    req.resume();
    const msg = inbound(token, `toolarge:${Date.now()}:${Math.random().toString(36).slice(2)}`);
    msg.problem = 'too_long';
    return port.processMessage(msg, {});
  }

  async function handlePhoto(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const strings = () => port.ui(undefined).strings;
    const token = requireSession(req, res, strings);
    if (!token) return;
    const clientId = url.searchParams.get('clientId') ?? '';
    if (!CLIENT_ID.test(clientId)) return sendJson(res, 400, { error: 'bad_client_id', message: strings().badRequest });
    if (!photoLimiter.take(token)) return sendJson(res, 429, { error: 'rate_limited', message: strings().rateLimited }, { 'Retry-After': '10' });
    const msg = inbound(token, clientId);
    const locale = url.searchParams.get('locale');
    if (locale) msg.localeHint = locale.slice(0, 35);
    try {
      const data = await readBody(req, LIMITS.attachmentBytes);
      const mime = String(req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim();
      msg.attachments = [{ kind: mime.startsWith('image/') ? 'image' : 'other', mime, data }];
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      msg.problem = 'attachment_too_large';
      res.setHeader('Connection', 'close');
    }
    const result = await port.processMessage(msg, {
      accepted: ({ lookupHash }) => {
        if (!msg.problem) record(lookupHash, `in:${clientId}`, { direction: 'in', from: 'reporter', text: '', photo: true, at: msg.receivedAt.toISOString() });
      },
    });
    accept(res, result);
  }

  function accept(res: http.ServerResponse, result: { duplicate: boolean }): void {
    sendJson(res, 202, { accepted: true, duplicate: result.duplicate });
  }

  function entriesAfter(token: string, after: number): TranscriptEntry[] {
    return port.transcript.after(port.sessionKey(token), after).map(({ seq, entry }) => ({ ...(entry as TranscriptEntry), seq }));
  }

  return {
    adapter,
    get liveStreams() {
      return live.size;
    },
    close: () => live.close(),
    mount(server: HttpServer) {
      for (const [route, name] of Object.entries(STATIC)) {
        server.route('GET', route, (_req, res) => {
          const data = file(name);
          res.writeHead(200, {
            'Content-Type': TYPES[path.extname(name)]!,
            'Content-Length': data.length,
            'Cache-Control': 'no-cache',
          });
          res.end(data);
        });
      }

      // Browsers ask for it on every visit; answering "no content" keeps logs clean.
      server.route('GET', '/favicon.ico', (_req, res) => {
        res.writeHead(204, { 'Cache-Control': 'max-age=86400' });
        res.end();
      });

      server.route('POST', '/api/session', async (req, res) => {
        if (req.headers['x-tipline'] !== '1') return sendJson(res, 403, { error: 'forbidden' });
        let hint: string | undefined;
        try {
          const body = JSON.parse((await readBody(req, 4096)).toString('utf8') || '{}') as { locale?: unknown };
          if (typeof body.locale === 'string') hint = body.locale.slice(0, 35);
        } catch (err) {
          if (err instanceof BodyTooLargeError) throw err;
        }
        let token = readSessionToken(req);
        const headers: Record<string, string> = {};
        if (!token) {
          token = newSessionToken();
          headers['Set-Cookie'] = sessionCookie(token, req);
        }
        const ui = port.ui(hint);
        sendJson(res, 200, { ...ui, history: entriesAfter(token, 0), caseCodes: port.caseCodes(token) }, headers);
      });

      server.route('GET', '/api/ui', (_req, res, url) => sendJson(res, 200, port.ui(url.searchParams.get('locale') ?? undefined)));

      server.route('GET', '/api/history', (req, res, url) => {
        const token = readSessionToken(req);
        if (!token) return sendJson(res, 401, { error: 'no_session' });
        const after = Number(url.searchParams.get('after') ?? '0') || 0;
        sendJson(res, 200, { entries: entriesAfter(token, after) });
      });

      server.route('GET', '/api/events', (req, res, url) => {
        const token = readSessionToken(req);
        if (!token) return sendJson(res, 401, { error: 'no_session' });
        const last = Number(req.headers['last-event-id'] ?? url.searchParams.get('after') ?? '0') || 0;
        req.socket.setTimeout(0);
        live.open(keyHex(port.sessionKey(token)), res, entriesAfter(token, last));
      });

      server.route('POST', '/api/messages', handleMessage);
      server.route('POST', '/api/photos', handlePhoto);
    },
  };
}
