/**
 * Live delivery to open pages: Server-Sent Events streams per session. A page that is not
 * open misses nothing — entries are in the transcript and sent on (re)connect.
 */
import type http from 'node:http';

export interface TranscriptEntry {
  seq: number;
  direction: 'in' | 'out';
  from: 'reporter' | 'bot' | 'caseworker';
  text: string;
  choices?: { id: string; label: string }[];
  image?: { url: string; alt: string };
  caseCode?: string;
  photo?: true;
  /** The language of an `out` entry, so the page can follow the conversation's language. */
  locale?: string;
  at: string;
}

const MAX_STREAMS_PER_SESSION = 5;
/**
 * Open streams one address may hold. Mobile carriers put thousands behind one address; past
 * this a page polls instead (slower, never silent).
 */
const MAX_STREAMS_PER_ADDRESS = 1000;
/** Open streams in all: past this a page falls back to reconnecting later. */
const MAX_STREAMS = 5000;

export class LiveStreams {
  readonly #streams = new Map<string, Set<http.ServerResponse>>();
  readonly #perAddress = new Map<string, number>();
  #total = 0;
  readonly #heartbeat: NodeJS.Timeout;

  constructor(heartbeatMs = 20_000) {
    this.#heartbeat = setInterval(() => {
      for (const set of this.#streams.values()) for (const res of set) res.write(': ping\n\n');
    }, heartbeatMs);
    this.#heartbeat.unref();
  }

  /** True when another stream from `address` may be opened. */
  canOpen(address: string): boolean {
    return this.#total < MAX_STREAMS && (this.#perAddress.get(address) ?? 0) < MAX_STREAMS_PER_ADDRESS;
  }

  /** Opens an SSE stream for a session and sends `backlog` first. */
  open(key: string, res: http.ServerResponse, backlog: TranscriptEntry[], address: string): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write('retry: 2000\n\n');
    for (const e of backlog) res.write(format(e));
    let set = this.#streams.get(key);
    if (!set) this.#streams.set(key, (set = new Set()));
    if (set.size >= MAX_STREAMS_PER_SESSION) {
      const oldest = set.values().next().value as http.ServerResponse;
      set.delete(oldest);
      oldest.end();
    }
    set.add(res);
    this.#total++;
    this.#perAddress.set(address, (this.#perAddress.get(address) ?? 0) + 1);
    res.on('close', () => {
      set!.delete(res);
      if (set!.size === 0 && this.#streams.get(key) === set) this.#streams.delete(key);
      this.#total--;
      const n = (this.#perAddress.get(address) ?? 1) - 1;
      if (n <= 0) this.#perAddress.delete(address);
      else this.#perAddress.set(address, n);
    });
  }

  push(key: string, entry: TranscriptEntry): void {
    const set = this.#streams.get(key);
    if (!set) return;
    const data = format(entry);
    for (const res of set) res.write(data);
  }

  /** Number of open streams (for /healthz and tests). */
  get size(): number {
    return this.#total;
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const set of this.#streams.values()) for (const res of set) res.end();
    this.#streams.clear();
  }
}

function format(e: TranscriptEntry): string {
  return `id: ${e.seq}\ndata: ${JSON.stringify(e)}\n\n`;
}
