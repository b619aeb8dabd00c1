/**
 * The catalogue index: which circulated child does a reporter's photo show?
 *
 * Two stages. Proposal: every window of the query is hashed at a few scales and compared (by
 * Hamming distance) with every catalogue photo's keys at a few angles — cheap, so it scales to
 * thousands of catalogue photos; the closest few per window are kept. Verification: each
 * proposal is aligned (see `align.ts`) and scored by correlation, then checked for colour (see
 * `colour.ts`); only a good alignment in agreeing colours makes a candidate. Trying many windows, scales and angles gives an unrelated photo many chances to
 * come close by luck at the proposal stage; verification is what keeps false matches rare.
 */
import { align, makeReference, type Reference } from './align.ts';
import { chromaAgreement, chromaGrid } from './colour.ts';
import { COARSE_ANGLES, COARSE_REGION, QUERY_REGIONS, REFERENCE_REGION, type PhotoFingerprint } from './fingerprint.ts';
import { hamming, type Window } from './hash.ts';
import type { Box } from './locate.ts';
import type { PhotoQuery } from './query.ts';

/** How sure a candidate is. `strong`: the same photo; `likely`: almost surely; `possible`: worth a look. */
export type Confidence = 'strong' | 'likely' | 'possible';

/** One circulated child a query may show. */
export interface PhotoCandidate {
  /** Catalogue number. */
  number: number;
  /** The catalogue photo that matched (as given to the index). */
  photo: string;
  /**
   * pHash Hamming distance, in bits out of 64, between the catalogue photo's central region
   * and the query window aligned to it: the same picture gives 0–8 even through a screenshot
   * or a photo of a screen; another baby's portrait rarely comes under 12. For display and
   * logs: the ranking and the confidence come from the alignment score.
   */
  distance: number;
  confidence: Confidence;
}

/**
 * Score thresholds. The score (−1…1) is the lowest of three correlations after alignment: of
 * detail and of layout in grey (`align.ts`) and of chroma (`colour.ts`, when both pictures have
 * colour). Tuned on the dev seeds (10000, 11000) only: there, every transformed catalogue
 * photo scored 0.88 or more (0.95+ for most) and no unrelated picture more than 0.70.
 */
export const THRESHOLDS = { strong: 0.92, likely: 0.85, possible: 0.78 } as const;
/** A proposal farther than this (bits) is not verified. */
export const MAX_PROPOSAL_DISTANCE = 24;
/** Proposals verified per query window, and in all. */
export const PROPOSALS_PER_WINDOW = 3;
export const MAX_PROPOSALS = 40;

interface Entry {
  number: number;
  photo: string;
  fingerprint: PhotoFingerprint;
  reference: Reference;
}

interface Proposal {
  entry: Entry;
  window: number;
  region: number;
  angle: number;
  distance: number;
}

/**
 * Where the catalogue photo's verification region may be in window `box`: (1) where the coarse
 * match puts it — the matched query region is the catalogue's coarse region, turned by the
 * matched angle (a key hashed at angle a matches a copy turned by −a, which a window at −a
 * undoes); (2–4) the photo filling the window's width, top-aligned (a chat bubble with a
 * caption below) or centred, or its height — from the catalogue photo's aspect ratio.
 */
function starts(box: Box, p: Proposal): Window[] {
  const cx = box.x + box.w / 2;
  const cy = box.y + box.h / 2;
  const scale = QUERY_REGIONS[p.region]! / COARSE_REGION;
  const aspect = p.entry.fingerprint.aspect;
  const byWidth = { w: box.w * REFERENCE_REGION, h: (box.w / aspect) * REFERENCE_REGION };
  const byHeight = { w: box.h * aspect * REFERENCE_REGION, h: box.h * REFERENCE_REGION };
  return [
    { cx, cy, w: box.w * scale * REFERENCE_REGION, h: box.h * scale * REFERENCE_REGION, angle: -p.angle },
    { cx, cy: box.y + box.w / aspect / 2, ...byWidth, angle: 0 },
    { cx, cy, ...byWidth, angle: 0 },
    { cx, cy, ...byHeight, angle: 0 },
  ];
}

function confidenceOf(score: number): Confidence | undefined {
  if (score >= THRESHOLDS.strong) return 'strong';
  if (score >= THRESHOLDS.likely) return 'likely';
  if (score >= THRESHOLDS.possible) return 'possible';
  return undefined;
}

/** An in-memory index of catalogue photo fingerprints. Build once; match many times. */
export class PhotoIndex {
  readonly #entries: Entry[];

  constructor(entries: Array<{ number: number; photo: string; fingerprint: PhotoFingerprint }>) {
    this.#entries = entries.map((e) => ({ ...e, reference: makeReference(e.fingerprint.reference) }));
  }

  /** Number of catalogue photos indexed. */
  get size(): number {
    return this.#entries.length;
  }

  /**
   * Circulated children the query may show, best first (by alignment score), one entry per
   * child (its best photo), only those with a confidence; `[]` when nothing is close. A poster
   * yields several: the default limit (12) lets the eleven of the circulated poster through.
   */
  match(query: PhotoQuery, limit = 12): PhotoCandidate[] {
    const out: Array<PhotoCandidate & { score: number }> = [];
    for (const s of this.scores(query)) {
      const confidence = confidenceOf(s.score);
      if (confidence) out.push({ number: s.number, photo: s.photo, distance: s.distance, confidence, score: s.score });
    }
    return out.slice(0, Math.max(0, limit)).map(({ score: _score, ...c }) => c);
  }

  /**
   * Every child that was proposed and verified, with its alignment score (−1…1) and the
   * aligned window, best first — including those below every threshold. For evaluation,
   * threshold tuning and diagnostics.
   */
  scores(query: PhotoQuery): Array<{ number: number; photo: string; score: number; distance: number; window: Window }> {
    const proposals = this.#propose(query);
    const best = new Map<number, { score: number; distance: number; photo: string; window: Window }>();
    // A window shows one child: once it verified strongly, its other proposals are moot. And a
    // child verified strongly needs no second look.
    const settled = new Set<number>();
    for (const p of proposals) {
      if (settled.has(p.window) || (best.get(p.entry.number)?.score ?? -1) >= THRESHOLDS.strong) continue;
      const box = query.windows[p.window]!.box;
      const r = align(query.sampler, starts(box, p), p.entry.reference, THRESHOLDS.strong);
      // A good grey fit must also agree in colour, when both pictures have colour.
      let score = r.score;
      if (score >= THRESHOLDS.possible) {
        const colour = chromaAgreement(chromaGrid(query.rgb, query.width, query.height, r.window), p.entry.fingerprint.chroma);
        if (colour !== undefined) score = Math.min(score, colour);
      }
      if (score >= THRESHOLDS.strong) settled.add(p.window);
      const prev = best.get(p.entry.number);
      if (!prev || score > prev.score) best.set(p.entry.number, { score, distance: r.distance, photo: p.entry.photo, window: r.window });
    }
    return [...best]
      .map(([number, b]) => ({ number, ...b }))
      .sort((a, b) => b.score - a.score || a.number - b.number);
  }

  /** The closest catalogue photos for each query window, by coarse key distance. */
  #propose(query: PhotoQuery): Proposal[] {
    const all: Proposal[] = [];
    query.windows.forEach((win, w) => {
      const perWindow: Proposal[] = [];
      for (const entry of this.#entries) {
        let best: Proposal | undefined;
        for (let r = 0; r < win.hashes.length; r++) {
          for (let a = 0; a < COARSE_ANGLES.length; a++) {
            const d = hamming(win.hashes[r]!, entry.fingerprint.coarse[a]!);
            if (d <= MAX_PROPOSAL_DISTANCE && (!best || d < best.distance)) best = { entry, window: w, region: r, angle: COARSE_ANGLES[a]!, distance: d };
          }
        }
        if (best) perWindow.push(best);
      }
      perWindow.sort((a, b) => a.distance - b.distance || a.entry.number - b.entry.number);
      // One proposal per child per window.
      const seen = new Set<number>();
      for (const p of perWindow) {
        if (seen.has(p.entry.number)) continue;
        seen.add(p.entry.number);
        all.push(p);
        if (seen.size >= PROPOSALS_PER_WINDOW) break;
      }
    });
    all.sort((a, b) => a.distance - b.distance || a.window - b.window || a.entry.number - b.entry.number);
    return all.slice(0, MAX_PROPOSALS);
  }
}
