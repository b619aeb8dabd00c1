/**
 * The trained second opinion and how it is weighed against the rules.
 *
 * The rules (word lists and concept classes) are precise on phrasings they were shown and blind
 * to the rest; on every set written by someone who never saw them they lost recall to a new
 * writer's words. Linear models over character n-grams, trained on every labelled set, generalise
 * to new writers better (measured set by set, leaving each out: see `scripts/train-models.ts`).
 * So:
 *
 * - **Urgency** is the rules' verdict OR the model's: a child in danger now is never taken away
 *   from the rules, and the model adds urgency where it is confident — except for spam and
 *   greetings, and (by default) where the words point away from now (a calm marker, a question).
 * - **Category** is the argmax of the rules' choice (weight `blend`) plus the model's
 *   distribution (weight `1 − blend`): the model overrides the rules only when it is sure.
 *   An urgent message keeps the rules' category (a tip when they had none).
 *
 * Pure and deterministic; the models are committed JSON, loaded once.
 */
import { readFileSync } from 'node:fs';
import type { Category } from '../types.ts';
import { featuresOfModelText, parseModel, probabilities, type LinearModel } from './text-model.ts';

/** The six categories, in the order the category model's classes must have. */
export const MODEL_CATEGORIES: readonly Category[] = ['tip', 'family', 'adoption', 'status', 'spam', 'other'];

/** What the models say about one text. */
export interface ModelOpinion {
  /** P(urgent). */
  urgent: number;
  /** P(category), in {@link MODEL_CATEGORIES} order. */
  category: number[];
}

/** What the rules decided, and what they know that points away from "now". */
export interface RuleVerdict {
  category: Category;
  urgent: boolean;
  greeting: boolean;
  spamScore: number;
  /** The rules' `other` is a guess (no keyword of any category): the models' own choice counts alone. */
  guessed: boolean;
  /** A child is spoken of (a child word, a number, a danger or a sale): the model may add urgency. */
  childInView: boolean;
  /** A calm marker or a question ("is my baby in danger now?"): the model may not add urgency. */
  pointsAway: boolean;
  /**
   * A past-tense word, a date, the writer's own plan or a habit ("已经", "đã", "2012年", "we'll",
   * "经常"): the model adds urgency only past {@link CombineParams.pastThreshold}. Often it is the
   * past of a present danger ("已经关了一整天", "the buyer is already on the way").
   */
  pastTense: boolean;
  /** Characters the models read ({@link modelText}): too few, and the rules alone decide. */
  chars: number;
}

/**
 * Texts shorter than this are the rules' alone: a conversation's replies ("no", "不用了", "done",
 * "哈哈") are mostly this short, and n-grams of a word or two say too little.
 */
export const MIN_MODEL_CHARS = 8;
/** Spam the rules are sure of (advertising words strong on their own) stays spam. */
const SURE_SPAM = 1;

/** How the two are weighed (both chosen by cross-validation when the models are trained). */
export interface CombineParams {
  /** P(urgent) at or above which the model adds urgency. */
  threshold: number;
  /** The same where a past-tense word or a date was seen (at least `threshold`). */
  pastThreshold: number;
  /** Weight of the rules' category against the model's distribution. */
  blend: number;
  /** The same where the rules' `other` was a guess (no keyword at all). */
  guessBlend: number;
}

/** The verdict after weighing, with a reason for each thing the model changed. */
export interface CombinedVerdict {
  category: Category;
  urgent: boolean;
  reasons: string[];
}

/** Weighs the rules' verdict against the models' opinion (see the module comment). */
export function combine(rules: RuleVerdict, opinion: ModelOpinion, params: CombineParams): CombinedVerdict {
  if (rules.urgent || rules.chars < MIN_MODEL_CHARS) return { category: rules.category, urgent: rules.urgent, reasons: [] };
  const reasons: string[] = [];
  const blend = rules.guessed ? params.guessBlend : params.blend;
  const votes = opinion.category.map((p) => p * (1 - blend));
  const ruleIndex = MODEL_CATEGORIES.indexOf(rules.category);
  votes[ruleIndex]! += blend;
  let best = ruleIndex;
  for (let i = 0; i < votes.length; i++) if (votes[i]! > votes[best]!) best = i;
  if (rules.category === 'spam' && rules.spamScore >= SURE_SPAM) best = ruleIndex;
  let category = MODEL_CATEGORIES[best]!;
  if (category !== rules.category) reasons.push(`category:model:${category}:${opinion.category[best]!.toFixed(2)}`);
  // An adoption wish or a status question in a hurry is no child in danger unless the rules'
  // own words say so; a family's message is ("my daughter was taken from the nursery an hour
  // ago") when the model is sure — the bar of a past-tense word.
  const sureOnly = rules.pastTense || category === 'family';
  const urgent =
    (category === 'tip' || category === 'other' || category === 'family') &&
    !rules.greeting &&
    rules.childInView &&
    !rules.pointsAway &&
    opinion.urgent >= (sureOnly ? Math.max(params.threshold, params.pastThreshold) : params.threshold);
  if (urgent) {
    reasons.push(`urgent:model:${opinion.urgent.toFixed(2)}`);
    // Someone telling us a child is in danger is reporting something.
    if (category === 'other') category = 'tip';
  }
  return { category, urgent, reasons };
}

/** The committed models, loaded once; `null` when either is missing or damaged (rules alone then). */
export interface CommittedModels {
  urgency: LinearModel;
  category: LinearModel;
  params: CombineParams;
}

let loaded: CommittedModels | null | undefined;

function load(name: string): LinearModel | undefined {
  try {
    return parseModel(readFileSync(new URL(`./${name}`, import.meta.url), 'utf8'));
  } catch {
    return undefined;
  }
}

/** The committed models, or `null` (then triage is the rules alone). */
export function committedModels(): CommittedModels | null {
  if (loaded === undefined) {
    const urgency = load('urgency-model.json');
    const category = load('category-model.json');
    loaded =
      urgency?.kind === 'logistic' &&
      urgency.threshold !== undefined &&
      urgency.pastThreshold !== undefined &&
      category?.kind === 'softmax' &&
      category.blend !== undefined &&
      category.guessBlend !== undefined &&
      category.classes.join() === MODEL_CATEGORIES.join()
        ? { urgency, category, params: { threshold: urgency.threshold, pastThreshold: urgency.pastThreshold, blend: category.blend, guessBlend: category.guessBlend } }
        : null;
  }
  return loaded;
}

/** Both models' opinion of a text as `modelText` read it (its features computed once). */
export function modelOpinion(models: Pick<CommittedModels, 'urgency' | 'category'>, read: string): ModelOpinion {
  const feats = featuresOfModelText(read);
  return { urgent: probabilities(models.urgency, feats)[0]!, category: probabilities(models.category, feats) };
}
