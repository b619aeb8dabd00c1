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
    [{ TIPLINE_FLOOD_PER_MINUTE: '1' }, 'TIPLINE_FLOOD_PER_MINUTE'],
    [{ TIPLINE_FLOOD_PER_MINUTE: 'lots' }, 'TIPLINE_FLOOD_PER_MINUTE'],
    [{ TIPLINE_SECRET: 'short' }, 'TIPLINE_SECRET'],
    [{ TELEGRAM_BOT_TOKEN: 'not-a-token' }, 'TELEGRAM_BOT_TOKEN'],
    [{ TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_LIBRARY: 'pyrogram' }, 'TELEGRAM_LIBRARY'],
    [{ TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_API_ROOT: 'http://127.0.0.1:9000/' }, 'TELEGRAM_API_ROOT'],
    [{ TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_WEBHOOK_URL: 'https://example.org/tg' }, 'TELEGRAM_WEBHOOK_SECRET'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_CASEWORKERS: 'U123' }, 'SLACK_CHANNEL'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_CHANNEL: 'C1' }, 'SLACK_CASEWORKERS'],
    [{ SLACK_BOT_TOKEN: 'xoxb-1', SLACK_CHANNEL: 'C1', SLACK_CASEWORKERS: 'U123' }, 'SLACK_SIGNING_SECRET'],
    [{ SLACK_CHANNEL: 'C1' }, 'SLACK_BOT_TOKEN'],
    [{ TELEGRAM_RATE_GLOBAL: '0' }, 'TELEGRAM_RATE_GLOBAL'],
    [{ TELEGRAM_RATE_GLOBAL: 'fast' }, 'TELEGRAM_RATE_GLOBAL'],
    [{ TELEGRAM_RATE_PER_CHAT: '-1' }, 'TELEGRAM_RATE_PER_CHAT'],
    [{ SLACK_RATE_PER_CHANNEL: '1e9' }, 'SLACK_RATE_PER_CHANNEL'],
    [{ SLACK_RATE_PER_METHOD: 'chat.update:50' }, 'SLACK_RATE_PER_METHOD'],
    [{ SLACK_RATE_PER_METHOD: 'chat.update=50/hour' }, 'SLACK_RATE_PER_METHOD'],
    [
      { TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_WEBHOOK_URL: 'https://example.org/api/messages', TELEGRAM_WEBHOOK_SECRET: 's' },
      'TELEGRAM_WEBHOOK_URL',
    ],
  ])('%o names %s', (env, variable) => {
    const e = errorFor(env);
    expect(e.variable).toBe(variable);
    expect(e.message.startsWith(`${variable}:`)).toBe(true);
  });

  it('platform limits: Telegram and Slack documented defaults, overridable', () => {
    const tg = { TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ' };
    const sl = { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's', SLACK_CHANNEL: 'C1', SLACK_CASEWORKERS: 'U123' };
    const c = loadConfig({ ...tg, ...sl });
    expect(c.telegram!.limits).toEqual({ global: { count: 30, windowMs: 1000 }, perChat: { count: 1, windowMs: 1000, burst: 3 } });
    expect(c.slack!.limits.perChannel).toEqual({ count: 1, windowMs: 1000 });
    expect(c.slack!.limits.perMethod['chat.update']).toEqual({ count: 50, windowMs: 60_000 });
    const d = loadConfig({ ...tg, ...sl, TELEGRAM_RATE_GLOBAL: '25', TELEGRAM_RATE_PER_CHAT: '0.5', SLACK_RATE_PER_METHOD: 'chat.update=100/min, views.publish=2/s' });
    expect(d.telegram!.limits.global).toEqual({ count: 25, windowMs: 1000 });
    expect(d.telegram!.limits.perChat).toEqual({ count: 0.5, windowMs: 1000, burst: 3 });
    expect(d.slack!.limits.perMethod).toMatchObject({
      'chat.update': { count: 100, windowMs: 60_000 },
      'files.uploadV2': { count: 20, windowMs: 60_000 },
      'views.publish': { count: 2, windowMs: 1000 },
    });
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
