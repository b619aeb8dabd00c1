/**
 * Crash safety under load (issue 5, "Crash safety"): the real server runs as a child process on a
 * temp data folder, with the Telegram emulator as its Bot API (long polling). Hundreds of
 * reporters write at once — web-chat sessions and Telegram users, in Chinese and English, some
 * through the tip flow (buttons, a few photos), most as free text — while the server is
 * SIGKILLed at random moments while traffic is in flight (four times; once, after a kill that cut
 * sends short, right after the restart, as in a crash loop) and started again on the same folder
 * and port (same database, same generated key). Every message carries a unique marker. Afterwards:
 *
 * - nothing accepted is missing: every web message whose POST was answered 202 and every Telegram
 *   update the emulator handed out (or still held) is in the store exactly once;
 * - nothing is doubled: no marker twice, one case per reporter's report, one identity per
 *   reporter, no web transcript entry twice, one attachment per photo;
 * - every reporter got their replies: the outbox drains (nothing pending), each web transcript
 *   holds exactly the replies the outbox sent it, each Telegram chat at least those — a Telegram
 *   message may come twice only if it had reached Telegram when a kill stopped its bookkeeping
 *   ("at most once more"); those are counted at each kill and bound the duplicates.
 *
 * A web client whose POST got no answer (the kill) retries the same clientId after the restart,
 * as the page does; that message is answered once.
 *
 * Web clients come from many loopback addresses (a crowd is many addresses; the web chat limits
 * each), ten sessions to an address.
 *
 * The plan (who writes what, when, and when the kills fall) comes from a seeded RNG; the seed is
 * printed and in the test's name — `CRASH_SEED=<n> npx vitest run test/e2e/crash.test.ts` runs
 * the same plan again (the exact interleaving still depends on timing). With
 * CRASH_KEEP_EVIDENCE=1 a failure copies the data folder and every server's log to
 * `$TMPDIR/tipline-crash-<seed>-<time>/`.
 */
import Database from 'better-sqlite3';
import { randomInt } from 'node:crypto';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { IdentityVault } from '../../src/crypto.ts';
import { fetchFrom, newClientId, PNG_1x1, ROOT, startServer, WebClient, type Entry, type RunningServer, type SendBody } from '../helpers/server.ts';
import { inlineKeyboard, startTelegramEmulator, type BotMessage, type EmulatorUser, type TelegramEmulator } from '../helpers/telegram-emulator.ts';

// ───────────────────────────── the plan ─────────────────────────────

const SEED = process.env.CRASH_SEED !== undefined && process.env.CRASH_SEED !== '' ? Number(process.env.CRASH_SEED) >>> 0 : randomInt(2 ** 31);
console.log(`crash test seed: ${SEED}  (repeat with CRASH_SEED=${SEED})`);

/** How many of each, and how hard: sized to stay well under a minute on 2 cores. */
const WEB_FREE = 100;
const WEB_TIP = 50;
const TG_FREE = 70;
const TG_TIP = 30;
const WEB_PHOTOS = 2;
const TG_PHOTOS = 2;
const KILLS = 4;
/** Web reporters per client address (the web chat limits each address; a crowd has many). */
const PER_ADDRESS = 10;
/** How long one reporter waits for one answer before the test gives up on it. */
const ANSWER_TIMEOUT_MS = 20_000;

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rng = mulberry32(SEED);
const between = (lo: number, hi: number) => Math.round(lo + rng() * (hi - lo));

type Lang = 'en' | 'zh';
type Kind = 'web-free' | 'web-tip' | 'tg-free' | 'tg-tip';

interface Planned {
  marker: string;
  text: string;
}

interface Reporter {
  name: string;
  kind: Kind;
  lang: Lang;
  /** When it starts, from the first server's start (ms). */
  startAt: number;
  /** Pause before each message (ms). */
  think: number[];
  /** Free text: the messages; tip flow: [details] or [details, photo caption (Telegram)]. */
  messages: Planned[];
  child: number;
  photo: boolean;
  /** Web: the local address it connects from. Telegram: the user. */
  address?: string;
  user?: EmulatorUser;
  // filled in while running
  client?: WebClient;
  caseCode?: string;
  /** Web: clientIds of everything it posted, in order; and how many were commands (not echoed). */
  posted: string[];
  commands: number;
  /** Telegram: update ids it sent. */
  updates: number[];
}

const MARKER_RE = /mk[wt]\d+n\d+z/g;

const FREE_TEXT: Record<Lang, ((child: number) => string)[]> = {
  en: [
    (c) => `I saw a girl who looks like child ${c} at the bus station this morning`,
    () => 'She was with an older woman in a blue coat near the market',
    () => 'The woman bought milk and walked towards the river',
    () => 'They got on a bus going north after that',
    () => 'I can describe the woman if that helps',
  ],
  zh: [
    (c) => `我今天早上在汽车站看到一个很像${c}号的女孩`,
    () => '她和一个穿蓝色外套的老年妇女在市场附近',
    () => '那个女人买了牛奶以后往河边走了',
    () => '她们后来上了一辆往北开的公交车',
    () => '如果需要我可以描述那个女人的样子',
  ],
};
// Calm, past tips: an urgent one is opened at once and answered with its code twice by design.
const DETAILS: Record<Lang, string> = {
  en: 'Last month I saw a child who looked like this one at the market with an old woman',
  zh: '上个月在菜市场见过一个很像的孩子，和一个老太太在一起',
};
const CAPTION: Record<Lang, string> = { en: 'This is the photo I took of them', zh: '这是我拍到的照片' };
const withMarker = (lang: Lang, text: string, marker: string) => (lang === 'en' ? `${text}, note ${marker}` : `${text} 备注 ${marker}`);

interface KillPlan {
  /** Traffic time before the kill, from the (re)start being ready (ms). */
  upMs: number;
  /** The same, when this kill is the crash loop's: right after the restart (ms). */
  quickMs: number;
  /** Time the server stays down (ms). */
  downMs: number;
}

function makePlan(): { reporters: Reporter[]; kills: KillPlan[] } {
  const kills: KillPlan[] = [];
  for (let k = 0; k < KILLS; k++) kills.push({ upMs: between(k === 0 ? 1500 : 900, 2600), quickMs: between(0, 30), downMs: between(50, 600) });
  // Traffic spans the kills: restarts take about 1.2 s each.
  const span = kills.reduce((t, k) => t + k.upMs + k.downMs + 1200, 0);
  const reporters: Reporter[] = [];
  const add = (kind: Kind, count: number, photos: number) => {
    const photoAt = new Set<number>();
    while (photoAt.size < photos) photoAt.add(between(0, count - 1));
    for (let i = 0; i < count; i++) {
      const n = reporters.length;
      const lang: Lang = rng() < 0.5 ? 'zh' : 'en';
      const ch = kind.startsWith('web') ? 'w' : 't';
      const child = between(1, 11); // the sample catalogue (11 children) is loaded on first start
      const free = kind.endsWith('free');
      const messages: Planned[] = [];
      if (free) {
        const count = between(3, 5);
        for (let m = 0; m < count; m++) {
          const marker = `mk${ch}${n}n${m}z`;
          messages.push({ marker, text: withMarker(lang, FREE_TEXT[lang][m]!(child), marker) });
        }
      } else {
        const marker = `mk${ch}${n}n0z`;
        messages.push({ marker, text: withMarker(lang, DETAILS[lang], marker) });
        if (photoAt.has(i) && ch === 't') {
          const m2 = `mk${ch}${n}n1z`;
          messages.push({ marker: m2, text: withMarker(lang, CAPTION[lang], m2) });
        }
      }
      const steps = free ? messages.length : 9;
      const r: Reporter = {
        name: `${kind}#${n}`,
        kind,
        lang,
        startAt: between(0, Math.round(span * (free ? 0.9 : 0.6))),
        think: Array.from({ length: steps }, () => between(free ? 150 : 40, free ? 900 : 300)),
        messages,
        child,
        photo: photoAt.has(i),
        posted: [],
        commands: 0,
        updates: [],
      };
      if (kind.startsWith('web')) r.address = `127.0.${10 + Math.floor(n / PER_ADDRESS)}.${1 + (n % PER_ADDRESS)}`;
      else {
        const id = 880_000_000 + n;
        r.user = { id, first_name: `Reporter${n}`, username: `crash${n}`, language_code: lang === 'zh' ? 'zh-hans' : 'en' };
      }
      reporters.push(r);
    }
  };
  add('web-free', WEB_FREE, 0);
  add('web-tip', WEB_TIP, WEB_PHOTOS);
  add('tg-free', TG_FREE, 0);
  add('tg-tip', TG_TIP, TG_PHOTOS);
  return { reporters, kills };
}

// ───────────────────────────── helpers ─────────────────────────────

type Strings = Record<string, Record<string, string>>;
const BOT: Record<Lang, Strings> = {
  en: JSON.parse(readFileSync(path.join(ROOT, 'locales/en/bot.json'), 'utf8')) as Strings,
  zh: JSON.parse(readFileSync(path.join(ROOT, 'locales/zh-CN/bot.json'), 'utf8')) as Strings,
};
const stem = (s: string) => s.split('{{')[0]!.trim();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const CODE_IN_TEXT = /TL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}/;
const textOf = (m: BotMessage) => m.text ?? m.caption ?? '';
const buttonsOf = (m: BotMessage) => inlineKeyboard(m).flat().map((b) => b.callback_data);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** Counts of each string (a multiset). */
function tally(items: readonly string[]): Map<string, number> {
  const m = new Map<string, number>();
  for (const i of items) m.set(i, (m.get(i) ?? 0) + 1);
  return m;
}

/** How many of `a` are not matched in `b` (multiset difference size). */
function beyond(a: readonly string[], b: readonly string[]): number {
  const tb = tally(b);
  let n = 0;
  for (const [t, k] of tally(a)) n += Math.max(0, k - (tb.get(t) ?? 0));
  return n;
}

async function eventually(probe: () => boolean | Promise<boolean>, timeoutMs: number, what: () => string): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await probe()) return;
    } catch {
      /* the server may be starting */
    }
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what()}`);
    await sleep(200);
  }
}

/** One reporter identity's outbox rows, by state. */
interface ChatLedger {
  /** Texts of rows sent, or given up (dead) — each must have reached the reporter at least once. */
  done: string[];
  /** Texts of rows marked sent. */
  sent: string[];
  dead: { text: string; error: string | null }[];
  pending: number;
}

function openDb(file: string): Database.Database {
  return new Database(file, { readonly: true, fileMustExist: true });
}

/** One reporter's outbox rows, for a failure message (read while the server runs: WAL allows it). */
function outboxReport(file: string, lookupHash: Buffer): string {
  const db = openDb(file);
  try {
    const identity = db.prepare(`SELECT id FROM reporter_identities WHERE lookup_hash = ?`).get(lookupHash) as { id: number } | undefined;
    if (!identity) return '  (no identity in the store)';
    const rows = db.prepare(`SELECT * FROM outbox WHERE identity_id = ? ORDER BY id`).all(identity.id) as Record<string, unknown>[];
    return rows
      .map((r) => {
        const text = (JSON.parse(String(r.payload)) as { text: string }).text.slice(0, 50);
        return `  outbox #${r.id} ${r.state} attempts=${r.attempts} interrupted=${r.interrupted ?? '-'} ${r.last_error ?? ''} "${text}"`;
      })
      .join('\n');
  } finally {
    db.close();
  }
}

/** Outbox rows per identity lookup hash (hex), for one channel. */
function outboxByIdentity(db: Database.Database, channel: string): Map<string, ChatLedger> {
  const hashes = new Map<number, string>();
  for (const r of db.prepare(`SELECT id, lookup_hash FROM reporter_identities WHERE channel = ?`).all(channel) as { id: number; lookup_hash: Buffer }[]) {
    hashes.set(r.id, r.lookup_hash.toString('hex'));
  }
  const out = new Map<string, ChatLedger>();
  const rows = db
    .prepare(`SELECT identity_id, state, payload, last_error FROM outbox WHERE destination = 'reporter' AND channel = ? ORDER BY id`)
    .all(channel) as { identity_id: number; state: string; payload: string; last_error: string | null }[];
  for (const r of rows) {
    const key = hashes.get(r.identity_id) ?? `identity#${r.identity_id}`;
    let l = out.get(key);
    if (!l) out.set(key, (l = { done: [], sent: [], dead: [], pending: 0 }));
    const text = (JSON.parse(r.payload) as { text: string }).text;
    if (r.state === 'pending') l.pending++;
    else l.done.push(text);
    if (r.state === 'sent') l.sent.push(text);
    if (r.state === 'dead') l.dead.push({ text, error: r.last_error });
  }
  return out;
}

/**
 * With CRASH_KEEP_EVIDENCE=1, copies the data folder and every server's log to a folder named
 * after the seed, so a failure can be looked into after the temp folder is gone. Returns a line
 * saying where (or how to get it).
 */
function keepEvidence(dir: string, servers: readonly RunningServer[]): string {
  if (process.env.CRASH_KEEP_EVIDENCE !== '1') {
    return `seed ${SEED}: CRASH_SEED=${SEED} CRASH_KEEP_EVIDENCE=1 npx vitest run test/e2e/crash.test.ts keeps the database and server logs`;
  }
  const to = path.join(tmpdir(), `tipline-crash-${SEED}-${Date.now()}`);
  try {
    mkdirSync(to, { recursive: true });
    cpSync(dir, path.join(to, 'data'), { recursive: true });
    servers.forEach((s, i) => writeFileSync(path.join(to, `server-${i}.stderr.log`), s.stderr()));
    return `evidence (database, key, server logs): ${to}`;
  } catch (err) {
    return `could not keep evidence: ${(err as Error).message}`;
  }
}

/** A reporter that waited too long for an answer: recorded, and the test goes on to find out why. */
class Stuck extends Error {}

// ───────────────────────────── the test ─────────────────────────────

let halted = false;
const started: RunningServer[] = [];
const fetchers: { close(): void }[] = [];
let tg: TelegramEmulator | undefined;

afterEach(async () => {
  halted = true; // reporters still running (after a failure) stop at their next step
  // Newest first: a restart that reuses the data folder stops before the first one removes it.
  while (started.length) await started.pop()!.stop('SIGKILL');
  for (const f of fetchers.splice(0)) f.close();
});
afterAll(async () => {
  await tg?.stop();
});

interface KillRecord {
  /** ms from the test's start. */
  at: number;
  /** The crash loop's kill (right after a restart). */
  quick: boolean;
  webPostsInFlight: number;
  tgUpdatesPending: number;
  /** Sends of the dead process still arriving at the emulator. */
  tgSendsArriving: number;
  outboxPending: number;
  /** Rows the store marks as being sent (when it does). */
  outboxInFlight: number | null;
  inFlightByChannel?: Record<string, number>;
  /** Copies Telegram holds that no row marked sent accounts for, all chats (grows only at kills). */
  unrecorded: number;
}

describe('crash safety under load', () => {
  it(`SIGKILL at random moments loses nothing accepted and doubles nothing (seed ${SEED})`, { timeout: 120_000 }, async () => {
    const t0 = Date.now();
    const { reporters, kills } = makePlan();
    tg = await startTelegramEmulator();
    const emu = tg;
    const port = await freePort();
    const env = {
      PORT: String(port),
      TELEGRAM_BOT_TOKEN: emu.token,
      TELEGRAM_API_ROOT: emu.apiRoot,
      TELEGRAM_LIBRARY: 'grammy',
      // Telegram's pace scaled up (as the drain benchmark does) so the run stays short; the
      // pacing itself is tested elsewhere. Still a limiter, with sends waiting in it at a kill.
      TELEGRAM_RATE_GLOBAL: '150',
      TELEGRAM_RATE_PER_CHAT: '10',
    };
    let server = await startServer({ env });
    started.push(server);
    const servers: RunningServer[] = [server];
    const dir = server.dir;
    const dbFile = server.env.TIPLINE_DB!;
    const keyFile = path.join(dir, 'secret.key');
    const secret = readFileSync(keyFile, 'utf8');
    const vault = new IdentityVault(secret.trim());
    const url = server.url;
    expect(url).toBe(`http://127.0.0.1:${port}/`);
    const webHash = (r: Reporter) => vault.lookupHash('webchat', r.client!.cookie!.slice(r.client!.cookie!.indexOf('=') + 1));
    const tgHash = (r: Reporter) => vault.lookupHash('telegram', String(r.user!.id));

    try {
      // ── web chat reporters ──
      const fetchByAddress = new Map<string, ReturnType<typeof fetchFrom>>();
      const fetcherFor = (address: string) => {
        let f = fetchByAddress.get(address);
        if (!f) {
          fetchByAddress.set(address, (f = fetchFrom(address, { timeoutMs: 20_000 })));
          fetchers.push(f);
        }
        return f;
      };
      const stats = { webPostAttempts: 0, webNetworkFailures: 0, retriedThenDuplicate: 0, retriedThenFresh: 0, busy: 0, webInFlight: 0 };

      /** POSTs until answered 202, retrying the same clientId through kills, as the page does. */
      async function post(r: Reporter, body: SendBody | { photo: Uint8Array }): Promise<void> {
        const c = r.client!;
        const clientId = newClientId();
        r.posted.push(clientId);
        let failures = 0;
        const deadline = Date.now() + ANSWER_TIMEOUT_MS;
        for (;;) {
          if (halted) throw new Error('halted');
          let res: { status: number; body: Record<string, unknown> };
          stats.webInFlight++;
          stats.webPostAttempts++;
          try {
            res = 'photo' in body ? await c.photo(body.photo, 'image/png', clientId) : await c.send(body, clientId);
          } catch (err) {
            failures++;
            stats.webNetworkFailures++;
            if (Date.now() > deadline) throw new Stuck(`${r.name}: POST ${JSON.stringify(body).slice(0, 80)} never answered: ${(err as Error).message}`);
            await sleep(100 + Math.random() * 200);
            continue;
          } finally {
            stats.webInFlight--;
          }
          if (res.status === 202) {
            if (failures > 0) {
              if (res.body.duplicate === true) stats.retriedThenDuplicate++;
              else stats.retriedThenFresh++;
            }
            return;
          }
          if ((res.status === 429 || res.status === 503) && Date.now() < deadline) {
            stats.busy++;
            await sleep(800 + Math.random() * 400);
            continue;
          }
          throw new Error(`${r.name}: POST ${JSON.stringify(body).slice(0, 80)} answered ${res.status} ${JSON.stringify(res.body)}`);
        }
      }

      async function openSession(r: Reporter): Promise<void> {
        const c = new WebClient(url, undefined, { fetch: fetcherFor(r.address!) });
        r.client = c;
        const deadline = Date.now() + ANSWER_TIMEOUT_MS;
        for (;;) {
          if (halted) throw new Error('halted');
          try {
            await c.session(r.lang === 'zh' ? 'zh-CN' : 'en');
            if (c.cookie) return;
          } catch (err) {
            if (Date.now() > deadline) throw new Stuck(`${r.name}: no session: ${(err as Error).message}`);
          }
          await sleep(150 + Math.random() * 150);
        }
      }

      /** Polls the transcript after `cursor` for a bot entry matching `pred`; moves the cursor to it. */
      async function waitWeb(r: Reporter, cursor: { seq: number }, pred: (e: Entry) => boolean, what: string): Promise<Entry> {
        const deadline = Date.now() + ANSWER_TIMEOUT_MS;
        let last: Entry[] = [];
        for (;;) {
          if (halted) throw new Error('halted');
          try {
            last = await r.client!.history(cursor.seq);
            const hit = last.find((e) => e.from === 'bot' && pred(e));
            if (hit) {
              cursor.seq = hit.seq;
              return hit;
            }
          } catch {
            /* down: a kill */
          }
          if (Date.now() > deadline) {
            throw new Stuck(
              `${r.name} (${r.lang}) waited ${ANSWER_TIMEOUT_MS} ms for ${what}; transcript after #${cursor.seq}:\n` +
                last.map((e) => `  #${e.seq} ${e.from}: ${e.text.slice(0, 100)}`).join('\n') +
                `\nits outbox:\n${outboxReport(dbFile, webHash(r))}`,
            );
          }
          await sleep(200 + Math.random() * 150);
        }
      }

      async function webFree(r: Reporter): Promise<void> {
        await openSession(r);
        for (let i = 0; i < r.messages.length; i++) {
          await sleep(r.think[i]!);
          await post(r, { text: r.messages[i]!.text });
        }
      }

      async function webTip(r: Reporter): Promise<void> {
        const L = BOT[r.lang];
        await openSession(r);
        const cursor = { seq: 0 };
        let t = 0;
        const step = async (body: SendBody | { photo: Uint8Array }, pred: (e: Entry) => boolean, what: string) => {
          await sleep(r.think[t++]!);
          if ('command' in body) r.commands++;
          await post(r, body);
          return waitWeb(r, cursor, pred, what);
        };
        const has = (s: string) => (e: Entry) => e.text.includes(s);
        await step({ command: 'start' }, (e) => !!e.choices?.some((c) => c.id === 'menu:tip'), 'the menu');
        await step({ action: 'menu:tip' }, has(L.tip!.ask_child!), 'ask_child');
        await step({ text: String(r.child) }, has(L.tip!.ask_details!), 'ask_details');
        await step({ text: r.messages[0]!.text }, has(L.tip!.ask_photos!), 'ask_photos');
        if (r.photo) await step({ photo: PNG_1x1 }, (e) => e.text.startsWith(stem(L.photos!.received!)), 'photos.received');
        await step({ action: 'done' }, has(L.contact!.ask!), 'contact.ask');
        await step({ action: 'contact:no' }, has(L.confirm!.anonymous!), 'confirm.anonymous');
        const done = await step({ action: 'confirm:send' }, (e) => !!e.caseCode, 'the case code');
        r.caseCode = done.caseCode;
      }

      // ── Telegram reporters ──
      async function tgFree(r: Reporter): Promise<void> {
        for (let i = 0; i < r.messages.length; i++) {
          await sleep(r.think[i]!);
          if (halted) throw new Error('halted');
          r.updates.push(emu.userText(r.user!, r.messages[i]!.text).update_id);
        }
      }

      async function tgTip(r: Reporter): Promise<void> {
        const L = BOT[r.lang];
        const u = r.user!;
        let seen = 0;
        let t = 0;
        const waitTg = async (pred: (m: BotMessage) => boolean, what: string): Promise<BotMessage> => {
          const deadline = Date.now() + ANSWER_TIMEOUT_MS;
          for (;;) {
            if (halted) throw new Error('halted');
            const msgs = emu.botMessages(u.id);
            for (let i = seen; i < msgs.length; i++) {
              if (pred(msgs[i]!)) {
                seen = i + 1;
                return msgs[i]!;
              }
            }
            if (Date.now() > deadline) {
              const pending = emu.pendingUpdates().filter((x) => JSON.stringify(x).includes(`"id":${u.id},`));
              throw new Stuck(
                `${r.name} (${r.lang}, chat ${u.id}) waited ${ANSWER_TIMEOUT_MS} ms for ${what}; its updates ${r.updates.join(',')}, ` +
                  `still pending at the emulator: ${pending.map((x) => x.update_id).join(',') || 'none'}; bot messages:\n` +
                  msgs.map((m) => `  ${textOf(m).slice(0, 100)}`).join('\n') +
                  `\nits outbox:\n${outboxReport(dbFile, tgHash(r))}`,
              );
            }
            await sleep(120);
          }
        };
        const act = async (send: () => { update_id: number }, pred: (m: BotMessage) => boolean, what: string) => {
          await sleep(r.think[t++]!);
          if (halted) throw new Error('halted');
          r.updates.push(send().update_id);
          return waitTg(pred, what);
        };
        const press = (data: string) => () => {
          const withButton = [...emu.botMessages(u.id)].reverse().find((m) => buttonsOf(m).includes(data));
          if (!withButton) throw new Error(`${r.name}: no bot message with the button ${data}`);
          return emu.userCallback(u, data, withButton.message_id);
        };
        const has = (s: string) => (m: BotMessage) => textOf(m).includes(s);
        await act(() => emu.userCommand(u, '/start'), (m) => buttonsOf(m).includes('menu:tip'), 'the menu');
        await act(press('menu:tip'), has(L.tip!.ask_child!), 'ask_child');
        await act(() => emu.userText(u, String(r.child)), has(L.tip!.ask_details!), 'ask_details');
        await act(() => emu.userText(u, r.messages[0]!.text), has(L.tip!.ask_photos!), 'ask_photos');
        if (r.photo) {
          await act(() => emu.userPhoto(u, PNG_1x1, { caption: r.messages[1]!.text }), (m) => textOf(m).startsWith(stem(L.photos!.received!)), 'photos.received');
        }
        await act(press('done'), has(L.contact!.ask!), 'contact.ask');
        await act(press('contact:no'), has(L.confirm!.anonymous!), 'confirm.anonymous');
        const done = await act(press('confirm:send'), (m) => CODE_IN_TEXT.test(textOf(m)), 'the case code');
        r.caseCode = textOf(done).match(CODE_IN_TEXT)![0];
      }

      const run = { 'web-free': webFree, 'web-tip': webTip, 'tg-free': tgFree, 'tg-tip': tgTip } as const;
      let firstFailure: Error | undefined;
      const stuck: string[] = [];
      const traffic = Promise.all(
        reporters.map(async (r) => {
          await sleep(r.startAt);
          try {
            await run[r.kind](r);
          } catch (err) {
            if (err instanceof Stuck) stuck.push(err.message);
            else if (!firstFailure && (err as Error).message !== 'halted') {
              firstFailure = err as Error;
              halted = true;
            }
          }
        }),
      );

      // ── the kills ──
      const killLog: KillRecord[] = [];
      const chatOf = new Map(reporters.filter((r) => r.user).map((r) => [tgHash(r).toString('hex'), r.user!.id]));
      const unrecordedCopies = (db: Database.Database): number => {
        let n = 0;
        for (const [hash, l] of outboxByIdentity(db, 'telegram')) {
          const chat = chatOf.get(hash);
          if (chat !== undefined) n += beyond(emu.botMessages(chat).map(textOf), l.sent);
        }
        return n;
      };
      const sendsArriving = () => emu.requestsInProgress('sendMessage') + emu.requestsInProgress('sendPhoto');
      /** Waits (up to `ms`) until the store marks rows as being sent, when it marks them. */
      const sendsUnderWay = async (ms: number) => {
        const db = openDb(dbFile);
        try {
          const cols = (db.prepare(`PRAGMA table_info(outbox)`).all() as { name: string }[]).map((c) => c.name);
          if (!cols.includes('in_flight_since')) return;
          const count = db.prepare(`SELECT count(*) n FROM outbox WHERE state = 'pending' AND in_flight_since IS NOT NULL`);
          const until = Date.now() + ms;
          while (Date.now() < until && (count.get() as { n: number }).n === 0) await sleep(2);
        } finally {
          db.close();
        }
      };
      let crashLoop = false;
      for (const [k, plan] of kills.entries()) {
        // Once, after a kill that cut many sends short (any, at the last kill), the next kill comes
        // right after the restart, as soon as sends are under way again — a crash loop, as under a
        // supervisor that restarts at once.
        const before = killLog.at(-1);
        const cut = before ? (before.outboxInFlight ?? before.outboxPending) : 0;
        const quick: boolean = !crashLoop && cut >= (k === KILLS - 1 ? 1 : 10);
        crashLoop ||= quick;
        await sleep(quick ? plan.quickMs : plan.upMs);
        if (quick) await sendsUnderWay(1000);
        // Then the first moment something is under way: a POST, an update, a send.
        const busyBy = Date.now() + (quick ? 0 : 1500);
        while (Date.now() < busyBy && stats.webInFlight + emu.pendingUpdates().length + sendsArriving() === 0) await sleep(3);
        if (halted) break;
        const rec: Partial<KillRecord> = { at: Date.now() - t0, quick, webPostsInFlight: stats.webInFlight, tgUpdatesPending: emu.pendingUpdates().length };
        await server.kill();
        expect(server.proc.signalCode, `kill ${k + 1}`).toBe('SIGKILL');
        // What the dead process had already handed over still completes at the emulator.
        rec.tgSendsArriving = sendsArriving();
        await eventually(() => sendsArriving() === 0, 5000, () => 'the sends of the killed server to settle');
        await sleep(50);
        const db = openDb(dbFile);
        try {
          rec.outboxPending = (db.prepare(`SELECT count(*) n FROM outbox WHERE state = 'pending'`).get() as { n: number }).n;
          const cols = (db.prepare(`PRAGMA table_info(outbox)`).all() as { name: string }[]).map((c) => c.name);
          rec.outboxInFlight = cols.includes('in_flight_since')
            ? (db.prepare(`SELECT count(*) n FROM outbox WHERE state = 'pending' AND in_flight_since IS NOT NULL`).get() as { n: number }).n
            : null;
          if (cols.includes('interrupted')) {
            const rows = db
              .prepare(`SELECT channel, interrupted, count(*) n FROM outbox WHERE state = 'pending' AND in_flight_since IS NOT NULL GROUP BY 1, 2`)
              .all() as { channel: string; interrupted: number; n: number }[];
            rec.inFlightByChannel = Object.fromEntries(rows.map((r) => [`${r.channel}${r.interrupted ? ' (interrupted before)' : ''}`, r.n]));
          }
          rec.unrecorded = unrecordedCopies(db);
        } finally {
          db.close();
        }
        killLog.push(rec as KillRecord);
        console.log(`kill ${k + 1}: ${JSON.stringify(rec)}`);
        await sleep(plan.downMs);
        server = await startServer({ dir, env });
        started.push(server);
        servers.push(server);
        expect(server.url, 'the same address after a restart').toBe(url);
      }

      await traffic;
      if (firstFailure) throw firstFailure;
      const trafficDoneMs = Date.now() - t0;

      // ── drain: every update taken, every reply sent ──
      const health = async () => (await (await fetch(new URL('/healthz', url))).json()) as { outbox: { pending: number } };
      await eventually(() => emu.pendingUpdates().length === 0, 20_000, () => `the bot to take every update (${emu.pendingUpdates().length} pending)`);
      await eventually(async () => (await health()).outbox.pending === 0, 30_000, () => 'the outbox to drain');
      // Free-text answers may still be on their way (best effort: what is missing is named below).
      const codeEntries = (h: Entry[]) => h.filter((e) => e.from === 'bot' && e.caseCode);
      const answered = async (r: Reporter) =>
        r.client
          ? codeEntries(await r.client.history(0)).length >= r.messages.length
          : emu.botMessages(r.user!.id).filter((m) => CODE_IN_TEXT.test(textOf(m))).length >= r.messages.length;
      const until = Date.now() + 10_000;
      for (const r of reporters.filter((x) => x.kind.endsWith('free'))) {
        while (Date.now() < until && !(await answered(r))) await sleep(200);
      }
      await sleep(800); // a late second delivery would show by now
      expect((await health()).outbox.pending, 'nothing left to send').toBe(0);

      // What the reporters see.
      const transcripts = new Map<Reporter, Entry[]>();
      for (const r of reporters) if (r.client) transcripts.set(r, await r.client.history(0));
      const chats = new Map<Reporter, BotMessage[]>();
      for (const r of reporters) if (r.user) chats.set(r, emu.botMessages(r.user.id));
      expect(emu.pendingUpdates(), 'updates the bot never took').toEqual([]);

      // ── a clean stop, then the store itself ──
      started.splice(started.indexOf(server), 1);
      expect(await server.stop('SIGTERM'), 'SIGTERM drains and exits 0').toBe(0);
      expect(readFileSync(keyFile, 'utf8'), 'the generated key was kept').toBe(secret);

      const db = openDb(dbFile);
      const q = <T>(sql: string, ...params: unknown[]) => db.prepare(sql).all(...params) as T[];
      let webLedger: Map<string, ChatLedger>;
      let tgLedger: Map<string, ChatLedger>;
      let messages: { text: string; case_id: number; reporter_id: number }[];
      let cases: { id: number; code: string; reporter_id: number; category: string; children: string; details: string }[];
      let identities: { channel: string; n: number }[];
      let photos: { code: string; n: number }[];
      let processed: { channel: string; n: number }[];
      let outboxStates: { state: string; n: number }[];
      try {
        webLedger = outboxByIdentity(db, 'webchat');
        tgLedger = outboxByIdentity(db, 'telegram');
        messages = q(`SELECT m.text, m.case_id, c.reporter_id FROM case_messages m JOIN cases c ON c.id = m.case_id WHERE m.direction = 'in' AND m.author = 'reporter'`);
        cases = q(`SELECT id, code, reporter_id, category, children, details FROM cases`);
        identities = q(`SELECT channel, count(*) n FROM reporter_identities GROUP BY channel ORDER BY channel`);
        photos = q(`SELECT c.code, count(*) n FROM attachments a JOIN cases c ON c.id = a.case_id GROUP BY c.code`);
        processed = q(`SELECT 'webchat' channel, count(*) n FROM processed_inbound WHERE key LIKE 'webchat:%' UNION ALL
                       SELECT 'telegram', count(*) FROM processed_inbound WHERE key LIKE 'telegram:%'`);
        outboxStates = q(`SELECT state, count(*) n FROM outbox GROUP BY state ORDER BY state`);
      } finally {
        db.close();
      }

      // ── replies: every outbox row reached its reporter; the web chat never twice ──
      const deadRows = [...webLedger.values(), ...tgLedger.values()].flatMap((l) => l.dead);
      let duplicates = 0;
      const duplicateDetail: string[] = [];
      const lost: string[] = [];
      const webNotOnce: string[] = [];
      for (const [r, h] of transcripts) {
        const l = webLedger.get(webHash(r).toString('hex'));
        expect(l, `${r.name}: outbox rows`).toBeDefined();
        const shown = h.filter((e) => e.direction === 'out').map((e) => e.text);
        for (const [text, n] of tally(l!.done)) {
          const got = shown.filter((x) => x === text).length;
          if (got < n) lost.push(`${r.name} (web): "${text.slice(0, 60)}" ${got}/${n}; dead rows: ${JSON.stringify(l!.dead)}`);
        }
        // The web chat shows each row exactly once: no copy, nothing that is no row.
        if (beyond(shown, l!.done) > 0) webNotOnce.push(`${r.name}: ${JSON.stringify([...tally(shown)].filter(([t, n]) => n > (tally(l!.done).get(t) ?? 0)))}`);
      }
      for (const [r, msgs] of chats) {
        const l = tgLedger.get(tgHash(r).toString('hex'));
        expect(l, `${r.name}: outbox rows`).toBeDefined();
        const got = tally(msgs.map(textOf));
        const want = tally(l!.done);
        for (const [text, n] of want) {
          if ((got.get(text) ?? 0) < n) lost.push(`${r.name} (chat ${r.user!.id}): "${text.slice(0, 60)}" ${got.get(text) ?? 0}/${n}; dead rows: ${JSON.stringify(l!.dead)}`);
        }
        for (const [text, n] of got) {
          expect(want.has(text), `${r.name}: "${text.slice(0, 60)}" reached the chat but is no outbox row`).toBe(true);
          const extra = n - (want.get(text) ?? 0);
          // At most once more: never more extra copies than rows with that text.
          expect(extra, `${r.name}: "${text.slice(0, 60)}" ${n} times for ${want.get(text)} row(s)`).toBeLessThanOrEqual(want.get(text) ?? 0);
          if (extra > 0) {
            duplicates += extra;
            duplicateDetail.push(`${r.name}: ${extra}× "${text.slice(0, 50)}"`);
          }
        }
      }
      const unrecordedAtLastKill = killLog.at(-1)?.unrecorded ?? 0;
      console.log(
        JSON.stringify(
          {
            seed: SEED,
            reporters: { webFree: WEB_FREE, webTip: WEB_TIP, tgFree: TG_FREE, tgTip: TG_TIP },
            markedMessages: reporters.reduce((n, r) => n + r.messages.length, 0),
            webMessages: reporters.reduce((n, r) => n + r.posted.length, 0),
            tgUpdates: reporters.reduce((n, r) => n + r.updates.length, 0),
            kills: killLog,
            web: stats,
            outbox: Object.fromEntries(outboxStates.map((s) => [s.state, s.n])),
            deadRows: Object.fromEntries(tally(deadRows.map((d) => d.error ?? ''))),
            telegramDuplicates: duplicates,
            duplicateDetail: duplicateDetail.slice(0, 10),
            stuckReporters: stuck.length,
            trafficDoneMs,
            totalMs: Date.now() - t0,
          },
          null,
          1,
        ),
      );
      // BUG: fails whenever two kills come close together (the "crash loop" kill of the plan):
      // the dispatcher marks a row in flight when it claims it (src/dispatcher.ts #pump →
      // outbox.claim), before the row has waited its turn in the Telegram limiter; at a kill every
      // claimed row counts as "interrupted while sending" though most never reached Telegram, and
      // at the next restart outbox.recoverInterrupted marks those interrupted a second time dead
      // ("interrupted twice … not sent again"): the reporter never gets that reply.
      expect(lost, 'replies the outbox sent or gave up on that never reached the reporter').toEqual([]);
      expect(stuck, 'reporters left waiting for an answer').toEqual([]);
      expect(webNotOnce, 'web transcripts showing a reply twice, or one that is no outbox row').toEqual([]);
      // A Telegram duplicate only where a kill cut a send's bookkeeping after Telegram had it.
      expect(duplicates, `Telegram duplicates: ${duplicateDetail.join('; ')}`).toBeLessThanOrEqual(unrecordedAtLastKill);
      expect(outboxStates.find((s) => s.state === 'pending'), 'rows left unsent').toBeUndefined();

      // ── the store: every accepted message exactly once, in its reporter's one case ──
      const byMarker = new Map<string, { case_id: number; reporter_id: number }[]>();
      const unmarked: string[] = [];
      for (const m of messages) {
        const found = m.text.match(MARKER_RE) ?? [];
        if (found.length === 0) unmarked.push(m.text);
        for (const mk of found) byMarker.set(mk, [...(byMarker.get(mk) ?? []), { case_id: m.case_id, reporter_id: m.reporter_id }]);
      }
      const planned = reporters.flatMap((r) => r.messages.map((m) => m.marker));
      expect(planned.filter((mk) => !byMarker.has(mk)), 'accepted messages missing from the store').toEqual([]);
      expect(planned.filter((mk) => byMarker.get(mk)!.length > 1), 'messages stored twice').toEqual([]);
      expect(unmarked, 'reporter messages nobody sent').toEqual([]);
      expect(byMarker.size, 'no marker we did not send').toBe(planned.length);
      expect(messages.length).toBe(planned.length);
      expect(processed, 'every accepted message processed once').toEqual([
        { channel: 'webchat', n: reporters.reduce((n, r) => n + r.posted.length, 0) },
        { channel: 'telegram', n: reporters.reduce((n, r) => n + r.updates.length, 0) },
      ]);
      expect(identities, 'one identity per reporter: the kept key opened them all after each restart').toEqual([
        { channel: 'telegram', n: TG_FREE + TG_TIP },
        { channel: 'webchat', n: WEB_FREE + WEB_TIP },
      ]);
      const reporterIds = new Set<number>();
      for (const r of reporters) {
        const where = `${r.name} (${r.lang})`;
        const homes = r.messages.flatMap((m) => byMarker.get(m.marker)!);
        const rid = new Set(homes.map((h) => h.reporter_id));
        expect(rid.size, `${where}: one reporter`).toBe(1);
        const reporterId = [...rid][0]!;
        expect(reporterIds.has(reporterId), `${where}: a reporter of its own`).toBe(false);
        reporterIds.add(reporterId);
        const theirs = cases.filter((c) => c.reporter_id === reporterId);
        expect(theirs.length, `${where}: exactly one case`).toBe(1);
        const c = theirs[0]!;
        r.caseCode ??= c.code;
        expect(c.code, `${where}: the case it was told`).toBe(r.caseCode);
        expect(new Set(homes.map((h) => h.case_id)), `${where}: all its messages in its case`).toEqual(new Set([c.id]));
        expect(c.category, where).toBe('tip');
        expect(JSON.parse(c.children) as number[], where).toContain(r.child);
        if (r.kind.endsWith('tip')) expect((JSON.parse(c.details) as { incomplete?: boolean }).incomplete, `${where}: a finished report`).toBeUndefined();
      }
      expect(cases.length, 'no case beyond one per reporter').toBe(reporters.length);
      expect(Object.fromEntries(photos.map((p) => [p.code, p.n])), 'one attachment per photo').toEqual(
        Object.fromEntries(reporters.filter((r) => r.photo).map((r) => [r.caseCode, 1])),
      );

      // ── the web transcripts: each message shown once, each question asked once ──
      for (const [r, h] of transcripts) {
        const where = `${r.name} (${r.lang})`;
        expect(new Set(h.map((e) => e.seq)).size, `${where}: an entry twice`).toBe(h.length);
        const mine = h.filter((e) => e.direction === 'in');
        for (const m of r.messages) expect(mine.filter((e) => e.text === m.text).length, `${where}: echo of ${m.marker}`).toBe(1);
        // Every POST echoed once (a command is not echoed; a photo is a photo bubble).
        expect(mine.length, `${where}: echoes`).toBe(r.posted.length - r.commands);
        const codes = codeEntries(h);
        expect(new Set(codes.map((e) => e.caseCode)), `${where}: one case`).toEqual(new Set([r.caseCode]));
        if (r.kind === 'web-free') {
          expect(codes.length, `${where}: one case-code answer per message`).toBe(r.messages.length);
        } else {
          const L = BOT[r.lang];
          const bot = h.filter((e) => e.from === 'bot');
          expect(codes.length, `${where}: submitted once`).toBe(1);
          for (const prompt of [L.tip!.ask_child!, L.tip!.ask_details!, L.contact!.ask!, L.confirm!.anonymous!]) {
            expect(bot.filter((e) => e.text.includes(prompt)).length, `${where}: "${prompt.slice(0, 30)}…" once`).toBe(1);
          }
          expect(bot.filter((e) => e.text.startsWith(stem(L.photos!.received!))).length, `${where}: photo receipts`).toBe(r.photo ? 1 : 0);
        }
      }

      // ── the Telegram chats: the case each reporter was told is theirs ──
      for (const [r, msgs] of chats) {
        const codes = new Set(msgs.map((m) => textOf(m).match(CODE_IN_TEXT)?.[0]).filter((c): c is string => !!c));
        expect(codes, `${r.name}: one case code in its chat`).toEqual(new Set([r.caseCode]));
        if (r.kind === 'tg-free') expect(msgs.filter((m) => CODE_IN_TEXT.test(textOf(m))).length, `${r.name}: answers`).toBeGreaterThanOrEqual(r.messages.length);
      }

      // The kills hit work in flight.
      expect(killLog).toHaveLength(KILLS);
      for (const k of killLog) expect(k.webPostsInFlight + k.tgUpdatesPending + k.tgSendsArriving + k.outboxPending, `kill at ${k.at} ms hit traffic`).toBeGreaterThan(0);
    } catch (err) {
      halted = true;
      if (err instanceof Error) err.message += `\n${keepEvidence(dir, servers)}`;
      throw err;
    }
  });
});
