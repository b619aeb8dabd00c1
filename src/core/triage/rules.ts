/**
 * The triage rule tables. Everything language-specific lives here as data: adding a language
 * is adding one {@link LanguageRuleSet} to {@link RULE_SETS} (keywords, urgency phrases, spam
 * words, greetings) — the engine in `index.ts` needs no change.
 *
 * How a rule set is matched:
 * - It applies to a message when the detected language's primary subtag is in `languages`
 *   (`'*'` = always), or when its `script` test matches the text (so a Chinese phrase inside an
 *   English message still counts).
 * - Text is NFKC-normalised, lower-cased and whitespace-collapsed, then passed through the set's
 *   `normalise` (Chinese: traditional → simplified). Literal phrases are normalised the same way
 *   when compiled, so tables may list either form.
 * - A literal phrase made of Latin letters only matches at word boundaries; a CJK phrase matches
 *   anywhere. A `RegExp` is used as written (made global and case-insensitive).
 */

import { toSimplified } from './language.ts';

/** Categories that keywords vote for (`spam` and `other` are decided by the engine). */
export type RuleCategory = 'tip' | 'family' | 'adoption' | 'status';

/** Category order used to break ties: a reporter who saw something outranks the rest. */
export const CATEGORY_TIE_ORDER: readonly RuleCategory[] = ['tip', 'family', 'status', 'adoption'];

/** One weighted keyword or pattern. */
export interface RulePattern {
  /** A literal phrase (case-insensitive) or a regular expression. */
  readonly match: string | RegExp;
  /**
   * Category vote, or spam score contribution (0..1). Ignored by urgency lists. A literal of
   * weight 0 is a shadow: being longer, it wins over a phrase it contains and counts nothing
   * (`i saw the news` keeps `i saw` from voting for a tip).
   */
  readonly weight: number;
  /** Short name used in reasons; defaults to the text that matched. */
  readonly label?: string;
  /** Urgency `danger`/`sale`: urgent on its own, it carries its own immediacy. */
  readonly immediate?: boolean;
  /** Urgency `immediacy`: still counts when the message also talks about the past. */
  readonly strong?: boolean;
}

/**
 * Urgency: a child in danger now, or a sale / handover / transport about to happen.
 * Urgent when
 * - an `immediate` sale pattern matches (`今晚要卖`), or
 * - an `immediate` danger pattern matches (`beating`), unless a `calm` pattern matches or a
 *   `past` marker does without a `strong` immediacy, or
 * - a `danger` or `sale` pattern and an `immediacy` pattern both match, no `calm` pattern does,
 *   and, if a `past` marker matches, the immediacy is `strong`.
 */
export interface UrgencyRules {
  readonly danger?: readonly RulePattern[];
  readonly sale?: readonly RulePattern[];
  readonly immediacy?: readonly RulePattern[];
  readonly past?: readonly RulePattern[];
  readonly calm?: readonly RulePattern[];
}

/** Every rule for one language (or, with `languages: ['*']`, for all). */
export interface LanguageRuleSet {
  /** Name used in diagnostics. */
  readonly id: string;
  /** Primary language subtags (`zh`, `en`, `vi`) this set is for; `'*'` = every message. */
  readonly languages: readonly string[];
  /** Also apply when the text matches this (e.g. contains Han characters). Not global. */
  readonly script?: RegExp;
  /** Applied to lower-cased text and to literal phrases before matching. */
  readonly normalise?: (text: string) => string;
  readonly categories: Readonly<Partial<Record<RuleCategory, readonly RulePattern[]>>>;
  readonly urgency?: UrgencyRules;
  /** Advertising words; weights add up into the spam score. */
  readonly spam?: readonly RulePattern[];
  /** Whole-message greetings and menu words (`hi`, `menu`, `你好`). */
  readonly greetings?: readonly string[];
}

/** Literal phrases sharing one weight. */
function kw(weight: number, ...phrases: string[]): RulePattern[] {
  return phrases.map((match) => ({ match, weight }));
}

/** Literal phrases that are urgent on their own (urgency `danger` / `sale`). */
function now(...phrases: string[]): RulePattern[] {
  return phrases.map((match) => ({ match, weight: 1, immediate: true }));
}

/** Immediacy phrases that survive a mention of the past. */
function strong(...phrases: string[]): RulePattern[] {
  return phrases.map((match) => ({ match, weight: 1, strong: true }));
}

function re(weight: number, match: RegExp, label?: string, extra?: Partial<RulePattern>): RulePattern {
  return { match, weight, ...(label === undefined ? {} : { label }), ...extra };
}

/**
 * A case code as printed to reporters: `TL-` and two groups of four Crockford base-32
 * characters, any case, dashes optional (confusable letters are accepted here too).
 */
export const CASE_CODE_PATTERN = /(?<![a-z0-9])tl[-_ ]?[0-9a-z]{4}[-_ ]?[0-9a-z]{4}(?![a-z0-9])/i;

/** Spam score contributions of the signals that are not words. */
export const SPAM_SIGNALS = {
  /** Spam score at or above which the category is `spam`. */
  threshold: 0.7,
  /** Any link. */
  link: 0.3,
  /** A link together with advertising words worth at least `promoWithLinkMin`: at least this. */
  linkWithPromo: 0.75,
  /** One weak promotional word (`free`) beside a link is not enough for `linkWithPromo`. */
  promoWithLinkMin: 0.3,
  /** The same character ten or more times in a row. */
  repeated: 0.3,
  /** Mostly capital letters (at least 12 Latin letters). */
  shouting: 0.2,
  /** Shouting with a link, on top of `shouting` and `link`. */
  shoutingWithLink: 0.3,
  /** More than half of the visible characters are neither letters nor digits. */
  symbols: 0.3,
  /** Signals of form alone (repeats, capitals, symbols) never make spam by themselves. */
  formCap: 0.6,
  /** Taken off when a message names a child and clearly is a tip or a family inquiry. */
  genuineDiscount: 0.2,
} as const;

/** Category vote for each catalogue child a message names (`#7` alone is a tip). */
export const CHILD_MENTION_TIP_WEIGHT = 1;

// ───────────────────────────────────────────── every language

const UNIVERSAL: LanguageRuleSet = {
  id: 'any',
  languages: ['*'],
  categories: {
    family: [re(2, /(?<![a-z])dna(?![a-z])/, 'dna')],
    status: [re(3, CASE_CODE_PATTERN, 'case-code')],
  },
};

// ───────────────────────────────────────────── English

const ENGLISH: LanguageRuleSet = {
  id: 'en',
  languages: ['en'],
  script: /[a-z]{2}/i,
  categories: {
    tip: [
      ...kw(3, 'i saw', "i've seen", 'i have seen', 'i seen', 'i know where', 'i know who',
        'i recognise', 'i recognize', 'i recognised', 'i recognized', 'i witnessed',
        'i spotted', 'i think i saw', 'i have information', "i've got information",
        'trafficker', 'traffickers', 'child trafficker', 'human trafficking', 'baby seller',
        'seller', 'sellers', 'smuggler', 'smugglers', 'tip-off', 'tip off'),
      ...kw(2, 'saw', 'seen', 'spotted', 'i know', 'recognise', 'recognize', 'looks like',
        'look like', 'resembles', 'neighbour', 'neighbor', 'neighbours', 'neighbors',
        'next door', 'in my village', 'suspicious', 'witness', 'selling', 'sold',
        'trafficking', 'lives with', 'living with', 'is staying with', 'same as the photo',
        'in the photo', 'information about', 'clue'),
      // Shadows: a longer phrase that wins over `i saw` and counts nothing ("I saw the news").
      ...kw(0, 'i saw the news', 'i saw the article', 'i saw the post', 'i saw the report',
        'i saw the video', 'i saw your post', 'saw the news', 'seen the news'),
      ...kw(1, 'address', 'the house', 'street', 'lives at', 'is at'),
      re(3, /\bneighbou?rs?\b[^.!?]{0,40}?\b(?:bought|buys|buying|adopted|got|has|have|suddenly|picked up|brought home)\b/, 'neighbour-got-child'),
      re(3, /\b(?:bought|buy|buying|sell|sells|selling|sold)\s+(?:(?:a|the|this|that|her|his|their|two|some)\s+)?(?:baby|babies|child|children|kid|kids|infant|girl|boy)\b/, 'child-sale'),
    ],
    family: [
      ...kw(3, 'my child', 'my children', 'my son', 'my daughter', 'my baby', 'my kid',
        'my boy', 'my girl', 'my grandson', 'my granddaughter', 'my grandchild', 'our son',
        'our daughter', 'our baby', 'our child', 'our kid', 'looking for my',
        'searching for my', 'my missing', 'find my', 'my lost'),
      ...kw(2, 'my nephew', 'my niece', 'my brother', 'my sister', 'missing', 'went missing',
        'abducted', 'kidnapped', 'stolen', 'taken from me', 'taken from us', 'lost my',
        'biological', 'birth mother', 'birth father', 'i am the mother', 'i am the father',
        "i'm the mother", "i'm the father", 'mother of', 'father of'),
      re(3, /\b(?:looks?|looking|resembles?) like my (?:son|daughter|child|baby|boy|girl|grandson|granddaughter)\b/, 'looks-like-my-child'),
      ...kw(1, 'lost', 'parents', 'birthmark', 'birth mark', 'born on', 'date of birth',
        'born in', 'mole', 'scar'),
    ],
    adoption: [
      re(2, /\badopt(?:s|ed|ing|ion|ive)?\b/, 'adopt'),
      ...kw(3, 'i want to adopt', 'we want to adopt', 'would like to adopt', "i'd like to adopt",
        "we'd like to adopt", 'can i adopt', 'can we adopt', 'how to adopt', 'how can i adopt',
        'how do i adopt', 'how do we adopt', 'want a baby', 'want a child', 'give him a home',
        'give her a home', 'give them a home', 'give a home', 'take him home', 'take her home',
        'take one home', 'foster'),
      ...kw(2, 'fostering', 'foster care', 'childless', "can't have children",
        'cannot have children', "can't have kids", 'infertile', 'orphanage', 'welfare centre',
        'welfare center', 'raise him', 'raise her', 'raise the child', 'raise the baby',
        'how much for', 'how much is the baby', 'i will pay', "i'll pay", 'reserve'),
      re(4, /\b(?:i|we) (?:want|would like|'d like|wish|hope|am looking|are looking) to (?:buy|have|get|take) (?:a|one|this|that|the) (?:baby|child|kid|boy|girl)\b/, 'wants-a-child'),
      re(2, /\bcan (?:i|we) (?:have|get|take)\b/, 'can-i-have'),
    ],
    status: [
      ...kw(3, 'status of my case', 'my case', 'case number', 'case code', 'my report',
        'my tip', 'any update', 'any updates', 'any news', 'any progress', 'update on',
        'what happened to my', 'follow up on'),
      ...kw(2, 'status', 'progress', 'follow up', 'follow-up', 'check on', 'news on',
        'heard anything'),
    ],
  },
  urgency: {
    danger: [
      ...kw(1, 'in danger', 'danger', 'dangerous', 'hurt', 'harm', 'crying', 'screaming',
        'locked up', 'locked in', 'abuse', 'abused', 'unsafe', 'not safe', 'threatening',
        'threatened', 'kidnapping', 'grabbed', 'taken away', 'being taken', 'taking the baby',
        'taking the child', 'injured'),
      ...now('is in danger', 'are in danger', 'in danger now', 'in immediate danger', 'beating', 'being beaten', 'hitting the baby', 'hitting the child',
        'hitting the kid', 'hurting', 'being hurt', 'bleeding', 'dying', 'starving', 'choking',
        'unconscious', 'not breathing', "can't breathe", 'abusing', 'being abused', 'torturing',
        'strangling', 'drowning', 'going to kill', 'will kill', 'threatening to kill',
        'kill the baby', 'kill the child', 'save the baby', 'save the child',
        'life-threatening', 'life threatening'),
    ],
    sale: [
      // Plain `sold` is past tense: it makes a tip, not an emergency.
      ...kw(1, 'sell', 'sells', 'selling', 'being sold', 'to be sold', 'be sold', 'for sale',
        'hand over', 'handing over', 'handover', 'hand-over', 'deliver the baby',
        'delivering the baby', 'transport', 'transporting', 'smuggle', 'smuggling',
        'trafficking', 'move the baby', 'moving the baby', 'move the child', 'moving the child',
        'take the baby', 'take the child', 'buyer', 'buyers', 'meet the buyer',
        'pick up the baby', 'pick up the child', 'give the baby'),
      re(1, /\b(?:tak|mov|transport|smuggl|carry|carri|driv|ship)(?:e|es|ing|ed|ied|y)?\s+(?:(?:the|a|this|that|those|these|two|three|some|her|his|their)\s+)?(?:baby|babies|child|children|kid|kids|girl|boy|infants?)\b/),
      re(1, /\b(?:are|is|am|they're|he's|she's)\s+(?:going\s+to|about\s+to)\s+(?:sell|hand|move|take|transport|deliver|smuggle)\b/, undefined, { immediate: true }),
    ],
    immediacy: [
      ...strong('right now', 'tonight', 'this evening', 'this afternoon', 'this morning',
        'tomorrow', 'at the moment', 'as we speak', 'about to', 'in an hour', 'within the hour',
        'in a few hours', 'in a few minutes', 'immediately', 'asap', 'urgent', 'urgently',
        'emergency', 'hurry', 'currently', 'happening now', 'right away', 'any minute',
        'come quickly', 'come quick', 'come now', 'quickly', 'please hurry'),
      re(1, /\bin (?:\d+|one|two|three|a few|few) (?:minutes?|mins?|hours?|hrs?)\b/, 'in-hours', { strong: true }),
      ...kw(1, 'now', 'today', 'soon', 'just now', 'later today'),
    ],
    past: [
      ...kw(1, 'last year', 'last month', 'last week', 'ago', 'yesterday', 'used to',
        'long time', 'back in', 'in the past', 'previously', 'at that time', 'back then',
        'when i was', 'was sold', 'were sold', 'has been sold', 'had been', 'already'),
      re(1, /\b(?:19|20)\d\d\b/, 'year'),
    ],
    calm: [
      ...kw(1, 'not in danger', 'no danger', 'is safe', 'are safe', 'is fine', 'not urgent',
        'no rush', 'safe now'),
      // A parent asking whether their child is in danger is not reporting danger.
      re(1, /\b(?:is|are)\s+(?:my|our|the|he|she|they|it|this|that)\b[^.!?]{0,30}\b(?:in danger|safe|hurt|ok|okay)\b[^.!]{0,20}\?/, 'danger-question'),
    ],
  },
  spam: [
    ...kw(0.4, 'crypto', 'cryptocurrency', 'bitcoin', 'btc', 'usdt', 'ethereum', 'forex',
      'casino', 'gambling', 'betting', 'jackpot', 'lottery', 'viagra', 'payday loan', 'loan',
      'loans', 'surrogacy', 'surrogate mother', 'escort', 'porn', 'xxx', 'onlyfans', 'airdrop',
      'nft'),
    ...kw(0.2, 'free', 'bonus', 'promo', 'promotion', 'discount', 'offer', 'click', 'click here',
      'earn', 'earn money', 'make money', 'income', 'profit', 'invest', 'investment', 'win',
      'winner', 'prize', 'cash', 'guaranteed', 'subscribe', 'followers', 'limited time',
      'act now', 'sign up', 'register now', 'dm me'),
  ],
  greetings: [
    'hi', 'hello', 'hey', 'hiya', 'howdy', 'yo', 'greetings', 'good morning', 'good afternoon',
    'good evening', 'good day', 'morning', 'evening', 'hi there', 'hello there', 'hey there',
    'anyone there', 'is anyone there', 'anybody there', 'menu', 'main menu', 'start',
    'restart', 'begin', 'help', 'options', 'back', 'home',
  ],
};

// ───────────────────────────────────────────── Chinese (simplified and traditional)

/** Words that say a child is handed over, written once for the compound patterns below. */
const ZH_HANDOVER = '(?:卖|交易|交货|交接|带走|运走|送走|转手|出手|交人|抱走|转移)';

const CHINESE: LanguageRuleSet = {
  id: 'zh',
  languages: ['zh'],
  script: /\p{Script=Han}/u,
  normalise: toSimplified,
  categories: {
    tip: [
      ...kw(3, '我见过', '我看到', '我看见', '我看到过', '我见到', '我遇到过', '我知道他在',
        '我知道她在', '我知道孩子在', '我认出', '我认得', '买了个孩子', '买了一个孩子',
        '买了个小孩', '买了个男孩', '买了个女孩', '买孩子', '卖孩子', '买来的', '人贩子',
        '人贩', '拐卖', '拐子', '提供线索', '有线索', '举报', '目击'),
      ...kw(2, '看到', '看见', '见过', '见到', '邻居', '隔壁', '村里', '线索', '可疑',
        '很像', '长得像', '像是', '好像是', '贩子', '在他家', '在她家', '在我们村', '来历不明'),
      ...kw(1, '知道', '认识', '偷偷'),
      // Shadows: longer phrases that win over 我看到 and count nothing.
      ...kw(0, '我看到新闻', '我看到报道', '我看到消息', '我看到你们的', '看到新闻', '看到报道',
        '看到消息', '不知道'),
      re(3, /(?:邻居|隔壁|村里|他家|她家|他们家|亲戚|朋友家).{0,15}?(?:买|抱养|收养|领养|捡|抱来|带回|多了)/, '邻居买孩子'),
      re(3, /有人.{0,6}?(?:买|卖)(?:孩子|小孩|婴儿|宝宝)/, '有人买卖孩子'),
    ],
    family: [
      ...kw(3, '我的孩子', '我孩子', '我家孩子', '我的儿子', '我儿子', '我的女儿', '我女儿',
        '我的宝宝', '我家宝宝', '我的宝贝', '我孙子', '我孙女', '我外孙', '我外孙女',
        '我们的孩子', '寻子', '寻女', '寻亲', '寻找孩子', '找孩子', '找儿子', '找女儿', '认亲',
        '亲子鉴定', '是我的孩子', '是我儿子', '是我女儿', '孩子被拐', '儿子被拐', '女儿被拐',
        '孩子丢了', '孩子走失'),
      ...kw(2, '丢失', '走失', '被拐', '被偷', '被抱走', '失踪', '采血', '血样', '我弟弟',
        '我妹妹', '亲生', '父母', '亲生父母', '孩子他爸', '孩子他妈'),
      ...kw(1, '丢了', '胎记', '出生', '生日', '痣', '疤'),
      ...kw(3, '我是孩子的妈妈', '我是孩子的爸爸', '我是孩子妈妈', '我是孩子爸爸', '孩子的妈妈',
        '孩子的爸爸', '孩子的母亲', '孩子的父亲'),
      ...kw(2, '丢的', '被拐的'),
      re(3, /像(?:我|我的|我家)(?:儿子|女儿|孩子|宝宝|宝贝|孙子|孙女|老[大二三四五小])/, '像我的孩子'),
      re(3, /我家老[大二三四五小]/, '我家老二'),
      re(3, /(?:丢了|丢失了|失去了|找不到|被拐走了)(?:我的|我家)?(?:儿子|女儿|孩子|宝宝|孙子|孙女)/, '丢了孩子'),
    ],
    adoption: [
      ...kw(3, '我想领养', '我想收养', '想领养', '想收养', '领养孩子', '收养孩子', '领养一个',
        '收养一个', '想要一个孩子', '想要个孩子', '想要孩子', '怎么领养', '如何领养',
        '能不能领养', '可以领养', '可以收养', '要一个孩子', '要个孩子', '养一个孩子',
        '给他一个家', '给她一个家', '给孩子一个家'),
      ...kw(2, '领养', '收养', '认养', '没有孩子', '没孩子', '不能生', '生不了', '不孕', '福利院'),
      ...kw(1.5, '抱养'),
      ...kw(2, '多少钱', '我出钱', '预定', '预订'),
      re(4, /(?:我|我们)(?:想|要|打算|希望)(?:买|要|领|抱|收)(?:一个|个)?(?:孩子|小孩|宝宝|男孩|女孩|婴儿)/, '想要孩子'),
    ],
    status: [
      ...kw(3, '我的案件', '案件编号', '案件进度', '查询进度', '有消息吗', '有没有消息',
        '有什么消息', '有进展吗', '有结果吗', '处理得怎么样', '我的举报', '我提交的', '编号是'),
      ...kw(2, '进度', '进展', '查询', '案件', '案子', '结果', '怎么样了'),
      ...kw(1, '消息'),
    ],
  },
  urgency: {
    danger: [
      ...kw(1, '危险', '被打', '受伤', '哭喊', '关起来', '关着', '关在', '锁在', '锁着', '绑',
        '威胁', '抢走', '带走', '抱走'),
      ...now('虐待', '快死了', '要死了', '流血', '出血', '打死', '掐', '饿死', '病危', '殴打',
        '毒打', '要杀', '没气了', '昏迷', '现在有危险', '有生命危险', '救命', '有危险', '在危险中',
        '很危险', '处境危险', '快来救', '救救孩子', '救救他', '救救她'),
      re(1, /打(?:那个|这个|那|这|个)?(?:孩子|小孩|宝宝|婴儿|娃)|(?:在|正在)(?:打|殴打|虐待)(?:他|她)(?!电话|手机)/, undefined, { immediate: true }),
    ],
    sale: [
      ...kw(1, '卖', '卖掉', '卖给', '交易', '交货', '交接', '交人', '交孩子', '转手', '送走', '人贩子', '人贩',
        '带走', '运走', '出手', '买家', '接头', '抱走', '转移', '运送'),
      re(1, new RegExp(`(?:今晚|今天晚上|今夜|今天|明天|明早|明晚|后天|马上|立刻|现在|正在|等下|等一下|待会|一会儿?|很快|就要|快要|准备|这就)(?:就|要|会|准备|打算|在)?(?:把孩子|把宝宝|把小孩)?被?${ZH_HANDOVER}`), undefined, { immediate: true }),
      re(1, new RegExp(`要被${ZH_HANDOVER}`), undefined, { immediate: true }),
    ],
    immediacy: [
      ...strong('马上', '正在', '今晚', '今天晚上', '今夜', '明天', '明早', '明晚', '立刻',
        '立即', '赶快', '赶紧', '快点', '紧急', '救命', '此刻', '这会儿', '眼下', '现在就',
        '快要', '就要', '很急', '快来', '快救', '救救'),
      ...kw(1, '现在', '今天', '刚刚', '刚才', '还在', '一会儿', '待会', '等下', '很快'),
    ],
    past: [
      ...kw(1, '去年', '前年', '年前', '以前', '当年', '那年', '那时', '当时', '小时候', '多年',
        '几年', '曾经', '上个月', '上次', '昨天', '前几天', '之前', '年代', '已经', '卖了',
        '卖掉了', '被卖到'),
      re(1, /(?:19|20)\d\d年/, '年份'),
    ],
    calm: kw(1, '没有危险', '没危险', '不危险', '很安全', '已经安全', '安全了', '不紧急', '不急', '不用急',
      '有危险吗', '危险吗', '安全吗', '有没有危险'),
  },
  spam: [
    ...kw(0.5, '代孕', '博彩', '网赌', '娱乐城', '百家乐', '时时彩', '刷单'),
    ...kw(0.4, '贷款', '网贷', '赌场', '日赚', '躺赚', '首充', '彩金', '虚拟币', '比特币', '办证'),
    ...kw(0.3, '借款', '彩票', '兼职', '日结', '月入', '赚钱', '充值', '返利', '投资', '理财',
      '加微信', '加v', '加我微信', '加qq', '代办', '发票', '包过'),
    ...kw(0.2, '免费', '优惠', '点击', '注册', '私聊'),
  ],
  greetings: [
    '你好', '您好', '你们好', '大家好', '在吗', '在嘛', '在么', '在不在', '有人吗', '有人在吗',
    '哈囉', '哈喽', '哈啰', '哈罗', '嗨', '喂', '早上好', '早安', '上午好', '下午好', '晚上好',
    '晚安', '菜单', '开始', '帮助', '请问', '你好啊', '你好呀', '您好啊',
  ],
};

/** Every rule set, matched in this order. Add a language by adding a set here. */
export const RULE_SETS: readonly LanguageRuleSet[] = [UNIVERSAL, ENGLISH, CHINESE];
