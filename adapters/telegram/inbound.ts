/**
 * Telegram updates → the core's InboundMessage. Shared by the grammY and telegraf adapters.
 * Updates are read as untrusted JSON (narrowed field by field): a malformed or unknown update
 * becomes a logged skip, never an exception.
 */
import { LIMITS, type InboundMessage } from '../../src/core/types.ts';
import { FileTooLargeError, type TelegramApi } from './api.ts';

export const TELEGRAM_CHANNEL = 'telegram';

/** Commands the tip line answers; others are "unknown command" replies, not cases. */
export const TELEGRAM_COMMANDS = ['start', 'help', 'language', 'status', 'menu', 'cancel'] as const;

export type MappedUpdate =
  | { kind: 'message'; msg: InboundMessage; callbackId?: string }
  | { kind: 'group'; chatId: string; localeHint?: string; callbackId?: string; /** A deep-link payload to carry over. */ start?: string }
  | { kind: 'skip'; reason: string; callbackId?: string };

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const id = (v: unknown): string | undefined => (typeof v === 'number' || typeof v === 'string' ? String(v) : undefined);

/** Maps one update. Downloads photos (largest size, size-limited) through `api`. */
export async function mapUpdate(update: unknown, api: TelegramApi, botUsername?: string): Promise<MappedUpdate> {
  const u = obj(update);
  const updateId = num(u?.update_id);
  if (!u || updateId === undefined) return { kind: 'skip', reason: 'malformed update (no update_id)' };
  const platformMessageId = `u${updateId}`;

  const callback = obj(u.callback_query);
  if (callback) {
    const callbackId = str(callback.id);
    const from = obj(callback.from);
    const chat = obj(obj(callback.message)?.chat);
    const data = str(callback.data);
    const base = callbackId ? { callbackId } : {};
    if (!from || !chat || id(from.id) === undefined || id(chat.id) === undefined) return { kind: 'skip', reason: 'malformed callback', ...base };
    if (str(chat.type) !== 'private') return { kind: 'group', chatId: id(chat.id)!, ...hint(from), ...base };
    if (!data) return { kind: 'skip', reason: 'callback without data', ...base };
    const msg: InboundMessage = {
      channel: TELEGRAM_CHANNEL,
      conversationRef: id(chat.id)!,
      senderRef: id(from.id)!,
      platformMessageId,
      action: data.slice(0, 64),
      receivedAt: new Date(),
      ...hint(from),
    };
    return { kind: 'message', msg, ...base };
  }

  // Added to a group: say once, in the group, that reports are private.
  const membership = obj(u.my_chat_member);
  if (membership) {
    const chat = obj(membership.chat);
    const status = str(obj(membership.new_chat_member)?.status);
    const from = obj(membership.from);
    if (chat && id(chat.id) !== undefined && str(chat.type) !== 'private' && (status === 'member' || status === 'administrator')) {
      return { kind: 'group', chatId: id(chat.id)!, ...(from ? hint(from) : {}) };
    }
    return { kind: 'skip', reason: `membership change (${status ?? 'unknown'})` };
  }

  const edited = obj(u.edited_message);
  const message = obj(u.message) ?? edited;
  if (!message) {
    const type = Object.keys(u).find((k) => k !== 'update_id') ?? 'empty';
    return { kind: 'skip', reason: `update type ${type} is not handled` };
  }
  const chat = obj(message.chat);
  const from = obj(message.from);
  if (!chat || id(chat.id) === undefined) return { kind: 'skip', reason: 'message without chat' };
  if (!from || id(from.id) === undefined || from.is_bot === true) return { kind: 'skip', reason: 'message not from a person' };

  const text = str(message.text) ?? str(message.caption);
  if (str(chat.type) !== 'private') {
    // In a group only speak when spoken to: a command, a mention, or being added.
    // Only when spoken to: a plain command or one for this bot, or a mention. (Being added is
    // answered once, from my_chat_member.)
    const cmd = text !== undefined ? /^\/([A-Za-z0-9_]+)(?:@([A-Za-z0-9_]+))?(?:\s+(\S+))?/.exec(text) : null;
    const forUs = cmd ? !cmd[2] || (botUsername !== undefined && cmd[2].toLowerCase() === botUsername.toLowerCase()) : false;
    const mentioned = text !== undefined && botUsername !== undefined && text.toLowerCase().includes(`@${botUsername.toLowerCase()}`);
    if (!(forUs || mentioned) || edited) return { kind: 'skip', reason: 'group chatter' };
    const child = cmd && cmd[1]!.toLowerCase() === 'start' ? /^child_\d{1,4}$/.exec(cmd[3] ?? '')?.[0] : undefined;
    return { kind: 'group', chatId: id(chat.id)!, ...hint(from), ...(child ? { start: child } : {}) };
  }

  const msg: InboundMessage = {
    channel: TELEGRAM_CHANNEL,
    conversationRef: id(chat.id)!,
    senderRef: id(from.id)!,
    platformMessageId,
    receivedAt: new Date(),
    ...hint(from),
  };
  if (edited) msg.edited = true;
  const album = str(message.media_group_id);
  if (album) msg.mediaGroup = album;

  const parts: string[] = [];
  const origin = forwardOrigin(message, id(from.id)!);
  if (origin) parts.push(`↪ ${origin}`);

  const command = text !== undefined && !edited ? botCommand(message, text, botUsername) : undefined;
  if (command && !(TELEGRAM_COMMANDS as readonly string[]).includes(command.name)) {
    // An unknown command alone gets "unknown command"; with words after it, the words are a
    // message ("/sos they are selling the child tonight" must not be lost).
    if (!command.args) {
      msg.command = command;
      return { kind: 'message', msg };
    }
    parts.push(command.args);
  } else if (text !== undefined) {
    parts.push(command ? text.replace(/^\/(\w+)@\w+/, '/$1') : text);
  }

  const location = obj(message.location);
  const venue = obj(message.venue);
  // A live location edits itself every few seconds for hours: the first position is enough.
  if (edited && location) return { kind: 'skip', reason: 'live location update' };
  if (location && num(location.latitude) !== undefined && num(location.longitude) !== undefined) {
    const where = `📍 ${num(location.latitude)!.toFixed(5)}, ${num(location.longitude)!.toFixed(5)}`;
    parts.push([where, str(venue?.title), str(venue?.address)].filter(Boolean).join(' · '));
  }

  const contact = obj(message.contact);
  if (contact) {
    const phone = str(contact.phone_number) ?? '';
    const name = [str(contact.first_name), str(contact.last_name)].filter(Boolean).join(' ');
    // Their own number, shared with the button: consent to be contacted. Anyone else's is information.
    if (id(contact.user_id) === id(from.id)) msg.sharedContact = [name, phone].filter(Boolean).join(' ');
    else parts.push(`☎ ${[name, phone].filter(Boolean).join(' ')}`);
  }

  const photos = Array.isArray(message.photo) ? message.photo.map(obj).filter((p): p is Obj => !!p) : [];
  const document = obj(message.document);
  if (photos.length > 0 || document) {
    const file = photos.length > 0 ? largest(photos) : document!;
    const isImage = photos.length > 0 || (str(document?.mime_type) ?? '').startsWith('image/');
    if (!isImage) msg.problem = 'attachment_not_image';
    else await attach(msg, api, file, photos.length > 0 ? 'image/jpeg' : str(document?.mime_type) ?? 'image/jpeg');
  } else if (['voice', 'video', 'video_note', 'audio', 'sticker', 'animation', 'poll', 'dice', 'game', 'story'].some((k) => k in message)) {
    // Said politely either way; a caption is still kept as text.
    msg.problem = 'unsupported_kind';
  }

  if (parts.length > 0) msg.text = parts.join('\n');
  if (msg.text === undefined && !msg.attachments && !msg.problem && !msg.sharedContact) {
    return { kind: 'skip', reason: 'message with nothing the tip line reads' };
  }
  return { kind: 'message', msg };
}

function hint(from: Obj): { localeHint?: string } {
  const code = str(from.language_code);
  return code ? { localeHint: code.slice(0, 35) } : {};
}

function largest(photos: Obj[]): Obj {
  return photos.reduce((best, p) => ((num(p.width) ?? 0) * (num(p.height) ?? 0) >= (num(best.width) ?? 0) * (num(best.height) ?? 0) ? p : best));
}

async function attach(msg: InboundMessage, api: TelegramApi, file: Obj, mime: string): Promise<void> {
  const fileId = str(file.file_id);
  if (!fileId) {
    msg.problem = 'attachment_not_image';
    return;
  }
  if ((num(file.file_size) ?? 0) > LIMITS.attachmentBytes) {
    msg.problem = 'attachment_too_large';
    return;
  }
  // Telegram or the network may stumble: try a few times. If the photo still cannot be had,
  // the message goes on without it (its caption is kept) and the reporter is asked to resend.
  for (let attempt = 1; ; attempt++) {
    try {
      const { path, size } = await api.getFilePath(fileId);
      if ((size ?? 0) > LIMITS.attachmentBytes) {
        msg.problem = 'attachment_too_large';
        return;
      }
      const data = await api.download(path, LIMITS.attachmentBytes);
      msg.attachments = [{ kind: 'image', mime, data, platformFileId: fileId }];
      return;
    } catch (err) {
      if (err instanceof FileTooLargeError || /too big/i.test(api.describeError(err).description)) {
        msg.problem = 'attachment_too_large';
        return;
      }
      const failure = api.describeError(err);
      if (attempt >= 3 || failure.code === 400) {
        msg.problem = 'attachment_failed';
        return;
      }
      await new Promise((r) => setTimeout(r, 400 * attempt));
    }
  }
}

/** `/start@tipline_bot child_7` → {name: 'start', args: 'child_7'} when the message starts with a command. */
function botCommand(message: Obj, text: string, botUsername?: string): { name: string; args: string } | undefined {
  const entities = Array.isArray(message.entities) ? message.entities.map(obj) : [];
  const first = entities.find((e) => e && str(e.type) === 'bot_command' && num(e.offset) === 0);
  if (!first) return undefined;
  const m = /^\/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+([\s\S]*))?$/.exec(text);
  if (!m) return undefined;
  if (m[2] && botUsername && m[2].toLowerCase() !== botUsername.toLowerCase()) return undefined;
  return { name: m[1]!.toLowerCase(), args: (m[3] ?? '').trim() };
}

/** Where a forwarded message came from: the circulated photo is usually a channel post. */
function forwardOrigin(message: Obj, reporterId: string): string | undefined {
  const origin = obj(message.forward_origin);
  if (origin) {
    const chat = obj(origin.chat) ?? obj(origin.sender_chat);
    if (chat) return str(chat.title) ?? (str(chat.username) ? `@${str(chat.username)}` : 'channel');
    const user = obj(origin.sender_user);
    // Their own message forwarded back: naming them would undo their anonymity.
    if (user && id(user.id) === reporterId) return undefined;
    if (user) return [str(user.first_name), str(user.last_name)].filter(Boolean).join(' ') || 'user';
    return str(origin.sender_user_name) ?? 'hidden user';
  }
  const chat = obj(message.forward_from_chat);
  if (chat) return str(chat.title) ?? 'channel';
  const user = obj(message.forward_from);
  if (user && id(user.id) === reporterId) return undefined;
  if (user) return str(user.first_name) ?? 'user';
  return undefined;
}
