import type { Migration } from './index.ts';

/** The queue's order, as an expression the index and the query share word for word. */
export const QUEUE_RANK = `(CASE priority WHEN 'urgent' THEN 0 WHEN 'normal' THEN 1 ELSE 2 END)`;

/**
 * A million cases: the queue is read from indexes in its own order (most urgent, then oldest)
 * instead of sorting every case, a case's outbox rows are found by index, and the figures
 * `/metrics` and `stats` show come from counts kept by triggers instead of a scan of the whole
 * table at every scrape.
 *
 * - `cases_open_queue`: open cases only (the caseworkers' queue, the CLI and Slack);
 *   `cases_rank`: every case, for `cases --all`.
 * - `outbox_case`: a case's deliveries (`show`, on the CLI and in Slack) without reading the
 *   whole outbox (seconds at a million rows).
 * - `case_counts`: cases per (category, priority, status), kept exact by triggers on every
 *   insert, delete and change of those columns — whoever writes (server, CLI, tests).
 * - `cases_queue` (status, priority, created_at) served only those counts and the old sorted
 *   queue: dropped. `outbox_due` was superseded by migration 3's `outbox_channel_queue` (the
 *   dispatcher reads each channel's queue through it): dropped. Every reporter message wrote
 *   both; nothing reads them.
 */
export const migration0004: Migration = {
  version: 4,
  name: 'scale',
  up(db) {
    db.exec(`
CREATE INDEX cases_open_queue ON cases(${QUEUE_RANK}, created_at) WHERE status != 'closed';
CREATE INDEX cases_rank ON cases(${QUEUE_RANK}, created_at);
DROP INDEX cases_queue;
DROP INDEX outbox_due;
CREATE INDEX outbox_case ON outbox(case_id, id) WHERE case_id IS NOT NULL;

CREATE TABLE case_counts (
  category TEXT NOT NULL,
  priority TEXT NOT NULL,
  status   TEXT NOT NULL,
  n        INTEGER NOT NULL,
  PRIMARY KEY (category, priority, status)
) WITHOUT ROWID;
INSERT INTO case_counts (category, priority, status, n)
  SELECT category, priority, status, count(*) FROM cases GROUP BY category, priority, status;

CREATE TRIGGER case_counts_insert AFTER INSERT ON cases BEGIN
  INSERT INTO case_counts (category, priority, status, n) VALUES (NEW.category, NEW.priority, NEW.status, 1)
    ON CONFLICT (category, priority, status) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER case_counts_delete AFTER DELETE ON cases BEGIN
  UPDATE case_counts SET n = n - 1 WHERE category = OLD.category AND priority = OLD.priority AND status = OLD.status;
END;
CREATE TRIGGER case_counts_update AFTER UPDATE OF category, priority, status ON cases
  WHEN OLD.category IS NOT NEW.category OR OLD.priority IS NOT NEW.priority OR OLD.status IS NOT NEW.status
BEGIN
  UPDATE case_counts SET n = n - 1 WHERE category = OLD.category AND priority = OLD.priority AND status = OLD.status;
  INSERT INTO case_counts (category, priority, status, n) VALUES (NEW.category, NEW.priority, NEW.status, 1)
    ON CONFLICT (category, priority, status) DO UPDATE SET n = n + 1;
END;
`);
  },
};
