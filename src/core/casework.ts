/**
 * What caseworkers do to cases — from the CLI today, from Slack later. Every action is one
 * transaction, lands in the audit log with the actor, and anything for the reporter goes to
 * the outbox in the reporter's language. Nothing here reveals a reporter's platform identity.
 */
import { languageNameInEnglish, translator, type SupportedLocale } from '../i18n/index.ts';
import { displayPseudonym } from '../store/index.ts';
import type { CaseRecord } from '../store/cases.ts';
import { normaliseCaseCode } from './case-code.ts';
import { describeCandidate, describeSimilar } from './candidates.ts';
import { findPii } from './triage/index.ts';
import { PRIORITY, enqueueForReporter, localeOrDefault } from './outbound.ts';
import type { TiplineCore } from './tipline.ts';
import type { Candidate, CaseStatus, Category, DeskCaseView, MessageAuthor, Priority, SimilarReports } from './types.ts';

/** Longest flood digest posted in one thread line, and longest message shown whole in it. */
const DIGEST_MAX_CHARS = 3_500;
const DIGEST_LINE_CHARS = 600;
/** Codes of other similar reports shown with a case. */
const SIMILAR_CODES_SHOWN = 5;

export type CaseworkErrorCode =
  | 'CASE_NOT_FOUND'
  | 'CASE_CLOSED'
  | 'CASE_CLAIMED'
  | 'INVALID_INPUT'
  | 'OUTBOX_NOT_FOUND'
  | 'TEMPLATE_NOT_FOUND';

/** A caseworker command that cannot be done; `code` is stable, the message says what to do. */
export class CaseworkError extends Error {
  constructor(
    readonly code: CaseworkErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CaseworkError';
  }
}

/** Reply templates every locale has (`locales/<lng>/templates.json`). */
export const TEMPLATE_NAMES = [
  'thanks',
  'need_more_detail',
  'where_when',
  'dna_next_step',
  'cannot_share',
  'call_emergency',
  'case_closed',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

/** One line of the queue. */
export interface CaseSummary {
  code: string;
  category: Category;
  priority: Priority;
  urgent: boolean;
  status: CaseStatus;
  language: string;
  locale: string;
  children: number[];
  reporter: string;
  claimedBy: string | null;
  createdAt: string;
  updatedAt: string;
  preview: string;
  reasons: string[];
  contactShared: boolean;
  incomplete: boolean;
  /** Catalogue children it may concern, with reasons (caseworkers only). */
  candidates: Candidate[];
  /** Its group of near-identical reports, when it has one. */
  similar: SimilarReports | null;
}

export interface CaseDetail extends CaseSummary {
  details: Record<string, unknown>;
  /** Decrypted only because the reporter chose to share it. */
  contact: string | null;
  closedAt: string | null;
  closeReason: string | null;
  reporterReachable: boolean;
  unreachableReason: string | null;
  messages: { id: number; at: string; author: MessageAuthor; actor: string | null; direction: string; text: string; template: string | null }[];
  attachments: { id: number; mime: string; bytes: number; sha256: string; at: string }[];
  history: { at: string; actor: string; action: string; detail: Record<string, unknown> }[];
  delivery: { pending: number; sent: number; dead: number; lastError: string | null; failed: { outboxId: number; to: string; reason: string | null; at: string | null }[] };
}

export class Casework {
  constructor(readonly core: TiplineCore) {}

  get #store() {
    return this.core.store;
  }

  #now(): string {
    return this.core.clock().toISOString();
  }

  /** Finds a case by any spelling of its code, or throws CASE_NOT_FOUND. */
  find(codeInput: string): CaseRecord {
    const code = normaliseCaseCode(codeInput);
    if (!code) throw new CaseworkError('INVALID_INPUT', `"${codeInput}" is not a case code (like TL-7KQ2-M9XD)`);
    const c = this.#store.cases.byCode(code);
    if (!c) throw new CaseworkError('CASE_NOT_FOUND', `no case ${code}`);
    return c;
  }

  /** Open cases, most urgent first (then oldest). */
  queue(opts: { includeClosed?: boolean; limit?: number } = {}): CaseSummary[] {
    return this.#store.cases.queue(opts).map((c) => this.#summary(c));
  }

  /**
   * The cases about one catalogue child — named, matched by photo, or fitting a family's
   * description — most urgent first, then oldest; open ones only unless `includeClosed`.
   */
  casesForChild(number: number, opts: { includeClosed?: boolean; limit?: number } = {}): Array<CaseSummary & { childSource: string }> {
    const out: Array<CaseSummary & { childSource: string }> = [];
    for (const link of this.#store.links.casesForChild(number, opts)) {
      const c = this.#store.cases.get(link.caseId);
      if (c) out.push({ ...this.#summary(c), childSource: link.source });
    }
    return out;
  }

  show(codeInput: string): CaseDetail {
    const c = this.find(codeInput);
    const store = this.#store;
    const identity = c.identityId ? store.reporters.getIdentity(c.identityId) : undefined;
    const outbox = store.outbox.forCase(c.id);
    const dead = outbox.filter((o) => o.state === 'dead');
    return {
      ...this.#summary(c),
      details: c.details,
      contact: c.contactEnc ? this.core.vault.decrypt(c.contactEnc) : null,
      closedAt: c.closedAt,
      closeReason: c.closeReason,
      reporterReachable: !identity?.unreachable_at,
      unreachableReason: identity?.unreachable_reason ?? null,
      messages: store.cases.messages(c.id).map((m) => ({
        id: m.id,
        at: m.createdAt,
        author: m.author,
        actor: m.actor,
        direction: m.direction,
        text: m.text,
        template: m.template,
      })),
      attachments: store.cases.attachments(c.id).map((a) => ({ id: a.id, mime: a.mime, bytes: a.bytes, sha256: a.sha256, at: a.createdAt })),
      history: store.cases.auditFor(c.id).map((a) => ({ at: a.at, actor: a.actor, action: a.action, detail: a.detail })),
      delivery: {
        pending: outbox.filter((o) => o.state === 'pending').length,
        sent: outbox.filter((o) => o.state === 'sent').length,
        dead: dead.length,
        lastError: dead.at(-1)?.lastError ?? null,
        // Each message given up, with why: `npx tipline outbox retry ID` sends it again.
        failed: dead.map((o) => ({ outboxId: o.id, to: o.destination === 'desk' ? o.channel : `reporter (${o.channel})`, reason: o.lastError, at: o.deadAt })),
      },
    };
  }

  claim(codeInput: string, actor: string, opts: { force?: boolean } = {}): CaseSummary {
    return this.#mutate(codeInput, actor, (c, now) => {
      if (c.status === 'closed') throw new CaseworkError('CASE_CLOSED', `${c.code} is closed`);
      if (c.claimedBy && c.claimedBy !== actor && !opts.force) {
        throw new CaseworkError('CASE_CLAIMED', `${c.code} is claimed by ${c.claimedBy} (use --force to take it over)`);
      }
      this.#store.cases.update(c.id, { status: 'claimed', claimedBy: actor, claimedAt: now }, now);
      this.#audit(actor, 'case.claimed', c.id, { previous: c.claimedBy }, now);
    });
  }

  unclaim(codeInput: string, actor: string): CaseSummary {
    return this.#mutate(codeInput, actor, (c, now) => {
      if (c.status === 'closed') throw new CaseworkError('CASE_CLOSED', `${c.code} is closed`);
      this.#store.cases.update(c.id, { status: 'new', claimedBy: null, claimedAt: null }, now);
      this.#audit(actor, 'case.unclaimed', c.id, { previous: c.claimedBy }, now);
    });
  }

  /**
   * Sends a reply to the reporter: free text as written, or a template rendered in the
   * reporter's language. Claims the case for the actor if nobody has.
   */
  reply(codeInput: string, actor: string, body: { text: string } | { template: string }): { summary: CaseSummary; sentText: string } {
    let sentText = '';
    const summary = this.#mutate(codeInput, actor, (c, now) => {
      if (c.status === 'closed') throw new CaseworkError('CASE_CLOSED', `${c.code} is closed; a reporter's new message reopens it`);
      const locale = localeOrDefault(c.locale, this.core.defaultLocale);
      let text: string;
      let template: string | null = null;
      if ('template' in body) {
        text = this.renderTemplate(body.template, locale, c.code);
        template = body.template;
      } else {
        text = body.text.normalize('NFC').trim();
        if (!text) throw new CaseworkError('INVALID_INPUT', 'the reply is empty');
        if (text.length > 3500) throw new CaseworkError('INVALID_INPUT', `the reply is ${text.length} characters; keep it under 3500`);
      }
      sentText = text;
      const m = this.#store.cases.addMessage({ caseId: c.id, direction: 'out', author: 'caseworker', actor, text, locale, template, now });
      if (c.identityId) {
        const header = translator(locale)('caseworker_reply', { code: c.code });
        enqueueForReporter(this.#store, {
          idempotencyKey: `reply:${m.id}`,
          identityId: c.identityId,
          message: { text: `${header}\n${text}`, from: 'caseworker', locale, caseCode: c.code },
          caseId: c.id,
          caseMessageId: m.id,
          priority: PRIORITY.caseworker,
          now,
        });
      }
      const fields: Parameters<typeof this.core.store.cases.update>[1] = {};
      if (!c.claimedBy) Object.assign(fields, { status: 'claimed', claimedBy: actor, claimedAt: now });
      this.#store.cases.update(c.id, fields, now);
      this.core.deskEvent(c.id, { type: 'thread', author: 'caseworker', actor, text }, now);
      this.#audit(actor, 'case.replied', c.id, { template, messageId: m.id }, now);
    });
    this.core.notifyOutbox();
    return { summary, sentText };
  }

  /**
   * An internal note: kept in the case, never sent to the reporter. A note written in the
   * desk's own thread (`fromDesk`) is not echoed back into it.
   */
  note(codeInput: string, actor: string, text: string, opts: { fromDesk?: boolean } = {}): CaseSummary {
    const clean = text.normalize('NFC').trim();
    if (!clean) throw new CaseworkError('INVALID_INPUT', 'the note is empty');
    return this.#mutate(codeInput, actor, (c, now) => {
      const m = this.#store.cases.addMessage({ caseId: c.id, direction: 'internal', author: 'note', actor, text: clean, now });
      if (!opts.fromDesk) this.core.deskEvent(c.id, { type: 'thread', author: 'note', actor, text: clean }, now);
      this.#audit(actor, 'case.noted', c.id, { messageId: m.id }, now);
    });
  }

  /** Closes a case; by default the reporter is told (in their language) that it is closed. */
  close(codeInput: string, actor: string, opts: { reason?: string; notify?: boolean } = {}): CaseSummary {
    const summary = this.#mutate(codeInput, actor, (c, now) => {
      if (c.status === 'closed') throw new CaseworkError('CASE_CLOSED', `${c.code} is already closed`);
      const reason = opts.reason?.trim() || null;
      this.#store.cases.update(c.id, { status: 'closed', closedAt: now, closeReason: reason }, now);
      this.#audit(actor, 'case.closed', c.id, { reason }, now);
      if (opts.notify !== false && c.identityId && c.category !== 'spam') {
        const locale = localeOrDefault(c.locale, this.core.defaultLocale);
        enqueueForReporter(this.#store, {
          idempotencyKey: `closed:${c.id}:${now}`,
          identityId: c.identityId,
          message: { text: translator(locale)('case.closed_notice', { code: c.code }), from: 'bot', locale, caseCode: c.code },
          caseId: c.id,
          priority: PRIORITY.reporterReply,
          now,
        });
      }
    });
    this.core.notifyOutbox();
    return summary;
  }

  escalate(codeInput: string, actor: string): CaseSummary {
    return this.#mutate(codeInput, actor, (c, now) => {
      if (c.status === 'closed') throw new CaseworkError('CASE_CLOSED', `${c.code} is closed; it is reopened when the reporter writes again`);
      this.#store.cases.update(c.id, { priority: 'urgent' }, now);
      this.#audit(actor, 'case.escalated', c.id, { previous: c.priority }, now);
    });
  }

  /** Marks spam: closes the case quietly and quiets the reporter. */
  markSpam(codeInput: string, actor: string): CaseSummary {
    return this.#mutate(codeInput, actor, (c, now) => {
      this.#store.cases.update(c.id, { category: 'spam', priority: 'low', status: 'closed', closedAt: now, closeReason: 'spam' }, now);
      this.#store.reporters.setQuiet(c.reporterId, true);
      this.#audit(actor, 'case.spam', c.id, { previousCategory: c.category }, now);
    });
  }

  /** A template's text in `locale`, with the case code filled in. */
  renderTemplate(name: string, locale: SupportedLocale, code: string): string {
    if (!(TEMPLATE_NAMES as readonly string[]).includes(name)) {
      throw new CaseworkError('TEMPLATE_NOT_FOUND', `no template "${name}"; templates: ${TEMPLATE_NAMES.join(', ')}`);
    }
    return translator(locale, 'templates')(`${name}.text`, { code, emergency: this.core.emergencyNumber });
  }

  /** Templates with their caseworker-facing title, in the reporter's locale and in English. */
  templates(locale: SupportedLocale, code = 'TL-XXXX-XXXX'): { name: string; title: string; text: string; english: string }[] {
    const en = translator('en', 'templates');
    return TEMPLATE_NAMES.map((name) => ({
      name,
      title: en(`${name}.title`),
      text: this.renderTemplate(name, locale, code),
      english: this.renderTemplate(name, 'en', code),
    }));
  }

  stats() {
    return { cases: this.#store.cases.counts(), outbox: this.#store.outbox.depth() };
  }

  #mutate(codeInput: string, actor: string, fn: (c: CaseRecord, now: string) => void): CaseSummary {
    if (!actor.trim()) throw new CaseworkError('INVALID_INPUT', 'who is acting? (actor is empty)');
    return this.#store.transaction(() => {
      const c = this.find(codeInput);
      const now = this.#now();
      fn(c, now);
      // Every change redraws the case on the desks, in the same transaction.
      this.core.deskEvent(c.id, { type: 'upsert' }, now);
      return this.#summary(this.#store.cases.get(c.id)!);
    });
  }

  /** The case a desk message belongs to (a caseworker wrote in its thread). */
  caseByDeskPost(desk: string, channel: string, ts: string): string | undefined {
    return this.#store.cases.caseByDeskPost(desk, channel, ts)?.code;
  }

  /** What a desk (Slack) shows of a case: no identity; contact only if shared. */
  /**
   * The flood digest of a case: exactly the messages marked as waiting for it, as one thread
   * line (long ones cut, saying where to read the rest), and until when the reporter is still
   * being slowed (the digest waits for that). Undefined when nothing waits.
   */
  deskDigest(caseId: number): { text: string; until: number; ids: number[] } | undefined {
    const c = this.#store.cases.get(caseId);
    if (!c) return undefined;
    const lines = this.#store.cases.digestPending(caseId);
    if (lines.length === 0) return undefined;
    let text = `Digest: ${lines.length} message${lines.length === 1 ? '' : 's'} sent quickly (the reporter was asked to slow down; all are kept):`;
    const ids: number[] = [];
    for (const m of lines) {
      const flat = m.text.replace(/\s+/g, ' ');
      const line = `\n• ${flat.length > DIGEST_LINE_CHARS ? `${flat.slice(0, DIGEST_LINE_CHARS)}… (cut)` : flat}`;
      if (text.length + line.length > DIGEST_MAX_CHARS) break;
      text += line;
      ids.push(m.id);
    }
    const cut = lines.some((m) => m.text.replace(/\s+/g, ' ').length > DIGEST_LINE_CHARS);
    // Whatever does not fit waits for the next digest line (it stays marked).
    if (ids.length < lines.length) text += `\n… ${lines.length - ids.length} more follow in the next digest.`;
    if (cut) text += `\nFull text: /tipline show ${c.code}`;
    return { text, until: this.#store.links.slowedUntil(c.reporterId), ids };
  }

  /** A digest was posted: its messages no longer wait. */
  deskDigestSent(ids: readonly number[]): void {
    this.#store.cases.digestSent(ids);
  }

  deskView(caseId: number): DeskCaseView | undefined {
    const c = this.#store.cases.get(caseId);
    if (!c) return undefined;
    const messages = this.#store.cases.messages(c.id);
    const identity = c.identityId ? this.#store.reporters.getIdentity(c.identityId) : undefined;
    const { code, category, priority, urgent, status, language, children, reasons, reporter, claimedBy, createdAt, incomplete, preview, candidates, similar } =
      this.#summary(c);
    const fromReporter = messages.filter((m) => m.author === 'reporter');
    const similarLine = describeSimilar(similar);
    return {
      code,
      category,
      priority,
      urgent,
      status,
      language,
      languageName: languageNameInEnglish(language),
      children,
      reasons,
      reporter,
      claimedBy,
      createdAt,
      text: fromReporter[0]?.text ?? preview,
      followUps: Math.max(0, fromReporter.length - 1),
      photos: this.#store.cases.attachments(c.id).length,
      contact: c.contactEnc ? this.core.vault.decrypt(c.contactEnc) : null,
      incomplete,
      reporterReachable: !identity?.unreachable_at,
      candidates,
      similar,
      candidateLines: candidates.map((cand) => describeCandidate(cand)),
      contactDetailsInText: [...new Set(fromReporter.flatMap((m) => findPii(m.text)))].filter((k) => k !== 'url'),
      ...(similarLine ? { similarLine } : {}),
    };
  }

  #audit(actor: string, action: string, caseId: number, detail: Record<string, unknown>, now: string): void {
    this.#store.cases.audit({ actor, action, caseId, detail, now });
  }

  #summary(c: CaseRecord): CaseSummary {
    const first = this.#store.cases.firstReporterText(c.id);
    return {
      code: c.code,
      category: c.category,
      priority: c.priority,
      urgent: c.priority === 'urgent',
      status: c.status,
      language: c.language,
      locale: c.locale,
      children: c.children,
      reporter: displayPseudonym(c.pseudonym),
      claimedBy: c.claimedBy,
      createdAt: c.createdAt,
      updatedAt: c.updatedAt,
      preview: (first ?? describeDetails(c.details)).replace(/\s+/g, ' ').slice(0, 120),
      reasons: c.triage.reasons ?? [],
      contactShared: c.contactEnc !== null,
      incomplete: c.details.incomplete === true,
      candidates: c.candidates,
      similar: this.#similar(c),
    };
  }

  #similar(c: CaseRecord): SimilarReports | null {
    if (c.clusterId === null) return null;
    const links = this.#store.links;
    const count = links.clusterSize(c.clusterId);
    if (count < 2) return null;
    const codeOf = (id: number) => this.#store.cases.get(id)?.code;
    const others = links
      .clusterMembers(c.clusterId, SIMILAR_CODES_SHOWN + 2)
      .filter((id) => id !== c.id && id !== c.clusterId)
      .slice(0, SIMILAR_CODES_SHOWN)
      .map(codeOf)
      .filter((x): x is string => !!x);
    return { count, first: codeOf(c.clusterId) ?? c.code, isFirst: c.clusterId === c.id, others };
  }
}

function describeDetails(details: Record<string, unknown>): string {
  const answers = (details.answers ?? {}) as Record<string, string>;
  return Object.entries(answers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('; ');
}
