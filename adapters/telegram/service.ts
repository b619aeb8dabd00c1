/**
 * The shape both Telegram adapters present to the app: start (long polling, or register the
 * webhook), stop, take a verified webhook update, and the reporter adapter for the dispatcher.
 */
import type { Rate, ReporterAdapter } from '../../src/core/types.ts';
import { PlatformLimiter } from '../shared/rate-limit.ts';
import type { TelegramPort } from './bridge.ts';

/** Updates the tip line asks Telegram for. */
export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

export interface TelegramServiceOptions {
  token: string;
  /** Another Bot API server (a local one, or the test emulator); no trailing slash. */
  apiRoot?: string;
  /** Webhook mode: Telegram posts updates to `url` with `secret` in a header. */
  webhook?: { url: string; secret: string };
  port: TelegramPort;
  /** Telegram's pace (from configuration; without it, Telegram's documented 30/s overall, 1/s per chat). */
  limits?: { global: Rate; perChat: Rate };
  /** Told of each 429 Telegram answers. */
  onRateLimited?: (retryAfterMs: number) => void;
}

/** Telegram's documented limits for a bot: about 30 messages a second, 1 a second in one chat. */
export const TELEGRAM_DEFAULT_LIMITS = { global: { count: 30, windowMs: 1000 }, perChat: { count: 1, windowMs: 1000, burst: 3 } } as const;

/** The limiter every message the bot sends goes through. */
export function telegramLimiter(options: TelegramServiceOptions): PlatformLimiter {
  const limits = options.limits ?? TELEGRAM_DEFAULT_LIMITS;
  return new PlatformLimiter({
    platform: 'telegram',
    global: limits.global,
    perKey: { chat: limits.perChat },
    ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
  });
}

export interface TelegramService {
  readonly library: 'grammy' | 'telegraf';
  adapter: ReporterAdapter;
  /** Long polling, or (with a webhook) registers it with Telegram. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Webhook mode: one update whose secret header was already checked. */
  handleWebhookUpdate(update: unknown): Promise<void>;
  /** Whether Telegram is being served; `problem` names what an operator must fix. */
  health(): { ok: boolean; problem?: string };
  /** What went wrong with a Bot API call, in library-neutral terms. */
  describeError(err: unknown): import('./api.ts').TelegramApiFailure;
}

/** The public Bot API, when no other root is configured. */
export const DEFAULT_API_ROOT = 'https://api.telegram.org';

/**
 * Keeps long polling alive: a 409 (another instance, or Telegram still holding the previous
 * long poll after a restart) or a network failure restarts it with backoff; a rejected token
 * stops it and says so through `health()`.
 */
export function superviseLongPolling(opts: {
  run: () => Promise<void>;
  isStopped: () => boolean;
  describeError: (err: unknown) => import('./api.ts').TelegramApiFailure;
  log: TelegramPort['log'];
  library: string;
  setHealth: (h: { ok: boolean; problem?: string }) => void;
}): Promise<void> {
  return (async () => {
    let delay = 1000;
    while (!opts.isStopped()) {
      try {
        await opts.run();
        if (opts.isStopped()) return;
      } catch (err) {
        if (opts.isStopped()) return;
        const f = opts.describeError(err);
        if (f.code === 401 || f.code === 404) {
          const problem = 'TELEGRAM_BOT_TOKEN: Telegram rejected the token; Telegram is not being served';
          opts.setHealth({ ok: false, problem });
          opts.log.error(problem, { library: opts.library });
          return;
        }
        opts.setHealth({ ok: false, problem: `telegram polling interrupted (${f.code ?? 'network'}: ${f.description}); retrying` });
        opts.log.warn('telegram polling interrupted, restarting', { library: opts.library, code: f.code, error: f.description });
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 60_000);
    }
  })();
}
