/**
 * Self-test of test/helpers/telegram-emulator.ts: every extension of telegram-test-api proven
 * over raw HTTP and against the real libraries — grammY 1.x (long polling, webhookCallback) and
 * telegraf 4.x (launch() polling, webhookCallback on a node:http server).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Bot, GrammyError, InlineKeyboard, InputFile, webhookCallback } from 'grammy';
import { Markup, Telegraf, TelegramError } from 'telegraf';
import { inlineKeyboard, startTelegramEmulator, type EmulatorUser, type TelegramEmulator } from '../helpers/telegram-emulator.ts';

interface ApiReply {
  ok: boolean;
  result?: unknown;
  error_code?: number;
  description?: string;
  parameters?: { retry_after?: number };
}

const alice: EmulatorUser = { id: 1001, first_name: 'Alice', username: 'alice', language_code: 'en' };
const li: EmulatorUser = { id: 1002, first_name: '丽', language_code: 'zh-hans' };
/** Not a real JPEG; the emulator serves whatever bytes it was given. */
const PHOTO = Buffer.from(Array.from({ length: 3000 }, (_, i) => (i * 7) % 256));

let emu: TelegramEmulator;
const cleanups: (() => Promise<unknown> | void)[] = [];

beforeEach(async () => {
  emu = await startTelegramEmulator({ maxPollSeconds: 3 });
});

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await emu.stop();
});

async function api(method: string, params: Record<string, unknown> = {}, token = emu.token): Promise<{ status: number; body: ApiReply }> {
  const res = await fetch(`${emu.apiRoot}/bot${token}/${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  return { status: res.status, body: (await res.json()) as ApiReply };
}

function updateIds(reply: ApiReply): number[] {
  const r = reply.result;
  if (!Array.isArray(r)) throw new Error(`not an update list: ${JSON.stringify(reply)}`);
  return r.map((u: unknown) => (typeof u === 'object' && u !== null && 'update_id' in u ? Number(u.update_id) : NaN));
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  cleanups.push(() => server.closeAllConnections());
  return { server, url: `http://127.0.0.1:${port}` };
}

describe('the emulator over raw HTTP', () => {
  it('runs on 127.0.0.1, answers getMe, rejects other tokens, keeps the package routes', async () => {
    expect(emu.apiRoot).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const me = await api('getMe');
    expect(me.body).toMatchObject({ ok: true, result: { id: emu.botInfo.id, is_bot: true, username: 'tipline_test_bot' } });
    expect((await api('getMe', {}, '1:wrong')).status).toBe(401);
    const unknown = await api('frobnicate');
    expect(unknown.status).toBe(404);
    expect(unknown.body.description).toMatch(/frobnicate/);
    // The package's own client routes still work (the front handler lets them through) and feed our queue.
    const client = emu.server.getClient(emu.token, { userId: 77, chatId: 77, firstName: 'Pkg' });
    await client.sendMessage(client.makeMessage('via the package client'));
    const got = await emu.waitFor(() => emu.pendingUpdates().find((u) => JSON.stringify(u).includes('via the package client')));
    expect(got).toMatchObject({ message: { text: 'via the package client', chat: { id: 77 } } });
  });

  it('getUpdates waits for an update, honours timeout, offset, limit and allowed_updates', async () => {
    const started = Date.now();
    const waiting = api('getUpdates', { timeout: 30 });
    setTimeout(() => emu.userText(alice, 'hello'), 300);
    const first = await waiting;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(first.body.result).toMatchObject([{ message: { text: 'hello', chat: { id: alice.id, type: 'private' }, from: { language_code: 'en' } } }]);
    const [id] = updateIds(first.body);

    // Not confirmed → delivered again; confirmed by offset → gone; an empty wait ends at the cap.
    expect(updateIds((await api('getUpdates', { offset: 0 })).body)).toEqual([id]);
    const t0 = Date.now();
    const empty = await api('getUpdates', { offset: Number(id) + 1, timeout: 1 });
    expect(empty.body.result).toEqual([]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    const t1 = Date.now();
    await api('getUpdates', { offset: Number(id) + 1, timeout: 50 }); // capped at maxPollSeconds (3)
    expect(Date.now() - t1).toBeLessThan(4500);

    emu.userText(alice, 'a');
    emu.userText(alice, 'b');
    emu.userText(alice, 'c');
    expect(updateIds((await api('getUpdates', { limit: 2 })).body)).toHaveLength(2);
    emu.userCallback(alice, 'menu:tip', 1);
    const onlyCallbacks = await api('getUpdates', { allowed_updates: ['callback_query'] });
    expect(onlyCallbacks.body.result).toMatchObject([{ callback_query: { data: 'menu:tip' } }]);
  });

  it('delivers the same update_id twice, and raw, malformed and unknown updates as given', async () => {
    const u = emu.userText(alice, 'once');
    emu.pushUpdate(u);
    emu.pushUpdate({ update_id: 9000, something_new: { x: 1 } });
    emu.pushUpdate({ message: 'not an object' });
    const reply = (await api('getUpdates')).body;
    expect(updateIds(reply).slice(0, 2)).toEqual([u.update_id, u.update_id]);
    expect(reply.result).toMatchObject([{}, {}, { update_id: 9000, something_new: { x: 1 } }, { message: 'not an object' }]);
    // A redelivery pushed after the original was confirmed still arrives.
    await api('getUpdates', { offset: 9002 });
    emu.pushUpdate(u);
    expect(updateIds((await api('getUpdates', { offset: 9002 })).body)).toEqual([u.update_id]);
  });

  it('builds group messages, edits, voice and documents the way Telegram sends them', async () => {
    const g = emu.groupText(alice, { id: -100777, title: 'Neighbours', type: 'supergroup' }, '/start@tipline_test_bot hi');
    expect(g.message).toMatchObject({ chat: { id: -100777, type: 'supergroup', title: 'Neighbours' }, from: { id: alice.id }, entities: [{ type: 'bot_command', offset: 0, length: 23 }] });
    const original = emu.userText(alice, 'she was in Kunming');
    const edit = emu.userEdit(alice, original.message?.message_id ?? 0, 'she was in Kunming in May');
    expect(edit.edited_message).toMatchObject({ message_id: original.message?.message_id, date: original.message?.date, text: 'she was in Kunming in May' });
    expect(edit.edited_message?.edit_date).toBeGreaterThanOrEqual(edit.edited_message?.date ?? 0);
    const voice = emu.userMessage(alice, { voice: { file_id: 'v1', file_unique_id: 'uv1', duration: 3 } });
    expect(voice.message?.voice?.duration).toBe(3);
    const doc = emu.userDocument(alice, PHOTO, 'image/jpeg', 'scan.jpg', { caption: 'poster' });
    expect(doc.message).toMatchObject({ caption: 'poster', document: { mime_type: 'image/jpeg', file_name: 'scan.jpg', file_size: PHOTO.length } });
    const getFile = await api('getFile', { file_id: doc.message?.document?.file_id });
    expect(getFile.body.result).toMatchObject({ file_path: expect.stringMatching(/^documents\/.*\.jpg$/) });

    const fd = new FormData();
    fd.set('chat_id', String(alice.id));
    fd.set('document', new Blob([PHOTO], { type: 'application/pdf' }), 'case.pdf');
    expect(((await (await fetch(`${emu.apiRoot}/bot${emu.token}/sendDocument`, { method: 'POST', body: fd })).json()) as ApiReply).ok).toBe(true);
    expect(emu.botMessages(alice.id)[0]?.document).toMatchObject({ file_name: 'case.pdf', mime_type: 'application/pdf', file_size: PHOTO.length });
  });

  it('stop() releases a waiting getUpdates', async () => {
    const other = await startTelegramEmulator({ maxPollSeconds: 30 });
    cleanups.push(() => other.stop()); // idempotent; only matters if an assertion fails first
    const started = Date.now();
    const waiting = fetch(`${other.apiRoot}/bot${other.token}/getUpdates?timeout=30`).then((r) => r.json() as Promise<ApiReply>);
    await other.waitFor(() => true);
    await new Promise((r) => setTimeout(r, 200));
    await other.stop();
    expect(await waiting).toEqual({ ok: true, result: [] });
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('sendPhoto by upload, file_id and URL; getFile; download; size limit', async () => {
    const fd = new FormData();
    fd.set('chat_id', String(alice.id));
    fd.set('caption', 'uploaded');
    fd.set('photo', new Blob([PHOTO]), 'p.jpg');
    const res = await fetch(`${emu.apiRoot}/bot${emu.token}/sendPhoto`, { method: 'POST', body: fd });
    const sent = (await res.json()) as ApiReply;
    expect(sent).toMatchObject({ ok: true, result: { caption: 'uploaded', chat: { id: alice.id } } });
    const [m] = emu.botMessages(alice.id);
    expect(m?.fileSource).toBe('upload');
    expect(Buffer.compare(m?.fileBytes ?? Buffer.alloc(0), PHOTO)).toBe(0);
    const fileId = m?.photo?.at(-1)?.file_id ?? '';

    expect((await api('sendPhoto', { chat_id: alice.id, photo: fileId })).body.ok).toBe(true);
    expect((await api('sendPhoto', { chat_id: alice.id, photo: 'https://example.org/x.jpg' })).body.ok).toBe(true);
    expect((await api('sendPhoto', { chat_id: alice.id, photo: 'no-such-file' })).status).toBe(400);
    expect(emu.botMessages(alice.id).map((b) => b.fileSource)).toEqual(['upload', 'file_id', 'url']);

    const file = await api('getFile', { file_id: fileId });
    expect(file.body.result).toMatchObject({ file_id: fileId, file_size: PHOTO.length, file_path: expect.stringMatching(/^photos\//) });
    const path = (file.body.result as { file_path: string }).file_path;
    const dl = await fetch(`${emu.apiRoot}/file/bot${emu.token}/${path}`);
    expect(Buffer.compare(Buffer.from(await dl.arrayBuffer()), PHOTO)).toBe(0);
    expect((await fetch(`${emu.apiRoot}/file/bot1:wrong/${path}`)).status).toBe(404);

    const huge = emu.userPhoto(alice, PHOTO, { fileSize: 25 * 1024 * 1024 });
    const hugeId = huge.message?.photo?.at(-1)?.file_id ?? '';
    expect((await api('getFile', { file_id: hugeId })).body.description).toBe('Bad Request: file is too big');
  });

  it('blocked users get 403; failNext injects 429 with retry_after and 5xx', async () => {
    emu.blockUser(li.id);
    const blocked = await api('sendMessage', { chat_id: li.id, text: 'hi' });
    expect(blocked).toEqual({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } });
    expect((await api('sendPhoto', { chat_id: li.id, photo: 'https://example.org/x.jpg' })).status).toBe(403);
    emu.unblockUser(li.id);
    expect((await api('sendMessage', { chat_id: li.id, text: 'hi' })).status).toBe(200);

    emu.failNext('sendMessage', { status: 429, retryAfter: 7 });
    emu.failNext('sendMessage', { status: 502, times: 2 });
    expect((await api('sendMessage', { chat_id: li.id, text: '1' })).body).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 7',
      parameters: { retry_after: 7 },
    });
    expect((await api('sendMessage', { chat_id: li.id, text: '2' })).status).toBe(502);
    expect((await api('sendMessage', { chat_id: li.id, text: '3' })).status).toBe(502);
    expect((await api('sendMessage', { chat_id: li.id, text: '4' })).status).toBe(200);
    expect(emu.apiCalls('sendMessage').map((c) => c.status)).toEqual([403, 200, 429, 502, 502, 200]);
    expect(emu.botMessages(li.id).map((m) => m.text)).toEqual(['hi', '4']);

    expect((await api('sendMessage', { chat_id: li.id, text: 'x'.repeat(4097) })).body.description).toBe('Bad Request: message is too long');
    const badButton = { inline_keyboard: [[{ text: 'b', callback_data: 'x'.repeat(65) }]] };
    expect((await api('sendMessage', { chat_id: li.id, text: 'k', reply_markup: badButton })).body.description).toBe('Bad Request: BUTTON_DATA_INVALID');
  });
});

describe('grammY 1.x against the emulator', () => {
  function grammyBot(): Bot {
    const bot = new Bot(emu.token, { client: { apiRoot: emu.apiRoot } });
    bot.catch((err) => {
      throw err.error;
    });
    return bot;
  }

  async function startPolling(bot: Bot): Promise<void> {
    let running!: Promise<void>;
    await new Promise<void>((resolve, reject) => {
      running = bot.start({ timeout: 30, onStart: () => resolve() });
      running.catch(reject);
    });
    cleanups.push(async () => {
      await bot.stop();
      await running; // the polling loop has ended
    });
  }

  it('long polling: deep link, inline keyboard, callback answered, edits, commands', async () => {
    const bot = grammyBot();
    bot.command('start', async (ctx) => {
      const kb = new InlineKeyboard().text('Report a child', 'menu:tip').text('I am a parent', 'menu:family');
      await ctx.reply(`hello ${ctx.match} (${ctx.from?.language_code ?? '?'})`, { reply_markup: kb });
    });
    bot.on('callback_query:data', async (ctx) => {
      await ctx.answerCallbackQuery({ text: 'ok' });
      await ctx.editMessageText(`chose ${ctx.callbackQuery.data}`);
    });
    bot.on('message:text', (ctx) => ctx.reply(`echo: ${ctx.message.text}`));
    await startPolling(bot);
    await bot.api.setMyCommands([{ command: 'start', description: 'Start' }, { command: 'help', description: 'Help' }]);
    expect(emu.commandSets()).toMatchObject([{ commands: [{ command: 'start' }, { command: 'help' }] }]);

    const start = emu.userCommand(alice, '/start child_7');
    expect(start.message?.entities).toEqual([{ type: 'bot_command', offset: 0, length: 6 }]);
    const [greeting] = await emu.waitForBotMessages(alice.id, 1);
    expect(greeting?.text).toBe('hello child_7 (en)');
    const rows = inlineKeyboard(greeting);
    expect(rows[0]?.map((b) => b.callback_data)).toEqual(['menu:tip', 'menu:family']);

    const cb = emu.userCallback(alice, rows[0]?.[0]?.callback_data ?? '', greeting?.message_id ?? 0);
    await emu.waitFor(() => emu.botMessages(alice.id)[0]?.edits.length);
    expect(emu.answeredCallbacks()).toEqual([{ callback_query_id: cb.callback_query?.id, text: 'ok' }]);
    expect(emu.botMessages(alice.id)[0]?.text).toBe('chose menu:tip');
    expect(emu.botMessages(alice.id)[0]?.reply_markup).toBeUndefined();

    emu.userText(li, '你好');
    const [echo] = await emu.waitForBotMessages(li.id, 1);
    expect(echo?.text).toBe('echo: 你好');
  });

  it('long polling: forwarded photo → getFile of the largest size → download → sendPhoto back', async () => {
    const bot = grammyBot();
    bot.on('message:photo', async (ctx) => {
      const largest = ctx.message.photo.at(-1);
      if (!largest) throw new Error('no photo');
      const file = await ctx.api.getFile(largest.file_id);
      const res = await fetch(`${emu.apiRoot}/file/bot${emu.token}/${file.file_path ?? ''}`);
      const bytes = Buffer.from(await res.arrayBuffer());
      const origin = ctx.message.forward_origin;
      const from = origin?.type === 'channel' ? origin.chat.title : 'nobody';
      await ctx.replyWithPhoto(new InputFile(bytes, 'back.jpg'), { caption: `${bytes.length} bytes from ${from}; ${ctx.message.caption ?? ''}` });
      await ctx.replyWithPhoto(largest.file_id);
    });
    await startPolling(bot);
    const u = emu.userPhoto(alice, PHOTO, { caption: 'is this her?', forwardFromChat: { id: -100123, title: 'Police notices', username: 'police' } });
    expect(u.message?.photo?.length).toBeGreaterThan(1);
    const [back, again] = await emu.waitForBotMessages(alice.id, 2);
    expect(back?.caption).toBe(`${PHOTO.length} bytes from Police notices; is this her?`);
    expect(back?.fileSource).toBe('upload');
    expect(Buffer.compare(back?.fileBytes ?? Buffer.alloc(0), PHOTO)).toBe(0);
    expect(again?.fileSource).toBe('file_id');
    expect(again?.photo).toEqual(u.message?.photo);
  });

  it('errors reach grammY as GrammyError (403 blocked, 429 retry_after)', async () => {
    const bot = grammyBot();
    emu.blockUser(alice.id);
    const blocked = await bot.api.sendMessage(alice.id, 'hi').catch((e: unknown) => e);
    expect(blocked).toBeInstanceOf(GrammyError);
    expect(blocked).toMatchObject({ error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    emu.failNext('sendMessage', { status: 429, retryAfter: 3 });
    const limited = await bot.api.sendMessage(li.id, 'hi').catch((e: unknown) => e);
    expect(limited).toMatchObject({ error_code: 429, parameters: { retry_after: 3 } });
  });

  it('webhook: grammY webhookCallback behind the secret header', async () => {
    const bot = grammyBot();
    bot.on('message:text', (ctx) => ctx.reply(`got ${ctx.message.text}`));
    await bot.init();
    const { url } = await listen(webhookCallback(bot, 'http', { secretToken: 'right_secret' }));
    await bot.api.setWebhook(`${url}/tg`, { secret_token: 'right_secret' });
    expect(emu.webhook()).toMatchObject({ url: `${url}/tg`, secret_token: 'right_secret' });
    emu.userText(alice, 'via webhook');
    await emu.waitForBotMessages(alice.id, 1);
    // The delivery is recorded when the webhook POST returns, i.e. after the bot's reply.
    await emu.waitFor(() => emu.webhookDeliveries().length);
    expect(emu.webhookDeliveries()).toMatchObject([{ status: 200, ok: true }]);
    const stranger = { message: { message_id: 1, date: 0, chat: { id: 5, type: 'private' }, from: { id: 5, is_bot: false, first_name: 'S' }, text: 'x' } };
    const wrong = await emu.deliverWebhook(stranger, { secretToken: 'wrong' });
    expect(wrong.status).toBe(401);
    expect(emu.botMessages(5)).toEqual([]);
    await bot.api.deleteWebhook();
  });
});

describe('telegraf 4.x against the emulator', () => {
  it('launch() polling: /start, inline keyboard, answerCbQuery, getFileLink download, replyWithPhoto', async () => {
    const bot = new Telegraf(emu.token, { telegram: { apiRoot: emu.apiRoot } });
    bot.start((ctx) => ctx.reply(`hi ${ctx.payload}`, Markup.inlineKeyboard([Markup.button.callback('Tip', 'menu:tip')])));
    bot.action('menu:tip', async (ctx) => {
      await ctx.answerCbQuery('noted');
      await ctx.editMessageReplyMarkup(undefined);
    });
    bot.on('photo', async (ctx) => {
      const largest = ctx.message.photo.at(-1);
      if (!largest) throw new Error('no photo');
      const link = await ctx.telegram.getFileLink(largest.file_id);
      const bytes = Buffer.from(await (await fetch(link)).arrayBuffer());
      await ctx.replyWithPhoto({ source: bytes, filename: 'back.jpg' }, { caption: `${bytes.length}` });
    });
    bot.on('document', (ctx) => ctx.reply(`doc ${ctx.message.document.mime_type ?? ''} ${ctx.message.document.file_name ?? ''}`));
    bot.on('contact', (ctx) => ctx.reply(`contact ${ctx.message.contact.phone_number}`));
    const launched = bot.launch();
    cleanups.push(async () => {
      bot.stop('test over');
      await launched; // resolves once the polling loop has ended
    });

    emu.userCommand(li, '/start child_7');
    const [hi] = await emu.waitForBotMessages(li.id, 1);
    expect(hi?.text).toBe('hi child_7');
    emu.userCallback(li, inlineKeyboard(hi)[0]?.[0]?.callback_data ?? '', hi?.message_id ?? 0);
    await emu.waitFor(() => emu.botMessages(li.id)[0]?.edits.length);
    expect(emu.answeredCallbacks()).toMatchObject([{ text: 'noted' }]);
    expect(emu.botMessages(li.id)[0]?.reply_markup).toBeUndefined();

    emu.userPhoto(li, PHOTO);
    emu.userDocument(li, PHOTO, 'image/png', 'child.png');
    emu.userContact(li, '+8613800000000');
    // telegraf handles one getUpdates batch concurrently (Promise.all), so replies may interleave.
    const msgs = await emu.waitForBotMessages(li.id, 4);
    const photo = msgs.find((m) => m.method === 'sendPhoto');
    expect(photo?.caption).toBe(String(PHOTO.length));
    expect(Buffer.compare(photo?.fileBytes ?? Buffer.alloc(0), PHOTO)).toBe(0);
    expect(msgs.slice(1).flatMap((m) => m.text ?? []).sort()).toEqual(['contact +8613800000000', 'doc image/png child.png']);
  });

  it('webhook mode: webhookCallback on node:http, secret header, webhook replies executed, 409 for getUpdates', async () => {
    const bot = new Telegraf(emu.token, { telegram: { apiRoot: emu.apiRoot } });
    bot.start((ctx) => ctx.reply('hi from webhook', Markup.inlineKeyboard([Markup.button.callback('Go', 'go')])));
    bot.action('go', (ctx) => ctx.answerCbQuery('went')); // telegraf answers this inside the webhook response
    const { url } = await listen(bot.webhookCallback('/tg', { secretToken: 'right_secret' }));
    await bot.telegram.setWebhook(`${url}/tg`, { secret_token: 'right_secret' });
    expect((await bot.telegram.getWebhookInfo()).url).toBe(`${url}/tg`);
    const conflict = await bot.telegram.callApi('getUpdates', {}).catch((e: unknown) => e);
    expect(conflict).toBeInstanceOf(TelegramError);
    expect(conflict).toMatchObject({ code: 409 });

    emu.userCommand(alice, '/start');
    const [hi] = await emu.waitForBotMessages(alice.id, 1);
    expect(hi?.text).toBe('hi from webhook');
    emu.userCallback(alice, 'go', hi?.message_id ?? 0);
    await emu.waitFor(() => emu.answeredCallbacks().length);
    expect(emu.answeredCallbacks()).toMatchObject([{ text: 'went' }]);
    expect(emu.apiCalls('answerCallbackQuery')).toMatchObject([{ via: 'webhook-reply', ok: true }]);
    await emu.waitFor(() => emu.webhookDeliveries().length === 2);
    expect(emu.webhookDeliveries()).toMatchObject([{ status: 200 }, { status: 200, replyMethod: 'answerCallbackQuery' }]);

    const update = { message: { message_id: 99, date: 0, chat: { id: 4242, type: 'private' }, from: { id: 4242, is_bot: false, first_name: 'M' }, text: '/start', entities: [{ type: 'bot_command', offset: 0, length: 6 }] } };
    expect((await emu.deliverWebhook(update, { secretToken: 'wrong' })).status).toBe(403); // telegraf's default; the issue wants 401 from our adapter
    expect((await emu.deliverWebhook(update, { secretToken: null })).status).toBe(403);
    expect(emu.botMessages(4242)).toEqual([]);
    expect((await emu.deliverWebhook(update)).status).toBe(200);
    await emu.waitForBotMessages(4242, 1);

    await bot.telegram.deleteWebhook();
    expect(emu.webhook()).toBeNull();
    emu.userText(alice, 'queued again');
    expect(emu.pendingUpdates()).toHaveLength(1);
  });
});
