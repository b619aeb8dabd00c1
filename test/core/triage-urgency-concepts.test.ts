import { describe, it, expect } from 'vitest';
import { triage } from '../../src/core/triage/index.ts';
import { clausesOf, conceptUrgency, urgencyVeto } from '../../src/core/triage/urgency-concepts.ts';

const catalogueNumbers = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
const t = (text: string) => triage(text, { catalogueNumbers });

// Phrasings written for these tests, none of them a row of the evaluation sets.
describe('urgency by concept classes (now + child + harm/move/trade, or a call for help)', () => {
  it.each([
    '两个男的正把一个哭着的小孩往面包车里拉',
    '有個女的剛把嬰兒塞進行李箱，人還在候車室',
    'they are carrying the little boy onto a fishing boat at the pier as we speak',
    'some guy is shaking a newborn in the parking lot, I can see it from my window',
    'Họ đang chở ba đứa trẻ ra cửa khẩu, sắp qua biên giới',
    'มีคนกำลังลากเด็กขึ้นรถกระบะหน้าโรงเรียน',
    'ကလေးကို အခု ကားပေါ်တင်ပြီး ခေါ်သွားနေတယ်',
  ])('urgent: %s', (text) => {
    const r = t(text);
    expect(r.urgent, JSON.stringify(r.reasons)).toBe(true);
    expect(r.category).toBe('tip');
  });

  it.each([
    '前年有人在我们镇上卖过孩子，现在那家人搬走了',
    '我们明天就去派出所采血，我女儿跟6号很像',
    'Can we adopt number 4 today? We could drive over right now',
    'what should I do if someone is selling a baby right now, call 110 or you?',
    'People who sell babies deserve the death penalty, it is happening right now everywhere',
    'Năm 2011 tôi thấy người ta bán một bé trai ở chợ, bây giờ không biết ở đâu',
    'baby clothes sale today only, buy now and get 50% off http://shop.example.com',
  ])('not urgent: %s', (text) => {
    expect(t(text).urgent, JSON.stringify(t(text).reasons)).toBe(false);
  });

  it('names the concept that fired in the reasons', () => {
    expect(t('they are putting the twins into a grey van right now').reasons.some((r) => r.startsWith('urgent:'))).toBe(true);
    expect(conceptUrgency('有人正把孩子抱上摩托车', { namesChild: false })).toMatch(/^urgent:concept:/);
  });

  it('a family inquiry needs a clock running now, not just "today"', () => {
    expect(conceptUrgency('今天又想起被带走的孩子', { namesChild: false, category: 'family' })).toBeUndefined();
  });

  it('vetoes hypotheticals, outrage and hurried adoption wishes, never a cry for help', () => {
    expect(urgencyVeto('如果有人今晚要卖孩子，怎么办？', 'tip')).toBe('hypothetical');
    expect(urgencyVeto('我想领养7号，今天就能来', 'adoption')).toBe('adoption-wish');
    expect(urgencyVeto('人贩子该死', 'tip')).toBe('opinion');
    expect(urgencyVeto('救命！如果你们不来他们就把孩子带走了', 'tip')).toBeUndefined();
  });

  it('splits clauses at punctuation of every script, and Thai at spaces', () => {
    expect(clausesOf('他们在车站，马上走。快来！')).toEqual(['他们在车站', '马上走', '快来']);
    expect(clausesOf('มีเด็ก อยู่ในรถ')).toEqual(['มีเด็ก', 'อยู่ในรถ']);
    expect(clausesOf('ကလေး၊ အခု')).toEqual(['ကလေး', 'အခု']);
  });
});
