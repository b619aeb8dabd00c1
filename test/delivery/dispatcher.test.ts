/**
 * The dispatcher on a real SQLite file: crash recovery (once more, never a third time), a 429
 * honoured exactly for the whole channel, an outage probed rather than hammered and drained in
 * order afterwards, one channel never holding up another, and a bounded drain on stop.
 */
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { eventually } from '../helpers/eventually.ts';
import {
  DeliveryError,
  type DeliveryAddress,
  type DeliveryMeta,
  type DeskAdapter,
  type OutboundMessage,
  type ReporterAdapter,
} from '../../src/core/types.ts';
import { Dispatcher } from '../../src/dispatcher.ts';
import { memoryLogger } from '../../src/log.ts';
import { createHarness, type Harness } from '../helpers/core.ts';

let h: Harness;
const extra: Dispatcher[] = [];
afterEach(async () => {
  for (const d of extra.splice(0)) await d.stop(1000);
  await h.dispatcher.stop(1000);
  h.close();
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A reporter adapter whose behaviour each test scripts. */
class ScriptedAdapter implements ReporterAdapter {
  readonly channel = 'fake';
  calls: { at: number; to: string; text: string; meta: DeliveryMeta }[] = [];
  behave: (n: number, to: DeliveryAddress) => Promise<void> = async () => {};
  async send(to: DeliveryAddress, message: OutboundMessage, meta: DeliveryMeta): Promise<void> {
    this.calls.push({ at: Date.now(), to: to.senderRef, text: message.text, meta });
    await this.behave(this.calls.length, to);
  }
}

function dispatcherFor(adapter: ReporterAdapter, opts: Partial<ConstructorParameters<typeof Dispatcher>[0]> = {}): Dispatcher {
  const d = new Dispatcher({ store: h.store, vault: h.core.vault, log: memoryLogger(), pollMs: 50, deskView: (id) => h.casework.deskView(id), ...opts });
  d.register(adapter);
  extra.push(d);
  return d;
}

/** Queues replies for `n` reporters without sending them (the core writes the outbox). */
async function queueFor(n: number, prefix = 'r'): Promise<void> {
  for (let i = 0; i < n; i++) {
    await h.core.processMessage({
      channel: 'fake',
      conversationRef: `chat-${prefix}${i}`,
      senderRef: `${prefix}${i}`,
      platformMessageId: `${prefix}-m${i}`,
      text: `I saw the child from poster number ${i + 1} at the bus station yesterday`,
      receivedAt: new Date(),
    });
  }
}

/** A Slack stand-in taking 20 ms a post, recording each case drawn (urgent ones marked). */
function slowDesk(posted: string[]): DeskAdapter {
  return {
    desk: 'slack',
    upsertCase: async (view, existing) => {
      posted.push(`${view.urgent ? 'URGENT ' : ''}${view.code}`);
      await sleep(20);
      return existing ?? { channel: 'C1', ts: `${posted.length}.0` };
    },
    postThread: async () => {},
    postPhoto: async () => {},
  };
}

const pending = () => h.store.outbox.list('pending', 10_000);

describe('dispatcher', () => {
  it('after a crash, a send that may have happened is sent once more — and never a third time', async () => {
    h = createHarness();
    await queueFor(3);
    const rows = pending();
    expect(rows.length).toBeGreaterThanOrEqual(3);
    // The crash: the rows were taken; the first ones' sends had started (the platform may have
    // them), the last was still waiting its turn in a rate limiter.
    const now = new Date().toISOString();
    h.store.transaction(() => h.store.outbox.claim(rows.map((r) => r.id), now));
    for (const r of rows.slice(0, -1)) h.store.outbox.markSending(r.id, now);
    const adapter = new ScriptedAdapter();
    const d = dispatcherFor(adapter);
    expect(d.start()).toEqual({ retried: rows.length - 1, dead: 0, released: 1 });
    await eventually(() => pending().length === 0);
    expect(adapter.calls).toHaveLength(rows.length);
    for (const r of rows.slice(0, -1)) expect(h.store.outbox.get(r.id)).toMatchObject({ state: 'sent', interrupted: 1 });
    // Waiting its turn is not "may have been sent": no interruption counted against it.
    expect(h.store.outbox.get(rows.at(-1)!.id)).toMatchObject({ state: 'sent', interrupted: 0, attempts: 1 });
    await d.stop();

    // A row already sent once more after a crash, interrupted again: not risked a third time.
    await queueFor(1, 'again');
    const [row] = pending();
    h.store.db.prepare('UPDATE outbox SET interrupted = 1 WHERE id = ?').run(row!.id);
    h.store.transaction(() => h.store.outbox.claim([row!.id], new Date().toISOString()));
    h.store.outbox.markSending(row!.id, new Date().toISOString());
    const d2 = dispatcherFor(new ScriptedAdapter());
    expect(d2.start()).toMatchObject({ dead: 1 });
    expect(h.store.outbox.get(row!.id)).toMatchObject({ state: 'dead', interrupted: 2 });
    expect(h.store.outbox.get(row!.id)!.lastError).toMatch(/interrupted twice while sending/);
  });

  it('a 429 holds the row and its whole channel for exactly retry_after; nothing else reaches the platform meanwhile', async () => {
    h = createHarness();
    await queueFor(4);
    const adapter = new ScriptedAdapter();
    adapter.behave = async (n) => {
      if (n === 1) throw DeliveryError.rateLimited('telegram 429: Too Many Requests: retry after 1', 700);
    };
    const results: string[] = [];
    const d = dispatcherFor(adapter, { maxInFlight: 1, onResult: (_c, r) => results.push(r) });
    d.start();
    await eventually(() => pending().length === 0, 8000);
    const [first, second] = adapter.calls;
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(695);
    expect(results.filter((r) => r === 'rate_limited')).toHaveLength(1);
    // The refused message went again, first: the 429 did not cost it its place.
    expect(second!.to).toBe(first!.to);
  });

  it('a platform that is down is probed one send at a time, then the backlog goes in priority and queue order', async () => {
    h = createHarness();
    await queueFor(12);
    const adapter = new ScriptedAdapter();
    let down = true;
    adapter.behave = async () => {
      if (down) throw new DeliveryError('telegram 502: Bad Gateway', false);
    };
    const d = dispatcherFor(adapter, { maxInFlight: 4, pauseAfterFailures: 3 });
    d.start();
    await sleep(2500);
    // 4 in flight when it broke, then probes after pauses of ~1 s, ~2 s: not a storm.
    expect(adapter.calls.length).toBeLessThanOrEqual(4 + 3);
    expect(d.paused().fake?.reason).toMatch(/502/);
    const waiting = pending();
    const byId = new Map(waiting.map((r) => [r.id, r]));
    down = false;
    const before = adapter.calls.length;
    await eventually(() => pending().length === 0, 10_000);
    const sent = adapter.calls.slice(before).map((c) => byId.get(Number(c.meta.idempotencyKey.split(':')[1]))!);
    expect(sent).toHaveLength(waiting.length);
    // Each reporter's messages in their order…
    for (const key of new Set(waiting.map((r) => r.orderKey))) {
      const ids = sent.filter((r) => r.orderKey === key).map((r) => r.id);
      expect(ids).toEqual([...ids].sort((a, b) => a - b));
    }
    // …and reporters taken in queue order, starting with the probe (the head of the queue).
    const firsts = [...new Set(sent.map((r) => r.orderKey))];
    const queueOrder = [...new Set(waiting.sort((a, b) => b.priority - a.priority || a.id - b.id).map((r) => r.orderKey))].filter((k) => firsts.includes(k));
    expect(firsts).toEqual(queueOrder);
    expect(d.paused()).toEqual({});
  });

  it('a desk that hangs never holds up a reporter’s reply', async () => {
    h = createHarness({ desks: ['slack'] });
    const hung: DeskAdapter = {
      desk: 'slack',
      upsertCase: () => new Promise(() => {}),
      postThread: () => new Promise(() => {}),
      postPhoto: () => new Promise(() => {}),
    };
    const adapter = new ScriptedAdapter();
    const d = dispatcherFor(adapter);
    d.registerDesk(hung);
    d.start();
    await queueFor(5);
    await eventually(() => adapter.calls.length >= 5, 3000);
    expect(h.store.outbox.depth().channels.slack?.pending).toBeGreaterThanOrEqual(5);
  });

  it('an urgent case jumps the Slack backlog; reporters’ replies never wait behind it', async () => {
    h = createHarness({ desks: ['slack'] });
    const posted: string[] = [];
    const slow = slowDesk(posted);
    await queueFor(20, 'bulk');
    const adapter = new ScriptedAdapter();
    const d = dispatcherFor(adapter, { maxInFlight: 1 });
    d.registerDesk(slow);
    d.start();
    await eventually(() => posted.length >= 2);
    await h.core.processMessage({
      channel: 'fake',
      conversationRef: 'chat-urgent',
      senderRef: 'urgent',
      platformMessageId: 'urgent-1',
      text: 'They are selling the baby tonight at the east bus station, right now they are waiting',
      receivedAt: new Date(),
    });
    await eventually(() => posted.some((p) => p.startsWith('URGENT')), 5000);
    // Ahead of the ~18 ordinary cases still waiting: at most the one in flight went before it.
    const at = posted.findIndex((p) => p.startsWith('URGENT'));
    expect(at).toBeLessThanOrEqual(4);
    expect(h.store.outbox.depth().channels.slack?.pending).toBeGreaterThanOrEqual(14);
    // The reporters' replies went out meanwhile, not after the backlog.
    expect(adapter.calls.filter((c) => c.to === 'urgent').length).toBeGreaterThan(0);
  });

  it('a case that becomes urgent later jumps the backlog, with its earlier rows', async () => {
    h = createHarness({ desks: ['slack'] });
    const posted: string[] = [];
    const slow = slowDesk(posted);
    await queueFor(20, 'bulk');
    const last = h.casework.queue().map((c) => c.code).at(-1)!;
    const d = dispatcherFor(new ScriptedAdapter(), { maxInFlight: 1 });
    d.registerDesk(slow);
    d.start();
    await eventually(() => posted.length >= 2);
    h.casework.escalate(last, 'slack:U1');
    await eventually(() => posted.some((p) => p.startsWith('URGENT')), 5000);
    // Its first (bulk) row was raised with it: not left at the back of the queue.
    expect(posted.findIndex((p) => p.includes(last))).toBeLessThanOrEqual(4);
  });

  it('a case whose first Slack post was given up still reaches the desk with its next line', async () => {
    h = createHarness({ desks: ['slack'] });
    const log: string[] = [];
    const desk: DeskAdapter = {
      desk: 'slack',
      upsertCase: async (view, existing) => {
        log.push(`${existing ? 'update' : 'post'} ${view.code}`);
        return existing ?? { channel: 'C1', ts: '1.0' };
      },
      postThread: async (_ref, view, line) => void log.push(`thread ${view.code} ${line.author}`),
      postPhoto: async () => {},
    };
    await queueFor(1);
    const code = h.casework.queue()[0]!.code;
    // The case's first post died (say the bot was not in the channel then), and an operator left it.
    const first = h.store.outbox.forCase(h.casework.find(code).id).find((o) => o.destination === 'desk')!;
    h.store.outbox.markDead(first.id, 'slack: not_in_channel');
    h.casework.note(code, 'cli:ops', 'called the station');
    const d = dispatcherFor(new ScriptedAdapter());
    d.registerDesk(desk);
    d.start();
    await eventually(() => log.some((l) => l.startsWith('thread')), 5000);
    expect(log[0]).toBe(`post ${code}`);
    expect(log).toContain(`thread ${code} note`);
    await eventually(() => (h.store.outbox.depth().channels.slack?.pending ?? 0) === 0, 5000);
  });

  it('while the store cannot be written (another process holds it), outcomes wait and are written after; nothing stays taken', async () => {
    h = createHarness();
    // (A shorter wait for the lock than production's 5 s keeps the test short; same paths.)
    h.store.db.pragma('busy_timeout = 300');
    const other = new Database(h.dbPath);
    other.pragma('busy_timeout = 10000');
    await queueFor(2);
    const adapter = new ScriptedAdapter();
    let release: () => void = () => {};
    adapter.behave = async (n) => {
      if (n === 1) {
        // The CLI (another connection) takes the write lock for longer than the busy timeout.
        other.exec('BEGIN IMMEDIATE');
        release = () => other.exec('COMMIT');
      }
    };
    const d = dispatcherFor(adapter);
    d.start();
    await eventually(() => adapter.calls.length >= 1);
    await sleep(1500);
    release();
    await eventually(() => pending().length === 0, 15_000);
    expect(h.store.outbox.list('pending')).toEqual([]);
    expect(h.store.db.prepare('SELECT count(*) n FROM outbox WHERE in_flight_since IS NOT NULL').get()).toEqual({ n: 0 });
    other.close();
  });

  it('stop() lets the send under way finish, hands back the ones waiting unsent, and counts no attempt for them', async () => {
    h = createHarness();
    await queueFor(1);
    for (let i = 0; i < 4; i++) {
      await h.core.processMessage({
        channel: 'fake',
        conversationRef: 'chat-r0',
        senderRef: 'r0',
        platformMessageId: `more-${i}`,
        text: `more detail number ${i}: a white van, two men`,
        receivedAt: new Date(),
      });
    }
    const total = pending().length;
    const adapter = new ScriptedAdapter();
    adapter.behave = async () => void (await sleep(150));
    const d = dispatcherFor(adapter);
    d.start();
    await eventually(() => adapter.calls.length === 1);
    await d.stop(2000);
    expect(adapter.calls).toHaveLength(1);
    const left = pending();
    expect(left).toHaveLength(total - 1);
    expect(left.every((r) => r.attempts === 0 && r.inFlightSince === null)).toBe(true);
  });
});
