/**
 * The one HTTP server on HOST:PORT. Adapters add routes; the server adds security headers,
 * body limits, and turns any handler failure into a 500 without dying.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../log.ts';

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void | Promise<void>;

interface Route {
  method: string;
  path: string;
  prefix: boolean;
  handler: Handler;
}

/** A request body over its limit. */
export class BodyTooLargeError extends Error {
  readonly code = 'BODY_TOO_LARGE';
  constructor(readonly limit: number) {
    super(`request body over ${limit} bytes`);
  }
}

/** Reads a request body up to `limit` bytes; throws {@link BodyTooLargeError} past it. */
export async function readBody(req: http.IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? '0');
  if (declared > limit) throw new BodyTooLargeError(limit);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new BodyTooLargeError(limit);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Sends a JSON answer. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const data = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(data),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(data);
}

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'Permissions-Policy': 'geolocation=(), microphone=(), camera=()',
};

export class HttpServer {
  readonly #routes: Route[] = [];
  readonly #server: http.Server;
  readonly #sockets = new Set<import('node:net').Socket>();

  constructor(readonly log: Logger) {
    this.#server = http.createServer((req, res) => void this.#handle(req, res));
    this.#server.on('connection', (s) => {
      this.#sockets.add(s);
      s.on('close', () => this.#sockets.delete(s));
    });
    // Slow-loris protection, with room for a 10 MB photo over a slow phone connection;
    // long-lived SSE streams are responses, not requests.
    this.#server.requestTimeout = 180_000;
    this.#server.headersTimeout = 15_000;
  }

  /** Adds a route: exact path, or a prefix when `path` ends with `*`. First match wins. */
  route(method: string, path: string, handler: Handler): void {
    const prefix = path.endsWith('*');
    this.#routes.push({ method: method.toUpperCase(), path: prefix ? path.slice(0, -1) : path, prefix, handler });
  }

  async #handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v);
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return sendJson(res, 400, { error: 'bad_url' });
    }
    const matches = this.#routes.filter((r) => (r.prefix ? url.pathname.startsWith(r.path) : url.pathname === r.path));
    const route = matches.find((r) => r.method === req.method || (req.method === 'HEAD' && r.method === 'GET'));
    if (!route) {
      if (matches.length > 0) return sendJson(res, 405, { error: 'method_not_allowed' }, { Allow: [...new Set(matches.map((m) => m.method))].join(', ') });
      return sendJson(res, 404, { error: 'not_found' });
    }
    try {
      await route.handler(req, res, url);
    } catch (err) {
      if (err instanceof BodyTooLargeError) {
        if (!res.headersSent) sendJson(res, 413, { error: 'too_large' }, { Connection: 'close' });
        return;
      }
      this.log.error('request failed', { path: url.pathname, error: (err as Error).message });
      if (!res.headersSent) sendJson(res, 500, { error: 'internal' });
      else res.end();
    }
  }

  /** Listens; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo> {
    return new Promise((resolve, reject) => {
      const onError = (err: NodeJS.ErrnoException) => reject(err);
      this.#server.once('error', onError);
      this.#server.listen(port, host, () => {
        this.#server.off('error', onError);
        resolve(this.#server.address() as AddressInfo);
      });
    });
  }

  /** Stops accepting, ends open connections (SSE streams too), resolves when closed. */
  close(): Promise<void> {
    return new Promise((resolve) => {
      if (!this.#server.listening) return resolve();
      this.#server.close(() => resolve());
      this.#server.closeIdleConnections();
      for (const s of this.#sockets) s.destroy();
    });
  }
}
