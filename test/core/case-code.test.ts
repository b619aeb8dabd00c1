import { describe, expect, it } from 'vitest';
import { CROCKFORD, findCaseCodeInText, generateCaseCode, normaliseCaseCode } from '../../src/core/case-code.ts';

const FORMAT = /^TL-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/;

describe('case codes', () => {
  it('have the public format', () => {
    for (let i = 0; i < 1000; i++) expect(generateCaseCode()).toMatch(FORMAT);
  });

  it('carry 40 random bits: every bit pattern maps to a distinct code', () => {
    const zero = generateCaseCode(() => Buffer.alloc(5, 0));
    const ones = generateCaseCode(() => Buffer.alloc(5, 0xff));
    expect(zero).toBe('TL-0000-0000');
    expect(ones).toBe('TL-ZZZZ-ZZZZ');
    // Flipping any single one of the 40 bits changes the code.
    const seen = new Set<string>();
    for (let bit = 0; bit < 40; bit++) {
      const b = Buffer.alloc(5, 0);
      b[Math.floor(bit / 8)] = 1 << bit % 8;
      seen.add(generateCaseCode(() => b));
    }
    expect(seen.size).toBe(40);
  });

  it('are unique and evenly spread over the alphabet in practice', () => {
    const codes = new Set<string>();
    const counts = new Map<string, number>();
    const n = 20000;
    for (let i = 0; i < n; i++) {
      const c = generateCaseCode();
      codes.add(c);
      for (const ch of c.slice(3).replace('-', '')) counts.set(ch, (counts.get(ch) ?? 0) + 1);
    }
    expect(codes.size).toBe(n);
    expect(counts.size).toBe(32);
    const expected = (n * 8) / 32;
    for (const v of counts.values()) expect(Math.abs(v - expected) / expected).toBeLessThan(0.15);
  });

  it('are read however people type them', () => {
    expect(normaliseCaseCode('TL-7KQ2-M9XD')).toBe('TL-7KQ2-M9XD');
    expect(normaliseCaseCode('tl-7kq2-m9xd')).toBe('TL-7KQ2-M9XD');
    expect(normaliseCaseCode('TL7KQ2M9XD')).toBe('TL-7KQ2-M9XD');
    expect(normaliseCaseCode('7KQ2M9XD')).toBe('TL-7KQ2-M9XD');
    expect(normaliseCaseCode(' tl 7kq2 m9xd ')).toBe('TL-7KQ2-M9XD');
    expect(normaliseCaseCode('TL-O1IL-0000')).toBe('TL-0111-0000');
    expect(normaliseCaseCode('ＴＬ－７ＫＱ２－Ｍ９ＸＤ')).toBe('TL-7KQ2-M9XD');
  });

  it('reject what is not a code', () => {
    for (const bad of ['', 'TL-7KQ2', 'TL-7KQ2-M9XDX', 'TL-7KQU-M9XD', 'hello world', '1234567', 'TL-7KQ2-M9X!']) {
      expect(normaliseCaseCode(bad), bad).toBeUndefined();
    }
  });

  it('are found inside a sentence', () => {
    expect(findCaseCodeInText('我的案件编号是 tl-7kq2-m9xd，请问进展？')).toBe('TL-7KQ2-M9XD');
    expect(findCaseCodeInText('no code here')).toBeUndefined();
  });

  it('use the Crockford alphabet', () => {
    expect(CROCKFORD).toHaveLength(32);
    expect(CROCKFORD).not.toMatch(/[ILOU]/);
  });
});
