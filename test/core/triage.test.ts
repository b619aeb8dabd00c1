import { describe, it, expect } from 'vitest';
import type { Category } from '../../src/core/types.ts';
import {
  detectLanguage,
  extractChildNumbers,
  findPii,
  isChineseIdNumber,
  parseChineseNumeral,
  passesLuhn,
  toSimplified,
  triage,
  type TriageContext,
} from '../../src/core/triage/index.ts';

const CATALOGUE: ReadonlySet<number> = new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

interface Case {
  text: string;
  category?: Category;
  urgent?: boolean;
  language?: string;
  children?: number[];
  pii?: string[];
  greeting?: boolean;
  /** Reasons that must be present. */
  reasons?: string[];
  ctx?: TriageContext;
}

/** Realistic messages and what triage must say about them. Only the fields given are checked. */
const CASES: Case[] = [
  // ── simplified Chinese: tips
  { text: '我看到照片上的7号宝宝在昆明火车站', category: 'tip', urgent: false, language: 'zh-CN', children: [7], reasons: ['category:tip:我看到', 'child:#7'] },
  { text: '我见过#3，在我们村一户人家里', category: 'tip', urgent: false, children: [3] },
  { text: '我邻居去年买了个孩子，长得很像第五个', category: 'tip', urgent: false, children: [5] },
  { text: '我知道一个代孕中介在卖孩子，老板姓王', category: 'tip', urgent: false },
  { text: '我去年看到有人卖孩子', category: 'tip', urgent: false },
  { text: '孩子被卖了，现在在昆明一户人家', urgent: false },
  // ── simplified Chinese: urgent
  { text: '人贩子今晚要卖孩子，在开远火车站！', category: 'tip', urgent: true, reasons: ['urgent:sale-imminent:今晚要卖'] },
  { text: '他们明天交易，在汽车站', category: 'tip', urgent: true },
  { text: '孩子马上要被带走了，快来', urgent: true },
  { text: '隔壁正在打孩子，一直在哭喊', category: 'tip', urgent: true, reasons: ['urgent:danger:打孩子'] },
  { text: '孩子快死了，在流血', urgent: true },
  { text: '那个孩子现在有危险，在城东仓库', urgent: true },
  { text: '孩子现在没有危险，已经安全了', urgent: false },
  // ── simplified Chinese: family
  { text: '我的孩子2013年2月在昆明走失，他左脸有胎记', category: 'family', urgent: false, children: [] },
  { text: '我儿子被拐了，照片上的七号很像他，怎么做DNA？', category: 'family', children: [7] },
  { text: '2013年2月7号我丢了女儿，她才7个月大', category: 'family', children: [] },
  { text: '寻子：儿子2012年8月15日出生，后脑有疤', category: 'family' },
  // ── simplified Chinese: adoption, status, greeting, other, spam
  { text: '我想领养一个孩子，请问怎么办手续', category: 'adoption', urgent: false },
  { text: '我们结婚十年没有孩子，想收养一个', category: 'adoption' },
  { text: 'TL-7KQ2-M9XD', category: 'status', greeting: false, reasons: ['category:status:case-code'] },
  { text: '我的案件进度怎么样了？TL-7KQ2-M9XD', category: 'status' },
  { text: '你好', category: 'other', greeting: true, language: 'zh-CN' },
  { text: '在吗？', greeting: true },
  { text: '你好，在吗', greeting: true },
  { text: '谢谢', category: 'other', greeting: false },
  { text: '加微信 abc_123，贷款秒批，日赚500 http://x.cn/a', category: 'spam', urgent: false, reasons: ['spam:link+promo'] },
  { text: '网赌博彩，首充送彩金，加微信', category: 'spam' },

  // ── traditional Chinese
  { text: '我看到7號寶寶在火車站', category: 'tip', language: 'zh-TW', children: [7] },
  { text: '鄰居買了個孩子，很像第三個', category: 'tip', language: 'zh-TW', children: [3] },
  { text: '我想領養孩子', category: 'adoption', language: 'zh-TW' },
  { text: '有人想收養孩子嗎？我們家沒有孩子', category: 'adoption', language: 'zh-TW' },
  { text: '我的兒子被拐了，請幫我找他', category: 'family', language: 'zh-TW' },
  { text: '我女兒2013年丟失，她很像十一號', category: 'family', language: 'zh-TW', children: [11] },
  { text: '他們今晚要賣孩子！', urgent: true, language: 'zh-TW', reasons: ['urgent:sale-imminent:今晚要卖'] },
  { text: '孩子馬上要被帶走了，現在有危險', urgent: true, language: 'zh-TW' },
  { text: '我以前看過有人賣孩子', urgent: false, language: 'zh-TW' },
  { text: '我的案件有進展嗎？', category: 'status', language: 'zh-TW' },
  { text: '哈囉', greeting: true, language: 'zh-TW' },
  { text: '您好', greeting: true, language: 'zh-CN' },
  { text: '在嗎', greeting: true },

  // ── English
  { text: 'I saw child #7 at Kunming railway station yesterday', category: 'tip', urgent: false, language: 'en', children: [7] },
  { text: 'I saw a baby being sold last year', category: 'tip', urgent: false },
  { text: 'They are selling the baby tonight at the station', category: 'tip', urgent: true, reasons: ['urgent:sale-imminent:selling+tonight'] },
  { text: 'My neighbour bought a baby girl, she looks like number 4', category: 'tip', urgent: false, children: [4] },
  { text: 'A man is beating the child right now, please come', urgent: true, reasons: ['urgent:danger:beating'] },
  { text: 'They will hand over the baby tomorrow morning at the bus station', category: 'tip', urgent: true },
  { text: 'They are about to sell her, hurry', urgent: true },
  { text: 'The child was sold years ago, now he lives in Kunming', urgent: false },
  { text: 'Years ago my neighbour used to beat the kids', urgent: false },
  { text: 'Is the baby safe now?', urgent: false },
  { text: 'Not urgent, but I know a seller in my village', category: 'tip', urgent: false },
  { text: 'My son went missing in 2013, I think he is baby no. 9', category: 'family', urgent: false, children: [9] },
  { text: 'I am looking for my daughter. Is there a DNA test?', category: 'family' },
  { text: "I'm the mother of the girl in photo 2, she was stolen from us", category: 'family', children: [2] },
  { text: 'We would like to adopt one of the babies', category: 'adoption', urgent: false },
  { text: 'How can I adopt baby 2?', category: 'adoption', children: [2] },
  { text: 'status of my case TL-7KQ2-M9XD', category: 'status' },
  { text: 'any update? tl7kq2m9xd', category: 'status' },
  { text: 'hi', greeting: true, category: 'other', language: 'en' },
  { text: 'Hello!', greeting: true },
  { text: 'hi there 👋', greeting: true },
  { text: 'menu', greeting: true },
  { text: '/start', greeting: true },
  { text: '/start child_7', greeting: false, category: 'tip', children: [7] },
  { text: 'Thanks', category: 'other', greeting: false },
  { text: 'FREE BITCOIN!!! CLICK NOW https://crypto-gift.xyz/claim', category: 'spam', urgent: false },
  { text: 'Get a payday loan today, guaranteed approval, visit www.loans-now.xyz', category: 'spam' },
  { text: 'I have information about number 6, call me on +44 20 7946 0958', category: 'tip', children: [6], pii: ['phone'] },
  // spam is never urgent, even when it borrows urgent words
  { text: 'URGENT selling baby tonight!!! bitcoin casino bonus https://x.xyz', category: 'spam', urgent: false },
  // form alone (repeats, symbols) is not spam; a cry for help stays urgent
  { text: '!!!!!!!!!!!!!!!!!!!!!!!!', category: 'other' },
  { text: '救命！！！！！！！！！！！！有人在打孩子', urgent: true, category: 'tip' },

  // ── child numbers and their look-alikes
  { text: '#1 and #11 look like twins', children: [1, 11] },
  { text: '＃7', children: [7] },
  { text: '第七个宝宝是我女儿', children: [7], category: 'family' },
  { text: '编号12的孩子', children: [12] },
  { text: '十五号和二十号都很像', children: [15, 20] },
  { text: 'photo 3, picture no. 8', children: [3, 8] },
  { text: '我的电话是13812345678', children: [], pii: ['phone'] },
  { text: 'I saw her on 7 March, 7/3, at 7pm', children: [] },
  { text: 'baby 7 months old', children: [] },
  { text: '孩子7个月大，7岁，7点，7元', children: [] },
  { text: '在7号线地铁站看到的', children: [] },
  { text: '我第一次看到这个', children: [] },
  { text: '#7 and #42', ctx: { catalogueNumbers: CATALOGUE }, children: [7, 42], reasons: ['child:#7', 'child-unknown:#42'] },
  { text: '#42 and #7', ctx: { catalogueNumbers: CATALOGUE }, children: [7, 42], reasons: ['child:#7', 'child-unknown:#42'] },
  { text: '#42', ctx: { catalogueNumbers: new Set() }, children: [42], reasons: ['child:#42'] },

  // ── look-alikes that must not fool the rules
  { text: '我看到新闻了，太可怜了', category: 'other' },
  { text: '我儿子现在有危险吗？', category: 'family', urgent: false },
  { text: 'Is my baby in danger now?', category: 'family', urgent: false },
  { text: 'They are taking the children to the border now', category: 'tip', urgent: true },
  { text: 'I want to buy a baby', category: 'adoption', urgent: false },
  { text: '我想买个孩子，多少钱', category: 'adoption', urgent: false },
  { text: '三号很像我女儿', category: 'family', children: [3] },
  { text: 'Child 5 looks like my son', category: 'family', children: [5] },
  // a parent sharing a link is not spam; words in a link's path do not count, its host does
  { text: '我的孩子丢了，求转发 https://weibo.com/xxx', category: 'family', language: 'zh-CN', pii: ['url'] },
  { text: '免费DNA采血，详见 https://www.gov.cn/abc', category: 'family', language: 'zh-CN' },
  { text: 'see https://bitcoin-bonus.xyz/claim now', category: 'spam' },
  { text: 'BUY NOW!!! CHEAP WATCHES WWW.WATCH.COM', category: 'spam', reasons: ['spam:shouting+link'] },

  // ── language from hint, robustness
  { text: 'TL-7KQ2-M9XD', ctx: { localeHint: 'zh-TW' }, language: 'zh-TW', category: 'status' },
  { text: 'สวัสดีครับ ผมเห็นเด็กหมายเลข 7', language: 'th' },
  { text: 'Я видел ребёнка', language: 'ru' },
  { text: '아이를 봤어요', language: 'ko' },
  { text: '12345', ctx: { localeHint: 'vi' }, language: 'vi' },
  { text: '😀😀', language: 'und', greeting: true },
  { text: '', language: 'und', category: 'other', greeting: false, urgent: false, children: [], pii: [] },
  { text: '   \n\t ', category: 'other', greeting: false },
  { text: '\u0000\u0007我看到\u001b#7\u0000', category: 'tip', children: [7] },
  { text: '\ud800我看到7号\udfff', category: 'tip', children: [7] },
  { text: 'Tôi thấy em bé ở chợ', language: 'vi' },
];

// The rules' layer alone: these are the phrasings the word lists were written for. The trained
// models weighed in on top are tested in triage-models.test.ts and measured by `npm run eval`.
describe('triage: table of realistic messages (rules)', () => {
  it('has at least 60 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
  });

  for (const c of CASES) {
    it(JSON.stringify(c.text).slice(0, 80), () => {
      const r = triage(c.text, { ...c.ctx, models: false });
      if (c.category !== undefined) expect(r.category, JSON.stringify(r)).toBe(c.category);
      if (c.urgent !== undefined) expect(r.urgent, JSON.stringify(r)).toBe(c.urgent);
      if (c.language !== undefined) expect(r.language).toBe(c.language);
      if (c.children !== undefined) expect(r.children).toEqual(c.children);
      if (c.pii !== undefined) expect(r.pii).toEqual(c.pii);
      if (c.greeting !== undefined) expect(r.greeting, JSON.stringify(r)).toBe(c.greeting);
      for (const reason of c.reasons ?? []) expect(r.reasons, JSON.stringify(r)).toContain(reason);
      if (r.category === 'spam') expect(r.urgent).toBe(false);
      expect(r.spamScore >= 0.7).toBe(r.category === 'spam');
    });
  }
});

describe('triage: result shape and robustness', () => {
  it('always has every field of the public shape', () => {
    const r = triage('我看到7号宝宝，电话13812345678');
    expect(Object.keys(r).sort()).toEqual(
      ['category', 'children', 'greeting', 'language', 'pii', 'reasons', 'spamScore', 'urgent'].sort(),
    );
    expect(r.reasons).toContain('lang:zh-CN');
    expect(r.reasons).toContain('pii:phone');
  });

  it('is deterministic', () => {
    const text = 'They are selling the baby tonight, call +86 138 1234 5678 #7';
    expect(triage(text)).toEqual(triage(text));
  });

  it('never throws on odd input', () => {
    const odd: unknown[] = [undefined, null, 42, {}, '\u0000'.repeat(5000), '\ud800', '#'.repeat(4000)];
    for (const x of odd) expect(() => triage(x as string)).not.toThrow();
    expect(triage(undefined as unknown as string).category).toBe('other');
  });

  it('handles a huge message (its speed is in npm run bench: triage_huge)', () => {
    const huge = '我看到7号宝宝在火车站，'.repeat(400).slice(0, 4000);
    const r = triage(huge);
    expect(r.category).toBe('tip');
    expect(r.children).toEqual([7]);
  });

  it('uses the locale hint only when the text has no letters', () => {
    expect(triage('hello', { localeHint: 'zh-CN' }).language).toBe('en');
    expect(triage('13812345678', { localeHint: 'zh_TW' }).language).toBe('zh-TW');
    expect(triage('#7').language).toBe('und');
  });
});

describe('detectLanguage', () => {
  const table: Array<[string, string | undefined]> = [
    ['我看到这个孩子了', 'zh-CN'],
    ['我看到這個孩子了', 'zh-TW'],
    ['孩子在哪里', 'zh-CN'],
    ['I saw the child', 'en'],
    ['我在 Walmart 看到他们', 'zh-CN'],
    ['I saw Nguyễn Văn with the baby at the market', 'en'],
    ['Tôi thấy em bé số 7 ở chợ', 'vi'],
    ['Xin chào', 'vi'],
    ['สวัสดีครับ ผมเห็นเด็ก', 'th'],
    ['Здравствуйте, я видел ребёнка', 'ru'],
    ['مرحبا رأيت الطفل', 'ar'],
    ['안녕하세요 아이를 봤어요', 'ko'],
    ['こんにちは', 'ja'],
    ['東京で見ました', 'ja'],
    ['12345', undefined],
    ['😀😀', undefined],
    ['!!! ???', undefined],
    ['', undefined],
  ];
  for (const [text, lang] of table) {
    it(`${JSON.stringify(text)} → ${lang}`, () => expect(detectLanguage(text)).toBe(lang));
  }
});

describe('extractChildNumbers', () => {
  const table: Array<[string, number[]]> = [
    ['#7', [7]],
    ['＃７', [7]],
    ['7号', [7]],
    ['7號', [7]],
    ['第7个', [7]],
    ['第七个', [7]],
    ['七号', [7]],
    ['十一号', [11]],
    ['二十号', [20]],
    ['number 7', [7]],
    ['no. 7', [7]],
    ['No 7', [7]],
    ['child 7', [7]],
    ['baby 7', [7]],
    ['photo 7', [7]],
    ['picture 7', [7]],
    ['编号7', [7]],
    ['編號7', [7]],
    ['7号宝宝', [7]],
    ['child_7', [7]],
    ['#3 然后 5号 然后 #3', [3, 5]],
    ['13812345678', []],
    ['call 138 1234 5678', []],
    ['phone number 138 1234 5678', []],
    ['2013年2月', []],
    ['2月7号', []],
    ['二月七号', []],
    ['7 March', []],
    ['7/3', []],
    ['7 months', []],
    ['baby 7 months old', []],
    ['7个月', []],
    ['7岁', []],
    ['7点', []],
    ['7pm', []],
    ['7元', []],
    ['#0', []],
    ['#1000', []],
    ['&#39;', []],
    ['第一次', []],
    ['https://example.com/photo7.jpg', []],
  ];
  for (const [text, expected] of table) {
    it(`${JSON.stringify(text)} → [${expected.join(', ')}]`, () => expect(extractChildNumbers(text)).toEqual(expected));
  }

  it('parses Chinese numerals', () => {
    expect(parseChineseNumeral('七')).toBe(7);
    expect(parseChineseNumeral('十')).toBe(10);
    expect(parseChineseNumeral('十九')).toBe(19);
    expect(parseChineseNumeral('二十')).toBe(20);
    expect(parseChineseNumeral('三十五')).toBe(35);
    expect(parseChineseNumeral('一百零八')).toBe(108);
    expect(parseChineseNumeral('一二')).toBeUndefined();
    expect(parseChineseNumeral('十十')).toBeUndefined();
  });
});

describe('findPii', () => {
  const table: Array<[string, string[]]> = [
    ['电话 138-1234-5678', ['phone']],
    ['call 138 1234 5678', ['phone']],
    ['+86 138 1234 5678', ['phone']],
    ['座机 0871-1234567', ['phone']],
    ['(010) 12345678', ['phone']],
    ['+44 20 7946 0958', ['phone']],
    ['0912-345-678', ['phone']],
    // valid 18-digit resident IDs (MOD 11-2), one ending in X
    ['身份证 11010519491231002X', ['id_number']],
    ['身份证号 530102199001011231', ['id_number']],
    ['530102 19900101 1231', ['id_number']],
    // wrong check character: not an ID (and not reported as anything else)
    ['身份证 110105194912310021', []],
    // legacy 15-digit
    ['老身份证 130503670401001', ['id_number']],
    ['email me at zhang.wei@example.com', ['email']],
    ['卡号 6222021234567890128', ['bank_card']],
    ['4111 1111 1111 1111', ['bank_card']],
    ['卡号 6222021234567890127', []],
    ['see https://weibo.com/u/123456', ['url']],
    ['t.me/somechannel', ['url']],
    ['微信：wang_li_88', ['wechat']],
    ['my wechat is lily2010', ['wechat']],
    ['my wechat is better', []],
    ['加我微信号 zhangsan', ['wechat']],
    // a phone number given as a WeChat id is reported once, as a phone
    ['微信 13812345678', ['phone']],
    ['zhang@example.cn 13812345678', ['phone', 'email']],
    ['https://x.com 13812345678 11010519491231002X a@b.co 4111111111111111 微信 abc_def1', ['phone', 'id_number', 'email', 'bank_card', 'url', 'wechat']],
    ['No.7 at 7pm on 2013-02-07', []],
    ['', []],
  ];
  for (const [text, expected] of table) {
    it(`${JSON.stringify(text)} → [${expected.join(', ')}]`, () => expect(findPii(text)).toEqual(expected));
  }

  it('checks resident ID and card checksums', () => {
    expect(isChineseIdNumber('11010519491231002X')).toBe(true);
    expect(isChineseIdNumber('11010519491231002x')).toBe(true);
    expect(isChineseIdNumber('110105194912310021')).toBe(false);
    expect(isChineseIdNumber('110105194913310028')).toBe(false); // month 13
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });
});

describe('toSimplified', () => {
  it('maps the traditional forms of the keywords, one character for one', () => {
    expect(toSimplified('領養 收養 兒子 丟失 被拐 買 賣 今晚要賣 馬上 正在')).toBe(
      '领养 收养 儿子 丢失 被拐 买 卖 今晚要卖 马上 正在',
    );
    expect(toSimplified('plain text')).toBe('plain text');
  });
});

describe('urgency recall for everyday phrasings', () => {
  it.each([
    '现在有人在打那个孩子，快来',
    '孩子被关在地下室，快来',
    '他们今晚要把孩子卖掉',
    'someone is hitting the child right now',
  ])('%s is urgent', (text) => {
    expect(triage(text).urgent).toBe(true);
  });
  it('a past beating is not urgent', () => {
    expect(triage('我去年见过有人打孩子').urgent).toBe(false);
  });
});

describe('plain danger phrases (review findings)', () => {
  it.each([
    '孩子有危险',
    '孩子在危险中',
    '有个孩子很危险',
    '快来救孩子',
    'a child is in danger',
    '人贩子现在就在火车站',
    'they are selling babies at the hospital, come quickly',
  ])('%s is urgent', (text) => {
    expect(triage(text).urgent).toBe(true);
  });
  it.each(['is my child in danger?', '我的孩子有危险吗', '去年那个孩子有危险'])('%s is not', (text) => {
    expect(triage(text).urgent).toBe(false);
  });
});

describe('catalogue numbers in other languages reporters write in', () => {
  it.each([
    ['Tôi thấy em bé số 7 ở chợ Hà Khẩu hôm qua', [7]],
    ['7번 아이를 시장에서 봤어요', [7]],
    ['7番の子を見ました', [7]],
    ['Я видел ребенка номер 7 на вокзале', [7]],
    ['ผมเห็นเด็กหมายเลข 7 ที่ตลาด', [7]],
    ['vi o bebê número 4 na rodoviária', [4]],
    ['so 7 people were there', []],
    ['em bé 3 tuổi, số 5 tuổi', []],
    ['3번째 사진, 7번 버스', []],
  ])('%s → %j', (text, children) => {
    expect(triage(text as string).children).toEqual(children);
  });
});
