/**
 * Case codes: what a reporter keeps to come back. `TL-` and two groups of four Crockford
 * base-32 characters: 40 random bits, never derived from the reporter.
 */
import { randomBytes } from 'node:crypto';

/** Crockford's base-32 alphabet (no I, L, O, U). */
export const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A fresh random case code such as `TL-7KQ2-M9XD` (40 bits from the system CSPRNG). */
export function generateCaseCode(random: (n: number) => Buffer = randomBytes): string {
  const bytes = random(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 7; i >= 0; i--) out += CROCKFORD[Number((bits >> BigInt(i * 5)) & 31n)];
  return `TL-${out.slice(0, 4)}-${out.slice(4)}`;
}

/**
 * Reads a case code the way people type it: any case, with or without `TL` and dashes or
 * spaces, `O`→`0`, `I`/`L`→`1`. Returns the canonical `TL-XXXX-XXXX`, or undefined.
 */
export function normaliseCaseCode(input: string): string | undefined {
  let s = input.normalize('NFKC').toUpperCase().replace(/[\s\-‐-―_.·・]/g, '');
  if (s.length === 10 && (s.startsWith('TL') || s.startsWith('T1'))) s = s.slice(2);
  if (s.length !== 8) return undefined;
  s = s.replace(/O/g, '0').replace(/[IL]/g, '1');
  if (![...s].every((c) => CROCKFORD.includes(c))) return undefined;
  return `TL-${s.slice(0, 4)}-${s.slice(4)}`;
}

/** Finds something that looks like a case code inside free text (for "status" messages). */
export function findCaseCodeInText(text: string): string | undefined {
  const m = /\bT[L1I][\s-]?[0-9A-Za-z]{4}[\s-]?[0-9A-Za-z]{4}\b/i.exec(text.normalize('NFKC'));
  return m ? normaliseCaseCode(m[0]) : undefined;
}
