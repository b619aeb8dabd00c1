/**
 * The rule engine's compiled form: every language set's phrases as one longest-first
 * alternation per list, its regular expressions beside them, compiled once when this module
 * loads; and matching a list against a text. What the rules say is data (`rules*.ts`); how
 * triage weighs their hits is `index.ts`.
 */
import type { LanguageRuleSet, RuleCategory, RulePattern } from './rules.ts';
import { RULE_SETS } from './rules.ts';

/** Longest label a regex match contributes to a reason. */
const MAX_LABEL_CHARS = 24;

// ───────────────────────────────────────────── compiled rules

/** One rule that matched, and the text it matched (for reasons). */
export interface Hit {
  pattern: RulePattern;
  label: string;
}

export interface CompiledList {
  /** All literal phrases as one alternation, longest first. */
  literal: RegExp | undefined;
  byText: Map<string, RulePattern>;
  regexes: Array<{ re: RegExp; pattern: RulePattern }>;
}

export interface CompiledSet {
  source: LanguageRuleSet;
  /** `source.script` without `g`/`y`, so `test` keeps no state. */
  script: RegExp | undefined;
  normalise: (text: string) => string;
  categories: Record<RuleCategory, CompiledList>;
  danger: CompiledList;
  sale: CompiledList;
  immediacy: CompiledList;
  past: CompiledList;
  calm: CompiledList;
  alarm: CompiledList;
  spam: CompiledList;
  abuse: CompiledList;
  targets: CompiledList;
}

const identity = (text: string): string => text;
/** Letters and digits a Latin-script phrase must not touch (accented Latin included: `bán` ≠ `bánh`). */
const WORD_CLASS = 'a-z0-9\\u00c0-\\u024f\\u1e00-\\u1eff';
export const WORD_CHAR = new RegExp(`[${WORD_CLASS}]`);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** NFKC, lower case, one space for any whitespace run, curly apostrophes made straight. */
export function canonical(text: string): string {
  return text.toLowerCase().replace(/[\u2018\u2019\u0060\u00b4]/g, "'").replace(/\s+/g, ' ');
}

function compileList(patterns: readonly RulePattern[] | undefined, normalise: (t: string) => string): CompiledList {
  const byText = new Map<string, RulePattern>();
  const regexes: CompiledList['regexes'] = [];
  for (const pattern of patterns ?? []) {
    if (typeof pattern.match === 'string') {
      const key = normalise(canonical(pattern.match.normalize('NFKC')).trim());
      const seen = byText.get(key);
      // The same phrase listed twice: the stronger listing wins (an urgent one must not be
      // shadowed by a plain keyword entry; a phrase listed under two weights counts the higher).
      if (
        key &&
        (!seen ||
          (pattern.immediate && !seen.immediate) ||
          (pattern.strong && !seen.strong) ||
          (!seen.immediate && !seen.strong && pattern.weight > seen.weight))
      )
        byText.set(key, pattern);
    } else {
      const flags = new Set([...pattern.match.flags, 'g', 'i']);
      flags.delete('y');
      regexes.push({ re: new RegExp(pattern.match.source, [...flags].join('')), pattern });
    }
  }
  const keys = [...byText.keys()].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));
  // Phrases starting with a letter or digit share one look-behind, so the engine can scan fast;
  // a phrase starts either with a word character or not, so the longest-first order holds.
  const wordy = keys.filter((k) => WORD_CHAR.test(k[0] ?? ''));
  const other = keys.filter((k) => !WORD_CHAR.test(k[0] ?? ''));
  const alternative = (k: string): string =>
    escapeRegExp(k) + (WORD_CHAR.test(k[k.length - 1] ?? '') ? `(?![${WORD_CLASS}])` : '');
  const parts: string[] = [];
  if (wordy.length) parts.push(`(?<![${WORD_CLASS}])(?:${wordy.map(alternative).join('|')})`);
  if (other.length) parts.push(other.map(alternative).join('|'));
  const literal = parts.length ? new RegExp(parts.join('|'), 'g') : undefined;
  return { literal, byText, regexes };
}

function compileSet(source: LanguageRuleSet): CompiledSet {
  const normalise = source.normalise ?? identity;
  const list = (patterns: readonly RulePattern[] | undefined): CompiledList => compileList(patterns, normalise);
  return {
    source,
    script: source.script ? new RegExp(source.script.source, source.script.flags.replace(/[gy]/g, '')) : undefined,
    normalise,
    categories: {
      tip: list(source.categories.tip),
      family: list(source.categories.family),
      adoption: list(source.categories.adoption),
      status: list(source.categories.status),
    },
    danger: list(source.urgency?.danger),
    sale: list(source.urgency?.sale),
    immediacy: list(source.urgency?.immediacy),
    past: list(source.urgency?.past),
    calm: list(source.urgency?.calm),
    alarm: list(source.urgency?.alarm),
    spam: list(source.spam),
    abuse: list(source.abuse),
    targets: list(source.targets),
  };
}

export const COMPILED: readonly CompiledSet[] = RULE_SETS.map(compileSet);

/** Every greeting of every set, normalised, longest first. */
export const GREETINGS: readonly string[] = [
  ...new Set(
    RULE_SETS.flatMap((set) =>
      (set.greetings ?? []).map((g) => (set.normalise ?? identity)(canonical(g.normalize('NFKC')).trim())),
    ),
  ),
]
  .filter(Boolean)
  .sort((a, b) => b.length - a.length);

/** Applies every set's normaliser, for text that must be compared against all sets at once. */
export function normaliseAll(text: string): string {
  let out = text;
  for (const set of COMPILED) out = set.normalise(out);
  return out;
}

/** Adds the hits of `list` in `text` to `out` (each literal phrase once). */
export function matchList(list: CompiledList, text: string, out: Hit[]): void {
  const literal = list.literal;
  if (literal) {
    let seen: Set<RulePattern> | undefined;
    literal.lastIndex = 0;
    for (let m = literal.exec(text); m !== null; m = literal.exec(text)) {
      const pattern = list.byText.get(m[0]);
      if (pattern === undefined || seen?.has(pattern)) continue;
      (seen ??= new Set()).add(pattern);
      out.push({ pattern, label: m[0] });
    }
  }
  for (const { re, pattern } of list.regexes) {
    re.lastIndex = 0;
    const m = re.exec(text);
    if (m) out.push({ pattern, label: pattern.label ?? m[0].trim().slice(0, MAX_LABEL_CHARS) });
  }
}

