/**
 * Web chat sessions and fairness: the session is a random 256-bit token in an HttpOnly,
 * SameSite=Strict cookie (never readable by page scripts, never sent cross-site); a token
 * bucket per session keeps one browser from flooding the line.
 */
import { randomBytes } from 'node:crypto';
import type http from 'node:http';

export const SESSION_COOKIE = 'tl_session';
const TOKEN_RE = /^[A-Za-z0-9_-]{43}$/;
/** 180 days: a reporter can come back to the same conversation on the same device. */
const MAX_AGE_S = 180 * 24 * 3600;

/** Reads the session token from the request's cookies, if it is well-formed. */
export function readSessionToken(req: http.IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      const value = rest.join('=');
      return TOKEN_RE.test(value) ? value : undefined;
    }
  }
  return undefined;
}

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The Set-Cookie value; `Secure` when the page was reached over HTTPS (directly or via a proxy). */
export function sessionCookie(token: string, req: http.IncomingMessage): string {
  const secure =
    (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${MAX_AGE_S}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** A token bucket per key: `burst` at once, refilled at `perMinute`. */
export class RateLimiter {
  readonly #buckets = new Map<string, { tokens: number; at: number }>();
  constructor(
    readonly burst: number,
    readonly perMinute: number,
    readonly now: () => number = Date.now,
  ) {}

  take(key: string): boolean {
    const t = this.now();
    const b = this.#buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 60_000) * this.perMinute);
    b.at = t;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.#buckets.set(key, b);
    if (this.#buckets.size > 50_000) this.#sweep(t);
    return ok;
  }

  #sweep(t: number): void {
    for (const [k, b] of this.#buckets) if (t - b.at > 10 * 60_000) this.#buckets.delete(k);
  }
}
