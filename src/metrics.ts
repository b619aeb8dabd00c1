/**
 * `/metrics` in Prometheus text format. Counters are bumped by the app's wiring (the core stays
 * free of it); queue and outbox figures are read from the store at scrape time, so they are
 * right even when the CLI changed them from another process.
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Store } from './store/index.ts';

export interface Metrics {
  registry: Registry;
  messagesIn: Counter<'channel'>;
  sends: Counter<'channel' | 'result'>;
  rateLimited: Counter<'platform'>;
}

/** `channels`: the channels this process sends on (each gets a series, 0 when nothing waits). */
export function createMetrics(store: Store, channels: () => string[] = () => []): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'tipline_process_' });
  const messagesIn = new Counter({
    name: 'tipline_messages_in_total',
    help: 'Reporter messages accepted, by channel (redeliveries not counted)',
    labelNames: ['channel'] as const,
    registers: [registry],
  });
  const sends = new Counter({
    name: 'tipline_sends_total',
    help: 'Outbox delivery attempts by channel (webchat, telegram, slack) and result: sent, retry (failed, will retry), dead (given up), rate_limited (429), deferred (not attempted: paused or stopping)',
    labelNames: ['channel', 'result'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'tipline_cases',
    help: 'Cases by category, priority and status',
    labelNames: ['category', 'priority', 'status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const r of store.cases.breakdown()) this.set({ category: r.category, priority: r.priority, status: r.status }, r.n);
    },
  });
  const rateLimited = new Counter({
    name: 'tipline_rate_limited_total',
    help: 'Times a platform answered 429 (too many requests), by platform',
    labelNames: ['platform'] as const,
    registers: [registry],
  });
  // Both outbox gauges read one depth() per scrape.
  let depth: { at: number; value: ReturnType<Store['outbox']['depth']> } | undefined;
  const currentDepth = () => {
    if (!depth || Date.now() - depth.at > 100) depth = { at: Date.now(), value: store.outbox.depth() };
    return depth.value;
  };
  new Gauge({
    name: 'tipline_outbox_messages',
    help: 'Outbox rows waiting to be sent (pending, by channel) or given up (dead)',
    labelNames: ['state', 'channel'] as const,
    registers: [registry],
    collect() {
      this.reset();
      const d = currentDepth();
      for (const channel of channels()) this.set({ state: 'pending', channel }, 0);
      for (const [channel, c] of Object.entries(d.channels)) this.set({ state: 'pending', channel }, c.pending);
      this.set({ state: 'dead', channel: 'all' }, d.dead);
    },
  });
  new Gauge({
    name: 'tipline_outbox_oldest_pending_seconds',
    help: 'Age of the oldest message still waiting to be sent, by channel',
    labelNames: ['channel'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const channel of channels()) this.set({ channel }, 0);
      for (const [channel, c] of Object.entries(currentDepth().channels)) {
        this.set({ channel }, c.oldestPendingAt ? Math.max(0, (Date.now() - Date.parse(c.oldestPendingAt)) / 1000) : 0);
      }
    },
  });
  return { registry, messagesIn, sends, rateLimited };
}
