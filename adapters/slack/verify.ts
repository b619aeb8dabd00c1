/**
 * Verifying requests from Slack (HTTP mode): HMAC-SHA256 over `v0:<timestamp>:<raw body>` with
 * the signing secret, compared in constant time. Unlike Bolt, a timestamp more than five
 * minutes in the *future* is refused too (a replay with a forged clock). Pure, clock injectable.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

/** Largest request body accepted on /slack/events (Slack's payloads are far smaller). */
export const SLACK_BODY_LIMIT = 512 * 1024;

/** How far a request's timestamp may be from now, either way. */
export const SLACK_MAX_SKEW_SECONDS = 5 * 60;

export type SlackVerifyFailure = 'missing_headers' | 'bad_timestamp' | 'stale' | 'future' | 'bad_signature';

export interface SlackRequestToVerify {
  signingSecret: string;
  /** The raw body exactly as received (before any parsing). */
  body: string | Buffer;
  /** `X-Slack-Request-Timestamp`. */
  timestamp: string | undefined;
  /** `X-Slack-Signature`, `v0=<hex>`. */
  signature: string | undefined;
  /** The clock, in milliseconds (tests set it). */
  nowMs?: number;
}

/** `{ ok: true }`, or why the request must be refused (answer 401 and change nothing). */
export function verifySlackRequest(req: SlackRequestToVerify): { ok: true } | { ok: false; reason: SlackVerifyFailure } {
  if (!req.timestamp || !req.signature) return { ok: false, reason: 'missing_headers' };
  if (!/^\d{1,12}$/.test(req.timestamp)) return { ok: false, reason: 'bad_timestamp' };
  const now = Math.floor((req.nowMs ?? Date.now()) / 1000);
  const ts = Number(req.timestamp);
  if (now - ts > SLACK_MAX_SKEW_SECONDS) return { ok: false, reason: 'stale' };
  if (ts - now > SLACK_MAX_SKEW_SECONDS) return { ok: false, reason: 'future' };
  const expected = Buffer.from(
    `v0=${createHmac('sha256', req.signingSecret).update(`v0:${req.timestamp}:`).update(req.body).digest('hex')}`,
    'utf8',
  );
  const given = Buffer.from(req.signature, 'utf8');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
