/**
 * Writes the sample catalogue's pictures: `data/catalogue/child-01.jpg` … `child-11.jpg`
 * (synthetic portraits — no real people) and `data/catalogue/poster.jpg`, all eleven in a grid
 * with their numbers under them, like the poster the police circulated.
 *
 *   npx tsx scripts/make-sample-catalogue.ts
 *
 * Deterministic: child N is `syntheticFace(N)`, so the files only change when the generator
 * does. Tests and the evaluation draw their unrelated faces from other seeds (10000 and up).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { posterGrid, syntheticFace } from '../src/photos/synthetic.ts';

/** Seed of catalogue child `n` (1–11). */
export const sampleChildSeed = (n: number): number => n;

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.join(root, 'data', 'catalogue');
mkdirSync(dir, { recursive: true });
const faces: Buffer[] = [];
for (let n = 1; n <= 11; n++) {
  const jpeg = await syntheticFace(sampleChildSeed(n));
  faces.push(jpeg);
  const file = path.join(dir, `child-${String(n).padStart(2, '0')}.jpg`);
  writeFileSync(file, jpeg);
  console.log(`${path.relative(root, file)}  ${(jpeg.length / 1024).toFixed(1)} KB`);
}
const poster = await posterGrid(
  faces,
  faces.map((_, i) => i + 1),
  { columns: 4, width: 1000, quality: 75 },
);
writeFileSync(path.join(dir, 'poster.jpg'), poster);
console.log(`data/catalogue/poster.jpg  ${(poster.length / 1024).toFixed(1)} KB`);
