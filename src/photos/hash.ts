/**
 * Perceptual hashing of windows of a decoded picture.
 *
 * A window (any rectangle, possibly rotated) is resampled to a 32×32 grey thumbnail by area
 * averaging (a summed-area table, so the cost does not grow with the window's size), then
 * transformed with a 2-D DCT. The pHash is the sign pattern of the 64 lowest-frequency
 * coefficients (DC excluded) around their median: it survives re-compression, resizing, blur,
 * noise, brightness/contrast/gamma changes and greyscale, and changes slowly with small shifts,
 * crops and rotations.
 */
import type { DecodedImage } from './decode.ts';

/** Side of the thumbnail the DCT runs on. */
export const THUMB = 32;

/** Luminance (Rec. 601) of the RGB raster. */
export function luminance(img: DecodedImage): Float32Array {
  const n = img.width * img.height;
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 0.299 * img.rgb[i * 3]! + 0.587 * img.rgb[i * 3 + 1]! + 0.114 * img.rgb[i * 3 + 2]!;
  return out;
}

/** Summed-area table of a grey raster, read with bilinear interpolation so boxes can be fractional. */
export class AreaSampler {
  readonly #sat: Float64Array;
  readonly width: number;
  readonly height: number;

  constructor(grey: Float32Array, width: number, height: number) {
    this.width = width;
    this.height = height;
    const W = width + 1;
    const sat = new Float64Array(W * (height + 1));
    for (let y = 1; y <= height; y++) {
      let row = 0;
      for (let x = 1; x <= width; x++) {
        row += grey[(y - 1) * width + (x - 1)]!;
        sat[y * W + x] = sat[(y - 1) * W + x]! + row;
      }
    }
    this.#sat = sat;
  }

  /** The summed-area table, (width+1)×(height+1), row-major. */
  get table(): Float64Array {
    return this.#sat;
  }

  /** The integral of the image over [0,x]×[0,y], for real x, y (clamped to the image). */
  #at(x: number, y: number): number {
    const W = this.width + 1;
    x = Math.min(this.width, Math.max(0, x));
    y = Math.min(this.height, Math.max(0, y));
    const x0 = Math.floor(x);
    const y0 = Math.floor(y);
    const x1 = Math.min(this.width, x0 + 1);
    const y1 = Math.min(this.height, y0 + 1);
    const fx = x - x0;
    const fy = y - y0;
    const s = this.#sat;
    return (s[y0 * W + x0]! * (1 - fx) + s[y0 * W + x1]! * fx) * (1 - fy) + (s[y1 * W + x0]! * (1 - fx) + s[y1 * W + x1]! * fx) * fy;
  }

  /**
   * Mean over the box centred at (cx, cy) of size bw×bh. Outside the image the nearest edge
   * pixels count (a box that leaves the picture sees its border stretched, not black).
   */
  mean(cx: number, cy: number, bw: number, bh: number): number {
    // Keep at least a one-pixel footprint so tiny windows interpolate instead of dividing by 0.
    const hw = Math.max(0.5, bw / 2);
    const hh = Math.max(0.5, bh / 2);
    const x0 = Math.min(this.width - 1, Math.max(0, cx - hw));
    const x1 = Math.max(x0 + 1, Math.min(this.width, cx + hw));
    const y0 = Math.min(this.height - 1, Math.max(0, cy - hh));
    const y1 = Math.max(y0 + 1, Math.min(this.height, cy + hh));
    const sum = this.#at(x1, y1) - this.#at(x0, y1) - this.#at(x1, y0) + this.#at(x0, y0);
    return sum / ((x1 - x0) * (y1 - y0));
  }
}

/**
 * As {@link AreaSampler.mean} with the box snapped to whole pixels: four table reads instead
 * of sixteen. For the coarse search, where cells are many pixels wide.
 */
function meanSnapped(sat: Float64Array, width: number, height: number, cx: number, cy: number, bw: number, bh: number): number {
  let x0 = Math.round(cx - bw / 2);
  let x1 = Math.round(cx + bw / 2);
  let y0 = Math.round(cy - bh / 2);
  let y1 = Math.round(cy + bh / 2);
  if (x0 < 0) x0 = 0;
  if (y0 < 0) y0 = 0;
  if (x1 > width) x1 = width;
  if (y1 > height) y1 = height;
  if (x0 >= width) x0 = width - 1;
  if (y0 >= height) y0 = height - 1;
  if (x1 <= x0) x1 = x0 + 1;
  if (y1 <= y0) y1 = y0 + 1;
  const W = width + 1;
  return (sat[y1 * W + x1]! - sat[y1 * W + x0]! - sat[y0 * W + x1]! + sat[y0 * W + x0]!) / ((x1 - x0) * (y1 - y0));
}

/**
 * Where a window lies in a picture: centre, size, and rotation (degrees, counter-clockwise as
 * seen, i.e. the window is the picture's content turned by `angle`).
 */
export interface Window {
  cx: number;
  cy: number;
  w: number;
  h: number;
  angle: number;
}

/**
 * n×n thumbnail of `win`, each cell the mean of the picture under it. `snapped` trades
 * sub-pixel accuracy for speed (cells snapped to whole pixels).
 */
export function thumbnail(sampler: AreaSampler, win: Window, n = THUMB, snapped = false): Float32Array {
  const out = new Float32Array(n * n);
  const sat = sampler.table;
  const a = (win.angle * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const cw = win.w / n;
  const ch = win.h / n;
  for (let j = 0; j < n; j++) {
    const v = (j + 0.5) * ch - win.h / 2;
    for (let i = 0; i < n; i++) {
      const u = (i + 0.5) * cw - win.w / 2;
      const x = win.cx + u * cos - v * sin;
      const y = win.cy + u * sin + v * cos;
      out[j * n + i] = snapped ? meanSnapped(sat, sampler.width, sampler.height, x, y, cw, ch) : sampler.mean(x, y, cw, ch);
    }
  }
  return out;
}

// DCT-II basis for the low frequencies only: we never need more than the first 16 rows.
const LOW = 16;
const BASIS = (() => {
  const b = new Float64Array(LOW * THUMB);
  for (let k = 0; k < LOW; k++) for (let x = 0; x < THUMB; x++) b[k * THUMB + x] = Math.cos(((2 * x + 1) * k * Math.PI) / (2 * THUMB));
  return b;
})();

/** The k×k lowest-frequency 2-D DCT coefficients of a THUMB×THUMB thumbnail (row-major, [v][u]). */
export function lowDct(thumb: Float32Array, k: number): Float64Array {
  // Rows first: T[y][u] = Σx thumb[y][x]·B[u][x]; then columns: C[v][u] = Σy B[v][y]·T[y][u].
  const t = new Float64Array(THUMB * k);
  for (let y = 0; y < THUMB; y++) {
    for (let u = 0; u < k; u++) {
      let s = 0;
      for (let x = 0; x < THUMB; x++) s += thumb[y * THUMB + x]! * BASIS[u * THUMB + x]!;
      t[y * k + u] = s;
    }
  }
  const c = new Float64Array(k * k);
  for (let v = 0; v < k; v++) {
    for (let u = 0; u < k; u++) {
      let s = 0;
      for (let y = 0; y < THUMB; y++) s += BASIS[v * THUMB + y]! * t[y * k + u]!;
      c[v * k + u] = s;
    }
  }
  return c;
}

/** Zig-zag order of a k×k block, DC excluded: the first `count` positions. */
function zigzag(k: number, count: number): number[] {
  const cells: Array<[number, number]> = [];
  for (let v = 0; v < k; v++) for (let u = 0; u < k; u++) if (u + v > 0) cells.push([v, u]);
  cells.sort((a, b) => a[0] + a[1] - (b[0] + b[1]) || a[0] - b[0]);
  return cells.slice(0, count).map(([v, u]) => v * k + u);
}
const ZIG64 = zigzag(12, 64);

/** 64-bit pHash of a thumbnail as two unsigned 32-bit words. */
export function phash(thumb: Float32Array): [number, number] {
  const c = lowDct(thumb, 12);
  const vals = ZIG64.map((i) => c[i]!);
  const med = [...vals].sort((a, b) => a - b)[32]!;
  let hi = 0;
  let lo = 0;
  for (let i = 0; i < 64; i++) {
    if (vals[i]! > med) {
      if (i < 32) hi |= 1 << (31 - i);
      else lo |= 1 << (63 - i);
    }
  }
  return [hi >>> 0, lo >>> 0];
}

/** Set bits in a 32-bit word. */
export function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
}

/** Hamming distance between two 64-bit hashes (0–64). */
export function hamming(a: readonly [number, number], b: readonly [number, number]): number {
  return popcount((a[0] ^ b[0]) >>> 0) + popcount((a[1] ^ b[1]) >>> 0);
}
