/**
 * Triage beyond one message, on a real store: near-identical reports grouped ("14 similar
 * reports"), cases listed under the children they concern, and a flooding reporter slowed with
 * nothing lost (kept in the case, one digest on the desk, told once, urgent never held back).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/core.ts';
import { RecordingDesk } from '../helpers/recording-desk.ts';

let h: Harness;
let desk: RecordingDesk;
let clock = Date.parse('2026-11-26T10:00:00Z');
const now = () => new Date(clock);

beforeEach(() => {
  clock = Date.parse('2026-11-26T10:00:00Z');
  h = createHarness({ desks: ['slack'], clock: now, core: { floodPerMinute: 5 } });
  desk = new RecordingDesk();
  h.dispatcher.registerDesk(desk);
  h.store.transaction(() => {
    for (const n of [3, 7, 8]) h.store.catalogue.upsert({ number: n, sex: n === 8 ? 'girl' : 'boy' }, '2026-01-01T00:00:00Z');
  });
});
afterEach(() => h.close());

const drain = async () => {
  for (let i = 0; i < 6; i++) await h.dispatcher.runOnce();
};
const codeOf = (replies: { caseCode?: string }[]) => replies.find((m) => m.caseCode)?.caseCode;

const RUMOUR = [
  '紧急扩散！开远火车站附近有人贩子抱着7号宝宝，穿红衣服，大家注意！',
  '紧急扩散!!开远火车站附近有人贩子抱着7号宝宝 穿红衣服 大家注意',
  '扩散：开远火车站附近有人贩子抱着7号宝宝，穿红衣服，请大家注意',
  '緊急擴散！開遠火車站附近有人販子抱著7號寶寶，穿紅衣服，大家注意！',
];

describe('near-identical reports', () => {
  it('the same rumour from 14 reporters is one group; the first case shows "14 similar reports"', async () => {
    const codes: string[] = [];
    for (let i = 0; i < 14; i++) {
      clock += 30_000;
      codes.push(codeOf(await h.say(`rumour-${i}`, { text: RUMOUR[i % RUMOUR.length]! }))!);
    }
    expect(new Set(codes).size).toBe(14);
    const first = h.store.cases.byCode(codes[0]!)!;
    expect(first.clusterId).toBe(first.id);
    for (const code of codes) expect(h.store.cases.byCode(code)!.clusterId).toBe(first.id);
    const view = h.casework.deskView(first.id)!;
    expect(view.similar).toMatchObject({ count: 14, isFirst: true });
    expect(view.similarLine).toMatch(/^14 similar reports \(this is the first; also TL-/);
    const last = h.casework.deskView(h.store.cases.byCode(codes[13]!)!.id)!;
    expect(last.similarLine).toMatch(new RegExp(`^14 similar reports \\(first ${codes[0]}`));
    await drain();
    // The first case's message was redrawn with the count — up to 10, then at 20, 50, 100…
    // (not once per copy of a viral rumour); each later copy shows the exact count itself.
    expect(desk.views.filter((v) => v.code === codes[0]).map((v) => v.similar?.count ?? 1)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(desk.views.find((v) => v.code === codes[13])?.similar?.count).toBe(14);
  });

  it('the same words about a different child, and unrelated tips, are not grouped', async () => {
    const a = codeOf(await h.say('r-a', { text: '我在开远火车站看到一个女人抱着7号宝宝，往昆明方向走了' }))!;
    clock += 60_000;
    const b = codeOf(await h.say('r-b', { text: '我在开远火车站看到一个女人抱着8号宝宝，往昆明方向走了' }))!;
    clock += 60_000;
    const c = codeOf(await h.say('r-c', { text: 'I think I saw baby #3 with a man selling fruit at the Mengzi market yesterday' }))!;
    for (const code of [a, b, c]) expect(h.store.cases.byCode(code)!.clusterId).toBeNull();
    expect(h.casework.deskView(h.store.cases.byCode(a)!.id)!.similar).toBeNull();
  });
});

describe('groups do not chain or merge what differs', () => {
  it('a chain of small edits does not carry a group to an unrelated report', async () => {
    const steps = [
      '我在开远汽车站看到一个穿红色夹克的男人抱着一个婴儿，一直在打电话',
      '我在开远汽车站看到一个穿红色夹克的男人抱着一个婴儿，上了去蒙自的车',
      '开远汽车站有个穿红色夹克的男人抱着婴儿上了去蒙自的车，车牌云G开头',
      '有个穿红色夹克的男人上了去蒙自的车，车牌云G开头，车上还有两个女人',
      '去蒙自的车上有两个女人，车牌云G开头，她们在菜市场卖菜也卖鸡蛋',
      '邻居家两个女人在菜市场卖菜也卖鸡蛋，每天早上六点出门，晚上才回来',
    ];
    const ids: number[] = [];
    for (const [i, text] of steps.entries()) {
      clock += 60_000;
      ids.push(h.store.cases.byCode(codeOf(await h.say(`chain-${i}`, { text }))!)!.id);
    }
    const first = h.store.cases.get(ids[0]!)!;
    const last = h.store.cases.get(ids.at(-1)!)!;
    expect(last.clusterId === null || last.clusterId !== (first.clusterId ?? first.id)).toBe(true);
  });

  it('two families describing their children alike are two cases, never one group', async () => {
    const a = codeOf(await h.say('mum-a', { text: '我是妈妈，我的儿子2013年1月在开远火车站走丢了，左肩有胎记，请帮我找找' }))!;
    clock += 60_000;
    const b = codeOf(await h.say('mum-b', { text: '我是妈妈，我的儿子2013年3月在开远火车站走丢了，右肩有胎记，请帮我找找' }))!;
    expect(h.store.cases.byCode(a)!.category).toBe('family');
    expect(h.store.cases.byCode(b)!.clusterId).toBeNull();
  });
});

describe('cases listed under a child', () => {
  it('an open urgent case is listed first even behind hundreds of newer closed ones', () => {
    const now = '2026-11-26T10:00:00.000Z';
    h.store.transaction(() => {
      const rep = h.store.reporters.createReporter(now);
      const mk = (priority: 'urgent' | 'normal', status: 'new' | 'closed', i: number) => {
        const created = h.store.cases.insert({
          code: `TL-T${String(i).padStart(3, '0')}-ZZZZ`, reporterId: rep.id, identityId: null, category: 'tip', priority, language: 'zh-CN', locale: 'zh-CN',
          children: [7], triage: {} as never, details: {}, contactEnc: null, spamScore: 0, now,
        })!;
        if (status === 'closed') h.store.cases.update(created.id, { status: 'closed' }, now);
        h.store.links.setCaseChildren(created.id, [{ number: 7, source: 'named' }]);
        return created.id;
      };
      mk('urgent', 'new', 0);
      for (let i = 1; i <= 600; i++) mk('normal', 'closed', i);
    });
    const open = h.casework.casesForChild(7, { limit: 10 });
    expect(open.map((c) => c.code)).toEqual(['TL-T000-ZZZZ']);
    expect(open[0]!.urgent).toBe(true);
    expect(h.casework.casesForChild(7, { includeClosed: true, limit: 10 })[0]!.code).toBe('TL-T000-ZZZZ');
  });

  it('a case naming #7 is listed under 7 with its source; changes follow the case', async () => {
    const code = codeOf(await h.say('r-1', { text: '我在超市看到了7号孩子，一个老太太抱着' }))!;
    const id = h.store.cases.byCode(code)!.id;
    expect(h.store.links.casesForChild(7)).toEqual([{ caseId: id, source: 'named' }]);
    expect(h.store.cases.byCode(code)!.candidates[0]).toMatchObject({ number: 7, sources: ['named'], confidence: 'likely' });
    await h.say('r-1', { text: '旁边还有一个很像3号的孩子' });
    expect(h.store.links.casesForChild(3).map((l) => l.caseId)).toEqual([id]);
    expect(h.store.links.casesForChild(8)).toEqual([]);
  });
});

describe('contact details typed in a message', () => {
  it('are flagged for caseworkers (not the consent step), from every message of the case', async () => {
    const code = codeOf(await h.say('r-pii', { text: '我在菜市场看到一个女人抱着7号宝宝，往车站方向走了' }))!;
    const id = h.store.cases.byCode(code)!.id;
    expect(h.casework.deskView(id)!.contactDetailsInText).toEqual([]);
    await h.say('r-pii', { text: '卖孩子的人留了电话 13912345678，微信 seller_abc123' });
    expect(h.casework.deskView(id)!.contactDetailsInText).toEqual(['phone', 'wechat']);
    // Not the consent step: the case holds no shared contact.
    expect(h.store.cases.byCode(code)!.contactEnc).toBeNull();
  });
});

describe('a flooding reporter', () => {
  it('is slowed after 5 messages a minute: all kept, told once, one digest on the desk', async () => {
    const replies: string[] = [];
    let code: string | undefined;
    for (let i = 1; i <= 12; i++) {
      clock += 2_000;
      const out = await h.say('flooder', { text: `第${i}条补充：我想起来那个女人说话的口音像是本地人` });
      code ??= codeOf(out);
      replies.push(...out.map((m) => m.text));
    }
    const c = h.store.cases.byCode(code!)!;
    // Nothing lost: every message is in the case.
    const texts = h.store.cases.messages(c.id).filter((m) => m.author === 'reporter').map((m) => m.text);
    expect(texts).toHaveLength(12);
    // Told once to slow down, in their language, with the emergency number.
    const notices = replies.filter((t) => t.includes('发送消息的速度很快'));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toContain('110');
    await drain();
    const threadLines = desk.log.filter((l) => l.startsWith('thread'));
    // The first messages went one by one; the rest wait for one digest at the end of the spell.
    expect(threadLines.length).toBeLessThan(6);
    clock += 3 * 60_000;
    await drain();
    const digest = desk.log.filter((l) => l.includes('Digest:'));
    expect(digest).toHaveLength(1);
    for (let i = 6; i <= 12; i++) expect(digest[0]).toContain(`第${i}条`);
  });

  it('the digest carries exactly what waited: nothing twice (an urgent message went on its own), long messages cut visibly, a refusal still reaches the reporter', async () => {
    const long = `车牌号在最后：${'那辆车一直停在路边，'.repeat(80)}车牌云G12345`;
    for (let i = 1; i <= 6; i++) {
      clock += 1_000;
      await h.say('flooder4', { text: `第${i}条补充：我想起来那个女人说话的口音像是本地人` });
    }
    clock += 1_000;
    await h.say('flooder4', { text: long });
    clock += 1_000;
    const urgent = await h.say('flooder4', { text: '他们现在正在把孩子抱上车，马上就要开走了！' });
    expect(urgent.some((m) => m.text.includes('110'))).toBe(true);
    clock += 1_000;
    const refused = await h.say('flooder4', { attachments: [{ kind: 'image', mime: 'image/png', data: Buffer.from('not a picture at all') }] });
    expect(refused.length).toBeGreaterThan(0);
    clock += 3 * 60_000;
    await drain();
    const digest = desk.log.filter((l) => l.includes('Digest:'));
    expect(digest).toHaveLength(1);
    expect(digest[0]).toContain('第6条');
    expect(digest[0]).not.toContain('马上就要开走了');
    expect(digest[0]).toContain('… (cut)');
    expect(digest[0]).toMatch(/Full text: \/tipline show TL-/);
    // The urgent message is on the desk once, on its own.
    expect(desk.log.filter((l) => l.includes('马上就要开走了'))).toHaveLength(1);
    // Sent once: nothing waits any more, and a second pass sends nothing.
    await drain();
    expect(desk.log.filter((l) => l.includes('Digest:'))).toHaveLength(1);
  });

  it('an urgent message is never held back by the flood', async () => {
    for (let i = 1; i <= 8; i++) {
      clock += 1_000;
      await h.say('flooder2', { text: `消息${i}：我看到一辆白色面包车停在学校门口很久了` });
    }
    clock += 1_000;
    const out = await h.say('flooder2', { text: '他们现在正在把孩子抱上车，马上就要开走了！' });
    expect(out.some((m) => m.text.includes('110'))).toBe(true);
    await drain();
    expect(desk.log.some((l) => l.includes('马上就要开走了'))).toBe(true);
  });

  it('a new minute after the spell starts afresh', async () => {
    for (let i = 1; i <= 8; i++) {
      clock += 1_000;
      await h.say('flooder3', { text: `第${i}条消息，关于那个可疑的人` });
    }
    clock += 5 * 60_000;
    const out = await h.say('flooder3', { text: '我又想起来一件事，他开的是一辆蓝色的车' });
    expect(out.map((m) => m.text).join('\n')).toContain('加入您的案件');
  });
});

describe('a family inquiry', () => {
  it('is matched to the catalogue by sex, dates, place and marks, with reasons — for caseworkers only', async () => {
    h.store.transaction(() => {
      const at = '2026-01-01T00:00:00Z';
      h.store.catalogue.upsert({ number: 3, sex: 'boy', estimatedBirth: '2013-01', foundDate: '2013-06-28', foundPlace: 'Kaiyuan, Yunnan', marks: 'birthmark on the left shoulder' }, at);
      h.store.catalogue.upsert({ number: 7, sex: 'boy', estimatedBirth: '2012-06', foundDate: '2013-06-28', foundPlace: 'Kaiyuan, Yunnan', marks: 'eye condition (under treatment)' }, at);
      h.store.catalogue.upsert({ number: 8, sex: 'girl', estimatedBirth: '2013-01', foundDate: '2013-06-28', foundPlace: 'Kaiyuan, Yunnan', marks: 'birthmark on the left shoulder' }, at);
    });
    const sender = 'parent-1';
    const transcript = [];
    await h.say(sender, { command: { name: 'start', args: '' }, localeHint: 'zh-CN' });
    transcript.push(...(await h.press(sender, 'menu:family')));
    transcript.push(...(await h.press(sender, 'sex:boy')));
    transcript.push(...(await h.say(sender, { text: '2013年1月出生' })));
    transcript.push(...(await h.say(sender, { text: '2013年3月在开远火车站丢的' })));
    transcript.push(...(await h.say(sender, { text: '左肩膀有一块胎记' })));
    transcript.push(...(await h.press(sender, 'rel:mother')));
    transcript.push(...(await h.press(sender, 'child:unsure')));
    transcript.push(...(await h.press(sender, 'done')));
    transcript.push(...(await h.press(sender, 'contact:no')));
    const done = await h.press(sender, 'confirm:send');
    transcript.push(...done);
    const code = codeOf(done)!;
    const c = h.store.cases.byCode(code)!;
    expect(c.category).toBe('family');
    // #3 fits (boy, born January 2013, birthmark on the left shoulder, found after lost, same
    // place); #8 is a girl; #7 was born half a year earlier with another mark.
    expect(c.candidates[0]).toMatchObject({ number: 3, sources: ['attributes'] });
    expect(c.candidates[0]!.reasons.join(' ')).toMatch(/mark/);
    expect(c.candidates.find((x) => x.number === 8)).toBeUndefined();
    expect(h.store.links.casesForChild(3)).toEqual([{ caseId: c.id, source: 'attributes' }]);
    // Never revealed to the inquirer: no child number, no candidate, in anything they were sent.
    const said = transcript.map((m) => m.text).join('\n');
    expect(said).not.toMatch(/#\s?3|3号|3號/);
    const view = h.casework.deskView(c.id)!;
    expect(view.candidateLines[0]).toMatch(/^#3 (strong|likely|possible) \(/);
  });
});
