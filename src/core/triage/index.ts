/**
 * Triage: what one reporter message is about (tip, family inquiry, adoption, case status,
 * spam), whether a child is in danger now, its language, which circulated children it names,
 * and which personal data it holds. Pure, deterministic, no I/O; all regular expressions are
 * compiled once, when this module loads.
 *
 * The rules are data (`rules.ts`); this file is the engine that applies them.
 */

import type { Category, TriageResult } from '../types.ts';
import { extractChildNumbers } from './children.ts';
import { detectLanguage } from './language.ts';
import { findPiiMatches, PII_KINDS, type PiiKind, type PiiMatch } from './pii.ts';
import {
  CASE_CODE_PATTERN,
  CATEGORY_TIE_ORDER,
  CHILD_MENTION_TIP_WEIGHT,
  RULE_SETS,
  SPAM_SIGNALS,
  type LanguageRuleSet,
  type RuleCategory,
  type RulePattern,
} from './rules.ts';

export { detectLanguage, toSimplified, chineseVariantCounts, countScripts } from './language.ts';
export { extractChildNumbers, parseChineseNumeral, MAX_CHILD_NUMBER } from './children.ts';
export {
  findPii,
  findPiiMatches,
  isChineseIdNumber,
  passesLuhn,
  PII_KINDS,
  type PiiKind,
  type PiiMatch,
} from './pii.ts';
export {
  RULE_SETS,
  SPAM_SIGNALS,
  CASE_CODE_PATTERN,
  type LanguageRuleSet,
  type RuleCategory,
  type RulePattern,
  type UrgencyRules,
} from './rules.ts';

/** What the caller knows beyond the text. */
export interface TriageContext {
  /** Numbers of the children in the circulated catalogue; others are reported as unknown. */
  catalogueNumbers?: ReadonlySet<number>;
  /** The platform's idea of the reporter's language, used when the text has no letters. */
  localeHint?: string;
}

/** Longer input is cut before triage (the product accepts 4,000 characters). */
const MAX_CHARS = 20_000;
/** Most keyword reasons given per category. */
const MAX_KEYWORD_REASONS = 3;
/** Longest label a regex match contributes to a reason. */
const MAX_LABEL_CHARS = 24;

// ───────────────────────────────────────────── compiled rules

interface Hit {
  pattern: RulePattern;
  label: string;
}

interface CompiledList {
  /** All literal phrases as one alternation, longest first. */
  literal: RegExp | undefined;
  byText: Map<string, RulePattern>;
  regexes: Array<{ re: RegExp; pattern: RulePattern }>;
}

interface CompiledSet {
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
  spam: CompiledList;
}

const identity = (text: string): string => text;
const WORD_CHAR = /[a-z0-9]/;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** NFKC, lower case, one space for any whitespace run, curly apostrophes made straight. */
function canonical(text: string): string {
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
      // shadowed by a plain keyword entry).
      if (key && (!seen || (pattern.immediate && !seen.immediate) || (pattern.strong && !seen.strong))) byText.set(key, pattern);
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
    escapeRegExp(k) + (WORD_CHAR.test(k[k.length - 1] ?? '') ? '(?![a-z0-9])' : '');
  const parts: string[] = [];
  if (wordy.length) parts.push(`(?<![a-z0-9])(?:${wordy.map(alternative).join('|')})`);
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
    spam: list(source.spam),
  };
}

const COMPILED: readonly CompiledSet[] = RULE_SETS.map(compileSet);

/** Every greeting of every set, normalised, longest first. */
const GREETINGS: readonly string[] = [
  ...new Set(
    RULE_SETS.flatMap((set) =>
      (set.greetings ?? []).map((g) => (set.normalise ?? identity)(canonical(g.normalize('NFKC')).trim())),
    ),
  ),
]
  .filter(Boolean)
  .sort((a, b) => b.length - a.length);

/** Applies every set's normaliser, for text that must be compared against all sets at once. */
function normaliseAll(text: string): string {
  let out = text;
  for (const set of COMPILED) out = set.normalise(out);
  return out;
}

function matchList(list: CompiledList, text: string, out: Hit[]): void {
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

// ───────────────────────────────────────────── text preparation

// C0/C1 controls except tab, newline, carriage return.
const CONTROL_RE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
// Invisible characters spammers use to break up words.
const INVISIBLE_RE = /[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]/g;

function prepare(text: unknown): string {
  if (typeof text !== 'string' || text.length === 0) return '';
  let t = text.length > MAX_CHARS ? text.slice(0, MAX_CHARS) : text;
  t = t.replace(CONTROL_RE, ' ').replace(INVISIBLE_RE, '');
  try {
    t = t.normalize('NFKC');
  } catch {
    // Unpaired surrogates and the like: keep the text as it is.
  }
  return t;
}

// ───────────────────────────────────────────── greeting

const GREETING_STRIP_RE = /[\p{P}\p{S}\p{Extended_Pictographic}\u20e3\ufe0f\u200d]+/gu;
const EMOJI_RE = /\p{Extended_Pictographic}/u;
const GREETING_MAX_CHARS = 80;

/** True when the whole message is greetings or menu words, or emoji only. */
function isGreeting(text: string): boolean {
  if (text.length > GREETING_MAX_CHARS * 2) return false;
  let rest = normaliseAll(canonical(text)).replace(GREETING_STRIP_RE, ' ').replace(/\s+/g, ' ').trim();
  if (rest === '') return EMOJI_RE.test(text);
  if (rest.length > GREETING_MAX_CHARS) return false;
  while (rest.length > 0) {
    const g = GREETINGS.find(
      (word) =>
        rest.startsWith(word) &&
        !(WORD_CHAR.test(word[word.length - 1] ?? '') && WORD_CHAR.test(rest[word.length] ?? '')),
    );
    if (!g) return false;
    rest = rest.slice(g.length).trimStart();
  }
  return true;
}

// ───────────────────────────────────────────── spam

/** Characters counted in one pass for the spam signals of form. */
interface FormStats {
  /** Longest run of one repeated character (UTF-16 unit). */
  longestRun: number;
  latin: number;
  upper: number;
  visible: number;
  symbols: number;
}

/** True for a UTF-16 unit that is punctuation, a symbol or part of an emoji. */
function isSymbolUnit(c: number): boolean {
  if (c < 0x80) {
    return !((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a));
  }
  return (
    (c >= 0xa1 && c <= 0xbf) ||
    c === 0xd7 ||
    c === 0xf7 ||
    (c >= 0x2010 && c <= 0x2bff) ||
    (c >= 0x3000 && c <= 0x303f) ||
    (c >= 0xd83c && c <= 0xd83e) || // high surrogates of emoji
    (c >= 0xfe30 && c <= 0xfe4f) ||
    (c >= 0xff01 && c <= 0xff0f) ||
    (c >= 0xff1a && c <= 0xff20) ||
    (c >= 0xff3b && c <= 0xff40) ||
    (c >= 0xff5b && c <= 0xff65)
  );
}

function formStats(text: string): FormStats {
  const stats: FormStats = { longestRun: 0, latin: 0, upper: 0, visible: 0, symbols: 0 };
  let run = 0;
  let prev = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    run = c === prev ? run + 1 : 1;
    prev = c;
    if (run > stats.longestRun) stats.longestRun = run;
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x3000) continue;
    stats.visible++;
    if (c >= 0x41 && c <= 0x5a) {
      stats.latin++;
      stats.upper++;
    } else if (c >= 0x61 && c <= 0x7a) {
      stats.latin++;
    } else if (isSymbolUnit(c)) {
      // an emoji is two units, the low one is not counted
      stats.symbols++;
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      stats.visible--;
    }
  }
  return stats;
}

interface SpamVerdict {
  score: number;
  reasons: string[];
}

function spamScore(text: string, adHits: Hit[], hasLink: boolean, genuine: boolean): SpamVerdict {
  const reasons: string[] = [];
  let ads = 0;
  for (const hit of adHits) ads += hit.pattern.weight;
  ads = Math.min(ads, 1);
  let form = 0;
  const stats = formStats(text);
  if (stats.longestRun >= 10) {
    form += SPAM_SIGNALS.repeated;
    reasons.push('spam:repeated');
  }
  if (stats.latin >= 12 && stats.upper / stats.latin >= 0.8) {
    form += SPAM_SIGNALS.shouting + (hasLink ? SPAM_SIGNALS.shoutingWithLink : 0);
    reasons.push(hasLink ? 'spam:shouting+link' : 'spam:shouting');
  }
  if (stats.visible >= 15 && stats.symbols / stats.visible > 0.5) {
    form += SPAM_SIGNALS.symbols;
    reasons.push('spam:symbols');
  }
  let score = ads + Math.min(form, SPAM_SIGNALS.formCap) + (hasLink ? SPAM_SIGNALS.link : 0);
  if (hasLink && ads >= SPAM_SIGNALS.promoWithLinkMin) {
    score = Math.max(score, SPAM_SIGNALS.linkWithPromo);
    reasons.unshift('spam:link+promo');
  } else if (hasLink) {
    reasons.unshift('spam:link');
  }
  for (const hit of adHits.slice(0, MAX_KEYWORD_REASONS)) reasons.push(`spam:ad:${hit.label}`);
  if (genuine && score > 0) score -= SPAM_SIGNALS.genuineDiscount;
  score = Math.round(Math.min(1, Math.max(0, score)) * 100) / 100;
  return { score, reasons: score > 0 ? reasons : [] };
}

// ───────────────────────────────────────────── urgency

interface UrgencyHits {
  danger: Hit[];
  sale: Hit[];
  immediacy: Hit[];
  past: Hit[];
  calm: Hit[];
}

/** The reason a message is urgent, or undefined. See {@link UrgencyRules} for the logic. */
function urgencyReason(h: UrgencyHits): string | undefined {
  const immediateSale = h.sale.find((x) => x.pattern.immediate);
  if (immediateSale) return `urgent:sale-imminent:${immediateSale.label}`;
  const past = h.past.length > 0;
  const calm = h.calm.length > 0;
  const strongNow = h.immediacy.find((x) => x.pattern.strong);
  const now = past ? strongNow : (strongNow ?? h.immediacy[0]);
  const immediateDanger = h.danger.find((x) => x.pattern.immediate);
  if (immediateDanger && !calm && (!past || strongNow)) return `urgent:danger:${immediateDanger.label}`;
  if (calm || !now) return undefined;
  const sale = h.sale[0];
  if (sale) return `urgent:sale-imminent:${sale.label}+${now.label}`;
  const danger = h.danger[0];
  if (danger) return `urgent:danger-now:${danger.label}+${now.label}`;
  return undefined;
}

// ───────────────────────────────────────────── case codes

const CASE_CODE_ALL_RE = new RegExp(CASE_CODE_PATTERN.source, 'gi');
const BARE_CODE_RE = /^(?=[0-9a-z -]*\d)(?=[0-9a-z -]*[a-z])[0-9a-z]{4}[- ][0-9a-z]{4}$/;
const RESIDUE_STRIP_RE = /[\p{P}\p{S}\s]+/gu;
const DENSE_SCRIPT_RE = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;
/**
 * At most this much besides the code and the message is "mostly a case code": 12 Latin
 * letters, or 4 Chinese characters (`TL-7KQ2-M9XD 进度？`), each of which says more.
 */
const CODE_RESIDUE_CHARS = 12;
const DENSE_CHAR_WEIGHT = 3;

function isMostlyCaseCode(matchText: string): boolean {
  const trimmed = matchText.trim();
  if (BARE_CODE_RE.test(trimmed)) return true;
  CASE_CODE_ALL_RE.lastIndex = 0;
  if (!CASE_CODE_ALL_RE.test(trimmed)) return false;
  const residue = trimmed.replace(CASE_CODE_ALL_RE, '').replace(RESIDUE_STRIP_RE, '');
  if (residue.length > CODE_RESIDUE_CHARS) return false;
  const dense = residue.match(DENSE_SCRIPT_RE)?.length ?? 0;
  return residue.length + dense * (DENSE_CHAR_WEIGHT - 1) <= CODE_RESIDUE_CHARS;
}

// ───────────────────────────────────────────── triage

const HOST_RE = /^(?:[a-z][a-z0-9+.-]*:\/\/)?([^/?#\s]*)/i;

/** The host name of a link, lower case, dots and dashes made spaces. */
function hostOf(url: string): string {
  return (HOST_RE.exec(url)?.[1] ?? '').toLowerCase().replace(/[.-]/g, ' ');
}

function blankAddresses(text: string, matches: readonly PiiMatch[]): string {
  let out = '';
  let at = 0;
  for (const m of matches) {
    if ((m.kind !== 'url' && m.kind !== 'email') || m.start < at) continue;
    out += text.slice(at, m.start) + ' ';
    at = m.end;
  }
  return at === 0 ? text : out + text.slice(at);
}

function primarySubtag(tag: string): string {
  return (tag.split(/[-_]/)[0] ?? '').toLowerCase();
}

function fallbackLanguage(ctx: TriageContext | undefined): string {
  const hint = typeof ctx?.localeHint === 'string' ? ctx.localeHint.trim().replace(/_/g, '-') : '';
  return hint || 'und';
}

/**
 * Triage one reporter message. Never throws; any input (empty, huge, control characters,
 * not even a string) gives a result.
 *
 * - `language`: detected from the script, else `ctx.localeHint`, else `und`.
 * - `category`: the best-scoring of tip / family / adoption / status (ties in that order),
 *   `status` when the message is mostly a case code, `spam` when `spamScore` ≥ 0.7, else `other`.
 * - `urgent`: a child in danger now or a sale/handover about to happen; independent of the
 *   category (an urgent message with no category is a tip), never for spam or greetings.
 * - `children`: catalogue numbers named, those in `ctx.catalogueNumbers` first.
 */
export function triage(text: string, ctx?: TriageContext): TriageResult {
  try {
    return triageUnsafe(text, ctx);
  } catch {
    return {
      category: 'other',
      urgent: false,
      language: fallbackLanguage(ctx),
      children: [],
      pii: [],
      reasons: ['error:triage-failed'],
      spamScore: 0,
      greeting: false,
    };
  }
}

function triageUnsafe(input: string, ctx: TriageContext | undefined): TriageResult {
  const text = prepare(input);
  const reasons: string[] = [];

  const detected = detectLanguage(text);
  const language = detected ?? fallbackLanguage(ctx);
  reasons.push(`lang:${language}`);
  if (!detected) reasons.push(language === 'und' ? 'lang-from:none' : 'lang-from:hint');

  // Children: catalogue members first, then the unknown ones (still listed).
  const mentioned = extractChildNumbers(text);
  const catalogue = ctx?.catalogueNumbers;
  let children = mentioned;
  const childReasons: string[] = [];
  if (catalogue && catalogue.size > 0) {
    const known = mentioned.filter((n) => catalogue.has(n));
    const unknown = mentioned.filter((n) => !catalogue.has(n));
    children = [...known, ...unknown];
    for (const n of known) childReasons.push(`child:#${n}`);
    for (const n of unknown) childReasons.push(`child-unknown:#${n}`);
  } else {
    for (const n of mentioned) childReasons.push(`child:#${n}`);
  }

  const piiMatches = findPiiMatches(text);
  const piiKinds = new Set<PiiKind>(piiMatches.map((m) => m.kind));
  const pii = PII_KINDS.filter((k) => piiKinds.has(k));
  const hasLink = piiKinds.has('url');

  // Keyword matching, for every rule set that applies to this message. Links and e-mail
  // addresses are blanked first: a word inside a URL is not something the reporter said.
  const matchText = canonical(blankAddresses(text, piiMatches));
  const primary = primarySubtag(language);
  const hosts = piiMatches
    .filter((m) => m.kind === 'url')
    .map((m) => hostOf(m.text))
    .join(' ');
  const categoryHits: Record<RuleCategory, Hit[]> = { tip: [], family: [], adoption: [], status: [] };
  const urgency: UrgencyHits = { danger: [], sale: [], immediacy: [], past: [], calm: [] };
  const adHits: Hit[] = [];
  for (const set of COMPILED) {
    const applies =
      set.source.languages.includes('*') ||
      set.source.languages.includes(primary) ||
      (set.script !== undefined && set.script.test(text));
    if (!applies) continue;
    const t = set.normalise(matchText);
    for (const category of CATEGORY_TIE_ORDER) matchList(set.categories[category], t, categoryHits[category]);
    matchList(set.danger, t, urgency.danger);
    matchList(set.sale, t, urgency.sale);
    matchList(set.immediacy, t, urgency.immediacy);
    matchList(set.past, t, urgency.past);
    matchList(set.calm, t, urgency.calm);
    matchList(set.spam, t, adHits);
    // Advertising words in a link's host name count too (bitcoin-bonus.xyz), its path does not.
    if (hosts) {
      const seen = new Set(adHits.map((h) => h.pattern));
      const inHosts: Hit[] = [];
      matchList(set.spam, set.normalise(hosts), inHosts);
      for (const hit of inHosts) if (!seen.has(hit.pattern)) adHits.push(hit);
    }
  }

  const scores: Record<RuleCategory, number> = { tip: 0, family: 0, adoption: 0, status: 0 };
  for (const category of CATEGORY_TIE_ORDER) {
    for (const hit of categoryHits[category]) scores[category] += hit.pattern.weight;
  }
  if (mentioned.length > 0) {
    scores.tip += CHILD_MENTION_TIP_WEIGHT;
    categoryHits.tip.push({ pattern: { match: '', weight: CHILD_MENTION_TIP_WEIGHT }, label: `#${mentioned[0]}` });
  }

  let best: RuleCategory | undefined;
  for (const category of CATEGORY_TIE_ORDER) {
    if (scores[category] > 0 && (best === undefined || scores[category] > scores[best])) best = category;
  }
  const mostlyCode = isMostlyCaseCode(matchText);
  if (mostlyCode) best = 'status';

  const greeting = !mostlyCode && mentioned.length === 0 && isGreeting(text);
  if (greeting) best = undefined;

  const bestScore = best ? scores[best] : 0;
  const spam = spamScore(text, adHits, hasLink, mentioned.length > 0 && bestScore >= 3);

  let category: Category = best ?? 'other';
  let urgentReason = greeting ? undefined : urgencyReason(urgency);
  if (spam.score >= SPAM_SIGNALS.threshold) {
    category = 'spam';
    urgentReason = undefined;
  } else if (category === 'other' && urgentReason) {
    category = 'tip'; // someone telling us a child is in danger is reporting something
  }

  if (greeting) reasons.push('greeting');
  if (category === 'spam') {
    // reasons below
  } else if (best && category === best) {
    if (mostlyCode && best === 'status') reasons.push('category:status:case-code');
    else {
      const hits = categoryHits[best].filter((h) => h.pattern.weight > 0).sort((a, b) => b.pattern.weight - a.pattern.weight);
      for (const hit of hits.slice(0, MAX_KEYWORD_REASONS)) reasons.push(`category:${best}:${hit.label}`);
    }
  } else if (category === 'tip' && urgentReason) {
    reasons.push('category:tip:urgent');
  } else {
    reasons.push(`category:${category}`);
  }
  if (urgentReason) reasons.push(urgentReason);
  reasons.push(...childReasons);
  for (const kind of pii) reasons.push(`pii:${kind}`);
  reasons.push(...spam.reasons);

  return {
    category,
    urgent: urgentReason !== undefined,
    language,
    children,
    pii,
    reasons,
    spamScore: spam.score,
    greeting,
  };
}
