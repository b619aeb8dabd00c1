/**
 * What triage links together: cases and the catalogue children they may concern, groups of
 * near-identical reports, and the per-reporter message count that slows a flood.
 */
import type { Db } from './db.ts';
import { statementCache } from './db.ts';
import type { CandidateSource } from '../core/types.ts';
import { QUEUE_RANK } from './migrations/0004-scale.ts';
import { CLUSTER_COUNT_CAP } from '../core/candidates.ts';

/** One case listed under a child. */
export interface ChildCaseLink {
  caseId: number;
  source: CandidateSource;
}

/** An earlier case that may be the same report, with its stored signature. */
export interface SimilarCandidate {
  caseId: number;
  clusterId: number | null;
  signature: Buffer;
}

/** A reporter's state in the flood window after counting one more message. */
export interface FloodState {
  /** Messages in the current window, this one included. */
  count: number;
  /** True when this message is over the limit (or the reporter is still being slowed). */
  slowed: boolean;
  /** True the first time in a slowed spell: the reporter is told, once. */
  firstSlowed: boolean;
  /** Since when (ms) the reporter has been slowed, without a break: one digest per spell. */
  slowedSince: number;
  /** Until when (ms) the reporter is slowed (a spell grows while they keep on). */
  slowedUntil: number;
}

export class TriageLinkRepository {
  readonly #stmt: ReturnType<typeof statementCache>;
  constructor(db: Db) {
    this.#stmt = statementCache(db);
  }

  /** Replaces the children a case is listed under. */
  setCaseChildren(caseId: number, links: ReadonlyArray<{ number: number; source: CandidateSource }>): void {
    this.#stmt('DELETE FROM case_children WHERE case_id = ?').run(caseId);
    const insert = this.#stmt('INSERT OR IGNORE INTO case_children (number, case_id, source) VALUES (?, ?, ?)');
    for (const l of links) insert.run(l.number, caseId, l.source);
  }

  /**
   * Cases listed under a catalogue child in queue order (urgent first, then oldest), open ones
   * only unless `includeClosed` — filtered and ordered here, so no open case hides behind
   * closed ones.
   */
  casesForChild(number: number, opts: { includeClosed?: boolean; limit?: number } = {}): ChildCaseLink[] {
    return this.#stmt<{ case_id: number; source: CandidateSource }>(
      `SELECT cc.case_id, cc.source FROM case_children cc JOIN cases c ON c.id = cc.case_id
        WHERE cc.number = ? ${opts.includeClosed ? '' : "AND c.status != 'closed'"}
        ORDER BY ${QUEUE_RANK.replace('priority', 'c.priority')}, c.created_at, c.id LIMIT ?`,
    )
      .all(number, opts.limit ?? 500)
      .map((r) => ({ caseId: r.case_id, source: r.source }));
  }

  /** How many open cases each child is listed under (for the catalogue listing). */
  openCountsByChild(): Map<number, number> {
    const rows = this.#stmt<{ number: number; n: number }>(
      `SELECT cc.number, count(*) AS n FROM case_children cc JOIN cases c ON c.id = cc.case_id
       WHERE c.status != 'closed' GROUP BY cc.number`,
    ).all();
    return new Map(rows.map((r) => [r.number, r.n]));
  }

  /** Stores a case's text signature and its bands. */
  addSignature(caseId: number, signature: Buffer, bands: readonly number[], now: string): void {
    this.#stmt('INSERT OR REPLACE INTO case_signatures (case_id, signature, created_at) VALUES (?, ?, ?)').run(caseId, signature, now);
    const insert = this.#stmt('INSERT OR IGNORE INTO case_bands (band, case_id) VALUES (?, ?)');
    for (const b of bands) insert.run(b, caseId);
  }

  /**
   * Earlier cases sharing a band with `bands`, created since `sinceIso`: the newest few per
   * band, read from the band's index — a rumour copied 200,000 times costs the same as one
   * copied twice (a newer copy of it is as good a match as an older one).
   */
  similarCandidates(bands: readonly number[], sinceIso: string, perBand = 4): SimilarCandidate[] {
    const ids = new Set<number>();
    const newest = this.#stmt<{ case_id: number }>('SELECT case_id FROM case_bands WHERE band = ? ORDER BY case_id DESC LIMIT ?');
    for (const band of bands) for (const r of newest.all(band, perBand)) ids.add(r.case_id);
    const out: SimilarCandidate[] = [];
    for (const id of ids) {
      const s = this.signature(id, sinceIso);
      if (s) out.push(s);
    }
    return out;
  }

  /** A case's stored signature and group, if it was made since `sinceIso`. */
  signature(caseId: number, sinceIso = ''): SimilarCandidate | undefined {
    const r = this.#stmt<{ case_id: number; cluster_id: number | null; signature: Buffer }>(
      `SELECT s.case_id, c.cluster_id, s.signature FROM case_signatures s JOIN cases c ON c.id = s.case_id
        WHERE s.case_id = ? AND s.created_at >= ?`,
    ).get(caseId, sinceIso);
    return r ? { caseId: r.case_id, clusterId: r.cluster_id, signature: r.signature } : undefined;
  }

  /** Cases in a group of near-identical reports, first first. */
  clusterMembers(clusterId: number, limit = 50): number[] {
    return this.#stmt<{ id: number }>('SELECT id FROM cases WHERE cluster_id = ? ORDER BY id LIMIT ?')
      .all(clusterId, limit)
      .map((r) => r.id);
  }

  /** How many reports a group has, counted up to `cap` (a viral rumour is "1000+"). */
  clusterSize(clusterId: number, cap = CLUSTER_COUNT_CAP): number {
    return this.#stmt<{ n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM cases WHERE cluster_id = ? LIMIT ?)').get(clusterId, cap)?.n ?? 0;
  }

  /** Until when (ms) a reporter is slowed; 0 when they are not. */
  slowedUntil(reporterId: number): number {
    return this.#stmt<{ slowed_until: number }>('SELECT slowed_until FROM reporter_flood WHERE reporter_id = ?').get(reporterId)?.slowed_until ?? 0;
  }

  /**
   * Counts one message of a reporter in a one-minute window and says whether they are slowed:
   * more than `perMinute` messages in a window slows them until a minute after the window.
   */
  countMessage(reporterId: number, nowMs: number, perMinute: number): FloodState {
    const row = this.#stmt<{ window_start: number; count: number; slowed_since: number; slowed_until: number; noticed: number }>(
      'SELECT window_start, count, slowed_since, slowed_until, noticed FROM reporter_flood WHERE reporter_id = ?',
    ).get(reporterId);
    let windowStart = row?.window_start ?? nowMs;
    let count = row?.count ?? 0;
    let slowedUntil = row?.slowed_until ?? 0;
    let slowedSince = row?.slowed_since ?? 0;
    let noticed = row?.noticed ?? 0;
    if (nowMs - windowStart >= 60_000 || nowMs < windowStart) {
      windowStart = nowMs;
      count = 0;
    }
    count++;
    const wasSlowed = slowedUntil > nowMs;
    if (!wasSlowed) noticed = 0;
    if (count > perMinute) {
      if (!wasSlowed) slowedSince = nowMs;
      slowedUntil = Math.max(slowedUntil, windowStart + 120_000);
    }
    const slowed = slowedUntil > nowMs;
    const firstSlowed = slowed && noticed === 0;
    if (firstSlowed) noticed = 1;
    this.#stmt(
      `INSERT INTO reporter_flood (reporter_id, window_start, count, slowed_since, slowed_until, noticed) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (reporter_id) DO UPDATE SET window_start = excluded.window_start, count = excluded.count,
         slowed_since = excluded.slowed_since, slowed_until = excluded.slowed_until, noticed = excluded.noticed`,
    ).run(reporterId, windowStart, count, slowedSince, slowedUntil, noticed);
    return { count, slowed, firstSlowed, slowedSince, slowedUntil };
  }
}
