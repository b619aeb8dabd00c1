/**
 * The core's photo-matcher port over `src/photos`: a reporter's photo is fingerprinted (safely:
 * hostile images are refused) and compared with the catalogue's photos. The index is rebuilt
 * when the catalogue changes, even from another process (`catalogue import` while serving).
 */
import type { Store } from './store/index.ts';
import type { PhotoMatcherPort } from './core/types.ts';
import type { PhotoIndex, PhotoProblem } from './photos/index.ts';

/** The image library loads on the first photo, not with every CLI command. */
const photos = () => Promise.all([import('./photos/index.ts'), import('./photos/decode.ts')]).then(([index, decode]) => ({ ...index, ...decode }));

export interface PhotoMatcherOptions {
  /** Photos fingerprinted at once (each holds a decoded image); more wait their turn. */
  concurrency?: number;
  /** A photo taking longer is kept without matches (the tip is never held up for long). */
  timeoutMs?: number;
  /** Photos waiting for a turn beyond this are kept without matches at once (a burst never queues up). */
  maxWaiting?: number;
  /** Candidates kept per photo. */
  limit?: number;
}

/**
 * What a refusal tells the reporter. A picture too large to *decode* is kept, just not compared,
 * when it can be a real photo (a 48-megapixel camera shot); a decompression bomb — a few bytes
 * claiming a huge canvas — is refused (see {@link isBomb}).
 */
const REFUSAL: Record<PhotoProblem, 'attachment_not_image' | 'attachment_format' | undefined> = {
  not_image: 'attachment_not_image',
  malformed: 'attachment_not_image',
  unsupported_format: 'attachment_format',
  too_large: undefined,
};

/** No camera makes more pixels than this. */
const MAX_PHOTO_PIXELS = 250_000_000;
/** Even a flat, heavily compressed real photo keeps more than a byte per this many pixels. */
const MAX_PIXELS_PER_BYTE = 1_000;

/** A header claiming a canvas no photo has, or far more pixels than its bytes could hold. */
function isBomb(size: { width: number; height: number }, bytes: number): boolean {
  const pixels = size.width * size.height;
  return pixels > MAX_PHOTO_PIXELS || pixels > bytes * MAX_PIXELS_PER_BYTE;
}

/** A photo matcher over the store's catalogue. */
export function createPhotoMatcher(store: Store, opts: PhotoMatcherOptions = {}): PhotoMatcherPort & { index(): Promise<PhotoIndex> } {
  const concurrency = opts.concurrency ?? 2;
  const timeoutMs = opts.timeoutMs ?? 3_000;
  const maxWaiting = opts.maxWaiting ?? 16;
  // A forwarded poster shows all the children: every one of them is kept (the ranking knows a
  // poster is no evidence for any single child).
  const limit = opts.limit ?? 12;
  let cached: { revision: string; index: PhotoIndex } | undefined;
  let running = 0;
  const waiting: Array<() => void> = [];

  const index = async (): Promise<PhotoIndex> => {
    const { parseFingerprint, PhotoIndex } = await photos();
    const revision = store.catalogue.revision();
    if (cached && cached.revision === revision) return cached.index;
    const entries = [];
    for (const p of store.catalogue.photos()) {
      const fingerprint = parseFingerprint(p.fingerprint);
      if (fingerprint) entries.push({ number: p.number, photo: p.path, fingerprint });
    }
    cached = { revision, index: new PhotoIndex(entries) };
    return cached.index;
  };

  const slot = async (): Promise<(() => void) | undefined> => {
    if (running >= concurrency) {
      if (waiting.length >= maxWaiting) return undefined;
      await new Promise<void>((resolve) => waiting.push(resolve));
    }
    running++;
    return () => {
      running--;
      waiting.shift()?.();
    };
  };

  return {
    index,
    async match(data) {
      const release = await slot();
      if (!release) return { ok: false, unavailable: 'too many photos waiting to be compared' };
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        const { fingerprintQuery, headerDimensions, MIN_INPUT_SIDE, sniffFormat } = await photos();
        // A thumbnail too small to compare is still the reporter's evidence: kept, not matched.
        const format = sniffFormat(data);
        const size = typeof format === 'string' ? headerDimensions(data, format) : undefined;
        if (size && (size.width < MIN_INPUT_SIDE || size.height < MIN_INPUT_SIDE) && size.width > 0 && size.height > 0) {
          return { ok: true, matches: [] };
        }
        const result = await Promise.race([fingerprintQuery(data), timeout]);
        if (result === 'timeout') return { ok: false, unavailable: `photo matching took over ${timeoutMs} ms` };
        if (!result.ok) {
          const refused = REFUSAL[result.problem] ?? (size && isBomb(size, data.length) ? 'attachment_not_image' : undefined);
          return refused ? { ok: false, refused } : { ok: true, matches: [] };
        }
        const idx = await index();
        if (idx.size === 0) return { ok: true, matches: [] };
        return { ok: true, matches: idx.match(result.query, limit).map(({ number, photo, distance, confidence }) => ({ number, photo, distance, confidence })) };
      } catch (err) {
        return { ok: false, unavailable: (err as Error).message };
      } finally {
        clearTimeout(timer);
        release();
      }
    },
  };
}
