import { describe, expect, it } from 'vitest';
import { safeFields } from '../src/log.ts';

describe('log lines', () => {
  it('mask contact details and identity numbers a message quotes, and secrets by key; links stay', () => {
    const { msg, fields } = safeFields('reporter wrote 13812345678 and test@example.org', {
      error: 'send failed for 微信: abc_helper88, id 11010519491231002X',
      token: 'xoxb-not-a-real-token',
      url: 'http://127.0.0.1:3000/',
      count: 3,
    });
    expect(msg).not.toContain('13812345678');
    expect(msg).not.toContain('test@example.org');
    expect(msg).toContain('[phone]');
    expect(String(fields.error)).not.toContain('11010519491231002X');
    expect(String(fields.error)).not.toContain('abc_helper88');
    expect(fields.token).toBe('[redacted]');
    expect(fields.url).toBe('http://127.0.0.1:3000/');
    expect(fields.count).toBe(3);
  });
});
