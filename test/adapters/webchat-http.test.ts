/**
 * The web chat's HTTP surface against the real server process: session cookie, request
 * checks, every kind of bad input answered politely in the conversation (never a crash, never
 * a case made of garbage), rate limits, live events, health and security headers.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCases, newClientId, PNG_1x1, ROOT, startServer, WebClient, type Entry, type RunningServer } from '../helpers/server.ts';

const en = JSON.parse(readFileSync(path.join(ROOT, 'locales/en/bot.json'), 'utf8'));
const zh = JSON.parse(readFileSync(path.join(ROOT, 'locales/zh-CN/bot.json'), 'utf8'));
const enUi = JSON.parse(readFileSync(path.join(ROOT, 'locales/en/webchat.json'), 'utf8'));
const stem = (s: string) => s.split('{{')[0]!.trim();
const hasBot = (text: string) => (entries: Entry[]) => entries.some((e) => e.from === 'bot' && e.text.includes(text));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let server: RunningServer;
beforeAll(async () => {
  server = await startServer();
});
afterAll(async () => {
  await server?.stop();
});

/** A fresh English session that has seen the menu. */
async function client(locale = 'en'): Promise<WebClient> {
  const c = new WebClient(server.url);
  await c.session(locale);
  const menu = locale === 'en' ? en.menu.prompt : zh.menu.prompt;
  await c.say({ command: 'start' }, { until: hasBot(menu) });
  return c;
}

/** Posts raw JSON (or anything) to /api/messages with the client's cookie. */
function rawPost(c: WebClient | undefined, body: string | Uint8Array, headers: Record<string, string> = {}): Promise<Response> {
  const h: Record<string, string> = { 'X-Tipline': '1', 'Content-Type': 'application/json', ...headers };
  if (c?.cookie) h.Cookie = c.cookie;
  for (const [k, v] of Object.entries(h)) if (v === '') delete h[k];
  return fetch(new URL('/api/messages', server.url), { method: 'POST', headers: h, body: body as BodyInit });
}

describe('session cookie and request checks', () => {
  it('sets an HttpOnly, SameSite=Strict session cookie on Path=/ and keeps it', async () => {
    const c = new WebClient(server.url);
    const s = await c.session('en');
    expect(s.locale).toBe('en');
    expect(s.strings.send).toBe(enUi.send);
    expect(s.history).toEqual([]);
    expect(s.caseCodes).toEqual([]);
    const cookie = c.setCookie!;
    expect(cookie).toMatch(/^tl_session=[A-Za-z0-9_-]{43}\.[A-Za-z0-9_-]{22};/);
    const attrs = cookie.split(';').map((p) => p.trim().toLowerCase());
    expect(attrs).toContain('httponly');
    expect(attrs).toContain('samesite=strict');
    expect(attrs).toContain('path=/');
    expect(attrs.some((a) => /^max-age=\d+$/.test(a))).toBe(true);
    // Not over HTTPS here, so not Secure (it would never be sent back).
    expect(attrs).not.toContain('secure');
    // A second call with the cookie keeps the session: no new cookie.
    c.setCookie = undefined;
    await c.session('en');
    expect(c.setCookie).toBeUndefined();
  });

  it('refuses a POST without X-Tipline (403), without a cookie (401), with bad JSON or clientId (400)', async () => {
    const c = await client();
    const noHeader = await rawPost(c, JSON.stringify({ clientId: newClientId(), text: 'hi' }), { 'X-Tipline': '' });
    expect(noHeader.status).toBe(403);
    const sessionNoHeader = await fetch(new URL('/api/session', server.url), { method: 'POST', body: '{}' });
    expect(sessionNoHeader.status).toBe(403);
    const photoNoHeader = await fetch(new URL(`/api/photos?clientId=${newClientId()}`, server.url), {
      method: 'POST',
      headers: { Cookie: c.cookie!, 'Content-Type': 'image/png' },
      body: PNG_1x1,
    });
    expect(photoNoHeader.status).toBe(403);

    const noCookie = await rawPost(undefined, JSON.stringify({ clientId: newClientId(), text: 'hi' }));
    expect(noCookie.status).toBe(401);
    expect(((await noCookie.json()) as { message?: string }).message).toBeTruthy();
    const forged = await rawPost(undefined, JSON.stringify({ clientId: newClientId(), text: 'hi' }), { Cookie: 'tl_session=not-a-token' });
    expect(forged.status).toBe(401);
    expect((await fetch(new URL('/api/history', server.url))).status).toBe(401);
    expect((await fetch(new URL('/api/events', server.url))).status).toBe(401);

    const badJson = await rawPost(c, '{"clientId": "abcdefgh12", "text": ');
    expect(badJson.status).toBe(400);
    const bj = (await badJson.json()) as { error: string; message: string };
    expect(bj.error).toBe('bad_json');
    expect(typeof bj.message).toBe('string');
    expect(bj.message.length).toBeGreaterThan(5);
    expect((await rawPost(c, '[1,2,3]')).status).toBe(400);
    expect((await rawPost(c, 'null')).status).toBe(400);

    for (const clientId of ['short', 'has space in it', 'x'.repeat(65), 12345678, null, '../../etc/passwd']) {
      const r = await rawPost(c, JSON.stringify({ clientId, text: 'hello there' }));
      expect(r.status, String(clientId)).toBe(400);
      expect(((await r.json()) as { error: string }).error).toBe('bad_client_id');
    }
    // Neither text, action nor command.
    expect((await rawPost(c, JSON.stringify({ clientId: newClientId() }))).status).toBe(400);

    // None of these reached the conversation.
    const h = await c.history(0);
    expect(h.filter((e) => e.direction === 'in')).toEqual([]);
  });
});

describe('sessions are issued by the server', () => {
  it('a made-up or tampered session token is refused', async () => {
    const c = new WebClient(server.url);
    await c.session('en');
    const forged = `tl_session=${'A'.repeat(43)}.${'B'.repeat(22)}`;
    const tampered = c.cookie!.slice(0, -1) + (c.cookie!.endsWith('A') ? 'B' : 'A');
    for (const cookie of [forged, tampered, `tl_session=${'x'.repeat(43)}`]) {
      const r = await fetch(new URL('/api/messages', server.url), {
        method: 'POST',
        headers: { 'X-Tipline': '1', 'Content-Type': 'application/json', Cookie: cookie, 'Accept-Language': 'en' },
        body: JSON.stringify({ clientId: newClientId(), text: 'hello' }),
      });
      expect(r.status).toBe(401);
      expect(((await r.json()) as { message: string }).message).toBe(enUi.sessionMissing);
      const events = await fetch(new URL('/api/events', server.url), { headers: { Cookie: cookie } });
      expect(events.status).toBe(401);
    }
  });

  it('error messages follow the browser language before any session exists', async () => {
    const r = await fetch(new URL('/api/messages', server.url), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'Accept-Language': 'en-GB,en;q=0.9' },
      body: '{}',
    });
    expect(r.status).toBe(403);
    expect(((await r.json()) as { message: string }).message).toBe(enUi.badRequest);
  });
});

describe('at rest', () => {
  it('what a reporter types in the web chat is sealed in the database, contact details included', async () => {
    const c = await client('en');
    await c.say({ action: 'menu:tip' });
    await c.say({ action: 'child:unsure' });
    await c.say({ text: 'Seen near the Qujing bus depot by the noodle stall' });
    await c.say({ action: 'done' });
    await c.say({ action: 'contact:yes' });
    await c.say({ text: 'Li Lei 13800138000' }, { until: hasBot(stem(en.contact.saved)) });
    const db = path.join(server.dir, 'tipline.db');
    const bytes = Buffer.concat([readFileSync(db), ...(existsSync(`${db}-wal`) ? [readFileSync(`${db}-wal`)] : [])]);
    expect(bytes.includes(Buffer.from('13800138000'))).toBe(false);
    expect(bytes.includes(Buffer.from('Li Lei'))).toBe(false);
    // …and the reporter still sees their own words.
    const history = await c.history(0);
    expect(history.some((e) => e.direction === 'in' && e.text === 'Li Lei 13800138000')).toBe(true);
  });
});

describe('bad input is answered politely, in the reporter’s language, and never becomes a case', () => {
  it('text over 4096 characters: a polite reply about the length, no case', async () => {
    const c = await client();
    const before = await c.lastSeq();
    const r = await c.send({ text: 'word '.repeat(1000) });
    expect(r.status).toBe(202);
    const fresh = await c.waitFor(hasBot(stem(en.problem.too_long)), 10_000, before);
    expect(fresh.find((e) => e.text.includes(stem(en.problem.too_long)))!.text).toContain('4096');
    // The echo is shortened, never the whole 5000 characters.
    const echo = fresh.find((e) => e.direction === 'in');
    if (echo) expect(echo.text.length).toBeLessThan(300);
    expect(fresh.some((e) => e.caseCode)).toBe(false);
    expect((await c.session('en')).caseCodes).toEqual([]);
  });

  it('the same in Chinese for a Chinese session', async () => {
    const c = await client('zh-CN');
    const before = await c.lastSeq();
    expect((await c.send({ text: '字'.repeat(5000) })).status).toBe(202);
    await c.waitFor(hasBot(stem(zh.problem.too_long)), 10_000, before);
  });

  it('a body over 64 KB is answered in the conversation too', async () => {
    const c = await client();
    const before = await c.lastSeq();
    const res = await rawPost(c, JSON.stringify({ clientId: newClientId(), locale: 'en', text: 'x'.repeat(70 * 1024) }));
    expect(res.status).toBe(202);
    await c.waitFor(hasBot(stem(en.problem.too_long)), 10_000, before);
    expect((await c.session('en')).caseCodes).toEqual([]);
    expect((await fetch(new URL('/healthz', server.url))).status).toBe(200);
  });

  it('control characters and undecodable bytes: "could not read", no case', async () => {
    const c = await client();
    const before = await c.lastSeq();
    const binary = '\u0000\u0001\u0002\uFFFD\uFFFD\u0003\u0004\uFFFD\u0005\u0006\u0007\uFFFD\u0008\u000B\u000E\u000F\uFFFD\u0010\u0011\uFFFDab';
    expect((await c.send({ text: binary })).status).toBe(202);
    await c.waitFor(hasBot(en.problem.unreadable), 10_000, before);
    // Raw bytes decoded as text, the way a broken client would send a file.
    const junk = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 97 + 13) % 256)).toString('latin1').replace(/[\x20-\x7e]/g, '\u0001');
    const mid = await c.lastSeq();
    expect((await c.send({ text: junk })).status).toBe(202);
    await c.waitFor(hasBot(en.problem.unreadable), 10_000, mid);
    expect((await c.session('en')).caseCodes).toEqual([]);
  });

  it('empty or blank text makes no case and no visible echo', async () => {
    const c = await client();
    const before = await c.lastSeq();
    const cases = (await listCases(server.env)).length;
    for (const text of ['', '   ', '\n\t\n']) {
      const r = await c.send({ text });
      expect(r.status).toBe(202);
    }
    await sleep(700);
    const fresh = await c.history(before);
    // (The adapter echoes blank text as a blank bubble — reported; the page never sends it.)
    expect(fresh.filter((e) => e.direction === 'in' && e.text.trim() !== '')).toEqual([]);
    expect(fresh.some((e) => e.caseCode)).toBe(false);
    expect((await listCases(server.env)).length).toBe(cases);
    expect((await c.session('en')).caseCodes).toEqual([]);
  });

  it('a "photo" that is not an image: a polite reply, nothing stored as a case', async () => {
    const c = await client();
    const before = await c.lastSeq();
    const r = await c.photo(Buffer.from('this is just some text pretending to be a PNG\n'.repeat(20)), 'image/png');
    expect(r.status).toBe(202);
    await c.waitFor(hasBot(stem(en.problem.attachment_not_image)), 10_000, before);
    // And an executable with a document type.
    const mid = await c.lastSeq();
    expect((await c.photo(Buffer.from('MZ\x90\x00\x03binary', 'latin1'), 'application/x-msdownload')).status).toBe(202);
    await c.waitFor(hasBot(stem(en.problem.attachment_not_image)), 10_000, mid);
    expect((await c.session('en')).caseCodes).toEqual([]);
  });

  it('a photo over 10 MiB: a polite reply, and the server keeps serving', async () => {
    const c = await client();
    const before = await c.lastSeq();
    const big = Buffer.alloc(10 * 1024 * 1024 + 1024, 0);
    PNG_1x1.copy(big); // a PNG header: only its size is wrong
    let status: number | 'connection closed';
    try {
      status = (await c.photo(big, 'image/png')).status;
    } catch {
      // The server may answer and close before the upload ends; the answer is in the chat.
      status = 'connection closed';
    }
    expect([202, 413, 'connection closed']).toContain(status);
    await c.waitFor(hasBot(stem(en.problem.attachment_too_large)), 15_000, before);
    const health = await fetch(new URL('/healthz', server.url));
    expect(health.status).toBe(200);
    expect(((await health.json()) as { status: string }).status).toBe('ok');
    // A normal photo still works afterwards.
    const mid = await c.lastSeq();
    expect((await c.photo(PNG_1x1, 'image/png')).status).toBe(202);
    await c.waitFor((e) => e.some((x) => x.from === 'bot' && x.text.length > 0), 10_000, mid);
  });

  it('an unknown or stale button: "no longer active", and the question again', async () => {
    const c = await client();
    for (const action of ['menu:nonexistent', 'confirm:send', 'sex:robot', 'x'.repeat(500)]) {
      const before = await c.lastSeq();
      expect((await c.send({ action })).status).toBe(202);
      const fresh = await c.waitFor((e) => hasBot(en.unknown_button)(e) && e.some((x) => x.choices?.length), 10_000, before);
      // Nothing was echoed for a button the page never showed.
      expect(fresh.filter((e) => e.direction === 'in')).toEqual([]);
    }
    expect((await c.session('en')).caseCodes).toEqual([]);
  });

  it('nothing accepted is lost: after all of that, a normal message still works', async () => {
    const c = await client();
    await rawPost(c, '{oops');
    await rawPost(c, JSON.stringify({ clientId: 'bad', text: 'x' }));
    await c.send({ text: '\u0000\u0001\u0002\uFFFD\uFFFD\u0003\u0004\uFFFD' });
    await c.send({ text: 'y'.repeat(4500) });
    await c.send({ action: 'nope:nope' });
    await c.photo(Buffer.from('not an image'), 'image/png');
    const before = await c.lastSeq();
    const text = 'I saw a child from the poster at the Riverside market this morning';
    const r = await c.send({ text });
    expect(r.status).toBe(202);
    const fresh = await c.waitFor((e) => e.some((x) => !!x.caseCode), 10_000, before);
    // (The bot's answer to the refused photo may land just after `before`: replies are sent apart from intake.)
    expect(fresh.find((x) => x.direction === 'in')).toMatchObject({ direction: 'in', from: 'reporter', text });
    const code = fresh.find((e) => e.caseCode)!.caseCode!;
    const cases = await listCases(server.env);
    const mine = cases.find((x) => x.code === code);
    expect(mine).toBeDefined();
    // Only the real message is in the case.
    expect(String(mine!.preview)).toContain('Riverside market');
    expect(JSON.stringify(mine)).not.toContain('\uFFFD');
  });
});

describe('rate limit', () => {
  it('a burst of 40 quick messages meets some 429s, with a polite message and Retry-After', async () => {
    const c = await client();
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => c.send({ text: `burst message number ${i}` })));
    const limited = results.filter((r) => r.status === 429);
    const accepted = results.filter((r) => r.status === 202);
    expect(limited.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0);
    expect(accepted.length + limited.length).toBe(40);
    expect(limited[0]!.body).toMatchObject({ error: 'rate_limited', message: enUi.rateLimited });
    const raw = await rawPost(c, JSON.stringify({ clientId: newClientId(), locale: 'en', text: 'one more' }));
    expect(raw.status).toBe(429);
    expect(Number(raw.headers.get('retry-after'))).toBeGreaterThan(0);
    // Every accepted message was echoed, exactly once.
    const h = await c.history(0);
    const echoes = h.filter((e) => e.direction === 'in' && e.text.startsWith('burst message number'));
    expect(echoes.length).toBe(accepted.length);
    // Another reporter is not slowed down by this one.
    const other = await client();
    expect((await other.send({ text: 'hello from someone else' })).status).toBe(202);
  });
});

describe('live events (SSE)', () => {
  it('streams the echo and the reply of a message sent while it is open', async () => {
    const c = await client();
    const after = await c.lastSeq();
    const ac = new AbortController();
    const res = await fetch(new URL(`/api/events?after=${after}`, server.url), { headers: { Cookie: c.cookie! }, signal: ac.signal });
    try {
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const events: { id: number; data: Entry }[] = [];
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      const readUntil = async (pred: () => boolean, ms: number) => {
        const deadline = Date.now() + ms;
        while (!pred()) {
          if (Date.now() > deadline) throw new Error(`SSE: timed out; got ${JSON.stringify(events)}`);
          const chunk = await Promise.race([reader.read(), sleep(deadline - Date.now()).then(() => null)]);
          if (!chunk) continue;
          if (chunk.done) throw new Error('SSE stream ended');
          buf += chunk.value;
          let i: number;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const id = /^id: (\d+)$/m.exec(block)?.[1];
            const data = /^data: (.*)$/m.exec(block)?.[1];
            if (id && data) events.push({ id: Number(id), data: JSON.parse(data) as Entry });
          }
        }
      };
      const text = 'Is anyone reading these messages?';
      expect((await c.send({ text })).status).toBe(202);
      await readUntil(() => events.some((e) => e.data.direction === 'out' && e.data.seq > after + 1), 10_000);
      const echo = events.find((e) => e.data.direction === 'in')!;
      expect(echo.data).toMatchObject({ from: 'reporter', text });
      expect(echo.id).toBe(echo.data.seq);
      expect(echo.id).toBeGreaterThan(after);
      const reply = events.find((e) => e.data.direction === 'out')!;
      expect(reply.data.from).toBe('bot');
      expect(reply.id).toBeGreaterThan(echo.id);
      // What the stream said is what the history says.
      const h = await c.history(after);
      for (const e of events) expect(h.find((x) => x.seq === e.id)).toEqual(e.data);
      // Another session's stream sees none of it.
      const other = await client();
      const otherHist = await other.history(0);
      expect(otherHist.some((e) => e.text === text)).toBe(false);
    } finally {
      ac.abort();
    }
  });

  it('replays the backlog after Last-Event-ID', async () => {
    const c = await client();
    const h = await c.history(0);
    const ac = new AbortController();
    const res = await fetch(new URL('/api/events', server.url), {
      headers: { Cookie: c.cookie!, 'Last-Event-ID': String(h[0]!.seq) },
      signal: ac.signal,
    });
    try {
      const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      const deadline = Date.now() + 5000;
      while ((buf.match(/^id: /gm) ?? []).length < h.length - 1 && Date.now() < deadline) {
        const r = await Promise.race([reader.read(), sleep(500).then(() => null)]);
        if (r && !r.done) buf += r.value;
      }
      const ids = [...buf.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
      expect(ids).toEqual(h.slice(1).map((e) => e.seq));
    } finally {
      ac.abort();
    }
  });
});

describe('health, routing and headers', () => {
  it('/healthz answers 200 JSON with status ok', async () => {
    const r = await fetch(new URL('/healthz', server.url));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await r.json()).toMatchObject({ status: 'ok' });
  });

  it('/metrics is Prometheus text with messages in, cases and the outbox', async () => {
    const c = await client('en');
    await c.say({ text: 'I saw child 5 at the clinic with an old woman yesterday' });
    const r = await fetch(new URL('/metrics', server.url));
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await r.text();
    expect(text).toMatch(/^tipline_messages_in_total\{channel="webchat"\} [1-9]\d*$/m);
    expect(text).toMatch(/^tipline_cases\{category="tip",priority="normal",status="new"\} [1-9]\d*$/m);
    expect(text).toMatch(/^tipline_outbox_messages\{state="pending",channel="webchat"\} \d+$/m);
    expect(text).toMatch(/^tipline_outbox_messages\{state="dead",channel="all"\} \d+$/m);
    expect(text).toMatch(/^tipline_outbox_oldest_pending_seconds\{channel="webchat"\} [\d.]+$/m);
    expect(text).toMatch(/^# TYPE tipline_rate_limited_total counter$/m);
    expect(text).toMatch(/^tipline_sends_total\{channel="webchat",result="sent"\} [1-9]\d*$/m);
  });

  it('unknown paths are 404, wrong methods 405', async () => {
    const r = await fetch(new URL('/no/such/page', server.url));
    expect(r.status).toBe(404);
    expect(await r.json()).toMatchObject({ error: 'not_found' });
    expect((await fetch(new URL('/static/../../package.json', server.url))).status).toBe(404);
    expect((await fetch(new URL('/api/messages', server.url))).status).toBe(405);
  });

  it('sends security headers on the page, the script and the API', async () => {
    for (const p of ['/', '/static/app.js', '/healthz', '/no/such/page']) {
      const r = await fetch(new URL(p, server.url));
      const csp = r.headers.get('content-security-policy');
      expect(csp, p).toBeTruthy();
      expect(csp).toMatch(/default-src 'self'/);
      expect(csp).toMatch(/frame-ancestors 'none'/);
      expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
      expect(r.headers.get('x-content-type-options'), p).toBe('nosniff');
      expect(r.headers.get('referrer-policy'), p).toBe('no-referrer');
    }
    const page = await fetch(new URL('/', server.url));
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(await page.text()).toContain('data-testid="messages"');
  });
});
