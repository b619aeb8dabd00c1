/**
 * The persisted shape of one reporter's conversation on one channel, and the replies the
 * engine produces (translation keys, rendered later in the reporter's language).
 */
import type { InboundAttachment, InboundProblem, TriageResult } from '../types.ts';

export type Flow = 'tip' | 'family' | 'adoption';

export type Step =
  | 'new'
  | 'menu'
  | 'language'
  | 'status.code'
  | 'tip.child'
  | 'tip.details'
  | 'tip.photos'
  | 'tip.contact'
  | 'tip.contact_input'
  | 'tip.confirm'
  | 'family.sex'
  | 'family.dob'
  | 'family.lost'
  | 'family.marks'
  | 'family.relationship'
  | 'family.child'
  | 'family.photos'
  | 'family.contact'
  | 'family.contact_input'
  | 'family.confirm'
  | 'adoption.offer'
  | 'adoption.note';

/** What a reporter has told us in a flow that is not yet a case (or not yet complete). */
export interface Draft {
  flow: Flow;
  /** Catalogue number the reporter named; null for "not sure"; undefined if not asked yet. */
  child?: number | null;
  /** Free-text parts, in the order written. */
  texts: string[];
  /** Structured answers (family: sex, dob, lost, marks, relationship). */
  answers: Record<string, string>;
  attachmentIds: number[];
  /** Photos already moved into the case (an urgent case opened mid-flow). */
  sentAttachments?: number;
  /** Contact details given with explicit consent, sealed by {@link EnginePorts.seal}. */
  contact?: string;
  /** Set when the reporter chose to stay anonymous. */
  anonymous?: boolean;
  /** A case already opened from this draft (an urgent message opens one at once). */
  caseCode?: string;
}

export interface ConversationState {
  version: 1;
  step: Step;
  draft?: Draft;
  /** The last album (Telegram media group) a photo came from: its other photos are acknowledged once. */
  lastMediaGroup?: string;
  /** Times (ms) of recent failed case-code look-ups, for throttling guesses. */
  statusFailures?: number[];
}

export function initialState(): ConversationState {
  return { version: 1, step: 'new' };
}

/** Reads a stored state, tolerating older or damaged JSON (a reporter is never stuck). */
export function parseState(json: string | undefined): ConversationState {
  if (!json) return initialState();
  try {
    const s = JSON.parse(json) as ConversationState;
    if (s && s.version === 1 && typeof s.step === 'string') return s;
  } catch {
    /* fall through */
  }
  return { version: 1, step: 'menu' };
}

/** A reply before translation: a key in the `bot` namespace and its parameters. */
export interface Reply {
  key: string;
  params?: Record<string, string | number>;
  /** Text that is not translated (a caseworker's own words), shown after the keyed text. */
  raw?: string;
  choices?: ChoiceSpec[];
  caseCode?: string;
  from?: 'bot' | 'caseworker';
}

export interface ChoiceSpec {
  id: string;
  key: string;
  params?: Record<string, string | number>;
  /** A label used as-is (a language's own name). */
  label?: string;
}

/** One inbound message as the engine sees it (already cleaned by the service). */
export interface EngineInput {
  text?: string;
  action?: string;
  command?: { name: string; args: string };
  attachments: InboundAttachment[];
  sharedContact?: string;
  problem?: InboundProblem;
  /** An edit of an earlier message (kept quietly). */
  edited?: boolean;
  /** The album this photo belongs to, if any. */
  mediaGroup?: string;
  /** Triage of `text` (undefined when there is no text). */
  triage?: TriageResult;
}

/** A case the engine asks the service to open or extend. */
export interface CaseIntake {
  flow: Flow | 'free';
  child?: number | null;
  texts: string[];
  answers: Record<string, string>;
  attachmentIds: number[];
  /** Sealed contact details (see {@link EnginePorts.seal}). */
  contact?: string;
  /** True when opened before the reporter finished (urgent, or abandoned mid-flow). */
  incomplete?: boolean;
}

/** What a status look-up found, as the reporter may see it. */
export interface StatusView {
  code: string;
  status: 'new' | 'claimed' | 'closed';
  replies: string[];
}

/**
 * What the engine may ask of the world. The service implements these inside the one
 * transaction that processes the message, so everything the engine does is atomic.
 */
export interface EnginePorts {
  readonly emergencyNumber: string;
  readonly now: Date;
  catalogueNumbers(): ReadonlySet<number>;
  triage(text: string): TriageResult;
  /** Opens a case; returns its code. */
  openCase(intake: CaseIntake, triage: TriageResult): string;
  /** Adds text / attachments / contact to an existing case (re-triaging it). */
  appendToCase(code: string, intake: CaseIntake, triage: TriageResult | undefined): void;
  /**
   * The reporter's open case that new text of `category` should join, if any (news never
   * joins a low-priority adoption note or a spam case).
   */
  openCaseOfReporter(category?: TriageResult['category']): { code: string } | undefined;
  /** Looks a case up by canonical code for a status request; marks replies seen. */
  lookupStatus(code: string): StatusView | undefined;
  saveAttachment(att: InboundAttachment): number;
  /** Encrypts contact details so they are never stored in the clear, even in a draft. */
  seal(text: string): string;
  /** The reporter's own case with this code, if it is theirs (open or closed). */
  ownCase(code: string): { code: string } | undefined;
  /** The reporter chose a language. */
  chooseLocale(locale: string): boolean;
  availableLocales(): { code: string; name: string }[];
}
