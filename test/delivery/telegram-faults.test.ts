/**
 * Telegram delivery under faults, against the real server and the Bot API emulator answering
 * 429 with retry_after, 5xx and 403: retry_after honoured exactly with no storm, backoff on
 * 5xx, a blocked reporter's reply a dead letter with the reason; and the bot's pace — overall
 * and per chat — never above what is configured, with many reporters at once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { runCli, startServer, type RunningServer } from '../helpers/server.ts';
import { startTelegramEmulator, type ApiCall, type EmulatorUser, type TelegramEmulator } from '../helpers/telegram-emulator.ts';

const GLOBAL = 12;
let tg: TelegramEmulator;
let server: RunningServer;

beforeAll(async () => {
  tg = await startTelegramEmulator();
  server = await startServer({
    env: {
      TELEGRAM_BOT_TOKEN: tg.token,
      TELEGRAM_API_ROOT: tg.apiRoot,
      // Below Telegram's 30 so that 20 reporters at once press against it; per chat as Telegram says.
      TELEGRAM_RATE_GLOBAL: String(GLOBAL),
      TELEGRAM_RATE_PER_CHAT: '1',
    },
  });
});
afterAll(async () => {
  await server?.stop();
  await tg?.stop();
});

let nextId = 91_000;
const user = (language_code = 'en'): EmulatorUser => {
  const id = nextId++;
  return { id, first_name: `U${id}`, username: `u${id}`, language_code };
};
const sends = (from = 0): ApiCall[] => tg.apiCalls().slice(from).filter((c) => c.method === 'sendMessage');

describe('Telegram refusing', () => {
  it('a 429 is waited out exactly as retry_after says, with no other send in the wait — however many reporters are waiting', async () => {
    const from = tg.apiCalls().length;
    tg.failNext('sendMessage', { status: 429, retryAfter: 2 });
    const users = Array.from({ length: 6 }, () => user());
    for (const u of users) tg.userCommand(u, '/start');
    await eventually(() => users.every((u) => tg.botMessages(u.id).length >= 3), 20_000, 'every greeting');
    const calls = sends(from);
    const refused = calls.filter((c) => c.status === 429);
    expect(refused).toHaveLength(1);
    const at = refused[0]!.at;
    // Sends already on the wire when the 429 came back aside (a few ms), none until retry_after ran out.
    const inPause = calls.filter((c) => c.at > at + 50 && c.at < at + 2000);
    expect(inPause).toEqual([]);
    const metrics = await (await fetch(new URL('/metrics', server.url))).text();
    expect(metrics).toMatch(/^tipline_rate_limited_total\{platform="telegram"\} 1$/m);
  });

  it('5xx is retried with backoff until it goes through', async () => {
    const u = user();
    const from = tg.apiCalls().length;
    tg.failNext('sendMessage', { status: 502, times: 2 });
    tg.userCommand(u, '/start');
    await eventually(() => tg.botMessages(u.id).length >= 3, 20_000, 'the greeting');
    const statuses = sends(from)
      .filter((c) => String(c.params.chat_id) === String(u.id))
      .map((c) => c.status);
    expect(statuses.slice(0, 3)).toEqual([502, 502, 200]);
  });

  it('a reporter who blocked the bot: the reply is a dead letter with the reason, listed by `outbox`, and the case shows it', async () => {
    const u = user();
    tg.blockUser(u.id);
    tg.userText(u, 'A man is selling a baby girl at the Hekou bus station right now');
    const dead = await eventually(async () => {
      const items = JSON.parse((await runCli(['outbox', '--json'], server.env)).stdout) as Array<{ id: number; channel: string; lastError: string; caseCode: string | null }>;
      return items.find((i) => i.channel === 'telegram' && /403/.test(i.lastError) && i.caseCode);
    }, 15_000, 'the dead letter');
    expect(dead.lastError).toMatch(/blocked/);
    const show = await runCli(['show', dead.caseCode!], server.env);
    expect(show.stdout).toMatch(new RegExp(`FAILED outbox #${dead.id} to reporter \\(telegram\\): telegram 403`));
    // Not retried: one attempt each.
    expect(sends().filter((c) => String(c.params.chat_id) === String(u.id) && c.status === 403).length).toBeGreaterThanOrEqual(1);
    tg.unblockUser(u.id);
  });
});

describe('Telegram pace', () => {
  it(`20 reporters at once: never more than ${GLOBAL} sends a second, never more than 3 to one chat within 3 seconds, no 429`, async () => {
    const from = tg.apiCalls().length;
    const users = Array.from({ length: 20 }, (_, i) => user(i % 2 ? 'en' : 'zh-hans'));
    for (const u of users) tg.userCommand(u, '/start');
    for (const u of users) tg.userText(u, `我在车站看到一个孩子，很像${(u.id % 11) + 1}号`);
    await eventually(() => users.every((u) => tg.botMessages(u.id).length >= 4), 40_000, 'every reporter answered');
    const calls = sends(from).filter((c) => c.ok);
    expect(calls.length).toBeGreaterThanOrEqual(80);
    // Times are when the emulator (in this busy test process) got round to each request, so a
    // second's count can be off by a straggler; over two seconds the pace must hold.
    const times = calls.map((c) => c.at).sort((a, b) => a - b);
    for (let i = 2 * GLOBAL; i < times.length; i++) expect(times[i]! - times[i - 2 * GLOBAL]!).toBeGreaterThanOrEqual(1900);
    expect((times.length - 1) / ((times.at(-1)! - times[0]!) / 1000)).toBeLessThanOrEqual(GLOBAL);
    for (const u of users) {
      const t = calls.filter((c) => String(c.params.chat_id) === String(u.id)).map((c) => c.at);
      for (let i = 3; i < t.length; i++) expect(t[i]! - t[i - 3]!).toBeGreaterThanOrEqual(2990);
    }
    expect(sends(from).filter((c) => c.status === 429)).toEqual([]);
  });
});
