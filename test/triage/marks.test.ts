import { describe, expect, it } from 'vitest';
import { MARK_KINDS, extractMarks, foldText, nearLocations, readMarks, stripAccents } from '../../src/core/triage/marks.ts';

/** kind@location/side, for compact expectations. */
const short = (text: string) => extractMarks(text).map((m) => `${m.kind}${m.location ? `@${m.location}` : ''}${m.side ? `/${m.side}` : ''}`);

describe('extractMarks: the catalogue’s own English', () => {
  it.each([
    ['birthmark on the left shoulder', ['birthmark@shoulder/left']],
    ['mole under the right eye', ['mole@eye/right']],
    ['small scar on the forehead', ['scar@forehead']],
    ['eye condition (under treatment)', ['eye@eye']],
    ['receiving treatment for an eye condition', ['eye@eye']],
    ['two hair whorls', ['hair-whorl@head']],
    ['extra toe on the left foot', ['extra-digit@foot/left']],
    ['red birthmark on the back of the neck', ['birthmark@neck']],
    ['none noted', []],
  ])('%s', (text, expected) => {
    expect(short(text)).toEqual(expected);
  });

  it('labels marks in English for a caseworker', () => {
    expect(extractMarks('左肩有块胎记')).toEqual([{ kind: 'birthmark', location: 'shoulder', side: 'left', label: 'birthmark, left shoulder' }]);
    expect(extractMarks('斜视')[0]!.label).toBe('eye condition, eye');
  });
});

describe('extractMarks: how parents write, in six languages', () => {
  it.each([
    // zh-Hans
    ['左肩有块胎记', ['birthmark@shoulder/left']],
    ['右眼下面有颗痣', ['mole@eye/right']],
    ['头上有两个旋', ['hair-whorl@head']],
    ['左脚多一个脚趾', ['extra-digit@foot/left']],
    ['生下来就是六指', ['extra-digit@hand']],
    ['眼睛有问题，一直在治疗', ['eye@eye']],
    ['兔唇，做过手术', ['cleft-lip@mouth']],
    ['屁股上有青记', ['birthmark@buttock']],
    ['右手背有个烫伤的疤', ['burn@hand/right']],
    // zh-Hant
    ['左肩膀上有一塊胎記，右眼斜視', ['birthmark@shoulder/left', 'eye@eye/right']],
    ['頸後有紅色胎記', ['birthmark@neck']],
    ['左腳多一個腳趾', ['extra-digit@foot/left']],
    // en
    ['a mole under the right eye and a scar on the forehead', ['mole@eye/right', 'scar@forehead']],
    ['She has a port-wine stain on her left cheek', ['birthmark@face/left']],
    ['he is cross-eyed', ['eye@eye']],
    ['six toes on his right foot', ['extra-digit@foot/right']],
    // vi, with and without tone marks
    ['có một vết bớt ở vai trái', ['birthmark@shoulder/left']],
    ['nốt ruồi dưới mắt phải', ['mole@eye/right']],
    ['not ruoi', ['mole']],
    ['bé bị mắt lác', ['eye@eye']],
    ['thừa ngón chân trái', ['extra-digit@foot/left']],
    ['hai xoáy trên đầu', ['hair-whorl@head']],
    // th
    ['มีปานที่ไหล่ซ้าย', ['birthmark@shoulder/left']],
    ['ไฝใต้ตาขวา', ['mole@eye/right']],
    ['ลูกตาเหล่', ['eye@eye']],
    ['มีแผลเป็นที่หน้าผาก', ['scar@forehead']],
    ['นิ้วเท้าเกินที่เท้าซ้าย', ['extra-digit@foot/left']],
    // my
    ['ဘယ်ဘက်ပခုံးမှာ မွေးရာပါအမှတ် ရှိတယ်', ['birthmark@shoulder/left']],
    ['ညာဘက်မျက်လုံးအောက်မှာ မှဲ့ရှိတယ်', ['mole@eye/right']],
    ['မျက်စိစွေ', ['eye@eye']],
    ['နဖူးမှာ အမာရွတ်ရှိတယ်', ['scar@forehead']],
  ])('%s', (text, expected) => {
    expect(short(text)).toEqual(expected);
  });
});

describe('extractMarks: pairing kinds, places and sides', () => {
  it('gives a side word to one place only', () => {
    expect(short('左肩和背上都有胎记')).toEqual(['birthmark@shoulder/left', 'birthmark@back']);
  });

  it('pairs several marks in one run-on sentence by the language’s word order', () => {
    expect(short('左肩有块胎记右眼下有颗痣')).toEqual(['birthmark@shoulder/left', 'mole@eye/right']);
    expect(short('birthmark on the left shoulder, mole under the right eye')).toEqual(['birthmark@shoulder/left', 'mole@eye/right']);
  });

  it('does not take 左右 ("about") or "right after" for a side', () => {
    expect(short('3个月左右发现头上有疤')).toEqual(['scar@head']);
    expect(short('right after birth he had a scar on his arm')).toEqual(['scar@arm']);
  });

  it('counts a mark of no stated kind only beside a body part', () => {
    expect(short('a mark on his left arm')).toEqual(['mark@arm/left']);
    expect(short('spots')).toEqual([]);
  });
});

describe('readMarks: denied, unsure and none', () => {
  it.each([
    ['没有胎记', ['birthmark']],
    ['沒有胎記', ['birthmark']],
    ["he doesn't have any birthmarks", ['birthmark']],
    ['không có bớt', ['birthmark']],
    ['ไม่มีปาน', ['birthmark']],
    ['မွေးရာပါအမှတ် မရှိပါ', ['birthmark']],
  ])('%s denies', (text, denied) => {
    const r = readMarks(text);
    expect(r.present).toEqual([]);
    expect(r.denied).toEqual(denied);
  });

  it('says nothing either way when the parent is unsure', () => {
    expect(readMarks('不知道有没有胎记')).toEqual({ present: [], denied: [], none: false });
    expect(readMarks("I'm not sure if he had a birthmark")).toEqual({ present: [], denied: [], none: false });
  });

  it('"眼睛没有问题" is not an eye condition', () => {
    expect(readMarks('眼睛没有问题').present).toEqual([]);
  });

  it.each(['none noted', 'None.', '没有', '无', 'không có', 'ไม่มี', 'မရှိပါ', 'no distinguishing marks'])('"%s" is none at all', (text) => {
    expect(readMarks(text).none).toBe(true);
  });

  it('a described mark is not none', () => {
    expect(readMarks('左肩有胎记').none).toBe(false);
  });
});

describe('hostile input', () => {
  it('never throws, and stays linear on 20,000 characters', () => {
    const inputs: unknown[] = [
      '',
      '\u0000\u0001\u202e\ufeff',
      '胎'.repeat(20_000),
      '左'.repeat(20_000),
      'left '.repeat(4000),
      '(?:'.repeat(5000),
      'ปาน'.repeat(7000),
      '\ud800\udc00\ud800',
      undefined,
      null,
      42,
    ];
    for (const text of inputs) expect(() => readMarks(text as string)).not.toThrow();
  });

  it('sees through invisible characters inside a word', () => {
    expect(short('左肩有块胎\u200b记')).toEqual(['birthmark@shoulder/left']);
    expect(short('左肩有块胎\u0000记')).toEqual(['birthmark@shoulder/left']);
  });
});

describe('helpers', () => {
  it('folds traditional Chinese, full-width, Thai and Burmese digits', () => {
    expect(foldText('左腳多一個腳趾 ２０１３ ๒๕๕๖ ၂၀၁၃')).toBe('左脚多一个脚趾 2013 2556 2013');
  });

  it('strips accents one character for one', () => {
    const folded = foldText('Nốt ruồi ở vai trái, Đà Nẵng');
    expect(stripAccents(folded)).toBe('not ruoi o vai trai, da nang');
    expect(stripAccents(folded)).toHaveLength(folded.length);
  });

  it('knows which body parts are near', () => {
    expect(nearLocations('neck', 'back')).toBe(true);
    expect(nearLocations('eye', 'forehead')).toBe(true);
    expect(nearLocations('foot', 'eye')).toBe(false);
    expect(nearLocations('neck', 'neck')).toBe(false);
  });

  it('returns only kinds it declares', () => {
    const text = '胎记，痣，疤，烫伤，斜视，两个旋，六指，兔唇，畸形，耳聋，心脏病，附耳，疝气，酒窝，左臂有个印记';
    for (const m of extractMarks(text)) expect(MARK_KINDS).toContain(m.kind);
    expect(new Set(extractMarks(text).map((m) => m.kind)).size).toBe(MARK_KINDS.length);
  });
});
