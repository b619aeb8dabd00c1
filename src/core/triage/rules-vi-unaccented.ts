/**
 * Vietnamese typed without diacritics ("em be bi danh", "xe vua chay"), common on phones without
 * a Vietnamese keyboard. Every Vietnamese rule is folded to plain letters and applied, as its own
 * set, to Vietnamese text that carries no diacritics at all — so a message typed with them is not
 * counted twice, and English text (where "ban", "con", "be" are other words) never sees this set.
 */
import { stripLatinAccents } from './language.ts';
import type { LanguageRuleSet, RulePattern, UrgencyRules } from './rules.ts';
import { VIETNAMESE, VIETNAMESE_SCRIPT } from './rules-sea.ts';

/** The project's one accent fold (`language.ts`), under the name this set's callers use. */
export const foldLatinDiacritics = stripLatinAccents;

function foldPattern(p: RulePattern): RulePattern {
  if (typeof p.match === 'string') return { ...p, match: foldLatinDiacritics(p.match) };
  // A regular expression's source folds like text: its letters lose their marks, its syntax has none.
  return { ...p, match: new RegExp(foldLatinDiacritics(p.match.source), p.match.flags) };
}

const foldList = (list: readonly RulePattern[] | undefined): RulePattern[] | undefined => list?.map(foldPattern);

function foldRecord<K extends string>(rec: Readonly<Partial<Record<K, readonly RulePattern[]>>>): Partial<Record<K, RulePattern[]>> {
  const out: Partial<Record<K, RulePattern[]>> = {};
  for (const key of Object.keys(rec) as K[]) out[key] = foldList(rec[key]);
  return out;
}

/** {@link VIETNAMESE}, folded; applies to Vietnamese text without a single diacritic. */
export const VIETNAMESE_UNACCENTED: LanguageRuleSet = {
  id: 'vi-unaccented',
  languages: ['vi'],
  unless: VIETNAMESE_SCRIPT,
  normalise: foldLatinDiacritics,
  categories: foldRecord(VIETNAMESE.categories),
  ...(VIETNAMESE.urgency ? { urgency: foldRecord(VIETNAMESE.urgency) as UrgencyRules } : {}),
  ...(VIETNAMESE.spam ? { spam: foldList(VIETNAMESE.spam)! } : {}),
  // Short insults fold into everyday words ("ngu" stupid / "ngủ" sleep, "lũ" / "lu"): only the longer ones stay.
  ...(VIETNAMESE.abuse ? { abuse: foldList(VIETNAMESE.abuse)!.filter((p) => typeof p.match !== 'string' || p.match.length > 4) } : {}),
  ...(VIETNAMESE.targets ? { targets: foldList(VIETNAMESE.targets)! } : {}),
  ...(VIETNAMESE.greetings ? { greetings: VIETNAMESE.greetings.map(foldLatinDiacritics) } : {}),
};
