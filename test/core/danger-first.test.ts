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
    expect(allText(calm)).toContain('4000');
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
