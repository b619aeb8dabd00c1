import type { Migration } from './index.ts';

/**
 * Delivery that survives a crash: a row taken by the dispatcher is marked in flight, and marked
 * sending (committed) right before the platform is called — so a restart knows which sends may
 * already have happened (sending: each is sent at most once more) and which only waited their
 * turn (in flight, not sending: simply queued again). Indexes let the dispatcher take each channel's queue in
 * priority order without sorting the backlog, and count dead letters without a scan.
 */
export const migration0003: Migration = {
  version: 3,
  name: 'delivery',
  up(db) {
    db.exec(`
ALTER TABLE outbox ADD COLUMN in_flight_since TEXT;
ALTER TABLE outbox ADD COLUMN sending_since TEXT;
ALTER TABLE outbox ADD COLUMN interrupted INTEGER NOT NULL DEFAULT 0;
ALTER TABLE outbox ADD COLUMN dead_at TEXT;
CREATE INDEX outbox_channel_queue ON outbox(channel, priority DESC, id) WHERE state = 'pending';
CREATE INDEX outbox_channel_next ON outbox(channel, next_attempt_at) WHERE state = 'pending';
CREATE INDEX outbox_dead ON outbox(id) WHERE state = 'dead';
CREATE INDEX outbox_in_flight ON outbox(id) WHERE in_flight_since IS NOT NULL;
CREATE INDEX outbox_sending ON outbox(id) WHERE sending_since IS NOT NULL;
`);
  },
};
