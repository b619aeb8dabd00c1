/**
 * Verification by alignment: is the catalogue photo really in this window of the query?
 *
 * A pHash comparison only proposes; here we search for the rotated rectangle of the query that
 * best lines up with the catalogue photo's central region (scale, aspect, position, angle — an
 * affine fit, close enough for a photo of a screen) and score the fit by normalised
 * cross-correlation of 32×32 thumbnails, twice: band-passed, which removes the broad layout
 * every baby portrait shares (a light oval in the middle, darker clothes below) so that the
 * detail must line up — eyes, hair, the pattern on a blanket —, and plain, so that the light and
 * dark masses must too. The score is the lower of the two. Correlation ignores brightness and
 * contrast, and nearly gamma. The search runs on 16×16 thumbnails first (cheap; most proposals
 * are wrong and are dropped there), then refines at 32×32.
 */
import { AreaSampler, hamming, phash, THUMB, thumbnail, type Window } from './hash.ts';

/** The catalogue side of a comparison, prepared once per catalogue photo. */
export interface Reference {
  /** Band-passed, normalised 32×32 thumbnail of the photo's central region. */
  bp32: Float32Array;
  /** The 32×32 thumbnail itself, normalised (zero mean, unit length): the broad layout. */
  raw32: Float32Array;
  /** The same at 16×16, for the coarse part of the search. */
  bp16: Float32Array;
  raw16: Float32Array;
  /** pHash of the central region. */
  hash: [number, number];
}

/** Result of aligning one window: the fitted window and how well it matches. */
export interface Alignment {
  window: Window;
  /**
   * −1…1: the lower of two correlations of the aligned window with the reference — of the
   * band-passed thumbnails (the detail must line up) and of the plain ones (so must the broad
   * layout: a stranger's face can share the detail's rhythm but not the light and dark masses).
   */
  score: number;
  /** The two correlations. */
  detail: number;
  layout: number;
  /** pHash Hamming distance (0–64) between the aligned window and the reference. */
  distance: number;
}

/** 1 / (number of taps) of a radius-r box at each position of an n-long line (edges renormalised). */
const inverseTaps = (n: number, r: number) => Float32Array.from({ length: n }, (_, i) => 1 / (Math.min(n - 1, i + r) - Math.max(0, i - r) + 1));
const TAPS = new Map<number, Float32Array>([16, 32].map((n) => [n, inverseTaps(n, Math.max(1, Math.round(n / 16)))]));

/** Subtracts a box-blurred copy (radius n/16, edges renormalised), then normalises to unit length. */
export function bandpass(t: Float32Array, n: number): Float32Array {
  const r = Math.max(1, Math.round(n / 16));
  const inv = TAPS.get(n) ?? inverseTaps(n, r);
  const tmp = new Float32Array(n * n);
  const out = new Float32Array(n * n);
  for (let y = 0; y < n; y++) {
    const row = y * n;
    for (let x = 0; x < n; x++) {
      let s = 0;
      const k1 = Math.min(n - 1, x + r);
      for (let k = Math.max(0, x - r); k <= k1; k++) s += t[row + k]!;
      tmp[row + x] = s * inv[x]!;
    }
  }
  let mean = 0;
  for (let y = 0; y < n; y++) {
    const k0 = Math.max(0, y - r);
    const k1 = Math.min(n - 1, y + r);
    for (let x = 0; x < n; x++) {
      let s = 0;
      for (let k = k0; k <= k1; k++) s += tmp[k * n + x]!;
      const v = t[y * n + x]! - s * inv[y]!;
      out[y * n + x] = v;
      mean += v;
    }
  }
  mean /= n * n;
  let norm = 0;
  for (let i = 0; i < out.length; i++) {
    const v = out[i]! - mean;
    out[i] = v;
    norm += v * v;
  }
  // A flat thumbnail has no detail to correlate: leave it all zeros (score 0).
  const scale = norm > 1e-6 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < out.length; i++) out[i] = out[i]! * scale;
  return out;
}

/** Zero mean, unit length (all zeros for a flat thumbnail). A new array. */
export function normalise(t: Float32Array): Float32Array {
  const n = t.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += t[i]!;
  mean /= n;
  const out = new Float32Array(n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const v = t[i]! - mean;
    out[i] = v;
    norm += v * v;
  }
  const inv = norm > 1e-6 ? 1 / Math.sqrt(norm) : 0;
  for (let i = 0; i < n; i++) out[i] = out[i]! * inv;
  return out;
}

/** 2×2 average of an n×n thumbnail. */
function half(t: Float32Array | Uint8Array, n: number): Float32Array {
  const m = n / 2;
  const out = new Float32Array(m * m);
  for (let y = 0; y < m; y++) {
    for (let x = 0; x < m; x++) {
      out[y * m + x] = (t[2 * y * n + 2 * x]! + t[2 * y * n + 2 * x + 1]! + t[(2 * y + 1) * n + 2 * x]! + t[(2 * y + 1) * n + 2 * x + 1]!) / 4;
    }
  }
  return out;
}

/** Prepares a reference from the stored 32×32 grey thumbnail of a catalogue photo's central region. */
export function makeReference(thumb: Uint8Array): Reference {
  const f = Float32Array.from(thumb);
  return { bp32: bandpass(f, THUMB), raw32: normalise(f), bp16: bandpass(half(f, THUMB), THUMB / 2), raw16: normalise(half(f, THUMB)), hash: phash(f) };
}

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Below this 16×16 score a proposal is abandoned before the costly 32×32 refinement. */
export const GATE = 0.55;

/** Position offsets tried around the guess, as fractions of the window (a 10 % one-sided crop moves the centre 5 %). */
const SHIFTS = [-0.08, -0.04, 0, 0.04, 0.08];

/**
 * Scales tried around the coarse guess: a caption or frame inside the window skews it by 10 %
 * or more, and a cropped and straightened copy shows only 75–80 % of the photo.
 */
const SCALES = [0.82, 0.9, 1, 1.1, 1.2];
/** Scale/angle combinations whose neighbourhood is searched for the position. */
const BASES = 3;
/** Angles (degrees) tried at the start of an alignment: the rotations we expect (±10°). */
const ANGLES = [-9, -6, -3, 0, 3, 6, 9];

type Params = [cx: number, cy: number, w: number, h: number, angle: number];

const toWindow = (p: Params): Window => ({ cx: p[0], cy: p[1], w: p[2], h: p[3], angle: p[4] });

/** Coordinate ascent on the five window parameters; steps halve when nothing improves. */
function climb(score: (p: Params) => number, start: Params, startScore: number, steps: number[], minFraction: number, maxEvals: number): { p: Params; s: number } {
  let p = start;
  let best = startScore;
  const st = steps.slice();
  const floor = steps.map((v) => v * minFraction);
  let evals = 0;
  while (evals < maxEvals) {
    let improved = false;
    for (let k = 0; k < 5 && evals < maxEvals; k++) {
      for (const sign of [-1, 1]) {
        const q = p.slice() as Params;
        q[k] = q[k]! + sign * st[k]!;
        if (q[2] < 8 || q[3] < 8) continue;
        const v = score(q);
        evals++;
        if (v > best) {
          best = v;
          p = q;
          improved = true;
          break;
        }
      }
    }
    if (!improved) {
      if (st.every((v, i) => v <= floor[i]!)) break;
      for (let i = 0; i < 5; i++) st[i] = st[i]! / 2;
    }
  }
  return { p, s: best };
}

/**
 * Aligns the reference to the query from each of `starts` in turn (guesses of where the
 * catalogue photo's central region is; the first is the surest) and returns the best fit.
 * Stops early at a fit scoring `enough`, or when the first guess found nothing like the
 * reference (16×16 score below `hopeless`): the other guesses are for awkward framings of a
 * real match, not a second chance for a stranger.
 */
export function align(sampler: AreaSampler, starts: readonly Window[], ref: Reference, enough: number, hopeless = 0.45): Alignment {
  let best: Alignment | undefined;
  for (let i = 0; i < starts.length; i++) {
    const r = alignFrom(sampler, starts[i]!, i === 0 ? SCALES : [1], ref);
    if (!best || r.score > best.score) best = r;
    if (best.score >= enough || (i === 0 && r.coarse < hopeless)) break;
  }
  return best!;
}

function alignFrom(sampler: AreaSampler, start: Window, scales: readonly number[], ref: Reference): Alignment & { coarse: number } {
  const s16 = (p: Params) => {
    const t = thumbnail(sampler, toWindow(p), 16, true);
    return (dot(bandpass(t, 16), ref.bp16) + dot(normalise(t), ref.raw16)) / 2;
  };
  const s32 = (p: Params) => dot(bandpass(thumbnail(sampler, toWindow(p), THUMB), THUMB), ref.bp32);
  // 1. The guess at every angle in the expected range (the coarse angle is a weak hint: keys a
  // few degrees apart differ by a bit or two) and the given scales; then positions around the
  // best few of those (scale and position trade off: a crop shifts and enlarges at once).
  const tried: Array<{ p: Params; s: number }> = [];
  for (const sc of scales) {
    for (const angle of ANGLES) {
      const p: Params = [start.cx, start.cy, start.w * sc, start.h * sc, angle];
      tried.push({ p, s: s16(p) });
    }
  }
  tried.sort((a, b) => b.s - a.s);
  let best = tried[0]!.p;
  let bestScore = tried[0]!.s;
  for (const { p: base } of tried.slice(0, BASES)) {
    for (const dx of SHIFTS) {
      for (const dy of SHIFTS) {
        if (dx === 0 && dy === 0) continue;
        const p: Params = [base[0] + dx * base[2], base[1] + dy * base[3], base[2], base[3], base[4]];
        const v = s16(p);
        if (v > bestScore) (bestScore = v), (best = p);
      }
    }
  }
  // 2. Refine at 16×16, then at 32×32 with small steps.
  const w0 = best[2];
  const h0 = best[3];
  const coarse = climb(s16, best, bestScore, [0.03 * w0, 0.03 * h0, 0.03 * w0, 0.03 * h0, 1.5], 0.25, 60);
  // Most proposals are wrong; their detail does not line up even at 16×16: stop there. (The
  // search above also weighs the layout, which widens its reach, but any two portraits share
  // much of theirs.)
  const detail16 = dot(bandpass(thumbnail(sampler, toWindow(coarse.p), 16, true), 16), ref.bp16);
  if (detail16 < GATE) return { window: toWindow(coarse.p), score: detail16, detail: detail16, layout: coarse.s, distance: 64, coarse: detail16 };
  const fine = climb(s32, coarse.p, s32(coarse.p), [0.01 * w0, 0.01 * h0, 0.01 * w0, 0.01 * h0, 0.5], 0.5, 40);
  const window = toWindow(fine.p);
  const t = thumbnail(sampler, window, THUMB);
  const layout = dot(normalise(t), ref.raw32);
  return { window, score: Math.min(fine.s, layout), detail: fine.s, layout, distance: hamming(phash(t), ref.hash), coarse: detail16 };
}
