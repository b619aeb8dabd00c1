/** Whether a message is mostly a case code, which makes it a status question whatever else it says. */

import { CASE_CODE_PATTERN } from './rules.ts';

const CASE_CODE_ALL_RE = new RegExp(CASE_CODE_PATTERN.source, 'gi');
const BARE_CODE_RE = /^(?=[0-9a-z -]*\d)(?=[0-9a-z -]*[a-z])[0-9a-z]{4}[- ][0-9a-z]{4}$/;
const RESIDUE_STRIP_RE = /[\p{P}\p{S}\s]+/gu;
const DENSE_SCRIPT_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
/**
 * At most this much besides the code and the message is "mostly a case code": 12 Latin
 * letters, or 4 Chinese characters (`TL-7KQ2-M9XD 进度？`), each of which says more.
 */
const CODE_RESIDUE_CHARS = 12;
const DENSE_CHAR_WEIGHT = 3;

/** True when a message is a case code and little else (`TL-7KQ2-M9XD`, `TL-7KQ2-M9XD 进度？`). */
export function isMostlyCaseCode(matchText: string): boolean {
  const trimmed = matchText.trim();
  if (BARE_CODE_RE.test(trimmed)) return true;
  CASE_CODE_ALL_RE.lastIndex = 0;
  if (!CASE_CODE_ALL_RE.test(trimmed)) return false;
  const residue = trimmed.replace(CASE_CODE_ALL_RE, '').replace(RESIDUE_STRIP_RE, '');
  if (residue.length > CODE_RESIDUE_CHARS) return false;
  const dense = residue.match(DENSE_SCRIPT_RE)?.length ?? 0;
  return residue.length + dense * (DENSE_CHAR_WEIGHT - 1) <= CODE_RESIDUE_CHARS;
}
