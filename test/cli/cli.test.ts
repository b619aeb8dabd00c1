/**
 * The caseworker CLI, run in-process against a real database that a core has written to.
 */
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.ts';
import { createHarness, TEST_SECRET, type Harness } from '../helpers/core.ts';

let h: Harness;
let code: string;

async function cli(args: string[], stdin = ''): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const exit = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s), stdin: Readable.from([stdin]) });
  return { code: exit, out: out.join('\n'), err: err.join('\n') };
}

beforeAll(async () => {
  h = createHarness();
  process.env.TIPLINE_DB = h.dbPath;
  process.env.TIPLINE_SECRET = TEST_SECRET;
  await h.say('reporter-1', { text: '我在开远火车站看到一个女人抱着7号孩子', localeHint: 'zh-CN' });
  await h.say('reporter-2', { text: 'They are selling a baby tonight behind the bus station, hurry', localeHint: 'en' });
  code = h.casework.queue().find((c) => c.language.startsWith('zh'))!.code;
});
afterAll(() => {
  delete process.env.TIPLINE_DB;
  delete process.env.TIPLINE_SECRET;
  h.close();
});

describe('tipline CLI', () => {
  it('--help lists every contract command', async () => {
    const r = await cli(['--help']);
    for (const c of ['cases', 'show', 'claim', 'reply', 'close', 'triage', 'stats', 'doctor', 'catalogue import']) expect(r.out).toContain(c);
    const sub = await cli(['reply', '--help']);
    expect(sub.code).toBe(0);
    expect(sub.out).toContain('--template');
  });

  it('cases lists the queue urgent first, as a table and as JSON', async () => {
    const table = await cli(['cases']);
    expect(table.code).toBe(0);
    expect(table.out.split('\n')[1]).toContain('URGENT');
    const json = JSON.parse((await cli(['cases', '--json'])).out) as { code: string; urgent: boolean; reporter: string }[];
    expect(json).toHaveLength(2);
    expect(json[0]!.urgent).toBe(true);
    expect(json.map((c) => c.code)).toContain(code);
    expect(JSON.stringify(json)).not.toMatch(/reporter-[12]/);
  });

  it('claim, a second caseworker is refused, reply, template, note, close — all in the history', async () => {
    expect((await cli(['claim', code, '--as', 'amy'])).out).toContain('cli:amy');
    const taken = await cli(['claim', code, '--as', 'bob']);
    expect(taken.code).toBe(1);
    expect(taken.err).toContain('CASE_CLAIMED');
    expect((await cli(['reply', code.toLowerCase().replace(/-/g, ''), '谢谢您，我们已转交警方。', '--as', 'amy'])).code).toBe(0);
    const tpl = await cli(['reply', code, '--template', 'dna_next_step', '--as', 'amy']);
    expect(tpl.out).toContain('DNA');
    expect(tpl.out).toContain(code);
    expect((await cli(['note', code, 'checked CCTV request', '--as', 'amy'])).code).toBe(0);
    expect((await cli(['close', code, '--reason', 'passed to police', '--as', 'amy'])).code).toBe(0);
    const show = await cli(['show', code]);
    expect(show.out).toMatch(/case\.claimed[\s\S]*case\.replied[\s\S]*case\.replied[\s\S]*case\.noted[\s\S]*case\.closed/);
    expect(show.out).toContain('passed to police');
    expect(show.out).toContain('NOTE cli:amy');
    expect(show.out).not.toContain('reporter-1');
    await h.dispatcher.runOnce();
    const delivered = h.adapter.to('reporter-1').map((m) => m.text).join('\n');
    expect(delivered).toContain('谢谢您，我们已转交警方。');
    expect(delivered).not.toContain('checked CCTV request');
  });

  it('explains mistakes in one line', async () => {
    expect((await cli(['show', 'TL-0000-0000'])).err).toMatch(/CASE_NOT_FOUND/);
    expect((await cli(['show', 'not-a-code!'])).err).toMatch(/INVALID_INPUT/);
    expect((await cli(['reply'])).err).toMatch(/missing CODE/);
    expect((await cli(['reply', code, '--template', 'nope'])).err).toMatch(/TEMPLATE_NOT_FOUND|CASE_CLOSED/);
    expect((await cli(['frobnicate'])).err).toMatch(/unknown command/);
    expect((await cli(['cases', '--bogus'])).code).toBe(1);
  });

  it('triage reads lines from stdin and prints one JSON object per line', async () => {
    const r = await cli(['triage'], '我想领养一个孩子\nI saw number 7 being sold tonight at the station\n\n');
    const lines = r.out.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatchObject({ category: 'adoption', urgent: false, language: 'zh-CN' });
    expect(lines[1]).toMatchObject({ urgent: true, children: [7] });
    for (const l of lines) expect(Object.keys(l)).toEqual(expect.arrayContaining(['category', 'urgent', 'language', 'children', 'pii', 'reasons']));
  });

  it('cases --child 7 lists the cases about #7, with how they point at it', async () => {
    const other = await h.say('reporter-3', { text: '我觉得3号孩子和我邻居家丢的很像', localeHint: 'zh-CN' });
    expect(other.length).toBeGreaterThan(0);
    // (The case was closed by the test before: --all.)
    expect((await cli(['cases', '--child', '7'])).out).toBe('No open cases about #7.');
    const table = await cli(['cases', '--child', '7', '--all']);
    expect(table.code).toBe(0);
    expect(table.out).toContain(code);
    expect(table.out.split('\n')[0]).toContain('#7 BY');
    expect(table.out).toContain('named');
    const json = JSON.parse((await cli(['cases', '--child', '#7', '--all', '--json'])).out) as { code: string; childSource: string }[];
    expect(json.map((c) => c.code)).toEqual([code]);
    expect((await cli(['cases', '--child', '9'])).out).toBe('No open cases about #9.');
    const bad = await cli(['cases', '--child', 'seven']);
    expect(bad.code).not.toBe(0);
    expect(bad.err).toContain('--child takes a catalogue number');
  });

  it('triage shows candidates with reasons and marks a repeated rumour', async () => {
    const rumour = '紧急扩散！开远火车站附近有人贩子抱着7号宝宝，穿红衣服，大家注意！';
    const r = await cli(['triage'], `${rumour}\n我在超市看到一个老人带着孩子\n${rumour.replace('！', '!!')}\n`);
    const lines = r.out.split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines[0]!.candidates).toEqual([expect.objectContaining({ number: 7, sources: ['named'], reasons: ['named:#7'] })]);
    expect(lines[0]).not.toHaveProperty('similar_to');
    expect(lines[1]).not.toHaveProperty('similar_to');
    expect(lines[2]).toMatchObject({ similar_to: 1 });
  });

  it('stats and catalogue import', async () => {
    const s = JSON.parse((await cli(['stats', '--json'])).out) as { cases: { total: number } };
    expect(s.cases.total).toBe(3);
    const imp = await cli(['catalogue', 'import', 'data/catalogue.sample.json']);
    expect(imp.out).toContain('Imported 11 children');
    const list = await cli(['catalogue', 'list', '--json']);
    expect(JSON.parse(list.out)).toHaveLength(11);
  });
});

describe('catalogue import input', () => {
  it('takes ; separated CSV with any header case, and refuses typo numbers one line each', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = mkdtempSync(path.join(tmpdir(), 'tipline-cat-'));
    // An open case naming #12 before #12 is in the catalogue: its candidate is weak...
    await h.say('reporter-12', { text: '我在昆明看到了12号孩子，和一个老人在一起', localeHint: 'zh-CN' });
    const before = h.store.links.casesForChild(12);
    expect(before).toHaveLength(1);
    expect(h.store.cases.get(before[0]!.caseId)!.candidates[0]!.reasons).toEqual(['named-unknown:#12']);
    const csv = path.join(dir, 'c.csv');
    writeFileSync(csv, '\uFEFFNumber;Sex;Marks\n12;girl;"mole; left cheek"\n');
    const ok = await cli(['catalogue', 'import', csv]);
    expect(ok.out).toContain('Imported 1 children');
    // ...and the import brings it up to date (and redraws it on the desk).
    expect(ok.out).toContain('Candidates updated on 1 open case.');
    expect(h.store.cases.get(before[0]!.caseId)!.candidates[0]!.reasons).toEqual(['named:#12']);
    const json = path.join(dir, 'c.json');
    writeFileSync(json, JSON.stringify([{ number: '0x10' }, { number: '1e2' }, null, { number: 13 }]));
    const bad = await cli(['catalogue', 'import', json]);
    expect(bad.code).toBe(1);
    // One line per problem, then what happened: nothing (never half a catalogue).
    const errLines = bad.err.split('\n');
    expect(errLines).toHaveLength(4);
    expect(errLines[0]).toMatch(/c\.json: row 1: "number" must be a whole number/);
    expect(errLines[3]).toContain('nothing imported');
    expect(bad.out).toBe('');
    expect(JSON.parse((await cli(['catalogue', 'list', '--json'])).out).map((c: { number: number }) => c.number)).not.toContain(13);
    const broken = path.join(dir, 'b.json');
    writeFileSync(broken, '{"secret": "do not echo me"');
    const b = await cli(['catalogue', 'import', broken]);
    expect(b.err).not.toContain('do not echo me');
  });
});
