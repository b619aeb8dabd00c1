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
import { Fairness, SessionSigner, acceptLanguage, clientAddress, expiredSessionCookie, readSessionToken, sessionCookie } from './sessions.ts';

export const WEBCHAT_CHANNEL = 'webchat';

/** What the web chat needs from the rest of the product (wired in `src/app.ts`). */
export interface WebchatPort {
  processMessage(
    msg: InboundMessage,
    hooks: { accepted?(info: { lookupHash: Buffer; text?: string; problem?: InboundMessage['problem'] }): void },
  ): Promise<{ duplicate: boolean }>;
  /** Keyed hash of a session token: the transcript key. */
  sessionKey(token: string): Buffer;
  /** A keyed MAC (the product's secret) to sign session tokens. */
  mac(value: string): Buffer;
  /** The reporter's view of the conversation (stored encrypted by the product). */
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
/** Photo bodies held in memory at once (each up to 10 MB); more wait and retry. */
const MAX_UPLOADS_IN_FLIGHT = 8;
/** What a returning page is shown at once; older entries stay stored. */
const HISTORY_ENTRIES = 500;

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
  const signer = new SessionSigner(port.mac);
  const perMinute = options.messagesPerMinute ?? 30;
  // Per address the limits are generous: mobile carriers put many people behind one address
  // (CGNAT), and a viral photo brings them all at once. They stop one machine, not a crowd.
  const messages = new Fairness({ burst: Math.max(5, Math.ceil(perMinute / 3)), perMinute }, { burst: 300, perMinute: 1200 });
  const photos = new Fairness({ burst: 10, perMinute: options.photosPerMinute ?? 20 }, { burst: 60, perMinute: 120 });
  const sessions = new Fairness({ burst: 1, perMinute: 1 }, { burst: 100, perMinute: 300 });
  let uploadsInFlight = 0;
  const files = new Map<string, Buffer>();
  const file = (name: string) => {
    let data = files.get(name);
    if (!data) files.set(name, (data = readFileSync(path.join(PUBLIC_DIR, name))));
    return data;
  };

  const keyHex = (key: Buffer) => key.toString('hex');
  /** Page strings in the best language we know for this request. */
  const stringsFor = (req: http.IncomingMessage, hint?: string) => port.ui(hint ?? acceptLanguage(req)).strings;
  const tooMany = (res: http.ServerResponse, strings: Record<string, string>, seconds: number) =>
    sendJson(res, 429, { error: 'rate_limited', message: strings.rateLimited }, { 'Retry-After': String(seconds) });

  /** The inbound message for a web session: the session is both the sender and the conversation. */
  function inbound(token: string, platformMessageId: string): InboundMessage {
    return { channel: WEBCHAT_CHANNEL, conversationRef: token, senderRef: token, platformMessageId, receivedAt: port.now() };
  }

  /** Appends to the transcript; returns the entry to push once its transaction has committed. */
  function append(key: Buffer, dedupeKey: string, entry: Omit<TranscriptEntry, 'seq'>): { key: string; entry: TranscriptEntry } | undefined {
    const seq = port.transcript.append(key, dedupeKey, entry, entry.at);
    return seq === undefined ? undefined : { key: keyHex(key), entry: { ...entry, seq } };
  }

  const adapter: ReporterAdapter = {
    channel: WEBCHAT_CHANNEL,
    // The transcript keeps one entry per idempotency key: sending again after a crash is harmless.
    idempotent: true,
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
      const done = append(port.sessionKey(to.senderRef), meta.idempotencyKey, entry);
      if (done) live.push(done.key, done.entry);
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

  /** Checks the CSRF header and the signed session; answers the request itself when either fails. */
  function requireSession(req: http.IncomingMessage, res: http.ServerResponse, strings: Record<string, string>): string | undefined {
    if (req.method === 'POST' && req.headers['x-tipline'] !== '1') {
      // Forces a CORS preflight for cross-site scripts; SameSite=Strict covers plain forms.
      sendJson(res, 403, { error: 'forbidden', message: strings.badRequest ?? 'forbidden' });
      return undefined;
    }
    const token = readSessionToken(req, signer);
    if (!token) sendJson(res, 401, { error: 'no_session', message: strings.sessionMissing ?? 'no session' });
    return token;
  }

  /**
   * Hands a message to the core. The reporter's own message is echoed into their transcript
   * inside the core's transaction, and pushed to open pages only after it has committed.
   */
  async function submit(res: http.ServerResponse, msg: InboundMessage, echo: (accepted: { text?: string; problem?: InboundMessage['problem'] }) => Omit<TranscriptEntry, 'seq'> | undefined): Promise<void> {
    let pushed: { key: string; entry: TranscriptEntry } | undefined;
    const result = await port.processMessage(msg, {
      accepted: ({ lookupHash, text, problem }) => {
        const entry = echo({ ...(text !== undefined ? { text } : {}), ...(problem ? { problem } : {}) });
        if (entry) pushed = append(lookupHash, `in:${msg.platformMessageId}`, entry);
      },
    });
    if (pushed) live.push(pushed.key, pushed.entry);
    // `echoed` tells the page whether to wait for its own bubble (a refused file has none).
    sendJson(res, 202, { accepted: true, duplicate: result.duplicate, echoed: pushed !== undefined });
  }

  async function handleMessage(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const token = requireSession(req, res, stringsFor(req));
    if (!token) return;
    const address = clientAddress(req);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((await readBody(req, 64 * 1024)).toString('utf8')) as Record<string, unknown>;
      if (!body || typeof body !== 'object' || Array.isArray(body)) throw new Error('not an object');
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) return sendJson(res, 400, { error: 'bad_json', message: stringsFor(req).badRequest });
      // Far over the text limit: answered in the conversation like any too-long message, and
      // counted against the rate like any other.
      req.resume();
      if (!messages.take(token, address)) return tooMany(res, stringsFor(req), 5);
      const msg = inbound(token, `toolarge:${Date.now()}:${Math.random().toString(36).slice(2)}`);
      msg.problem = 'too_long';
      return submit(res, msg, () => undefined);
    }
    const locale = typeof body.locale === 'string' ? body.locale.slice(0, 35) : undefined;
    const strings = stringsFor(req, locale);
    const clientId = body.clientId;
    if (typeof clientId !== 'string' || !CLIENT_ID.test(clientId)) {
      return sendJson(res, 400, { error: 'bad_client_id', message: strings.badRequest });
    }
    if (!messages.take(token, address)) return tooMany(res, strings, 5);

    const msg = inbound(token, clientId);
    if (locale) msg.localeHint = locale;
    let label: string | undefined;
    if (typeof body.command === 'string' && COMMANDS.has(body.command)) {
      msg.command = { name: body.command, args: typeof body.args === 'string' ? body.args.slice(0, 200) : '' };
    } else if (typeof body.action === 'string' && body.action.length > 0) {
      msg.action = body.action.slice(0, 100);
      label = choiceLabel(port.sessionKey(token), msg.action);
    } else if (typeof body.text === 'string') {
      msg.text = body.text;
    } else {
      return sendJson(res, 400, { error: 'empty', message: strings.badRequest });
    }
    const raw = msg.text;
    const at = msg.receivedAt.toISOString();
    // Show the reporter what was accepted (cleaned), the button they pressed, or the start of
    // a message that was too long — never control characters or an empty bubble.
    await submit(res, msg, ({ text, problem }) => {
      const shown = label ?? text ?? (problem === 'too_long' && raw ? `${[...raw].slice(0, 200).join('')}…` : undefined);
      return shown ? { direction: 'in', from: 'reporter', text: shown, at } : undefined;
    });
  }

  async function handlePhoto(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const locale = url.searchParams.get('locale')?.slice(0, 35) || undefined;
    const strings = stringsFor(req, locale);
    const token = requireSession(req, res, strings);
    if (!token) return;
    const clientId = url.searchParams.get('clientId') ?? '';
    if (!CLIENT_ID.test(clientId)) return sendJson(res, 400, { error: 'bad_client_id', message: strings.badRequest });
    if (!photos.take(token, clientAddress(req))) return tooMany(res, strings, 10);
    if (uploadsInFlight >= MAX_UPLOADS_IN_FLIGHT) {
      req.resume();
      return sendJson(res, 503, { error: 'busy', message: strings.retrying }, { 'Retry-After': '3' });
    }
    const msg = inbound(token, clientId);
    if (locale) msg.localeHint = locale;
    uploadsInFlight++;
    try {
      const data = await readBody(req, LIMITS.attachmentBytes);
      const mime = String(req.headers['content-type'] ?? 'application/octet-stream').split(';')[0]!.trim();
      msg.attachments = [{ kind: mime.startsWith('image/') ? 'image' : 'other', mime, data }];
    } catch (err) {
      if (!(err instanceof BodyTooLargeError)) throw err;
      msg.problem = 'attachment_too_large';
      res.setHeader('Connection', 'close');
    } finally {
      uploadsInFlight--;
    }
    const at = msg.receivedAt.toISOString();
    await submit(res, msg, ({ problem }) => (problem ? undefined : { direction: 'in', from: 'reporter', text: '', photo: true, at }));
  }

  /**
   * The page, already in the browser's language with this installation's emergency number, so
   * it is right before (and without) its script.
   */
  const pages = new Map<string, Buffer>();
  function page(req: http.IncomingMessage): Buffer {
    const ui = port.ui(acceptLanguage(req));
    let html = pages.get(ui.locale);
    if (!html) {
      const escape = (t: string) => t.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
      const text = file('index.html')
        .toString('utf8')
        .replace(/<html lang="[^"]*">/, `<html lang="${escape(ui.locale)}">`)
        .replace(/(data-i18n="(\w+)"[^>]*>)[^<]*(<)/g, (all, open: string, key: string, close: string) =>
          ui.strings[key] ? `${open}${escape(ui.strings[key]!)}${close}` : all,
        )
        .replace(/<title>[^<]*<\/title>/, `<title>${escape(ui.strings.title ?? 'Tip line')}</title>`);
      pages.set(ui.locale, (html = Buffer.from(text)));
    }
    return html;
  }

  function history(token: string): TranscriptEntry[] {
    return port.transcript
      .recent(port.sessionKey(token), HISTORY_ENTRIES)
      .reverse()
      .map(({ seq, entry }) => ({ ...(entry as TranscriptEntry), seq }));
  }

  function entriesAfter(token: string, after: number): TranscriptEntry[] {
    return port.transcript.after(port.sessionKey(token), after, 2000).map(({ seq, entry }) => ({ ...(entry as TranscriptEntry), seq }));
  }

  return {
    adapter,
    get liveStreams() {
      return live.size;
    },
    close: () => live.close(),
    mount(server: HttpServer) {
      for (const [route, name] of Object.entries(STATIC)) {
        server.route('GET', route, (req, res) => {
          const data = name === 'index.html' ? page(req) : file(name);
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
        if (req.headers['x-tipline'] !== '1') return sendJson(res, 403, { error: 'forbidden', message: stringsFor(req).badRequest });
        let hint: string | undefined;
        try {
          const body = JSON.parse((await readBody(req, 4096)).toString('utf8') || '{}') as { locale?: unknown };
          if (typeof body.locale === 'string') hint = body.locale.slice(0, 35);
        } catch (err) {
          if (err instanceof BodyTooLargeError) throw err;
        }
        let token = readSessionToken(req, signer);
        const headers: Record<string, string> = {};
        if (!token) {
          if (!sessions.take(undefined, clientAddress(req))) return tooMany(res, stringsFor(req, hint), 10);
          token = signer.issue();
          headers['Set-Cookie'] = sessionCookie(token, req);
        }
        sendJson(res, 200, { ...port.ui(hint), history: history(token), caseCodes: port.caseCodes(token) }, headers);
      });

      // Forget this device: the cookie goes; the conversation stays reachable only by case code.
      server.route('POST', '/api/forget', (req, res) => {
        if (req.headers['x-tipline'] !== '1') return sendJson(res, 403, { error: 'forbidden', message: stringsFor(req).badRequest });
        sendJson(res, 200, { forgotten: true }, { 'Set-Cookie': expiredSessionCookie(req) });
      });

      server.route('GET', '/api/ui', (_req, res, url) => sendJson(res, 200, port.ui(url.searchParams.get('locale') ?? undefined)));

      server.route('GET', '/api/history', (req, res, url) => {
        const token = readSessionToken(req, signer);
        if (!token) return sendJson(res, 401, { error: 'no_session', message: stringsFor(req).sessionMissing });
        const after = Number(url.searchParams.get('after') ?? '0') || 0;
        sendJson(res, 200, { entries: entriesAfter(token, after) });
      });

      server.route('GET', '/api/events', (req, res, url) => {
        const token = readSessionToken(req, signer);
        if (!token) return sendJson(res, 401, { error: 'no_session', message: stringsFor(req).sessionMissing });
        const address = clientAddress(req);
        if (!live.canOpen(address)) return tooMany(res, stringsFor(req), 15);
        const last = Number(req.headers['last-event-id'] ?? url.searchParams.get('after') ?? '0') || 0;
        req.socket.setTimeout(0);
        live.open(keyHex(port.sessionKey(token)), res, entriesAfter(token, last), address);
      });

      server.route('POST', '/api/messages', handleMessage);
      server.route('POST', '/api/photos', handlePhoto);
    },
  };
}
