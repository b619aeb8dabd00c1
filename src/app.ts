/**
 * Wires the product together: store, keys, core, dispatcher, the HTTP server and the adapters
 * switched on by configuration. `npm start` and the end-to-end tests both go through here.
 */
import type { AddressInfo } from 'node:net';
import { createWebchatAdapter, WEBCHAT_CHANNEL, type WebchatAdapter } from '../adapters/webchat/index.ts';
import { existsSync } from 'node:fs';
import { ConfigError, type Config } from './config.ts';
import { Casework } from './core/casework.ts';
import { TiplineCore } from './core/tipline.ts';
import { IdentityVault, loadOrCreateSecret } from './crypto.ts';
import { Dispatcher } from './dispatcher.ts';
import { createMetrics } from './metrics.ts';
import { HttpServer, sendJson } from './http/server.ts';
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
    });
    return { store, core, casework: new Casework(core), secretSource: secret.source };
  } catch (err) {
    store.close();
    throw err;
  }
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
  const { store, core, casework } = openCore(config);
  const metrics = createMetrics(store);
  const dispatcher = new Dispatcher({ store, vault: core.vault, log, onResult: (channel, result) => metrics.sends.inc({ channel, result }) });
  const webchat = createWebchatAdapter({
    port: {
      processMessage: async (msg, hooks) => {
        const result = await core.processMessage(msg, hooks);
        if (!result.duplicate) metrics.messagesIn.inc({ channel: msg.channel });
        return result;
      },
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
    const outbox = store.outbox.depth();
    sendJson(res, 200, { status: 'ok', store: 'ok', outbox, liveStreams: webchat.liveStreams });
  });

  server.route('GET', '/metrics', async (_req, res) => {
    const body = await metrics.registry.metrics();
    res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
    res.end(body);
  });

  let address: AddressInfo;
  try {
    address = await server.listen(config.port, config.host);
  } catch (err) {
    store.close();
    const e = err as NodeJS.ErrnoException;
    if (e.code === 'EADDRINUSE') throw new Error(`PORT: ${config.host}:${config.port} is already in use (another tip line running?)`);
    if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') throw new Error(`HOST: cannot listen on ${config.host}`);
    if (e.code === 'EACCES') throw new Error(`PORT: not allowed to listen on ${config.port}`);
    throw err;
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
      clearInterval(sweeper);
      webchat.close();
      await server.close();
      await Promise.race([dispatcher.stop(), new Promise((r) => setTimeout(r, 10_000))]);
      store.close();
    })());

  return { config, store, core, casework, dispatcher, webchat, address, url, stop };
}
