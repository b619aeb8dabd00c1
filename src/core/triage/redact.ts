/**
 * Personal data masked for logs and previews: each phone number, resident ID, e-mail address,
 * bank card, link, WeChat id and QQ number becomes `[phone]`, `[id_number]`, `[email]`, ...
 */

import { nfkc } from './language.ts';
import { findPiiMatches, type PiiKind } from './pii.ts';

/**
 * The text with every piece of personal data replaced by `[kind]`
 * (`电话 138 1234 5678` → `电话 [phone]`). The text is returned in NFKC form with native
 * digits folded (`nfkc`), since that is the form the detectors read; text without personal
 * data comes back in that form too. `keep` leaves some kinds as written (logs keep links).
 * Never throws: anything that is not a string gives `''`.
 */
export function redactPii(text: string, opts: { keep?: readonly PiiKind[] } = {}): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  const t = nfkc(text);
  const matches = opts.keep?.length ? findPiiMatches(t).filter((m) => !opts.keep!.includes(m.kind)) : findPiiMatches(t);
  if (matches.length === 0) return t;
  let out = '';
  let at = 0;
  for (const m of matches) {
    if (m.start < at) continue; // spans never overlap, but be safe
    out += t.slice(at, m.start) + `[${m.kind}]`;
    at = m.end;
  }
  return out + t.slice(at);
}
