/**
 * `npm run eval`: how far triage can be trusted, measured on the blind held-out set
 * (`PRIMARY_SET`, written without sight of the rules or the models) and on generated photo
 * variants. Prints a report and checks the goals; `--json` prints one JSON object per line
 * (the same lines `npm run bench -- eval` emits). `--set train` scores the development set
 * instead, `--misses` lists the rows triage got wrong, `--no-photos` skips the photo part.
 *
 * Goals (issue 6): urgent recall 1.0 with precision ≥ 0.8, category macro-F1 ≥ 0.9, photo
 * top-1 ≥ 0.95 with false matches ≤ 1 %, triage under 1 ms per message on average.
 */
import { fileURLToPath } from 'node:url';
import { triage } from '../src/core/triage/index.ts';
import { evaluateText, loadJsonl, type TextEval } from './text.ts';

/**
 * The labelled sets, each written by a different person who never saw the rules:
 * - `train` (written with the rules, tuned on), `heldout` … `heldout-5` (written blind, then used
 *   in turn to find what the rules missed);
 * - `heldout-6`, `train-2` … `train-7`: written blind; the trained models learn from them and the
 *   weighing of models against rules is chosen leaving each out (`scripts/train-models.ts`);
 * - `heldout-7`, `heldout-8`, `heldout-9`: the measures of rounds 7, 8 and 9 (written blind, scored
 *   once each), then trained on;
 * - `heldout-10`: written blind, never looked at, never trained on — the measure of round 10;
 * - `heldout-11`: written blind after round 10 was frozen and scored, never looked at, never
 *   trained on — the same system measured again; the goals are judged on it.
 */
export type TextSet =
  | 'train'
  | 'heldout'
  | 'heldout-2'
  | 'heldout-3'
  | 'heldout-4'
  | 'heldout-5'
  | 'heldout-6'
  | 'train-2'
  | 'train-3'
  | 'heldout-7'
  | 'train-4'
  | 'train-5'
  | 'heldout-8'
  | 'heldout-9'
  | 'train-6'
  | 'train-7'
  | 'heldout-10'
  | 'heldout-11';
/** Newest first: a set's report shows it and the sets before it, never a newer (blind) one. */
const SETS: readonly TextSet[] = [
  'heldout-11',
  'heldout-10',
  'train-7',
  'train-6',
  'heldout-9',
  'heldout-8',
  'train-5',
  'train-4',
  'heldout-7',
  'train-3',
  'train-2',
  'heldout-6',
  'heldout-5',
  'heldout-4',
  'heldout-3',
  'heldout-2',
  'heldout',
  'train',
];
/** The set the goals are judged on. */
export const PRIMARY_SET: TextSet = 'heldout-11';
/** Sets never looked at while tuning and never trained on. */
const BLIND_SETS: readonly TextSet[] = ['heldout-10', 'heldout-11'];

const DATA = (name: string) => fileURLToPath(new URL(`./data/${name}.jsonl`, import.meta.url));

/** The sample catalogue's numbers: the live triage knows which children exist. */
const CATALOGUE = new Set(Array.from({ length: 11 }, (_, i) => i + 1));

export interface EvalLine {
  name: string;
  value: number;
  unit: string;
  goal?: string;
  pass?: boolean;
  [key: string]: unknown;
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

/** Mean time to triage one message of `texts`, in ms (after a warm-up pass). */
export function triageMsPerMessage(texts: readonly string[], rounds = 20): number {
  for (const t of texts) triage(t, { catalogueNumbers: CATALOGUE });
  const start = performance.now();
  for (let r = 0; r < rounds; r++) for (const t of texts) triage(t, { catalogueNumbers: CATALOGUE });
  return (performance.now() - start) / (rounds * texts.length);
}

/** Scores the text triage on one labelled set. */
export function evaluateTextSet(set: TextSet): { result: TextEval; lines: EvalLine[]; texts: string[] } {
  const rows = loadJsonl(DATA(set));
  const result = evaluateText(rows, (text) => triage(text, { catalogueNumbers: CATALOGUE }));
  const ms = triageMsPerMessage(rows.map((r) => r.text));
  const lines: EvalLine[] = [
    { name: 'eval_urgent_recall', value: round(result.urgent.recall), unit: 'ratio', goal: '= 1.0', pass: result.urgent.recall === 1, set, n: result.urgent.support },
    { name: 'eval_urgent_precision', value: round(result.urgent.precision), unit: 'ratio', goal: '>= 0.8', pass: result.urgent.precision >= 0.8, set },
    { name: 'eval_category_macro_f1', value: round(result.macroF1), unit: 'ratio', goal: '>= 0.9', pass: result.macroF1 >= 0.9, set, n: result.rows },
    { name: 'eval_category_accuracy', value: round(result.categoryAccuracy), unit: 'ratio', set },
    { name: 'eval_children_exact', value: round(result.children.exactAccuracy), unit: 'ratio', set, recall: round(result.children.recall), precision: round(result.children.precision) },
    { name: 'eval_language_accuracy', value: round(result.languageAccuracy), unit: 'ratio', set },
    { name: 'eval_triage_ms_per_message', value: round(ms, 4), unit: 'ms/message', goal: '< 1', pass: ms < 1, set },
  ];
  for (const [cat, p] of Object.entries(result.perCategory)) {
    if (p.support === 0 && p.falsePositives === 0) continue;
    lines.push({ name: `eval_category_${cat}`, value: round(p.f1), unit: 'f1', precision: round(p.precision), recall: round(p.recall), support: p.support, set });
  }
  for (const [kind, p] of Object.entries(result.perPii)) {
    if (p.support === 0 && p.falsePositives === 0) continue;
    lines.push({ name: `eval_pii_${kind}`, value: round(p.f1), unit: 'f1', precision: round(p.precision), recall: round(p.recall), support: p.support, set });
  }
  return { result, lines, texts: rows.map((r) => r.text) };
}

/** Scores photo matching on generated variants and unrelated images. */
export async function evaluatePhotoLines(): Promise<EvalLine[]> {
  const { evaluatePhotos } = await import('./photos.ts');
  const p = await evaluatePhotos();
  const lines: EvalLine[] = [
    { name: 'eval_photo_top1', value: round(p.top1Accuracy), unit: 'ratio', goal: '>= 0.95', pass: p.top1Accuracy >= 0.95, n: p.variants, top3: round(p.top3Accuracy) },
    { name: 'eval_photo_false_match_rate', value: round(p.falseMatchRate, 4), unit: 'ratio', goal: '<= 0.01', pass: p.falseMatchRate <= 0.01, n: p.unrelated },
    { name: 'eval_photo_hostile_refused', value: p.refusedHostile, unit: 'images', goal: `= ${p.hostileCases}`, pass: p.refusedHostile === p.hostileCases, n: p.hostileCases },
    { name: 'eval_photo_ms_per_query', value: round(p.msPerQuery, 1), unit: 'ms/photo' },
  ];
  for (const [name, t] of Object.entries(p.perTransform)) lines.push({ name: `eval_photo_${name}`, value: round(t.top1), unit: 'top1', n: t.n });
  return lines;
}

/** Every evaluation line (used by `npm run bench -- eval` too). */
export async function runEval(opts: { set?: TextSet; photos?: boolean } = {}): Promise<{ lines: EvalLine[]; text: TextEval }> {
  const text = evaluateTextSet(opts.set ?? PRIMARY_SET);
  const lines = [...text.lines];
  if (opts.photos !== false) lines.push(...(await evaluatePhotoLines()));
  return { lines, text: text.result };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

function report(lines: EvalLine[], text: TextEval, set: string, misses: boolean): string {
  const out: string[] = [];
  const what =
    BLIND_SETS.includes(set as TextSet)
      ? `blind held-out set ${set} (never looked at while tuning, never trained on)`
      : set === 'train'
        ? 'development set (rules tuned on it)'
        : `${set} set (written blind, then used for error analysis and training)`;
  out.push(`Triage evaluation on the ${what}: ${text.rows} messages`);
  out.push('');
  out.push('category    precision  recall   F1     support');
  for (const [cat, p] of Object.entries(text.perCategory)) {
    out.push(`${cat.padEnd(10)}  ${pct(p.precision).padStart(8)}  ${pct(p.recall).padStart(7)}  ${p.f1.toFixed(3)}  ${String(p.support).padStart(5)}`);
  }
  out.push(`macro-F1 ${text.macroF1.toFixed(3)} · accuracy ${pct(text.categoryAccuracy)}`);
  out.push(`urgent: recall ${pct(text.urgent.recall)} (${text.urgent.truePositives}/${text.urgent.support}), precision ${pct(text.urgent.precision)} (${text.urgent.falsePositives} false alarms)`);
  out.push(`catalogue numbers: exact ${pct(text.children.exactAccuracy)}, recall ${pct(text.children.recall)}, precision ${pct(text.children.precision)}`);
  out.push(`language: ${pct(text.languageAccuracy)}`);
  const pii = Object.entries(text.perPii)
    .filter(([, p]) => p.support > 0 || p.falsePositives > 0)
    .map(([k, p]) => `${k} P ${pct(p.precision)} R ${pct(p.recall)}`);
  out.push(`contact details: ${pii.join(' · ')}`);
  out.push('');
  out.push('goals:');
  for (const l of lines.filter((x) => x.goal)) out.push(`  ${l.pass ? 'PASS' : 'FAIL'}  ${l.name} = ${l.value} ${l.unit} (goal ${l.goal})`);
  const get = (name: string) => lines.find((l) => l.name === name);
  const top1 = get('eval_photo_top1');
  if (top1) {
    const fm = get('eval_photo_false_match_rate')!;
    const hostile = get('eval_photo_hostile_refused')!;
    out.push(
      `photos: top-1 ${top1.value} of ${top1.n} transformed variants (top-3 ${top1.top3}), false matches ${fm.value} of ${fm.n} unrelated images, ` +
        `${hostile.value}/${hostile.n} hostile files refused, ${get('eval_photo_ms_per_query')?.value} ms a photo`,
    );
  }
  const photo = lines.filter((l) => l.name.startsWith('eval_photo_') && !l.goal && l.unit === 'top1');
  if (photo.length) out.push(`photo top-1 by transformation: ${photo.map((l) => `${l.name.slice(11)} ${l.value}`).join(', ')}`);
  if (misses && text.misclassified.length) {
    out.push('');
    out.push(`rows triage got wrong (${text.misclassified.length}):`);
    for (const m of text.misclassified) {
      out.push(`  [${m.fields.join(',')}] ${m.text.slice(0, 100).replace(/\s+/g, ' ')}`);
      out.push(`      expected ${JSON.stringify(m.expected)}  got ${JSON.stringify(m.actual)}`);
    }
  }
  return out.join('\n');
}

/** One line per set: the figures side by side. */
function comparison(sets: Array<{ set: TextSet; result: TextEval }>): string {
  const out = ['set          rows  macro-F1  urgent R  urgent P  children  language'];
  for (const { set, result: r } of sets) {
    out.push(
      `${set.padEnd(11)}  ${String(r.rows).padStart(4)}  ${r.macroF1.toFixed(3).padStart(8)}  ${r.urgent.recall.toFixed(3).padStart(8)}  ${r.urgent.precision.toFixed(3).padStart(8)}  ${r.children.exactAccuracy.toFixed(3).padStart(8)}  ${r.languageAccuracy.toFixed(3).padStart(8)}`,
    );
  }
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const argv = process.argv.slice(2);
  const args = new Set(argv);
  // The goals are judged on PRIMARY_SET: written blind and never looked at while the rules and
  // models were worked on. The older sets were written blind too, then used to find what was missed.
  const setArg = args.has('--set') ? argv[argv.indexOf('--set') + 1] : undefined;
  if (setArg !== undefined && !SETS.includes(setArg as TextSet)) {
    process.stderr.write(`eval: unknown set "${setArg}" (one of ${SETS.join(', ')})\n`);
    process.exit(2);
  }
  const primary: TextSet = (setArg as TextSet | undefined) ?? PRIMARY_SET;
  const { lines, text } = await runEval({ set: primary, photos: !args.has('--no-photos') });
  if (args.has('--json')) {
    for (const l of lines) process.stdout.write(JSON.stringify(l) + '\n');
  } else {
    // Only the sets older than the one asked for: `--set heldout-5` must not show the blind set's
    // totals to whoever is tuning on heldout-5.
    const others = SETS.slice(SETS.indexOf(primary) + 1).map((set) => ({ set, result: evaluateTextSet(set).result }));
    process.stdout.write(comparison([{ set: primary, result: text }, ...others]) + '\n\n');
    process.stdout.write(report(lines, text, primary, args.has('--misses')) + '\n');
  }
  process.exitCode = lines.some((l) => l.pass === false) ? 1 : 0;
}
