/**
 * An organisation that already runs a grammY or telegraf bot mounts the tip line inside it:
 * its own handlers keep working, and private messages reach the tip line's core (real store,
 * real dispatcher) and get the tip line's replies — all against the Bot API emulator.
 */
import { Bot } from 'grammy';
import { Telegraf } from 'telegraf';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTiplineComposer, grammyApi } from '../../adapters/telegram-grammy/index.ts';
import { createTiplineMiddleware, telegrafApi } from '../../adapters/telegram-telegraf/index.ts';
import { telegramReporterAdapter, type TelegramPort } from '../../adapters/telegram/bridge.ts';
import { memoryLogger } from '../../src/log.ts';
import { createHarness, type Harness } from '../helpers/core.ts';
import { startTelegramEmulator, type TelegramEmulator } from '../helpers/telegram-emulator.ts';

let tg: TelegramEmulator;
let h: Harness;
let port: TelegramPort;
const stops: (() => Promise<void> | void)[] = [];

beforeEach(async () => {
  tg = await startTelegramEmulator();
  h = createHarness();
  port = {
    processMessage: (msg) => h.core.processMessage(msg),
    groupNotice: (hint, link) => h.core.groupNotice(hint, link),
    log: memoryLogger(),
  };
});
afterEach(async () => {
  for (const stop of stops.splice(0).reverse()) await stop();
  await tg.stop();
  h.close();
});

const CODE = /TL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;
const reporter = { id: 9101, first_name: 'Mei', language_code: 'zh-hans' };

async function checkMounted(): Promise<void> {
  // The organisation's own command still answers…
  tg.userCommand(reporter, '/ping');
  await tg.waitForBotMessages(reporter.id, (m) => m.some((x) => x.text === 'pong'), 8000);
  // …and a tip reaches the tip line, which answers through its dispatcher.
  tg.userText(reporter, '我在玉溪的菜市场见过10号孩子，和一个中年男人在一起');
  const msgs = await tg.waitForBotMessages(reporter.id, (m) => m.some((x) => CODE.test(x.text ?? '')), 8000);
  const code = msgs.map((m) => m.text ?? '').join('\n').match(CODE)![0];
  const c = h.casework.show(code);
  expect(c.children).toEqual([10]);
  expect(c.language).toBe('zh-CN');
}

describe('mounting the tip line in an existing bot', () => {
  it('grammY: bot.chatType("private").use(createTiplineComposer(port))', async () => {
    const bot = new Bot(tg.token, { client: { apiRoot: tg.apiRoot } });
    bot.command('ping', (ctx) => ctx.reply('pong'));
    bot.chatType('private').use(createTiplineComposer(port));
    await bot.init();
    h.dispatcher.register(telegramReporterAdapter(grammyApi(bot.api, () => bot.botInfo.username)));
    h.dispatcher.start();
    const polling = bot.start();
    stops.push(async () => {
      await h.dispatcher.stop();
      await bot.stop();
      await polling;
    });
    await checkMounted();
  });

  it('telegraf: bot.use(createTiplineMiddleware(port))', async () => {
    const bot = new Telegraf(tg.token, { telegram: { apiRoot: tg.apiRoot } });
    bot.command('ping', (ctx) => ctx.reply('pong'));
    bot.use(createTiplineMiddleware(port));
    bot.botInfo = await bot.telegram.getMe();
    h.dispatcher.register(telegramReporterAdapter(telegrafApi(bot.telegram, () => bot.botInfo?.username)));
    h.dispatcher.start();
    const polling = bot.launch();
    stops.push(async () => {
      await h.dispatcher.stop();
      bot.stop('test over');
      await polling;
    });
    await checkMounted();
  });
});
