/**
 * Web chat sessions and fairness. A session is a random 256-bit token the server issues and
 * signs (a token a client makes up is refused), kept in an HttpOnly, SameSite=Strict cookie
 * that page scripts cannot read and other sites cannot send. Token buckets per session and per
 * address keep one client from flooding the line.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type http from 'node:http';

export const SESSION_COOKIE = 'tl_session';
const TOKEN_RE = /^([A-Za-z0-9_-]{43})\.([A-Za-z0-9_-]{22})$/;
/** 180 days: a reporter can come back to the same conversation on the same device. */
const MAX_AGE_S = 180 * 24 * 3600;

/** Issues and checks session tokens with a keyed MAC (the product's secret). */
export class SessionSigner {
  constructor(private readonly mac: (value: string) => Buffer) {}

  issue(): string {
    const raw = randomBytes(32).toString('base64url');
    return `${raw}.${this.#sign(raw)}`;
  }

  verify(token: string): boolean {
    const m = TOKEN_RE.exec(token);
    if (!m) return false;
    const expected = Buffer.from(this.#sign(m[1]!));
    const given = Buffer.from(m[2]!);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  #sign(raw: string): string {
    return this.mac(`webchat-session:${raw}`).subarray(0, 16).toString('base64url');
  }
}

/** The session token from the request's cookies, if present and signed by us. */
export function readSessionToken(req: http.IncomingMessage, signer: SessionSigner): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === SESSION_COOKIE) {
      const value = rest.join('=');
      return signer.verify(value) ? value : undefined;
    }
  }
  return undefined;
}

/** The Set-Cookie value; `Secure` when the page was reached over HTTPS (directly or via a proxy). */
export function sessionCookie(token: string, req: http.IncomingMessage): string {
  const secure =
    (req.socket as { encrypted?: boolean }).encrypted === true || req.headers['x-forwarded-proto'] === 'https';
  return `${SESSION_COOKIE}=${token}; Path=/; Max-Age=${MAX_AGE_S}; HttpOnly; SameSite=Strict${secure ? '; Secure' : ''}`;
}

/** A Set-Cookie value that removes the session cookie. */
export function expiredSessionCookie(req: http.IncomingMessage): string {
  return sessionCookie('', req).replace(/Max-Age=\d+/, 'Max-Age=0');
}

/** The client's address, for per-address limits. */
export function clientAddress(req: http.IncomingMessage): string {
  return req.socket.remoteAddress ?? 'unknown';
}

/** The first language of the Accept-Language header (`zh-CN,zh;q=0.9` → `zh-CN`). */
export function acceptLanguage(req: http.IncomingMessage): string | undefined {
  const first = String(req.headers['accept-language'] ?? '').split(',')[0]?.split(';')[0]?.trim();
  return first ? first.slice(0, 35) : undefined;
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

/** Limits per session and per address, checked together. */
export class Fairness {
  readonly #perSession: RateLimiter;
  readonly #perAddress: RateLimiter;
  constructor(session: { burst: number; perMinute: number }, address: { burst: number; perMinute: number }) {
    this.#perSession = new RateLimiter(session.burst, session.perMinute);
    this.#perAddress = new RateLimiter(address.burst, address.perMinute);
  }

  take(session: string | undefined, address: string): boolean {
    if (!this.#perAddress.take(address)) return false;
    return session === undefined || this.#perSession.take(session);
  }
}
