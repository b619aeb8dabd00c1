/**
 * Contact details and identity numbers in a message, so that caseworker views can warn and
 * redact. Each span of text is claimed by the first kind that recognises it, so the same digits
 * are never reported twice (a resident ID is not also a bank card, a mobile number given as a
 * WeChat id is reported as a phone).
 */

import { nfkc } from './language.ts';
import { findPhones } from './phone.ts';

/** Kinds of personal data, in the order {@link findPii} reports them. */
export const PII_KINDS = ['phone', 'id_number', 'email', 'bank_card', 'url', 'wechat', 'qq'] as const;

/** One kind of personal data. */
export type PiiKind = (typeof PII_KINDS)[number];

/** One piece of personal data found in a text. */
export interface PiiMatch {
  kind: PiiKind;
  /** Offset in the NFKC-normalised text. */
  start: number;
  end: number;
  /** The text as written (digits with their spaces and dashes). */
  text: string;
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2] as const;
const ID_CHECK = '10X98765432';

function validDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/**
 * True for a Chinese resident identity number: 18 characters with a valid birth date and the
 * ISO 7064 MOD 11-2 check character (`X` for 10), or a 15-digit legacy number with a valid date.
 */
export function isChineseIdNumber(value: string): boolean {
  const id = value.replace(/[\s-]/g, '').toUpperCase();
  if (/^[1-9]\d{16}[\dX]$/.test(id)) {
    const year = Number(id.slice(6, 10));
    if (year < 1900 || year > 2099) return false;
    if (!validDate(year, Number(id.slice(10, 12)), Number(id.slice(12, 14)))) return false;
    let sum = 0;
    for (let i = 0; i < 17; i++) sum += Number(id[i]) * ID_WEIGHTS[i]!;
    return ID_CHECK[sum % 11] === id[17];
  }
  if (/^[1-9]\d{14}$/.test(id)) {
    return validDate(1900 + Number(id.slice(6, 8)), Number(id.slice(8, 10)), Number(id.slice(10, 12)));
  }
  return false;
}

/** True when a string of digits passes the Luhn check (payment card numbers). */
export function passesLuhn(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

const TLD =
  'com|net|org|cn|io|me|info|xyz|top|cc|co|ly|gl|tk|vip|shop|club|site|online|app|hk|tw|ru|vn|uk|us|biz|link|live|win|bet|edu|gov|mobi|tv|ws';

/** A detector: a global regex and, optionally, a check on what it matched. */
interface Detector {
  kind: PiiKind;
  re: RegExp;
  accept?: (m: RegExpExecArray) => boolean;
  /** Skips the regex when the text cannot match (a cheap test on the lower-cased text). */
  needs: (lower: string, hasDigit: boolean) => boolean;
}

const needsDigit = (_: string, hasDigit: boolean): boolean => hasDigit;
const WECHAT_HINT_RE = /微信|威信|薇信|v信|vx|wx|wechat|weixin|微|加v/;
const QQ_HINT_RE = /qq|扣扣|企鹅|群号/;

function digitCount(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) n++;
  }
  return n;
}

/**
 * WeChat: the keyword, then an id of 6–20 characters starting with a letter (or a numeric,
 * QQ-style id). Group 1 and 2 are what stood between (`号`, `id`, `:`, `is`), group 3 the id.
 */
const WECHAT_RE =
  /(?:微信|威信|薇信|v信|加v|(?<![a-z])(?:wechat|weixin|wx|vx|v)(?=\s*[:=：号]|\s*(?:id|is)\b|\s+[a-z]))(?:\s*(号|號|id|account))?\s*(?:(?:好像|应该|應該|大概|可能|估计|似乎)?(is|是|为|:|=)\s*)?([a-z][a-z0-9_-]{5,19}|\d{5,12})(?![a-z0-9_-])/gi;

/** QQ: the keyword (`QQ`, `扣扣`, `企鹅`), then a QQ number: 5–11 digits, not starting with 0. */
const QQ_RE = /(?:(?<![a-z])qq(?:群)?|扣扣|企鹅|qq群[^，,。；;]{0,12}?群号|群号)(?:\s*(?:号|號|号码|號碼|no\.?|number|#))?\s*(?:(?:is|是|为|:|=)\s*)?([1-9]\d{4,10})(?!\d)/gi;

/** `my wechat is better` is no id: a bare word needs `:`/`号` before it or a digit/`_` in it. */
function acceptWechat(m: RegExpExecArray): boolean {
  const id = m[3] ?? '';
  const explicit = m[1] !== undefined || (m[2] !== undefined && m[2].toLowerCase() !== 'is');
  return explicit || /[\d_-]/.test(id);
}

/**
 * Detectors in the order they claim text. Earlier ones win: an e-mail address is not also a
 * link, a resident ID is not also a bank card or phone, a card is not a phone, a number after
 * `QQ` is a QQ number; phones ({@link findPhones}) run right before WeChat, so a phone number
 * given as a WeChat id is reported as a phone.
 */
const DETECTORS: readonly Detector[] = [
  { kind: 'email', needs: (t) => t.includes('@'), re: /[a-z0-9._%+-]{1,64}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,8}\.[a-z]{2,24}(?![a-z0-9])/gi },
  { kind: 'url', needs: (t) => t.includes('://'), re: /\b(?:https?|ftp):\/\/[^\s<>"'，。！？）)\]]+/gi },
  { kind: 'url', needs: (t) => t.includes('www.'), re: /\bwww\.[^\s<>"'，。！？）)\]]+/gi },
  {
    kind: 'url',
    needs: (t) => t.includes('.'),
    re: new RegExp(
      `(?<![@\\w.-])(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.){1,6}(?:${TLD})(?![a-z0-9-])(?:[/?#][^\\s，。！？]*)?`,
      'gi',
    ),
  },
  {
    kind: 'id_number',
    needs: needsDigit,
    re: /(?<![\da-z])[1-9]\d{5}[\s-]?\d{8}[\s-]?\d{3}[\dx](?![\da-z])/gi,
    accept: (m) => isChineseIdNumber(m[0]),
  },
  {
    kind: 'id_number',
    needs: needsDigit,
    re: /(?<![\da-z])[1-9]\d{14}(?![\da-z])/gi,
    accept: (m) => isChineseIdNumber(m[0]),
  },
  { kind: 'bank_card', needs: needsDigit, re: /(?<![\da-z+])\d(?:[\s-]?\d){12,22}(?![\da-z])/gi, accept: (m) => !m[0].startsWith('00') && cardInRun(m[0]) },
  { kind: 'qq', needs: (t) => QQ_HINT_RE.test(t), re: QQ_RE },
  { kind: 'wechat', needs: (t) => WECHAT_HINT_RE.test(t), re: WECHAT_RE, accept: acceptWechat },
];

/** Finds a Luhn-valid card number in a digit run, trying whole groups, longest first. */
function cardInRun(run: string): boolean {
  const groups = run.split(/[\s-]/).filter(Boolean);
  for (let len = Math.min(19, digitCount(run)); len >= 13; len--) {
    for (let i = 0; i < groups.length; i++) {
      let digits = '';
      for (let j = i; j < groups.length && digits.length < len; j++) digits += groups[j];
      if (digits.length === len && passesLuhn(digits)) return true;
    }
  }
  return false;
}

const MASK = '\u00a4';

function claim(text: string, start: number, end: number): string {
  return text.slice(0, start) + MASK.repeat(end - start) + text.slice(end);
}

/**
 * Every piece of personal data in a text, each span claimed once (see {@link DETECTORS} order).
 * Offsets refer to the NFKC-normalised text.
 */
export function findPiiMatches(text: string): PiiMatch[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  let t = nfkc(text);
  const original = t;
  const lower = t.toLowerCase();
  const hasDigit = /\d/.test(t);
  const found: PiiMatch[] = [];
  for (const d of DETECTORS) {
    if (d.kind === 'wechat' && hasDigit) {
      // Phones claim their digits before WeChat ids do (`微信 13812345678` is a phone).
      for (const p of findPhones(t, original)) {
        t = claim(t, p.start, p.end);
        found.push({ kind: 'phone', ...p });
      }
    }
    if (!d.needs(lower, hasDigit)) continue;
    d.re.lastIndex = 0;
    const hits: PiiMatch[] = [];
    for (let m = d.re.exec(t); m !== null; m = d.re.exec(t)) {
      if (m[0].length === 0) {
        d.re.lastIndex++;
        continue;
      }
      if (d.accept && !d.accept(m)) continue;
      let start = m.index;
      // For WeChat and QQ, the id is what is personal; the keyword before it is not claimed.
      if (d.kind === 'wechat' && m[3] !== undefined) start = m.index + m[0].length - m[3].length;
      if (d.kind === 'qq' && m[1] !== undefined) start = m.index + m[0].length - m[1].length;
      hits.push({ kind: d.kind, start, end: m.index + m[0].length, text: original.slice(start, m.index + m[0].length) });
    }
    for (const h of hits) t = claim(t, h.start, h.end);
    found.push(...hits);
  }
  return found.sort((a, b) => a.start - b.start);
}

/**
 * Kinds of personal data found in a text, each once, in the fixed order of {@link PII_KINDS}:
 * `phone`, `id_number`, `email`, `bank_card`, `url`, `wechat`, `qq`.
 */
export function findPii(text: string): PiiKind[] {
  const kinds = new Set(findPiiMatches(text).map((m) => m.kind));
  return PII_KINDS.filter((k) => kinds.has(k));
}
