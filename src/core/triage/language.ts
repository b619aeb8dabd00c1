/**
 * Language detection by script, plus the traditional → simplified Chinese character map that
 * both detection (zh-TW vs zh-CN) and the Chinese keyword rules use.
 *
 * Pure and table-driven: a new script is one row in {@link SCRIPT_RANGES} and one entry in
 * {@link SCRIPT_LANGUAGE}.
 */

/**
 * Traditional → simplified pairs (`繁简`), limited to characters that occur in the words this
 * product cares about (children, trafficking, family, adoption, contact, spam, greetings) and
 * in everyday text. Each entry is exactly two characters.
 */
const TRAD_SIMP_PAIRS = `
們们 這这 說说 個个 號号 裡里 裏里 領领 養养 兒儿 丟丢 買买 賣卖 馬马 見见 鄰邻 販贩 貝贝 寶宝
嬰婴 讓让 帶带 從从 來来 時时 現现 險险 後后 過过 進进 麼么 與与 為为 於于 對对 錢钱 話话 電电
碼码 網网 貸贷 賭赌 證证 認认 親亲 尋寻 會会 還还 沒没 點点 車车 東东 門门 線线 綫线 樓楼 間间
歲岁 隻只 張张 給给 幫帮 應应 該该 問问 題题 請请 謝谢 愛爱 關关 處处 報报 訊讯 聯联 繫系 係系
戶户 將将 邊边 媽妈 爺爷 孫孙 鄉乡 縣县 場场 醫医 傷伤 殺杀 淚泪 鎖锁 綁绑 嗎吗 囉啰 喲哟 歡欢
單单 辦办 續续 審审 機机 構构 務务 據据 騙骗 運运 輸输 轉转 貨货 價价 萬万 塊块 專专 業业 結结
無无 義义 經经 驗验 測测 資资 況况 態态 詢询 夠够 衛卫 術术 條条 歷历 紀纪 區区 當当 陣阵 遠远
嚴严 緊紧 麗丽 雙双 記记 體体 頭头 髮发 發发 額额 臉脸 顆颗 寫写 壞坏 戲戏 鐘钟 頓顿 緣缘 趕赶
難难 顧顾 員员 館馆 錯错 廳厅 傳传 訂订 約约 賽赛 獎奖 註注 冊册 優优 費费 幣币 娛娱 樂乐 賺赚
職职 擔担 絡络 兌兑 換换 擊击 鏈链 獲获 紅红 財财 協协 師师 飛飞 鐵铁 長长 鎮镇 莊庄 廣广 雲云
貴贵 陽阳 濟济 蘭兰 嶺岭 劉刘 楊杨 趙赵 陳陈 黃黄 吳吴 鄭郑 許许 鄧邓 葉叶 蘇苏 羅罗 韓韩 馮冯
鄒邹 週周 誰谁 講讲 聽听 願愿 覺觉 識识 開开 剛刚 纔才 幾几 餓饿 凍冻 搶抢 圖图 褲裤 襪袜 綠绿
藍蓝 臺台 灣湾 習习 視视 頻频 鬧闹 聲声 喚唤 兇凶 嚇吓 攜携 隨随 跡迹 蹤踪 離离 準准 備备 膽胆
勢势 氣气 錄录 漢汉 語语 簡简 計计 劃划 畫画 錶表 團团 夥伙 鬥斗 濕湿 燒烧 熱热 燈灯 產产 婦妇
嬸婶 墮堕 嘍喽 偵侦 舉举 實实 際际 確确 鑑鉴 鑒鉴 檢检 樣样 採采 郵邮 帳账 銀银 護护 脅胁 虛虚
擬拟 編编 櫃柜 庫库 廂厢 層层 屆届 輛辆 滿满 嗚呜 舊旧 齡龄 稅税 狀状 壓压 懷怀 隊队 麥麦 頁页
鮮鲜 驚惊 懼惧 勸劝 罵骂 談谈 訴诉 詐诈 賠赔 
幹干 廢废 納纳 噁恶 滾滚 豬猪 腦脑 殘残 遷迁 擄掳 歸归 竊窃 儲储 撥拨 詳详 書书 貼贴 顯显 攝摄 帥帅
聞闻 讀读 種种 觀观 節节 藥药 級级 紙纸 總总 興兴 學学 變变 倆俩 兩两 內内 園园 圓圆 夢梦 寧宁 屬属
島岛 廠厂 彈弹 慶庆 憐怜 戰战 掃扫 揚扬 擁拥 擇择 斷断 極极 歐欧 獨独 環环 瘋疯 療疗 盡尽 眾众 禮礼
穩稳 窮穷 筆笔 範范 簽签 糧粮 終终 組组 細细 絕绝 統统 絲丝 維维 練练 縮缩 績绩 織织 罰罚 聖圣 腳脚
艱艰 華华 蓋盖 衝冲 補补 裝装 製制 複复 規规 討讨 訓训 設设 評评 試试 誠诚 誤误 課课 調调 謊谎 議议
豐丰 負负 貧贫 責责 賀贺 質质 購购 軍军 軟软 輕轻 較较 載载 輪轮 農农 連连 遊游 達达 違违 遲迟 選选
遺遗 釋释 銷销 鍵键 閉闭 閱阅 陰阴 陸陆 雜杂 雞鸡 靜静 響响 預预 顏颜 風风 飯饭 飽饱 餘余 驅驱 鬆松
魚鱼 鳥鸟 齊齐 龍龙 亂乱 佔占 傢家 僱雇 償偿 劍剑 勞劳 匯汇 厲厉 參参 嘆叹 囑嘱 夾夹 奪夺 奮奋 寢寝
廟庙 彎弯 憑凭 懸悬 戀恋 撫抚 擠挤 敗败 敵敌 數数 暫暂 曉晓 棄弃 槍枪 橋桥 檔档 權权 毀毁 決决 淨净
淺浅 溝沟 滅灭 潔洁 濃浓 烏乌 爭争 牆墙 猶犹 獄狱 畢毕 異异 盜盗 監监 盤盘 礦矿 禍祸 稱称 窩窝 籃篮
糾纠 紛纷 純纯 紹绍 緩缓 縫缝 繞绕 繳缴 罷罢 聳耸 膚肤 臟脏 蝦虾 蟲虫 觸触 託托 訪访 診诊 誕诞 諒谅
謂谓 譯译 讚赞 貓猫 貞贞 貢贡 賊贼 賞赏 賤贱 賬账 賴赖 贈赠 贏赢 踐践 躍跃 輔辅 輩辈 辭辞 醜丑 針针
鈴铃 銅铜 鋼钢 鍋锅 鏡镜 鑰钥 閃闪 閒闲 闆板 階阶 隱隐 雖虽 霧雾 靈灵 頂顶 項项 順顺 須须 頒颁 類类
飄飘 飢饥 飲饮 餅饼 駕驾 駛驶 騎骑 驕骄 髒脏 鳴鸣 鴨鸭 鹽盐 黨党 齒齿 龜龟 謀谋 誇夸 鬍胡 頰颊 廁厕
樸朴 蘿萝 勁劲 搖摇 攔拦 撿捡 擾扰 撐撑 揹背 凱凯 嗩唢 麵面 啟启
`;

const T2S = new Map<string, string>();
for (const pair of TRAD_SIMP_PAIRS.split(/\s+/)) {
  const chars = [...pair];
  if (chars.length === 2 && chars[0] !== chars[1]) T2S.set(chars[0]!, chars[1]!);
}

// One character class of every traditional key: a single replace pass per text.
const T2S_RE = new RegExp(`[${[...T2S.keys()].join('')}]`, 'g');

/**
 * Code points of the digit zero of the scripts whose digits NFKC leaves alone (Thai, Lao,
 * Myanmar, Khmer, Arabic-Indic, Devanagari, Bengali): each block holds 0–9 in order.
 */
const DIGIT_ZEROS = [0x0660, 0x06f0, 0x0966, 0x09e6, 0x0e50, 0x0ed0, 0x1040, 0x1090, 0x17e0] as const;
const FOREIGN_DIGIT_RE = /[\u0660-\u0669\u06f0-\u06f9\u0966-\u096f\u09e6-\u09ef\u0e50-\u0e59\u0ed0-\u0ed9\u1040-\u1049\u1090-\u1099\u17e0-\u17e9]/g;

/**
 * Thai `๕`, Burmese `၅` and the other native digits above as ASCII `5`, one unit for one
 * (offsets are kept), so numbers, phones and dates read the same in every script.
 */
export function foldDigits(text: string): string {
  FOREIGN_DIGIT_RE.lastIndex = 0;
  if (!FOREIGN_DIGIT_RE.test(text)) return text;
  FOREIGN_DIGIT_RE.lastIndex = 0;
  return text.replace(FOREIGN_DIGIT_RE, (c) => {
    const cp = c.charCodeAt(0);
    for (const zero of DIGIT_ZEROS) if (cp >= zero && cp <= zero + 9) return String(cp - zero);
    return c;
  });
}

const LATIN_ACCENTED_RE = /[\u00c0-\u024f\u1e00-\u1eff]/g;

/**
 * Latin letters without their accents, one character for one (so positions match the input;
 * `đ` → `d`, `Đ` → `D`): Vietnamese typed without diacritics (`not ruoi`, `em be`) reads the same
 * as with them. Other scripts are left alone. Expects composed (NFC/NFKC) text.
 */
export function stripLatinAccents(text: string): string {
  return text.replace(LATIN_ACCENTED_RE, (c) => (c === 'đ' ? 'd' : c === 'Đ' ? 'D' : (c.normalize('NFD')[0] ?? c)));
}

/**
 * NFKC form (full-width digits and letters folded) with native digits folded too
 * ({@link foldDigits}); the text unchanged if it cannot be normalised.
 */
export function nfkc(text: string): string {
  let out = text;
  try {
    out = text.normalize('NFKC');
  } catch {
    // unpaired surrogates: keep as is
  }
  return foldDigits(out);
}

/**
 * Maps the traditional characters this product knows to their simplified forms, one character
 * for one character (positions and lengths are preserved). Text without them is returned as is.
 */
export function toSimplified(text: string): string {
  T2S_RE.lastIndex = 0;
  if (!T2S_RE.test(text)) return text;
  T2S_RE.lastIndex = 0;
  return text.replace(T2S_RE, (c) => T2S.get(c) ?? c);
}

/** Traditional characters that are also in everyday simplified text, so prove nothing. */
const NOT_TRADITIONAL_ONLY = new Set(['著', '乾']);
/** Simplified forms that are also ordinary traditional characters, so prove nothing. */
const NOT_SIMPLIFIED_ONLY = new Set([
  ...'里只系于干台后才几云周叶余松范斗谷丑出征制致面冲卷郁准伙借表别采划凶迹',
]);

const TRADITIONAL_ONLY = new Set([...T2S.keys()].filter((c) => !NOT_TRADITIONAL_ONLY.has(c)));
const SIMPLIFIED_ONLY = new Set(
  [...T2S.values()].filter((c) => !NOT_SIMPLIFIED_ONLY.has(c) && !T2S.has(c)),
);

/** +1 for a traditional-only character, -1 for a simplified-only one (all are in the BMP). */
const VARIANT = new Map<number, number>([
  ...[...TRADITIONAL_ONLY].map((c) => [c.charCodeAt(0), 1] as [number, number]),
  ...[...SIMPLIFIED_ONLY].map((c) => [c.charCodeAt(0), -1] as [number, number]),
]);

/** How many traditional-only and simplified-only characters a text holds. */
export interface ChineseVariantCounts {
  traditional: number;
  simplified: number;
}

/** Counts the characters that tell traditional from simplified Chinese. */
export function chineseVariantCounts(text: string): ChineseVariantCounts {
  let traditional = 0;
  let simplified = 0;
  for (let i = 0; i < text.length; i++) {
    const v = VARIANT.get(text.charCodeAt(i));
    if (v === 1) traditional++;
    else if (v === -1) simplified++;
  }
  return { traditional, simplified };
}

/** Scripts the detector tells apart. */
export type Script =
  | 'latin'
  | 'han'
  | 'kana'
  | 'hangul'
  | 'thai'
  | 'lao'
  | 'khmer'
  | 'myanmar'
  | 'cyrillic'
  | 'arabic'
  | 'hebrew'
  | 'greek'
  | 'devanagari'
  | 'bengali'
  | 'tamil'
  | 'georgian'
  | 'armenian'
  | 'ethiopic';

/** Code point ranges (inclusive) of the letters of each script, non-ASCII only. */
const SCRIPT_RANGES: ReadonlyArray<readonly [number, number, Script]> = [
  [0x00c0, 0x00d6, 'latin'],
  [0x00d8, 0x00f6, 'latin'],
  [0x00f8, 0x024f, 'latin'],
  [0x1e00, 0x1eff, 'latin'],
  [0x0370, 0x03ff, 'greek'],
  [0x0400, 0x052f, 'cyrillic'],
  [0x0531, 0x058f, 'armenian'],
  [0x0590, 0x05ff, 'hebrew'],
  [0x0600, 0x06ff, 'arabic'],
  [0x0750, 0x077f, 'arabic'],
  [0x08a0, 0x08ff, 'arabic'],
  [0x0900, 0x097f, 'devanagari'],
  [0x0980, 0x09ff, 'bengali'],
  [0x0b80, 0x0bff, 'tamil'],
  [0x0e00, 0x0e7f, 'thai'],
  [0x0e80, 0x0eff, 'lao'],
  [0x1000, 0x109f, 'myanmar'],
  [0x10a0, 0x10ff, 'georgian'],
  [0x1100, 0x11ff, 'hangul'],
  [0x1200, 0x137f, 'ethiopic'],
  [0x1780, 0x17ff, 'khmer'],
  [0x3040, 0x309f, 'kana'],
  [0x30a0, 0x30ff, 'kana'],
  [0x3130, 0x318f, 'hangul'],
  [0x31f0, 0x31ff, 'kana'],
  [0x3400, 0x4dbf, 'han'],
  [0x4e00, 0x9fff, 'han'],
  [0xac00, 0xd7af, 'hangul'],
  [0xf900, 0xfaff, 'han'],
  [0xfb50, 0xfdff, 'arabic'],
  [0xfe70, 0xfeff, 'arabic'],
  [0xff66, 0xff9f, 'kana'],
  [0x20000, 0x2fa1f, 'han'],
];

/** BCP 47 tag for text written mostly in a script (Han and Latin are refined further). */
export const SCRIPT_LANGUAGE: Readonly<Record<Script, string>> = {
  latin: 'en',
  han: 'zh-CN',
  kana: 'ja',
  hangul: 'ko',
  thai: 'th',
  lao: 'lo',
  khmer: 'km',
  myanmar: 'my',
  cyrillic: 'ru',
  arabic: 'ar',
  hebrew: 'he',
  greek: 'el',
  devanagari: 'hi',
  bengali: 'bn',
  tamil: 'ta',
  georgian: 'ka',
  armenian: 'hy',
  ethiopic: 'am',
};

/**
 * How much one letter of a script weighs against the others: a Han character or a Hangul
 * syllable carries about as much as a short Latin word, so `我在 Walmart 看到` stays Chinese.
 */
const SCRIPT_WEIGHT: Partial<Record<Script, number>> = { han: 3, kana: 3, hangul: 2 };

// Sorted by start for a binary search.
const SORTED_RANGES = [...SCRIPT_RANGES].sort((a, b) => a[0] - b[0]);

function scriptOf(cp: number): Script | undefined {
  if (cp < 0x80) {
    return (cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a) ? 'latin' : undefined;
  }
  if (cp >= 0x4e00 && cp <= 0x9fff) return 'han'; // by far the most frequent here
  let lo = 0;
  let hi = SORTED_RANGES.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const [start, end, script] = SORTED_RANGES[mid]!;
    if (cp < start) hi = mid - 1;
    else if (cp > end) lo = mid + 1;
    else return script;
  }
  return undefined;
}

/** Letters found in a text, by script. */
export type ScriptCounts = Partial<Record<Script, number>>;

/** Counts the letters of each script in a text. */
export function countScripts(text: string): ScriptCounts {
  const counts: ScriptCounts = {};
  let latin = 0;
  let han = 0;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp < 0x80) {
      if ((cp >= 0x41 && cp <= 0x5a) || (cp >= 0x61 && cp <= 0x7a)) latin++;
      continue;
    }
    if (cp >= 0x4e00 && cp <= 0x9fff) {
      han++;
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        i++;
      }
    }
    const script = scriptOf(cp);
    if (script) counts[script] = (counts[script] ?? 0) + 1;
  }
  if (latin) counts.latin = (counts.latin ?? 0) + latin;
  if (han) counts.han = (counts.han ?? 0) + han;
  return counts;
}

/** Letters that only Vietnamese uses among Latin-script languages this line expects. */
const VIETNAMESE_LETTERS = new Set([
  ...'ơưăđĩũạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ',
]);
/** Frequent Vietnamese words (also when typed without diacritics). */
const VIETNAMESE_WORDS = new Set([
  'tôi', 'toi', 'không', 'khong', 'chào', 'chao', 'xin', 'của', 'là', 'và', 'có', 'được',
  'người', 'một', 'em', 'bé', 'con', 'này', 'ở', 'bị', 'mất', 'tìm', 'cháu', 'thấy', 'số',
  // Typed without diacritics: the frequent words that are not also English ("be", "so", "la", "do" are).
  'ko', 'nguoi', 'mot', 'cua', 'duoc', 'nay', 'dang', 'vua', 'nha', 'chau', 'thay', 'tim', 'mat', 'bi',
  'xe', 'dua', 'tre', 'nhan', 'nuoi', 'gai', 'trai', 'giup', 'voi', 'roi', 'minh', 'oi', 'nhe', 'chung',
  'cho', 'mua', 'lam', 'biet', 'gio', 'dem', 'chua', 'khi', 'thi', 'phong', 'tro', 'duoi', 'tren', 'sang',
  'chieu', 'hom', 'qua', 'nguoc', 'ngay', 'nhung', 'rat', 'nhieu', 'nhin', 'thuoc', 'khoc', 'danh', 'nhot',
]);
/** Frequent English words: a Vietnamese name inside an English sentence stays English. */
const ENGLISH_WORDS = new Set([
  'the', 'a', 'an', 'and', 'is', 'are', 'was', 'were', 'i', 'you', 'he', 'she', 'it', 'my',
  'at', 'in', 'on', 'with', 'of', 'to', 'for', 'saw', 'this', 'that', 'have', 'has', 'baby',
  'child', 'hello', 'hi', 'please', 'we', 'they', 'her', 'his',
]);

const VIETNAMESE_LETTER_RE = new RegExp(`[${[...VIETNAMESE_LETTERS].join('')}]`, 'giu');
/** Longest text checked for Vietnamese words typed without any Vietnamese-only letter. */
const VIETNAMESE_PLAIN_MAX = 200;

function isVietnamese(text: string): boolean {
  const letters = text.match(VIETNAMESE_LETTER_RE)?.length ?? 0;
  if (letters === 0 && text.length > VIETNAMESE_PLAIN_MAX) return false;
  const lower = text.toLowerCase();
  let viWords = 0;
  let enWords = 0;
  for (const word of lower.split(/[^\p{L}]+/u)) {
    if (!word) continue;
    if (VIETNAMESE_WORDS.has(word)) viWords++;
    if (ENGLISH_WORDS.has(word)) enWords++;
  }
  if (letters === 0 && viWords < 2) return false;
  return letters + viWords > enWords;
}

/** The language a text is mostly written in, refining Han into zh-CN / zh-TW and Latin into en / vi. */
function languageOf(text: string, counts: ScriptCounts): string | undefined {
  const han = counts.han ?? 0;
  const kana = counts.kana ?? 0;
  // Japanese mixes kana into Han; a stray の in Chinese does not make it Japanese.
  const japanese = kana > 0 && kana >= han * 0.2;
  let best: Script | undefined;
  let bestScore = 0;
  for (const [script, n] of Object.entries(counts) as Array<[Script, number]>) {
    let score = n * (SCRIPT_WEIGHT[script] ?? 1);
    if (script === 'kana') score = japanese ? (kana + han) * 3 : 0;
    if (script === 'han' && japanese) score = 0;
    if (score > bestScore) {
      best = script;
      bestScore = score;
    }
  }
  if (!best) return undefined;
  if (best === 'han') {
    const { traditional, simplified } = chineseVariantCounts(text);
    return traditional > simplified ? 'zh-TW' : 'zh-CN';
  }
  if (best === 'latin' && isVietnamese(text)) return 'vi';
  return SCRIPT_LANGUAGE[best];
}

/** A case code (`TL-7KQ2-M9XD`); the same shape as `CASE_CODE_PATTERN` in rules.ts. */
const CASE_CODE_RE = /(?<![a-z0-9])tl[-_ ]?[0-9a-z]{4}[-_ ]?[0-9a-z]{4}(?![a-z0-9])/gi;

/** E-mail addresses, left out of language detection. */
const EMAIL_RE = /[\w.+-]{1,64}@[\w-]{1,63}(?:\.[\w-]{1,63}){1,8}/g;
/** Links and bare domains (`x.com/abc`), left out of language detection. */
const ADDRESS_RE =
  /(?:https?:\/\/|www\.)[^\s，。！？]+|(?<![a-z0-9.-])[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,6}\.(?:com|net|org|cn|io|me|xyz|top|ly|cc|tw|hk)\b[^\s，。！？]*/gi;

/**
 * The BCP 47 tag of the language a text is written in, by script: Han → `zh-CN` or `zh-TW`
 * (ties `zh-CN`), Latin → `en` or `vi`, Thai → `th`, Cyrillic → `ru`, Arabic → `ar`,
 * Hangul → `ko`, kana → `ja`, and so on. `undefined` when the text has no letters at all
 * (digits, punctuation, emoji).
 */
export function detectLanguage(text: string): string | undefined {
  if (typeof text !== 'string' || text.length === 0) return undefined;
  // Links, addresses and case codes are Latin whatever language the message is in.
  let prose = text;
  if (prose.includes('@')) prose = prose.replace(EMAIL_RE, ' ');
  if (prose.includes('.')) prose = prose.replace(ADDRESS_RE, ' ');
  if (/tl/i.test(prose)) prose = prose.replace(CASE_CODE_RE, ' ');
  return languageOf(prose, countScripts(prose));
}
