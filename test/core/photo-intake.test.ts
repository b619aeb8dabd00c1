/**
 * A reporter's photo through the real core, store and photo matcher against the bundled sample
 * catalogue: a circulated child's photo is recognised (for caseworkers only), a huge but valid
 * photo is kept, a broken file is refused politely and nothing of it is stored.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCatalogue } from '../../src/catalogue.ts';
import { createPhotoMatcher } from '../../src/photo-matcher.ts';
import { allText, createHarness, type Harness } from '../helpers/core.ts';

const DATA = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../data/catalogue');
let h: Harness;

beforeAll(async () => {
  h = createHarness({ defaultLocale: 'en' });
  await ensureCatalogue(h.store);
});
afterAll(() => h.close());

/** A core on the harness's store and dispatcher, with the real photo matcher on its catalogue. */
async function coreWithMatcher() {
  const { TiplineCore } = await import('../../src/core/tipline.ts');
  return new TiplineCore({ store: h.store, vault: h.core.vault, defaultLocale: 'en', emergencyNumber: '110', photoMatcher: createPhotoMatcher(h.store) });
}

let n = 0;
async function sendPhoto(core: Awaited<ReturnType<typeof coreWithMatcher>>, sender: string, data: Buffer, mime = 'image/jpeg', text?: string) {
  const before = h.adapter.sent.length;
  await core.processMessage({
    channel: 'fake', conversationRef: `chat-${sender}`, senderRef: sender, platformMessageId: `p${++n}`, receivedAt: new Date(),
    attachments: [{ kind: 'image', mime, data }], ...(text ? { text } : {}),
  });
  await h.dispatcher.runOnce();
  return h.adapter.to(sender, before);
}

describe('a reporter’s photo', () => {
  it('of a circulated child (cut from the poster, re-compressed, with a caption) names the child for caseworkers only', async () => {
    const core = await coreWithMatcher();
    const poster = path.join(DATA, 'poster.jpg');
    const meta = await sharp(poster).metadata();
    // Child 3: first row, third column of the poster.
    const crop = await sharp(poster)
      .extract({ left: Math.round(meta.width! * 0.5), top: Math.round(meta.height! * 0.1), width: Math.round(meta.width! * 0.25), height: Math.round(meta.height! * 0.3) })
      .jpeg({ quality: 55 })
      .toBuffer();
    const out = await sendPhoto(core, 'photo-1', crop, 'image/jpeg', 'I saw this child at the market this morning');
    const code = out.find((m) => m.caseCode)!.caseCode!;
    const c = h.store.cases.byCode(code)!;
    expect(c.candidates[0]).toMatchObject({ number: 3, sources: ['photo'] });
    expect(c.candidates[0]!.reasons[0]).toMatch(/^photo:(strong|likely):d=/);
    expect(h.store.links.casesForChild(3).map((l) => l.caseId)).toContain(c.id);
    expect(allText(out)).not.toMatch(/#\s?3\b|number 3|3号/i);
  });

  it('too large to decode (48 megapixels) is kept, only not compared', async () => {
    const core = await coreWithMatcher();
    const big = await sharp({ create: { width: 8000, height: 6000, channels: 3, background: '#88aacc' } }).jpeg({ quality: 50 }).toBuffer();
    expect(big.length).toBeLessThan(10 * 1024 * 1024);
    const out = await sendPhoto(core, 'photo-2', big, 'image/jpeg', 'photo of the van');
    expect(allText(out)).not.toMatch(/too large|not an image/i);
    const code = out.find((m) => m.caseCode)!.caseCode!;
    expect(h.store.cases.attachments(h.store.cases.byCode(code)!.id)).toHaveLength(1);
  });

  it('that is broken (a truncated JPEG) is refused politely; its caption is kept, the file is not', async () => {
    const core = await coreWithMatcher();
    const good = await sharp(path.join(DATA, 'child-05.jpg')).toBuffer();
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    const out = await sendPhoto(core, 'photo-3', truncated, 'image/jpeg', 'the man who took her');
    expect(allText(out).length).toBeGreaterThan(0);
    const codes = out.filter((m) => m.caseCode).map((m) => m.caseCode!);
    for (const code of codes) expect(h.store.cases.attachments(h.store.cases.byCode(code)!.id)).toHaveLength(0);
  });
});

describe('the whole police poster, forwarded', () => {
  it('is seen as the poster: no single child is proposed from it', async () => {
    const core = await coreWithMatcher();
    const poster = await sharp(path.join(DATA, 'poster.jpg')).jpeg({ quality: 70 }).toBuffer();
    const out = await sendPhoto(core, 'photo-4', poster, 'image/jpeg', 'everyone please share this');
    const code = out.find((m) => m.caseCode)!.caseCode!;
    const c = h.store.cases.byCode(code)!;
    expect(c.candidates.length).toBeGreaterThan(0);
    for (const cand of c.candidates) {
      expect(cand.confidence).toBe('possible');
      expect(cand.reasons[0]).toMatch(/^photo:poster-of-\d+$/);
    }
  });
});

describe('a decompression bomb', () => {
  it('(a few bytes claiming 100000×100000 pixels) is refused and not stored', async () => {
    const core = await coreWithMatcher();
    const header = Buffer.from('89504e470d0a1a0a0000000d49484452000186a0000186a00806000000', 'hex');
    const bomb = Buffer.concat([header, Buffer.alloc(64)]);
    const stored = () => (h.store.db.prepare('SELECT count(*) AS n FROM attachments').get() as { n: number }).n;
    const before = stored();
    const out = await sendPhoto(core, 'photo-5', bomb, 'image/png', 'look at this');
    expect(allText(out).length).toBeGreaterThan(0);
    expect(stored()).toBe(before);
  });
});
