/**
 * Wires the product together: store, keys, core, dispatcher, the HTTP server and the adapters
 * switched on by configuration. `npm start` and the end-to-end tests both go through here.
 */
import type { AddressInfo } from 'node:net';
import { createWebchatAdapter, WEBCHAT_CHANNEL, type WebchatAdapter } from '../adapters/webchat/index.ts';
import { existsSync } from 'node:fs';
import { ConfigError, type Config } from './config.ts';
import { Casework, type CaseSummary } from './core/casework.ts';
import { TiplineCore } from './core/tipline.ts';
import { IdentityVault, loadOrCreateSecret, safeEqual } from './crypto.ts';
import { Dispatcher } from './dispatcher.ts';
import { createPhotoMatcher } from './photo-matcher.ts';
import { ensureCatalogue } from './catalogue.ts';
import { lockDatabase } from './server-lock.ts';
import { createMetrics } from './metrics.ts';
import { BodyTooLargeError, HttpServer, readBody, sendJson } from './http/server.ts';
import type { TelegramPort } from '../adapters/telegram/bridge.ts';
import type { DeskQueueItem, SlackPort } from '../adapters/slack/index.ts';
import { formatStats } from './cli/format.ts';
import { localeOrDefault } from './core/outbound.ts';
import type { TelegramService, TelegramServiceOptions } from '../adapters/telegram/service.ts';
import type { InboundMessage } from './core/types.ts';
import type { ProcessHooks } from './core/tipline.ts';
import { getI18n, LOCALE_NAMES, resolveSupportedLocale, SUPPORTED_LOCALES } from './i18n/index.ts';
import { consoleLogger, type Logger } from './log.ts';
import { Store } from './store/index.ts';
import { sealedTranscript } from './store/webchat-transcript.ts';

export interface App {
  config: Config;
  store: Store;
  core: TiplineCore;
  casework: Casework;
  dispatcher: Dispatcher;
  webchat: WebchatAdapter;
  /** Telegram, when a token is set. */
  telegram?: TelegramService;
  /** The bound address (useful with PORT=0). */
  address: AddressInfo;
  url: string;
  /** Stops intake, drains the dispatcher pass in flight, closes the database. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Opens the store and builds the core (shared by the server and the CLI). Refuses — with one
 * line naming the variable — a missing database when `mustExist`, a lost key file for a
 * database that holds identities, and a key that does not open them.
 */
export function openCore(
  config: Config,
  opts: { mustExist?: boolean } = {},
): { store: Store; core: TiplineCore; casework: Casework; secretSource: string } {
  if (opts.mustExist && !existsSync(config.dbPath)) {
    throw new ConfigError('TIPLINE_DB', `${config.dbPath} does not exist (run from the tip line's folder, or set TIPLINE_DB)`);
  }
  const store = Store.open(config.dbPath);
  try {
    const sample = store.reporters.anyIdentity();
    const secret = loadOrCreateSecret({
      ...(config.secret ? { secret: config.secret } : {}),
      dataDir: config.dataDir,
      allowGenerate: !sample,
    });
    const vault = new IdentityVault(secret.secret);
    if (sample) {
      try {
        vault.decrypt(sample.sender_enc);
      } catch {
        throw new ConfigError(
          'TIPLINE_SECRET',
          `${secret.source === 'env' ? 'TIPLINE_SECRET' : secret.file} does not open the identities in ${config.dbPath}: restore the key it was created with`,
        );
      }
    }
    const core = new TiplineCore({
      store,
      vault,
      defaultLocale: resolveSupportedLocale(config.defaultLocale) ?? 'zh-CN',
      emergencyNumber: config.emergencyNumber,
      // With Slack on, every case change (from the server or the CLI) is queued for the desk.
      desks: config.slack ? ['slack'] : [],
      photoMatcher: createPhotoMatcher(store),
      floodPerMinute: config.floodPerMinute,
    });
    return { store, core, casework: new Casework(core), secretSource: secret.source };
  } catch (err) {
    store.close();
    throw err;
  }
}

/** `promise`, or a rejection after `ms` (a platform that never answers must not hang start-up). */
function within<T>(ms: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** One case as the desk lists it. */
function deskQueueItem(c: CaseSummary): DeskQueueItem {
  return {
    code: c.code,
    urgent: c.urgent,
    category: c.category,
    status: c.status,
    language: c.language,
    children: c.children,
    claimedBy: c.claimedBy,
    preview: c.preview,
  };
}

/** The Slack desk's view of the casework service. */
function slackPort(casework: Casework, log: Logger): SlackPort {
  return {
    // The desk shows at most a few dozen lines (the slash command, App Home).
    queue: () => casework.queue({ limit: 200 }).map(deskQueueItem),
    casesForChild: (n) => casework.casesForChild(n, { limit: 200 }).map((c) => ({ ...deskQueueItem(c), via: c.childSource })),
    view: (code) => casework.deskView(casework.find(code).id)!,
    claim: (code, actor) => void casework.claim(code, actor),
    unclaim: (code, actor) => void casework.unclaim(code, actor),
    escalate: (code, actor) => void casework.escalate(code, actor),
    spam: (code, actor) => void casework.markSpam(code, actor),
    reply: (code, actor, text) => void casework.reply(code, actor, { text }),
    close: (code, actor, reason) => void casework.close(code, actor, reason ? { reason } : {}),
    templates: (code) => {
      const c = casework.find(code);
      return casework.templates(localeOrDefault(c.locale, casework.core.defaultLocale), c.code);
    },
    replyTemplate: (code, actor, template) => void casework.reply(code, actor, { template }),
    eventDone: (eventId) => casework.core.store.inboundSeen(`slack-event:${eventId}`),
    markEventDone: (eventId) => void casework.core.store.markInboundProcessed(`slack-event:${eventId}`, new Date().toISOString()),
    noteFromThread: (channel, threadTs, actor, text) => {
      const code = casework.caseByDeskPost('slack', channel, threadTs);
      if (!code) return false;
      casework.note(code, actor, text, { fromDesk: true });
      return true;
    },
    stats: () => formatStats(casework.stats()),
    log,
  };
}

/** The Telegram service for the configured library. */
async function createTelegram(t: NonNullable<Config['telegram']>, port: TelegramPort, onRateLimited: (ms: number) => void): Promise<TelegramService> {
  const options: TelegramServiceOptions = { token: t.token, port, limits: t.limits, onRateLimited };
  if (t.apiRoot) options.apiRoot = t.apiRoot;
  if (t.webhookUrl) options.webhook = { url: t.webhookUrl, secret: t.webhookSecret ?? '' };
  // Each platform's SDK is loaded only when it is switched on (start-up stays quick without them).
  if (t.library === 'telegraf') return (await import('../adapters/telegram-telegraf/index.ts')).createTelegrafTelegram(options);
  return (await import('../adapters/telegram-grammy/index.ts')).createGrammyTelegram(options);
}

/**
 * Telegram's webhook on the one HTTP server, at the path of TELEGRAM_WEBHOOK_URL. The secret
 * header is compared in constant time; a wrong or missing one is 401 and nothing is processed.
 * The update is processed before the 200, so a crash makes Telegram deliver it again.
 */
function mountTelegramWebhook(server: HttpServer, telegram: TelegramService, url: string, secret: string, log: Logger): void {
  server.route('POST', new URL(url).pathname, async (req, res) => {
    const given = req.headers['x-telegram-bot-api-secret-token'];
    if (typeof given !== 'string' || !safeEqual(given, secret)) return sendJson(res, 401, { error: 'unauthorized' });
    let update: unknown;
    try {
      update = JSON.parse((await readBody(req, 1024 * 1024)).toString('utf8'));
    } catch (err) {
      if (err instanceof BodyTooLargeError) throw err;
      log.warn('telegram webhook: body is not JSON');
      return sendJson(res, 400, { error: 'bad_json' });
    }
    // Something that can never be an update is acknowledged and skipped: a 5xx would make
    // Telegram redeliver it forever. A real failure (the store) still answers 500 and is retried.
    const u = update as { update_id?: unknown } | null;
    if (!u || typeof u !== 'object' || typeof u.update_id !== 'number') {
      log.warn('telegram webhook: not an update, skipped');
      return sendJson(res, 200, {});
    }
    await telegram.handleWebhookUpdate(update);
    sendJson(res, 200, {});
  });
}

/** One line naming the variable to fix when Telegram cannot be started (never the token). */
function telegramStartError(telegram: TelegramService, t: NonNullable<Config['telegram']>, err: unknown): ConfigError {
  const f = telegram.describeError(err);
  const root = t.apiRoot ?? 'https://api.telegram.org';
  if (f.code === 401 || f.code === 404) return new ConfigError('TELEGRAM_BOT_TOKEN', `Telegram rejected the token (${f.code} ${f.description})`);
  if (f.code === undefined) {
    return new ConfigError(t.apiRoot ? 'TELEGRAM_API_ROOT' : 'TELEGRAM_BOT_TOKEN', `cannot reach the Bot API at ${root} (${f.description.replace(/bot\d+:[\w-]+/g, 'bot<token>')})`);
  }
  if (t.webhookUrl && /webhook/i.test(f.description)) return new ConfigError('TELEGRAM_WEBHOOK_URL', `Telegram refused the webhook: ${f.description}`);
  return new ConfigError('TELEGRAM_BOT_TOKEN', `Telegram answered ${f.code}: ${f.description}`);
}

/** Page strings for the web chat in the best locale for `hint`. */
export function webchatUi(hint: string | undefined, config: Config) {
  const locale = resolveSupportedLocale(hint) ?? resolveSupportedLocale(config.defaultLocale) ?? 'zh-CN';
  const bundle = (getI18n().getResourceBundle(locale, 'webchat') ?? {}) as Record<string, string>;
  const strings: Record<string, string> = {};
  for (const [k, v] of Object.entries(bundle)) strings[k] = v.replaceAll('{{emergency}}', config.emergencyNumber);
  return { locale, locales: SUPPORTED_LOCALES.map((code) => ({ code, name: LOCALE_NAMES[code] })), strings };
}

/** Starts the tip line: HTTP server with the web chat, dispatcher, and any configured platform. */
export async function startApp(config: Config, log: Logger = consoleLogger): Promise<App> {
  const releaseLock = lockDatabase(config.dbPath);
  let opened: ReturnType<typeof openCore>;
  try {
    opened = openCore(config);
  } catch (err) {
    releaseLock();
    throw err;
  }
  const { store, core, casework } = opened;
  /** Every way out below closes the store, and the lock goes with it. */
  const closeStore = () => {
    store.close();
    releaseLock();
  };
  // A fresh install has no catalogue: the bundled sample (11 synthetic children) stands in, so
  // photo matching and `#7` work at once; the first real `catalogue import` replaces it.
  try {
    const loaded = await ensureCatalogue(store);
    if (loaded) log.info(`catalogue: none yet, so the sample is loaded (${loaded} synthetic children, not real); import yours with npx tipline catalogue import FILE`);
  } catch (err) {
    log.warn(`catalogue: the sample could not be loaded: ${(err as Error).message}`);
  }
  const metrics = createMetrics(store, () => [WEBCHAT_CHANNEL, ...(config.telegram ? ['telegram'] : []), ...(config.slack ? ['slack'] : [])]);
  const dispatcher = new Dispatcher({
    store,
    vault: core.vault,
    log,
    onResult: (channel, result) => metrics.sends.inc({ channel, result }),
    deskView: (caseId) => casework.deskView(caseId),
    deskDigest: (caseId) => casework.deskDigest(caseId),
    deskDigestSent: (ids) => casework.deskDigestSent(ids),
  });
  const processCounted = async (msg: InboundMessage, hooks: ProcessHooks = {}) => {
    const result = await core.processMessage(msg, hooks);
    if (!result.duplicate) metrics.messagesIn.inc({ channel: msg.channel });
    return result;
  };
  const webchat = createWebchatAdapter({
    port: {
      processMessage: processCounted,
      sessionKey: (token) => core.vault.lookupHash(WEBCHAT_CHANNEL, token),
      mac: (value) => core.vault.mac(value),
      transcript: sealedTranscript(store.webchat, core.vault),
      caseCodes: (token) => {
        const identity = store.reporters.findIdentityByHash(core.vault.lookupHash(WEBCHAT_CHANNEL, token));
        return identity ? store.cases.codesForReporter(identity.reporter_id) : [];
      },
      ui: (hint) => webchatUi(hint, config),
      now: () => core.clock(),
    },
  });
  dispatcher.register(webchat.adapter);
  core.onOutbox(() => dispatcher.wake());

  const server = new HttpServer(log);
  webchat.mount(server);
  server.route('GET', '/healthz', (_req, res) => {
    const ok = store.healthy();
    if (!ok) return sendJson(res, 503, { status: 'unavailable', store: 'unusable' });
    // The backlog is reported, never a reason for 503: intake goes on while a platform is down.
    const outbox = { ...store.outbox.depth(), paused: dispatcher.paused() };
    const tg = telegram?.health();
    if (tg && !tg.ok) return sendJson(res, 503, { status: 'degraded', store: 'ok', telegram: tg.problem, outbox });
    sendJson(res, 200, { status: 'ok', store: 'ok', outbox, liveStreams: webchat.liveStreams, ...(telegram ? { telegram: 'ok' } : {}) });
  });

  server.route('GET', '/metrics', async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
    res.end(body);
  });

  const telegram = config.telegram
    ? await createTelegram(
        config.telegram,
        { processMessage: (m) => processCounted(m), groupNotice: (h, l) => core.groupNotice(h, l), log },
        () => metrics.rateLimited.inc({ platform: 'telegram' }),
      )
    : undefined;
  if (telegram) {
    dispatcher.register(telegram.adapter);
    if (config.telegram?.webhookUrl) mountTelegramWebhook(server, telegram, config.telegram.webhookUrl, config.telegram.webhookSecret ?? '', log);
  }

  const slack = config.slack
    ? (await import('../adapters/slack/index.ts')).createSlackDesk({
        ...config.slack,
        port: slackPort(casework, log),
        onRateLimited: () => metrics.rateLimited.inc({ platform: 'slack' }),
      })
    : undefined;
  if (slack) {
    dispatcher.registerDesk(slack.desk);
    slack.mount(server);
  }

  let address: AddressInfo;
  try {
    address = await server.listen(config.port, config.host);
  } catch (err) {
    closeStore();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new Error(`PORT: ${config.host}:${config.port} is already in use (another tip line running?)`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') throw new Error(`HOST: cannot listen on ${config.host}`);
    if (e.code === 'EACCES') throw new Error(`PORT: not allowed to listen on ${config.port}`);
    throw err;
  }
  if (telegram) {
    try {
      await within(20_000, telegram.start());
    } catch (err) {
      await telegram.stop().catch(() => {});
      await server.close();
      closeStore();
      throw telegramStartError(telegram, config.telegram!, err);
    }
    log.info('telegram on', { library: telegram.library, mode: config.telegram?.webhookUrl ? 'webhook' : 'polling' });
  }
  if (slack?.mode === 'socket') {
    try {
      await within(20_000, slack.start());
    } catch (err) {
      await telegram?.stop().catch(() => {});
      await slack.stop().catch(() => {});
      await server.close();
      closeStore();
      throw new ConfigError('SLACK_APP_TOKEN', `Socket Mode could not connect (${(err as Error).message.replace(/xapp-[\w-]+/g, 'xapp-<token>')})`);
    }
    log.info('slack desk on', { mode: 'socket' });
  }
  dispatcher.start();
  const sweeper = setInterval(() => {
    try {
      core.sweepIdleDrafts();
    } catch (err) {
      log.error('idle-draft sweep failed', { error: (err as Error).message });
    }
  }, 60_000);
  sweeper.unref();
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `http://${host}:${address.port}/`;

  let stopping: Promise<void> | undefined;
  const stop = () =>
    (stopping ??= (async () => {
      // Intake first (no new messages), then the sends under way (bounded), then the store.
      clearInterval(sweeper);
      await telegram?.stop().catch(() => {});
      webchat.close();
      await server.close();
      await dispatcher.stop(10_000);
      await slack?.stop().catch(() => {});
      closeStore();
    })());

  const app: App = { config, store, core, casework, dispatcher, webchat, address, url, stop };
  if (telegram) app.telegram = telegram;
  return app;
}
