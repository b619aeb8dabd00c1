import type { Migration } from './index.ts';

/**
 * Triage a caseworker can trust: what the catalogue looks like, which children a case may be
 * about and why, groups of near-identical reports, and reporters who flood.
 *
 * - `catalogue_photos`: every photo of a circulated child with its perceptual fingerprint
 *   (a child may have several). `catalogue_children.source` says where a child came from; the
 *   bundled sample (`'sample'`) gives way to the first real import.
 * - `attachments.photo_matches`: the catalogue candidates of a reporter's photo, computed once
 *   when it arrives (JSON), so a case's candidates can be recomputed without the image.
 * - `cases.candidates`: ranked catalogue candidates with reasons (caseworkers only).
 * - `case_children`: which cases concern which child (named, photo, attributes) — `cases
 *   --child 7` and the Slack listing read it by index. Back-filled from `cases.children`.
 * - `cases.cluster_id`: the first case of a group of near-identical reports (itself for the
 *   first); `case_bands` holds the locality-sensitive hash bands of each case's opening text and
 *   `case_signatures` its MinHash signature, to find similar reports without reading them all.
 * - `reporter_flood`: a reporter's message count in the current minute, and until when they
 *   are slowed (their messages are kept and reach the desk as one digest).
 * - `case_messages.digest`: 1 while a slowed reporter's message waits for its digest; the
 *   digest carries exactly the marked messages and clears the marks when it is sent.
 */
export const migration0005: Migration = {
  version: 5,
  name: 'triage',
  up(db) {
    db.exec(`
ALTER TABLE catalogue_children ADD COLUMN source TEXT;
CREATE TABLE catalogue_photos (
  id          INTEGER PRIMARY KEY,
  number      INTEGER NOT NULL REFERENCES catalogue_children(number) ON DELETE CASCADE,
  position    INTEGER NOT NULL,
  path        TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  width       INTEGER NOT NULL,
  height      INTEGER NOT NULL,
  fingerprint TEXT NOT NULL,
  UNIQUE (number, position)
);

ALTER TABLE attachments ADD COLUMN photo_matches TEXT;
ALTER TABLE cases ADD COLUMN candidates TEXT NOT NULL DEFAULT '[]';
ALTER TABLE cases ADD COLUMN cluster_id INTEGER;
CREATE INDEX cases_cluster ON cases(cluster_id, id) WHERE cluster_id IS NOT NULL;

CREATE TABLE case_children (
  number  INTEGER NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  source  TEXT NOT NULL,
  PRIMARY KEY (number, case_id)
) WITHOUT ROWID;
CREATE INDEX case_children_case ON case_children(case_id);
INSERT OR IGNORE INTO case_children (number, case_id, source)
  SELECT j.value, c.id, 'named' FROM cases c, json_each(c.children) j WHERE j.type = 'integer';

CREATE TABLE case_bands (
  band    INTEGER NOT NULL,
  case_id INTEGER NOT NULL REFERENCES cases(id),
  PRIMARY KEY (band, case_id)
) WITHOUT ROWID;
CREATE TABLE case_signatures (
  case_id    INTEGER PRIMARY KEY REFERENCES cases(id),
  signature  BLOB NOT NULL,
  created_at TEXT NOT NULL
);

ALTER TABLE case_messages ADD COLUMN digest INTEGER;
CREATE INDEX case_messages_digest ON case_messages(case_id, id) WHERE digest = 1;

CREATE TABLE reporter_flood (
  reporter_id   INTEGER PRIMARY KEY REFERENCES reporters(id),
  window_start  INTEGER NOT NULL,
  count         INTEGER NOT NULL,
  slowed_since  INTEGER NOT NULL DEFAULT 0,
  slowed_until  INTEGER NOT NULL DEFAULT 0,
  noticed       INTEGER NOT NULL DEFAULT 0
);
`);
  },
};
