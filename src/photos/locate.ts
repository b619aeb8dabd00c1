/**
 * Where the photo is inside a screenshot, a poster or a photo of a screen.
 *
 * A forwarded picture is often a frame around the photo: a chat (page colour, bubbles, caption
 * text), a notice, a poster grid, a dark bezel. Those frames are made of flat colours that touch
 * the frame's own edge. So we "peel": flood-fill from the edge of a region through pixels of
 * (nearly) the colour the flood started from; what is left are islands — the photo, text glyphs,
 * buttons. Islands large and solid enough are candidate windows, and each is peeled again (a
 * bubble inside a page, a screen inside a bezel inside a room). The whole picture is always a
 * candidate too, for plain photos, crops and rotations.
 */
import type { DecodedImage } from './decode.ts';

/** A candidate window, in analysis-raster pixels. */
export interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

// Step between neighbouring pixels, and distance from the flood's seed colour, in 0–255 units
// on the worst channel. Chosen to pass JPEG noise on flat UI colours and stop at photo edges.
// The smoothed raster is kept as 3×3 sums (nine times the mean), hence the factor 9.
const STEP = 8 * 9;
const SPREAD = 16 * 9;
/** Smallest share of its bounding box an island must fill to count as a (skewed) rectangle. */
const MIN_FILL = 0.85;
/**
 * An irregular island still gives a window: a photo whose light edge ran into a white page
 * loses that edge to the flood, but the rest still spans most of the photo.
 */
const MIN_FILL_WINDOW = 0.5;
/** Islands at least this solid are peeled further (a chat bubble whose photo lost a light edge). */
const MIN_FILL_PEEL = 0.7;
/** Room → bezel → page → bubble → photo: four levels of frames. */
const MAX_DEPTH = 4;
/** Bound on the work for one picture, whatever its content. */
const MAX_PEELS = 32;
/** Outline re-seeding rounds when a first flood peels almost nothing (see `peel`). */
const ATTEMPTS = 4;
/** Smallest window worth hashing, as a fraction of the picture's area. */
const MIN_AREA_FRACTION = 0.012;
const MIN_SIDE = 16;
/** Photos are not strips: text lines and bars are dropped by this. */
const MAX_ASPECT = 2.6;
/** At most this many windows per picture; a poster of 11 children needs 11 plus a few. */
export const MAX_WINDOWS = 24;

/**
 * 3×3 box sums of the raster (separable), per channel: moiré and sensor noise on a photographed
 * screen would otherwise break the flood of a flat page into speckles. Locating runs at full
 * analysis resolution: a chat bubble's margin or the gap between two bubbles is only a few
 * pixels there. Edges are replicated.
 */
function smooth(img: DecodedImage): Uint16Array {
  const { width: w, height: h, rgb } = img;
  const row = w * 3;
  const tmp = new Uint16Array(w * h * 3);
  const out = new Uint16Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const o = y * row;
    for (let c = 0; c < 3; c++) {
      tmp[o + c] = rgb[o + c]! * 2 + rgb[o + 3 + c]!;
      tmp[o + row - 3 + c] = rgb[o + row - 3 + c]! * 2 + rgb[o + row - 6 + c]!;
    }
    for (let i = o + 3; i < o + row - 3; i++) tmp[i] = rgb[i - 3]! + rgb[i]! + rgb[i + 3]!;
  }
  for (let i = 0; i < row; i++) {
    out[i] = tmp[i]! * 2 + tmp[i + row]!;
    const last = (h - 1) * row + i;
    out[last] = tmp[last]! * 2 + tmp[last - row]!;
  }
  for (let i = row; i < (h - 1) * row; i++) out[i] = tmp[i - row]! + tmp[i]! + tmp[i + row]!;
  return out;
}

interface Island {
  label: number;
  box: Box;
  n: number;
  /** Near-rectangular: likely a photo or a frame. */
  rect: boolean;
  /** Solid enough to look inside. */
  peel: boolean;
}

/**
 * Candidate windows for the photo(s) in `img`: the whole picture first, then what was found
 * inside frames, outer before inner. Deterministic; at most {@link MAX_WINDOWS}.
 */
export function locatePhotos(img: DecodedImage): Box[] {
  const w = img.width;
  const h = img.height;
  if (w < 3 || h < 3) return [{ x: 0, y: 0, w, h }];
  const px = smooth(img);
  const region = new Int32Array(w * h).fill(1); // 0 = peeled; k > 0 = member of island k
  const stack = new Int32Array(w * h);
  // Which peel last visited a pixel while labelling islands (a generation, not a flag, so that
  // nested peels need no clearing).
  const seen = new Int32Array(w * h);
  const out: Box[] = [{ x: 0, y: 0, w, h }];
  const minArea = MIN_AREA_FRACTION * w * h;
  let nextLabel = 2;
  let generation = 0;

  /** Floods from seed s through pixels of island `label` within b; returns pixels peeled. */
  const flood = (s: number, label: number, b: Box, border: number[]): number => {
    const bx1 = b.x + b.w - 1;
    const by1 = b.y + b.h - 1;
    const sr = px[s * 3]!;
    const sg = px[s * 3 + 1]!;
    const sb = px[s * 3 + 2]!;
    let top = 0;
    let n = 0;
    stack[top++] = s;
    region[s] = 0;
    while (top > 0) {
      const p = stack[--top]!;
      n++;
      const x = p % w;
      const y = (p - x) / w;
      const pr = px[p * 3]!;
      const pg = px[p * 3 + 1]!;
      const pb = px[p * 3 + 2]!;
      for (let k = 0; k < 4; k++) {
        const q = k === 0 ? (x > b.x ? p - 1 : -1) : k === 1 ? (x < bx1 ? p + 1 : -1) : k === 2 ? (y > b.y ? p - w : -1) : y < by1 ? p + w : -1;
        if (q < 0 || region[q] !== label) continue;
        const qr = px[q * 3]!;
        const qg = px[q * 3 + 1]!;
        const qb = px[q * 3 + 2]!;
        const ok =
          Math.abs(qr - pr) <= STEP && Math.abs(qg - pg) <= STEP && Math.abs(qb - pb) <= STEP &&
          Math.abs(qr - sr) <= SPREAD && Math.abs(qg - sg) <= SPREAD && Math.abs(qb - sb) <= SPREAD;
        if (ok) {
          region[q] = 0;
          stack[top++] = q;
        } else border.push(q);
      }
    }
    return n;
  };

  /** Peels island `label` inside its bounding box b; returns the islands left that are worth a window. */
  const peel = (label: number, b: Box): Island[] => {
    const bx1 = b.x + b.w - 1;
    const by1 = b.y + b.h - 1;
    // Seeds: the island's outline (next to a peeled pixel or on the box's edge). Outline pixels
    // can be blurred in-between colours that cannot reach a thin frame's true colour (a
    // phone's bezel); so while little is peeled, the pixels each flood stopped at — the outline
    // one step further in — seed again.
    let seeds: number[] = [];
    for (let y = b.y; y <= by1; y++) {
      for (let x = b.x; x <= bx1; x++) {
        const p = y * w + x;
        if (region[p] !== label) continue;
        if (x === b.x || y === b.y || x === bx1 || y === by1 || region[p - 1] !== label || region[p + 1] !== label || region[p - w] !== label || region[p + w] !== label) seeds.push(p);
      }
    }
    let flooded = 0;
    for (let attempt = 0; attempt < ATTEMPTS && flooded < 0.03 * b.w * b.h && seeds.length > 0; attempt++) {
      const next: number[] = [];
      for (const s of seeds) if (region[s] === label) flooded += flood(s, label, b, next);
      seeds = next;
    }
    // Little peeled (a photo to its edges): no frame here, so no islands to find.
    if (flooded < 0.03 * b.w * b.h) return [];
    // Islands: 4-connected remaining pixels of this label, relabelled.
    const gen = ++generation;
    const found: Island[] = [];
    for (let y = b.y; y <= by1; y++) {
      for (let x = b.x; x <= bx1; x++) {
        const s = y * w + x;
        if (region[s] !== label || seen[s] === gen) continue;
        const l = nextLabel++;
        let top = 0;
        stack[top++] = s;
        seen[s] = gen;
        let x0 = x, x1 = x, y0 = y, y1 = y, n = 0;
        while (top > 0) {
          const p = stack[--top]!;
          region[p] = l;
          n++;
          const px0 = p % w;
          const py0 = (p - px0) / w;
          if (px0 < x0) x0 = px0;
          if (px0 > x1) x1 = px0;
          if (py0 < y0) y0 = py0;
          if (py0 > y1) y1 = py0;
          for (let k = 0; k < 4; k++) {
            const q = k === 0 ? (px0 > b.x ? p - 1 : -1) : k === 1 ? (px0 < bx1 ? p + 1 : -1) : k === 2 ? (py0 > b.y ? p - w : -1) : py0 < by1 ? p + w : -1;
            if (q < 0 || seen[q] === gen || region[q] !== label) continue;
            seen[q] = gen;
            stack[top++] = q;
          }
        }
        const box = { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
        const area = box.w * box.h;
        const aspect = Math.max(box.w, box.h) / Math.min(box.w, box.h);
        if (area >= minArea && box.w >= MIN_SIDE && box.h >= MIN_SIDE && aspect <= MAX_ASPECT && n >= MIN_FILL_WINDOW * area) {
          found.push({ label: l, box, n, rect: n >= MIN_FILL * area, peel: n >= MIN_FILL_PEEL * area });
        }
      }
    }
    // Rectangles first (they are the likely photos), larger first.
    found.sort((a, c) => Number(c.rect) - Number(a.rect) || c.n - a.n || a.box.y - c.box.y || a.box.x - c.box.x);
    return found;
  };

  // Breadth first, so that a poster's eleven photos come before anything found inside them.
  const queue: Array<{ label: number; box: Box; depth: number }> = [{ label: 1, box: { x: 0, y: 0, w, h }, depth: 1 }];
  let peels = 0;
  while (queue.length > 0 && out.length < MAX_WINDOWS && peels++ < MAX_PEELS) {
    const { label, box, depth } = queue.shift()!;
    for (const isl of peel(label, box)) {
      if (out.length >= MAX_WINDOWS) break;
      out.push(isl.box);
      // Peeling a blurred edge leaves nearly the same island: that is the same level again
      // (a bezel's outer and inner edge), not a frame within a frame.
      const same = isl.box.w * isl.box.h > 0.85 * box.w * box.h;
      if (isl.peel && (same || depth < MAX_DEPTH)) queue.push({ label: isl.label, box: isl.box, depth: same ? depth : depth + 1 });
    }
  }
  return dedupe(out);
}

/**
 * Drops windows that are near-copies of an earlier one (overlap ≥ 85 % of their union):
 * peeling a blurred edge or a one-pixel frame gives the same window again, and peeling a photo
 * whose edge ran into the page gives a slightly smaller blob of it. The earlier, outer one is
 * kept: the alignment absorbs a thin frame, not a lost edge.
 */
function dedupe(boxes: Box[]): Box[] {
  const kept: Box[] = [];
  for (const b of boxes) if (!kept.some((k, n) => n > 0 && overlap(k, b) >= 0.85)) kept.push(b);
  return kept;
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.w, b.x + b.w) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.h, b.y + b.h) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.w * a.h + b.w * b.h - inter);
}
