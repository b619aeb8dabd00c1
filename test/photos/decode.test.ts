/**
 * Hostile and awkward files: each is refused with its problem code (or, for odd but legitimate
 * pictures, decoded), and nothing throws. Bombs are hand-written headers, never allocated.
 */
import { describe, expect, it } from 'vitest';
import { decodeImage, headerDimensions, MIN_INPUT_SIDE, sniffFormat } from '../../src/photos/decode.ts';
import { hostileCases, pngBomb } from '../../src/photos/hostile.ts';
import { fingerprintPhoto, fingerprintQuery } from '../../src/photos/index.ts';
import { solidImage, syntheticFace } from '../../src/photos/synthetic.ts';

const cases = await hostileCases();

describe('hostile inputs', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const q = await fingerprintQuery(c.data);
    const p = await fingerprintPhoto(c.data);
    if (c.expect === 'ok') {
      expect(q.ok).toBe(true);
      expect(p.ok).toBe(true);
    } else {
      expect(q).toMatchObject({ ok: false, problem: c.expect });
      expect(p).toMatchObject({ ok: false, problem: c.expect });
      if (!q.ok) expect(q.detail.length).toBeGreaterThan(5);
    }
  });

  it('covers what the brief names', () => {
    const names = cases.map((c) => c.name).join('\n');
    for (const kind of ['truncated JPEG', '100000×100000', 'random bytes', 'text file', 'SVG', 'GIF', 'multi-page TIFF', 'empty', '1×1', 'CMYK', '16-bit', 'alpha']) {
      expect(names).toContain(kind);
    }
  });

  it('refuses a bomb from its header alone (no pixel is decoded)', async () => {
    const bomb = pngBomb(100_000, 100_000);
    expect(bomb.length).toBeLessThan(100_000);
    expect(headerDimensions(bomb, 'png')).toEqual({ width: 100_000, height: 100_000 });
    expect(await decodeImage(bomb)).toMatchObject({ ok: false, problem: 'too_large' });
  });

  it('never throws, whatever the bytes', async () => {
    const face = await syntheticFace(30001);
    // Every prefix length class and a few corrupted copies of a real JPEG.
    const inputs: Buffer[] = [0, 1, 2, 3, 10, 100, 600, face.length - 10].map((n) => face.subarray(0, n));
    for (let i = 0; i < 6; i++) {
      const copy = Buffer.from(face);
      for (let k = 0; k < 20; k++) {
        const at = (i * 7919 + k * 104729) % copy.length;
        copy[at] = copy[at]! ^ 0x5a;
      }
      inputs.push(copy);
    }
    for (const data of inputs) {
      const r = await fingerprintQuery(data);
      if (!r.ok) expect(['not_image', 'unsupported_format', 'too_large', 'malformed']).toContain(r.problem);
    }
  });
});

describe('decoding', () => {
  it('sniffs formats by their bytes, not their names', () => {
    expect(sniffFormat(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpeg');
    expect(sniffFormat(Buffer.from('GIF89a......', 'latin1'))).toBe('gif');
    expect(sniffFormat(Buffer.from('RIFF\0\0\0\0WEBPVP8 ', 'latin1'))).toBe('webp');
    expect(sniffFormat(Buffer.from('MM\0*....', 'latin1'))).toMatchObject({ problem: 'unsupported_format' });
    expect(sniffFormat(Buffer.from('  <svg onload="x()">', 'utf8'))).toMatchObject({ problem: 'unsupported_format' });
    expect(sniffFormat(Buffer.from('hello', 'utf8'))).toMatchObject({ problem: 'not_image' });
  });

  it('reduces to analysis size, keeps the orientation-corrected source size, first frame only', async () => {
    const big = await solidImage(2000, 1500);
    const r = await decodeImage(big);
    expect(r.ok && [r.image.width, r.image.height, r.image.sourceWidth, r.image.sourceHeight]).toEqual([512, 384, 2000, 1500]);
    // EXIF orientation 6 (rotate 90°): width and height swap.
    const rotated = await solidImage(600, 300, { orientation: 6 });
    const o = await decodeImage(rotated);
    expect(o.ok && [o.image.width, o.image.height, o.image.sourceWidth, o.image.sourceHeight]).toEqual([256, 512, 300, 600]);
  });

  it('keeps a very tall screenshot wide enough to find the photo in it', async () => {
    const tall = await solidImage(720, 2880, { format: 'png', colour: '#ffffff' });
    const r = await decodeImage(tall);
    expect(r.ok && r.image.width).toBeGreaterThanOrEqual(250);
  });

  it('refuses pictures smaller than the minimum side', async () => {
    const tiny = await solidImage(MIN_INPUT_SIDE - 1, 100, { format: 'png' });
    expect(await decodeImage(tiny)).toMatchObject({ ok: false, problem: 'malformed' });
  });
});
