/**
 * What the shared Telegram logic needs from a library, whichever it is (grammY or telegraf):
 * a handful of Bot API calls. Each adapter implements this over its own client, so the logic
 * that maps updates and sends replies lives once.
 */

/** An inline keyboard, as the Bot API takes it. */
export interface InlineKeyboard {
  inline_keyboard: { text: string; callback_data: string }[][];
}

/** A Bot API error, whichever library threw it. */
export interface TelegramApiFailure {
  /** HTTP-like code from Telegram (400, 403, 429, 5xx), or undefined for a network failure. */
  code: number | undefined;
  description: string;
  /** Seconds to wait, when Telegram said so (429). */
  retryAfter?: number;
}

export interface TelegramApi {
  /** `signal` cancels the request (a send given up after the limiter's timeout must not land later). */
  sendMessage(chatId: string, text: string, extra: { reply_markup?: InlineKeyboard }, signal?: AbortSignal): Promise<void>;
  sendPhoto(chatId: string, photo: string, extra: { caption?: string; reply_markup?: InlineKeyboard }, signal?: AbortSignal): Promise<void>;
  answerCallbackQuery(id: string, text?: string): Promise<void>;
  /** Resolves a file id to its download path (Bot API getFile). */
  getFilePath(fileId: string): Promise<{ path: string; size?: number }>;
  /** Downloads a file by its path, stopping past `limit` bytes (then throws FileTooLargeError). */
  download(path: string, limit: number): Promise<Buffer>;
  /** The bot's @username (for links such as t.me/<bot>?start=…). */
  botUsername(): Promise<string | undefined>;
  /** Turns a library error into a {@link TelegramApiFailure}. */
  describeError(err: unknown): TelegramApiFailure;
}

/** A file over the size limit. */
export class FileTooLargeError extends Error {
  readonly code = 'FILE_TOO_LARGE';
}

/** Downloads `url` with fetch, refusing bodies over `limit` bytes without reading them whole. */
export async function fetchLimited(url: string, limit: number): Promise<Buffer> {
  const res = await fetch(url, { signal: AbortSignal.timeout(60_000) });
  if (!res.ok) throw new Error(`file download failed: HTTP ${res.status}`);
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > limit) {
    await res.body?.cancel();
    throw new FileTooLargeError(`file of ${declared} bytes is over ${limit}`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > limit) throw new FileTooLargeError(`file is over ${limit} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}
