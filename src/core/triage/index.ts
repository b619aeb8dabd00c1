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
import { detectLanguage, foldDigits } from './language.ts';
import { isMostlyCaseCode } from './mostly-code.ts';
import { spamVerdict } from './spam.ts';
import { conceptUrgency, mentionsChild, mentionsHabit, mentionsOwnPlan, mentionsPast, urgencyVeto } from './urgency-concepts.ts';
import { combine, committedModels, modelOpinion, type CommittedModels, type RuleVerdict } from './models.ts';
import { modelText } from './text-model.ts';
import { canonical, COMPILED, GREETINGS, matchList, normaliseAll, WORD_CHAR, type Hit } from './rule-engine.ts';
import { findPiiMatches, PII_KINDS, type PiiKind, type PiiMatch } from './pii.ts';
import { CATEGORY_TIE_ORDER, CHILD_MENTION_TIP_WEIGHT, SPAM_SIGNALS, type RuleCategory } from './rules.ts';

export { detectLanguage, toSimplified, chineseVariantCounts, countScripts, foldDigits } from './language.ts';
export { redactPii } from './redact.ts';
export { findPhones, type PhoneSpan } from './phone.ts';
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
  /**
   * The trained second opinion (`models.ts`): the committed models when absent, `false` for the
   * rules alone (training and cross-validation read those), or other models to weigh instead.
   */
  models?: false | CommittedModels;
}

/** A message that ends as a question asks; it does not report. */
const QUESTION_END_RE = /(?:[?？]|吗|嗎|呢|không|ไหม|มั้ย|လား)\s*$/u;

/** Longer input is cut before triage (the product accepts 4,000 characters). */
const MAX_CHARS = 20_000;
/** Most keyword reasons given per category. */
const MAX_KEYWORD_REASONS = 3;
/** A keyword vote at least this strong means the message carries information (abuse then is not spam). */
const INFORMATIVE_VOTE = 3;
/** Spam score from which the concept-class urgency stays silent (a link alone scores 0.3). */
const CONCEPT_MAX_SPAM_SCORE = 0.3;
/** Advertising weight up to which the concept classes still speak (one weak word: `cash`, `私聊`). */
const CONCEPT_MAX_AD_WEIGHT = 0.2;
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
  // NFKC leaves Thai and Burmese digits alone: fold them so numbers read the same everywhere.
  return foldDigits(t);
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

// ───────────────────────────────────────────── urgency

interface UrgencyHits {
  danger: Hit[];
  sale: Hit[];
  immediacy: Hit[];
  past: Hit[];
  calm: Hit[];
  alarm: Hit[];
}

/** The reason a message is urgent, or undefined. See {@link UrgencyRules} for the logic. */
function urgencyReason(all: UrgencyHits): string | undefined {
  // A weight-0 urgency phrase is a shadow: it claims its text ("我会马上回" is the writer's
  // promise, not the child's danger) and counts nothing.
  const live = (hits: Hit[]): Hit[] => hits.filter((x) => x.pattern.weight !== 0);
  const h: UrgencyHits = {
    danger: live(all.danger),
    sale: live(all.sale),
    immediacy: live(all.immediacy),
    past: live(all.past),
    calm: live(all.calm),
    alarm: live(all.alarm),
  };
  const immediateSale = h.sale.find((x) => x.pattern.immediate);
  if (immediateSale) return `urgent:sale-imminent:${immediateSale.label}`;
  const past = h.past.length > 0;
  const calm = h.calm.length > 0;
  // A cry for help is the strongest "now" there is.
  const strongNow = h.immediacy.find((x) => x.pattern.strong) ?? h.alarm[0];
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
  const { result, verdict, read } = triageRules(input, ctx);
  const models = ctx?.models === false ? null : (ctx?.models ?? committedModels());
  if (!models) return result;
  const combined = combine(verdict, modelOpinion(models, read), models.params);
  if (combined.reasons.length === 0) return result;
  return { ...result, category: combined.category, urgent: combined.urgent, reasons: [...result.reasons, ...combined.reasons] };
}

/**
 * The rules' verdict alone, what they know that the models are weighed against, and the text as
 * the models read it (`modelText`, computed once here).
 */
export function triageRules(input: string, ctx?: TriageContext): { result: TriageResult; verdict: RuleVerdict; read: string } {
  const { result, childInView, pointsAway, pastTense, guessed, text } = rulesUnsafe(input, ctx);
  const read = modelText(text);
  const verdict: RuleVerdict = {
    category: result.category,
    urgent: result.urgent,
    greeting: result.greeting,
    spamScore: result.spamScore,
    childInView,
    guessed,
    pointsAway,
    pastTense,
    chars: read.length,
  };
  return { result, verdict, read };
}

function rulesUnsafe(input: string, ctx: TriageContext | undefined) {
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
  const urgency: UrgencyHits = { danger: [], sale: [], immediacy: [], past: [], calm: [], alarm: [] };
  const adHits: Hit[] = [];
  const abuseHits: Hit[] = [];
  const targetHits: Hit[] = [];
  for (const set of COMPILED) {
    const applies =
      (set.source.languages.includes('*') ||
        set.source.languages.includes(primary) ||
        (set.script !== undefined && set.script.test(text))) &&
      !set.source.unless?.test(text);
    if (!applies) continue;
    const t = set.normalise(matchText);
    for (const category of CATEGORY_TIE_ORDER) matchList(set.categories[category], t, categoryHits[category]);
    matchList(set.danger, t, urgency.danger);
    matchList(set.sale, t, urgency.sale);
    matchList(set.immediacy, t, urgency.immediacy);
    matchList(set.past, t, urgency.past);
    matchList(set.calm, t, urgency.calm);
    matchList(set.alarm, t, urgency.alarm);
    matchList(set.spam, t, adHits);
    matchList(set.abuse, t, abuseHits);
    matchList(set.targets, t, targetHits);
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
  // A circulated child named is a small vote for a tip; a number outside the catalogue
  // ("网上怎么有12张照片, 12号呢?") is usually a question about the news, so it does not vote.
  const named = catalogue && catalogue.size > 0 ? mentioned.filter((n) => catalogue.has(n)) : mentioned;
  if (named.length > 0) {
    scores.tip += CHILD_MENTION_TIP_WEIGHT;
    categoryHits.tip.push({ pattern: { match: '', weight: CHILD_MENTION_TIP_WEIGHT }, label: `#${named[0]}` });
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
  // The strongest single keyword of any category: "I saw" says something, "idiots" does not.
  let maxVote = 0;
  for (const category of CATEGORY_TIE_ORDER) {
    for (const hit of categoryHits[category]) maxVote = Math.max(maxVote, hit.pattern.weight);
  }
  let urgentReason = greeting ? undefined : urgencyReason(urgency);
  // A cry for help in a report ("number 2 is on the train, please stop them") is urgent on its own.
  const alarm = urgency.alarm[0];
  if (!urgentReason && !greeting && alarm && urgency.calm.length === 0 && (best === 'tip' || mentioned.length > 0)) {
    urgentReason = `urgent:alarm:${alarm.label}`;
  }
  // A danger said outright ("beating", "救命") stands; a hypothetical or an adoption wish in a hurry does not.
  // A rumour to be checked ("群里在传有人抢孩子，是真的吗") holds no danger either.
  const veto = urgentReason ? urgencyVeto(matchText, best, named.length > 0) : undefined;
  // Tears over the news ("my daughter is crying now because she saw the news") are no danger either.
  if (veto && (veto === 'rumour' || veto === 'news-reaction' || !/^urgent:danger:/.test(urgentReason!))) urgentReason = undefined;
  // "2011年有人卖孩子，现在不知道在哪": a sale word and a "now" in different tenses of one old
  // story; "明天我就去派出所…谁卖的5号": the writer's own plan, not the sale's. A phrase hit
  // short of an outright danger is kept there only when the concept classes find an act happening now.
  if (
    urgentReason &&
    !/^urgent:(?:danger|alarm):/.test(urgentReason) &&
    (mentionsPast(matchText) || mentionsOwnPlan(matchText)) &&
    !conceptUrgency(matchText, { namesChild: named.length > 0 })
  ) {
    urgentReason = undefined;
  }
  const anyKeyword =
    CATEGORY_TIE_ORDER.some((c) => categoryHits[c].length > 0) ||
    urgency.danger.length + urgency.sale.length + urgency.immediacy.length + urgency.alarm.length > 0;
  const spam = spamVerdict({
    text,
    ads: adHits,
    abuse: abuseHits,
    targets: targetHits,
    hasLink,
    hasContact: piiKinds.has('wechat') || piiKinds.has('qq') || piiKinds.has('phone'),
    genuine: mentioned.length > 0 && bestScore >= 3,
    informative: mentioned.length > 0 || mostlyCode || maxVote >= INFORMATIVE_VOTE || urgentReason !== undefined,
    anyKeyword,
  });

  // Recall first: the phrase tables catch the phrasings they were shown; concept classes
  // (now + child + harm/move/trade, or a call for help) catch the ones they were not. Being
  // broad, they never rescue a message from spam, nor speak where advertising words or a
  // link already lean that way ("baby clothes sale today, buy now").
  // One weak advertising word ("bring cash", "价格私聊") does not silence them; more does.
  let adWeight = 0;
  for (const hit of adHits) adWeight += hit.pattern.weight;
  if (!urgentReason && !greeting && spam.score <= CONCEPT_MAX_SPAM_SCORE && adWeight <= CONCEPT_MAX_AD_WEIGHT) {
    // A link alone (a tip forwarding a sale post) lets them speak only for a clock running now.
    const linkOnly = spam.score >= CONCEPT_MAX_SPAM_SCORE;
    const concept = conceptUrgency(matchText, { namesChild: named.length > 0, strongOnly: linkOnly, ...(best ? { category: best } : {}) });
    if (concept && !urgencyVeto(matchText, best, named.length > 0)) urgentReason = concept;
  }

  let category: Category = best ?? 'other';
  // Rules own urgency: a child in danger now is never filed as spam for a link or a stray
  // advertising word ("发帖出售女婴 明天交货 链接…"); only advertising strong on its own outweighs it.
  const urgentOutweighsSpam = urgentReason !== undefined && adWeight < SPAM_SIGNALS.threshold;
  if (spam.score >= SPAM_SIGNALS.threshold && !urgentOutweighsSpam) {
    category = 'spam';
    urgentReason = undefined;
  } else if (urgentReason && (category === 'other' || category === 'status' || bestScore < INFORMATIVE_VOTE)) {
    // Someone telling us a child is in danger is reporting something, even when a stray
    // word ("no parents anywhere") or a follow-up ("我报过一次没用") leaned another way.
    category = 'tip';
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
    result: {
      category,
      urgent: urgentReason !== undefined,
      language,
      children,
      pii,
      reasons,
      spamScore: spam.score,
      greeting,
    },
    // What lets the trained model add urgency (`models.ts`): a child in view, and nothing saying
    // "not now" — a calm marker, a question. A past-tense word, a date, the writer's own plan or a
    // habit only raises its bar: "他們已經要走了", "we'll be through the checkpoint in 15 min".
    childInView:
      named.length > 0 || mentionsChild(matchText) || urgency.danger.length + urgency.sale.length + urgency.alarm.length > 0,
    // `other` for want of any keyword: a guess the models may overrule freely.
    guessed: category === 'other' && best === undefined && !mostlyCode,
    pointsAway: urgency.calm.length > 0 || QUESTION_END_RE.test(matchText.trim()),
    pastTense: urgency.past.length > 0 || mentionsPast(matchText) || mentionsOwnPlan(matchText) || mentionsHabit(matchText),
    text,
  };
}
