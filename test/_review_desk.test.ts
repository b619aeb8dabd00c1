import { afterEach, expect, it } from 'vitest';
import { DeliveryError, type DeskAdapter, type ReporterAdapter } from '../src/core/types.ts';
import { Dispatcher } from '../src/dispatcher.ts';
import { memoryLogger } from '../src/log.ts';
import { createHarness, type Harness } from './helpers/core.ts';

let h: Harness;
const ds: Dispatcher[] = [];
afterEach(async () => { for (const d of ds.splice(0)) await d.stop(500); h.close(); });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const nullAdapter: ReporterAdapter = { channel: 'fake', async send() {} };

async function newCase(i: number) {
  await h.core.processMessage({ channel: 'fake', conversationRef: `chat-${i}`, senderRef: `s${i}`, platformMessageId: `m${i}`,
    text: `I saw the child from poster number ${i + 1} at the bus station yesterday`, receivedAt: new Date() });
}

it('A: a dead upsert leaves the case thread deferred forever and blocks later upserts', async () => {
  h = createHarness({ desks: ['slack'] });
  await newCase(0);
  const rows0 = h.store.outbox.list('pending', 100).filter((r) => r.channel === 'slack');
  const caseId = rows0[0]!.caseId!;
  const code = h.store.cases.get(caseId)!.code;
  // the case's first upsert died (channel_not_found at the time / interrupted twice / dropped)
  const firstUpsert = rows0.filter((r) => (r.payload as any).type === 'upsert').sort((a, b) => a.id - b.id)[0]!;
  h.store.outbox.markDead(firstUpsert.id, 'slack: channel_not_found');
  for (const r of rows0) if (r.id !== firstUpsert.id && (r.payload as any).type === 'upsert') h.store.outbox.markSent(r.id, new Date().toISOString());
  // later: a caseworker note (thread line) and a claim (a new upsert that would post the case)
  h.casework.note(code, 'cli:ann', 'called the station, no answer');
  h.casework.claim(code, 'cli:ann');
  const calls: string[] = [];
  const desk: DeskAdapter = { desk: 'slack',
    upsertCase: async (_v, ex) => { calls.push('upsert'); return ex ?? { channel: 'C', ts: '1.0' }; },
    postThread: async () => void calls.push('thread'), postPhoto: async () => void calls.push('photo') };
  const results: string[] = [];
  const d = new Dispatcher({ store: h.store, vault: h.core.vault, log: memoryLogger(), pollMs: 50, deskView: (id) => h.casework.deskView(id), onResult: (c, r) => c === 'slack' && results.push(r) });
  ds.push(d); d.register(nullAdapter); d.registerDesk(desk); d.start();
  await sleep(11_500);
  const left = h.store.outbox.list('pending', 100).filter((r) => r.channel === 'slack');
  console.log('A calls', calls, 'results', results, 'left', left.map((r) => [r.id, (r.payload as any).type, r.attempts, r.nextAttemptAt]));
  expect(calls).toEqual([]);
  expect(left.length).toBeGreaterThanOrEqual(2);
}, 20_000);

it('B: a superseded upsert taken as the probe during an outage resets the pause and re-arms the whole backlog', async () => {
  h = createHarness({ desks: ['slack'] });
  for (let i = 0; i < 6; i++) await newCase(i);
  // every case is already on the desk
  const slackRows = () => h.store.outbox.list('pending', 1000).filter((r) => r.channel === 'slack');
  for (const r of slackRows()) h.store.cases.saveDeskPost(r.caseId!, 'slack', { channel: 'C', ts: `${r.caseId}.0` }, new Date().toISOString());
  // a redraw queued twice for each case (claim + unclaim while Slack was down)
  for (const r of [...new Set(slackRows().map((r) => r.caseId!))]) {
    const code = h.store.cases.get(r)!.code; h.casework.claim(code, 'cli:a'); h.casework.unclaim(code, 'cli:a');
  }
  const calls: number[] = [];
  const failing = () => { calls.push(Date.now()); return Promise.reject(new DeliveryError('slack: 503 service_unavailable', false)); };
  const desk: DeskAdapter = { desk: 'slack', upsertCase: failing, postThread: failing, postPhoto: failing };
  const d = new Dispatcher({ store: h.store, vault: h.core.vault, log: memoryLogger(), pollMs: 50, maxInFlight: 4, deskView: (id) => h.casework.deskView(id) });
  ds.push(d); d.register(nullAdapter); d.registerDesk(desk); d.start();
  const t0 = Date.now();
  await sleep(20_000);
  const gaps = calls.map((c, i) => (i ? c - calls[i - 1]! : c - t0));
  console.log('B calls', calls.length, 'gaps', gaps);
  console.log('B rows', slackRows().map((r) => [r.id, (r.payload as any).type, r.attempts]));
}, 30_000);
