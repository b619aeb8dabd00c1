/**
 * `catalogue import` on real files: JSON and CSV with photo paths, every problem named by row,
 * nothing half-imported, the bundled sample replaced by the first real import, `catalogue
 * list`, and the server loading the sample when no catalogue exists.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCatalogue, importCatalogueFile, SAMPLE_CATALOGUE } from '../../src/catalogue.ts';
import { listCatalogue } from '../../src/cli/catalogue.ts';
import { Store } from '../../src/store/index.ts';

let dir: string;
const fresh = () => Store.open(path.join(mkdtempSync(path.join(dir, 'db-')), 'tipline.db'));

/** A distinct synthetic picture: stripes at an angle and a colour taken from `seed`. */
async function picture(file: string, seed: number): Promise<void> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="400">
    <rect width="320" height="400" fill="hsl(${(seed * 67) % 360},60%,70%)"/>
    <g transform="rotate(${seed * 23} 160 200)">${Array.from({ length: 12 }, (_, i) => `<rect x="${i * 40 - 80}" y="-100" width="${12 + (seed % 5) * 4}" height="600" fill="hsl(${(seed * 131 + i * 30) % 360},70%,35%)"/>`).join('')}</g>
    <circle cx="${100 + seed * 13}" cy="${150 + seed * 7}" r="${40 + seed * 3}" fill="#222"/></svg>`;
  await sharp(Buffer.from(svg)).jpeg({ quality: 85 }).toFile(file);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tipline-catalogue-'));
  for (let i = 1; i <= 3; i++) await picture(path.join(dir, `c${i}.jpg`), i);
  writeFileSync(path.join(dir, 'broken.jpg'), Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 1, 2, 3]));
  writeFileSync(path.join(dir, 'notes.jpg'), 'these are my notes, not a photo');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('catalogue import', () => {
  it('imports JSON with photos: each child, each photo fingerprinted, progress reported', async () => {
    const file = path.join(dir, 'good.json');
    writeFileSync(
      file,
      JSON.stringify([
        { number: 1, sex: 'boy', estimatedBirth: '2013-01', foundDate: '2013-06-28', foundPlace: 'Kaiyuan, Yunnan', marks: 'mole under the right eye', photos: ['c1.jpg'] },
        { number: 2, sex: 'female', photos: ['c2.jpg', 'c3.jpg'] },
        { number: 3 },
      ]),
    );
    const store = fresh();
    const progress: string[] = [];
    const r = await importCatalogueFile(store, file, { progress: (d, t) => progress.push(`${d}/${t}`) });
    expect(r).toMatchObject({ ok: true, children: 3, photos: 3, problems: [] });
    expect(progress).toEqual(['0/3', '1/3', '2/3', '3/3']);
    expect(store.catalogue.get(2)).toMatchObject({ sex: 'girl', source: 'good.json', photo: 'c2.jpg' });
    const photos = store.catalogue.photos();
    expect(photos.map((p) => [p.number, p.path])).toEqual([
      [1, 'c1.jpg'],
      [2, 'c2.jpg'],
      [2, 'c3.jpg'],
    ]);
    for (const p of photos) {
      expect(p.fingerprint.length).toBeGreaterThan(10);
      expect(p.width).toBe(320);
    }
    const lines = listCatalogue(store);
    expect(lines[0]).toMatch(/^#1 {2}boy · born ~2013-01 · found 2013-06-28 Kaiyuan, Yunnan · marks: mole under the right eye · 1 photo · 0 open cases$/);
    expect(lines[1]).toContain('2 photos');
    store.close();
  });

  it('imports CSV (semicolons, header in any case, photos separated by |)', async () => {
    const file = path.join(dir, 'good.csv');
    writeFileSync(file, '\uFEFFNumber;Sex;Estimated_Birth;Found Date;Photos\n7;boy;2013-02;2013-06-28;c1.jpg|c2.jpg\n8;girl;;;\n');
    const store = fresh();
    const r = await importCatalogueFile(store, file);
    expect(r).toMatchObject({ ok: true, children: 2, photos: 2 });
    expect(store.catalogue.get(7)).toMatchObject({ sex: 'boy', estimatedBirth: '2013-02', foundDate: '2013-06-28' });
    store.close();
  });

  it('names every problem with its row, and imports nothing when there is one', async () => {
    const file = path.join(dir, 'bad.json');
    writeFileSync(
      file,
      JSON.stringify([
        { number: 1, photos: ['c1.jpg'] },
        { number: '3.0' },
        { number: 4, sex: 'unknown', estimatedBirth: '2013-13' },
        { number: 5, photos: ['missing.jpg', 'broken.jpg', 'notes.jpg'] },
        { number: 1 },
        'not a child',
      ]),
    );
    const store = fresh();
    const r = await importCatalogueFile(store, file);
    expect(r.ok).toBe(false);
    const lines = r.problems.map((p) => `${p.row}${p.number ? ` #${p.number}` : ''}: ${p.message}`);
    expect(lines).toEqual([
      expect.stringMatching(/^2: "number" must be a whole number/),
      expect.stringMatching(/^3 #4: "sex" must be boy or girl/),
      expect.stringMatching(/^3 #4: "estimatedBirth" must be YYYY-MM/),
      '4 #5: photo missing.jpg: not found',
      expect.stringMatching(/^4 #5: photo broken.jpg: (malformed|not image)/),
      expect.stringMatching(/^4 #5: photo notes.jpg: (not image|unsupported format)/),
      '5 #1: #1 is also in row 1',
      '6: not an object',
    ]);
    // Nothing half-imported: not even the good first row.
    expect(store.catalogue.all()).toEqual([]);
    expect(store.catalogue.photos()).toEqual([]);
    store.close();
  });

  it('refuses a file that is not a catalogue with one line, never echoing its content', async () => {
    const store = fresh();
    const notJson = path.join(dir, 'secret.json');
    writeFileSync(notJson, 'password=hunter2');
    const r1 = await importCatalogueFile(store, notJson);
    expect(r1.problems).toEqual([{ row: 0, message: expect.stringContaining('not valid JSON') }]);
    expect(JSON.stringify(r1)).not.toContain('hunter2');
    const wrongFields = path.join(dir, 'wrong.json');
    writeFileSync(wrongFields, JSON.stringify([{ id: 1, name: 'x' }]));
    expect((await importCatalogueFile(store, wrongFields)).problems[0]!.message).toMatch(/no "number" field \(found: id, name\)/);
    expect((await importCatalogueFile(store, path.join(dir, 'nope.json'))).problems[0]!.message).toBe('no such file');
    store.close();
  });

  it('a file far too big to be a catalogue is refused in one line, not parsed into memory', async () => {
    const store = fresh();
    const many = path.join(dir, 'many.csv');
    writeFileSync(many, `number\n${Array.from({ length: 30_000 }, (_, i) => i + 1).join('\n')}\n`);
    const r = await importCatalogueFile(store, many);
    expect(r.problems).toEqual([{ row: 0, message: expect.stringMatching(/^30000 records: more than 20000 children/) }]);
    const huge = path.join(dir, 'huge.json');
    writeFileSync(huge, Buffer.alloc(11 * 1024 * 1024, 0x20));
    expect((await importCatalogueFile(store, huge)).problems[0]!.message).toBe('larger than 10 MiB');
    expect(store.catalogue.count()).toBe(0);
    store.close();
  });

  it('the sample never lands on a real catalogue, even one imported while the sample was being read', async () => {
    const store = fresh();
    const file = path.join(dir, 'real-first.json');
    writeFileSync(file, JSON.stringify([{ number: 5, sex: 'girl' }]));
    // The sample's photos are being read (its emptiness check passed) when the real import lands.
    const sample = importCatalogueFile(store, SAMPLE_CATALOGUE, { source: 'sample' });
    expect((await importCatalogueFile(store, file)).ok).toBe(true);
    expect(await sample).toMatchObject({ ok: true, children: 0 });
    expect(store.catalogue.all().map((c) => [c.number, c.source])).toEqual([[5, 'real-first.json']]);
    expect(await ensureCatalogue(store)).toBe(0);
    store.close();
  });

  it('the sample loads when the catalogue is empty, and the first real import replaces it', async () => {
    const store = fresh();
    expect(await ensureCatalogue(store)).toBe(11);
    expect(await ensureCatalogue(store)).toBe(0); // once
    expect(store.catalogue.all().every((c) => c.source === 'sample')).toBe(true);
    expect(new Set(store.catalogue.photos().map((p) => p.number)).size).toBe(11);
    expect(listCatalogue(store)[0]).toContain('SAMPLE');
    const file = path.join(dir, 'real.json');
    writeFileSync(file, JSON.stringify([{ number: 1, sex: 'boy', photos: ['c1.jpg'] }]));
    const r = await importCatalogueFile(store, file);
    expect(r).toMatchObject({ ok: true, children: 1, replacedSample: 11 });
    expect(store.catalogue.all().map((c) => c.number)).toEqual([1]);
    expect(store.catalogue.photos().map((p) => p.path)).toEqual(['c1.jpg']);
    store.close();
  });

  it('the committed sample is well-formed: 11 children, each with a photo that exists', async () => {
    const store = fresh();
    const r = await importCatalogueFile(store, SAMPLE_CATALOGUE, { source: 'sample' });
    expect(r).toMatchObject({ ok: true, children: 11, photos: expect.any(Number) });
    expect(r.photos).toBeGreaterThanOrEqual(11);
    store.close();
  });
});
