/**
 * Perceptual photo matching against the circulated catalogue.
 *
 * A reporter sends a picture — a forwarded poster, a chat screenshot with a caption, a
 * re-compressed, resized, cropped or rotated copy, a phone photo of a screen — and we say which
 * circulated child (catalogue number) it shows, with a distance and a confidence word, or
 * nothing. Hostile files are refused with a problem code, quickly, without crashing.
 *
 * ```ts
 * const fp = await fingerprintPhoto(catalogueJpeg);           // once per catalogue photo
 * if (fp.ok) store(serializeFingerprint(fp.fingerprint));      // TEXT column
 * const index = new PhotoIndex(rows.map((r) => ({ number: r.number, photo: r.photo, fingerprint: parseFingerprint(r.fp)! })));
 * const q = await fingerprintQuery(reporterPhoto);
 * if (q.ok) index.match(q.query);                              // [{ number: 7, photo, distance: 2, confidence: 'strong' }]
 * ```
 */
import { decodeImage, type PhotoProblem } from './decode.ts';
import { computeFingerprint, type PhotoFingerprint } from './fingerprint.ts';
import { PhotoQuery } from './query.ts';

export type { PhotoProblem } from './decode.ts';
export { MAX_INPUT_BYTES, MAX_INPUT_PIXELS } from './decode.ts';
export { parseFingerprint, serializeFingerprint, type PhotoFingerprint } from './fingerprint.ts';
export { PhotoIndex, THRESHOLDS, type Confidence, type PhotoCandidate } from './match.ts';
export { PhotoQuery } from './query.ts';

/** A refused picture: a stable code, and a one-line reason fit for a log (never the file's content). */
export interface PhotoRefused {
  ok: false;
  problem: PhotoProblem;
  detail: string;
}

/** Fingerprint of a catalogue photo (trusted-ish, still decoded safely). */
export async function fingerprintPhoto(
  data: Buffer,
): Promise<{ ok: true; fingerprint: PhotoFingerprint; width: number; height: number } | PhotoRefused> {
  const d = await decodeImage(data);
  if (!d.ok) return d;
  return { ok: true, fingerprint: computeFingerprint(d.image), width: d.image.sourceWidth, height: d.image.sourceHeight };
}

/** A reporter's photo prepared for {@link PhotoIndex.match}: the photos found in it, hashed. */
export async function fingerprintQuery(data: Buffer): Promise<{ ok: true; query: PhotoQuery } | PhotoRefused> {
  const d = await decodeImage(data);
  if (!d.ok) return d;
  return { ok: true, query: new PhotoQuery(d.image) };
}
