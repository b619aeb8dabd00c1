/**
 * The core's vocabulary: what adapters hand in, what the core hands out, and the
 * domain records the rest of the product works with. Nothing here knows a platform SDK.
 */

/** A channel a reporter can write from. Adapters register under one of these names. */
export type ChannelName = 'webchat' | 'telegram' | (string & {});

/** An attachment an adapter has already fetched and size-checked. */
export interface InboundAttachment {
  /** `image` for photos; anything else is answered politely and not stored. */
  kind: 'image' | 'other';
  /** Sniffed MIME type, e.g. `image/jpeg`. */
  mime: string;
  /** The bytes. Adapters enforce {@link LIMITS.attachmentBytes} before handing in. */
  data: Buffer;
  /** The platform's id for the file, when it has one (kept for de-duplication). */
  platformFileId?: string;
  /** Original file name, if the platform gave one. Never shown to caseworkers. */
  fileName?: string;
  /** Set by the core, not adapters: the photo's catalogue matches, best first. */
  photoMatches?: Array<{ number: number; photo: string; distance: number; confidence: Confidence }>;
}

/**
 * Compares a reporter's photo with the circulated catalogue (implemented outside the core, with
 * an image library). Never throws: a photo it cannot read safely is `refused` with the reason,
 * and a failure of its own is `unavailable` (the photo is then kept without matches).
 */
export interface PhotoMatcherPort {
  match(data: Buffer): Promise<
    | { ok: true; matches: NonNullable<InboundAttachment['photoMatches']> }
    | { ok: false; refused: 'attachment_not_image' | 'attachment_format' }
    | { ok: false; unavailable: string }
  >;
}

/**
 * One normalised message from a reporter, whatever platform it came from.
 * Adapters build this and call `core.processMessage(msg)`; they never see handlers.
 */
export interface InboundMessage {
  channel: ChannelName;
  /** Where replies go on the platform (a chat id, a web session). Encrypted at rest. */
  conversationRef: string;
  /** Who wrote (a platform user id). Encrypted at rest; looked up by keyed hash. */
  senderRef: string;
  /** The platform's id for this message or update; a repeat is dropped. */
  platformMessageId: string;
  /** Free text the reporter typed (or a caption). */
  text?: string;
  /** The id of a choice (button) the reporter pressed, if any. */
  action?: string;
  /** A command such as `start` with its payload (`child_7`). */
  command?: { name: string; args: string };
  attachments?: InboundAttachment[];
  /** The platform's idea of the reporter's language (browser, Telegram `language_code`). */
  localeHint?: string;
  /** Contact details the reporter shared through a platform feature (e.g. a Telegram contact). */
  sharedContact?: string;
  /** Photos sent together as one album share this id: the album is acknowledged once. */
  mediaGroup?: string;
  /** The reporter edited an earlier message: the new text is kept, quietly, with the case. */
  edited?: boolean;
  /** Marks an adapter-detected problem so the core can answer it politely. */
  problem?: InboundProblem;
  receivedAt: Date;
}

/** Problems an adapter found in a message that the core answers in the reporter's language. */
export type InboundProblem =
  | 'too_long'
  | 'unreadable'
  | 'attachment_too_large'
  | 'attachment_not_image'
  | 'attachment_format'
  | 'attachment_failed'
  | 'unsupported_kind';

/** A button the reporter can press. `id` comes back as {@link InboundMessage.action}. */
export interface Choice {
  id: string;
  label: string;
}

/** One message the core wants a reporter to receive, already in their language. */
export interface OutboundMessage {
  text: string;
  choices?: Choice[];
  /** An image to show (e.g. a catalogue photo); a path under the data folder or a URL. */
  image?: { url: string; alt: string };
  /** The case this message belongs to, if any (the web chat keeps it to show the code). */
  caseCode?: string;
  /** Who wrote it, for display: the bot, or a caseworker of the tip line. */
  from: 'bot' | 'caseworker';
  /** Locale the text is in (BCP 47). */
  locale: string;
}

/** Where an outbound message goes: decrypted only by the dispatcher, right before sending. */
export interface DeliveryAddress {
  channel: ChannelName;
  conversationRef: string;
  senderRef: string;
}

/**
 * The port a reporter channel implements. Optional capabilities are optional methods.
 */
export interface ReporterAdapter {
  readonly channel: ChannelName;
  /** The adapter calls `meta.onAttempt` itself when the platform call really starts (it may wait first). */
  readonly marksAttempts?: boolean;
  /** A repeated `idempotencyKey` is shown once (the web chat): after a crash, rows are simply sent again. */
  readonly idempotent?: boolean;
  /**
   * Deliver one message. `idempotencyKey` is stable across retries of the same outbox row,
   * so an adapter that can de-duplicate (the web chat) never shows a message twice.
   * Throws {@link DeliveryError} to say whether a retry makes sense.
   */
  send(to: DeliveryAddress, message: OutboundMessage, meta: DeliveryMeta): Promise<void>;
}

/** A failed delivery; `permanent` ones (blocked, gone) are not retried. */
export class DeliveryError extends Error {
  /** The platform refused for going too fast (429): wait exactly `retryAfterMs`. */
  rateLimited = false;
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly retryAfterMs?: number,
    /** The reporter cannot be reached on this channel any more (blocked, left, gone). */
    readonly unreachable = false,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }

  /** A 429: the platform said how long to wait. */
  static rateLimited(message: string, retryAfterMs: number): DeliveryError {
    const e = new DeliveryError(message, false, retryAfterMs);
    e.rateLimited = true;
    return e;
  }
}

/**
 * Not attempted: the platform was not called (a rate-limit pause is on, or the tip line is
 * stopping). The message goes back to the queue as it was; no attempt is counted.
 */
export class DeliveryDeferred extends DeliveryError {
  constructor(
    message: string,
    retryAfterMs: number,
    /** The whole platform is paused (a 429 seen elsewhere): the channel waits `retryAfterMs` too. */
    readonly platformPaused = false,
  ) {
    super(message, false, retryAfterMs);
    this.name = 'DeliveryDeferred';
  }
}

/**
 * A platform's pace: `count` calls per `windowMs` (e.g. 30 per 1000 ms); per key (one chat),
 * `burst` calls may go back to back before the pace applies (default 1: strictly paced).
 * Configuration reads it, the adapters' limiters keep to it.
 */
export interface Rate {
  count: number;
  windowMs: number;
  burst?: number;
}

/** What the dispatcher tells an adapter about one delivery. */
export interface DeliveryMeta {
  /** Stable across retries of the same outbox row: an adapter that can de-duplicate does. */
  idempotencyKey: string;
  /** The outbox priority: higher goes first (urgent cases, then replies, then bulk). */
  priority?: number;
  /** Aborted when the tip line stops: a send still waiting for its turn is handed back unsent. */
  signal?: AbortSignal;
  /**
   * Call right before the platform is called (after any wait for a rate limit): from then on
   * the send may have happened, and a crash makes it "sent once more" rather than "not sent".
   * Adapters that wait before calling say so with `marksAttempts`; for others the dispatcher
   * marks the row itself, just before `send`.
   */
  onAttempt?: () => void;
}

/** Case categories as triage and caseworkers use them. */
export type Category = 'tip' | 'family' | 'adoption' | 'status' | 'other' | 'spam';

/** What triage says about one message. The JSON shape is public (INTERFACE.md). */
export interface TriageResult {
  category: Category;
  urgent: boolean;
  /** BCP 47 tag of the detected language (`zh-CN`, `zh-TW`, `en`, `vi`, ...). */
  language: string;
  /** Catalogue numbers mentioned or likely, best first. */
  children: number[];
  /** Kinds of personal data found: `phone`, `id_number`, `email`, `url`, ... */
  pii: string[];
  /** Short machine-readable reasons, e.g. `urgent:danger-now`, `child:#7`. */
  reasons: string[];
  /** 0..1; at or above 0.7 the category is `spam`. */
  spamScore: number;
  /** True when the text is only a greeting or a menu word ("hi", "你好"). */
  greeting: boolean;
}

/** How sure a catalogue candidate is, in words a caseworker can act on. */
export type Confidence = 'strong' | 'likely' | 'possible';

/** What points at a catalogue child: the reporter named it, a photo matches, or the description fits. */
export type CandidateSource = 'named' | 'photo' | 'attributes';

/**
 * A catalogue child a case may concern, with the evidence. For caseworkers only: never shown to
 * the reporter (a parent told "it is #7" would stop looking, or be exploited).
 */
export interface Candidate {
  number: number;
  /** 0..1, comparable across sources. */
  score: number;
  confidence: Confidence;
  sources: CandidateSource[];
  /** Short machine-readable reasons: `named:#7`, `photo:d=6`, `sex:boy`, `mark:birthmark@shoulder`. */
  reasons: string[];
}

export type CaseStatus = 'new' | 'claimed' | 'closed';
export type Priority = 'urgent' | 'normal' | 'low';
export type MessageAuthor = 'reporter' | 'caseworker' | 'bot' | 'note';

/** Limits every adapter and the core agree on. */
export const LIMITS = {
  /** Longest text accepted in one message, in characters (Telegram's own limit). */
  textChars: 4096,
  /** An urgent message over {@link LIMITS.textChars} is kept anyway, up to this. */
  urgentTextChars: 20000,
  /** Largest attachment accepted, in bytes. */
  attachmentBytes: 10 * 1024 * 1024,
  /** Most attachments kept per case intake. */
  attachmentsPerIntake: 10,
} as const;

/**
 * What a caseworker desk (Slack, later others) may show of a case: never a platform identity,
 * a contact only when the reporter shared it. The desk port's unit of display.
 */
export interface DeskCaseView {
  code: string;
  category: Category;
  priority: Priority;
  urgent: boolean;
  status: CaseStatus;
  /** BCP 47 tag of what the reporter writes, and its name in English for caseworkers. */
  language: string;
  languageName: string;
  /** Catalogue numbers, best first, with the triage reasons that named them. */
  children: number[];
  reasons: string[];
  /** "Reporter 4F2A". */
  reporter: string;
  claimedBy: string | null;
  createdAt: string;
  /** The reporter's first words, as written. */
  text: string;
  followUps: number;
  photos: number;
  /** Only when the reporter chose to share contact details. */
  contact: string | null;
  incomplete: boolean;
  reporterReachable: boolean;
  /** Catalogue children it may concern, best first, with reasons. */
  candidates: Candidate[];
  /** Its group of near-identical reports ("14 similar reports"), when it has one. */
  similar: SimilarReports | null;
  /** The candidates as caseworkers read them (`#7 strong (0.93) — photo:strong:d=4`). */
  candidateLines: string[];
  /** The group in words (`14 similar reports (first TL-…)`), when it has one. */
  similarLine?: string;
  /**
   * Kinds of contact details and identity numbers found in what the reporter wrote (`phone`,
   * `id_number`, `wechat`, …): shown as a flag, since typing a number in a tip is not the
   * consent step — it may be the reporter's own, or a trafficker's.
   */
  contactDetailsInText: string[];
}

/** A case's group of near-identical reports. */
export interface SimilarReports {
  /** Reports in the group, this one included. */
  count: number;
  /** The group's first case (the one that carries the group on the desk). */
  first: string;
  isFirst: boolean;
  /** A few other codes in the group. */
  others: string[];
}

/** Something a desk must show: the case's message (re)drawn, or a line in its thread. */
export type DeskEvent =
  | { type: 'upsert' }
  | { type: 'thread'; author: MessageAuthor; actor?: string | null; text: string }
  | { type: 'photo'; attachmentId: number }
  /** What a slowed (flooding) reporter wrote from `from` to `until`, as one thread line. */
  | { type: 'digest'; from: string; until: string };

/** Where a case's message lives on a desk (for Slack: channel id and message ts). */
export interface DeskPostRef {
  channel: string;
  ts: string;
}

/**
 * The port a caseworkers' desk implements (Slack now). The core sends case events out through
 * it; caseworker commands come back into the core's casework functions.
 */
export interface DeskAdapter {
  readonly desk: string;
  /** As {@link ReporterAdapter.marksAttempts}. */
  readonly marksAttempts?: boolean;
  /** Posts the case (or updates its message in place when `existing` is given); returns where it lives. */
  upsertCase(view: DeskCaseView, existing: DeskPostRef | undefined, meta?: DeliveryMeta): Promise<DeskPostRef>;
  /** Adds a line to the case's thread (a reporter's follow-up, a reply, a note). */
  postThread(ref: DeskPostRef, view: DeskCaseView, line: { author: MessageAuthor; actor?: string | null; text: string }, meta?: DeliveryMeta): Promise<void>;
  /** Adds a reporter's photo (already stripped of metadata) to the case's thread. */
  postPhoto(ref: DeskPostRef, view: DeskCaseView, photo: { mime: string; data: Buffer; name: string }, meta?: DeliveryMeta): Promise<void>;
}
