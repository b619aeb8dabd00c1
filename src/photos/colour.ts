/**
 * Colour agreement: the last check that tells a look-alike baby from the circulated one.
 *
 * Two portraits can line up in grey — same head shape, same hair cap, same pose — and still be
 * two children: the blanket, the clothes, the wall behind them differ in colour. We compare the
 * pattern of chroma (Cb, Cr) over a 4×4 grid of the aligned region, after removing each
 * picture's mean chroma (a colour cast, a screen's white balance) — by correlation, so a
 * washed-out or saturated copy agrees as well as the original. Greyscale copies carry no colour
 * evidence and are not judged on it. On the dev seeds, transformed copies agreed at 0.99; the
 * closest look-alikes at 0.6 or less.
 */
import type { Window } from './hash.ts';

/** Grid side: 4×4 cells, two chroma values each. */
export const CHROMA_GRID = 4;
/** Below this spread (rms chroma after removing the mean, 0–255 units) a picture counts as colourless. */
const MIN_SPREAD = 3;
/** Sample points per cell side (nearest pixel; the grid is coarse, so this is plenty). */
const SAMPLES = 8;

/** Mean (Cb, Cr) of each cell of `win` over an RGB raster, row-major, interleaved. */
export function chromaGrid(rgb: Uint8Array, width: number, height: number, win: Window): Float32Array {
  const n = CHROMA_GRID;
  const out = new Float32Array(n * n * 2);
  const a = (win.angle * Math.PI) / 180;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) {
      let cb = 0;
      let cr = 0;
      let m = 0;
      for (let y = 0; y < SAMPLES; y++) {
        for (let x = 0; x < SAMPLES; x++) {
          const u = ((i + (x + 0.5) / SAMPLES) / n - 0.5) * win.w;
          const v = ((j + (y + 0.5) / SAMPLES) / n - 0.5) * win.h;
          const px = Math.round(win.cx + u * cos - v * sin);
          const py = Math.round(win.cy + u * sin + v * cos);
          if (px < 0 || py < 0 || px >= width || py >= height) continue;
          const o = (py * width + px) * 3;
          const r = rgb[o]!;
          const g = rgb[o + 1]!;
          const b = rgb[o + 2]!;
          cb += -0.1687 * r - 0.3313 * g + 0.5 * b;
          cr += 0.5 * r - 0.4187 * g - 0.0813 * b;
          m++;
        }
      }
      out[(j * n + i) * 2] = m ? cb / m : 0;
      out[(j * n + i) * 2 + 1] = m ? cr / m : 0;
    }
  }
  return out;
}

/**
 * Correlation (−1…1) of two chroma grids after removing each one's mean cast, or undefined
 * when either is (nearly) colourless and colour says nothing.
 */
export function chromaAgreement(a: ArrayLike<number>, b: ArrayLike<number>): number | undefined {
  const cells = a.length / 2;
  const ma = [0, 0];
  const mb = [0, 0];
  for (let i = 0; i < cells; i++) {
    for (let c = 0; c < 2; c++) {
      ma[c]! += a[2 * i + c]! / cells;
      mb[c]! += b[2 * i + c]! / cells;
    }
  }
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < cells; i++) {
    for (let c = 0; c < 2; c++) {
      const x = a[2 * i + c]! - ma[c]!;
      const y = b[2 * i + c]! - mb[c]!;
      ab += x * y;
      aa += x * x;
      bb += y * y;
    }
  }
  const spread = (s: number) => Math.sqrt(s / (2 * cells));
  if (spread(aa) < MIN_SPREAD || spread(bb) < MIN_SPREAD) return undefined;
  return ab / Math.sqrt(aa * bb);
}
