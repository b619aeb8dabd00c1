import { describe, it, expect } from 'vitest';
import { fileURLToPath } from 'node:url';
import { evaluateText, loadJsonl, type LabelledRow } from '../../eval/text.ts';
import { triage } from '../../src/core/triage/index.ts';

const TRAIN = fileURLToPath(new URL('../../eval/data/train.jsonl', import.meta.url));

function row(text: string, category: LabelledRow['category'], urgent = false, children: number[] = [], pii: string[] = [], lang = 'en'): LabelledRow {
  return { text, category, urgent, children, pii, lang };
}

describe('evaluateText', () => {
  it('computes precision, recall and F1 from a fixed predictor', () => {
    const rows = [
      row('a', 'tip', true, [7], ['phone']),
      row('b', 'tip', false, [3]),
      row('c', 'family'),
      row('d', 'spam'),
    ];
    // Predicts: a → tip urgent [7] phone; b → family urgent [3,4]; c → family; d → tip.
    const answers: Record<string, ReturnType<Parameters<typeof evaluateText>[1]>> = {
      a: { category: 'tip', urgent: true, children: [7], pii: ['phone'], language: 'en' },
      b: { category: 'family', urgent: true, children: [3, 4], pii: [], language: 'en' },
      c: { category: 'family', urgent: false, children: [], pii: ['email'], language: 'zh-CN' },
      d: { category: 'tip', urgent: false, children: [], pii: [], language: 'en' },
    };
    const e = evaluateText(rows, (t) => answers[t]!);
    expect(e.categoryAccuracy).toBe(0.5);
    expect(e.perCategory.tip).toMatchObject({ precision: 0.5, recall: 0.5, support: 2 });
    expect(e.perCategory.family).toMatchObject({ precision: 0.5, recall: 1 });
    expect(e.perCategory.spam).toMatchObject({ recall: 0, f1: 0 });
    // Mean of tip 0.5, family 2/3, spam 0 (adoption, status, other have no support).
    expect(e.macroF1).toBeCloseTo((0.5 + 2 / 3 + 0) / 3, 6);
    expect(e.urgent).toMatchObject({ precision: 0.5, recall: 1 });
    expect(e.children.exactAccuracy).toBe(0.75);
    expect(e.children.recall).toBe(1);
    expect(e.children.precision).toBeCloseTo(2 / 3, 6);
    expect(e.perPii.phone).toMatchObject({ precision: 1, recall: 1 });
    expect(e.perPii.email).toMatchObject({ precision: 0, falsePositives: 1 });
    expect(e.languageAccuracy).toBe(0.75);
    expect(e.misclassified.map((m) => m.text)).toEqual(['b', 'c', 'd']);
    expect(e.misclassified[1]!.fields).toEqual(['pii', 'lang']);
  });
});

describe('the labelled development set (eval/data/train.jsonl)', () => {
  const rows = loadJsonl(TRAIN);

  it('follows LABELS.md: size, categories, urgency, languages', () => {
    expect(rows.length).toBeGreaterThanOrEqual(400);
    for (const c of ['tip', 'family', 'adoption', 'status', 'other', 'spam']) {
      expect(rows.filter((r) => r.category === c).length, c).toBeGreaterThanOrEqual(20);
    }
    for (const lang of ['zh-CN', 'zh-TW', 'en', 'vi', 'th', 'my']) {
      expect(rows.filter((r) => r.lang === lang).length, lang).toBeGreaterThanOrEqual(20);
      expect(rows.some((r) => r.lang === lang && r.urgent), `${lang} urgent`).toBe(true);
    }
    expect(rows.some((r) => r.category === 'spam' && r.urgent)).toBe(false);
  });

  it('triage keeps its figures on it (a regression guard, not the goal: the goal is the blind set)', () => {
    const catalogue = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    const e = evaluateText(rows, (t) => triage(t, { catalogueNumbers: catalogue }));
    expect(e.macroF1).toBeGreaterThanOrEqual(0.95);
    expect(e.urgent.recall).toBe(1);
    expect(e.urgent.precision).toBeGreaterThanOrEqual(0.9);
    expect(e.children.exactAccuracy).toBeGreaterThanOrEqual(0.97);
    expect(e.languageAccuracy).toBeGreaterThanOrEqual(0.97);
    for (const [kind, prf] of Object.entries(e.perPii)) {
      expect(prf.precision, kind).toBeGreaterThanOrEqual(0.9);
      expect(prf.recall, kind).toBeGreaterThanOrEqual(0.9);
    }
  });
});
