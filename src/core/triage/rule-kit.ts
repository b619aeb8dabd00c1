/**
 * Small builders for the rule tables (`rules.ts`, `rules-sea.ts`), so each table reads as a
 * list of phrases by concept and weight.
 */

import type { RulePattern } from './rules.ts';

/** Literal phrases sharing one weight. */
export function kw(weight: number, ...phrases: string[]): RulePattern[] {
  return phrases.map((match) => ({ match, weight }));
}

/** Literal phrases that are urgent on their own (urgency `danger` / `sale`). */
export function now(...phrases: string[]): RulePattern[] {
  return phrases.map((match) => ({ match, weight: 1, immediate: true }));
}

/** Immediacy phrases that survive a mention of the past. */
export function strong(...phrases: string[]): RulePattern[] {
  return phrases.map((match) => ({ match, weight: 1, strong: true }));
}

/** A regular expression rule; `label` names it in reasons instead of the matched text. */
export function re(weight: number, match: RegExp, label?: string, extra?: Partial<RulePattern>): RulePattern {
  return { match, weight, ...(label === undefined ? {} : { label }), ...extra };
}
