/**
 * Cases, their messages, attachments and the audit log. Rows are mapped to domain records at
 * this edge (`rowToCase`); nothing outside the store sees a row.
 */
import type { Db } from './db.ts';
import { statementCache } from './db.ts';
import type { Candidate, CaseStatus, Category, MessageAuthor, Priority, TriageResult } from '../core/types.ts';
import { QUEUE_RANK } from './migrations/0004-scale.ts';

export interface CaseRow {
  id: number;
  code: string;
  reporter_id: number;
  identity_id: number | null;
  category: Category;
  priority: Priority;
  status: CaseStatus;
  language: string;
  locale: string;
  children: string;
  triage: string;
  details: string;
  contact_enc: Buffer | null;
  spam_score: number;
  claimed_by: string | null;
  claimed_at: string | null;
  closed_at: string | null;
  close_reason: string | null;
  reporter_seen_id: number;
  created_at: string;
  updated_at: string;
  last_reporter_at: string;
  candidates: string;
  cluster_id: number | null;
  pseudonym: string;
}

/** A case as the product works with it. The contact is still encrypted here. */
export interface CaseRecord {
  id: number;
  code: string;
  reporterId: number;
  pseudonym: string;
  identityId: number | null;
  category: Category;
  priority: Priority;
  status: CaseStatus;
  language: string;
  locale: string;
  children: number[];
  /** Catalogue children the case may concern, best first, with reasons (caseworkers only). */
  candidates: Candidate[];
  /** The first case of the group of near-identical reports this one belongs to, if any. */
  clusterId: number | null;
  triage: Partial<TriageResult>;
  details: Record<string, unknown>;
  contactEnc: Buffer | null;
  spamScore: number;
  claimedBy: string | null;
  claimedAt: string | null;
  closedAt: string | null;
  closeReason: string | null;
  reporterSeenId: number;
  createdAt: string;
  updatedAt: string;
  lastReporterAt: string;
}

export function rowToCase(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    code: r.code,
    reporterId: r.reporter_id,
    pseudonym: r.pseudonym,
    identityId: r.identity_id,
    category: r.category,
    priority: r.priority,
    status: r.status,
    language: r.language,
    locale: r.locale,
    children: JSON.parse(r.children) as number[],
    candidates: JSON.parse(r.candidates ?? '[]') as Candidate[],
    clusterId: r.cluster_id ?? null,
    triage: JSON.parse(r.triage) as Partial<TriageResult>,
    details: JSON.parse(r.details) as Record<string, unknown>,
    contactEnc: r.contact_enc,
    spamScore: r.spam_score,
    claimedBy: r.claimed_by,
    claimedAt: r.claimed_at,
    closedAt: r.closed_at,
    closeReason: r.close_reason,
    reporterSeenId: r.reporter_seen_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastReporterAt: r.last_reporter_at,
  };
}

export interface CaseMessageRecord {
  id: number;
  caseId: number;
  direction: 'in' | 'out' | 'internal';
  author: MessageAuthor;
  actor: string | null;
  text: string;
  locale: string | null;
  template: string | null;
  createdAt: string;
}

interface CaseMessageRow {
  id: number;
  case_id: number;
  direction: 'in' | 'out' | 'internal';
  author: MessageAuthor;
  actor: string | null;
  text: string;
  locale: string | null;
  template: string | null;
  created_at: string;
}

function rowToMessage(r: CaseMessageRow): CaseMessageRecord {
  return {
    id: r.id,
    caseId: r.case_id,
    direction: r.direction,
    author: r.author,
    actor: r.actor,
    text: r.text,
    locale: r.locale,
    template: r.template,
    createdAt: r.created_at,
  };
}

export interface AttachmentRecord {
  id: number;
  reporterId: number;
  caseId: number | null;
  kind: string;
  mime: string;
  bytes: number;
  sha256: string;
  createdAt: string;
}

export interface AuditRecord {
  id: number;
  at: string;
  actor: string;
  action: string;
  caseId: number | null;
  detail: Record<string, unknown>;
}

/** Enough of a case to route a message to it. */
export interface CaseRef {
  id: number;
  code: string;
  reporterId: number;
  category: Category;
}

/** The fields of a case that change after it is opened. */
export type CaseUpdate = Partial<
  Omit<CaseRecord, 'id' | 'code' | 'reporterId' | 'pseudonym' | 'createdAt' | 'updatedAt' | 'triage'> & { triage: TriageResult }
>;

export interface NewCase {
  code: string;
  reporterId: number;
  identityId: number | null;
  category: Category;
  priority: Priority;
  language: string;
  locale: string;
  children: number[];
  triage: TriageResult;
  details: Record<string, unknown>;
  contactEnc: Buffer | null;
  spamScore: number;
  now: string;
}

const CASE_SELECT = 'SELECT c.*, r.pseudonym FROM cases c JOIN reporters r ON r.id = c.reporter_id';
/**
 * Urgent first, then normal, then low; oldest first within each — the order of the indexes
 * `cases_open_queue` and `cases_rank` (migration 4), read from them, never sorted.
 */
const QUEUE_ORDER = `ORDER BY ${QUEUE_RANK.replace('priority', 'c.priority')}, c.created_at, c.id`;

export class CaseRepository {
  readonly #stmt: ReturnType<typeof statementCache>;
  constructor(db: Db) {
    this.#stmt = statementCache(db);
  }

  /** Inserts a case; returns its id, or undefined if the code is taken (the caller draws another). */
  insert(c: NewCase): { id: number; code: string } | undefined {
    const res = this.#stmt(
      `INSERT OR IGNORE INTO cases (code, reporter_id, identity_id, category, priority, language, locale, children,
         triage, details, contact_enc, spam_score, created_at, updated_at, last_reporter_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      c.code,
      c.reporterId,
      c.identityId,
      c.category,
      c.priority,
      c.language,
      c.locale,
      JSON.stringify(c.children),
      JSON.stringify(c.triage),
      JSON.stringify(c.details),
      c.contactEnc,
      c.spamScore,
      c.now,
      c.now,
      c.now,
    );
    if (res.changes === 0) return undefined;
    return { id: Number(res.lastInsertRowid), code: c.code };
  }

  get(id: number): CaseRecord | undefined {
    const row = this.#stmt<CaseRow>(`${CASE_SELECT} WHERE c.id = ?`).get(id);
    return row ? rowToCase(row) : undefined;
  }

  byCode(code: string): CaseRecord | undefined {
    const row = this.#stmt<CaseRow>(`${CASE_SELECT} WHERE c.code = ?`).get(code);
    return row ? rowToCase(row) : undefined;
  }

  /** A case's id by canonical code, without reading the case. */
  idByCode(code: string): number | undefined {
    return this.refByCode(code)?.id;
  }

  /** Who a case belongs to, by canonical code, without reading the case. */
  refByCode(code: string): CaseRef | undefined {
    const r = this.#stmt<{ id: number; code: string; reporter_id: number; category: Category }>(
      'SELECT id, code, reporter_id, category FROM cases WHERE code = ?',
    ).get(code);
    return r ? { id: r.id, code: r.code, reporterId: r.reporter_id, category: r.category } : undefined;
  }

  /** A case's priority, without reading the case. */
  priorityOf(id: number): CaseRecord['priority'] | undefined {
    return this.#stmt<{ priority: CaseRecord['priority'] }>('SELECT priority FROM cases WHERE id = ?').get(id)?.priority;
  }

  /** The reporter's most recently active open case, if any. */
  latestOpenForReporter(reporterId: number): CaseRecord | undefined {
    const row = this.#stmt<CaseRow>(
      `${CASE_SELECT} WHERE c.reporter_id = ? AND c.status != 'closed' ORDER BY c.last_reporter_at DESC, c.id DESC LIMIT 1`,
    ).get(reporterId);
    return row ? rowToCase(row) : undefined;
  }

  /** {@link latestOpenForReporter} without reading the case. */
  latestOpenRefForReporter(reporterId: number): CaseRef | undefined {
    const r = this.#stmt<{ id: number; code: string; reporter_id: number; category: Category }>(
      `SELECT id, code, reporter_id, category FROM cases WHERE reporter_id = ? AND status != 'closed'
       ORDER BY last_reporter_at DESC, id DESC LIMIT 1`,
    ).get(reporterId);
    return r ? { id: r.id, code: r.code, reporterId: r.reporter_id, category: r.category } : undefined;
  }

  codesForReporter(reporterId: number): string[] {
    return this.#stmt<{ code: string }>('SELECT code FROM cases WHERE reporter_id = ? ORDER BY id DESC')
      .all(reporterId)
      .map((r) => r.code);
  }

  /** The queue: open cases (or all with `includeClosed`), most urgent first. */
  queue(opts: { includeClosed?: boolean; limit?: number } = {}): CaseRecord[] {
    // Walked in index order and stopped after `limit` rows (INDEXED BY: never a sort instead).
    const index = opts.includeClosed ? 'cases_rank' : 'cases_open_queue';
    const where = opts.includeClosed ? '' : `WHERE c.status != 'closed'`;
    return this.#stmt<CaseRow>(
      `SELECT c.*, r.pseudonym FROM cases c INDEXED BY ${index} JOIN reporters r ON r.id = c.reporter_id ${where} ${QUEUE_ORDER} LIMIT ?`,
    )
      .all(opts.limit ?? 1000)
      .map(rowToCase);
  }

  update(
    id: number,
    fields: CaseUpdate,
    now: string,
  ): void {
    const columns: Record<string, string> = {
      category: 'category',
      priority: 'priority',
      status: 'status',
      language: 'language',
      locale: 'locale',
      children: 'children',
      candidates: 'candidates',
      clusterId: 'cluster_id',
      triage: 'triage',
      details: 'details',
      contactEnc: 'contact_enc',
      spamScore: 'spam_score',
      claimedBy: 'claimed_by',
      claimedAt: 'claimed_at',
      closedAt: 'closed_at',
      closeReason: 'close_reason',
      reporterSeenId: 'reporter_seen_id',
      identityId: 'identity_id',
      lastReporterAt: 'last_reporter_at',
    };
    const sets: string[] = [];
    const values: unknown[] = [];
    for (const [key, value] of Object.entries(fields)) {
      const col = columns[key];
      if (!col || value === undefined) continue;
      sets.push(`${col} = ?`);
      values.push(typeof value === 'object' && value !== null && !Buffer.isBuffer(value) ? JSON.stringify(value) : value);
    }
    sets.push('updated_at = ?');
    values.push(now, id);
    // The column list comes from the fixed map above, so the SQL text set is small and cached.
    this.#stmt(`UPDATE cases SET ${sets.join(', ')} WHERE id = ?`).run(...values);
  }

  addMessage(m: {
    caseId: number;
    direction: 'in' | 'out' | 'internal';
    author: MessageAuthor;
    actor?: string | null;
    text: string;
    locale?: string | null;
    template?: string | null;
    /** A slowed reporter's message: it reaches the desk in the next digest. */
    digest?: boolean;
    now: string;
  }): CaseMessageRecord {
    const res = this.#stmt(
      `INSERT INTO case_messages (case_id, direction, author, actor, text, locale, template, digest, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(m.caseId, m.direction, m.author, m.actor ?? null, m.text, m.locale ?? null, m.template ?? null, m.digest ? 1 : null, m.now);
    return {
      id: Number(res.lastInsertRowid),
      caseId: m.caseId,
      direction: m.direction,
      author: m.author,
      actor: m.actor ?? null,
      text: m.text,
      locale: m.locale ?? null,
      template: m.template ?? null,
      createdAt: m.now,
    };
  }

  /** Messages waiting for a flood digest, oldest first. */
  digestPending(caseId: number, limit = 500): CaseMessageRecord[] {
    return this.#stmt<CaseMessageRow>('SELECT * FROM case_messages WHERE case_id = ? AND digest = 1 ORDER BY id LIMIT ?')
      .all(caseId, limit)
      .map(rowToMessage);
  }

  /** The messages a digest carried: no longer waiting. */
  digestSent(ids: readonly number[]): void {
    const s = this.#stmt('UPDATE case_messages SET digest = NULL WHERE id = ? AND digest = 1');
    for (const id of ids) s.run(id);
  }

  /** The first thing the reporter wrote in a case (its preview), without reading the rest. */
  firstReporterText(caseId: number): string | undefined {
    return this.#stmt<{ text: string }>(
      `SELECT text FROM case_messages WHERE case_id = ? AND author = 'reporter' ORDER BY id LIMIT 1`,
    ).get(caseId)?.text;
  }

  messages(caseId: number): CaseMessageRecord[] {
    return this.#stmt<CaseMessageRow>('SELECT * FROM case_messages WHERE case_id = ? ORDER BY id')
      .all(caseId)
      .map(rowToMessage);
  }

  addAttachment(a: {
    reporterId: number;
    caseId: number | null;
    kind: string;
    mime: string;
    data: Buffer;
    sha256: string;
    /** The photo's catalogue matches (JSON), computed when it arrived. */
    photoMatches?: string | null;
    now: string;
  }): number {
    const res = this.#stmt(
      `INSERT INTO attachments (reporter_id, case_id, kind, mime, bytes, sha256, data, photo_matches, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(a.reporterId, a.caseId, a.kind, a.mime, a.data.length, a.sha256, a.data, a.photoMatches ?? null, a.now);
    return Number(res.lastInsertRowid);
  }

  /** The catalogue matches (JSON) of each photo in a case that has them. */
  photoMatches(caseId: number): string[] {
    return this.#stmt<{ photo_matches: string }>(
      'SELECT photo_matches FROM attachments WHERE case_id = ? AND photo_matches IS NOT NULL ORDER BY id',
    )
      .all(caseId)
      .map((r) => r.photo_matches);
  }

  /** Links draft attachments (uploaded before the case existed) to a case; only the reporter's own. */
  linkAttachments(ids: number[], caseId: number, reporterId: number): void {
    const s = this.#stmt('UPDATE attachments SET case_id = ? WHERE id = ? AND reporter_id = ? AND case_id IS NULL');
    for (const id of ids) s.run(caseId, id, reporterId);
  }

  attachments(caseId: number): AttachmentRecord[] {
    return this.#stmt<{
      id: number;
      reporter_id: number;
      case_id: number | null;
      kind: string;
      mime: string;
      bytes: number;
      sha256: string;
      created_at: string;
    }>('SELECT id, reporter_id, case_id, kind, mime, bytes, sha256, created_at FROM attachments WHERE case_id = ? ORDER BY id')
      .all(caseId)
      .map((r) => ({
        id: r.id,
        reporterId: r.reporter_id,
        caseId: r.case_id,
        kind: r.kind,
        mime: r.mime,
        bytes: r.bytes,
        sha256: r.sha256,
        createdAt: r.created_at,
      }));
  }

  /** Replaces a photo's catalogue matches (after the catalogue changed). */
  setPhotoMatches(id: number, json: string | null): void {
    this.#stmt('UPDATE attachments SET photo_matches = ? WHERE id = ?').run(json, id);
  }

  attachmentData(id: number): { mime: string; data: Buffer } | undefined {
    return this.#stmt<{ mime: string; data: Buffer }>('SELECT mime, data FROM attachments WHERE id = ?').get(id);
  }

  audit(e: { actor: string; action: string; caseId: number | null; detail?: Record<string, unknown>; now: string }): void {
    this.#stmt('INSERT INTO audit_log (at, actor, action, case_id, detail) VALUES (?, ?, ?, ?, ?)').run(
      e.now,
      e.actor,
      e.action,
      e.caseId,
      JSON.stringify(e.detail ?? {}),
    );
  }

  auditFor(caseId: number): AuditRecord[] {
    return this.#stmt<{ id: number; at: string; actor: string; action: string; case_id: number | null; detail: string }>(
      'SELECT * FROM audit_log WHERE case_id = ? ORDER BY id',
    )
      .all(caseId)
      .map((r) => ({ id: r.id, at: r.at, actor: r.actor, action: r.action, caseId: r.case_id, detail: JSON.parse(r.detail) }));
  }

  /** Where a case's message lives on a desk (Slack channel and ts), if it was posted. */
  deskPost(caseId: number, desk: string): { channel: string; ts: string } | undefined {
    return this.#stmt<{ channel: string; ts: string }>('SELECT channel, ts FROM desk_posts WHERE case_id = ? AND desk = ?').get(caseId, desk);
  }

  /** The case whose desk message is at `channel`/`ts` (a thread reply names its parent's ts). */
  caseByDeskPost(desk: string, channel: string, ts: string): CaseRecord | undefined {
    const row = this.#stmt<{ case_id: number }>('SELECT case_id FROM desk_posts WHERE desk = ? AND channel = ? AND ts = ?').get(desk, channel, ts);
    return row ? this.get(row.case_id) : undefined;
  }

  saveDeskPost(caseId: number, desk: string, ref: { channel: string; ts: string }, now: string): void {
    this.#stmt(
      `INSERT INTO desk_posts (case_id, desk, channel, ts, updated_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (case_id, desk) DO UPDATE SET channel = excluded.channel, ts = excluded.ts, updated_at = excluded.updated_at`,
    ).run(caseId, desk, ref.channel, ref.ts, now);
  }

  /**
   * Case counts by category, priority and status (for /metrics). Read from `case_counts`, which
   * triggers keep exact (migration 4): a scrape never scans the cases.
   */
  breakdown(): { category: string; priority: string; status: string; n: number }[] {
    return this.#stmt<{ category: string; priority: string; status: string; n: number }>(
      'SELECT category, priority, status, n FROM case_counts WHERE n > 0 ORDER BY category, priority, status',
    ).all();
  }

  /** Figures for `stats` (from `case_counts`, like {@link breakdown}). */
  counts(): { byStatus: Record<string, number>; byCategory: Record<string, number>; urgentOpen: number; total: number } {
    const byStatus: Record<string, number> = {};
    const byCategory: Record<string, number> = {};
    let urgentOpen = 0;
    let total = 0;
    for (const r of this.breakdown()) {
      byStatus[r.status] = (byStatus[r.status] ?? 0) + r.n;
      byCategory[r.category] = (byCategory[r.category] ?? 0) + r.n;
      if (r.priority === 'urgent' && r.status !== 'closed') urgentOpen += r.n;
      total += r.n;
    }
    // In key order, as the GROUP BY queries this replaces gave them.
    const sorted = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    return { byStatus: sorted(byStatus), byCategory: sorted(byCategory), urgentOpen, total };
  }
}
