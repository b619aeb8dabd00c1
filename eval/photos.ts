/**
 * Photo-matching evaluation: the sample catalogue's eleven photos, each sent back through every
 * transformation recipe (screenshots, re-compression, resizing, crops, rotations, photos of a
 * screen, greyscale, and combinations), posters of several children, at least 300 unrelated
 * pictures (other synthetic babies — the hardest case —, landscapes, gradients, noise, chat
 * screenshots, documents, posters of strangers, most of them transformed too), and the hostile
 * file set.
 *
 *   npx tsx eval/photos.ts [--seed N]     prints the PhotoEval as JSON
 *
 * Seeds. Everything is generated from one seed, so the figures are reproducible:
 * - 20000 (the default) is the held-out set: it was not looked at while tuning;
 * - 10000 and 11000 are the dev set: the thresholds in `src/photos/match.ts` and the
 *   locating/alignment parameters were tuned on those two only;
 * - the unit tests (`test/photos/`) use seeds from 30000 up.
 * The catalogue photos themselves are seeds 1–11 (`scripts/make-sample-catalogue.ts`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprintPhoto, fingerprintQuery, PhotoIndex, THRESHOLDS, type PhotoCandidate } from '../src/photos/index.ts';
import { hostileCases } from '../src/photos/hostile.ts';
import { posterGrid, RECIPES, Rng, syntheticFace, syntheticUnrelated, UNRELATED_KINDS } from '../src/photos/synthetic.ts';

/** What {@link evaluatePhotos} measured. Rates are 0–1. */
export interface PhotoEval {
  /** Transformed copies of catalogue photos queried. */
  variants: number;
  /** Share of variants whose first candidate is the right child (with any confidence). */
  top1Accuracy: number;
  /** Share whose right child is among the first three candidates. */
  top3Accuracy: number;
  /** Unrelated pictures queried. */
  unrelated: number;
  /** Share of unrelated pictures that got any candidate at all (what a caseworker would be shown). */
  falseMatchRate: number;
  /** Hostile files refused with the expected problem code, out of {@link hostileCases}. */
  refusedHostile: number;
  hostileCases: number;
  /** Mean time of `fingerprintQuery` + `match` per picture (variants, posters and unrelated). */
  msPerQuery: number;
  /** 95th percentile of the same. */
  msPerQueryP95: number;
  perTransform: Record<string, { n: number; top1: number }>;
  /** Posters of several catalogue children: how many of the children shown were found, and how many wrong ones. */
  posters: { n: number; childrenShown: number; found: number; recall: number; wrong: number };
  /** Awkward but legitimate files (CMYK, 16-bit, alpha, animated GIF) that were accepted. */
  awkwardAccepted: number;
  awkwardCases: number;
  /** Every hostile/awkward case: expected and actual outcome, and time taken. */
  hostile: Array<{ name: string; expected: string; got: string; ms: number }>;
  /** The unrelated pictures that matched, for inspection. */
  falseMatches: Array<{ what: string; candidates: PhotoCandidate[] }>;
  seed: number;
  thresholds: typeof THRESHOLDS;
}

export interface PhotoEvalOptions {
  /** Generation seed (default 20000, the held-out set; 10000 and 11000 are the dev set). */
  seed?: number;
  /** Unrelated pictures (default 330). */
  unrelated?: number;
  /** Posters of several catalogue children (default 6). */
  posters?: number;
  /** Only these recipes (default all). */
  recipes?: string[];
  /** The catalogue JSON (default data/catalogue.sample.json); photos are read relative to it. */
  catalogue?: string;
}

const DEFAULT_CATALOGUE = fileURLToPath(new URL('../data/catalogue.sample.json', import.meta.url));

/** Transformations applied to unrelated pictures, in turn. */
const UNRELATED_RECIPES = ['none', 'screenshot_chat', 'screen_photo', 'jpeg_q8_15', 'rotate_fill', 'screenshot_notice', 'crop_10', 'screen_photo_of_chat', 'greyscale'];

async function loadIndex(file: string): Promise<{ index: PhotoIndex; photos: Map<number, Buffer> }> {
  const rows = JSON.parse(readFileSync(file, 'utf8')) as Array<{ number: number; photos?: string[] }>;
  const entries = [];
  const photos = new Map<number, Buffer>();
  for (const row of rows) {
    for (const p of row.photos ?? []) {
      const data = readFileSync(path.resolve(path.dirname(file), p));
      const fp = await fingerprintPhoto(data);
      if (!fp.ok) throw new Error(`${p}: ${fp.problem} (${fp.detail})`);
      entries.push({ number: row.number, photo: p, fingerprint: fp.fingerprint });
      if (!photos.has(row.number)) photos.set(row.number, data);
    }
  }
  return { index: new PhotoIndex(entries), photos };
}

/** Runs the evaluation (about a minute on two cores). */
export async function evaluatePhotos(opts: PhotoEvalOptions = {}): Promise<PhotoEval> {
  const seed = opts.seed ?? 20000;
  const { index, photos } = await loadIndex(opts.catalogue ?? DEFAULT_CATALOGUE);
  const rng = new Rng(seed);
  const times: number[] = [];
  const query = async (data: Buffer, limit: number): Promise<PhotoCandidate[]> => {
    const t = performance.now();
    const q = await fingerprintQuery(data);
    const m = q.ok ? index.match(q.query, limit) : [];
    times.push(performance.now() - t);
    return m;
  };

  // Variants: every recipe for every child.
  const recipes = Object.entries(RECIPES).filter(([name]) => !opts.recipes || opts.recipes.includes(name));
  const perTransform: PhotoEval['perTransform'] = {};
  let variants = 0;
  let top1 = 0;
  let top3 = 0;
  for (const [name, recipe] of recipes) {
    let hits = 0;
    for (const [number, photo] of photos) {
      const m = await query(await recipe(photo, rng.fork()), 3);
      variants++;
      if (m[0]?.number === number) (top1++, hits++);
      if (m.some((c) => c.number === number)) top3++;
    }
    perTransform[name] = { n: photos.size, top1: hits / photos.size };
  }

  // Posters of several catalogue children, numbers under the photos.
  const posters = { n: opts.posters ?? 6, childrenShown: 0, found: 0, recall: 0, wrong: 0 };
  const numbers = [...photos.keys()];
  for (let i = 0; i < posters.n; i++) {
    const r = rng.fork();
    const shown = numbers.filter(() => r.chance(0.55));
    if (shown.length < 2) shown.push(...numbers.slice(0, 2 - shown.length));
    const poster = await posterGrid(
      shown.map((n) => photos.get(n)!),
      shown,
      { columns: r.int(3, 4), width: r.pick([900, 1200, 1600]) },
    );
    const m = await query(poster, 20);
    posters.childrenShown += shown.length;
    posters.found += m.filter((c) => shown.includes(c.number)).length;
    posters.wrong += m.filter((c) => !shown.includes(c.number)).length;
  }
  posters.recall = posters.childrenShown ? posters.found / posters.childrenShown : 0;

  // Unrelated pictures: half other babies, the rest other kinds; every 11th a poster of strangers.
  const nUnrelated = opts.unrelated ?? 330;
  const falseMatches: PhotoEval['falseMatches'] = [];
  for (let i = 0; i < nUnrelated; i++) {
    const r = rng.fork();
    const base = seed * 100 + i * 37;
    let img: Buffer;
    let what: string;
    if (i % 11 === 10) {
      const k = r.int(4, 11);
      const faces = await Promise.all(Array.from({ length: k }, (_, j) => syntheticFace(base + j + 1)));
      img = await posterGrid(faces, faces.map((_, j) => j + 1), { columns: r.int(3, 4), width: r.pick([900, 1200]) });
      what = `poster of ${k} strangers`;
    } else {
      const kind = i % 2 === 0 ? 'face' : UNRELATED_KINDS[(i >> 1) % UNRELATED_KINDS.length]!;
      const recipe = UNRELATED_RECIPES[i % UNRELATED_RECIPES.length]!;
      img = await syntheticUnrelated(kind, base);
      if (recipe !== 'none') img = await RECIPES[recipe]!(img, r);
      what = `${kind} (seed ${base}) via ${recipe}`;
    }
    const m = await query(img, 3);
    if (m.length > 0) falseMatches.push({ what, candidates: m });
  }

  // Hostile files: refused with the expected code; awkward ones accepted.
  const hostile: PhotoEval['hostile'] = [];
  let refusedHostile = 0;
  let hostileTotal = 0;
  let awkwardAccepted = 0;
  let awkwardTotal = 0;
  for (const c of await hostileCases()) {
    const t = performance.now();
    const q = await fingerprintQuery(c.data);
    const ms = performance.now() - t;
    const got = q.ok ? 'ok' : q.problem;
    hostile.push({ name: c.name, expected: c.expect, got, ms: Math.round(ms * 10) / 10 });
    if (c.expect === 'ok') (awkwardTotal++, (awkwardAccepted += Number(got === 'ok')));
    else (hostileTotal++, (refusedHostile += Number(got === c.expect)));
  }

  const sorted = [...times].sort((a, b) => a - b);
  return {
    variants,
    top1Accuracy: variants ? top1 / variants : 0,
    top3Accuracy: variants ? top3 / variants : 0,
    unrelated: nUnrelated,
    falseMatchRate: nUnrelated ? falseMatches.length / nUnrelated : 0,
    refusedHostile,
    hostileCases: hostileTotal,
    msPerQuery: times.reduce((a, b) => a + b, 0) / Math.max(1, times.length),
    msPerQueryP95: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
    perTransform,
    posters,
    awkwardAccepted,
    awkwardCases: awkwardTotal,
    hostile,
    falseMatches,
    seed,
    thresholds: THRESHOLDS,
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const i = process.argv.indexOf('--seed');
  const seed = i > 0 ? Number(process.argv[i + 1]) : undefined;
  const result = await evaluatePhotos(seed === undefined ? {} : { seed });
  console.log(JSON.stringify(result, null, 2));
}
