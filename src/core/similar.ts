/**
 * Near-duplicate reports: the same rumour pasted by many people, with small edits. Each case's
 * opening text gets a MinHash signature over character shingles; locality-sensitive hashing
 * (bands of the signature) finds the few earlier cases worth comparing without reading them
 * all, and the signatures decide. Pure; the store keeps bands and signatures.
 */
import { nfkc, toSimplified } from './triage/language.ts';

/** Hash functions in a signature. */
export const SIGNATURE_SIZE = 72;
/** Rows per band: 24 bands of 3. Two texts of Jaccard 0.5 share a band with p ≈ 0.96. */
const ROWS = 3;
/** Estimated Jaccard similarity at or above which two texts are the same report. */
export const SIMILAR_AT = 0.5;
/** Texts shorter than this (after normalising) are not grouped: "7号" is not a rumour. */
export const MIN_CHARS = 16;
/** Only the start of a long text is compared (the rumour is in its first lines). */
const MAX_CHARS = 2_000;

// Seeds for the hash family h_i(x) = (a_i * x + b_i) mod 2^32, fixed forever: signatures are
// stored, so changing these would make old and new ones incomparable.
const A = new Uint32Array(SIGNATURE_SIZE);
const B = new Uint32Array(SIGNATURE_SIZE);
{
  let s = 0x9e3779b9;
  const next = (): number => {
    // xorshift32
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
  for (let i = 0; i < SIGNATURE_SIZE; i++) {
    A[i] = next() | 1;
    B[i] = next();
  }
}

function fnv1a(text: string, from: number, to: number): number {
  let h = 0x811c9dc5;
  for (let i = from; i < to; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const DROP_RE = /[\p{P}\p{S}\p{Z}\s\p{Cc}\p{Cf}]+/gu;
const URL_RE = /(?:https?:\/\/|www\.)\S+/giu;
const HAN_RE = /\p{Script=Han}/gu;

/** The text a signature is made from: letters and digits only, lower case, simplified. */
export function normaliseForSimilarity(text: string): string {
  if (typeof text !== 'string') return '';
  const t = toSimplified(nfkc(text.slice(0, MAX_CHARS * 2)).toLowerCase()).replace(URL_RE, ' url ');
  return t.replace(DROP_RE, '').slice(0, MAX_CHARS);
}

export interface TextSignature {
  signature: Uint32Array;
  /** One key per band; two texts sharing any key are compared. */
  bands: number[];
}

/**
 * The signature of a report's text, or `undefined` when it is too short to group. Chinese text
 * is shingled by two characters (a word is often two), other text by four.
 */
export function textSignature(text: string): TextSignature | undefined {
  const t = normaliseForSimilarity(text);
  if ([...t].length < MIN_CHARS) return undefined;
  const han = t.match(HAN_RE)?.length ?? 0;
  const k = han * 2 >= t.length ? 2 : 4;
  const signature = new Uint32Array(SIGNATURE_SIZE).fill(0xffffffff);
  const seen = new Set<number>();
  for (let i = 0; i + k <= t.length; i++) {
    const x = fnv1a(t, i, i + k);
    if (seen.has(x)) continue;
    seen.add(x);
    for (let j = 0; j < SIGNATURE_SIZE; j++) {
      const h = (Math.imul(A[j]!, x) + B[j]!) >>> 0;
      if (h < signature[j]!) signature[j] = h;
    }
  }
  const bands: number[] = [];
  for (let b = 0; b * ROWS < SIGNATURE_SIZE; b++) {
    let h = Math.imul(b + 1, 0x9e3779b1) >>> 0;
    for (let r = 0; r < ROWS; r++) h = Math.imul(h ^ signature[b * ROWS + r]!, 0x01000193) >>> 0;
    // Band index in the high bits: equal values in different bands are different keys.
    bands.push(b * 2 ** 32 + h);
  }
  return { signature, bands };
}

/** The estimated Jaccard similarity of the shingle sets behind two signatures (0..1). */
export function similarity(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== b.length || a.length === 0) return 0;
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

/** A signature as stored (little-endian bytes) and back. */
export function signatureToBuffer(sig: Uint32Array): Buffer {
  return Buffer.from(sig.buffer, sig.byteOffset, sig.byteLength);
}

export function signatureFromBuffer(buf: Buffer): Uint32Array {
  const copy = new Uint8Array(buf.length);
  copy.set(buf);
  return new Uint32Array(copy.buffer, 0, Math.floor(buf.length / 4));
}
