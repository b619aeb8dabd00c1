import type { Migration } from './index.ts';

/**
 * The first schema. Identities live apart from everything a caseworker reads: cases point at a
 * reporter (a pseudonym), and only the dispatcher joins through to the encrypted identity.
 */
export const migration0001: Migration = {
  version: 1,
  name: 'initial',
  up(db) {
    db.exec(`
CREATE TABLE reporters (
  id            INTEGER PRIMARY KEY,
  pseudonym     TEXT NOT NULL UNIQUE,
  locale        TEXT,
  locale_source TEXT CHECK (locale_source IN ('choice','hint','text','default')),
  quiet         INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL
);

CREATE TABLE reporter_identities (
  id                 INTEGER PRIMARY KEY,
  reporter_id        INTEGER NOT NULL REFERENCES reporters(id),
  channel            TEXT NOT NULL,
  lookup_hash        BLOB NOT NULL UNIQUE,
  sender_enc         BLOB NOT NULL,
  conversation_enc   BLOB NOT NULL,
  unreachable_at     TEXT,
  unreachable_reason TEXT,
  created_at         TEXT NOT NULL
);
CREATE INDEX reporter_identities_reporter ON reporter_identities(reporter_id);

CREATE TABLE conversations (
  identity_id INTEGER PRIMARY KEY REFERENCES reporter_identities(id),
  reporter_id INTEGER NOT NULL REFERENCES reporters(id),
  state       TEXT NOT NULL,
  updated_at  TEXT NOT NULL
);

CREATE TABLE cases (
  id                 INTEGER PRIMARY KEY,
  code               TEXT NOT NULL UNIQUE,
  reporter_id        INTEGER NOT NULL REFERENCES reporters(id),
  identity_id        INTEGER REFERENCES reporter_identities(id),
  category           TEXT NOT NULL CHECK (category IN ('tip','family','adoption','status','other','spam')),
  priority           TEXT NOT NULL CHECK (priority IN ('urgent','normal','low')),
  status             TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new','claimed','closed')),
  language           TEXT NOT NULL,
  locale             TEXT NOT NULL,
  children           TEXT NOT NULL DEFAULT '[]',
  triage             TEXT NOT NULL DEFAULT '{}',
  details            TEXT NOT NULL DEFAULT '{}',
  contact_enc        BLOB,
  spam_score         REAL NOT NULL DEFAULT 0,
  claimed_by         TEXT,
  claimed_at         TEXT,
  closed_at          TEXT,
  close_reason       TEXT,
  reporter_seen_id   INTEGER NOT NULL DEFAULT 0,
  created_at         TEXT NOT NULL,
  updated_at         TEXT NOT NULL,
  last_reporter_at   TEXT NOT NULL
);
CREATE INDEX cases_queue ON cases(status, priority, created_at);
CREATE INDEX cases_reporter ON cases(reporter_id, status);

CREATE TABLE case_messages (
  id          INTEGER PRIMARY KEY,
  case_id     INTEGER NOT NULL REFERENCES cases(id),
  direction   TEXT NOT NULL CHECK (direction IN ('in','out','internal')),
  author      TEXT NOT NULL CHECK (author IN ('reporter','caseworker','bot','note')),
  actor       TEXT,
  text        TEXT NOT NULL,
  locale      TEXT,
  template    TEXT,
  created_at  TEXT NOT NULL
);
CREATE INDEX case_messages_case ON case_messages(case_id, id);

CREATE TABLE attachments (
  id          INTEGER PRIMARY KEY,
  reporter_id INTEGER NOT NULL REFERENCES reporters(id),
  case_id     INTEGER REFERENCES cases(id),
  kind        TEXT NOT NULL,
  mime        TEXT NOT NULL,
  bytes       INTEGER NOT NULL,
  sha256      TEXT NOT NULL,
  data        BLOB NOT NULL,
  created_at  TEXT NOT NULL
);
CREATE INDEX attachments_case ON attachments(case_id);

CREATE TABLE catalogue_children (
  number          INTEGER PRIMARY KEY CHECK (number > 0),
  sex             TEXT,
  estimated_birth TEXT,
  found_date      TEXT,
  found_place     TEXT,
  marks           TEXT,
  description     TEXT,
  photo           TEXT,
  photo_sha256    TEXT,
  imported_at     TEXT NOT NULL
);

CREATE TABLE outbox (
  id               INTEGER PRIMARY KEY,
  idempotency_key  TEXT NOT NULL UNIQUE,
  destination      TEXT NOT NULL,
  channel          TEXT NOT NULL,
  identity_id      INTEGER REFERENCES reporter_identities(id),
  case_id          INTEGER REFERENCES cases(id),
  case_message_id  INTEGER REFERENCES case_messages(id),
  payload          TEXT NOT NULL,
  priority         INTEGER NOT NULL DEFAULT 0,
  state            TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending','sent','dead')),
  attempts         INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT NOT NULL,
  last_error       TEXT,
  created_at       TEXT NOT NULL,
  sent_at          TEXT
);
CREATE INDEX outbox_due ON outbox(next_attempt_at, priority) WHERE state = 'pending';

CREATE TABLE processed_inbound (
  key          TEXT PRIMARY KEY,
  processed_at TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE audit_log (
  id      INTEGER PRIMARY KEY,
  at      TEXT NOT NULL,
  actor   TEXT NOT NULL,
  action  TEXT NOT NULL,
  case_id INTEGER REFERENCES cases(id),
  detail  TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_case ON audit_log(case_id, id);

CREATE TABLE webchat_transcript (
  seq          INTEGER PRIMARY KEY,
  session_hash BLOB NOT NULL,
  dedupe_key   TEXT NOT NULL,
  entry        TEXT NOT NULL,
  created_at   TEXT NOT NULL,
  UNIQUE (session_hash, dedupe_key)
);
CREATE INDEX webchat_transcript_session ON webchat_transcript(session_hash, seq);
`);
  },
};
