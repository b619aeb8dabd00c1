/**
 * Writing a reporter's intake into cases: opening one (category, priority, children, case-level
 * triage, its group of similar reports) or adding to one, with the desk events each change
 * causes. Runs inside the core's transaction.
 */
import type { Store } from '../store/index.ts';
import type { CaseRecord, CaseUpdate } from '../store/cases.ts';
import type { SupportedLocale } from '../i18n/index.ts';
import { generateCaseCode } from './case-code.ts';
import type { CaseTriage } from './case-triage.ts';
import type { CaseIntake } from './conversation/state.ts';
import { caseCategory, mergeChildren } from './intake.ts';
import { PRIORITY } from './outbound.ts';
import type { DeskEvent, Priority, TriageResult } from './types.ts';

export interface CaseWriterDeps {
  store: Store;
  caseTriage: CaseTriage;
  /** Desks that are on (a digest is queued for each). */
  desks: readonly string[];
  deskEvent(caseId: number, event: DeskEvent, nowIso: string): void;
}

/** 2 to 10, then 20, 50, 100, 200, 500, 1000… */
function isRedrawCount(n: number): boolean {
  if (n < 2) return false;
  if (n <= 10) return true;
  let m = n;
  while (m >= 10 && m % 10 === 0) m /= 10;
  return m === 1 || m === 2 || m === 5;
}

export class CaseWriter {
  readonly #deps: CaseWriterDeps;
  constructor(deps: CaseWriterDeps) {
    this.#deps = deps;
  }

  /** Opens a case from a completed (or urgent, or abandoned) intake. */
  open(
    intake: CaseIntake,
    triage: TriageResult,
    who: { reporterId: number; identityId: number; locale: SupportedLocale; quiet: boolean },
    nowIso: string,
  ): { id: number; code: string } {
    const { reporterId, identityId, locale, quiet } = who;
    const category = caseCategory(intake, triage);
    // A reporter a caseworker marked as spam is still heard (never dropped), but queued last
    // unless what they write now is urgent.
    const priority: Priority = triage.urgent
      ? 'urgent'
      : category === 'adoption' || category === 'spam' || quiet
        ? 'low'
        : 'normal';
    const children = mergeChildren(intake.child, triage.children);
    const details: Record<string, unknown> = { flow: intake.flow, answers: intake.answers };
    if (intake.child !== undefined) details.childNamed = intake.child;
    if (intake.incomplete) details.incomplete = true;
    if (quiet) details.reporterQuieted = true;
    let created: { id: number; code: string } | undefined;
    for (let i = 0; i < 20 && !created; i++) {
      created = this.#deps.store.cases.insert({
        code: generateCaseCode(),
        reporterId,
        identityId,
        category,
        priority,
        language: triage.language && triage.language !== 'und' ? triage.language : locale,
        locale,
        children,
        triage,
        details,
        contactEnc: intake.contact ? Buffer.from(intake.contact, 'base64') : null,
        spamScore: triage.spamScore,
        now: nowIso,
      });
    }
    if (!created) throw new Error('could not allocate a unique case code');
    for (const text of intake.texts) {
      this.#deps.store.cases.addMessage({ caseId: created.id, direction: 'in', author: 'reporter', text, now: nowIso });
    }
    this.#deps.store.cases.linkAttachments(intake.attachmentIds, created.id, reporterId);
    const candidates = this.#deps.caseTriage.candidatesFor({ id: created.id, category, children, details }, new Date(nowIso));
    // Family inquiries are never grouped: two mothers describing their children alike are two
    // families, not one rumour.
    const groupable = category !== 'status' && category !== 'family';
    const clusterId = groupable ? this.#deps.caseTriage.cluster({ id: created.id, children }, intake.texts.join('\n'), nowIso) : undefined;
    if (candidates.length || clusterId !== undefined) {
      this.#deps.store.cases.update(created.id, { candidates, ...(clusterId !== undefined ? { clusterId } : {}) }, nowIso);
    }
    // The group's first case shows the count of similar reports: redrawn up to 10, then at 20,
    // 50, 100… — not once per copy of a viral rumour (Slack's rate limit is shared).
    if (clusterId !== undefined && isRedrawCount(this.#deps.store.links.clusterSize(clusterId))) {
      this.#deps.deskEvent(clusterId, { type: 'upsert' }, nowIso);
    }
    this.#deps.deskEvent(created.id, { type: 'upsert' }, nowIso);
    for (const attachmentId of intake.attachmentIds) this.#deps.deskEvent(created.id, { type: 'photo', attachmentId }, nowIso);
    this.#deps.store.cases.audit({
      actor: 'reporter',
      action: 'case.opened',
      caseId: created.id,
      detail: { category, priority, flow: intake.flow, incomplete: !!intake.incomplete },
      now: nowIso,
    });
    return created;
  }

  /** Adds what a reporter sent to their case; `slowed` (ms) while they are being slowed (flood). */
  append(
    c: CaseRecord,
    intake: CaseIntake,
    triage: TriageResult | undefined,
    nowIso: string,
    locale: SupportedLocale,
    slowed?: { since: number; until: number },
  ): void {
    for (const text of intake.texts) {
      this.#deps.store.cases.addMessage({ caseId: c.id, direction: 'in', author: 'reporter', text, now: nowIso, digest: slowed !== undefined });
    }
    this.#deps.store.cases.linkAttachments(intake.attachmentIds, c.id, c.reporterId);
    const fields: CaseUpdate = { lastReporterAt: nowIso };
    const details = { ...c.details, answers: { ...(c.details.answers as object), ...intake.answers } } as Record<string, unknown>;
    if (intake.incomplete === false) delete details.incomplete;
    if (intake.child !== undefined && intake.child !== null) details.childNamed = intake.child;
    fields.details = details;
    const children = mergeChildren(intake.child, [...c.children, ...(triage?.children ?? [])]);
    if (children.join() !== c.children.join()) fields.children = children;
    if (intake.contact) fields.contactEnc = Buffer.from(intake.contact, 'base64');
    // Replies (templates, the close notice) go out in the language the reporter now uses.
    if (c.locale !== locale) fields.locale = locale;
    // A case that began as a bare photo or a greeting-like line takes its kind from the news.
    if (c.category === 'other' && triage && (triage.category === 'tip' || triage.category === 'family')) {
      fields.category = triage.category;
      fields.language = triage.language !== 'und' ? triage.language : c.language;
    }
    if (triage?.urgent && c.priority !== 'urgent') {
      fields.priority = 'urgent';
      this.#deps.store.cases.audit({ actor: 'triage', action: 'case.escalated', caseId: c.id, detail: { reasons: triage.reasons }, now: nowIso });
    }
    const updated = { ...c, ...fields } as CaseRecord;
    const candidates = this.#deps.caseTriage.candidatesFor(updated, new Date(nowIso));
    if (JSON.stringify(candidates) !== JSON.stringify(c.candidates)) fields.candidates = candidates;
    if (c.status === 'closed') {
      fields.status = 'new';
      fields.closedAt = null;
      this.#deps.store.cases.audit({ actor: 'reporter', action: 'case.reopened', caseId: c.id, detail: {}, now: nowIso });
    }
    this.#deps.store.cases.update(c.id, fields, nowIso);
    this.#deps.deskEvent(c.id, { type: 'upsert' }, nowIso);
    if (slowed) this.#queueDigest(c.id, nowIso, slowed);
    else for (const text of intake.texts) this.#deps.deskEvent(c.id, { type: 'thread', author: 'reporter', text }, nowIso);
    for (const attachmentId of intake.attachmentIds) this.#deps.deskEvent(c.id, { type: 'photo', attachmentId }, nowIso);
    this.#deps.store.cases.audit({
      actor: 'reporter',
      action: 'case.reporter_added',
      caseId: c.id,
      detail: { texts: intake.texts.length, attachments: intake.attachmentIds.length, contact: !!intake.contact },
      now: nowIso,
    });
  }

  /**
   * One digest per case per slowed spell: queued at its first message, due when the spell ends
   * (the dispatcher waits longer if the spell grew), and rendered when sent from exactly the
   * messages marked as waiting for it — nothing copied, so nothing left out or doubled.
   */
  #queueDigest(caseId: number, nowIso: string, spell: { since: number; until: number }): void {
    const from = new Date(spell.since).toISOString();
    const until = new Date(spell.until).toISOString();
    for (const desk of this.#deps.desks) {
      const key = `digest:${desk}:${caseId}:${spell.since}`;
      const payload = { type: 'digest', from, until } satisfies DeskEvent;
      this.#deps.store.outbox.enqueueDesk({
        idempotencyKey: key,
        desk,
        caseId,
        payload,
        priority: PRIORITY.bulk,
        now: nowIso,
        notBefore: until,
        orderKey: `g:${desk}:${caseId}`,
      });
    }
  }

}
