/**
 * A real core on a real SQLite file in a temp folder, with a recording reporter adapter —
 * the "fake adapter" the conversation tests drive. Nothing of ours is mocked.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Casework } from '../../src/core/casework.ts';
import { TiplineCore } from '../../src/core/tipline.ts';
import type { DeliveryAddress, InboundAttachment, InboundMessage, OutboundMessage, ReporterAdapter } from '../../src/core/types.ts';
import { IdentityVault } from '../../src/crypto.ts';
import { Dispatcher } from '../../src/dispatcher.ts';
import { memoryLogger } from '../../src/log.ts';
import { Store } from '../../src/store/index.ts';
import type { SupportedLocale } from '../../src/i18n/index.ts';

export const TEST_SECRET = 'test-secret-for-unit-tests-only-0123456789';

export class RecordingAdapter implements ReporterAdapter {
  readonly channel = 'fake';
  readonly sent: { to: DeliveryAddress; message: OutboundMessage; key: string }[] = [];
  failWith: Error | undefined;
  async send(to: DeliveryAddress, message: OutboundMessage, meta: { idempotencyKey: string }): Promise<void> {
    if (this.failWith) throw this.failWith;
    this.sent.push({ to, message, key: meta.idempotencyKey });
  }
  /** Messages sent to one sender since index `from`. */
  to(sender: string, from = 0): OutboundMessage[] {
    return this.sent.slice(from).filter((s) => s.to.senderRef === sender).map((s) => s.message);
  }
}

export interface Harness {
  dir: string;
  dbPath: string;
  store: Store;
  core: TiplineCore;
  casework: Casework;
  dispatcher: Dispatcher;
  adapter: RecordingAdapter;
  /** Sends one message as `sender` and returns what the reporter got back. */
  say(sender: string, input: Partial<InboundMessage> & { text?: string }): Promise<OutboundMessage[]>;
  press(sender: string, action: string): Promise<OutboundMessage[]>;
  photo(sender: string, data: Buffer, mime?: string): Promise<OutboundMessage[]>;
  close(): void;
}

let counter = 0;

export function createHarness(
  opts: {
    defaultLocale?: SupportedLocale;
    dir?: string;
    clock?: () => Date;
    desks?: string[];
    /** Other core options (photo matcher, flood limit). */
    core?: Partial<ConstructorParameters<typeof TiplineCore>[0]>;
  } = {},
): Harness {
  const dir = opts.dir ?? mkdtempSync(path.join(tmpdir(), 'tipline-test-'));
  const dbPath = path.join(dir, 'tipline.db');
  const store = Store.open(dbPath);
  const coreOpts: ConstructorParameters<typeof TiplineCore>[0] = {
    store,
    vault: new IdentityVault(TEST_SECRET),
    defaultLocale: opts.defaultLocale ?? 'zh-CN',
    emergencyNumber: '110',
  };
  if (opts.clock) coreOpts.clock = opts.clock;
  if (opts.desks) coreOpts.desks = opts.desks;
  const core = new TiplineCore({ ...coreOpts, ...opts.core });
  const casework = new Casework(core);
  const adapter = new RecordingAdapter();
  // One clock for the core and the dispatcher: what the core queues for later is due on the same clock.
  const dispatcher = new Dispatcher({
    store,
    vault: core.vault,
    log: memoryLogger(),
    deskView: (id) => casework.deskView(id),
    deskDigest: (id) => casework.deskDigest(id),
    deskDigestSent: (ids) => casework.deskDigestSent(ids),
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  dispatcher.register(adapter);
  const h: Harness = {
    dir,
    dbPath,
    store,
    core,
    casework,
    dispatcher,
    adapter,
    async say(sender, input) {
      const before = adapter.sent.length;
      const msg: InboundMessage = {
        channel: 'fake',
        conversationRef: `chat-${sender}`,
        senderRef: sender,
        platformMessageId: `m${++counter}`,
        receivedAt: new Date(),
        ...input,
      };
      await core.processMessage(msg);
      await dispatcher.runOnce();
      return adapter.to(sender, before);
    },
    press(sender, action) {
      return h.say(sender, { action });
    },
    photo(sender, data, mime = 'image/jpeg') {
      const att: InboundAttachment = { kind: mime.startsWith('image/') ? 'image' : 'other', mime, data };
      return h.say(sender, { attachments: [att] });
    },
    close() {
      store.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/**
 * A structurally valid JPEG (SOI, JFIF, a quantisation table, start of scan, scan bytes, EOI)
 * of about `size` bytes: it passes sniffing and metadata stripping like a camera photo.
 */
export function fakeJpeg(size = 2048): Buffer {
  const seg = (marker: number, payload: Buffer) => {
    const head = Buffer.from([0xff, marker, 0, 0]);
    head.writeUInt16BE(payload.length + 2, 2);
    return Buffer.concat([head, payload]);
  };
  const head = Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    seg(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    seg(0xdb, Buffer.alloc(65, 1)),
    Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0]),
  ]);
  const scan = Buffer.alloc(Math.max(16, size - head.length - 2), 0x11);
  return Buffer.concat([head, scan, Buffer.from([0xff, 0xd9])]);
}

/** All text the reporter saw, joined (for language checks). */
export function allText(messages: OutboundMessage[]): string {
  return messages.map((m) => [m.text, ...(m.choices ?? []).map((c) => c.label)].join('\n')).join('\n');
}

/** Finds runs of three or more English words (an untranslated sentence). */
export function englishRuns(text: string): string[] {
  // Case codes (TL-7KQ2-M9XD) are identifiers, not English.
  const withoutCodes = text.replace(/TL-[0-9A-Z]{4}-[0-9A-Z]{4}/g, '');
  return withoutCodes.match(/[A-Za-z]{2,}(?:[\s,.'’-]+[A-Za-z]{2,}){2,}/g) ?? [];
}
