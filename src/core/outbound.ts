/**
 * Turning engine replies into messages in the reporter's language, and writing them to the
 * outbox. Shared by the conversation service and caseworker commands.
 */
import type { TFunction } from 'i18next';
import { translator, resolveSupportedLocale, type SupportedLocale } from '../i18n/index.ts';
import type { Store } from '../store/index.ts';
import type { Reply } from './conversation/state.ts';
import type { OutboundMessage } from './types.ts';

/** Outbox priorities: higher goes first. */
export const PRIORITY = { urgent: 20, reporterReply: 10, caseworker: 15, bulk: 0 } as const;

/** Renders one reply in `locale`. */
export function renderReply(reply: Reply, locale: SupportedLocale, t: TFunction = translator(locale)): OutboundMessage {
  // A missing key must never lose a message: fall back to English (the completeness test
  // keeps this from happening), and as a last resort to the key itself.
  const tr = (key: string, params?: Record<string, unknown>): string => {
    const out = t(key, { ...params, defaultValue: '\u0000missing' });
    if (typeof out === 'string' && out !== '\u0000missing') return out;
    const en = translator('en')(key, { ...params, defaultValue: key });
    return typeof en === 'string' ? en : key;
  };
  const text = reply.raw !== undefined ? `${tr(reply.key, reply.params)}\n${reply.raw}` : tr(reply.key, reply.params);
  const msg: OutboundMessage = { text, from: reply.from ?? 'bot', locale };
  if (reply.choices?.length) msg.choices = reply.choices.map((c) => ({ id: c.id, label: c.label ?? tr(c.key, c.params) }));
  if (reply.caseCode) msg.caseCode = reply.caseCode;
  return msg;
}

/** The supported locale to use for a stored locale string, falling back to `fallback`. */
export function localeOrDefault(locale: string | null | undefined, fallback: SupportedLocale): SupportedLocale {
  return resolveSupportedLocale(locale) ?? fallback;
}

/**
 * Writes one message for a reporter's identity to the outbox. Call inside a transaction.
 * `channel` is the identity's channel when the caller knows it already (the message being
 * answered came from it); otherwise it is looked up.
 */
export function enqueueForReporter(
  store: Store,
  m: {
    idempotencyKey: string;
    identityId: number;
    channel?: string;
    message: OutboundMessage;
    caseId?: number | null;
    caseMessageId?: number | null;
    priority: number;
    now: string;
  },
): boolean {
  const channel = m.channel ?? store.reporters.channelOf(m.identityId);
  if (channel === undefined) throw new Error(`identity ${m.identityId} not found`);
  return store.outbox.enqueue({
    idempotencyKey: m.idempotencyKey,
    channel,
    identityId: m.identityId,
    caseId: m.caseId ?? null,
    caseMessageId: m.caseMessageId ?? null,
    payload: m.message,
    priority: m.priority,
    now: m.now,
  });
}
