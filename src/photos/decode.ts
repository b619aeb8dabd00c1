/**
 * Safe decoding of untrusted pictures into a small RGB raster for hashing.
 *
 * Order matters: cheap checks on the bytes first (size cap, magic bytes, the dimensions written
 * in the header) so that a decompression bomb, an SVG with scripts or a TIFF never reaches the
 * decoder; then libvips with a pixel cap, strict failure on damaged data, the first frame only,
 * and shrink-on-load straight to analysis size, so a full-size raster is never held.
 */
import sharp from 'sharp';

/** Why a picture was refused. */
export type PhotoProblem = 'not_image' | 'unsupported_format' | 'too_large' | 'malformed';

/** Formats we decode. Everything else is refused before the decoder sees it. */
export type PhotoFormat = 'jpeg' | 'png' | 'gif' | 'webp';

/** Refusal with a stable code and a one-line reason (never the file's content). */
export interface PhotoRefusal {
  ok: false;
  problem: PhotoProblem;
  detail: string;
}

/** A decoded picture, reduced for analysis: RGB, 8 bits, row-major. */
export interface DecodedImage {
  width: number;
  height: number;
  /** `width * height * 3` bytes. */
  rgb: Uint8Array;
  /** Dimensions of the picture as sent (after EXIF orientation). */
  sourceWidth: number;
  sourceHeight: number;
  format: PhotoFormat;
}

/** Input byte cap: phone photos and screenshots are well under this. */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;
/** Pixel cap (40 MP): above it a picture is refused before any pixel is decoded. */
export const MAX_INPUT_PIXELS = 40_000_000;
/** No side may exceed this, whatever the pixel count (a 100000×300 strip is not a photo). */
export const MAX_INPUT_SIDE = 20_000;
/** Smaller than this on either side there is nothing to compare. */
export const MIN_INPUT_SIDE = 24;
/** Longest side of the analysis raster for ordinary aspect ratios. */
export const ANALYSIS_SIDE = 512;

// A server on two cores: one libvips thread per image (requests run side by side in the libuv
// pool instead) and no operation cache, which would otherwise keep decoded tiles of strangers'
// photos in memory.
sharp.concurrency(1);
sharp.cache(false);

function refuse(problem: PhotoProblem, detail: string): PhotoRefusal {
  return { ok: false, problem, detail };
}

/** What the first bytes say the file is: one of our formats, or a refusal. */
export function sniffFormat(data: Buffer): PhotoFormat | PhotoRefusal {
  if (data.length === 0) return refuse('not_image', 'empty file');
  const ascii = data.subarray(0, 16).toString('latin1');
  if (data.length >= 3 && data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpeg';
  if (data.length >= 8 && data.readUInt32BE(0) === 0x89504e47 && data.readUInt32BE(4) === 0x0d0a1a0a) return 'png';
  if (ascii.startsWith('GIF87a') || ascii.startsWith('GIF89a')) return 'gif';
  if (ascii.startsWith('RIFF') && ascii.slice(8, 12) === 'WEBP') return 'webp';
  if (ascii.startsWith('II*\0') || ascii.startsWith('MM\0*')) return refuse('unsupported_format', 'TIFF is not accepted; send a JPEG, PNG or WebP');
  if (ascii.slice(4, 8) === 'ftyp') return refuse('unsupported_format', 'HEIC/AVIF/MP4 is not accepted; send a JPEG, PNG or WebP');
  if (ascii.startsWith('BM')) return refuse('unsupported_format', 'BMP is not accepted; send a JPEG, PNG or WebP');
  if (ascii.startsWith('%PDF')) return refuse('unsupported_format', 'PDF is not accepted; send a photo');
  // SVG is text: it may carry scripts and external references, so it is never rendered.
  const head = data.subarray(0, 1024).toString('utf8').replace(/^\uFEFF/, '').trimStart().toLowerCase();
  if (head.startsWith('<svg') || (head.startsWith('<?xml') && head.includes('<svg')) || head.includes('<svg')) {
    return refuse('unsupported_format', 'SVG is not accepted; send a photo');
  }
  return refuse('not_image', 'not a picture (unknown file signature)');
}

/** Width and height as written in the file header, without decoding; undefined when unreadable. */
export function headerDimensions(data: Buffer, format: PhotoFormat): { width: number; height: number } | undefined {
  try {
    if (format === 'png') {
      // IHDR must be the first chunk.
      if (data.length < 24 || data.toString('latin1', 12, 16) !== 'IHDR') return undefined;
      return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
    }
    if (format === 'gif') {
      if (data.length < 10) return undefined;
      return { width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
    }
    if (format === 'webp') {
      const chunk = data.toString('latin1', 12, 16);
      if (chunk === 'VP8X' && data.length >= 30) return { width: 1 + data.readUIntLE(24, 3), height: 1 + data.readUIntLE(27, 3) };
      if (chunk === 'VP8 ' && data.length >= 30) return { width: data.readUInt16LE(26) & 0x3fff, height: data.readUInt16LE(28) & 0x3fff };
      if (chunk === 'VP8L' && data.length >= 25) {
        const b = data.readUInt32LE(21);
        return { width: 1 + (b & 0x3fff), height: 1 + ((b >>> 14) & 0x3fff) };
      }
      return undefined;
    }
    // JPEG: walk the segments to the first start-of-frame.
    let pos = 2;
    while (pos + 9 < data.length) {
      if (data[pos] !== 0xff) return undefined;
      const marker = data[pos + 1]!;
      if (marker === 0xff) {
        pos++;
        continue;
      }
      const isSof = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
      if (isSof) return { width: data.readUInt16BE(pos + 7), height: data.readUInt16BE(pos + 5) };
      if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
        pos += 2;
        continue;
      }
      if (marker === 0xda || marker === 0xd9) return undefined; // scan before any frame header
      pos += 2 + data.readUInt16BE(pos + 2);
    }
  } catch {
    /* a header cut short */
  }
  return undefined;
}

/**
 * Decodes `data` into an RGB raster whose longest side is about {@link ANALYSIS_SIDE} (longer for
 * very tall screenshots, so the photo inside keeps enough pixels). Never throws.
 */
export async function decodeImage(data: Buffer): Promise<{ ok: true; image: DecodedImage } | PhotoRefusal> {
  if (!Buffer.isBuffer(data)) return refuse('not_image', 'not a file');
  if (data.length > MAX_INPUT_BYTES) return refuse('too_large', `file is ${(data.length / 1048576).toFixed(1)} MiB; the limit is 10 MiB`);
  const format = sniffFormat(data);
  if (typeof format !== 'string') return format;
  const dims = headerDimensions(data, format);
  if (!dims) return refuse('malformed', `${format.toUpperCase()} header is damaged or cut short`);
  const { width, height } = dims;
  if (width === 0 || height === 0) return refuse('malformed', `${format.toUpperCase()} header gives a zero size`);
  if (width * height > MAX_INPUT_PIXELS || width > MAX_INPUT_SIDE || height > MAX_INPUT_SIDE) {
    return refuse('too_large', `${width}×${height} pixels; the limit is 40 megapixels and 20000 pixels a side`);
  }
  if (width < MIN_INPUT_SIDE || height < MIN_INPUT_SIDE) {
    return refuse('malformed', `${width}×${height} pixels is too small to compare (at least ${MIN_INPUT_SIDE}×${MIN_INPUT_SIDE})`);
  }
  // Tall screenshots get a longer analysis side so their width keeps ~256 pixels.
  const aspect = Math.max(width, height) / Math.min(width, height);
  const box = Math.min(1536, Math.round(ANALYSIS_SIDE * Math.max(1, aspect / 2)));
  try {
    const { data: px, info } = await sharp(data, {
      limitInputPixels: MAX_INPUT_PIXELS,
      failOn: 'error',
      pages: 1,
      autoOrient: true,
      sequentialRead: true,
    })
      .timeout({ seconds: 5 })
      .resize({ width: box, height: box, fit: 'inside', withoutEnlargement: true })
      .flatten({ background: '#ffffff' })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) return refuse('malformed', `unexpected ${info.channels}-channel output`);
    const swapped = info.width > info.height !== width > height && width !== height;
    return {
      ok: true,
      image: {
        width: info.width,
        height: info.height,
        rgb: new Uint8Array(px.buffer, px.byteOffset, px.length),
        sourceWidth: swapped ? height : width,
        sourceHeight: swapped ? width : height,
        format,
      },
    };
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/timeout/i.test(msg)) return refuse('too_large', 'decoding took too long');
    if (/pixel limit/i.test(msg)) return refuse('too_large', 'more than 40 megapixels');
    if (/unsupported image format/i.test(msg)) return refuse('unsupported_format', `${format.toUpperCase()} variant not supported`);
    // libvips messages name the library and the fault ("VipsJpeg: premature end of JPEG file").
    return refuse('malformed', `${format.toUpperCase()} data is damaged or cut short`);
  }
}
