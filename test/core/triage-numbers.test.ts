import { describe, it, expect } from 'vitest';
import { extractChildNumbers, foldDigits, triage } from '../../src/core/triage/index.ts';

describe('foldDigits', () => {
  it('folds Thai, Burmese, Lao, Khmer and Arabic-Indic digits one unit for one', () => {
    expect(foldDigits('หมายเลข ๕')).toBe('หมายเลข 5');
    expect(foldDigits('နံပါတ် ၁၂')).toBe('နံပါတ် 12');
    expect(foldDigits('໓ ៧ ٤ ۸')).toBe('3 7 4 8');
    expect(foldDigits('plain 7')).toBe('plain 7');
    const text = 'เด็ก ๑๐ คน';
    expect(foldDigits(text)).toHaveLength(text.length);
  });
});

describe('catalogue numbers in every written form', () => {
  it.each([
    ['7号', [7]],
    ['七号', [7]],
    ['第十二个', [12]],
    ['#7', [7]],
    ['number 7', [7]],
    ['photo 7', [7]],
    ['No.7', [7]],
    ['７号', [7]],
    ['số 5', [5]],
    ['bé số 3', [3]],
    ['Tôi thấy bé số 5 ở chợ', [5]],
    ['နံပါတ် ၅', [5]],
    ['ကလေး နံပါတ် ၅ ကို ဈေးမှာ တွေ့ခဲ့တယ်', [5]],
    ['ဓာတ်ပုံ ၁ က ကလေး', [1]],
    ['หมายเลข ๕', [5]],
    ['เด็กหมายเลข ๑๐ อยู่ที่หมู่บ้าน', [10]],
    ['รูปที่ 5', [5]],
    ['รูปที่ ๔ เหมือนลูกสาวของฉัน', [4]],
  ])('%s → %j', (text, expected) => {
    expect(extractChildNumbers(text)).toEqual(expected);
  });

  it.each([
    ['2月7号', []],
    ['7个月', []],
    ['7点', []],
    ['7万', []],
    ['these traffickers are bastards, I saw them at 7号 house', []],
    ['ลูกถูกลักพาตัวไปตอนอายุ 6 เดือน', []],
    ['con tôi 3 tuổi', []],
    ['电话 13812345678', []],
  ])('%s is no child number', (text, expected) => {
    expect(extractChildNumbers(text)).toEqual(expected);
  });

  it('names children in the order of mention, across scripts', () => {
    expect(triage('เด็กหมายเลข ๗ และ รูปที่ 3, နံပါတ် ၁၁').children).toEqual([7, 3, 11]);
  });
});
