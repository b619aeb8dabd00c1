/**
 * Danger first and nothing lost, at every step: the cases a reviewer found by trying to break
 * the conversation. Each urgent message must (1) be answered first with the emergency number,
 * (2) open or escalate an urgent case at once, (3) be kept as a message.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { allText, createHarness, fakeJpeg, type Harness } from '../helpers/core.ts';

const URGENT_ZH = '孩子今晚被卖，救命';
const URGENT_EN = 'they will sell the baby tonight at the north station';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

function urgentCaseWith(text: string) {
  const queue = h.casework.queue();
  const c = queue.find((x) => h.casework.show(x.code).messages.some((m) => m.text.includes(text)));
  return c;
}

const FAMILY_STEPS: [string, string[]][] = [
  ['family.sex', ['menu:family']],
  ['family.dob', ['menu:family', 'sex:boy']],
  ['family.lost', ['menu:family', 'sex:boy', 'skip']],
  ['family.marks', ['menu:family', 'sex:boy', 'skip', 'skip']],
  ['family.relationship', ['menu:family', 'sex:boy', 'skip', 'skip', 'skip']],
  ['family.child', ['menu:family', 'sex:boy', 'skip', 'skip', 'skip', 'rel:mother']],
  ['family.photos', ['menu:family', 'sex:boy', 'skip', 'skip', 'skip', 'rel:mother', 'child:unsure']],
  ['family.contact', ['menu:family', 'sex:boy', 'skip', 'skip', 'skip', 'rel:mother', 'child:unsure', 'done']],
  ['family.contact_input', ['menu:family', 'sex:boy', 'skip', 'skip', 'skip', 'rel:mother', 'child:unsure', 'done', 'contact:yes']],
  ['family.confirm', ['menu:family', 'sex:boy', 'skip', 'skip', 'skip', 'rel:mother', 'child:unsure', 'done', 'contact:no']],
];
const TIP_STEPS: [string, string[]][] = [
  ['tip.child', ['menu:tip']],
  ['tip.details', ['menu:tip', 'child:unsure']],
  ['tip.photos', ['menu:tip', 'child:unsure', '__text']],
  ['tip.contact', ['menu:tip', 'child:unsure', '__text', 'done']],
  ['tip.contact_input', ['menu:tip', 'child:unsure', '__text', 'done', 'contact:yes']],
  ['tip.confirm', ['menu:tip', 'child:unsure', '__text', 'done', 'contact:no']],
  ['adoption.note', ['menu:adoption', 'adoption:note']],
  ['status.code', ['menu:status']],
  ['language', ['menu:language']],
];

describe.each([...FAMILY_STEPS, ...TIP_STEPS])('an urgent message at %s', (_step, path) => {
  it.each([URGENT_ZH, URGENT_EN])('"%s" is answered first with 110 and opens an urgent case at once', async (urgent) => {
    for (const p of path) {
      if (p === '__text') await h.say('r', { text: '我在市场见过这个孩子' });
      else await h.press('r', p);
    }
    const out = await h.say('r', { text: urgent });
    expect(out[0]!.text).toContain('110');
    const c = urgentCaseWith(urgent);
    expect(c, 'a case holding the urgent message').toBeDefined();
    expect(c!.urgent).toBe(true);
    expect(h.casework.queue()[0]!.code).toBe(c!.code);
  });
});

describe('nothing lost', () => {
  it('cancel after an urgent case keeps everything added since', async () => {
    await h.press('r', 'menu:family');
    await h.say('r', { text: URGENT_ZH });
    await h.press('r', 'sex:girl');
    await h.say('r', { text: '2012年' });
    await h.say('r', { text: '在开远市场' });
    await h.press('r', 'skip');
    await h.press('r', 'rel:father');
    await h.press('r', 'child:unsure');
    await h.say('r', { text: '那个人开白色面包车' });
    await h.press('r', 'done');
    await h.press('r', 'contact:no');
    await h.press('r', 'confirm:cancel');
    const [c] = h.casework.queue();
    const detail = h.casework.show(c!.code);
    expect(detail.messages.map((m) => m.text).join('\n')).toContain('白色面包车');
    expect(detail.details.answers).toMatchObject({ dob: '2012年', lost: '在开远市场' });
  });

  it('a follow-up naming the case code is added to that case, not treated as a status check', async () => {
    const first = await h.say('r', { text: '我在火车站见过7号孩子' });
    const code = first.find((m) => m.caseCode)!.caseCode!;
    const out = await h.say('r', { text: `${code} the baby will be sold tonight at the north station` });
    expect(out[0]!.text).toContain('110');
    const c = h.casework.show(code);
    expect(c.urgent).toBe(true);
    expect(c.messages.map((m) => m.text).join('\n')).toContain('sold tonight');
    // A bare code is still a status check.
    const status = await h.say('r', { text: code.toLowerCase() });
    expect(allText(status)).toContain(code);
    expect(h.casework.show(code).messages).toHaveLength(2);
  });

  it.each(['/start 孩子今晚被卖，在火车站', '/help 救命 他们正在打孩子'])('a typed command followed by text is a message: %s', async (text) => {
    const out = await h.say('r', { text });
    expect(out[0]!.text).toContain('110');
    expect(h.casework.queue()[0]?.urgent).toBe(true);
  });

  it('a refused attachment keeps its caption, and an urgent caption is urgent', async () => {
    const big = Buffer.concat([fakeJpeg(16), Buffer.alloc(11 * 1024 * 1024)]);
    const out = await h.say('r', { text: '他们今晚要把孩子卖掉，在火车站', attachments: [{ kind: 'image', mime: 'image/jpeg', data: big }] });
    expect(out[0]!.text).toContain('110');
    expect(allText(out)).toContain('10');
    const pdf = await h.say('r2', { text: 'I saw child 4 with a man at the clinic', attachments: [{ kind: 'other', mime: 'application/pdf', data: Buffer.from('%PDF-1.4') }] });
    expect(allText(pdf)).toMatch(/JPEG/);
    const queue = h.casework.queue();
    expect(queue).toHaveLength(2);
    expect(queue[0]!.urgent).toBe(true);
  });

  it('an over-long message is refused politely — unless it is urgent, then it is kept whole', async () => {
    const calm = await h.say('r', { text: '我记得'.repeat(1500) });
    expect(allText(calm)).toContain('4096');
    expect(h.casework.queue()).toHaveLength(0);
    const long = '救命 他们正在打孩子 ' + '细节'.repeat(2500);
    const out = await h.say('r', { text: long });
    expect(out[0]!.text).toContain('110');
    const [c] = h.casework.queue();
    expect(c!.urgent).toBe(true);
    expect(h.casework.show(c!.code).messages[0]!.text).toHaveLength(long.length);
  });

  it('short text at the which-child or status step is kept, not dropped', async () => {
    await h.press('r', 'menu:tip');
    await h.say('r', { text: '在医院' });
    await h.press('r', 'done');
    await h.press('r', 'contact:no');
    const done = await h.press('r', 'confirm:send');
    const code = done.find((m) => m.caseCode)!.caseCode!;
    expect(h.casework.show(code).messages[0]!.text).toBe('在医院');
    await h.press('r2', 'menu:status');
    const out = await h.say('r2', { text: '我的孩子丢了' });
    expect(out.some((m) => m.caseCode)).toBe(true);
  });

  it('contact details are never stored in the clear, not even in an unfinished draft', async () => {
    await h.press('r', 'menu:tip');
    await h.press('r', 'child:unsure');
    await h.say('r', { text: '我在车站见过' });
    await h.press('r', 'done');
    await h.press('r', 'contact:yes');
    await h.say('r', { text: 'Wang Fang 13912345678' });
    h.store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(h.dbPath).includes(Buffer.from('13912345678'))).toBe(false);
    const code = (await h.press('r', 'confirm:send')).find((m) => m.caseCode)!.caseCode!;
    expect(h.casework.show(code).contact).toBe('Wang Fang 13912345678');
    h.store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(h.dbPath).includes(Buffer.from('13912345678'))).toBe(false);
  });

  it('"no" at the contact step means anonymous, not a contact', async () => {
    await h.press('r', 'menu:tip');
    await h.press('r', 'child:unsure');
    await h.say('r', { text: '我在车站见过' });
    await h.press('r', 'done');
    await h.say('r', { text: '不用了' });
    const code = (await h.press('r', 'confirm:send')).find((m) => m.caseCode)!.caseCode!;
    expect(h.casework.show(code).contact).toBeNull();
  });
});

describe('second review', () => {
  it('a language learned from what they wrote survives button presses carrying the browser hint', async () => {
    await h.say('r', { action: 'menu:family', localeHint: 'en-US' });
    const zh = await h.say('r', { text: '我的女儿两岁的时候在开远市场走失了', localeHint: 'en-US' });
    expect(zh.every((m) => m.locale === 'zh-CN')).toBe(true);
    const after = await h.say('r', { action: 'skip', localeHint: 'en-US' });
    expect(after.every((m) => m.locale === 'zh-CN')).toBe(true);
  });

  it.each(['she is at pier 7', 'the boy is here', 'help'])('"%s" at the status step is a message, not a wrong code', async (text) => {
    await h.press('r', 'menu:status');
    const out = await h.say('r', { text });
    expect(allText(out)).not.toMatch(/could not find|没有找到/);
    if (text !== 'help') expect(h.casework.queue()).toHaveLength(1);
  });

  it('news about a child never lands in a low-priority adoption case', async () => {
    await h.press('r', 'menu:adoption');
    await h.press('r', 'adoption:note');
    const note = (await h.say('r', { text: 'We would like to adopt a girl' })).find((m) => m.caseCode)!.caseCode!;
    const tip = (await h.say('r', { text: 'I saw the man who sold child #3, he lives at 12 Market Street' })).find((m) => m.caseCode)!.caseCode!;
    expect(tip).not.toBe(note);
    expect(h.casework.show(tip).category).toBe('tip');
    expect(h.casework.show(tip).priority).toBe('normal');
    await h.press('r2', 'menu:adoption');
    const direct = (await h.say('r2', { text: 'I know the woman who sold child #3, she lives in Mengzi' })).find((m) => m.caseCode)!.caseCode!;
    expect(h.casework.show(direct).category).toBe('tip');
  });

  it('the idle sweep does not reopen a closed case when nothing new was written', async () => {
    let now = Date.parse('2026-01-01T10:00:00Z');
    const timed = createHarness({ clock: () => new Date(now) });
    try {
      await timed.press('r', 'menu:family');
      const code = (await timed.say('r', { text: URGENT_ZH })).find((m) => m.caseCode)!.caseCode!;
      timed.casework.close(code, 'cli:amy', { reason: 'handled by police' });
      now += 31 * 60_000;
      timed.core.sweepIdleDrafts(30 * 60_000);
      const c = timed.casework.show(code);
      expect(c.status).toBe('closed');
      expect(c.history.map((x) => x.action)).not.toContain('case.reopened');
    } finally {
      timed.close();
    }
  });

  it('a case that began as a bare photo takes the kind and language of the news that follows', async () => {
    await h.say('r', { attachments: [{ kind: 'image', mime: 'image/jpeg', data: fakeJpeg() }] });
    await h.say('r', { text: '這是我在台北車站拍到的，那個女人抱著的孩子很像3號' });
    const [c] = h.casework.queue();
    expect(c!.category).toBe('tip');
    expect(c!.locale).toBe('zh-TW');
  });

  it('"I think it is number 7" at the which-child step names the child and still asks what they know', async () => {
    await h.press('r', 'menu:tip');
    const out = await h.say('r', { text: 'I think it is number 7' });
    expect(allText(out)).toMatch(/what you know/i);
  });

  it('typing "done" at the photo step moves on', async () => {
    await h.press('r', 'menu:tip');
    await h.press('r', 'child:unsure');
    await h.say('r', { text: 'seen at the market' });
    const out = await h.say('r', { text: 'done' });
    expect(out.flatMap((m) => m.choices ?? []).map((c) => c.id)).toEqual(['contact:yes', 'contact:no']);
  });

  it('escalating a closed case is refused', async () => {
    const code = (await h.say('r', { text: '我在市场见过7号孩子' })).find((m) => m.caseCode)!.caseCode!;
    h.casework.close(code, 'cli:amy');
    expect(() => h.casework.escalate(code, 'cli:amy')).toThrow(/closed/);
  });
});
