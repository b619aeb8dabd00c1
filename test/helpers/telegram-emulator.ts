/**
 * A Telegram Bot API emulator for tests: the npm package `telegram-test-api` (a real express
 * server on 127.0.0.1), extended with what it lacks so that grammY and telegraf can run against it
 * unchanged — a long-polling `getUpdates`, `sendPhoto`/`sendDocument`, `getFile` and file
 * download, webhooks with `secret_token`, callback answers, commands, edits — plus failure
 * injection (a user who blocked the bot, 429 / 5xx) and builders that act as Telegram users.
 *
 * How it extends the package, and why this way:
 * The package builds its express app in its constructor and registers a catch-all
 * `/bot:token/:method` route ("method not supported", HTTP 500) and a 404 handler before we can add
 * anything, so routes added to the app afterwards never run. Instead we let the package start its
 * own `http.Server` (through `http-shutdown`, so its `stop()` still closes every connection), then
 * put one request handler IN FRONT of its express app on that same server: Bot API calls
 * (`/bot<token>/<method>`) and file downloads (`/file/bot<token>/<path>`) are answered here,
 * everything else (the package's own client routes `/sendMessage`, `/getUpdates`, … used by its
 * `TelegramClient`) falls through to the package's express app untouched.
 *
 * The package's storage can only represent `message` and `callback_query` updates (it rewrites
 * `message_id`, stamps dates in milliseconds and has no notion of offsets), so the update queue
 * lives here. Bot messages are recorded here and also mirrored into the package's storage
 * (`addBotMessage`), and user messages sent with the package's own `TelegramClient` are bridged
 * into our queue, so its client helpers keep working (message ids differ between the two views).
 *
 * Everything is per emulator (one bot token per emulator). `stop()` answers waiting long polls
 * with an empty batch, aborts webhook deliveries and closes the server.
 */
import { Buffer } from 'node:buffer';
import { Server as HttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { randomBytes } from 'node:crypto';
import { TelegramServer } from 'telegram-test-api/lib/telegramServer.js';
import type {
  BotCommand,
  Chat,
  Document,
  ForceReply,
  InlineKeyboardMarkup,
  Message,
  MessageEntity,
  PhotoSize,
  ReplyKeyboardMarkup,
  ReplyKeyboardRemove,
  Update,
  UserFromGetMe,
} from 'grammy/types';

// ───────────────────────────── public types ─────────────────────────────

/** A Telegram user as tests describe one. Their private chat id is their user id. */
export interface EmulatorUser {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_bot?: boolean;
}

export interface EmulatorGroup {
  id: number;
  title: string;
  type?: 'group' | 'supergroup';
}

/** A channel (or other chat) a message was forwarded from. */
export interface ForwardSource {
  id: number;
  title: string;
  type?: 'channel' | 'supergroup' | 'group';
  username?: string;
  /** Id of the original message in that chat (default: a fresh id). */
  messageId?: number;
}

export type ReplyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

export interface BotMessageEdit {
  method: string;
  at: number;
  params: Readonly<Record<string, unknown>>;
}

/** Something the bot sent (sendMessage, sendPhoto, sendDocument, other send* methods). */
export interface BotMessage {
  method: string;
  message_id: number;
  chat_id: number | string;
  date: number;
  text?: string;
  caption?: string;
  parse_mode?: string;
  /** Current markup (edits apply). */
  reply_markup?: ReplyMarkup;
  photo?: PhotoSize[];
  document?: Document;
  /** Bytes of the photo's largest size or of the document, when the emulator has them. */
  fileBytes?: Buffer;
  /** How the bot gave the file: uploaded bytes, an existing file_id, or an HTTP URL (not fetched). */
  fileSource?: 'upload' | 'file_id' | 'url';
  fileUrl?: string;
  /** The parameters as received (file parts replaced by their names). */
  params: Readonly<Record<string, unknown>>;
  edits: BotMessageEdit[];
  deleted: boolean;
}

export interface AnsweredCallback {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
}

export interface ApiCall {
  method: string;
  params: Readonly<Record<string, unknown>>;
  /** Names of multipart file parts. */
  files: string[];
  status: number;
  ok: boolean;
  description?: string;
  at: number;
  /** `webhook-reply`: the bot answered a webhook POST with `{ method, ... }` (telegraf's webhookReply). */
  via: 'http' | 'webhook-reply';
}

export interface WebhookSetting {
  url: string;
  secret_token?: string;
  allowed_updates?: string[];
  max_connections?: number;
  drop_pending_updates?: boolean;
  at: number;
}

export interface WebhookDelivery {
  update_id: number;
  url: string;
  /** 0 when the request failed without an HTTP status (connection refused, timeout). */
  status: number;
  ok: boolean;
  error?: string;
  attempt: number;
  /** The method the bot answered the webhook POST with, if it did (executed by the emulator). */
  replyMethod?: string;
}

export interface FailureSpec {
  /** HTTP status and `error_code`, e.g. 429, 500, 502, 400, 403. */
  status: number;
  /** For 429: `parameters.retry_after` in seconds (default 1). */
  retryAfter?: number;
  description?: string;
  /** How many consecutive calls fail (default 1). */
  times?: number;
}

export interface EmulatorFile {
  file_id: string;
  file_unique_id: string;
  file_path: string;
  /** The size Telegram reports (the real byte length unless overridden). */
  file_size: number;
  mime_type?: string;
  file_name?: string;
  /** Undefined for files the bot gave as URL (the emulator does not fetch them). */
  bytes?: Buffer;
  url?: string;
}

export interface CommandSet {
  commands: BotCommand[];
  scope?: Readonly<Record<string, unknown>>;
  language_code?: string;
}

/** An update as queued: a well-formed `Update`, or anything a test pushed (malformed on purpose). */
export type QueuedUpdate = { update_id: number } & Record<string, unknown>;

export interface PhotoOptions {
  caption?: string;
  forwardFromChat?: ForwardSource;
  /** Pixel size of the largest photo size (default 1280×960). */
  width?: number;
  height?: number;
  /** Report this `file_size` (update and getFile) instead of the real byte length. */
  fileSize?: number;
  mime?: string;
}

export interface DocumentOptions {
  caption?: string;
  forwardFromChat?: ForwardSource;
  fileSize?: number;
}

export interface StartOptions {
  /** Bot token (default: a fresh `<digits>:<random>` token; the digits are the bot's user id). */
  token?: string;
  /** Upper bound for a waiting getUpdates, in seconds (default 5; telegraf asks for 50). */
  maxPollSeconds?: number;
  /** What getMe answers (id defaults to the token's numeric prefix). */
  bot?: Partial<Pick<UserFromGetMe, 'first_name' | 'username' | 'id'>>;
}

export interface TelegramEmulator {
  /** `http://127.0.0.1:<port>` — no trailing slash; grammY `client.apiRoot`, telegraf `telegram.apiRoot`. */
  readonly apiRoot: string;
  readonly token: string;
  readonly port: number;
  readonly botInfo: UserFromGetMe;
  /** The underlying telegram-test-api instance (escape hatch). */
  readonly server: TelegramServer;
  /** Releases waiting getUpdates, aborts webhook deliveries, closes the server. Idempotent. */
  stop(): Promise<void>;

  // acting as Telegram
  nextUpdateId(): number;
  nextMessageId(): number;
  /** Queue any update (given `update_id` kept, so the same id can be pushed twice; else assigned). */
  pushUpdate<T extends object>(update: T): T & { update_id: number };
  /** Updates not yet confirmed by an offset (or delivered to the webhook). */
  pendingUpdates(): QueuedUpdate[];
  userText(user: EmulatorUser, text: string, extra?: Record<string, unknown>): Update;
  userCommand(user: EmulatorUser, commandText: string, extra?: Record<string, unknown>): Update;
  userPhoto(user: EmulatorUser, bytes: Uint8Array, opts?: PhotoOptions): Update;
  userDocument(user: EmulatorUser, bytes: Uint8Array, mime: string, fileName: string, opts?: DocumentOptions): Update;
  userCallback(user: EmulatorUser, data: string, messageId: number): Update;
  userContact(user: EmulatorUser, phone: string, opts?: { firstName?: string; userId?: number | null }): Update;
  /** A private message with arbitrary content fields: `{ voice }`, `{ sticker }`, `{ location }`, … */
  userMessage(user: EmulatorUser, fields: Record<string, unknown>): Update;
  /** `edited_message` for a message the user sent earlier. */
  userEdit(user: EmulatorUser, messageId: number, text: string): Update;
  groupText(user: EmulatorUser, group: EmulatorGroup, text: string, extra?: Record<string, unknown>): Update;
  /** Register bytes as a downloadable file (what the builders use). */
  registerFile(bytes: Uint8Array, opts?: { kind?: string; ext?: string; mime?: string; fileName?: string; fileSize?: number }): EmulatorFile;
  file(fileId: string): EmulatorFile | undefined;

  // what the bot did
  botMessages(chatId?: number | string): BotMessage[];
  /** Resolves with the chat's bot messages once there are `n`, or once `predicate(messages)` holds. */
  waitForBotMessages(
    chatId: number | string,
    countOrPredicate: number | ((messages: readonly BotMessage[]) => boolean),
    timeoutMs?: number,
  ): Promise<BotMessage[]>;
  answeredCallbacks(): AnsweredCallback[];
  apiCalls(method?: string): ApiCall[];
  /**
   * Bot API requests received over HTTP and not answered yet (all, or one method's). A bot that
   * was just killed may have sends still arriving: they complete (or fail) once this is 0.
   */
  requestsInProgress(method?: string): number;
  /** Re-evaluates `probe` on every emulator event (and every 50 ms) until it returns something truthy (0 and '' are not). */
  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs?: number, what?: string): Promise<T>;
  commandSets(): CommandSet[];

  // webhooks
  webhook(): WebhookSetting | null;
  webhookHistory(): WebhookSetting[];
  webhookDeliveries(): WebhookDelivery[];
  /** POST one update to the current webhook URL now (not queued), optionally with another secret (`null`: no header). */
  deliverWebhook(update: object, opts?: { secretToken?: string | null; url?: string }): Promise<{ status: number; body: string }>;

  // failure injection
  blockUser(chatId: number | string, description?: string): void;
  unblockUser(chatId: number | string): void;
  failNext(method: string, spec: FailureSpec): void;
  /** Answer a waiting getUpdates now with an empty batch. */
  releasePolls(): void;
}

// ───────────────────────────── internals ─────────────────────────────

type Params = Record<string, unknown>;

interface Upload {
  bytes: Buffer;
  filename?: string;
  contentType?: string;
}

type ApiBody =
  | { ok: true; result: unknown; description?: string }
  | { ok: false; error_code: number; description: string; parameters?: { retry_after?: number } };

interface ApiResult {
  status: number;
  body: ApiBody;
}

interface CallContext {
  method: string;
  params: Params;
  files: Map<string, Upload>;
  signal: AbortSignal;
  via: ApiCall['via'];
}

interface QueueEntry {
  update: QueuedUpdate;
  delivered: boolean;
  attempts: number;
}

interface Poller {
  limit: number;
  finish(result: ApiResult): void;
}

const MAX_BODY = 55 * 1024 * 1024;
const GETFILE_LIMIT = 20 * 1024 * 1024;
const DEFAULT_EXCLUDED_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

const ok = (result: unknown, description?: string): ApiResult => ({
  status: 200,
  body: description === undefined ? { ok: true, result } : { ok: true, result, description },
});
const fail = (status: number, description: string, retryAfter?: number): ApiResult => ({
  status,
  body:
    retryAfter === undefined
      ? { ok: false, error_code: status, description }
      : { ok: false, error_code: status, description, parameters: { retry_after: retryAfter } },
});
const badRequest = (what: string): ApiResult => fail(400, `Bad Request: ${what}`);

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
/** multipart and urlencoded bodies carry objects as JSON strings. */
function jsonish(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const t = v.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return v;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return v;
  }
}
function str(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  return undefined;
}
function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}
function bool(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 'true') return true;
  if (v === 'false') return false;
  return undefined;
}
function chatIdOf(v: unknown): number | string | undefined {
  const n = int(v);
  if (n !== undefined) return n;
  return typeof v === 'string' && v !== '' ? v : undefined;
}
function sameChat(a: number | string, b: number | string): boolean {
  return String(a) === String(b);
}
function now(): number {
  return Math.floor(Date.now() / 1000);
}
function clone<T>(v: T): T {
  return JSON.parse(JSON.stringify(v)) as T;
}
function asReplyMarkup(v: unknown): ReplyMarkup | undefined {
  const m = jsonish(v);
  if (!isRecord(m)) return undefined;
  if ('inline_keyboard' in m || 'keyboard' in m || 'remove_keyboard' in m || 'force_reply' in m) {
    return m as unknown as ReplyMarkup;
  }
  return undefined;
}
/** Telegram's own checks on an inline keyboard that bots trip over. */
function validateMarkup(v: unknown): string | undefined {
  if (v === undefined) return undefined;
  const m = jsonish(v);
  if (!isRecord(m)) return "can't parse reply keyboard markup JSON object";
  if (!('inline_keyboard' in m)) return undefined;
  const rows = m.inline_keyboard;
  if (!Array.isArray(rows)) return "can't parse inline keyboard: field \"inline_keyboard\" must be an Array";
  for (const row of rows) {
    if (!Array.isArray(row)) return "can't parse inline keyboard: rows must be Arrays";
    for (const b of row) {
      if (!isRecord(b) || typeof b.text !== 'string') return "can't parse inline keyboard button: Field \"text\" must be of type String";
      const keys = ['callback_data', 'url', 'switch_inline_query', 'switch_inline_query_current_chat', 'login_url', 'web_app', 'pay', 'callback_game', 'copy_text', 'switch_inline_query_chosen_chat'];
      if (!keys.some((k) => k in b)) return "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard";
      if (typeof b.callback_data === 'string' && (b.callback_data === '' || Buffer.byteLength(b.callback_data) > 64)) {
        return 'BUTTON_DATA_INVALID';
      }
    }
  }
  return undefined;
}
function commandEntity(text: string): MessageEntity[] | undefined {
  const m = /^\/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]{3,64})?/.exec(text);
  return m ? [{ type: 'bot_command', offset: 0, length: m[0].length }] : undefined;
}
function updateType(u: QueuedUpdate): string | undefined {
  return Object.keys(u).find((k) => k !== 'update_id');
}
function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
function defaultDescription(status: number, retryAfter: number | undefined): string {
  switch (status) {
    case 429:
      return `Too Many Requests: retry after ${retryAfter ?? 1}`;
    case 400:
      return 'Bad Request';
    case 401:
      return 'Unauthorized';
    case 403:
      return 'Forbidden';
    case 409:
      return 'Conflict';
    case 502:
      return 'Bad Gateway';
    case 503:
      return 'Service Unavailable';
    default:
      return status >= 500 ? 'Internal Server Error' : `Error ${status}`;
  }
}

/**
 * Minimal multipart/form-data parser. Node's `Response.formData()` (undici) rejects grammY's
 * parts (`content-disposition:form-data;name="x";filename=photo.jpg` — no spaces, unquoted
 * filename), so we parse by hand, tolerantly.
 */
function parseMultipart(body: Buffer, boundary: string): { name: string; filename?: string; contentType?: string; data: Buffer }[] {
  const parts: { name: string; filename?: string; contentType?: string; data: Buffer }[] = [];
  const first = Buffer.from(`--${boundary}`);
  const delim = Buffer.from(`\r\n--${boundary}`);
  let pos = body.indexOf(first);
  if (pos === -1) return parts;
  pos += first.length;
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break; // closing "--"
    while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    const next = body.indexOf(delim, pos);
    if (next === -1) break;
    const part = body.subarray(pos, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd !== -1) {
      const headers = new Map<string, string>();
      for (const line of part.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
        const i = line.indexOf(':');
        if (i > 0) headers.set(line.slice(0, i).trim().toLowerCase(), line.slice(i + 1).trim());
      }
      const disposition = headers.get('content-disposition') ?? '';
      const fields = new Map<string, string>();
      for (const piece of disposition.split(';').slice(1)) {
        const eq = piece.indexOf('=');
        if (eq === -1) continue;
        let value = piece.slice(eq + 1).trim();
        if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
        fields.set(piece.slice(0, eq).trim().toLowerCase(), value);
      }
      const name = fields.get('name');
      if (name !== undefined) {
        const entry: { name: string; filename?: string; contentType?: string; data: Buffer } = {
          name,
          data: Buffer.from(part.subarray(headerEnd + 4)),
        };
        const filename = fields.get('filename');
        if (filename !== undefined) entry.filename = filename;
        const ct = headers.get('content-type');
        if (ct !== undefined) entry.contentType = ct;
        parts.push(entry);
      }
    }
    pos = next + delim.length;
  }
  return parts;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += b.length;
    if (size > MAX_BODY) throw new Error('Request Entity Too Large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

/** Parameters from the query string and a JSON, urlencoded or multipart body. */
function parseParams(body: Buffer, contentType: string, query: URLSearchParams): { params: Params; files: Map<string, Upload> } {
  const params: Params = {};
  const files = new Map<string, Upload>();
  for (const [k, v] of query) params[k] = v;
  const ct = contentType.toLowerCase();
  if (body.length === 0) return { params, files };
  if (ct.startsWith('multipart/form-data')) {
    const m = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
    const boundary = m?.[1] ?? m?.[2];
    if (boundary === undefined) throw new Error('multipart body without boundary');
    for (const part of parseMultipart(body, boundary)) {
      if (part.filename !== undefined) {
        const upload: Upload = { bytes: part.data, filename: part.filename };
        if (part.contentType !== undefined) upload.contentType = part.contentType;
        files.set(part.name, upload);
      } else {
        params[part.name] = part.data.toString('utf8');
      }
    }
  } else if (ct.startsWith('application/x-www-form-urlencoded')) {
    for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = v;
  } else {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (!isRecord(parsed)) throw new Error('the request body must be a JSON object');
    Object.assign(params, parsed);
  }
  return { params, files };
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createNetServer();
    s.unref();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const addr = s.address();
      const port = typeof addr === 'object' && addr !== null ? addr.port : 0;
      s.close(() => (port > 0 ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

// ───────────────────────────── the emulator ─────────────────────────────

class Emulator implements TelegramEmulator {
  readonly apiRoot: string;
  readonly botInfo: UserFromGetMe;

  private updateCounter = 0;
  private messageCounter = 0;
  private fileCounter = 0;
  private callbackCounter = 0;
  private queue: QueueEntry[] = [];
  private allowedUpdates: string[] = [];
  private poller: Poller | undefined;
  private stopping = false;
  private stopped: Promise<void> | undefined;
  private readonly listeners = new Set<() => void>();

  private readonly sent: BotMessage[] = [];
  private readonly userMessages = new Map<string, Message>();
  private readonly chats = new Map<string, Chat>();
  private readonly files = new Map<string, EmulatorFile>();
  private readonly filesByPath = new Map<string, EmulatorFile>();
  private readonly photoGroups = new Map<string, PhotoSize[]>();
  private readonly knownCallbacks = new Set<string>();
  private readonly answered: AnsweredCallback[] = [];
  private readonly calls: ApiCall[] = [];
  private readonly commands = new Map<string, CommandSet>();
  private readonly blocked = new Map<string, string>();
  private readonly failures = new Map<string, FailureSpec[]>();
  /** HTTP Bot API requests under way, by lower-case method. */
  private readonly inProgress = new Map<string, number>();

  private hook: WebhookSetting | null = null;
  private readonly hooks: WebhookSetting[] = [];
  private readonly deliveries: WebhookDelivery[] = [];
  private pumping = false;
  private readonly pumpAbort = new AbortController();

  constructor(
    readonly server: TelegramServer,
    readonly token: string,
    readonly port: number,
    private readonly maxPollSeconds: number,
    bot: StartOptions['bot'],
  ) {
    this.apiRoot = `http://127.0.0.1:${port}`;
    const idFromToken = Number(/^(\d+):/.exec(token)?.[1] ?? '7000000001');
    this.botInfo = {
      id: bot?.id ?? idFromToken,
      is_bot: true,
      first_name: bot?.first_name ?? 'Tip Line Test Bot',
      username: bot?.username ?? 'tipline_test_bot',
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    } as UserFromGetMe;
  }

  // ─── HTTP front ───

  /** Returns false when the request is not ours (the package's express app answers it). */
  route(req: IncomingMessage, res: ServerResponse): boolean {
    // A bot killed mid-request (the crash test) resets its connections: that is expected here,
    // never an error of the test process (aborts are handled through res 'close').
    req.on('error', () => {});
    res.on('error', () => {});
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const api = /^\/bot([^/]+)\/([A-Za-z][A-Za-z0-9_]*)\/?$/.exec(url.pathname);
    if (api?.[1] !== undefined && api[2] !== undefined) {
      void this.handleApi(decodeURIComponent(api[1]), api[2], url, req, res).catch((e: unknown) => {
        send(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(e)}` });
      });
      return true;
    }
    const file = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (file?.[1] !== undefined && file[2] !== undefined) {
      this.serveFile(decodeURIComponent(file[1]), decodeURIComponent(file[2]), req, res);
      return true;
    }
    return false;
  }

  private async handleApi(token: string, method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const key = method.toLowerCase();
    this.inProgress.set(key, (this.inProgress.get(key) ?? 0) + 1);
    try {
      await this.answerApi(token, method, url, req, res);
    } finally {
      const left = (this.inProgress.get(key) ?? 1) - 1;
      if (left > 0) this.inProgress.set(key, left);
      else this.inProgress.delete(key);
    }
  }

  requestsInProgress(method?: string): number {
    if (method !== undefined) return this.inProgress.get(method.toLowerCase()) ?? 0;
    let n = 0;
    for (const v of this.inProgress.values()) n += v;
    return n;
  }

  private async answerApi(token: string, method: string, url: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ac = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) ac.abort();
    });
    let parsed: { params: Params; files: Map<string, Upload> };
    try {
      const body = await readBody(req);
      parsed = parseParams(body, req.headers['content-type'] ?? '', url.searchParams);
    } catch (e) {
      send(res, 400, { ok: false, error_code: 400, description: `Bad Request: ${e instanceof Error ? e.message : String(e)}` });
      return;
    }
    if (token !== this.token) {
      send(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    const result = await this.call(method, parsed.params, parsed.files, ac.signal, 'http');
    send(res, result.status, result.body);
  }

  private serveFile(token: string, filePath: string, req: IncomingMessage, res: ServerResponse): void {
    const f = token === this.token ? this.filesByPath.get(filePath) : undefined;
    if (!f?.bytes) {
      send(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    res.writeHead(200, { 'content-type': f.mime_type ?? 'application/octet-stream', 'content-length': f.bytes.length });
    res.end(req.method === 'HEAD' ? undefined : f.bytes);
  }

  // ─── dispatch ───

  private async call(method: string, params: Params, files: Map<string, Upload>, signal: AbortSignal, via: ApiCall['via']): Promise<ApiResult> {
    const ctx: CallContext = { method, params, files, signal, via };
    const result = await this.execute(ctx);
    const record: ApiCall = {
      method,
      params: this.recordable(params),
      files: [...files.keys()],
      status: result.status,
      ok: result.body.ok,
      at: Date.now(),
      via,
    };
    if (!result.body.ok) record.description = result.body.description;
    this.calls.push(record);
    this.notify();
    return result;
  }

  private recordable(params: Params): Params {
    const out: Params = {};
    for (const [k, v] of Object.entries(params)) out[k] = jsonish(v);
    return out;
  }

  private async execute(ctx: CallContext): Promise<ApiResult> {
    const lower = ctx.method.toLowerCase();
    const queued = this.failures.get(lower);
    const spec = queued?.[0];
    if (queued && spec) {
      const left = (spec.times ?? 1) - 1;
      if (left <= 0) queued.shift();
      else queued[0] = { ...spec, times: left };
      const retryAfter = spec.status === 429 ? (spec.retryAfter ?? 1) : spec.retryAfter;
      return fail(spec.status, spec.description ?? defaultDescription(spec.status, retryAfter), retryAfter);
    }
    const chatId = chatIdOf(ctx.params.chat_id);
    if (chatId !== undefined && lower !== 'getchat') {
      const why = this.blocked.get(String(chatId));
      if (why !== undefined) return fail(403, why);
    }
    if (this.stopping && lower === 'getupdates') return ok([]);
    switch (lower) {
      case 'getme':
        return ok(this.botInfo);
      case 'getupdates':
        return this.getUpdates(ctx);
      case 'sendmessage':
        return this.sendMessage(ctx);
      case 'sendphoto':
        return this.sendFileMessage(ctx, 'photo');
      case 'senddocument':
        return this.sendFileMessage(ctx, 'document');
      case 'sendchataction':
        return ok(true);
      case 'getfile':
        return this.getFile(ctx);
      case 'answercallbackquery':
        return this.answerCallbackQuery(ctx);
      case 'setwebhook':
        return this.setWebhook(ctx);
      case 'deletewebhook':
        return this.deleteWebhook(ctx);
      case 'getwebhookinfo':
        return this.getWebhookInfo();
      case 'setmycommands':
        return this.setMyCommands(ctx);
      case 'getmycommands':
        return ok(this.commands.get(this.commandKey(ctx.params))?.commands ?? []);
      case 'deletemycommands':
        this.commands.delete(this.commandKey(ctx.params));
        return ok(true);
      case 'editmessagetext':
      case 'editmessagereplymarkup':
      case 'editmessagecaption':
        return this.editMessage(ctx, lower);
      case 'deletemessage':
        return this.deleteMessage(ctx);
      case 'getchat': {
        const id = chatIdOf(ctx.params.chat_id);
        return id === undefined ? badRequest('chat_id is empty') : ok(this.chatFor(id));
      }
      case 'setmydescription':
      case 'setmyshortdescription':
      case 'setmyname':
      case 'setchatmenubutton':
      case 'setmydefaultadministratorrights':
      case 'leavechat':
      case 'close':
      case 'logout':
        return ok(true);
      default:
        if (lower.startsWith('send')) return this.sendOther(ctx);
        return fail(404, `Not Found: method '${ctx.method}' is not implemented by the test emulator`);
    }
  }

  // ─── updates ───

  private getUpdates(ctx: CallContext): ApiResult | Promise<ApiResult> {
    if (this.hook) {
      return fail(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
    }
    const offset = int(ctx.params.offset) ?? 0;
    const limit = Math.min(100, Math.max(1, int(ctx.params.limit) ?? 100));
    const timeout = Math.max(0, int(ctx.params.timeout) ?? 0);
    const allowed = jsonish(ctx.params.allowed_updates);
    if (Array.isArray(allowed)) this.allowedUpdates = allowed.filter((a): a is string => typeof a === 'string');
    this.confirm(offset);
    const batch = this.takeBatch(limit);
    if (batch.length > 0 || timeout === 0) return ok(batch);

    // Telegram answers the older of two concurrent getUpdates with 409.
    this.poller?.finish(fail(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    const waitMs = Math.min(timeout, this.maxPollSeconds) * 1000;
    return new Promise<ApiResult>((resolve) => {
      let done = false;
      const poller: Poller = {
        limit,
        finish: (result) => {
          if (done) return;
          done = true;
          clearTimeout(timer);
          ctx.signal.removeEventListener('abort', onAbort);
          if (this.poller === poller) this.poller = undefined;
          resolve(result);
        },
      };
      const onAbort = (): void => poller.finish(ok([]));
      const timer = setTimeout(() => poller.finish(ok([])), waitMs);
      ctx.signal.addEventListener('abort', onAbort);
      this.poller = poller;
    });
  }

  /** `offset` confirms every update with a smaller id that was already handed out. */
  private confirm(offset: number): void {
    if (offset > 0) {
      this.queue = this.queue.filter((e) => !(e.delivered && e.update.update_id < offset));
    } else if (offset < 0) {
      this.queue = this.queue.slice(offset);
    }
  }

  private allowed(u: QueuedUpdate, list: readonly string[] | undefined): boolean {
    const type = updateType(u);
    if (type === undefined) return true;
    if (list && list.length > 0) return list.includes(type);
    return !DEFAULT_EXCLUDED_UPDATES.has(type);
  }

  private takeBatch(limit: number): QueuedUpdate[] {
    this.queue = this.queue.filter((e) => this.allowed(e.update, this.allowedUpdates));
    const batch = this.queue.slice(0, limit);
    for (const e of batch) e.delivered = true;
    return batch.map((e) => clone(e.update));
  }

  private wake(): void {
    if (this.hook) {
      void this.pump();
      return;
    }
    const p = this.poller;
    if (!p) return;
    const batch = this.takeBatch(p.limit);
    if (batch.length > 0) p.finish(ok(batch));
  }

  releasePolls(): void {
    this.poller?.finish(ok([]));
  }

  nextUpdateId(): number {
    return ++this.updateCounter;
  }

  nextMessageId(): number {
    return ++this.messageCounter;
  }

  pushUpdate<T extends object>(update: T): T & { update_id: number } {
    const copy: Record<string, unknown> = clone(update) as Record<string, unknown>;
    const given = int(copy['update_id']);
    if (given === undefined) copy['update_id'] = this.nextUpdateId();
    else if (given > this.updateCounter) this.updateCounter = given;
    const stored = copy as T & QueuedUpdate;
    this.learn(stored);
    this.queue.push({ update: stored, delivered: false, attempts: 0 });
    this.notify();
    this.wake();
    return clone(stored);
  }

  pendingUpdates(): QueuedUpdate[] {
    return this.queue.map((e) => clone(e.update));
  }

  /** Remember chats, user messages and callback ids so later calls can refer to them. */
  private learn(u: QueuedUpdate): void {
    for (const key of ['message', 'edited_message', 'channel_post', 'edited_channel_post', 'business_message']) {
      const m = u[key];
      if (isRecord(m) && isRecord(m.chat) && m.chat.id !== undefined) {
        this.chats.set(String(m.chat.id), m.chat as unknown as Chat);
        if (key === 'message' && typeof m.message_id === 'number') {
          this.userMessages.set(`${String(m.chat.id)}/${m.message_id}`, m as unknown as Message);
        }
      }
    }
    const cq = u.callback_query;
    if (isRecord(cq) && typeof cq.id === 'string') this.knownCallbacks.add(cq.id);
  }

  // ─── builders (acting as users) ───

  private privateChat(user: EmulatorUser): Chat.PrivateChat {
    const chat: Chat.PrivateChat = { id: user.id, type: 'private', first_name: user.first_name };
    if (user.last_name !== undefined) chat.last_name = user.last_name;
    if (user.username !== undefined) chat.username = user.username;
    return chat;
  }

  private from(user: EmulatorUser): Message['from'] {
    return { is_bot: false, ...user };
  }

  private forwardFields(src: ForwardSource | undefined): Record<string, unknown> {
    if (!src) return {};
    const chat: Record<string, unknown> = { id: src.id, title: src.title, type: src.type ?? 'channel' };
    if (src.username !== undefined) chat.username = src.username;
    const messageId = src.messageId ?? this.nextMessageId();
    const date = now() - 3600;
    return {
      forward_origin: { type: chat.type === 'channel' ? 'channel' : 'chat', chat, ...(chat.type === 'channel' ? { message_id: messageId } : { sender_chat: chat }), date },
      // The pre-7.0 fields Telegram still sends alongside forward_origin.
      forward_from_chat: chat,
      forward_from_message_id: messageId,
      forward_date: date,
    };
  }

  private messageUpdate(chat: Chat, user: EmulatorUser, fields: Record<string, unknown>): Update {
    const message = {
      message_id: this.nextMessageId(),
      from: this.from(user),
      chat,
      date: now(),
      ...fields,
    };
    return this.pushUpdate({ message }) as unknown as Update;
  }

  userText(user: EmulatorUser, text: string, extra: Record<string, unknown> = {}): Update {
    const entities = commandEntity(text);
    return this.messageUpdate(this.privateChat(user), user, { text, ...(entities ? { entities } : {}), ...extra });
  }

  userCommand(user: EmulatorUser, commandText: string, extra: Record<string, unknown> = {}): Update {
    const text = commandText.startsWith('/') ? commandText : `/${commandText}`;
    return this.userText(user, text, extra);
  }

  userPhoto(user: EmulatorUser, bytes: Uint8Array, opts: PhotoOptions = {}): Update {
    const photo = this.registerPhoto(bytes, opts);
    const fields: Record<string, unknown> = { photo, ...this.forwardFields(opts.forwardFromChat) };
    if (opts.caption !== undefined) fields.caption = opts.caption;
    return this.messageUpdate(this.privateChat(user), user, fields);
  }

  userDocument(user: EmulatorUser, bytes: Uint8Array, mime: string, fileName: string, opts: DocumentOptions = {}): Update {
    const ext = /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1];
    const fileOpts: Parameters<Emulator['registerFile']>[1] = { kind: 'documents', mime, fileName };
    if (ext !== undefined) fileOpts.ext = ext;
    if (opts.fileSize !== undefined) fileOpts.fileSize = opts.fileSize;
    const f = this.registerFile(bytes, fileOpts);
    const document: Document = { file_id: f.file_id, file_unique_id: f.file_unique_id, file_name: fileName, mime_type: mime, file_size: f.file_size };
    const fields: Record<string, unknown> = { document, ...this.forwardFields(opts.forwardFromChat) };
    if (opts.caption !== undefined) fields.caption = opts.caption;
    return this.messageUpdate(this.privateChat(user), user, fields);
  }

  userCallback(user: EmulatorUser, data: string, messageId: number): Update {
    const chat = this.chats.get(String(user.id)) ?? this.privateChat(user);
    const sent = this.sent.find((m) => sameChat(m.chat_id, user.id) && m.message_id === messageId);
    const message: Record<string, unknown> = { message_id: messageId, from: this.botUser(), chat, date: sent?.date ?? now() };
    if (sent?.text !== undefined) message.text = sent.text;
    if (sent?.caption !== undefined) message.caption = sent.caption;
    if (sent?.photo !== undefined) message.photo = sent.photo;
    if (sent?.reply_markup !== undefined && 'inline_keyboard' in sent.reply_markup) message.reply_markup = sent.reply_markup;
    const callback_query = {
      id: String(4_000_000_000_000 + ++this.callbackCounter),
      from: this.from(user),
      message,
      chat_instance: `ci-${user.id}`,
      data,
    };
    return this.pushUpdate({ callback_query }) as unknown as Update;
  }

  userContact(user: EmulatorUser, phone: string, opts: { firstName?: string; userId?: number | null } = {}): Update {
    const contact: Record<string, unknown> = { phone_number: phone, first_name: opts.firstName ?? user.first_name };
    const userId = opts.userId === undefined ? user.id : opts.userId;
    if (userId !== null) contact.user_id = userId;
    return this.messageUpdate(this.privateChat(user), user, { contact });
  }

  userMessage(user: EmulatorUser, fields: Record<string, unknown>): Update {
    return this.messageUpdate(this.privateChat(user), user, fields);
  }

  userEdit(user: EmulatorUser, messageId: number, text: string): Update {
    const original = this.userMessages.get(`${user.id}/${messageId}`);
    const entities = commandEntity(text);
    const edited_message = {
      message_id: messageId,
      from: this.from(user),
      chat: this.privateChat(user),
      date: original?.date ?? now(),
      edit_date: now(),
      text,
      ...(entities ? { entities } : {}),
    };
    return this.pushUpdate({ edited_message }) as unknown as Update;
  }

  groupText(user: EmulatorUser, group: EmulatorGroup, text: string, extra: Record<string, unknown> = {}): Update {
    const chat = { id: group.id, type: group.type ?? 'group', title: group.title } as Chat;
    const entities = commandEntity(text);
    return this.messageUpdate(chat, user, { text, ...(entities ? { entities } : {}), ...extra });
  }

  registerFile(
    bytes: Uint8Array,
    opts: { kind?: string; ext?: string; mime?: string; fileName?: string; fileSize?: number } = {},
  ): EmulatorFile {
    const n = ++this.fileCounter;
    const kind = opts.kind ?? 'documents';
    const file: EmulatorFile = {
      file_id: `EMU${kind.slice(0, 3).toUpperCase()}${n}-${randomBytes(6).toString('hex')}`,
      file_unique_id: `U${n}${randomBytes(3).toString('hex')}`,
      file_path: `${kind}/file_${n}.${opts.ext ?? 'dat'}`,
      file_size: opts.fileSize ?? bytes.length,
      bytes: Buffer.from(bytes),
    };
    if (opts.mime !== undefined) file.mime_type = opts.mime;
    if (opts.fileName !== undefined) file.file_name = opts.fileName;
    this.files.set(file.file_id, file);
    this.filesByPath.set(file.file_path, file);
    return file;
  }

  /** Several sizes, ascending; only the largest carries the real bytes (the others are placeholders). */
  private registerPhoto(bytes: Uint8Array, opts: PhotoOptions): PhotoSize[] {
    const width = opts.width ?? 1280;
    const height = opts.height ?? 960;
    const sizes: PhotoSize[] = [];
    for (const side of [90, 320, 800]) {
      if (side >= Math.max(width, height)) continue;
      const scale = side / Math.max(width, height);
      const w = Math.round(width * scale);
      const h = Math.round(height * scale);
      const thumb = this.registerFile(Buffer.from(`emulator thumbnail placeholder ${w}x${h}`), { kind: 'photos', ext: 'jpg', mime: 'image/jpeg' });
      sizes.push({ file_id: thumb.file_id, file_unique_id: thumb.file_unique_id, width: w, height: h, file_size: thumb.file_size });
    }
    const fileOpts: Parameters<Emulator['registerFile']>[1] = { kind: 'photos', ext: 'jpg', mime: opts.mime ?? 'image/jpeg' };
    if (opts.fileSize !== undefined) fileOpts.fileSize = opts.fileSize;
    const full = this.registerFile(bytes, fileOpts);
    sizes.push({ file_id: full.file_id, file_unique_id: full.file_unique_id, width, height, file_size: full.file_size });
    for (const s of sizes) this.photoGroups.set(s.file_id, sizes);
    return clone(sizes);
  }

  file(fileId: string): EmulatorFile | undefined {
    return this.files.get(fileId);
  }

  // ─── bot-side methods ───

  private botUser(): NonNullable<Message['from']> {
    return { id: this.botInfo.id, is_bot: true, first_name: this.botInfo.first_name, username: this.botInfo.username };
  }

  private chatFor(id: number | string): Chat {
    const known = this.chats.get(String(id));
    if (known) return known;
    if (typeof id === 'number' && id > 0) return { id, type: 'private', first_name: 'User' };
    if (typeof id === 'number') return { id, type: id < -1_000_000_000_000 ? 'supergroup' : 'group', title: 'Group' } as Chat;
    return { id: 0, type: 'channel', title: id } as Chat;
  }

  private baseResult(m: BotMessage): Record<string, unknown> {
    const out: Record<string, unknown> = { message_id: m.message_id, from: this.botUser(), chat: this.chatFor(m.chat_id), date: m.date };
    if (m.text !== undefined) out.text = m.text;
    if (m.caption !== undefined) out.caption = m.caption;
    if (m.photo !== undefined) out.photo = m.photo;
    if (m.document !== undefined) out.document = m.document;
    if (m.reply_markup !== undefined && 'inline_keyboard' in m.reply_markup) out.reply_markup = m.reply_markup;
    if (m.edits.length > 0) out.edit_date = now();
    return out;
  }

  private newBotMessage(ctx: CallContext, chatId: number | string): BotMessage {
    const params: Params = {};
    for (const [k, v] of Object.entries(ctx.params)) params[k] = jsonish(v);
    const m: BotMessage = { method: ctx.method, message_id: this.nextMessageId(), chat_id: chatId, date: now(), params, edits: [], deleted: false };
    const parseMode = str(ctx.params.parse_mode);
    if (parseMode !== undefined) m.parse_mode = parseMode;
    const markup = asReplyMarkup(ctx.params.reply_markup);
    if (markup !== undefined) m.reply_markup = markup;
    return m;
  }

  private record(m: BotMessage): void {
    this.sent.push(m);
    try {
      // Mirror into the package's storage so its TelegramClient helpers see bot messages too.
      const mirror: Record<string, unknown> = { chat_id: m.chat_id, text: m.text ?? m.caption ?? '' };
      if (m.reply_markup !== undefined) mirror.reply_markup = clone(m.reply_markup);
      this.server.addBotMessage(mirror as unknown as Parameters<TelegramServer['addBotMessage']>[0], this.token);
    } catch {
      // the mirror is best effort
    }
    this.notify();
  }

  private sendMessage(ctx: CallContext): ApiResult {
    const chatId = chatIdOf(ctx.params.chat_id);
    if (chatId === undefined) return badRequest('chat_id is empty');
    const text = str(ctx.params.text);
    if (text === undefined || text.trim() === '') return badRequest('message text is empty');
    if ([...text].length > 4096) return badRequest('message is too long');
    const markupError = validateMarkup(ctx.params.reply_markup);
    if (markupError) return badRequest(markupError);
    const m = this.newBotMessage(ctx, chatId);
    m.text = text;
    this.record(m);
    const result = this.baseResult(m);
    const entities = jsonish(ctx.params.entities);
    if (Array.isArray(entities)) result.entities = entities;
    return ok(result);
  }

  /** A file parameter: an uploaded part (telegraf: part named like the field; grammY: attach://id), a file_id, or a URL. */
  private resolveInputFile(
    ctx: CallContext,
    field: string,
  ): { kind: 'upload'; upload: Upload } | { kind: 'file_id'; file: EmulatorFile } | { kind: 'url'; url: string } | { error: string } {
    const v = ctx.params[field];
    const direct = ctx.files.get(field);
    if (direct) return { kind: 'upload', upload: direct };
    if (typeof v === 'string') {
      if (v.startsWith('attach://')) {
        const up = ctx.files.get(v.slice('attach://'.length));
        return up ? { kind: 'upload', upload: up } : { error: `wrong file identifier/HTTP URL specified` };
      }
      if (/^https?:\/\//i.test(v)) return { kind: 'url', url: v };
      const known = this.files.get(v);
      return known ? { kind: 'file_id', file: known } : { error: 'wrong file identifier/HTTP URL specified' };
    }
    return { error: `there is no ${field} in the request` };
  }

  private sendFileMessage(ctx: CallContext, field: 'photo' | 'document'): ApiResult {
    const chatId = chatIdOf(ctx.params.chat_id);
    if (chatId === undefined) return badRequest('chat_id is empty');
    const caption = str(ctx.params.caption);
    if (caption !== undefined && [...caption].length > 1024) return badRequest('message caption is too long');
    const markupError = validateMarkup(ctx.params.reply_markup);
    if (markupError) return badRequest(markupError);
    const input = this.resolveInputFile(ctx, field);
    if ('error' in input) return badRequest(input.error);
    const m = this.newBotMessage(ctx, chatId);
    if (caption !== undefined) m.caption = caption;
    for (const [name] of ctx.files) (m.params as Params)[name === field ? field : name] = `<upload ${name}>`;
    let file: EmulatorFile;
    if (input.kind === 'upload') {
      const fileName = input.upload.filename;
      const ext = fileName !== undefined ? /\.([A-Za-z0-9]{1,8})$/.exec(fileName)?.[1] : undefined;
      const opts: Parameters<Emulator['registerFile']>[1] = { kind: field === 'photo' ? 'photos' : 'documents', ext: ext ?? (field === 'photo' ? 'jpg' : 'dat') };
      const mime = field === 'photo' ? 'image/jpeg' : input.upload.contentType;
      if (mime !== undefined) opts.mime = mime;
      if (fileName !== undefined) opts.fileName = fileName;
      file = this.registerFile(input.upload.bytes, opts);
      m.fileSource = 'upload';
    } else if (input.kind === 'file_id') {
      file = input.file;
      m.fileSource = 'file_id';
    } else {
      file = { file_id: `EMUURL${++this.fileCounter}`, file_unique_id: `UURL${this.fileCounter}`, file_path: `urls/file_${this.fileCounter}`, file_size: 0, url: input.url };
      this.files.set(file.file_id, file);
      m.fileSource = 'url';
      m.fileUrl = input.url;
    }
    if (file.bytes !== undefined) m.fileBytes = file.bytes;
    if (field === 'photo') {
      const group = this.photoGroups.get(file.file_id);
      m.photo = group
        ? clone(group)
        : [{ file_id: file.file_id, file_unique_id: file.file_unique_id, width: 1280, height: 960, file_size: file.file_size }];
      const largest = m.photo[m.photo.length - 1];
      const bytes = largest ? this.files.get(largest.file_id)?.bytes : undefined;
      if (bytes !== undefined) m.fileBytes = bytes;
    } else {
      const doc: Document = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
      if (file.file_name !== undefined) doc.file_name = file.file_name;
      if (file.mime_type !== undefined) doc.mime_type = file.mime_type;
      m.document = doc;
    }
    this.record(m);
    return ok(this.baseResult(m));
  }

  private sendOther(ctx: CallContext): ApiResult {
    const chatId = chatIdOf(ctx.params.chat_id);
    if (chatId === undefined) return badRequest('chat_id is empty');
    const m = this.newBotMessage(ctx, chatId);
    const text = str(ctx.params.text);
    if (text !== undefined) m.text = text;
    const caption = str(ctx.params.caption);
    if (caption !== undefined) m.caption = caption;
    this.record(m);
    return ok(this.baseResult(m));
  }

  private getFile(ctx: CallContext): ApiResult {
    const id = str(ctx.params.file_id);
    if (id === undefined || id === '') return badRequest('file_id is empty');
    const f = this.files.get(id);
    if (!f) return badRequest('invalid file_id');
    if (f.file_size > GETFILE_LIMIT) return badRequest('file is too big');
    if (f.bytes === undefined) return badRequest('file is temporarily unavailable');
    return ok({ file_id: f.file_id, file_unique_id: f.file_unique_id, file_size: f.file_size, file_path: f.file_path });
  }

  private answerCallbackQuery(ctx: CallContext): ApiResult {
    const id = str(ctx.params.callback_query_id);
    if (id === undefined || id === '') return badRequest('callback_query_id is empty');
    if (!this.knownCallbacks.has(id) || this.answered.some((a) => a.callback_query_id === id)) {
      return badRequest('query is too old and response timeout expired or query ID is invalid');
    }
    const a: AnsweredCallback = { callback_query_id: id };
    const text = str(ctx.params.text);
    if (text !== undefined) a.text = text;
    const alert = bool(ctx.params.show_alert);
    if (alert !== undefined) a.show_alert = alert;
    const url = str(ctx.params.url);
    if (url !== undefined) a.url = url;
    const cache = int(ctx.params.cache_time);
    if (cache !== undefined) a.cache_time = cache;
    this.answered.push(a);
    return ok(true);
  }

  private editMessage(ctx: CallContext, lower: string): ApiResult {
    if (ctx.params.inline_message_id !== undefined) {
      return ok(true);
    }
    const chatId = chatIdOf(ctx.params.chat_id);
    const messageId = int(ctx.params.message_id);
    if (chatId === undefined) return badRequest('chat_id is empty');
    if (messageId === undefined) return badRequest('message identifier is not specified');
    const m = this.sent.find((s) => sameChat(s.chat_id, chatId) && s.message_id === messageId && !s.deleted);
    if (!m) return badRequest('message to edit not found');
    const markupError = validateMarkup(ctx.params.reply_markup);
    if (markupError) return badRequest(markupError);
    const markup = asReplyMarkup(ctx.params.reply_markup);
    const sameMarkup = JSON.stringify(markup ?? null) === JSON.stringify(m.reply_markup ?? null);
    if (lower === 'editmessagetext') {
      const text = str(ctx.params.text);
      if (text === undefined || text.trim() === '') return badRequest('message text is empty');
      if (m.text === undefined) return badRequest('there is no text in the message to edit');
      if (text === m.text && sameMarkup) {
        return badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
      }
      m.text = text;
    } else if (lower === 'editmessagecaption') {
      const caption = str(ctx.params.caption) ?? '';
      if (caption === (m.caption ?? '') && sameMarkup) return badRequest('message is not modified');
      m.caption = caption;
    } else if (sameMarkup) {
      return badRequest('message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message');
    }
    if (markup === undefined) delete m.reply_markup;
    else m.reply_markup = markup;
    m.edits.push({ method: ctx.method, at: Date.now(), params: this.recordable(ctx.params) });
    this.notify();
    return ok(this.baseResult(m));
  }

  private deleteMessage(ctx: CallContext): ApiResult {
    const chatId = chatIdOf(ctx.params.chat_id);
    const messageId = int(ctx.params.message_id);
    if (chatId === undefined || messageId === undefined) return badRequest('message identifier is not specified');
    const m = this.sent.find((s) => sameChat(s.chat_id, chatId) && s.message_id === messageId && !s.deleted);
    if (m) {
      m.deleted = true;
      return ok(true);
    }
    const key = `${String(chatId)}/${messageId}`;
    if (this.userMessages.delete(key)) return ok(true);
    return badRequest('message to delete not found');
  }

  private commandKey(params: Params): string {
    const scope = jsonish(params.scope);
    return `${JSON.stringify(isRecord(scope) ? scope : { type: 'default' })}|${str(params.language_code) ?? ''}`;
  }

  private setMyCommands(ctx: CallContext): ApiResult {
    const list = jsonish(ctx.params.commands);
    if (!Array.isArray(list)) return badRequest("can't parse commands JSON object");
    const commands: BotCommand[] = [];
    for (const c of list) {
      if (!isRecord(c) || typeof c.command !== 'string' || typeof c.description !== 'string') return badRequest("can't parse BotCommand");
      if (!/^[a-z0-9_]{1,32}$/.test(c.command)) return badRequest('BOT_COMMAND_INVALID');
      if (c.description.length < 1 || c.description.length > 256) return badRequest('BOT_COMMAND_DESCRIPTION_INVALID');
      commands.push({ command: c.command, description: c.description });
    }
    const set: CommandSet = { commands };
    const scope = jsonish(ctx.params.scope);
    if (isRecord(scope)) set.scope = scope;
    const lang = str(ctx.params.language_code);
    if (lang !== undefined && lang !== '') set.language_code = lang;
    this.commands.set(this.commandKey(ctx.params), set);
    return ok(true);
  }

  // ─── webhooks ───

  private setWebhook(ctx: CallContext): ApiResult {
    const url = str(ctx.params.url) ?? '';
    if (url === '') {
      this.hook = null;
      return ok(true, 'Webhook was deleted');
    }
    if (!/^https?:\/\//i.test(url)) return badRequest('bad webhook: An HTTPS URL must be provided for webhook');
    const secret = str(ctx.params.secret_token);
    if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) return badRequest('bad webhook: secret token contains unallowed characters');
    const setting: WebhookSetting = { url, at: Date.now() };
    if (secret !== undefined) setting.secret_token = secret;
    const allowed = jsonish(ctx.params.allowed_updates);
    if (Array.isArray(allowed)) {
      setting.allowed_updates = allowed.filter((a): a is string => typeof a === 'string');
      this.allowedUpdates = setting.allowed_updates;
    }
    const max = int(ctx.params.max_connections);
    if (max !== undefined) setting.max_connections = max;
    const drop = bool(ctx.params.drop_pending_updates);
    if (drop !== undefined) setting.drop_pending_updates = drop;
    if (drop) this.queue = [];
    this.hook = setting;
    this.hooks.push(setting);
    // A waiting getUpdates ends with a conflict, as on Telegram.
    this.poller?.finish(fail(409, 'Conflict: terminated by setWebhook request'));
    this.notify();
    void this.pump();
    return ok(true, 'Webhook was set');
  }

  private deleteWebhook(ctx: CallContext): ApiResult {
    const existed = this.hook !== null;
    this.hook = null;
    if (bool(ctx.params.drop_pending_updates)) this.queue = [];
    this.notify();
    return ok(true, existed ? 'Webhook was deleted' : 'Webhook is already deleted');
  }

  private getWebhookInfo(): ApiResult {
    const info: Record<string, unknown> = {
      url: this.hook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
    };
    if (this.hook?.max_connections !== undefined) info.max_connections = this.hook.max_connections;
    if (this.hook?.allowed_updates !== undefined) info.allowed_updates = this.hook.allowed_updates;
    const lastError = [...this.deliveries].reverse().find((d) => !d.ok);
    if (this.hook && lastError) {
      info.last_error_message = lastError.error ?? `Wrong response from the webhook: ${lastError.status}`;
    }
    return ok(info);
  }

  /** Sequential delivery, like Telegram with max_connections 1: an update leaves the queue on 2xx, or after 3 failed attempts. */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (!this.stopping && this.hook) {
        this.queue = this.queue.filter((e) => this.allowed(e.update, this.hook?.allowed_updates));
        const entry = this.queue[0];
        if (!entry) break;
        const hook = this.hook;
        entry.attempts++;
        const delivery = await this.post(entry.update, hook.url, hook.secret_token ?? null, entry.attempts);
        if (this.stopping) break;
        if (delivery.ok || entry.attempts >= 3) {
          this.queue = this.queue.filter((e) => e !== entry);
        } else {
          await sleep(100 * entry.attempts);
        }
      }
    } finally {
      this.pumping = false;
    }
  }

  private async post(update: object, url: string, secret: string | null, attempt: number): Promise<WebhookDelivery & { body: string }> {
    const updateId = isRecord(update) ? (int(update.update_id) ?? 0) : 0;
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== null) headers['x-telegram-bot-api-secret-token'] = secret;
    const ac = new AbortController();
    const onStop = (): void => ac.abort();
    this.pumpAbort.signal.addEventListener('abort', onStop);
    const timer = setTimeout(() => ac.abort(), 10_000);
    const delivery: WebhookDelivery & { body: string } = { update_id: updateId, url, status: 0, ok: false, attempt, body: '' };
    try {
      const res = await fetch(url, { method: 'POST', headers, body: JSON.stringify(update), signal: ac.signal });
      const body = Buffer.from(await res.arrayBuffer());
      delivery.status = res.status;
      delivery.ok = res.ok;
      delivery.body = body.toString('utf8');
      if (!res.ok) delivery.error = `Wrong response from the webhook: ${res.status} ${res.statusText}`;
      else await this.webhookReply(body, res.headers.get('content-type') ?? '', delivery);
    } catch (e) {
      delivery.error = e instanceof Error ? e.message : String(e);
    } finally {
      clearTimeout(timer);
      this.pumpAbort.signal.removeEventListener('abort', onStop);
    }
    const { body: _body, ...record } = delivery;
    void _body;
    this.deliveries.push(record);
    this.notify();
    return delivery;
  }

  /** A bot may answer the webhook POST with a method call (telegraf does for answerCallbackQuery); Telegram executes it. */
  private async webhookReply(body: Buffer, contentType: string, delivery: WebhookDelivery): Promise<void> {
    if (body.length === 0) return;
    let parsed: { params: Params; files: Map<string, Upload> };
    try {
      parsed = parseParams(body, contentType.toLowerCase().startsWith('multipart/') ? contentType : 'application/json', new URLSearchParams());
    } catch {
      return;
    }
    const method = str(parsed.params.method);
    if (method === undefined) return;
    delete parsed.params.method;
    delivery.replyMethod = method;
    await this.call(method, parsed.params, parsed.files, new AbortController().signal, 'webhook-reply');
  }

  async deliverWebhook(update: object, opts: { secretToken?: string | null; url?: string } = {}): Promise<{ status: number; body: string }> {
    const url = opts.url ?? this.hook?.url;
    if (url === undefined) throw new Error('deliverWebhook: no webhook is set and no url was given');
    const secret = opts.secretToken === undefined ? (this.hook?.secret_token ?? null) : opts.secretToken;
    const copy = clone(update) as Record<string, unknown>;
    if (int(copy.update_id) === undefined) copy.update_id = this.nextUpdateId();
    this.learn(copy as QueuedUpdate);
    const d = await this.post(copy, url, secret, 1);
    return { status: d.status, body: d.body };
  }

  webhook(): WebhookSetting | null {
    return this.hook ? { ...this.hook } : null;
  }

  webhookHistory(): WebhookSetting[] {
    return this.hooks.map((h) => ({ ...h }));
  }

  webhookDeliveries(): WebhookDelivery[] {
    return this.deliveries.map((d) => ({ ...d }));
  }

  // ─── observation ───

  botMessages(chatId?: number | string): BotMessage[] {
    return this.sent.filter((m) => chatId === undefined || sameChat(m.chat_id, chatId)).map((m) => ({ ...m, edits: [...m.edits] }));
  }

  async waitForBotMessages(
    chatId: number | string,
    countOrPredicate: number | ((messages: readonly BotMessage[]) => boolean),
    timeoutMs = 5000,
  ): Promise<BotMessage[]> {
    const what =
      typeof countOrPredicate === 'number'
        ? `${countOrPredicate} bot message(s) to chat ${String(chatId)}`
        : `bot messages to chat ${String(chatId)} matching ${countOrPredicate.toString().slice(0, 120)}`;
    return this.waitFor(
      () => {
        const msgs = this.botMessages(chatId);
        const done = typeof countOrPredicate === 'number' ? msgs.length >= countOrPredicate : countOrPredicate(msgs);
        return done ? msgs : undefined;
      },
      timeoutMs,
      what,
    );
  }

  answeredCallbacks(): AnsweredCallback[] {
    return this.answered.map((a) => ({ ...a }));
  }

  apiCalls(method?: string): ApiCall[] {
    const m = method?.toLowerCase();
    return this.calls.filter((c) => m === undefined || c.method.toLowerCase() === m);
  }

  commandSets(): CommandSet[] {
    return [...this.commands.values()].map((c) => clone(c));
  }

  waitFor<T>(probe: () => T | undefined | null | false, timeoutMs = 5000, what = 'condition'): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const check = (): void => {
        if (settled) return;
        let v: T | undefined | null | false;
        try {
          v = probe();
        } catch (e) {
          finish();
          reject(e instanceof Error ? e : new Error(String(e)));
          return;
        }
        if (v) {
          finish();
          resolve(v);
        }
      };
      const finish = (): void => {
        settled = true;
        clearTimeout(timer);
        clearInterval(tick);
        this.listeners.delete(check);
      };
      const timer = setTimeout(() => {
        finish();
        const recent = this.calls.slice(-8).map((c) => `${c.method}→${c.status}${c.description ? ` (${c.description})` : ''}`);
        const texts = this.sent.slice(-8).map((m) => `${String(m.chat_id)}: ${m.text ?? m.caption ?? `[${m.method}]`}`);
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}. Last bot messages: ${JSON.stringify(texts)}. Last API calls: ${recent.join(', ')}`));
      }, timeoutMs);
      const tick = setInterval(check, 50);
      this.listeners.add(check);
      check();
    });
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  // ─── failure injection ───

  blockUser(chatId: number | string, description = 'Forbidden: bot was blocked by the user'): void {
    this.blocked.set(String(chatId), description);
  }

  unblockUser(chatId: number | string): void {
    this.blocked.delete(String(chatId));
  }

  failNext(method: string, spec: FailureSpec): void {
    const key = method.toLowerCase();
    const list = this.failures.get(key) ?? [];
    list.push({ ...spec });
    this.failures.set(key, list);
  }

  // ─── the package's own client routes → our queue ───

  bridgePackageClients(): void {
    const pull = (): void => {
      for (const u of this.server.getUpdates(this.token) as unknown[]) {
        if (!isRecord(u)) continue;
        const { update_id: _ignored, ...rest } = u;
        void _ignored;
        const msg = rest.message;
        if (isRecord(msg)) {
          delete msg.botToken;
          msg.message_id = this.nextMessageId();
          if (typeof msg.date === 'number' && msg.date > 1e11) msg.date = Math.floor(msg.date / 1000);
        }
        this.pushUpdate(rest);
      }
    };
    this.server.on('AddedUserMessage', pull);
    this.server.on('AddedUserCommand', pull);
    this.server.on('AddedUserCallbackQuery', pull);
  }

  // ─── lifecycle ───

  stop(): Promise<void> {
    this.stopped ??= (async () => {
      this.stopping = true;
      this.releasePolls();
      this.pumpAbort.abort();
      this.server.removeAllListeners();
      await this.server.stop();
    })();
    return this.stopped;
  }
}

function defaultToken(): string {
  const id = 7_000_000_000 + Math.floor(Math.random() * 999_999_999);
  return `${id}:AAEmulator${randomBytes(12).toString('base64url')}`;
}

/**
 * Start telegram-test-api on 127.0.0.1 (a free port: the package treats port 0 as "use 9000",
 * so we pick one first and retry if another process grabs it) and put the extension in front.
 */
export async function startTelegramEmulator(opts: StartOptions = {}): Promise<TelegramEmulator> {
  const token = opts.token ?? defaultToken();
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const server = new TelegramServer({ port, host: '127.0.0.1', storeTimeout: 600 });
    try {
      await server.start();
    } catch (e) {
      lastError = e;
      continue;
    }
    const http: unknown = (server as unknown as { server: unknown }).server;
    if (!(http instanceof HttpServer)) {
      await server.stop();
      throw new Error('telegram-test-api internals changed: no http.Server after start()');
    }
    const emulator = new Emulator(server, token, port, opts.maxPollSeconds ?? 5, opts.bot);
    // The first 'request' listener is the express app (given to http.createServer); the others
    // belong to http-shutdown (connection bookkeeping for stop()) and must stay.
    const expressApp = http.listeners('request')[0];
    if (typeof expressApp !== 'function') {
      await server.stop();
      throw new Error('telegram-test-api internals changed: no request listener after start()');
    }
    http.removeListener('request', expressApp as (...args: unknown[]) => void);
    http.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
      if (emulator.route(req, res)) return;
      Reflect.apply(expressApp, http, [req, res]);
    });
    emulator.bridgePackageClients();
    return emulator;
  }
  throw new Error(`could not start telegram-test-api: ${String(lastError)}`);
}

/** The inline keyboard of a bot message as rows of `{ text, callback_data?, url? }`, or []. */
export function inlineKeyboard(message: BotMessage | undefined): { text: string; callback_data?: string; url?: string }[][] {
  const markup = message?.reply_markup;
  if (!markup || !('inline_keyboard' in markup)) return [];
  return markup.inline_keyboard.map((row) =>
    row.map((b) => {
      const out: { text: string; callback_data?: string; url?: string } = { text: b.text };
      if ('callback_data' in b && typeof b.callback_data === 'string') out.callback_data = b.callback_data;
      if ('url' in b && typeof b.url === 'string') out.url = b.url;
      return out;
    }),
  );
}
