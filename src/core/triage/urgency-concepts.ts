/**
 * Recall-first urgency by concept classes, across zh-Hans, zh-Hant, en, vi, th and my.
 *
 * The phrase tables in `rules-*.ts` catch the phrasings they were shown; a message written
 * another way ("they're putting the kids in a van as I type this") slipped through. This layer
 * asks more general questions, clause by clause:
 * - (a) NOW: is something happening now, about to happen, or still going on?
 * - (b) CHILD: is a child (or one of the circulated children) in it?
 * - (c) ACT: is someone harming, moving, hiding or trading a child, or is a child in a state
 *   of danger (alone, crying, locked in)?
 * - (d) DISTRESS: is the writer calling for help?
 *
 * Urgent when NOW and ACT meet in the same or an adjacent clause and a child is in the
 * message, or DISTRESS meets a child or an ACT nearby. Vetoes: past time near the NOW, the
 * writer's own plans ("I'll come to the station tomorrow"), adoption wishes, hypotheticals and
 * questions about the service, opinions. It only ever adds urgency to what the phrase tables
 * found (see `index.ts`); it never removes any.
 */

import { stripLatinAccents, toSimplified } from './language.ts';

/** Latin letters (Vietnamese included) a Latin word must not touch. */
const L = 'a-z\\u00c0-\\u024f\\u1e00-\\u1eff';
/** Latin words as one group with word boundaries; the rest match anywhere. */
/**
 * Vietnamese as typed without diacritics matches too: each alternative that loses marks when
 * folded also stands folded ("thuốc ngủ" / "thuoc ngu") — when it is a phrase, or a word of four
 * letters or more that is not also an English word ("bán" → "ban" is left out).
 */
const NOT_FOLDED = new Set(['hang', 'sang', 'than', 'long', 'thin', 'then', 'tong', 'bang', 'dong', 'tien', 'chat', 'mang']);
const withFolded = (alts: string[]): string[] =>
  alts.flatMap((alt) => {
    const folded = stripLatinAccents(alt);
    const keep = folded !== alt && (folded.includes(' ') || folded.length >= 4) && !NOT_FOLDED.has(folded);
    return keep ? [alt, folded] : [alt];
  });
const words = (...alts: string[]): string => `(?<![${L}])(?:${withFolded(alts).join('|')})(?![${L}])`;
const any = (...alts: string[]): string => `(?:${alts.join('|')})`;
const compile = (...parts: string[]): RegExp => new RegExp(parts.join('|'), 'iu');

/** Digits, Chinese numerals, or small number words: "20 minutes ago", "十分钟后". */
const N = '(?:\\d+|a few|few|one|two|three|five|ten|fifteen|twenty|thirty|半|[一二两三四五六七八九十几]+)';

// ───────────────────────────────────────────── (a) now, about to, still going on

/** Strong: a clock that is running right now; survives a mention of the past nearby. */
const NOW_STRONG = compile(
  words('right now', 'as we speak', 'as i (?:type|write|speak)', 'at this (?:moment|minute)', 'this (?:minute|second)',
    'happening now', 'still (?:here|there|inside|outside|in|at|on|parked|waiting|crying|screaming|alone|breathing|circling)',
    'just now', 'any (?:minute|moment|second)', `${N} (?:minutes?|mins?) ago`, `in ${N} (?:minutes?|mins?|hours?|hrs?)`,
    'tonight', 'overnight', 'tomorrow', 'tmr', 'today only', 'only today', 'before tonight', 'by tonight', '(?:almost|nearly) (?:at|there|to)', 'tmrw', 'about to', 'next stop', 'once it(?:\'s| is| gets) dark', 'after dark', 'in (?:an|half an|about an) hour', 'within the hour',
    `${N} (?:minutes?|mins?|stops?) (?:away|left|to go)`),
  // Cantonese "now" (而家 / 宜家 / 依家).
  any('而家', '宜家', '依家'),
  any('今天之内', '仅限今天', '只限今天', '过了今天'),
  any('现在就', '刚(?=[看见被把让在捡发])', '正(?=[把在往要将抱拉拖])', '此刻', '这会儿', '正在', '刚刚', '刚才', '今晚', '今夜', '今天晚上', '明天', '明早', '明晚', '后天', '马上', '立刻',
    '就要', '快要', '要被', '还在', '还没走', '还没开', '还没离开', '还有气', '眼下', '这周末', `${N}分钟(?:之|以)?前`, `${N}分钟(?:之|以)?后`,
    // A clock counted in hours ahead: "半小时后", "两个小时以后".
    `${N}个?(?:半)?(?:小时|钟头)(?:之|以)?后`, '半小时内', '一会儿就',
    // A countdown ("还有40分钟到站") and tonight said another way ("今天夜里两点", "今天凌晨").
    `还有${N}(?:分钟|个?小时|站)`, '下一站', '今天夜里', '今天半夜', '今天凌晨', '今儿晚上',
    // Waiting for nightfall: tonight said as a wait ("等天黑就走").
    '等天黑', '天一黑', '连夜', '快到(?:站|了)', '天黑(?:就|以后|之后)'),
  words('ngay bây giờ', 'bây giờ', 'lúc này', 'hiện giờ', 'đang', 'vừa', 'mới', 'sắp', 'tối nay', 'đêm nay', 'sáng mai', 'tối mai',
    'chiều mai', 'ngày mai', 'vẫn còn', `${N} phút trước`, `${N} (?:phút|tiếng|giờ) nữa`, 'lát nữa', 'nửa tiếng nữa', 'trong đêm', 'sắp tới nơi'),
  any('ตอนนี้', 'เดี๋ยวนี้', 'ขณะนี้', 'คืนนี้', 'พรุ่งนี้', 'กำลัง', 'เพิ่ง', 'ยังจอด', 'ยังอยู่', 'เย็นนี้', 'นาทีที่แล้ว', 'อีกไม่กี่', 'ชั่วโมงข้างหน้า', 'อีกครึ่งชั่วโมง', 'อีก\\d+ ?(?:นาที|ชั่วโมง)', 'ข้ามคืน', 'ใกล้ถึง',
    // A countdown in words: "อีกสิบนาที", "อีกยี่สิบนาที".
    'อีก ?(?:หนึ่ง|สอง|สาม|ห้า|สิบ|สิบห้า|ยี่สิบ|สามสิบ|ครึ่ง) ?(?:นาที|ชั่วโมง)'),
  any('အခု', 'ယခု', 'ဒီည', 'မနက်ဖြန်', 'တော့မယ်', 'နေတယ်', 'နေပြီ', 'နာရီဝက်အတွင်း', 'နာရီအတွင်း', 'မိနစ်အတွင်း', 'ညချင်း'),
);

/** Weak: today, soon, an ongoing present tense; does not survive past time nearby. */
const NOW_WEAK = compile(
  words('now', 'today', 'soon', 'currently', 'at the moment', 'this (?:morning|afternoon|evening|weekend)', 'in the morning',
    'later', 'just', 'still', 'there (?:is|are)', "there's", '(?:is|are|am) (?:\\w+ )?\\w+ing', 'i can (?:hear|see)', 'on (?:my|this|our) (?:bus|train|flight|boat|ferry|coach)',
    '\\d{1,2}(?::\\d\\d)? ?(?:am|pm)', 'at \\d{1,2}:\\d\\d', '\\d{1,2}:\\d\\d'),
  "(?:'re|'s) (?:\\w+ )?\\w+ing(?![a-z])",
  any('现在', '今天', '晚上', '下午', '早上', '今早', '准备', '打算', '等一下', '等下', '等会', '一会', '待会', '一直', '仍然', '还在', '[\\d一二三四五六七八九十]+点'),
  words('hôm nay', 'chiều nay', 'sáng nay', 'vẫn', 'nhanh'),
  any('วันนี้', 'จะ', 'ยัง'),
  any('ယနေ့', 'ဒီနေ့', 'မယ်'),
);

// ───────────────────────────────────────────── (b) a child

const CHILD = compile(
  words('bab(?:y|ies)', 'infants?', 'newborns?', 'toddlers?', 'kids?', 'child(?:ren)?', 'little (?:girl|boy|one)s?', 'girl', 'boy',
    'twins', '(?:my|our|her|his) (?:daughter|son)', '#\\d+', '(?:number|no\\.?|photo) ?\\d+'),
  any('孩子', '小孩', '宝宝', '[男女]宝', '婴儿', '男婴', '女婴', '新生儿', '女孩', '男孩', '娃', '女儿', '儿子', '闺女', '儿童', '幼儿', '[\\d一二三四五六七八九十]+号', '第[\\d一二三四五六七八九十]+个'),
  words('em bé', 'bé', 'đứa bé', 'đứa trẻ', 'trẻ em', 'trẻ', 'cháu bé', 'con nít', 'trẻ sơ sinh', 'đứa', 'con gái', 'con trai'),
  // Typed without diacritics (only the multi-word forms: "be", "tre" alone are English words or nothing).
  words('em be', 'dua be', 'dua tre', 'tre em', 'chau be', 'con nit', 'tre so sinh', 'be so sinh', 'con gai', 'con trai'),
  // Cantonese: "BB" (a baby), 细路 / 细蚊仔 (a child).
  words('bb(?:仔|女)?'), any('啤啤', '细路', '细蚊仔'),
  // Hokkien / Taiwanese: 囡仔, 紅嬰仔 (a child, a baby).
  any('囡仔', '红婴仔', '婴仔'),
  // ลูก alone is "child" too, but not inside ลูกค้า (customer), ลูกพี่ลูกน้อง (cousin), ลูกบอล (ball)…
  any('เด็ก', 'ทารก', 'หมายเลข', 'ลูกสาว', 'ลูกชาย', 'ลูก(?!ค้า|บอล|ชิ้น|พี่|น้อง|หนี้|จ้าง|เต๋า|ศร|กุญแจ|ตา|เกด|อม|ปัด|เล่น|ทีม|ศิษย์|น้ำ)'),
  any('ကလေး', 'နို့စို့', 'မွေးကင်းစ', 'နံပါတ်', 'သမီး', 'သားလေး'),
);

// ───────────────────────────────────────────── (c) harm, movement, hiding, trade

const ACT = compile(
  words('sell(?:s|ing)?', 'buy(?:s|ing)?', 'buyers?', 'for sale', 'hand(?:s|ing)? (?:\\w+ ){0,3}over', 'handover', 'deal', 'trade',
    'deliver(?:s|ing)?', 'pick(?:s|ing)? up', 'who wants', 'asking price', '(?:get|buy|order) (?:a|the|your) (?:\\w+ )?(?:baby|child|kid|newborn|infant)', 'mov(?:e|es|ing) (?:the|her|him|them|it|a)', 'transferr?\\w*', "(?:won't|will not|can't|doesn't|does not) wake", 'not waking', 'tak(?:e|es|ing) (?:\\w+ )?(?:away|off)',
    'snatch(?:es|ed|ing)?', 'grab(?:s|bed|bing)?', 'drag(?:s|ged|ging)?', 'pull(?:s|ed|ing)?', 'forc(?:e|es|ed|ing)', 'shov(?:e|ed|ing)',
    'kidnap\\w*', 'abduct\\w*', 'steal(?:s|ing)?', 'put(?:s|ting)? (?:\\w+ ){0,3}(?:in|into)', 'load(?:s|ed|ing)?', 'bundl\\w+',
    'into (?:a|the|their|his|her) (?:car|van|truck|minivan|suv|boat)',
    'carry(?:ing)? (?:\\w+ ){0,3}(?:onto|into|off|away|across)', 'onto (?:a|the) (?:\\w+ )?(?:boat|bus|train|truck|van|ferry)', 'board(?:s|ing)?', 'leav(?:e|es|ing)', 'driv(?:e|es|ing) (?:off|away|toward|towards|to)',
    'drove (?:off|away|toward|towards)', 'heading', 'check(?:s|ing)? out(?! (?:the|this|that|these|those|it|my|our|your|his|her|their|photos?|pictures?))',
    '(?<!(?:i|we)(?:\'m|\'re| am| are) )get(?:s|ting)? off', 'next stop', 'hand(?:s|ing)? (?:the|a|her|his|their) (?:baby|child|kid|newborn|infant|girl|boy) to', 'to take (?:it|her|him|them|the (?:\\w+ )?(?:baby|child|kid|boy|girl|infant))', 'and pay',
    'found (?:a|an) (?:\\w+ ){0,2}(?:baby|infant|newborn|child|toddler)', '(?:in|by|near|next to) (?:a|the) (?:trash|garbage|dumpster|bin|rubbish)', 'fleeing', 'cross(?:es|ing)? the border', 'border', 'checking out', 'hid(?:e|es|ing)',
    'lock(?:s|ed|ing)? (?:\\w+ ){0,2}in', 'locked', 'trapped', 'tied', 'beat(?:s|ing|en)?', 'hit(?:s|ting)?', 'throw(?:s|ing)?',
    'shak(?:e|es|ing)', 'hurt(?:s|ing)?', 'drug(?:s|ged|ging)?', 'sedat\\w*', 'crying', 'screaming', 'alone', 'wandering', 'abandon\\w*',
    'dumped', 'dropped', 'soaked', 'freezing', 'turning blue', 'not breathing', 'bleeding', 'starving',
    // Taken, carried off, walked or ran away with; a child changing hands for money.
    '(?:was|been|got|being) taken', 'taken (?:from|away|by|out)', 'stolen', 'ran (?:off|away|towards?|to|out)', 'running (?:off|away|towards?)',
    'walk(?:ed|ing)? (?:off|away|towards?)', 'carrying',
    '(?:baby|child|kid|newborn|girl|boy|infant) (?:goes|is going|will go|leaves|is leaving)', 'bring (?:the )?(?:cash|money)', 'switch(?:ing)? (?:cars|vehicles|buses)',
    // The writer pursuing them; a child sick and kept from a doctor; a child alone or gone quiet.
    'follow(?:ing)? (?:them|her|him|the (?:\\w+ )?(?:car|van|taxi|suv|bus|truck|couple|man|woman))', 'tailing', "i(?:'m| am) following", 'walking (?:to|towards?) (?:the )?(?:border|bridge|station|river|boat|bus|car|van)',
    'fever', 'seizures?', 'convuls\\w+', 'unconscious', 'vomiting', 'very sick', "(?:won't|will not|don't|do not|refuse to) take (?:\\w+ ){0,2}to (?:a |the )?(?:doctor|hospital|clinic)",
    // About to leave, or hiding a child on the way: "engine running", "under a blanket in the footwell".
    'engines? (?:is |still )?running', 'motor running', 'under (?:a|the) (?:blanket|tarp|seat|coat)', 'in the footwell', 'through (?:the )?checkpoint',
    'nobody (?:is )?home', 'no adults?', 'no one (?:is )?(?:home|with (?:her|him|them|it))', '(?:went|gone|fell) (?:quiet|silent)', 'stopped crying', 'smuggl\\w+', 'ship(?:ping)? (?:\\w+ ){0,2}(?:across|over|out)'),
  any('卖', '买家', '交易', '交货', '交接', '交给', '交一个', '交钱', '转手', '送走', '送去', '带走', '抱走', '抢', '拐', '拽', '拖着', '拖走',
    '塞进', '塞上', '抱上', '拉上', '上车', '上船', '上火车', '进站', '过境', '出境', '偷渡', '边境', '跑了', '开走', '骑走', '离开', '要走',
    '搬走', '藏', '关在', '关着', '锁在', '锁着', '被打', '在打(?!电话|工|牌|球|扫|听|算|字|针|游戏)', '挨打', '毒打', '殴打', '打(?:孩子|小孩|宝宝|婴儿|娃|他|她)', '虐待',
    '在哭', '哭喊', '(?<!我们?)就(?:要)?走', '(?<!我(?:们)?(?:刚|刚刚|已经|才)?)下车', '下一站',
    // A child found abandoned: in a box, by the bins, picked up off the street.
    '(?:捡到|发现)(?:了)?(?:一个|个)?(?:弃婴|婴儿|孩子|小孩|宝宝)', '弃婴', '(?:垃圾桶|垃圾堆|垃圾箱|纸箱|箱子)(?:里|边|旁)', '惨叫', '挣扎', '喊', '丢在', '扔在', '遗弃', '没喝奶', '没吃', '饿', '冻(?:得|坏|僵|紫)', '发烧', '流血', '来接', '定金', '讨价还价',
    '下药', '迷药', '安眠药', '喂药', '灌药', '昏迷', '没人管', '推(?![荐广送出动特])', '拉(?:上|进|走)', '往[^，。！？]{0,8}[里上](?:拉|塞|推|抱|拖)', '哭着', '带(?:她|他|孩子|小孩|宝宝)?走',
    // Carried off and heading somewhere; changing vehicles on the way; a child "put out" for sale.
    '背着', '往[^，。！？]{0,8}(?:走|跑|去|开)', '换车', '转车', '带了(?:一|两|几|三)?个', '带着(?:一|两|几)?个',
    '出(?:一|两|几)?个(?:男|女)?(?:宝宝|孩子|婴儿?|娃)', '价格', '要价', '付现金', '交人', '转(?:到|去|移|走)', '叫不醒', '不醒',
    // Following them; a sick child kept from a doctor; a child alone, gone quiet; children shipped across.
    '跟(?:着|踪|上)(?:他们|她|他|那)', '在跟着', '发(?:高)?烧', '高烧', '烧到', '[三四]十(?:[一二]|几)?度(?:多)?', '不(?:肯|愿意?)(?:带|送)', '抽搐', '抽筋', '昏迷', '呕吐', '不敢(?:带|送)', '不(?:带|送)(?:去)?医院',
    '不在家', '没(?:有)?(?:大人|人在)', '没(?:有)?(?:声音|动静)', '不哭了', '运(?:过|走|到|出)', '过江', '过河', '偷运',
    // Cantonese: 交收 (a handover), 收 + a baby (taking one in for money).
    '交收', '收(?:一)?(?:个)?(?:bb|孩子|婴儿|细路)',
    // "营养费" (a "nutrition fee"): the price of a child dressed up as an adoption.
    '营养费', '营养金',
    '没熄火', '发动机(?:还)?(?:开|响)着', '(?:盖|藏|裹)在[^，。！？]{0,6}(?:下面|底下|里)', '过(?:关|检查站|口岸)'),
  words('bán', 'mua', 'giao', 'bế đi', 'bế', 'bắt', 'giật', 'cướp', 'chở', 'mang đi', 'đưa đi', 'lên xe', 'qua biên giới', 'nhốt', 'đánh',
    'khóc', 'bỏ rơi', 'chạy', 'đến nhận', 'tiền cọc', 'đặt cọc', 'trốn', 'giấu', 'đi về phía', 'đổi xe', 'chuyển xe', 'tiền mặt', 'bị bắt đi',
    'đang (?:theo|bám theo)', 'sốt', 'co giật', 'bất tỉnh', 'không (?:cho|đưa) (?:\\w+ ){0,2}đi (?:viện|bệnh viện|bác sĩ)', 'không có người lớn', 'im bặt', 'chở qua sông', 'xuống xe', 'ga tới', 'trạm tới', 'nhặt được', 'thùng rác', 'trả phòng', 'chuyển (?:đến|sang|đi)', 'không tỉnh', 'nổ máy', 'giấu dưới', 'qua trạm'),
  // 'ขาย' not inside 'เขา ยัง' ("he still"), Thai being written without spaces.
  any('(?<!เ)ขาย', 'ซื้อ', 'ส่งมอบ', 'ส่งเด็ก', 'พาเด็ก', 'พาไป', 'ลักพาตัว', 'ขโมย', 'กระชาก', 'ฉุด', 'ลาก', 'ขึ้นรถ', 'ข้ามชายแดน', 'ข้ามแดน',
    'ขัง', 'ตีเด็ก', 'ทำร้าย', 'ร้องไห้', 'เสียงร้อง', 'ทิ้ง', 'อุ้ม', 'เดินไปทาง', 'เปลี่ยนรถ', 'เงินสด', 'ถูกพาตัว',
    'ตามรถ', 'ขับตาม', 'ไข้', 'ชัก', 'หมดสติ', 'ไม่พาไปหาหมอ', 'ไม่พาไปโรงพยาบาล', 'ไม่มีผู้ใหญ่', 'เงียบไป', 'ขนเด็ก', 'ลงรถ', 'สถานีหน้า', 'ป้ายหน้า', 'ถังขยะ', 'เก็บได้', 'เช็คเอาท์', 'ย้ายเด็ก', 'ไม่ตื่น', 'ปลุกไม่ตื่น', 'ซ่อน', 'ใต้ผ้าห่ม', 'ผ่านด่าน', 'ติดเครื่อง'),
  any('ရောင်း', 'ဝယ်', 'ခိုး', 'ပြန်ပေးဆွဲ', 'ခေါ်သွား', 'ထွက်', 'မောင်း', 'ကားပေါ်တင်', 'နယ်စပ်', 'ပိတ်ထား', 'ရိုက်', 'နှိပ်စက်', 'ငို', 'ပေးမယ်', 'ပို့', 'ချီ', 'ပိုက်ဆံ', 'ကားပြောင်း',
    'နောက်က လိုက်', 'နောက်ယောင်ခံ', 'ဖျား', 'သတိလစ်', 'ဆေးရုံ မပို့', 'လူကြီး မရှိ', 'ဆင်းမယ်', 'နောက်ဘူတာ', 'အမှိုက်ပုံး', 'ကောက်ရ', 'ရွှေ့', 'မနိုး'),
);

// ───────────────────────────────────────────── (d) a call for help

const DISTRESS = compile(
  // A clause that is nothing but "quick" ("…抱着8号!!!快", "man carrying #6, quick!!"): a cry for speed.
  '^(?:快+|quick(?:ly)?|fast|nhanh(?: lên)?|mau(?: lên)?|เร็ว(?:ๆ)?|မြန်မြန်)$',
  words('help', 'please hurry', 'please come', 'come (?:quick|quickly|fast|now)', 'hurry', 'pls send', 'please send', 'send someone', 'send police', 'call the police', 'emergency', 'urgent', 'sos', 'stop them', 'stop (?:her|him|the (?:car|van|bus|train|taxi))', 'intercept', 'catch them'),
  // Cantonese and Hokkien: 快啲嚟 / 紧来 (come quick).
  any('快(?:啲|d)嚟', '紧来'),
  any('救命', '快报警',
    // A bare "快" said on its own ("火车站!!!有人抱着8号!!!快").
    '(?<![\\u4e00-\\u9fff])快+(?![\\u4e00-\\u9fff])', '快来', '快点', '赶紧', '赶快', '求求你们', '拜托快', '紧急', '快派人', '请派人',
    // Asking us to stop someone on the way: "在站台拦一下", "把车截住".
    '拦(?:一下|住|下|截)', '截住', '截下', '堵住', '快抓'),
  words('cứu', 'giúp với', 'nhanh lên', 'nhanh len', 'khẩn cấp', 'mau lên', 'chặn (?:lại|xe|họ|hắn)'),
  any('ช่วยด้วย', 'ช่วยที', 'ด่วน', 'รีบมา', 'สกัด'),
  any('ကယ်ပါ', 'ကယ်ကြပါ', 'အမြန်လာ', 'မြန်မြန်', 'အရေးပေါ်', 'ကူညီပါ', 'တားပေး'),
);

// ───────────────────────────────────────────── vetoes

/** Past time: what happened then is not danger now. */
const PAST = compile(
  words('yesterday', 'last (?:night|week|month|year)', 'years? ago', '(?:weeks|months|days) ago', 'used to', 'back then', 'back in',
    'at that time', 'when (?:i|he|she|we|they|it) (?:was|were)', 'in the past', 'years(?! old)',
    // An anniversary or birthday of a loss: a date remembered, not a clock running.
    'birthday', 'anniversary', "(?:he|she)(?:'d| would) be \\d+"),
  '(?<!\\d)(?:19|20)\\d\\d(?!\\d)',
  any('(?:19|20)\\d\\d年', '去年', '前年', '年前', '以前', '当年', '那年', '那时', '当时', '小时候', '多年', '几年', '曾经', '上个月', '上周',
    '周年', '[\\d一二两三四五六七八九十几]+年了', '昨天', '生日', '忌日', '(?:不知道|不晓得)(?:现在)?还有没有'),
  words('năm (?:19|20)\\d\\d', 'khi (?:mới|còn)', 'lúc (?:mới|còn)', 'năm ngoái', 'trước đây', 'hồi đó', 'ngày xưa', 'hôm qua', '\\d+ năm', 'sinh nhật', 'giỗ'),
  any('ปีที่แล้ว', 'เมื่อปี', 'เมื่อวาน', 'สมัยก่อน', 'หลายปี', 'ปีก่อน', 'วันเกิด'),
  any('လွန်ခဲ့', 'မနှစ်က', 'တုန်းက', 'ဖူးတယ်', 'ခဲ့တယ်', 'မွေးနေ့'),
);

/** Something that happens again and again ("经常", "every week"): a pattern to look into, not a clock running now. */
const HABIT = compile(
  words('often', 'usually', 'always', 'every (?:day|week|month|time|few days)', 'keeps? (?:coming|bringing)', 'regularly'),
  any('经常', '常常', '总是', '老是', '每次', '每隔', '每个礼拜', '每周', '每个月', '隔三差五'),
  words('thường', 'hay', 'mỗi lần', 'mỗi tuần', 'lúc nào cũng'),
  any('บ่อย', 'ทุกครั้ง', 'ทุกอาทิตย์', 'เป็นประจำ'),
  any('ခဏခဏ', 'အမြဲ', 'တတ်တယ်'),
);

/** A rumour to be checked ("群里在传…是真的吗", "is this rumour true?"): a question about the news. */
const RUMOUR = compile(
  words('rumou?rs?', 'is (?:this|it|that) true', 'fake news', 'going around'),
  any('辟谣', '谣言', '在传', '都在传', '是真的吗', '是不是真的', '传言'),
  words('tin đồn', 'có thật không'),
  any('ข่าวลือ', 'จริงไหม', 'จริงหรือเปล่า'),
  any('ကောလာဟလ', 'တကယ်လား'),
);

/** Narrated in the past tense: outweighed by a clock running now in the same clause. */
const PAST_SOFT = compile(words('was', 'were', 'i saw', 'saw', 'had', 'did', 'went', 'paid', 'drove'), any('看到过', '见过', '那天', '上次', '被卖了', '卖了', '卖掉了', '听说过', '(?:年轻|上学|读书|念书|打工)的时候'), words('đã'), any('เคย'));

/** The writer's own plans with the police or the service ("I'll call tomorrow", "我明天去派出所"). */
const SELF = compile(
  words("i'll", 'i will', "we'll", 'we will', "i'm (?:coming|going|leaving|flying|travelling|traveling)", "we're (?:coming|going|leaving|flying|travelling|traveling)",
    'i am (?:coming|going|leaving|flying)', 'we are (?:coming|going|leaving|flying)',
    // The writer's own movements and errands: getting off, sending a photo later.
    "(?:i|we)(?:'m|'re| am| are) getting off", '(?:will|gonna|going to) send', 'can (?:i|we) come', "(?:i|we) can(?:'t|not) come", "can't make it"),
  any('我(?:们)?(?:明天|今天|今晚|马上|现在|下午|上午|一会)?(?:就|会)?(?:去|到|来|过去)(?:派出所|公安局|警局|警察局|福利院|你们)', '采血', '发给你们', '我会马上',
    '(?:已经)?到(?:了)?(?:派出所|公安局|警局|警察局)', '发(?:给)?你们', '(?:明天|晚点|回头|改天)再说', '我们就走了'),
  words('tôi sẽ', 'chúng tôi sẽ'),
  any('ผมจะไป', 'ฉันจะไป', 'จะไปแจ้งความ'),
  any('လာခဲ့ပါမယ်', 'ရဲစခန်း'),
);

/** Wanting to adopt: "can I adopt one today?" is no emergency. */
const ADOPT = compile(
  words('adopt\\w*', 'foster\\w*'),
  any('领养', '收养', '认养', '抱养', '领(?:一个|个)[^，。？！]{0,4}回'),
  words('nhận nuôi', 'muốn nuôi', 'xin nuôi'),
  any('รับเลี้ยง', 'รับอุปการะ', 'อยากเลี้ยง', 'อยากรับ'),
  any('မွေးစား'),
);

/**
 * Someone else offering a child to whoever takes it ("offering a baby for private adoption",
 * "有人送养刚出生的孩子"): a sale dressed as adoption, so the adoption veto does not hold.
 */
const OFFER = compile(
  words('private adoption', 'adopt privately', 'offer(?:s|ing|ed)? (?:a|the|her|his|their) (?:\\w+ )?(?:baby|child|newborn|infant|girl|boy)',
    'giving (?:away|up) (?:a|the|her|his|their) (?:baby|child|newborn)'),
  any('送养', '转让', '私下领养', '私下收养', '有人要孩子', '谁要孩子', '出一个', '出个'),
  words('cho con nuôi', 'cho đi (?:một|đứa)'),
  any('ยกเด็กให้', 'ยกลูกให้'),
  any('မွေးစားဖို့ ပေး', 'ကလေးပေးမယ်'),
);

/** Asking to be contacted ("求求你们联系我", "please call me back"): a plea for an answer, not for rescue. */
const CONTACT_ME = compile(
  words('contact me', 'call me(?: back)?', 'get back to me', 'reply to me', 'text me'),
  any('联系我', '给我打电话', '给我回电', '回我电话', '打给我', '回复我', '联络我'),
  words('liên hệ (?:với |lại )?(?:tôi|em|mình)', 'gọi (?:lại )?cho (?:tôi|em)'),
  any('ติดต่อกลับ', 'ติดต่อฉัน', 'ติดต่อผม', 'โทรกลับ'),
  any('ဆက်သွယ်ပေး', 'ဖုန်းပြန်ဆက်'),
);

/**
 * Things for a child ("baby clothes", "奶粉"); a veto only where they are traded in the same
 * clause ("baby clothes sale tonight") — "穿黑衣服的女的", "没奶粉" describe a scene, not a sale.
 */
const GOODS_WORD = compile(
  words('clothes', 'hats?', 'caps?', 'shirts?', 'jackets?', 'dress(?:es)?', 'blankets?', 'toys?', 'formula', 'diapers?', 'nappies', 'stroller for sale', 'strollers', 'shoes', 'products?', 'discount', '\\d+% off'),
  any('奶粉', '帽子', '鞋子', '外套', '毯子', '尿布', '纸尿裤', '衣服', '玩具', '用品', '童装', '童鞋', '打折', '优惠'),
  words('quần áo', 'mũ', 'nón', 'đồ chơi', 'sữa bột', 'tã', 'giảm giá'),
  any('เสื้อผ้า', 'หมวก', 'รองเท้า', 'ของเล่น', 'นมผง', 'ผ้าอ้อม', 'ลดราคา'),
  any('အဝတ်', 'ဦးထုပ်', 'ဖိနပ်', 'ကစားစရာ', 'နို့မှုန့်'),
);
/** Trading words for goods: on sale, cheap, order, shop. */
const GOODS_TRADE = compile(
  words('sale', 'sell\\w*', 'buy now', 'buy one', 'order', '(?:our|online|baby) (?:shop|store)', 'shop now', 'cheap', 'clearance', 'discount', '\\d+% off', 'deal'),
  any('卖', '售', '买一送一', '购买', '抢购', '清仓', '打折', '优惠', '特价', '促销', '下单', '批发', '团购', '(?:网|母婴|旗舰)店'),
  words('bán', 'mua', 'giảm giá', 'khuyến mãi', 'cửa hàng'),
  any('ขาย', 'ซื้อ', 'ลดราคา', 'โปรโมชั่น', 'ร้าน'),
  any('ရောင်း', 'ဝယ်', 'လျှော့ဈေး', 'ဆိုင်'),
);
/** A clause that trades things for children (not a child). */
const GOODS = {
  test: (t: string): boolean => clausesOf(t).some((c) => GOODS_WORD.test(c) && GOODS_TRADE.test(c)),
};

/** Hypotheticals, questions about the service, opinions about the news. */
const HYPOTHETICAL = compile(
  words('if', 'what happens', 'what should', 'should i', 'do i call', 'in case', 'awful', 'terrible', 'these days', 'nowadays',
    'should never', 'must never', 'deserves?', 'disgusting', 'shameful', 'heartbreaking'),
  any('如果', '要是', '假如', '万一', '应该打', '还是联系', '可恶', '该死', '可怜', '心疼', '严惩', '猖狂', '新闻'),
  words('nếu'),
  any('ถ้า'),
);

/** Where one clause ends: sentence and clause punctuation of every script, and line breaks. */
const CLAUSE_SPLIT = /[。！？!?；;，,、\n၊။]+|\.(?:\s|$)|\s[-–—]\s|\s{2,}|(?<=[\u4e00-\u9fff])\s(?=[\u4e00-\u9fff])/u;
/** Thai separates clauses with spaces. */
const THAI = /[\u0e00-\u0e7f]/;

const F_NOW = 1;
const F_STRONG = 2;
const F_CHILD = 4;
const F_ACT = 8;
const F_DISTRESS = 16;
const F_PAST = 32;
const F_SELF = 64;
const F_PAST_SOFT = 128;
const F_ONGOING = 256;
const F_OFFER = 512;

/**
 * An ongoing danger said outright: a child locked in a car, left out in the heat or the rain;
 * a child's body in danger now (not breathing well, will not wake, drugged, starved, beaten as
 * we speak). These states are present by their nature: no "now" is needed beside them.
 */
const ONGOING = compile(
  any('(?:锁|关|困|留)在(?:车|屋|房|箱|柜|地下室)', '天这么热', '这么热的天', '后备箱'),
  words('(?:locked|left|trapped) (?:\\w+ )?in (?:a|the|his|her|their) (?:car|van|trunk|room|closet|basement|box)', 'in this heat', 'in the (?:car )?(?:trunk|boot)'),
  words('nhốt (?:\\w+ )?trong (?:xe|phòng|kho|nhà)', 'cốp xe'),
  any('ขังไว้ใน', 'ติดอยู่ในรถ', 'ไว้ในรถ', 'กลางแดด', 'ท้ายรถ'),
  any('ကားထဲမှာ ပိတ်', 'ကားထဲ ပိတ်', 'ကားနောက်ဖုံး'),
  // The body in danger now: breathing, waking, drugged, starved, hurt as we speak.
  any('呼吸(?:很|非常|特别)?(?:弱|困难|急促)', '没(?:有)?(?:了)?呼吸', '叫不醒', '昏迷', '不省人事', '没(?:有)?知觉', '抽搐', '嘴唇(?:发)?紫', '(?:浑身|一直)(?:在)?发抖',
    '(?:被)?(?:下|喂|灌)(?:了)?(?:药|安眠药|迷药)', '镇静剂', '安眠药', '(?:没|没有|不)(?:人)?(?:给|喂)(?:吃|喝|奶)', '(?:一|两|几|整)天(?:都)?没(?:吃|喝|喂)', '从外面锁',
    '(?:又|正|还)在(?:打|掐|踢|虐待|折磨)[^，。！？,.!?]{0,4}(?:孩子|小孩|女孩|男孩|宝宝|婴儿|娃|她|他)', '(?:打|哭|饿)到现在', '哭(?:得)?(?:嗓子)?(?:都)?哑',
    // Not moving, no response (Cantonese too: 唔郁, 冇知觉).
    '一动不动', '(?:一郁都)?唔郁', '(?:冇|没)(?:有)?(?:知觉|反应)'),
  words('not breathing', 'barely breathing', 'breathing (?:is )?(?:weak|shallow|funny)', "(?:won't|will not|doesn't|does not|can't) wake(?: up)?", 'unresponsive', 'unconscious', 'limp',
    'drugged', 'sedated', 'sleeping pills', "(?:hasn't|has not|haven't|have not) (?:been )?(?:fed|eaten)", 'no (?:food|milk) (?:since|for)', 'turning blue', 'having (?:a )?seizures?',
    'locked from (?:the )?outside', '(?:is|are) (?:hitting|beating|slapping|kicking) (?:the|a|that|this) (?:baby|child|kid|girl|boy|infant)', 'cried (?:itself|herself|himself) hoarse'),
  words('không thở', 'thở yếu', 'khó thở', 'bất tỉnh', 'không tỉnh', 'gọi không (?:tỉnh|dậy)', 'lịm', 'bị chuốc thuốc', 'thuốc ngủ', 'thuốc an thần',
    'không (?:ai )?cho (?:bé |em bé |cháu )?(?:ăn|bú|uống)', 'khóc (?:đến )?khản', 'khóc khan'),
  any('หายใจ(?:อ่อน|ไม่ออก|ลำบาก)', 'ไม่หายใจ', 'หมดสติ', 'ปลุกไม่ตื่น', 'ไม่ยอมตื่น', 'วางยา', 'ยานอนหลับ', 'ยากล่อม', 'ไม่มีใครให้(?:นม|ข้าว|กิน)', 'ไม่ให้(?:กิน|นม)', 'ร้องไห้จนเสียงแหบ', 'ขังไว้'),
  any('အသက်ရှူ(?: )?(?:မဝ|ခက်|မရှူ)', 'သတိလစ်', 'မနိုးဘူး', 'ဆေးခတ်', 'အိပ်ဆေး', '(?:အစာ|နို့)(?: )?မကျွေး', 'ပိတ်ထား'),
);

function flagsOf(clause: string): number {
  let f = 0;
  if (NOW_STRONG.test(clause)) f |= F_NOW | F_STRONG;
  else if (NOW_WEAK.test(clause)) f |= F_NOW;
  if (CHILD.test(clause)) f |= F_CHILD;
  if (ACT.test(clause)) f |= F_ACT;
  if (DISTRESS.test(clause) && !CONTACT_ME.test(clause)) f |= F_DISTRESS;
  if (PAST.test(clause)) f |= F_PAST;
  if (SELF.test(clause)) f |= F_SELF;
  if (PAST_SOFT.test(clause) || HABIT.test(clause)) f |= F_PAST_SOFT;
  if (ONGOING.test(clause)) f |= F_ONGOING;
  if (OFFER.test(clause)) f |= F_OFFER;
  return f;
}

/** What the engine knows about the message besides its text. */
export interface ConceptContext {
  /** The message names a circulated child (`#7`, `7号`). */
  namesChild: boolean;
  /** A link already leans the message towards spam: only a clock running now (tonight, right now) may speak. */
  strongOnly?: boolean;
  /** The category keywords leaned to (before urgency): a family inquiry needs more to be urgent. */
  category?: 'tip' | 'family' | 'adoption' | 'status';
}

/** Splits a message into clauses (Thai also at spaces). */
export function clausesOf(text: string): string[] {
  const parts = text.split(CLAUSE_SPLIT);
  const out: string[] = [];
  for (const p of parts) {
    if (THAI.test(p)) for (const q of p.split(/\s+/)) { if (q.trim()) out.push(q); }
    else if (p.trim()) out.push(p.trim());
  }
  return out;
}

/**
 * The reason a message is urgent by concept classes, or undefined. `text` is the engine's
 * canonical match text (lower case, NFKC); traditional Chinese is folded here.
 */
export function conceptUrgency(text: string, ctx: ConceptContext): string | undefined {
  if (!text) return undefined;
  const t = toSimplified(text);
  // An adoption wish, or a follow-up on one's own report ("我报过一次没用"), speaks of urgency only
  // through a danger going on now (a foundling "求好心人收养" whose lips are turning blue).
  const adoption = ctx.category === 'adoption' || (ADOPT.test(t) && !OFFER.test(t));
  const followUp = ctx.category === 'status' || adoption;
  if (GOODS.test(t)) return undefined;
  const hypothetical = HYPOTHETICAL.test(t);
  const clauses = clausesOf(t);
  const flags = clauses.map(flagsOf);
  const all = flags.reduce((a, b) => a | b, 0);
  const child = ctx.namesChild || (all & F_CHILD) !== 0;
  // A family inquiry speaks of its own child: it takes a clock running now, not "today".
  const needStrong = ctx.category === 'family' || ctx.strongOnly === true;
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i]!;
    const window = (flags[i - 1] ?? 0) | f | (flags[i + 1] ?? 0);
    const strong = (f & F_STRONG) !== 0;
    if (!adoption && f & F_DISTRESS && window & (F_CHILD | F_ACT) && !(window & F_PAST) && !(f & F_SELF) && (!needStrong || window & F_STRONG)) {
      return `urgent:concept:help+${window & F_ACT ? 'act' : 'child'}`;
    }
    // A danger going on, said in a clause of its own, stands even when a question follows
    // ("kid locked in a car 2 hrs in the sun … should i break the window??").
    if (f & F_ONGOING && child && !(window & F_PAST) && !(f & F_SELF) && !HYPOTHETICAL.test(clauses[i]!)) return 'urgent:concept:ongoing-danger';
    if (hypothetical || f & (F_PAST | F_SELF)) continue;
    if (followUp || !(f & F_NOW)) continue;
    if (!strong && (needStrong || window & (F_PAST | F_PAST_SOFT | F_SELF))) continue;
    // Past time next door: only an act in this very clause is happening now.
    if (window & F_PAST && !(f & F_ACT)) continue;
    if (window & F_ACT && child) return `urgent:concept:${strong ? 'now' : 'today'}+act`;
    // A child offered around is a sale only once a clock runs: "offering a baby …, the meeting is in 2 hours".
    if (strong && window & F_OFFER && child) return 'urgent:concept:now+offer';
  }
  if (followUp) return undefined;
  const calm = !hypothetical && !(all & (F_PAST | F_SELF));
  // A short cry for help: the parts may sit anywhere ("มีเด็กถูกทิ้งไว้ในรถ แม่ไม่อยู่ ช่วยด่วน").
  if (calm && !needStrong && flags.length <= 4 && all & F_DISTRESS && all & (F_CHILD | F_ACT)) return 'urgent:concept:help';
  // A short message (up to six clauses: a time, a place, what, who told me) with a clock running now, a child and an act, and nothing pointing away
  // from now: the parts need not sit in neighbouring clauses ("有人在讨价还价，说孩子三万，人还在这").
  const clean = !hypothetical && !(all & (F_PAST | F_SELF | F_PAST_SOFT));
  if (clean && !needStrong && flags.length <= 6 && all & F_STRONG && all & F_ACT && child) return 'urgent:concept:now+act';
  return undefined;
}

/** "What if someone were selling a baby right now, whom do I call?": a question, not a report. */
const IF_QUESTION = compile(
  words('what happens if', 'what should i do if', 'what if', 'if someone', 'if somebody', 'if anyone', 'in case someone'),
  any('如果有人', '要是有人', '假如有人', '万一有人', '如果看到', '如果遇到',
    // The writer asking about their own case: "如果孩子是我们自己送走的…会不会被抓".
    '(?:如果|要是|假如)(?:是)?(?:孩子|我们|我|我家)'),
  words('nếu có người', 'nếu thấy', 'nếu (?:chúng tôi|tôi|con|gia đình)'),
  any('ถ้ามีคน', 'ถ้าเห็น', 'ถ้าเรา', 'ถ้าฉัน', 'ถ้าผม'),
);
/** Outrage about the news: an opinion, whatever tense it is in. */
const OPINION = compile(
  words('disgusting', 'shameful', 'should never', 'must never', 'deserves?', 'rot in', 'death penalty',
    // A rhetorical question about people in general; prayers and wishes for the children.
    "what's the point", 'what is the point', 'these (?:parents|people|traffickers)', 'such parents', 'pray(?:ing|ers?)?',
    'light(?:ing)? a candle', 'bless (?:them|these|those)', 'rest in peace',
    // Wishes for the children: "hope baby #4 gets better soon".
    '(?:hope|hoping|praying) (?:\\S+ ){0,5}(?:gets? (?:better|well)|recovers?|finds?|safe|home|reunited)', 'get well soon', 'wish(?:ing)? (?:them|the (?:kids|children|babies)) (?:well|luck)'),
  any('该死', '可恶', '严惩', '枪毙', '判死刑', '天打雷劈', '千刀万剐', '说句不好听', '有什么意思', '有什么用', '这些父母', '这种父母', '这些人贩子',
    '祈祷', '保佑', '祝福(?:这些|孩子|宝宝)', '点(?:一)?(?:根|支)蜡烛',
    '希望[^，。！？]{0,10}(?:早[日点]|平安|健康|找到|回家|好起来|团聚)', '早日康复', '早日回家'),
  words('đáng chết', 'tử hình', 'cầu nguyện', 'những (?:bố mẹ|cha mẹ) (?:này|đó)', 'để làm gì', 'mong (?:các |những )?(?:bé|cháu|em)', 'sớm (?:về|khỏe|bình phục)'),
  any('สมควรตาย', 'ประหาร', 'สวดมนต์', 'ขอให้เด็ก', 'พ่อแม่แบบนี้', 'จุดเทียน', 'ขอให้น้อง', 'หายไวๆ'),
  any('ဆုတောင်း', 'ဖယောင်းတိုင်', 'မြန်မြန် ပြန်'),
);
const QUESTION = /[?？]|吗|怎么办|应该|会不会|能不能|可不可以|should|làm gì|có bị|ไหม|လား/i;

/** The news, a story, a report one read or watched. */
const NEWS = compile(
  words('the news', 'this (?:story|article|report|post)', 'reading (?:this|the|that|about)', 'watching (?:this|the)', 'read about', 'saw the (?:news|story|report|video)'),
  any('新闻', '报道', '这篇', '这个故事', '这条消息', '看到这个', '看了这个'),
  words('tin tức', 'bản tin', 'bài báo', 'đọc tin'),
  any('ข่าว', 'บทความ'),
  any('သတင်း'),
);
/** A feeling about it: anger, sadness, tears. */
const FEELING = compile(
  words('angry', 'furious', 'sad', 'so sad', 'crying', 'cry', 'cried', 'tears', 'heartbroken', 'upset', 'sick', 'shocked', 'can\'t stop'),
  any('哭', '难过', '伤心', '气死', '生气', '愤怒', '心疼', '心痛', '震惊', '泪', '难受'),
  words('khóc', 'buồn', 'tức giận', 'đau lòng', 'sốc'),
  any('ร้องไห้', 'เศร้า', 'โกรธ', 'เสียใจ', 'สะเทือนใจ'),
  any('ငို', 'ဝမ်းနည်း', 'ဒေါသ'),
);

/**
 * Why an urgency the phrase tables found does not hold, or undefined: a hypothetical question
 * about the service, outrage at the news, or an adoption wish in a hurry ("可以领养吗 我今天就去"). Never for a cry
 * for help.
 */
export function urgencyVeto(text: string, category: string | undefined, namesChild = false): string | undefined {
  const t = toSimplified(text);
  if (DISTRESS.test(t)) return undefined;
  if (IF_QUESTION.test(t) && QUESTION.test(t)) return 'hypothetical';
  if (RUMOUR.test(t)) return 'rumour';
  // "今晚宝宝衣服清仓": things for children on sale.
  if (GOODS.test(t)) return 'goods';
  if (category === 'adoption' && ADOPT.test(t)) return 'adoption-wish';
  if (OPINION.test(t)) return 'opinion';
  // "今晚看新闻看到哭", "right now I'm so angry reading this": a feeling about the news, however "now" it is.
  if (!namesChild && NEWS.test(t) && FEELING.test(t)) return 'news-reaction';
  return undefined;
}

/** The message dates itself years back (a year, "years ago", 去年) or months ahead somewhere; not "since yesterday". */
const PAST_OLD = compile(
  '(?<!\\d)(?:19|20|25)\\d\\d(?!\\d)',
  words('years? ago', 'last year', 'back then', 'used to'),
  any('去年', '前年', '年前', '以前', '当年', '那年', '多年', '几年', '曾经', '岁的时候', '生日', '周年', '忌日',
    // Hearsay from long ago, unsure whether it still goes on.
    '听说过', '(?:不知道|不晓得)(?:现在)?还有没有'),
  // A birthday or anniversary of a loss: "tomorrow" then dates a memory, not a handover.
  words('birthday', 'anniversary', 'when (?:he|she) was \\d+', "(?:not sure|don't know|no idea) (?:if|whether) (?:it|they|that)(?:'s| is| are)? still"),
  words('năm ngoái', 'trước đây', 'hồi đó', 'ngày xưa', '\\d+ năm trước', 'sinh nhật', 'không biết (?:bây giờ |giờ )?(?:còn|có còn)'),
  any('ปีที่แล้ว', 'เมื่อปี', 'หลายปี', 'สมัยก่อน', 'ปีก่อน', 'เมื่อ ?\\d+ ?ปี', 'วันเกิด'),
  any('လွန်ခဲ့', 'မနှစ်က', 'တုန်းက', 'မွေးနေ့'),
  // Months ahead ("next spring", "下个月"): a plan to look into, no handover about to happen.
  words('next (?:year|month|spring|summer|autumn|fall|winter)', 'sometime next', 'in a few months'),
  any('明年', '下个月', '下半年', '过几个月'),
  words('năm sau', 'tháng sau', 'sang năm', 'vài tháng nữa'),
  any('ปีหน้า', 'เดือนหน้า'),
  any('နောက်နှစ်', 'နောက်လ'),
);

/** True when the writer speaks of their own plans ("I'll go to the police tomorrow", "我明天就去派出所"). */
export function mentionsOwnPlan(text: string): boolean {
  return SELF.test(toSimplified(text));
}

/** True when the message dates itself years back or months ahead. */
export function mentionsPast(text: string): boolean {
  return PAST_OLD.test(toSimplified(text));
}

/** True when the message speaks of a child (a child word, `#7`, `7号`) in any of the six languages. */
export function mentionsChild(text: string): boolean {
  return CHILD.test(toSimplified(text));
}

/** True when the message tells of something that happens again and again ("经常", "every week"). */
export function mentionsHabit(text: string): boolean {
  return HABIT.test(toSimplified(text));
}
