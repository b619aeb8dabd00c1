import type { Migration } from './index.ts';

/**
 * The caseworkers' desk (Slack): where each case's message lives, and an ordering key on the
 * outbox so a desk's updates for one case — like a reporter's replies — go out in order.
 */
export const migration0002: Migration = {
  version: 2,
  name: 'desk',
  up(db) {
    db.exec(`
CREATE TABLE desk_posts (
  case_id    INTEGER NOT NULL REFERENCES cases(id),
  desk       TEXT NOT NULL,
  channel    TEXT NOT NULL,
  ts         TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (case_id, desk)
) WITHOUT ROWID;

ALTER TABLE outbox ADD COLUMN order_key TEXT;
UPDATE outbox SET order_key = 'r:' || identity_id WHERE order_key IS NULL;
CREATE INDEX outbox_order ON outbox(order_key, id) WHERE state = 'pending';
`);
  },
};
