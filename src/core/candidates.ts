/**
 * Which circulated children a case may concern, from three kinds of evidence: the reporter
 * named a number, a photo matches a catalogue photo, a family's description fits. Each gives a
 * score; agreeing evidence adds up (noisy-or), so "named #7 and the photo is #7" outranks
 * either alone. Pure.
 */
import type { Candidate, CandidateSource, Confidence } from './types.ts';

/** Group sizes are counted up to this (the store's cap): "1000+ similar reports". */
export const CLUSTER_COUNT_CAP = 1000;

/** A reporter's photo compared with the catalogue (computed when it arrived). */
export interface PhotoMatch {
  number: number;
  /** The catalogue photo it is closest to. */
  photo: string;
  /** Perceptual distance (Hamming bits of 64; lower is closer). */
  distance: number;
  confidence: Confidence;
}

/** A family inquiry's fit with one child (see `matchFamilyInquiry`). */
export interface AttributeMatch {
  number: number;
  score: number;
  reasons: string[];
}

export interface CandidateEvidence {
  /** Numbers the reporter named, first the one they chose in the flow. */
  named: readonly number[];
  /** Matches of each photo in the case. */
  photos: ReadonlyArray<readonly PhotoMatch[]>;
  /** Family-inquiry matches (family cases only). */
  attributes: readonly AttributeMatch[];
  /** Numbers in the catalogue; a named number outside it is kept but weak. */
  catalogue: ReadonlySet<number>;
}

/** Most candidates kept on a case. */
export const MAX_CANDIDATES = 5;

const PHOTO_SCORE: Record<Confidence, number> = { strong: 0.9, likely: 0.7, possible: 0.4 };
const NAMED_SCORE = 0.6;
/** A photo matching this many children or more is a forwarded poster. */
const POSTER_CHILDREN = 4;
const POSTER_SCORE = 0.05;
const NAMED_UNKNOWN_SCORE = 0.2;
/** A description alone is never more than "likely": only DNA decides. */
const ATTRIBUTE_WEIGHT = 0.75;

/** The confidence word for a combined score. */
export function confidenceOf(score: number): Confidence {
  if (score >= 0.85) return 'strong';
  if (score >= 0.6) return 'likely';
  return 'possible';
}

/** Ranked candidates, best first, at most {@link MAX_CANDIDATES}. */
export function rankCandidates(e: CandidateEvidence): Candidate[] {
  const by = new Map<number, { misses: number; sources: Set<CandidateSource>; reasons: string[] }>();
  const add = (number: number, score: number, source: CandidateSource, reasons: string[]) => {
    let c = by.get(number);
    if (!c) by.set(number, (c = { misses: 1, sources: new Set(), reasons: [] }));
    c.misses *= 1 - Math.min(0.99, Math.max(0, score));
    c.sources.add(source);
    for (const r of reasons) if (!c.reasons.includes(r)) c.reasons.push(r);
  };
  for (const n of new Set(e.named)) {
    const known = e.catalogue.size === 0 || e.catalogue.has(n);
    add(n, known ? NAMED_SCORE : NAMED_UNKNOWN_SCORE, 'named', [known ? `named:#${n}` : `named-unknown:#${n}`]);
  }
  e.photos.forEach((matches, i) => {
    // One photo counts once per child: its best match.
    const best = new Map<number, PhotoMatch>();
    for (const m of matches) if (!best.has(m.number) || best.get(m.number)!.distance > m.distance) best.set(m.number, m);
    // A photo showing many circulated children is the police poster forwarded: it says the
    // reporter saw the poster, not which child they saw.
    const poster = best.size >= POSTER_CHILDREN;
    const label = `photo${e.photos.length > 1 ? i + 1 : ''}`;
    for (const m of best.values()) {
      if (poster) add(m.number, POSTER_SCORE, 'photo', [`${label}:poster-of-${best.size}`]);
      else add(m.number, PHOTO_SCORE[m.confidence], 'photo', [`${label}:${m.confidence}:d=${m.distance}`]);
    }
  });
  for (const a of e.attributes) add(a.number, a.score * ATTRIBUTE_WEIGHT, 'attributes', a.reasons);
  const out: Candidate[] = [];
  for (const [number, c] of by) {
    const score = Math.round((1 - c.misses) * 100) / 100;
    out.push({ number, score, confidence: confidenceOf(score), sources: [...c.sources], reasons: c.reasons.slice(0, 8) });
  }
  out.sort((a, b) => b.score - a.score || a.number - b.number);
  return out.slice(0, MAX_CANDIDATES);
}

/**
 * One candidate as a caseworker reads it: `#7 strong (0.93) — photo:strong:d=4, named:#7`.
 * The same words on the CLI and in Slack.
 */
export function describeCandidate(c: Candidate, maxReasons = 4): string {
  const reasons = c.reasons.slice(0, maxReasons).join(', ');
  const more = c.reasons.length > maxReasons ? ` +${c.reasons.length - maxReasons}` : '';
  return `#${c.number} ${c.confidence} (${c.score.toFixed(2)})${reasons ? ` — ${reasons}${more}` : ''}`;
}

/** "14 similar reports (first TL-…; also TL-…)" — or undefined for a case that stands alone. */
export function describeSimilar(s: { count: number; first: string; isFirst: boolean; others: string[] } | null): string | undefined {
  if (!s || s.count < 2) return undefined;
  const count = s.count >= CLUSTER_COUNT_CAP ? `${CLUSTER_COUNT_CAP}+` : String(s.count);
  const others = s.others.length ? `; also ${s.others.join(', ')}${s.count - 1 > s.others.length ? ', …' : ''}` : '';
  return s.isFirst
    ? `${count} similar reports (this is the first${others})`
    : `${count} similar reports (first ${s.first}${others})`;
}
