/**
 * The Telegram contract: the same suite against both adapters (grammY and telegraf). The real
 * tip line runs as a child process (`npm start`'s entry point) against a real Bot API emulator
 * (telegram-test-api, extended in test/helpers/telegram-emulator.ts), and the real caseworker
 * CLI answers. Nothing of ours is mocked.
 */
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import { CASE_CODE_RE, PNG_1x1, listCases, runCli, startServer, type RunningServer } from '../helpers/server.ts';
import { inlineKeyboard, startTelegramEmulator, type BotMessage, type EmulatorUser, type TelegramEmulator } from '../helpers/telegram-emulator.ts';

const LIBRARIES = ['grammy', 'telegraf'] as const;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

const texts = (msgs: readonly BotMessage[]) => msgs.map((m) => m.text ?? m.caption ?? '').join('\n');
const buttons = (m: BotMessage | undefined) => inlineKeyboard(m).flat().map((b) => b.callback_data);
const CODE_IN_TEXT = /TL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;
const codeIn = (msgs: readonly BotMessage[]) => texts(msgs).match(CODE_IN_TEXT)?.[0];

let nextUserId = 7000;
function user(language_code: string): EmulatorUser {
  const id = nextUserId++;
  return { id, first_name: `User${id}`, username: `user${id}`, language_code };
}

describe.each(LIBRARIES)('Telegram through %s', (library) => {
  let tg: TelegramEmulator;
  let server: RunningServer;

  beforeAll(async () => {
    tg = await startTelegramEmulator();
    server = await startServer({
      // Behaviour, not pacing, is tested here (test/delivery/telegram-faults.test.ts paces): the
      // per-chat pace is raised so a flow's replies do not wait a second each.
      env: { TELEGRAM_BOT_TOKEN: tg.token, TELEGRAM_API_ROOT: tg.apiRoot, TELEGRAM_LIBRARY: library, TELEGRAM_RATE_PER_CHAT: '50' },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await tg?.stop();
  });

  /** Sends an update and waits until the bot has sent `n` more messages to that chat. */
  async function exchange(chatId: number, send: () => void, n = 1, timeoutMs = 8000): Promise<BotMessage[]> {
    const before = tg.botMessages(chatId).length;
    send();
    const all = await tg.waitForBotMessages(chatId, (msgs) => msgs.length >= before + n, timeoutMs);
    return all.slice(before);
  }

  /** Presses a button of the bot's last message and waits for the answer. */
  async function press(u: EmulatorUser, data: string, n = 1): Promise<BotMessage[]> {
    const last = tg.botMessages(u.id).at(-1)!;
    expect(buttons(last)).toContain(data);
    return exchange(u.id, () => tg.userCallback(u, data, last.message_id), n);
  }

  it('greets in Chinese with an inline menu, runs the tip flow to a case code; buttons are answered', async () => {
    const u = user('zh-hans');
    const hello = await exchange(u.id, () => tg.userCommand(u, '/start'), 3);
    expect(texts(hello)).toContain('线索热线');
    expect(buttons(hello.at(-1))).toEqual(['menu:tip', 'menu:family', 'menu:adoption', 'menu:status', 'menu:language']);
    await press(u, 'menu:tip', 2);
    await exchange(u.id, () => tg.userText(u, '7'));
    await exchange(u.id, () => tg.userText(u, '我昨天在昆明火车站看到一个女人抱着这个孩子'));
    await press(u, 'done');
    await press(u, 'contact:no', 3);
    const done = await press(u, 'confirm:send', 1);
    const code = codeIn(done);
    expect(code).toMatch(CASE_CODE_RE);
    expect(texts(tg.botMessages(u.id))).not.toMatch(/[A-Za-z]{2,}(?:\s+[A-Za-z]{2,}){2,}/);
    const answered = tg.answeredCallbacks().length;
    expect(answered).toBeGreaterThanOrEqual(4);
    const cases = await listCases(server.env);
    const c = cases.find((x) => x.code === code)!;
    expect(c.category).toBe('tip');
    expect(c.children).toEqual([7]);
  });

  it('greets in English for an English Telegram; family inquiry ends with the DNA step and money warning', async () => {
    const u = user('en');
    const hello = await exchange(u.id, () => tg.userCommand(u, '/start'), 3);
    expect(texts(hello)).toContain('tip line');
    await press(u, 'menu:family', 2);
    await press(u, 'sex:girl');
    await exchange(u.id, () => tg.userText(u, 'March 2012'));
    await exchange(u.id, () => tg.userText(u, 'At the Kaiyuan market in February 2013'));
    await press(u, 'skip');
    await press(u, 'rel:mother');
    await press(u, 'child:unsure');
    await press(u, 'done');
    await press(u, 'contact:no', 3);
    const done = await press(u, 'confirm:send', 3);
    expect(codeIn(done)).toMatch(CASE_CODE_RE);
    expect(texts(done)).toContain('DNA');
    expect(texts(done)).toContain('110');
  });

  it('adoption explains the lawful route and records a low-priority case', async () => {
    const u = user('zh-hant');
    await exchange(u.id, () => tg.userCommand(u, '/start'), 3);
    const explain = await press(u, 'menu:adoption');
    expect(texts(explain)).toContain('民政部門');
    await press(u, 'adoption:note');
    const done = await exchange(u.id, () => tg.userText(u, '我們想收養一個孩子，請問要怎麼辦理'));
    const code = codeIn(done)!;
    const c = (await listCases(server.env)).find((x) => x.code === code)!;
    expect(c.category).toBe('adoption');
    expect(c.priority).toBe('low');
  });

  it('a deep link /start child_7 opens a tip about child 7', async () => {
    const u = user('en');
    const out = await exchange(u.id, () => tg.userCommand(u, '/start child_7'), 4);
    expect(texts(out)).toContain('#7');
  });

  it('a photo forwarded from the police channel is stored with the case and triaged', async () => {
    const u = user('zh-hans');
    await exchange(u.id, () => tg.userCommand(u, '/start'), 3);
    const out = await exchange(u.id, () =>
      tg.userPhoto(u, PNG_1x1, { caption: '这个5号孩子我见过，在蒙自的一家餐馆', forwardFromChat: { id: -100123, title: '开远警方', username: 'kaiyuan_police' } }),
    );
    const code = codeIn(out)!;
    expect(code).toMatch(CASE_CODE_RE);
    const show = await runCli(['show', code, '--json'], server.env);
    const detail = JSON.parse(show.stdout) as { attachments: unknown[]; children: number[]; messages: { text: string }[] };
    expect(detail.attachments).toHaveLength(1);
    expect(detail.children).toEqual([5]);
    expect(detail.messages[0]!.text).toContain('开远警方');
  });

  it('a caseworker reply from the CLI reaches the Telegram user', async () => {
    const u = user('en');
    const out = await exchange(u.id, () => tg.userText(u, 'I saw child 3 with a man in a red jacket at the bus station'), 3);
    const code = codeIn(out)!;
    const reply = 'Thank you — can you tell us what time this was?';
    const got = await exchange(u.id, () => void runCli(['reply', code, reply], server.env), 1);
    expect(texts(got)).toContain(reply);
  });

  it('in a group the bot only says reports are private; nothing becomes a case', async () => {
    const u = user('zh-hans');
    const group = { id: -5000 - nextUserId, title: 'Neighbourhood', type: 'supergroup' as const };
    const before = (await listCases(server.env)).length;
    const out = await exchange(group.id, () => tg.groupText(u, group, '/start'), 1);
    expect(texts(out)).toContain('私聊');
    tg.groupText(u, group, '我知道7号孩子在哪里');
    await new Promise((r) => setTimeout(r, 800));
    expect((await listCases(server.env)).length).toBe(before);
    expect(tg.botMessages(group.id)).toHaveLength(1);
  });

  it('a redelivered update (same update_id) makes no second case and no second reply', async () => {
    const u = user('en');
    await exchange(u.id, () => tg.userCommand(u, '/start'), 3);
    const before = (await listCases(server.env)).length;
    const update = tg.userText(u, 'I saw child 9 near the river this morning with two women');
    await tg.waitForBotMessages(u.id, (m) => codeIn(m.slice(-2)) !== undefined);
    const count = tg.botMessages(u.id).length;
    tg.pushUpdate(update);
    await new Promise((r) => setTimeout(r, 1200));
    expect(tg.botMessages(u.id).length).toBe(count);
    expect((await listCases(server.env)).length).toBe(before + 1);
  });

  it('voice and stickers get a polite answer; a location and an edit join the case; a huge text is refused politely', async () => {
    const u = user('en');
    const first = await exchange(u.id, () => tg.userText(u, 'I saw child 2 at a pharmacy in Gejiu an hour ago'), 3);
    const code = codeIn(first)!;
    const voice = await exchange(u.id, () => tg.userMessage(u, { voice: { file_id: 'v1', file_unique_id: 'v1u', duration: 3 } }), 2);
    expect(texts(voice)).toMatch(/cannot receive/i);
    await exchange(u.id, () => tg.userMessage(u, { location: { latitude: 23.3636, longitude: 103.1547 } }), 1);
    const huge = await exchange(u.id, () => tg.userText(u, 'x'.repeat(4100) + ' long'), 1);
    expect(texts(huge)).toMatch(/too long/i);
    const edited = tg.userEdit(u, tg.botMessages(u.id)[0]!.message_id, 'Correction: it was a pharmacy in Mengzi');
    expect(edited.update_id).toBeGreaterThan(0);
    await eventually(async () => {
      const r = await runCli(['show', code, '--json'], server.env);
      const d = JSON.parse(r.stdout) as { messages: { text: string }[] };
      return d.messages.some((m) => m.text.includes('Mengzi')) && d.messages.some((m) => m.text.includes('📍'));
    }, 8000, 'location and edit in the case');
  });

  it('a reporter who blocked the bot is marked unreachable, and the reply is not retried forever', async () => {
    const u = user('en');
    const out = await exchange(u.id, () => tg.userText(u, 'I know where the seller of child 4 lives, in Jianshui'), 3);
    const code = codeIn(out)!;
    tg.blockUser(u.id);
    const r = await runCli(['reply', code, 'Could you tell us the street?'], server.env);
    expect(r.code).toBe(0);
    const detail = await eventually(async () => {
      const d = JSON.parse((await runCli(['show', code, '--json'], server.env)).stdout) as { reporterReachable: boolean; delivery: { dead: number } };
      return !d.reporterReachable && d.delivery.dead === 1 ? d : undefined;
    }, 10_000, 'unreachable + dead letter');
    expect(detail?.delivery.dead).toBe(1);
    const table = await runCli(['show', code], server.env);
    expect(table.stdout).toMatch(/UNREACHABLE/);
  });

  it('an image sent as a document is stored; a PDF and a too-large photo get polite answers', async () => {
    const u = user('zh-hans');
    const first = await exchange(u.id, () => tg.userText(u, '我在昆明见过8号孩子，和一个老人在一起'), 3);
    const code = codeIn(first)!;
    await exchange(u.id, () => tg.userDocument(u, PNG_1x1, 'image/png', 'IMG_2041.png'), 1);
    const pdf = await exchange(u.id, () => tg.userDocument(u, Buffer.from('%PDF-1.4 not a photo'), 'application/pdf', 'scan.pdf'), 2);
    expect(texts(pdf)).toContain('JPEG');
    const big = await exchange(u.id, () => tg.userPhoto(u, PNG_1x1, { fileSize: 15 * 1024 * 1024 }), 2);
    expect(texts(big)).toContain('10MB');
    const detail = JSON.parse((await runCli(['show', code, '--json'], server.env)).stdout) as { attachments: unknown[] };
    expect(detail.attachments).toHaveLength(1);
  });

  it('an album of photos is stored whole and acknowledged once', async () => {
    const u = user('en');
    const first = await exchange(u.id, () => tg.userText(u, 'I saw child 8 at the border market in Hekou, photos follow'), 3);
    const code = codeIn(first)!;
    const before = tg.botMessages(u.id).length;
    for (let i = 0; i < 3; i++) {
      const f = tg.registerFile(PNG_1x1);
      tg.userMessage(u, {
        photo: [{ file_id: f.file_id, file_unique_id: f.file_unique_id, width: 1, height: 1, file_size: f.file_size }],
        media_group_id: `album-${u.id}`,
        ...(i === 0 ? { caption: 'the woman in the blue coat' } : {}),
      });
    }
    await eventually(async () => {
      const d = JSON.parse((await runCli(['show', code, '--json'], server.env)).stdout) as { attachments: unknown[] };
      return d.attachments.length === 3;
    }, 10_000, 'three photos in the case');
    await eventually(async () => tg.botMessages(u.id).length > before, 8000, 'the album acknowledged');
    await new Promise((r) => setTimeout(r, 800));
    expect(tg.botMessages(u.id).length - before).toBe(1);
  });

  it('the reporter’s own contact, shared with the button, becomes their contact details', async () => {
    const u = user('en');
    await exchange(u.id, () => tg.userCommand(u, '/start'), 3);
    await press(u, 'menu:tip', 2);
    await press(u, 'child:unsure');
    await exchange(u.id, () => tg.userText(u, 'A woman was selling baby clothes and asked about adopting, at the Yuxi market last week'));
    await press(u, 'done');
    await exchange(u.id, () => tg.userContact(u, '+8613912345678', { firstName: 'Wang', userId: u.id }), 4);
    const done = await press(u, 'confirm:send');
    const code = codeIn(done)!;
    const detail = JSON.parse((await runCli(['show', code, '--json'], server.env)).stdout) as { contact: string | null };
    expect(detail.contact).toContain('+8613912345678');
  });

  it('/language offers every language and /status CODE answers with the case status', async () => {
    const u = user('en');
    const out = await exchange(u.id, () => tg.userText(u, 'I saw child 11 being carried onto a bus to Kunming'), 3);
    const code = codeIn(out)!;
    const lang = await exchange(u.id, () => tg.userCommand(u, '/language'), 1);
    expect(buttons(lang.at(-1))).toEqual(['lang:zh-CN', 'lang:zh-TW', 'lang:en']);
    const zh = await press(u, 'lang:zh-TW', 1);
    expect(texts(zh)).toContain('繁體中文');
    const status = await exchange(u.id, () => tg.userCommand(u, `/status ${code.toLowerCase()}`), 2);
    expect(texts(status)).toContain(code);
    expect(texts(status)).toContain('等待');
  });

  it('long polling survives 409 conflicts (a restart while Telegram holds the old poll)', async () => {
    tg.failNext('getUpdates', { status: 409, description: 'Conflict: terminated by other getUpdates request', times: 3 });
    tg.releasePolls();
    const u = user('en');
    const out = await exchange(u.id, () => tg.userCommand(u, '/help'), 1, 20_000);
    expect(texts(out)).toMatch(/case code/i);
    await eventually(async () => (await fetch(new URL('/healthz', server.url))).status === 200, 10_000, 'healthy again');
  });

  it('a 429 delays but never reorders a reporter’s messages; a 400 fails one message, not the reporter', async () => {
    const u = user('en');
    tg.failNext('sendMessage', { status: 429, retryAfter: 1, description: 'Too Many Requests: retry after 1' });
    const hello = await exchange(u.id, () => tg.userCommand(u, '/start'), 3, 15_000);
    expect(hello[0]!.text).toMatch(/^Hello/);
    expect(buttons(hello[2])).toContain('menu:tip');
    const out = await exchange(u.id, () => tg.userText(u, 'I saw child 1 at the hospital gate with a nurse'), 1);
    const code = codeIn(out)!;
    tg.failNext('sendMessage', { status: 400, description: "Bad Request: can't parse entities" });
    await runCli(['reply', code, 'first reply (will fail once)'], server.env);
    const d = await eventually(async () => {
      const x = JSON.parse((await runCli(['show', code, '--json'], server.env)).stdout) as { reporterReachable: boolean; delivery: { dead: number } };
      return x.delivery.dead === 1 ? x : undefined;
    }, 10_000, 'dead letter');
    expect(d?.reporterReachable).toBe(true);
    const next = await exchange(u.id, () => void runCli(['reply', code, 'second reply arrives'], server.env), 1);
    expect(texts(next)).toContain('second reply arrives');
  });

  it('edits never run commands; unknown commands keep their words; own forwards carry no name', async () => {
    const u = user('en');
    const first = await exchange(u.id, () => tg.userText(u, 'hello'), 2);
    const before = tg.botMessages(u.id).length;
    tg.userEdit(u, first[0]!.message_id, '/start');
    await new Promise((r) => setTimeout(r, 800));
    expect(tg.botMessages(u.id).length).toBe(before);
    const sos = await exchange(u.id, () => tg.userText(u, '/sos they are selling the child tonight at the station'), 2);
    expect(sos[0]!.text).toContain('110');
    const code = codeIn(sos)!;
    tg.userMessage(u, { text: 'my earlier note about child 1', forward_origin: { type: 'user', date: 1, sender_user: { id: u.id, is_bot: false, first_name: 'Alice', last_name: 'RealSurname' } } });
    await eventually(async () => {
      const d = JSON.parse((await runCli(['show', code, '--json'], server.env)).stdout) as { messages: { text: string }[] };
      return d.messages.some((m) => m.text.includes('my earlier note')) ? d : undefined;
    }, 8000, 'forward in the case');
    const all = (await runCli(['show', code, '--json'], server.env)).stdout;
    expect(all).not.toContain('RealSurname');
  });

  it('a photo Telegram cannot hand over keeps its caption and asks for the photo again', async () => {
    const u = user('en');
    await exchange(u.id, () => tg.userCommand(u, '/start'), 3);
    tg.failNext('getFile', { status: 502, description: 'Bad Gateway', times: 5 });
    const out = await exchange(u.id, () => tg.userPhoto(u, PNG_1x1, { caption: 'This is the man who sold child 7, seen in Gejiu' }), 2, 15_000);
    expect(texts(out)).toMatch(/could not receive your photo/i);
    const code = codeIn(out)!;
    const d = JSON.parse((await runCli(['show', code, '--json'], server.env)).stdout) as { messages: { text: string }[] };
    expect(d.messages[0]!.text).toContain('sold child 7');
  });

  it('in a group: commands for other bots are ignored and notices are not repeated', async () => {
    const u = user('en');
    const group = { id: -9000 - nextUserId, title: 'Market traders', type: 'supergroup' as const };
    tg.groupText(u, group, '/start@some_other_bot');
    await new Promise((r) => setTimeout(r, 600));
    expect(tg.botMessages(group.id)).toHaveLength(0);
    await exchange(group.id, () => tg.groupText(u, group, '/help'), 1);
    tg.groupText(u, group, '/help');
    tg.groupText(u, group, '/start');
    await new Promise((r) => setTimeout(r, 800));
    expect(tg.botMessages(group.id)).toHaveLength(1);
  });

  it('malformed and unknown updates are skipped; the bot keeps serving', async () => {
    tg.pushUpdate({ update_id: tg.nextUpdateId(), some_future_update: { x: 1 } });
    tg.pushUpdate({ update_id: tg.nextUpdateId(), message: { message_id: 1, date: 0, text: 'no chat, no sender' } });
    const u = user('en');
    const out = await exchange(u.id, () => tg.userCommand(u, '/help'), 1);
    expect(texts(out)).toMatch(/case code/i);
  });
});

describe.each(LIBRARIES)('Telegram webhook through %s', (library) => {
  let tg: TelegramEmulator;
  let server: RunningServer;
  const secret = 'webhook-secret-for-tests_0123456789';

  beforeAll(async () => {
    tg = await startTelegramEmulator();
    const port = await freePort();
    server = await startServer({
      env: {
        PORT: String(port),
        TELEGRAM_BOT_TOKEN: tg.token,
        TELEGRAM_API_ROOT: tg.apiRoot,
        TELEGRAM_LIBRARY: library,
        TELEGRAM_WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/hook`,
        TELEGRAM_WEBHOOK_SECRET: secret,
      },
    });
  });
  afterAll(async () => {
    await server?.stop();
    await tg?.stop();
  });

  it('registers the webhook; the right secret is served, a wrong or missing one is 401 and nothing is processed', async () => {
    expect(tg.webhook()?.url).toMatch(/\/telegram\/hook$/);
    const u = user('en');
    const build = (text: string) => ({
      update_id: tg.nextUpdateId(),
      message: { message_id: tg.nextMessageId(), date: Math.floor(Date.now() / 1000), chat: { id: u.id, type: 'private', first_name: u.first_name }, from: { ...u, is_bot: false }, text },
    });
    const wrong = await tg.deliverWebhook(build('I saw child 6 today at the station'), { secretToken: 'not-the-secret' });
    expect(wrong.status).toBe(401);
    const missing = await tg.deliverWebhook(build('I saw child 6 today at the station'), { secretToken: null });
    expect(missing.status).toBe(401);
    expect(tg.botMessages(u.id)).toHaveLength(0);
    const nonsense = await fetch(tg.webhook()!.url, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Telegram-Bot-Api-Secret-Token': secret }, body: 'null' });
    expect(nonsense.status).toBe(200);
    const ok = await tg.deliverWebhook(build('I saw child 6 today at the station, with a man'), { secretToken: secret });
    expect(ok.status).toBe(200);
    const msgs = await tg.waitForBotMessages(u.id, (m) => codeIn(m) !== undefined);
    expect(codeIn(msgs)).toMatch(CASE_CODE_RE);
  });
});

describe('Telegram start-up problems stop the tip line with one line naming the variable', () => {
  let tg: TelegramEmulator;
  beforeAll(async () => {
    tg = await startTelegramEmulator();
  });
  afterAll(async () => {
    await tg?.stop();
  });

  it.each(LIBRARIES)('%s: a token Telegram rejects', async (library) => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'tipline-tgbad-'));
    const wrong = '999999:WRONGwrongWRONGwrongWRONGwrong';
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { ...process.env, PORT: '0', TIPLINE_DB: path.join(dir, 't.db'), TELEGRAM_BOT_TOKEN: wrong, TELEGRAM_API_ROOT: tg.apiRoot, TELEGRAM_LIBRARY: library },
      });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
      expect(code).toBe(1);
      const lines = stderr.trim().split('\n');
      expect(lines.at(-1)).toMatch(/^tipline: cannot start: TELEGRAM_BOT_TOKEN: Telegram rejected the token \(401/);
      expect(stderr).not.toContain('WRONGwrong');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
