import { afterEach, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { DeliveryError, type DeskAdapter, type ReporterAdapter, type DeliveryMeta, type DeliveryAddress, type OutboundMessage } from '../src/core/types.ts';
import { Dispatcher } from '../src/dispatcher.ts';
import { memoryLogger } from '../src/log.ts';
import { createHarness, type Harness } from './helpers/core.ts';
import { telegramReporterAdapter } from '../adapters/telegram/bridge.ts';
import { PlatformLimiter } from '../adapters/shared/rate-limit.ts';
import type { TelegramApi } from '../adapters/telegram/api.ts';

let h: Harness | undefined;
const ds: Dispatcher[] = [];
afterEach(async () => { for (const d of ds.splice(0)) await d.stop(500); h?.close(); h = undefined; });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('D: a long Telegram message whose 2nd part gets a 429 is sent again from part 1', async () => {
  const sent: string[] = [];
  let n = 0;
  const api = {
    async sendMessage(_c: string, text: string) {
      n++;
      if (n === 2) throw { code: 429, retry: 1 };
      sent.push(text.slice(0, 10));
    },
    sendPhoto: async () => {}, answerCallbackQuery: async () => {}, getFilePath: async () => ({ path: '' }), download: async () => Buffer.alloc(0), botUsername: async () => 'b',
    describeError: (e: any) => (e?.code === 429 ? { code: 429, description: 'Too Many Requests', retryAfter: e.retry } : { code: undefined, description: String(e) }),
  } as unknown as TelegramApi;
  const limiter = new PlatformLimiter({ platform: 'telegram', global: { count: 1000, windowMs: 1000 }, perKey: { chat: { count: 100, windowMs: 1000, burst: 10 } } });
  const ad = telegramReporterAdapter(api, limiter);
  const text = 'A'.repeat(4096) + 'B'.repeat(100);
  const meta: DeliveryMeta = { idempotencyKey: 'outbox:1' };
  await ad.send({ channel: 'telegram', senderRef: '1', conversationRef: '1' }, { text } as OutboundMessage, meta).catch((e) => console.log('first try:', e.message, e.rateLimited));
  await sleep(1100);
  await ad.send({ channel: 'telegram', senderRef: '1', conversationRef: '1' }, { text } as OutboundMessage, meta);
  console.log('D parts delivered', sent);
  expect(sent.filter((s) => s.startsWith('AAAA'))).toHaveLength(2);
  await limiter.stop();
});

it('E: a failed outcome commit (SQLITE_BUSY) leaves the row "in flight" forever and holds the reporter behind it', async () => {
  h = createHarness();
  for (let i = 0; i < 2; i++) await h.core.processMessage({ channel: 'fake', conversationRef: 'c1', senderRef: 's1', platformMessageId: `m${i}`, text: `I saw the child from poster number ${i + 1} at the bus station yesterday`, receivedAt: new Date() });
  const pendingIds = h.store.outbox.list('pending', 100).map((r) => r.id).sort((a, b) => a - b);
  console.log('E pending', pendingIds.length);
  const other = new Database(h.dbPath);
  const calls: number[] = [];
  const adapter: ReporterAdapter = { channel: 'fake', async send(_t: DeliveryAddress, _m: OutboundMessage, meta: DeliveryMeta) {
    calls.push(Number(meta.idempotencyKey.split(':')[1]));
    if (calls.length === 1) { await sleep(100); }
  } };
  const log = memoryLogger();
  const d = new Dispatcher({ store: h.store, vault: h.core.vault, log, pollMs: 50, maxInFlight: 1 });
  ds.push(d); d.register(adapter);
  d.start();
  await sleep(50);
  other.exec('BEGIN IMMEDIATE');            // e.g. a CLI command holding the write lock for a moment
  setTimeout(() => other.exec('COMMIT'), 5500);
  await sleep(9000);
  const rows = pendingIds.map((id) => h!.store.outbox.get(id)!);
  console.log('E calls', calls, 'rows', rows.map((r) => [r.id, r.state, r.inFlightSince, r.sendingSince]));
  console.log('E log', JSON.stringify((log as any).entries?.filter?.((e: any) => e.level === 'error') ?? log).slice(0, 600));
  other.close();
}, 20_000);
