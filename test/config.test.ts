import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, withDotEnv } from '../src/config.ts';

const ROOT = path.resolve(import.meta.dirname, '..');

function errorFor(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration', () => {
  it('has the documented defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.host).toBe('127.0.0.1');
    expect(c.port).toBe(3000);
    expect(c.dbPath).toBe(path.resolve('data/tipline.db'));
    expect(c.defaultLocale).toBe('zh-CN');
    expect(c.emergencyNumber).toBe('110');
    expect(c.telegram).toBeUndefined();
    expect(c.slack).toBeUndefined();
    expect(c.secret).toBeUndefined();
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ TIPLINE_DEFAULT_LOCALE: 'xx-YY' }, 'TIPLINE_DEFAULT_LOCALE'],
    [{ TIPLINE_EMERGENCY_NUMBER: 'call someone' }, 'TIPLINE_EMERGENCY_NUMBER'],
    [{ TIPLINE_SECRET: 'short' }, 'TIPLINE_SECRET'],
    [{ TELEGRAM_BOT_TOKEN: 'not-a-token' }, 'TELEGRAM_BOT_TOKEN'],
    [{ TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_LIBRARY: 'pyrogram' }, 'TELEGRAM_LIBRARY'],
    [{ TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_API_ROOT: 'http://127.0.0.1:9000/' }, 'TELEGRAM_API_ROOT'],
    [{ TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_WEBHOOK_URL: 'https://example.org/tg' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_CASEWORKERS: 'U123' }, 'SLACK_CHANNEL'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_CHANNEL: 'C1' }, 'SLACK_CASEWORKERS'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CHANNEL: 'C1', SLACK_CASEWORKERS: 'U123' }, 'SLACK_SIGNING_SECRET'],
    [{ SLACK_CHANNEL: 'C1' }, 'SLACK_BOT_TOKEN'],
    [
      { TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_WEBHOOK_URL: 'https://example.org/api/messages', TELEGRAM_WEBHOOK_SECRET: 's' },
      'TELEGRAM_WEBHOOK_URL',
    ],
  ])('%o names %s', (env, variable) => {
    const e = errorFor(env);
    expect(e.variable).toBe(variable);
    expect(e.message.startsWith(`${variable}:`)).toBe(true);
  });

  it('never echoes a secret value in an error', () => {
    const e = errorFor({ TIPLINE_SECRET: 'hunter2' });
    expect(e.message).not.toContain('hunter2');
  });

  it('reads .env without overriding the real environment', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tipline-env-'));
    try {
      writeFileSync(path.join(dir, '.env'), '# comment\nPORT=4000\nHOST="0.0.0.0"\nTIPLINE_EMERGENCY_NUMBER=112 # EU\n');
      const env = withDotEnv({ PORT: '5000' }, dir);
      expect(env.PORT).toBe('5000');
      expect(env.HOST).toBe('0.0.0.0');
      expect(env.TIPLINE_EMERGENCY_NUMBER).toBe('112');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('npm start with a bad variable stops with one line naming it', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, PORT: 'not-a-port', TIPLINE_DB: path.join(tmpdir(), 'never-created', 'x.db') },
      encoding: 'utf8',
      timeout: 20_000,
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/^tipline: configuration error: PORT: /);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
