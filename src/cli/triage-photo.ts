/** `triage --photo FILE`: one photo against the catalogue, as the live tip line would see it. */
import { readFile, stat } from 'node:fs/promises';
import type { Store } from '../store/index.ts';
import { rankCandidates } from '../core/candidates.ts';
import { createPhotoMatcher } from '../photo-matcher.ts';

const MAX_BYTES = 10 * 1024 * 1024;

/** The photo's matches and candidates, or the reason it would be refused. */
export async function triagePhoto(store: Store, file: string): Promise<Record<string, unknown>> {
  const info = await stat(file).catch(() => undefined);
  if (!info?.isFile()) return { photo: file, refused: 'no such file' };
  if (info.size > MAX_BYTES) return { photo: file, refused: 'attachment_too_large' };
  const result = await createPhotoMatcher(store).match(await readFile(file));
  if (!result.ok) return { photo: file, ...('refused' in result ? { refused: result.refused } : { unavailable: result.unavailable }) };
  const candidates = rankCandidates({ named: [], photos: [result.matches], attributes: [], catalogue: store.catalogue.numbers() });
  return { photo: file, matches: result.matches, candidates, children: candidates.map((c) => c.number) };
}
