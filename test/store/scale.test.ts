/**
 * Migration 4 (scale): the queue comes from indexes in its order, `stats` and `/metrics` from
 * counts the triggers keep exact, a case's deliveries from an index — and an existing store
 * upgrades with its counts right.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/store/db.ts';
import { Store } from '../../src/store/index.ts';
import { MIGRATIONS } from '../../src/store/migrations/index.ts';
import type { TriageResult } from '../../src/core/types.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tipline-scale-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TRIAGE: TriageResult = { category: 'tip', urgent: false, language: 'en', children: [], pii: [], reasons: [], spamScore: 0, greeting: false };

function addCase(store: Store, reporterId: number, code: string, priority: 'urgent' | 'normal' | 'low', at: string, category: 'tip' | 'spam' = 'tip') {
  return store.cases.insert({
    code,
    reporterId,
    identityId: null,
    category,
    priority,
    language: 'en',
    locale: 'en',
    children: [],
    triage: TRIAGE,
    details: {},
    contactEnc: null,
    spamScore: 0,
    now: at,
  })!.id;
}

/** What the counts must equal: the table itself, grouped. */
function grouped(store: Store) {
  return store.db
    .prepare('SELECT category, priority, status, count(*) n FROM cases GROUP BY category, priority, status ORDER BY category, priority, status')
    .all();
}

describe('migration 4: scale', () => {
  it('the queue is most urgent first, then oldest, read from an index without sorting', () => {
    const store = Store.open(path.join(dir, 'q.db'));
    const r = store.reporters.createReporter('2024-01-01T00:00:00.000Z').id;
    addCase(store, r, 'TL-0000-0001', 'low', '2024-01-01T00:00:01.000Z');
    addCase(store, r, 'TL-0000-0002', 'normal', '2024-01-01T00:00:03.000Z');
    const closedUrgent = addCase(store, r, 'TL-0000-0003', 'urgent', '2024-01-01T00:00:00.500Z');
    addCase(store, r, 'TL-0000-0004', 'urgent', '2024-01-01T00:00:04.000Z');
    addCase(store, r, 'TL-0000-0005', 'normal', '2024-01-01T00:00:02.000Z');
    store.cases.update(closedUrgent, { status: 'closed' }, '2024-01-02T00:00:00.000Z');

    expect(store.cases.queue().map((c) => c.code)).toEqual(['TL-0000-0004', 'TL-0000-0005', 'TL-0000-0002', 'TL-0000-0001']);
    expect(store.cases.queue({ limit: 2 }).map((c) => c.code)).toEqual(['TL-0000-0004', 'TL-0000-0005']);
    expect(store.cases.queue({ includeClosed: true }).map((c) => c.code)).toEqual([
      'TL-0000-0003',
      'TL-0000-0004',
      'TL-0000-0005',
      'TL-0000-0002',
      'TL-0000-0001',
    ]);
    expect(store.cases.queue()[0]!.pseudonym).toMatch(/^[0-9A-F]+$/);

    const plan = (sql: string) => (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((p) => p.detail).join('; ');
    const queueSql = `SELECT c.id FROM cases c INDEXED BY cases_open_queue WHERE c.status != 'closed'
      ORDER BY (CASE c.priority WHEN 'urgent' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END), c.created_at, c.id LIMIT 50`;
    expect(plan(queueSql)).not.toMatch(/TEMP B-TREE/);
    expect(plan('SELECT * FROM outbox WHERE case_id = 1 ORDER BY id')).toMatch(/USING INDEX outbox_case/);
    store.close();
  });

  it('stats and metrics counts stay exact through inserts, changes and deletes', () => {
    const store = Store.open(path.join(dir, 'c.db'));
    const r = store.reporters.createReporter('2024-01-01T00:00:00.000Z').id;
    const a = addCase(store, r, 'TL-0000-000A', 'normal', '2024-01-01T00:00:01.000Z');
    const b = addCase(store, r, 'TL-0000-000B', 'urgent', '2024-01-01T00:00:02.000Z');
    addCase(store, r, 'TL-0000-000C', 'low', '2024-01-01T00:00:03.000Z', 'spam');
    store.cases.update(a, { status: 'claimed', claimedBy: 'alice' }, '2024-01-01T00:01:00.000Z');
    store.cases.update(b, { status: 'closed', priority: 'urgent' }, '2024-01-01T00:02:00.000Z');
    store.cases.update(a, { category: 'family', details: { x: 1 } }, '2024-01-01T00:03:00.000Z');
    store.cases.update(a, { lastReporterAt: '2024-01-01T00:04:00.000Z' }, '2024-01-01T00:04:00.000Z');
    // Raw SQL too (another process, an operator): the triggers see every write.
    store.db.prepare(`UPDATE cases SET status = 'new' WHERE id = ?`).run(b);
    store.db.prepare('DELETE FROM audit_log').run();
    store.db.prepare(`DELETE FROM cases WHERE code = 'TL-0000-000C'`).run();

    expect(store.cases.breakdown()).toEqual(grouped(store));
    expect(store.cases.counts()).toEqual({
      byStatus: { claimed: 1, new: 1 },
      byCategory: { family: 1, tip: 1 },
      urgentOpen: 1,
      total: 2,
    });
    expect(Object.keys(store.cases.counts().byStatus)).toEqual(['claimed', 'new']);
    store.close();
  });

  it('a store from before it upgrades with its indexes and its counts right', () => {
    const file = path.join(dir, 'old.db');
    const old = openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version < 4) });
    old.prepare(`INSERT INTO reporters (id, pseudonym, created_at) VALUES (1, 'AB', 'x')`).run();
    const ins = old.prepare(
      `INSERT INTO cases (code, reporter_id, category, priority, status, language, locale, created_at, updated_at, last_reporter_at)
       VALUES (?, 1, ?, ?, ?, 'en', 'en', ?, ?, ?)`,
    );
    ins.run('TL-0000-0011', 'tip', 'normal', 'new', '2024-01-02', '2024-01-02', '2024-01-02');
    ins.run('TL-0000-0012', 'tip', 'urgent', 'closed', '2024-01-01', '2024-01-01', '2024-01-01');
    ins.run('TL-0000-0013', 'family', 'urgent', 'claimed', '2024-01-03', '2024-01-03', '2024-01-03');
    old.close();

    const store = Store.open(file);
    expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(store.cases.breakdown()).toEqual(grouped(store));
    expect(store.cases.counts()).toMatchObject({ urgentOpen: 1, total: 3 });
    expect(store.cases.queue().map((c) => c.code)).toEqual(['TL-0000-0013', 'TL-0000-0011']);
    const indexes = (store.db.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['cases_open_queue', 'cases_rank', 'outbox_case']));
    expect(indexes).not.toContain('cases_queue');
    expect(indexes).not.toContain('outbox_due');
    store.close();
  });
});
