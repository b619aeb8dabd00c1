/**
 * Scores text triage against a labelled set (`eval/data/*.jsonl`, see `eval/data/LABELS.md`).
 * Pure: the only I/O is {@link loadJsonl}; the caller decides what to print.
 */

import { readFileSync } from 'node:fs';
import type { Category, TriageResult } from '../src/core/types.ts';

/** One labelled message, as written in the JSONL sets. */
export interface LabelledRow {
  text: string;
  category: Category;
  urgent: boolean;
  children: number[];
  pii: string[];
  lang: string;
}

/** What is scored of a triage result (a {@link TriageResult} fits). */
export type TriageFn = (text: string) => Pick<TriageResult, 'category' | 'urgent' | 'children' | 'pii' | 'language'>;

/** Precision, recall and F1 of one class, with the counts they come from. */
export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  /** Rows labelled with the class. */
  support: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
}

/** One row triage got wrong on at least one scored field. */
export interface Miss {
  index: number;
  text: string;
  /** Which fields differ: `category`, `urgent`, `children`, `pii`, `lang`. */
  fields: string[];
  expected: Pick<LabelledRow, 'category' | 'urgent' | 'children' | 'pii' | 'lang'>;
  actual: { category: Category; urgent: boolean; children: number[]; pii: string[]; lang: string };
}

/** Every figure of one evaluation run. */
export interface TextEval {
  rows: number;
  categoryAccuracy: number;
  perCategory: Record<Category, Prf>;
  /** Mean F1 over the categories present in the labels. */
  macroF1: number;
  urgent: Prf;
  children: {
    /** Rows whose predicted list equals the labelled one exactly (order included). */
    exactAccuracy: number;
    /** Labelled numbers found, over all labelled numbers. */
    recall: number;
    /** Predicted numbers that were labelled, over all predicted numbers. */
    precision: number;
  };
  perPii: Record<string, Prf>;
  languageAccuracy: number;
  misclassified: Miss[];
}

const CATEGORIES: readonly Category[] = ['tip', 'family', 'adoption', 'status', 'other', 'spam'];
const PII_KINDS: readonly string[] = ['phone', 'id_number', 'email', 'bank_card', 'url', 'wechat', 'qq'];

function prf(tp: number, fp: number, fn: number): Prf {
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, support: tp + fn, truePositives: tp, falsePositives: fp, falseNegatives: fn };
}

function sameList(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  const sa = new Set(a);
  const sb = new Set(b);
  return sa.size === sb.size && [...sa].every((x) => sb.has(x));
}

/**
 * Runs `triageFn` on every row and scores it: per-category and macro F1, urgent P/R,
 * catalogue-number exact match and recall, PII P/R per kind (as sets of kinds per message),
 * language accuracy, and the rows with any field wrong.
 */
export function evaluateText(rows: readonly LabelledRow[], triageFn: TriageFn): TextEval {
  const cat = new Map<Category, { tp: number; fp: number; fn: number }>(CATEGORIES.map((c) => [c, { tp: 0, fp: 0, fn: 0 }]));
  const pii = new Map<string, { tp: number; fp: number; fn: number }>(PII_KINDS.map((k) => [k, { tp: 0, fp: 0, fn: 0 }]));
  let urgentTp = 0;
  let urgentFp = 0;
  let urgentFn = 0;
  let categoryRight = 0;
  let childrenExact = 0;
  let childLabelled = 0;
  let childFound = 0;
  let childPredicted = 0;
  let childPredictedRight = 0;
  let langRight = 0;
  const misclassified: Miss[] = [];

  rows.forEach((row, index) => {
    const r = triageFn(row.text);
    const fields: string[] = [];
    if (r.category === row.category) categoryRight++;
    else {
      fields.push('category');
      cat.get(r.category)!.fp++;
      cat.get(row.category)!.fn++;
    }
    if (r.category === row.category) cat.get(r.category)!.tp++;

    if (r.urgent && row.urgent) urgentTp++;
    else if (r.urgent) urgentFp++;
    else if (row.urgent) urgentFn++;
    if (r.urgent !== row.urgent) fields.push('urgent');

    if (sameList(r.children, row.children)) childrenExact++;
    else fields.push('children');
    childLabelled += row.children.length;
    childFound += row.children.filter((n) => r.children.includes(n)).length;
    childPredicted += r.children.length;
    childPredictedRight += r.children.filter((n) => row.children.includes(n)).length;

    for (const kind of new Set([...row.pii, ...r.pii])) {
      const counts = pii.get(kind) ?? { tp: 0, fp: 0, fn: 0 };
      pii.set(kind, counts);
      const said = r.pii.includes(kind);
      const labelled = row.pii.includes(kind);
      if (said && labelled) counts.tp++;
      else if (said) counts.fp++;
      else counts.fn++;
    }
    if (!sameSet(r.pii, row.pii)) fields.push('pii');

    if (r.language === row.lang) langRight++;
    else fields.push('lang');

    if (fields.length > 0) {
      misclassified.push({
        index,
        text: row.text,
        fields,
        expected: { category: row.category, urgent: row.urgent, children: row.children, pii: row.pii, lang: row.lang },
        actual: { category: r.category, urgent: r.urgent, children: [...r.children], pii: [...r.pii], lang: r.language },
      });
    }
  });

  const perCategory = Object.fromEntries(CATEGORIES.map((c) => {
    const x = cat.get(c)!;
    return [c, prf(x.tp, x.fp, x.fn)];
  })) as Record<Category, Prf>;
  const present = CATEGORIES.filter((c) => perCategory[c].support > 0);
  const n = rows.length || 1;
  return {
    rows: rows.length,
    categoryAccuracy: categoryRight / n,
    perCategory,
    macroF1: present.length ? present.reduce((s, c) => s + perCategory[c].f1, 0) / present.length : 0,
    urgent: prf(urgentTp, urgentFp, urgentFn),
    children: {
      exactAccuracy: childrenExact / n,
      recall: childLabelled === 0 ? 1 : childFound / childLabelled,
      precision: childPredicted === 0 ? 1 : childPredictedRight / childPredicted,
    },
    perPii: Object.fromEntries([...pii].map(([k, x]) => [k, prf(x.tp, x.fp, x.fn)])),
    languageAccuracy: langRight / n,
    misclassified,
  };
}

/** Reads a JSONL file of {@link LabelledRow}s; blank lines are skipped, a bad line throws with its number. */
export function loadJsonl(path: string): LabelledRow[] {
  const rows: LabelledRow[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (!line.trim()) return;
      try {
        rows.push(JSON.parse(line) as LabelledRow);
      } catch (err) {
        throw new Error(`${path}:${i + 1}: not JSON (${(err as Error).message})`);
      }
    });
  return rows;
}
