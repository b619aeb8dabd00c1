/** Slack request verification: Slack's own documented example, and every way to fail it. */
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifySlackRequest } from '../../adapters/slack/verify.ts';

// From Slack's "Verifying requests from Slack" page.
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SIGNATURE = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const AT = Number(TIMESTAMP) * 1000;

const sign = (ts: string, body: string, secret = SECRET) =>
  `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;

describe('verifySlackRequest', () => {
  it("verifies Slack's documented example with the clock set to its time", () => {
    expect(verifySlackRequest({ signingSecret: SECRET, body: BODY, timestamp: TIMESTAMP, signature: SIGNATURE, nowMs: AT })).toEqual({ ok: true });
    expect(verifySlackRequest({ signingSecret: SECRET, body: Buffer.from(BODY), timestamp: TIMESTAMP, signature: SIGNATURE, nowMs: AT + 299_000 })).toEqual({ ok: true });
  });

  it.each([
    ['a changed body', { body: BODY.replace('roadrunner', 'coyote') }, 'bad_signature'],
    ['another secret', { signingSecret: 'not-the-secret' }, 'bad_signature'],
    ['a truncated signature', { signature: SIGNATURE.slice(0, -2) }, 'bad_signature'],
    ['no signature', { signature: undefined }, 'missing_headers'],
    ['no timestamp', { timestamp: undefined }, 'missing_headers'],
    ['a timestamp that is not a number', { timestamp: '1531420618.5' }, 'bad_timestamp'],
    ['older than five minutes', { nowMs: AT + 301_000 }, 'stale'],
    ['more than five minutes in the future', { nowMs: AT - 301_000 }, 'future'],
  ] as const)('refuses %s', (_what, change, reason) => {
    const req = { signingSecret: SECRET, body: BODY as string | Buffer, timestamp: TIMESTAMP as string | undefined, signature: SIGNATURE as string | undefined, nowMs: AT, ...change };
    expect(verifySlackRequest(req)).toEqual({ ok: false, reason });
  });

  it('a future-dated request correctly signed by someone holding the secret is still refused', () => {
    const future = String(Number(TIMESTAMP) + 3600);
    expect(verifySlackRequest({ signingSecret: SECRET, body: BODY, timestamp: future, signature: sign(future, BODY), nowMs: AT })).toEqual({ ok: false, reason: 'future' });
  });
});
