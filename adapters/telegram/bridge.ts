/**
 * The Telegram logic both libraries share: handle one update (answer its button at once, refuse
 * groups politely, hand private messages to the core) and deliver the core's outbound messages
 * (text split to Telegram's limit, inline keyboards, photos, errors mapped for the dispatcher).
 */
import { DeliveryError, type DeliveryAddress, type DeliveryMeta, type InboundMessage, type OutboundMessage, type ReporterAdapter } from '../../src/core/types.ts';
import { limitedCallFor, type PlatformLimiter } from '../shared/rate-limit.ts';
import type { InlineKeyboard, TelegramApi } from './api.ts';
import { mapUpdate, TELEGRAM_CHANNEL } from './inbound.ts';

/** What the Telegram adapters need from the product (wired in `src/app.ts`). */
export interface TelegramPort {
  processMessage(msg: InboundMessage): Promise<{ duplicate: boolean }>;
  /** The group-chat notice in the speaker's language. */
  groupNotice(localeHint: string | undefined, privateLink: string | undefined): OutboundMessage;
  log: {
    info(msg: string, fields?: Record<string, unknown>): void;
    warn(msg: string, fields?: Record<string, unknown>): void;
    error(msg: string, fields?: Record<string, unknown>): void;
  };
}

/** Telegram's limit for one message's text. */
export const TELEGRAM_TEXT_LIMIT = 4096;

/**
 * One chat's updates are handled one after another, in arrival order, even when a library
 * hands a batch over at once (telegraf does): a reporter's photo must not be overtaken by the
 * text they sent after it.
 */
const chatQueues = new Map<string, Promise<void>>();
const groupNoticeAt = new Map<string, number>();
const GROUP_NOTICE_EVERY_MS = 5 * 60_000;

function chatKey(update: unknown): string | undefined {
  const u = update as { message?: { chat?: { id?: unknown } }; edited_message?: { chat?: { id?: unknown } }; callback_query?: { message?: { chat?: { id?: unknown } } } } | null;
  const chatId = u?.message?.chat?.id ?? u?.edited_message?.chat?.id ?? u?.callback_query?.message?.chat?.id;
  return typeof chatId === 'number' || typeof chatId === 'string' ? String(chatId) : undefined;
}

/** Handles one update end to end. Never throws for bad input; rethrows only a failed download. */
export function handleUpdate(update: unknown, api: TelegramApi, port: TelegramPort, limiter?: PlatformLimiter): Promise<void> {
  const key = chatKey(update);
  if (key === undefined) return handleOne(update, api, port, limiter);
  const previous = chatQueues.get(key) ?? Promise.resolve();
  const run = previous.then(() => handleOne(update, api, port, limiter));
  const tail = run.catch(() => {});
  chatQueues.set(key, tail);
  void tail.then(() => {
    if (chatQueues.get(key) === tail) chatQueues.delete(key);
  });
  return run;
}

async function handleOne(update: unknown, api: TelegramApi, port: TelegramPort, limiter: PlatformLimiter | undefined): Promise<void> {
  const botUsername = await api.botUsername().catch(() => undefined);
  const mapped = await mapUpdate(update, api, botUsername);
  if (mapped.callbackId) {
    // Answer at once, whatever happens next: a button must never keep spinning.
    await api.answerCallbackQuery(mapped.callbackId).catch((err: unknown) =>
      port.log.warn('answerCallbackQuery failed', { error: api.describeError(err).description }),
    );
  }
  switch (mapped.kind) {
    case 'skip':
      port.log.info('telegram update skipped', { reason: mapped.reason });
      return;
    case 'group': {
      // One notice per group every few minutes: a busy group is not flooded.
      const last = groupNoticeAt.get(mapped.chatId) ?? 0;
      if (Date.now() - last < GROUP_NOTICE_EVERY_MS) return;
      groupNoticeAt.set(mapped.chatId, Date.now());
      if (groupNoticeAt.size > 10_000) groupNoticeAt.clear();
      const link = botUsername ? `https://t.me/${botUsername}?start=${mapped.start ?? 'group'}` : undefined;
      const notice = port.groupNotice(mapped.localeHint, link);
      // A group gets Telegram's group pace and the lowest priority: reporters' replies go first.
      await limitedCall(api, limiter, mapped.chatId, { priority: -10 }, () => api.sendMessage(mapped.chatId, notice.text, {})).catch(
        (err: unknown) => port.log.warn('group notice not sent', { error: (err as Error).message }),
      );
      return;
    }
    case 'message':
      await port.processMessage(mapped.msg);
  }
}

/** The core's choices as an inline keyboard: one button a row, easy to hit on a phone. */
export function keyboardFor(message: OutboundMessage): InlineKeyboard | undefined {
  if (!message.choices?.length) return undefined;
  return { inline_keyboard: message.choices.map((c) => [{ text: c.label.slice(0, 64), callback_data: c.id.slice(0, 64) }]) };
}

/** Splits text at Telegram's limit (in characters), preferring a line break near the end. */
export function splitText(text: string, limit = TELEGRAM_TEXT_LIMIT): string[] {
  const parts: string[] = [];
  let rest = [...text];
  while (rest.length > limit) {
    const window = rest.slice(0, limit);
    const nl = window.lastIndexOf('\n');
    const cut = nl > limit / 2 ? nl : limit;
    parts.push(window.slice(0, cut).join(''));
    rest = rest.slice(cut);
    if (rest[0] === '\n') rest = rest.slice(1);
  }
  if (rest.length) parts.push(rest.join(''));
  return parts;
}

/** One Bot API call through the limiter (when there is one), its failure mapped for the dispatcher. */
function limitedCall(
  api: TelegramApi,
  limiter: PlatformLimiter | undefined,
  chatId: string,
  meta: Omit<DeliveryMeta, 'idempotencyKey'>,
  fn: (signal?: AbortSignal) => Promise<void>,
): Promise<void> {
  const mapped = (signal?: AbortSignal) => fn(signal).catch((err: unknown) => Promise.reject(toDeliveryError(api, err)));
  if (!limiter) {
    meta.onAttempt?.();
    return mapped();
  }
  return limiter.run(limitedCallFor({ chat: chatId }, meta), mapped);
}

/**
 * The reporter-channel adapter over a Telegram API: what the dispatcher calls. Every message
 * goes through `limiter` (Telegram's overall and per-chat pace) when one is given.
 */
export function telegramReporterAdapter(api: TelegramApi, limiter?: PlatformLimiter): ReporterAdapter {
  /**
   * Parts of a long message already delivered, by idempotency key: a retry after part 2 failed
   * goes on from part 2 instead of sending part 1 again. (In memory: after a crash the message
   * is "sent once more" whole, as any send then is.)
   */
  const partsSent = new Map<string, number>();
  return {
    channel: TELEGRAM_CHANNEL,
    marksAttempts: true,
    async send(to: DeliveryAddress, message: OutboundMessage, meta: DeliveryMeta): Promise<void> {
      const keyboard = keyboardFor(message);
      const chat = to.conversationRef;
      if (message.image) {
        const caption = message.text.slice(0, 1024);
        await limitedCall(api, limiter, chat, meta, (signal) => api.sendPhoto(chat, message.image!.url, keyboard ? { caption, reply_markup: keyboard } : { caption }, signal));
        return;
      }
      const parts = splitText(message.text);
      for (let i = partsSent.get(meta.idempotencyKey) ?? 0; i < parts.length; i++) {
        const last = i === parts.length - 1;
        await limitedCall(api, limiter, chat, meta, (signal) => api.sendMessage(chat, parts[i]!, last && keyboard ? { reply_markup: keyboard } : {}, signal));
        if (last) partsSent.delete(meta.idempotencyKey);
        else {
          if (partsSent.size >= 10_000) partsSent.clear();
          partsSent.set(meta.idempotencyKey, i + 1);
        }
      }
    },
  };
}

/** Maps a Bot API failure to what the dispatcher needs: retry (when), or give up (why). */
export function toDeliveryError(api: TelegramApi, err: unknown): DeliveryError {
  const f = api.describeError(err);
  const why = `telegram ${f.code ?? 'network'}: ${f.description}`.slice(0, 300);
  if (f.code === 403) return new DeliveryError(`${why} (the reporter blocked the bot or left)`, true, undefined, true);
  if (f.code === 400 && /chat not found|user is deactivated|bot was kicked|PEER_ID_INVALID/i.test(f.description)) {
    return new DeliveryError(why, true, undefined, true);
  }
  if (f.code === 429) return DeliveryError.rateLimited(why, (f.retryAfter ?? 1) * 1000);
  // Any other 400 is about this message (our request), not the reporter: fail it alone.
  if (f.code === 400) return new DeliveryError(why, true);
  return new DeliveryError(why, false);
}
