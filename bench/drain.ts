/**
 * `drain`: 10,000 queued sends through the real dispatcher, the real Telegram adapter (grammY)
 * and its limiter, against a local Bot API fake that enforces a global and a per-chat limit
 * (scaled up from Telegram's 30/s and 1/s so the run stays short) and answers 429 with
 * retry_after when either is exceeded. Reports the send rate as a share of the global limit
 * (`ratio_to_limit`, goal ≥ 0.95) and the 429s the fake had to answer (`rejected_429`, goal 0).
 *
 * Scaling: BENCH_DRAIN_SENDS (10,000), BENCH_DRAIN_CHATS (1,000), BENCH_DRAIN_GLOBAL (300/s),
 * BENCH_DRAIN_PER_CHAT (10/s).
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { Bot } from 'grammy';
import { grammyApi } from '../adapters/telegram-grammy/index.ts';
import { telegramReporterAdapter } from '../adapters/telegram/bridge.ts';
import { telegramLimiter } from '../adapters/telegram/service.ts';
import { TiplineCore } from '../src/core/tipline.ts';
import { IdentityVault } from '../src/crypto.ts';
import { Dispatcher } from '../src/dispatcher.ts';
import { memoryLogger } from '../src/log.ts';
import { Store } from '../src/store/index.ts';
import { emit, envInt, note } from './common.ts';

const TOKEN = '123456:bench-token-abcdefghijklmnopqrstuvwxyz';

/** The limiting Bot API fake (bench/drain-fake.mjs), in its own process as Telegram would be. */
async function startLimitingFake(global: number, perChat: number) {
  const proc = spawn(process.execPath, [fileURLToPath(new URL('./drain-fake.mjs', import.meta.url))], {
    env: { ...process.env, GLOBAL: String(global), PER_CHAT: String(perChat) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    proc.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    proc.once('exit', (code) => reject(new Error(`drain fake exited (${code})`)));
  });
  const apiRoot = `http://127.0.0.1:${port}`;
  return {
    apiRoot,
    counts: async () => (await (await fetch(`${apiRoot}/stats`)).json()) as { ok: number; rejected: number; rejectedGlobal: number },
    stop: () => new Promise<void>((r) => (proc.once('exit', () => r()), proc.kill('SIGTERM'))),
  };
}

export async function benchDrain({ dir }: { dir: string }): Promise<void> {
  const sends = envInt('BENCH_DRAIN_SENDS', 10_000);
  const chats = envInt('BENCH_DRAIN_CHATS', 1_000);
  const global = envInt('BENCH_DRAIN_GLOBAL', 300);
  const perChat = envInt('BENCH_DRAIN_PER_CHAT', 10);
  const fake = await startLimitingFake(global, perChat);
  const store = Store.open(path.join(dir, 'drain.db'));
  const vault = new IdentityVault('bench-secret-bench-secret-bench-secret-0123');
  const core = new TiplineCore({ store, vault, defaultLocale: 'zh-CN', emergencyNumber: '110' });
  try {
    // Reporters on Telegram, through the real core (identities sealed as in production).
    for (let c = 0; c < chats; c++) {
      await core.processMessage({
        channel: 'telegram',
        conversationRef: String(500_000 + c),
        senderRef: String(500_000 + c),
        platformMessageId: `u${c}`,
        command: { name: 'start', args: '' },
        receivedAt: new Date(),
      });
    }
    // The queue: what the greetings put there, topped up to `sends` replies, round-robin over the chats.
    const queued = () => store.outbox.depth().pending;
    const identities = store.db.prepare(`SELECT DISTINCT identity_id id FROM outbox WHERE channel = 'telegram'`).all() as { id: number }[];
    const now = new Date().toISOString();
    store.transaction(() => {
      for (let i = 0; queued() < sends; i++) {
        const identityId = identities[i % identities.length]!.id;
        store.outbox.enqueue({
          idempotencyKey: `bench:${i}`,
          channel: 'telegram',
          identityId,
          payload: { text: `谢谢您的线索。我们已经收到，编号 ${i}。`, from: 'caseworker', locale: 'zh-CN' },
          priority: 10,
          now,
        });
      }
    });
    const total = queued();
    note(`drain: ${total} queued sends over ${identities.length} chats, fake enforcing ${global}/s overall and ${perChat}/s per chat`);

    const bot = new Bot(TOKEN, { client: { apiRoot: fake.apiRoot } });
    const limiter = telegramLimiter({
      token: TOKEN,
      port: { processMessage: async () => ({ duplicate: false }), groupNotice: () => ({ text: '', from: 'bot', locale: 'en' }), log: memoryLogger() },
      limits: { global: { count: global, windowMs: 1000 }, perChat: { count: perChat, windowMs: 1000 } },
    });
    const dispatcher = new Dispatcher({ store, vault, log: memoryLogger(), maxInFlight: 256 });
    dispatcher.register(telegramReporterAdapter(grammyApi(bot.api, () => 'bench_bot'), limiter));
    const t0 = performance.now();
    dispatcher.start();
    while (queued() > 0) await new Promise((r) => setTimeout(r, 20));
    const seconds = (performance.now() - t0) / 1000;
    await dispatcher.stop();
    await limiter.stop();
    const { ok, rejected, rejectedGlobal } = await fake.counts();
    const rate = total / seconds;
    emit({
      name: 'drain',
      value: Math.round(rate),
      unit: 'sends/s',
      ratio_to_limit: Number((rate / global).toFixed(3)),
      rejected_429: rejected,
      rejected_429_global: rejectedGlobal,
      sends: total,
      delivered: ok,
      chats: identities.length,
      limit_global_per_s: global,
      limit_per_chat_per_s: perChat,
      seconds: Number(seconds.toFixed(2)),
    });
  } finally {
    store.close();
    await fake.stop();
  }
}
