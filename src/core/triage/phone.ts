/**
 * Telephone numbers in free text, checked against libphonenumber's full metadata so that a run
 * of digits is only called a phone when some numbering plan says it can be one.
 *
 * - `+` or `00` and a country code: any country, accepted when the number is possible there.
 * - A national number: tried in mainland China first, then the regions reporters write from
 *   (Hong Kong, Macao, Taiwan, Viet Nam, Laos, Myanmar, Thailand, Cambodia); accepted when
 *   valid there. Numbers without a trunk `0` other than Chinese mobiles (Hong Kong's and
 *   Macao's eight digits) also need a phone word nearby or a `1234 5678` shape, because
 *   eight bare digits are as often an amount or a date.
 * - Dates (`2013-01-15`, `15/01/2013`, `20130115`) are never phones.
 */

import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** One phone number found: offsets in the text searched, and the text as written. */
export interface PhoneSpan {
  start: number;
  end: number;
  text: string;
}

/** Regions tried for national numbers, most likely first. */
const NATIONAL_REGIONS: readonly CountryCode[] = ['CN', 'HK', 'MO', 'TW', 'VN', 'TH', 'MM', 'LA', 'KH'];

/**
 * A digit run that may be a phone: an optional `+`/`00`, then digits in groups joined by one
 * space, dash, dot or a bracketed area code. Never starts inside a word or after a digit.
 */
const CANDIDATE_RE = /(?<![A-Za-z\p{N}+_])(?:\+\s?)?\(?\d{1,15}\)?(?:[\s.-]{1,2}\(?\d{1,15}\)?){0,7}(?!\p{N})/gu;

/** Phone words (several languages) that make a bare local number believable. */
const PHONE_CONTEXT_RE =
  /(?:电话|電話|手机|手機|号码|號碼|联系|聯繫|聯絡|座机|座機|热线|tel|phone|call|mobile|cell|my number|his number|her number|their number|contact|reach me|text me|whatsapp|line|viber|zalo|sđt|sdt|điện thoại|gọi|liên hệ|โทร|เบอร์|ဖုန်း)\W{0,3}(?:[\p{L}\s]{0,8}[:：]?\s*)?$/iu;

const DATE_RE = /^(?:(?:19|20)\d\d[-/.](?:0?[1-9]|1[0-2])[-/.](?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])[-/.](?:0?[1-9]|1[0-2])[-/.](?:19|20)\d\d|(?:19|20)\d\d(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01]))$/;

function digitsOf(s: string): string {
  return s.replace(/\D/g, '');
}

/** True when `digits` (national form) is a phone number somewhere in {@link NATIONAL_REGIONS}. */
function validNational(digits: string, loose: boolean): boolean {
  for (const region of NATIONAL_REGIONS) {
    const p = parsePhoneNumberFromString(digits, region);
    if (p && (p.isValid() || (loose && p.isPossible() && digits.startsWith('0')))) return true;
  }
  return false;
}

/** Whether one candidate piece (some groups of a run) is a phone number. */
function isPhone(piece: string, hasContext: boolean): boolean {
  const digits = digitsOf(piece);
  if (digits.length < 7 || digits.length > 15) return false;
  if (DATE_RE.test(piece)) return false;
  const international = piece.startsWith('+') ? digits : piece.startsWith('00') ? digits.slice(2) : undefined;
  if (international !== undefined) {
    const p = parsePhoneNumberFromString('+' + international);
    return p !== undefined && p.isPossible();
  }
  if (/^1[3-9]\d{9}$/.test(digits)) return true; // a Chinese mobile: the commonest case by far
  if (digits.startsWith('0')) return validNational(digits, hasContext);
  // No trunk prefix (Hong Kong, Macao): a phone word before it or a "1234 5678" shape.
  const shaped = /^\d{4}[\s-]\d{4}$/.test(piece);
  return (hasContext || shaped) && digits.length === 8 && validNational(digits, false);
}

/** Digit runs examined per text at most: a message of nothing but numbers stays fast. */
const MAX_CANDIDATES = 40;

/** Group boundaries inside a candidate run: where a phone may start or end. */
const GROUP_RE = /(?:\+\s?)?\(?\d+\)?/g;

/**
 * Phone numbers in `text` (already NFKC-normalised and digit-folded; spans other detectors
 * claimed are masked out). `original` is the same text unmasked, for the returned `text`.
 * A run of digit groups is tried whole, then by its longest sub-runs from the left, so two
 * numbers in a row, or a phone followed by another number, are each found.
 */
export function findPhones(text: string, original: string = text): PhoneSpan[] {
  const out: PhoneSpan[] = [];
  let examined = 0;
  CANDIDATE_RE.lastIndex = 0;
  for (const m of text.matchAll(CANDIDATE_RE)) {
    const run = m[0];
    const at = m.index ?? 0;
    if (digitsOf(run).length < 7) continue;
    if (++examined > MAX_CANDIDATES) break;
    const hasContext = PHONE_CONTEXT_RE.test(text.slice(Math.max(0, at - 16), at));
    const groups = [...run.matchAll(GROUP_RE)].map((g) => ({ start: g.index ?? 0, end: (g.index ?? 0) + g[0].length }));
    let i = 0;
    while (i < groups.length) {
      let taken = 0;
      for (let len = groups.length - i; len >= 1; len--) {
        const s = groups[i]!.start;
        const e = groups[i + len - 1]!.end;
        if (isPhone(run.slice(s, e), hasContext)) {
          out.push({ start: at + s, end: at + e, text: original.slice(at + s, at + e) });
          taken = len;
          break;
        }
      }
      i += taken || 1;
    }
  }
  return out;
}
