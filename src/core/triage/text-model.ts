/**
 * Small trained text models for triage: linear models over hashed character n-grams (and
 * Latin-script words), trained offline by `scripts/train-models.ts` on the labelled sets and
 * committed as weights. No network, no download, deterministic, pure.
 *
 * Two are committed: `urgency-model.json` (logistic: P(a child in danger now)) and
 * `category-model.json` (softmax over the six categories). How their opinions are weighed
 * against the rules' is in `models.ts`.
 */
import { foldDigits, nfkc, stripLatinAccents, toSimplified } from './language.ts';

/** Hash buckets (a power of two). */
export const BUCKETS = 1 << 15;

const WORD_RE = /[\p{Script=Latin}\p{M}']+/gu;
const SPACE_RE = /[\s\p{P}\p{S}]+/gu;
const MAX_CHARS = 1_500;

function hash(text: string, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) & (BUCKETS - 1);
}

/**
 * The text the models read: NFKC, digits as 0, lower case, simplified, Latin letters without
 * diacritics, punctuation as one space.
 */
export function modelText(text: string): string {
  // Every digit reads as 0: which number a message carries ("第7条", a phone) must not sway it.
  // Vietnamese typed with and without diacritics ("em bé" / "em be") reads the same.
  return stripLatinAccents(toSimplified(foldDigits(nfkc(text.slice(0, MAX_CHARS))).toLowerCase()))
    .replace(/\d/g, '0')
    .replace(SPACE_RE, ' ')
    .trim();
}

/** Feature buckets of a text, each once (presence matters, counts little). */
export function features(text: string): number[] {
  return featuresOfModelText(modelText(text));
}

/** {@link features} of a text already read by {@link modelText} (triage reads it once). */
export function featuresOfModelText(t: string): number[] {
  const out = new Set<number>();
  const padded = ` ${t} `;
  // Characters and character 2- and 3-grams: words in scripts without spaces (Chinese, Thai,
  // Burmese) and stems of inflected ones. (Single characters carry much in Chinese: 抢, 锁, 卖.)
  for (let n = 1; n <= 3; n++) for (let i = 0; i + n <= padded.length; i++) out.add(hash(padded.slice(i, i + n), n));
  // Whole words and word pairs in Latin scripts (English, Vietnamese).
  const words = t.match(WORD_RE) ?? [];
  for (let i = 0; i < words.length; i++) {
    out.add(hash(words[i]!, 7));
    if (i > 0) out.add(hash(`${words[i - 1]} ${words[i]}`, 11));
  }
  return [...out];
}

/** A linear model over {@link features}: one weight row per class, feature-major. */
export interface LinearModel {
  /** `logistic`: one class, a probability; `softmax`: a distribution over `classes`. */
  kind: 'logistic' | 'softmax';
  classes: string[];
  bias: number[];
  /** `BUCKETS * classes.length` weights; the weight of feature f for class k is at `f * K + k`. */
  weights: Float32Array;
  /** Logistic: the probability at or above which the model speaks (chosen by cross-validation). */
  threshold?: number;
  /** Logistic: the same where the text points to the past (chosen by cross-validation). */
  pastThreshold?: number;
  /** Softmax: how much the rules' own choice weighs against the model's distribution (0–1). */
  blend?: number;
  /** Softmax: the same where the rules' choice was a guess (no keyword at all). */
  guessBlend?: number;
  /** How it was trained, for the record. */
  trainedOn: string;
}

/** The model's raw scores for a text's features, one per class. */
export function linearScores(model: LinearModel, feats: readonly number[]): number[] {
  const k = model.classes.length;
  const z = model.bias.slice();
  for (const f of feats) for (let c = 0; c < k; c++) z[c]! += model.weights[f * k + c]!;
  return z;
}

/** Logistic: P(class); softmax: the distribution over the classes. */
export function probabilities(model: LinearModel, feats: readonly number[]): number[] {
  const z = linearScores(model, feats);
  if (model.kind === 'logistic') return [1 / (1 + Math.exp(-z[0]!))];
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / sum);
}

const FORMAT = 'hashed-linear/1';

/**
 * The model as committed: weights quantised to int8 with one scale per class (a quarter of the
 * size of float32; the scores move by well under 1 %), as base64.
 */
export function serializeModel(m: LinearModel): string {
  const k = m.classes.length;
  const scales = m.classes.map((_, c) => {
    let max = 0;
    for (let f = 0; f < BUCKETS; f++) max = Math.max(max, Math.abs(m.weights[f * k + c]!));
    return max > 0 ? max / 127 : 1;
  });
  const q = new Int8Array(BUCKETS * k);
  for (let i = 0; i < q.length; i++) q[i] = Math.round(m.weights[i]! / scales[i % k]!);
  return JSON.stringify(
    {
      format: FORMAT,
      buckets: BUCKETS,
      kind: m.kind,
      classes: m.classes,
      bias: m.bias,
      scales,
      ...(m.threshold !== undefined ? { threshold: m.threshold } : {}),
      ...(m.pastThreshold !== undefined ? { pastThreshold: m.pastThreshold } : {}),
      ...(m.blend !== undefined ? { blend: m.blend } : {}),
      ...(m.guessBlend !== undefined ? { guessBlend: m.guessBlend } : {}),
      trainedOn: m.trainedOn,
      weights: Buffer.from(q.buffer).toString('base64'),
    },
    null,
    1,
  );
}

/** Parses {@link serializeModel}'s output; `undefined` for anything else or anything damaged. */
export function parseModel(json: string): LinearModel | undefined {
  try {
    const o = JSON.parse(json) as Record<string, unknown>;
    if (o.format !== FORMAT || o.buckets !== BUCKETS) return undefined;
    if (o.kind !== 'logistic' && o.kind !== 'softmax') return undefined;
    const classes = o.classes;
    if (!Array.isArray(classes) || classes.length === 0 || !classes.every((c) => typeof c === 'string')) return undefined;
    const k = classes.length;
    const bias = o.bias;
    const scales = o.scales;
    if (!isNumbers(bias, k) || !isNumbers(scales, k)) return undefined;
    const bytes = Buffer.from(String(o.weights), 'base64');
    if (bytes.length !== BUCKETS * k) return undefined;
    const q = new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
    const weights = new Float32Array(BUCKETS * k);
    for (let i = 0; i < weights.length; i++) weights[i] = q[i]! * scales[i % k]!;
    const threshold = o.threshold;
    if (threshold !== undefined && !(typeof threshold === 'number' && threshold > 0 && threshold < 1)) return undefined;
    const pastThreshold = o.pastThreshold;
    if (pastThreshold !== undefined && !(typeof pastThreshold === 'number' && pastThreshold > 0 && pastThreshold <= 1)) return undefined;
    const blend = o.blend;
    if (blend !== undefined && !(typeof blend === 'number' && blend >= 0 && blend <= 1)) return undefined;
    const guessBlend = o.guessBlend;
    if (guessBlend !== undefined && !(typeof guessBlend === 'number' && guessBlend >= 0 && guessBlend <= 1)) return undefined;
    return {
      kind: o.kind,
      classes: classes as string[],
      bias,
      weights,
      ...(threshold !== undefined ? { threshold } : {}),
      ...(pastThreshold !== undefined ? { pastThreshold } : {}),
      ...(blend !== undefined ? { blend } : {}),
      ...(guessBlend !== undefined ? { guessBlend } : {}),
      trainedOn: String(o.trainedOn),
    };
  } catch {
    return undefined;
  }
}

function isNumbers(v: unknown, length: number): v is number[] {
  return Array.isArray(v) && v.length === length && v.every((x) => typeof x === 'number' && Number.isFinite(x));
}
