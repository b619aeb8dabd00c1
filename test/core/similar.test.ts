import { describe, expect, it } from 'vitest';
import { MIN_CHARS, similarity, SIMILAR_AT, signatureFromBuffer, signatureToBuffer, textSignature } from '../../src/core/similar.ts';

const sim = (a: string, b: string) => similarity(textSignature(a)!.signature, textSignature(b)!.signature);
const shareBand = (a: string, b: string) => textSignature(a)!.bands.some((x) => textSignature(b)!.bands.includes(x));

const RUMOUR_ZH = '紧急扩散！开远火车站附近有人贩子抱着7号宝宝，穿红衣服，大家注意！';
const RUMOUR_EN = 'Please share! A white van is taking children near Kaiyuan primary school, police are warning parents';

describe('near-duplicate signatures', () => {
  it('copy-paste with punctuation, spacing, case, full-width and traditional characters is the same report', () => {
    expect(sim(RUMOUR_ZH, '紧急扩散!!开远火车站附近有人贩子抱着7号宝宝 穿红衣服 大家注意')).toBeGreaterThan(0.9);
    expect(sim(RUMOUR_ZH, '緊急擴散！開遠火車站附近有人販子抱著７號寶寶，穿紅衣服，大家注意！')).toBeGreaterThanOrEqual(SIMILAR_AT);
    expect(sim(RUMOUR_EN, 'PLEASE SHARE!!! a white van is taking children near Kaiyuan primary school - police are warning parents')).toBeGreaterThan(0.9);
  });

  it('small edits stay above the threshold and share a band (so the store finds them)', () => {
    const edits = [
      [RUMOUR_ZH, '扩散：开远火车站附近有人贩子抱着7号宝宝，穿红衣服，请大家注意'],
      [RUMOUR_EN, 'Share please: a white van is taking children near the Kaiyuan primary school, police warn parents'],
    ] as const;
    for (const [a, b] of edits) {
      expect(sim(a, b)).toBeGreaterThanOrEqual(SIMILAR_AT);
      expect(shareBand(a, b)).toBe(true);
    }
  });

  it('different reports are far apart', () => {
    expect(sim(RUMOUR_ZH, '我在昆明超市看到一个女人带着一个很像三号的孩子，孩子一直在哭')).toBeLessThan(0.2);
    expect(sim(RUMOUR_EN, 'I saw a woman with baby number 3 at the Mengzi bus station this morning around nine')).toBeLessThan(0.2);
  });

  it('short messages are not grouped ("7号" is not a rumour)', () => {
    expect(textSignature('7号')).toBeUndefined();
    expect(textSignature('thank you!!!')).toBeUndefined();
    expect(textSignature('x'.repeat(MIN_CHARS))).toBeDefined();
  });

  it('is deterministic and survives storage', () => {
    const a = textSignature(RUMOUR_EN)!;
    const b = textSignature(RUMOUR_EN)!;
    expect([...a.signature]).toEqual([...b.signature]);
    expect(a.bands).toEqual(b.bands);
    expect([...signatureFromBuffer(signatureToBuffer(a.signature))]).toEqual([...a.signature]);
  });

  it('never throws on hostile input', () => {
    for (const t of ['', '\u0000'.repeat(100), '\ud800'.repeat(50), '🙂'.repeat(5000), 'a'.repeat(100_000)]) {
      expect(() => textSignature(t)).not.toThrow();
    }
    expect(textSignature(undefined as unknown as string)).toBeUndefined();
  });
});
