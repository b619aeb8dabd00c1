/**
 * The CLI's commands. Each opens the store, calls the core (never SQL of its own), prints,
 * and closes. Output for people by default; `--json` where a script wants it.
 */
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import type { Config } from '../config.ts';
import { openCore } from '../app.ts';
import { TEMPLATE_NAMES } from '../core/casework.ts';
import { localeOrDefault } from '../core/outbound.ts';
import { triage } from '../core/triage/index.ts';
import { cleanText } from '../core/sanitize.ts';
import { formatCaseDetail, formatOutbox, formatQueue, formatStats } from './format.ts';
import { OutboxAdmin } from '../core/outbox-admin.ts';
import { importCatalogue, listCatalogue } from './catalogue.ts';
import { triagePhoto } from './triage-photo.ts';
import { similarity, SIMILAR_AT, textSignature } from '../core/similar.ts';
import { runDoctor } from './doctor.ts';

export interface CliContext {
  config: Config;
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
  actor: string;
  out: (s: string) => void;
  err: (s: string) => void;
  stdin: NodeJS.ReadableStream;
}

export interface Command {
  name: string;
  usage: string;
  summary: string;
  help?: string;
  options?: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean; description?: string }>;
  run(ctx: CliContext): Promise<number | void> | number | void;
}

/** The command was called wrongly (missing argument, bad option value). */
export class UsageError extends Error {
  readonly code = 'USAGE';
}

function need(ctx: CliContext, index: number, what: string): string {
  const v = ctx.positionals[index];
  if (!v) throw new UsageError(`missing ${what}`);
  return v;
}

/**
 * Opens the core for one command and always closes the database. Casework needs an existing
 * database: run from the wrong folder, the CLI says so instead of creating an empty queue.
 */
async function withCore<T>(
  ctx: CliContext,
  fn: (c: ReturnType<typeof openCore>) => T | Promise<T>,
  opts: { mayCreate?: boolean } = {},
): Promise<T> {
  const c = openCore(ctx.config, { mustExist: !opts.mayCreate });
  try {
    return await fn(c);
  } finally {
    c.store.close();
  }
}

function outboxId(v: string): number {
  const n = Number(v.replace(/^#/, ''));
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`"${v}" is not an outbox id (a number, as npx tipline outbox shows)`);
  return n;
}

const json = (ctx: CliContext, v: unknown) => ctx.out(JSON.stringify(v, null, 2));

export const COMMANDS: Command[] = [
  {
    name: 'cases',
    usage: 'cases [--all] [--json] [--child N]',
    summary: 'list the queue, most urgent first',
    options: {
      all: { type: 'boolean', description: 'include closed cases' },
      json: { type: 'boolean', description: 'one JSON array' },
      limit: { type: 'string', description: 'at most this many (default 200)' },
      child: { type: 'string', description: 'only cases about this catalogue child (named, photo or description)' },
    },
    run: (ctx) =>
      withCore(ctx, ({ casework }) => {
        const limit = Number(ctx.values.limit ?? 200);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit takes a positive whole number');
        const includeClosed = ctx.values.all === true;
        if (ctx.values.child !== undefined) {
          const digits = String(ctx.values.child).replace(/^#/, '');
          const n = /^\d{1,5}$/.test(digits) ? Number(digits) : NaN;
          if (!Number.isInteger(n) || n < 1) throw new UsageError(`--child takes a catalogue number such as 7 (got "${ctx.values.child}")`);
          const cases = casework.casesForChild(n, { includeClosed, limit });
          if (ctx.values.json) json(ctx, cases);
          else ctx.out(cases.length ? formatQueue(cases, { child: n }) : `No ${includeClosed ? '' : 'open '}cases about #${n}.`);
          return;
        }
        const queue = casework.queue({ includeClosed, limit });
        if (ctx.values.json) json(ctx, queue);
        else ctx.out(formatQueue(queue));
      }),
  },
  {
    name: 'show',
    usage: 'show CODE [--json]',
    summary: 'one case: details, messages, notes, history',
    options: { json: { type: 'boolean', description: 'as JSON' } },
    run: (ctx) =>
      withCore(ctx, ({ casework }) => {
        const detail = casework.show(need(ctx, 0, 'CODE'));
        if (ctx.values.json) json(ctx, detail);
        else ctx.out(formatCaseDetail(detail));
      }),
  },
  {
    name: 'claim',
    usage: 'claim CODE [--force] [--as NAME]',
    summary: 'take a case (recorded with your name)',
    options: { force: { type: 'boolean', description: 'take it over from another caseworker' } },
    run: (ctx) =>
      withCore(ctx, ({ casework }) => {
        const s = casework.claim(need(ctx, 0, 'CODE'), ctx.actor, { force: ctx.values.force === true });
        ctx.out(`${s.code} claimed by ${s.claimedBy}`);
      }),
  },
  {
    name: 'unclaim',
    usage: 'unclaim CODE',
    summary: 'put a case back in the queue',
    run: (ctx) =>
      withCore(ctx, ({ casework }) => {
        const s = casework.unclaim(need(ctx, 0, 'CODE'), ctx.actor);
        ctx.out(`${s.code} is back in the queue`);
      }),
  },
  {
    name: 'reply',
    usage: 'reply CODE TEXT | reply CODE --template NAME',
    summary: "send a reply to the reporter (templates go out in the reporter's language)",
    help: `Templates: ${TEMPLATE_NAMES.join(', ')}. See them with: npx tipline templates CODE`,
    options: { template: { type: 'string', short: 't', description: 'send a template instead of TEXT' } },
    run: (ctx) =>
      withCore(ctx, ({ casework }) => {
        const code = need(ctx, 0, 'CODE');
        const template = ctx.values.template as string | undefined;
        const text = ctx.positionals.slice(1).join(' ');
        if (template && text) throw new UsageError('give TEXT or --template, not both');
        if (!template && !text) throw new UsageError('missing TEXT (or --template NAME)');
        const { summary, sentText } = casework.reply(code, ctx.actor, template ? { template } : { text });
        ctx.out(`Reply queued for ${summary.code} (${summary.locale}):\n${sentText}`);
        ctx.out('It is delivered by the running tip line (npm start).');
      }),
  },
  {
    name: 'note',
    usage: 'note CODE TEXT',
    summary: 'add an internal note (never sent to the reporter)',
    run: (ctx) =>
      withCore(ctx, ({ casework }) => {
        const s = casework.note(need(ctx, 0, 'CODE'), ctx.actor, ctx.positionals.slice(1).join(' '));
        ctx.out(`Note added to ${s.code}`);
      }),
  },
  {
    name: 'close',
    usage: 'close CODE [--reason R] [--silent]',
    summary: 'close a case (the reporter is told, unless --silent)',
    options: {
      reason: { type: 'string', short: 'r', description: 'why (kept in the case, not sent)' },
      silent: { type: 'boolean', description: 'do not tell the reporter' },
    },
    run: (ctx) =>
      withCore(ctx, ({ casework }) => {
        const opts: { reason?: string; notify: boolean } = { notify: ctx.values.silent !== true };
        if (typeof ctx.values.reason === 'string') opts.reason = ctx.values.reason;
        const s = casework.close(need(ctx, 0, 'CODE'), ctx.actor, opts);
        ctx.out(`${s.code} closed`);
      }),
  },
  {
    name: 'escalate',
    usage: 'escalate CODE',
    summary: 'mark a case urgent',
    run: (ctx) =>
      withCore(ctx, ({ casework }) => {
        const s = casework.escalate(need(ctx, 0, 'CODE'), ctx.actor);
        ctx.out(`${s.code} is now urgent`);
      }),
  },
  {
    name: 'spam',
    usage: 'spam CODE',
    summary: 'mark a case as spam: closes it quietly',
    run: (ctx) =>
      withCore(ctx, ({ casework }) => {
        const s = casework.markSpam(need(ctx, 0, 'CODE'), ctx.actor);
        ctx.out(`${s.code} marked as spam and closed`);
      }),
  },
  {
    name: 'templates',
    usage: 'templates [CODE]',
    summary: "the reply templates, in English and in the case's language",
    run: (ctx) =>
      withCore(ctx, ({ casework, core }) => {
        const code = ctx.positionals[0];
        const c = code ? casework.find(code) : undefined;
        const locale = localeOrDefault(c?.locale, core.defaultLocale);
        for (const t of casework.templates(locale, c?.code)) {
          ctx.out(`${t.name} — ${t.title}\n  [${locale}] ${t.text}${locale === 'en' ? '' : `\n  [en] ${t.english}`}\n`);
        }
      }),
  },
  {
    name: 'triage',
    usage: 'triage [--photo FILE]... < messages.txt',
    summary: 'triage messages from stdin, one per line; prints one JSON object per line',
    help:
      'Each line gets category, urgent, language, children, pii, reasons, spam_score, candidates (catalogue children\n' +
      'with confidence and reasons: named, photo, description) and similar_to (the earlier line it repeats).\n' +
      'With --photo, each photo is matched against the catalogue first (one JSON line each).',
    options: { photo: { type: 'string', multiple: true, description: 'a photo to match against the catalogue' } },
    run: async (ctx) => {
      // With a database, the live function with this installation's catalogue; without one,
      // the same rules without catalogue numbers (nothing is created).
      const opened = existsSync(ctx.config.dbPath) ? openCore(ctx.config) : undefined;
      try {
        const photos = (ctx.values.photo ?? []) as string[];
        if (photos.length && !opened) throw new UsageError('--photo needs the catalogue: run it where the tip line keeps its data (or set TIPLINE_DB)');
        for (const file of photos) ctx.out(JSON.stringify(await triagePhoto(opened!.store, file)));
        const seen: Array<{ line: number; signature: Uint32Array }> = [];
        let lineNo = 0;
        const rl = createInterface({ input: ctx.stdin, crlfDelay: Infinity });
        for await (const line of rl) {
          lineNo++;
          // Lines are cleaned exactly as live messages are (control characters, normalisation).
          const text = cleanText(line, 20_000).text ?? '';
          const r = opened ? opened.core.triage(text) : triage(text);
          const candidates = opened ? opened.core.caseTriage.candidatesForMessage(r, text, new Date()) : [];
          const sig = textSignature(text);
          const similarTo = sig ? seen.find((s) => similarity(s.signature, sig.signature) >= SIMILAR_AT)?.line : undefined;
          if (sig && seen.length < 10_000) seen.push({ line: lineNo, signature: sig.signature });
          ctx.out(
            JSON.stringify({
              category: r.category,
              urgent: r.urgent,
              language: r.language,
              children: r.children,
              pii: r.pii,
              reasons: r.reasons,
              spam_score: r.spamScore,
              candidates,
              ...(similarTo !== undefined ? { similar_to: similarTo } : {}),
            }),
          );
        }
      } finally {
        opened?.store.close();
      }
    },
  },
  {
    name: 'stats',
    usage: 'stats [--json]',
    summary: 'figures: cases by status and category, outbox backlog',
    options: { json: { type: 'boolean', description: 'as JSON' } },
    run: (ctx) =>
      withCore(ctx, ({ casework }) => {
        const s = casework.stats();
        if (ctx.values.json) json(ctx, s);
        else ctx.out(formatStats(s));
      }),
  },
  {
    name: 'outbox retry',
    usage: 'outbox retry ID... | --all-dead',
    summary: 'send failed (dead) messages again',
    options: { 'all-dead': { type: 'boolean', description: 'every dead message' }, as: { type: 'string', description: 'your name for the audit log' } },
    run: (ctx) =>
      withCore(ctx, ({ store }) => {
        const ids = ctx.positionals.map(outboxId);
        if (!ctx.values['all-dead'] && ids.length === 0) throw new UsageError('give outbox ids (see npx tipline outbox), or --all-dead');
        const n = new OutboxAdmin(store).retry(ctx.values['all-dead'] ? 'all-dead' : ids, ctx.actor);
        ctx.out(`${n} message${n === 1 ? '' : 's'} queued again; the running tip line sends ${n === 1 ? 'it' : 'them'} within a second or two.`);
      }),
  },
  {
    name: 'outbox drop',
    usage: 'outbox drop ID',
    summary: 'give up on a message that was not sent (audited)',
    options: { as: { type: 'string', description: 'your name for the audit log' } },
    run: (ctx) =>
      withCore(ctx, ({ store }) => {
        const id = outboxId(need(ctx, 0, 'ID'));
        new OutboxAdmin(store).drop(id, ctx.actor);
        ctx.out(`Outbox #${id} dropped; it will not be sent.`);
      }),
  },
  {
    name: 'outbox',
    usage: 'outbox [--pending | --all] [--json]',
    summary: 'messages that failed (dead, with the reason) or are waiting',
    options: {
      pending: { type: 'boolean', description: 'the ones waiting to be sent' },
      all: { type: 'boolean', description: 'waiting and dead' },
      json: { type: 'boolean', description: 'one JSON array' },
      limit: { type: 'string', description: 'at most this many, newest first (default 100)' },
    },
    run: (ctx) =>
      withCore(ctx, ({ store }) => {
        const limit = Number(ctx.values.limit ?? 100);
        if (!Number.isInteger(limit) || limit < 1) throw new UsageError('--limit takes a positive whole number');
        const items = new OutboxAdmin(store).list(ctx.values.all ? 'all' : ctx.values.pending ? 'pending' : 'dead', limit);
        if (ctx.values.json) json(ctx, items);
        else ctx.out(formatOutbox(items));
      }),
  },
  {
    name: 'doctor',
    usage: 'doctor',
    summary: 'check configuration, files and reachability, one line each',
    run: (ctx) => runDoctor(ctx.config, ctx.out),
  },
  {
    name: 'catalogue import',
    usage: 'catalogue import FILE',
    summary: 'import the circulated children (JSON array or CSV with a header)',
    help:
      'Fields: number (required), sex (boy/girl), estimatedBirth (YYYY-MM), foundDate (YYYY-MM-DD), foundPlace, marks, description,\n' +
      'photos (a list of paths relative to FILE; in CSV separated by "|"). Every row is checked and every photo fingerprinted\n' +
      'first: with any problem nothing is imported. Children already in the catalogue are updated; the bundled sample is\n' +
      'replaced by the first real import. Sample: data/catalogue.sample.json',
    run: (ctx) =>
      withCore(
        ctx,
        async ({ store, core }) => {
          const code = await importCatalogue(store, need(ctx, 0, 'FILE'), ctx.out, ctx.err);
          if (code !== 0) return code;
          // Open cases are compared with the new catalogue (photos again too): a case matched to
          // a sample child must not keep pointing at it.
          const changed = await core.refreshCandidates();
          if (changed) ctx.out(`Candidates updated on ${changed} open case${changed === 1 ? '' : 's'}.`);
          return 0;
        },
        { mayCreate: true },
      ),
  },
  {
    name: 'catalogue list',
    usage: 'catalogue list [--json]',
    summary: 'list the catalogue',
    options: { json: { type: 'boolean', description: 'as JSON' } },
    run: (ctx) =>
      withCore(ctx, ({ store }) => {
        const all = store.catalogue.all();
        if (ctx.values.json) {
          const photos = store.catalogue.photos();
          return void json(
            ctx,
            all.map((c) => ({ ...c, photos: photos.filter((p) => p.number === c.number).map((p) => ({ path: p.path, sha256: p.sha256, width: p.width, height: p.height })) })),
          );
        }
        if (all.length === 0) return void ctx.out('The catalogue is empty. Import one: npx tipline catalogue import data/catalogue.sample.json');
        for (const line of listCatalogue(store)) ctx.out(line);
      }),
  },
];
