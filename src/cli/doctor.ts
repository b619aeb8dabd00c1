/**
 * `tipline doctor`: checks configuration, files and reachability, one line each
 * (`ok`, `warn` or `FAIL`), and exits non-zero if anything failed. Prints no secret.
 */
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { IdentityVault, SECRET_FILE } from '../crypto.ts';
import { MIGRATIONS } from '../store/migrations/index.ts';
import { Store } from '../store/index.ts';
import { readLocaleResources } from '../i18n/index.ts';

type Level = 'ok' | 'warn' | 'FAIL';
type Line = (level: Level, name: string, message: string) => void;

class SkipDatabase extends Error {}

/** Telegram: off, or the token answers getMe (the token itself is never printed). */
async function checkTelegram(config: Config, line: Line): Promise<void> {
  const t = config.telegram;
  if (!t) return line('ok', 'telegram', 'off (TELEGRAM_BOT_TOKEN unset)');
  const root = t.apiRoot ?? 'https://api.telegram.org';
  const mode = t.webhookUrl ? `webhook at ${new URL(t.webhookUrl).pathname}` : 'long polling';
  try {
    const res = await fetch(`${root}/bot${t.token}/getMe`, { signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { ok?: boolean; result?: { username?: string }; description?: string };
    if (body.ok) line('ok', 'telegram', `@${body.result?.username ?? '?'} via ${t.library}, ${mode}`);
    else line('FAIL', 'telegram', `TELEGRAM_BOT_TOKEN: Telegram says ${res.status} ${body.description ?? ''}`.trim());
  } catch {
    line('FAIL', 'telegram', `cannot reach ${root} (TELEGRAM_API_ROOT?)`);
  }
}

/** Slack: off, or the bot token answers auth.test (the token itself is never printed). */
async function checkSlack(config: Config, line: Line): Promise<void> {
  const s = config.slack;
  if (!s) return line('ok', 'slack', 'off (SLACK_BOT_TOKEN unset); caseworkers use npx tipline');
  const root = s.apiUrl ? (s.apiUrl.endsWith('/') ? s.apiUrl : `${s.apiUrl}/`) : 'https://slack.com/api/';
  const mode = s.signingSecret ? 'HTTP mode (/slack/events)' : 'Socket Mode';
  try {
    const res = await fetch(`${root}auth.test`, { method: 'POST', headers: { Authorization: `Bearer ${s.botToken}` }, signal: AbortSignal.timeout(5000) });
    const body = (await res.json()) as { ok?: boolean; team?: string; error?: string };
    if (body.ok) line('ok', 'slack', `${body.team ?? 'workspace'}, ${mode}, queue ${s.channel}`);
    else line('FAIL', 'slack', `SLACK_BOT_TOKEN: Slack says ${body.error ?? res.status}`);
  } catch {
    line('FAIL', 'slack', `cannot reach ${root} (SLACK_API_URL?)`);
  }
}

/** The key: present, private, and the one that opens the stored identities. */
function checkSecret(config: Config, store: Store, line: Line): void {
  const sample = store.reporters.anyIdentity();
  const file = path.join(config.dataDir, SECRET_FILE);
  const name = config.secret ? 'TIPLINE_SECRET' : file;
  let secret: string;
  if (config.secret) {
    secret = config.secret;
  } else if (!existsSync(file)) {
    if (sample) return line('FAIL', 'secret', `${file} is missing but the database holds encrypted identities: restore it from backup`);
    return line('warn', 'secret', `${file} will be created at first start (back it up with the database)`);
  } else {
    const mode = statSync(file).mode & 0o777;
    if (mode & 0o077) line('FAIL', 'secret', `${file} has mode ${mode.toString(8)}; run chmod 600 ${file}`);
    secret = readFileSync(file, 'utf8').trim();
  }
  if (!sample) return line('ok', 'secret', `${name} (no identities stored yet)`);
  try {
    new IdentityVault(secret).decrypt(sample.sender_enc);
    line('ok', 'secret', `${name} opens the stored identities`);
  } catch {
    line('FAIL', 'secret', `${name} does not open the stored identities: restore the original key`);
  }
}

export async function runDoctor(config: Config, out: (s: string) => void): Promise<number> {
  let failed = false;
  const line: Line = (level, name, message) => {
    if (level === 'FAIL') failed = true;
    out(`${level.padEnd(4)}  ${name.padEnd(10)} ${message}`);
  };

  line('ok', 'config', `valid; HTTP on ${config.host}:${config.port}, default language ${config.defaultLocale}, emergency number ${config.emergencyNumber}`);

  try {
    if (existsSync(config.dataDir)) {
      accessSync(config.dataDir, constants.W_OK);
      line('ok', 'data', `${config.dataDir} is writable`);
    } else {
      accessSync(path.dirname(config.dataDir), constants.W_OK);
      line('warn', 'data', `${config.dataDir} does not exist yet; npm start creates it`);
    }
  } catch (e) {
    line('FAIL', 'data', `TIPLINE_DB: folder ${config.dataDir} is not writable (${(e as NodeJS.ErrnoException).code})`);
  }

  let store: Store | undefined;
  try {
    if (!existsSync(config.dbPath)) {
      line('warn', 'database', `${config.dbPath} does not exist yet: npm start creates it (wrong folder? set TIPLINE_DB)`);
      throw new SkipDatabase();
    }
    store = Store.open(config.dbPath);
    const version = store.db.pragma('user_version', { simple: true }) as number;
    const check = store.db.pragma('quick_check', { simple: true }) as string;
    if (check !== 'ok') line('FAIL', 'database', `${config.dbPath}: integrity check says ${check}`);
    else line('ok', 'database', `${config.dbPath} schema ${version}/${MIGRATIONS.length}, WAL`);
    checkSecret(config, store, line);
    const counts = store.cases.counts();
    const depth = store.outbox.depth();
    line('ok', 'queue', `${counts.total - (counts.byStatus.closed ?? 0)} open cases, ${counts.urgentOpen} urgent`);
    const age = (at: string | null) => (at ? Math.round((Date.now() - Date.parse(at)) / 1000) : 0);
    const oldest = age(depth.oldestPendingAt);
    const level: Level = depth.dead > 0 || oldest > 300 ? 'warn' : 'ok';
    const perChannel = Object.entries(depth.channels)
      .map(([ch, d]) => `${ch} ${d.pending}${age(d.oldestPendingAt) ? ` (oldest ${age(d.oldestPendingAt)}s)` : ''}`)
      .join(', ');
    line(
      level,
      'outbox',
      `${depth.pending} waiting${perChannel ? ` — ${perChannel}` : ''}, ${depth.dead} failed${depth.dead ? ' (npx tipline outbox)' : ''}`,
    );
    const children = store.catalogue.all();
    const photos = store.catalogue.photoCounts();
    const withPhotos = children.filter((c) => (photos.get(c.number) ?? 0) > 0).length;
    const unhashed = children.filter((c) => c.photo && !photos.get(c.number)).length;
    const sample = children.length > 0 && children.every((c) => c.source === 'sample');
    if (children.length === 0) line('warn', 'catalogue', 'empty (npm start loads the sample): npx tipline catalogue import FILE');
    else
      line(
        sample || unhashed || withPhotos === 0 ? 'warn' : 'ok',
        'catalogue',
        `${children.length} children, ${withPhotos} with photos${sample ? ' — the bundled SAMPLE, not real children: npx tipline catalogue import FILE' : ''}${
          unhashed ? `; ${unhashed} imported before photo matching: import the file again` : ''
        }`,
      );
  } catch (e) {
    if (!(e instanceof SkipDatabase)) line('FAIL', 'database', `TIPLINE_DB: ${(e as Error).message}`);
  } finally {
    store?.close();
  }

  try {
    const resources = readLocaleResources();
    line('ok', 'locales', Object.keys(resources).sort().join(', '));
  } catch (e) {
    line('FAIL', 'locales', (e as Error).message);
  }

  const host = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  try {
    const res = await fetch(`http://${host}:${config.port}/healthz`, { signal: AbortSignal.timeout(2000) });
    const body = (await res.json()) as { status?: string; outbox?: { paused?: Record<string, { forMs: number; reason: string | null }> } };
    line(res.ok ? 'ok' : 'FAIL', 'server', `http://${host}:${config.port}/ answers: ${body.status ?? res.status}`);
    for (const [channel, p] of Object.entries(body.outbox?.paused ?? {})) {
      line('warn', 'delivery', `${channel} paused for ${Math.ceil(p.forMs / 1000)}s more${p.reason ? `: ${p.reason}` : ''} (messages wait in the outbox)`);
    }
  } catch {
    line('warn', 'server', `nothing answers on http://${host}:${config.port}/ (start it with npm start)`);
  }

  await checkTelegram(config, line);
  await checkSlack(config, line);
  return failed ? 1 : 0;
}
