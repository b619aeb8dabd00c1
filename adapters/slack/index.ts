/**
 * The caseworkers' desk in Slack, on Bolt. Case events come out of the core through
 * {@link DeskAdapter} (post, update in place, thread lines); caseworker commands go back in
 * through the {@link SlackPort}. Only SLACK_CASEWORKERS may act; anyone else is told so.
 *
 * This first slice: HTTP mode on the one server, case messages, `/tipline` subcommands.
 * (Buttons, the reply modal, App Home and Socket Mode build on the same port.)
 */
import { App, LogLevel } from '@slack/bolt';
import type { DeliveryMeta, DeskAdapter, DeskCaseView, DeskPostRef, MessageAuthor } from '../../src/core/types.ts';
import { DeliveryError } from '../../src/core/types.ts';
import type { Rate } from '../../src/core/types.ts';
import { limitedCallFor, PlatformLimiter } from '../shared/rate-limit.ts';
import type { HttpServer } from '../../src/http/server.ts';
import { caseMessage, escapeMrkdwn } from './blocks.ts';
import { parseSlashCommand, SLASH_USAGE } from './commands.ts';
import { TiplineSlackReceiver } from './receiver.ts';

/** One line of the queue, as a desk shows it. */
export interface DeskQueueItem {
  code: string;
  urgent: boolean;
  category: string;
  status: string;
  language: string;
  children: number[];
  claimedBy: string | null;
  preview: string;
}

/** What the Slack desk needs from the product (wired in `src/app.ts` from the casework service). */
export interface SlackPort {
  queue(): DeskQueueItem[];
  /** The cases about one catalogue child, most urgent first, and how each points at it. */
  casesForChild(number: number): Array<DeskQueueItem & { via: string }>;
  view(code: string): DeskCaseView;
  claim(code: string, actor: string): void;
  unclaim(code: string, actor: string): void;
  escalate(code: string, actor: string): void;
  spam(code: string, actor: string): void;
  reply(code: string, actor: string, text: string): void;
  close(code: string, actor: string, reason?: string): void;
  /** Reply templates for a case: caseworker-facing title, the text in the reporter's language and in English. */
  templates(code: string): { name: string; title: string; text: string; english: string }[];
  replyTemplate(code: string, actor: string, template: string): void;
  /** Slack redelivers events it thinks were not acknowledged: was this `event_id` done already? */
  eventDone(eventId: string): boolean;
  /** Records an `event_id` as done (after it was handled). */
  markEventDone(eventId: string): void;
  /** A caseworker wrote in a case's thread: an internal note, never sent to the reporter. */
  noteFromThread(channel: string, threadTs: string, actor: string, text: string): boolean;
  stats(): string;
  log: {
    info(msg: string, fields?: Record<string, unknown>): void;
    warn(msg: string, fields?: Record<string, unknown>): void;
    error(msg: string, fields?: Record<string, unknown>): void;
  };
}

export interface SlackDeskOptions {
  botToken: string;
  /** HTTP mode: requests on /slack/events are verified with it. */
  signingSecret?: string;
  /** Socket Mode instead (used when there is no signing secret). */
  appToken?: string;
  apiUrl?: string;
  channel: string;
  urgentChannel: string;
  caseworkers: string[];
  port: SlackPort;
  /** Slack's pace (from configuration): posts per channel, and per Web API method. */
  limits: { perChannel: Rate; perMethod: Record<string, Rate> };
  /** Told of each 429 Slack answers. */
  onRateLimited?: (retryAfterMs: number) => void;
}


export interface SlackDesk {
  desk: DeskAdapter;
  readonly mode: 'http' | 'socket';
  /** HTTP mode: adds /slack/events to the one server. */
  mount(server: HttpServer): void;
  /** Socket Mode: connects to Slack (HTTP mode: nothing to do). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

const AUTHOR_LABEL: Record<MessageAuthor, string> = {
  reporter: ':speech_balloon: Reporter',
  caseworker: ':outbox_tray: Reply sent',
  note: ':memo: Note',
  bot: ':robot_face:',
};

export function createSlackDesk(options: SlackDeskOptions): SlackDesk {
  const mode: 'http' | 'socket' = options.signingSecret ? 'http' : 'socket';
  const receiver = options.signingSecret
    ? new TiplineSlackReceiver(options.signingSecret, options.port.log, Date.now, {
        done: (id) => options.port.eventDone(id),
        mark: (id) => options.port.markEventDone(id),
      })
    : undefined;
  const apiUrl = options.apiUrl ? (options.apiUrl.endsWith('/') ? options.apiUrl : `${options.apiUrl}/`) : undefined;
  // The dispatcher owns retries: Slack's client must not retry on its own (for half an hour, by
  // default) nor sit on a 429 — it hands the failure back, and Retry-After is honoured exactly.
  const clientOptions = { ...(apiUrl ? { slackApiUrl: apiUrl } : {}), retryConfig: { retries: 0 }, rejectRateLimitedCalls: true, timeout: 30_000 };
  const limits = options.limits;
  const limiter = new PlatformLimiter({
    platform: 'slack',
    perKey: { channel: limits.perChannel, method: (m) => limits.perMethod[m] },
    ...(options.onRateLimited ? { onRateLimited: options.onRateLimited } : {}),
  });
  const limited = <T>(keys: Record<string, string>, meta: DeliveryMeta | undefined, fn: () => Promise<T>): Promise<T> =>
    limiter.run(limitedCallFor(keys, meta), () => fn().catch((err: unknown) => Promise.reject(slackDeliveryError(err))));
  const app = receiver
    ? new App({ token: options.botToken, receiver, logLevel: LogLevel.ERROR, tokenVerificationEnabled: false, clientOptions })
    : new App({
        token: options.botToken,
        appToken: options.appToken!,
        socketMode: true,
        logLevel: LogLevel.ERROR,
        tokenVerificationEnabled: false,
        // Socket Mode's own client (apps.connections.open) must reach the same Web API root.
        clientOptions,
        installerOptions: { clientOptions },
      });
  const allowed = new Set(options.caseworkers);
  if (mode === 'socket') {
    // Socket Mode redelivers an event whose envelope was not acknowledged in time: each
    // event_id is handled once here too (HTTP mode does this in its receiver).
    const handling = new Set<string>();
    app.use(async ({ body, next }) => {
      const eventId = (body as { event_id?: unknown }).event_id;
      if (typeof eventId !== 'string') return next();
      if (handling.has(eventId) || options.port.eventDone(eventId)) return;
      handling.add(eventId);
      try {
        await next();
        options.port.markEventDone(eventId);
      } finally {
        handling.delete(eventId);
      }
    });
  }

  const desk: DeskAdapter = {
    desk: 'slack',
    marksAttempts: true,
    async upsertCase(view: DeskCaseView, existing: DeskPostRef | undefined, meta?: DeliveryMeta): Promise<DeskPostRef> {
      const { text, blocks } = caseMessage(view);
      if (existing) {
        try {
          await limited({ method: 'chat.update' }, meta, () => app.client.chat.update({ channel: existing.channel, ts: existing.ts, text, blocks }));
          return existing;
        } catch (err) {
          // Someone deleted the case's message in Slack: post it again rather than lose the case.
          if (!(err instanceof DeliveryError) || !/message_not_found|cant_update_message/.test(err.message)) throw err;
        }
      }
      const channel = view.urgent ? options.urgentChannel : options.channel;
      const res = await limited({ channel }, meta, () => app.client.chat.postMessage({ channel, text, blocks, unfurl_links: false }));
      if (!res.ts || !res.channel) throw new DeliveryError('slack: Slack did not say where the message went', false);
      return { channel: res.channel, ts: res.ts };
    },
    async postPhoto(ref, view, photo, meta) {
      await limited({ channel: ref.channel, method: 'files.uploadV2' }, meta, () =>
        app.client.filesUploadV2({
          channel_id: ref.channel,
          thread_ts: ref.ts,
          file: photo.data,
          filename: photo.name,
          title: `${view.code} · photo from ${view.reporter}`,
        }),
      );
    },
    async postThread(ref, _view, line, meta) {
      const who = `${AUTHOR_LABEL[line.author]}${line.actor ? ` (${escapeMrkdwn(line.actor)})` : ''}`;
      await limited({ channel: ref.channel }, meta, () =>
        app.client.chat.postMessage({
          channel: ref.channel,
          thread_ts: ref.ts,
          text: `${who}\n${escapeMrkdwn(line.text).slice(0, 3500)}`,
          unfurl_links: false,
        }),
      );
    },
  };

  app.command('/tipline', async ({ command, ack, respond }) => {
    await ack();
    const actor = `slack:${command.user_id}`;
    if (!allowed.has(command.user_id)) {
      await respond({ response_type: 'ephemeral', text: 'Only the tip line’s caseworkers (SLACK_CASEWORKERS) can use /tipline. Nothing was changed.' });
      return;
    }
    const parsed = parseSlashCommand(command.text ?? '');
    const say = (text: string) => respond({ response_type: 'ephemeral', text });
    try {
      switch (parsed.kind) {
        case 'help':
          return void (await say(SLASH_USAGE.join('\n')));
        case 'invalid':
          return void (await say(`${parsed.problem}\n${SLASH_USAGE.join('\n')}`));
        case 'queue': {
          const items = options.port.queue();
          return void (await say(items.length ? items.slice(0, 30).map((c) => queueLine(c)).join('\n') : 'The queue is empty.'));
        }
        case 'child': {
          const items = options.port.casesForChild(parsed.number);
          const head = `*${items.length} open case${items.length === 1 ? '' : 's'} about #${parsed.number}*`;
          return void (await say(items.length ? [head, ...items.slice(0, 30).map((c) => queueLine(c, c.via))].join('\n') : `No open cases about #${parsed.number}.`));
        }
        case 'stats':
          return void (await say(options.port.stats()));
        case 'show': {
          const view = options.port.view(parsed.code);
          await respond({ response_type: 'ephemeral', ...caseMessage(view) });
          return;
        }
        case 'claim':
          options.port.claim(parsed.code, actor);
          return void (await say(`${parsed.code.toUpperCase()} is yours.`));
        case 'reply':
          options.port.reply(parsed.code, actor, parsed.text);
          return void (await say(`Reply queued for ${parsed.code.toUpperCase()}; it goes out in the reporter's channel.`));
        case 'close':
          options.port.close(parsed.code, actor, parsed.reason);
          return void (await say(`${parsed.code.toUpperCase()} closed.`));
      }
    } catch (err) {
      const e = err as { code?: string; message?: string };
      await say(`${e.code ? `${e.code}: ` : ''}${e.message ?? 'that did not work'}`);
    }
  });

  // Buttons on a case message. Each acts as the caseworker who pressed it; the case message is
  // redrawn through the desk port, so every caseworker sees the new state. Reply and Close open
  // a modal (templates in the reporter's language with their English; a reason) and act on submit.
  type Button = (ctx: { code: string; actor: string; triggerId: string; client: typeof app.client }) => unknown;
  const buttons: Record<string, Button> = {
    claim: ({ code, actor }) => options.port.claim(code, actor),
    unclaim: ({ code, actor }) => options.port.unclaim(code, actor),
    escalate: ({ code, actor }) => options.port.escalate(code, actor),
    spam: ({ code, actor }) => options.port.spam(code, actor),
    reply: ({ code, triggerId, client }) =>
      client.views.open({ trigger_id: triggerId, view: replyModal(options.port.view(code), options.port.templates(code)) }),
    close: ({ code, triggerId, client }) => client.views.open({ trigger_id: triggerId, view: closeModal(code) }),
  };
  for (const [actionId, act] of Object.entries(buttons)) {
    app.action(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      const tell = (text: string) => respond({ response_type: 'ephemeral', replace_original: false, text });
      const userId = body.user.id;
      if (!allowed.has(userId)) return void (await tell('Only the tip line’s caseworkers can act on cases. Nothing was changed.'));
      const code = 'value' in action && typeof action.value === 'string' ? action.value : '';
      try {
        await act({ code, actor: `slack:${userId}`, triggerId: (body as { trigger_id?: string }).trigger_id ?? '', client });
      } catch (err) {
        const e = err as { code?: string; message?: string };
        await tell(`${e.code ? `${e.code}: ` : ''}${e.message ?? 'that did not work'}`);
      }
    });
  }

  app.view('reply_modal', async ({ ack, body, view }) => {
    const code = view.private_metadata;
    const template = view.state.values.template?.choice?.selected_option?.value;
    const text = view.state.values.text?.reply?.value?.trim();
    if (!template && !text) {
      await ack({ response_action: 'errors', errors: { text: 'Write a reply, or choose a template.' } });
      return;
    }
    if (!allowed.has(body.user.id)) {
      await ack({ response_action: 'errors', errors: { text: 'Only the tip line’s caseworkers can reply.' } });
      return;
    }
    try {
      if (text) options.port.reply(code, `slack:${body.user.id}`, text);
      else options.port.replyTemplate(code, `slack:${body.user.id}`, template!);
      await ack();
    } catch (err) {
      await ack({ response_action: 'errors', errors: { text: (err as Error).message.slice(0, 150) } });
    }
  });
  app.view('close_modal', async ({ ack, body, view }) => {
    if (!allowed.has(body.user.id)) {
      await ack({ response_action: 'errors', errors: { reason: 'Only the tip line’s caseworkers can close cases.' } });
      return;
    }
    const reason = view.state.values.reason?.reason?.value?.trim();
    try {
      options.port.close(view.private_metadata, `slack:${body.user.id}`, reason || undefined);
      await ack();
    } catch (err) {
      await ack({ response_action: 'errors', errors: { reason: (err as Error).message.slice(0, 150) } });
    }
  });

  // App Home: the caseworker's own cases, then the unclaimed queue, urgent first.
  app.event('app_home_opened', async ({ event, client }) => {
    if (!allowed.has(event.user)) {
      await client.views.publish({
        user_id: event.user,
        view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'This desk is for the tip line’s caseworkers.' } }] },
      });
      return;
    }
    const me = `slack:${event.user}`;
    const queue = options.port.queue();
    const line = (c: DeskQueueItem) =>
      `${c.urgent ? ':rotating_light: ' : ''}*${c.code}* ${c.category} · ${c.language}${c.children.length ? ` · #${c.children.join(', #')}` : ''} — ${escapeMrkdwn(c.preview.slice(0, 70))}`;
    const section = (title: string, items: DeskQueueItem[]) => [
      { type: 'header', text: { type: 'plain_text', text: title } },
      { type: 'section', text: { type: 'mrkdwn', text: items.length ? items.slice(0, 25).map(line).join('\n') : '_None._' } },
    ];
    await client.views.publish({
      user_id: event.user,
      view: {
        type: 'home',
        blocks: [...section('My cases', queue.filter((c) => c.claimedBy === me)), ...section('Unclaimed, most urgent first', queue.filter((c) => !c.claimedBy))],
      },
    });
  });

  // A caseworker's message in a case's thread is an internal note: kept in the case, never sent.
  app.event('message', async ({ event }) => {
    const e = event as { subtype?: string; bot_id?: string; user?: string; text?: string; channel?: string; thread_ts?: string; ts?: string };
    if (e.subtype || e.bot_id || !e.user || !e.thread_ts || e.thread_ts === e.ts || !e.channel || !e.text) return;
    if (!allowed.has(e.user)) {
      options.port.log.info('thread message from someone not in SLACK_CASEWORKERS ignored');
      return;
    }
    options.port.noteFromThread(e.channel, e.thread_ts, `slack:${e.user}`, e.text);
  });

  app.error(async (err) => {
    options.port.log.error('slack handler failed', { error: err.message });
  });

  let started = false;
  return {
    desk,
    mode,
    mount(server) {
      if (receiver) server.route('POST', '/slack/events', receiver.handle);
    },
    async start() {
      if (mode === 'socket') {
        await app.start();
        started = true;
      }
    },
    async stop() {
      if (mode === 'http' || started) await app.stop();
    },
  };
}

/** The Reply modal: the reporter's language named, templates (reporter's language + English), free text. */
function replyModal(view: DeskCaseView, templates: { name: string; title: string; text: string; english: string }[]) {
  const preview = templates.map((t) => ({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: `*${escapeMrkdwn(t.title)}* — ${escapeMrkdwn(t.text)}${view.language.startsWith('en') ? '' : `\n_${escapeMrkdwn(t.english)}_`}` }],
  }));
  return {
    type: 'modal' as const,
    callback_id: 'reply_modal',
    private_metadata: view.code,
    title: { type: 'plain_text' as const, text: `Reply · ${view.code}`.slice(0, 24) },
    submit: { type: 'plain_text' as const, text: 'Send' },
    close: { type: 'plain_text' as const, text: 'Cancel' },
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: `The reporter writes in *${escapeMrkdwn(view.languageName)}* (${view.language}). A template is sent in their language.` } },
      {
        type: 'input',
        block_id: 'template',
        optional: true,
        label: { type: 'plain_text', text: 'Template' },
        element: {
          type: 'static_select',
          action_id: 'choice',
          placeholder: { type: 'plain_text', text: 'Choose a template' },
          options: templates.map((t) => ({ text: { type: 'plain_text', text: t.title.slice(0, 75) }, value: t.name })),
        },
      },
      { type: 'input', block_id: 'text', optional: true, label: { type: 'plain_text', text: 'Or write your own (sent as written)' }, element: { type: 'plain_text_input', action_id: 'reply', multiline: true, max_length: 3000 } },
      { type: 'divider' },
      { type: 'section', text: { type: 'mrkdwn', text: '*What each template says to the reporter*' } },
      ...preview,
    ],
  };
}

/** The Close modal: an optional reason, kept in the case (never sent). */
function closeModal(code: string) {
  return {
    type: 'modal' as const,
    callback_id: 'close_modal',
    private_metadata: code,
    title: { type: 'plain_text' as const, text: `Close · ${code}`.slice(0, 24) },
    submit: { type: 'plain_text' as const, text: 'Close case' },
    close: { type: 'plain_text' as const, text: 'Cancel' },
    blocks: [
      { type: 'input', block_id: 'reason', optional: true, label: { type: 'plain_text', text: 'Reason (kept in the case, not sent)' }, element: { type: 'plain_text_input', action_id: 'reason', max_length: 500 } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: 'The reporter is told, in their language, that the case is closed.' }] },
    ],
  };
}

/** Slack errors about the workspace or our token, not the message: wait (the desk is paused), never give the message up. */
const SLACK_WORKSPACE_ERRORS = /^(invalid_auth|not_authed|token_revoked|token_expired|account_inactive|team_access_not_granted|ekm_access_denied)$/;
/** Slack's own trouble: try again later. */
const SLACK_TRANSIENT_ERRORS = /^(internal_error|fatal_error|service_unavailable|request_timeout|ratelimited)$/;

/**
 * Slack Web API failures for the dispatcher: rate limits wait as told; Slack's own trouble and
 * problems with our token are retried (a token problem pauses the desk and shows in /healthz,
 * it does not turn every case into a dead letter); any other refusal is about this message
 * (a bad channel, a message too long) and is final, with Slack's reason.
 */
function slackDeliveryError(err: unknown): DeliveryError {
  if (err instanceof DeliveryError) return err;
  const e = err as { code?: string; data?: { error?: string }; retryAfter?: number; message?: string };
  const slackError = e.data?.error ?? '';
  const why = `slack: ${slackError || e.message || String(err)}`.slice(0, 300);
  if (e.code === 'slack_webapi_rate_limited_error') return DeliveryError.rateLimited(why, (e.retryAfter ?? 1) * 1000);
  if (e.code === 'slack_webapi_platform_error') {
    if (SLACK_WORKSPACE_ERRORS.test(slackError)) return new DeliveryError(`${why} (check SLACK_BOT_TOKEN)`, false);
    if (SLACK_TRANSIENT_ERRORS.test(slackError)) return new DeliveryError(why, false);
    return new DeliveryError(why, true);
  }
  // Network failures, timeouts, HTTP 5xx.
  return new DeliveryError(why, false);
}

/** One case in a `/tipline` listing. */
function queueLine(c: DeskQueueItem, via?: string): string {
  const children = c.children.length ? ` · #${c.children.join(', #')}` : '';
  return `${c.urgent ? ':rotating_light: ' : ''}*${c.code}* ${c.category} · ${c.status}${c.claimedBy ? ` (${c.claimedBy})` : ''} · ${c.language}${children}${via ? ` · via ${via}` : ''} — ${escapeMrkdwn(c.preview.slice(0, 80))}`;
}
