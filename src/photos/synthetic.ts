/**
 * Deterministic synthetic pictures for tests, the evaluation and the sample catalogue.
 *
 * No real people: a "child photo" is a stylised baby portrait drawn in SVG (background, clothing,
 * head shape, skin tone, hair or hat, eyes, mouth…) rendered by sharp, then given sensor-like
 * noise so it compresses and hashes like a photograph. Unrelated pictures are other such faces
 * (from other seeds: the hardest case for a matcher, since every portrait shares a layout),
 * landscapes, gradients, noise, chat screenshots with only text, and document pages.
 *
 * The transformations a forwarded photo goes through live in `transforms.ts` and are
 * re-exported here.
 */
import sharp from 'sharp';
import { hex, hsl, Rng } from './prng.ts';

export { Rng } from './prng.ts';
export * from './transforms.ts';

/** Size of a generated portrait, like a photo cut out for a police poster. */
export const FACE_WIDTH = 480;
export const FACE_HEIGHT = 560;

const SKIN = [
  [255, 224, 196],
  [241, 194, 160],
  [224, 172, 130],
  [198, 146, 105],
  [170, 120, 85],
  [141, 95, 62],
] as const;

function shade([r, g, b]: readonly number[], f: number): string {
  return hex(r! * f, g! * f, b! * f);
}

function background(rng: Rng, w: number, h: number): string {
  const hue = rng.range(0, 360);
  const a = hsl(hue, rng.range(0.1, 0.6), rng.range(0.35, 0.85));
  const b = hsl(hue + rng.range(-40, 40), rng.range(0.1, 0.6), rng.range(0.3, 0.9));
  const kind = rng.int(0, 4);
  const defs = `<defs><linearGradient id="bg" x1="0" y1="0" x2="${rng.range(0, 1).toFixed(2)}" y2="1"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs>`;
  let out = `${defs}<rect width="${w}" height="${h}" fill="url(#bg)"/>`;
  if (kind === 1) {
    // Wall and floor (or a cot edge).
    const y = rng.range(0.45, 0.8) * h;
    out += `<rect y="${y.toFixed(0)}" width="${w}" height="${h}" fill="${hsl(rng.range(0, 360), rng.range(0.1, 0.5), rng.range(0.2, 0.7))}"/>`;
  } else if (kind === 2) {
    // Wallpaper stripes.
    const step = rng.range(18, 60);
    const c = hsl(hue + 180, rng.range(0.1, 0.5), rng.range(0.4, 0.9));
    for (let x = rng.range(0, step); x < w; x += step) out += `<rect x="${x.toFixed(1)}" width="${(step * 0.4).toFixed(1)}" height="${h}" fill="${c}" opacity="0.45"/>`;
  } else if (kind === 3) {
    // A patterned blanket.
    const c = hsl(rng.range(0, 360), rng.range(0.3, 0.8), rng.range(0.4, 0.85));
    for (let i = 0; i < 40; i++) {
      out += `<circle cx="${rng.range(0, w).toFixed(0)}" cy="${rng.range(0, h).toFixed(0)}" r="${rng.range(5, 22).toFixed(0)}" fill="${c}" opacity="0.6"/>`;
    }
  } else if (kind === 4) {
    // Out-of-focus room lights.
    out += `<defs><filter id="bk"><feGaussianBlur stdDeviation="14"/></filter></defs><g filter="url(#bk)">`;
    for (let i = 0; i < 12; i++) {
      out += `<circle cx="${rng.range(0, w).toFixed(0)}" cy="${rng.range(0, h * 0.7).toFixed(0)}" r="${rng.range(20, 70).toFixed(0)}" fill="${hsl(rng.range(0, 360), 0.5, rng.range(0.5, 0.95))}" opacity="0.7"/>`;
    }
    out += `</g>`;
  }
  return out;
}

function clothing(rng: Rng, w: number, h: number, cx: number): string {
  const col = hsl(rng.range(0, 360), rng.range(0.2, 0.9), rng.range(0.25, 0.8));
  const rx = rng.range(0.38, 0.55) * w;
  const top = rng.range(0.68, 0.8) * h;
  let out = `<defs><clipPath id="body"><ellipse cx="${cx.toFixed(0)}" cy="${(top + h * 0.45).toFixed(0)}" rx="${rx.toFixed(0)}" ry="${(h * 0.45).toFixed(0)}"/></clipPath></defs>`;
  out += `<g clip-path="url(#body)"><rect width="${w}" height="${h}" fill="${col}"/>`;
  const pattern = rng.int(0, 3);
  const pc = hsl(rng.range(0, 360), rng.range(0.2, 0.9), rng.range(0.3, 0.95));
  if (pattern === 1) for (let y = top; y < h; y += 22) out += `<rect x="0" y="${y.toFixed(0)}" width="${w}" height="9" fill="${pc}"/>`;
  if (pattern === 2) for (let i = 0; i < 30; i++) out += `<circle cx="${rng.range(0, w).toFixed(0)}" cy="${rng.range(top, h).toFixed(0)}" r="6" fill="${pc}"/>`;
  if (pattern === 3) out += `<path d="M${cx - 60} ${top} q60 ${rng.range(40, 90).toFixed(0)} 120 0" fill="none" stroke="${pc}" stroke-width="14"/>`;
  out += `</g>`;
  return out;
}

/** Parameters of one portrait, exposed so tests can check that seeds really differ. */
export interface FaceTraits {
  skin: number;
  headX: number;
  headY: number;
  headRx: number;
  tilt: number;
  eyesOpen: boolean;
  hair: 'cap' | 'strands' | 'hat' | 'fuzz' | 'bow';
  mouth: 'neutral' | 'smile' | 'open' | 'pacifier';
}

function face(rng: Rng, w: number, h: number): { svg: string; neck: string; traits: FaceTraits } {
  const skinIdx = rng.int(0, SKIN.length - 1);
  const skin = SKIN[skinIdx]!;
  const cx = w / 2 + rng.range(-0.1, 0.1) * w;
  const cy = h * rng.range(0.38, 0.48);
  const rx = w * rng.range(0.2, 0.28);
  const ry = rx * rng.range(1.05, 1.25);
  const tilt = rng.range(-14, 14);
  const eyesOpen = rng.chance(0.7);
  const hair = rng.pick(['cap', 'strands', 'hat', 'fuzz', 'bow'] as const);
  const mouth = rng.pick(['neutral', 'smile', 'open', 'pacifier'] as const);
  const dark = hsl(rng.range(10, 40), rng.range(0.2, 0.6), rng.range(0.05, 0.3));
  let g = `<defs><radialGradient id="sk" cx="${rng.range(0.35, 0.65).toFixed(2)}" cy="0.4" r="0.7"><stop offset="0" stop-color="${shade(skin, 1.06)}"/><stop offset="1" stop-color="${shade(skin, 0.8)}"/></radialGradient></defs>`;
  g += `<g transform="rotate(${tilt.toFixed(1)} ${cx.toFixed(0)} ${cy.toFixed(0)})">`;
  // Ears and face (the neck is drawn behind the clothing, see `neck`).
  for (const s of [-1, 1]) g += `<ellipse cx="${(cx + s * rx * 0.97).toFixed(0)}" cy="${(cy + ry * 0.05).toFixed(0)}" rx="${(rx * 0.16).toFixed(0)}" ry="${(ry * 0.22).toFixed(0)}" fill="${shade(skin, 0.85)}"/>`;
  g += `<ellipse cx="${cx.toFixed(0)}" cy="${cy.toFixed(0)}" rx="${rx.toFixed(0)}" ry="${ry.toFixed(0)}" fill="url(#sk)"/>`;
  // Hair or headwear.
  const top = cy - ry;
  if (hair === 'cap') {
    g += `<path d="M${cx - rx * 0.98} ${cy - ry * 0.15} Q${cx - rx} ${top - ry * 0.25} ${cx} ${top - ry * 0.08} Q${cx + rx} ${top - ry * 0.25} ${cx + rx * 0.98} ${cy - ry * 0.15} Q${cx} ${cy - ry * rng.range(0.45, 0.75)} ${cx - rx * 0.98} ${cy - ry * 0.15}Z" fill="${dark}"/>`;
  } else if (hair === 'strands') {
    for (let i = 0; i < rng.int(5, 14); i++) {
      const x = cx + rng.range(-0.6, 0.6) * rx;
      g += `<path d="M${x.toFixed(0)} ${(top + ry * 0.12).toFixed(0)} q${rng.range(-25, 25).toFixed(0)} ${-rng.range(15, 40).toFixed(0)} ${rng.range(-30, 30).toFixed(0)} ${-rng.range(20, 45).toFixed(0)}" stroke="${dark}" stroke-width="${rng.range(3, 7).toFixed(1)}" fill="none"/>`;
    }
  } else if (hair === 'hat') {
    const hc = hsl(rng.range(0, 360), rng.range(0.4, 0.9), rng.range(0.35, 0.75));
    g += `<path d="M${cx - rx * 1.05} ${cy - ry * 0.2} Q${cx} ${top - ry * 0.7} ${cx + rx * 1.05} ${cy - ry * 0.2}Z" fill="${hc}"/>`;
    g += `<rect x="${(cx - rx * 1.08).toFixed(0)}" y="${(cy - ry * 0.32).toFixed(0)}" width="${(rx * 2.16).toFixed(0)}" height="${(ry * 0.18).toFixed(0)}" rx="8" fill="${hsl(rng.range(0, 360), 0.5, 0.85)}"/>`;
    if (rng.chance(0.6)) g += `<circle cx="${cx.toFixed(0)}" cy="${(top - ry * 0.28).toFixed(0)}" r="${(rx * 0.18).toFixed(0)}" fill="${hc}"/>`;
  } else if (hair === 'fuzz') {
    g += `<ellipse cx="${cx.toFixed(0)}" cy="${(top + ry * 0.25).toFixed(0)}" rx="${(rx * 0.8).toFixed(0)}" ry="${(ry * 0.28).toFixed(0)}" fill="${dark}" opacity="0.55"/>`;
  } else {
    const bc = hsl(rng.range(300, 380) % 360, 0.8, 0.6);
    g += `<rect x="${(cx - rx).toFixed(0)}" y="${(top + ry * 0.18).toFixed(0)}" width="${(rx * 2).toFixed(0)}" height="${(ry * 0.1).toFixed(0)}" fill="${bc}"/>`;
    const bx = cx + rng.range(-0.5, 0.5) * rx;
    const by = top + ry * 0.2;
    g += `<path d="M${bx} ${by} l-40 -22 v44Z M${bx} ${by} l40 -22 v44Z" fill="${bc}"/><circle cx="${bx}" cy="${by}" r="9" fill="${shade([200, 60, 120], 1)}"/>`;
  }
  // Eyes and brows.
  const ey = cy - ry * rng.range(0.0, 0.18);
  const ex = rx * rng.range(0.32, 0.48);
  const er = rx * rng.range(0.09, 0.15);
  const iris = rng.pick(['#2b1a10', '#3b2414', '#111111', '#4a3020']);
  for (const s of [-1, 1]) {
    const x = cx + s * ex;
    if (eyesOpen) {
      g += `<ellipse cx="${x.toFixed(0)}" cy="${ey.toFixed(0)}" rx="${(er * 1.35).toFixed(1)}" ry="${er.toFixed(1)}" fill="#f8f8f4"/>`;
      g += `<circle cx="${(x + rng.range(-2, 2)).toFixed(1)}" cy="${ey.toFixed(0)}" r="${(er * 0.8).toFixed(1)}" fill="${iris}"/>`;
      g += `<circle cx="${(x + er * 0.3).toFixed(1)}" cy="${(ey - er * 0.3).toFixed(1)}" r="${(er * 0.22).toFixed(1)}" fill="#ffffff"/>`;
    } else {
      g += `<path d="M${x - er * 1.3} ${ey} q${er * 1.3} ${er * 1.1} ${er * 2.6} 0" stroke="${shade(skin, 0.4)}" stroke-width="4" fill="none"/>`;
    }
    g += `<path d="M${x - er * 1.4} ${ey - er * 2.1} q${er * 1.4} ${-er * rng.range(0.3, 1)} ${er * 2.8} 0" stroke="${shade(skin, 0.6)}" stroke-width="3" fill="none"/>`;
  }
  // Cheeks, nose, mouth.
  const blush = rng.range(0.15, 0.45).toFixed(2);
  for (const s of [-1, 1]) g += `<circle cx="${(cx + s * rx * 0.55).toFixed(0)}" cy="${(cy + ry * 0.3).toFixed(0)}" r="${(rx * 0.18).toFixed(0)}" fill="#e86a6a" opacity="${blush}"/>`;
  g += `<path d="M${cx - rx * 0.1} ${cy + ry * 0.25} q${rx * 0.1} ${ry * 0.08} ${rx * 0.2} 0" stroke="${shade(skin, 0.6)}" stroke-width="3" fill="none"/>`;
  const my = cy + ry * rng.range(0.45, 0.6);
  const mw = rx * rng.range(0.25, 0.45);
  if (mouth === 'neutral') g += `<path d="M${cx - mw / 2} ${my} h${mw}" stroke="#a0524a" stroke-width="4"/>`;
  else if (mouth === 'smile') g += `<path d="M${cx - mw / 2} ${my} q${mw / 2} ${mw * 0.5} ${mw} 0" stroke="#a0524a" stroke-width="4" fill="none"/>`;
  else if (mouth === 'open') g += `<ellipse cx="${cx}" cy="${my}" rx="${(mw * 0.4).toFixed(0)}" ry="${(mw * 0.3).toFixed(0)}" fill="#7a2e2e"/>`;
  else {
    const pc = hsl(rng.range(0, 360), 0.8, 0.6);
    g += `<ellipse cx="${cx}" cy="${my}" rx="${(mw * 0.7).toFixed(0)}" ry="${(mw * 0.4).toFixed(0)}" fill="${pc}"/><circle cx="${cx}" cy="${my}" r="${(mw * 0.22).toFixed(0)}" fill="none" stroke="#ffffff" stroke-width="5"/>`;
  }
  g += `</g>`;
  // A hand in view now and then.
  if (rng.chance(0.35)) {
    const hx = cx + rng.pick([-1, 1]) * rx * rng.range(0.9, 1.4);
    g += `<ellipse cx="${hx.toFixed(0)}" cy="${(h * rng.range(0.7, 0.85)).toFixed(0)}" rx="${(rx * 0.3).toFixed(0)}" ry="${(rx * 0.25).toFixed(0)}" fill="${shade(skin, 0.95)}"/>`;
  }
  const neck = `<rect x="${(cx - rx * 0.42).toFixed(0)}" y="${cy.toFixed(0)}" width="${(rx * 0.84).toFixed(0)}" height="${(h - cy).toFixed(0)}" fill="${shade(skin, 0.78)}"/>`;
  return { svg: g, neck, traits: { skin: skinIdx, headX: cx, headY: cy, headRx: rx, tilt, eyesOpen, hair, mouth } };
}

/** Adds sensor-like noise and a little softness, so the picture behaves like a photograph. */
async function photographic(svg: Buffer, w: number, h: number, rng: Rng, sigma: number): Promise<{ data: Buffer; w: number; h: number }> {
  const { data } = await sharp(svg).resize(w, h).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  // Film-like grain: per-pixel Gaussian noise plus a faint low-frequency luminance wave
  // (uneven lighting), different for each seed.
  const fx = rng.range(1, 3) / w;
  const fy = rng.range(1, 3) / h;
  const ph = rng.range(0, 6.28);
  const amp = sigma > 0 ? rng.range(4, 12) : 0;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i += 3) {
      const light = amp * Math.sin(6.283 * (x * fx + y * fy) + ph);
      for (let c = 0; c < 3; c++) data[i + c] = Math.max(0, Math.min(255, data[i + c]! + light + sigma * rng.normal()));
    }
  }
  return { data, w, h };
}

/** A synthetic baby portrait (JPEG). The same seed always gives the same bytes. */
export async function syntheticFace(seed: number, opts: { width?: number; height?: number; quality?: number } = {}): Promise<Buffer> {
  return (await syntheticFaceWithTraits(seed, opts)).jpeg;
}

/** As {@link syntheticFace}, with the drawn traits. */
export async function syntheticFaceWithTraits(
  seed: number,
  opts: { width?: number; height?: number; quality?: number } = {},
): Promise<{ jpeg: Buffer; traits: FaceTraits }> {
  const w = opts.width ?? FACE_WIDTH;
  const h = opts.height ?? FACE_HEIGHT;
  const rng = new Rng(seed * 7919 + 17);
  const bg = background(rng.fork(), FACE_WIDTH, FACE_HEIGHT);
  const f = face(rng.fork(), FACE_WIDTH, FACE_HEIGHT);
  const body = clothing(rng.fork(), FACE_WIDTH, FACE_HEIGHT, f.traits.headX + rng.range(-30, 30));
  // Back to front: background, neck, clothing, head.
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${FACE_WIDTH}" height="${FACE_HEIGHT}" viewBox="0 0 ${FACE_WIDTH} ${FACE_HEIGHT}">${bg}${f.neck}${body}${f.svg}</svg>`;
  const px = await photographic(Buffer.from(svg), w, h, rng, rng.range(3, 7));
  const jpeg = await sharp(px.data, { raw: { width: w, height: h, channels: 3 } })
    .blur(0.6)
    .jpeg({ quality: opts.quality ?? 78, mozjpeg: true })
    .toBuffer();
  return { jpeg, traits: f.traits };
}

/** Kinds of unrelated picture, for the false-match evaluation. */
export const UNRELATED_KINDS = ['face', 'landscape', 'gradient', 'noise', 'chat', 'document'] as const;
export type UnrelatedKind = (typeof UNRELATED_KINDS)[number];

function landscape(rng: Rng, w: number, h: number): string {
  const sky = hsl(rng.range(180, 240), rng.range(0.3, 0.8), rng.range(0.5, 0.85));
  let s = `<defs><linearGradient id="sky" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="${sky}"/><stop offset="1" stop-color="${hsl(rng.range(20, 60), 0.6, 0.85)}"/></linearGradient></defs>`;
  s += `<rect width="${w}" height="${h}" fill="url(#sky)"/>`;
  if (rng.chance(0.6)) s += `<circle cx="${rng.range(0, w).toFixed(0)}" cy="${rng.range(0, h * 0.4).toFixed(0)}" r="${rng.range(15, 50).toFixed(0)}" fill="#fff6c0"/>`;
  for (let layer = 0; layer < rng.int(2, 4); layer++) {
    let d = `M0 ${h}`;
    const base = h * (0.4 + layer * 0.12);
    for (let x = 0; x <= w; x += w / 8) d += ` L${x.toFixed(0)} ${(base - rng.range(0, h * 0.25)).toFixed(0)}`;
    d += ` L${w} ${h}Z`;
    s += `<path d="${d}" fill="${hsl(rng.range(80, 160), rng.range(0.2, 0.6), 0.15 + layer * 0.12)}"/>`;
  }
  for (let i = 0; i < rng.int(0, 8); i++) {
    const x = rng.range(0, w);
    const y = rng.range(h * 0.6, h);
    s += `<rect x="${(x - 3).toFixed(0)}" y="${(y - 10).toFixed(0)}" width="6" height="30" fill="#4a3020"/><circle cx="${x.toFixed(0)}" cy="${(y - 20).toFixed(0)}" r="${rng.range(12, 30).toFixed(0)}" fill="${hsl(rng.range(90, 140), 0.5, 0.3)}"/>`;
  }
  return s;
}

function textLines(rng: Rng, x: number, y: number, width: number, lines: number, size: number, colour: string): string {
  const words = ['孩子', '寻亲', 'police', 'baby', 'thanks', '请转发', 'Kaiyuan', '谢谢', 'today', 'photo', '宝宝', 'found', 'help', '开远'];
  let s = '';
  for (let i = 0; i < lines; i++) {
    let line = '';
    while (line.length < width / (size * 0.6)) line += `${rng.pick(words)} `;
    s += `<text x="${x}" y="${(y + i * size * 1.5).toFixed(0)}" font-family="DejaVu Sans, Noto Sans CJK SC, sans-serif" font-size="${size}" fill="${colour}">${line.trim()}</text>`;
  }
  return s;
}

function chat(rng: Rng, w: number, h: number): string {
  const dark = rng.chance(0.4);
  let s = `<rect width="${w}" height="${h}" fill="${dark ? '#17212b' : '#e6ebee'}"/><rect width="${w}" height="${h * 0.08}" fill="${dark ? '#242f3d' : '#527da3'}"/>`;
  let y = h * 0.12;
  while (y < h * 0.9) {
    const mine = rng.chance(0.5);
    const bw = rng.range(0.4, 0.75) * w;
    const lines = rng.int(1, 4);
    const bh = lines * 24 + 16;
    const x = mine ? w - bw - 12 : 12;
    s += `<rect x="${x.toFixed(0)}" y="${y.toFixed(0)}" width="${bw.toFixed(0)}" height="${bh}" rx="12" fill="${mine ? (dark ? '#2b5278' : '#effdde') : dark ? '#182533' : '#ffffff'}"/>`;
    s += textLines(rng, x + 10, y + 24, bw - 20, lines, 16, dark ? '#e8e8e8' : '#111111');
    y += bh + rng.range(8, 24);
  }
  return s;
}

function documentPage(rng: Rng, w: number, h: number): string {
  let s = `<rect width="${w}" height="${h}" fill="#fdfdf8"/>`;
  s += textLines(rng, 30, 50, w - 60, 1, 26, '#000000');
  let y = 100;
  while (y < h - 40) {
    if (rng.chance(0.15)) {
      // A table.
      const rows = rng.int(2, 5);
      for (let r = 0; r <= rows; r++) s += `<line x1="30" x2="${w - 30}" y1="${y + r * 26}" y2="${y + r * 26}" stroke="#333"/>`;
      y += rows * 26 + 20;
    } else {
      const n = rng.int(2, 6);
      s += textLines(rng, 30, y, w - 60, n, 14, '#222222');
      y += n * 21 + 14;
    }
  }
  return s;
}

/** An unrelated picture (JPEG) of the given kind; a `face` is a portrait from another seed. */
export async function syntheticUnrelated(kind: UnrelatedKind, seed: number): Promise<Buffer> {
  if (kind === 'face') return syntheticFace(seed);
  const rng = new Rng(seed * 104729 + UNRELATED_KINDS.indexOf(kind));
  const w = rng.pick([480, 640, 720, 800]);
  const h = Math.round(w * rng.pick([0.75, 1, 1.33, 1.78]));
  if (kind === 'noise') {
    const raw = Buffer.alloc(w * h * 3);
    const base = [rng.range(0, 255), rng.range(0, 255), rng.range(0, 255)];
    for (let i = 0; i < raw.length; i++) raw[i] = Math.max(0, Math.min(255, base[i % 3]! + 60 * rng.normal()));
    return sharp(raw, { raw: { width: w, height: h, channels: 3 } }).blur(rng.range(0.5, 6)).jpeg({ quality: 80 }).toBuffer();
  }
  let body: string;
  if (kind === 'landscape') body = landscape(rng, w, h);
  else if (kind === 'chat') body = chat(rng, w, h);
  else if (kind === 'document') body = documentPage(rng, w, h);
  else {
    const a = hsl(rng.range(0, 360), rng.range(0, 1), rng.range(0.1, 0.9));
    const b = hsl(rng.range(0, 360), rng.range(0, 1), rng.range(0.1, 0.9));
    body = `<defs><linearGradient id="g" x1="0" y1="0" x2="${rng.range(0, 1).toFixed(2)}" y2="${rng.range(0, 1).toFixed(2)}"><stop offset="0" stop-color="${a}"/><stop offset="1" stop-color="${b}"/></linearGradient></defs><rect width="${w}" height="${h}" fill="url(#g)"/>`;
  }
  const svg = Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">${body}</svg>`);
  const px = await photographic(svg, w, h, rng, kind === 'chat' || kind === 'document' ? 0 : rng.range(2, 6));
  return sharp(px.data, { raw: { width: w, height: h, channels: 3 } }).jpeg({ quality: 82 }).toBuffer();
}

/** A plain picture of one colour (for decoder tests): JPEG or PNG, optionally with an EXIF orientation. */
export function solidImage(width: number, height: number, opts: { format?: 'jpeg' | 'png'; colour?: string; orientation?: number } = {}): Promise<Buffer> {
  let img = sharp({ create: { width, height, channels: 3, background: opts.colour ?? '#808080' } });
  if (opts.orientation) img = img.withMetadata({ orientation: opts.orientation });
  return opts.format === 'png' ? img.png().toBuffer() : img.jpeg().toBuffer();
}
