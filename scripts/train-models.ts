/**
 * Trains triage's two text models (`src/core/triage/urgency-model.json`, `category-model.json`)
 * on every development set, and chooses how they are weighed against the rules (`models.ts`) by
 * cross-validation on the sets the rules were never tuned on. Deterministic: the same data gives
 * the same files.
 *
 *   npx tsx scripts/train-models.ts          # cross-validates, prints the figures, writes both models
 *   npx tsx scripts/train-models.ts --check  # figures only
 *   npx tsx scripts/train-models.ts --grid   # also every threshold and blend tried
 *
 * The sets (see `eval/data/LABELS.md` and `eval/run.ts`):
 * - development: `train*` and the held-out sets already scored blind — the models learn from all;
 * - honest: the development sets the *rules* were never tuned on (`HONEST`). Leaving one out, the
 *   rules on it are as blind as on new traffic, so weighing the two there is fair;
 * - blind: the newest held-out sets (`BLIND`), never read here. `npm run eval` measures on them.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadJsonl, type LabelledRow } from '../eval/text.ts';
import { triageRules } from '../src/core/triage/index.ts';
import { combine, MODEL_CATEGORIES, type CombineParams, type RuleVerdict } from '../src/core/triage/models.ts';
import { featuresOfModelText, probabilities, serializeModel, type LinearModel } from '../src/core/triage/text-model.ts';
import { trainLogistic, trainSoftmax, type Example } from './lib/train-linear.ts';

/** Every set the models may learn from, oldest first. */
const DEVELOPMENT = ['train', 'heldout', 'heldout-2', 'heldout-3', 'heldout-4', 'heldout-5', 'heldout-6', 'train-2', 'train-3', 'heldout-7', 'train-4', 'train-5', 'heldout-8', 'heldout-9', 'train-6', 'train-7'];
/** Development sets the rules were never tuned on: their misses go to the models, not to new word lists. */
const HONEST = ['heldout-6', 'train-2', 'train-3', 'heldout-7', 'train-4', 'train-5', 'heldout-8', 'heldout-9', 'train-6', 'train-7'];
/** Never read here: the measure. */
const BLIND = ['heldout-10', 'heldout-11'];
/** Urgent precision kept on the honest sets when choosing the threshold: the goal's 0.8, plus a margin for new writers. */
const PRECISION_FLOOR = 0.85;
/** How many false alarms one missed child in danger is worth, when choosing the thresholds. */
const MISS_COST = 5;

const CATALOGUE = new Set(Array.from({ length: 11 }, (_, i) => i + 1));
const file = (name: string) => fileURLToPath(new URL(`../eval/data/${name}.jsonl`, import.meta.url));

interface Prepared {
  set: string;
  row: LabelledRow;
  f: number[];
  verdict: RuleVerdict;
}

const sets = DEVELOPMENT.filter((s) => existsSync(file(s)));
if (sets.some((s) => BLIND.includes(s))) throw new Error('a blind set is listed for training');
const prepared: Prepared[] = sets.flatMap((set) =>
  loadJsonl(file(set)).map((row) => {
    // The features of the text as triage reads it at run time (prepared once, as `triageRules` returns it).
    const { verdict, read } = triageRules(row.text, { catalogueNumbers: CATALOGUE, models: false });
    return { set, row, f: featuresOfModelText(read), verdict };
  }),
);
const honest = HONEST.filter((s) => sets.includes(s));

const urgentExample = (p: Prepared): Example => ({ f: p.f, y: p.row.urgent ? 1 : 0 });
const categoryExample = (p: Prepared): Example => ({ f: p.f, y: MODEL_CATEGORIES.indexOf(p.row.category) });
const trainBoth = (rows: Prepared[], trainedOn: string) => ({
  urgency: trainLogistic(rows.map(urgentExample), 'urgent', trainedOn),
  category: trainSoftmax(rows.map(categoryExample), MODEL_CATEGORIES, trainedOn),
});

// Leave each honest set out in turn: the models' opinion of each of its rows, trained without it.
const folds = honest.map((set) => {
  const models = trainBoth(prepared.filter((p) => p.set !== set), `without ${set}`);
  const rows = prepared.filter((p) => p.set === set);
  return {
    set,
    rows,
    opinions: rows.map((p) => ({ urgent: probabilities(models.urgency, p.f)[0]!, category: probabilities(models.category, p.f) })),
  };
});

interface Score {
  macroF1: number;
  tp: number;
  fp: number;
  fn: number;
}

function score(fold: (typeof folds)[number], params: CombineParams | null): Score {
  const n = MODEL_CATEGORIES.length;
  const tp = new Array<number>(n).fill(0);
  const fp = new Array<number>(n).fill(0);
  const fn = new Array<number>(n).fill(0);
  const urgent = { tp: 0, fp: 0, fn: 0 };
  fold.rows.forEach((p, i) => {
    const v = params ? combine(p.verdict, fold.opinions[i]!, params) : p.verdict;
    const got = MODEL_CATEGORIES.indexOf(v.category);
    const want = MODEL_CATEGORIES.indexOf(p.row.category);
    if (got === want) tp[got]!++;
    else {
      fp[got]!++;
      fn[want]!++;
    }
    if (v.urgent && p.row.urgent) urgent.tp++;
    else if (v.urgent) urgent.fp++;
    else if (p.row.urgent) urgent.fn++;
  });
  let f1 = 0;
  let present = 0;
  for (let c = 0; c < n; c++) {
    if (tp[c]! + fn[c]! === 0) continue;
    present++;
    f1 += (2 * tp[c]!) / (2 * tp[c]! + fp[c]! + fn[c]!);
  }
  return { macroF1: f1 / present, ...urgent };
}

function pooled(params: CombineParams | null) {
  const per = folds.map((f) => ({ set: f.set, ...score(f, params) }));
  const tp = per.reduce((a, s) => a + s.tp, 0);
  const fp = per.reduce((a, s) => a + s.fp, 0);
  const fn = per.reduce((a, s) => a + s.fn, 0);
  return {
    per,
    macroF1: per.reduce((a, s) => a + s.macroF1, 0) / per.length,
    recall: tp / Math.max(1, tp + fn),
    precision: tp + fp ? tp / (tp + fp) : 1,
    fn,
    fp,
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
/** Thresholds tried, high to low: 0.95 … 0.1 by 0.05, then 0.09 … 0.01 (the unweighted model's P(urgent) runs low). */
const THRESHOLDS = [...Array.from({ length: 18 }, (_, i) => (95 - 5 * i) / 100), ...Array.from({ length: 9 }, (_, i) => (9 - i) / 100)];
const grid = process.argv.includes('--grid');
// Category blends: the best mean macro-F1 over the honest sets (urgency does not depend on them much).
let blend = 1;
let guessBlend = 1;
let bestF1 = -1;
for (let b = 0; b <= 1.0001; b += 0.05) {
  for (let g = 0; g <= b + 1e-9; g += 0.05) {
    const r = pooled({ threshold: 1, pastThreshold: 1, blend: b, guessBlend: g });
    if (grid && g === 0) process.stdout.write(`blend=${b.toFixed(2)} macroF1=${r.macroF1.toFixed(3)}\n`);
    if (r.macroF1 > bestF1 + 1e-9) {
      bestF1 = r.macroF1;
      blend = Math.round(b * 100) / 100;
      guessBlend = Math.round(g * 100) / 100;
    }
  }
}
// Urgency thresholds: recall first. A child in danger missed costs as much as MISS_COST false
// alarms: the pair (threshold, and the higher one past a past-tense word) that catches the most
// for that price, with pooled precision above the floor; of equals, the higher thresholds (the
// model speaks as little as it can).
let threshold = 0.95;
let pastThreshold = 0.95;
let bestValue = -Infinity;
for (const t of THRESHOLDS) {
  for (const past of THRESHOLDS.filter((x) => x >= t)) {
    const r = pooled({ threshold: t, pastThreshold: past, blend, guessBlend });
    if (grid && past === t) process.stdout.write(`threshold=${t.toFixed(2)} recall=${r.recall.toFixed(3)} precision=${r.precision.toFixed(3)} fn=${r.fn} fp=${r.fp}\n`);
    if (r.precision < PRECISION_FLOOR) continue;
    const value = -r.fn - r.fp / MISS_COST;
    if (value > bestValue + 1e-9) {
      bestValue = value;
      threshold = t;
      pastThreshold = past;
    }
  }
}
const rulesAlone = pooled(null);
const withModels = pooled({ threshold, pastThreshold, blend, guessBlend });
const figures = (r: ReturnType<typeof pooled>) => ({
  macro_f1: round(r.macroF1),
  urgent_recall: round(r.recall),
  urgent_precision: round(r.precision),
  missed: r.fn,
  false_alarms: r.fp,
  per_set: Object.fromEntries(r.per.map((s) => [s.set, { macro_f1: round(s.macroF1), missed: s.fn, false_alarms: s.fp }])),
});
process.stdout.write(
  JSON.stringify({
    rows: prepared.length,
    sets,
    honest,
    chosen: { threshold, pastThreshold, blend, guessBlend },
    rules_alone_left_out: figures(rulesAlone),
    rules_and_models_left_out: figures(withModels),
  }) + '\n',
);

if (!process.argv.includes('--check')) {
  const trainedOn = `eval/data/${sets.join(', ')} (${prepared.length} rows; never ${BLIND.join(', ')})`;
  const final = trainBoth(prepared, trainedOn);
  const write = (name: string, m: LinearModel) => {
    const out = fileURLToPath(new URL(`../src/core/triage/${name}`, import.meta.url));
    writeFileSync(out, serializeModel(m) + '\n');
    process.stdout.write(`wrote ${out}\n`);
  };
  write('urgency-model.json', { ...final.urgency, threshold, pastThreshold });
  write('category-model.json', { ...final.category, blend, guessBlend });
}

if (process.argv.includes('--misses')) {
  // The honest sets' urgent misses and false alarms at the chosen weighing, left out, with what the gates saw.
  for (const fold of folds) {
    fold.rows.forEach((p, i) => {
      const v = combine(p.verdict, fold.opinions[i]!, { threshold, pastThreshold, blend, guessBlend });
      if (v.urgent === p.row.urgent) return;
      const { category, childInView, pointsAway, chars } = p.verdict;
      process.stdout.write(
        `${fold.set} ${p.row.urgent ? 'MISSED' : 'FALSE'} p=${fold.opinions[i]!.urgent.toFixed(2)} ${JSON.stringify({ category, final: v.category, childInView, pointsAway, chars })} ${p.row.text.slice(0, 120)}\n`,
      );
    });
  }
}
