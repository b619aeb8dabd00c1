/**
 * Vietnamese typed without diacritics, Cantonese child and "now" words, and dangers to a child's
 * body that are present by their nature (phrasings written for these tests).
 */
import { describe, expect, it } from 'vitest';
import { triage } from '../../src/core/triage/index.ts';
import { foldLatinDiacritics } from '../../src/core/triage/rules-vi-unaccented.ts';

const rules = (text: string) => triage(text, { models: false });

describe('Vietnamese without diacritics', () => {
  it('folds Latin letters only', () => {
    expect(foldLatinDiacritics('Đứa bé bị đánh ở chợ')).toBe('Dua be bi danh o cho');
    expect(foldLatinDiacritics('café naïve')).toBe('cafe naive');
    // Thai and Burmese marks are not Latin: left alone.
    expect(foldLatinDiacritics('เด็กหมดสติ ကလေး')).toBe('เด็กหมดสติ ကလေး');
  });

  it('applies the Vietnamese rules to unaccented Vietnamese, once', () => {
    const plain = rules('toi muon nhan nuoi mot be gai');
    expect(plain.language).toBe('vi');
    expect(plain.category).toBe('adoption');
    const accented = rules('Tôi muốn nhận nuôi một bé gái');
    expect(accented.category).toBe('adoption');
    // Text with diacritics is matched by the accented set only: no keyword counted twice.
    const hits = accented.reasons.filter((r) => r.startsWith('category:adoption:'));
    expect(new Set(hits).size).toBe(hits.length);
  });

  it('never reads English through the Vietnamese set', () => {
    const r = rules('please ban this account, it keeps posting the same ad');
    expect(r.language).toBe('en');
    expect(r.reasons.some((x) => x.startsWith('category:'))).toBe(true);
    expect(r.category).not.toBe('tip');
  });
});

describe('dangers present by their nature', () => {
  it.each([
    '那个孩子叫不醒，呼吸很弱，就在我们楼下',
    'the baby next door is limp and barely breathing, the woman says it is just sleeping',
    'เด็กหมดสติอยู่ในห้องเช่าข้างบ้าน ไม่มีใครให้นม',
    'em be bi chuoc thuoc ngu, nam im trong phong tro',
  ])('urgent: %s', (text) => {
    expect(rules(text).urgent, JSON.stringify(rules(text).reasons)).toBe(true);
  });

  it.each([
    '2015年邻居家的孩子被下了药卖掉了，现在不知道在哪',
    'Is it true traffickers give babies sleeping pills?',
  ])('not urgent: %s', (text) => {
    expect(rules(text).urgent, JSON.stringify(rules(text).reasons)).toBe(false);
  });
});

describe('Cantonese', () => {
  it('hears a baby (BB) and now (而家)', () => {
    const r = triage('而家有個男人攬住個BB喺巴士站，BB成身紅印，佢話交咗貨就走');
    expect(r.urgent, JSON.stringify(r.reasons)).toBe(true);
    expect(r.category).toBe('tip');
  });
});
