/**
 * Fingerprints: stored as text and read back identically; older or damaged text refused;
 * the same bytes always give the same fingerprint and the same query; generators repeat.
 */
import { describe, expect, it } from 'vitest';
import { fingerprintPhoto, fingerprintQuery, parseFingerprint, serializeFingerprint, type PhotoFingerprint } from '../../src/photos/index.ts';
import { hamming, phash } from '../../src/photos/hash.ts';
import { RECIPES, Rng, screenshot, syntheticFace, syntheticFaceWithTraits } from '../../src/photos/synthetic.ts';

async function fingerprint(data: Buffer): Promise<PhotoFingerprint> {
  const r = await fingerprintPhoto(data);
  if (!r.ok) throw new Error(r.detail);
  return r.fingerprint;
}

describe('serialisation', () => {
  it('round-trips exactly, as one short line of text', async () => {
    const f = await fingerprint(await syntheticFace(30100));
    const s = serializeFingerprint(f);
    expect(s).toMatch(/^pf2;\d+\.\d{4};[0-9a-f,]+;[A-Za-z0-9+/=]+;[A-Za-z0-9+/=]+$/);
    expect(s.length).toBeLessThan(2000);
    const back = parseFingerprint(s);
    expect(back).toEqual(f);
    expect(serializeFingerprint(back!)).toBe(s);
  });

  it('refuses anything else', async () => {
    const s = serializeFingerprint(await fingerprint(await syntheticFace(30101)));
    const parts = s.split(';');
    for (const bad of [
      '',
      'garbage',
      s.replace('pf2;', 'pf1;'),
      s.slice(0, -10),
      [parts[0], 'NaN', parts[2], parts[3], parts[4]].join(';'),
      [parts[0], parts[1], parts[2]!.slice(1), parts[3], parts[4]].join(';'),
      [parts[0], parts[1], parts[2], '!!!!', parts[4]].join(';'),
      [parts[0], parts[1], parts[2], parts[3]].join(';'),
      [parts[0], parts[1], parts[2], parts[3], 'AAAA'].join(';'),
      `${s};extra`,
      'x'.repeat(10_000),
    ]) {
      expect(parseFingerprint(bad), bad.slice(0, 40)).toBeUndefined();
    }
    expect(parseFingerprint(undefined as unknown as string)).toBeUndefined();
  });
});

describe('determinism', () => {
  it('the same bytes give the same fingerprint and the same query', async () => {
    const data = await screenshot(await syntheticFace(30102), 30102);
    expect(await fingerprint(data)).toEqual(await fingerprint(Buffer.from(data)));
    const a = await fingerprintQuery(data);
    const b = await fingerprintQuery(Buffer.from(data));
    if (!a.ok || !b.ok) throw new Error('query');
    expect(a.query.windows).toEqual(b.query.windows);
    expect(a.query.windows.length).toBeGreaterThan(1);
  });

  it('generators repeat byte for byte from a seed, and differ between seeds', async () => {
    expect((await syntheticFace(30103)).equals(await syntheticFace(30103))).toBe(true);
    expect((await syntheticFace(30103)).equals(await syntheticFace(30104))).toBe(false);
    const a = await RECIPES.screen_photo_of_chat!(await syntheticFace(30105), new Rng(9));
    const b = await RECIPES.screen_photo_of_chat!(await syntheticFace(30105), new Rng(9));
    expect(a.equals(b)).toBe(true);
  });

  it('different seeds draw visibly different babies', async () => {
    const traits = await Promise.all([30110, 30111, 30112, 30113, 30114, 30115].map(async (s) => (await syntheticFaceWithTraits(s)).traits));
    const keys = new Set(traits.map((t) => `${t.skin}/${t.hair}/${t.mouth}/${t.eyesOpen}/${Math.round(t.headX / 10)}`));
    expect(keys.size).toBe(traits.length);
  });
});

describe('pHash', () => {
  it('is near for a re-compressed copy and far for another baby', async () => {
    const a = await fingerprint(await syntheticFace(30120));
    const b = await fingerprint(await RECIPES.jpeg_q8_15!(await syntheticFace(30120), new Rng(1)));
    const c = await fingerprint(await syntheticFace(30121));
    expect(hamming(a.coarse[0]!, b.coarse[0]!)).toBeLessThanOrEqual(8);
    expect(hamming(a.coarse[0]!, c.coarse[0]!)).toBeGreaterThan(12);
  });

  it('ignores brightness and contrast', () => {
    const t = Float32Array.from({ length: 32 * 32 }, (_, i) => ((i * 37) % 101) + (i % 32) * 2);
    const brighter = Float32Array.from(t, (v) => v * 1.3 + 20);
    expect(hamming(phash(t), phash(brighter))).toBe(0);
  });
});

describe('without fonts (as on a bare CI machine)', () => {
  it('captions render as boxes or nothing, and the photo still matches', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { spawnSync } = await import('node:child_process');
    const { pathToFileURL } = await import('node:url');
    const dir = mkdtempSync(path.join(tmpdir(), 'tipline-nofonts-'));
    try {
      const conf = path.join(dir, 'fonts.conf');
      writeFileSync(conf, `<?xml version="1.0"?><fontconfig><dir>${path.join(dir, 'none')}</dir><cachedir>${path.join(dir, 'cache')}</cachedir></fontconfig>`);
      const src = (f: string) => pathToFileURL(path.resolve(import.meta.dirname, '../../src/photos', f)).href;
      const code = `
        const S = await import(${JSON.stringify(src('synthetic.ts'))});
        const P = await import(${JSON.stringify(src('index.ts'))});
        const face = await S.syntheticFace(30130);
        const fp = await P.fingerprintPhoto(face);
        const index = new P.PhotoIndex([{ number: 1, photo: 'a', fingerprint: fp.fingerprint }]);
        const out = [];
        for (const img of [await S.screenshot(face, 30131), await S.screenshot(face, 30132, 'notice'), await S.posterGrid([face], [1])]) {
          const q = await P.fingerprintQuery(img);
          out.push(q.ok ? index.match(q.query).map((c) => c.number) : q.problem);
        }
        console.log(JSON.stringify(out));`;
      const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
        cwd: path.resolve(import.meta.dirname, '../..'),
        env: { ...process.env, FONTCONFIG_FILE: conf },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status, r.stderr).toBe(0);
      expect(JSON.parse(r.stdout.trim().split('\n').pop()!)).toEqual([[1], [1], [1]]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
