/** Photos lose the metadata that could identify the reporter; the picture itself is untouched. */
import { describe, expect, it } from 'vitest';
import { stripImageMetadata } from '../../src/core/images.ts';
import { createHarness } from '../helpers/core.ts';

function segment(marker: number, payload: Buffer): Buffer {
  const head = Buffer.from([0xff, marker, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([head, payload]);
}

const SCAN = Buffer.from([0xff, 0xda, 0x00, 0x08, 1, 1, 0, 0, 0x3f, 0, 0x12, 0x34, 0x56, 0xff, 0x00, 0x78, 0xff, 0xd9]);

function jpegWithExif(): Buffer {
  return Buffer.concat([
    Buffer.from([0xff, 0xd8]),
    segment(0xe0, Buffer.from('JFIF\0\x01\x01\0\0\x01\0\x01\0\0', 'latin1')),
    segment(0xe1, Buffer.from('Exif\0\0GPSLatitude=25.0409 GPSLongitude=102.7123 Owner=Zhang San', 'latin1')),
    segment(0xe2, Buffer.from('ICC_PROFILE\0colour', 'latin1')),
    segment(0xfe, Buffer.from('taken by Zhang San', 'latin1')),
    segment(0xdb, Buffer.alloc(65, 1)),
    SCAN,
  ]);
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), data, Buffer.alloc(4)]);
}

function pngWithText(): Buffer {
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', Buffer.alloc(13, 1)),
    pngChunk('tEXt', Buffer.from('Author\0Zhang San', 'latin1')),
    pngChunk('eXIf', Buffer.from('GPSLatitude=25.0409', 'latin1')),
    pngChunk('IDAT', Buffer.from([1, 2, 3, 4])),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('photo metadata', () => {
  it('JPEG: EXIF/GPS and comments go; JFIF, colour profile, tables and the scan stay', () => {
    const { data, stripped } = stripImageMetadata(jpegWithExif(), 'image/jpeg');
    expect(stripped).toBe(true);
    const text = data.toString('latin1');
    expect(text).not.toContain('GPSLatitude');
    expect(text).not.toContain('Zhang San');
    expect(text).toContain('JFIF');
    expect(text).toContain('ICC_PROFILE');
    expect(data.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));
    expect(data.subarray(-SCAN.length)).toEqual(SCAN);
  });

  it('PNG: text and eXIf chunks go, image chunks stay', () => {
    const { data, stripped } = stripImageMetadata(pngWithText(), 'image/png');
    expect(stripped).toBe(true);
    const text = data.toString('latin1');
    expect(text).not.toContain('Zhang San');
    expect(text).not.toContain('GPSLatitude');
    for (const t of ['IHDR', 'IDAT', 'IEND']) expect(text).toContain(t);
  });

  it('a file without metadata, or a malformed one, is kept byte for byte', () => {
    const plain = Buffer.concat([Buffer.from([0xff, 0xd8]), segment(0xdb, Buffer.alloc(65, 1)), SCAN]);
    expect(stripImageMetadata(plain, 'image/jpeg')).toEqual({ ok: true, data: plain, stripped: false });
  });

  it('fails closed: what cannot be parsed, or cannot be cleaned, is not ok (never stored as sent)', () => {
    const broken = Buffer.from([0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 1, 2]);
    expect(stripImageMetadata(broken, 'image/jpeg').ok).toBe(false);
    const cut = jpegWithExif().subarray(0, 60);
    expect(stripImageMetadata(cut, 'image/jpeg').ok).toBe(false);
    expect(stripImageMetadata(Buffer.from('....ftypheic....Exif GPS', 'latin1'), 'image/heic').ok).toBe(false);
  });

  it('stray bytes between segments are skipped, and the EXIF still goes', () => {
    const j = jpegWithExif();
    const app1 = j.indexOf(Buffer.from([0xff, 0xe1]));
    const app1Len = j.readUInt16BE(app1 + 2);
    const withStray = Buffer.concat([j.subarray(0, app1 + 2 + app1Len), Buffer.from([0x00, 0x00]), j.subarray(app1 + 2 + app1Len)]);
    const r = stripImageMetadata(withStray, 'image/jpeg');
    expect(r.ok).toBe(true);
    expect(r.data.toString('latin1')).not.toContain('GPSLatitude');
  });

  it('a HEIC photo is refused politely (its location could not be removed), nothing stored', async () => {
    const h = createHarness();
    try {
      const heic = Buffer.concat([Buffer.from([0, 0, 0, 0x18]), Buffer.from('ftypheic', 'latin1'), Buffer.alloc(64, 7)]);
      const out = await h.say('p', { attachments: [{ kind: 'image', mime: 'image/heic', data: heic }] });
      expect(out.map((m) => m.text).join('\n')).toContain('HEIC');
      expect((h.store.db.prepare('SELECT count(*) n FROM attachments').get() as { n: number }).n).toBe(0);
    } finally {
      h.close();
    }
  });

  it('photos a reporter sends are stored without their GPS position', async () => {
    const h = createHarness();
    try {
      await h.say('p', { text: '我在昆明见过3号孩子' });
      await h.say('p', { attachments: [{ kind: 'image', mime: 'image/jpeg', data: jpegWithExif() }] });
      const rows = h.store.db.prepare('SELECT data FROM attachments').all() as { data: Buffer }[];
      expect(rows).toHaveLength(1);
      expect(rows[0]!.data.toString('latin1')).not.toContain('GPSLatitude');
    } finally {
      h.close();
    }
  });
});
