/**
 * Run as its own process by `queue_scale` (so its memory is its own): opens the store and core
 * the way the server and the CLI do (`openCore`), then times what caseworkers and monitoring
 * ask of a big store. Prints one JSON object.
 */
import { memoryUsage } from 'node:process';

const ms = (t: number) => Number((performance.now() - t).toFixed(3));
const rssMb = () => Number((memoryUsage().rss / 1048576).toFixed(1));

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function timed<T>(fn: () => T, runs = 1): { first: number; median: number; result: T } {
  let t = performance.now();
  const result = fn();
  const first = ms(t);
  const rest: number[] = [first];
  for (let i = 1; i < runs; i++) {
    t = performance.now();
    fn();
    rest.push(ms(t));
  }
  return { first, median: median(rest), result };
}

let t = performance.now();
const { openCore } = await import('../src/app.ts');
const { loadConfig } = await import('../src/config.ts');
const { createMetrics } = await import('../src/metrics.ts');
const importMs = ms(t);
const rssLoaded = rssMb();

t = performance.now();
const { store, core, casework } = openCore(loadConfig(process.env), { mustExist: true });
const openMs = ms(t);
const rssOpen = rssMb();

const top50 = timed(() => casework.queue({ limit: 50 }), 20);
const rssAfterList = rssMb();
const all50 = timed(() => casework.queue({ includeClosed: true, limit: 50 }), 5);
// One case in full (`npx tipline show`, Slack's `/tipline show`): messages, history, deliveries.
const showCode = top50.result[top50.result.length - 1]?.code;
const show = timed(() => (showCode ? casework.show(showCode) : undefined), 5);
const slackQueue = timed(() => casework.queue(), 3);
const stats = timed(() => casework.stats(), 3);
const breakdown = timed(() => store.cases.breakdown(), 3);
const depth = timed(() => store.outbox.depth(), 5);
const metrics = createMetrics(store);
let tm = performance.now();
await metrics.registry.metrics();
const metricsFirst = ms(tm);
tm = performance.now();
await metrics.registry.metrics();
const metricsSecond = ms(tm);
const cutoff = new Date(Date.now() - 30 * 60_000).toISOString();
const idle = timed(() => store.reporters.idleDrafts(cutoff, 200), 3);

process.stdout.write(
  JSON.stringify({
    import_ms: importMs,
    open_core_ms: openMs,
    list_top50_first_ms: top50.first,
    list_top50_ms: top50.median,
    list_top50_rows: top50.result.length,
    list_all_top50_ms: all50.median,
    list_default_1000_ms: slackQueue.median,
    list_default_rows: slackQueue.result.length,
    show_case_first_ms: show.first,
    show_case_ms: show.median,
    stats_ms: stats.median,
    metrics_breakdown_ms: breakdown.median,
    outbox_depth_ms: depth.median,
    metrics_scrape_first_ms: metricsFirst,
    metrics_scrape_ms: metricsSecond,
    idle_drafts_query_ms: idle.median,
    idle_drafts_found: idle.result.length,
    rss_loaded_mb: rssLoaded,
    rss_open_mb: rssOpen,
    rss_after_list_mb: rssAfterList,
    rss_end_mb: rssMb(),
    core_ok: core.defaultLocale.length > 0,
  }) + '\n',
);
store.close();
