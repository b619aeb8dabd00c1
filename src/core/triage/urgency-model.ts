/**
 * A small trained second opinion on urgency: logistic regression over hashed character
 * n-grams (and Latin-script words), trained offline by `scripts/train-urgency.ts` on the
 * labelled development sets and committed as weights (`urgency-model.json`). No network, no
 * download, deterministic.
 *
 * It only ever *adds* urgency that the rules missed (a phrasing the word lists never saw); it
 * never removes urgency the rules found, and the caller keeps the rules' vetoes (spam, the
 * writer's own plans, adoption wishes, past stories).
 */
import { readFileSync } from 'node:fs';
import { foldDigits, nfkc, toSimplified } from './language.ts';

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

/** The text the model reads: NFKC, digits as 0, lower case, simplified, punctuation as one space. */
export function modelText(text: string): string {
  // Every digit reads as 0: which number a message carries ("第7条", a phone) must not sway it.
  return toSimplified(foldDigits(nfkc(text.slice(0, MAX_CHARS))).toLowerCase())
    .replace(/\d/g, '0')
    .replace(SPACE_RE, ' ')
    .trim();
}

/** Feature buckets of a text (with repeats: counts matter little, presence most). */
export function features(text: string): number[] {
  const t = modelText(text);
  const out = new Set<number>();
  const padded = ` ${t} `;
  // Character 2- and 3-grams: words in scripts without spaces (Chinese, Thai, Burmese) and
  // stems of inflected ones.
  for (let n = 2; n <= 3; n++) for (let i = 0; i + n <= padded.length; i++) out.add(hash(padded.slice(i, i + n), n));
  // Whole words and word pairs in Latin scripts (English, Vietnamese).
  const words = t.match(WORD_RE) ?? [];
  for (let i = 0; i < words.length; i++) {
    out.add(hash(words[i]!, 7));
    if (i > 0) out.add(hash(`${words[i - 1]} ${words[i]}`, 11));
  }
  return [...out];
}

export interface UrgencyModel {
  bias: number;
  weights: Float32Array;
  /** Probability at or above which the model speaks (chosen by cross-validation). */
  threshold: number;
  /** How it was trained, for the record. */
  trainedOn: string;
}

/** P(urgent) for a text. */
export function urgentProbability(model: UrgencyModel, text: string): number {
  let z = model.bias;
  for (const f of features(text)) z += model.weights[f]!;
  return 1 / (1 + Math.exp(-z));
}

/** The model as committed: weights as base64 of a Float32Array. */
export function serializeModel(m: UrgencyModel): string {
  return JSON.stringify(
    {
      buckets: BUCKETS,
      bias: m.bias,
      threshold: m.threshold,
      trainedOn: m.trainedOn,
      weights: Buffer.from(m.weights.buffer, m.weights.byteOffset, m.weights.byteLength).toString('base64'),
    },
    null,
    1,
  );
}

export function parseModel(json: string): UrgencyModel | undefined {
  try {
    const o = JSON.parse(json) as { buckets: number; bias: number; threshold: number; trainedOn: string; weights: string };
    if (o.buckets !== BUCKETS) return undefined;
    const bytes = Buffer.from(o.weights, 'base64');
    const weights = new Float32Array(new Uint8Array(bytes).buffer, 0, BUCKETS);
    if (weights.length !== BUCKETS || !Number.isFinite(o.bias) || !(o.threshold > 0 && o.threshold < 1)) return undefined;
    return { bias: o.bias, weights, threshold: o.threshold, trainedOn: String(o.trainedOn) };
  } catch {
    return undefined;
  }
}

let loaded: UrgencyModel | null | undefined;

/** The committed model, loaded once; `null` when it is missing or damaged (rules alone then). */
export function committedModel(): UrgencyModel | null {
  if (loaded === undefined) {
    try {
      loaded = parseModel(readFileSync(new URL('./urgency-model.json', import.meta.url), 'utf8')) ?? null;
    } catch {
      loaded = null;
    }
  }
  return loaded;
}
