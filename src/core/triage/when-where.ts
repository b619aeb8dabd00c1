/**
 * When and where, read from a family's free text: dates ("2013年1月", "去年三月", "15/01/2013",
 * "tháng 1 năm 2013", "ม.ค. 2556", "၂၀၁၃ ခုနှစ် ဇန်နဝါရီလ"), ages ("3个月大", "3 months old",
 * "1 tuổi", "1 ขวบ", "၃ လသား"), and places from a small gazetteer of Yunnan and its neighbours,
 * each with its parent region so two places can be compared.
 *
 * Dates are month-granular: a {@link MonthRange} of month indices (year × 12 + month − 1).
 * All functions work on any string and never throw.
 */
import { parseChineseNumeral } from './children.ts';
import { Lexicon, foldText, stripAccents, type Hit } from './marks.ts';

// ───────────────────────────────────────────── months

/** Month index of a year and month (1–12): `2013-01` is 2013 × 12. */
export function monthIndex(year: number, month: number): number {
  return year * 12 + (month - 1);
}

/** `YYYY-MM` of a month index. */
export function formatMonth(index: number): string {
  const y = Math.floor(index / 12);
  return `${y}-${String(index - y * 12 + 1).padStart(2, '0')}`;
}

/** An inclusive range of months: a month (`lo === hi`), a year, or an estimate. */
export interface MonthRange {
  lo: number;
  hi: number;
}

/** A date found in text. Only `year` may be missing ("2月", "March"): see {@link resolveDate}. */
export interface DateMention {
  year?: number;
  month?: number;
  day?: number;
  /** Where it is in the folded text (see `foldText`). */
  at: number;
  end: number;
}

// ───────────────────────────────────────────── numbers in words

const EN_NUM: Readonly<Record<string, number>> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, eleven: 11,
  twelve: 12, eighteen: 18, 'twenty-four': 24,
};
const VI_NUM: Readonly<Record<string, number>> = {
  một: 1, hai: 2, ba: 3, bốn: 4, tư: 4, năm: 5, sáu: 6, bảy: 7, tám: 8, chín: 9, mười: 10, 'mười một': 11, 'mười hai': 12,
  giêng: 1, chạp: 12,
};
const TH_NUM: Readonly<Record<string, number>> = {
  หนึ่ง: 1, สอง: 2, สาม: 3, สี่: 4, ห้า: 5, หก: 6, เจ็ด: 7, แปด: 8, เก้า: 9, สิบ: 10, สิบเอ็ด: 11, สิบสอง: 12,
};
const MY_NUM: Readonly<Record<string, number>> = {
  တစ်: 1, နှစ်: 2, သုံး: 3, လေး: 4, ငါး: 5, ခြောက်: 6, ခုနစ်: 7, ရှစ်: 8, ကိုး: 9, ဆယ်: 10,
};
const words = (table: Readonly<Record<string, number>>) =>
  Object.keys(table).sort((a, b) => b.length - a.length).join('|');

/** A number written in digits, Chinese numerals, or English / Vietnamese / Thai / Burmese words. */
function numberOf(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const t = raw.trim();
  if (/^\d+(?:\.\d+)?$/.test(t)) return Number(t);
  if (t === '半') return 0.5;
  if (t === '正') return 1;
  return EN_NUM[t] ?? VI_NUM[t] ?? TH_NUM[t] ?? MY_NUM[t] ?? parseChineseNumeral(t.replace(/^两$/, '二'));
}

// ───────────────────────────────────────────── date patterns

const CN = '[零〇一二两三四五六七八九十]{1,3}';
const EN_MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const EN_MONTH =
  '(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\\.?';
const TH_MONTHS = [
  ['มกราคม', 'ม\\.\\s?ค\\.?'], ['กุมภาพันธ์', 'ก\\.\\s?พ\\.?'], ['มีนาคม', 'มี\\.\\s?ค\\.?'], ['เมษายน', 'เม\\.\\s?ย\\.?'],
  ['พฤษภาคม', 'พ\\.\\s?ค\\.?'], ['มิถุนายน', 'มิ\\.\\s?ย\\.?'], ['กรกฎาคม', 'ก\\.\\s?ค\\.?'], ['สิงหาคม', 'ส\\.\\s?ค\\.?'],
  ['กันยายน', 'ก\\.\\s?ย\\.?'], ['ตุลาคม', 'ต\\.\\s?ค\\.?'], ['พฤศจิกายน', 'พ\\.\\s?ย\\.?'], ['ธันวาคม', 'ธ\\.\\s?ค\\.?'],
] as const;
const TH_MONTH = `(${TH_MONTHS.map(([full, abbr]) => `${full}|${abbr}`).join('|')})`;
// Burmese uses the English month names; the short ones must be followed by လ ("month") so
// that မေ in အမေ ("mother") is not May.
const MY_MONTHS = ['ဇန်နဝါရီ', 'ဖေဖော်ဝါရီ', 'မတ်', 'ဧပြီ', 'မေ', 'ဇွန်', 'ဇူလိုင်', 'ဩဂုတ်|ဇြဂုတ်|သြဂုတ်', 'စက်တင်ဘာ', 'အောက်တိုဘာ', 'နိုဝင်ဘာ', 'ဒီဇင်ဘာ'];
const MY_SHORT = ['မတ်', 'မေ', 'ဇွန်'];
const MY_MONTH = `((?:${MY_MONTHS.filter((m) => !MY_SHORT.includes(m)).join('|')})(?:\\s?လ)?|(?:${MY_SHORT.join('|')})\\s?လ)`;
const VI_MONTH = `(\\d{1,2}|${words(VI_NUM)})`;

function thMonth(raw: string): number {
  return TH_MONTHS.findIndex(([full, abbr]) => raw === full || new RegExp(`^${abbr}$`).test(raw)) + 1;
}
function myMonth(raw: string): number {
  const name = raw.replace(/\s?လ$/, '');
  return MY_MONTHS.findIndex((m) => m.split('|').includes(name)) + 1;
}
function enMonth(raw: string): number {
  return EN_MONTHS.indexOf(raw.slice(0, 3)) + 1;
}

/** A year as written: 2013, 13 (→ 2013), Thai Buddhist era 2556 (→ 2013), or `undefined`. */
function yearOf(raw: string | undefined, now: Date, era?: 'be' | 'ce'): number | undefined {
  if (raw === undefined) return undefined;
  let y = Number(raw);
  if (!Number.isFinite(y)) return undefined;
  if (raw.length === 2) {
    const yy = now.getUTCFullYear() % 100;
    y = era === 'be' ? 2500 + y - 543 : y <= yy + 1 ? 2000 + y : 1900 + y;
  } else if (era === 'be' || (era !== 'ce' && y >= 2400 && y <= 2700)) y -= 543;
  return y >= 1950 && y <= now.getUTCFullYear() + 1 ? y : undefined;
}

type Build = (m: RegExpExecArray, now: Date) => Omit<DateMention, 'at' | 'end'> | undefined;
interface DatePattern {
  re: RegExp;
  build: Build;
}

/** Years said relative to now: 去年 is now − 1. */
const REL_YEARS: Readonly<Record<string, number>> = {
  今年: 0, 去年: -1, 前年: -2, 大前年: -3, 'this year': 0, 'last year': -1, 'the year before last': -2, 'năm nay': 0,
  'năm ngoái': -1, 'năm trước': -1, 'năm rồi': -1, 'năm kia': -2, ปีนี้: 0, ปีที่แล้ว: -1, ปีก่อน: -1, ปีกลาย: -1,
  ယခုနှစ်: 0, ဒီနှစ်: 0, မနှစ်က: -1, ယမန်နှစ်: -1, ပြီးခဲ့တဲ့နှစ်: -1, ပြီးခဲ့သည့်နှစ်: -1,
};
const relYear = (word: string | undefined, now: Date): number | undefined =>
  word !== undefined && REL_YEARS[word] !== undefined ? now.getUTCFullYear() + REL_YEARS[word]! : undefined;
const REL_YEAR_ZH = '(今年|去年|前年|大前年)';
const REL_YEAR_ANY = `(${Object.keys(REL_YEARS).filter((w) => !/^[今去前大]/.test(w)).sort((a, b) => b.length - a.length).join('|')})`;

function fromMonthsAgo(n: number, now: Date): Omit<DateMention, 'at' | 'end'> {
  const i = monthIndex(now.getUTCFullYear(), now.getUTCMonth() + 1) - Math.round(n);
  return { year: Math.floor(i / 12), month: (i % 12) + 1 };
}

const AGO_UNIT: Readonly<Record<string, number>> = {
  个月: 1, 月: 1, 年: 12, 周: 0.25, 星期: 0.25, 天: 1 / 30, months: 1, month: 1, years: 12, year: 12, weeks: 0.25, week: 0.25,
  days: 1 / 30, day: 1 / 30, tháng: 1, năm: 12, tuần: 0.25, ngày: 1 / 30, เดือน: 1, ปี: 12, สัปดาห์: 0.25, อาทิตย์: 0.25, วัน: 1 / 30,
  လ: 1, နှစ်: 12, ပတ်: 0.25, ရက်: 1 / 30,
};

/** Not inside a Latin word or a longer number. */
const NUM_START = '(?<![a-z\\u00c0-\\u024f\\u1e00-\\u1eff\\d.])';
const NUM_ANY = `${NUM_START}(\\d{1,2}(?:\\.\\d)?|${CN}|半|${words(EN_NUM)}|${words(VI_NUM)}|${words(TH_NUM)}|${words(MY_NUM)})`;

/** Patterns in priority order: an earlier one's match hides a later one's inside it. */
const DATE_PATTERNS: readonly DatePattern[] = [
  // 2013年1月15日, 13年1月, 二〇一三年一月, 2013年正月
  {
    re: new RegExp(`(?<!\\d)(\\d{4}|\\d{2})\\s?年\\s?(\\d{1,2}|${CN}|正)\\s?月(?:份)?(?:\\s?(\\d{1,2}|${CN})\\s?[日号])?`, 'gu'),
    build: (m, now) => ymd(yearOf(m[1], now), numberOf(m[2]), numberOf(m[3])),
  },
  // 去年三月, 今年2月5号
  {
    re: new RegExp(`${REL_YEAR_ZH}\\s?(\\d{1,2}|${CN}|正)\\s?月(?:份)?(?:\\s?(\\d{1,2}|${CN})\\s?[日号])?`, 'gu'),
    build: (m, now) => ymd(relYear(m[1], now), numberOf(m[2]), numberOf(m[3])),
  },
  // 2013-01-15, 2013.01, 2013/1, 2013年
  {
    re: /(?<![\d.\/-])((?:19|20)\d\d)\s?[-./]\s?(\d{1,2})(?:\s?[-./]\s?(\d{1,2}))?(?![\d])/gu,
    build: (m, now) => ymd(yearOf(m[1], now), numberOf(m[2]), numberOf(m[3])),
  },
  // 15/01/2013, 15.1.13 (day first, as in vi/th/my and most of the world; a first number
  // above 12 settles it, a second one above 12 makes it month first)
  {
    re: /(?<![\d.\/-])(\d{1,2})\s?[./-]\s?(\d{1,2})\s?[./-]\s?(\d{4}|\d{2})(?![\d])/gu,
    build: (m, now) => {
      const a = Number(m[1]);
      const b = Number(m[2]);
      const [day, month] = b > 12 && a <= 12 ? [b, a] : [a, b];
      return ymd(yearOf(m[3], now), month, day);
    },
  },
  // 01/2013, tháng 1/2013
  {
    re: /(?:tháng\s?)?(?<![\d.\/-])(\d{1,2})\s?[./-]\s?(\d{4})(?![\d])/gu,
    build: (m, now) => ymd(yearOf(m[2], now), numberOf(m[1])),
  },
  // 15 January 2013, 15th of Jan 2013, January 15, 2013, January 2013, March last year
  {
    re: new RegExp(
      `(?<![\\p{L}])(?:(\\d{1,2})(?:st|nd|rd|th)?\\s(?:of\\s)?)?${EN_MONTH}(?![\\p{L}])(?:\\s?(\\d{1,2})(?:st|nd|rd|th)?(?!\\d))?(?:,?\\s?(?:(\\d{4})|'(\\d{2})|${REL_YEAR_ANY}))?`,
      'gu',
    ),
    build: (m, now) => {
      const day = numberOf(m[1] ?? m[3]);
      const year = yearOf(m[4] ?? m[5], now) ?? relYear(m[6], now);
      // "may" and "march" are also words: taken alone only after "in" / "last" / "this".
      if (year === undefined && day === undefined && /^(may|mar|march)$/.test(m[2]!)) return undefined;
      return ymd(year, enMonth(m[2]!), day);
    },
  },
  {
    re: new RegExp(`(last|this|in|since)\\s${EN_MONTH}(?![\\p{L}])`, 'gu'),
    build: (m, now) => ymd(m[1] === 'last' ? now.getUTCFullYear() - 1 : m[1] === 'this' ? now.getUTCFullYear() : undefined, enMonth(m[2]!)),
  },
  // ngày 15 tháng 1 năm 2013, tháng giêng năm 2013, tháng 3 năm ngoái
  {
    re: new RegExp(`(?:ngày\\s?(\\d{1,2})\\s?)?tháng\\s?${VI_MONTH}(?![\\p{L}])(?:\\s?(?:năm\\s?|,\\s?)?(?:(\\d{4})|${REL_YEAR_ANY}))?`, 'gu'),
    build: (m, now) => ymd(yearOf(m[3], now) ?? relYear(m[4], now), numberOf(m[2]), numberOf(m[1])),
  },
  // 15 มกราคม 2556, ม.ค. 56, เดือนมีนาคม ปีที่แล้ว, มกราคม ค.ศ. 2013
  {
    re: new RegExp(`(?:(\\d{1,2})\\s?)?(?:เดือน\\s?)?${TH_MONTH}\\s?(?:(?:(พ\\.\\s?ศ\\.|ค\\.\\s?ศ\\.|ปี)\\s?)?(\\d{4}|\\d{2})(?!\\d)|${REL_YEAR_ANY})?`, 'gu'),
    build: (m, now) => {
      // Thai years are Buddhist era unless marked ค.ศ.; "ม.ค. 56" is 2556.
      const era = m[3]?.startsWith('ค') ? 'ce' : m[3]?.startsWith('พ') || m[4]?.length === 2 ? 'be' : undefined;
      return ymd(yearOf(m[4], now, era) ?? relYear(m[5], now), thMonth(m[2]!), numberOf(m[1]));
    },
  },
  // ၂၀၁၃ ခုနှစ် ဇန်နဝါရီလ ၁၅ ရက်, ဇန်နဝါရီ ၂၀၁၃
  {
    re: new RegExp(`(?:(\\d{4})\\s?(?:ခုနှစ်|ခု)?\\s?)?${MY_MONTH}(?:\\s?(\\d{1,2})\\s?ရက်)?(?:\\s?(\\d{4})(?!\\d))?`, 'gu'),
    build: (m, now) => ymd(yearOf(m[1] ?? m[4], now), myMonth(m[2]!), numberOf(m[3])),
  },
  // Months ago: 3个月前, 三个多月前, 半年前, 3 months ago, 3 tháng trước, 3 เดือนก่อน, ၃ လက
  {
    re: new RegExp(
      `${NUM_ANY}[\\s-]?(?:个\\s?(多)?\\s?(月|星期)|(多)?\\s?(年|周|天|months?|years?|weeks?|days?|tháng|năm|tuần|ngày|เดือน|ปี|สัปดาห์|อาทิตย์|วัน|လ|နှစ်|ပတ်|ရက်))` +
        `\\s?(?:多\\s?)?(?:前|以前|之前|ago|before|earlier|trước|qua|ก่อน|ที่แล้ว|က(?!ြ))`,
      'gu',
    ),
    build: (m, now) => {
      const n = numberOf(m[1]);
      const unit = AGO_UNIT[m[3] ?? m[5]!];
      if (n === undefined || unit === undefined) return undefined;
      return fromMonthsAgo((n + (m[2] || m[4] ? 0.5 : 0)) * unit, now);
    },
  },
  // 上个月, last month, tháng trước, เดือนที่แล้ว, ပြီးခဲ့တဲ့လ; 上上个月
  {
    re: /(上上个月|上个月|last month|tháng trước|tháng rồi|เดือนที่แล้ว|เดือนก่อน|ပြီးခဲ့တဲ့လ|ပြီးခဲ့သည့်လ)/gu,
    build: (m, now) => fromMonthsAgo(m[1] === '上上个月' ? 2 : 1, now),
  },
  // 2月, 2月15号, 三月份 — a month without its year
  {
    re: new RegExp(`(?<![\\d个年])(\\d{1,2}|${CN}|正)\\s?月(?!份?前)(?:份)?(?:\\s?(\\d{1,2}|${CN})\\s?[日号])?`, 'gu'),
    build: (m) => ymd(undefined, numberOf(m[1]), numberOf(m[2])),
  },
  // A year alone: 2013年, năm 2013, พ.ศ. 2556, ค.ศ. 2013, ၂၀၁၃ ခုနှစ်, "in 2013", 去年, last year
  {
    re: /(พ\.\s?ศ\.|ค\.\s?ศ\.|ปี)?\s?(?<![\d.\/-])((?:19|20|25)\d\d)(?![\d.\/-]?\d)/gu,
    build: (m, now) => ymd(yearOf(m[2], now, m[1]?.startsWith('ค') ? 'ce' : m[1]?.startsWith('พ') ? 'be' : undefined)),
  },
  { re: new RegExp(`${REL_YEAR_ZH}|${REL_YEAR_ANY}`, 'gu'), build: (m, now) => ymd(relYear(m[1] ?? m[2], now)) },
];

/** Every match of a global expression (exec, not matchAll, which copies the expression each call). */
function execAll(re: RegExp, text: string): RegExpExecArray[] {
  const out: RegExpExecArray[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '') re.lastIndex++;
    else out.push(m);
  }
  return out;
}

function ymd(year: number | undefined, month?: number, day?: number): Omit<DateMention, 'at' | 'end'> | undefined {
  if (month !== undefined && !(Number.isInteger(month) && month >= 1 && month <= 12)) return undefined;
  if (day !== undefined && !(Number.isInteger(day) && day >= 1 && day <= 31)) day = undefined;
  if ((year === undefined || !Number.isFinite(year)) && month === undefined) return undefined;
  if (year !== undefined && !Number.isFinite(year)) year = undefined;
  const out: Omit<DateMention, 'at' | 'end'> = {};
  if (year !== undefined) out.year = year;
  if (month !== undefined) out.month = month;
  if (day !== undefined && month !== undefined) out.day = day;
  return out;
}

/**
 * The dates in a folded text (see `foldText`), in text order. Relative ones ("去年三月",
 * "3 months ago") are resolved against `now` (UTC).
 */
export function findDates(folded: string, now: Date): DateMention[] {
  // 二〇一三年 → 2013年, one character for one.
  folded = folded.replace(/[〇零一二三四五六七八九]{2,4}(?=\s?年)/g, (y) => [...y].map((c) => String('〇一二三四五六七八九'.indexOf(c) < 0 ? 0 : '〇一二三四五六七八九'.indexOf(c))).join(''));
  const out: DateMention[] = [];
  const taken: Array<[number, number]> = [];
  for (const { re, build } of DATE_PATTERNS) {
    for (const m of execAll(re, folded)) {
      const at = m.index;
      const end = at + m[0].length;
      if (m[0].trim() === '' || taken.some(([a, b]) => at < b && a < end)) continue;
      const d = build(m, now);
      if (!d) continue;
      taken.push([at, end]);
      out.push({ ...d, at, end });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

/** {@link findDates} on raw text. */
export function parseDates(text: string, now: Date): DateMention[] {
  return findDates(foldText(text), now);
}

/**
 * The months a date may be. A date without a year takes the first year at or after `after`
 * (a loss after a birth), else the last year not after `notAfter` (usually now).
 */
export function resolveDate(d: DateMention, opts: { after?: number; notAfter: number }): (MonthRange & { guessedYear: boolean }) | undefined {
  if (d.year !== undefined) {
    if (d.month === undefined) return { lo: monthIndex(d.year, 1), hi: monthIndex(d.year, 12), guessedYear: false };
    const i = monthIndex(d.year, d.month);
    return { lo: i, hi: i, guessedYear: false };
  }
  if (d.month === undefined) return undefined;
  const ny = Math.floor(opts.notAfter / 12);
  let i: number;
  if (opts.after !== undefined) {
    const ay = Math.floor(opts.after / 12);
    i = monthIndex(ay, d.month);
    if (i < opts.after) i += 12;
  } else {
    i = monthIndex(ny, d.month);
    if (i > opts.notAfter) i -= 12;
  }
  return { lo: i, hi: i, guessedYear: true };
}

// ───────────────────────────────────────────── ages

/** An age ("3个月大", "1 year old"), in months, with how far off it may be. */
export interface AgeMention {
  months: number;
  /** ± months: a few for "3 months", half a year for "1岁". */
  spread: number;
  /** The text says this is the age now ("现在一岁"), not at the loss. */
  now: boolean;
  at: number;
  end: number;
}

const AGE_UNIT: Readonly<Record<string, number>> = {
  个月: 1, 星期: 0.25, 岁: 12, 周岁: 12, 周: 0.25, 天: 1 / 30, month: 1, months: 1, mo: 1, mos: 1, mth: 1, mths: 1, year: 12,
  years: 12, yr: 12, yrs: 12, week: 0.25, weeks: 0.25, day: 1 / 30, days: 1 / 30, tháng: 1, tuổi: 12, tuần: 0.25, ngày: 1 / 30,
  เดือน: 1, ขวบ: 12, ปี: 12, สัปดาห์: 0.25, อาทิตย์: 0.25, วัน: 1 / 30, လ: 1, နှစ်: 12, ပတ်: 0.25, ရက်: 1 / 30,
};
const LATIN_AFTER = '(?![a-z\\u00c0-\\u024f\\u1e00-\\u1eff])';
const AGE_RE = new RegExp(
  `${NUM_ANY}[\\s-]?(?:(?:个|個)\\s?(多|半)?\\s?(月|星期)|(多)?\\s?(周岁|岁|周|天|months?|mos?|mths?|years?|yrs?|weeks?|days?|tháng|tuổi|tuần|ngày|เดือน|ขวบ|ปี|สัปดาห์|อาทิตย์|วัน|လ|နှစ်|ပတ်|ရက်)${LATIN_AFTER})` +
    `\\s?(多|半|rưỡi|ครึ่ง|and a half)?(?!\\s?(?:多\\s?)?(?:前|以前|之前|后|以后|之后|ago|before|earlier|later|after|trước|sau|nữa|ก่อน|ที่แล้ว|ข้างหน้า|က(?!ြ)|ကြာ|ရှိပြီ))`,
  'gu',
);
/** After a short unit or a number word, an age needs "old" / 大 / tuổi…: "one day" is not an age. */
const AGE_CONFIRM_AFTER_RE = /^[\s-]?(?:old|of age|大|的时候|时|左右|tuổi|ขวบ|อายุ|သား|သမီး|အရွယ်)/;
const AGE_CONFIRM_BEFORE_RE = /(?:aged?|出生|才|刚|满|อายุ|tuổi|အသက်)\s?$/;
const AGE_SPECIAL: ReadonlyArray<[RegExp, number, number]> = [
  [/满月|刚满月|一个月大/g, 1, 0.5],
  [/百天|一百天/g, 3.3, 0.5],
  [/newborn|new-born|新生儿|刚出生|刚生下|sơ sinh|mới sinh|แรกเกิด|မွေးကင်းစ/g, 0, 0.5],
];
const NOW_WORD_RE = /现在|今年|目前|now|currently|today|bây giờ|hiện nay|năm nay|ตอนนี้|ปัจจุบัน|ปีนี้|အခု|ယခု/;
/** "丢了三个月" / "missing for 3 months": a time since the loss, not an age. */
const SINCE_RE = /(?:丢了|走失了|不见了|失踪了|丢失了|已经|已|missing for|gone for|lost for|for|since|đã mất|mất tích được|หายไป(?:ได้)?|ပျောက်တာ)\s?$/;

/** The ages in a folded text, in text order. */
export function findAges(folded: string): AgeMention[] {
  const out: AgeMention[] = [];
  for (const m of execAll(AGE_RE, folded)) {
    const at = m.index;
    const end = at + m[0].length;
    const before = folded.slice(Math.max(0, at - 16), at);
    if (SINCE_RE.test(before)) continue;
    const n = numberOf(m[1]);
    const unitWord = m[3] ? (m[3] === '月' ? '个月' : '星期') : m[5]!;
    const unit = AGE_UNIT[unitWord];
    if (n === undefined || unit === undefined) continue;
    // Chinese numerals are as good as digits; "one day", "một ngày" are idioms more often than ages.
    const short = unit < 1 || /^[a-z\u00c0-\u024f\u1e00-\u1eff]/.test(m[1]!);
    if (short && !AGE_CONFIRM_AFTER_RE.test(folded.slice(end, end + 8)) && !AGE_CONFIRM_BEFORE_RE.test(before)) continue;
    const tail = m[6];
    const half = m[2] === '半' || (tail && tail !== '多') ? (unit === 12 ? 6 : unit / 2) : 0;
    const more = m[2] === '多' || m[4] || tail === '多' ? unit / 2 : 0;
    const months = n * unit + half + more;
    if (months > 15 * 12) continue;
    const spread = unit >= 12 ? (half || n < 1 ? 3 : 6) : unit === 1 ? 1 : 0.5;
    out.push({ months, spread, now: NOW_WORD_RE.test(folded.slice(Math.max(0, at - 12), at)), at, end });
  }
  for (const [re, months, spread] of AGE_SPECIAL) {
    for (const m of execAll(re, folded)) {
      const at = m.index;
      if (!out.some((a) => at < a.end && a.at < at + m[0].length)) out.push({ months, spread, now: false, at, end: at + m[0].length });
    }
  }
  return out.sort((a, b) => a.at - b.at);
}

// ───────────────────────────────────────────── places

/** How specific a place is. */
export type PlaceLevel = 'country' | 'province' | 'prefecture' | 'county';

/** A place of the gazetteer. */
export interface Place {
  /** Stable id, e.g. `kaiyuan`, `honghe`, `yunnan`, `vietnam`. */
  id: string;
  /** English name, for a caseworker. */
  name: string;
  level: PlaceLevel;
  /** The id of the region it is in. */
  parent?: string;
}

/**
 * The gazetteer: `id: [level, parent, English name, other names…]`. Chinese names are
 * simplified (text is folded first); Vietnamese ones of two syllables also match without accents.
 */
const GAZETTEER: Readonly<Record<string, readonly [PlaceLevel, string | undefined, string, ...string[]]>> = {
  china: ['country', undefined, 'China', '中国', 'china', 'trung quốc', 'จีน', 'တရုတ်(?:ပြည်|နိုင်ငံ)?'],
  vietnam: ['country', undefined, 'Vietnam', '越南', 'viet ?nam', 'việt nam', 'เวียดนาม', 'ဗီယက်နမ်'],
  laos: ['country', undefined, 'Laos', '老挝', '寮国', 'laos', 'lao pdr', 'lào', 'ประเทศลาว', 'สปป\\.? ?ลาว', '(?<![\\u0e00-\\u0e7f])ลาว(?![\\u0e00-\\u0e7f])', '(?<=ที่|ใน|จาก|ไป|ถึง)ลาว(?![\\u0e00-\\u0e7f])', 'လာအို'],
  myanmar: ['country', undefined, 'Myanmar', '缅甸', 'myanmar', 'burma', 'miến điện', 'myanma', 'พม่า', 'เมียนมา(?:ร์)?', 'မြန်မာ(?:ပြည်|နိုင်ငံ)?'],
  thailand: ['country', undefined, 'Thailand', '泰国', 'thailand', 'thái lan', 'ประเทศไทย', 'ထိုင်း(?:နိုင်ငံ)?'],
  yunnan: ['province', 'china', 'Yunnan', '云南', '滇', 'yunnan', 'vân nam', 'ยูนนาน', 'ယူနန်'],
  guizhou: ['province', 'china', 'Guizhou', '贵州', 'guizhou', 'quý châu'], sichuan: ['province', 'china', 'Sichuan', '四川', 'sichuan', 'tứ xuyên'],
  guangxi: ['province', 'china', 'Guangxi', '广西', 'guangxi', 'quảng tây', 'กวางสี'],
  guangdong: ['province', 'china', 'Guangdong', '广东', 'guangdong', 'quảng đông', 'canton'],
  tibet: ['province', 'china', 'Tibet', '西藏', 'tibet', 'xizang', 'tây tạng'],
  chongqing: ['province', 'china', 'Chongqing', '重庆', 'chongqing', 'trùng khánh'], hunan: ['province', 'china', 'Hunan', '湖南', 'hunan', 'hồ nam'],
  fujian: ['province', 'china', 'Fujian', '福建', 'fujian', 'phúc kiến'], henan: ['province', 'china', 'Henan', '河南', 'henan', 'hà nam'],
  shandong: ['province', 'china', 'Shandong', '山东', 'shandong', 'sơn đông'], hubei: ['province', 'china', 'Hubei', '湖北', 'hubei'],
  jiangxi: ['province', 'china', 'Jiangxi', '江西', 'jiangxi'], zhejiang: ['province', 'china', 'Zhejiang', '浙江', 'zhejiang'],
  jiangsu: ['province', 'china', 'Jiangsu', '江苏', 'jiangsu'], anhui: ['province', 'china', 'Anhui', '安徽', 'anhui'],
  hebei: ['province', 'china', 'Hebei', '河北', 'hebei'],
  // Yunnan's prefectures
  kunming: ['prefecture', 'yunnan', 'Kunming', '昆明', 'kunming', 'côn minh', 'คุนหมิง', 'ကူမင်း'],
  honghe: ['prefecture', 'yunnan', 'Honghe', '红河(?!县)(?:州|哈尼族彝族自治州)?', 'honghe', 'hồng hà'],
  wenshan: ['prefecture', 'yunnan', 'Wenshan', '文山', 'wenshan', 'văn sơn'], qujing: ['prefecture', 'yunnan', 'Qujing', '曲靖', 'qujing'],
  yuxi: ['prefecture', 'yunnan', 'Yuxi', '玉溪', 'yuxi'], dali: ['prefecture', 'yunnan', 'Dali', '大理(?!石)', 'dali', 'đại lý'],
  xishuangbanna: ['prefecture', 'yunnan', 'Xishuangbanna', '西双版纳', '版纳', 'xishuangbanna', 'sipsongpanna', 'สิบสองปันนา'],
  dehong: ['prefecture', 'yunnan', 'Dehong', '德宏', 'dehong'], zhaotong: ['prefecture', 'yunnan', 'Zhaotong', '昭通', 'zhaotong'],
  puer: ['prefecture', 'yunnan', "Pu'er", '普洱(?!茶)', '思茅', "pu'?er", 'simao'], lincang: ['prefecture', 'yunnan', 'Lincang', '临沧', 'lincang'],
  baoshan: ['prefecture', 'yunnan', 'Baoshan', '保山', 'baoshan'], chuxiong: ['prefecture', 'yunnan', 'Chuxiong', '楚雄', 'chuxiong'],
  lijiang: ['prefecture', 'yunnan', 'Lijiang', '丽江', 'lijiang'],
  // Honghe's counties and cities
  kaiyuan: ['county', 'honghe', 'Kaiyuan', '开远', 'kaiyuan', 'khai viễn'], mengzi: ['county', 'honghe', 'Mengzi', '蒙自', 'mengzi', 'mông tự'],
  gejiu: ['county', 'honghe', 'Gejiu', '个旧', 'gejiu', 'cá cựu'], mile: ['county', 'honghe', 'Mile', '弥勒(?!佛)', 'mile city'],
  jianshui: ['county', 'honghe', 'Jianshui', '建水', 'jianshui'], shiping: ['county', 'honghe', 'Shiping', '石屏', 'shiping'],
  hekou: ['county', 'honghe', 'Hekou', '河口(?:县|口岸)?', 'hekou', 'hà khẩu'], pingbian: ['county', 'honghe', 'Pingbian', '屏边', 'pingbian'],
  jinping: ['county', 'honghe', 'Jinping', '金平', 'jinping'], luxi: ['county', 'honghe', 'Luxi', '泸西', 'luxi'],
  yuanyang: ['county', 'honghe', 'Yuanyang', '元阳', 'yuanyang'], lvchun: ['county', 'honghe', 'Lüchun', '绿春', 'lüchun', 'luchun'],
  'honghe-county': ['county', 'honghe', 'Honghe County', '红河县', 'honghe county'],
  // Other Yunnan counties often named
  maguan: ['county', 'wenshan', 'Maguan', '马关', 'maguan'], malipo: ['county', 'wenshan', 'Malipo', '麻栗坡', 'malipo'],
  funing: ['county', 'wenshan', 'Funing', '富宁', 'funing'], guangnan: ['county', 'wenshan', 'Guangnan', '广南', 'guangnan'],
  yanshan: ['county', 'wenshan', 'Yanshan', '砚山', 'yanshan'], qiubei: ['county', 'wenshan', 'Qiubei', '丘北', 'qiubei'],
  xuanwei: ['county', 'qujing', 'Xuanwei', '宣威', 'xuanwei'], luoping: ['county', 'qujing', 'Luoping', '罗平', 'luoping'],
  tonghai: ['county', 'yuxi', 'Tonghai', '通海', 'tonghai'], jinghong: ['county', 'xishuangbanna', 'Jinghong', '景洪', 'jinghong', 'เชียงรุ่ง'],
  mengla: ['county', 'xishuangbanna', 'Mengla', '勐腊', 'mengla'], ruili: ['county', 'dehong', 'Ruili', '瑞丽', 'ruili', 'ရွှေလီ'],
  mangshi: ['county', 'dehong', 'Mangshi', '芒市', 'mangshi'], tengchong: ['county', 'baoshan', 'Tengchong', '腾冲', 'tengchong'],
  zhenxiong: ['county', 'zhaotong', 'Zhenxiong', '镇雄', 'zhenxiong'],
  // Across the border
  'lao-cai': ['province', 'vietnam', 'Lào Cai', 'lào cai', 'lao cai'], 'ha-giang': ['province', 'vietnam', 'Hà Giang', '河江', 'hà giang'],
  'lai-chau': ['province', 'vietnam', 'Lai Châu', 'lai châu'], 'dien-bien': ['province', 'vietnam', 'Điện Biên', '奠边', 'điện biên'],
  hanoi: ['province', 'vietnam', 'Hanoi', '河内', 'hà nội', 'ha ?noi'],
  phongsaly: ['province', 'laos', 'Phongsaly', '丰沙里', 'phongsaly', 'phongsali', 'ผ้งสาลี'],
  'luang-namtha': ['province', 'laos', 'Luang Namtha', '琅南塔', 'luang ?namtha', 'หลวงน้ำทา'],
  shan: ['province', 'myanmar', 'Shan State', '掸邦', 'shan state', 'รัฐฉาน', 'ရှမ်း(?:ပြည်နယ်)?'],
  kachin: ['province', 'myanmar', 'Kachin State', '克钦邦', 'kachin', 'ကချင်(?:ပြည်နယ်)?'], muse: ['county', 'shan', 'Muse', '木姐', 'muse', 'မူဆယ်'],
  lashio: ['county', 'shan', 'Lashio', '腊戌', 'lashio', 'လားရှိုး'],
  mandalay: ['province', 'myanmar', 'Mandalay', '曼德勒', 'mandalay', 'มัณฑะเลย์', 'မန္တလေး'],
  yangon: ['province', 'myanmar', 'Yangon', '仰光', 'yangon', 'rangoon', 'ย่างกุ้ง', 'ရန်ကုန်'],
  'chiang-rai': ['province', 'thailand', 'Chiang Rai', '清莱', 'chiang ?rai', 'เชียงราย'],
};

/** Regions that share a border: Yunnan touches three countries and four provinces. */
const NEIGHBOURS: ReadonlyArray<readonly [string, string]> = [
  ['yunnan', 'guizhou'], ['yunnan', 'sichuan'], ['yunnan', 'guangxi'], ['yunnan', 'tibet'], ['yunnan', 'vietnam'],
  ['yunnan', 'laos'], ['yunnan', 'myanmar'], ['guangxi', 'guizhou'], ['guangxi', 'guangdong'], ['guangxi', 'hunan'],
  ['guangxi', 'vietnam'], ['guizhou', 'sichuan'], ['guizhou', 'chongqing'], ['guizhou', 'hunan'], ['sichuan', 'chongqing'],
  ['sichuan', 'tibet'], ['tibet', 'myanmar'], ['laos', 'vietnam'], ['laos', 'myanmar'], ['laos', 'thailand'],
  ['myanmar', 'thailand'], ['guangdong', 'hunan'], ['guangdong', 'fujian'], ['hunan', 'chongqing'], ['hunan', 'hubei'],
  ['hunan', 'jiangxi'], ['hubei', 'henan'], ['henan', 'shandong'], ['henan', 'anhui'], ['henan', 'hebei'], ['shandong', 'hebei'],
  ['jiangsu', 'zhejiang'], ['jiangsu', 'anhui'], ['jiangsu', 'shandong'], ['zhejiang', 'fujian'], ['zhejiang', 'anhui'],
  ['jiangxi', 'fujian'], ['jiangxi', 'guangdong'], ['jiangxi', 'zhejiang'], ['jiangxi', 'anhui'], ['hubei', 'chongqing'],
];

const PLACES = new Map<string, Place>(
  Object.entries(GAZETTEER).map(([id, [level, parent, name]]) => [id, parent ? { id, name, level, parent } : { id, name, level }]),
);
const PLACE_LEX = new Lexicon(Object.fromEntries(Object.entries(GAZETTEER).map(([id, [, , , ...names]]) => [id, names])));

/** A place by id. */
export function placeById(id: string): Place | undefined {
  return PLACES.get(id);
}

/** The places a folded text names, most specific first, without those that only contain another named one. */
export function findPlaces(folded: string): Place[] {
  const hits: Hit[] = PLACE_LEX.find(folded, stripAccents(folded));
  const found = [...new Set(hits.map((h) => h.id))].map((id) => PLACES.get(id)!).filter(Boolean);
  // "Kaiyuan, Yunnan": Yunnan adds nothing once Kaiyuan is known.
  return found.filter((p) => !found.some((q) => q !== p && ancestors(q).includes(p.id)));
}

/** {@link findPlaces} on raw text. */
export function parsePlaces(text: string): Place[] {
  return findPlaces(foldText(text));
}

function ancestors(p: Place): string[] {
  const out: string[] = [];
  for (let q: Place | undefined = p.parent ? PLACES.get(p.parent) : undefined; q && out.length < 6; q = q.parent ? PLACES.get(q.parent) : undefined) out.push(q.id);
  return out;
}

/**
 * How close two places are: in one city (county), one prefecture, one province; regions that
 * share a border; one of them is the other's country; or far apart.
 */
export type PlaceRelation = 'same-city' | 'same-prefecture' | 'same-province' | 'neighbouring' | 'same-country' | 'far';

/**
 * How close `a` and `b` are, and the region that makes them so (the place itself, the shared
 * prefecture or province, the neighbour of `b`'s region; for `far`, `a`'s region).
 */
export function comparePlaces(a: Place, b: Place): { relation: PlaceRelation; region: string } {
  const chainA = [a.id, ...ancestors(a)];
  const chainB = [b.id, ...ancestors(b)];
  const shared = chainA.find((id) => chainB.includes(id));
  const sharedPlace = shared ? PLACES.get(shared) : undefined;
  if (sharedPlace && sharedPlace.level !== 'country') {
    const relation: PlaceRelation =
      sharedPlace.level === 'county' ? 'same-city' : sharedPlace.level === 'prefecture' ? 'same-prefecture' : 'same-province';
    return { relation, region: sharedPlace.name };
  }
  const neighbours = chainA.some((x) => chainB.some((y) => NEIGHBOURS.some(([p, q]) => (p === x && q === y) || (p === y && q === x))));
  const region = PLACES.get(regionOf(chainA))?.name ?? a.name;
  if (neighbours) return { relation: 'neighbouring', region };
  // "China" said of a place in China: true, and says nothing.
  if (sharedPlace && (shared === a.id || shared === b.id)) return { relation: 'same-country', region: sharedPlace.name };
  return { relation: 'far', region };
}

/** The province (or, for a bare country, the country) a chain of ids belongs to. */
function regionOf(chain: readonly string[]): string {
  return chain.find((id) => PLACES.get(id)?.level === 'province') ?? chain[chain.length - 1]!;
}
