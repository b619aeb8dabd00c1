/**
 * Hostile and awkward files, built in memory, for the tests and the evaluation: what a public
 * upload form receives sooner or later. Each comes with what the decoder must do with it — a
 * refusal code, or `ok` for odd but legitimate pictures (CMYK, 16-bit, alpha, animated GIF:
 * first frame). Decompression bombs are built from hand-written headers; nothing larger than
 * the 10 MiB upload cap is ever allocated.
 */
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { PhotoProblem } from './decode.ts';
import { syntheticFace } from './synthetic.ts';

/** One hostile input and the expected outcome. */
export interface HostileCase {
  name: string;
  data: Buffer;
  expect: PhotoProblem | 'ok';
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(buf: Buffer): number {
  let c = 0xffffffff;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function pngChunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/**
 * A valid-looking PNG header claiming width×height RGB pixels, with `rows` real rows of zeros
 * compressed behind it (a few kilobytes that would inflate to gigabytes).
 */
export function pngBomb(width: number, height: number, rows = 16): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  // Rows of (filter byte + zero pixels), streamed row by row so we never hold a huge buffer.
  const row = Buffer.alloc(Math.min(width * 3 + 1, 1 << 20));
  const idat = deflateSync(Buffer.concat(Array.from({ length: rows }, () => row)));
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), pngChunk('IHDR', ihdr), pngChunk('IDAT', idat), pngChunk('IEND', Buffer.alloc(0))]);
}

/** A JPEG whose frame header claims the given size (the rest is a real small JPEG's data). */
async function jpegClaiming(width: number, height: number): Promise<Buffer> {
  const real = Buffer.from(await sharp({ create: { width: 64, height: 64, channels: 3, background: '#808080' } }).jpeg().toBuffer());
  for (let pos = 2; pos + 9 < real.length; ) {
    const marker = real[pos + 1]!;
    if (marker === 0xc0 || marker === 0xc2) {
      real.writeUInt16BE(height, pos + 5);
      real.writeUInt16BE(width, pos + 7);
      return real;
    }
    pos += 2 + real.readUInt16BE(pos + 2);
  }
  throw new Error('no frame header');
}

/** The hostile set, deterministic. */
export async function hostileCases(): Promise<HostileCase[]> {
  const face = await syntheticFace(424242);
  const w = 64;
  const h = 48;
  const frames = Buffer.alloc(w * h * 2 * 3);
  frames.fill(200, 0, w * h * 3);
  frames.fill(30, w * h * 3);
  const twoPages = { raw: { width: w, height: h * 2, channels: 3 as const, pageHeight: h } };
  const gifScreen = Buffer.from('GIF89a\xff\xff\xff\xff\x00\x00\x00', 'latin1');
  const webpCanvas = Buffer.alloc(30);
  webpCanvas.write('RIFF', 0, 'latin1');
  webpCanvas.writeUInt32LE(22, 4);
  webpCanvas.write('WEBPVP8X', 8, 'latin1');
  webpCanvas.writeUInt32LE(10, 16);
  webpCanvas.writeUIntLE(16383, 24, 3);
  webpCanvas.writeUIntLE(16383, 27, 3);
  const noise = Buffer.alloc(4096);
  for (let i = 0, x = 7; i < noise.length; i++) noise[i] = (x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24;
  return [
    { name: 'empty file', data: Buffer.alloc(0), expect: 'not_image' },
    { name: 'random bytes', data: noise, expect: 'not_image' },
    { name: 'text file renamed .jpg', data: Buffer.from('Dear police, I saw the baby at the market.\n'.repeat(20)), expect: 'not_image' },
    { name: 'truncated JPEG', data: face.subarray(0, Math.floor(face.length * 0.6)), expect: 'malformed' },
    { name: 'JPEG header only', data: face.subarray(0, 200), expect: 'malformed' },
    { name: 'PNG bomb 100000×100000 (header)', data: pngBomb(100_000, 100_000), expect: 'too_large' },
    { name: 'PNG bomb 8000×8000 (64 MP, header)', data: pngBomb(8000, 8000), expect: 'too_large' },
    { name: 'JPEG claiming 65000×65000', data: await jpegClaiming(65000, 65000), expect: 'too_large' },
    { name: 'GIF claiming 65535×65535', data: gifScreen, expect: 'too_large' },
    { name: 'WebP canvas 16384×16384', data: webpCanvas, expect: 'too_large' },
    { name: 'file over 10 MiB', data: Buffer.concat([face.subarray(0, 4), Buffer.alloc(10 * 1024 * 1024 + 1)]), expect: 'too_large' },
    {
      name: 'SVG with script and external reference',
      data: Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"><script>fetch("http://x/")</script><image xlink:href="http://example.com/a.png"/></svg>'),
      expect: 'unsupported_format',
    },
    { name: 'multi-page TIFF', data: await sharp(frames, twoPages).tiff().toBuffer(), expect: 'unsupported_format' },
    { name: 'HEIC-like (ftyp heic)', data: Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic', 'latin1')]), expect: 'unsupported_format' },
    { name: '1×1 PNG', data: await sharp({ create: { width: 1, height: 1, channels: 3, background: '#ff0000' } }).png().toBuffer(), expect: 'malformed' },
    { name: 'animated GIF (first frame used)', data: await sharp(frames, twoPages).gif({ delay: [100, 100] }).toBuffer(), expect: 'ok' },
    { name: 'CMYK JPEG', data: await sharp(face).toColourspace('cmyk').jpeg().toBuffer(), expect: 'ok' },
    { name: '16-bit PNG', data: await sharp(face).toColourspace('rgb16').png().toBuffer(), expect: 'ok' },
    { name: 'PNG with alpha', data: await sharp(face).ensureAlpha(0.5).png().toBuffer(), expect: 'ok' },
  ];
}
