/**
 * Training for the hashed linear models of `src/core/triage/text-model.ts`: AdaGrad with a
 * little L2, deterministic (a fixed shuffle), rare classes weighted up. Offline only.
 */
import { BUCKETS, type LinearModel } from '../../src/core/triage/text-model.ts';

/** One training example: feature buckets and the index of its class (logistic: 1 or 0). */
export interface Example {
  f: number[];
  y: number;
}

function shuffler(seed: number): (order: number[]) => void {
  let s = seed;
  const rand = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
  return (order) => {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
  };
}

/**
 * Logistic regression for one class (y = 1). Unweighted: weighting the rare positives up made the
 * probabilities less telling (left-out average precision 0.96 against 0.98); recall is bought
 * with the threshold instead (`scripts/train-models.ts`).
 */
export function trainLogistic(examples: readonly Example[], cls: string, trainedOn: string, epochs = 30, lr = 0.05): LinearModel {
  const w = new Float64Array(BUCKETS);
  const g2 = new Float64Array(BUCKETS).fill(1e-8);
  let bias = 0;
  let gb = 1e-8;
  const l2 = 1e-4;
  const shuffle = shuffler(12345);
  const order = examples.map((_, i) => i);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order);
    for (const idx of order) {
      const { f, y } = examples[idx]!;
      let z = bias;
      for (const k of f) z += w[k]!;
      const p = 1 / (1 + Math.exp(-z));
      const g = p - y;
      for (const k of f) {
        const grad = g + l2 * w[k]!;
        g2[k]! += grad * grad;
        w[k]! -= (lr * grad) / Math.sqrt(g2[k]!);
      }
      gb += g * g;
      bias -= (lr * g) / Math.sqrt(gb);
    }
  }
  return { kind: 'logistic', classes: [cls], bias: [bias], weights: Float32Array.from(w), trainedOn };
}

/** Softmax regression over `classes`, each class weighted by the square root of its rarity. */
export function trainSoftmax(examples: readonly Example[], classes: readonly string[], trainedOn: string, epochs = 20, lr = 0.1): LinearModel {
  const k = classes.length;
  const w = new Float64Array(BUCKETS * k);
  const g2 = new Float64Array(BUCKETS * k).fill(1e-8);
  const bias = new Float64Array(k);
  const gb = new Float64Array(k).fill(1e-8);
  const l2 = 1e-4;
  const counts = new Array<number>(k).fill(0);
  for (const e of examples) counts[e.y]!++;
  const classWeight = counts.map((c) => (c > 0 ? Math.sqrt(examples.length / k / c) : 1));
  const shuffle = shuffler(1);
  const order = examples.map((_, i) => i);
  const z = new Float64Array(k);
  for (let epoch = 0; epoch < epochs; epoch++) {
    shuffle(order);
    for (const idx of order) {
      const { f, y } = examples[idx]!;
      for (let c = 0; c < k; c++) z[c] = bias[c]!;
      for (const j of f) for (let c = 0; c < k; c++) z[c]! += w[j * k + c]!;
      let max = -Infinity;
      for (let c = 0; c < k; c++) max = Math.max(max, z[c]!);
      let sum = 0;
      for (let c = 0; c < k; c++) sum += z[c] = Math.exp(z[c]! - max);
      for (let c = 0; c < k; c++) {
        const g = (z[c]! / sum - (c === y ? 1 : 0)) * classWeight[y]!;
        for (const j of f) {
          const id = j * k + c;
          const grad = g + l2 * w[id]!;
          g2[id]! += grad * grad;
          w[id]! -= (lr * grad) / Math.sqrt(g2[id]!);
        }
        gb[c]! += g * g;
        bias[c]! -= (lr * g) / Math.sqrt(gb[c]!);
      }
    }
  }
  return { kind: 'softmax', classes: [...classes], bias: Array.from(bias), weights: Float32Array.from(w), trainedOn };
}
