/**
 * A big store for `queue_scale`, made fast: a database created by the store itself (so the
 * schema is the real one, at the version before this release's migrations), then filled with
 * raw INSERTs in large transactions — reporters with encrypted identities and conversations,
 * cases with a realistic mix of categories, priorities and statuses (older ones mostly closed),
 * triage JSON, children, the reporter's first message for most, an audit line each, and the
 * outbox rows their replies left (nearly all sent; a few pending or dead).
 */
import Database from 'better-sqlite3';
import { CROCKFORD } from '../src/core/case-code.ts';
import { IdentityVault } from '../src/crypto.ts';
import { openDatabase } from '../src/store/index.ts';
import { MIGRATIONS } from '../src/store/migrations/index.ts';
import { pick, rng, tipText } from './common.ts';

/** The schema version the data is written at; later migrations run when the store opens it. */
export const DATA_SCHEMA_VERSION = 3;

export interface GeneratedStore {
  cases: number;
  openCases: number;
  reporters: number;
  caseMessages: number;
  outboxRows: number;
  conversationsWithDraft: number;
  seconds: number;
  bytes: number;
}

const CATEGORIES = [
  ['tip', 55],
  ['family', 15],
  ['adoption', 5],
  ['other', 15],
  ['spam', 10],
] as const;

function weighted<T>(random: () => number, items: readonly (readonly [T, number])[]): T {
  let w = random() * 100;
  for (const [v, p] of items) {
    w -= p;
    if (w < 0) return v;
  }
  return items[0]![0];
}

/**
 * A unique case code per index, spread over the whole 40-bit space like random codes are, but
 * rising with `i` so the unique index is filled in order (fast to generate).
 */
function caseCode(i: number, n: number): string {
  const step = Math.floor(2 ** 40 / (n + 1));
  let v = (i + 1) * step + Math.floor(((i * 2654435761) % 1000) / 1000 * (step - 1));
  let out = '';
  for (let k = 0; k < 8; k++) {
    out = CROCKFORD[v % 32] + out;
    v = Math.floor(v / 32);
  }
  return `TL-${out.slice(0, 4)}-${out.slice(4)}`;
}

export function generateStore(file: string, secret: string, caseCount: number): GeneratedStore {
  const started = performance.now();
  // The real schema, as a deployment of the previous release has it.
  openDatabase(file, { migrations: MIGRATIONS.filter((m) => m.version <= DATA_SCHEMA_VERSION) }).close();

  const db = new Database(file);
  // Test data, not tips: written straight into the file, no journal, no sync (the store puts
  // WAL back when it opens the file).
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -131072');
  const random = rng(42);
  const vault = new IdentityVault(secret);
  const reporterCount = Math.max(1, Math.round(caseCount * 0.3));
  const dayMs = 86_400_000;
  const end = Date.now() - 60 * 60_000;
  const start = end - 120 * dayMs;
  const at = (i: number, n: number) => new Date(start + ((end - start) * i) / Math.max(1, n)).toISOString();

  const insReporter = db.prepare('INSERT INTO reporters (id, pseudonym, locale, locale_source, quiet, created_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insIdentity = db.prepare(
    `INSERT INTO reporter_identities (id, reporter_id, channel, lookup_hash, sender_enc, conversation_enc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insConversation = db.prepare('INSERT INTO conversations (identity_id, reporter_id, state, updated_at) VALUES (?, ?, ?, ?)');
  let drafts = 0;
  db.transaction(() => {
    for (let r = 1; r <= reporterCount; r++) {
      const created = at(r, reporterCount);
      const locale = random() < 0.7 ? 'zh-CN' : random() < 0.5 ? 'zh-TW' : 'en';
      insReporter.run(r, r.toString(16).toUpperCase().padStart(6, '0'), locale, random() < 0.6 ? 'text' : 'hint', random() < 0.01 ? 1 : 0, created);
      const token = `${r}-${Math.floor(random() * 1e12).toString(36)}-bench-session-token`;
      const sealed = vault.encrypt(token);
      insIdentity.run(r, r, 'webchat', vault.lookupHash('webchat', token), sealed, sealed, created);
      const draft = random() < 0.04;
      if (draft) drafts++;
      const state = draft
        ? JSON.stringify({ version: 1, step: 'tip.photos', draft: { flow: 'tip', child: 7, texts: [tipText(random)], answers: {}, attachmentIds: [] } })
        : JSON.stringify({ version: 1, step: 'menu' });
      insConversation.run(r, r, state, created);
    }
  })();

  const insCase = db.prepare(
    `INSERT INTO cases (id, code, reporter_id, identity_id, category, priority, status, language, locale, children, triage, details,
       spam_score, claimed_by, claimed_at, closed_at, close_reason, created_at, updated_at, last_reporter_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insMessage = db.prepare(
    `INSERT INTO case_messages (id, case_id, direction, author, actor, text, locale, template, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insAudit = db.prepare('INSERT INTO audit_log (at, actor, action, case_id, detail) VALUES (?, ?, ?, ?, ?)');
  const insOutbox = db.prepare(
    `INSERT INTO outbox (id, idempotency_key, destination, channel, identity_id, case_id, payload, priority, state, attempts, next_attempt_at,
       last_error, created_at, sent_at, order_key, dead_at)
     VALUES (?, ?, 'reporter', 'webchat', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let messageId = 0;
  let open = 0;
  let outboxId = 0;
  const batch = 50_000;
  for (let from = 0; from < caseCount; from += batch) {
    db.transaction(() => {
      for (let i = from; i < Math.min(caseCount, from + batch); i++) {
        const id = i + 1;
        const created = at(i, caseCount);
        const reporter = 1 + Math.floor(random() * reporterCount);
        const category = weighted(random, CATEGORIES);
        const urgent = category !== 'spam' && category !== 'adoption' && random() < 0.02;
        const priority = urgent ? 'urgent' : category === 'spam' || category === 'adoption' || random() < 0.1 ? 'low' : 'normal';
        // Old cases are mostly closed; recent ones mostly waiting.
        const recent = i > caseCount * 0.85;
        const closed = random() < (recent ? 0.25 : 0.97);
        const claimed = !closed && random() < 0.3;
        const status = closed ? 'closed' : claimed ? 'claimed' : 'new';
        if (!closed) open++;
        const zh = random() < 0.75;
        const child = 1 + Math.floor(random() * 40);
        const children = category === 'tip' && random() < 0.6 ? [child] : [];
        const triage = {
          category,
          urgent,
          language: zh ? 'zh-CN' : 'en',
          children,
          pii: random() < 0.1 ? ['phone'] : [],
          reasons: [`category:${category}`, ...(urgent ? ['urgent:danger-now'] : []), ...children.map((c) => `child:#${c}`)],
          spamScore: category === 'spam' ? 0.9 : 0.05,
          greeting: false,
        };
        const details = { flow: random() < 0.5 ? 'free' : category === 'family' ? 'family' : 'tip', answers: {}, ...(children.length ? { childNamed: child } : {}) };
        const closedAt = closed ? new Date(Date.parse(created) + 3 * dayMs).toISOString() : null;
        insCase.run(
          id,
          caseCode(i, caseCount),
          reporter,
          reporter,
          category,
          priority,
          status,
          zh ? 'zh-CN' : 'en',
          zh ? 'zh-CN' : 'en',
          JSON.stringify(children),
          JSON.stringify(triage),
          JSON.stringify(details),
          triage.spamScore,
          claimed || closed ? pick(random, ['alice', 'bob', 'slack:U0CASE1']) : null,
          claimed || closed ? created : null,
          closedAt,
          closed ? pick(random, [null, 'passed to police', 'duplicate', 'spam']) : null,
          created,
          closedAt ?? created,
          created,
        );
        if (random() < 0.8) insMessage.run(++messageId, id, 'in', 'reporter', null, tipText(random), null, null, created);
        if (random() < 0.2) insMessage.run(++messageId, id, 'out', 'caseworker', 'alice', '谢谢，我们已转交警方。', 'zh-CN', 'thanks', created);
        insAudit.run(created, 'reporter', 'case.opened', id, JSON.stringify({ category, priority, flow: details.flow, incomplete: false }));
        const state = i > caseCount - 200 ? 'pending' : random() < 0.002 ? 'dead' : 'sent';
        insOutbox.run(
          ++outboxId,
          `in:webchat:${id.toString(16).padStart(8, '0')}:m${i}:0`,
          reporter,
          id,
          JSON.stringify({ text: `您的案件编号是 ${caseCode(i, caseCount)}。谢谢您提供的信息。`, from: 'bot', locale: 'zh-CN', caseCode: caseCode(i, caseCount) }),
          urgent ? 20 : 10,
          state,
          state === 'pending' ? 0 : 1,
          created,
          state === 'dead' ? '403 Forbidden: bot was blocked by the user' : null,
          created,
          state === 'sent' ? created : null,
          `r:${reporter}`,
          state === 'dead' ? created : null,
        );
      }
    })();
  }
  db.pragma('journal_mode = WAL');
  const bytes = (db.pragma('page_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number);
  db.close();
  return {
    cases: caseCount,
    openCases: open,
    reporters: reporterCount,
    caseMessages: messageId,
    outboxRows: outboxId,
    conversationsWithDraft: drafts,
    seconds: (performance.now() - started) / 1000,
    bytes,
  };
}
