/**
 * Telegram through telegraf. `createTiplineMiddleware` is also the way to mount the tip line
 * inside an existing telegraf bot: `bot.use(createTiplineMiddleware(port))`.
 */
import { Telegraf, TelegramError, type Context, type Middleware, type Telegram } from 'telegraf';
import type { PlatformLimiter } from '../shared/rate-limit.ts';
import { fetchLimited, type TelegramApi, type TelegramApiFailure } from '../telegram/api.ts';
import { handleUpdate, telegramReporterAdapter, type TelegramPort } from '../telegram/bridge.ts';
import { ALLOWED_UPDATES, DEFAULT_API_ROOT, superviseLongPolling, telegramLimiter, type TelegramService, type TelegramServiceOptions } from '../telegram/service.ts';

/** telegraf types its signal with the abort-controller shim's type; Node's is the same at run time. */
type CallApiOptions = NonNullable<Parameters<Telegram['callApi']>[2]>;

/** The shared Telegram logic's view of a telegraf `Telegram` client. */
export function telegrafApi(telegram: Telegram, username: () => string | undefined): TelegramApi {
  return {
    // Through callApi, which takes a signal (the convenience methods do not).
    async sendMessage(chatId, text, extra, signal) {
      await telegram.callApi('sendMessage', { chat_id: chatId, text, ...(extra.reply_markup ? { reply_markup: extra.reply_markup } : {}) }, signal ? ({ signal } as unknown as CallApiOptions) : {});
    },
    async sendPhoto(chatId, photo, extra, signal) {
      await telegram.callApi('sendPhoto', { chat_id: chatId, photo, ...extra }, signal ? ({ signal } as unknown as CallApiOptions) : {});
    },
    async answerCallbackQuery(id, text) {
      await telegram.answerCbQuery(id, text);
    },
    async getFilePath(fileId) {
      const file = await telegram.getFile(fileId);
      if (!file.file_path) throw new Error('Telegram gave no file path');
      return file.file_size !== undefined ? { path: file.file_path, size: file.file_size } : { path: file.file_path };
    },
    download(path, limit) {
      const root = telegram.options.apiRoot ?? DEFAULT_API_ROOT;
      return fetchLimited(new URL(`./file/bot${telegram.token}/${path}`, root.endsWith('/') ? root : `${root}/`).href, limit);
    },
    botUsername: async () => username(),
    describeError(err): TelegramApiFailure {
      if (err instanceof TelegramError) {
        const f: TelegramApiFailure = { code: err.code, description: err.description };
        if (err.parameters?.retry_after !== undefined) f.retryAfter = err.parameters.retry_after;
        return f;
      }
      return { code: undefined, description: (err as Error)?.message ?? String(err) };
    },
  };
}

/**
 * The tip line as telegraf middleware. Mount it where the tip line should answer; it answers
 * every update it is given and does not call `next`.
 */
export function createTiplineMiddleware<C extends Context = Context>(port: TelegramPort, limiter?: PlatformLimiter): Middleware<C> {
  return async (ctx) => {
    await handleUpdate(ctx.update, telegrafApi(ctx.telegram, () => ctx.botInfo?.username), port, limiter);
  };
}

/** The telegraf-backed Telegram service the app starts when TELEGRAM_LIBRARY=telegraf. */
export function createTelegrafTelegram(options: TelegramServiceOptions): TelegramService {
  const bot = new Telegraf(options.token, options.apiRoot ? { telegram: { apiRoot: options.apiRoot } } : {});
  const limiter = telegramLimiter(options);
  bot.use(createTiplineMiddleware(options.port, limiter));
  bot.catch((err) => {
    options.port.log.error('telegram update failed', { library: 'telegraf', error: (err as Error)?.message ?? String(err) });
  });
  const api = telegrafApi(bot.telegram, () => bot.botInfo?.username);
  let polling: Promise<void> | undefined;
  let running = false;
  let stopped = false;
  let health: { ok: boolean; problem?: string } = { ok: true };
  return {
    library: 'telegraf',
    adapter: telegramReporterAdapter(api, limiter),
    describeError: (err) => api.describeError(err),
    async start() {
      bot.botInfo ??= await bot.telegram.getMe();
      if (options.webhook) {
        await bot.telegram.setWebhook(options.webhook.url, { secret_token: options.webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
        return;
      }
      await bot.telegram.deleteWebhook();
      polling = superviseLongPolling({
        run: async () => {
          running = true;
          try {
            await bot.launch({ allowedUpdates: [...ALLOWED_UPDATES] }, () => {
              health = { ok: true };
            });
          } finally {
            running = false;
          }
        },
        isStopped: () => stopped,
        describeError: (err) => api.describeError(err),
        log: options.port.log,
        library: 'telegraf',
        setHealth: (h) => (health = h),
      });
    },
    async stop() {
      stopped = true;
      if (running) {
        running = false;
        try {
          bot.stop('shutdown');
        } catch {
          /* not running */
        }
      }
      await polling;
    },
    health: () => health,
    async handleWebhookUpdate(update) {
      await bot.handleUpdate(update as Parameters<typeof bot.handleUpdate>[0]);
    },
  };
}
