/**
 * The core's photo-matcher port over `src/photos`: a reporter's photo is fingerprinted (safely:
 * hostile images are refused) and compared with the catalogue's photos. The index is rebuilt
 * when the catalogue changes, even from another process (`catalogue import` while serving).
 */
import type { Store } from './store/index.ts';
import type { PhotoMatcherPort } from './core/types.ts';
import { fingerprintQuery, parseFingerprint, PhotoIndex, type PhotoProblem } from './photos/index.ts';
import { headerDimensions, MIN_INPUT_SIDE, sniffFormat } from './photos/decode.ts';

export interface PhotoMatcherOptions {
  /** Photos fingerprinted at once (each holds a decoded image); more wait their turn. */
  concurrency?: number;
  /** A photo taking longer is kept without matches (the tip is never held up for long). */
  timeoutMs?: number;
  /** Candidates kept per photo. */
  limit?: number;
}

const REFUSAL: Record<PhotoProblem, 'attachment_not_image' | 'attachment_too_large' | 'attachment_format'> = {
  not_image: 'attachment_not_image',
  malformed: 'attachment_not_image',
  unsupported_format: 'attachment_format',
  too_large: 'attachment_too_large',
};

/** A photo matcher over the store's catalogue. */
export function createPhotoMatcher(store: Store, opts: PhotoMatcherOptions = {}): PhotoMatcherPort & { index(): PhotoIndex } {
  const concurrency = opts.concurrency ?? 2;
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const limit = opts.limit ?? 3;
  let cached: { revision: string; index: PhotoIndex; checkedAt: number } | undefined;
  let running = 0;
  const waiting: Array<() => void> = [];

  const index = (): PhotoIndex => {
    const now = Date.now();
    if (cached && now - cached.checkedAt < 5_000) return cached.index;
    const revision = store.catalogue.revision();
    if (cached && cached.revision === revision) {
      cached.checkedAt = now;
      return cached.index;
    }
    const entries = [];
    for (const p of store.catalogue.photos()) {
      const fingerprint = parseFingerprint(p.fingerprint);
      if (fingerprint) entries.push({ number: p.number, photo: p.path, fingerprint });
    }
    cached = { revision, index: new PhotoIndex(entries), checkedAt: now };
    return cached.index;
  };

  const slot = async (): Promise<() => void> => {
    if (running >= concurrency) await new Promise<void>((resolve) => waiting.push(resolve));
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
      let timer: NodeJS.Timeout | undefined;
      try {
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        // A thumbnail too small to compare is still the reporter's evidence: kept, not matched.
        const format = sniffFormat(data);
        const size = typeof format === 'string' ? headerDimensions(data, format) : undefined;
        if (size && (size.width < MIN_INPUT_SIDE || size.height < MIN_INPUT_SIDE) && size.width > 0 && size.height > 0) {
          return { ok: true, matches: [] };
        }
        const result = await Promise.race([fingerprintQuery(data), timeout]);
        if (result === 'timeout') return { ok: false, unavailable: `photo matching took over ${timeoutMs} ms` };
        if (!result.ok) return { ok: false, refused: REFUSAL[result.problem] ?? 'attachment_not_image' };
        const idx = index();
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
