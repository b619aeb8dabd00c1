/**
 * Every conversation flow, driven through a recording adapter against the real core and a
 * real SQLite file, in Chinese and in English.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allText, createHarness, englishRuns, fakeJpeg, type Harness } from '../helpers/core.ts';
import type { OutboundMessage } from '../../src/core/types.ts';

const CODE_RE = /TL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;

function codeOf(messages: OutboundMessage[]): string {
  const m = messages.find((x) => x.caseCode);
  expect(m, 'a reply carrying a case code').toBeDefined();
  expect(m!.caseCode).toMatch(CODE_RE);
  return m!.caseCode!;
}

function choiceIds(messages: OutboundMessage[]): string[] {
  return messages.flatMap((m) => (m.choices ?? []).map((c) => c.id));
}

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

const LOCALES = [
  { locale: 'zh-CN', hint: 'zh-CN', details: '我上周在昆明火车站看到一个女人抱着这个孩子，她说要把孩子送到外地', dob: '2012年5月', lost: '2013年2月在开远市场走失', marks: '左肩有胎记' },
  { locale: 'en', hint: 'en-GB', details: 'Last week I saw a woman carrying this baby at Kunming railway station, she said she was taking him away', dob: 'May 2012', lost: 'Lost at the Kaiyuan market in February 2013', marks: 'birthmark on the left shoulder' },
] as const;

describe.each(LOCALES)('conversation in $locale', ({ locale, hint, details, dob, lost, marks }) => {
  const sender = `user-${locale}`;
  const say = (text: string) => h.say(sender, { text, localeHint: hint });
  const press = (action: string) => h.say(sender, { action, localeHint: hint });

  it('greets with the privacy notice, the emergency number and the menu', async () => {
    const out = await h.say(sender, { command: { name: 'start', args: '' }, localeHint: hint });
    expect(out.length).toBeGreaterThanOrEqual(3);
    expect(out.every((m) => m.locale === locale)).toBe(true);
    expect(allText(out)).toContain('110');
    expect(choiceIds(out)).toEqual(['menu:tip', 'menu:family', 'menu:adoption', 'menu:status', 'menu:language']);
    if (locale !== 'en') expect(englishRuns(allText(out))).toEqual([]);
  });

  it('tip flow: child, details, photo, anonymous → case code, queued with child and text', async () => {
    await h.say(sender, { command: { name: 'start', args: '' }, localeHint: hint });
    const transcript: OutboundMessage[] = [];
    transcript.push(...(await press('menu:tip')));
    expect(choiceIds(transcript)).toContain('child:unsure');
    transcript.push(...(await say('7')));
    transcript.push(...(await say(details)));
    expect(choiceIds(transcript.slice(-1))).toContain('done');
    transcript.push(...(await h.photo(sender, fakeJpeg())));
    transcript.push(...(await press('done')));
    expect(choiceIds(transcript.slice(-1))).toEqual(['contact:yes', 'contact:no']);
    transcript.push(...(await press('contact:no')));
    expect(choiceIds(transcript.slice(-1))).toEqual(['confirm:send', 'confirm:cancel']);
    const done = await press('confirm:send');
    transcript.push(...done);
    const code = codeOf(done);
    if (locale !== 'en') expect(englishRuns(allText(transcript))).toEqual([]);

    const c = h.casework.show(code);
    expect(c.category).toBe('tip');
    expect(c.children[0]).toBe(7);
    expect(c.messages.map((m) => m.text)).toContain(details);
    expect(c.attachments).toHaveLength(1);
    expect(c.contact).toBeNull();
    expect(c.reporter).toMatch(/^Reporter [0-9A-F]{4,8}$/);
    expect(c.locale).toBe(locale);
  });

  it('tip flow with contact details shared by consent', async () => {
    await press('menu:tip');
    await press('child:unsure');
    await say(details);
    await press('done');
    await press('contact:yes');
    await say('13912345678');
    const code = codeOf(await press('confirm:send'));
    const c = h.casework.show(code);
    expect(c.contact).toBe('13912345678');
    expect(c.contactShared).toBe(true);
    expect(c.children).toEqual([]);
  });

  it('family flow: questions, DNA next step and the money warning → case code', async () => {
    const transcript: OutboundMessage[] = [];
    transcript.push(...(await press('menu:family')));
    expect(choiceIds(transcript)).toEqual(['sex:boy', 'sex:girl', 'sex:unknown']);
    transcript.push(...(await press('sex:boy')));
    transcript.push(...(await say(dob)));
    transcript.push(...(await say(lost)));
    transcript.push(...(await say(marks)));
    transcript.push(...(await press('rel:father')));
    transcript.push(...(await say('3')));
    transcript.push(...(await press('done')));
    transcript.push(...(await press('contact:yes')));
    transcript.push(...(await say('father@example.org')));
    const done = await press('confirm:send');
    transcript.push(...done);
    const code = codeOf(done);
    const text = allText(done);
    expect(text).toContain('DNA');
    expect(text).toContain('110');
    expect(done.length).toBeGreaterThanOrEqual(3);
    if (locale !== 'en') expect(englishRuns(allText(transcript))).toEqual([]);
    const c = h.casework.show(code);
    expect(c.category).toBe('family');
    expect(c.details.answers).toMatchObject({ sex: 'boy', dob, lost, marks, relationship: 'father' });
    expect(c.children).toContain(3);
    expect(c.contact).toBe('father@example.org');
  });

  it('adoption: explains the lawful route and records a low-priority case', async () => {
    const explain = await press('menu:adoption');
    expect(choiceIds(explain)).toContain('adoption:note');
    await press('adoption:note');
    const done = await say(locale === 'en' ? 'We would like to adopt a baby boy' : '我们想领养一个男孩');
    const code = codeOf(done);
    const c = h.casework.show(code);
    expect(c.category).toBe('adoption');
    expect(c.priority).toBe('low');
    // The queue puts it after a normal case opened later.
    await h.say('other', { text: '我在医院看到一个很像3号的孩子', localeHint: 'zh-CN' });
    const queue = h.casework.queue();
    expect(queue.at(-1)!.code).toBe(code);
  });

  it('status: finds a case with a sloppy code, shows new replies once, refuses unknown codes politely', async () => {
    const code = codeOf(await say(details));
    h.casework.reply(code, 'cli:test', { text: 'Thank you — 谢谢' });
    h.adapter.failWith = new Error('offline for a moment'); // the reply is not delivered yet
    await h.dispatcher.runOnce();
    h.adapter.failWith = undefined;
    h.store.db.prepare(`UPDATE outbox SET next_attempt_at = '2999-01-01'`).run();

    const sloppy = code.toLowerCase().replace(/-/g, ' ').replace('tl ', 'tl').replace(/0/g, 'o').replace(/1/g, 'l');
    await press('menu:status');
    const status = await say(sloppy);
    expect(codeOf(status)).toBe(code);
    expect(allText(status)).toContain('Thank you — 谢谢');
    const again = await h.say(sender, { command: { name: 'status', args: code }, localeHint: hint });
    expect(allText(again)).not.toContain('Thank you — 谢谢');

    const notFound = await say('TL-0000-0000');
    expect(notFound.some((m) => m.caseCode)).toBe(false);
    expect(choiceIds(notFound)).toContain('menu');
  });

  it('language: choosing another language switches every later reply', async () => {
    await press('menu:language');
    const other = locale === 'en' ? 'zh-TW' : 'en';
    const set = await press(`lang:${other}`);
    expect(set.every((m) => m.locale === other)).toBe(true);
    const menu = await h.say(sender, { command: { name: 'menu', args: '' }, localeHint: hint });
    expect(menu.every((m) => m.locale === other)).toBe(true);
  });
});

describe('conversation rules', () => {
  it('free text outside a flow becomes a case at once; a follow-up joins it', async () => {
    const first = await h.say('u1', { text: '我在昆明看到一个很像5号的孩子，和一个男人在一起' });
    const code = codeOf(first);
    const follow = await h.say('u1', { text: '那个男人开一辆白色面包车' });
    expect(codeOf(follow)).toBe(code);
    const c = h.casework.show(code);
    expect(c.messages.filter((m) => m.author === 'reporter')).toHaveLength(2);
    expect(c.children).toEqual([5]);
    expect(h.casework.queue()).toHaveLength(1);
  });

  it('a greeting shows the menu and opens no case', async () => {
    const out = await h.say('u2', { text: '你好' });
    expect(choiceIds(out)).toContain('menu:tip');
    expect(h.casework.queue()).toHaveLength(0);
  });

  it('urgent: the reporter is told to call the emergency number at once and the case jumps the queue', async () => {
    await h.say('calm', { text: '去年我在街上见过一个像7号的孩子' });
    const out = await h.say('alarm', { text: 'They are selling the baby tonight at the bus station, right now they are loading her into a van' });
    expect(out[0]!.text).toContain('110');
    expect(out[0]!.locale).toBe('en');
    const queue = h.casework.queue();
    expect(queue[0]!.urgent).toBe(true);
    expect(queue[0]!.code).toBe(codeOf(out));
  });

  it('urgent details inside the tip flow open the case immediately, and the rest joins it', async () => {
    await h.press('u3', 'menu:tip');
    await h.press('u3', 'child:unsure');
    const urgent = await h.say('u3', { text: '他们今晚要在火车站卖孩子，现在就在候车室' });
    const code = codeOf(urgent);
    expect(allText(urgent)).toContain('110');
    expect(h.casework.show(code).urgent).toBe(true);
    await h.photo('u3', fakeJpeg());
    await h.press('u3', 'done');
    await h.press('u3', 'contact:no');
    const done = await h.press('u3', 'confirm:send');
    expect(codeOf(done)).toBe(code);
    expect(h.casework.queue()).toHaveLength(1);
    expect(h.casework.show(code).attachments).toHaveLength(1);
  });

  it('deep link /start child_7 starts a tip about child 7', async () => {
    const out = await h.say('u4', { command: { name: 'start', args: 'child_7' }, localeHint: 'en' });
    expect(allText(out)).toContain('#7');
    await h.say('u4', { text: 'I saw this child in Kunming yesterday with an old man' });
    await h.press('u4', 'done');
    await h.press('u4', 'contact:no');
    const code = codeOf(await h.press('u4', 'confirm:send'));
    expect(h.casework.show(code).children).toEqual([7]);
  });

  it('"#7", "7号" and "number 7" in text set the child', async () => {
    for (const [sender, text, n] of [
      ['a', '我见过7号宝宝，在一个农村', 7],
      ['b', 'I think number 4 was at my neighbour house last month', 4],
      ['c', 'The baby in photo #9 looks like one I saw in Mengzi', 9],
    ] as const) {
      const code = codeOf(await h.say(sender, { text }));
      expect(h.casework.show(code).children[0]).toBe(n);
    }
  });

  it('abandoning a flow keeps what was written as an incomplete case', async () => {
    await h.press('u5', 'menu:tip');
    await h.press('u5', 'child:unsure');
    await h.say('u5', { text: '我认识一个卖孩子的中间人，住在开远' });
    const out = await h.press('u5', 'menu');
    const code = codeOf(out);
    const c = h.casework.show(code);
    expect(c.incomplete).toBe(true);
    expect(c.messages[0]!.text).toContain('中间人');
  });

  it('cancel at confirmation sends nothing', async () => {
    await h.press('u6', 'menu:tip');
    await h.say('u6', { text: '2' });
    await h.say('u6', { text: 'I may have seen him at a market' });
    await h.press('u6', 'done');
    await h.press('u6', 'contact:no');
    await h.press('u6', 'confirm:cancel');
    expect(h.casework.queue()).toHaveLength(0);
  });

  it('an unknown catalogue number is questioned when a catalogue exists', async () => {
    h.store.catalogue.upsert({ number: 1 }, new Date().toISOString());
    h.store.catalogue.upsert({ number: 2 }, new Date().toISOString());
    await h.press('u7', 'menu:tip');
    const out = await h.say('u7', { text: '42' });
    expect(allText(out)).toContain('42');
    expect(choiceIds(out)).toContain('child:unsure');
  });

  it('repeated wrong case codes are throttled', async () => {
    const code = codeOf(await h.say('real', { text: '我看到一个孩子被带上了一辆车' }));
    await h.press('guesser', 'menu:status');
    for (let i = 0; i < 5; i++) await h.say('guesser', { text: `TL-0000-000${i}` });
    const out = await h.say('guesser', { text: code });
    expect(out.some((m) => m.caseCode === code)).toBe(false);
    expect(allText(out)).toMatch(/\d+/);
  });

  it('bad input gets a polite localized answer and is not a case', async () => {
    const long = await h.say('bad', { text: '孩'.repeat(4097) });
    expect(long[0]!.locale).toBe('zh-CN');
    expect(allText(long)).toContain('4096');
    const binary = await h.say('bad', { text: '\u0000\u0001\u0002\u0003\u0004\uFFFD\uFFFD\uFFFD\u0007\u0008' });
    expect(binary.length).toBeGreaterThan(0);
    const notImage = await h.photo('bad', Buffer.from('this is not an image at all'), 'image/png');
    expect(allText(notImage)).toMatch(/JPEG/);
    const big = await h.say('bad', {
      attachments: [{ kind: 'image', mime: 'image/jpeg', data: Buffer.concat([fakeJpeg(16), Buffer.alloc(10 * 1024 * 1024)]) }],
    });
    expect(allText(big)).toContain('10');
    const button = await h.press('bad', 'no-such-button');
    expect(button.length).toBeGreaterThan(0);
    const empty = await h.say('bad', { text: '   ' });
    expect(empty.length).toBeGreaterThan(0);
    expect(h.casework.queue()).toHaveLength(0);
    // … and the conversation still works afterwards.
    const ok = await h.say('bad', { text: '我在医院见过一个很像2号的孩子' });
    codeOf(ok);
  });

  it('a redelivered platform message makes no second case and no second reply', async () => {
    const msg = { channel: 'fake', conversationRef: 'c', senderRef: 'dup', platformMessageId: 'same-id', text: '我看到3号孩子在一个小卖部', receivedAt: new Date() };
    const a = await h.core.processMessage(msg);
    const b = await h.core.processMessage(msg);
    expect(a.duplicate).toBe(false);
    expect(b.duplicate).toBe(true);
    await h.dispatcher.runOnce();
    expect(h.casework.queue()).toHaveLength(1);
    expect(h.adapter.to('dup').filter((m) => m.caseCode)).toHaveLength(1);
  });

  it('the reporter language follows choice, else hint, else script, else default', async () => {
    expect((await h.say('l1', { text: 'hello there, I have information' }))[0]!.locale).toBe('en');
    expect((await h.say('l2', { text: '我有線索，這個孩子我見過' }))[0]!.locale).toBe('zh-TW');
    expect((await h.say('l3', { text: '12345' }))[0]!.locale).toBe('zh-CN');
    expect((await h.say('l4', { text: '我有线索', localeHint: 'en-US' }))[0]!.locale).toBe('en');
    await h.say('l5', { action: 'lang:zh-TW', localeHint: 'en' });
    expect((await h.say('l5', { text: 'hello', localeHint: 'en' }))[0]!.locale).toBe('zh-TW');
  });

  it('a caseworker reply reaches the reporter, a note does not', async () => {
    const code = codeOf(await h.say('r1', { text: 'I saw child 6 near the school this morning' }));
    const before = h.adapter.sent.length;
    h.casework.note(code, 'cli:amy', 'called the local station');
    h.casework.reply(code, 'cli:amy', { template: 'where_when' });
    await h.dispatcher.runOnce();
    const got = h.adapter.to('r1', before);
    expect(got).toHaveLength(1);
    expect(got[0]!.from).toBe('caseworker');
    expect(got[0]!.text).toContain('Where exactly');
    expect(got[0]!.text).not.toContain('called the local station');
    const c = h.casework.show(code);
    expect(c.history.map((x) => `${x.actor} ${x.action}`)).toEqual(
      expect.arrayContaining(['cli:amy case.noted', 'cli:amy case.replied']),
    );
  });

  it('the conversation survives a restart of the core (state is on disk)', async () => {
    await h.press('p', 'menu:family');
    await h.press('p', 'sex:girl');
    h.store.close();
    const again = createHarness({ dir: h.dir });
    try {
      const out = await again.say('p', { text: '2013年1月' });
      expect(allText(out)).toMatch(/什么时间|什么地点/);
    } finally {
      again.store.close();
    }
    h = createHarness();
  });
});

describe('unfinished intakes', () => {
  it('a draft left idle becomes an incomplete case and the reporter is told its code', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const timed = createHarness({ clock: () => new Date(now) });
    try {
      await timed.press('idle', 'menu:tip');
      await timed.press('idle', 'child:unsure');
      // A tip of last week (an urgent one would be queued at once, not left as a draft).
      await timed.say('idle', { text: '上个星期我看见一个男人带着4号孩子进了一家诊所' });
      expect(timed.core.sweepIdleDrafts(30 * 60_000)).toBe(0);
      now += 31 * 60_000;
      const before = timed.adapter.sent.length;
      expect(timed.core.sweepIdleDrafts(30 * 60_000)).toBe(1);
      await timed.dispatcher.runOnce();
      const told = timed.adapter.to('idle', before);
      const code = told.find((m) => m.caseCode)?.caseCode;
      expect(code).toMatch(CODE_RE);
      const c = timed.casework.show(code!);
      expect(c.incomplete).toBe(true);
      expect(c.messages[0]!.text).toContain('诊所');
      // Nothing left to sweep; a second pass does nothing.
      now += 31 * 60_000;
      expect(timed.core.sweepIdleDrafts(30 * 60_000)).toBe(0);
    } finally {
      timed.close();
    }
  });

  it('a reporter marked as spam is still heard, queued last unless urgent', async () => {
    const first = codeOf(await h.say('spammer', { text: '加微信看看 便宜 代孕 http://x.example' }));
    h.casework.markSpam(first, 'cli:amy');
    const again = codeOf(await h.say('spammer', { text: '我看到一个孩子在桥下' }));
    expect(h.casework.show(again).priority).toBe('low');
    await h.say('normal', { text: '上个月在昆明火车站看到一个很像7号的孩子' });
    expect(h.casework.queue().at(-1)!.code).toBe(again);
    const urgent = codeOf(await h.say('spammer', { text: '现在有人在打那个孩子，快来' }));
    expect(h.casework.show(urgent).urgent).toBe(true);
  });
});

describe('typed commands and menu words', () => {
  it('"/start child_7" typed as text is the deep link; "/help" is help', async () => {
    const out = await h.say('t1', { text: '/start child_7', localeHint: 'en' });
    expect(allText(out)).toContain('#7');
    const help = await h.say('t1', { text: '/help', localeHint: 'en' });
    expect(allText(help)).toContain('TL-7KQ2-M9XD');
    expect(h.casework.queue()).toHaveLength(0);
  });

  it('"菜单" inside a flow goes back to the menu, keeping what was written; a greeting re-asks', async () => {
    await h.press('t2', 'menu:family');
    const hi = await h.say('t2', { text: '你好' });
    expect(choiceIds(hi)).toEqual(['sex:boy', 'sex:girl', 'sex:unknown']);
    await h.press('t2', 'sex:girl');
    await h.say('t2', { text: '2012年3月' });
    const out = await h.say('t2', { text: '菜单' });
    expect(choiceIds(out)).toContain('menu:tip');
    const code = codeOf(out);
    expect(h.casework.show(code).details.answers).toMatchObject({ sex: 'girl', dob: '2012年3月' });
  });
});

describe('the reporter language is stable and follows what they write', () => {
  it('three sentences of Chinese from an English-language phone are answered in Chinese', async () => {
    const out = await h.say('cn-abroad', { text: '我在火车站看到一个女人抱着一个婴儿，很像照片里的孩子', localeHint: 'en-US' });
    expect(out.every((m) => m.locale === 'zh-CN')).toBe(true);
  });

  it('a short Latin word does not flip a Chinese conversation', async () => {
    await h.say('stable', { text: '我在火车站看到一个女人抱着一个婴儿' });
    for (const word of ['ok', 'Wang Fang', 'TL-0000-0000']) {
      const out = await h.say('stable', { text: word });
      expect(out.every((m) => m.locale === 'zh-CN'), word).toBe(true);
    }
  });

  it('a short Chinese word from an English phone keeps English', async () => {
    const out = await h.say('en-phone', { text: '你好', localeHint: 'en-GB' });
    expect(out.every((m) => m.locale === 'en')).toBe(true);
  });
});

describe('albums', () => {
  it('photos sent together as one album are all kept and acknowledged once', async () => {
    await h.say('al', { text: '我在河口见过这个孩子，下面是照片' });
    const before = h.adapter.sent.length;
    for (let i = 0; i < 4; i++) await h.say('al', { attachments: [{ kind: 'image', mime: 'image/jpeg', data: fakeJpeg(1000 + i) }], mediaGroup: 'album-1' });
    const acks = h.adapter.to('al', before);
    expect(acks).toHaveLength(1);
    const [c] = h.casework.queue();
    expect(h.casework.show(c!.code).attachments).toHaveLength(4);
  });
});
