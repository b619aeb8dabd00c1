/**
 * Nothing lost, nothing doubled — across a crash. The real server is killed with SIGKILL in
 * the middle of a family inquiry; started again on the same data folder (same database, same
 * generated secret key), the reporter's cookie still opens the same conversation, which goes
 * on where it stopped. And a retried POST (same clientId) is answered once.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CASE_CODE_RE, listCases, newClientId, ROOT, startServer, WebClient, type Entry, type RunningServer } from '../helpers/server.ts';

const BOT = {
  'zh-CN': JSON.parse(readFileSync(path.join(ROOT, 'locales/zh-CN/bot.json'), 'utf8')),
  en: JSON.parse(readFileSync(path.join(ROOT, 'locales/en/bot.json'), 'utf8')),
} as const;
const stem = (s: string) => s.split('{{')[0]!.trim();

const started: RunningServer[] = [];
async function start(opts: Parameters<typeof startServer>[0] = {}): Promise<RunningServer> {
  const s = await startServer(opts);
  started.push(s);
  return s;
}
afterEach(async () => {
  // Newest first: a server that reuses a data folder stops before the one that owns (removes) it.
  while (started.length) await started.pop()!.stop();
});

const hasBot = (text: string) => (entries: Entry[]) => entries.some((e) => e.from === 'bot' && e.text.includes(text));
const count = (entries: Entry[], pred: (e: Entry) => boolean) => entries.filter(pred).length;

/** Checks the transcript has no entry twice (same seq, or same direction+text+time). */
function expectNoDuplicates(entries: Entry[]): void {
  const seqs = entries.map((e) => e.seq);
  expect(new Set(seqs).size).toBe(seqs.length);
  const keys = entries.map((e) => `${e.direction}|${e.from}|${e.at}|${e.text}`);
  expect(new Set(keys).size, keys.join('\n')).toBe(keys.length);
}

describe('crash and restart', () => {
  it('a family inquiry interrupted by SIGKILL goes on after restart; nothing lost or doubled', async () => {
    const zh = BOT['zh-CN'];
    const first = await start();

    // Someone else's finished tip, before the crash.
    const tipster = new WebClient(first.url);
    await tipster.session('en');
    await tipster.say({ command: 'start' }, { until: hasBot(BOT.en.menu.prompt) });
    await tipster.say({ action: 'menu:tip' }, { until: hasBot(BOT.en.tip.ask_child) });
    await tipster.say({ text: '7' }, { until: hasBot(BOT.en.tip.ask_details) });
    await tipster.say({ text: 'A man was selling a baby near the market on Tuesday' }, { until: hasBot(BOT.en.tip.ask_photos) });
    await tipster.say({ action: 'done' }, { until: hasBot(BOT.en.contact.ask) });
    await tipster.say({ action: 'contact:no' }, { until: hasBot(BOT.en.confirm.anonymous) });
    const sent = await tipster.say({ action: 'confirm:send' }, { until: (e) => e.some((x) => !!x.caseCode) });
    const tipCode = sent.find((e) => e.caseCode)!.caseCode!;
    expect(tipCode).toMatch(CASE_CODE_RE);

    // The parent, partway through the family flow.
    const parent = new WebClient(first.url);
    await parent.session('zh-CN');
    await parent.say({ command: 'start' }, { until: hasBot(zh.menu.prompt) });
    await parent.say({ action: 'menu:family' }, { until: hasBot(zh.family.ask_sex) });
    await parent.say({ action: 'sex:girl' }, { until: hasBot(zh.family.ask_dob) });
    // The date of birth is accepted (on disk before the 202), then the process dies at once:
    // its reply may or may not have been delivered yet.
    const dob = await parent.send({ text: '2023年5月出生' });
    expect(dob.status).toBe(202);
    const beforeKill = await parent.history(0);
    expect(beforeKill.some((e) => e.from === 'reporter' && e.text === '2023年5月出生')).toBe(true);
    await first.kill();
    expect(first.proc.signalCode).toBe('SIGKILL');

    const second = await start({ dir: first.dir });
    expect(second.env.TIPLINE_DB).toBe(first.env.TIPLINE_DB);
    const again = new WebClient(second.url, parent.cookie);
    const session = await again.session('zh-CN');
    expect(again.setCookie, 'a valid cookie keeps its session: no new one').toBeUndefined();

    // The reply to the last message before the crash arrives, once.
    const resumed = await again.waitFor(hasBot(zh.family.ask_lost));
    await new Promise((r) => setTimeout(r, 800)); // let any (wrong) second delivery show up
    const afterRestart = await again.history(0);
    expect(afterRestart.slice(0, beforeKill.length)).toEqual(beforeKill);
    expect(session.history.slice(0, beforeKill.length)).toEqual(beforeKill);
    expect(count(afterRestart, (e) => e.text === zh.family.ask_lost)).toBe(1);
    expect(count(afterRestart, (e) => e.text === '2023年5月出生')).toBe(1);
    expectNoDuplicates(afterRestart);
    expect(resumed.length).toBe(afterRestart.length);

    // The conversation goes on where it stopped.
    await again.say({ text: '2024年3月在广州火车站走失' }, { until: hasBot(zh.family.ask_marks) });
    await again.say({ action: 'skip' }, { until: hasBot(zh.family.ask_relationship) });
    await again.say({ action: 'rel:mother' }, { until: hasBot(zh.family.ask_child) });
    await again.say({ action: 'child:unsure' }, { until: hasBot(zh.family.ask_photos) });
    await again.say({ action: 'done' }, { until: hasBot(zh.family.ask_contact) });
    await again.say({ action: 'contact:yes' }, { until: hasBot(zh.contact.ask_input) });
    await again.say({ text: '13800138000' }, { until: hasBot(zh.confirm.contact_shared) });
    const done = await again.say({ action: 'confirm:send' }, { until: hasBot(stem(zh.family.warning_money)) });
    const familyCode = done.find((e) => e.caseCode)?.caseCode;
    expect(familyCode).toMatch(CASE_CODE_RE);
    expect(done.find((e) => e.caseCode)!.text).toContain(stem(zh.family.submitted));
    expect(done.some((e) => e.text === zh.family.next_step)).toBe(true);

    const cases = await listCases(second.env);
    const family = cases.find((c) => c.code === familyCode);
    expect(family, JSON.stringify(cases, null, 1)).toBeDefined();
    expect(family!.category).toBe('family');
    expect(family!.contactShared).toBe(true);
    expect(family!.incomplete).toBe(false);
    const tip = cases.find((c) => c.code === tipCode);
    expect(tip, 'the tip made before the crash is still in the queue').toBeDefined();
    expect(tip!.category).toBe('tip');
    expect(cases.filter((c) => c.category === 'family')).toHaveLength(1);

    // The whole transcript, once.
    const full = await again.history(0);
    expect(full.slice(0, beforeKill.length)).toEqual(beforeKill);
    expectNoDuplicates(full);
    expect((await again.session('zh-CN')).caseCodes).toContain(familyCode);

    // The restarted server still stops cleanly.
    started.pop();
    expect(await second.stop('SIGTERM')).toBe(0);
  });
});

describe('a retried POST', () => {
  it('the same clientId twice gives one echo and one set of replies', async () => {
    const server = await start();
    const en = BOT.en;
    const c = new WebClient(server.url);
    await c.session('en');
    await c.say({ command: 'start' }, { until: hasBot(en.menu.prompt) });

    // A button press retried after a lost response.
    const id = newClientId();
    const a = await c.send({ action: 'menu:tip' }, id);
    const b = await c.send({ action: 'menu:tip' }, id);
    expect(a).toMatchObject({ status: 202, body: { accepted: true, duplicate: false } });
    expect(b).toMatchObject({ status: 202, body: { accepted: true, duplicate: true } });
    await c.waitFor(hasBot(en.tip.ask_child));

    // Typed text retried twice at the same moment (two tabs, a flaky network).
    const tid = newClientId();
    const [x, y] = await Promise.all([c.send({ text: '7' }, tid), c.send({ text: '7' }, tid)]);
    expect([x.status, y.status]).toEqual([202, 202]);
    expect([x.body.duplicate, y.body.duplicate].sort()).toEqual([false, true]);
    await c.waitFor(hasBot(en.tip.ask_details));
    await new Promise((r) => setTimeout(r, 800)); // a doubled reply would show up by now

    const h = await c.history(0);
    expectNoDuplicates(h);
    expect(count(h, (e) => e.from === 'reporter' && e.text === en.menu.tip)).toBe(1);
    expect(count(h, (e) => e.text === en.tip.intro)).toBe(1);
    expect(count(h, (e) => e.text === en.tip.ask_child)).toBe(1);
    expect(count(h, (e) => e.from === 'reporter' && e.text === '7')).toBe(1);
    expect(count(h, (e) => e.text === en.tip.ask_details)).toBe(1);
    // Only the first press moved the conversation on: still one question per step.
    expect(h.at(-1)!.text).toBe(en.tip.ask_details);
  });
});
