/**
 * Bolt's narrow port, on the tip line's one HTTP server: each request to /slack/events is
 * verified (signature in constant time, timestamp neither stale nor from the future, size
 * limited), turned into one ReceiverEvent and handed to `app.processEvent`. Forged → 401.
 */
import type http from 'node:http';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import { BodyTooLargeError, readBody, sendJson } from '../../src/http/server.ts';
import { SLACK_BODY_LIMIT, verifySlackRequest } from './verify.ts';

export class TiplineSlackReceiver implements Receiver {
  #app: App | undefined;
  /** Event ids being handled right now. */
  readonly #handling = new Set<string>();

  constructor(
    private readonly signingSecret: string,
    private readonly log: { warn(msg: string, fields?: Record<string, unknown>): void; error(msg: string, fields?: Record<string, unknown>): void },
    private readonly now: () => number = Date.now,
    /** Which Events API `event_id`s were handled already (Slack retries slow acknowledgements). */
    private readonly events: { done(eventId: string): boolean; mark(eventId: string): void } = { done: () => false, mark: () => {} },
  ) {}

  init(app: App): void {
    this.#app = app;
  }

  // The one HTTP server is started by the app; nothing to do here.
  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** The route handler for POST /slack/events. */
  readonly handle = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    let raw: Buffer;
    try {
      raw = await readBody(req, SLACK_BODY_LIMIT);
    } catch (err) {
      if (err instanceof BodyTooLargeError) return sendJson(res, 413, { error: 'too_large' });
      throw err;
    }
    const header = (name: string) => {
      const v = req.headers[name];
      return Array.isArray(v) ? v[0] : v;
    };
    const verdict = verifySlackRequest({
      signingSecret: this.signingSecret,
      body: raw,
      timestamp: header('x-slack-request-timestamp'),
      signature: header('x-slack-signature'),
      nowMs: this.now(),
    });
    if (!verdict.ok) {
      this.log.warn('slack request refused', { reason: verdict.reason });
      return sendJson(res, 401, { error: 'unauthorized' });
    }
    const body = parseSlackBody(raw.toString('utf8'), String(header('content-type') ?? ''));
    if (!body) return sendJson(res, 400, { error: 'bad_body' });
    // Slack's URL verification handshake.
    if (body.type === 'url_verification' && typeof body.challenge === 'string') return sendJson(res, 200, { challenge: body.challenge });

    // Slack retries events it thinks were not acknowledged in time: do each event_id once.
    const eventId = typeof body.event_id === 'string' ? body.event_id : undefined;
    // (Bolt acknowledges an event before its handler runs: a retry can arrive while the first
    // delivery is still being handled — that one is skipped too.)
    if (eventId && (this.#handling.has(eventId) || this.events.done(eventId))) {
      res.writeHead(200).end();
      return;
    }
    if (eventId) this.#handling.add(eventId);

    let acked = false;
    // An Events API event (a thread note) is answered once it is handled and stored — it takes
    // milliseconds, well inside Slack's 3 s — so a crash in between makes Slack retry it rather
    // than lose it. Commands and buttons are answered at once, as their users wait on them.
    const holdAck = body.type === 'event_callback';
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        if (holdAck) return;
        if (response === undefined || response === '') {
          res.writeHead(200).end();
        } else if (typeof response === 'string') {
          res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' }).end(response);
        } else {
          sendJson(res, 200, response);
        }
      },
    };
    const retryNum = header('x-slack-retry-num');
    if (retryNum) event.retryNum = Number(retryNum);
    const retryReason = header('x-slack-retry-reason');
    if (retryReason) event.retryReason = retryReason;
    try {
      await this.#app!.processEvent(event);
      // Marked only once handled: a crash before this lets Slack's retry do it.
      if (eventId) this.events.mark(eventId);
    } catch (err) {
      this.log.error('slack event failed', { error: (err as Error).message });
      if (!acked || holdAck) sendJson(res, 500, { error: 'internal' });
      return;
    } finally {
      if (eventId) this.#handling.delete(eventId);
    }
    if (!acked || holdAck) res.writeHead(200).end();
  };
}

/** Slack sends JSON (events) or form-encoded bodies (commands; interactivity as `payload=`). */
export function parseSlackBody(raw: string, contentType: string): Record<string, unknown> | undefined {
  try {
    if (contentType.includes('application/json')) {
      const v = JSON.parse(raw) as unknown;
      return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
    }
    const form = Object.fromEntries(new URLSearchParams(raw));
    if (typeof form.payload === 'string') return JSON.parse(form.payload) as Record<string, unknown>;
    return form;
  } catch {
    return undefined;
  }
}
