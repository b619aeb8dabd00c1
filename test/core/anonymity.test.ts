/**
 * Anonymity in the data model: platform identities are only ever stored encrypted, found by a
 * keyed hash, and never shown to caseworkers unless the reporter shared contact details.
 */
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IdentityVault } from '../../src/crypto.ts';
import { createHarness, type Harness } from '../helpers/core.ts';

const SENDER = 'telegram-user-98765432101';
const CHAT = 'chat-55555555501';

let h: Harness;
beforeEach(() => {
  h = createHarness();
});
afterEach(() => h.close());

describe('anonymity', () => {
  it('the platform ids never reach the database file in the clear', async () => {
    await h.core.processMessage({
      channel: 'fake',
      senderRef: SENDER,
      conversationRef: CHAT,
      platformMessageId: '1',
      text: '我在车站看到7号孩子和一个男人',
      receivedAt: new Date(),
    });
    h.store.db.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(h.dbPath);
    expect(file.includes(Buffer.from(SENDER))).toBe(false);
    expect(file.includes(Buffer.from(CHAT))).toBe(false);
    // Sanity: the checkpoint reached the file (the tip text itself is stored for caseworkers).
    expect(file.includes(Buffer.from('我在车站'))).toBe(true);
  });

  it('caseworker views show a pseudonym, not the identity', async () => {
    await h.core.processMessage({
      channel: 'fake',
      senderRef: SENDER,
      conversationRef: CHAT,
      platformMessageId: '2',
      text: 'I saw child 3 at the market with a man in a red jacket',
      receivedAt: new Date(),
    });
    const [summary] = h.casework.queue();
    const detail = h.casework.show(summary!.code);
    const everything = JSON.stringify([summary, detail]);
    expect(everything).not.toContain(SENDER);
    expect(everything).not.toContain(CHAT);
    expect(detail.reporter).toMatch(/^Reporter [0-9A-F]+$/);
    expect(detail.contact).toBeNull();
  });

  it('identities are AES-GCM sealed: tampering or a wrong key fails, lookup hashes are keyed', () => {
    const a = new IdentityVault('a'.repeat(40));
    const b = new IdentityVault('b'.repeat(40));
    const sealed = a.encrypt(SENDER);
    expect(a.decrypt(sealed)).toBe(SENDER);
    expect(() => b.decrypt(sealed)).toThrow();
    const tampered = Buffer.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(() => a.decrypt(tampered)).toThrow();
    expect(a.encrypt(SENDER).equals(sealed)).toBe(false); // random IV
    expect(a.lookupHash('telegram', SENDER).equals(a.lookupHash('telegram', SENDER))).toBe(true);
    expect(a.lookupHash('telegram', SENDER).equals(b.lookupHash('telegram', SENDER))).toBe(false);
    expect(a.lookupHash('telegram', SENDER).equals(a.lookupHash('webchat', SENDER))).toBe(false);
  });

  it('the same person on two channels is two unlinked pseudonyms', async () => {
    const base = { senderRef: SENDER, conversationRef: CHAT, receivedAt: new Date() };
    await h.core.processMessage({ ...base, channel: 'fake', platformMessageId: 'x1', text: '我看到3号孩子在医院' });
    await h.core.processMessage({ ...base, channel: 'other', platformMessageId: 'x2', text: '我看到4号孩子在学校' });
    const reporters = new Set(h.casework.queue().map((c) => c.reporter));
    expect(reporters.size).toBe(2);
  });
});
