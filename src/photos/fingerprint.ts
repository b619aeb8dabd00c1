/**
 * The stored fingerprint of a catalogue photo, and the windows a reporter's photo is hashed on.
 *
 * A catalogue photo keeps (a) pHashes of its central region turned by a few angles — the
 * coarse keys that propose candidates —, (b) a 32×32 grey thumbnail of a slightly larger
 * central region, against which a proposal is verified by alignment (see `align.ts`), and
 * (c) a 4×4 chroma grid of that region (see `colour.ts`). Central regions, not the whole
 * photo: crops, rotated corners and borders all eat at the edges.
 *
 * Serialised as one line of text, about 1.5 KB, for a TEXT column:
 * `pf2;<aspect>;<7 hashes as hex>;<thumbnail as base64>;<chroma grid as base64>`. The version
 * prefix lets a later algorithm refuse old fingerprints (`parseFingerprint` returns undefined)
 * so that they are recomputed.
 */
import { CHROMA_GRID, chromaGrid } from './colour.ts';
import type { DecodedImage } from './decode.ts';
import { AreaSampler, luminance, phash, THUMB, thumbnail } from './hash.ts';

/** Angles (degrees) at which a catalogue photo's central region is hashed. */
export const COARSE_ANGLES = [0, -3, 3, -6, 6, -9, 9] as const;
/** Share of the catalogue photo (each side) in the coarse keys. */
export const COARSE_REGION = 0.72;
/** Shares of a query window (each side) hashed against the coarse keys: the catalogue region
 * appears smaller in a rotated copy with its corners filled, larger in a crop. */
export const QUERY_REGIONS = [0.62, 0.72, 0.84, 0.96] as const;
/** Share of the catalogue photo (each side) in the verification thumbnail. */
export const REFERENCE_REGION = 0.8;

const VERSION = 'pf2';

/** What is kept of a catalogue photo to recognise it. Treat as opaque; store with {@link serializeFingerprint}. */
export interface PhotoFingerprint {
  readonly version: 1;
  /** Width / height of the photo. */
  readonly aspect: number;
  /** pHash of the central region at each of {@link COARSE_ANGLES}, as [high, low] 32-bit words. */
  readonly coarse: ReadonlyArray<readonly [number, number]>;
  /** 32×32 grey thumbnail (row-major, 0–255) of the central {@link REFERENCE_REGION}. */
  readonly reference: Uint8Array;
  /** Mean (Cb, Cr) of a 4×4 grid over the same region, interleaved, rounded (−128…127). */
  readonly chroma: Int8Array;
}

/** Fingerprint of a decoded catalogue photo. */
export function computeFingerprint(img: DecodedImage): PhotoFingerprint {
  const sampler = new AreaSampler(luminance(img), img.width, img.height);
  const cx = img.width / 2;
  const cy = img.height / 2;
  const coarse = COARSE_ANGLES.map((angle) =>
    phash(thumbnail(sampler, { cx, cy, w: img.width * COARSE_REGION, h: img.height * COARSE_REGION, angle })),
  );
  const t = thumbnail(sampler, { cx, cy, w: img.width * REFERENCE_REGION, h: img.height * REFERENCE_REGION, angle: 0 }, THUMB);
  const reference = Uint8Array.from(t, (v) => Math.max(0, Math.min(255, Math.round(v))));
  const grid = chromaGrid(img.rgb, img.width, img.height, { cx, cy, w: img.width * REFERENCE_REGION, h: img.height * REFERENCE_REGION, angle: 0 });
  const chroma = Int8Array.from(grid, (v) => Math.max(-128, Math.min(127, Math.round(v))));
  return { version: 1, aspect: Math.round((img.width / img.height) * 10000) / 10000, coarse, reference, chroma };
}

const hex32 = (n: number) => (n >>> 0).toString(16).padStart(8, '0');

/** One line of text for a TEXT column. */
export function serializeFingerprint(f: PhotoFingerprint): string {
  const hashes = f.coarse.map(([hi, lo]) => hex32(hi) + hex32(lo)).join(',');
  const chroma = Buffer.from(f.chroma.buffer, f.chroma.byteOffset, f.chroma.length).toString('base64');
  return `${VERSION};${f.aspect.toFixed(4)};${hashes};${Buffer.from(f.reference).toString('base64')};${chroma}`;
}

/** Parses {@link serializeFingerprint}'s output; undefined for anything else (or an older version). */
export function parseFingerprint(s: string): PhotoFingerprint | undefined {
  if (typeof s !== 'string' || s.length > 4096) return undefined;
  const parts = s.split(';');
  if (parts.length !== 5 || parts[0] !== VERSION) return undefined;
  const aspect = Number(parts[1]);
  if (!/^\d+\.\d{4}$/.test(parts[1]!) || !(aspect > 0.05 && aspect < 20)) return undefined;
  const hashes = parts[2]!.split(',');
  if (hashes.length !== COARSE_ANGLES.length || !hashes.every((h) => /^[0-9a-f]{16}$/.test(h))) return undefined;
  const coarse = hashes.map((h) => [parseInt(h.slice(0, 8), 16) >>> 0, parseInt(h.slice(8), 16) >>> 0] as const);
  const base64 = /^[A-Za-z0-9+/]+={0,2}$/;
  if (!base64.test(parts[3]!) || !base64.test(parts[4]!)) return undefined;
  const reference = new Uint8Array(Buffer.from(parts[3]!, 'base64'));
  const bytes = Buffer.from(parts[4]!, 'base64');
  const chroma = new Int8Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
  if (reference.length !== THUMB * THUMB || chroma.length !== CHROMA_GRID * CHROMA_GRID * 2) return undefined;
  return { version: 1, aspect, coarse, reference, chroma };
}
