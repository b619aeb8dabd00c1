/**
 * Which circulated children (the numbers printed under the police photos) a message names.
 *
 * Only numbers said *as a catalogue number* count: `#7`, `7号`, `第七个`, `number 7`,
 * `child_7`, `编号7`. Bare numbers are never taken, so phone numbers, dates (`2月7号` is a
 * date), ages (`7个月`, `7 months`), times (`7点`, `7pm`) and money (`7元`) do not match.
 */

import { nfkc, toSimplified } from './language.ts';

/** Highest catalogue number recognised. */
export const MAX_CHILD_NUMBER = 999;

const CN_DIGIT: Readonly<Record<string, number>> = {
  零: 0, 〇: 0, 一: 1, 二: 2, 两: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9,
};

/**
 * Value of a Chinese numeral such as `七`, `十一`, `二十`, `三十五`, `一百零八`;
 * `undefined` when it is not a well-formed number.
 */
export function parseChineseNumeral(text: string): number | undefined {
  let total = 0;
  let digit: number | undefined;
  let lastUnit = Infinity;
  for (const ch of text) {
    const d = CN_DIGIT[ch];
    if (d !== undefined) {
      if (digit !== undefined && digit !== 0) return undefined; // 一二 is not a number
      digit = d;
      continue;
    }
    const unit = ch === '十' ? 10 : ch === '百' ? 100 : undefined;
    if (unit === undefined || unit >= lastUnit) return undefined;
    total += (digit ?? 1) * unit;
    digit = undefined;
    lastUnit = unit;
  }
  total += digit ?? 0;
  return total > 0 ? total : undefined;
}

const CN_NUM = '[零〇一二两三四五六七八九十百]{1,5}';

/** What may follow `N号` when it still names a child (not a metro line, building, room...). */
const HAO_NOT = '(?!码|线|楼|房|门|院|路|街|口|车|厅|床|机|馆|桌|窗|台|站|店|仓|库|柜|铺|位|厢|层|地铁|公路|晚上|早上|上午|下午|中午|那天|当天|凌晨|傍晚|晚|早|\\s?(?:house|home|building|room|flat|apartment|street|road|gate|line|bus|platform|exit|shop|store)\\b)';

/** What may follow `第N个` for it to name a child rather than "the first time / the first thing". */
const DI_NEXT = '(?=孩|小孩|宝|婴|娃|男孩|女孩|照|相片|图|$|[\\s,，。.!！?？、;；:：是像很就跟和与在那的吗呢啊也好])';

/** English units that make `child 7` an age, a time, a quantity or an ordinal. */
const EN_NOT =
  "(?![-\\s]?\\d)(?![.,:/]\\d)(?!\\s*(?:months?|mos?\\b|mths?|years?|yrs?|y\\.?o\\b|weeks?|wks?|days?|hours?|hrs?|h\\b|minutes?|mins?|pm\\b|am\\b|p\\.m|a\\.m|o'?clock|st\\b|nd\\b|rd\\b|th\\b|kg|g\\b|cm|lbs?|yuan|rmb|usd|dollars?|%|ft\\b|m\\b|km|miles?|times|people|persons|kids|children|babies|of\\b|others?|more|hundred|thousand|million))";

/**
 * Patterns run on NFKC-normalised, lower-cased, simplified text. Capture group 1 is the number,
 * in Arabic digits or a Chinese numeral.
 */
const PATTERNS: readonly RegExp[] = [
  // #7 — not an HTML entity (&#39;)
  /(?<![&\w])#\s?(\d{1,3})(?!\d)/g,
  // 7号, 7号宝宝 — not a date (2月7号) and not a metro line / building (7号线)
  new RegExp(`(?<!\\d|\\d[.:/-]|月\\s?)(\\d{1,3})\\s?号${HAO_NOT}`, 'g'),
  // 七号, 十一号
  new RegExp(`(?<![月零〇一二两三四五六七八九十百])(${CN_NUM})号${HAO_NOT}`, 'g'),
  // 第7个, 第七个, 第7张照片, 第三个孩子
  // Not a birth order: 我生的第三个孩子, 她家第二个孩子, 第三胎.
  new RegExp(`(?<!生的|生了|怀的|我的|家的|她的|他的|家)第\\s?(\\d{1,3}|${CN_NUM})\\s?(?:(?:个|号|张|位)${DI_NEXT}|(?=孩|小孩|宝|婴|娃|男孩|女孩|张照))`, 'g'),
  // 编号7, 编号：七, 照片7, 宝宝7, 孩子#7
  new RegExp(`编号\\s?[:#]?\\s?(\\d{1,3}|${CN_NUM})(?!\\d)`, 'g'),
  /(?:照片|相片|图片|图|宝宝|孩子|小孩|婴儿|男孩|女孩)\s?[:#]?\s?(\d{1,3})(?!\d)(?!\s?(?:个|岁|月|点|元|块|年|天|日|周|小时|分|斤|公斤|厘米|米|位数|次|名|人|多|几|十|百|千|万|级|楼|层))/g,
  // number 7, no. 7, child 7, baby #7, photo 7, child_7, picture no. 7
  new RegExp(
    `(?<![a-z])(?:child|children|baby|babies|kid|kids|photo|photos|picture|pictures|pic|pics|image|img|poster|infant|boy|girl|number|num|nr|no)(?:\\s*(?:no\\.?|number|#|nr\\.?))?[\\s_#.:-]{0,3}(\\d{1,3})${EN_NOT}`,
    'g',
  ),
  // Other languages reporters write in: vi "số 7" / "bé số 7", ko "7번", ja "7番", ru "номер 7" / "№ 7",
  // th "หมายเลข 7", es/pt/fr "nº 7", "número 7", "numéro 7".
  /(?<![\p{L}])(?:số|sô)\s?(\d{1,3})(?!\d)(?!\s?(?:tuổi|tháng|năm|giờ|ngày|đồng))/gu,
  /(?<!\d)(\d{1,3})\s?(?:번|番)(?!\s?(?:째|目|線|出口|地|버스|출구|선|째로))/g,
  /(?:номер|№|หมายเลข|número|numero|numéro|nº|n°)\s?[:#]?\s?(\d{1,3})(?!\d)/gu,
  // th "รูปที่ 5" / "ภาพที่ 5" (picture number), "เด็กคนที่ 5" (the fifth child); my "နံပါတ် ၅" (number),
  // "ဓာတ်ပုံ ၁" (photo); vi "ảnh 5" / "hình số 5". Native digits are folded to ASCII first.
  /(?:รูปที่|ภาพที่|เด็กคนที่|คนที่|နံပါတ်|ဓာတ်ပုံ|ပုံ|ảnh|hình)\s?(?:số\s?)?[:#]?\s?(\d{1,3})(?!\d)(?!\s?(?:tuổi|tháng|năm|giờ|ปี|เดือน|ခု|နှစ်))/gu,
];

/** English number words a reporter may write a catalogue number as ("baby number eight"). */
const EN_NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15,
};
const EN_WORD = Object.keys(EN_NUMBER_WORDS).join('|');
/** `number eight`, `photo #three`, `baby no. five` — a word after a word that names a catalogue slot. */
const EN_WORD_RE = new RegExp(
  `(?<![a-z])(?:number|no\\.|photo|picture|pic|baby number|child number|kid number)\\s*#?\\s*(${EN_WORD})(?![a-z])(?!\\s+(?:in line|in the queue|of|priority|thing|reason|fan|rule|more|months?|years?|weeks?|days?|hours?|minutes?|o'?clock|am|pm|times|people|kids|children|babies)\\b)`,
  'g',
);
/**
 * A list after a plural (`numbers 4, 6 and 10`, `photos 3 & 5`, `#2, #7`, `số 3 và 5`): every
 * number in it names a child.
 */
const LIST_RE = /(?<![a-z])(?:numbers|nos\.?|photos|pictures|pics|babies|children|kids|images|số)\s*:?\s*#?\s*(\d{1,3}(?:\s*(?:,|、|，|&|and|or|và|\/)\s*#?\s*\d{1,3})+)(?!\d)/gu;

const URL_RE = /(?:https?:\/\/|www\.)\S+/g;

/**
 * The catalogue numbers a message names, in order of first mention, without repeats.
 * Numbers outside 1..{@link MAX_CHILD_NUMBER} are dropped.
 */
export function extractChildNumbers(text: string): number[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  let t = nfkc(text);
  // Links carry digits that are not children (…/photo7.jpg).
  t = toSimplified(t.toLowerCase()).replace(URL_RE, (m) => ' '.repeat(m.length));
  const found: Array<{ at: number; n: number }> = [];
  for (const re of PATTERNS) {
    re.lastIndex = 0;
    for (const m of t.matchAll(re)) {
      const raw = m[1];
      if (raw === undefined) continue;
      const n = /^\d+$/.test(raw) ? Number(raw) : parseChineseNumeral(raw);
      if (n !== undefined && n >= 1 && n <= MAX_CHILD_NUMBER) found.push({ at: m.index ?? 0, n });
    }
  }
  for (const m of t.matchAll(EN_WORD_RE)) {
    const n = EN_NUMBER_WORDS[m[1] ?? ''];
    if (n !== undefined) found.push({ at: m.index ?? 0, n });
  }
  for (const m of t.matchAll(LIST_RE)) {
    const list = m[1] ?? '';
    const start = (m.index ?? 0) + m[0].length - list.length;
    for (const d of list.matchAll(/\d{1,3}/g)) {
      const n = Number(d[0]);
      if (n >= 1 && n <= MAX_CHILD_NUMBER) found.push({ at: start + (d.index ?? 0), n });
    }
  }
  found.sort((a, b) => a.at - b.at);
  const out: number[] = [];
  for (const { n } of found) if (!out.includes(n)) out.push(n);
  return out;
}
