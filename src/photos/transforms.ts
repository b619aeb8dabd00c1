/**
 * What happens to a circulated photo before it reaches us: screenshots of a chat or a notice
 * with the photo inside and a caption, JPEG re-compression, resizing, cropping, rotation, a
 * phone photo of a screen, a poster grid of several children, greyscale. All deterministic from
 * a seed. Used by the tests and the evaluation, never by the matcher itself.
 */
import sharp, { type OverlayOptions } from 'sharp';
import { hsl, Rng } from './prng.ts';

type Raw = { data: Buffer; width: number; height: number };

async function raw(img: Buffer): Promise<Raw> {
  const { data, info } = await sharp(img).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

function escapeXml(s: string): string {
  return s.replace(/[<>&"]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;' })[c]!);
}

/** Fonts may be missing (CI): the text then renders as boxes or not at all, which is fine. */
const FONT = 'DejaVu Sans, Noto Sans CJK SC, sans-serif';

/** Re-encodes as JPEG at the given quality (10–30 is what chat apps do to forwarded photos). */
export function recompress(img: Buffer, quality: number): Promise<Buffer> {
  return sharp(img).jpeg({ quality }).toBuffer();
}

/** Resizes to `width` pixels wide, keeping the aspect ratio (up or down). */
export function resizeTo(img: Buffer, width: number): Promise<Buffer> {
  return sharp(img).resize({ width, kernel: 'lanczos3' }).jpeg({ quality: 90 }).toBuffer();
}

/** Greyscale copy. */
export function greyscale(img: Buffer): Promise<Buffer> {
  return sharp(img).greyscale().jpeg({ quality: 88 }).toBuffer();
}

/** Cuts `fraction` (e.g. 0.05–0.10) of the width and of the height away, split between sides by the seed. */
export async function cropBy(img: Buffer, fraction: number, seed: number): Promise<Buffer> {
  const rng = new Rng(seed);
  const { width = 0, height = 0 } = await sharp(img).metadata();
  const cw = Math.round(width * fraction);
  const ch = Math.round(height * fraction);
  const left = Math.round(cw * rng.next());
  const top = Math.round(ch * rng.next());
  return sharp(img)
    .extract({ left, top, width: width - cw, height: height - ch })
    .jpeg({ quality: 90 })
    .toBuffer();
}

/**
 * Rotates by `degrees`. `fill`: the canvas grows and the corners take `background` (a photo
 * pasted at an angle); `crop`: the largest upright rectangle inside the rotated picture (a
 * photo straightened or cropped by hand), so no corner shows.
 */
export async function rotateBy(img: Buffer, degrees: number, mode: 'fill' | 'crop', background = '#ffffff'): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(img).metadata();
  const rotated = await sharp(img).rotate(degrees, { background }).jpeg({ quality: 92 }).toBuffer();
  if (mode === 'fill') return rotated;
  // Largest axis-aligned rectangle of the original aspect inside the rotated one.
  const a = (Math.abs(degrees) * Math.PI) / 180;
  const scale = Math.min(width / (width * Math.cos(a) + height * Math.sin(a)), height / (width * Math.sin(a) + height * Math.cos(a)));
  const meta = await sharp(rotated).metadata();
  const w = Math.floor(width * scale) - 2;
  const h = Math.floor(height * scale) - 2;
  return sharp(rotated)
    .extract({ left: Math.floor(((meta.width ?? 0) - w) / 2), top: Math.floor(((meta.height ?? 0) - h) / 2), width: w, height: h })
    .jpeg({ quality: 90 })
    .toBuffer();
}

function textSvg(rng: Rng, x: number, y: number, width: number, lines: number, size: number, colour: string): string {
  const words = ['这个孩子', '请大家转发', '寻找父母', 'police', 'baby', '开远市', '公安局', 'please share', '有线索', 'call', '110', '谢谢'];
  let s = '';
  for (let i = 0; i < lines; i++) {
    let line = '';
    while (line.length * size * 0.62 < width - size * 2) line += `${rng.pick(words)} `;
    s += `<text x="${x}" y="${(y + i * size * 1.45).toFixed(0)}" font-family="${FONT}" font-size="${size}" fill="${colour}">${escapeXml(line.trim())}</text>`;
  }
  return s;
}

/**
 * A phone screenshot with the photo inside: a chat (light or dark theme) with text bubbles
 * around, or a police notice page with a title and paragraphs. The photo covers roughly a
 * quarter to a half of the screenshot.
 */
export async function screenshot(img: Buffer, seed: number, style: 'chat' | 'notice' = 'chat'): Promise<Buffer> {
  const rng = new Rng(seed);
  const W = 720;
  const H = rng.pick([1280, 1440, 1560]);
  const dark = style === 'chat' && rng.chance(0.4);
  const meta = await sharp(img).metadata();
  const pw = Math.round(W * rng.range(0.55, 0.82));
  const ph = Math.round((pw * (meta.height ?? 1)) / (meta.width ?? 1));
  let svg = '';
  let px: number;
  let py: number;
  if (style === 'chat') {
    svg += `<rect width="${W}" height="${H}" fill="${dark ? '#0e1621' : rng.pick(['#e6ebee', '#ffffff', '#dfe8d8'])}"/>`;
    svg += `<rect width="${W}" height="120" fill="${dark ? '#17212b' : hsl(rng.range(190, 220), 0.4, 0.45)}"/>`;
    svg += `<text x="110" y="80" font-family="${FONT}" font-size="30" fill="#ffffff">${escapeXml(rng.pick(['家人群', 'Neighbours', '寻亲互助', 'Mum']))}</text>`;
    let y = 150;
    for (let i = 0; i < rng.int(0, 2); i++) {
      const lines = rng.int(1, 3);
      svg += `<rect x="16" y="${y}" width="${W * 0.7}" height="${lines * 36 + 24}" rx="16" fill="${dark ? '#182533' : '#ffffff'}"/>`;
      svg += textSvg(rng, 34, y + 40, W * 0.7 - 30, lines, 24, dark ? '#e8e8e8' : '#111111');
      y += lines * 36 + 44;
    }
    const mine = rng.chance(0.5);
    px = mine ? W - pw - 24 : 24;
    py = y + 8;
    const lines = rng.int(1, 3);
    svg += `<rect x="${px - 8}" y="${py - 8}" width="${pw + 16}" height="${ph + 24 + lines * 36}" rx="16" fill="${mine ? (dark ? '#2b5278' : '#effdde') : dark ? '#182533' : '#ffffff'}"/>`;
    svg += textSvg(rng, px + 8, py + ph + 36, pw, lines, 24, dark ? '#e8e8e8' : '#111111');
    y = py + ph + 40 + lines * 36;
    while (y < H - 120) {
      const l = rng.int(1, 3);
      svg += `<rect x="${W * 0.25}" y="${y}" width="${W * 0.7}" height="${l * 36 + 24}" rx="16" fill="${dark ? '#2b5278' : '#effdde'}"/>`;
      svg += textSvg(rng, W * 0.25 + 18, y + 40, W * 0.7 - 30, l, 24, dark ? '#e8e8e8' : '#111111');
      y += l * 36 + 44;
    }
    svg += `<rect y="${H - 96}" width="${W}" height="96" fill="${dark ? '#17212b' : '#f5f5f5'}"/>`;
  } else {
    svg += `<rect width="${W}" height="${H}" fill="#ffffff"/><rect width="${W}" height="150" fill="#c0161b"/>`;
    svg += `<text x="40" y="95" font-family="${FONT}" font-size="46" fill="#ffffff">寻亲公告 Notice</text>`;
    svg += textSvg(rng, 40, 210, W - 80, rng.int(2, 4), 24, '#222222');
    px = Math.round((W - pw) / 2);
    py = 380;
    svg += textSvg(rng, 40, py + ph + 60, W - 80, rng.int(3, 8), 24, '#222222');
  }
  const photo = await sharp(img).resize(pw, ph).toBuffer();
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${svg}</svg>`))
    .composite([{ input: photo, left: px, top: py }])
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: rng.int(75, 92) })
    .toBuffer();
}

/**
 * A poster of several children in a grid with their numbers under the photos, like the one
 * the police circulated. `cells` are the portraits; `numbers` what is printed under each.
 */
export async function posterGrid(cells: Buffer[], numbers: number[], opts: { columns?: number; width?: number; quality?: number } = {}): Promise<Buffer> {
  const columns = opts.columns ?? 4;
  const W = opts.width ?? 1200;
  const gap = Math.round(W * 0.025);
  const cw = Math.floor((W - gap * (columns + 1)) / columns);
  const chh = Math.round(cw * (560 / 480));
  const rows = Math.ceil(cells.length / columns);
  const head = Math.round(W * 0.1);
  const label = Math.round(cw * 0.22);
  const H = head + rows * (chh + label) + gap * (rows + 1);
  let svg = `<rect width="${W}" height="${H}" fill="#ffffff"/><rect width="${W}" height="${head}" fill="#b5121b"/>`;
  svg += `<text x="${gap}" y="${Math.round(head * 0.65)}" font-family="${FONT}" font-size="${Math.round(head * 0.45)}" fill="#ffffff">被解救儿童 寻找亲人 Rescued children</text>`;
  const composites: OverlayOptions[] = [];
  for (let i = 0; i < cells.length; i++) {
    const x = gap + (i % columns) * (cw + gap);
    const y = head + gap + Math.floor(i / columns) * (chh + label + gap);
    composites.push({ input: await sharp(cells[i]!).resize(cw, chh).toBuffer(), left: x, top: y });
    svg += `<text x="${x + cw / 2}" y="${y + chh + label * 0.75}" text-anchor="middle" font-family="${FONT}" font-size="${Math.round(label * 0.7)}" fill="#000000">${numbers[i]}号</text>`;
  }
  return sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}">${svg}</svg>`))
    .composite(composites)
    .flatten({ background: '#ffffff' })
    .jpeg({ quality: opts.quality ?? 85 })
    .toBuffer();
}

/** Solves the 3×3 homography taking `from[i]` to `to[i]` (four point pairs). */
function homography(from: number[][], to: number[][]): number[] {
  const A: number[][] = [];
  for (let i = 0; i < 4; i++) {
    const [x, y] = from[i]!;
    const [u, v] = to[i]!;
    A.push([x!, y!, 1, 0, 0, 0, -u! * x!, -u! * y!, u!]);
    A.push([0, 0, 0, x!, y!, 1, -v! * x!, -v! * y!, v!]);
  }
  for (let c = 0; c < 8; c++) {
    let p = c;
    for (let r = c + 1; r < 8; r++) if (Math.abs(A[r]![c]!) > Math.abs(A[p]![c]!)) p = r;
    [A[c], A[p]] = [A[p]!, A[c]!];
    for (let r = 0; r < 8; r++) {
      if (r === c) continue;
      const f = A[r]![c]! / A[c]![c]!;
      for (let k = c; k < 9; k++) A[r]![k]! -= f * A[c]![k]!;
    }
  }
  return [...A.map((row, i) => row[8]! / row[i]!), 1];
}

/**
 * A phone photo of a screen showing the picture: the screen in perspective inside a dark bezel
 * on a room background, with brightness/contrast/gamma shifted, slight blur, moiré and noise.
 */
export async function screenPhoto(img: Buffer, seed: number): Promise<Buffer> {
  const rng = new Rng(seed);
  const src = await raw(img);
  const W = rng.pick([900, 1000, 1200]);
  const H = Math.round(W * rng.range(0.75, 1.33));
  // Where the screen's corners land (tl, tr, br, bl): centred, 65–85 % of the frame, skewed.
  const fill = rng.range(0.65, 0.85);
  const scale = Math.min((W * fill) / src.width, (H * fill) / src.height);
  const sw = src.width * scale;
  const sh = src.height * scale;
  const x0 = (W - sw) / 2 + rng.range(-0.05, 0.05) * W;
  const y0 = (H - sh) / 2 + rng.range(-0.05, 0.05) * H;
  const j = () => rng.range(-0.05, 0.05) * Math.min(sw, sh);
  const quad = [
    [x0 + j(), y0 + j()],
    [x0 + sw + j(), y0 + j()],
    [x0 + sw + j(), y0 + sh + j()],
    [x0 + j(), y0 + sh + j()],
  ];
  const corners = [
    [0, 0],
    [src.width, 0],
    [src.width, src.height],
    [0, src.height],
  ];
  const Hm = homography(quad, corners); // output pixel -> source pixel
  const bezel = Math.min(sw, sh) * rng.range(0.04, 0.09);
  const room = [rng.range(40, 200), rng.range(40, 200), rng.range(40, 200)];
  const gain = rng.range(0.75, 1.2);
  const offset = rng.range(-20, 25);
  const gamma = rng.range(0.75, 1.35);
  const moireAmp = rng.range(0.03, 0.08);
  const mf = rng.range(0.28, 0.45);
  const ma = rng.range(0, Math.PI);
  const out = Buffer.alloc(W * H * 3);
  const sample = (x: number, y: number, c: number) => {
    const xi = Math.min(src.width - 2, Math.max(0, Math.floor(x)));
    const yi = Math.min(src.height - 2, Math.max(0, Math.floor(y)));
    const fx = Math.min(1, Math.max(0, x - xi));
    const fy = Math.min(1, Math.max(0, y - yi));
    const i = (yi * src.width + xi) * 3 + c;
    const r = src.width * 3;
    return (src.data[i]! * (1 - fx) + src.data[i + 3]! * fx) * (1 - fy) + (src.data[i + r]! * (1 - fx) + src.data[i + r + 3]! * fx) * fy;
  };
  for (let y = 0; y < H; y++) {
    for (let x = 0; x < W; x++) {
      const d = Hm[6]! * x + Hm[7]! * y + Hm[8]!;
      const u = (Hm[0]! * x + Hm[1]! * y + Hm[2]!) / d;
      const v = (Hm[3]! * x + Hm[4]! * y + Hm[5]!) / d;
      const o = (y * W + x) * 3;
      const inside = u >= 0 && v >= 0 && u < src.width && v < src.height;
      const nearScreen = u >= -bezel / scale && v >= -bezel / scale && u < src.width + bezel / scale && v < src.height + bezel / scale;
      const moire = 1 + moireAmp * Math.sin((x * Math.cos(ma) + y * Math.sin(ma)) * mf * 2 * Math.PI);
      for (let c = 0; c < 3; c++) {
        let val: number;
        if (inside) {
          const lin = sample(u, v, c) / 255;
          val = 255 * Math.pow(lin, gamma) * gain * moire + offset;
        } else if (nearScreen) val = 18 + 6 * rng.next();
        else val = room[c]! * (0.8 + 0.2 * (y / H));
        out[o + c] = Math.max(0, Math.min(255, val + 4 * rng.normal()));
      }
    }
  }
  return sharp(out, { raw: { width: W, height: H, channels: 3 } })
    .blur(rng.range(0.5, 1.6))
    .jpeg({ quality: rng.int(70, 88) })
    .toBuffer();
}

/** A named way a circulated photo reaches us: the recipes the tests and the evaluation use. */
export type Recipe = (photo: Buffer, rng: Rng) => Promise<Buffer>;

/**
 * Transformations, alone and combined, each drawing its parameters (quality, angle, crop side,
 * screenshot layout…) from `rng`. Names are identifiers (they become metric names).
 */
export const RECIPES: Readonly<Record<string, Recipe>> = {
  jpeg_q8_15: (f, r) => recompress(f, r.int(8, 15)),
  resize_120: (f) => resizeTo(f, 120),
  resize_up: (f, r) => resizeTo(f, r.int(800, 1100)),
  crop_5: (f, r) => cropBy(f, 0.05, r.int(0, 1e6)),
  crop_10: (f, r) => cropBy(f, 0.1, r.int(0, 1e6)),
  rotate_fill: (f, r) => rotateBy(f, r.pick([-1, 1]) * r.range(3, 10), 'fill', r.pick(['#ffffff', '#000000', '#e6ebee'])),
  rotate_crop: (f, r) => rotateBy(f, r.pick([-1, 1]) * r.range(3, 10), 'crop'),
  screenshot_chat: (f, r) => screenshot(f, r.int(0, 1e6)),
  screenshot_notice: (f, r) => screenshot(f, r.int(0, 1e6), 'notice'),
  screen_photo: (f, r) => screenPhoto(f, r.int(0, 1e6)),
  greyscale: (f) => greyscale(f),
  chat_jpeg_q20: async (f, r) => recompress(await screenshot(f, r.int(0, 1e6)), 20),
  chat_resize_360: async (f, r) => resizeTo(await screenshot(f, r.int(0, 1e6)), 360),
  crop_rotate_jpeg: async (f, r) =>
    recompress(await rotateBy(await cropBy(f, r.range(0.05, 0.1), r.int(0, 1e6)), r.pick([-1, 1]) * r.range(3, 8), 'crop'), 25),
  greyscale_resize_140: async (f) => resizeTo(await greyscale(f), 140),
  screen_photo_of_chat: async (f, r) => screenPhoto(await screenshot(f, r.int(0, 1e6)), r.int(0, 1e6)),
  screen_photo_of_notice: async (f, r) => screenPhoto(await screenshot(f, r.int(0, 1e6), 'notice'), r.int(0, 1e6)),
};
