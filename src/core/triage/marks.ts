/**
 * Distinguishing marks a parent or the police describe (birthmark, mole, scar, eye condition,
 * hair whorl, extra finger or toe, …) and where on the body they are, read from free text in
 * zh-Hans, zh-Hant, en, vi, th and my. Also the text folding and word-list matching that the
 * family-inquiry parsers share (see `when-where.ts`).
 *
 * Pure and table-driven: a new word is one string in a table below.
 */
import { nfkc, stripLatinAccents, toSimplified } from './language.ts';

// ───────────────────────────────────────────── text folding (shared with when-where.ts)

/**
 * Traditional characters of body parts, marks, places and dates that the shared triage map
 * (`language.ts`) does not carry. Folded here rather than there because that map is tuned for
 * language detection, which these words must not shift.
 */
const EXTRA_T2S_PAIRS =
  '兩两緬缅撾挝頸颈腳脚聾聋臟脏膚肤瞼睑誌志紋纹蓋盖髖髋顎颚雞鸡內内啞哑殘残癥症燙烫脣唇節节彎弯駝驼療疗' +
  '彌弥瀘泸寧宁硯砚疇畴崑昆祿禄晉晋貢贡納纳臘腊隴陇騰腾衝冲臨临滄沧瀾澜連连慶庆國国陝陕肅肃贛赣魯鲁' +
  '頰颊臍脐側侧腫肿釐厘齒齿鬢鬓捲卷損损纖纤維维窩窝渦涡瘻瘘斷断';
const EXTRA_T2S = new Map<string, string>();
for (let i = 0; i + 1 < EXTRA_T2S_PAIRS.length; i += 2) {
  if (EXTRA_T2S_PAIRS[i] !== EXTRA_T2S_PAIRS[i + 1]) EXTRA_T2S.set(EXTRA_T2S_PAIRS[i]!, EXTRA_T2S_PAIRS[i + 1]!);
}
const EXTRA_T2S_RE = new RegExp(`[${[...EXTRA_T2S.keys()].join('')}]`, 'g');

/** Invisible and control characters: dropped so they cannot split or hide a word. */
const INVISIBLE_RE = /[\u0000-\u0008\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u202a-\u202e\u2060-\u206f\ufeff]/g;

/** Longest text read from one field; an answer past this is for people, not for parsing. */
export const MAX_PARSE_CHARS = 4000;

/**
 * Lower case, NFKC, simplified Chinese, ASCII digits (Thai ๐-๙ and Burmese ၀-၉ too), no
 * invisible characters. Every parser here works on this form. Never throws.
 */
export function foldText(text: unknown): string {
  if (typeof text !== 'string' || text === '') return '';
  let t = nfkc(text.length > MAX_PARSE_CHARS ? text.slice(0, MAX_PARSE_CHARS) : text);
  t = t.replace(INVISIBLE_RE, '').replace(/\u3000/g, ' ').toLowerCase();
  t = toSimplified(t).replace(EXTRA_T2S_RE, (c) => EXTRA_T2S.get(c) ?? c);
  return t.replace(/[\u0e50-\u0e59\u1040-\u1049]/g, (d) => {
    const c = d.charCodeAt(0);
    return String(c >= 0x1040 ? c - 0x1040 : c - 0x0e50);
  });
}

const HAS_ACCENT_RE = /[\u00c0-\u024f\u1e00-\u1eff]/;

/** Latin letters without their accents, one character for one (see `stripLatinAccents`). */
export const stripAccents = stripLatinAccents;

/** One word-list hit: the entry's id and where it is in the folded text. */
export interface Hit {
  id: string;
  at: number;
  end: number;
}

/**
 * A word list compiled into one regular expression. Entries are regex sources without
 * capturing groups; Latin ones get word boundaries, and a Vietnamese phrase of two or more
 * syllables also matches typed without accents. At one position the longer entry wins.
 */
export class Lexicon {
  readonly #re: RegExp;
  readonly #stripped: RegExp | undefined;
  readonly #ids: string[];
  readonly #strippedIds: string[];

  constructor(entries: Readonly<Record<string, readonly string[]>>) {
    const all: Array<[string, string]> = [];
    for (const [id, sources] of Object.entries(entries)) for (const src of sources) all.push([id, src]);
    // Longer literal first, so that at one position 胎痣 beats 痣 and "birth mark" beats "mark".
    all.sort((a, b) => literalLength(b[1]) - literalLength(a[1]));
    // Latin entries as one block: they never compete with the others at one position, and one
    // word-start test for the whole block is what makes a long list fast.
    all.sort((a, b) => Number(LATIN_START_RE.test(b[1])) - Number(LATIN_START_RE.test(a[1])));
    for (const [id, src] of all) {
      if (new RegExp(`${src}|`, 'u').exec('')!.length !== 1) throw new Error(`marks: capturing group in lexicon entry ${id}: ${src}`);
    }
    this.#ids = all.map(([id]) => id);
    this.#re = compileAlternation(all);
    const unaccented = all
      .filter(([, src]) => src.includes(' ') && HAS_ACCENT_RE.test(src))
      .map(([id, src]): [string, string] => [id, stripAccents(src)]);
    this.#strippedIds = unaccented.map(([id]) => id);
    this.#stripped = unaccented.length ? compileAlternation(unaccented) : undefined;
  }

  /** Non-overlapping hits in `folded` (and in its accent-stripped twin), in text order. */
  find(folded: string, stripped?: string): Hit[] {
    const hits = collect(this.#re, this.#ids, folded);
    if (this.#stripped && stripped !== undefined) hits.push(...collect(this.#stripped, this.#strippedIds, stripped));
    hits.sort((a, b) => a.at - b.at || b.end - a.end);
    const out: Hit[] = [];
    for (const h of hits) if (!out.length || h.at >= out[out.length - 1]!.end) out.push(h);
    return out;
  }
}

function collect(re: RegExp, ids: readonly string[], text: string): Hit[] {
  const out: Hit[] = [];
  // exec, not matchAll: matchAll copies the expression, and these are large.
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0] === '') {
      re.lastIndex++;
      continue;
    }
    let i = 1;
    while (i < m.length && m[i] === undefined) i++;
    out.push({ id: ids[i - 1] ?? '?', at: m.index, end: m.index + m[0].length });
  }
  return out;
}

const LATIN_START_RE = /^(?:\(\?:)?[a-z\u00c0-\u024f\u1e00-\u1eff\d]/;

/**
 * One alternation, group i+1 for entry i. Latin entries (first in `entries`) sit behind one
 * word-start test, the others behind a one-character test of every first character they can
 * have: most positions then cost one check instead of one try per entry.
 */
function compileAlternation(entries: ReadonlyArray<readonly [string, string]>): RegExp {
  const latin = entries.filter(([, src]) => LATIN_START_RE.test(src)).map(([, src]) => `(${src})(?![\\p{L}\\p{M}])`);
  const other = entries.filter(([, src]) => !LATIN_START_RE.test(src)).map(([, src]) => src);
  const blocks: string[] = [];
  if (latin.length) blocks.push(`(?=[a-z\\u00c0-\\u024f\\u1e00-\\u1eff\\d])(?<![\\p{L}\\p{M}\\p{N}])(?:${latin.join('|')})`);
  if (other.length) {
    blocks.push(`(?=[${other.map(firstChars).join('')}])(?:${other.map((src) => `(${src})`).join('|')})`);
  }
  return new RegExp(blocks.join('|'), 'gu');
}

/**
 * The characters a non-Latin entry can start with, as the body of a character class. Such
 * entries start with a character or a class, after any lookbehind: anything else is a mistake
 * in a table, and fails at load.
 */
function firstChars(src: string): string {
  let i = 0;
  while (src.startsWith('(?<', i)) {
    let depth = 0;
    for (; i < src.length; i++) {
      if (src[i] === '\\') i++;
      else if (src[i] === '(') depth++;
      else if (src[i] === ')' && --depth === 0) break;
    }
    i++;
  }
  const c = src[i] ?? '';
  const next = src[c === '[' ? src.indexOf(']', i) + 1 : i + 1];
  const body = c === '[' ? src.slice(i + 1, src.indexOf(']', i)) : c;
  if (!body || '\\.^$|()?*+{'.includes(c) || body.startsWith('^') || body.includes('\\') || next === '?' || next === '*' || next === '{') {
    throw new Error(`marks: lexicon entry must start with a character or a class: ${src}`);
  }
  return body === '-' || body === ']' ? `\\${body}` : body;
}

function literalLength(src: string): number {
  return src.replace(/\(\?<?[=!](?:[^()\\]|\\.)*\)/g, '').replace(/\\[pP]\{\w+\}|\\.|[()?:|*+{}\d,[\]^$]/g, '').length;
}

/** Where one sentence or clause ends: marks, sides and places are paired inside a clause. */
const CLAUSE_BREAK_RE = /[。.!！?？;；\n\r,，、:：()（）[\]【】]+/g;

/** The [start, end) spans of the clauses of a folded text. */
export function clauseSpans(folded: string): Array<[number, number]> {
  const spans: Array<[number, number]> = [];
  let at = 0;
  CLAUSE_BREAK_RE.lastIndex = 0;
  for (const m of folded.matchAll(CLAUSE_BREAK_RE)) {
    const i = m.index ?? 0;
    // "2013.01" and "1,5" are numbers, not clause breaks.
    if ((m[0] === '.' || m[0] === ',') && /\d/.test(folded[i - 1] ?? '') && /\d/.test(folded[i + 1] ?? '')) continue;
    if (i > at) spans.push([at, i]);
    at = i + m[0].length;
  }
  if (at < folded.length) spans.push([at, folded.length]);
  return spans;
}

// ───────────────────────────────────────────── the vocabulary

/** Kinds of mark, by stable English id. `kind@location` ids carry the location they imply. */
const KINDS: Readonly<Record<string, readonly string[]>> = {
  birthmark: [
    '胎记', '胎痣', '胎斑', '青记', '青斑', '蒙古斑', '红记', '血管瘤', '鲜红斑痣', '咖啡斑', '胎印',
    'birth ?marks?', 'port[- ]wine (?:stains?|marks?)', 'stork bites?', 'mongolian (?:spots?|marks?)', 'ha?emangiomas?',
    'strawberry (?:marks?|naevus|nevus)', 'salmon patch(?:es)?', 'caf[eé][- ]au[- ]lait(?: spots?| marks?)?',
    'bớt', 'vết bớt', 'vết chàm', 'bớt son', 'vết son', 'ปาน(?!กลาง)', 'ปานแดง', 'ปานดำ', 'ปานเขียว',
    'မွေးရာပါ\\s?အမှတ်(?:\\s?အသား)?', 'မွေးမှတ်',
  ],
  mole: ['痣', '痦子', 'moles?', 'beauty spots?', 'nốt ruồi', 'nút ruồi', 'ไฝ', 'မှဲ့'],
  scar: [
    '疤', '疤痕', '伤疤', '伤痕', '刀疤', '疤瘌', '缝过针', '缝了?几?针', 'scars?', 'scarring', 'stitches',
    'sẹo', 'vết sẹo', 'thẹo', 'แผลเป็น', 'รอยแผล(?:เป็น)?', 'แผลผ่าตัด', 'အမာရွတ်', 'ဒဏ်ရာ(?:\\s?အမာရွတ်)?',
  ],
  burn: [
    '[烫烧]伤的?疤痕?', '烫伤', '烧伤', '烫疤', '烧疤', '烫过', '被烫', 'burns?(?: scars?| marks?)?', 'scald(?:s|ed)?(?: marks?)?',
    'vết bỏng', 'bỏng', 'phỏng', 'แผลไฟไหม้', 'น้ำร้อนลวก', 'รอยไหม้', 'แผลไหม้', 'မီးလောင်(?:\\s?(?:ဒဏ်ရာ|အမာရွတ်))?', 'ရေနွေးပူလောင်',
  ],
  'eye@eye': [
    '斜视', '斗鸡眼', '对眼', '眼疾', '眼病', '眼部疾病', '白内障', '青光眼', '弱视', '失明', '瞎', '独眼', '眼球震颤',
    '眼睛?[^，。没无]{0,3}?(?:有问题|有毛病|有病|不好|异常|不正常|看不见|看不清|发炎|在治疗|治疗)', '视力(?:不好|差|有?问题)',
    '上睑下垂', '眼[睑皮]下垂',
    'eye (?:condition|problem|disease|infection|issue|defect|disorder|treatment)s?', 'squint(?:s|ing|y)?', 'strabismus',
    'cross[- ]?eyed', 'lazy eyes?', 'wall[- ]?eyed', 'cataracts?', 'glaucoma', 'blind(?:ness)?', 'poor (?:eye)?sight',
    'droopy eyelids?', 'ptosis', '(?:treatment|treated) for (?:an? |the |his |her )?eyes?',
    'mắt lác', 'lác mắt', 'lác', 'mắt lé', 'lé mắt', 'lé', 'bệnh (?:về )?mắt', 'tật (?:ở )?mắt', 'mù(?: lòa)?',
    'đục thủy tinh thể', 'đục thuỷ tinh thể', 'cườm mắt', 'mắt có vấn đề', 'điều trị mắt', 'chữa mắt', 'mắt kém',
    'nhược thị', 'sụp mí', 'mắt bị (?:bệnh|tật|lác|lé|mờ|đục|hỏng)',
    'ตาเหล่', 'ตาเข', 'ตาบอด', 'ต้อกระจก', 'ต้อหิน', 'โรคตา', 'ตาผิดปกติ', 'ตามีปัญหา', 'ตาไม่ดี', 'รักษาตา', 'ตาขี้เกียจ',
    'ตาอักเสบ', 'หนังตาตก',
    'မျက်(?:စိ|လုံး)\\s?(?:စွေ|ကန်း|မမြင်|ရောဂါ|ပြဿနာ|ချို့ယွင်း)', 'အတွင်းတိမ်', 'မျက်စိ\\s?ကုသ',
  ],
  'hair-whorl@head': [
    '两个旋', '二个旋', '双旋', '两旋', '发旋', '头旋', '旋儿', '个旋', '顶旋', '双顶', '头(?:顶|上)?[^，。]{0,3}旋',
    '(?:hair )?whorls?', 'double crowns?', 'two crowns', 'cowlicks?',
    'xoáy(?: tóc)?', 'hai xoáy', 'สองขวัญ', 'ขวัญ(?:สอง|คู่| ?\\d)', 'มีขวัญ', 'ขวัญ(?:ที่|บน)(?:หัว|ศีรษะ)',
    'ဆံ(?:ပင်)?\\s?ဝဲ', 'ဝဲ\\s?(?:2|နှစ်)\\s?ခု',
  ],
  'extra-digit@hand': [
    '六指', '六个?[手指]{1,2}', '六根手指', '多指', '多(?:了|长了?)?一[个根]手?指', '枝指', '手指多一?个?',
    'extra fingers?', 'six fingers', 'sixth finger', 'sáu ngón(?: tay)?', 'thừa ngón(?: tay)?', 'ngón (?:tay )?thừa', '6 ngón(?: tay)?',
    'หกนิ้ว', 'นิ้วเกิน', 'นิ้วมือเกิน', 'นิ้วที่หก', 'လက်ချောင်း\\s?(?:6|ခြောက်)\\s?ချောင်း', 'လက်ချောင်း\\s?ပို',
  ],
  'extra-digit@foot': [
    '六趾', '多趾', '六个脚?趾(?:头)?', '多(?:了|长了?)?一[个根]脚?趾', '脚趾多一?个?', '脚[^，。]{0,3}六个?趾',
    'extra toes?', 'six toes', 'sixth toe', 'sáu ngón chân', 'thừa ngón chân', 'ngón chân thừa', '6 ngón chân',
    'นิ้วเท้าเกิน', 'หกนิ้วเท้า', 'ခြေချောင်း\\s?(?:6|ခြောက်)\\s?ချောင်း', 'ခြေချောင်း\\s?ပို',
  ],
  'extra-digit': ['polydactyly', '多指症', 'đa ngón'],
  'cleft-lip@mouth': [
    '兔唇', '唇裂', '腭裂', '颚裂', '豁嘴', '兔子嘴', '三瓣嘴', 'cleft (?:lip|palate)s?', 'hare ?lip', 'sứt môi', 'hở hàm ếch', 'hở môi',
    'ปากแหว่ง', 'เพดานโหว่', 'နှုတ်ခမ်း\\s?ကွဲ', 'အာခေါင်\\s?ကွဲ',
  ],
  deformity: [
    '畸形', '残疾', '跛', '瘸', '罗圈腿', '内翻足', '马蹄足', '驼背', '斜颈', '歪脖', '并指', '骈指', '缺指', '少一[个根](?:手指|脚趾)',
    'deform(?:ed|ity|ities)', 'club ?f(?:oo|ee)t', 'limp(?:s|ing)?', 'disab(?:led|ility)', 'webbed (?:fingers|toes)',
    'missing (?:a )?(?:finger|toe)', 'dị tật', 'khuyết tật', 'tật nguyền', 'chân khoèo', 'dị dạng', 'ngón dính',
    'พิการ', 'ผิดรูป', 'เท้าปุก', 'นิ้วติดกัน', 'ขาโก่ง', 'မသန်စွမ်း', 'ပုံပျက်',
  ],
  'hearing@ear': [
    '聋', '耳聋', '听力', '听不见', '聋哑', 'deaf(?:ness)?', 'hearing (?:loss|problems?|impair(?:ed|ment))', 'hard of hearing',
    'điếc', 'nghe kém', 'khiếm thính', 'หูหนวก', 'หูตึง', 'ไม่ได้ยิน', 'နား\\s?မကြား', 'နား\\s?ထိုင်း', 'နားပင်း',
  ],
  'heart@chest': [
    '心脏病', '先天性心脏病', '先心病', '心脏[^，。没无]{0,3}(?:问题|毛病|病|缺损|杂音|不好)', '心杂音',
    'heart (?:conditions?|defects?|disease|problems?|murmurs?|surgery)', 'hole in (?:the|his|her) heart',
    'bệnh tim', 'tim bẩm sinh', 'tim có vấn đề', 'lỗ thông tim', 'thông liên thất', 'โรคหัวใจ', 'หัวใจรั่ว', 'หัวใจพิการ',
    'หัวใจ(?:ผิดปกติ|มีปัญหา|ไม่ดี)', 'နှလုံး\\s?(?:ရောဂါ|ပေါက်|ချို့ယွင်း|အားနည်း|ပြဿနာ)',
  ],
  'ear-tag@ear': [
    '附耳', '副耳', '小耳朵', '拴马桩', '耳前瘘管', '耳朵?前[^，。]{0,3}(?:小洞|小孔|小肉|肉)', 'ear tags?',
    'preauricular (?:tags?|pits?|sinus)', 'ear pits?', 'extra ear', 'thừa tai', 'tai thừa', 'ติ่งเนื้อ(?:หน้า)?หู',
  ],
  'hernia@belly': ['疝气', '小肠气', 'hernias?', 'thoát vị', 'ไส้เลื่อน', 'အူကျ'],
  'dimple@face': ['酒窝', '梨涡', 'dimples?', 'lúm đồng tiền', 'má lúm', 'ลักยิ้ม', 'ပါးချိုင့်'],
  // A mark of no stated kind; counted only beside a body location.
  mark: [
    '印记', '记号', '标记', '斑点', '斑', '红点', '黑点', 'marks?', 'spots?', 'patch(?:es)?', 'blemish(?:es)?',
    'vết', 'đốm', 'ตำหนิ', 'จุด', 'รอย', 'အမှတ်အသား', 'အမှတ်', 'အစက်',
  ],
};

/** Body locations, by stable English id. */
const LOCATIONS: Readonly<Record<string, readonly string[]>> = {
  head: ['头(?!发|[里外上前后]头)', '头顶', '后脑勺?', '脑袋', 'head', 'crown', 'scalp', 'đầu', 'หัว(?!ใจ)', 'ศีรษะ', 'ခေါင်း'],
  forehead: ['额头', '脑门', '前额', 'forehead', 'trán', 'หน้าผาก', 'နဖူး'],
  face: ['脸', '面部', '面颊', '脸颊', '腮', 'face', 'cheeks?', 'mặt', 'má', 'ใบหน้า', 'แก้ม', 'မျက်နှာ', 'ပါး(?!စပ်|ချိုင့်)'],
  eye: [
    '眼', '眼睛', '眼角', '眼皮', '眼下', '眼尾', '眼眶', 'eyes?', 'eyelids?', 'mắt', 'ดวงตา', 'ตา(?=ซ้าย|ขวา|ข้าง)', '(?<=ใต้|หาง|รอบ|ที่|ข้าง)ตา',
    'เปลือกตา', 'မျက်(?:စိ|လုံး|ခွံ)',
  ],
  eyebrow: ['眉毛?', '眉心', 'eyebrows?', 'brows?', 'lông mày', 'chân mày', 'คิ้ว', 'မျက်ခုံး'],
  ear: ['耳朵', '耳后', '耳垂', '耳(?!前瘘)', 'ears?', 'behind (?:the |his |her )?ears?', 'tai', 'หู', 'နားရွက်', 'နား(?=\\s?(?:ပေါ်|နောက်|မှာ))'],
  nose: ['鼻子?', '鼻梁', 'nose', 'mũi', 'จมูก', 'နှာခေါင်း'],
  mouth: ['嘴巴?', '嘴唇', '嘴角', '唇', 'mouth', 'lips?', 'miệng', 'môi', 'ริมฝีปาก', 'ปาก', 'ပါးစပ်', 'နှုတ်ခမ်း'],
  chin: ['下巴', 'chin', 'cằm', 'คาง', 'မေးစေ့'],
  neck: [
    '脖子', '颈', '后颈', '颈部', '后脖子?', '脖子后面?', 'neck', 'nape', 'back of (?:the |his |her |its )?neck', 'cổ', 'gáy',
    'ลำคอ', 'ต้นคอ', 'หลังคอ', 'คอ(?=ซ้าย|ขวา|ด้าน)', '(?<=ที่|บน)คอ', 'လည်ပင်း', 'ဇက်',
  ],
  shoulder: ['肩', '肩膀', '肩头', '肩部', '肩胛', 'shoulders?', 'shoulder ?blades?', 'vai', 'bả vai', 'ไหล่', 'บ่า', 'ပခုံး'],
  arm: [
    '胳膊', '胳臂', '手臂', '臂', '上臂', '手肘', '肘', '手腕', 'arms?', 'forearms?', 'elbows?', 'wrists?', 'upper arm',
    'cánh tay', 'cổ tay', 'khuỷu tay', 'แขน', 'ข้อศอก', 'ข้อมือ', 'လက်မောင်း', 'တံတောင်',
  ],
  hand: [
    '手(?!机|术|续|段|里|上的|指甲)', '手背', '手心', '手掌', '手指', '指头', '手指头', 'hands?', 'palms?', 'fingers?', 'thumbs?',
    'bàn tay', 'ngón tay', 'tay', 'มือ', 'นิ้วมือ', 'ฝ่ามือ', 'လက်ဖဝါး', 'လက်ချောင်း', 'လက်(?=\\s?(?:ပေါ်|မှာ|ဖမိုး))',
  ],
  chest: ['胸', '胸口', '胸前', '胸部', 'chest', 'breast', 'ngực', 'หน้าอก', 'อก', 'ရင်ဘတ်', 'ရင်'],
  belly: ['肚子', '肚皮', '腹部?', '肚脐', 'belly', 'stomach', 'tummy', 'abdomen', 'navel', 'bụng', 'rốn', 'ท้อง', 'พุง', 'สะดือ', 'ဗိုက်', 'ချက်'],
  back: ['背', '后背', '背上', '背部', '背后', 'back', 'upper back', 'lưng', 'หลัง(?!จาก|คอ)', 'แผ่นหลัง', 'ကျော(?:ကုန်း)?'],
  waist: ['腰', '后腰', '腰部', 'waist', 'lower back', 'small of (?:the |his |her )?back', 'eo', 'thắt lưng', 'เอว', 'ခါး'],
  buttock: ['屁股', '臀', '臀部', '屁屁', 'buttocks?', 'bottom', 'bum', 'butt', 'hips?', 'mông', 'hông', 'ก้น', 'สะโพก', 'တင်ပါး', 'တင်'],
  leg: [
    '腿', '大腿', '小腿', '膝盖', '脚踝', 'legs?', 'thighs?', 'calf', 'calves', 'knees?', 'ankles?', 'chân', 'đùi', 'đầu gối',
    'bắp chân', 'ขา', 'ต้นขา', 'เข่า', 'ข้อเท้า', 'ခြေထောက်', 'ပေါင်', 'ဒူး',
  ],
  foot: [
    '脚', '脚上', '脚底', '脚背', '脚趾', '趾头', '脚趾头', '脚掌', '足', 'foot', 'feet', 'soles?', 'toes?', 'bàn chân', 'ngón chân', 'gót chân',
    'เท้า', 'นิ้วเท้า', 'ฝ่าเท้า', 'ခြေဖဝါး', 'ခြေချောင်း',
  ],
};

/**
 * Left and right. `>`: the side is said before the part (左肩, left shoulder, ဘယ်ဘက်ပခုံး);
 * `<`: after it (vai trái, ไหล่ซ้าย).
 */
const SIDES: Readonly<Record<string, readonly string[]>> = {
  'left>': ['左', '左边', '左侧', 'left', 'ဘယ်(?:ဘက်|ဖက်)', 'ဝဲ(?:ဘက်|ဖက်)'],
  'right>': ['右', '右边', '右侧', 'right', 'ညာ(?:ဘက်|ဖက်)?', 'ယာ(?:ဘက်|ဖက်)'],
  'left<': ['(?:bên )?trái', 'ซ้าย', 'ข้างซ้าย', 'ด้านซ้าย'],
  'right<': ['(?:bên )?phải', 'ขวา', 'ข้างขวา', 'ด้านขวา'],
  // Not a side: 3个月左右 ("about"), "right after", "that's right".
  none: ['左右', 'right (?:after|now|away|before|when|then|there|here|at|from)', "that's right", 'all right', 'đúng không', 'phải không'],
};

/** "No", "without": a mark said after these (or, in Burmese, before မရှိ) is denied. */
const NEGATORS: Readonly<Record<string, readonly string[]>> = {
  before: [
    '没有', '没', '无', '并无', '未见', '不是', 'no', 'not', 'without', 'never', 'none', "(?<=\\p{L})n't", 'không có', 'không bị', 'không hề',
    'chưa (?:có|bị)', 'chẳng có', 'ไม่มี', 'ไม่เคยมี',
  ],
  after: ['မရှိ', 'မတွေ့'],
  // "I don't know whether…": the clause says nothing either way.
  unsure: [
    '有没有', '是否', '不知道', '不清楚', '不确定', '记不清', '不记得', 'not sure', "(?:don't|do not|didn't) (?:know|remember)",
    'unsure', "can't remember", 'whether', 'không biết', 'không nhớ', 'không rõ', 'không chắc', 'ไม่แน่ใจ', 'ไม่รู้', 'ไม่ทราบ',
    'จำไม่ได้', 'မသိ', 'မမှတ်မိ',
  ],
};

/** The whole answer is "none": no marks at all. */
const NONE_RE =
  /^\s*(?:none(?: noted| seen| known| that i know(?: of)?)?|no(?:thing)?(?: (?:special|distinguishing|visible|obvious))?(?: marks?| features?)?|n\/?a|nil|无|没有|没|沒|都没有|没有什么?(?:特别|特征|记号|印记)?|không(?: có)?(?: gì)?|ไม่มี(?:ตำหนิ)?|မရှိ(?:ပါ)?(?:ဘူး)?)\s*[.!。！]*\s*$/u;
const NONE_PHRASE_RE =
  /no (?:distinguishing |visible |special |birth ?)?marks|没有(?:任何|什么)?(?:特别的?|明显的?)?(?:特征|记号|印记|胎记和|标记)|không có (?:dấu hiệu|đặc điểm) gì|ไม่มีตำหนิ|အမှတ်အသား\s?မရှိ/u;

const KIND_LEX = new Lexicon(KINDS);
const LOCATION_LEX = new Lexicon(LOCATIONS);
const SIDE_LEX = new Lexicon(SIDES);
const NEG_LEX = new Lexicon(NEGATORS);

/** English words for a caseworker's label. */
const KIND_LABEL: Readonly<Record<string, string>> = {
  birthmark: 'birthmark', mole: 'mole', scar: 'scar', burn: 'burn scar', eye: 'eye condition', 'hair-whorl': 'hair whorl',
  'extra-digit': 'extra finger/toe', 'cleft-lip': 'cleft lip/palate', deformity: 'deformity', hearing: 'hearing problem',
  heart: 'heart condition', 'ear-tag': 'ear tag', hernia: 'hernia', dimple: 'dimple', mark: 'mark',
};

/** Every kind id {@link extractMarks} can return. */
export const MARK_KINDS: readonly string[] = Object.keys(KIND_LABEL);

/** Body areas: two locations in one area are "near" (a parent's "back" and a record's "neck"). */
const AREAS: readonly (readonly string[])[] = [
  ['head', 'forehead', 'face', 'eye', 'eyebrow', 'ear', 'nose', 'mouth', 'chin'],
  ['neck', 'shoulder', 'back'],
  ['back', 'waist', 'buttock'],
  ['chest', 'belly'],
  ['shoulder', 'arm', 'hand'],
  ['buttock', 'leg', 'foot'],
  ['neck', 'head'],
];

/** Whether two body locations are in one area (and not the same). */
export function nearLocations(a: string, b: string): boolean {
  return a !== b && AREAS.some((area) => area.includes(a) && area.includes(b));
}

// ───────────────────────────────────────────── extraction

/** One distinguishing mark. */
export interface Mark {
  /** Stable English id: one of {@link MARK_KINDS}. */
  kind: string;
  /** Body location id (`shoulder`, `eye`, `foot`, …) when said or implied by the kind. */
  location?: string;
  side?: 'left' | 'right';
  /** Short English description for a caseworker, e.g. "birthmark, left shoulder". */
  label: string;
}

/** What a text says about marks: those present, the kinds it denies, and "none at all". */
export interface MarkReading {
  present: Mark[];
  /** Kinds said to be absent ("没有胎记", "no birthmark"). */
  denied: string[];
  /** The text says the child has no marks at all ("none noted", "没有", "không có"). */
  none: boolean;
}

/**
 * The marks a text describes, in text order, without repeats; denied and uncertain ones left
 * out. Never throws.
 */
export function extractMarks(text: string): Array<{ kind: string; location?: string; side?: 'left' | 'right'; label: string }> {
  return readMarks(text).present;
}

/** {@link extractMarks} plus what the text denies. Never throws. */
export function readMarks(text: string): MarkReading {
  const folded = foldText(text);
  const reading: MarkReading = { present: [], denied: [], none: false };
  if (!folded.trim()) return reading;
  if (NONE_RE.test(folded) || NONE_PHRASE_RE.test(folded)) reading.none = true;
  const stripped = stripAccents(folded);
  const kinds = KIND_LEX.find(folded, stripped);
  if (!kinds.length) return reading;
  const locations = LOCATION_LEX.find(folded, stripped);
  const sides = SIDE_LEX.find(folded, stripped);
  const negs = NEG_LEX.find(folded, stripped);
  for (const [from, to] of clauseSpans(folded)) {
    const inClause = (h: Hit) => h.at >= from && h.end <= to;
    const ks = kinds.filter(inClause);
    if (!ks.length) continue;
    const ns = negs.filter(inClause);
    if (ns.some((n) => n.id === 'unsure')) continue;
    const specific = ks.filter((k) => k.id !== 'mark');
    // A part named inside the kind ("extra toe", "眼睛有问题") is the kind's own, not another place.
    const locs = locations.filter((l) => inClause(l) && !ks.some((k) => l.at < k.end && k.at < l.end));
    // A mark of no stated kind means something only beside a location, and only alone.
    const used = specific.length ? specific : locs.length ? ks : [];
    const owner = assignLocations(folded, used, locs);
    const sideAt = assignSides(sides.filter((h) => inClause(h) && h.id !== 'none'), [...locs, ...used]);
    for (const k of used) {
      const [kind, implied] = k.id.split('@') as [string, string | undefined];
      const denied = ns.some((n) => (n.id === 'before' && n.end <= k.at && k.at - n.end <= 20) || (n.id === 'after' && n.at >= k.end && n.at - k.end <= 20));
      if (denied) {
        if (!reading.denied.includes(kind)) reading.denied.push(kind);
        continue;
      }
      const mine = locs.filter((_, i) => owner[i] === k);
      if (!mine.length) pushUnique(reading.present, makeMark(kind, implied, sideAt.get(k)));
      for (const loc of mine) pushUnique(reading.present, makeMark(kind, loc.id, sideAt.get(loc) ?? sideAt.get(k)));
    }
  }
  return reading;
}

/** The kind each location belongs to: the nearest kind in the language's usual order, else the nearest. */
function assignLocations(folded: string, kinds: readonly Hit[], locs: readonly Hit[]): Array<Hit | undefined> {
  return locs.map((loc) => {
    const overlapping = kinds.find((k) => k.at < loc.end && loc.at < k.end);
    if (overlapping) return overlapping;
    const after = kinds.find((k) => k.at >= loc.end);
    const before = kinds.filter((k) => k.end <= loc.at).at(-1);
    // Chinese and Burmese say the place first (左肩有胎记); English, Vietnamese and Thai after it.
    return isPlaceFirstScript(folded.charCodeAt(loc.at)) ? (after ?? before) : (before ?? after);
  });
}

function isPlaceFirstScript(c: number): boolean {
  return (c >= 0x3400 && c <= 0x9fff) || (c >= 0x1000 && c <= 0x109f);
}

/**
 * Each side word goes to one part: the nearest in the language's order (左肩, vai trái) within
 * a few characters, else the nearest just on the other side.
 */
function assignSides(sides: readonly Hit[], parts: readonly Hit[]): Map<Hit, 'left' | 'right'> {
  const out = new Map<Hit, 'left' | 'right'>();
  for (const s of sides) {
    const forward = s.id.endsWith('>');
    let best: { part: Hit; d: number } | undefined;
    for (const p of parts) {
      const gap = forward ? p.at - s.end : s.at - p.end;
      const loose = forward ? s.at - p.end : p.at - s.end;
      const d = gap >= 0 && gap <= 12 ? gap : loose >= 0 && loose <= 6 ? loose + 13 : undefined;
      if (d !== undefined && (!best || d < best.d)) best = { part: p, d };
    }
    if (best && !out.has(best.part)) out.set(best.part, s.id.startsWith('left') ? 'left' : 'right');
  }
  return out;
}

function makeMark(kind: string, location: string | undefined, side: 'left' | 'right' | undefined): Mark {
  const where = location ? `, ${side ? `${side} ` : ''}${location}` : side ? ` (${side})` : '';
  const mark: Mark = { kind, label: `${KIND_LABEL[kind] ?? kind}${where}` };
  if (location) mark.location = location;
  if (side) mark.side = side;
  return mark;
}

/** Adds a mark unless it is already there; a sided mark replaces the same one said without a side. */
function pushUnique(list: Mark[], m: Mark): void {
  const i = list.findIndex((x) => x.kind === m.kind && x.location === m.location && (x.side === m.side || !x.side || !m.side));
  if (i < 0) list.push(m);
  else if (m.side && !list[i]!.side) list[i] = m;
}
