/**
 * The triage rule tables. Everything language-specific lives here as data: adding a language
 * is adding one {@link LanguageRuleSet} to {@link RULE_SETS} (keywords, urgency phrases, spam
 * words, greetings) — the engine in `index.ts` needs no change.
 *
 * How a rule set is matched:
 * - It applies to a message when the detected language's primary subtag is in `languages`
 *   (`'*'` = always), or when its `script` test matches the text (so a Chinese phrase inside an
 *   English message still counts).
 * - Text is NFKC-normalised, lower-cased and whitespace-collapsed, then passed through the set's
 *   `normalise` (Chinese: traditional → simplified). Literal phrases are normalised the same way
 *   when compiled, so tables may list either form.
 * - A literal phrase made of Latin letters only matches at word boundaries; a CJK phrase matches
 *   anywhere. A `RegExp` is used as written (made global and case-insensitive).
 */

import { re } from './rule-kit.ts';
import { CHINESE } from './rules-zh.ts';
import { ENGLISH } from './rules-en.ts';
import { BURMESE, THAI, VIETNAMESE } from './rules-sea.ts';
import { VIETNAMESE_UNACCENTED } from './rules-vi-unaccented.ts';

/** Categories that keywords vote for (`spam` and `other` are decided by the engine). */
export type RuleCategory = 'tip' | 'family' | 'adoption' | 'status';

/** Category order used to break ties: a reporter who saw something outranks the rest. */
export const CATEGORY_TIE_ORDER: readonly RuleCategory[] = ['tip', 'family', 'status', 'adoption'];

/** One weighted keyword or pattern. */
export interface RulePattern {
  /** A literal phrase (case-insensitive) or a regular expression. */
  readonly match: string | RegExp;
  /**
   * Category vote, or spam score contribution (0..1). Ignored by urgency lists. A literal of
   * weight 0 is a shadow: being longer, it wins over a phrase it contains and counts nothing
   * (`i saw the news` keeps `i saw` from voting for a tip).
   */
  readonly weight: number;
  /** Short name used in reasons; defaults to the text that matched. */
  readonly label?: string;
  /** Urgency `danger`/`sale`: urgent on its own, it carries its own immediacy. */
  readonly immediate?: boolean;
  /** Urgency `immediacy`: still counts when the message also talks about the past. */
  readonly strong?: boolean;
}

/**
 * Urgency: a child in danger now, or a sale / handover / transport about to happen.
 * Urgent when
 * - an `immediate` sale pattern matches (`今晚要卖`), or
 * - an `immediate` danger pattern matches (`beating`), unless a `calm` pattern matches or a
 *   `past` marker does without a `strong` immediacy, or
 * - a `danger` or `sale` pattern and an `immediacy` pattern both match, no `calm` pattern does,
 *   and, if a `past` marker matches, the immediacy is `strong`, or
 * - an `alarm` pattern matches in a tip (or a message naming a child) and no `calm` one does.
 */
export interface UrgencyRules {
  readonly danger?: readonly RulePattern[];
  readonly sale?: readonly RulePattern[];
  readonly immediacy?: readonly RulePattern[];
  readonly past?: readonly RulePattern[];
  readonly calm?: readonly RulePattern[];
  /**
   * A cry for help or speed (`hurry`, `快报警`, `ด่วน`): in a message that reports something
   * (a tip, or one naming a child) it is urgent on its own, unless a `calm` pattern matches.
   */
  readonly alarm?: readonly RulePattern[];
}

/** Every rule for one language (or, with `languages: ['*']`, for all). */
export interface LanguageRuleSet {
  /** Name used in diagnostics. */
  readonly id: string;
  /** Primary language subtags (`zh`, `en`, `vi`) this set is for; `'*'` = every message. */
  readonly languages: readonly string[];
  /** Also apply when the text matches this (e.g. contains Han characters). Not global. */
  readonly script?: RegExp;
  /** Never apply when the text matches this (the unaccented Vietnamese set: any diacritic). Not global. */
  readonly unless?: RegExp;
  /** Applied to lower-cased text and to literal phrases before matching. */
  readonly normalise?: (text: string) => string;
  readonly categories: Readonly<Partial<Record<RuleCategory, readonly RulePattern[]>>>;
  readonly urgency?: UrgencyRules;
  /** Advertising words; weights add up into the spam score. */
  readonly spam?: readonly RulePattern[];
  /**
   * Insults and curses (weight 0.7 for a slur that is abuse on its own, 0.4 for a milder word);
   * they count only in a message that carries no information (see `spam.ts`).
   */
  readonly abuse?: readonly RulePattern[];
  /** Words that aim a message at the service: `you`, `你们`, `police`, `this bot`. */
  readonly targets?: readonly RulePattern[];
  /** Whole-message greetings and menu words (`hi`, `menu`, `你好`). */
  readonly greetings?: readonly string[];
}

/**
 * A case code as printed to reporters: `TL-` and two groups of four Crockford base-32
 * characters, any case, dashes optional (confusable letters are accepted here too).
 */
export const CASE_CODE_PATTERN = /(?<![a-z0-9])tl[-_ ]?[0-9a-z]{4}[-_ ]?[0-9a-z]{4}(?![a-z0-9])/i;

/** Spam score contributions of the signals that are not words. */
export const SPAM_SIGNALS = {
  /** Spam score at or above which the category is `spam`. */
  threshold: 0.7,
  /** Any link. */
  link: 0.3,
  /** A link together with advertising words worth at least `promoWithLinkMin`: at least this. */
  linkWithPromo: 0.75,
  /** One weak promotional word (`free`) beside a link is not enough for `linkWithPromo`. */
  promoWithLinkMin: 0.3,
  /** The same character ten or more times in a row. */
  repeated: 0.3,
  /** Mostly capital letters (at least 12 Latin letters). */
  shouting: 0.2,
  /** Shouting with a link, on top of `shouting` and `link`. */
  shoutingWithLink: 0.3,
  /** More than half of the visible characters are neither letters nor digits. */
  symbols: 0.3,
  /** Signals of form alone (repeats, capitals, symbols) never make spam by themselves. */
  formCap: 0.6,
  /** Taken off when a message names a child and clearly is a tip or a family inquiry. */
  genuineDiscount: 0.2,
  /** Advertising words worth this much beside a WeChat / QQ id or phone make `linkWithPromo`. */
  promoWithContactMin: 0.3,
  /** Added to insults when the message is aimed at the service (`you`, `你们`, `police`). */
  abuseAimed: 0.3,
} as const;

/** Category vote for each catalogue child a message names (`#7` alone is a tip). */
export const CHILD_MENTION_TIP_WEIGHT = 1;

// ───────────────────────────────────────────── every language

const UNIVERSAL: LanguageRuleSet = {
  id: 'any',
  languages: ['*'],
  categories: {
    family: [re(2, /(?<![a-z])dna(?![a-z])/, 'dna')],
    status: [re(3, CASE_CODE_PATTERN, 'case-code')],
  },
};

/** Every rule set, matched in this order. Add a language by adding a set here. */
export const RULE_SETS: readonly LanguageRuleSet[] = [UNIVERSAL, ENGLISH, CHINESE, VIETNAMESE, VIETNAMESE_UNACCENTED, THAI, BURMESE];
