import { describe, it, expect } from 'vitest';
import { findPii, findPiiMatches, PII_KINDS, redactPii, triage } from '../../src/core/triage/index.ts';

describe('phone numbers (libphonenumber metadata)', () => {
  it.each([
    ['电话 13812345678', 'CN mobile'],
    ['+86 138 1234 5678', 'CN with country code'],
    ['0086 138 1234 5678', 'CN with 00'],
    ['(010) 12345678', 'CN landline'],
    ['+852 5123 4567', 'HK'],
    ['WhatsApp: 6123 4567', 'HK, local, with a phone word'],
    ['+853 6123 4567', 'MO'],
    ['0912-345-678', 'TW mobile'],
    ['+886 912 345 678', 'TW international'],
    ['sđt 091 428 9199', 'VN'],
    ['+84 94 258 3555', 'VN international'],
    ['โทร 082-644-9928', 'TH'],
    ['+66 82 774 3766', 'TH international'],
    ['ဖုန်း ၀၉၄၅၁၂၃၄၅၆၇', 'MM in Burmese digits'],
    ['+95 9 451 234 567', 'MM international'],
    ['+856 20 5123 4567', 'LA'],
    ['+855 12 345 678', 'KH'],
    ['call me on +44 20 7946 0958', 'any +country code'],
  ])('%s is a phone (%s)', (text) => {
    expect(findPii(text)).toEqual(['phone']);
  });

  it.each([
    ['born 2013-01-15', 'an ISO date'],
    ['15/01/2013', 'a day-first date'],
    ['20130115', 'a compact date'],
    ['case number 12345678 please', 'eight bare digits without a phone word'],
    ['I paid 20000 yuan', 'an amount'],
    ['No.7 at 7pm on 2013-02-07', 'children, times and dates'],
  ])('%s is no phone (%s)', (text) => {
    expect(findPii(text)).not.toContain('phone');
  });

  it('never swallows a resident ID or a bank card', () => {
    expect(findPii('身份证530102199001011231手机13812345678')).toEqual(['phone', 'id_number']);
    expect(findPii('卡号 6222021234567890128')).toEqual(['bank_card']);
    expect(findPii('card 6222 0212 3456 7890 128')).toEqual(['bank_card']);
    const spans = findPiiMatches('身份证 11010519491231002X 电话 +86 138 1234 5678');
    expect(spans.map((m) => [m.kind, m.text])).toEqual([
      ['id_number', '11010519491231002X'],
      ['phone', '+86 138 1234 5678'],
    ]);
  });

  it('finds two phones written one after the other', () => {
    expect(findPiiMatches('13812345678 13987654321').map((m) => m.text)).toEqual(['13812345678', '13987654321']);
  });
});

describe('WeChat and QQ', () => {
  it('lists qq right after wechat', () => {
    expect(PII_KINDS.indexOf('qq')).toBe(PII_KINDS.indexOf('wechat') + 1);
  });
  it.each([
    ['微信: abc_123', ['wechat']],
    ['wx: lily_2010', ['wechat']],
    ['vx：ab-lily515', ['wechat']],
    ['V信 yz-tip182', ['wechat']],
    ['加v wang_88', ['wechat']],
    ['QQ 12345678', ['qq']],
    ['QQ号：434810211', ['qq']],
    ['加扣扣32444137', ['qq']],
    ['my qq is 987654321', ['qq']],
    ['qq群很好玩', []],
    ['I love vx', []],
  ])('%s → %j', (text, kinds) => {
    expect(findPii(text)).toEqual(kinds);
  });
  it('a number after QQ is a QQ number, not a phone', () => {
    expect(findPii('QQ 13812345678')).toEqual(['qq']);
  });
});

describe('redactPii', () => {
  it('replaces each piece of personal data by its kind', () => {
    expect(redactPii('电话 138-1234-5678，身份证 11010519491231002X')).toBe('电话 [phone],身份证 [id_number]');
    expect(redactPii('mail li.ming@example.com or see https://x.example.com/a')).toBe('mail [email] or see [url]');
    expect(redactPii('QQ号:123456789 微信: abc_123')).toBe('QQ号:[qq] 微信: [wechat]');
  });
  it('keeps text without personal data, and never throws', () => {
    expect(redactPii('我看到7号宝宝')).toBe('我看到7号宝宝');
    expect(redactPii('')).toBe('');
    expect(redactPii(undefined as unknown as string)).toBe('');
  });
  it('leaves no digit of a phone behind', () => {
    const out = redactPii('call +84 94 258 3555 or 0912-345-678 now');
    expect(out).toBe('call [phone] or [phone] now');
  });
});

describe('triage reports qq among the pii kinds', () => {
  it('in a tip with several contact details', () => {
    const r = triage('我看到7号了，QQ 12345678，电话 13812345678');
    expect(r.pii).toEqual(['phone', 'qq']);
    expect(r.reasons).toContain('pii:qq');
  });
});
