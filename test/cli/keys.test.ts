/**
 * The key that protects identities: created once, never silently replaced, and checked
 * against what the database holds — by start-up, by the CLI and by doctor.
 */
import { existsSync, mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openCore } from '../../src/app.ts';
import { runCli } from '../../src/cli/main.ts';
import { loadConfig } from '../../src/config.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'tipline-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function cli(args: string[], env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await runCli(args, { out: (s) => out.push(s), err: (s) => err.push(s), stdin: Readable.from(['']) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    process.env = saved;
  }
}

async function seed(db: string, env: Record<string, string> = {}) {
  const { core, store } = openCore(loadConfig({ TIPLINE_DB: db, ...env }));
  await core.processMessage({ channel: 'webchat', senderRef: 's', conversationRef: 's', platformMessageId: '1', text: '我在车站看到7号孩子', receivedAt: new Date() });
  store.close();
}

describe('the identity key', () => {
  it('is generated once with mode 0600 and reused', async () => {
    const db = path.join(dir, 'data', 'tipline.db');
    await seed(db);
    const again = openCore(loadConfig({ TIPLINE_DB: db }));
    expect(again.secretSource).toBe('file');
    again.store.close();
  });

  it('a lost key file is refused, never silently replaced', async () => {
    const db = path.join(dir, 'data', 'tipline.db');
    await seed(db);
    unlinkSync(path.join(dir, 'data', 'secret.key'));
    expect(() => openCore(loadConfig({ TIPLINE_DB: db }))).toThrow(/^TIPLINE_SECRET: .*secret\.key is missing/);
    expect(existsSync(path.join(dir, 'data', 'secret.key'))).toBe(false);
    const r = await cli(['cases'], { TIPLINE_DB: db });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/TIPLINE_SECRET/);
    expect(existsSync(path.join(dir, 'data', 'secret.key'))).toBe(false);
  });

  it('a wrong key is refused at start-up and reported by doctor', async () => {
    const db = path.join(dir, 'data', 'tipline.db');
    await seed(db, { TIPLINE_SECRET: 'the-right-secret-of-at-least-32-chars!!' });
    expect(() => openCore(loadConfig({ TIPLINE_DB: db, TIPLINE_SECRET: 'a-wrong-secret-of-at-least-32-characters' }))).toThrow(
      /^TIPLINE_SECRET: .*does not open the identities/,
    );
    const doc = await cli(['doctor'], { TIPLINE_DB: db, TIPLINE_SECRET: 'a-wrong-secret-of-at-least-32-characters', PORT: '1' });
    expect(doc.code).toBe(1);
    expect(doc.out).toMatch(/FAIL\s+secret\s+TIPLINE_SECRET does not open the stored identities/);
    const ok = await cli(['doctor'], { TIPLINE_DB: db, TIPLINE_SECRET: 'the-right-secret-of-at-least-32-chars!!', PORT: '1' });
    expect(ok.out).toMatch(/ok\s+secret\s+TIPLINE_SECRET opens the stored identities/);
  });

  it('casework in a folder without a database says so and creates nothing', async () => {
    const db = path.join(dir, 'elsewhere', 'tipline.db');
    const r = await cli(['cases'], { TIPLINE_DB: db });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/TIPLINE_DB: .*does not exist/);
    expect(existsSync(path.join(dir, 'elsewhere'))).toBe(false);
    const t = await cli(['doctor'], { TIPLINE_DB: db, PORT: '1' });
    expect(t.out).toMatch(/warn\s+database .*does not exist yet/);
    expect(existsSync(path.join(dir, 'elsewhere'))).toBe(false);
  });
});
