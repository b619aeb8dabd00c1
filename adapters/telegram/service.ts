/**
 * The shape both Telegram adapters present to the app: start (long polling, or register the
 * webhook), stop, take a verified webhook update, and the reporter adapter for the dispatcher.
 */
import type { ReporterAdapter } from '../../src/core/types.ts';
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
}

export interface TelegramService {
  readonly library: 'grammy' | 'telegraf';
  adapter: ReporterAdapter;
  /** Long polling, or (with a webhook) registers it with Telegram. */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Webhook mode: one update whose secret header was already checked. */
  handleWebhookUpdate(update: unknown): Promise<void>;
  /** What went wrong with a Bot API call, in library-neutral terms. */
  describeError(err: unknown): import('./api.ts').TelegramApiFailure;
}

/** The public Bot API, when no other root is configured. */
export const DEFAULT_API_ROOT = 'https://api.telegram.org';
