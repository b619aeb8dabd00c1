/**
 * Cleans what a reporter typed before anything else sees it: Unicode normalised, control and
 * bidi-override characters removed, length checked. Decides `too_long` and `unreadable`.
 */
import { LIMITS, type InboundProblem } from './types.ts';

// C0/C1 controls except tab and newline; bidi overrides/isolates (used to disguise text);
// non-characters. Zero-width joiner stays (emoji sequences need it).
const STRIP = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\uFEFF\uFFFE\uFFFF]/g;

export interface CleanText {
  text?: string;
  problem?: InboundProblem;
}

/** Returns the cleaned text and, if any, the problem that stops it being accepted as it is. */
export function cleanText(raw: string | undefined, maxChars: number = LIMITS.textChars): CleanText {
  if (raw === undefined || raw === null) return {};
  const original = String(raw);
  if (original.length === 0) return {};
  const normalised = original.replace(/\r\n?/g, '\n').normalize('NFC');
  const stripped = normalised.replace(STRIP, '');
  const replacement = (stripped.match(/\uFFFD/g) ?? []).length;
  const removed = normalised.length - stripped.length;
  const text = stripped.replace(/\uFFFD/g, '').replace(/[ \t]+\n/g, '\n').replace(/\n{4,}/g, '\n\n\n').trim();
  // Mostly control characters or undecodable bytes: someone sent binary.
  if ((replacement + removed) / normalised.length > 0.2 && text.length < normalised.length * 0.8) {
    return { problem: 'unreadable' };
  }
  if (text.length === 0) return {};
  const chars = [...text];
  // Too long: the problem is reported, and the text (cut at the limit) is still returned so an
  // urgent message can be kept rather than refused.
  if (chars.length > maxChars) return { problem: 'too_long', text: chars.slice(0, maxChars).join('') };
  return { text };
}

/** Sniffs an image type from its first bytes; undefined when it is not an image we accept. */
export function sniffImage(data: Buffer): string | undefined {
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'image/jpeg';
  if (data.length >= 8 && data.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])))
    return 'image/png';
  if (data.length >= 6 && (data.subarray(0, 6).toString('latin1') === 'GIF87a' || data.subarray(0, 6).toString('latin1') === 'GIF89a'))
    return 'image/gif';
  if (data.length >= 12 && data.subarray(0, 4).toString('latin1') === 'RIFF' && data.subarray(8, 12).toString('latin1') === 'WEBP')
    return 'image/webp';
  if (data.length >= 12 && data.subarray(4, 8).toString('latin1') === 'ftyp') {
    const brand = data.subarray(8, 12).toString('latin1');
    if (/^(heic|heix|mif1|msf1|hevc|avif)$/.test(brand)) return brand === 'avif' ? 'image/avif' : 'image/heic';
  }
  return undefined;
}
