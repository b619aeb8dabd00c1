import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateDatabase, openDatabase, StoreError } from '../../src/store/db.ts';
import { MIGRATIONS, type Migration } from '../../src/store/migrations/index.ts';
import { Store } from '../../src/store/index.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tipline-store-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const TABLES = [
  'reporters',
  'reporter_identities',
  'conversations',
  'cases',
  'case_messages',
  'attachments',
  'catalogue_children',
  'outbox',
  'processed_inbound',
  'audit_log',
  'webchat_transcript',
];

describe('migrations', () => {
  it('a fresh file gets every table, WAL, and user_version = latest', () => {
    const db = openDatabase(path.join(dir, 'a.db'));
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all().map((r) => (r as { name: string }).name);
    for (const t of TABLES) expect(tables).toContain(t);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    // What reporters wrote is readable by the tip line's user only.
    expect(statSync(path.join(dir, 'a.db')).mode & 0o077).toBe(0);
    db.close();
  });

  it('an existing file keeps its data and only runs newer migrations', () => {
    const file = path.join(dir, 'b.db');
    const store = Store.open(file);
    store.catalogue.upsert({ number: 7, sex: 'boy' }, new Date().toISOString());
    store.close();

    const ran: number[] = [];
    const next: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'test-add-column',
      up(db) {
        ran.push(this.version);
        db.exec('ALTER TABLE catalogue_children ADD COLUMN extra TEXT');
      },
    };
    const db = openDatabase(file, { migrations: [...MIGRATIONS, next] });
    expect(ran).toEqual([next.version]);
    expect(db.pragma('user_version', { simple: true })).toBe(next.version);
    expect(db.prepare('SELECT sex FROM catalogue_children WHERE number = 7').get()).toEqual({ sex: 'boy' });
    // Re-opening runs nothing again.
    expect(migrateDatabase(db, [...MIGRATIONS, next])).toEqual([]);
    db.close();
  });

  it('a failing migration rolls back whole and leaves user_version alone', () => {
    const file = path.join(dir, 'c.db');
    openDatabase(file).close();
    const broken: Migration = {
      version: MIGRATIONS.length + 1,
      name: 'broken',
      up(db) {
        db.exec('CREATE TABLE half_done (x INTEGER)');
        db.exec('THIS IS NOT SQL');
      },
    };
    expect(() => openDatabase(file, { migrations: [...MIGRATIONS, broken] })).toThrow(StoreError);
    const raw = new Database(file);
    expect(raw.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    expect(raw.prepare(`SELECT name FROM sqlite_master WHERE name = 'half_done'`).get()).toBeUndefined();
    raw.close();
  });

  it('a database from a newer program is refused with STORE_TOO_NEW', () => {
    const file = path.join(dir, 'd.db');
    const raw = new Database(file);
    raw.pragma('user_version = 999');
    raw.close();
    try {
      openDatabase(file);
      expect.unreachable();
    } catch (e) {
      expect((e as StoreError).code).toBe('STORE_TOO_NEW');
    }
  });

  it('a file that is not a database is a clear StoreError', () => {
    const file = path.join(dir, 'e.db');
    writeFileSync(file, 'definitely not sqlite '.repeat(100));
    expect(() => openDatabase(file)).toThrow(StoreError);
  });
});

describe('store', () => {
  it('a redelivered inbound key is refused', () => {
    const store = Store.open(path.join(dir, 'f.db'));
    expect(store.markInboundProcessed('telegram:1', 'now')).toBe(true);
    expect(store.markInboundProcessed('telegram:1', 'now')).toBe(false);
    store.close();
  });

  it('outbox keys are idempotent; due rows by priority across reporters, in order within one', () => {
    const store = Store.open(path.join(dir, 'g.db'));
    const now = new Date().toISOString();
    const r = store.reporters.createReporter(now);
    const id = store.reporters.createIdentity({
      reporterId: r.id,
      channel: 'webchat',
      lookupHash: Buffer.alloc(32, 1),
      senderEnc: Buffer.from('x'),
      conversationEnc: Buffer.from('y'),
      now,
    }).id;
    const other = store.reporters.createIdentity({
      reporterId: store.reporters.createReporter(now).id,
      channel: 'webchat',
      lookupHash: Buffer.alloc(32, 2),
      senderEnc: Buffer.from('x'),
      conversationEnc: Buffer.from('y'),
      now,
    }).id;
    expect(store.outbox.enqueue({ idempotencyKey: 'a', channel: 'webchat', identityId: id, payload: { n: 1 }, priority: 0, now })).toBe(true);
    expect(store.outbox.enqueue({ idempotencyKey: 'a', channel: 'webchat', identityId: id, payload: { n: 1 }, priority: 0, now })).toBe(false);
    store.outbox.enqueue({ idempotencyKey: 'b', channel: 'webchat', identityId: other, payload: { n: 2 }, priority: 20, now });
    store.outbox.enqueue({ idempotencyKey: 'a2', channel: 'webchat', identityId: id, payload: { n: 3 }, priority: 20, now });
    // Across reporters the higher priority goes first; within one reporter, order is kept.
    expect(store.outbox.due('webchat', now, 10).map((o) => o.idempotencyKey)).toEqual(['b', 'a']);
    // A reporter's earlier row waiting a few seconds for a retry holds back the next one…
    const a = store.outbox.due('webchat', now, 10).find((o) => o.idempotencyKey === 'a')!;
    store.outbox.markRetry(a.id, '429', new Date(Date.parse(now) + 5_000).toISOString());
    expect(store.outbox.due('webchat', now, 10).map((o) => o.idempotencyKey)).toEqual(['b']);
    // …but one in a long backoff does not silence the conversation.
    store.outbox.markRetry(a.id, '5xx', new Date(Date.parse(now) + 10 * 60_000).toISOString());
    expect(store.outbox.due('webchat', now, 10).map((o) => o.idempotencyKey)).toEqual(['b', 'a2']);
    store.close();
  });
});
