/**
 * The core service: adapters call {@link TiplineCore.processMessage}; it finds (or creates) the
 * pseudonymous reporter, drops redeliveries, runs the conversation, opens or updates cases and
 * writes every reply to the outbox — all in one SQLite transaction.
 */
import { randomUUID } from 'node:crypto';
import type { IdentityVault } from '../crypto.ts';
import { LOCALE_NAMES, SUPPORTED_LOCALES, resolveSupportedLocale, type SupportedLocale } from '../i18n/index.ts';
import type { Store } from '../store/index.ts';
import type { Reporter } from '../store/reporters.ts';
import { normaliseCaseCode } from './case-code.ts';
import { handleIdleDraft, handleMessage } from './conversation/engine.ts';
import { parseState, type EngineInput, type EnginePorts, type Reply, type StatusView } from './conversation/state.ts';
import { PRIORITY, enqueueForReporter, renderReply } from './outbound.ts';
import { cleanAttachments, isSubstantial, matchPhotos, saveAttachment } from './intake.ts';
import { cleanText } from './sanitize.ts';
import { detectLanguage, triage as runTriage } from './triage/index.ts';
import { CaseTriage } from './case-triage.ts';
import { CaseWriter } from './case-writer.ts';
import {
  LIMITS,
  type DeskEvent,
  type InboundMessage,
  type OutboundMessage,
  type PhotoMatcherPort,
  type TriageResult,
} from './types.ts';

export interface CoreOptions {
  store: Store;
  vault: IdentityVault;
  defaultLocale: SupportedLocale;
  emergencyNumber: string;
  /** Injectable clock for tests. */
  clock?: () => Date;
  /** Caseworker desks that are switched on (e.g. `['slack']`): case events are queued for them. */
  desks?: string[];
  /** Compares reporters' photos with the catalogue; without it photos are kept unmatched. */
  photoMatcher?: PhotoMatcherPort;
  /**
   * Messages a reporter may send in a minute before being slowed: later ones are kept, reach
   * the desk as one digest, and the reporter is asked (once) to slow down. Urgent ones never wait.
   */
  floodPerMinute?: number;
}

/** Default of {@link CoreOptions.floodPerMinute}. */
export const DEFAULT_FLOOD_PER_MINUTE = 12;

export interface ProcessResult {
  /** True when this platform message was seen before: nothing was done. */
  duplicate: boolean;
  /** Case codes the replies mention (opened, joined or looked up). */
  caseCodes: string[];
  /** The reporter's locale after this message. */
  locale: SupportedLocale;
  /** How many messages were queued for the reporter. */
  replies: number;
}

export interface ProcessHooks {
  /**
   * Runs inside the transaction, after de-duplication, before the conversation: an adapter
   * records its own view of the message here (the web chat's transcript) atomically with it.
   */
  accepted?(info: AcceptedInfo): void;
}

/** What the core accepted, for an adapter that shows the reporter their own message. */
export interface AcceptedInfo {
  identityId: number;
  reporterId: number;
  lookupHash: Buffer;
  /** The text as accepted (cleaned); undefined when there was none or it was refused. */
  text?: string;
  /** Why the message was refused, if it was. */
  problem?: InboundMessage['problem'];
}

/** A malformed inbound message (an adapter bug, not a reporter's mistake). */
export class InboundError extends Error {
  readonly code = 'INBOUND_INVALID';
}

type Listener = () => void;

/** Replies that only acknowledge a message; a slowed reporter is not sent them. */
const SLOWED_RECEIPTS = new Set(['case.appended', 'photos.text_added']);

/** Commands a reporter may type as text on any channel. */
const TYPED_COMMANDS = new Set(['start', 'help', 'menu', 'language', 'status', 'cancel']);

export class TiplineCore {
  readonly store: Store;
  readonly vault: IdentityVault;
  readonly defaultLocale: SupportedLocale;
  readonly emergencyNumber: string;
  readonly clock: () => Date;
  readonly desks: readonly string[];
  /** Case-level triage: candidates, child links, near-duplicate groups. */
  readonly caseTriage: CaseTriage;
  readonly #cases: CaseWriter;
  readonly #photoMatcher: PhotoMatcherPort | undefined;
  readonly #floodPerMinute: number;
  /** Set while a slowed reporter's message is handled: thread lines wait for the digest. */
  #slowed: { since: number; until: number } | undefined;
  readonly #listeners = new Set<Listener>();
  /**
   * Identities whose stored conversation reference is known to be their sender reference (a
   * web-chat session, a Telegram private chat): the sealed value it was seen as. A message
   * whose conversation is its sender then needs no decryption to confirm nothing changed.
   * Holds no plaintext; any change to the stored value misses.
   */
  readonly #conversationIsSender = new Map<number, Buffer>();
  /** The reporter being served by the transaction in progress (read once, kept current). */
  #current: { id: number; reporter: Reporter | undefined } | undefined;

  constructor(opts: CoreOptions) {
    this.store = opts.store;
    this.vault = opts.vault;
    this.defaultLocale = opts.defaultLocale;
    this.emergencyNumber = opts.emergencyNumber;
    this.clock = opts.clock ?? (() => new Date());
    this.desks = opts.desks ?? [];
    this.caseTriage = new CaseTriage(this.store);
    this.#cases = new CaseWriter({
      store: this.store,
      caseTriage: this.caseTriage,
      desks: this.desks,
      deskEvent: (caseId, event, nowIso) => this.deskEvent(caseId, event, nowIso),
    });
    this.#photoMatcher = opts.photoMatcher;
    this.#floodPerMinute = opts.floodPerMinute ?? DEFAULT_FLOOD_PER_MINUTE;
  }

  /**
   * Queues a case event for every desk that is on (inside the caller's transaction, like every
   * outbox row). Urgent cases' events go before reporters' replies; others after them.
   */
  deskEvent(caseId: number, event: DeskEvent, nowIso: string): void {
    if (this.desks.length === 0) return;
    const urgent = this.store.cases.priorityOf(caseId) === 'urgent';
    for (const desk of this.desks) {
      this.store.outbox.enqueueDesk({
        idempotencyKey: `desk:${desk}:${caseId}:${randomUUID()}`,
        desk,
        caseId,
        payload: event,
        priority: urgent ? PRIORITY.urgent : PRIORITY.bulk,
        now: nowIso,
      });
    }
  }

  /** Called after each commit that queued outbound messages (the dispatcher wakes up). */
  onOutbox(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Tells listeners that the outbox has new rows (also used by caseworker commands). */
  notifyOutbox(): void {
    for (const l of this.#listeners) {
      try {
        l();
      } catch {
        /* a listener's failure must not undo a committed message */
      }
    }
  }

  /**
   * After the catalogue changed (`catalogue import`): compares open cases' photos with the new
   * catalogue again and recomputes their candidates and child links, redrawing on the desk the
   * cases whose candidates changed. Returns how many changed.
   */
  async refreshCandidates(limit = 10_000): Promise<number> {
    const open = this.store.cases.queue({ limit });
    const matcher = this.#photoMatcher;
    if (matcher) {
      for (const c of open) {
        for (const att of this.store.cases.attachments(c.id)) {
          const data = this.store.cases.attachmentData(att.id);
          if (!data || !data.mime.startsWith('image/')) continue;
          const result = await matcher.match(data.data);
          if (result.ok) this.#inTransaction(() => this.store.cases.setPhotoMatches(att.id, JSON.stringify(result.matches)));
        }
      }
    }
    let changed = 0;
    this.#inTransaction(() => {
      const now = this.clock();
      const nowIso = now.toISOString();
      for (const { id } of open) {
        const c = this.store.cases.get(id);
        if (!c || c.status === 'closed') continue;
        const candidates = this.caseTriage.candidatesFor(c, now);
        if (JSON.stringify(candidates) === JSON.stringify(c.candidates)) continue;
        this.store.cases.update(c.id, { candidates }, nowIso);
        this.deskEvent(c.id, { type: 'upsert' }, nowIso);
        changed++;
      }
    });
    if (changed) this.notifyOutbox();
    return changed;
  }

  /** Triage with this installation's catalogue — the one function every caller uses. */
  triage(text: string, localeHint?: string): TriageResult {
    const ctx: { catalogueNumbers: ReadonlySet<number>; localeHint?: string } = {
      catalogueNumbers: this.store.catalogue.numbers(),
    };
    if (localeHint) ctx.localeHint = localeHint;
    return runTriage(text, ctx);
  }

  /**
   * Processes one inbound message from any adapter. Resolves once the message, the case change
   * and the replies are committed; a redelivered message resolves with `duplicate: true`.
   */
  async processMessage(msg: InboundMessage, hooks: ProcessHooks = {}): Promise<ProcessResult> {
    validateInbound(msg);
    const prepared = this.#prepare(msg);
    const { text, sharedContact, action, command } = prepared;
    let { problem, attachments } = prepared;
    // Photos are compared with the catalogue before the transaction (image work is async and
    // slow next to it); a photo that cannot be read safely is refused like any bad attachment.
    if (!problem && attachments.length > 0) {
      const refused = this.#photoMatcher ? await matchPhotos(this.#photoMatcher, attachments) : undefined;
      if (refused) {
        problem = refused;
        attachments = [];
      }
    }

    const result = this.#inTransaction(() => {
      const now = this.clock();
      const nowIso = now.toISOString();
      const lookupHash = this.vault.lookupHash(msg.channel, msg.senderRef);
      const dedupeKey = `${msg.channel}:${lookupHash.subarray(0, 12).toString('hex')}:${msg.platformMessageId}`;
      if (!this.store.markInboundProcessed(dedupeKey, nowIso)) {
        return { duplicate: true, caseCodes: [], locale: this.defaultLocale, replies: 0 } satisfies ProcessResult;
      }
      const { identityId, reporterId } = this.#identity(msg, lookupHash, nowIso);
      const info: AcceptedInfo = { identityId, reporterId, lookupHash };
      if (text !== undefined) info.text = text;
      if (problem) info.problem = problem;
      hooks.accepted?.(info);

      const triage = text !== undefined ? this.triage(text, msg.localeHint) : undefined;
      this.#resolveLocale(reporterId, msg.localeHint, text, triage);
      // A reporter sending faster than anyone types is slowed: everything is kept, the desk
      // gets one digest instead of a line per message, and they are asked once to pause.
      // Urgent messages never wait. Button presses and commands are not counted.
      const flood =
        text !== undefined && !command && action === undefined && !msg.edited
          ? this.store.links.countMessage(reporterId, now.getTime(), this.#floodPerMinute)
          : undefined;
      const slowed = flood?.slowed === true && !triage?.urgent;

      const stateJson = this.store.reporters.loadConversation(identityId);
      const input: EngineInput = { attachments };
      if (text !== undefined) input.text = text;
      if (action !== undefined) input.action = action;
      if (command) input.command = command;
      if (sharedContact) input.sharedContact = sharedContact;
      if (problem) input.problem = problem;
      if (triage) input.triage = triage;
      if (msg.edited) input.edited = true;
      if (msg.mediaGroup) input.mediaGroup = msg.mediaGroup.slice(0, 64);

      const ports = this.#ports({ reporterId, identityId, now, nowIso, locale: () => this.#localeOf(reporterId) });
      this.#slowed = slowed ? { since: flood!.slowedSince, until: flood!.slowedUntil } : undefined;
      let state: ReturnType<typeof handleMessage>['state'];
      let replies: Reply[];
      try {
        ({ state, replies } = handleMessage(parseState(stateJson), input, ports));
      } finally {
        this.#slowed = undefined;
      }
      if (slowed) {
        // Only the receipts go ("added to your case", once per message, is the flood's echo);
        // questions, refusals, case codes and what to do in danger always reach them.
        replies = replies.filter((r) => !SLOWED_RECEIPTS.has(r.key));
        if (flood!.firstSlowed) replies.push({ key: 'flood.slowed', params: { emergency: this.emergencyNumber } });
        this.store.cases.audit({ actor: 'triage', action: 'reporter.slowed', caseId: null, detail: { count: flood!.count }, now: nowIso });
      }
      this.store.reporters.saveConversation(identityId, reporterId, JSON.stringify(state), nowIso);

      const locale = this.#localeOf(reporterId);
      // The processed_inbound row above makes this run once per message; the replies' keys only
      // have to be unique. Led by the time, they land at the end of the outbox's unique index
      // rather than on a random page of it: one page less to write (and sync) per message.
      this.#queueReplies(replies, identityId, locale, `in:${nowIso}:${dedupeKey}`, nowIso, msg.channel);
      const caseCodes = [...new Set(replies.map((r) => r.caseCode).filter((c): c is string => !!c))];
      return { duplicate: false, caseCodes, locale, replies: replies.length } satisfies ProcessResult;
    });
    if (!result.duplicate) this.notifyOutbox();
    return result;
  }

  /**
   * What a bot says in a group chat, in the speaker's language: reports are private, write to
   * the bot directly. Not a case, not queued: nothing said in a group is kept.
   */
  groupNotice(localeHint: string | undefined, privateLink: string | undefined): OutboundMessage {
    const locale = resolveSupportedLocale(localeHint) ?? this.defaultLocale;
    return renderReply(
      { key: privateLink ? 'group.private_only' : 'group.private_only_nolink', params: { link: privateLink ?? '', emergency: this.emergencyNumber } },
      locale,
    );
  }

  /**
   * Turns drafts that reporters left unfinished for `idleMs` into incomplete cases, so a tip
   * typed and then abandoned still reaches caseworkers; the reporter is told the case code.
   * Returns how many conversations were handled. The server runs it every minute.
   */
  sweepIdleDrafts(idleMs = 30 * 60_000, limit = 200): number {
    const cutoff = new Date(this.clock().getTime() - idleMs).toISOString();
    let handled = 0;
    for (const { identityId, reporterId } of this.store.reporters.idleDrafts(cutoff, limit)) {
      this.#inTransaction(() => {
        const now = this.clock();
        const nowIso = now.toISOString();
        const state = parseState(this.store.reporters.loadConversation(identityId));
        if (!state.draft) return;
        const ports = this.#ports({ reporterId, identityId, now, nowIso, locale: () => this.#localeOf(reporterId) });
        const result = handleIdleDraft(state, ports);
        this.store.reporters.saveConversation(identityId, reporterId, JSON.stringify(result.state), nowIso);
        this.#queueReplies(result.replies, identityId, this.#localeOf(reporterId), `idle:${identityId}:${nowIso}`, nowIso);
        handled++;
      });
    }
    if (handled) this.notifyOutbox();
    return handled;
  }

  /**
   * Renders replies in the reporter's locale and writes them to the outbox (inside a
   * transaction). `channel` is the identity's, when the caller knows it.
   */
  #queueReplies(replies: Reply[], identityId: number, locale: SupportedLocale, keyPrefix: string, nowIso: string, channel?: string): void {
    const urgent = replies.some((r) => r.key.startsWith('urgent.'));
    const caseIds = new Map<string, number | null>();
    const caseIdOf = (code: string) => {
      if (!caseIds.has(code)) caseIds.set(code, this.store.cases.idByCode(code) ?? null);
      return caseIds.get(code)!;
    };
    replies.forEach((reply, i) => {
      enqueueForReporter(this.store, {
        idempotencyKey: `${keyPrefix}:${i}`,
        identityId,
        ...(channel ? { channel } : {}),
        message: renderReply(reply, locale),
        caseId: reply.caseCode ? caseIdOf(reply.caseCode) : null,
        priority: urgent ? PRIORITY.urgent : PRIORITY.reporterReply,
        now: nowIso,
      });
    });
  }

  /**
   * Cleans and checks what an adapter handed in. A refused attachment keeps its caption; an
   * over-long message is refused unless it is urgent (then it is kept, up to
   * {@link LIMITS.urgentTextChars}); a typed command with text after it is text.
   */
  #prepare(msg: InboundMessage) {
    const cleaned = cleanText(msg.text, LIMITS.urgentTextChars);
    let text = cleaned.problem === 'unreadable' ? undefined : cleaned.text;
    let problem: InboundMessage['problem'] = msg.problem ?? (cleaned.problem === 'unreadable' ? 'unreadable' : undefined);
    if (text !== undefined && (cleaned.problem === 'too_long' || [...text].length > LIMITS.textChars)) {
      if (!this.triage(text.slice(0, LIMITS.textChars)).urgent) {
        problem ??= 'too_long';
        text = undefined;
      }
    }
    if (msg.problem === 'too_long' || msg.problem === 'unreadable') text = undefined;
    const cleanedAttachments = cleanAttachments(msg.attachments ?? []);
    problem ??= cleanedAttachments.problem;
    const attachments = problem ? [] : cleanedAttachments.attachments.slice(0, LIMITS.attachmentsPerIntake);
    const sharedContact = cleanText(msg.sharedContact, 500).text;
    const action = msg.action !== undefined ? String(msg.action).slice(0, 100) : undefined;

    let command: { name: string; args: string } | undefined;
    if (msg.command) {
      command = { name: msg.command.name.toLowerCase().slice(0, 32), args: cleanText(msg.command.args, 200).text ?? '' };
    } else if (text && !msg.edited) {
      // A command typed as text ("/start child_7", "/help") works on every channel — but only
      // with the arguments it takes; "/help they are beating the child" is a message.
      const typed = /^\/([a-z]{2,20})(?:@\w+)?(?:\s+([\s\S]*))?$/i.exec(text);
      const name = typed?.[1]?.toLowerCase();
      if (typed && name && TYPED_COMMANDS.has(name)) {
        const args = (typed[2] ?? '').trim();
        const fits = args === '' || (name === 'start' && /^child_\d{1,4}$/.test(args)) || (name === 'status' && normaliseCaseCode(args));
        if (fits) {
          command = { name, args };
          text = undefined;
        } else {
          text = args;
        }
      }
    }
    return { text, problem, attachments, sharedContact, action, command };
  }

  #identity(msg: InboundMessage, lookupHash: Buffer, nowIso: string): { identityId: number; reporterId: number } {
    const existing = this.store.reporters.identityForMessage(lookupHash);
    const sameAsSender = msg.conversationRef === msg.senderRef;
    if (existing) {
      // The conversation reference can change (a Telegram chat migrating to a supergroup).
      const known = sameAsSender && this.#conversationIsSender.get(existing.id)?.equals(existing.conversation_enc);
      if (!known) {
        let sealed = existing.conversation_enc;
        if (this.vault.decrypt(sealed) !== msg.conversationRef) {
          sealed = this.vault.encrypt(msg.conversationRef);
          this.store.reporters.updateConversationRef(existing.id, sealed);
        }
        this.#rememberConversation(existing.id, sameAsSender ? sealed : undefined);
      }
      return { identityId: existing.id, reporterId: existing.reporter_id };
    }
    const reporter = this.store.reporters.createReporter(nowIso);
    const conversationEnc = this.vault.encrypt(msg.conversationRef);
    const identity = this.store.reporters.createIdentity({
      reporterId: reporter.id,
      channel: msg.channel,
      lookupHash,
      senderEnc: this.vault.encrypt(msg.senderRef),
      conversationEnc,
      now: nowIso,
    });
    if (this.#current) this.#current = { id: reporter.id, reporter };
    this.#rememberConversation(identity.id, sameAsSender ? conversationEnc : undefined);
    return { identityId: identity.id, reporterId: reporter.id };
  }

  #rememberConversation(identityId: number, sealed: Buffer | undefined): void {
    if (!sealed) return void this.#conversationIsSender.delete(identityId);
    if (this.#conversationIsSender.size >= 20_000) this.#conversationIsSender.clear();
    this.#conversationIsSender.set(identityId, sealed);
  }

  /** Runs `fn` in one store transaction, with the per-transaction reporter memory. */
  #inTransaction<T>(fn: () => T): T {
    return this.store.transaction(() => {
      this.#current = { id: 0, reporter: undefined };
      try {
        return fn();
      } finally {
        this.#current = undefined;
      }
    });
  }

  /** The reporter, read once per transaction (kept current by {@link #setLocale}). */
  #reporter(id: number): Reporter | undefined {
    const cur = this.#current;
    if (!cur) return this.store.reporters.getReporter(id);
    if (cur.id !== id) {
      cur.id = id;
      cur.reporter = this.store.reporters.getReporter(id);
    }
    return cur.reporter;
  }

  #setLocale(id: number, locale: SupportedLocale, source: NonNullable<Reporter['localeSource']>): void {
    this.store.reporters.setLocale(id, locale, source);
    const cur = this.#current;
    if (cur?.id === id && cur.reporter) cur.reporter = { ...cur.reporter, locale, localeSource: source };
  }

  /**
   * The reporter's language: their choice; else what they clearly write in, when we speak it;
   * else the platform's hint; else what they wrote before (a short "ok" does not flip it);
   * else the default.
   *
   * Deliberately, substantial text in a language we speak outranks the platform's hint: many
   * Chinese speakers use a phone or browser set to English, and a reporter writing three
   * sentences in Chinese wants Chinese back.
   */
  #resolveLocale(reporterId: number, hint: string | undefined, text: string | undefined, triage?: TriageResult): void {
    const reporter = this.#reporter(reporterId)!;
    if (reporter.localeSource === 'choice') return;
    const set = (locale: SupportedLocale, source: 'hint' | 'text' | 'default') => {
      if (reporter.locale !== locale || reporter.localeSource !== source) this.#setLocale(reporterId, locale, source);
    };
    const detected = text ? (triage?.language && triage.language !== 'und' ? triage.language : detectLanguage(text)) : undefined;
    const substantial = text !== undefined && isSubstantial(text);
    const fromText = detected && substantial ? resolveSupportedLocale(detected) : undefined;
    if (fromText) return set(fromText, 'text');
    // Learned from what they wrote: a button press or a short word (with the browser's hint
    // riding along on every request) must not flip it back.
    if (reporter.localeSource === 'text' && reporter.locale) return;
    const fromHint = resolveSupportedLocale(hint);
    if (fromHint) return set(fromHint, 'hint');
    if (reporter.locale) return;
    // First words, no usable hint: Han text gets Chinese; any other script English, the most
    // widely read of the languages we have.
    if (detected) return set(resolveSupportedLocale(detected) ?? 'en', 'text');
    set(this.defaultLocale, 'default');
  }

  #localeOf(reporterId: number): SupportedLocale {
    return resolveSupportedLocale(this.#reporter(reporterId)?.locale) ?? this.defaultLocale;
  }

  #ports(ctx: {
    reporterId: number;
    identityId: number;
    now: Date;
    nowIso: string;
    locale: () => SupportedLocale;
  }): EnginePorts {
    const { store } = this;
    const core = this;
    return {
      emergencyNumber: this.emergencyNumber,
      now: ctx.now,
      catalogueNumbers: () => store.catalogue.numbers(),
      triage: (text) => core.triage(text),
      openCase(intake, triage) {
        const who = { reporterId: ctx.reporterId, identityId: ctx.identityId, locale: ctx.locale(), quiet: core.#reporter(ctx.reporterId)?.quiet === true };
        return core.#cases.open(intake, triage, who, ctx.nowIso).code;
      },
      appendToCase(code, intake, triage) {
        const c = store.cases.byCode(code);
        if (!c) throw new Error(`case ${code} vanished`);
        core.#cases.append(c, intake, triage, ctx.nowIso, ctx.locale(), core.#slowed);
      },
      openCaseOfReporter(category) {
        const c = store.cases.latestOpenRefForReporter(ctx.reporterId);
        if (!c) return undefined;
        if ((c.category === 'adoption' || c.category === 'spam') && category !== c.category) return undefined;
        return { code: c.code };
      },
      lookupStatus(code): StatusView | undefined {
        const c = store.cases.byCode(code);
        if (!c) return undefined;
        const replies = store.cases.messages(c.id).filter((m) => m.author === 'caseworker' && m.direction === 'out');
        const own = c.identityId === ctx.identityId;
        const shown = own ? replies.filter((m) => m.id > c.reporterSeenId) : replies.slice(-5);
        if (own && shown.length) store.cases.update(c.id, { reporterSeenId: shown.at(-1)!.id }, ctx.nowIso);
        store.cases.audit({ actor: 'reporter', action: 'case.status_checked', caseId: c.id, detail: { own }, now: ctx.nowIso });
        return { code: c.code, status: c.status, replies: shown.map((m) => m.text) };
      },
      saveAttachment(att) {
        return saveAttachment(store, att, ctx.reporterId, null, ctx.nowIso);
      },
      seal: (text) => core.vault.encrypt(text).toString('base64'),
      ownCase(code) {
        const c = store.cases.refByCode(code);
        return c && c.reporterId === ctx.reporterId ? { code: c.code } : undefined;
      },
      chooseLocale(code) {
        const locale = resolveSupportedLocale(code);
        if (!locale || locale !== code) return false;
        core.#setLocale(ctx.reporterId, locale, 'choice');
        const open = store.cases.latestOpenRefForReporter(ctx.reporterId);
        if (open) store.cases.update(open.id, { locale }, ctx.nowIso);
        return true;
      },
      availableLocales: () => SUPPORTED_LOCALES.map((code) => ({ code, name: LOCALE_NAMES[code] })),
    };
  }

}

function validateInbound(msg: InboundMessage): void {
  const need = (ok: boolean, what: string) => {
    if (!ok) throw new InboundError(`inbound message: ${what}`);
  };
  need(typeof msg.channel === 'string' && msg.channel.length > 0 && msg.channel.length <= 32, 'channel missing');
  need(typeof msg.senderRef === 'string' && msg.senderRef.length > 0 && msg.senderRef.length <= 512, 'senderRef missing');
  need(typeof msg.conversationRef === 'string' && msg.conversationRef.length > 0 && msg.conversationRef.length <= 512, 'conversationRef missing');
  need(typeof msg.platformMessageId === 'string' && msg.platformMessageId.length > 0 && msg.platformMessageId.length <= 200, 'platformMessageId missing');
}
