import { describe, it, expect } from 'vitest';
import { triage } from '../../src/core/triage/index.ts';

describe('spam: ads, gibberish, abuse aimed at the service', () => {
  it.each([
    ['asdfghjkl qwerty zxcvbnm', 'spam:gibberish:keyboard'],
    ['jfkdlsjfkdsl fjdkslfjdsk', 'spam:gibberish:keyboard'],
    ['xvqz plmk trwg hbnx kjzq', 'spam:gibberish:keyboard'],
    ['ฟหกดฟหกดฟหกด่าสวงฟหกด', 'spam:gibberish:keyboard'],
    ['的啊是了我不人在他有这来个们到大中上为', 'spam:gibberish:han'],
    ['啊啊啊啊啊啊啊啊啊啊啊啊', 'spam:gibberish:repeated'],
    ['🔥🔥🔥🔥🔥🔥🔥🔥🔥🔥', 'spam:gibberish:emoji'],
    ['you useless idiots, fuck this stupid bot', 'spam:abuse:fuck'],
    ['你们这些废物警察，一天到晚不干正事', 'spam:abuse:废物警察'],
    ['đồ ngu, lũ công an vô dụng', 'spam:abuse:đồ ngu'],
    ['พวกตำรวจโง่ ไร้ประโยชน์', 'spam:abuse:โง่'],
    ['刷单返利，一单一结，QQ 87278199', 'spam:contact+promo'],
    ['Vay tiền nhanh không cần thế chấp https://vip-loan.xyz', 'spam:link+promo'],
  ])('%s', (text, reason) => {
    const r = triage(text);
    expect(r.category, JSON.stringify(r)).toBe('spam');
    expect(r.reasons).toContain(reason);
    expect(r.urgent).toBe(false);
  });

  it.each([
    ['these traffickers are bastards, I saw them at 7号 house', 'tip'],
    ['这些人贩子真是畜生！我在昆明南站见过他们', 'tip'],
    ['fucking traffickers, I know where they keep baby #4', 'tip'],
    ['hahahaha thank you', 'other'],
    ['哈哈', 'other'],
    ['😭😭', 'other'],
    ['I saw the news, so sad', 'other'],
    ['Please help me find my son, he was taken in 2012', 'family'],
    ['tôi ăn bánh mì ở chợ', 'other'],
  ])('%s is not spam', (text, category) => {
    // The rules file it where it belongs; with the trained models weighed in it is still no spam.
    const r = triage(text, { models: false });
    expect(r.category, JSON.stringify(r)).toBe(category);
    expect(triage(text).category).not.toBe('spam');
  });

  it('a cry for help is never gibberish or abuse, even with curses in it', () => {
    const r = triage('救命！！他妈的有人在打孩子');
    expect(r.urgent).toBe(true);
    expect(r.category).toBe('tip');
  });
});
