/**
 * The desk port (Slack's side of the core): every case change and follow-up is queued for the
 * desk in the same transaction, delivered in order per case, and shows no identity.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/core.ts';
import { RecordingDesk } from '../helpers/recording-desk.ts';

let h: Harness;
let desk: RecordingDesk;
beforeEach(() => {
  h = createHarness({ desks: ['slack'] });
  desk = new RecordingDesk();
  h.dispatcher.registerDesk(desk);
});
afterEach(() => h.close());

const drain = async () => {
  for (let i = 0; i < 5; i++) await h.dispatcher.runOnce();
};

describe('desk events', () => {
  it('a case is posted once, then updated in place; follow-ups, replies and notes go to its thread, in order', async () => {
    const code = (await h.say('tg-user-555001', { text: '我在火车站看到7号孩子' })).find((m) => m.caseCode)!.caseCode!;
    await drain();
    expect(desk.log).toEqual([`post ${code} new`]);
    await h.say('tg-user-555001', { text: '那个女人穿蓝色外套' });
    h.casework.claim(code, 'slack:U1');
    h.casework.reply(code, 'slack:U1', { text: '谢谢，请问是几点？' });
    h.casework.note(code, 'slack:U1', 'called the station');
    await drain();
    // Three redraws were queued behind the thread lines; only the last is drawn (it shows the
    // case as it is now), the earlier ones are marked superseded without calling the desk.
    expect(desk.log.slice(1)).toEqual([
      `update ${code} new`,
      expect.stringMatching(/^thread 1700000000\.1 reporter: 那个女人穿蓝色外套$/),
      expect.stringMatching(/^thread 1700000000\.1 caseworker: 谢谢/),
      expect.stringMatching(/^thread 1700000000\.1 note: called the station$/),
      `update ${code} claimed`,
    ]);
    const rows = h.store.outbox.forCase(h.casework.find(code).id).filter((o) => o.destination === 'desk');
    expect(rows.every((o) => o.state === 'sent')).toBe(true);
    expect(rows.filter((o) => o.lastError?.startsWith('superseded'))).toHaveLength(2);
    const json = JSON.stringify(desk.views);
    expect(json).not.toContain('555001');
    expect(desk.views.at(-1)).toMatchObject({ code, children: [7], claimedBy: 'slack:U1', followUps: 1, contact: null, languageName: 'Chinese (Simplified)' });
  });

  it('while the desk is down nothing is lost and the thread waits for its case message', async () => {
    desk.failUpserts = 2;
    const code = (await h.say('r', { text: 'They are selling a baby tonight at the bus station' })).find((m) => m.caseCode)!.caseCode!;
    await h.say('r', { text: 'Two men, a white van' });
    await drain();
    await drain();
    expect(desk.log[0]).toBe(`post ${code} new`);
    expect(desk.log.findIndex((l) => l.includes('white van'))).toBeGreaterThan(0);
    expect(desk.views[0]!.urgent).toBe(true);
  });

  it('with no desk switched on, nothing is queued for one', async () => {
    const plain = createHarness();
    try {
      await plain.say('x', { text: '我在火车站看到7号孩子' });
      const n = (plain.store.db.prepare(`SELECT count(*) n FROM outbox WHERE destination = 'desk'`).get() as { n: number }).n;
      expect(n).toBe(0);
    } finally {
      plain.close();
    }
  });
});
