import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_FAMILY_LIMIT,
  FAMILY_SCORE_FLOOR,
  matchFamilyInquiry,
  type CatalogueFacts,
  type FamilyCandidate,
  type FamilyInquiry,
} from '../../src/core/triage/family-match.ts';

/** Eleven children as the police circulated them: all found together in Kaiyuan. */
const found = { foundDate: '2013-06-28', foundPlace: 'Kaiyuan, Yunnan' };
const CATALOGUE: CatalogueFacts[] = [
  { number: 1, sex: 'boy', estimatedBirth: '2013-03', marks: 'none noted', ...found },
  { number: 2, sex: 'girl', estimatedBirth: '2013-01', marks: 'mole under the right eye', ...found },
  { number: 3, sex: 'boy', estimatedBirth: '2012-11', marks: 'birthmark on the left shoulder', ...found },
  { number: 4, sex: 'boy', estimatedBirth: '2013-02', marks: 'two hair whorls', ...found },
  { number: 5, sex: 'girl', estimatedBirth: '2013-04', marks: 'small scar on the forehead', ...found },
  { number: 6, sex: 'boy', estimatedBirth: '2012-12', marks: 'extra toe on the left foot', ...found },
  { number: 7, sex: 'boy', estimatedBirth: '2013-01', marks: 'eye condition (under treatment)', ...found },
  { number: 8, sex: 'girl', estimatedBirth: '2013-03', marks: 'red birthmark on the back of the neck', ...found },
  { number: 9, sex: 'boy', estimatedBirth: '2013-05', marks: 'none noted', ...found },
  { number: 10, sex: 'boy', estimatedBirth: '2012-10', marks: 'none noted', ...found },
  { number: 11, sex: 'girl', estimatedBirth: '2013-02', marks: 'none noted', ...found },
];
/** A week after the children were found, when the calls came in. */
const NOW = new Date('2013-07-05T10:00:00Z');

const match = (q: FamilyInquiry, now = NOW, limit?: number) => matchFamilyInquiry(q, CATALOGUE, now, limit);
const numbers = (cs: FamilyCandidate[]) => cs.map((c) => c.number);
const reasonsOf = (cs: FamilyCandidate[], n: number) => cs.find((c) => c.number === n)?.reasons ?? [];

describe('a parent’s description finds the right child first', () => {
  it('zh-Hans, all in one message', () => {
    const cs = match({ text: '我儿子2013年1月出生，2月在开远火车站丢的，左肩有块胎记' });
    expect(cs[0]!.number).toBe(3);
    expect(cs[0]!.reasons).toEqual(
      expect.arrayContaining(['sex:boy', 'birth:2013-01~2012-11', 'lost-before-found:2013-02<2013-06-28', 'place:same-city:Kaiyuan', 'mark:birthmark@shoulder/left']),
    );
    // No girl is offered for a son.
    expect(numbers(cs).some((n) => [2, 5, 8, 11].includes(n))).toBe(false);
  });

  it('zh-Hant, through the questions, with the age at the loss instead of a birth date', () => {
    const cs = match({ sex: 'boy', lost: '2013年2月在開遠丟的，當時3個月大', marks: '左腳多一個腳趾' });
    expect(cs[0]!.number).toBe(6);
    expect(cs[0]!.reasons).toContain('birth:2012-11~2012-12');
    expect(cs[0]!.reasons).toContain('mark:extra-digit@foot/left');
  });

  it('en, a daughter with a mole', () => {
    const cs = match({ sex: 'girl', dob: 'January 2013', lost: 'March 2013 in Mengzi', marks: 'a mole under her right eye' });
    expect(cs[0]!.number).toBe(2);
    expect(cs[0]!.reasons).toEqual(expect.arrayContaining(['birth:2013-01~2013-01', 'place:same-prefecture:Honghe', 'mark:mole@eye/right']));
  });

  it('vi, a birthmark on the shoulder, lost at the border', () => {
    const cs = match({ sex: 'boy', dob: 'tháng 11 năm 2012', lost: 'tháng 2 năm 2013 ở Hà Khẩu', marks: 'có một vết bớt ở vai trái' });
    expect(cs[0]!.number).toBe(3);
    expect(cs[0]!.reasons).toContain('place:same-prefecture:Honghe');
  });

  it('th, Buddhist-era dates in Thai digits, lost in Laos', () => {
    const cs = match({ sex: 'girl', dob: 'เกิด ๑๕ มีนาคม ๒๕๕๖', lost: 'หายที่ลาว เดือนพฤษภาคม ๒๕๕๖', marks: 'มีปานแดงที่ต้นคอ' });
    expect(cs[0]!.number).toBe(8);
    expect(cs[0]!.reasons).toEqual(expect.arrayContaining(['birth:2013-03~2013-03', 'place:neighbouring:Laos', 'mark:birthmark@neck']));
  });

  it('my, Burmese digits and an eye condition', () => {
    const cs = match({ sex: 'boy', dob: '၂၀၁၃ ခုနှစ် ဇန်နဝါရီလ', lost: '၂၀၁၃ ခုနှစ် မတ်လ', marks: 'မျက်စိစွေ' });
    expect(cs[0]!.number).toBe(7);
    expect(cs[0]!.reasons).toContain('mark:eye@eye');
  });

  it('a month without its year is placed after the birth', () => {
    const cs = match({ sex: 'boy', dob: '2012年12月', lost: '2月份丢的', marks: '左脚六个趾头' });
    expect(cs[0]!.number).toBe(6);
    expect(cs[0]!.reasons).toEqual(expect.arrayContaining(['lost-before-found:2013-02<2013-06-28', 'mark:extra-digit@foot/left']));
  });

  it('relative dates follow the clock: "去年二月" asked in 2014 is February 2013', () => {
    const cs = match({ sex: 'boy', lost: '去年二月在开远', marks: '左肩胎记' }, new Date('2014-03-01T00:00:00Z'));
    expect(cs[0]!.number).toBe(3);
    expect(cs[0]!.reasons).toContain('lost-before-found:2013-02<2013-06-28');
  });

  it('a mark on the other side still counts, for less', () => {
    const cs = match({ sex: 'boy', marks: '右肩有胎记', lost: '开远' });
    expect(cs[0]!.number).toBe(3);
    expect(cs[0]!.reasons).toContain('mark-side-differs:birthmark@shoulder');
    const sameSide = match({ sex: 'boy', marks: '左肩有胎记', lost: '开远' });
    expect(sameSide[0]!.score).toBeGreaterThan(cs[0]!.score);
  });
});

describe('what rules a child out or down', () => {
  it('a sex mismatch: a girl’s mother never gets boy #3 ahead of a girl', () => {
    const cs = match({ sex: 'girl', dob: '2012年11月', marks: '左肩有块胎记', lost: '2013年2月开远' });
    const three = cs.findIndex((c) => c.number === 3);
    if (three >= 0) {
      expect(cs[three]!.reasons).toContain('sex-mismatch');
      expect(cs.slice(three + 1).every((c) => c.reasons.includes('sex-mismatch'))).toBe(true);
    }
    expect(cs[0]!.reasons).not.toContain('sex-mismatch');
  });

  it('a child found before it was lost is dropped', () => {
    expect(match({ sex: 'boy', dob: '2013年1月', lost: '2013年8月', marks: '左肩胎记' })).toEqual([]);
    // The same day is possible; the day after is not.
    expect(numbers(match({ sex: 'boy', lost: '2013年6月28日', marks: '左肩胎记' }))).toContain(3);
    expect(numbers(match({ sex: 'boy', lost: '2013年6月29日', marks: '左肩胎记' }))).not.toContain(3);
  });

  it('a birth a year off is held against a child', () => {
    const cs = match({ sex: 'boy', dob: '2011年11月', marks: '左肩有胎记', lost: '开远' });
    expect(reasonsOf(cs, 3)).toContain('birth-far:12mo');
    const close = match({ sex: 'boy', dob: '2012年11月', marks: '左肩有胎记', lost: '开远' });
    expect(close[0]!.score).toBeGreaterThan(cs.find((c) => c.number === 3)!.score);
  });

  it('a mark the record does not have counts against; "none noted" is neutral', () => {
    const cs = match({ sex: 'boy', dob: '2013年2月', marks: '左肩有胎记', lost: '开远' });
    expect(reasonsOf(cs, 4)).toContain('mark-missing:birthmark');
    expect(reasonsOf(cs, 1)).toContain('marks-none-noted');
    expect(reasonsOf(cs, 1).some((r) => r.startsWith('mark-missing'))).toBe(false);
  });

  it('a mark the parent denies counts against the child who has it', () => {
    const cs = match({ sex: 'boy', dob: '2012年11月', marks: '没有胎记', lost: '开远' });
    expect(reasonsOf(cs, 3)).toContain('mark-denied:birthmark');
    // #3 was born the very month they said, yet ranks below #10, born a month off with no mark.
    expect(numbers(cs).indexOf(3)).toBeGreaterThan(numbers(cs).indexOf(10));
  });

  it('nothing in common: nothing returned', () => {
    expect(match({})).toEqual([]);
    expect(match({ text: '你好，请问怎么领养孩子？' })).toEqual([]);
    expect(match({ sex: 'boy' })).toEqual([]);
    expect(match({ sex: 'boy', lost: '山东' })).toEqual([]);
  });

  it('far places cost little', () => {
    const near = match({ sex: 'boy', dob: '2012年11月', marks: '左肩胎记', lost: '开远' })[0]!;
    const far = match({ sex: 'boy', dob: '2012年11月', marks: '左肩胎记', lost: '山东' })[0]!;
    expect(far.number).toBe(3);
    expect(far.reasons).toContain('place-far:Shandong');
    expect(near.score - far.score).toBeLessThan(0.1);
  });
});

describe('the ranking', () => {
  it('a named child is a hint', () => {
    expect(match({ text: '我觉得是7号', named: 7 })).toEqual([{ number: 7, score: expect.any(Number), reasons: ['named:#7'] }]);
  });

  it('ties are broken by number, and the limit holds', () => {
    const cs = match({ sex: 'boy', lost: '开远' });
    expect(numbers(cs)).toEqual([1, 3, 4, 6, 7]);
    expect(new Set(cs.map((c) => c.score)).size).toBe(1);
    expect(cs).toHaveLength(DEFAULT_FAMILY_LIMIT);
    expect(numbers(match({ sex: 'boy', lost: '开远' }, NOW, 2))).toEqual([1, 3]);
    expect(numbers(match({ sex: 'boy', lost: '开远' }, NOW, 20))).toEqual([1, 3, 4, 6, 7, 9, 10]);
  });

  it('scores are in 0..1, above the floor, best first', () => {
    const cs = match({ sex: 'boy', dob: '2013年1月', lost: '2013年2月开远', marks: '左肩胎记' }, NOW, 20);
    expect(cs.length).toBeGreaterThan(1);
    for (const c of cs) {
      expect(c.score).toBeGreaterThanOrEqual(FAMILY_SCORE_FLOOR);
      expect(c.score).toBeLessThanOrEqual(1);
    }
    expect([...cs].sort((a, b) => b.score - a.score)).toEqual(cs);
  });

  it('works on the sample catalogue shipped in data/', () => {
    const file = path.resolve(import.meta.dirname, '../../data/catalogue.sample.json');
    const catalogue = JSON.parse(readFileSync(file, 'utf8')) as CatalogueFacts[];
    const known = new Set(catalogue.map((c) => c.number));
    const cs = matchFamilyInquiry({ text: '我儿子2013年1月出生，2月在开远火车站丢的，左肩有块胎记' }, catalogue, NOW, 20);
    expect(cs.length).toBeGreaterThan(0);
    for (const c of cs) expect(known.has(c.number)).toBe(true);
  });
});

describe('hostile input', () => {
  it('never throws', () => {
    const long = '左肩胎记2013年1月开远'.repeat(1400);
    const inquiries: unknown[] = [
      { text: long, dob: long, lost: long, marks: long },
      { text: '\u0000\u0007\u001b[31m\u202e\ufeff', marks: '\ud800' },
      { sex: 'other', dob: 42, lost: {}, marks: [], named: Number.NaN },
      { named: 1e30 },
      null,
      undefined,
    ];
    const catalogues: unknown[] = [CATALOGUE, [], [null, { number: 'x' }, { number: 3, estimatedBirth: 7, marks: {} }], null];
    for (const q of inquiries) {
      for (const c of catalogues) {
        expect(() => matchFamilyInquiry(q as FamilyInquiry, c as CatalogueFacts[], NOW)).not.toThrow();
        expect(() => matchFamilyInquiry(q as FamilyInquiry, c as CatalogueFacts[], new Date(NaN), -1)).not.toThrow();
      }
    }
  });

  it('still reads a long message', () => {
    const cs = match({ text: `${'请帮帮我们。'.repeat(500)}我儿子左肩有块胎记，2013年2月在开远丢的` });
    expect(cs[0]!.number).toBe(3);
  });
});
