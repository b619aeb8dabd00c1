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
}

export function createMetrics(store: Store): Metrics {
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
    help: 'Outbox deliveries by channel and result (sent, retry, dead)',
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
  new Gauge({
    name: 'tipline_outbox_messages',
    help: 'Outbox rows waiting (pending) or given up (dead)',
    labelNames: ['state'] as const,
    registers: [registry],
    collect() {
      const d = store.outbox.depth();
      this.set({ state: 'pending' }, d.pending);
      this.set({ state: 'dead' }, d.dead);
    },
  });
  new Gauge({
    name: 'tipline_outbox_oldest_pending_seconds',
    help: 'Age of the oldest message still waiting to be sent',
    registers: [registry],
    collect() {
      const oldest = store.outbox.depth().oldestPendingAt;
      this.set(oldest ? Math.max(0, (Date.now() - Date.parse(oldest)) / 1000) : 0);
    },
  });
  return { registry, messagesIn, sends };
}
