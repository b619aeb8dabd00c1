/**
 * A reply longer than Telegram's 4,096 characters goes in parts; when a later part fails, the
 * retry goes on from that part — the reporter never gets part 1 twice.
 */
import { describe, expect, it } from 'vitest';
import type { TelegramApi } from '../../adapters/telegram/api.ts';
import { telegramReporterAdapter } from '../../adapters/telegram/bridge.ts';
import { DeliveryError } from '../../src/core/types.ts';

function fakeApi(failOn: number[]): TelegramApi & { sent: string[] } {
  let call = 0;
  const sent: string[] = [];
  return {
    sent,
    async sendMessage(_chat, text) {
      call++;
      if (failOn.includes(call)) throw Object.assign(new Error('Bad Gateway'), { code: 502 });
      sent.push(text.slice(0, 1));
    },
    async sendPhoto() {},
    async answerCallbackQuery() {},
    async getFilePath() {
      return { path: 'x' };
    },
    async download() {
      return Buffer.alloc(0);
    },
    async botUsername() {
      return 'bot';
    },
    describeError: (err) => ({ code: (err as { code?: number }).code, description: (err as Error).message }),
  };
}

describe('long Telegram replies', () => {
  it('a retry after part 2 failed sends parts 2 and 3, not part 1 again', async () => {
    const api = fakeApi([2]);
    const adapter = telegramReporterAdapter(api);
    const text = 'A'.repeat(4096) + 'B'.repeat(4096) + 'C'.repeat(100);
    const to = { channel: 'telegram', conversationRef: '42', senderRef: '42' };
    const message = { text, from: 'caseworker' as const, locale: 'en' };
    const err = await adapter.send(to, message, { idempotencyKey: 'outbox:7' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect(api.sent).toEqual(['A']);
    await adapter.send(to, message, { idempotencyKey: 'outbox:7' });
    expect(api.sent).toEqual(['A', 'B', 'C']);
    // Another message from the start again.
    await adapter.send(to, message, { idempotencyKey: 'outbox:8' });
    expect(api.sent).toEqual(['A', 'B', 'C', 'A', 'B', 'C']);
  });
});
