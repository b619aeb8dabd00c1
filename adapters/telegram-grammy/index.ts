/**
 * Telegram through grammY (the default). `createTiplineComposer` is also the way to mount the
 * tip line inside an existing grammY bot: `bot.use(createTiplineComposer(port))`.
 */
import { Bot, Composer, GrammyError, HttpError, type Api, type Context } from 'grammy';
import type { PlatformLimiter } from '../shared/rate-limit.ts';
import { fetchLimited, type TelegramApi, type TelegramApiFailure } from '../telegram/api.ts';
import { handleUpdate, telegramReporterAdapter, type TelegramPort } from '../telegram/bridge.ts';
import { ALLOWED_UPDATES, DEFAULT_API_ROOT, superviseLongPolling, telegramLimiter, type TelegramService, type TelegramServiceOptions } from '../telegram/service.ts';

/** grammY types its signal parameter with the abort-controller shim's type; Node's is the same at run time. */
type GrammySignal = Parameters<Api['sendMessage']>[3];

/** The shared Telegram logic's view of a grammY `Api`. */
export function grammyApi(api: Api, username: () => string | undefined): TelegramApi {
  const root = api.options?.apiRoot ?? DEFAULT_API_ROOT;
  return {
    async sendMessage(chatId, text, extra, signal) {
      await api.sendMessage(chatId, text, extra.reply_markup ? { reply_markup: extra.reply_markup } : {}, signal as GrammySignal);
    },
    async sendPhoto(chatId, photo, extra, signal) {
      await api.sendPhoto(chatId, photo, extra, signal as GrammySignal);
    },
    async answerCallbackQuery(id, text) {
      await api.answerCallbackQuery(id, text ? { text } : {});
    },
    async getFilePath(fileId) {
      const file = await api.getFile(fileId);
      if (!file.file_path) throw new Error('Telegram gave no file path');
      return file.file_size !== undefined ? { path: file.file_path, size: file.file_size } : { path: file.file_path };
    },
    download: (path, limit) => fetchLimited(`${root}/file/bot${api.token}/${path}`, limit),
    botUsername: async () => username(),
    describeError(err): TelegramApiFailure {
      if (err instanceof GrammyError) {
        const f: TelegramApiFailure = { code: err.error_code, description: err.description };
        if (err.parameters.retry_after !== undefined) f.retryAfter = err.parameters.retry_after;
        return f;
      }
      if (err instanceof HttpError) return { code: undefined, description: 'network error reaching Telegram' };
      return { code: undefined, description: (err as Error)?.message ?? String(err) };
    },
  };
}

/**
 * The tip line as grammY middleware. Mount it where the tip line should answer — usually the
 * whole bot, or `bot.chatType('private')` plus group commands. It answers every update it is
 * given and does not call `next`.
 */
export function createTiplineComposer<C extends Context = Context>(port: TelegramPort, limiter?: PlatformLimiter): Composer<C> {
  const composer = new Composer<C>();
  composer.use(async (ctx) => {
    await handleUpdate(ctx.update, grammyApi(ctx.api, () => ctx.me?.username), port, limiter);
  });
  return composer;
}

/** The grammY-backed Telegram service the app starts when TELEGRAM_LIBRARY=grammy. */
export function createGrammyTelegram(options: TelegramServiceOptions): TelegramService {
  const bot = new Bot(options.token, options.apiRoot ? { client: { apiRoot: options.apiRoot } } : {});
  const limiter = telegramLimiter(options);
  bot.use(createTiplineComposer(options.port, limiter));
  bot.catch((err) => {
    // A failed update (a photo that could not be fetched) is logged; the bot keeps serving.
    options.port.log.error('telegram update failed', { library: 'grammy', error: (err.error as Error)?.message ?? String(err.error) });
  });
  const api = grammyApi(bot.api, () => (bot.isInited() ? bot.botInfo.username : undefined));
  let polling: Promise<void> | undefined;
  let stopped = false;
  let health: { ok: boolean; problem?: string } = { ok: true };
  return {
    library: 'grammy',
    adapter: telegramReporterAdapter(api, limiter),
    describeError: (err) => api.describeError(err),
    async start() {
      await bot.init();
      if (options.webhook) {
        await bot.api.setWebhook(options.webhook.url, { secret_token: options.webhook.secret, allowed_updates: [...ALLOWED_UPDATES] });
        return;
      }
      await bot.api.deleteWebhook();
      polling = superviseLongPolling({
        run: () =>
          bot.start({
            allowed_updates: [...ALLOWED_UPDATES],
            onStart: () => {
              health = { ok: true };
            },
          }),
        isStopped: () => stopped,
        describeError: (err) => api.describeError(err),
        log: options.port.log,
        library: 'grammy',
        setHealth: (h) => (health = h),
      });
    },
    async stop() {
      stopped = true;
      if (bot.isRunning()) await bot.stop();
      await polling;
    },
    health: () => health,
    async handleWebhookUpdate(update) {
      if (!bot.isInited()) await bot.init();
      await bot.handleUpdate(update as Parameters<typeof bot.handleUpdate>[0]);
    },
  };
}
