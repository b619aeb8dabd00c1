import { describe, expect, it } from 'vitest';
import { foldText } from '../../src/core/triage/marks.ts';
import {
  comparePlaces,
  findAges,
  formatMonth,
  monthIndex,
  parseDates,
  parsePlaces,
  placeById,
  resolveDate,
} from '../../src/core/triage/when-where.ts';

const NOW = new Date('2013-07-10T08:00:00Z');
/** The first date in a text as YYYY[-MM[-DD]], or "" when there is none. */
const date = (text: string, now = NOW) => {
  const d = parseDates(text, now)[0];
  if (!d) return '';
  return [d.year ?? '?', d.month && String(d.month).padStart(2, '0'), d.day && String(d.day).padStart(2, '0')].filter(Boolean).join('-');
};
const age = (text: string) => findAges(foldText(text)).map((a) => a.months);

describe('dates', () => {
  it.each([
    // zh-Hans / zh-Hant
    ['2013年1月', '2013-01'],
    ['2013年1月15日出生', '2013-01-15'],
    ['二〇一三年一月', '2013-01'],
    ['13年1月生的', '2013-01'],
    ['2013年正月', '2013-01'],
    ['2013.01', '2013-01'],
    ['2013/1/15', '2013-01-15'],
    ['2013-02-14', '2013-02-14'],
    ['去年三月', '2012-03'],
    ['今年2月5號', '2013-02-05'],
    ['3个月前', '2013-04'],
    ['三个多月前', '2013-03'],
    ['上个月', '2013-06'],
    ['2013年', '2013'],
    ['去年', '2012'],
    // en
    ['January 2013', '2013-01'],
    ['born Jan 15th, 2013', '2013-01-15'],
    ['15 January 2013', '2013-01-15'],
    ['15/01/2013', '2013-01-15'],
    ['01/15/2013', '2013-01-15'],
    ['01/2013', '2013-01'],
    ['March last year', '2012-03'],
    ['last March', '2012-03'],
    ['3 months ago', '2013-04'],
    ['in 2013', '2013'],
    // vi
    ['tháng 1 năm 2013', '2013-01'],
    ['ngày 15 tháng 1 năm 2013', '2013-01-15'],
    ['tháng giêng năm 2013', '2013-01'],
    ['tháng 3 năm ngoái', '2012-03'],
    ['tháng 1/2013', '2013-01'],
    ['3 tháng trước', '2013-04'],
    // th: Buddhist era and Thai digits
    ['พ.ศ. 2556', '2013'],
    ['เกิด ๑๕ มกราคม ๒๕๕๖', '2013-01-15'],
    ['ม.ค. 56', '2013-01'],
    ['เดือนมีนาคม ปีที่แล้ว', '2012-03'],
    ['มกราคม ค.ศ. 2013', '2013-01'],
    ['เดือนที่แล้ว', '2013-06'],
    // my: Burmese digits
    ['၂၀၁၃ ခုနှစ် ဇန်နဝါရီလ ၁၅ ရက်', '2013-01-15'],
    ['ဧပြီလ ၂၀၁၃', '2013-04'],
    ['၂၀၁၃ ခုနှစ်', '2013'],
    ['မနှစ်က', '2012'],
  ])('%s → %s', (text, expected) => {
    expect(date(text)).toBe(expected);
  });

  it('leaves the year open when it was not said', () => {
    expect(date('2月在开远火车站丢的')).toBe('?-02');
    expect(date('in May')).toBe('?-05');
  });

  it.each([
    ['phone 13820131234'],
    ['it may be him'],
    ['我们阿妈 အမေ'],
    ['3个月大'],
    ['7号宝宝'],
    ['12345'],
  ])('finds no date in %s', (text) => {
    expect(parseDates(text, NOW)).toEqual([]);
  });

  it('places relative dates against the clock it is given', () => {
    expect(date('去年三月', new Date('2026-01-05T00:00:00Z'))).toBe('2025-03');
    expect(date('3 months ago', new Date('2014-02-01T00:00:00Z'))).toBe('2013-11');
  });

  it('finds every date of a sentence in order, each with its place in the folded text', () => {
    const text = foldText('我儿子2013年1月出生，2月在开远火车站丢的');
    const found = parseDates(text, NOW);
    expect(found.map((d) => [d.year, d.month])).toEqual([[2013, 1], [undefined, 2]]);
    expect(text.slice(found[1]!.at, found[1]!.end)).toBe('2月');
  });
});

describe('resolveDate', () => {
  const feb = { month: 2, at: 0, end: 2 };
  it('puts a month without its year after the birth', () => {
    expect(resolveDate(feb, { after: monthIndex(2013, 1), notAfter: monthIndex(2013, 7) })).toEqual({ lo: monthIndex(2013, 2), hi: monthIndex(2013, 2), guessedYear: true });
    expect(formatMonth(resolveDate(feb, { after: monthIndex(2012, 11), notAfter: monthIndex(2013, 7) })!.lo)).toBe('2013-02');
  });

  it('else at the last such month not after now', () => {
    expect(formatMonth(resolveDate({ month: 9, at: 0, end: 2 }, { notAfter: monthIndex(2013, 7) })!.lo)).toBe('2012-09');
  });

  it('makes a year a twelve-month range', () => {
    expect(resolveDate({ year: 2013, at: 0, end: 4 }, { notAfter: 0 })).toEqual({ lo: monthIndex(2013, 1), hi: monthIndex(2013, 12), guessedYear: false });
  });
});

describe('ages', () => {
  it.each([
    ['3个月大', [3]],
    ['丢的时候才六个月', [6]],
    ['三个多月', [3.5]],
    ['一个半月', [1.5]],
    ['1岁', [12]],
    ['一岁半', [18]],
    ['两岁', [24]],
    ['满月', [1]],
    ['3 months old', [3]],
    ['a 3-month-old baby', [3]],
    ['he was six months old', [6]],
    ['18 months', [18]],
    ['3 tháng tuổi', [3]],
    ['1 tuổi', [12]],
    ['อายุ 3 เดือน', [3]],
    ['1 ขวบ', [12]],
    ['၃ လသား', [3]],
    ['၁ နှစ်', [12]],
  ])('%s', (text, expected) => {
    expect(age(text)).toEqual(expected);
  });

  it.each([['3月'], ['3个月前'], ['丢了三个月了'], ['one day my son went out'], ['3 months ago'], ['3 tháng trước']])('%s is not an age', (text) => {
    expect(age(text)).toEqual([]);
  });

  it('knows an age said of now from an age at the loss', () => {
    expect(findAges(foldText('现在应该一岁了'))[0]!.now).toBe(true);
    expect(findAges(foldText('丢的时候3个月大'))[0]!.now).toBe(false);
  });

  it('is less sure of years than of months', () => {
    const [months, years] = [findAges(foldText('3个月'))[0]!, findAges(foldText('1岁'))[0]!];
    expect(months.spread).toBeLessThan(years.spread);
  });
});

describe('places', () => {
  it.each([
    ['开远火车站', 'kaiyuan'],
    ['開遠', 'kaiyuan'],
    ['Kaiyuan, Yunnan', 'kaiyuan'],
    ['在蒙自丢的', 'mengzi'],
    ['個舊', 'gejiu'],
    ['红河州', 'honghe'],
    ['红河县', 'honghe-county'],
    ['雲南', 'yunnan'],
    ['西雙版納', 'xishuangbanna'],
    ['Việt Nam', 'vietnam'],
    ['viet nam', 'vietnam'],
    ['Hà Khẩu', 'hekou'],
    ['老撾', 'laos'],
    ['หายที่ลาว', 'laos'],
    ['ประเทศพม่า', 'myanmar'],
    ['ยูนนาน', 'yunnan'],
    ['မူဆယ်', 'muse'],
    ['ကူမင်း', 'kunming'],
  ])('%s → %s', (text, id) => {
    expect(parsePlaces(text).map((p) => p.id)).toEqual([id]);
  });

  it.each([['大理石地板'], ['弥勒佛'], ['เวลาว่าง'], ['a mile away']])('finds no place in %s', (text) => {
    expect(parsePlaces(text)).toEqual([]);
  });

  it('keeps the most specific of nested places, and every unrelated one', () => {
    expect(parsePlaces('云南红河开远').map((p) => p.id)).toEqual(['kaiyuan']);
    expect(parsePlaces('从文山坐车到开远').map((p) => p.id).sort()).toEqual(['kaiyuan', 'wenshan']);
  });

  it.each([
    ['kaiyuan', 'same-city', 'Kaiyuan'],
    ['mengzi', 'same-prefecture', 'Honghe'],
    ['honghe', 'same-prefecture', 'Honghe'],
    ['kunming', 'same-province', 'Yunnan'],
    ['yunnan', 'same-province', 'Yunnan'],
    ['guizhou', 'neighbouring', 'Guizhou'],
    ['vietnam', 'neighbouring', 'Vietnam'],
    ['lao-cai', 'neighbouring', 'Lào Cai'],
    ['china', 'same-country', 'China'],
    ['shandong', 'far', 'Shandong'],
    ['thailand', 'far', 'Thailand'],
  ])('%s against Kaiyuan: %s', (id, relation, region) => {
    expect(comparePlaces(placeById(id)!, placeById('kaiyuan')!)).toEqual({ relation, region });
  });
});

describe('hostile input', () => {
  it('never throws on odd text or odd clocks', () => {
    const texts = ['', '\u0000'.repeat(100), '2013年'.repeat(4000), '1/'.repeat(10_000), '๑'.repeat(20_000), '\ud800', 'tháng '.repeat(3000)];
    for (const t of texts) {
      expect(() => parseDates(t, NOW)).not.toThrow();
      expect(() => parseDates(t, new Date(NaN))).not.toThrow();
      expect(() => findAges(foldText(t))).not.toThrow();
      expect(() => parsePlaces(t)).not.toThrow();
    }
  });
});
