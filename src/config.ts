/**
 * Configuration: read once from the environment (and an optional `.env`), validated with zod.
 * Names are the public contract in INTERFACE.md. A bad value stops start-up with one line
 * naming the variable ({@link ConfigError}); a secret's value never appears in that line.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { Rate } from './core/types.ts';
import { SUPPORTED_LOCALES, resolveSupportedLocale } from './i18n/locales.ts';

/** A configuration problem: `variable` is the environment name to fix. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(
    readonly variable: string,
    problem: string,
  ) {
    super(`${variable}: ${problem}`);
    this.name = 'ConfigError';
  }
}

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === undefined || v.trim() === '' ? undefined : v.trim()));

const url = (what: string) =>
  optionalString.refine((v) => v === undefined || /^https?:\/\/[^\s/]+/.test(v), {
    message: `must be an http(s) URL (${what})`,
  });

/** A rate in messages a second: a positive number (decimals allowed, e.g. 0.5). */
const perSecond = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => /^\d+(\.\d+)?$/.test(v.trim()) && Number(v) > 0 && Number(v) <= 10_000, 'must be a number of messages per second, above 0')
    .transform((v): Rate => ({ count: Number(v), windowMs: 1000 }));

const METHOD_RATE = /^([a-zA-Z][\w.]*)=(\d+(?:\.\d+)?)\/(s|sec|min)$/;


/** Messages one Telegram chat may get back to back (then TELEGRAM_RATE_PER_CHAT applies). */
export const TELEGRAM_CHAT_BURST = 3;

/** Slack's documented limits for what the desk sends (Tier 3 for chat.update, Tier 2 for uploads). */
export const SLACK_METHOD_DEFAULTS: Record<string, Rate> = {
  'chat.update': { count: 50, windowMs: 60_000 },
  'files.uploadV2': { count: 20, windowMs: 60_000 },
};

const schema = z.object({
  HOST: z.string().default('127.0.0.1').refine((v) => v.trim() !== '', 'must not be empty'),
  PORT: z
    .string()
    .default('3000')
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 0 && Number(v) <= 65535, 'must be a port number 0-65535')
    .transform(Number),
  TIPLINE_DB: z.string().default('data/tipline.db').refine((v) => v.trim() !== '', 'must not be empty'),
  TIPLINE_SECRET: optionalString.refine((v) => v === undefined || v.length >= 32, {
    message: 'must be at least 32 characters (or unset to generate data/secret.key)',
  }),
  TIPLINE_DEFAULT_LOCALE: z
    .string()
    .default('zh-CN')
    .refine((v) => resolveSupportedLocale(v) !== undefined, {
      message: `must be one of ${SUPPORTED_LOCALES.join(', ')}`,
    })
    .transform((v) => resolveSupportedLocale(v)!),
  TIPLINE_EMERGENCY_NUMBER: z
    .string()
    .default('110')
    .refine((v) => /^[0-9+*# -]{2,20}$/.test(v), 'must be a phone number such as 110 or 112'),
  TIPLINE_FLOOD_PER_MINUTE: z
    .string()
    .default('12')
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 3 && Number(v) <= 1000, 'must be a whole number of messages from 3 to 1000')
    .transform(Number),
  TELEGRAM_BOT_TOKEN: optionalString.refine((v) => v === undefined || /^\d+:[A-Za-z0-9_-]{20,}$/.test(v), {
    message: 'does not look like a BotFather token (digits:letters)',
  }),
  TELEGRAM_LIBRARY: z.enum(['grammy', 'telegraf'], { message: 'must be grammy or telegraf' }).default('grammy'),
  TELEGRAM_API_ROOT: url('a Bot API server').refine((v) => v === undefined || !v.endsWith('/'), {
    message: 'must not end with /',
  }),
  TELEGRAM_WEBHOOK_URL: url('the public webhook address'),
  TELEGRAM_WEBHOOK_SECRET: optionalString.refine((v) => v === undefined || /^[A-Za-z0-9_-]{1,256}$/.test(v), {
    message: 'must be 1-256 characters of A-Z a-z 0-9 _ -',
  }),
  SLACK_BOT_TOKEN: optionalString,
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: optionalString,
  SLACK_API_URL: url('a Slack Web API root'),
  SLACK_CHANNEL: optionalString,
  SLACK_URGENT_CHANNEL: optionalString,
  SLACK_CASEWORKERS: optionalString,
  TELEGRAM_RATE_GLOBAL: perSecond('30'),
  TELEGRAM_RATE_PER_CHAT: perSecond('1'),
  SLACK_RATE_PER_CHANNEL: perSecond('1'),
  SLACK_RATE_PER_METHOD: optionalString
    .refine((v) => v === undefined || v.split(',').every((p) => METHOD_RATE.test(p.trim())), {
      message: 'must be a comma-separated list like chat.update=50/min,files.uploadV2=20/min',
    })
    .transform((v) => {
      const out: Record<string, Rate> = {};
      for (const p of v ? v.split(',') : []) {
        const m = METHOD_RATE.exec(p.trim())!;
        out[m[1]!] = { count: Number(m[2]), windowMs: m[3] === 'min' ? 60_000 : 1000 };
      }
      return out;
    }),
});

/** The validated configuration the rest of the product reads. */
export interface Config {
  host: string;
  port: number;
  dbPath: string;
  /** The data folder: the database's folder, where `secret.key` also lives. */
  dataDir: string;
  /** Set when TIPLINE_SECRET is given; else the key file under dataDir is used. */
  secret?: string;
  defaultLocale: string;
  emergencyNumber: string;
  /** Messages a reporter may send in a minute before being slowed (kept, sent to the desk as one digest). */
  floodPerMinute: number;
  telegram?: {
    token: string;
    library: 'grammy' | 'telegraf';
    apiRoot?: string;
    webhookUrl?: string;
    webhookSecret?: string;
    /** Telegram's pace: overall, and per chat. */
    limits: { global: Rate; perChat: Rate };
  };
  slack?: {
    botToken: string;
    signingSecret?: string;
    appToken?: string;
    apiUrl?: string;
    channel: string;
    urgentChannel: string;
    caseworkers: string[];
    /** Slack's pace: posts per channel, and per Web API method. */
    limits: { perChannel: Rate; perMethod: Record<string, Rate> };
  };
}

/**
 * Reads `.env` (if present in `cwd`) into a copy of `env` without overriding what is set.
 * Lines are `NAME=value`; `#` comments and surrounding quotes are handled.
 */
export function withDotEnv(env: NodeJS.ProcessEnv, cwd = process.cwd()): NodeJS.ProcessEnv {
  const file = path.join(cwd, '.env');
  if (!existsSync(file)) return env;
  const merged: NodeJS.ProcessEnv = { ...env };
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    const name = m[1]!;
    let value = m[2]!;
    if (/^(['"]).*\1$/.test(value)) value = value.slice(1, -1);
    else value = value.replace(/\s+#.*$/, '');
    if (merged[name] === undefined) merged[name] = value;
  }
  return merged;
}

/** Validates the environment. Throws {@link ConfigError} naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'configuration');
    throw new ConfigError(variable, issue.message);
  }
  const e = parsed.data;
  const dbPath = path.resolve(e.TIPLINE_DB);
  const config: Config = {
    host: e.HOST,
    port: e.PORT,
    dbPath,
    dataDir: path.dirname(dbPath),
    defaultLocale: e.TIPLINE_DEFAULT_LOCALE,
    emergencyNumber: e.TIPLINE_EMERGENCY_NUMBER,
    floodPerMinute: e.TIPLINE_FLOOD_PER_MINUTE,
  };
  if (e.TIPLINE_SECRET) config.secret = e.TIPLINE_SECRET;

  if (e.TELEGRAM_BOT_TOKEN) {
    if (e.TELEGRAM_WEBHOOK_URL && !e.TELEGRAM_WEBHOOK_SECRET) {
      throw new ConfigError('TELEGRAM_WEBHOOK_SECRET', 'is required with TELEGRAM_WEBHOOK_URL');
    }
    config.telegram = {
      token: e.TELEGRAM_BOT_TOKEN,
      library: e.TELEGRAM_LIBRARY,
      // Telegram allows short bursts in one chat (a greeting is three messages), not a sustained pace.
      limits: { global: e.TELEGRAM_RATE_GLOBAL, perChat: { ...e.TELEGRAM_RATE_PER_CHAT, burst: TELEGRAM_CHAT_BURST } },
    };
    if (e.TELEGRAM_API_ROOT) config.telegram.apiRoot = e.TELEGRAM_API_ROOT;
    if (e.TELEGRAM_WEBHOOK_URL) {
      // The webhook shares the one HTTP server: its path must not shadow the product's own.
      const webhookPath = new URL(e.TELEGRAM_WEBHOOK_URL).pathname;
      if (webhookPath === '/' || /^\/(api|static|slack)(\/|$)|^\/(healthz|metrics|favicon\.ico)$/.test(webhookPath)) {
        throw new ConfigError('TELEGRAM_WEBHOOK_URL', `its path ${webhookPath} is used by the tip line itself; use e.g. /telegram/<random>`);
      }
      config.telegram.webhookUrl = e.TELEGRAM_WEBHOOK_URL;
    }
    if (e.TELEGRAM_WEBHOOK_SECRET) config.telegram.webhookSecret = e.TELEGRAM_WEBHOOK_SECRET;
  } else if (e.TELEGRAM_WEBHOOK_URL) {
    throw new ConfigError('TELEGRAM_BOT_TOKEN', 'is required with TELEGRAM_WEBHOOK_URL');
  }

  if (e.SLACK_BOT_TOKEN) {
    if (!/^xoxb-/.test(e.SLACK_BOT_TOKEN)) throw new ConfigError('SLACK_BOT_TOKEN', 'must start with xoxb-');
    if (!e.SLACK_SIGNING_SECRET && !e.SLACK_APP_TOKEN) {
      throw new ConfigError('SLACK_SIGNING_SECRET', 'is required with SLACK_BOT_TOKEN (or set SLACK_APP_TOKEN for Socket Mode)');
    }
    if (e.SLACK_APP_TOKEN && !/^xapp-/.test(e.SLACK_APP_TOKEN)) throw new ConfigError('SLACK_APP_TOKEN', 'must start with xapp-');
    if (!e.SLACK_CHANNEL) throw new ConfigError('SLACK_CHANNEL', 'is required with SLACK_BOT_TOKEN (the queue channel id)');
    const caseworkers = (e.SLACK_CASEWORKERS ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (caseworkers.length === 0) {
      throw new ConfigError('SLACK_CASEWORKERS', 'is required with SLACK_BOT_TOKEN (comma-separated Slack user ids)');
    }
    const bad = caseworkers.find((id) => !/^[UW][A-Z0-9]{2,}$/.test(id));
    if (bad) throw new ConfigError('SLACK_CASEWORKERS', `"${bad}" is not a Slack user id (U…)`);
    config.slack = {
      botToken: e.SLACK_BOT_TOKEN,
      channel: e.SLACK_CHANNEL,
      urgentChannel: e.SLACK_URGENT_CHANNEL ?? e.SLACK_CHANNEL,
      caseworkers,
      limits: { perChannel: e.SLACK_RATE_PER_CHANNEL, perMethod: { ...SLACK_METHOD_DEFAULTS, ...e.SLACK_RATE_PER_METHOD } },
    };
    if (e.SLACK_SIGNING_SECRET) config.slack.signingSecret = e.SLACK_SIGNING_SECRET;
    if (e.SLACK_APP_TOKEN) config.slack.appToken = e.SLACK_APP_TOKEN;
    if (e.SLACK_API_URL) config.slack.apiUrl = e.SLACK_API_URL;
  } else {
    for (const name of ['SLACK_SIGNING_SECRET', 'SLACK_APP_TOKEN', 'SLACK_CHANNEL', 'SLACK_CASEWORKERS'] as const) {
      if (e[name]) throw new ConfigError('SLACK_BOT_TOKEN', `is required when ${name} is set`);
    }
  }
  return config;
}
