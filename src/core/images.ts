/**
 * Removes metadata that can identify a reporter from the photos they send: EXIF (GPS position,
 * camera serial, owner name), XMP, IPTC and comments. Pure byte surgery on JPEG, PNG and WebP;
 * pixels are untouched. Other formats (GIF has no such metadata; HEIC is left as sent and
 * flagged by the caller) pass through.
 */

/**
 * The image without identifying metadata. Fails closed: `ok: false` when the file cannot be
 * read well enough to be sure nothing is left (the caller refuses it politely), and for formats
 * we cannot clean (HEIC, AVIF). GIF carries no location data and passes as it is.
 */
export function stripImageMetadata(data: Buffer, mime: string): { ok: boolean; data: Buffer; stripped: boolean } {
  try {
    if (mime === 'image/jpeg') return { ok: true, ...stripJpeg(data) };
    if (mime === 'image/png') return { ok: true, ...stripPng(data) };
    if (mime === 'image/webp') return { ok: true, ...stripWebp(data) };
    if (mime === 'image/gif') return { ok: true, data, stripped: false };
  } catch {
    /* malformed: fall through to "not ok" */
  }
  return { ok: false, data, stripped: false };
}

/** Formats whose metadata we cannot remove: refused with a request for a JPEG or a screenshot. */
export function isUncleanableImage(mime: string): boolean {
  return mime === 'image/heic' || mime === 'image/avif';
}

// APP0 (JFIF), APP2 (ICC colour profile) and APP14 (Adobe colour transform) are needed to show
// the picture right; every other APPn segment and comments are metadata.
const JPEG_KEEP_APP = new Set([0xe0, 0xe2, 0xee]);

function stripJpeg(data: Buffer): { data: Buffer; stripped: boolean } {
  if (data[0] !== 0xff || data[1] !== 0xd8) return { data, stripped: false };
  const parts: Buffer[] = [data.subarray(0, 2)];
  let pos = 2;
  let stripped = false;
  while (pos + 4 <= data.length) {
    if (data[pos] !== 0xff) {
      // Stray bytes between segments (some cameras write padding): skip to the next marker.
      const next = data.indexOf(0xff, pos);
      if (next < 0) throw new Error('no marker');
      stripped = true;
      pos = next;
      continue;
    }
    const marker = data[pos + 1]!;
    if (marker === 0xff) {
      pos++; // fill byte
      continue;
    }
    if (marker === 0xda) {
      parts.push(data.subarray(pos)); // start of scan: the rest is image data
      return { data: stripped ? Buffer.concat(parts) : data, stripped };
    }
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      parts.push(data.subarray(pos, pos + 2));
      pos += 2;
      continue;
    }
    const length = data.readUInt16BE(pos + 2);
    const end = pos + 2 + length;
    if (length < 2 || end > data.length) throw new Error('bad segment');
    const isMetadata = (marker >= 0xe0 && marker <= 0xef && !JPEG_KEEP_APP.has(marker)) || marker === 0xfe;
    if (isMetadata) stripped = true;
    else parts.push(data.subarray(pos, end));
    pos = end;
  }
  throw new Error('no image data');
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const PNG_DROP = new Set(['tEXt', 'zTXt', 'iTXt', 'eXIf', 'tIME']);

function stripPng(data: Buffer): { data: Buffer; stripped: boolean } {
  if (!data.subarray(0, 8).equals(PNG_SIGNATURE)) return { data, stripped: false };
  const parts: Buffer[] = [PNG_SIGNATURE];
  let pos = 8;
  let stripped = false;
  while (pos + 12 <= data.length) {
    const length = data.readUInt32BE(pos);
    const type = data.subarray(pos + 4, pos + 8).toString('latin1');
    const end = pos + 12 + length;
    if (end > data.length) throw new Error('bad chunk');
    if (PNG_DROP.has(type)) stripped = true;
    else parts.push(data.subarray(pos, end));
    pos = end;
    if (type === 'IEND') break;
  }
  return { data: stripped ? Buffer.concat(parts) : data, stripped };
}

function stripWebp(data: Buffer): { data: Buffer; stripped: boolean } {
  if (data.subarray(0, 4).toString('latin1') !== 'RIFF' || data.subarray(8, 12).toString('latin1') !== 'WEBP') {
    return { data, stripped: false };
  }
  const parts: Buffer[] = [];
  let pos = 12;
  let stripped = false;
  while (pos + 8 <= data.length) {
    const fourcc = data.subarray(pos, pos + 4).toString('latin1');
    const size = data.readUInt32LE(pos + 4);
    const end = pos + 8 + size + (size % 2);
    if (end > data.length + 1) throw new Error('bad chunk');
    if (fourcc === 'EXIF' || fourcc === 'XMP ') {
      stripped = true;
    } else {
      const chunk = Buffer.from(data.subarray(pos, Math.min(end, data.length)));
      // VP8X announces EXIF (0x08) and XMP (0x04) chunks in its flags: clear them.
      if (fourcc === 'VP8X' && chunk.length > 8) chunk[8] = chunk[8]! & ~0x0c;
      parts.push(chunk);
    }
    pos = end;
  }
  if (!stripped) return { data, stripped: false };
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(12);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(body.length + 4, 4);
  header.write('WEBP', 8, 'latin1');
  return { data: Buffer.concat([header, body]), stripped: true };
}
